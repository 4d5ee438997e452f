// SPDX-License-Identifier: GPL-2.0
/*
 * iox-amd: the command buffer (AMD spec 2.4, 3.4.2, 3.4.10-3.4.11).
 *
 * Commands are written at the tail of a 256-entry ring and the tail
 * register moved past them; the unit runs them in order. Every
 * invalidation iox issues ends with a COMPLETION_WAIT that stores a new
 * sequence number to memory, polled: once it is there, every command
 * before it completed. (QEMU's model never sets the status bits a wait
 * interrupt would clear, so the store is also the only completion it
 * shows.)
 */
#define pr_fmt(fmt) "iox-amd: " fmt

#include <linux/bitfield.h>
#include <linux/delay.h>
#include <linux/io.h>
#include <linux/ktime.h>
#include <linux/slab.h>
#include "amd-priv.h"

#define AMD_CMD_TIMEOUT_US	1000000
#define AMD_CMD_RING_BYTES	(AMD_RING_ENTRIES * AMD_CMD_BYTES)

/**
 * amd_ring_init() - allocate a ring and program its registers
 * @au: the unit, with translation off
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
int amd_ring_init(struct amd_unit *au, struct amd_ring *ring,
		  unsigned int base_reg, unsigned int head_reg)
{
	ring->base = (u32 *)get_zeroed_page(GFP_KERNEL);
	if (!ring->base)
		return -ENOMEM;
	ring->index = 0;
	writeq(virt_to_phys(ring->base) |
	       FIELD_PREP(AMD_RING_LEN, AMD_RING_LEN_LOG2), au->regs + base_reg);
	writeq(0, au->regs + head_reg);
	writeq(0, au->regs + head_reg + 8);
	return 0;
}

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

/**
 * amd_cmd_init() - allocate and program the command buffer
 * @au: the unit, with translation off
 *
 * Context: Process context.
 * Return: 0 or -ENOMEM.
 */
int amd_cmd_init(struct amd_unit *au)
{
	au->cmd_sem = kzalloc(sizeof(*au->cmd_sem), GFP_KERNEL);
	if (!au->cmd_sem)
		return -ENOMEM;
	au->cmd_seq = 0;
	return amd_ring_init(au, &au->cmd, AMD_MMIO_CMDBUF, AMD_MMIO_CMD_HEAD);
}

/**
 * amd_cmd_free() - free the command buffer
 * @au: the unit, with its command buffer disabled
 *
 * Context: Process context.
 */
void amd_cmd_free(struct amd_unit *au)
{
	amd_ring_free(&au->cmd);
	kfree(au->cmd_sem);
	au->cmd_sem = NULL;
}

/* Wait until the unit's head leaves the slot after @index. */
static int amd_cmd_wait_space(struct amd_unit *au, unsigned int next)
{
	unsigned int us;
	u32 head;

	for (us = 0; us < AMD_CMD_TIMEOUT_US; us++) {
		/* QEMU's head reads the ring size right after a wrap. */
		head = (readq(au->regs + AMD_MMIO_CMD_HEAD) & AMD_RING_PTR) %
		       AMD_CMD_RING_BYTES;
		if (head / AMD_CMD_BYTES != next)
			return 0;
		udelay(1);
	}
	pr_err("%s: command buffer stuck full (head %#x)\n", au->name, head);
	return -ETIMEDOUT;
}

/* Put one command in the ring and move the tail past it. */
static int amd_cmd_queue(struct amd_unit *au, const u32 *cmd)
{
	unsigned int next = (au->cmd.index + 1) % AMD_RING_ENTRIES;
	int ret;

	lockdep_assert_held(&au->cmd_lock);
	ret = amd_cmd_wait_space(au, next);
	if (ret)
		return ret;
	memcpy(au->cmd.base + au->cmd.index * 4, cmd, AMD_CMD_BYTES);
	au->cmd.index = next;
	/* writeq orders the entry's stores before the tail moves. */
	writeq(next * AMD_CMD_BYTES, au->regs + AMD_MMIO_CMD_TAIL);
	atomic_long_inc(&au->nr_cmds);
	return 0;
}

/* COMPLETION_WAIT with a store, polled: every earlier command is done. */
static int amd_cmd_sync(struct amd_unit *au)
{
	u32 cmd[4];
	unsigned int us;
	u64 seq;
	int ret;

	lockdep_assert_held(&au->cmd_lock);
	seq = ++au->cmd_seq;
	amd_cmd_completion_wait(cmd, virt_to_phys(au->cmd_sem), seq);
	ret = amd_cmd_queue(au, cmd);
	if (ret)
		return ret;
	for (us = 0; us < AMD_CMD_TIMEOUT_US; us++) {
		if (READ_ONCE(*au->cmd_sem) == seq)
			return 0;
		udelay(1);
	}
	pr_err("%s: COMPLETION_WAIT %llu did not complete (status %#llx)\n",
	       au->name, seq, readq(au->regs + AMD_MMIO_STATUS));
	return -ETIMEDOUT;
}

/* Issue @n commands and wait for them. */
static int amd_cmd_run(struct amd_unit *au, const u32 (*cmds)[4],
		       unsigned int n)
{
	unsigned long flags;
	unsigned int i;
	int ret = 0;

	if (!au->enabled)
		return 0;
	spin_lock_irqsave(&au->cmd_lock, flags);
	for (i = 0; i < n && !ret; i++)
		ret = amd_cmd_queue(au, cmds[i]);
	if (!ret)
		ret = amd_cmd_sync(au);
	spin_unlock_irqrestore(&au->cmd_lock, flags);
	return ret;
}

/**
 * amd_inv_dte() - drop the unit's cached copy of a device table entry
 * @au: the unit
 * @devid: the DeviceID
 *
 * Context: Any context; takes @au->cmd_lock.
 * Return: 0 once the unit completed it, or -ETIMEDOUT.
 */
int amd_inv_dte(struct amd_unit *au, u16 devid)
{
	u32 cmd[1][4];

	amd_cmd_inv_devtab(cmd[0], devid);
	return amd_cmd_run(au, cmd, 1);
}

/**
 * amd_inv_pages() - invalidate a domain's translations of an IOVA range
 * @au: the unit
 * @did: the domain ID
 * @start: first IOVA
 * @last: last IOVA
 * @pde: directory entries changed too
 *
 * One INVALIDATE_IOMMU_PAGES of the smallest aligned block covering the
 * range (amd_cmd_inv_pages()), then a completion wait.
 *
 * Context: Any context; takes @au->cmd_lock.
 * Return: 0 once the unit completed it, or -ETIMEDOUT.
 */
int amd_inv_pages(struct amd_unit *au, u16 did, u64 start, u64 last,
		  bool pde)
{
	u32 cmd[1][4];

	amd_cmd_inv_pages(cmd[0], did, start, last, pde);
	return amd_cmd_run(au, cmd, 1);
}

/**
 * amd_inv_domain() - invalidate every translation of a domain ID
 * @au: the unit
 * @did: the domain ID
 *
 * Context: Any context; takes @au->cmd_lock.
 * Return: 0 once the unit completed it, or -ETIMEDOUT.
 */
int amd_inv_domain(struct amd_unit *au, u16 did)
{
	return amd_inv_pages(au, did, 0, U64_MAX, true);
}

/**
 * amd_inv_all() - invalidate every cache of the unit
 * @au: the unit
 *
 * INVALIDATE_IOMMU_ALL where EFR.IASup says the unit has it; else every
 * device table entry the table covers and every domain ID iox hands out,
 * in batches that fit the ring.
 *
 * Context: Process context; takes @au->cmd_lock.
 * Return: 0 once the unit completed it, or -ETIMEDOUT.
 */
int amd_inv_all(struct amd_unit *au)
{
	u32 (*cmds)[4];
	unsigned int id, n = 0, batch = AMD_RING_ENTRIES / 2;
	int ret = 0;

	if (au->efr & AMD_EFR_IA) {
		u32 cmd[1][4];

		amd_cmd_inv_all(cmd[0]);
		return amd_cmd_run(au, cmd, 1);
	}
	cmds = kmalloc_array(batch, sizeof(*cmds), GFP_KERNEL);
	if (!cmds)
		return -ENOMEM;
	for (id = 0; id <= au->last_devid && !ret; id++) {
		amd_cmd_inv_devtab(cmds[n++], id);
		if (n == batch || id == au->last_devid) {
			ret = amd_cmd_run(au, cmds, n);
			n = 0;
		}
	}
	for (id = AMD_DID_PT; id < AMD_NR_DIDS && !ret; id++) {
		amd_cmd_inv_pages(cmds[n++], id, 0, U64_MAX, true);
		if (n == batch || id == AMD_NR_DIDS - 1) {
			ret = amd_cmd_run(au, cmds, n);
			n = 0;
		}
	}
	kfree(cmds);
	return ret;
}
