// SPDX-License-Identifier: GPL-2.0
/*
 * iox-arm-smmu-v3: the stream table (SMMUv3 spec 3.3, 5.2).
 *
 * Linear (2^sid_bits STEs) when the unit's stream IDs are few, it has no
 * two-level table or the linear_strtab parameter asks for it, else two
 * levels: a level-1 table of descriptors, each pointing at a level-2
 * table of 2^STRTAB_SPLIT STEs allocated when a stream of its span is
 * first used. Every STE starts as bypass, so loading iox changes no
 * device's DMA; a device attached to an iox domain gets its STE and goes
 * back to bypass when released.
 */
#define pr_fmt(fmt) "iox-arm-smmu-v3: " fmt

#include <linux/bitfield.h>
#include <linux/io.h>
#include <linux/moduleparam.h>
#include <linux/slab.h>
#include "smmu-priv.h"

static bool linear_strtab;
module_param(linear_strtab, bool, 0444);
MODULE_PARM_DESC(linear_strtab,
		 "a linear stream table even where the unit has two levels: every STE of every stream ID allocated at load (4 MiB for 16 stream ID bits)");

/* Linear tables up to 2^8 STEs (16 KiB) where the unit has two levels. */
#define SMMU_LINEAR_MAX_BITS	8
/* At most 2^16 STEs (4 MiB, order 10) in any linear table. */
#define SMMU_LINEAR_ALLOC_BITS	16
#define SMMU_L2_STES		BIT(STRTAB_SPLIT)
#define SMMU_L2_BYTES		(SMMU_L2_STES * STE_DWORDS * 8)

/* Cacheable, inner-shareable table walks, as CR1 says for the tables. */
static u64 smmu_s2_attrs(void)
{
	return FIELD_PREP(STE_S2IR0, 1) | FIELD_PREP(STE_S2OR0, 1) |
	       FIELD_PREP(STE_S2SH0, 3);
}

/*
 * The STE that makes @dom's translation: NULL, bypass (the incoming
 * attributes kept); the blocked domain, abort; identity, bypass; stage
 * 1, its CD; stage 2, its table and VMID with fault recording (S2R).
 */
static void smmu_ste_build(struct smmu_unit *su, struct smmu_domain *dom,
			   u64 *e)
{
	struct iox_pt *pt;
	unsigned int start;

	memset(e, 0, STE_DWORDS * 8);
	e[0] = STE_V;
	if (!dom || dom->domain.type == IOX_DOMAIN_IDENTITY) {
		e[0] |= FIELD_PREP(STE_CONFIG, STE_CFG_BYPASS);
		e[1] = FIELD_PREP(STE_SHCFG, STE_SHCFG_INCOMING);
		return;
	}
	if (dom->domain.type == IOX_DOMAIN_BLOCKED) {
		e[0] |= FIELD_PREP(STE_CONFIG, STE_CFG_ABORT);
		return;
	}
	pt = &dom->pt;
	if (dom->stage == 1) {
		e[0] |= FIELD_PREP(STE_CONFIG, STE_CFG_S1) |
			(dom->cd_phys & STE_S1CTXPTR);
		e[1] = FIELD_PREP(STE_S1CIR, 1) | FIELD_PREP(STE_S1COR, 1) |
		       FIELD_PREP(STE_S1CSH, 3) |
		       FIELD_PREP(STE_SHCFG, STE_SHCFG_INCOMING);
		/* S2VMID 0: a unit with stage 2 tags stage-1 entries with it. */
		return;
	}
	/* Levels end at level 3: the start level is 4 - levels. */
	start = 4 - pt->cfg.levels;
	e[0] |= FIELD_PREP(STE_CONFIG, STE_CFG_S2);
	e[2] = FIELD_PREP(STE_S2VMID, dom->vmid) |
	       FIELD_PREP(STE_S2T0SZ, 64 - pt->cfg.ias) |
	       FIELD_PREP(STE_S2SL0, (pt->cfg.granule_shift == 12 ? 2 : 3) -
			  start) |
	       smmu_s2_attrs() |
	       FIELD_PREP(STE_S2TG, pt->cfg.granule_shift == 12 ? TG_4K :
			  pt->cfg.granule_shift == 14 ? TG_16K : TG_64K) |
	       FIELD_PREP(STE_S2PS, smmu_ps_encode(pt->cfg.oas)) | STE_S2AA64 |
	       STE_S2R;
	e[3] = pt->root_phys & STE_S2TTB;
}

static u64 *smmu_ste(struct smmu_unit *su, u32 sid)
{
	u64 *l2;

	if (!su->two_level)
		return su->strtab + (u64)sid * STE_DWORDS;
	l2 = su->l2[sid >> STRTAB_SPLIT];
	return l2 ? l2 + (sid & (SMMU_L2_STES - 1)) * STE_DWORDS : NULL;
}

/**
 * smmu_strtab_prepare() - make sure a stream has its STE
 * @su: the unit
 * @sid: the stream ID
 *
 * 2-level: allocates the level-2 table of @sid's span, every STE bypass,
 * and points its level-1 descriptor at it (Span = STRTAB_SPLIT + 1, 5.1).
 *
 * Context: Process context; takes @su->lock.
 * Return: 0, -ERANGE past the table, or -ENOMEM.
 */
int smmu_strtab_prepare(struct smmu_unit *su, u32 sid)
{
	unsigned int i, l1 = sid >> STRTAB_SPLIT;
	u64 *l2, e[STE_DWORDS];

	if (sid >= BIT(su->sid_bits))
		return -ERANGE;
	if (!su->two_level || READ_ONCE(su->l2[l1]))
		return 0;
	l2 = (u64 *)__get_free_pages(GFP_KERNEL, get_order(SMMU_L2_BYTES));
	if (!l2)
		return -ENOMEM;
	smmu_ste_build(su, NULL, e);
	for (i = 0; i < SMMU_L2_STES; i++)
		memcpy(l2 + i * STE_DWORDS, e, sizeof(e));
	spin_lock(&su->lock);
	if (su->l2[l1]) {
		spin_unlock(&su->lock);
		free_pages((unsigned long)l2, get_order(SMMU_L2_BYTES));
		return 0;
	}
	su->l2[l1] = l2;
	dma_wmb();
	WRITE_ONCE(su->strtab[l1], (virt_to_phys(l2) & STRTAB_L1_L2PTR) |
		   FIELD_PREP(STRTAB_L1_SPAN, STRTAB_SPLIT + 1));
	spin_unlock(&su->lock);
	/* The unit may have cached the invalid descriptor. */
	return smmu_cfgi_ste(su, sid);
}

/**
 * smmu_strtab_init() - allocate the stream table and program its registers
 * @su: the unit, disabled, with @su->sid_bits set
 *
 * Context: Process context.
 * Return: 0 or -ENOMEM.
 */
int smmu_strtab_init(struct smmu_unit *su)
{
	u64 e[STE_DWORDS];
	unsigned int i, n;
	u32 cfg;

	su->two_level = (FIELD_GET(IDR0_ST_LEVEL, su->idr[0]) == 1) &&
			su->sid_bits > SMMU_LINEAR_MAX_BITS && !linear_strtab;
	if (su->two_level) {
		n = BIT(su->sid_bits - STRTAB_SPLIT);
		su->strtab_bytes = max_t(size_t, n * 8, 64);
		su->l2 = kcalloc(n, sizeof(*su->l2), GFP_KERNEL);
		if (!su->l2)
			return -ENOMEM;
		cfg = FIELD_PREP(STRTAB_CFG_FMT, STRTAB_FMT_2LVL) |
		      FIELD_PREP(STRTAB_CFG_SPLIT, STRTAB_SPLIT) |
		      FIELD_PREP(STRTAB_CFG_LOG2SIZE, su->sid_bits);
	} else {
		/* Every stream has its STE: none gets C_BAD_STREAMID. */
		if (su->sid_bits > SMMU_LINEAR_ALLOC_BITS)
			return -ENOMEM;
		n = BIT(su->sid_bits);
		su->strtab_bytes = n * STE_DWORDS * 8;
		cfg = FIELD_PREP(STRTAB_CFG_FMT, STRTAB_FMT_LINEAR) |
		      FIELD_PREP(STRTAB_CFG_LOG2SIZE, su->sid_bits);
	}
	su->strtab = (u64 *)__get_free_pages(GFP_KERNEL | __GFP_ZERO,
					     get_order(su->strtab_bytes));
	if (!su->strtab) {
		kfree(su->l2);
		su->l2 = NULL;
		return -ENOMEM;
	}
	su->strtab_phys = virt_to_phys(su->strtab);
	if (!su->two_level) {
		smmu_ste_build(su, NULL, e);
		for (i = 0; i < n; i++)
			memcpy(su->strtab + i * STE_DWORDS, e, sizeof(e));
	}
	writeq(su->strtab_phys & STRTAB_BASE_ADDR,
	       su->regs + SMMU_STRTAB_BASE);
	writel(cfg, su->regs + SMMU_STRTAB_BASE_CFG);
	return 0;
}

/**
 * smmu_strtab_free() - free the stream table
 * @su: the unit, disabled
 *
 * Context: Process context.
 */
void smmu_strtab_free(struct smmu_unit *su)
{
	unsigned int i;

	if (su->l2) {
		for (i = 0; i < BIT(su->sid_bits - STRTAB_SPLIT); i++)
			if (su->l2[i])
				free_pages((unsigned long)su->l2[i],
					   get_order(SMMU_L2_BYTES));
		kfree(su->l2);
		su->l2 = NULL;
	}
	if (su->strtab)
		free_pages((unsigned long)su->strtab,
			   get_order(su->strtab_bytes));
	su->strtab = NULL;
}

/**
 * smmu_ste_set() - point a stream's STE at a domain
 * @su: the unit
 * @sid: the stream ID, prepared
 * @dom: the domain, NULL for bypass
 *
 * A live STE is never torn (3.21.3): a valid one is first made an abort
 * STE (dword 0 alone) and invalidated, then dwords 1-7 are written, then
 * dword 0, each step followed by CFGI_STE. DMA during the switch is
 * aborted rather than translated by half of each configuration.
 *
 * Context: Any context; @su->lock held.
 */
void smmu_ste_set(struct smmu_unit *su, u32 sid, struct smmu_domain *dom)
{
	u64 e[STE_DWORDS], *ste = smmu_ste(su, sid);
	unsigned int i;

	lockdep_assert_held(&su->lock);
	if (!ste)
		return;
	smmu_ste_build(su, dom, e);
	if (!memcmp(ste, e, sizeof(e)))
		return;
	if (READ_ONCE(ste[0]) & STE_V) {
		WRITE_ONCE(ste[0], STE_V |
			   FIELD_PREP(STE_CONFIG, STE_CFG_ABORT));
		smmu_cfgi_ste(su, sid);
	}
	for (i = 1; i < STE_DWORDS; i++)
		WRITE_ONCE(ste[i], e[i]);
	dma_wmb();
	WRITE_ONCE(ste[0], e[0]);
	smmu_cfgi_ste(su, sid);
}

/**
 * smmu_ste_read() - copy a stream's STE, as the unit would read it
 * @su: the unit
 * @sid: the stream ID
 * @e: gets the STE's STE_DWORDS dwords (zero if the stream has none)
 *
 * Context: Any context; @su->lock held.
 */
void smmu_ste_read(struct smmu_unit *su, u32 sid, u64 *e)
{
	u64 *ste = smmu_ste(su, sid);
	unsigned int i;

	lockdep_assert_held(&su->lock);
	for (i = 0; i < STE_DWORDS; i++)
		e[i] = ste ? READ_ONCE(ste[i]) : 0;
}
