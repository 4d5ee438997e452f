// SPDX-License-Identifier: GPL-2.0
/*
 * iox-arm-smmu-v3 domains: blocked (abort STE), identity (bypass STE) and
 * paging. A paging domain is stage 1 (a context descriptor with the
 * engine's LPAE stage-1 table and an ASID) or stage 2 (the engine's LPAE
 * stage-2 table in the STE, with a VMID), as the unit's stage says.
 */
#define pr_fmt(fmt) "iox-arm-smmu-v3: " fmt

#include <linux/bitfield.h>
#include <linux/err.h>
#include <linux/sizes.h>
#include <linux/slab.h>
#include "smmu-priv.h"

static int smmu_attach_dev(struct iox_domain *domain, struct iox_dev *idev)
{
	struct smmu_domain *dom = to_smmu_domain(domain);
	struct smmu_dev *sd = idev->priv;
	struct smmu_unit *su = sd->su;
	unsigned int i;

	spin_lock(&su->lock);
	for (i = 0; i < sd->nr_sids; i++)
		smmu_ste_set(su, sd->sids[i], dom);
	sd->dom = dom;
	spin_unlock(&su->lock);
	return 0;
}

/* Returns after CMD_SYNC: the TLBIs have completed. */
static void smmu_invalidate_range(struct iox_domain *domain,
				  unsigned long start, unsigned long last,
				  bool leaf_only)
{
	smmu_tlbi_range(to_smmu_domain(domain), start, last, leaf_only);
}

static void smmu_flush_iotlb_all(struct iox_domain *domain)
{
	smmu_tlbi_domain(to_smmu_domain(domain));
}

static void smmu_paging_free(struct iox_domain *domain)
{
	struct smmu_domain *dom = to_smmu_domain(domain);
	struct smmu_unit *su = dom->su;

	smmu_debugfs_domain_remove(dom);
	smmu_tlbi_domain(dom);
	iox_pt_destroy(&dom->pt);
	if (dom->stage == 1) {
		free_page((unsigned long)dom->cd);
		ida_free(&su->asids, dom->asid);
	} else {
		ida_free(&su->vmids, dom->vmid);
	}
	kfree(dom);
}

static void smmu_static_free(struct iox_domain *domain)
{
	kfree(to_smmu_domain(domain));
}

/* The core maps, unmaps and looks up through the engine (domain.pt). */
static const struct iox_domain_ops smmu_paging_ops = {
	.attach_dev = smmu_attach_dev,
	.invalidate_range = smmu_invalidate_range,
	.flush_iotlb_all = smmu_flush_iotlb_all,
	.free = smmu_paging_free,
};

static const struct iox_domain_ops smmu_static_ops = {
	.attach_dev = smmu_attach_dev,
	.free = smmu_static_free,
};

/*
 * A stage-1 CD (5.4): TTB0 with T0SZ and TG0 of the table, TTB1 walks
 * disabled (EPD1), cacheable inner-shareable walks, IPS, AArch64, faults
 * recorded (R) and terminated (A), the ASID private to the SMMU (ASET),
 * MAIR0 as the engine wants it.
 */
static void smmu_cd_build(struct smmu_domain *dom)
{
	struct iox_pt *pt = &dom->pt;
	unsigned int gs = pt->cfg.granule_shift;
	u64 *cd = dom->cd;

	cd[1] = pt->root_phys & CD_TTB0;
	cd[3] = pt->cfg.mair;
	dma_wmb();
	WRITE_ONCE(cd[0], FIELD_PREP(CD_T0SZ, 64 - pt->cfg.ias) |
		   FIELD_PREP(CD_TG0, gs == 12 ? TG_4K : gs == 14 ? TG_16K :
			      TG_64K) |
		   FIELD_PREP(CD_IR0, 1) | FIELD_PREP(CD_OR0, 1) |
		   FIELD_PREP(CD_SH0, 3) | CD_EPD1 | CD_V |
		   FIELD_PREP(CD_IPS, smmu_ps_encode(pt->cfg.oas)) | CD_AA64 | CD_R |
		   CD_A | CD_ASET | FIELD_PREP(CD_ASID, dom->asid));
}

static int smmu_paging_init(struct smmu_unit *su, struct smmu_domain *dom)
{
	struct iox_pt_cfg cfg = {
		.granule_shift = su->granule,
		.oas = su->oas,
	};
	int id, ret;

	dom->stage = su->stage;
	if (dom->stage == 1) {
		/* 48-bit IOVAs (IDR5.VAX 0): T0SZ 16, which QEMU takes. */
		cfg.format = IOX_PT_ARM_LPAE_S1;
		cfg.ias = 48;
		id = ida_alloc_range(&su->asids, 1,
				     su->idr[0] & IDR0_ASID16 ? 0xffff : 0xff,
				     GFP_KERNEL);
	} else {
		/*
		 * As wide as the output, without concatenated roots (QEMU
		 * 10 loses their index): 42 bits with 64K pages.
		 */
		cfg.format = IOX_PT_ARM_LPAE_S2;
		cfg.ias = su->granule == 16 ? min(su->oas, 42U) : su->oas;
		id = ida_alloc_range(&su->vmids, 1,
				     su->idr[0] & IDR0_VMID16 ? 0xffff : 0xff,
				     GFP_KERNEL);
	}
	if (id < 0)
		return id;
	ret = iox_pt_init(&dom->pt, &cfg, GFP_KERNEL);
	if (ret)
		goto err_id;
	if (dom->stage == 1) {
		dom->asid = id;
		dom->cd = (u64 *)get_zeroed_page(GFP_KERNEL);
		if (!dom->cd) {
			ret = -ENOMEM;
			goto err_pt;
		}
		dom->cd_phys = virt_to_phys(dom->cd);
		smmu_cd_build(dom);
	} else {
		dom->vmid = id;
	}
	dom->domain.ops = &smmu_paging_ops;
	iox_domain_set_pt(&dom->domain, &dom->pt);
	smmu_debugfs_domain_add(dom);
	return 0;

err_pt:
	iox_pt_destroy(&dom->pt);
err_id:
	ida_free(dom->stage == 1 ? &su->asids : &su->vmids, id);
	return ret;
}

/**
 * smmu_domain_alloc() - the unit's domain_alloc op
 * @unit: the unit
 * @type: an enum iox_domain_type value
 *
 * Paging and DMA domains get an empty LPAE table of the unit's granule and
 * stage: stage 1 a CD and an ASID, 48-bit IOVAs; stage 2 a VMID and the
 * unit's output size as input size.
 *
 * Context: Process context.
 * Return: the domain, or ERR_PTR(-ENOMEM / -ENOSPC / -EOPNOTSUPP).
 */
struct iox_domain *smmu_domain_alloc(struct iox_unit *unit, unsigned int type)
{
	struct smmu_unit *su = to_smmu_unit(unit);
	struct smmu_domain *dom;
	int ret;

	dom = kzalloc(sizeof(*dom), GFP_KERNEL);
	if (!dom)
		return ERR_PTR(-ENOMEM);
	dom->su = su;
	dom->domain.type = type;
	switch (type) {
	case IOX_DOMAIN_BLOCKED:
	case IOX_DOMAIN_IDENTITY:
		dom->domain.ops = &smmu_static_ops;
		return &dom->domain;
	case IOX_DOMAIN_PAGING:
	case IOX_DOMAIN_DMA:
	case IOX_DOMAIN_DMA_FQ:
		ret = smmu_paging_init(su, dom);
		if (ret) {
			kfree(dom);
			return ERR_PTR(ret);
		}
		return &dom->domain;
	}
	kfree(dom);
	return ERR_PTR(-EOPNOTSUPP);
}
