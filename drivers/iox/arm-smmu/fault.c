// SPDX-License-Identifier: GPL-2.0
/*
 * iox-arm-smmu: faults. A context fault (11.4.15-11.4.19: FSR, FAR,
 * FSYNR0, and CBFRSYNRA for the stream) is reported through the core to
 * the domain of the bank; a global fault (10.6.4-10.6.7: sGFSR, sGFAR,
 * sGFSYNR0/1: a stream routed to fault or matched by nothing) through
 * the core too, without a domain: the core logs it.
 */
#define pr_fmt(fmt) "iox-arm-smmu: " fmt

#include <linux/bitfield.h>
#include <linux/device.h>
#include "smmu2-priv.h"

/* The device of stream @sid, or the unit's own for an unknown stream. */
static struct device *smmu2_sid_dev(struct smmu2_unit *su, u16 sid)
{
	struct device *dev = su->iox.hwdev;
	struct smmu2_master *m;
	unsigned long flags;
	unsigned int i;

	spin_lock_irqsave(&su->lock, flags);
	list_for_each_entry(m, &su->masters, node)
		for (i = 0; i < m->nr_sids; i++)
			if (m->sids[i] == sid)
				dev = m->dev;
	spin_unlock_irqrestore(&su->lock, flags);
	return dev;
}

static bool smmu2_context_fault(struct smmu2_unit *su, int cb)
{
	u32 fsr = iox_readl(&su->regs, smmu2_cb(su, cb, CB_FSR));
	u32 fsynr, flags;
	u16 sid;

	if (!(fsr & FSR_FAULT))
		return false;
	fsynr = iox_readl(&su->regs, smmu2_cb(su, cb, CB_FSYNR0));
	sid = FIELD_GET(CBFRSYNRA_SID,
			iox_readl(&su->regs, smmu2_gr1(su, SMMU_CBFRSYNRA(cb))));
	flags = fsynr & FSYNR0_WNR ? IOX_FAULT_WRITE : IOX_FAULT_READ;
	if (fsynr & FSYNR0_PNU)
		flags |= IOX_FAULT_PRIV;
	iox_ctx_report_fault(&su->cbs, cb, smmu2_sid_dev(su, sid),
			     iox_readq(&su->regs, smmu2_cb(su, cb, CB_FAR)),
			     flags, fsr);
	/* W1C: the bank records the next fault. */
	iox_writel(&su->regs, smmu2_cb(su, cb, CB_FSR), fsr);
	return true;
}

static bool smmu2_global_fault(struct smmu2_unit *su)
{
	u32 gfsr = iox_readl(&su->regs, SMMU_SGFSR);
	struct iox_fault fault = {};
	struct device *dev;
	u16 sid;

	if (!gfsr)
		return false;
	sid = FIELD_GET(SGFSYNR1_SID, iox_readl(&su->regs, SMMU_SGFSYNR1));
	dev = smmu2_sid_dev(su, sid);
	fault.iova = iox_readq(&su->regs, SMMU_SGFAR);
	fault.flags = iox_readl(&su->regs, SMMU_SGFSYNR0) & SGFSYNR0_WNR ?
		      IOX_FAULT_WRITE : IOX_FAULT_READ;
	/* A master's stream faults where it is blocked; others, unknown. */
	fault.reason = dev != su->iox.hwdev ? IOX_FAULT_BLOCKED :
					      IOX_FAULT_CONTEXT;
	fault.hw_reason = gfsr;
	atomic_inc(&su->nr_global_faults);
	iox_report_fault(NULL, dev, &fault);
	iox_writel(&su->regs, SMMU_SGFSR, gfsr);
	return true;
}

/**
 * iox_arm_smmu_handle_irq() - the unit's fault interrupts
 * @unit: the unit
 *
 * Reads and clears the global fault status and that of every context bank
 * in use, reporting what it finds; called from the platform glue's
 * handler of any of the unit's interrupt lines (they may be shared).
 *
 * Context: Any context, including hard IRQ.
 * Return: the faults found (0: the interrupt was not this unit's).
 */
unsigned int iox_arm_smmu_handle_irq(struct iox_unit *unit)
{
	struct smmu2_unit *su = to_smmu2_unit(unit);
	unsigned int cb, n = 0;

	n += smmu2_global_fault(su);
	for (cb = 0; cb < su->nr_cb; cb++)
		if (iox_ctx_in_use(&su->cbs, cb) && smmu2_context_fault(su, cb))
			n++;
	return n;
}
EXPORT_SYMBOL_GPL(iox_arm_smmu_handle_irq);

/**
 * iox_arm_smmu_global_faults() - global faults seen since the unit's reset
 * @unit: the unit
 *
 * Context: Any context.
 * Return: the count.
 */
unsigned int iox_arm_smmu_global_faults(struct iox_unit *unit)
{
	return atomic_read(&to_smmu2_unit(unit)->nr_global_faults);
}
EXPORT_SYMBOL_GPL(iox_arm_smmu_global_faults);
