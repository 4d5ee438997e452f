// SPDX-License-Identifier: GPL-2.0
/*
 * iox-intel faults: the fault recording registers (VT-d spec 7.3, 10.4.14)
 * read and cleared, each fault reported through the core.
 *
 * The fault event is an MSI the unit sends with the message programmed in
 * FEDATA/FEADDR (10.4.11-10.4.13). The kernel's dmar_alloc_hwirq() is not
 * exported, so iox-intel stacks a one-interrupt-per-unit irq domain of its
 * own on the x86 vector domain (x86_vector_domain is exported): the vector
 * domain hands out the vector and composes the message, this domain writes
 * it to the unit and masks with FECTL.IM. Without that interrupt (no
 * vector domain, or fault_irq=0) the records are polled.
 */
#define pr_fmt(fmt) "iox-intel: " fmt

#include <linux/bitfield.h>
#include <linux/interrupt.h>
#include <linux/io.h>
#include <linux/irq.h>
#include <linux/irqdomain.h>
#include <linux/module.h>
#include <linux/msi.h>
#include <linux/pci.h>
#include <asm/hw_irq.h>
#include <asm/irqdomain.h>
#include "intel-priv.h"

static bool fault_irq = true;
module_param(fault_irq, bool, 0444);
MODULE_PARM_DESC(fault_irq, "take fault events as interrupts (else poll)");

#define INTEL_FAULT_POLL	(HZ / 20)

static struct fwnode_handle *intel_irq_fwnode;
static struct irq_domain *intel_irq_domain;

static void intel_fault_write_msg(struct irq_data *d, bool clear)
{
	struct intel_unit *iu = irq_data_get_irq_chip_data(d);
	struct irq_data *parent = d->parent_data;
	struct msi_msg msg = { };

	if (!clear)
		parent->chip->irq_compose_msi_msg(parent, &msg);
	writel(msg.data, iu->regs + VTD_FEDATA);
	writel(msg.address_lo, iu->regs + VTD_FEADDR);
	if (iu->ecap & VTD_ECAP_EIM)
		writel(msg.address_hi, iu->regs + VTD_FEUADDR);
}

static void intel_fault_mask(struct irq_data *d)
{
	struct intel_unit *iu = irq_data_get_irq_chip_data(d);

	writel(VTD_FECTL_IM, iu->regs + VTD_FECTL);
}

/* Clearing IM sends an event that is pending (FECTL.IP). */
static void intel_fault_unmask(struct irq_data *d)
{
	struct intel_unit *iu = irq_data_get_irq_chip_data(d);

	writel(0, iu->regs + VTD_FECTL);
}

static int intel_fault_set_affinity(struct irq_data *d,
				    const struct cpumask *mask, bool force)
{
	struct irq_data *parent = d->parent_data;
	int ret;

	ret = parent->chip->irq_set_affinity(parent, mask, force);
	if (ret >= 0 && ret != IRQ_SET_MASK_OK_DONE)
		intel_fault_write_msg(d, false);
	return ret;
}

static struct irq_chip intel_fault_chip = {
	.name = "IOX-DMAR",
	.irq_ack = irq_chip_ack_parent,
	.irq_mask = intel_fault_mask,
	.irq_unmask = intel_fault_unmask,
	.irq_set_affinity = intel_fault_set_affinity,
	.irq_retrigger = irq_chip_retrigger_hierarchy,
	.flags = IRQCHIP_SKIP_SET_WAKE | IRQCHIP_AFFINITY_PRE_STARTUP,
};

static int intel_irq_alloc(struct irq_domain *domain, unsigned int virq,
			   unsigned int nr_irqs, void *arg)
{
	struct irq_alloc_info *info = arg;
	int ret;

	if (nr_irqs != 1)
		return -EINVAL;
	ret = irq_domain_alloc_irqs_parent(domain, virq, nr_irqs, arg);
	if (ret)
		return ret;
	irq_domain_set_info(domain, virq, info->hwirq, &intel_fault_chip,
			    info->data, handle_edge_irq, NULL, "edge");
	return 0;
}

/* The vector is assigned (the parent activates first): program it. */
static int intel_irq_activate(struct irq_domain *domain, struct irq_data *d,
			      bool reserve)
{
	intel_fault_write_msg(d, false);
	return 0;
}

static void intel_irq_deactivate(struct irq_domain *domain,
				 struct irq_data *d)
{
	intel_fault_write_msg(d, true);
}

static const struct irq_domain_ops intel_irq_ops = {
	.alloc = intel_irq_alloc,
	.free = irq_domain_free_irqs_common,
	.activate = intel_irq_activate,
	.deactivate = intel_irq_deactivate,
};

/**
 * intel_fault_irq_domain_init() - create the fault event irq domain
 *
 * Context: Process context.
 * Return: 0; -ENODEV without an x86 vector domain (or with fault_irq=0);
 * -ENOMEM.
 */
int intel_fault_irq_domain_init(void)
{
	if (!fault_irq || !x86_vector_domain)
		return -ENODEV;
	intel_irq_fwnode = __irq_domain_alloc_fwnode(IRQCHIP_FWNODE_NAMED, 0,
						     "IOX-DMAR-MSI", NULL);
	if (!intel_irq_fwnode)
		return -ENOMEM;
	intel_irq_domain = irq_domain_create_hierarchy(x86_vector_domain, 0, 0,
						       intel_irq_fwnode,
						       &intel_irq_ops, NULL);
	if (!intel_irq_domain) {
		irq_domain_free_fwnode(intel_irq_fwnode);
		intel_irq_fwnode = NULL;
		return -ENOMEM;
	}
	return 0;
}

/**
 * intel_fault_irq_domain_exit() - remove the fault event irq domain
 *
 * Context: Process context, after every unit's interrupt was freed.
 */
void intel_fault_irq_domain_exit(void)
{
	if (!intel_irq_domain)
		return;
	irq_domain_remove(intel_irq_domain);
	irq_domain_free_fwnode(intel_irq_fwnode);
	intel_irq_domain = NULL;
	intel_irq_fwnode = NULL;
}

/*
 * Appendix A reasons as generic ones. Reasons 5 and 6 are given for a
 * present entry without the permission and for a not-present one (R = W =
 * 0) alike: the domain's table tells them apart; so may the scalable-mode
 * write refusal 0x85. First-level walks say not present (0x71) apart, and
 * refuse non-canonical addresses (0x80) and user requests to supervisor
 * pages (0x81).
 */
static enum iox_fault_reason intel_fault_reason(unsigned int fr,
						struct intel_domain *dom,
						u64 iova)
{
	struct iox_leaf leaf;

	switch (fr) {
	case VTD_FR_ROOT_NP:
	case VTD_FR_CTX_NP:
		if (dom && dom->domain.type == IOX_DOMAIN_BLOCKED)
			return IOX_FAULT_BLOCKED;
		return IOX_FAULT_CONTEXT;
	case VTD_FR_CTX_INVALID:
	case VTD_FR_ROOT_ACCESS:
	case VTD_FR_CTX_ACCESS:
	case VTD_FR_ROOT_RSVD:
	case VTD_FR_CTX_RSVD:
	case VTD_FR_CTX_TT:
		return IOX_FAULT_CONTEXT;
	case VTD_FR_BEYOND_AGAW:
	case VTD_FR_FL_CANONICAL:
		return IOX_FAULT_ADDRESS_SIZE;
	case VTD_FR_FL_NP:
		return IOX_FAULT_NOT_PRESENT;
	case VTD_FR_FL_USER:
		return IOX_FAULT_PERMISSION;
	case VTD_FR_FL_PTR:
		return IOX_FAULT_CONTEXT;
	case VTD_FR_WRITE:
	case VTD_FR_READ:
	case VTD_FR_SM_WRITE:
		if (dom && iox_domain_is_paging(&dom->domain) &&
		    dom->pt.ops->iova_to_phys(&dom->pt, iova, &leaf) == -ENOENT)
			return IOX_FAULT_NOT_PRESENT;
		return IOX_FAULT_PERMISSION;
	}
	/* Scalable-mode root, context, PASID directory and table entries. */
	if (fr >= VTD_FR_SM_FIRST && fr <= VTD_FR_SM_PASID_LAST)
		return IOX_FAULT_CONTEXT;
	return IOX_FAULT_REASON_UNKNOWN;
}

static void intel_fault_report(struct intel_unit *iu, u64 lo, u64 hi)
{
	u16 sid = FIELD_GET(VTD_FRCD_SID, hi);
	unsigned int fr = FIELD_GET(VTD_FRCD_FR, hi);
	struct iox_fault fault = {
		.iova = lo & VTD_FRCD_FI,
		.flags = hi & VTD_FRCD_T ? IOX_FAULT_READ : IOX_FAULT_WRITE,
		.hw_reason = fr,
	};
	struct intel_dev *id;
	struct pci_dev *pdev;

	atomic_inc(&iu->nr_faults);
	/* The device's domain cannot change or go while the lock is held. */
	spin_lock(&iu->lock);
	id = xa_load(&iu->devs, sid);
	if (id) {
		fault.reason = intel_fault_reason(fr, id->dom, fault.iova);
		iox_report_fault(id->dom ? &id->dom->domain : NULL,
				 id->idev->dev, &fault);
		spin_unlock(&iu->lock);
		return;
	}
	spin_unlock(&iu->lock);

	fault.reason = intel_fault_reason(fr, NULL, fault.iova);
	pdev = pci_get_domain_bus_and_slot(iu->drhd->segment, PCI_BUS_NUM(sid),
					   sid & 0xff);
	if (pdev) {
		iox_report_fault(NULL, &pdev->dev, &fault);
		pci_dev_put(pdev);
		return;
	}
	pr_err_ratelimited("%s: %s fault from unknown source %02x:%02x.%d at iova %#llx: %s (hw reason %#x)\n",
			   iu->name,
			   fault.flags & IOX_FAULT_WRITE ? "write" : "read",
			   PCI_BUS_NUM(sid), PCI_SLOT(sid & 0xff),
			   PCI_FUNC(sid & 0xff), fault.iova,
			   iox_fault_reason_name(fault.reason), fr);
}

/**
 * intel_fault_process() - read, clear and report every pending fault
 * @iu: the unit
 *
 * Records are read from FSTS.FRI on while their F bit is set; each is
 * cleared (F is write-1-to-clear) before it is reported, so the unit can
 * record the next fault meanwhile. An overflow (FSTS.PFO: faults were
 * lost) is cleared and logged.
 *
 * Context: Process context (the interrupt thread or the poll work).
 */
void intel_fault_process(struct intel_unit *iu)
{
	unsigned int nfr = FIELD_GET(VTD_CAP_NFR, iu->cap) + 1;
	unsigned int fro = FIELD_GET(VTD_CAP_FRO, iu->cap) * 16;
	unsigned int pass, n, idx;
	void __iomem *rec;
	u64 lo, hi;
	u32 fsts;

	/* Bounded: a device faulting without pause cannot hold us here. */
	for (pass = 0; pass < 4; pass++) {
		fsts = readl(iu->regs + VTD_FSTS);
		if (fsts & VTD_FSTS_PFO) {
			writel(VTD_FSTS_PFO, iu->regs + VTD_FSTS);
			atomic_inc(&iu->pfo_seen);
			pr_warn_ratelimited("%s: fault records overflowed: faults were lost\n",
					    iu->name);
		}
		if (!(fsts & VTD_FSTS_PPF))
			return;
		idx = FIELD_GET(VTD_FSTS_FRI, fsts) % nfr;
		for (n = 0; n < nfr; n++, idx = (idx + 1) % nfr) {
			rec = iu->regs + fro + idx * 16;
			hi = readq(rec + 8);
			if (!(hi & VTD_FRCD_F))
				break;
			lo = readq(rec);
			writel(VTD_FRCD_F_HI32, rec + 12);
			intel_fault_report(iu, lo, hi);
		}
	}
}

static irqreturn_t intel_fault_hardirq(int irq, void *data)
{
	return IRQ_WAKE_THREAD;
}

static irqreturn_t intel_fault_thread(int irq, void *data)
{
	intel_fault_process(data);
	return IRQ_HANDLED;
}

static void intel_fault_poll(struct work_struct *work)
{
	struct intel_unit *iu = container_of(to_delayed_work(work),
					     struct intel_unit, fault_poll);

	intel_fault_process(iu);
	schedule_delayed_work(&iu->fault_poll, INTEL_FAULT_POLL);
}

static int intel_fault_irq(struct intel_unit *iu)
{
	struct irq_alloc_info info = {
		.type = X86_IRQ_ALLOC_TYPE_DMAR,
		.devid = iu->index,
		.hwirq = iu->index,
		.data = iu,
	};
	int irq, ret;

	if (!intel_irq_domain)
		return -ENODEV;
	irq = __irq_domain_alloc_irqs(intel_irq_domain, -1, 1, NUMA_NO_NODE,
				      &info, false, NULL);
	if (irq < 0)
		return irq;
	ret = request_threaded_irq(irq, intel_fault_hardirq,
				   intel_fault_thread, 0, iu->name, iu);
	if (ret) {
		irq_dispose_mapping(irq);
		return ret;
	}
	iu->irq = irq;
	return 0;
}

/**
 * intel_fault_setup() - start taking the unit's faults
 * @iu: the unit
 *
 * Records left from before (firmware, a previous owner) are cleared
 * first. The fault event interrupt is unmasked when one was obtained;
 * else the records are polled every 50 ms.
 *
 * Context: Process context.
 */
void intel_fault_setup(struct intel_unit *iu)
{
	unsigned int nfr = FIELD_GET(VTD_CAP_NFR, iu->cap) + 1;
	unsigned int fro = FIELD_GET(VTD_CAP_FRO, iu->cap) * 16;
	unsigned int i;
	int ret;

	writel(VTD_FECTL_IM, iu->regs + VTD_FECTL);
	for (i = 0; i < nfr; i++)
		writel(VTD_FRCD_F_HI32, iu->regs + fro + i * 16 + 12);
	writel(VTD_FSTS_PFO, iu->regs + VTD_FSTS);

	INIT_DELAYED_WORK(&iu->fault_poll, intel_fault_poll);
	ret = intel_fault_irq(iu);
	if (ret) {
		if (fault_irq)
			pr_warn("%s: no fault interrupt (%d): polling the fault records\n",
				iu->name, ret);
		schedule_delayed_work(&iu->fault_poll, INTEL_FAULT_POLL);
	}
	iu->faults_on = true;
}

/**
 * intel_fault_teardown() - stop taking the unit's faults
 * @iu: the unit
 *
 * Faults still recorded are reported first.
 *
 * Context: Process context.
 */
void intel_fault_teardown(struct intel_unit *iu)
{
	if (!iu->faults_on)
		return;
	iu->faults_on = false;
	if (iu->irq) {
		free_irq(iu->irq, iu);
		irq_dispose_mapping(iu->irq);
		iu->irq = 0;
	} else {
		cancel_delayed_work_sync(&iu->fault_poll);
	}
	writel(VTD_FECTL_IM, iu->regs + VTD_FECTL);
	intel_fault_process(iu);
}
