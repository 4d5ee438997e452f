// SPDX-License-Identifier: GPL-2.0
/*
 * iox-amd: the event log (AMD spec 2.5, 3.4.3, 3.4.12-3.4.14) read and
 * decoded. A plain function of the unit's registers and the ring, so the
 * userspace build drives it with a software event log: QEMU's model never
 * writes one (Documentation/iox/amd.rst).
 */
#define pr_fmt(fmt) "iox-amd: " fmt

#include <linux/bitfield.h>
#include <linux/io.h>
#include <linux/kernel.h>
#include <linux/module.h>
#include <linux/string.h>
#include "amd-hw.h"

#define AMD_EVT_RING_BYTES	(AMD_RING_ENTRIES * AMD_EVT_BYTES)
/* The IO_PAGE_FAULT flags, dword 1 bits 24:16, kept in hw_reason. */
#define AMD_EVT_FLAGS		GENMASK(24, 16)

/**
 * amd_evt_decode() - decode one event log entry
 * @entry: its four dwords
 * @ev: filled with its fields (AMD spec 2.5.1-2.5.9 share the layout of
 *	DeviceID, code and address; IO_PAGE_FAULT adds DomainID and flags)
 *
 * Context: Any context.
 */
void amd_evt_decode(const u32 *entry, struct amd_event *ev)
{
	memset(ev, 0, sizeof(*ev));
	ev->code = FIELD_GET(AMD_EVT_CODE, entry[1]);
	ev->devid = FIELD_GET(AMD_EVT_DEVID, entry[0]);
	ev->addr = (u64)entry[3] << 32 | entry[2];
	if (ev->code != AMD_EVT_IO_PAGE_FAULT)
		return;
	ev->flags = entry[1] & AMD_EVT_FLAGS;
	ev->domid = FIELD_GET(AMD_EVT_DOMID, entry[1]);
	if (ev->flags & AMD_EVT_GN)
		ev->pasid = FIELD_GET(AMD_EVT_PASID_HI, entry[0]) << 16 |
			    ev->domid;
}
EXPORT_SYMBOL_GPL(amd_evt_decode);

/**
 * amd_evt_fault() - the core's view of an event that reports a fault
 * @ev: the decoded event
 * @fault: filled: address, access flags, generic reason; hw_reason is
 *	the EventCode in bits 31:16 and the IO_PAGE_FAULT flags (dword 1
 *	bits 24:16) in bits 8:0
 *
 * IO_PAGE_FAULT (2.5.3): PR = 0, no translation; PR = 1 with PE, the
 * translation refused the access; RW says write, NX an instruction
 * fetch, GN a PASID. ILLEGAL_DEV_TABLE_ENTRY (2.5.2) and
 * DEV_TAB_HARDWARE_ERROR (2.5.4): the device has no usable DTE. The
 * caller turns NOT_PRESENT into BLOCKED for a device in a blocked domain.
 *
 * Context: Any context.
 */
void amd_evt_fault(const struct amd_event *ev, struct iox_fault *fault)
{
	memset(fault, 0, sizeof(*fault));
	fault->iova = ev->addr;
	fault->hw_reason = ev->code << 16 | ev->flags >> 16;
	fault->flags = ev->flags & AMD_EVT_RW ? IOX_FAULT_WRITE :
						IOX_FAULT_READ;
	if (ev->flags & AMD_EVT_NX)
		fault->flags |= IOX_FAULT_EXEC;
	if (ev->flags & AMD_EVT_GN) {
		fault->flags |= IOX_FAULT_PASID_VALID;
		fault->pasid = ev->pasid;
	}
	switch (ev->code) {
	case AMD_EVT_IO_PAGE_FAULT:
		if (!(ev->flags & AMD_EVT_PR))
			fault->reason = IOX_FAULT_NOT_PRESENT;
		else if (ev->flags & AMD_EVT_PE)
			fault->reason = IOX_FAULT_PERMISSION;
		else
			fault->reason = IOX_FAULT_REASON_UNKNOWN;
		break;
	case AMD_EVT_ILLEGAL_DTE:
	case AMD_EVT_DEVTAB_HW_ERR:
		fault->reason = IOX_FAULT_CONTEXT;
		break;
	default:
		fault->reason = IOX_FAULT_REASON_UNKNOWN;
	}
}
EXPORT_SYMBOL_GPL(amd_evt_fault);

/**
 * amd_evt_name() - the name of an EventCode, for logs
 * @code: AMD_EVT_* code
 *
 * Context: Any context.
 * Return: a constant string.
 */
const char *amd_evt_name(unsigned int code)
{
	static const char *const names[] = {
		[AMD_EVT_ILLEGAL_DTE] = "ILLEGAL_DEV_TABLE_ENTRY",
		[AMD_EVT_IO_PAGE_FAULT] = "IO_PAGE_FAULT",
		[AMD_EVT_DEVTAB_HW_ERR] = "DEV_TAB_HARDWARE_ERROR",
		[AMD_EVT_PAGETAB_HW_ERR] = "PAGE_TAB_HARDWARE_ERROR",
		[AMD_EVT_ILLEGAL_CMD] = "ILLEGAL_COMMAND_ERROR",
		[AMD_EVT_CMD_HW_ERR] = "COMMAND_HARDWARE_ERROR",
		[AMD_EVT_IOTLB_TIMEOUT] = "IOTLB_INV_TIMEOUT",
		[AMD_EVT_INVALID_DEV_REQ] = "INVALID_DEVICE_REQUEST",
	};

	if (code < ARRAY_SIZE(names) && names[code])
		return names[code];
	return "unknown event";
}
EXPORT_SYMBOL_GPL(amd_evt_name);

/*
 * 2.5 "Event Logging": after an overflow the log stops (EventLogRun = 0).
 * Restart it empty: disable, clear EventOverflow, reset both pointers,
 * enable again.
 */
static void amd_evtlog_restart(void __iomem *regs)
{
	u64 ctrl = readq(regs + AMD_MMIO_CONTROL);

	writeq(ctrl & ~AMD_CTRL_EVTLOG_EN, regs + AMD_MMIO_CONTROL);
	writeq(AMD_STATUS_EVT_OVERFLOW, regs + AMD_MMIO_STATUS);
	writeq(0, regs + AMD_MMIO_EVT_HEAD);
	writeq(0, regs + AMD_MMIO_EVT_TAIL);
	writeq(ctrl, regs + AMD_MMIO_CONTROL);
}

/**
 * amd_evtlog_drain() - consume every event the unit logged
 * @regs: the unit's registers
 * @ring: the event log, AMD_RING_ENTRIES entries
 * @fn: called for each event, in log order
 * @arg: passed to @fn
 * @overflow: set to whether the log overflowed (events were lost); it is
 *	restarted empty
 *
 * Entries from the head to the tail pointer are decoded, zeroed, and the
 * head register advanced past each one, so the unit can reuse its slot.
 * An entry still zero was not yet written (the tail moved before the
 * entry's write was visible): draining stops there and the next call
 * resumes. The event-interrupt status is acknowledged.
 *
 * Context: Any context; one caller at a time per unit.
 * Return: the number of events passed to @fn.
 */
unsigned int amd_evtlog_drain(void __iomem *regs, u32 *ring,
			      amd_event_fn fn, void *arg, bool *overflow)
{
	u64 status = readq(regs + AMD_MMIO_STATUS);
	u32 head, tail;
	unsigned int n = 0;

	if (status & AMD_STATUS_EVT_INT)
		writeq(AMD_STATUS_EVT_INT, regs + AMD_MMIO_STATUS);
	head = (readq(regs + AMD_MMIO_EVT_HEAD) & AMD_RING_PTR) %
	       AMD_EVT_RING_BYTES;
	tail = (readq(regs + AMD_MMIO_EVT_TAIL) & AMD_RING_PTR) %
	       AMD_EVT_RING_BYTES;
	while (head != tail) {
		u32 *entry = ring + head / sizeof(u32);
		struct amd_event ev;

		if (!READ_ONCE(entry[1]) && !READ_ONCE(entry[0]))
			break;
		/* The entry's writes are visible once its code is. */
		rmb();
		amd_evt_decode(entry, &ev);
		fn(arg, &ev);
		memset(entry, 0, AMD_EVT_BYTES);
		head = (head + AMD_EVT_BYTES) % AMD_EVT_RING_BYTES;
		writeq(head, regs + AMD_MMIO_EVT_HEAD);
		n++;
		if (head == tail)
			tail = (readq(regs + AMD_MMIO_EVT_TAIL) &
				AMD_RING_PTR) % AMD_EVT_RING_BYTES;
	}
	*overflow = status & AMD_STATUS_EVT_OVERFLOW;
	if (*overflow)
		amd_evtlog_restart(regs);
	return n;
}
EXPORT_SYMBOL_GPL(amd_evtlog_drain);
