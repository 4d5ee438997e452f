/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The SMMUv2 model's insides: register layouts and its state.
 *
 * Citations name the register description in ARM IHI 0062D ("SMMU
 * architecture version 2.0"); its chapters "Global Address Space 0",
 * "Global Address Space 1" and "Translation context bank address space"
 * hold them, under the register's name. Descriptor formats are those of
 * the ARM ARM (DDI 0487, VMSAv8-64 translation table format, 4KB granule;
 * DDI 0406C, B3.5 short-descriptor format), which the SMMU spec adopts
 * in its "Translation table formats" chapter.
 */
#ifndef _IOX_ARM_SMMU_MODEL_PRIV_H
#define _IOX_ARM_SMMU_MODEL_PRIV_H

#include <linux/bits.h>
#include <linux/sizes.h>
#include <linux/spinlock.h>
#include "arm-smmu-model.h"

/* Memory map (IHI 0062D "The SMMU memory map"): 4KB pages (IDR1.PAGESIZE=0) */
#define SMMU2_PAGE		SZ_4K
/* Global Address Space 0, page 0 */
#define SMMU2_SCR0		0x000	/* SMMU_sCR0 */
#define SMMU2_SCR2		0x008	/* SMMU_sCR2 */
#define SMMU2_SACR		0x010	/* SMMU_sACR (MMU-500 TRM: ACR) */
#define SMMU2_IDR(n)		(0x020 + 4 * (n))	/* SMMU_IDR0..7 */
#define SMMU2_SGFAR		0x040	/* SMMU_sGFAR, 64-bit */
#define SMMU2_SGFSR		0x048	/* SMMU_sGFSR, W1C */
#define SMMU2_SGFSRRESTORE	0x04c	/* SMMU_sGFSRRESTORE, WO */
#define SMMU2_SGFSYNR0		0x050
#define SMMU2_SGFSYNR1		0x054
#define SMMU2_SGFSYNR2		0x058
#define SMMU2_TLBIVMID		0x064	/* SMMU_TLBIVMID, WO */
#define SMMU2_TLBIALLNSNH	0x068	/* SMMU_TLBIALLNSNH, WO */
#define SMMU2_TLBIALLH		0x06c	/* SMMU_TLBIALLH, WO */
#define SMMU2_STLBGSYNC		0x070	/* SMMU_sTLBGSYNC, WO */
#define SMMU2_STLBGSTATUS	0x074	/* SMMU_sTLBGSTATUS, RO */
#define SMMU2_SMR(n)		(0x800 + 4 * (n))	/* SMMU_SMRn */
#define SMMU2_S2CR(n)		(0xc00 + 4 * (n))	/* SMMU_S2CRn */
/* Global Address Space 1, page 1 */
#define SMMU2_CBAR(n)		(0x000 + 4 * (n))	/* SMMU_CBARn */
#define SMMU2_CBFRSYNRA(n)	(0x400 + 4 * (n))	/* SMMU_CBFRSYNRAn */
#define SMMU2_CBA2R(n)		(0x800 + 4 * (n))	/* SMMU_CBA2Rn */
/* A translation context bank's page (SMMU_CBn_*) */
#define SMMU2_CB_SCTLR		0x000
#define SMMU2_CB_ACTLR		0x004
#define SMMU2_CB_RESUME		0x008
#define SMMU2_CB_TCR2		0x010
#define SMMU2_CB_TTBR0		0x020
#define SMMU2_CB_TTBR1		0x028
#define SMMU2_CB_TCR		0x030
#define SMMU2_CB_CONTEXTIDR	0x034
#define SMMU2_CB_MAIR0		0x038
#define SMMU2_CB_MAIR1		0x03c
#define SMMU2_CB_PAR		0x050
#define SMMU2_CB_FSR		0x058
#define SMMU2_CB_FSRRESTORE	0x05c
#define SMMU2_CB_FAR		0x060
#define SMMU2_CB_FSYNR0		0x068
#define SMMU2_CB_FSYNR1		0x06c
#define SMMU2_CB_IPAFAR		0x070
#define SMMU2_CB_TLBIVA		0x600
#define SMMU2_CB_TLBIVAA	0x608
#define SMMU2_CB_TLBIASID	0x610
#define SMMU2_CB_TLBIALL	0x618
#define SMMU2_CB_TLBIVAL	0x620
#define SMMU2_CB_TLBIVAAL	0x628
#define SMMU2_CB_TLBIIPAS2	0x630
#define SMMU2_CB_TLBIIPAS2L	0x638
#define SMMU2_CB_TLBSYNC	0x7f0
#define SMMU2_CB_TLBSTATUS	0x7f4

/* SMMU_sCR0 */
#define SCR0_CLIENTPD		BIT(0)
#define SCR0_GFIE		BIT(2)
#define SCR0_USFCFG		BIT(10)
#define SCR0_RESET		SCR0_CLIENTPD	/* model's choice: bypass */
/* SMMU_IDR0 */
#define IDR0_S1TS		BIT(30)
#define IDR0_S2TS		BIT(29)
#define IDR0_SMS		BIT(27)
#define IDR0_ATOSNS		BIT(26)	/* 1: no address translation ops */
#define IDR0_PTFS_NO_AARCH32	BIT(25)
#define IDR0_PTFS_NO_AARCH32S	BIT(24)
#define IDR0_NUMIRPT		GENMASK(23, 16)
#define IDR0_NUMSIDB		GENMASK(12, 9)
#define IDR0_NUMSMRG		GENMASK(7, 0)
/* SMMU_IDR1 */
#define IDR1_NUMPAGENDXB	GENMASK(30, 28)
#define IDR1_NUMS2CB		GENMASK(23, 16)
#define IDR1_NUMCB		GENMASK(7, 0)
/* SMMU_IDR2 */
#define IDR2_PTFS_4K		BIT(12)
#define IDR2_UBS		GENMASK(11, 8)
#define IDR2_OAS		GENMASK(7, 4)
#define IDR2_IAS		GENMASK(3, 0)
/* SMMU_sGFSR (and CB_FSR) MULTI, and the global fault kinds */
#define FSR_MULTI		BIT(31)
#define GFSR_ICF		BIT(0)	/* invalid context */
#define GFSR_USF		BIT(1)	/* unidentified stream */
#define GFSR_SMCF		BIT(2)	/* stream match conflict */
/* SMMU_sGFSYNR0 */
#define GFSYNR0_WNR		BIT(1)
/* SMMU_sTLBGSTATUS.GSACTIVE, SMMU_CBn_TLBSTATUS.SACTIVE */
#define TLBSTATUS_ACTIVE	BIT(0)
/* SMMU_SMRn (without extended stream IDs) */
#define SMR_VALID		BIT(31)
#define SMR_MASK		GENMASK(30, 16)
#define SMR_ID			GENMASK(14, 0)
/* SMMU_S2CRn */
#define S2CR_CBNDX		GENMASK(7, 0)
#define S2CR_TYPE		GENMASK(17, 16)
#define S2CR_PRIVCFG		GENMASK(25, 24)
#define S2CR_TYPE_TRANS		0
#define S2CR_TYPE_BYPASS	1
#define S2CR_TYPE_FAULT		2
#define S2CR_PRIV_PRIV		3	/* PRIVCFG: force privileged */
#define S2CR_RESET		(S2CR_TYPE_FAULT << 16)	/* model's choice */
/* SMMU_CBARn */
#define CBAR_VMID		GENMASK(7, 0)
#define CBAR_TYPE		GENMASK(17, 16)
#define CBAR_TYPE_S2		0
#define CBAR_TYPE_S1_BYPASS	1
#define CBAR_TYPE_S1_FAULT	2
#define CBAR_TYPE_NESTED	3
/* SMMU_CBA2Rn */
#define CBA2R_VA64		BIT(0)
/* SMMU_CBn_SCTLR */
#define SCTLR_M			BIT(0)
#define SCTLR_AFE		BIT(2)
#define SCTLR_AFFD		BIT(3)
#define SCTLR_CFIE		BIT(6)
/* SMMU_CBn_FSR */
#define FSR_TF			BIT(1)
#define FSR_AFF			BIT(2)
#define FSR_PF			BIT(3)
#define FSR_ASF			BIT(7)
#define FSR_STATUS		(GENMASK(8, 1) | BIT(30))	/* a fault held */
/* SMMU_CBn_FSYNR0 */
#define FSYNR0_PLVL		GENMASK(1, 0)
#define FSYNR0_WNR		BIT(4)
#define FSYNR0_PNU		BIT(5)
/* SMMU_CBn_TCR (VMSAv8-64 SMMU2_TCR_EL1 / VTCR_EL2 low word, TTBCR) */
#define SMMU2_TCR_T0SZ		GENMASK(5, 0)
#define SMMU2_TCR_SL0			GENMASK(7, 6)	/* stage 2 */
#define SMMU2_TCR_EPD0		BIT(7)		/* stage 1 */
#define SMMU2_TCR_TG0			GENMASK(15, 14)
#define SMMU2_TCR_PS			GENMASK(18, 16)	/* stage 2 */
#define SMMU2_TCR_T1SZ		GENMASK(21, 16)	/* stage 1 */
#define SMMU2_TCR_A1			BIT(22)
#define SMMU2_TCR_EPD1		BIT(23)
#define SMMU2_TCR_TG1			GENMASK(31, 30)
#define SMMU2_TCR_EAE			BIT(31)		/* AArch32 TTBCR */
#define TTBCR_N			GENMASK(2, 0)
#define TTBCR_PD0		BIT(4)
#define TTBCR_PD1		BIT(5)
/* SMMU_CBn_TCR2 */
#define TCR2_PASIZE		GENMASK(2, 0)
#define TCR2_AS			BIT(4)
/* SMMU_CBn_TTBRn: ASID in [63:48] of AArch64 contexts */
#define TTBR_ASID		GENMASK_ULL(63, 48)

#define SMMU2_GLOBAL		(-1)	/* origin of a GR0 invalidation */
#define SMMU2_MAX_PENDING	64

/* One translation context bank's registers and the model's notes on it. */
struct smmu2_cb {
	u32 sctlr, actlr, tcr2, tcr, contextidr, mair[2], fsr, fsynr[2];
	u64 ttbr[2], par, far, ipafar;
	u32 cbar, cbfrsynra, cba2r;
	bool ttbr_written, tcr_written;	/* since reset */
	bool syncing;			/* a TLBSYNC not yet seen complete */
	unsigned int polls_left;
};

/* One TLB entry: a walk's result (the SMMU spec's "TLB" chapter tags). */
struct smmu2_tlbe {
	bool valid;
	bool stage2;		/* a stage-2-only context's entry */
	bool global;		/* stage 1 nG=0: any ASID */
	u16 vmid, asid;
	u8 shift, level;
	u8 perm;		/* SMMU2_PERM_* */
	u64 ia;			/* aligned to 1 << shift */
	u64 oa;
};

#define SMMU2_PERM_PR		BIT(0)	/* privileged read */
#define SMMU2_PERM_PW		BIT(1)
#define SMMU2_PERM_UR		BIT(2)	/* unprivileged read */
#define SMMU2_PERM_UW		BIT(3)

enum smmu2_inv_kind {
	SMMU2_INV_VA,		/* VMID + (ASID or global) + VA, stage 1 */
	SMMU2_INV_VAA,		/* VMID + VA, any ASID, stage 1 */
	SMMU2_INV_ASID,		/* VMID + ASID, non-global, stage 1 */
	SMMU2_INV_S1ALL,	/* VMID, stage 1 (CB_TLBIALL) */
	SMMU2_INV_IPA,		/* VMID + IPA, stage 2 */
	SMMU2_INV_VMID,		/* VMID, both stages */
	SMMU2_INV_ALL,		/* everything non-hyp */
	SMMU2_INV_NONE,		/* hyp entries: the model caches none */
};

/* An invalidation issued, held until its sync completes. */
struct smmu2_inv {
	enum smmu2_inv_kind kind;
	int origin;		/* issuing CB, or SMMU2_GLOBAL */
	bool covered;		/* a sync of @origin was issued after it */
	u16 vmid, asid;
	u64 addr;		/* page address */
};

struct arm_smmu_model {
	struct arm_smmu_model_config cfg;
	spinlock_t lock;	/* all of the model's state below */
	unsigned int num_s2cr, pagendxb, size, cb_base;
	u32 idr[8];
	/* Global Address Space 0 */
	u32 scr0, scr2, sacr, sgfsr, sgfsynr[3];
	u64 sgfar;
	bool gsyncing;
	unsigned int gpolls_left;
	u32 *smr, *s2cr;
	struct smmu2_cb *cb;
	struct smmu2_tlbe *tlb;
	unsigned int tlb_next;		/* FIFO replacement */
	struct smmu2_inv inv[SMMU2_MAX_PENDING];
	unsigned int nr_inv;
	unsigned int bugs[ARM_SMMU_MODEL_NR_BUGS];
	struct arm_smmu_model_stats stats;
};

/* A walk's result, or the fault it took. */
struct smmu2_walk {
	u64 oa;			/* of the page or block */
	u8 shift, level, perm;
	bool global;
	u32 fsr;		/* FSR_* fault bit; 0: translated */
};

/* Context of a translation, from the bank's registers. */
struct smmu2_ctx {
	struct smmu2_cb *cb;
	bool stage2, v7s;
	u16 vmid, asid;
};

/* arm-smmu-model-regs.c */
extern const struct iox_reg_ops smmu2_reg_ops;
void smmu2_bug(struct arm_smmu_model *m, enum arm_smmu_model_bug bug,
	       const char *what, unsigned int off);

/* arm-smmu-model-walk.c */
void smmu2_walk(struct arm_smmu_model *m, const struct smmu2_ctx *c,
		u64 ia, struct smmu2_walk *w);
unsigned int smmu2_size_bits(unsigned int enc);
unsigned int smmu2_size_enc(unsigned int bits);

/* arm-smmu-model-tlb.c */
void smmu2_ctx_of(struct arm_smmu_model *m, unsigned int cbndx,
		  struct smmu2_ctx *c);
struct smmu2_tlbe *smmu2_tlb_lookup(struct arm_smmu_model *m,
				    const struct smmu2_ctx *c, u64 ia);
void smmu2_tlb_insert(struct arm_smmu_model *m, const struct smmu2_ctx *c,
		      u64 ia, const struct smmu2_walk *w);
bool smmu2_tlb_pending(struct arm_smmu_model *m, const struct smmu2_tlbe *e);
void smmu2_tlb_issue(struct arm_smmu_model *m, int origin,
		     enum smmu2_inv_kind kind, u16 vmid, u16 asid, u64 addr);
void smmu2_tlb_sync(struct arm_smmu_model *m, int origin);
bool smmu2_tlb_poll(struct arm_smmu_model *m, int origin);
void smmu2_tlb_reset(struct arm_smmu_model *m);

#endif /* _IOX_ARM_SMMU_MODEL_PRIV_H */
