/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The Qualcomm MSM IOMMU (MSM8x60, MSM8960): the registers the driver
 * uses, from the layout of Linux's old
 * arch/arm/mach-msm/include/mach/iommu_hw-8xxx.h (later
 * drivers/iommu/msm_iommu_hw-8xxx.h). The short-descriptor table format
 * and its fault status are ARMv7-A's (ARM DDI 0406C B3.5, B4.1.52).
 */
#ifndef _IOX_MSM_HW_H
#define _IOX_MSM_HW_H

#include <linux/bits.h>

/* Global registers, one page at the top of the space. */
#define MSM_M2VCBR(mid)		(0xff000 + 4 * (mid))
#define M2VCBR_VMID		GENMASK(4, 0)
#define M2VCBR_CBNDX		GENMASK(15, 8)
#define MSM_CBACR(cb)		(0xff800 + 4 * (cb))
#define CBACR_CBVMID		GENMASK(20, 16)
#define MSM_GLOBAL_TLBIALL	0xfff00
#define MSM_CR			0xfff80
#define MSM_ESR			0xfff88
#define MSM_IDR			0xffff8
#define IDR_NM2VCBMT		GENMASK(8, 0)
#define IDR_NCB			GENMASK(23, 16)

/* Context bank n's registers: page n. */
#define MSM_CTX(n, reg)		(((n) << 12) + (reg))
#define CTX_SCTLR		0x000
#define SCTLR_M			BIT(0)
#define SCTLR_AFE		BIT(2)
#define CTX_ACTLR		0x004
#define ACTLR_CFERE		BIT(0)	/* fault: error response */
#define ACTLR_CFEIE		BIT(1)	/* fault: interrupt */
#define CTX_CONTEXTIDR		0x008
#define CONTEXTIDR_ASID		GENMASK(7, 0)
#define CTX_TTBR0		0x010
#define TTBR_IRGN_WBWA		BIT(6)	/* IRGN[0]; IRGN[1] (bit 0) clear */
#define TTBR_S			BIT(1)
#define TTBR_RGN_WBWA		BIT(3)
#define CTX_TTBCR		0x018
#define CTX_FSR			0x020
/* Fault status (FSR, W1C): the fault bits, SS and MULTI besides. */
#define FSR_FAULT		(BIT(16) | GENMASK(7, 1))
#define FSR_ALL			(FSR_FAULT | BIT(30) | BIT(31))
#define CTX_FAR			0x028
#define CTX_FSYNR0		0x02c
#define FSYNR0_AMID		GENMASK(7, 0)
#define CTX_FSYNR1		0x030
#define FSYNR1_AWRITE		BIT(8)
#define CTX_TLBIALL		0x800
#define CTX_TLBIVA		0x808
#define TLBIVA_ASID		GENMASK(7, 0)

#endif /* _IOX_MSM_HW_H */
