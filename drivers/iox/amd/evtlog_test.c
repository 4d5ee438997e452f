// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit suite iox_amd_hw: the AMD-Vi driver's command encoding and its
 * event log, against the AMD spec's layouts.
 *
 * QEMU's amd-iommu never writes its event log (Documentation/iox/amd.rst),
 * so the event-log code is proven here against a software one: a register
 * file and a ring in memory, into which the test logs events as a unit
 * would (entry at the tail, then the tail register moved), and which
 * amd_evtlog_drain() must read, decode, acknowledge and restart after an
 * overflow exactly as the spec says.
 */
#include <kunit/test.h>
#include <linux/bitfield.h>
#include <linux/io.h>
#ifdef CONFIG_INDIRECT_IOMEM
#include <linux/ioport.h>
#include <linux/logic_iomem.h>
#endif
#include <linux/slab.h>
#include <linux/string.h>
#include "amd-hw.h"
#include "amd-test.h"

#define EVT_RING_BYTES		(AMD_RING_ENTRIES * AMD_EVT_BYTES)
#define MAX_SEEN		8

/**
 * struct sw_log - a software event log and what the drain reported
 * @regs: the unit's register file: memory standing in for MMIO (on
 *	UML, an emulated region over memory)
 * @ring: the event log
 * @seen: events passed to the callback, in order
 * @nr_seen: how many
 */
struct sw_log {
	void __iomem *regs;
	u32 *ring;
	struct amd_event seen[MAX_SEEN];
	unsigned int nr_seen;
};

static void sw_seen(void *arg, const struct amd_event *ev)
{
	struct sw_log *log = arg;

	if (log->nr_seen < MAX_SEEN)
		log->seen[log->nr_seen] = *ev;
	log->nr_seen++;
}

static u64 sw_reg(struct sw_log *log, unsigned int off)
{
	return readq(log->regs + off);
}

static void sw_set_reg(struct sw_log *log, unsigned int off, u64 val)
{
	writeq(val, log->regs + off);
}

#ifdef CONFIG_INDIRECT_IOMEM
/*
 * UML's MMIO accessors reach only regions an emulated device registered
 * (lib/logic_iomem.c): the register file is one, mapped per case.
 */
static unsigned long sw_uml_read(void *priv, unsigned int off, int size)
{
	unsigned long val = 0;

	memcpy(&val, (u8 *)priv + off, size);
	return val;
}

static void sw_uml_write(void *priv, unsigned int off, int size,
			 unsigned long val)
{
	memcpy((u8 *)priv + off, &val, size);
}

static const struct logic_iomem_ops sw_uml_ops = {
	.read = sw_uml_read,
	.write = sw_uml_write,
};

static void *sw_uml_next;	/* the register file the next map gets */

static long sw_uml_map(unsigned long off, size_t size,
		       const struct logic_iomem_ops **ops, void **priv)
{
	*ops = &sw_uml_ops;
	*priv = sw_uml_next;
	return off;
}

static const struct logic_iomem_region_ops sw_uml_region = {
	.map = sw_uml_map,
};

/* Below UML's virtual PCI windows (arch/um/drivers/virt-pci.c), above RAM. */
static struct resource sw_uml_res =
	DEFINE_RES_MEM_NAMED(0xd0000000, AMD_MMIO_SIZE, "iox-amd-hw-test");

static void __iomem *sw_regs_map(struct kunit *test, void *mem)
{
	static bool added;
	void __iomem *regs;

	if (!added) {
		KUNIT_ASSERT_EQ(test, logic_iomem_add_region(&sw_uml_res,
							     &sw_uml_region),
				0);
		added = true;
	}
	sw_uml_next = mem;
	regs = ioremap(sw_uml_res.start, AMD_MMIO_SIZE);
	KUNIT_ASSERT_TRUE(test, !!regs);
	return regs;
}

static void sw_regs_unmap(void __iomem *regs)
{
	iounmap(regs);
}
#else
/* Elsewhere MMIO accessors are plain loads and stores: memory will do. */
static void __iomem *sw_regs_map(struct kunit *test, void *mem)
{
	return (void __force __iomem *)mem;
}

static void sw_regs_unmap(void __iomem *regs)
{
}
#endif

static struct sw_log *sw_log_new(struct kunit *test)
{
	struct sw_log *log = kunit_kzalloc(test, sizeof(*log), GFP_KERNEL);
	void *regs;

	KUNIT_ASSERT_NOT_NULL(test, log);
	regs = kunit_kzalloc(test, AMD_MMIO_SIZE, GFP_KERNEL);
	log->ring = kunit_kzalloc(test, EVT_RING_BYTES, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, regs);
	KUNIT_ASSERT_NOT_NULL(test, log->ring);
	log->regs = sw_regs_map(test, regs);
	test->priv = log;
	sw_set_reg(log, AMD_MMIO_CONTROL, AMD_CTRL_IOMMU_EN |
		   AMD_CTRL_EVTLOG_EN | AMD_CTRL_CMDBUF_EN);
	return log;
}

static void sw_case_exit(struct kunit *test)
{
	struct sw_log *log = test->priv;

	if (log)
		sw_regs_unmap(log->regs);
}

/* The unit logs an IO_PAGE_FAULT (AMD spec 2.5.3) at its tail. */
static void sw_log_fault(struct sw_log *log, u16 devid, u16 domid,
			 u32 flags, u64 addr)
{
	u32 tail = sw_reg(log, AMD_MMIO_EVT_TAIL) & AMD_RING_PTR;
	u32 *e = log->ring + tail / 4;

	e[0] = devid;
	e[1] = FIELD_PREP(AMD_EVT_CODE, AMD_EVT_IO_PAGE_FAULT) | flags |
	       domid;
	e[2] = lower_32_bits(addr);
	e[3] = upper_32_bits(addr);
	sw_set_reg(log, AMD_MMIO_EVT_TAIL,
		   (tail + AMD_EVT_BYTES) % EVT_RING_BYTES);
}

static unsigned int sw_drain(struct sw_log *log, bool *overflow)
{
	return amd_evtlog_drain(log->regs, log->ring, sw_seen, log, overflow);
}

/* Three faults come out in order, the head follows, the slots are freed. */
static void evtlog_drains_in_order(struct kunit *test)
{
	struct sw_log *log = sw_log_new(test);
	bool overflow = true;
	unsigned int i;

	for (i = 0; i < 3; i++)
		sw_log_fault(log, 0x18 + i, 3, AMD_EVT_RW | AMD_EVT_PR,
			     0x200000 + i * 0x1000);
	KUNIT_ASSERT_EQ(test, sw_drain(log, &overflow), 3);
	KUNIT_EXPECT_FALSE(test, overflow);
	for (i = 0; i < 3; i++) {
		KUNIT_EXPECT_EQ(test, log->seen[i].code, AMD_EVT_IO_PAGE_FAULT);
		KUNIT_EXPECT_EQ(test, log->seen[i].devid, 0x18 + i);
		KUNIT_EXPECT_EQ(test, log->seen[i].domid, 3);
		KUNIT_EXPECT_EQ(test, log->seen[i].addr, 0x200000 + i * 0x1000);
	}
	KUNIT_EXPECT_EQ(test, sw_reg(log, AMD_MMIO_EVT_HEAD),
			3 * AMD_EVT_BYTES);
	KUNIT_EXPECT_TRUE(test, !memchr_inv(log->ring, 0, 3 * AMD_EVT_BYTES));
	/* Nothing new: nothing reported. */
	KUNIT_EXPECT_EQ(test, sw_drain(log, &overflow), 0);
	KUNIT_EXPECT_EQ(test, log->nr_seen, 3);
}

/* Events across the end of the ring come out in order, head wrapped. */
static void evtlog_wraps(struct kunit *test)
{
	struct sw_log *log = sw_log_new(test);
	unsigned int i, start = (AMD_RING_ENTRIES - 2) * AMD_EVT_BYTES;
	bool overflow;

	sw_set_reg(log, AMD_MMIO_EVT_HEAD, start);
	sw_set_reg(log, AMD_MMIO_EVT_TAIL, start);
	for (i = 0; i < 5; i++)
		sw_log_fault(log, i, 7, 0, (u64)i << 12);
	KUNIT_EXPECT_EQ(test, sw_reg(log, AMD_MMIO_EVT_TAIL),
			3 * AMD_EVT_BYTES);
	KUNIT_ASSERT_EQ(test, sw_drain(log, &overflow), 5);
	for (i = 0; i < 5; i++)
		KUNIT_EXPECT_EQ(test, log->seen[i].addr, (u64)i << 12);
	KUNIT_EXPECT_EQ(test, sw_reg(log, AMD_MMIO_EVT_HEAD),
			3 * AMD_EVT_BYTES);
}

/*
 * The tail moved before the entry's bytes were visible: the drain stops
 * at the empty slot and the next one takes it.
 */
static void evtlog_entry_not_yet_written(struct kunit *test)
{
	struct sw_log *log = sw_log_new(test);
	bool overflow;

	sw_log_fault(log, 1, 4, 0, 0x1000);
	sw_set_reg(log, AMD_MMIO_EVT_TAIL, 2 * AMD_EVT_BYTES);
	KUNIT_EXPECT_EQ(test, sw_drain(log, &overflow), 1);
	KUNIT_EXPECT_EQ(test, sw_reg(log, AMD_MMIO_EVT_HEAD), AMD_EVT_BYTES);
	/* Now the unit's write lands. */
	sw_set_reg(log, AMD_MMIO_EVT_TAIL, AMD_EVT_BYTES);
	sw_log_fault(log, 2, 4, 0, 0x2000);
	KUNIT_EXPECT_EQ(test, sw_drain(log, &overflow), 1);
	KUNIT_EXPECT_EQ(test, log->seen[1].devid, 2);
}

/*
 * An overflow: the events logged are still reported, then the log is
 * restarted empty (EventLogEn off, both pointers 0, on again) and the
 * caller told.
 */
static void evtlog_overflow_restarts(struct kunit *test)
{
	struct sw_log *log = sw_log_new(test);
	u64 ctrl = sw_reg(log, AMD_MMIO_CONTROL);
	bool overflow = false;

	sw_set_reg(log, AMD_MMIO_EVT_HEAD, 5 * AMD_EVT_BYTES);
	sw_set_reg(log, AMD_MMIO_EVT_TAIL, 5 * AMD_EVT_BYTES);
	sw_log_fault(log, 9, 5, AMD_EVT_RW, 0xabc000);
	sw_set_reg(log, AMD_MMIO_STATUS, AMD_STATUS_EVT_OVERFLOW |
		   AMD_STATUS_EVT_RUN);
	KUNIT_EXPECT_EQ(test, sw_drain(log, &overflow), 1);
	KUNIT_EXPECT_TRUE(test, overflow);
	KUNIT_EXPECT_EQ(test, sw_reg(log, AMD_MMIO_EVT_HEAD), 0);
	KUNIT_EXPECT_EQ(test, sw_reg(log, AMD_MMIO_EVT_TAIL), 0);
	KUNIT_EXPECT_EQ(test, sw_reg(log, AMD_MMIO_CONTROL), ctrl);
	/* The restart wrote EventOverflow back (W1C) to clear it. */
	KUNIT_EXPECT_EQ(test, sw_reg(log, AMD_MMIO_STATUS),
			AMD_STATUS_EVT_OVERFLOW);
}

/* IO_PAGE_FAULT's fields as the core gets them. */
static void evtlog_fault_decode(struct kunit *test)
{
	u32 e[4] = {
		0x00050018,	/* PASID[19:16] = 5, DeviceID 00:03.0 */
		FIELD_PREP(AMD_EVT_CODE, AMD_EVT_IO_PAGE_FAULT) |
			AMD_EVT_GN | AMD_EVT_PR | AMD_EVT_PE | AMD_EVT_NX |
			0x1234,
		0x89abc000, 0x00000012,
	};
	struct iox_fault fault;
	struct amd_event ev;

	amd_evt_decode(e, &ev);
	KUNIT_EXPECT_EQ(test, ev.devid, 0x18);
	KUNIT_EXPECT_EQ(test, ev.pasid, 0x51234);
	KUNIT_EXPECT_EQ(test, ev.addr, 0x1289abc000ULL);
	amd_evt_fault(&ev, &fault);
	KUNIT_EXPECT_EQ(test, fault.iova, 0x1289abc000ULL);
	KUNIT_EXPECT_EQ(test, fault.reason, IOX_FAULT_PERMISSION);
	KUNIT_EXPECT_EQ(test, fault.flags, IOX_FAULT_READ | IOX_FAULT_EXEC |
			IOX_FAULT_PASID_VALID);
	KUNIT_EXPECT_EQ(test, fault.pasid, 0x51234);
	KUNIT_EXPECT_EQ(test, fault.hw_reason >> 16, AMD_EVT_IO_PAGE_FAULT);

	/* Not present, a write, no PASID: the DomainID is just that. */
	e[1] = FIELD_PREP(AMD_EVT_CODE, AMD_EVT_IO_PAGE_FAULT) | AMD_EVT_RW |
	       0x0003;
	amd_evt_decode(e, &ev);
	KUNIT_EXPECT_EQ(test, ev.domid, 3);
	KUNIT_EXPECT_EQ(test, ev.pasid, 0);
	amd_evt_fault(&ev, &fault);
	KUNIT_EXPECT_EQ(test, fault.reason, IOX_FAULT_NOT_PRESENT);
	KUNIT_EXPECT_EQ(test, fault.flags, IOX_FAULT_WRITE);

	/* A bad device table entry: the device has no context. */
	e[1] = FIELD_PREP(AMD_EVT_CODE, AMD_EVT_ILLEGAL_DTE);
	amd_evt_decode(e, &ev);
	amd_evt_fault(&ev, &fault);
	KUNIT_EXPECT_EQ(test, fault.reason, IOX_FAULT_CONTEXT);
	KUNIT_EXPECT_STREQ(test, amd_evt_name(ev.code),
			   "ILLEGAL_DEV_TABLE_ENTRY");
	KUNIT_EXPECT_STREQ(test, amd_evt_name(0xf), "unknown event");
}

/* COMPLETION_WAIT (AMD spec 2.4.1): S, the store address, the data. */
static void cmd_completion_wait(struct kunit *test)
{
	u32 c[4];

	amd_cmd_completion_wait(c, 0x12345678f8ULL, 0x1122334455667788ULL);
	KUNIT_EXPECT_EQ(test, c[0], 0x345678f8U | AMD_CMD_CW_STORE);
	KUNIT_EXPECT_EQ(test, c[1], 0x10000012U);
	KUNIT_EXPECT_EQ(test, c[2], 0x55667788U);
	KUNIT_EXPECT_EQ(test, c[3], 0x11223344U);
	amd_cmd_inv_devtab(c, 0x0318);
	KUNIT_EXPECT_EQ(test, c[0], 0x0318U);
	KUNIT_EXPECT_EQ(test, c[1], 0x20000000U);
	amd_cmd_inv_all(c);
	KUNIT_EXPECT_EQ(test, c[1], 0x80000000U);
	KUNIT_EXPECT_EQ(test, c[0] | c[2] | c[3], 0);
}

struct pages_case {
	u64 start, last;
	u64 addr;	/* the address field, with S */
	bool s;
};

/*
 * INVALIDATE_IOMMU_PAGES (2.4.3): the smallest naturally aligned power of
 * two of pages that covers the range, S set past one page.
 */
static void cmd_inv_pages_sizes(struct kunit *test)
{
	static const struct pages_case cases[] = {
		{ 0x1000, 0x1fff, 0x1000, false },
		{ 0x1000, 0x1000, 0x1000, false },
		{ 0x0000, 0x1fff, 0x0000, true },	/* 8K at 0 */
		{ 0x1000, 0x2fff, 0x1000, true },	/* 16K at 0 */
		{ 0x4000, 0x7fff, 0x5000, true },	/* 16K at 0x4000 */
		{ 0x200000, 0x3fffff, 0x2ff000, true },	/* 2M */
		{ 0x1ff000, 0x200fff, 0x1ff000, true },	/* 4M at 0 */
		{ 0, ~0ULL, AMD_INV_ALL_PAGES, true },
	};
	unsigned int i;
	u32 c[4];

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		const struct pages_case *p = &cases[i];
		u64 addr;

		amd_cmd_inv_pages(c, 0x2a, p->start, p->last, i & 1);
		addr = ((u64)c[3] << 32 | c[2]) & ~0xfffULL;
		KUNIT_EXPECT_EQ_MSG(test, addr, p->addr, "range %#llx-%#llx",
				    p->start, p->last);
		KUNIT_EXPECT_EQ_MSG(test, !!(c[2] & AMD_CMD_PAGES_S), p->s,
				    "S for %#llx-%#llx", p->start, p->last);
		KUNIT_EXPECT_EQ(test, !!(c[2] & AMD_CMD_PAGES_PDE), i & 1);
		KUNIT_EXPECT_EQ(test, c[1], 0x3000002aU);
		KUNIT_EXPECT_EQ(test, c[0], 0);
	}
}

static struct kunit_case amd_hw_cases[] = {
	KUNIT_CASE(evtlog_drains_in_order),
	KUNIT_CASE(evtlog_wraps),
	KUNIT_CASE(evtlog_entry_not_yet_written),
	KUNIT_CASE(evtlog_overflow_restarts),
	KUNIT_CASE(evtlog_fault_decode),
	KUNIT_CASE(cmd_completion_wait),
	KUNIT_CASE(cmd_inv_pages_sizes),
	{}
};

struct kunit_suite iox_amd_hw_suite = {
	.name = "iox_amd_hw",
	.exit = sw_case_exit,
	.test_cases = amd_hw_cases,
};
