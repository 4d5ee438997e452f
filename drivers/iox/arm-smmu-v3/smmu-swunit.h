/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A software SMMUv3 for the KUnit suite iox_smmu_cmdq (swunit.c): a
 * register file in memory and a thread that consumes the command queue
 * late, completing configuration invalidations only at the CMD_SYNC
 * after them, as the spec allows. A test model, not hardware.
 */
#ifndef _IOX_SMMU_SWUNIT_H
#define _IOX_SMMU_SWUNIT_H

#include <linux/spinlock.h>
#include <linux/types.h>
#include "../tests/sw-thread.h"

#define SMMU_SWUNIT_REGS	SZ_4K	/* page 0's first 4 KiB is enough */
#define SMMU_SWUNIT_SIDS	64	/* streams it caches an STE of */
#define SMMU_SWUNIT_LOG		1024	/* commands it remembers */

/**
 * struct smmu_swunit_done - a command the unit consumed
 * @opcode: CMD_*
 * @arg: CFGI_STE: the stream ID; TLBI_NH_ASID: the ASID
 */
struct smmu_swunit_done {
	unsigned int opcode;
	u32 arg;
};

/**
 * struct smmu_swunit - the software SMMUv3
 * @mem: its register file
 * @regs: @mem, as the driver's accessors take it
 * @thread: its thread; a command is consumed no sooner than its period
 *	after PROD passed it
 * @lock: protects everything below
 * @paused: consumes no command
 * @seen_prod: PROD at its last look
 * @cached: streams whose STE it holds (bit per stream ID)
 * @pending: streams whose CFGI_STE it consumed, completed at the next
 *	CMD_SYNC
 * @log: what it consumed, in order
 * @nr_done: how many (@log keeps the first SMMU_SWUNIT_LOG)
 * @nr_errors: commands it refused
 */
struct smmu_swunit {
	u32 *mem;
	void __iomem *regs;
	struct iox_sw_thread thread;
	spinlock_t lock;	/* what follows */
	bool paused;
	u32 seen_prod;
	u64 cached;
	u64 pending;
	struct smmu_swunit_done log[SMMU_SWUNIT_LOG];
	unsigned int nr_done;
	unsigned int nr_errors;
};

int smmu_swunit_start(struct smmu_swunit *u, unsigned int latency_us);
void smmu_swunit_stop(struct smmu_swunit *u);
void smmu_swunit_set_paused(struct smmu_swunit *u, bool paused);
void smmu_swunit_use_ste(struct smmu_swunit *u, u32 sid);
bool smmu_swunit_ste_cached(struct smmu_swunit *u, u32 sid);
unsigned int smmu_swunit_nr_done(struct smmu_swunit *u);

#endif /* _IOX_SMMU_SWUNIT_H */
