// SPDX-License-Identifier: GPL-2.0
/*
 * iox-amd faults: the event log (AMD spec 2.5) polled, its events decoded
 * by evtlog.c, and each fault reported through the core to the domain of
 * the device it names.
 *
 * The unit signals new events with an MSI of its own PCI function (3.4.4
 * EventIntEn). No driver binds that function here (the kernel's AMD-Vi
 * driver is off, and a module cannot take its MSI without becoming its
 * PCI driver), so the log is polled every 50 ms instead.
 */
#define pr_fmt(fmt) "iox-amd: " fmt

#include <linux/io.h>
#include <linux/pci.h>
#include "amd-priv.h"

#define AMD_EVT_POLL		(HZ / 20)

/**
 * amd_evt_init() - allocate and program the event log
 * @au: the unit, with translation off
 *
 * Context: Process context.
 * Return: 0 or -ENOMEM.
 */
int amd_evt_init(struct amd_unit *au)
{
	return amd_ring_init(au->regs, &au->evt, AMD_MMIO_EVTLOG, AMD_MMIO_EVT_HEAD);
}

/**
 * amd_evt_free() - free the event log
 * @au: the unit, with the event log disabled and the poll stopped
 *
 * Context: Process context.
 */
void amd_evt_free(struct amd_unit *au)
{
	amd_ring_free(&au->evt);
}

static void amd_evt_report(void *arg, const struct amd_event *ev)
{
	struct amd_unit *au = arg;
	struct iox_fault fault;
	struct amd_dev *ad;

	atomic_inc(&au->nr_events);
	amd_evt_fault(ev, &fault);
	switch (ev->code) {
	case AMD_EVT_IO_PAGE_FAULT:
	case AMD_EVT_ILLEGAL_DTE:
	case AMD_EVT_DEVTAB_HW_ERR:
	case AMD_EVT_PAGETAB_HW_ERR:
	case AMD_EVT_INVALID_DEV_REQ:
		break;
	default:
		/* The unit's own errors (commands, IOTLB): nobody's fault. */
		pr_err_ratelimited("%s: %s (event %#x) at %#llx\n", au->name,
				   amd_evt_name(ev->code), ev->code, ev->addr);
		return;
	}

	spin_lock(&au->lock);
	ad = xa_load(&au->devs, ev->devid);
	if (ad && ad->dom) {
		if (ad->dom->domain.type == IOX_DOMAIN_BLOCKED &&
		    fault.reason == IOX_FAULT_NOT_PRESENT)
			fault.reason = IOX_FAULT_BLOCKED;
		/* Handlers run under the lock: the domain cannot go. */
		iox_report_fault(&ad->dom->domain, ad->idev->dev, &fault);
		spin_unlock(&au->lock);
		return;
	}
	spin_unlock(&au->lock);
	pr_err_ratelimited("%s: %s from %02x:%02x.%d%s at %#llx: %s (flags %#x)\n",
			   au->name, amd_evt_name(ev->code),
			   PCI_BUS_NUM(ev->devid), PCI_SLOT(ev->devid & 0xff),
			   PCI_FUNC(ev->devid & 0xff),
			   ad ? " (pass-through)" : "", fault.iova,
			   iox_fault_reason_name(fault.reason),
			   ev->flags >> 16);
}

/**
 * amd_evt_process() - report every event the unit logged
 * @au: the unit
 *
 * Context: Process context; one caller at a time (the poll).
 * Return: the number of events read.
 */
unsigned int amd_evt_process(struct amd_unit *au)
{
	bool overflow;
	unsigned int n;

	n = amd_evtlog_drain(au->regs, au->evt.base, amd_evt_report, au,
			     &overflow);
	if (overflow) {
		atomic_inc(&au->nr_overflows);
		pr_err_ratelimited("%s: event log overflowed: events lost\n",
				   au->name);
	}
	return n;
}

static void amd_evt_poll(struct work_struct *work)
{
	struct amd_unit *au = container_of(to_delayed_work(work),
					   struct amd_unit, event_poll);

	amd_evt_process(au);
	schedule_delayed_work(&au->event_poll, AMD_EVT_POLL);
}

/**
 * amd_evt_start() - start polling the event log
 * @au: the unit, with the event log enabled
 *
 * Context: Process context.
 */
void amd_evt_start(struct amd_unit *au)
{
	INIT_DELAYED_WORK(&au->event_poll, amd_evt_poll);
	schedule_delayed_work(&au->event_poll, AMD_EVT_POLL);
}

/**
 * amd_evt_stop() - stop polling and read what is left
 * @au: the unit
 *
 * Context: Process context.
 */
void amd_evt_stop(struct amd_unit *au)
{
	cancel_delayed_work_sync(&au->event_poll);
	amd_evt_process(au);
}
