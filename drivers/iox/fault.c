// SPDX-License-Identifier: GPL-2.0
/*
 * iox fault reporting: drivers hand every translation fault to the core,
 * which gives it to the domain's owner or logs it.
 */
#define pr_fmt(fmt) "iox: " fmt

#include <linux/module.h>
#include <linux/device.h>
#include "iox-priv.h"

static const char *const iox_fault_reason_names[] = {
	[IOX_FAULT_REASON_UNKNOWN] = "unknown",
	[IOX_FAULT_NOT_PRESENT] = "not present",
	[IOX_FAULT_PERMISSION] = "permission",
	[IOX_FAULT_CONTEXT] = "no context",
	[IOX_FAULT_BLOCKED] = "blocked",
	[IOX_FAULT_ADDRESS_SIZE] = "address size",
};

/**
 * iox_fault_reason_name() - a fault reason as text
 * @reason: the reason
 *
 * Context: Any context.
 * Return: a static string.
 */
const char *iox_fault_reason_name(enum iox_fault_reason reason)
{
	if ((unsigned int)reason >= ARRAY_SIZE(iox_fault_reason_names))
		return "invalid";
	return iox_fault_reason_names[reason];
}
EXPORT_SYMBOL_GPL(iox_fault_reason_name);

/**
 * iox_report_fault() - report a translation fault
 * @domain: the domain the device was translating through, or NULL when the
 *	fault happened before a domain was found (e.g. no context entry)
 * @dev: the device that issued the request
 * @fault: what happened
 *
 * The domain's fault handler gets the fault; without one, or when it
 * declines, the fault is logged, rate-limited.
 *
 * Context: Any context, including hard IRQ.
 * Return: 0 if a handler took the fault; the handler's error, or
 * -EOPNOTSUPP when there is no handler.
 */
int iox_report_fault(struct iox_domain *domain, struct device *dev,
		     const struct iox_fault *fault)
{
	iox_fault_handler_t handler = domain ? READ_ONCE(domain->handler) : NULL;
	int ret = -EOPNOTSUPP;

	if (handler) {
		ret = handler(domain, dev, fault, domain->handler_token);
		if (!ret)
			return 0;
	}
	if (domain)
		atomic_inc(&domain->nr_unhandled_faults);
	dev_err_ratelimited(dev,
			    "iox: unhandled %s fault at iova %#llx: %s (hw reason %#x)\n",
			    fault->flags & IOX_FAULT_WRITE ? "write" : "read",
			    fault->iova, iox_fault_reason_name(fault->reason),
			    fault->hw_reason);
	return ret;
}
EXPORT_SYMBOL_GPL(iox_report_fault);
