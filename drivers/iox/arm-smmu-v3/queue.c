// SPDX-License-Identifier: GPL-2.0
/*
 * iox-arm-smmu-v3: the command and event queues (SMMUv3 spec 3.5, 4, 7).
 *
 * Commands are written at the producer index and PROD moved past them;
 * every batch ends with a CMD_SYNC, complete once CONS has passed it. The
 * unit's MSI write-back of CMD_SYNC is not used (QEMU has no MSI): CONS
 * is polled. A command the unit refuses (CONS.ERR, GERROR.CMDQ_ERR) is
 * replaced by a CMD_SYNC and the error acknowledged, so the queue runs
 * on; the batch reports -EIO.
 */
#define pr_fmt(fmt) "iox-arm-smmu-v3: " fmt

#include <linux/bitfield.h>
#include <linux/delay.h>
#include <linux/io.h>
#include <linux/slab.h>
#include "smmu-priv.h"

#define SMMU_CMDQ_LOG2		8	/* 256 commands, 4 KiB */
#define SMMU_EVTQ_LOG2		11	/* 2048 events, 64 KiB */
#define SMMU_SYNC_TIMEOUT_US	1000000

static int smmu_queue_alloc(struct smmu_unit *su, struct smmu_queue *q,
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
	       FIELD_PREP(Q_BASE_LOG2SIZE, log2size), su->regs + base_reg);
	return 0;
}

static void smmu_queue_free(struct smmu_queue *q)
{
	size_t bytes = (8UL * q->dwords) << q->log2size;

	if (q->base)
		free_pages((unsigned long)q->base, get_order(bytes));
	q->base = NULL;
}

/**
 * smmu_queues_init() - allocate both queues and program their registers
 * @su: the unit, disabled
 *
 * Sizes: the unit's largest (IDR1.CMDQS, EVENTQS) or 256 commands and
 * 2048 events, whichever is smaller. The event queue is large because a
 * DMA QEMU refuses records one event per 4 bytes it tried.
 *
 * Context: Process context.
 * Return: 0 or -ENOMEM.
 */
int smmu_queues_init(struct smmu_unit *su)
{
	unsigned int cmdqs = min_t(unsigned int, SMMU_CMDQ_LOG2,
				   FIELD_GET(IDR1_CMDQS, su->idr[1]));
	unsigned int evtqs = min_t(unsigned int, SMMU_EVTQ_LOG2,
				   FIELD_GET(IDR1_EVENTQS, su->idr[1]));
	int ret;

	ret = smmu_queue_alloc(su, &su->cmdq, cmdqs, CMD_DWORDS,
			       SMMU_CMDQ_BASE);
	if (!ret)
		ret = smmu_queue_alloc(su, &su->evtq, evtqs, EVT_DWORDS,
				       SMMU_EVENTQ_BASE);
	if (ret) {
		smmu_queues_free(su);
		return ret;
	}
	writel(0, su->regs + SMMU_CMDQ_PROD);
	writel(0, su->regs + SMMU_CMDQ_CONS);
	writel(0, su->regs + SMMU_EVENTQ_PROD);
	writel(0, su->regs + SMMU_EVENTQ_CONS);
	return 0;
}

/**
 * smmu_queues_free() - free both queues
 * @su: the unit, with the queues disabled
 *
 * Context: Process context.
 */
void smmu_queues_free(struct smmu_unit *su)
{
	smmu_queue_free(&su->cmdq);
	smmu_queue_free(&su->evtq);
}

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

/*
 * A command the unit refused (CERROR_ILL, 7.1): report it, put a CMD_SYNC
 * in its slot and acknowledge CMDQ_ERR, which restarts the queue from that
 * slot. A queue the unit cannot read (CERROR_ABT) stays stopped: -EIO.
 */
static int smmu_cmdq_error(struct smmu_unit *su, u32 cons)
{
	u64 *slot = su->cmdq.base + smmu_q_idx(&su->cmdq, cons) * CMD_DWORDS;
	u32 gerror = readl(su->regs + SMMU_GERROR);
	unsigned int err = FIELD_GET(CMDQ_CONS_ERR, cons);

	pr_err_ratelimited("%s: command %#llx %#llx refused (CONS.ERR %u)\n",
			   su->name, slot[0], slot[1], err);
	if (err == CMDQ_ERR_ABT)
		return -EIO;
	slot[0] = FIELD_PREP(CMD_OPCODE, CMD_SYNC);
	slot[1] = 0;
	dma_wmb();
	writel(gerror, su->regs + SMMU_GERRORN);
	return 0;
}

/* Wait until CONS passed @prod (the batch's CMD_SYNC is done). */
static int smmu_cmdq_wait(struct smmu_unit *su, u32 prod)
{
	struct smmu_queue *q = &su->cmdq;
	unsigned int us;
	bool err = false;
	u32 cons;

	for (us = 0; us < SMMU_SYNC_TIMEOUT_US; us++) {
		cons = readl(su->regs + SMMU_CMDQ_CONS);
		if ((readl(su->regs + SMMU_GERROR) ^
		     readl(su->regs + SMMU_GERRORN)) & GERROR_CMDQ_ERR) {
			if (smmu_cmdq_error(su, cons))
				return -EIO;
			err = true;
			continue;
		}
		q->cons = cons & (BIT(q->log2size + 1) - 1);
		if (q->cons == prod)
			return err ? -EIO : 0;
		udelay(1);
	}
	pr_err("%s: CMD_SYNC not consumed (PROD %#x CONS %#x)\n", su->name,
	       prod, readl(su->regs + SMMU_CMDQ_CONS));
	return -ETIMEDOUT;
}

static int smmu_cmdq_put(struct smmu_unit *su, const u64 *cmd)
{
	struct smmu_queue *q = &su->cmdq;
	unsigned int us;
	u64 *slot;

	for (us = 0; smmu_q_full(q); us++) {
		if (us == SMMU_SYNC_TIMEOUT_US)
			return -ETIMEDOUT;
		udelay(1);
		q->cons = readl(su->regs + SMMU_CMDQ_CONS) &
			  (BIT(q->log2size + 1) - 1);
	}
	slot = q->base + smmu_q_idx(q, q->prod) * CMD_DWORDS;
	slot[0] = cmd[0];
	slot[1] = cmd[1];
	q->prod = smmu_q_next(q, q->prod);
	atomic_long_inc(&su->nr_cmds);
	return 0;
}

/**
 * smmu_cmd_run() - issue commands and a CMD_SYNC, and wait for them
 * @su: the unit
 * @cmds: the commands
 * @n: how many
 *
 * Context: Any context; takes @su->cmd_lock.
 * Return: 0, -EIO if the unit refused one, -ETIMEDOUT.
 */
int smmu_cmd_run(struct smmu_unit *su, const u64 (*cmds)[CMD_DWORDS],
		 unsigned int n)
{
	u64 sync[CMD_DWORDS] = { FIELD_PREP(CMD_OPCODE, CMD_SYNC), 0 };
	unsigned long flags;
	unsigned int i;
	int ret = 0;

	if (!su->enabled)
		return 0;
	spin_lock_irqsave(&su->cmd_lock, flags);
	for (i = 0; i < n && !ret; i++)
		ret = smmu_cmdq_put(su, cmds[i]);
	if (!ret)
		ret = smmu_cmdq_put(su, sync);
	if (!ret) {
		/* The entries are in memory before PROD moves. */
		dma_wmb();
		writel(su->cmdq.prod, su->regs + SMMU_CMDQ_PROD);
		ret = smmu_cmdq_wait(su, su->cmdq.prod);
	}
	spin_unlock_irqrestore(&su->cmd_lock, flags);
	return ret;
}

/**
 * smmu_cfgi_ste() - drop the unit's cached STE (and CD) of a stream
 * @su: the unit
 * @sid: the stream ID
 *
 * Context: Any context.
 * Return: as smmu_cmd_run().
 */
int smmu_cfgi_ste(struct smmu_unit *su, u32 sid)
{
	u64 cmd[1][CMD_DWORDS] = { {
		FIELD_PREP(CMD_OPCODE, CMD_CFGI_STE) | FIELD_PREP(CMD_SID, sid),
		CMD_LEAF,
	} };

	return smmu_cmd_run(su, cmd, 1);
}

/**
 * smmu_cfgi_all() - drop every cached configuration
 * @su: the unit
 *
 * CFGI_STE_RANGE with Range 31, the spec's CFGI_ALL (4.3.3).
 *
 * Context: Any context.
 * Return: as smmu_cmd_run().
 */
int smmu_cfgi_all(struct smmu_unit *su)
{
	u64 cmd[1][CMD_DWORDS] = { {
		FIELD_PREP(CMD_OPCODE, CMD_CFGI_STE_RANGE),
		FIELD_PREP(CMD_RANGE, CMD_RANGE_ALL),
	} };

	return smmu_cmd_run(su, cmd, 1);
}

/**
 * smmu_tlbi_all() - invalidate every non-secure translation
 * @su: the unit
 *
 * Context: Any context.
 * Return: as smmu_cmd_run().
 */
int smmu_tlbi_all(struct smmu_unit *su)
{
	u64 cmd[1][CMD_DWORDS] = { { FIELD_PREP(CMD_OPCODE,
						 CMD_TLBI_NSNH_ALL), 0 } };

	return smmu_cmd_run(su, cmd, 1);
}

/**
 * smmu_tlbi_domain() - invalidate every translation of a domain
 * @dom: a paging domain
 *
 * Stage 1: TLBI_NH_ASID of its ASID (VMID 0, as its STEs: 4.4.2);
 * stage 2: TLBI_S12_VMALL of its VMID.
 *
 * Context: Any context.
 * Return: as smmu_cmd_run().
 */
int smmu_tlbi_domain(struct smmu_domain *dom)
{
	u64 cmd[1][CMD_DWORDS] = { { 0, 0 } };

	if (dom->stage == 1)
		cmd[0][0] = FIELD_PREP(CMD_OPCODE, CMD_TLBI_NH_ASID) |
			    FIELD_PREP(CMD_ASID, dom->asid);
	else
		cmd[0][0] = FIELD_PREP(CMD_OPCODE, CMD_TLBI_S12_VMALL) |
			    FIELD_PREP(CMD_VMID, dom->vmid);
	return smmu_cmd_run(dom->su, cmd, 1);
}

/* TLBI TG encodings (4.4.1): 1 4K, 2 16K, 3 64K. */
static unsigned int smmu_tlbi_tg(unsigned int granule)
{
	return (granule - 10) / 2;
}

#define SMMU_TLBI_BATCH		16

/**
 * smmu_tlbi_range() - invalidate a domain's translations of an IOVA range
 * @dom: a paging domain
 * @start: first IOVA
 * @last: last IOVA
 * @leaf: only leaf entries changed (no table was freed)
 *
 * With range invalidation (IDR3.RIL), one command per run of (NUM + 1) <<
 * SCALE granules (4.4.1); without it, one per granule, or the whole
 * domain past SMMU_TLBI_BATCH granules.
 *
 * Context: Any context.
 * Return: as smmu_cmd_run().
 */
int smmu_tlbi_range(struct smmu_domain *dom, u64 start, u64 last, bool leaf)
{
	struct smmu_unit *su = dom->su;
	unsigned int g = su->granule, scale, num, n = 0;
	bool ril = su->idr[3] & IDR3_RIL;
	u64 cmds[SMMU_TLBI_BATCH][CMD_DWORDS];
	u64 pages = ((last | (BIT_ULL(g) - 1)) - (start & ~(BIT_ULL(g) - 1)) +
		     1) >> g;
	u64 addr = start & ~(BIT_ULL(g) - 1), op;
	int ret = 0;

	if (!ril && pages > SMMU_TLBI_BATCH)
		return smmu_tlbi_domain(dom);
	op = dom->stage == 1 ?
	     FIELD_PREP(CMD_OPCODE, CMD_TLBI_NH_VA) |
	     FIELD_PREP(CMD_ASID, dom->asid) :
	     FIELD_PREP(CMD_OPCODE, CMD_TLBI_S2_IPA) |
	     FIELD_PREP(CMD_VMID, dom->vmid);
	while (pages && !ret) {
		u64 *c = cmds[n++];

		if (ril) {
			scale = min_t(unsigned int, __ffs64(pages), 31);
			num = min_t(u64, pages >> scale, 32);
			c[0] = op | FIELD_PREP(CMD_SCALE, scale) |
			       FIELD_PREP(CMD_NUM, num - 1);
			c[1] = FIELD_PREP(CMD_TG, smmu_tlbi_tg(g)) |
			       (addr & CMD_ADDR) | (leaf ? CMD_LEAF : 0);
			addr += (u64)num << (scale + g);
			pages -= (u64)num << scale;
		} else {
			c[0] = op;
			c[1] = (addr & CMD_ADDR) | (leaf ? CMD_LEAF : 0);
			addr += BIT_ULL(g);
			pages--;
		}
		if (n == SMMU_TLBI_BATCH || !pages) {
			ret = smmu_cmd_run(su, cmds, n);
			n = 0;
		}
	}
	return ret;
}
