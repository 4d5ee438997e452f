/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A register-level model of the original Qualcomm MSM IOMMU (MSM8x60,
 * MSM8960), for tests: no emulator models it, so a driver of it is proven
 * against this model. Written from the register layout in Linux's old
 * arch/arm/mach-msm/include/mach/iommu_hw-8xxx.h (later
 * drivers/iommu/msm_iommu_hw-8xxx.h, "the header" below) and, for the
 * translation table format and its access permissions, from the ARMv7-A
 * ARM (DDI 0406C) B3.5 and B3.7; apart from any driver.
 *
 * The header gives offsets and fields but neither reset values nor much
 * behaviour: where the model had to choose, the choice is said where it
 * is made, and summed up in msm-iommu-model.c.
 */
#ifndef _IOX_MSM_IOMMU_MODEL_H
#define _IOX_MSM_IOMMU_MODEL_H

#include <linux/bits.h>
#include <linux/iox-regs.h>
#include <linux/types.h>

/* Header: CTX_SHIFT; context bank n's registers are at n << 12. */
#define MSMM_CTX_SHIFT		12
#define MSMM_CTX(n, reg)	(((n) << MSMM_CTX_SHIFT) + (reg))

/* Header "Global Registers": one page at 0xFF000. */
#define MSMM_M2VCBR(mid)	(0xFF000 + 4 * (mid))	/* M2VCBR_N */
#define MSMM_CBACR(cb)		(0xFF800 + 4 * (cb))	/* CBACR_N */
#define MSMM_TLBRSW		0xFFE00
#define MSMM_TLBTR0		0xFFE80
#define MSMM_TLBTR1		0xFFE84
#define MSMM_TLBTR2		0xFFE88
#define MSMM_TESTBUSCR		0xFFE8C
#define MSMM_GLOBAL_TLBIALL	0xFFF00
#define MSMM_TLBIVMID		0xFFF04
#define MSMM_CR			0xFFF80
#define MSMM_EAR		0xFFF84
#define MSMM_ESR		0xFFF88
#define MSMM_ESRRESTORE		0xFFF8C
#define MSMM_ESYNR0		0xFFF90
#define MSMM_ESYNR1		0xFFF94
#define MSMM_REV		0xFFFF4
#define MSMM_IDR		0xFFFF8
#define MSMM_RPU_ACR		0xFFFFC

/* Header "Context Bank Registers": offsets within a context's page. */
#define MSMM_SCTLR		0x000
#define MSMM_ACTLR		0x004
#define MSMM_CONTEXTIDR		0x008
#define MSMM_TTBR0		0x010
#define MSMM_TTBR1		0x014
#define MSMM_TTBCR		0x018
#define MSMM_PAR		0x01C
#define MSMM_FSR		0x020
#define MSMM_FSRRESTORE		0x024
#define MSMM_FAR		0x028
#define MSMM_FSYNR0		0x02C
#define MSMM_FSYNR1		0x030
#define MSMM_PRRR		0x034
#define MSMM_NMRR		0x038
#define MSMM_TLBLCKR		0x03C
#define MSMM_V2PSR		0x040
#define MSMM_TLBFLPTER		0x044
#define MSMM_TLBSLPTER		0x048
#define MSMM_BFBCR		0x04C
#define MSMM_CTX_TLBIALL	0x800
#define MSMM_TLBIASID		0x804
#define MSMM_TLBIVA		0x808
#define MSMM_TLBIVAA		0x80C
#define MSMM_V2PPR		0x810
#define MSMM_V2PPW		0x814
#define MSMM_V2PUR		0x818
#define MSMM_V2PUW		0x81C
#define MSMM_RESUME		0x820

/* M2VCBRn (header *_SHIFT/_MASK): a master's VMID and context bank. */
#define MSMM_M2VCBR_VMID	GENMASK(4, 0)
#define MSMM_M2VCBR_CBNDX	GENMASK(15, 8)
#define MSMM_M2VCBR_BYPASSD	BIT(16)
#define MSMM_M2VCBR_NSCFG	GENMASK(23, 22)
#define MSMM_M2VCBR_BPMEMTYPE	GENMASK(27, 25)
#define MSMM_M2VCBR_MASK	(GENMASK(27, 16) | MSMM_M2VCBR_CBNDX | \
				 MSMM_M2VCBR_VMID)

/* CBACRn: RWVMID[4:0], RWE 8, RWGE 9, CBVMID[20:16], IRPTNDX[31:24] */
#define MSMM_CBACR_CBVMID	GENMASK(20, 16)
#define MSMM_CBACR_MASK		(GENMASK(31, 24) | MSMM_CBACR_CBVMID | \
				 GENMASK(9, 8) | GENMASK(4, 0))

/* CR: RPUE 0 ... CR_HUME 9 */
#define MSMM_CR_MASK		GENMASK(9, 0)

/* ESR: CFG 0, BYPASS 1, ESR_MULTI 31; ESYNR0: AMID[7:0] */
#define MSMM_ESR_CFG		BIT(0)
#define MSMM_ESR_BYPASS		BIT(1)
#define MSMM_ESR_MULTI		BIT(31)
#define MSMM_ESR_MASK		(MSMM_ESR_MULTI | MSMM_ESR_BYPASS | \
				 MSMM_ESR_CFG)
#define MSMM_ESYNR0_AMID	GENMASK(7, 0)

/* IDR: NM2VCBMT[8:0], HTW 9, HUM 10, TLBSIZE[15:12], NCB[23:16], NIRPT[31:24] */
#define MSMM_IDR_NM2VCBMT	GENMASK(8, 0)
#define MSMM_IDR_HTW		BIT(9)
#define MSMM_IDR_TLBSIZE	GENMASK(15, 12)
#define MSMM_IDR_NCB		GENMASK(23, 16)
#define MSMM_IDR_NIRPT		GENMASK(31, 24)

/* SCTLR: M 0, TRE 1, AFE 2, HAF 3, BE 4, AFFD 5 */
#define MSMM_SCTLR_M		BIT(0)
#define MSMM_SCTLR_TRE		BIT(1)
#define MSMM_SCTLR_AFE		BIT(2)
#define MSMM_SCTLR_HAF		BIT(3)
#define MSMM_SCTLR_MASK		GENMASK(5, 0)

/*
 * ACTLR: the header puts the context fault controls here, not in SCTLR:
 * CFERE 0, CFEIE 1, ..., DNLV2PA 11, TLBMCFG[13:12], CFCFG 14, ...,
 * PTMEMTYPE[23:21]; bits 7 and 19 are not defined.
 */
#define MSMM_ACTLR_CFERE	BIT(0)
#define MSMM_ACTLR_CFEIE	BIT(1)
#define MSMM_ACTLR_DNLV2PA	BIT(11)
#define MSMM_ACTLR_CFCFG	BIT(14)
#define MSMM_ACTLR_MASK		(GENMASK(23, 20) | GENMASK(18, 8) | \
				 GENMASK(6, 0))

/* CONTEXTIDR: ASID[7:0], PROCID[31:8] */
#define MSMM_CONTEXTIDR_ASID	GENMASK(7, 0)

/* TTBRn: IRGNH 0, SH 1, ORGN[4:3], NOS 5, IRGNL 6, PA[31:14] */
#define MSMM_TTBR_PA		GENMASK(31, 14)
#define MSMM_TTBR_MASK		(MSMM_TTBR_PA | GENMASK(6, 3) | GENMASK(1, 0))

/*
 * TTBCR: the header has N_SHIFT 3 with a 3-bit mask, overlapping PD0 (4)
 * and PD1 (5); the model follows the ARM ARM (B4.1.153): N[2:0].
 */
#define MSMM_TTBCR_N		GENMASK(2, 0)
#define MSMM_TTBCR_PD0		BIT(4)
#define MSMM_TTBCR_PD1		BIT(5)
#define MSMM_TTBCR_MASK		(MSMM_TTBCR_PD1 | MSMM_TTBCR_PD0 | \
				 MSMM_TTBCR_N)

/* FSR (write one to clear): TF 1, AFF 2, APF 3, ..., SL 16, SS 30, MULTI 31 */
#define MSMM_FSR_TF		BIT(1)
#define MSMM_FSR_AFF		BIT(2)
#define MSMM_FSR_APF		BIT(3)
#define MSMM_FSR_TLBMF		BIT(4)
#define MSMM_FSR_HTWDEEF	BIT(5)
#define MSMM_FSR_HTWSEEF	BIT(6)
#define MSMM_FSR_MHF		BIT(7)
#define MSMM_FSR_SL		BIT(16)
#define MSMM_FSR_SS		BIT(30)
#define MSMM_FSR_MULTI		BIT(31)
#define MSMM_FSR_MASK		(MSMM_FSR_MULTI | MSMM_FSR_SS | \
				 MSMM_FSR_SL | GENMASK(7, 1))
/* The bits that record a fault (SS and MULTI only go with one). */
#define MSMM_FSR_FAULT		(MSMM_FSR_SL | GENMASK(7, 1))

/* FSYNR0: AMID[7:0]; FSYNR1: APRIV 5, AINST 7, AWRITE 8 */
#define MSMM_FSYNR0_AMID	GENMASK(7, 0)
#define MSMM_FSYNR1_APRIV	BIT(5)
#define MSMM_FSYNR1_AINST	BIT(7)
#define MSMM_FSYNR1_AWRITE	BIT(8)

/*
 * PAR: FAULT 0; with a fault, the FSR's fault bits at their FSR places;
 * without, NOFAULT_SS 1 (supersection), PA[31:12].
 */
#define MSMM_PAR_FAULT		BIT(0)
#define MSMM_PAR_SS		BIT(1)
#define MSMM_PAR_PA		GENMASK(31, 12)

/* V2PSR: HIT 0, INDEX[15:8]; TLBLCKR: LKE 0 ... FLOOR/VICTIM[15:8] */
#define MSMM_V2PSR_HIT		BIT(0)
#define MSMM_TLBLCKR_MASK	(GENMASK(15, 8) | GENMASK(3, 0))
/* BFBCR: BFBDFE 0, BFBSFE 1, SFVS 2, FLVIC[7:4], SLVIC[11:8] */
#define MSMM_BFBCR_MASK		(GENMASK(11, 4) | GENMASK(2, 0))

/* TLBIASID: ASID[7:0]; TLBIVA: ASID[7:0], VA[31:12]; TLBIVAA: VA[31:12] */
#define MSMM_TLBI_ASID		GENMASK(7, 0)
#define MSMM_TLBI_VA		GENMASK(31, 12)
/* TLBIVMID: VMID[4:0]; V2Pxx: INDEX[7:0], VA[31:12]; RESUME: TNR 0 */
#define MSMM_TLBIVMID_VMID	GENMASK(4, 0)
#define MSMM_V2P_VA		GENMASK(31, 12)
#define MSMM_RESUME_TNR		BIT(0)

/* Limits of the model (the header's fields allow more). */
#define MSM_IOMMU_MODEL_MAX_CB	16
#define MSM_IOMMU_MODEL_MAX_MID	128
#define MSM_IOMMU_MODEL_MAX_TLB	64

struct msm_iommu_model;

/**
 * struct msm_iommu_model_config - what an instance has
 * @ncb: context banks, 1..MSM_IOMMU_MODEL_MAX_CB
 * @nmid: master ports (M2VCBR entries), 1..MSM_IOMMU_MODEL_MAX_MID
 * @tlb_entries: TLB entries, 1..MSM_IOMMU_MODEL_MAX_TLB; replaced in
 *	round-robin order, so a test knows which entry a fill evicts
 * @rev: the REV register's value (MAJOR[7:4], MINOR[3:0])
 * @irq: the context interrupt, or NULL: called with the context bank
 *	whose fault raised it, synchronously from the faulting access,
 *	without the model's lock (a handler may access the registers)
 * @irq_data: passed to @irq
 */
struct msm_iommu_model_config {
	unsigned int ncb;
	unsigned int nmid;
	unsigned int tlb_entries;
	u32 rev;
	void (*irq)(void *irq_data, unsigned int cb);
	void *irq_data;
};

/**
 * struct msm_iommu_model_stats - what the model did, for tests
 * @walks: table walks (a TLB miss or a V2P probe that missed)
 * @tlb_hits: translations answered by the TLB
 * @tlb_fills: entries written into the TLB
 * @evictions: valid entries a fill replaced
 * @invalidations: TLB invalidation register writes
 * @invalidated: entries those writes dropped
 * @bypassed: accesses that passed untranslated (SCTLR.M clear)
 * @faults: context faults recorded (FSR), V2P probes not counted
 * @irqs: context interrupts raised
 * @global_errors: accesses the ESR recorded (bad context bank index)
 */
struct msm_iommu_model_stats {
	unsigned long walks;
	unsigned long tlb_hits;
	unsigned long tlb_fills;
	unsigned long evictions;
	unsigned long invalidations;
	unsigned long invalidated;
	unsigned long bypassed;
	unsigned long faults;
	unsigned long irqs;
	unsigned long global_errors;
};

/* Attributes of a master's access (msm_iommu_model_access()). */
#define MSM_IOMMU_MODEL_WRITE	BIT(0)	/* a write, else a read */
#define MSM_IOMMU_MODEL_PRIV	BIT(1)	/* privileged, else unprivileged */
#define MSM_IOMMU_MODEL_INST	BIT(2)	/* an instruction fetch */

extern const struct iox_reg_ops msm_iommu_model_reg_ops;

struct msm_iommu_model *
msm_iommu_model_create(const struct msm_iommu_model_config *cfg);
void msm_iommu_model_destroy(struct msm_iommu_model *m);
void msm_iommu_model_regs(struct msm_iommu_model *m, struct iox_regs *regs);
void msm_iommu_model_clk_set(struct msm_iommu_model *m, bool on);
int msm_iommu_model_dma(struct msm_iommu_model *m, unsigned int mid,
			u32 iova, bool write, phys_addr_t *pa);
int msm_iommu_model_access(struct msm_iommu_model *m, unsigned int mid,
			   u32 iova, unsigned int attrs, phys_addr_t *pa);
unsigned long msm_iommu_model_bugs(struct msm_iommu_model *m);
void msm_iommu_model_stats(struct msm_iommu_model *m,
			   struct msm_iommu_model_stats *stats);

#endif /* _IOX_MSM_IOMMU_MODEL_H */
