/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A register-level model of an ARM SMMU architecture version 2 unit, of
 * the CoreLink MMU-500 flavour, for tests: a driver programs it through
 * struct iox_regs exactly as it would the hardware, a test issues DMA
 * from endpoints with arm_smmu_model_dma(), and the model translates them
 * as the specification (ARM IHI 0062D, "ARM System Memory Management Unit
 * Architecture Specification, SMMU architecture version 2.0") says,
 * through page tables in ordinary memory, a small TLB that keeps what it
 * walked until the driver invalidates it and syncs, and the fault
 * registers. It counts the driver bugs it can see (enum
 * arm_smmu_model_bug). Written from the specification, apart from any
 * driver.
 */
#ifndef _IOX_ARM_SMMU_MODEL_H
#define _IOX_ARM_SMMU_MODEL_H

#include <linux/iox-regs.h>
#include <linux/types.h>

/* Translation table formats the model walks (its IDR0/IDR2 say so). */
#define ARM_SMMU_MODEL_FMT_S1_LPAE64	BIT(0)	/* AArch64, 4KB granule */
#define ARM_SMMU_MODEL_FMT_S2_LPAE64	BIT(1)	/* AArch64 stage 2, 4KB */
#define ARM_SMMU_MODEL_FMT_S1_V7S	BIT(2)	/* AArch32 short descriptor */

/**
 * struct arm_smmu_model_config - what the modelled unit implements
 * @num_cb: translation context banks, 1 to 128 (IDR1.NUMCB)
 * @num_s2_cb: of which the first are stage 2 only (IDR1.NUMS2CB)
 * @num_smr: stream match register groups, 1 to 128; 0: stream indexing
 *	(IDR0.SMS = 0) with 1 << @sid_bits S2CRs
 * @sid_bits: stream ID bits (IDR0.NUMSIDB); at most 15, and at most 7
 *	with stream indexing
 * @formats: ARM_SMMU_MODEL_FMT_* supported
 * @ias: input (IPA) address size in bits: 32, 36, 40, 42, 44 or 48
 * @oas: output address size, the same encodings
 * @ubs: upstream bus size, the same encodings
 * @tlb_entries: entries of the one TLB, at least 1; small so that a test
 *	can keep a stale entry or evict one
 * @sync_polls: TLBSTATUS/sTLBGSTATUS reads that still report active
 *	after a sync is issued
 * @revision: IDR7, MAJOR in bits [7:4] and MINOR in [3:0]
 * @global_irq: the global fault interrupt (sCR0.GFIE), or NULL
 * @context_irq: a context bank's fault interrupt (SCTLR.CFIE), or NULL
 * @irq_arg: passed to the interrupt callbacks
 *
 * The callbacks run synchronously inside the arm_smmu_model_dma() that
 * faulted, without the model's lock: they may access the registers.
 */
struct arm_smmu_model_config {
	unsigned int num_cb;
	unsigned int num_s2_cb;
	unsigned int num_smr;
	unsigned int sid_bits;
	u32 formats;
	unsigned int ias;
	unsigned int oas;
	unsigned int ubs;
	unsigned int tlb_entries;
	unsigned int sync_polls;
	u8 revision;
	void (*global_irq)(void *arg);
	void (*context_irq)(void *arg, unsigned int cbndx);
	void *irq_arg;
};

/**
 * enum arm_smmu_model_bug - driver bugs the model detects
 * @ARM_SMMU_MODEL_BUG_UNDEF_REG: access to an offset (or width) the
 *	architecture does not define
 * @ARM_SMMU_MODEL_BUG_LIVE_CB_WRITE: a write to a context bank's
 *	translation registers (TTBRn, TCR, TCR2, MAIRn, CBAR, CBA2R) while
 *	its SCTLR.M is set and an S2CR routes a stream to it
 * @ARM_SMMU_MODEL_BUG_ENABLE_EARLY: SCTLR.M set before TTBRn and TCR were
 *	written since reset
 * @ARM_SMMU_MODEL_BUG_STALE_TLB: a DMA used a TLB entry that an issued
 *	invalidation covers but whose sync the driver has not completed
 * @ARM_SMMU_MODEL_NR_BUGS: number of kinds
 */
enum arm_smmu_model_bug {
	ARM_SMMU_MODEL_BUG_UNDEF_REG,
	ARM_SMMU_MODEL_BUG_LIVE_CB_WRITE,
	ARM_SMMU_MODEL_BUG_ENABLE_EARLY,
	ARM_SMMU_MODEL_BUG_STALE_TLB,
	ARM_SMMU_MODEL_NR_BUGS,
};

/**
 * struct arm_smmu_model_stats - what the model did, for tests
 * @walks: page table walks started (TLB misses of enabled contexts)
 * @tlb_hits: translations answered by the TLB
 * @tlb_evictions: valid entries replaced to make room
 * @inv_completed: invalidation commands whose sync completed
 * @context_faults: faults recorded (or counted as MULTI) in a CB_FSR
 * @global_faults: faults recorded (or counted as MULTI) in sGFSR
 * @bypassed: transactions that left untranslated
 */
struct arm_smmu_model_stats {
	u64 walks;
	u64 tlb_hits;
	u64 tlb_evictions;
	u64 inv_completed;
	u64 context_faults;
	u64 global_faults;
	u64 bypassed;
};

struct arm_smmu_model;

struct arm_smmu_model *arm_smmu_model_create(const struct arm_smmu_model_config *cfg);
void arm_smmu_model_destroy(struct arm_smmu_model *m);
void arm_smmu_model_reset(struct arm_smmu_model *m);
void arm_smmu_model_regs(struct arm_smmu_model *m, struct iox_regs *regs);
unsigned int arm_smmu_model_size(const struct arm_smmu_model *m);
unsigned int arm_smmu_model_cb_offset(const struct arm_smmu_model *m,
				      unsigned int cbndx);
int arm_smmu_model_dma(struct arm_smmu_model *m, u16 sid, u64 iova,
		       bool write, phys_addr_t *pa);
unsigned int arm_smmu_model_bugs(struct arm_smmu_model *m);
unsigned int arm_smmu_model_bug_count(struct arm_smmu_model *m,
				      enum arm_smmu_model_bug bug);
void arm_smmu_model_stats(struct arm_smmu_model *m,
			  struct arm_smmu_model_stats *stats);

#endif /* _IOX_ARM_SMMU_MODEL_H */
