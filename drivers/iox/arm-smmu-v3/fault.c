// SPDX-License-Identifier: GPL-2.0
/*
 * iox-arm-smmu-v3 faults: the event queue (SMMUv3 spec 7.2, 7.3) and
 * GERROR (7.5), read on the unit's wired interrupts (threaded), or polled
 * every 50 ms where it has none.
 *
 * Each record names a stream, an address and a type: translation,
 * address-size, access-flag and permission faults, and bad or unreadable
 * STEs and CDs, are reported through the core to the domain of the
 * stream's device. A run of records alike (type, stream, page, direction)
 * in one drain is one fault: QEMU retranslates a refused DMA every 4
 * bytes and records each try.
 */
#define pr_fmt(fmt) "iox-arm-smmu-v3: " fmt

#include <linux/bitfield.h>
#include <linux/interrupt.h>
#include <linux/io.h>
#include <linux/platform_device.h>
#include "smmu-priv.h"

#define SMMU_POLL		(HZ / 20)

static enum iox_fault_reason smmu_evt_reason(unsigned int type)
{
	switch (type) {
	case EVT_F_TRANSLATION:
		return IOX_FAULT_NOT_PRESENT;
	case EVT_F_PERMISSION:
	case EVT_F_ACCESS:
		return IOX_FAULT_PERMISSION;
	case EVT_F_ADDR_SIZE:
		return IOX_FAULT_ADDRESS_SIZE;
	case EVT_C_BAD_STREAMID:
	case EVT_F_STE_FETCH:
	case EVT_C_BAD_STE:
	case EVT_F_CD_FETCH:
	case EVT_C_BAD_CD:
		return IOX_FAULT_CONTEXT;
	}
	return IOX_FAULT_REASON_UNKNOWN;
}

static void smmu_evt_report(struct smmu_unit *su, const u64 *e)
{
	unsigned int type = FIELD_GET(EVT_TYPE, e[0]);
	u32 sid = FIELD_GET(EVT_SID, e[0]);
	struct iox_fault fault = {
		.iova = e[2],
		.flags = e[1] & EVT_RNW ? IOX_FAULT_READ : IOX_FAULT_WRITE,
		.reason = smmu_evt_reason(type),
		.hw_reason = type,
	};
	struct smmu_dev *sd;

	spin_lock(&su->lock);
	sd = xa_load(&su->devs, sid);
	if (sd && sd->dom) {
		iox_report_fault(&sd->dom->domain, sd->idev->dev, &fault);
		spin_unlock(&su->lock);
		return;
	}
	spin_unlock(&su->lock);
	pr_err_ratelimited("%s: event %#x from stream %#x at %#llx: %s\n",
			   su->name, type, sid, fault.iova,
			   iox_fault_reason_name(fault.reason));
}

/* Two records of one fault: type, stream, direction and page alike. */
static bool smmu_evt_same(const u64 *a, const u64 *b)
{
	return a[0] == b[0] && !((a[1] ^ b[1]) & EVT_RNW) &&
	       (a[2] >> 12) == (b[2] >> 12);
}

/**
 * smmu_events_process() - report every record in the event queue
 * @su: the unit
 *
 * Context: Process context (the threaded interrupt or the poll).
 * Return: the records read.
 */
unsigned int smmu_events_process(struct smmu_unit *su)
{
	struct smmu_queue *q = &su->evtq;
	u32 wrap = BIT(q->log2size + 1) - 1, prod;
	u64 last[EVT_DWORDS] = { 0 };
	unsigned int n = 0;

	prod = readl(su->regs + SMMU_EVENTQ_PROD) & wrap;
	while (q->cons != prod) {
		u64 *e = q->base + (q->cons & (BIT(q->log2size) - 1)) *
			 EVT_DWORDS;

		/* PROD was read before the record. */
		rmb();
		if (!n || !smmu_evt_same(e, last))
			smmu_evt_report(su, e);
		memcpy(last, e, sizeof(last));
		q->cons = (q->cons + 1) & wrap;
		n++;
		if (q->cons == prod) {
			writel(q->cons, su->regs + SMMU_EVENTQ_CONS);
			prod = readl(su->regs + SMMU_EVENTQ_PROD) & wrap;
		}
	}
	atomic_add(n, &su->nr_events);
	return n;
}

/* GERROR bits active (differing from GERRORN): log and acknowledge. */
static void smmu_gerror_process(struct smmu_unit *su)
{
	u32 gerror = readl(su->regs + SMMU_GERROR);
	u32 active = (gerror ^ readl(su->regs + SMMU_GERRORN)) & GERROR_MASK;

	if (!active)
		return;
	/* A refused command is the command queue's to handle. */
	if (active & ~GERROR_CMDQ_ERR)
		pr_err_ratelimited("%s: global error %#x%s\n", su->name,
				   active, active & GERROR_EVTQ_ABT ?
				   " (event queue full: events lost)" : "");
	if (!(active & GERROR_CMDQ_ERR))
		writel(gerror, su->regs + SMMU_GERRORN);
}

static irqreturn_t smmu_evtq_thread(int irq, void *arg)
{
	smmu_events_process(arg);
	return IRQ_HANDLED;
}

static irqreturn_t smmu_gerror_thread(int irq, void *arg)
{
	smmu_gerror_process(arg);
	return IRQ_HANDLED;
}

static void smmu_poll(struct work_struct *work)
{
	struct smmu_unit *su = container_of(to_delayed_work(work),
					    struct smmu_unit, poll);

	smmu_events_process(su);
	smmu_gerror_process(su);
	schedule_delayed_work(&su->poll, SMMU_POLL);
}

/*
 * The unit's wired interrupt @name (the devicetree's interrupt-names), as
 * a threaded handler; 0 if there is none to take.
 */
static int smmu_irq_request(struct smmu_unit *su, const char *name,
			    irq_handler_t thread)
{
	int irq, ret;

	if (!su->pdev)
		return 0;
	irq = platform_get_irq_byname_optional(su->pdev, name);
	if (irq <= 0)
		return 0;
	ret = request_threaded_irq(irq, NULL, thread, IRQF_ONESHOT, su->name,
				   su);
	return ret ? 0 : irq;
}

/**
 * smmu_faults_init() - take the unit's event and error interrupts
 * @su: the unit, with its event queue set up
 *
 * The "eventq" and "gerror" wired interrupts where the unit has them
 * (QEMU's virt machine: edge SPIs 74 and 77), enabled in IRQ_CTRL;
 * otherwise a poll.
 *
 * Context: Process context.
 * Return: 0.
 */
int smmu_faults_init(struct smmu_unit *su)
{
	u32 ctrl = 0;

	su->irq_evtq = smmu_irq_request(su, "eventq", smmu_evtq_thread);
	su->irq_gerror = smmu_irq_request(su, "gerror", smmu_gerror_thread);
	if (su->irq_evtq)
		ctrl |= IRQ_CTRL_EVTQ;
	if (su->irq_gerror)
		ctrl |= IRQ_CTRL_GERROR;
	writel(ctrl, su->regs + SMMU_IRQ_CTRL);
	INIT_DELAYED_WORK(&su->poll, smmu_poll);
	if (!su->irq_evtq || !su->irq_gerror)
		schedule_delayed_work(&su->poll, SMMU_POLL);
	return 0;
}

/**
 * smmu_faults_exit() - release the interrupts, stop the poll
 * @su: the unit
 *
 * Context: Process context.
 */
void smmu_faults_exit(struct smmu_unit *su)
{
	writel(0, su->regs + SMMU_IRQ_CTRL);
	cancel_delayed_work_sync(&su->poll);
	if (su->irq_evtq)
		free_irq(su->irq_evtq, su);
	if (su->irq_gerror)
		free_irq(su->irq_gerror, su);
	su->irq_evtq = 0;
	su->irq_gerror = 0;
}
