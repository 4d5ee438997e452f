// SPDX-License-Identifier: GPL-2.0
/*
 * iox-arm-smmu: a unit from its ID registers, its reset, and the masters
 * (devices and their stream IDs) behind it.
 */
#define pr_fmt(fmt) "iox-arm-smmu: " fmt

#include <linux/bitfield.h>
#include <linux/device.h>
#include <linux/err.h>
#include <linux/module.h>
#include <linux/slab.h>
#include "smmu2-priv.h"

/* IDR2.IAS/OAS encodings (10.6.3): 32, 36, 40, 42, 44, 48 bits. */
static unsigned int smmu2_size_bits(unsigned int enc)
{
	static const u8 bits[] = { 32, 36, 40, 42, 44, 48 };

	return bits[min_t(unsigned int, enc, ARRAY_SIZE(bits) - 1)];
}

/*
 * The unit as its ID registers describe it (10.6.1-10.6.3), checked
 * against what the driver needs: stream matching or indexing, the stage
 * asked for, the 4K LPAE granule (or short descriptors for v7s).
 */
static int smmu2_read_ids(struct smmu2_unit *su,
			  const struct iox_arm_smmu_config *cfg)
{
	u32 idr0 = iox_readl(&su->regs, SMMU_IDR0);
	u32 idr1 = iox_readl(&su->regs, SMMU_IDR1);
	u32 idr2 = iox_readl(&su->regs, SMMU_IDR2);
	unsigned int numpage;

	su->pgshift = idr1 & IDR1_PAGESIZE ? 16 : 12;
	numpage = 1U << (FIELD_GET(IDR1_NUMPAGENDXB, idr1) + 1);
	/* The context banks fill the upper half of the space (9.6.1). */
	su->cb_base = numpage << su->pgshift;
	su->nr_cb = FIELD_GET(IDR1_NUMCB, idr1);
	su->nr_s2_cb = FIELD_GET(IDR1_NUMS2CB, idr1);
	su->nr_smr = idr0 & IDR0_SMS ? FIELD_GET(IDR0_NUMSMRG, idr0) : 0;
	su->sid_mask = (1U << FIELD_GET(IDR0_NUMSIDB, idr0)) - 1;
	su->ias = smmu2_size_bits(FIELD_GET(IDR2_IAS, idr2));
	su->oas = smmu2_size_bits(FIELD_GET(IDR2_OAS, idr2));
	/* UBS (10.6.3): 32, 36, 40, 42, 44 and 49 bits; 48 is what we use. */
	su->ubs = min(smmu2_size_bits(FIELD_GET(IDR2_UBS, idr2)), 48U);
	if (iox_ctx_pool_init(&su->cbs, su->nr_cb) ||
	    su->nr_smr > SMMU2_MAX_SMR || su->nr_s2_cb > su->nr_cb)
		return -ENODEV;
	su->stage = cfg->stage2 ? 2 : 1;
	if (!(idr0 & (su->stage == 1 ? IDR0_S1TS : IDR0_S2TS)))
		return -EOPNOTSUPP;
	/* Stage 1 needs a bank that is not stage-2 only. */
	if (su->stage == 1 && su->nr_s2_cb == su->nr_cb)
		return -EOPNOTSUPP;
	su->v7s = cfg->v7s && su->stage == 1;
	if (su->v7s ? FIELD_GET(IDR0_PTFS, idr0) :
		      !(idr2 & IDR2_PTFSV8_4K))
		return -EOPNOTSUPP;
	return 0;
}

/*
 * Reset (2.5, 10.6.1): every stream routed to fault (or bypass) with its
 * match register invalid, every context bank off with its faults cleared,
 * the TLBs empty; then client ports enabled with global faults reported.
 */
static void smmu2_reset(struct smmu2_unit *su)
{
	u32 s2cr = FIELD_PREP(S2CR_TYPE, su->bypass_unmatched ?
				S2CR_TYPE_BYPASS : S2CR_TYPE_FAULT);
	unsigned int i;
	u32 cr0;

	iox_writel(&su->regs, SMMU_SGFSR, iox_readl(&su->regs, SMMU_SGFSR));
	for (i = 0; i < su->nr_smr; i++) {
		iox_writel(&su->regs, SMMU_SMR(i), 0);
		iox_writel(&su->regs, SMMU_S2CR(i), s2cr);
	}
	for (i = 0; i < su->nr_cb; i++) {
		iox_writel(&su->regs, smmu2_cb(su, i, CB_SCTLR), 0);
		iox_writel(&su->regs, smmu2_cb(su, i, CB_FSR), FSR_FAULT);
	}
	iox_writel(&su->regs, SMMU_TLBIALLH, 0);
	iox_writel(&su->regs, SMMU_TLBIALLNSNH, 0);
	smmu2_tlb_sync_global(su);

	cr0 = SCR0_GFRE | SCR0_GFIE | SCR0_GCFGFRE | SCR0_GCFGFIE |
	      SCR0_VMIDPNE | SCR0_PTM;
	if (!su->bypass_unmatched)
		cr0 |= SCR0_USFCFG;
	iox_writel(&su->regs, SMMU_SCR0, cr0);
}

static struct smmu2_master *smmu2_master_find(struct smmu2_unit *su,
					      struct device *dev)
{
	struct smmu2_master *m;

	list_for_each_entry(m, &su->masters, node)
		if (m->dev == dev)
			return m;
	return NULL;
}

static int smmu2_probe_device(struct iox_unit *unit, struct iox_dev *idev)
{
	struct smmu2_unit *su = to_smmu2_unit(unit);
	struct smmu2_master *m;
	unsigned int i;

	spin_lock_irq(&su->lock);
	m = smmu2_master_find(su, idev->dev);
	spin_unlock_irq(&su->lock);
	if (!m)
		m = smmu2_pci_master(su, idev->dev);
	if (IS_ERR(m))
		return PTR_ERR(m);
	for (i = 0; i < m->nr_sids; i++)
		idev->ids[i] = m->sids[i];
	idev->nr_ids = m->nr_sids;
	idev->priv = m;
	return 0;
}

/* Attached to the blocked domain: its stream match registers go free. */
static void smmu2_release_device(struct iox_unit *unit, struct iox_dev *idev)
{
	struct smmu2_unit *su = to_smmu2_unit(unit);
	struct smmu2_master *m = idev->priv;

	smmu2_streams_release(m);
	idev->priv = NULL;
	if (!m->probed)
		return;
	spin_lock_irq(&su->lock);
	list_del(&m->node);
	spin_unlock_irq(&su->lock);
	kfree(m);
}

static bool smmu2_capable(struct iox_unit *unit, enum iox_cap cap)
{
	return false;
}

static const struct iox_unit_ops smmu2_unit_ops = {
	.owner = THIS_MODULE,
	.probe_device = smmu2_probe_device,
	.release_device = smmu2_release_device,
	.domain_alloc = smmu2_domain_alloc,
	.capable = smmu2_capable,
};

/**
 * iox_arm_smmu_create() - take over an SMMU v1/v2 and register it
 * @hwdev: the SMMU's own device, for logs
 * @regs: its registers (MMIO, or a model's)
 * @cfg: how to use it
 *
 * Context: Process context.
 * Return: the unit; ERR_PTR(-ENODEV) for ID registers the driver cannot
 * use, -EOPNOTSUPP for a stage or format the unit lacks, -ENOMEM, or the
 * errno of iox_unit_register().
 */
struct iox_unit *iox_arm_smmu_create(struct device *hwdev,
				     const struct iox_regs *regs,
				     const struct iox_arm_smmu_config *cfg)
{
	struct smmu2_unit *su;
	int ret;

	su = kzalloc(sizeof(*su), GFP_KERNEL);
	if (!su)
		return ERR_PTR(-ENOMEM);
	su->regs = *regs;
	su->bypass_unmatched = cfg->bypass_unmatched;
	su->np = cfg->np;
	spin_lock_init(&su->lock);
	INIT_LIST_HEAD(&su->masters);
	ret = smmu2_read_ids(su, cfg);
	if (ret)
		goto err;
	smmu2_reset(su);
	su->iox.ops = &smmu2_unit_ops;
	su->iox.hwdev = hwdev;
	su->iox.name = "iox-arm-smmu";
	ret = iox_unit_register(&su->iox);
	if (ret)
		goto err;
	return &su->iox;
err:
	kfree(su);
	return ERR_PTR(ret);
}
EXPORT_SYMBOL_GPL(iox_arm_smmu_create);

/**
 * iox_arm_smmu_destroy() - unregister a unit and turn it off
 * @unit: a unit of iox_arm_smmu_create(), without masters given by
 *	iox_arm_smmu_add_master() (those of PCI probes go with the unit)
 *
 * Client ports go back to bypassing the unit, as at its reset.
 *
 * Context: Process context.
 */
void iox_arm_smmu_destroy(struct iox_unit *unit)
{
	struct smmu2_unit *su = to_smmu2_unit(unit);

	iox_unit_unregister(unit);
	WARN_ON(!list_empty(&su->masters));
	iox_writel(&su->regs, SMMU_SCR0, SCR0_CLIENTPD);
	kfree(su);
}
EXPORT_SYMBOL_GPL(iox_arm_smmu_destroy);

/**
 * iox_arm_smmu_add_master() - a device and its stream IDs, before its probe
 * @unit: the unit
 * @dev: the device
 * @sids: its stream IDs (from the firmware's iommus/iommu-map)
 * @nr: how many, 1..IOX_DEV_MAX_IDS
 *
 * Context: Process context.
 * Return: 0; -EINVAL for no or too many IDs or one beyond the unit's
 * stream ID bits; -EEXIST if @dev is known; -ENOMEM.
 */
int iox_arm_smmu_add_master(struct iox_unit *unit, struct device *dev,
			    const u16 *sids, unsigned int nr)
{
	struct smmu2_unit *su = to_smmu2_unit(unit);
	struct smmu2_master *m;
	unsigned int i;

	if (!nr || nr > IOX_DEV_MAX_IDS)
		return -EINVAL;
	for (i = 0; i < nr; i++)
		if (sids[i] & ~su->sid_mask)
			return -EINVAL;
	m = kzalloc(sizeof(*m), GFP_KERNEL);
	if (!m)
		return -ENOMEM;
	m->dev = dev;
	m->su = su;
	m->nr_sids = nr;
	for (i = 0; i < nr; i++) {
		m->sids[i] = sids[i];
		m->smr[i] = -1;
	}
	spin_lock_irq(&su->lock);
	if (smmu2_master_find(su, dev)) {
		spin_unlock_irq(&su->lock);
		kfree(m);
		return -EEXIST;
	}
	list_add_tail(&m->node, &su->masters);
	spin_unlock_irq(&su->lock);
	return 0;
}
EXPORT_SYMBOL_GPL(iox_arm_smmu_add_master);

/**
 * iox_arm_smmu_remove_master() - forget a device
 * @unit: the unit
 * @dev: a device of iox_arm_smmu_add_master(); released from iox first
 *
 * Context: Process context.
 */
void iox_arm_smmu_remove_master(struct iox_unit *unit, struct device *dev)
{
	struct smmu2_unit *su = to_smmu2_unit(unit);
	struct smmu2_master *m;

	iox_release_device(dev);
	spin_lock_irq(&su->lock);
	m = smmu2_master_find(su, dev);
	if (m)
		list_del(&m->node);
	spin_unlock_irq(&su->lock);
	kfree(m);
}
EXPORT_SYMBOL_GPL(iox_arm_smmu_remove_master);

MODULE_DESCRIPTION("iox driver for ARM SMMU v1/v2 (MMU-400/401/500)");
MODULE_LICENSE("GPL");
