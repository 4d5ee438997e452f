// SPDX-License-Identifier: GPL-2.0
/*
 * iox-amd: the rings and the command queue (AMD spec 2.4, 3.4.2-3.4.3,
 * 3.4.10-3.4.13).
 *
 * Commands are written at the tail of a 256-entry ring and the tail
 * register moved past them; the unit runs them in order, at its own pace.
 * Every batch iox issues ends with a COMPLETION_WAIT that stores a new
 * sequence number to memory, polled: once it is there, every command
 * before it completed. (QEMU's model never sets the status bits a wait
 * interrupt would clear, so the store is also the only completion it
 * shows.)
 */
#define pr_fmt(fmt) "iox-amd: " fmt

#include <linux/bitfield.h>
#include <linux/delay.h>
#include <linux/io.h>
#include <linux/kernel.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/string.h>
#include "amd-hw.h"
#include "amd-cmdq.h"

#define AMD_CMD_RING_BYTES	(AMD_RING_ENTRIES * AMD_CMD_BYTES)

/**
 * amd_ring_init() - allocate a ring and program its registers
 * @regs: the unit's registers, with the ring disabled
 * @ring: the command buffer or the event log
 * @base_reg: its base register (AMD_MMIO_CMDBUF or AMD_MMIO_EVTLOG)
 * @head_reg: its head register; the tail register follows it
 *
 * 4 KiB of entries. The base register is written in one 64-bit write
 * (QEMU latches it on the high half only), then head and tail are set to
 * 0 (AMD spec 3.4.2-3.4.3, 3.4.10-3.4.13).
 *
 * Context: Process context.
 * Return: 0 or -ENOMEM.
 */
int amd_ring_init(void __iomem *regs, struct amd_ring *ring,
		  unsigned int base_reg, unsigned int head_reg)
{
	ring->base = (u32 *)get_zeroed_page(GFP_KERNEL);
	if (!ring->base)
		return -ENOMEM;
	ring->index = 0;
	writeq(virt_to_phys(ring->base) |
	       FIELD_PREP(AMD_RING_LEN, AMD_RING_LEN_LOG2), regs + base_reg);
	writeq(0, regs + head_reg);
	writeq(0, regs + head_reg + 8);
	return 0;
}
EXPORT_SYMBOL_GPL(amd_ring_init);

/**
 * amd_ring_free() - free a ring
 * @ring: the command buffer or the event log, disabled
 *
 * Context: Process context.
 */
void amd_ring_free(struct amd_ring *ring)
{
	free_page((unsigned long)ring->base);
	ring->base = NULL;
}
EXPORT_SYMBOL_GPL(amd_ring_free);

/**
 * amd_cmdq_init() - allocate and program a unit's command buffer
 * @q: the queue
 * @regs: the unit's registers, with the command buffer disabled
 * @name: the unit's name, for messages; must outlive @q
 *
 * The queue starts disabled: commands issued before the caller sets
 * @q->enabled (once the unit runs them) complete at once, having nothing
 * to invalidate.
 *
 * Context: Process context.
 * Return: 0 or -ENOMEM.
 */
int amd_cmdq_init(struct amd_cmdq *q, void __iomem *regs, const char *name)
{
	int ret;

	memset(q, 0, sizeof(*q));
	spin_lock_init(&q->lock);
	q->regs = regs;
	q->name = name;
	q->timeout_us = AMD_CMD_TIMEOUT_US;
	q->sem = kzalloc(sizeof(*q->sem), GFP_KERNEL);
	if (!q->sem)
		return -ENOMEM;
	ret = amd_ring_init(regs, &q->ring, AMD_MMIO_CMDBUF, AMD_MMIO_CMD_HEAD);
	if (ret) {
		kfree(q->sem);
		q->sem = NULL;
	}
	return ret;
}
EXPORT_SYMBOL_GPL(amd_cmdq_init);

/**
 * amd_cmdq_free() - free a command buffer
 * @q: the queue, with the unit's command buffer disabled
 *
 * Context: Process context.
 */
void amd_cmdq_free(struct amd_cmdq *q)
{
	amd_ring_free(&q->ring);
	kfree(q->sem);
	q->sem = NULL;
}
EXPORT_SYMBOL_GPL(amd_cmdq_free);

/* Wait until the unit's head leaves slot @next: it is free to fill. */
static int amd_cmdq_wait_space(struct amd_cmdq *q, unsigned int next)
{
	unsigned int us;
	u32 head = 0;

	for (us = 0; us < q->timeout_us; us++) {
		/* QEMU's head reads the ring size right after a wrap. */
		head = (readq(q->regs + AMD_MMIO_CMD_HEAD) & AMD_RING_PTR) %
		       AMD_CMD_RING_BYTES;
		if (head / AMD_CMD_BYTES != next)
			return 0;
		udelay(1);
	}
	pr_err("%s: command buffer stuck full (head %#x)\n", q->name, head);
	return -ETIMEDOUT;
}

/* Put one command in the ring and move the tail past it. */
static int amd_cmdq_queue(struct amd_cmdq *q, const u32 *cmd)
{
	unsigned int next = (q->ring.index + 1) % AMD_RING_ENTRIES;
	int ret;

	lockdep_assert_held(&q->lock);
	ret = amd_cmdq_wait_space(q, next);
	if (ret)
		return ret;
	memcpy(q->ring.base + q->ring.index * 4, cmd, AMD_CMD_BYTES);
	q->ring.index = next;
	/* writeq orders the entry's stores before the tail moves. */
	writeq(next * AMD_CMD_BYTES, q->regs + AMD_MMIO_CMD_TAIL);
	atomic_long_inc(&q->nr_cmds);
	return 0;
}

/* COMPLETION_WAIT with a store, polled: every earlier command is done. */
static int amd_cmdq_sync(struct amd_cmdq *q)
{
	u32 cmd[4];
	unsigned int us;
	u64 seq;
	int ret;

	lockdep_assert_held(&q->lock);
	seq = ++q->seq;
	amd_cmd_completion_wait(cmd, virt_to_phys(q->sem), seq);
	ret = amd_cmdq_queue(q, cmd);
	if (ret)
		return ret;
	for (us = 0; us < q->timeout_us; us++) {
		if (READ_ONCE(*q->sem) == seq)
			return 0;
		udelay(1);
	}
	pr_err("%s: COMPLETION_WAIT %llu did not complete (status %#llx)\n",
	       q->name, seq, readq(q->regs + AMD_MMIO_STATUS));
	return -ETIMEDOUT;
}

/**
 * amd_cmdq_run() - issue commands and wait until the unit completed them
 * @q: the queue
 * @cmds: the commands, four dwords each
 * @n: how many; any number (the ring is refilled as the unit frees it)
 *
 * Context: Any context; takes @q->lock.
 * Return: 0 once the unit completed them (at once if @q is not enabled),
 * or -ETIMEDOUT if it did not within @q->timeout_us.
 */
int amd_cmdq_run(struct amd_cmdq *q, const u32 *cmds, unsigned int n)
{
	unsigned long flags;
	unsigned int i;
	int ret = 0;

	if (!READ_ONCE(q->enabled))
		return 0;
	spin_lock_irqsave(&q->lock, flags);
	for (i = 0; i < n && !ret; i++)
		ret = amd_cmdq_queue(q, cmds + i * 4);
	if (!ret)
		ret = amd_cmdq_sync(q);
	spin_unlock_irqrestore(&q->lock, flags);
	return ret;
}
EXPORT_SYMBOL_GPL(amd_cmdq_run);

static bool amd_dte_translates(const u64 *e)
{
	return (e[0] & AMD_DTE_V) && (e[0] & AMD_DTE_TV);
}

static int amd_dte_invalidate(struct amd_cmdq *q, u16 devid)
{
	u32 cmd[4];

	amd_cmd_inv_devtab(cmd, devid);
	return amd_cmdq_run(q, cmd, 1);
}

/**
 * amd_dte_replace() - write a live device table entry, and drop the
 *	unit's copy of it
 * @q: the unit's command queue
 * @devid: the entry's DeviceID
 * @cur: the entry in the device table
 * @e: its new contents
 *
 * Written without a state the unit could use that is neither: the unit
 * reads the entry at any time, 64 bits at a time at best. The DomainID
 * (qword 1) tags what the unit caches from the table the root (qword 0)
 * names, so the two must never pair up wrong. Into translation: the new
 * DomainID first, then qword 0. Out of it: qword 0 first. Between two
 * translating entries of different domains: through a blocked one (TV =
 * 1, Mode 0, IR = IW = 0), invalidated, so DMA in flight during the
 * switch faults rather than reaching either table under the other's tag.
 * Then INVALIDATE_DEVTAB_ENTRY, waited for (AMD spec 2.4.2). The entry
 * is written even if the unit stops answering on the way: the table
 * stays what the caller asked for.
 *
 * Context: Any context; the caller serialises writers of @cur.
 * Return: 0 once the unit dropped its copy, or -ETIMEDOUT.
 */
int amd_dte_replace(struct amd_cmdq *q, u16 devid, u64 *cur, const u64 *e)
{
	int ret = 0;

	if (amd_dte_translates(cur) && amd_dte_translates(e) &&
	    cur[1] != e[1]) {
		WRITE_ONCE(cur[0], AMD_DTE_V | AMD_DTE_TV);
		ret = amd_dte_invalidate(q, devid);
	}
	if (amd_dte_translates(e)) {
		WRITE_ONCE(cur[3], e[3]);
		WRITE_ONCE(cur[2], e[2]);
		WRITE_ONCE(cur[1], e[1]);
		/* Qwords 1-3 are visible before the one that enables them. */
		dma_wmb();
		WRITE_ONCE(cur[0], e[0]);
	} else {
		WRITE_ONCE(cur[0], e[0]);
		dma_wmb();
		WRITE_ONCE(cur[1], e[1]);
		WRITE_ONCE(cur[2], e[2]);
		WRITE_ONCE(cur[3], e[3]);
	}
	return amd_dte_invalidate(q, devid) ?: ret;
}
EXPORT_SYMBOL_GPL(amd_dte_replace);
