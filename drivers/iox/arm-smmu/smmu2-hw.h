/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ARM SMMU architecture version 1 and 2 (MMU-400/401, MMU-500): the
 * register layout the driver uses. Section numbers are of ARM IHI 0062D
 * ("ARM System Memory Management Unit Architecture Specification, SMMU
 * architecture version 2.0"), chapter 10 (global address space 0 and 1)
 * and chapter 11 (translation context banks).
 */
#ifndef _IOX_SMMU2_HW_H
#define _IOX_SMMU2_HW_H

#include <linux/bits.h>

/* Global address space 0 (10.6): page 0 of the register space. */
#define SMMU_SCR0		0x000
#define SCR0_CLIENTPD		BIT(0)
#define SCR0_GFRE		BIT(1)
#define SCR0_GFIE		BIT(2)
#define SCR0_GCFGFRE		BIT(4)
#define SCR0_GCFGFIE		BIT(5)
#define SCR0_USFCFG		BIT(10)	/* 1: unmatched streams fault */
#define SCR0_VMIDPNE		BIT(11)
#define SCR0_PTM		BIT(12)
#define SCR0_FB			BIT(13)
#define SCR0_BSU		GENMASK(15, 14)
#define SMMU_IDR0		0x020
#define IDR0_NUMSMRG		GENMASK(7, 0)
#define IDR0_NUMSIDB		GENMASK(12, 9)
#define IDR0_PTFS		GENMASK(25, 24)	/* 0: AArch32 short and long */
#define IDR0_SMS		BIT(27)	/* stream matching */
#define IDR0_S2TS		BIT(29)
#define IDR0_S1TS		BIT(30)
#define SMMU_IDR1		0x024
#define IDR1_NUMCB		GENMASK(7, 0)
#define IDR1_NUMS2CB		GENMASK(23, 16)
#define IDR1_NUMPAGENDXB	GENMASK(30, 28)
#define IDR1_PAGESIZE		BIT(31)	/* 1: 64K register pages */
#define SMMU_IDR2		0x028
#define IDR2_IAS		GENMASK(3, 0)
#define IDR2_OAS		GENMASK(7, 4)
#define IDR2_UBS		GENMASK(11, 8)
#define IDR2_PTFSV8_4K		BIT(12)
#define SMMU_IDR7		0x03c
#define SMMU_SGFAR		0x040
#define SMMU_SGFSR		0x048
#define SMMU_SGFSYNR0		0x050
#define SMMU_SGFSYNR1		0x054
#define SGFSYNR0_WNR		BIT(1)
#define SGFSYNR1_SID		GENMASK(15, 0)
#define SGFSR_USF		BIT(1)	/* unidentified stream */
#define SGFSR_MULTI		BIT(31)
#define SMMU_TLBIVMID		0x064
#define SMMU_TLBIALLNSNH	0x068
#define SMMU_TLBIALLH		0x06c
#define SMMU_STLBGSYNC		0x070
#define SMMU_STLBGSTATUS	0x074
#define STLBGSTATUS_GSACTIVE	BIT(0)
#define SMMU_SMR(n)		(0x800 + 4 * (n))
#define SMR_VALID		BIT(31)
#define SMR_MASK		GENMASK(30, 16)
#define SMR_ID			GENMASK(14, 0)
#define SMMU_S2CR(n)		(0xc00 + 4 * (n))
#define S2CR_CBNDX		GENMASK(7, 0)
#define S2CR_TYPE		GENMASK(17, 16)
#define S2CR_TYPE_TRANS		0
#define S2CR_TYPE_BYPASS	1
#define S2CR_TYPE_FAULT		2

/* Global address space 1 (10.7): page 1. */
#define SMMU_CBAR(n)		(0x000 + 4 * (n))
#define CBAR_VMID		GENMASK(7, 0)
#define CBAR_TYPE		GENMASK(17, 16)
#define CBAR_TYPE_S2		0
#define CBAR_TYPE_S1_S2BYPASS	1
#define CBAR_IRPTNDX		GENMASK(31, 24)
#define SMMU_CBFRSYNRA(n)	(0x400 + 4 * (n))
#define CBFRSYNRA_SID		GENMASK(15, 0)
#define SMMU_CBA2R(n)		(0x800 + 4 * (n))
#define CBA2R_VA64		BIT(0)

/* A translation context bank (11.4), its own register page. */
#define CB_SCTLR		0x000
#define SCTLR_M			BIT(0)
#define SCTLR_TRE		BIT(1)
#define SCTLR_AFE		BIT(2)
#define SCTLR_CFRE		BIT(5)
#define SCTLR_CFIE		BIT(6)
#define CB_TCR2			0x010
#define TCR2_PASIZE		GENMASK(2, 0)
#define TCR2_AS			BIT(4)	/* 16-bit ASIDs, from TTBR0 */
#define CB_TTBR0		0x020
#define TTBR_ASID		GENMASK_ULL(63, 48)
#define CB_TCR			0x030
#define SMMU_TCR_T0SZ		GENMASK(5, 0)
#define SMMU_TCR_SL0			GENMASK(7, 6)	/* stage 2 */
#define SMMU_TCR_IRGN0		GENMASK(9, 8)
#define SMMU_TCR_ORGN0		GENMASK(11, 10)
#define SMMU_TCR_SH0			GENMASK(13, 12)
#define SMMU_TCR_TG0			GENMASK(15, 14)
#define SMMU_TCR_PS			GENMASK(18, 16)	/* stage 2 */
#define SMMU_TCR_EPD1		BIT(23)		/* stage 1 */
#define SMMU_TCR_WBWA		1
#define SMMU_TCR_SH_IS		3
#define CB_CONTEXTIDR		0x034
#define CB_MAIR0		0x038
#define CB_MAIR1		0x03c
#define CB_FSR			0x058
#define FSR_TF			BIT(1)
#define FSR_AFF			BIT(2)
#define FSR_PF			BIT(3)
#define FSR_EF			BIT(4)
#define FSR_TLBMCF		BIT(5)
#define FSR_TLBLKF		BIT(6)
#define FSR_ASF			BIT(7)
#define FSR_UUT			BIT(8)
#define FSR_SS			BIT(30)
#define FSR_MULTI		BIT(31)
#define FSR_FAULT		(GENMASK(8, 1) | FSR_SS | FSR_MULTI)
#define CB_FAR			0x060
#define CB_FSYNR0		0x068
#define FSYNR0_WNR		BIT(4)
#define FSYNR0_PNU		BIT(5)
#define FSYNR0_IND		BIT(6)
#define CB_TLBIVA		0x600
#define CB_TLBIASID		0x610
#define CB_TLBIALL		0x618
#define CB_TLBIVAL		0x620
#define CB_TLBIIPAS2		0x630
#define CB_TLBIIPAS2L		0x638
#define CB_TLBSYNC		0x7f0
#define CB_TLBSTATUS		0x7f4
#define TLBSTATUS_SACTIVE	BIT(0)

/* AArch32 short-descriptor TTBR0 (B4.1.154 of ARM DDI 0406C): walk attrs. */
#define TTBR_V7S_IRGN_WBWA	BIT(6)	/* IRGN[0]; IRGN[1] (bit 0) clear */
#define TTBR_V7S_S		BIT(1)
#define TTBR_V7S_RGN_WBWA	BIT(3)

#endif /* _IOX_SMMU2_HW_H */
