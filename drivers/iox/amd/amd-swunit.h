/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A software AMD-Vi unit for the KUnit suite iox_amd_cmdq (swunit.c): a
 * register file in memory and a thread that runs the command buffer
 * late, and caches device table entries until told to drop them. A test
 * model, not hardware: it runs only what iox issues.
 */
#ifndef _IOX_AMD_SWUNIT_H
#define _IOX_AMD_SWUNIT_H

#include <linux/spinlock.h>
#include <linux/types.h>
#include "amd-hw.h"
#include "../tests/sw-thread.h"

#define SWUNIT_DTE_CACHE	4	/* entries it keeps */
#define SWUNIT_LOG		1024	/* commands it remembers */

/**
 * struct swunit_done - a command the unit ran
 * @opcode: AMD_CMD_*
 * @id: INVALIDATE_DEVTAB_ENTRY: the DeviceID; INVALIDATE_IOMMU_PAGES:
 *	the DomainID
 * @dte: INVALIDATE_DEVTAB_ENTRY: the entry in the table as the unit
 *	dropped its copy (what it would read next)
 */
struct swunit_done {
	unsigned int opcode;
	u16 id;
	u64 dte[AMD_DTE_QWORDS];
};

/**
 * struct swunit_dte - a device table entry the unit holds a copy of
 * @valid: the slot holds one
 * @devid: its DeviceID
 * @e: the copy
 */
struct swunit_dte {
	bool valid;
	u16 devid;
	u64 e[AMD_DTE_QWORDS];
};

/**
 * struct swunit - the software unit
 * @mem: its register file
 * @regs: @mem, as the driver's accessors take it
 * @thread: its thread; a command runs no sooner than its period after
 *	the tail passed it
 * @lock: protects everything below
 * @paused: runs no command
 * @seen_tail: the tail at its last look
 * @cache: its device table entry cache
 * @next_evict: the slot the next miss replaces
 * @log: what it ran, in order
 * @nr_done: how many it ran (@log keeps the first SWUNIT_LOG)
 * @illegal: it met a command it does not know (and stopped)
 */
struct swunit {
	u64 *mem;
	void __iomem *regs;
	struct iox_sw_thread thread;
	spinlock_t lock;	/* what follows */
	bool paused;
	u32 seen_tail;
	struct swunit_dte cache[SWUNIT_DTE_CACHE];
	unsigned int next_evict;
	struct swunit_done log[SWUNIT_LOG];
	unsigned int nr_done;
	bool illegal;
};

int swunit_start(struct swunit *u, unsigned int latency_us);
void swunit_stop(struct swunit *u);
void swunit_set_paused(struct swunit *u, bool paused);
void swunit_dte(struct swunit *u, u16 devid, u64 *e);
unsigned int swunit_nr_done(struct swunit *u);

#endif /* _IOX_AMD_SWUNIT_H */
