/* SPDX-License-Identifier: GPL-2.0 */
/*
 * iox-arm-smmu-v3: the queues a unit shares with memory and the command
 * queue on top of them (cmdq.c). They take the unit's registers, not the
 * unit, so the KUnit suite iox_smmu_cmdq runs them against a software
 * unit.
 */
#ifndef _IOX_SMMU_CMDQ_H
#define _IOX_SMMU_CMDQ_H

#include <linux/atomic.h>
#include <linux/spinlock.h>
#include <linux/types.h>

/* How long a CMD_SYNC may take before iox gives up on the unit. */
#define SMMU_SYNC_TIMEOUT_US	1000000

/**
 * struct smmu_queue - the command or the event queue
 * @base: 2^@log2size entries
 * @base_phys: its physical address
 * @log2size: log2 of its entries
 * @dwords: dwords per entry
 * @prod: producer index with the wrap bit (bit @log2size)
 * @cons: consumer index with the wrap bit
 */
struct smmu_queue {
	u64 *base;
	dma_addr_t base_phys;
	unsigned int log2size;
	unsigned int dwords;
	u32 prod;
	u32 cons;
};

/**
 * struct smmu_cmdq - a unit's command queue
 * @regs: the unit's registers
 * @q: the queue
 * @lock: serialises @q
 * @enabled: the unit runs commands (CMDQEN)
 * @timeout_us: how long a CMD_SYNC may take
 * @nr_cmds: commands issued
 * @name: the unit's name, for messages
 */
struct smmu_cmdq {
	void __iomem *regs;
	struct smmu_queue q;
	spinlock_t lock;	/* q */
	bool enabled;
	unsigned int timeout_us;
	atomic_long_t nr_cmds;
	const char *name;
};

int smmu_queue_alloc(void __iomem *regs, struct smmu_queue *q,
		     unsigned int log2size, unsigned int dwords,
		     unsigned int base_reg);
void smmu_queue_free(struct smmu_queue *q);
int smmu_cmdq_init(struct smmu_cmdq *cq, void __iomem *regs,
		   unsigned int log2size, const char *name);
void smmu_cmdq_free(struct smmu_cmdq *cq);
int smmu_cmdq_run(struct smmu_cmdq *cq, const u64 *cmds, unsigned int n);

#endif /* _IOX_SMMU_CMDQ_H */
