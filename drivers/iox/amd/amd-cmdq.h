/* SPDX-License-Identifier: GPL-2.0 */
/*
 * iox-amd: the rings a unit shares with memory (command buffer, event log)
 * and the command queue on top of the first (cmdq.c). They take the
 * unit's registers, not the unit, so the KUnit suite iox_amd_cmdq runs
 * them against a software unit.
 */
#ifndef _IOX_AMD_CMDQ_H
#define _IOX_AMD_CMDQ_H

#include <linux/atomic.h>
#include <linux/spinlock.h>
#include <linux/types.h>

/* How long a COMPLETION_WAIT may take before iox gives up on the unit. */
#define AMD_CMD_TIMEOUT_US	1000000

/**
 * struct amd_ring - a command buffer or an event log
 * @base: its 4 KiB of entries
 * @index: commands: the next free entry; events: the next to read
 */
struct amd_ring {
	u32 *base;
	unsigned int index;
};

/**
 * struct amd_cmdq - a unit's command buffer and its completion word
 * @regs: the unit's registers
 * @ring: the command buffer
 * @sem: the word COMPLETION_WAIT stores to
 * @seq: the last value stored to @sem
 * @lock: serialises @ring and @seq
 * @enabled: the unit runs commands (CmdBufEn and IOMMUEn are set)
 * @timeout_us: how long a completion may take
 * @nr_cmds: commands issued
 * @name: the unit's name, for messages
 */
struct amd_cmdq {
	void __iomem *regs;
	struct amd_ring ring;
	u64 *sem;
	u64 seq;
	spinlock_t lock;	/* ring, seq */
	bool enabled;
	unsigned int timeout_us;
	atomic_long_t nr_cmds;
	const char *name;
};

int amd_ring_init(void __iomem *regs, struct amd_ring *ring,
		  unsigned int base_reg, unsigned int head_reg);
void amd_ring_free(struct amd_ring *ring);
int amd_cmdq_init(struct amd_cmdq *q, void __iomem *regs, const char *name);
void amd_cmdq_free(struct amd_cmdq *q);
int amd_cmdq_run(struct amd_cmdq *q, const u32 *cmds, unsigned int n);
int amd_dte_replace(struct amd_cmdq *q, u16 devid, u64 *cur, const u64 *e);

#endif /* _IOX_AMD_CMDQ_H */
