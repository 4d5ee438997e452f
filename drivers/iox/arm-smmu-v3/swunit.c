// SPDX-License-Identifier: GPL-2.0
/*
 * A software SMMUv3, for the KUnit suite iox_smmu_cmdq: a model, not
 * hardware, written from the SMMUv3 spec (4.1-4.7, 6.3.17, 7.1) apart
 * from the driver's code.
 *
 * QEMU's smmuv3 runs every command inside the PROD write, and completes
 * each as it reads it, so no test on it can tell a driver that ends its
 * batches with CMD_SYNC, or waits for it, from one that does not. This
 * unit can: its thread consumes a command no sooner than a latency after
 * PROD passed it (a command pending at one look is consumed at the
 * next), and a CFGI_STE it consumed takes effect only at the CMD_SYNC
 * after it (4.7.3: only CMD_SYNC says that earlier commands completed):
 * until then it keeps using its copy of the STE. An unknown command
 * stops it with CONS.ERR = CERROR_ILL and GERROR.CMDQ_ERR (7.1), until
 * software acknowledges the error.
 *
 * Its thread runs on a CPU of its own (tests/sw-thread.h).
 */
#include <linux/bitfield.h>
#include <linux/delay.h>
#include <linux/io.h>
#include <linux/mm.h>
#include <linux/sizes.h>
#include <linux/slab.h>
#include "smmu-hw.h"
#include "smmu-swunit.h"

static u32 smmu_swunit_reg(struct smmu_swunit *u, unsigned int off)
{
	/* Pairs with the driver's writel(): entries before PROD. */
	return smp_load_acquire(&u->mem[off / 4]);
}

static void smmu_swunit_set_reg(struct smmu_swunit *u, unsigned int off,
				u32 val)
{
	/* Pairs with the driver's readl(): entries read before CONS. */
	smp_store_release(&u->mem[off / 4], val);
}

/* Consume one command (4.1-4.7); false if the unit does not know it. */
static bool smmu_swunit_run(struct smmu_swunit *u, const u64 *c)
{
	unsigned int opcode = FIELD_GET(CMD_OPCODE, c[0]);
	struct smmu_swunit_done done = { .opcode = opcode };
	u32 sid;

	switch (opcode) {
	case CMD_CFGI_STE:
		sid = FIELD_GET(CMD_SID, c[0]);
		done.arg = sid;
		if (sid < SMMU_SWUNIT_SIDS)
			u->pending |= BIT_ULL(sid);
		break;
	case CMD_CFGI_STE_RANGE:
		u->pending = ~0ULL;
		break;
	case CMD_TLBI_NH_ASID:
		done.arg = FIELD_GET(CMD_ASID, c[0]);
		break;
	case CMD_CFGI_CD:
	case CMD_TLBI_NH_VA:
	case CMD_TLBI_S12_VMALL:
	case CMD_TLBI_S2_IPA:
	case CMD_TLBI_NSNH_ALL:
		break;
	case CMD_SYNC:
		u->cached &= ~u->pending;
		u->pending = 0;
		break;
	default:
		return false;
	}
	if (u->nr_done < SMMU_SWUNIT_LOG)
		u->log[u->nr_done] = done;
	u->nr_done++;
	return true;
}

/* One look at the queue: consume what was pending at the last. */
static void smmu_swunit_poll(void *arg)
{
	struct smmu_swunit *u = arg;
	u64 base = (u64)smmu_swunit_reg(u, SMMU_CMDQ_BASE + 4) << 32 |
		   smmu_swunit_reg(u, SMMU_CMDQ_BASE);
	unsigned int log2size = FIELD_GET(Q_BASE_LOG2SIZE, base);
	u64 *q = phys_to_virt(base & Q_BASE_ADDR);
	u32 ptr_mask = BIT(log2size + 1) - 1, cons;

	spin_lock(&u->lock);
	if (u->paused || !(smmu_swunit_reg(u, SMMU_CR0) & CR0_CMDQEN) ||
	    ((smmu_swunit_reg(u, SMMU_GERROR) ^
	      smmu_swunit_reg(u, SMMU_GERRORN)) & GERROR_CMDQ_ERR))
		goto out;
	cons = smmu_swunit_reg(u, SMMU_CMDQ_CONS) & ptr_mask;
	while (cons != u->seen_prod) {
		if (!smmu_swunit_run(u, q + (cons & (BIT(log2size) - 1)) *
					   CMD_DWORDS)) {
			u->nr_errors++;
			smmu_swunit_set_reg(u, SMMU_CMDQ_CONS, cons |
					    FIELD_PREP(CMDQ_CONS_ERR,
						       CMDQ_ERR_ILL));
			smmu_swunit_set_reg(u, SMMU_GERROR,
					    smmu_swunit_reg(u, SMMU_GERROR) ^
					    GERROR_CMDQ_ERR);
			break;
		}
		cons = (cons + 1) & ptr_mask;
		smmu_swunit_set_reg(u, SMMU_CMDQ_CONS, cons);
	}
out:
	u->seen_prod = smmu_swunit_reg(u, SMMU_CMDQ_PROD) & ptr_mask;
	spin_unlock(&u->lock);
}

/**
 * smmu_swunit_start() - bring a software SMMUv3 up: registers zero
 * @u: the unit, zeroed
 * @latency_us: the least time between a PROD write and the commands it
 *	passes being consumed; at least 1
 *
 * Context: Process context; in the kernel binds the caller to its CPU
 * until smmu_swunit_stop() (tests/sw-thread.h).
 * Return: 0, -ENODEV without a CPU for it, or a negative errno.
 */
int smmu_swunit_start(struct smmu_swunit *u, unsigned int latency_us)
{
	int ret;

	u->mem = kzalloc(SMMU_SWUNIT_REGS, GFP_KERNEL);
	if (!u->mem)
		return -ENOMEM;
	u->regs = (void __force __iomem *)u->mem;
	spin_lock_init(&u->lock);
	ret = iox_sw_thread_start(&u->thread, smmu_swunit_poll, u, latency_us,
				  "iox-smmu-swunit");
	if (ret) {
		kfree(u->mem);
		u->mem = NULL;
	}
	return ret;
}

/**
 * smmu_swunit_stop() - end the unit's thread and free its registers
 * @u: the unit, started
 *
 * Context: Process context.
 */
void smmu_swunit_stop(struct smmu_swunit *u)
{
	iox_sw_thread_stop(&u->thread);
	kfree(u->mem);
	u->mem = NULL;
}

/**
 * smmu_swunit_set_paused() - stop or resume consuming commands
 * @u: the unit
 * @paused: true: commands wait in the queue
 *
 * Context: Process context.
 */
void smmu_swunit_set_paused(struct smmu_swunit *u, bool paused)
{
	spin_lock(&u->lock);
	u->paused = paused;
	spin_unlock(&u->lock);
}

/**
 * smmu_swunit_use_ste() - a stream's DMA: the unit fetches its STE
 * @u: the unit
 * @sid: the stream ID, below SMMU_SWUNIT_SIDS
 *
 * Context: Process context.
 */
void smmu_swunit_use_ste(struct smmu_swunit *u, u32 sid)
{
	spin_lock(&u->lock);
	if (sid < SMMU_SWUNIT_SIDS)
		u->cached |= BIT_ULL(sid);
	spin_unlock(&u->lock);
}

/**
 * smmu_swunit_ste_cached() - does the unit still hold a stream's STE?
 * @u: the unit
 * @sid: the stream ID, below SMMU_SWUNIT_SIDS
 *
 * Context: Process context.
 * Return: true if a DMA of @sid would use the copy, not the table.
 */
bool smmu_swunit_ste_cached(struct smmu_swunit *u, u32 sid)
{
	bool cached;

	spin_lock(&u->lock);
	cached = sid < SMMU_SWUNIT_SIDS && (u->cached & BIT_ULL(sid));
	spin_unlock(&u->lock);
	return cached;
}

/**
 * smmu_swunit_nr_done() - how many commands the unit consumed
 * @u: the unit
 *
 * Context: Process context.
 * Return: the count.
 */
unsigned int smmu_swunit_nr_done(struct smmu_swunit *u)
{
	unsigned int n;

	spin_lock(&u->lock);
	n = u->nr_done;
	spin_unlock(&u->lock);
	return n;
}
