// SPDX-License-Identifier: GPL-2.0
/*
 * iox-arm-smmu-v3: the queues and the command queue (SMMUv3 spec 3.5, 4,
 * 7.1).
 *
 * Commands are written at the producer index and PROD moved past them;
 * every batch ends with a CMD_SYNC, complete once CONS has passed it: a
 * unit may consume a command (move CONS past it) before its effect is
 * complete, and only a CMD_SYNC waits for the commands before it (4.7.3).
 * The unit's MSI write-back of CMD_SYNC is not used (QEMU has no MSI):
 * CONS is polled. A command the unit refuses (CONS.ERR, GERROR.CMDQ_ERR)
 * is replaced by a CMD_SYNC and the error acknowledged, so the queue runs
 * on; the batch reports -EIO.
 */
#define pr_fmt(fmt) "iox-arm-smmu-v3: " fmt

#include <linux/bitfield.h>
#include <linux/delay.h>
#include <linux/io.h>
#include <linux/kernel.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/string.h>
#include "smmu-hw.h"
#include "smmu-cmdq.h"

/**
 * smmu_queue_alloc() - allocate a queue and program its base register
 * @regs: the unit's registers, with the queue disabled
 * @q: the queue
 * @log2size: log2 of its entries
 * @dwords: dwords per entry
 * @base_reg: its base register (SMMU_CMDQ_BASE or SMMU_EVENTQ_BASE)
 *
 * The caller zeroes the queue's PROD and CONS.
 *
 * Context: Process context.
 * Return: 0 or -ENOMEM.
 */
int smmu_queue_alloc(void __iomem *regs, struct smmu_queue *q,
		     unsigned int log2size, unsigned int dwords,
		     unsigned int base_reg)
{
	size_t bytes = (8UL * dwords) << log2size;

	q->base = (u64 *)__get_free_pages(GFP_KERNEL | __GFP_ZERO,
					  get_order(bytes));
	if (!q->base)
		return -ENOMEM;
	q->base_phys = virt_to_phys(q->base);
	q->log2size = log2size;
	q->dwords = dwords;
	q->prod = 0;
	q->cons = 0;
	writeq((q->base_phys & Q_BASE_ADDR) |
	       FIELD_PREP(Q_BASE_LOG2SIZE, log2size), regs + base_reg);
	return 0;
}
EXPORT_SYMBOL_GPL(smmu_queue_alloc);

/**
 * smmu_queue_free() - free a queue
 * @q: the queue, disabled; allocated or not
 *
 * Context: Process context.
 */
void smmu_queue_free(struct smmu_queue *q)
{
	size_t bytes = (8UL * q->dwords) << q->log2size;

	if (q->base)
		free_pages((unsigned long)q->base, get_order(bytes));
	q->base = NULL;
}
EXPORT_SYMBOL_GPL(smmu_queue_free);

/**
 * smmu_cmdq_init() - allocate a unit's command queue, PROD and CONS 0
 * @cq: the queue
 * @regs: the unit's registers, with the command queue disabled
 * @log2size: log2 of its entries
 * @name: the unit's name, for messages; must outlive @cq
 *
 * The queue starts disabled: commands issued before the caller sets
 * @cq->enabled (once CMDQEN is set) complete at once, having nothing to
 * invalidate.
 *
 * Context: Process context.
 * Return: 0 or -ENOMEM.
 */
int smmu_cmdq_init(struct smmu_cmdq *cq, void __iomem *regs,
		   unsigned int log2size, const char *name)
{
	int ret;

	memset(cq, 0, sizeof(*cq));
	spin_lock_init(&cq->lock);
	cq->regs = regs;
	cq->name = name;
	cq->timeout_us = SMMU_SYNC_TIMEOUT_US;
	ret = smmu_queue_alloc(regs, &cq->q, log2size, CMD_DWORDS,
			       SMMU_CMDQ_BASE);
	if (ret)
		return ret;
	writel(0, regs + SMMU_CMDQ_PROD);
	writel(0, regs + SMMU_CMDQ_CONS);
	return 0;
}
EXPORT_SYMBOL_GPL(smmu_cmdq_init);

/**
 * smmu_cmdq_free() - free a command queue
 * @cq: the queue, with the unit's CMDQEN clear
 *
 * Context: Process context.
 */
void smmu_cmdq_free(struct smmu_cmdq *cq)
{
	smmu_queue_free(&cq->q);
}
EXPORT_SYMBOL_GPL(smmu_cmdq_free);

/* Index and wrap bit of a queue pointer. */
static u32 smmu_q_idx(const struct smmu_queue *q, u32 p)
{
	return p & (BIT(q->log2size) - 1);
}

static u32 smmu_q_next(const struct smmu_queue *q, u32 p)
{
	return (p + 1) & (BIT(q->log2size + 1) - 1);
}

static bool smmu_q_full(const struct smmu_queue *q)
{
	return smmu_q_idx(q, q->prod) == smmu_q_idx(q, q->cons) &&
	       (q->prod ^ q->cons) & BIT(q->log2size);
}

static u32 smmu_cmdq_cons(struct smmu_cmdq *cq)
{
	return readl(cq->regs + SMMU_CMDQ_CONS) & (BIT(cq->q.log2size + 1) - 1);
}

/*
 * A command the unit refused (CERROR_ILL, 7.1): report it, put a CMD_SYNC
 * in its slot and acknowledge CMDQ_ERR, which restarts the queue from that
 * slot. A queue the unit cannot read (CERROR_ABT) stays stopped: -EIO.
 */
static int smmu_cmdq_error(struct smmu_cmdq *cq, u32 cons)
{
	u64 *slot = cq->q.base + smmu_q_idx(&cq->q, cons) * CMD_DWORDS;
	u32 gerrorn = readl(cq->regs + SMMU_GERRORN);
	unsigned int err = FIELD_GET(CMDQ_CONS_ERR, cons);

	pr_err_ratelimited("%s: command %#llx %#llx refused (CONS.ERR %u)\n",
			   cq->name, slot[0], slot[1], err);
	if (err == CMDQ_ERR_ABT)
		return -EIO;
	slot[0] = FIELD_PREP(CMD_OPCODE, CMD_SYNC);
	slot[1] = 0;
	dma_wmb();
	/* Acknowledge CMDQ_ERR alone: toggle its bit of GERRORN. */
	writel(gerrorn ^ GERROR_CMDQ_ERR, cq->regs + SMMU_GERRORN);
	return 0;
}

/* Wait until CONS passed @prod (the batch's CMD_SYNC is done). */
static int smmu_cmdq_wait(struct smmu_cmdq *cq, u32 prod)
{
	unsigned int us;
	bool err = false;
	u32 cons = 0;

	for (us = 0; us < cq->timeout_us; us++) {
		cons = readl(cq->regs + SMMU_CMDQ_CONS);
		if ((readl(cq->regs + SMMU_GERROR) ^
		     readl(cq->regs + SMMU_GERRORN)) & GERROR_CMDQ_ERR) {
			if (smmu_cmdq_error(cq, cons))
				return -EIO;
			err = true;
			continue;
		}
		cq->q.cons = cons & (BIT(cq->q.log2size + 1) - 1);
		if (cq->q.cons == prod)
			return err ? -EIO : 0;
		udelay(1);
	}
	pr_err("%s: CMD_SYNC not consumed (PROD %#x CONS %#x)\n", cq->name,
	       prod, cons);
	return -ETIMEDOUT;
}

/* Put one command at PROD (not yet published); wait for a free slot. */
static int smmu_cmdq_put(struct smmu_cmdq *cq, const u64 *cmd)
{
	struct smmu_queue *q = &cq->q;
	unsigned int us;
	u64 *slot;

	for (us = 0; smmu_q_full(q); us++) {
		if (us == cq->timeout_us)
			return -ETIMEDOUT;
		/* Free slots are seen only once PROD tells the unit. */
		writel(q->prod, cq->regs + SMMU_CMDQ_PROD);
		udelay(1);
		q->cons = smmu_cmdq_cons(cq);
	}
	slot = q->base + smmu_q_idx(q, q->prod) * CMD_DWORDS;
	slot[0] = cmd[0];
	slot[1] = cmd[1];
	q->prod = smmu_q_next(q, q->prod);
	atomic_long_inc(&cq->nr_cmds);
	return 0;
}

/**
 * smmu_cmdq_run() - issue commands and a CMD_SYNC, and wait for them
 * @cq: the queue
 * @cmds: the commands, CMD_DWORDS each
 * @n: how many; any number (the queue is refilled as the unit frees it)
 *
 * Context: Any context; takes @cq->lock.
 * Return: 0 once the unit completed them (at once if @cq is not enabled),
 * -EIO if the unit refused one, -ETIMEDOUT.
 */
int smmu_cmdq_run(struct smmu_cmdq *cq, const u64 *cmds, unsigned int n)
{
	u64 sync[CMD_DWORDS] = { FIELD_PREP(CMD_OPCODE, CMD_SYNC), 0 };
	unsigned long flags;
	unsigned int i;
	int ret = 0;

	if (!READ_ONCE(cq->enabled))
		return 0;
	spin_lock_irqsave(&cq->lock, flags);
	for (i = 0; i < n && !ret; i++)
		ret = smmu_cmdq_put(cq, cmds + i * CMD_DWORDS);
	if (!ret)
		ret = smmu_cmdq_put(cq, sync);
	if (!ret) {
		/* writel orders the entries before PROD moves. */
		writel(cq->q.prod, cq->regs + SMMU_CMDQ_PROD);
		ret = smmu_cmdq_wait(cq, cq->q.prod);
	}
	spin_unlock_irqrestore(&cq->lock, flags);
	return ret;
}
EXPORT_SYMBOL_GPL(smmu_cmdq_run);

MODULE_DESCRIPTION("iox-arm-smmu-v3's queues, for the driver and its tests");
MODULE_LICENSE("GPL");
