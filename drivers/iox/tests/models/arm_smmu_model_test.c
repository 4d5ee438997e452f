// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit suite iox_arm_smmu_model: the SMMUv2 model itself, no driver.
 * Each case programs the registers through struct iox_regs as a driver
 * would and builds its page tables by hand, descriptor by descriptor,
 * from the formats (ARM ARM VMSAv8-64 4KB granule; VMSAv7 short
 * descriptor), so the model is checked against the spec, not against a
 * page table engine it could share mistakes with.
 */
#include <kunit/test.h>
#include <linux/bitfield.h>
#include <linux/bits.h>
#include <linux/err.h>
#include <linux/gfp.h>
#include <linux/mm.h>
#include <linux/iox-regs.h>
#include "../iox-test.h"
#include "../model-suites.h"
#include "arm-smmu-model-priv.h"

#define T_MAX_TABLES	32
#define T_SID		0x42

struct t_env {
	struct arm_smmu_model *m;
	struct iox_regs regs;
	void *va[T_MAX_TABLES];
	unsigned int order[T_MAX_TABLES], n;
	unsigned int girq, cirq, cirq_cb;
};

static void t_global_irq(void *arg)
{
	struct t_env *e = arg;

	e->girq++;
}

static void t_context_irq(void *arg, unsigned int cbndx)
{
	struct t_env *e = arg;

	e->cirq++;
	e->cirq_cb = cbndx;
}

static struct t_env *t_env_cfg(struct kunit *test,
			       struct arm_smmu_model_config *cfg)
{
	struct t_env *e = test->priv;

	cfg->global_irq = t_global_irq;
	cfg->context_irq = t_context_irq;
	cfg->irq_arg = e;
	e->m = arm_smmu_model_create(cfg);
	KUNIT_ASSERT_FALSE(test, IS_ERR(e->m));
	arm_smmu_model_regs(e->m, &e->regs);
	return e;
}

static struct t_env *t_env(struct kunit *test, unsigned int tlb_entries)
{
	struct arm_smmu_model_config cfg = {
		.num_cb = 4, .num_smr = 8, .sid_bits = 15,
		.formats = ARM_SMMU_MODEL_FMT_S1_LPAE64 |
			   ARM_SMMU_MODEL_FMT_S2_LPAE64 |
			   ARM_SMMU_MODEL_FMT_S1_V7S,
		.ias = 48, .oas = 48, .ubs = 48, .tlb_entries = tlb_entries,
		.sync_polls = 2, .revision = 0x24,
	};

	return t_env_cfg(test, &cfg);
}

static int t_init(struct kunit *test)
{
	test->priv = kunit_kzalloc(test, sizeof(struct t_env), GFP_KERNEL);
	return test->priv ? 0 : -ENOMEM;
}

static void t_exit(struct kunit *test)
{
	struct t_env *e = test->priv;
	unsigned int i;

	if (e->m && !IS_ERR(e->m))
		arm_smmu_model_destroy(e->m);
	for (i = 0; i < e->n; i++)
		free_pages((unsigned long)e->va[i], e->order[i]);
}

/* A zeroed table of @bytes, aligned to its size. */
static void *t_table(struct kunit *test, unsigned int bytes, gfp_t gfp)
{
	struct t_env *e = test->priv;
	unsigned int order = 0;
	void *va;

	while ((PAGE_SIZE << order) < bytes)
		order++;
	KUNIT_ASSERT_LT(test, e->n, T_MAX_TABLES);
	va = (void *)__get_free_pages(gfp | __GFP_ZERO, order);
	KUNIT_ASSERT_NOT_NULL(test, va);
	e->va[e->n] = va;
	e->order[e->n++] = order;
	return va;
}

static u64 pa(void *va)
{
	return virt_to_phys(va);
}

static u32 gr0_r(struct t_env *e, unsigned int off)
{
	return iox_readl(&e->regs, off);
}

static void gr0_w(struct t_env *e, unsigned int off, u32 v)
{
	iox_writel(&e->regs, off, v);
}

static u32 cb_r(struct t_env *e, unsigned int n, unsigned int off)
{
	return iox_readl(&e->regs, arm_smmu_model_cb_offset(e->m, n) + off);
}

static void cb_w(struct t_env *e, unsigned int n, unsigned int off, u32 v)
{
	iox_writel(&e->regs, arm_smmu_model_cb_offset(e->m, n) + off, v);
}

static void cb_wq(struct t_env *e, unsigned int n, unsigned int off, u64 v)
{
	iox_writeq(&e->regs, arm_smmu_model_cb_offset(e->m, n) + off, v);
}

static u64 cb_rq(struct t_env *e, unsigned int n, unsigned int off)
{
	return iox_readq(&e->regs, arm_smmu_model_cb_offset(e->m, n) + off);
}

/* VMSAv8-64 descriptors, 4KB granule: nG, AF, AP[1] (unprivileged) */
#define D_TABLE(p)	((p) | 3)
#define D_PAGE(p)	((p) | 3 | BIT_ULL(11) | BIT_ULL(10) | BIT_ULL(6))
#define D_BLOCK(p)	((p) | 1 | BIT_ULL(11) | BIT_ULL(10) | BIT_ULL(6))
#define D_RO		BIT_ULL(7)	/* AP[2] */
#define D_S2_PAGE(p)	((p) | 3 | BIT_ULL(10) | BIT_ULL(6) | BIT_ULL(7))

/* Route @sid (SMR 0 / S2CR 0) to bank @n. */
static void t_route(struct t_env *e, u16 sid, unsigned int n)
{
	gr0_w(e, SMMU2_SMR(0), SMR_VALID | sid);
	gr0_w(e, SMMU2_S2CR(0), FIELD_PREP(S2CR_CBNDX, n));
	gr0_w(e, SMMU2_SCR0, SCR0_GFIE);	/* CLIENTPD = 0 */
}

/* Bank @n: AArch64 stage 1, 48-bit VA in TTBR0, ASID @asid, enabled. */
static void t_s1(struct t_env *e, unsigned int n, u64 ttb, u16 asid)
{
	iox_writel(&e->regs, SMMU2_PAGE + SMMU2_CBAR(n),
		   FIELD_PREP(CBAR_TYPE, CBAR_TYPE_S1_BYPASS) | (n + 1));
	iox_writel(&e->regs, SMMU2_PAGE + SMMU2_CBA2R(n), CBA2R_VA64);
	cb_w(e, n, SMMU2_CB_TCR2, 5 | TCR2_AS);	/* PASIZE 48 bits */
	cb_wq(e, n, SMMU2_CB_TTBR0, ttb | (u64)asid << 48);
	cb_w(e, n, SMMU2_CB_TCR, 16 | SMMU2_TCR_EPD1);	/* T0SZ 16 */
	cb_w(e, n, SMMU2_CB_MAIR0, 0xff);
	cb_w(e, n, SMMU2_CB_SCTLR, SCTLR_M | SCTLR_CFIE);
}

/* Four levels for a 48-bit VA; returns the level 0 table. */
static u64 *t_lpae4(struct kunit *test, u64 **l1, u64 **l2, u64 **l3)
{
	u64 *l0 = t_table(test, SZ_4K, GFP_KERNEL);

	*l1 = t_table(test, SZ_4K, GFP_KERNEL);
	*l2 = t_table(test, SZ_4K, GFP_KERNEL);
	*l3 = t_table(test, SZ_4K, GFP_KERNEL);
	l0[0] = D_TABLE(pa(*l1));
	(*l1)[0] = D_TABLE(pa(*l2));
	(*l2)[0] = D_TABLE(pa(*l3));
	return l0;
}

static unsigned int t_bugs(struct t_env *e, enum arm_smmu_model_bug bug)
{
	return arm_smmu_model_bug_count(e->m, bug);
}

static void t_expect_pa(struct kunit *test, struct t_env *e, u16 sid,
			u64 iova, bool write, u64 want)
{
	phys_addr_t got = 0;

	KUNIT_EXPECT_EQ(test, arm_smmu_model_dma(e->m, sid, iova, write, &got),
			0);
	KUNIT_EXPECT_EQ(test, (u64)got, want);
}

static void t_reset_values(struct kunit *test)
{
	struct t_env *e = t_env(test, 8);
	u32 idr0 = gr0_r(e, SMMU2_IDR(0)), idr1 = gr0_r(e, SMMU2_IDR(1));
	u32 idr2 = gr0_r(e, SMMU2_IDR(2));

	KUNIT_EXPECT_TRUE(test, idr0 & IDR0_S1TS);
	KUNIT_EXPECT_TRUE(test, idr0 & IDR0_S2TS);
	KUNIT_EXPECT_TRUE(test, idr0 & IDR0_SMS);
	KUNIT_EXPECT_EQ(test, FIELD_GET(IDR0_NUMSMRG, idr0), 8);
	KUNIT_EXPECT_EQ(test, FIELD_GET(IDR0_NUMSIDB, idr0), 15);
	KUNIT_EXPECT_EQ(test, FIELD_GET(IDR1_NUMCB, idr1), 4);
	/* 4 banks: 2^(NUMPAGENDXB + 1) = 4 pages, banks from page 4 */
	KUNIT_EXPECT_EQ(test, FIELD_GET(IDR1_NUMPAGENDXB, idr1), 1);
	KUNIT_EXPECT_EQ(test, arm_smmu_model_cb_offset(e->m, 0), 4 * SZ_4K);
	KUNIT_EXPECT_EQ(test, FIELD_GET(IDR2_IAS, idr2), 5);
	KUNIT_EXPECT_EQ(test, FIELD_GET(IDR2_OAS, idr2), 5);
	KUNIT_EXPECT_TRUE(test, idr2 & IDR2_PTFS_4K);
	KUNIT_EXPECT_EQ(test, gr0_r(e, SMMU2_IDR(7)), 0x24);
	KUNIT_EXPECT_EQ(test, gr0_r(e, SMMU2_SCR0), SCR0_CLIENTPD);
	KUNIT_EXPECT_EQ(test, gr0_r(e, SMMU2_SGFSR), 0);
	KUNIT_EXPECT_EQ(test, gr0_r(e, SMMU2_SMR(3)), 0);
	KUNIT_EXPECT_EQ(test, gr0_r(e, SMMU2_S2CR(3)), S2CR_RESET);
	KUNIT_EXPECT_EQ(test, cb_r(e, 3, SMMU2_CB_SCTLR), 0);
	KUNIT_EXPECT_EQ(test, cb_r(e, 3, SMMU2_CB_FSR), 0);
	KUNIT_EXPECT_EQ(test, gr0_r(e, SMMU2_STLBGSTATUS), 0);
	KUNIT_EXPECT_EQ(test, arm_smmu_model_bugs(e->m), 0);
}

static void t_idr_read_only(struct kunit *test)
{
	struct t_env *e = t_env(test, 8);
	unsigned int i;
	u32 idr[8];

	for (i = 0; i < 8; i++) {
		idr[i] = gr0_r(e, SMMU2_IDR(i));
		gr0_w(e, SMMU2_IDR(i), ~idr[i]);
		KUNIT_EXPECT_EQ(test, gr0_r(e, SMMU2_IDR(i)), idr[i]);
	}
	iox_writel(&e->regs, arm_smmu_model_cb_offset(e->m, 0) +
		   SMMU2_CB_TLBSTATUS, 1);
	KUNIT_EXPECT_EQ(test, cb_r(e, 0, SMMU2_CB_TLBSTATUS), 0);
	KUNIT_EXPECT_EQ(test, arm_smmu_model_bugs(e->m), 0);
}

static void t_undefined_register(struct kunit *test)
{
	struct t_env *e = t_env(test, 8);

	KUNIT_EXPECT_EQ(test, gr0_r(e, 0x0f0), 0);	/* hole in GR0 */
	gr0_w(e, SMMU2_SMR(8), 0);			/* past NUMSMRG */
	iox_writel(&e->regs, SMMU2_PAGE + SMMU2_CBAR(4), 0);	/* NUMCB */
	iox_readq(&e->regs, SMMU2_SCR0);		/* 32-bit register */
	cb_w(e, 0, 0x100, 0);
	iox_readl(&e->regs, arm_smmu_model_size(e->m));	/* past the end */
	KUNIT_EXPECT_EQ(test, t_bugs(e, ARM_SMMU_MODEL_BUG_UNDEF_REG), 6);
	KUNIT_EXPECT_EQ(test, arm_smmu_model_bugs(e->m), 6);
	/* a 64-bit register's halves are fine */
	cb_w(e, 0, SMMU2_CB_TTBR0 + 4, 0x12);
	KUNIT_EXPECT_EQ(test, cb_rq(e, 0, SMMU2_CB_TTBR0), 0x12ULL << 32);
	KUNIT_EXPECT_EQ(test, arm_smmu_model_bugs(e->m), 6);
}

static void t_clientpd_bypass(struct kunit *test)
{
	struct t_env *e = t_env(test, 8);

	t_expect_pa(test, e, T_SID, 0x1234567000ULL, true, 0x1234567000ULL);
	gr0_w(e, SMMU2_SCR0, 0);	/* unmatched, USFCFG = 0: bypass */
	t_expect_pa(test, e, T_SID, 0x5000, false, 0x5000);
	gr0_w(e, SMMU2_SCR0, SCR0_USFCFG | SCR0_GFIE);
	KUNIT_EXPECT_EQ(test, arm_smmu_model_dma(e->m, T_SID, 0x5000, true,
						 &(phys_addr_t){0}), -EFAULT);
	KUNIT_EXPECT_EQ(test, gr0_r(e, SMMU2_SGFSR), GFSR_USF);
	KUNIT_EXPECT_EQ(test, gr0_r(e, SMMU2_SGFSYNR1), T_SID);
	KUNIT_EXPECT_TRUE(test, gr0_r(e, SMMU2_SGFSYNR0) & GFSYNR0_WNR);
	KUNIT_EXPECT_EQ(test, iox_readq(&e->regs, SMMU2_SGFAR), 0x5000);
	KUNIT_EXPECT_EQ(test, e->girq, 1);
	gr0_w(e, SMMU2_SGFSR, GFSR_USF);	/* W1C */
	KUNIT_EXPECT_EQ(test, gr0_r(e, SMMU2_SGFSR), 0);
}

static void t_s1_lpae(struct kunit *test)
{
	struct t_env *e = t_env(test, 8);
	u64 *l1, *l2, *l3, *l0 = t_lpae4(test, &l1, &l2, &l3);

	l3[1] = D_PAGE(0xabcde000ULL);			/* 4K at 0x1000 */
	l2[1] = D_BLOCK(0x7f800000ULL);			/* 2M at 0x200000 */
	l1[1] = D_BLOCK(0x2c0000000ULL);		/* 1G at 0x40000000 */
	t_s1(e, 0, pa(l0), 5);
	t_route(e, T_SID, 0);
	t_expect_pa(test, e, T_SID, 0x1abc, false, 0xabcdeabcULL);
	t_expect_pa(test, e, T_SID, 0x212345, true, 0x7f812345ULL);
	t_expect_pa(test, e, T_SID, 0x4abcdef0, true, 0x2cabcdef0ULL);
	KUNIT_EXPECT_EQ(test, arm_smmu_model_bugs(e->m), 0);
	KUNIT_EXPECT_EQ(test, e->cirq, 0);
}

static void t_s2(struct kunit *test)
{
	struct t_env *e = t_env(test, 8);
	u64 *l1 = t_table(test, SZ_4K, GFP_KERNEL);
	u64 *l2 = t_table(test, SZ_4K, GFP_KERNEL);
	u64 *l3 = t_table(test, SZ_4K, GFP_KERNEL);
	phys_addr_t p;

	/* 39-bit IPA, start at level 1 (SL0 = 1) */
	l1[2] = D_TABLE(pa(l2));
	l2[3] = D_TABLE(pa(l3));
	l3[4] = D_S2_PAGE(0x3456000ULL);
	l3[5] = D_S2_PAGE(0x789a000ULL) & ~BIT_ULL(7);	/* S2AP: read only */
	iox_writel(&e->regs, SMMU2_PAGE + SMMU2_CBAR(1), 7);	/* S2, VMID 7 */
	iox_writel(&e->regs, SMMU2_PAGE + SMMU2_CBA2R(1), CBA2R_VA64);
	cb_wq(e, 1, SMMU2_CB_TTBR0, pa(l1));
	cb_w(e, 1, SMMU2_CB_TCR, 25 | FIELD_PREP(SMMU2_TCR_SL0, 1) |
	     FIELD_PREP(SMMU2_TCR_PS, 5));
	cb_w(e, 1, SMMU2_CB_SCTLR, SCTLR_M | SCTLR_CFIE);
	t_route(e, T_SID, 1);
	t_expect_pa(test, e, T_SID, (2ULL << 30) | (3 << 21) | (4 << 12) | 0x10,
		    true, 0x3456010ULL);
	t_expect_pa(test, e, T_SID, (2ULL << 30) | (3 << 21) | (5 << 12), false,
		    0x789a000ULL);
	KUNIT_EXPECT_EQ(test, arm_smmu_model_dma(e->m, T_SID, (2ULL << 30) |
						 (3 << 21) | (5 << 12), true,
						 &p), -EFAULT);
	KUNIT_EXPECT_EQ(test, cb_r(e, 1, SMMU2_CB_FSR), FSR_PF);
	KUNIT_EXPECT_EQ(test, e->cirq_cb, 1);
	/* beyond the 39-bit IPA space: translation fault */
	cb_w(e, 1, SMMU2_CB_FSR, FSR_PF);
	KUNIT_EXPECT_EQ(test, arm_smmu_model_dma(e->m, T_SID, 1ULL << 39, false,
						 &p), -EFAULT);
	KUNIT_EXPECT_EQ(test, cb_r(e, 1, SMMU2_CB_FSR), FSR_TF);
}

/* v7s descriptors (DDI 0406C B3.5.1), AP[2:0] = 0b011 (full access) */
#define V7_SECT(p)	((p) | 2 | (3 << 10))
#define V7_SUPER(p)	((p) | 2 | BIT(18) | (3 << 10))
#define V7_TABLE(p)	((p) | 1)
#define V7_SMALL(p)	((p) | 2 | (3 << 4))
#define V7_LARGE(p)	((p) | 1 | (3 << 4))

static void t_v7s(struct kunit *test)
{
	struct t_env *e = t_env(test, 8);
	u32 *l1 = t_table(test, SZ_16K, GFP_DMA32);
	u32 *l2 = t_table(test, SZ_4K, GFP_DMA32);
	unsigned int i;

	KUNIT_ASSERT_EQ(test, pa(l1) >> 32, 0);
	l1[0x001] = V7_SECT(0x12300000U);			/* 1M */
	for (i = 0; i < 16; i++)				/* 16M */
		l1[0x010 + i] = V7_SUPER(0x45000000U);
	l1[0x002] = V7_TABLE((u32)pa(l2));
	l2[0x01] = V7_SMALL(0x6789a000U);			/* 4K */
	for (i = 0; i < 16; i++)				/* 64K */
		l2[0x10 + i] = V7_LARGE(0x9abc0000U);
	iox_writel(&e->regs, SMMU2_PAGE + SMMU2_CBAR(2),
		   FIELD_PREP(CBAR_TYPE, CBAR_TYPE_S1_BYPASS) | 3);
	cb_w(e, 2, SMMU2_CB_TTBR0, (u32)pa(l1));
	cb_w(e, 2, SMMU2_CB_TCR, 0);		/* TTBCR: N = 0, EAE = 0 */
	cb_w(e, 2, SMMU2_CB_CONTEXTIDR, 9);	/* ASID */
	cb_w(e, 2, SMMU2_CB_SCTLR, SCTLR_M);
	t_route(e, T_SID, 2);
	t_expect_pa(test, e, T_SID, 0x00145678, true, 0x12345678ULL);
	t_expect_pa(test, e, T_SID, 0x01abcdef, true, 0x45abcdefULL);
	t_expect_pa(test, e, T_SID, 0x00201234, false, 0x6789a234ULL);
	t_expect_pa(test, e, T_SID, 0x0021fedc, false, 0x9abcfedcULL);
	KUNIT_EXPECT_EQ(test, arm_smmu_model_dma(e->m, T_SID, 0x00300000, false,
						 &(phys_addr_t){0}), -EFAULT);
	KUNIT_EXPECT_EQ(test, cb_r(e, 2, SMMU2_CB_FSR), FSR_TF);
	KUNIT_EXPECT_EQ(test, cb_r(e, 2, SMMU2_CB_FSYNR0) & FSYNR0_PLVL, 1);
	KUNIT_EXPECT_EQ(test, e->cirq, 0);	/* CFIE clear */
	KUNIT_EXPECT_EQ(test, arm_smmu_model_bugs(e->m), 0);
}

static void t_permission(struct kunit *test)
{
	struct t_env *e = t_env(test, 8);
	u64 *l1, *l2, *l3, *l0 = t_lpae4(test, &l1, &l2, &l3);
	phys_addr_t p;

	l3[7] = D_PAGE(0x5000000ULL) | D_RO;
	l3[8] = D_PAGE(0x6000000ULL) & ~BIT_ULL(6);	/* privileged only */
	t_s1(e, 0, pa(l0), 1);
	t_route(e, T_SID, 0);
	t_expect_pa(test, e, T_SID, 0x7010, false, 0x5000010ULL);
	KUNIT_EXPECT_EQ(test, arm_smmu_model_dma(e->m, T_SID, 0x7020, true, &p),
			-EFAULT);
	KUNIT_EXPECT_EQ(test, cb_r(e, 0, SMMU2_CB_FSR), FSR_PF);
	KUNIT_EXPECT_EQ(test, cb_rq(e, 0, SMMU2_CB_FAR), 0x7020);
	KUNIT_EXPECT_EQ(test, cb_r(e, 0, SMMU2_CB_FSYNR0),
			FSYNR0_WNR | FIELD_PREP(FSYNR0_PLVL, 3));
	KUNIT_EXPECT_EQ(test, iox_readl(&e->regs, SMMU2_PAGE +
					SMMU2_CBFRSYNRA(0)), T_SID);
	KUNIT_EXPECT_EQ(test, e->cirq, 1);
	cb_w(e, 0, SMMU2_CB_FSR, FSR_PF);
	/* AP[1] = 0: an unprivileged device may not read it */
	KUNIT_EXPECT_EQ(test, arm_smmu_model_dma(e->m, T_SID, 0x8000, false,
						 &p), -EFAULT);
	KUNIT_EXPECT_EQ(test, cb_r(e, 0, SMMU2_CB_FSR), FSR_PF);
	cb_w(e, 0, SMMU2_CB_FSR, FSR_PF);
	/* S2CR.PRIVCFG = 0b11 makes the stream privileged */
	gr0_w(e, SMMU2_S2CR(0), FIELD_PREP(S2CR_PRIVCFG, S2CR_PRIV_PRIV));
	t_expect_pa(test, e, T_SID, 0x8000, true, 0x6000000ULL);
}

static void t_unmapped_fault(struct kunit *test)
{
	struct t_env *e = t_env(test, 8);
	u64 *l1, *l2, *l3, *l0 = t_lpae4(test, &l1, &l2, &l3);
	phys_addr_t p;

	t_s1(e, 0, pa(l0), 1);
	t_route(e, T_SID, 0);
	KUNIT_EXPECT_EQ(test, arm_smmu_model_dma(e->m, T_SID, 0x9000, false,
						 &p), -EFAULT);
	KUNIT_EXPECT_EQ(test, cb_r(e, 0, SMMU2_CB_FSR), FSR_TF);
	KUNIT_EXPECT_EQ(test, cb_rq(e, 0, SMMU2_CB_FAR), 0x9000);
	KUNIT_EXPECT_EQ(test, cb_r(e, 0, SMMU2_CB_FSYNR0),
			FIELD_PREP(FSYNR0_PLVL, 3));
	KUNIT_EXPECT_EQ(test, e->cirq, 1);
	KUNIT_EXPECT_EQ(test, e->cirq_cb, 0);
	/* level 1 entry missing */
	KUNIT_EXPECT_EQ(test, arm_smmu_model_dma(e->m, T_SID, 1ULL << 30, true,
						 &p), -EFAULT);
	/* a second fault before the first is cleared: MULTI, same syndrome */
	KUNIT_EXPECT_EQ(test, cb_r(e, 0, SMMU2_CB_FSR), FSR_TF | FSR_MULTI);
	KUNIT_EXPECT_EQ(test, cb_rq(e, 0, SMMU2_CB_FAR), 0x9000);
	/* W1C: writing zeros or other bits keeps, writing ones clears */
	cb_w(e, 0, SMMU2_CB_FSR, FSR_PF);
	KUNIT_EXPECT_EQ(test, cb_r(e, 0, SMMU2_CB_FSR), FSR_TF | FSR_MULTI);
	cb_w(e, 0, SMMU2_CB_FSR, FSR_TF | FSR_MULTI);
	KUNIT_EXPECT_EQ(test, cb_r(e, 0, SMMU2_CB_FSR), 0);
	/* the next fault records again, at its level */
	KUNIT_EXPECT_EQ(test, arm_smmu_model_dma(e->m, T_SID, 1ULL << 30, true,
						 &p), -EFAULT);
	KUNIT_EXPECT_EQ(test, cb_rq(e, 0, SMMU2_CB_FAR), 1ULL << 30);
	KUNIT_EXPECT_EQ(test, cb_r(e, 0, SMMU2_CB_FSYNR0),
			FSYNR0_WNR | FIELD_PREP(FSYNR0_PLVL, 1));
	/* access flag clear: AFF */
	cb_w(e, 0, SMMU2_CB_FSR, FSR_TF);
	l3[3] = D_PAGE(0x3000ULL) & ~BIT_ULL(10);
	KUNIT_EXPECT_EQ(test, arm_smmu_model_dma(e->m, T_SID, 0x3000, false,
						 &p), -EFAULT);
	KUNIT_EXPECT_EQ(test, cb_r(e, 0, SMMU2_CB_FSR), FSR_AFF);
	KUNIT_EXPECT_EQ(test, e->cirq, 4);
}

static void t_stream_match(struct kunit *test)
{
	struct t_env *e = t_env(test, 8);
	phys_addr_t p;

	/* SMR 1: ID 0x10, MASK 0x0f: 0x10..0x1f; S2CR 1 bypass */
	gr0_w(e, SMMU2_SMR(1), SMR_VALID | FIELD_PREP(SMR_MASK, 0xf) | 0x10);
	gr0_w(e, SMMU2_S2CR(1), FIELD_PREP(S2CR_TYPE, S2CR_TYPE_BYPASS));
	/* SMR 2: exactly 0x20, S2CR 2 fault */
	gr0_w(e, SMMU2_SMR(2), SMR_VALID | 0x20);
	gr0_w(e, SMMU2_S2CR(2), FIELD_PREP(S2CR_TYPE, S2CR_TYPE_FAULT));
	gr0_w(e, SMMU2_SCR0, SCR0_USFCFG | SCR0_GFIE);
	t_expect_pa(test, e, 0x10, 0x1000, false, 0x1000);
	t_expect_pa(test, e, 0x1f, 0x2000, false, 0x2000);
	KUNIT_EXPECT_EQ(test, arm_smmu_model_dma(e->m, 0x20, 0x3000, false,
						 &p), -EFAULT);
	KUNIT_EXPECT_EQ(test, arm_smmu_model_dma(e->m, 0x21, 0x3000, false,
						 &p), -EFAULT);	/* unmatched */
	KUNIT_EXPECT_EQ(test, gr0_r(e, SMMU2_SGFSR), GFSR_USF | FSR_MULTI);
	KUNIT_EXPECT_EQ(test, gr0_r(e, SMMU2_SGFSYNR1), 0x20);
	gr0_w(e, SMMU2_SGFSR, ~0U);
	/* two SMRs matching one stream: stream match conflict */
	gr0_w(e, SMMU2_SMR(3), SMR_VALID | FIELD_PREP(SMR_MASK, 0x3) | 0x10);
	KUNIT_EXPECT_EQ(test, arm_smmu_model_dma(e->m, 0x12, 0x3000, false,
						 &p), -EFAULT);
	KUNIT_EXPECT_EQ(test, gr0_r(e, SMMU2_SGFSR), GFSR_SMCF);
	KUNIT_EXPECT_EQ(test, e->girq, 3);
	/* S2CR to a bank that does not exist: invalid context fault */
	gr0_w(e, SMMU2_SGFSR, ~0U);
	gr0_w(e, SMMU2_S2CR(2), FIELD_PREP(S2CR_CBNDX, 9));
	KUNIT_EXPECT_EQ(test, arm_smmu_model_dma(e->m, 0x20, 0x3000, false,
						 &p), -EFAULT);
	KUNIT_EXPECT_EQ(test, gr0_r(e, SMMU2_SGFSR), GFSR_ICF);
	/* a translating S2CR to a disabled bank: bypass */
	gr0_w(e, SMMU2_S2CR(2), FIELD_PREP(S2CR_CBNDX, 3));
	t_expect_pa(test, e, 0x20, 0x4000, true, 0x4000);
}

static void t_stream_indexing(struct kunit *test)
{
	struct arm_smmu_model_config cfg = {
		.num_cb = 2, .sid_bits = 4,
		.formats = ARM_SMMU_MODEL_FMT_S1_LPAE64, .ias = 40, .oas = 40,
		.ubs = 40, .tlb_entries = 4,
	};
	struct t_env *e = t_env_cfg(test, &cfg);
	phys_addr_t p;

	KUNIT_EXPECT_FALSE(test, gr0_r(e, SMMU2_IDR(0)) & IDR0_SMS);
	KUNIT_EXPECT_FALSE(test, gr0_r(e, SMMU2_IDR(0)) & IDR0_S2TS);
	gr0_w(e, SMMU2_S2CR(5), FIELD_PREP(S2CR_TYPE, S2CR_TYPE_BYPASS));
	gr0_w(e, SMMU2_SCR0, SCR0_USFCFG);
	t_expect_pa(test, e, 5, 0x1000, false, 0x1000);
	KUNIT_EXPECT_EQ(test, arm_smmu_model_dma(e->m, 6, 0x1000, false, &p),
			-EFAULT);	/* S2CR 6 at reset: fault */
	KUNIT_EXPECT_EQ(test, arm_smmu_model_dma(e->m, 16, 0x1000, false, &p),
			-EFAULT);	/* no S2CR 16 */
	KUNIT_EXPECT_EQ(test, e->girq, 0);	/* GFIE clear */
	gr0_w(e, SMMU2_SMR(0), 0);		/* no SMRs: undefined */
	KUNIT_EXPECT_EQ(test, arm_smmu_model_bugs(e->m), 1);
}

/* Invalidate @iova's page for ASID 1 in bank 0 (AArch64 TLBIVA). */
static void t_tlbiva(struct t_env *e, u64 iova)
{
	cb_wq(e, 0, SMMU2_CB_TLBIVA, iova >> 12 | 1ULL << 48);
}

static void t_tlb_stale(struct kunit *test)
{
	struct t_env *e = t_env(test, 8);
	u64 *l1, *l2, *l3, *l0 = t_lpae4(test, &l1, &l2, &l3);
	struct arm_smmu_model_stats s;

	l3[1] = D_PAGE(0x11000ULL);
	t_s1(e, 0, pa(l0), 1);
	t_route(e, T_SID, 0);
	t_expect_pa(test, e, T_SID, 0x1008, false, 0x11008);
	/* changed without invalidation: the TLB still answers */
	l3[1] = D_PAGE(0x22000ULL);
	t_expect_pa(test, e, T_SID, 0x1008, false, 0x11008);
	KUNIT_EXPECT_EQ(test, arm_smmu_model_bugs(e->m), 0);
	/* invalidated, not synced: still stale, and a driver bug */
	t_tlbiva(e, 0x1000);
	t_expect_pa(test, e, T_SID, 0x1008, false, 0x11008);
	KUNIT_EXPECT_EQ(test, t_bugs(e, ARM_SMMU_MODEL_BUG_STALE_TLB), 1);
	/* synced but not yet polled complete: still the old one */
	cb_w(e, 0, SMMU2_CB_TLBSYNC, 0);
	KUNIT_EXPECT_EQ(test, cb_r(e, 0, SMMU2_CB_TLBSTATUS), TLBSTATUS_ACTIVE);
	t_expect_pa(test, e, T_SID, 0x1008, false, 0x11008);
	KUNIT_EXPECT_EQ(test, cb_r(e, 0, SMMU2_CB_TLBSTATUS), TLBSTATUS_ACTIVE);
	KUNIT_EXPECT_EQ(test, cb_r(e, 0, SMMU2_CB_TLBSTATUS), 0);
	t_expect_pa(test, e, T_SID, 0x1008, false, 0x22008);
	arm_smmu_model_stats(e->m, &s);
	KUNIT_EXPECT_EQ(test, s.inv_completed, 1);
	KUNIT_EXPECT_EQ(test, s.walks, 2);
	KUNIT_EXPECT_EQ(test, s.tlb_hits, 3);
	KUNIT_EXPECT_EQ(test, arm_smmu_model_bugs(e->m), 2);
	/* another ASID's invalidation leaves this one's entry */
	l3[1] = D_PAGE(0x33000ULL);
	cb_wq(e, 0, SMMU2_CB_TLBIVA, 0x1 | 2ULL << 48);
	cb_w(e, 0, SMMU2_CB_TLBSYNC, 0);
	while (cb_r(e, 0, SMMU2_CB_TLBSTATUS) & TLBSTATUS_ACTIVE)
		;
	t_expect_pa(test, e, T_SID, 0x1008, false, 0x22008);
	/* global: TLBIVMID for the bank's VMID, sTLBGSYNC, poll */
	gr0_w(e, SMMU2_TLBIVMID, 1);
	gr0_w(e, SMMU2_STLBGSYNC, 0);
	while (gr0_r(e, SMMU2_STLBGSTATUS) & TLBSTATUS_ACTIVE)
		;
	t_expect_pa(test, e, T_SID, 0x1008, false, 0x33008);
}

static void t_tlb_eviction(struct kunit *test)
{
	struct t_env *e = t_env(test, 4);
	u64 *l1, *l2, *l3, *l0 = t_lpae4(test, &l1, &l2, &l3);
	struct arm_smmu_model_stats s;
	unsigned int i;

	for (i = 0; i < 5; i++)
		l3[i] = D_PAGE(0x100000ULL + i * SZ_4K);
	t_s1(e, 0, pa(l0), 1);
	t_route(e, T_SID, 0);
	for (i = 0; i < 5; i++)
		t_expect_pa(test, e, T_SID, i * SZ_4K, false,
			    0x100000ULL + i * SZ_4K);
	arm_smmu_model_stats(e->m, &s);
	KUNIT_EXPECT_EQ(test, s.tlb_evictions, 1);
	/* page 1 is still cached; page 0 was evicted: its change shows */
	l3[0] = D_PAGE(0x200000ULL);
	l3[1] = D_PAGE(0x201000ULL);
	t_expect_pa(test, e, T_SID, SZ_4K, false, 0x101000ULL);
	t_expect_pa(test, e, T_SID, 0, false, 0x200000ULL);
}

static void t_bug_live_write(struct kunit *test)
{
	struct t_env *e = t_env(test, 4);
	u64 *l1, *l2, *l3, *l0 = t_lpae4(test, &l1, &l2, &l3);

	t_s1(e, 0, pa(l0), 1);
	t_route(e, T_SID, 0);
	KUNIT_EXPECT_EQ(test, arm_smmu_model_bugs(e->m), 0);
	cb_wq(e, 0, SMMU2_CB_TTBR0, pa(l0));
	cb_w(e, 0, SMMU2_CB_TCR, 16);
	iox_writel(&e->regs, SMMU2_PAGE + SMMU2_CBAR(0), 1);
	KUNIT_EXPECT_EQ(test, t_bugs(e, ARM_SMMU_MODEL_BUG_LIVE_CB_WRITE), 3);
	/* the right order: disable the bank (or unroute it) first */
	cb_w(e, 0, SMMU2_CB_SCTLR, 0);
	cb_wq(e, 0, SMMU2_CB_TTBR0, pa(l0));
	cb_w(e, 0, SMMU2_CB_SCTLR, SCTLR_M);
	gr0_w(e, SMMU2_SMR(0), 0);
	cb_w(e, 0, SMMU2_CB_TCR, 16);
	KUNIT_EXPECT_EQ(test, arm_smmu_model_bugs(e->m), 3);
}

static void t_bug_enable_early(struct kunit *test)
{
	struct t_env *e = t_env(test, 4);

	cb_w(e, 1, SMMU2_CB_SCTLR, SCTLR_M);
	KUNIT_EXPECT_EQ(test, t_bugs(e, ARM_SMMU_MODEL_BUG_ENABLE_EARLY), 1);
	cb_w(e, 1, SMMU2_CB_SCTLR, 0);
	cb_wq(e, 1, SMMU2_CB_TTBR0, 0x1000);
	cb_w(e, 1, SMMU2_CB_SCTLR, SCTLR_M);	/* TCR still unwritten */
	cb_w(e, 1, SMMU2_CB_SCTLR, 0);
	cb_w(e, 1, SMMU2_CB_TCR, 16);
	cb_w(e, 1, SMMU2_CB_SCTLR, SCTLR_M);
	KUNIT_EXPECT_EQ(test, arm_smmu_model_bugs(e->m), 2);
	/* a reset forgets what was written */
	arm_smmu_model_reset(e->m);
	cb_w(e, 1, SMMU2_CB_SCTLR, SCTLR_M);
	KUNIT_EXPECT_EQ(test, arm_smmu_model_bugs(e->m), 3);
}

static struct kunit_case iox_arm_smmu_model_cases[] = {
	KUNIT_CASE(t_reset_values),
	KUNIT_CASE(t_idr_read_only),
	KUNIT_CASE(t_undefined_register),
	KUNIT_CASE(t_clientpd_bypass),
	KUNIT_CASE(t_s1_lpae),
	KUNIT_CASE(t_s2),
	KUNIT_CASE(t_v7s),
	KUNIT_CASE(t_permission),
	KUNIT_CASE(t_unmapped_fault),
	KUNIT_CASE(t_stream_match),
	KUNIT_CASE(t_stream_indexing),
	KUNIT_CASE(t_tlb_stale),
	KUNIT_CASE(t_tlb_eviction),
	KUNIT_CASE(t_bug_live_write),
	KUNIT_CASE(t_bug_enable_early),
	{}
};

struct kunit_suite iox_arm_smmu_model_test_suite = {
	.name = "iox_arm_smmu_model",
	.init = t_init,
	.exit = t_exit,
	.test_cases = iox_arm_smmu_model_cases,
};
