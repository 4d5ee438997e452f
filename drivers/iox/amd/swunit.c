// SPDX-License-Identifier: GPL-2.0
/*
 * A software AMD-Vi unit, for the KUnit suite iox_amd_cmdq: a model, not
 * hardware, written from the AMD spec (2.2.2, 2.4, 3.4.1-3.4.2,
 * 3.4.10-3.4.11) apart from the driver's code.
 *
 * QEMU's amd-iommu runs every command inside the tail write and keeps no
 * copy of device table entries, so no test on it can tell a driver that
 * waits for COMPLETION_WAIT, or invalidates a device table entry, from
 * one that does not. This unit can: its thread runs a command no sooner
 * than a latency after the tail passed it (a command pending at one look
 * runs at the next), and it answers every lookup of a device table entry
 * from its copy until INVALIDATE_DEVTAB_ENTRY or INVALIDATE_IOMMU_ALL
 * drops it.
 *
 * Its thread runs on a CPU of its own (tests/sw-thread.h).
 */
#include <linux/bitfield.h>
#include <linux/delay.h>
#include <linux/err.h>
#include <linux/io.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/string.h>
#include "amd-swunit.h"

/*
 * The unit's side of its registers: a read orders the loads after it (a
 * tail read before the ring entries it covers), a write the accesses
 * before it (the entries read before the head frees their slots).
 */
static u64 swunit_reg(struct swunit *u, unsigned int off)
{
	/* Pairs with the driver's writeq(). */
	return smp_load_acquire(&u->mem[off / 8]);
}

static void swunit_set_reg(struct swunit *u, unsigned int off, u64 val)
{
	/* Pairs with the driver's readq(). */
	smp_store_release(&u->mem[off / 8], val);
}

/* The entry the table holds for @devid now (zero past its end). */
static void swunit_table_read(struct swunit *u, u16 devid, u64 *e)
{
	u64 base = swunit_reg(u, AMD_MMIO_DEVTAB);
	unsigned int entries = (FIELD_GET(AMD_DEVTAB_SIZE, base) + 1) *
			       AMD_DTE_PER_PAGE;
	u64 *table = phys_to_virt(base & AMD_BASE_ADDR);
	unsigned int i;

	memset(e, 0, AMD_DTE_BYTES);
	if (!(base & AMD_BASE_ADDR) || devid >= entries)
		return;
	for (i = 0; i < AMD_DTE_QWORDS; i++)
		e[i] = READ_ONCE(table[devid * AMD_DTE_QWORDS + i]);
}

static void swunit_drop(struct swunit *u, bool all, u16 devid)
{
	unsigned int i;

	for (i = 0; i < SWUNIT_DTE_CACHE; i++)
		if (all || u->cache[i].devid == devid)
			u->cache[i].valid = false;
}

/* Run one command (AMD spec 2.4); false if the unit does not know it. */
static bool swunit_run(struct swunit *u, const u32 *c)
{
	unsigned int opcode = FIELD_GET(AMD_CMD_OPCODE, c[1]);
	struct swunit_done done = { .opcode = opcode };
	u64 addr, data;

	switch (opcode) {
	case AMD_CMD_COMPLETION_WAIT:
		if (c[0] & AMD_CMD_CW_STORE) {
			addr = (u64)FIELD_GET(AMD_CMD_CW_ADDR_HI, c[1]) << 32 |
			       (c[0] & AMD_CMD_CW_ADDR_LO);
			data = (u64)c[3] << 32 | c[2];
			/* What ran before is done before the driver sees it. */
			smp_store_release((u64 *)phys_to_virt(addr), data);
		}
		break;
	case AMD_CMD_INV_DEVTAB:
		done.id = FIELD_GET(AMD_CMD_DEVID, c[0]);
		swunit_drop(u, false, done.id);
		swunit_table_read(u, done.id, done.dte);
		break;
	case AMD_CMD_INV_PAGES:
		done.id = FIELD_GET(AMD_CMD_DOMID, c[1]);
		break;
	case AMD_CMD_INV_ALL:
		swunit_drop(u, true, 0);
		break;
	default:
		return false;
	}
	if (u->nr_done < SWUNIT_LOG)
		u->log[u->nr_done] = done;
	u->nr_done++;
	return true;
}

/* One look at the command buffer: run what was pending at the last. */
static void swunit_poll(void *arg)
{
	struct swunit *u = arg;
	u64 base = swunit_reg(u, AMD_MMIO_CMDBUF);
	u32 size = AMD_CMD_BYTES << FIELD_GET(AMD_RING_LEN, base);
	u32 *ring = phys_to_virt(base & AMD_BASE_ADDR);
	u32 head;

	spin_lock(&u->lock);
	if (u->paused || u->illegal ||
	    !(swunit_reg(u, AMD_MMIO_CONTROL) & AMD_CTRL_CMDBUF_EN))
		goto out;
	head = swunit_reg(u, AMD_MMIO_CMD_HEAD) & AMD_RING_PTR;
	while (head != u->seen_tail) {
		if (!swunit_run(u, ring + head / 4)) {
			u->illegal = true;
			break;
		}
		head = (head + AMD_CMD_BYTES) % size;
		swunit_set_reg(u, AMD_MMIO_CMD_HEAD, head);
	}
out:
	u->seen_tail = swunit_reg(u, AMD_MMIO_CMD_TAIL) & AMD_RING_PTR;
	spin_unlock(&u->lock);
}

/**
 * swunit_start() - bring a software unit up: registers zero, thread on
 * @u: the unit, zeroed
 * @latency_us: the least time between a tail write and the commands it
 *	passes running; at least 1
 *
 * Context: Process context; in the kernel binds the caller to its CPU
 * until swunit_stop().
 * Return: 0, -ENODEV without a CPU for it, or a negative errno.
 */
int swunit_start(struct swunit *u, unsigned int latency_us)
{
	int ret;

	u->mem = kzalloc(AMD_MMIO_SIZE, GFP_KERNEL);
	if (!u->mem)
		return -ENOMEM;
	u->regs = (void __force __iomem *)u->mem;
	spin_lock_init(&u->lock);
	ret = iox_sw_thread_start(&u->thread, swunit_poll, u, latency_us,
				  "iox-swunit");
	if (ret) {
		kfree(u->mem);
		u->mem = NULL;
	}
	return ret;
}

/**
 * swunit_stop() - end the unit's thread and free its registers
 * @u: the unit, started
 *
 * Context: Process context.
 */
void swunit_stop(struct swunit *u)
{
	iox_sw_thread_stop(&u->thread);
	kfree(u->mem);
	u->mem = NULL;
}

/**
 * swunit_set_paused() - stop or resume running commands
 * @u: the unit
 * @paused: true: commands wait in the ring
 *
 * Context: Process context.
 */
void swunit_set_paused(struct swunit *u, bool paused)
{
	spin_lock(&u->lock);
	u->paused = paused;
	spin_unlock(&u->lock);
}

/**
 * swunit_dte() - the device table entry the unit uses for a DeviceID
 * @u: the unit
 * @devid: the DeviceID a request carries
 * @e: gets the entry: the unit's copy, else the table's (now copied)
 *
 * What a DMA request from @devid would be translated by.
 *
 * Context: Process context.
 */
void swunit_dte(struct swunit *u, u16 devid, u64 *e)
{
	struct swunit_dte *slot;
	unsigned int i;

	spin_lock(&u->lock);
	for (i = 0; i < SWUNIT_DTE_CACHE; i++) {
		slot = &u->cache[i];
		if (slot->valid && slot->devid == devid)
			goto hit;
	}
	slot = &u->cache[u->next_evict];
	u->next_evict = (u->next_evict + 1) % SWUNIT_DTE_CACHE;
	slot->valid = true;
	slot->devid = devid;
	swunit_table_read(u, devid, slot->e);
hit:
	memcpy(e, slot->e, AMD_DTE_BYTES);
	spin_unlock(&u->lock);
}

/**
 * swunit_nr_done() - how many commands the unit ran
 * @u: the unit
 *
 * Context: Process context.
 * Return: the count.
 */
unsigned int swunit_nr_done(struct swunit *u)
{
	unsigned int n;

	spin_lock(&u->lock);
	n = u->nr_done;
	spin_unlock(&u->lock);
	return n;
}
