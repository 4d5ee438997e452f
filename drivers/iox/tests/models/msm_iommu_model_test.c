// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit suite iox_msm_iommu_model: the MSM IOMMU model itself, no driver.
 * The cases program the registers through the iox_regs seam as a driver
 * would, and build the tables by hand, descriptor by descriptor, from the
 * ARMv7-A ARM (DDI 0406C) B3.5.1 short-descriptor formats, so the model
 * is checked against the spec rather than against an engine's encoder.
 */
#include <kunit/test.h>
#include <linux/bitfield.h>
#include <linux/err.h>
#include <linux/io.h>
#include <linux/kernel.h>
#include <linux/mm.h>
#include <linux/sizes.h>
#include "../iox-test.h"
#include "../model-suites.h"
#include "msm-iommu-model.h"

#define T_NCB		4
#define T_NMID		8
#define T_TLB		8
#define T_REV		0x21
#define T_TABLES	2	/* first-level tables, 16K each */
#define T_L2		4	/* second-level tables, one page each */

/* AP[2:0] (B3.7.1, SCTLR.AFE = 0): full access, read-only */
#define AP_RW		3
#define AP_RO		7

struct msmm_t {
	struct msm_iommu_model *m;
	struct iox_regs regs;
	u32 *l1[T_TABLES];
	u32 *l2[T_L2];
	unsigned int irqs, irq_cb;
	u32 irq_fsr;
};

static void msmm_t_irq(void *data, unsigned int cb)
{
	struct msmm_t *t = data;

	/* As a handler would: FSR through the seam, clock on. */
	t->irqs++;
	t->irq_cb = cb;
	t->irq_fsr = iox_readl(&t->regs, MSMM_CTX(cb, MSMM_FSR));
}

static int msmm_t_model(struct kunit *test, unsigned int tlb_entries)
{
	struct msmm_t *t = test->priv;
	struct msm_iommu_model_config cfg = {
		.ncb = T_NCB, .nmid = T_NMID, .tlb_entries = tlb_entries,
		.rev = T_REV, .irq = msmm_t_irq, .irq_data = t,
	};

	msm_iommu_model_destroy(t->m);
	t->m = msm_iommu_model_create(&cfg);
	if (IS_ERR(t->m)) {
		int ret = PTR_ERR(t->m);

		t->m = NULL;
		return ret;
	}
	msm_iommu_model_regs(t->m, &t->regs);
	msm_iommu_model_clk_set(t->m, true);
	return 0;
}

static u32 t_phys(const void *p)
{
	/* virt_to_phys() of 6.1's x86 takes a non-const pointer. */
	return (u32)virt_to_phys((void *)p);
}

/* Idempotent: also the failed init's clean-up. */
static void msmm_t_exit(struct kunit *test)
{
	struct msmm_t *t = test->priv;
	unsigned int i;

	if (!t)
		return;
	msm_iommu_model_destroy(t->m);
	t->m = NULL;
	for (i = 0; i < T_TABLES; i++) {
		if (t->l1[i])
			free_pages((unsigned long)t->l1[i], 2);
		t->l1[i] = NULL;
	}
	for (i = 0; i < T_L2; i++) {
		if (t->l2[i])
			free_page((unsigned long)t->l2[i]);
		t->l2[i] = NULL;
	}
}

static int msmm_t_init(struct kunit *test)
{
	struct msmm_t *t = kunit_kzalloc(test, sizeof(*t), GFP_KERNEL);
	unsigned int i;
	int ret = -ENOMEM;

	if (!t)
		return -ENOMEM;
	test->priv = t;
	/* The unit's table addresses are 32-bit: tables below 4 GiB. */
	for (i = 0; i < T_TABLES; i++) {
		t->l1[i] = (u32 *)__get_free_pages(GFP_KERNEL | GFP_DMA32 |
						   __GFP_ZERO, 2);
		if (!t->l1[i] || upper_32_bits(virt_to_phys(t->l1[i])))
			goto fail;
	}
	for (i = 0; i < T_L2; i++) {
		t->l2[i] = (u32 *)get_zeroed_page(GFP_KERNEL | GFP_DMA32);
		if (!t->l2[i] || upper_32_bits(virt_to_phys(t->l2[i])))
			goto fail;
	}
	ret = msmm_t_model(test, T_TLB);
	if (!ret)
		return 0;
fail:
	msmm_t_exit(test);
	return ret;
}

static u32 rd(struct msmm_t *t, unsigned int off)
{
	return iox_readl(&t->regs, off);
}

static void wr(struct msmm_t *t, unsigned int off, u32 val)
{
	iox_writel(&t->regs, off, val);
}

/* B3.5.1 descriptors, bit by bit. */
static u32 d_section(u32 pa, u8 ap)
{
	return (pa & 0xfff00000) | (ap & 4 ? BIT(15) : 0) |
	       (u32)(ap & 3) << 10 | BIT(17) /* nG */ | 0x2;
}

static void d_supersection(u32 *l1, u32 va, u32 pa, u8 ap)
{
	unsigned int i, first = (va >> 20) & ~15u;

	/* Repeated in 16 consecutive entries (B3.5.1). */
	for (i = 0; i < 16; i++)
		l1[first + i] = d_section(pa & 0xff000000, ap) | BIT(18);
}

static u32 d_table(const u32 *l2)
{
	return (t_phys(l2) & 0xfffffc00) | 0x1;
}

static u32 d_small(u32 pa, u8 ap)
{
	return (pa & 0xfffff000) | (ap & 4 ? BIT(9) : 0) |
	       (u32)(ap & 3) << 4 | BIT(11) /* nG */ | 0x2;
}

static void d_large(u32 *l2, u32 va, u32 pa, u8 ap)
{
	unsigned int i, first = (va >> 12) & 0xf0;
	u32 d = (pa & 0xffff0000) | (ap & 4 ? BIT(9) : 0) |
		(u32)(ap & 3) << 4 | BIT(11) | 0x1;

	for (i = 0; i < 16; i++)
		l2[first + i] = d;
}

/* A driver's order: route, tables, ASID, fault interrupt, then M. */
static void ctx_enable(struct msmm_t *t, unsigned int cb, unsigned int mid,
		       const u32 *l1, u8 asid)
{
	wr(t, MSMM_M2VCBR(mid), cb << 8);
	wr(t, MSMM_CTX(cb, MSMM_TTBCR), 0);
	wr(t, MSMM_CTX(cb, MSMM_TTBR0), t_phys(l1));
	wr(t, MSMM_CTX(cb, MSMM_CONTEXTIDR), asid);
	wr(t, MSMM_CTX(cb, MSMM_ACTLR), MSMM_ACTLR_CFEIE);
	wr(t, MSMM_CTX(cb, MSMM_SCTLR), MSMM_SCTLR_M);
}

static phys_addr_t dma(struct kunit *test, unsigned int mid, u32 iova,
		       bool write)
{
	struct msmm_t *t = test->priv;
	phys_addr_t pa = 0;

	KUNIT_EXPECT_EQ(test, msm_iommu_model_dma(t->m, mid, iova, write, &pa),
			0);
	return pa;
}

static void msmm_reset_values(struct kunit *test)
{
	struct msmm_t *t = test->priv;
	u32 idr = rd(t, MSMM_IDR);
	unsigned int cb, off;

	for (cb = 0; cb < T_NCB; cb++)
		for (off = MSMM_SCTLR; off <= MSMM_BFBCR; off += 4)
			if (off != 0x00C)	/* no register there */
				KUNIT_EXPECT_EQ(test, rd(t, MSMM_CTX(cb, off)), 0);
	KUNIT_EXPECT_EQ(test, rd(t, MSMM_M2VCBR(T_NMID - 1)), 0);
	KUNIT_EXPECT_EQ(test, rd(t, MSMM_CBACR(T_NCB - 1)), 0);
	KUNIT_EXPECT_EQ(test, rd(t, MSMM_CR), 0);
	KUNIT_EXPECT_EQ(test, rd(t, MSMM_ESR), 0);
	KUNIT_EXPECT_EQ(test, rd(t, MSMM_REV), T_REV);
	KUNIT_EXPECT_EQ(test, FIELD_GET(MSMM_IDR_NCB, idr), T_NCB);
	KUNIT_EXPECT_EQ(test, FIELD_GET(MSMM_IDR_NM2VCBMT, idr), T_NMID);
	KUNIT_EXPECT_EQ(test, msm_iommu_model_bugs(t->m), 0);
}

static void msmm_ro_and_masks(struct kunit *test)
{
	struct msmm_t *t = test->priv;
	u32 idr = rd(t, MSMM_IDR);

	wr(t, MSMM_REV, ~0u);
	wr(t, MSMM_IDR, ~0u);
	wr(t, MSMM_CTX(1, MSMM_V2PSR), ~0u);
	KUNIT_EXPECT_EQ(test, rd(t, MSMM_REV), T_REV);
	KUNIT_EXPECT_EQ(test, rd(t, MSMM_IDR), idr);
	KUNIT_EXPECT_EQ(test, rd(t, MSMM_CTX(1, MSMM_V2PSR)), 0);
	/* Write-only registers read 0; fields the header lacks stay 0. */
	KUNIT_EXPECT_EQ(test, rd(t, MSMM_CTX(1, MSMM_TLBIVA)), 0);
	KUNIT_EXPECT_EQ(test, rd(t, MSMM_GLOBAL_TLBIALL), 0);
	wr(t, MSMM_CTX(1, MSMM_TTBCR), ~0u);
	KUNIT_EXPECT_EQ(test, rd(t, MSMM_CTX(1, MSMM_TTBCR)), 0x37);
	wr(t, MSMM_CTX(1, MSMM_TTBR0), ~0u);
	KUNIT_EXPECT_EQ(test, rd(t, MSMM_CTX(1, MSMM_TTBR0)), 0xffffc07b);
	wr(t, MSMM_CTX(1, MSMM_SCTLR), ~0u & ~MSMM_SCTLR_M);
	KUNIT_EXPECT_EQ(test, rd(t, MSMM_CTX(1, MSMM_SCTLR)), 0x3e);
	wr(t, MSMM_M2VCBR(2), ~0u);
	KUNIT_EXPECT_EQ(test, rd(t, MSMM_M2VCBR(2)), 0x0fffff1f);
	KUNIT_EXPECT_EQ(test, msm_iommu_model_bugs(t->m), 0);
}

static void msmm_translate_sizes(struct kunit *test)
{
	struct msmm_t *t = test->priv;
	u32 *l1 = t->l1[0], *l2 = t->l2[0];
	struct msm_iommu_model_stats s;

	l1[0x001] = d_table(l2);
	l2[0x05] = d_small(0x12345000, AP_RW);		/* 4K at 0x105000 */
	d_large(l2, 0x00120000, 0x23450000, AP_RW);	/* 64K at 0x120000 */
	l1[0x020] = d_section(0x34500000, AP_RW);	/* 1M at 0x2000000 */
	d_supersection(l1, 0x05000000, 0x45000000, AP_RW); /* 16M */
	ctx_enable(t, 0, 0, l1, 1);

	KUNIT_EXPECT_EQ(test, dma(test, 0, 0x00105abc, false), 0x12345abc);
	KUNIT_EXPECT_EQ(test, dma(test, 0, 0x0012fff0, true), 0x2345fff0);
	KUNIT_EXPECT_EQ(test, dma(test, 0, 0x020fedc8, false), 0x345fedc8);
	KUNIT_EXPECT_EQ(test, dma(test, 0, 0x05abcdef, true), 0x45abcdef);
	KUNIT_EXPECT_EQ(test, dma(test, 0, 0x05f00123, false), 0x45f00123);
	msm_iommu_model_stats(t->m, &s);
	/* The last two share the supersection's one TLB entry. */
	KUNIT_EXPECT_EQ(test, s.walks, 4);
	KUNIT_EXPECT_EQ(test, s.tlb_hits, 1);
	KUNIT_EXPECT_EQ(test, msm_iommu_model_bugs(t->m), 0);
}

/* If the model ignored AP, the writes below would translate. */
static void msmm_ap_readonly(struct kunit *test)
{
	struct msmm_t *t = test->priv;
	u32 *l1 = t->l1[0], *l2 = t->l2[0];
	phys_addr_t pa;

	l1[0x001] = d_table(l2);
	l2[0x07] = d_small(0x50007000, AP_RO);
	l1[0x030] = d_section(0x60000000, AP_RO);
	ctx_enable(t, 2, 3, l1, 5);

	KUNIT_EXPECT_EQ(test, dma(test, 3, 0x00107010, false), 0x50007010);
	KUNIT_EXPECT_EQ(test, msm_iommu_model_dma(t->m, 3, 0x00107010, true,
						  &pa), -EFAULT);
	KUNIT_EXPECT_EQ(test, rd(t, MSMM_CTX(2, MSMM_FSR)),
			MSMM_FSR_APF | MSMM_FSR_SL);
	KUNIT_EXPECT_EQ(test, rd(t, MSMM_CTX(2, MSMM_FAR)), 0x00107010);
	KUNIT_EXPECT_EQ(test, rd(t, MSMM_CTX(2, MSMM_FSYNR0)), 3);
	KUNIT_EXPECT_EQ(test, rd(t, MSMM_CTX(2, MSMM_FSYNR1)),
			MSMM_FSYNR1_AWRITE);
	KUNIT_EXPECT_EQ(test, t->irqs, 1);
	wr(t, MSMM_CTX(2, MSMM_FSR), ~0u);

	/* A first-level leaf: no SL. */
	KUNIT_EXPECT_EQ(test, dma(test, 3, 0x03000004, false), 0x60000004);
	KUNIT_EXPECT_EQ(test, msm_iommu_model_dma(t->m, 3, 0x03000004, true,
						  &pa), -EFAULT);
	KUNIT_EXPECT_EQ(test, rd(t, MSMM_CTX(2, MSMM_FSR)), MSMM_FSR_APF);
	KUNIT_EXPECT_EQ(test, rd(t, MSMM_CTX(2, MSMM_FAR)), 0x03000004);
	KUNIT_EXPECT_EQ(test, msm_iommu_model_bugs(t->m), 0);
}

static void msmm_unmapped_fault_irq(struct kunit *test)
{
	struct msmm_t *t = test->priv;
	u32 *l1 = t->l1[0], *l2 = t->l2[0];
	phys_addr_t pa;

	l1[0x001] = d_table(l2);	/* second level all invalid */
	ctx_enable(t, 1, 4, l1, 2);

	KUNIT_EXPECT_EQ(test, msm_iommu_model_dma(t->m, 4, 0x00400000, false,
						  &pa), -EFAULT);
	KUNIT_EXPECT_EQ(test, t->irqs, 1);
	KUNIT_EXPECT_EQ(test, t->irq_cb, 1);
	KUNIT_EXPECT_EQ(test, t->irq_fsr, MSMM_FSR_TF);
	KUNIT_EXPECT_EQ(test, rd(t, MSMM_CTX(1, MSMM_FAR)), 0x00400000);
	KUNIT_EXPECT_EQ(test, rd(t, MSMM_CTX(1, MSMM_FSYNR0)), 4);
	KUNIT_EXPECT_EQ(test, rd(t, MSMM_CTX(1, MSMM_FSYNR1)), 0);

	/* A second fault, the first uncleared: MULTI, the first's syndrome. */
	KUNIT_EXPECT_EQ(test, msm_iommu_model_dma(t->m, 4, 0x00101000, true,
						  &pa), -EFAULT);
	KUNIT_EXPECT_EQ(test, t->irqs, 2);
	KUNIT_EXPECT_EQ(test, rd(t, MSMM_CTX(1, MSMM_FSR)),
			MSMM_FSR_TF | MSMM_FSR_MULTI);
	KUNIT_EXPECT_EQ(test, rd(t, MSMM_CTX(1, MSMM_FAR)), 0x00400000);
	wr(t, MSMM_CTX(1, MSMM_FSR), ~0u);

	/* A second-level miss says SL; no interrupt without CFEIE. */
	wr(t, MSMM_CTX(1, MSMM_ACTLR), 0);
	KUNIT_EXPECT_EQ(test, msm_iommu_model_dma(t->m, 4, 0x00101000, true,
						  &pa), -EFAULT);
	KUNIT_EXPECT_EQ(test, t->irqs, 2);
	KUNIT_EXPECT_EQ(test, rd(t, MSMM_CTX(1, MSMM_FSR)),
			MSMM_FSR_TF | MSMM_FSR_SL);
	KUNIT_EXPECT_EQ(test, rd(t, MSMM_CTX(1, MSMM_FSYNR1)),
			MSMM_FSYNR1_AWRITE);
	KUNIT_EXPECT_EQ(test, msm_iommu_model_bugs(t->m), 0);
}

static void msmm_fsr_w1c(struct kunit *test)
{
	struct msmm_t *t = test->priv;
	phys_addr_t pa;

	ctx_enable(t, 0, 0, t->l1[0], 1);
	wr(t, MSMM_CTX(0, MSMM_ACTLR), MSMM_ACTLR_CFCFG);	/* stall */
	KUNIT_EXPECT_EQ(test, msm_iommu_model_dma(t->m, 0, 0x1000, false, &pa),
			-EFAULT);
	KUNIT_EXPECT_EQ(test, rd(t, MSMM_CTX(0, MSMM_FSR)),
			MSMM_FSR_TF | MSMM_FSR_SS);
	wr(t, MSMM_CTX(0, MSMM_FSR), 0);
	KUNIT_EXPECT_EQ(test, rd(t, MSMM_CTX(0, MSMM_FSR)),
			MSMM_FSR_TF | MSMM_FSR_SS);
	wr(t, MSMM_CTX(0, MSMM_RESUME), MSMM_RESUME_TNR);
	KUNIT_EXPECT_EQ(test, rd(t, MSMM_CTX(0, MSMM_FSR)), MSMM_FSR_TF);
	wr(t, MSMM_CTX(0, MSMM_FSR), MSMM_FSR_APF);	/* not set: no-op */
	KUNIT_EXPECT_EQ(test, rd(t, MSMM_CTX(0, MSMM_FSR)), MSMM_FSR_TF);
	wr(t, MSMM_CTX(0, MSMM_FSR), MSMM_FSR_TF);
	KUNIT_EXPECT_EQ(test, rd(t, MSMM_CTX(0, MSMM_FSR)), 0);
	wr(t, MSMM_CTX(0, MSMM_FSRRESTORE), MSMM_FSR_AFF | BIT(20));
	KUNIT_EXPECT_EQ(test, rd(t, MSMM_CTX(0, MSMM_FSR)), MSMM_FSR_AFF);
	KUNIT_EXPECT_EQ(test, msm_iommu_model_bugs(t->m), 0);
}

static void msmm_m2vcbmt_routing(struct kunit *test)
{
	struct msmm_t *t = test->priv;
	phys_addr_t pa;

	t->l1[0][0x100] = d_section(0x10000000, AP_RW);
	t->l1[1][0x100] = d_section(0x20000000, AP_RW);
	ctx_enable(t, 1, 2, t->l1[0], 1);
	ctx_enable(t, 3, 5, t->l1[1], 2);

	KUNIT_EXPECT_EQ(test, dma(test, 2, 0x10012345, false), 0x10012345);
	KUNIT_EXPECT_EQ(test, dma(test, 5, 0x10012345, false), 0x20012345);
	/* A fault lands in the bank the MID is routed to. */
	KUNIT_EXPECT_EQ(test, msm_iommu_model_dma(t->m, 5, 0x30000000, false,
						  &pa), -EFAULT);
	KUNIT_EXPECT_EQ(test, t->irq_cb, 3);
	KUNIT_EXPECT_EQ(test, rd(t, MSMM_CTX(3, MSMM_FSR)), MSMM_FSR_TF);
	KUNIT_EXPECT_EQ(test, rd(t, MSMM_CTX(1, MSMM_FSR)), 0);
	/* A bank the unit lacks: the global ESR, EAR and ESYNR0. */
	wr(t, MSMM_M2VCBR(6), 9 << 8);
	KUNIT_EXPECT_EQ(test, msm_iommu_model_dma(t->m, 6, 0x4000, true, &pa),
			-EFAULT);
	KUNIT_EXPECT_EQ(test, rd(t, MSMM_ESR), MSMM_ESR_CFG);
	KUNIT_EXPECT_EQ(test, rd(t, MSMM_EAR), 0x4000);
	KUNIT_EXPECT_EQ(test, rd(t, MSMM_ESYNR0), 6);
	wr(t, MSMM_ESR, MSMM_ESR_CFG);
	KUNIT_EXPECT_EQ(test, rd(t, MSMM_ESR), 0);
	KUNIT_EXPECT_EQ(test, msm_iommu_model_dma(t->m, T_NMID, 0, false, &pa),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, msm_iommu_model_bugs(t->m), 0);
}

static void msmm_bypass(struct kunit *test)
{
	struct msmm_t *t = test->priv;
	struct msm_iommu_model_stats s;

	/* Out of reset every MID goes to bank 0, its MMU off. */
	KUNIT_EXPECT_EQ(test, dma(test, 7, 0xdeadbeef, true), 0xdeadbeef);
	ctx_enable(t, 0, 7, t->l1[0], 1);
	wr(t, MSMM_CTX(0, MSMM_SCTLR), 0);
	KUNIT_EXPECT_EQ(test, dma(test, 7, 0x12345678, false), 0x12345678);
	msm_iommu_model_stats(t->m, &s);
	KUNIT_EXPECT_EQ(test, s.bypassed, 2);
	KUNIT_EXPECT_EQ(test, s.walks, 0);
	KUNIT_EXPECT_EQ(test, msm_iommu_model_bugs(t->m), 0);
}

static void msmm_tlb_stale_until_tlbiva(struct kunit *test)
{
	struct msmm_t *t = test->priv;
	u32 *l2a = t->l2[0], *l2b = t->l2[1];

	t->l1[0][0] = d_table(l2a);
	t->l1[1][0] = d_table(l2b);
	l2a[0x10] = d_small(0x70010000, AP_RW);
	l2b[0x10] = d_small(0x80010000, AP_RW);
	ctx_enable(t, 0, 0, t->l1[0], 7);
	ctx_enable(t, 1, 1, t->l1[1], 8);
	KUNIT_EXPECT_EQ(test, dma(test, 0, 0x10008, false), 0x70010008);
	KUNIT_EXPECT_EQ(test, dma(test, 1, 0x10008, false), 0x80010008);

	/* The driver changes both tables, and has yet to invalidate. */
	l2a[0x10] = d_small(0x71010000, AP_RW);
	l2b[0x10] = d_small(0x81010000, AP_RW);
	KUNIT_EXPECT_EQ(test, dma(test, 0, 0x10008, false), 0x70010008);
	KUNIT_EXPECT_EQ(test, dma(test, 1, 0x10008, false), 0x80010008);

	/* Another VA, another ASID: still stale. */
	wr(t, MSMM_CTX(0, MSMM_TLBIVA), 0x11000 | 7);
	wr(t, MSMM_CTX(0, MSMM_TLBIVA), 0x10000 | 9);
	wr(t, MSMM_CTX(0, MSMM_TLBIASID), 9);
	KUNIT_EXPECT_EQ(test, dma(test, 0, 0x10008, false), 0x70010008);

	/* By VA and ASID 7: bank 0's entry only, ASID 8's stays. */
	wr(t, MSMM_CTX(0, MSMM_TLBIVA), 0x10000 | 7);
	KUNIT_EXPECT_EQ(test, dma(test, 0, 0x10008, false), 0x71010008);
	KUNIT_EXPECT_EQ(test, dma(test, 1, 0x10008, false), 0x80010008);

	wr(t, MSMM_CTX(1, MSMM_TLBIASID), 8);
	KUNIT_EXPECT_EQ(test, dma(test, 1, 0x10008, false), 0x81010008);

	/* TLBIALL and TLBIVAA drop what the bank's VMID holds. */
	l2a[0x10] = d_small(0x72010000, AP_RW);
	wr(t, MSMM_CTX(1, MSMM_CTX_TLBIALL), 0);
	KUNIT_EXPECT_EQ(test, dma(test, 0, 0x10008, false), 0x72010008);
	l2a[0x10] = d_small(0x73010000, AP_RW);
	wr(t, MSMM_CTX(0, MSMM_TLBIVAA), 0x10000);
	KUNIT_EXPECT_EQ(test, dma(test, 0, 0x10008, false), 0x73010008);
	KUNIT_EXPECT_EQ(test, msm_iommu_model_bugs(t->m), 0);
}

static void msmm_tlb_bounded(struct kunit *test)
{
	struct msmm_t *t = test->priv;
	struct msm_iommu_model_stats s;
	u32 *l2 = t->l2[0];

	KUNIT_ASSERT_EQ(test, msmm_t_model(test, 2), 0);
	t->l1[0][0] = d_table(l2);
	l2[0] = d_small(0x90000000, AP_RW);
	l2[1] = d_small(0x90001000, AP_RW);
	l2[2] = d_small(0x90002000, AP_RW);
	ctx_enable(t, 0, 0, t->l1[0], 1);
	dma(test, 0, 0x0000, false);
	dma(test, 0, 0x1000, false);
	dma(test, 0, 0x2000, false);	/* evicts page 0's entry */
	msm_iommu_model_stats(t->m, &s);
	KUNIT_EXPECT_EQ(test, s.evictions, 1);

	l2[0] = d_small(0x91000000, AP_RW);
	l2[2] = d_small(0x92002000, AP_RW);
	KUNIT_EXPECT_EQ(test, dma(test, 0, 0x0004, false), 0x91000004);
	KUNIT_EXPECT_EQ(test, dma(test, 0, 0x2004, false), 0x90002004);
	msm_iommu_model_stats(t->m, &s);
	KUNIT_EXPECT_EQ(test, s.walks, 4);
	KUNIT_EXPECT_EQ(test, s.tlb_hits, 1);
	KUNIT_EXPECT_EQ(test, msm_iommu_model_bugs(t->m), 0);
}

static void msmm_v2p_probe(struct kunit *test)
{
	struct msmm_t *t = test->priv;
	u32 *l1 = t->l1[0];

	l1[0x040] = d_section(0x0a100000, AP_RO);
	d_supersection(l1, 0x0b000000, 0xcc000000, AP_RW);
	ctx_enable(t, 0, 0, l1, 1);
	wr(t, MSMM_CTX(0, MSMM_V2PPR), 0x04012000);
	KUNIT_EXPECT_EQ(test, rd(t, MSMM_CTX(0, MSMM_PAR)), 0x0a112000);
	wr(t, MSMM_CTX(0, MSMM_V2PUR), 0x0b345000);
	KUNIT_EXPECT_EQ(test, rd(t, MSMM_CTX(0, MSMM_PAR)),
			0xcc345000 | MSMM_PAR_SS);
	wr(t, MSMM_CTX(0, MSMM_V2PUW), 0x04012000);
	KUNIT_EXPECT_EQ(test, rd(t, MSMM_CTX(0, MSMM_PAR)),
			MSMM_PAR_FAULT | MSMM_FSR_APF);
	wr(t, MSMM_CTX(0, MSMM_V2PPR), 0x05000000);
	KUNIT_EXPECT_EQ(test, rd(t, MSMM_CTX(0, MSMM_PAR)),
			MSMM_PAR_FAULT | MSMM_FSR_TF);
	/* Probes report in PAR only. */
	KUNIT_EXPECT_EQ(test, rd(t, MSMM_CTX(0, MSMM_FSR)), 0);
	KUNIT_EXPECT_EQ(test, t->irqs, 0);
	KUNIT_EXPECT_EQ(test, msm_iommu_model_bugs(t->m), 0);
}

static void msmm_access_flag_and_priv(struct kunit *test)
{
	struct msmm_t *t = test->priv;
	u32 *l1 = t->l1[0];
	phys_addr_t pa;

	l1[0x001] = d_section(0x00100000, 2);	/* AFE: AP[0] = 0 */
	l1[0x002] = d_section(0x00200000, 1);	/* privileged RW only */
	ctx_enable(t, 0, 0, l1, 1);
	KUNIT_EXPECT_EQ(test, msm_iommu_model_dma(t->m, 0, 0x200000, false,
						  &pa), -EFAULT);
	KUNIT_EXPECT_EQ(test, rd(t, MSMM_CTX(0, MSMM_FSR)), MSMM_FSR_APF);
	wr(t, MSMM_CTX(0, MSMM_FSR), ~0u);
	KUNIT_EXPECT_EQ(test, msm_iommu_model_access(t->m, 0, 0x200000,
						     MSM_IOMMU_MODEL_PRIV |
						     MSM_IOMMU_MODEL_WRITE,
						     &pa), 0);
	KUNIT_EXPECT_EQ(test, pa, 0x200000);

	/* AP = 010 is user read-only without AFE, a clear AF with it. */
	KUNIT_EXPECT_EQ(test, dma(test, 0, 0x100000, false), 0x100000);
	wr(t, MSMM_CTX(0, MSMM_SCTLR), 0);
	wr(t, MSMM_CTX(0, MSMM_TLBIASID), 1);
	wr(t, MSMM_CTX(0, MSMM_SCTLR), MSMM_SCTLR_M | MSMM_SCTLR_AFE);
	KUNIT_EXPECT_EQ(test, msm_iommu_model_dma(t->m, 0, 0x100000, false,
						  &pa), -EFAULT);
	KUNIT_EXPECT_EQ(test, rd(t, MSMM_CTX(0, MSMM_FSR)), MSMM_FSR_AFF);
	KUNIT_EXPECT_EQ(test, msm_iommu_model_bugs(t->m), 0);
}

static void msmm_bug_clock_off(struct kunit *test)
{
	struct msmm_t *t = test->priv;

	wr(t, MSMM_CTX(0, MSMM_CONTEXTIDR), 0x55);
	msm_iommu_model_clk_set(t->m, false);
	KUNIT_EXPECT_EQ(test, rd(t, MSMM_CTX(0, MSMM_CONTEXTIDR)), 0);
	KUNIT_EXPECT_EQ(test, msm_iommu_model_bugs(t->m), 1);
	wr(t, MSMM_CTX(0, MSMM_CONTEXTIDR), 0x66);
	KUNIT_EXPECT_EQ(test, msm_iommu_model_bugs(t->m), 2);
	msm_iommu_model_clk_set(t->m, true);
	KUNIT_EXPECT_EQ(test, rd(t, MSMM_CTX(0, MSMM_CONTEXTIDR)), 0x55);
	KUNIT_EXPECT_EQ(test, msm_iommu_model_bugs(t->m), 2);
}

static void msmm_bug_undefined(struct kunit *test)
{
	struct msmm_t *t = test->priv;

	KUNIT_EXPECT_EQ(test, rd(t, MSMM_CTX(0, 0x00C)), 0);
	KUNIT_EXPECT_EQ(test, msm_iommu_model_bugs(t->m), 1);
	wr(t, MSMM_CTX(1, 0x050), 1);
	KUNIT_EXPECT_EQ(test, msm_iommu_model_bugs(t->m), 2);
	rd(t, MSMM_CTX(T_NCB, MSMM_SCTLR));	/* a bank it lacks */
	KUNIT_EXPECT_EQ(test, msm_iommu_model_bugs(t->m), 3);
	rd(t, MSMM_M2VCBR(T_NMID));		/* a MID it lacks */
	KUNIT_EXPECT_EQ(test, msm_iommu_model_bugs(t->m), 4);
	rd(t, MSMM_CTX(0, MSMM_FSR) + 2);	/* misaligned */
	KUNIT_EXPECT_EQ(test, msm_iommu_model_bugs(t->m), 5);
	iox_readq(&t->regs, MSMM_CTX(0, MSMM_TTBR0));
	KUNIT_EXPECT_EQ(test, msm_iommu_model_bugs(t->m), 6);
	wr(t, 0xFFF08, 1);			/* a hole in the global page */
	KUNIT_EXPECT_EQ(test, msm_iommu_model_bugs(t->m), 7);
}

static void msmm_bug_wrong_order(struct kunit *test)
{
	struct msmm_t *t = test->priv;

	/* M before any TTBR0. */
	wr(t, MSMM_CTX(2, MSMM_SCTLR), MSMM_SCTLR_M);
	KUNIT_EXPECT_EQ(test, msm_iommu_model_bugs(t->m), 1);
	wr(t, MSMM_CTX(2, MSMM_SCTLR), 0);

	ctx_enable(t, 1, 3, t->l1[0], 4);
	KUNIT_EXPECT_EQ(test, msm_iommu_model_bugs(t->m), 1);
	/* Live (M set, MID 3 routed to it): its tables must not change. */
	wr(t, MSMM_CTX(1, MSMM_TTBR0), t_phys(t->l1[1]));
	KUNIT_EXPECT_EQ(test, msm_iommu_model_bugs(t->m), 2);
	wr(t, MSMM_CTX(1, MSMM_CONTEXTIDR), 5);
	KUNIT_EXPECT_EQ(test, msm_iommu_model_bugs(t->m), 3);
	wr(t, MSMM_CTX(1, MSMM_TTBCR), 0);
	KUNIT_EXPECT_EQ(test, msm_iommu_model_bugs(t->m), 4);
	/* M cleared first: the right order. */
	wr(t, MSMM_CTX(1, MSMM_SCTLR), 0);
	wr(t, MSMM_CTX(1, MSMM_TTBR0), t_phys(t->l1[0]));
	wr(t, MSMM_CTX(1, MSMM_SCTLR), MSMM_SCTLR_M);
	/* M set but no MID routed: free to change. */
	wr(t, MSMM_M2VCBR(3), 0);
	wr(t, MSMM_CTX(1, MSMM_CONTEXTIDR), 6);
	KUNIT_EXPECT_EQ(test, msm_iommu_model_bugs(t->m), 4);
}

static void msmm_bad_config(struct kunit *test)
{
	struct msm_iommu_model_config cfg = {
		.ncb = MSM_IOMMU_MODEL_MAX_CB + 1, .nmid = 1, .tlb_entries = 1,
	};

	KUNIT_EXPECT_EQ(test, PTR_ERR(msm_iommu_model_create(&cfg)), -EINVAL);
	cfg.ncb = 1;
	cfg.tlb_entries = 0;
	KUNIT_EXPECT_EQ(test, PTR_ERR(msm_iommu_model_create(&cfg)), -EINVAL);
}

static struct kunit_case msmm_cases[] = {
	KUNIT_CASE(msmm_reset_values),
	KUNIT_CASE(msmm_ro_and_masks),
	KUNIT_CASE(msmm_translate_sizes),
	KUNIT_CASE(msmm_ap_readonly),
	KUNIT_CASE(msmm_unmapped_fault_irq),
	KUNIT_CASE(msmm_fsr_w1c),
	KUNIT_CASE(msmm_m2vcbmt_routing),
	KUNIT_CASE(msmm_bypass),
	KUNIT_CASE(msmm_tlb_stale_until_tlbiva),
	KUNIT_CASE(msmm_tlb_bounded),
	KUNIT_CASE(msmm_v2p_probe),
	KUNIT_CASE(msmm_access_flag_and_priv),
	KUNIT_CASE(msmm_bug_clock_off),
	KUNIT_CASE(msmm_bug_undefined),
	KUNIT_CASE(msmm_bug_wrong_order),
	KUNIT_CASE(msmm_bad_config),
	{}
};

struct kunit_suite iox_msm_iommu_model_test_suite = {
	.name = "iox_msm_iommu_model",
	.init = msmm_t_init,
	.exit = msmm_t_exit,
	.test_cases = msmm_cases,
};
