// SPDX-License-Identifier: GPL-2.0
/*
 * The SMMUv2 model's page table walker, written from the descriptor
 * formats (ARM ARM DDI 0487 "VMSAv8-64 translation table format
 * descriptors", 4KB granule; DDI 0406C B3.5 "Short-descriptor translation
 * table format"), which IHI 0062D adopts for stage 1 and stage 2. It reads
 * tables through phys_to_virt() as the unit would by DMA, and never
 * writes them (the model keeps no hardware access flag updates).
 * Little-endian tables only (SCTLR.E = 0).
 */
#include <linux/bitfield.h>
#include <linux/bits.h>
#include <linux/io.h>
#include <linux/mm.h>
#include "arm-smmu-model-priv.h"

/* IDR2.IAS/OAS/UBS and TCR2.PASIZE/VTCR.PS encodings (SMMU_IDR2). */
static const u8 smmu2_sizes[] = { 32, 36, 40, 42, 44, 48 };

/**
 * smmu2_size_bits() - decode an address size field
 * @enc: IDR2.IAS/OAS/UBS, TCR2.PASIZE or VTCR.PS
 *
 * Context: Any context.
 * Return: the size in bits; 48 for encodings the model does not know.
 */
unsigned int smmu2_size_bits(unsigned int enc)
{
	return enc < ARRAY_SIZE(smmu2_sizes) ? smmu2_sizes[enc] : 48;
}

/**
 * smmu2_size_enc() - encode an address size for IDR2
 * @bits: the size in bits
 *
 * Context: Any context.
 * Return: the smallest encoding at least @bits wide (48 bits at most).
 */
unsigned int smmu2_size_enc(unsigned int bits)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(smmu2_sizes); i++)
		if (smmu2_sizes[i] >= bits)
			return i;
	return ARRAY_SIZE(smmu2_sizes) - 1;
}

static bool smmu2_fits(u64 a, unsigned int bits)
{
	return bits >= 64 || !(a >> bits);
}

/* VMSAv8-64 block/page descriptor, stage 1: AP[2:1] and table limits. */
#define LPAE_VALID		BIT_ULL(0)
#define LPAE_TABLE		BIT_ULL(1)	/* table at L0-2, page at L3 */
#define LPAE_AP1		BIT_ULL(6)	/* EL0 (unprivileged) access */
#define LPAE_AP2		BIT_ULL(7)	/* read-only; S2AP[1] at stage 2 */
#define LPAE_S2AP_R		BIT_ULL(6)	/* stage 2: read allowed */
#define LPAE_S2AP_W		BIT_ULL(7)	/* stage 2: write allowed */
#define LPAE_AF			BIT_ULL(10)
#define LPAE_NG			BIT_ULL(11)
#define LPAE_OA			GENMASK_ULL(47, 12)
#define LPAE_APT_NOUNPRIV	BIT_ULL(61)	/* APTable[0] */
#define LPAE_APT_RO		BIT_ULL(62)	/* APTable[1] */

/*
 * Walk a 4KB-granule VMSAv8-64 table from @level, the table at @ttb
 * covering @ia_bits of input (more than 9 bits at the start level are
 * concatenated tables, stage 2 only).
 */
static void smmu2_walk_lpae(const struct smmu2_ctx *c, u64 ttb, int level,
			    unsigned int ia_bits, unsigned int oas, bool affd,
			    u64 ia, struct smmu2_walk *w)
{
	bool no_unpriv = false, ro = false;
	unsigned int lsb = 12 + 9 * (3 - level);
	u64 idx_bits = ia_bits - lsb;
	u64 table = ttb & GENMASK_ULL(47, 3) & ~GENMASK_ULL(2 + idx_bits, 0);
	u64 d, *t;

	for (;; level++, lsb -= 9, idx_bits = 9) {
		w->level = level;
		if (!smmu2_fits(table, oas)) {
			w->fsr = FSR_ASF;
			return;
		}
		t = phys_to_virt(table);
		d = READ_ONCE(t[(ia >> lsb) & GENMASK_ULL(idx_bits - 1, 0)]);
		if (!(d & LPAE_VALID)) {
			w->fsr = FSR_TF;
			return;
		}
		if (level < 3 && (d & LPAE_TABLE)) {
			if (!c->stage2) {
				no_unpriv |= !!(d & LPAE_APT_NOUNPRIV);
				ro |= !!(d & LPAE_APT_RO);
			}
			table = d & LPAE_OA;
			continue;
		}
		/* A block at level 0 and a "block" at level 3 are reserved. */
		if (level == 0 || (level == 3 && !(d & LPAE_TABLE))) {
			w->fsr = FSR_TF;
			return;
		}
		break;
	}
	w->shift = lsb;
	w->oa = d & LPAE_OA & ~GENMASK_ULL(lsb - 1, 0);
	if (!smmu2_fits(w->oa, oas)) {
		w->fsr = FSR_ASF;
		return;
	}
	if (!(d & LPAE_AF) && !affd) {
		w->fsr = FSR_AFF;
		return;
	}
	if (c->stage2) {
		/* S2AP: the same for privileged and unprivileged accesses */
		if (d & LPAE_S2AP_R)
			w->perm |= SMMU2_PERM_PR | SMMU2_PERM_UR;
		if (d & LPAE_S2AP_W)
			w->perm |= SMMU2_PERM_PW | SMMU2_PERM_UW;
		return;
	}
	ro |= !!(d & LPAE_AP2);
	w->perm = SMMU2_PERM_PR | (ro ? 0 : SMMU2_PERM_PW);
	if ((d & LPAE_AP1) && !no_unpriv)
		w->perm |= SMMU2_PERM_UR | (ro ? 0 : SMMU2_PERM_UW);
	w->global = !(d & LPAE_NG);
}

/* Stage 1, AArch64 context: TTBR0 below, TTBR1 at the top (TCR T0SZ/T1SZ). */
static void smmu2_walk_s1(struct arm_smmu_model *m, const struct smmu2_ctx *c,
			  u64 ia, struct smmu2_walk *w)
{
	const struct smmu2_cb *cb = c->cb;
	unsigned int oas = min(smmu2_size_bits(FIELD_GET(TCR2_PASIZE, cb->tcr2)),
			       m->cfg.oas);
	unsigned int t0 = 64 - FIELD_GET(SMMU2_TCR_T0SZ, cb->tcr);
	unsigned int t1 = 64 - FIELD_GET(SMMU2_TCR_T1SZ, cb->tcr);
	unsigned int bits;
	u64 ttb;

	w->level = 0;
	if (smmu2_fits(ia, t0) && !(cb->tcr & SMMU2_TCR_EPD0) &&
	    FIELD_GET(SMMU2_TCR_TG0, cb->tcr) == 0) {	/* TG0 0b00: 4KB */
		bits = t0;
		ttb = cb->ttbr[0];
	} else if (smmu2_fits(~ia, t1) && !(cb->tcr & SMMU2_TCR_EPD1) &&
		   FIELD_GET(SMMU2_TCR_TG1, cb->tcr) == 2) {	/* TG1 0b10: 4KB */
		bits = t1;
		ttb = cb->ttbr[1];
		ia &= GENMASK_ULL(bits - 1, 0);
	} else {
		w->fsr = FSR_TF;
		return;
	}
	/* 25 to 48 input bits: start at level 0 to 3 (T0SZ 16..39) */
	if (bits < 25 || bits > 48) {
		w->fsr = FSR_TF;
		return;
	}
	smmu2_walk_lpae(c, ttb, 3 - (bits - 13) / 9, bits, oas,
			cb->sctlr & SCTLR_AFFD, ia, w);
}

/* Stage 2: VTCR.SL0 gives the start level (4KB: 0 -> 2, 1 -> 1, 2 -> 0). */
static void smmu2_walk_s2(struct arm_smmu_model *m, const struct smmu2_ctx *c,
			  u64 ia, struct smmu2_walk *w)
{
	const struct smmu2_cb *cb = c->cb;
	unsigned int oas = min(smmu2_size_bits(FIELD_GET(SMMU2_TCR_PS, cb->tcr)),
			       m->cfg.oas);
	unsigned int bits = 64 - FIELD_GET(SMMU2_TCR_T0SZ, cb->tcr);
	unsigned int sl0 = FIELD_GET(SMMU2_TCR_SL0, cb->tcr);
	int level = 2 - sl0;
	unsigned int top;

	w->level = 0;
	if (sl0 > 2 || FIELD_GET(SMMU2_TCR_TG0, cb->tcr) || bits > m->cfg.ias ||
	    !smmu2_fits(ia, bits)) {
		w->fsr = FSR_TF;
		return;
	}
	/* the start level resolves 1 to 13 bits (up to 16 tables) */
	top = bits - (12 + 9 * (3 - level));
	if (top < 1 || top > 13) {
		w->fsr = FSR_TF;
		return;
	}
	smmu2_walk_lpae(c, cb->ttbr[0], level, bits, oas,
			cb->sctlr & SCTLR_AFFD, ia, w);
}

/* Short-descriptor (v7s) first- and second-level descriptors. */
#define V7S_L1_TYPE		GENMASK(1, 0)
#define V7S_L1_TABLE		1
#define V7S_L1_SECT		2
#define V7S_L1_SUPER		BIT(18)
#define V7S_L1_TABLE_ADDR	GENMASK(31, 10)
#define V7S_SECT_AP10		GENMASK(11, 10)
#define V7S_SECT_AP2		BIT(15)
#define V7S_SECT_NG		BIT(17)
#define V7S_L2_SMALL		BIT(1)
#define V7S_L2_LARGE		1
#define V7S_L2_AP10		GENMASK(5, 4)
#define V7S_L2_AP2		BIT(9)
#define V7S_L2_NG		BIT(11)

/*
 * AP[2:0] (DDI 0406C B3.7.1); with SCTLR.AFE, AP[0] is the access flag and
 * AP[2:1] the simplified model (B3.7.2). A privileged read is allowed by
 * every encoding but 0b000 (and the reserved 0b100).
 */
static u8 smmu2_v7s_perm(bool afe, u32 ap, struct smmu2_walk *w)
{
	static const u8 full[8] = {
		0, SMMU2_PERM_PR | SMMU2_PERM_PW,
		SMMU2_PERM_PR | SMMU2_PERM_PW | SMMU2_PERM_UR,
		SMMU2_PERM_PR | SMMU2_PERM_PW | SMMU2_PERM_UR | SMMU2_PERM_UW,
		0, SMMU2_PERM_PR,
		SMMU2_PERM_PR | SMMU2_PERM_UR, SMMU2_PERM_PR | SMMU2_PERM_UR,
	};
	u32 ap21 = ap >> 1;

	if (!afe)
		return full[ap];
	if (!(ap & 1))
		w->fsr = FSR_AFF;
	return (ap21 & 2 ? 0 : SMMU2_PERM_PW) | SMMU2_PERM_PR |
	       (ap21 & 1 ? SMMU2_PERM_UR | (ap21 & 2 ? 0 : SMMU2_PERM_UW) : 0);
}

/* Stage 1, AArch32 short-descriptor context (TTBCR.EAE = 0). */
static void smmu2_walk_v7s(struct arm_smmu_model *m, const struct smmu2_ctx *c,
			   u64 ia, struct smmu2_walk *w)
{
	const struct smmu2_cb *cb = c->cb;
	bool afe = cb->sctlr & SCTLR_AFE;
	unsigned int n = FIELD_GET(TTBCR_N, cb->tcr);
	u32 va = ia, d, ap, *t;
	u64 ttb;

	w->level = 1;
	w->fsr = FSR_TF;
	if (ia >> 32)
		return;
	if (n && (va >> (32 - n))) {
		if (cb->tcr & TTBCR_PD1)
			return;
		ttb = cb->ttbr[1] & GENMASK(31, 14);
		t = phys_to_virt(ttb);
		d = READ_ONCE(t[va >> 20]);
	} else {
		if (cb->tcr & TTBCR_PD0)
			return;
		ttb = cb->ttbr[0] & GENMASK(31, 14 - n);
		t = phys_to_virt(ttb);
		d = READ_ONCE(t[(va << n) >> (20 + n)]);
	}
	switch (FIELD_GET(V7S_L1_TYPE, d)) {
	case V7S_L1_SECT:
		ap = FIELD_GET(V7S_SECT_AP10, d) | (d & V7S_SECT_AP2 ? 4 : 0);
		w->global = !(d & V7S_SECT_NG);
		if (d & V7S_L1_SUPER) {
			/* PA[35:32] in [23:20], PA[39:36] in [8:5] */
			w->shift = 24;
			w->oa = (d & GENMASK(31, 24)) |
				(u64)((d >> 20) & 0xf) << 32 |
				(u64)((d >> 5) & 0xf) << 36;
		} else {
			w->shift = 20;
			w->oa = d & GENMASK(31, 20);
		}
		break;
	case V7S_L1_TABLE:
		w->level = 2;
		t = phys_to_virt(d & V7S_L1_TABLE_ADDR);
		d = READ_ONCE(t[(va >> 12) & 0xff]);
		if (d & V7S_L2_SMALL) {
			w->shift = 12;
			w->oa = d & GENMASK(31, 12);
		} else if (d & V7S_L2_LARGE) {
			w->shift = 16;
			w->oa = d & GENMASK(31, 16);
		} else {
			return;
		}
		ap = FIELD_GET(V7S_L2_AP10, d) | (d & V7S_L2_AP2 ? 4 : 0);
		w->global = !(d & V7S_L2_NG);
		break;
	default:	/* fault, or reserved (PXN section with LPAE) */
		return;
	}
	w->fsr = 0;
	if (!smmu2_fits(w->oa, m->cfg.oas)) {
		w->fsr = FSR_ASF;
		return;
	}
	w->perm = smmu2_v7s_perm(afe, ap, w);
	if (w->fsr && (cb->sctlr & SCTLR_AFFD))
		w->fsr = 0;
}

/**
 * smmu2_walk() - translate @ia by the context's tables
 * @m: the model, locked
 * @c: the context (a bank with SCTLR.M set)
 * @ia: the input address
 * @w: gets the page or block and its permissions, or the fault
 *
 * Context: Under the model's lock.
 */
void smmu2_walk(struct arm_smmu_model *m, const struct smmu2_ctx *c,
		u64 ia, struct smmu2_walk *w)
{
	memset(w, 0, sizeof(*w));
	m->stats.walks++;
	if (c->stage2)
		smmu2_walk_s2(m, c, ia, w);
	else if (c->v7s)
		smmu2_walk_v7s(m, c, ia, w);
	else
		smmu2_walk_s1(m, c, ia, w);
}
