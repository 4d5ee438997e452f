// SPDX-License-Identifier: GPL-2.0
/*
 * iox-mock DMA: a device access translated as the hardware would, through
 * the device's context, the IOTLB and the page table; refusals become
 * fault reports to the core.
 */
#define pr_fmt(fmt) "iox-mock: " fmt

#include <linux/module.h>
#include <linux/slab.h>
#include <linux/device.h>
#include <linux/sizes.h>
#include "mock-priv.h"

/* Translate as the hardware would; fills @fault on failure. */
static int mock_translate(struct iox_mock *mock, struct iox_mock_domain *md,
			  u64 iova, u32 access, phys_addr_t *phys,
			  struct iox_fault *fault)
{
	struct iox_mock_iotlb_entry *e;
	struct iox_leaf leaf;
	int need = 0;

	if (md->domain.type == IOX_DOMAIN_BLOCKED) {
		fault->reason = IOX_FAULT_BLOCKED;
		return -EFAULT;
	}
	if (md->domain.type == IOX_DOMAIN_IDENTITY) {
		*phys = iova;
		return 0;
	}
	if (iova > md->domain.aperture_end) {
		fault->reason = IOX_FAULT_ADDRESS_SIZE;
		return -EFAULT;
	}

	e = mock_iotlb_find(mock, md->asid, iova);
	if (e) {
		mock->stats.iotlb_hits++;
		leaf.phys = e->phys + (iova - e->iova);
		leaf.prot = e->prot;
	} else {
		mock->stats.iotlb_misses++;
		if (mock_domain_walk(md, iova, &leaf)) {
			if (mock->cfg.caches_not_present)
				mock_iotlb_insert(mock, md->asid,
						  iova & ~(u64)(SZ_4K - 1),
						  SZ_4K, 0, 0);
			leaf.prot = 0;
		} else {
			mock_iotlb_insert(mock, md->asid,
					  iova & ~(u64)(leaf.pgsize - 1),
					  leaf.pgsize,
					  leaf.phys & ~(u64)(leaf.pgsize - 1),
					  leaf.prot);
		}
	}
	if (!leaf.prot) {
		fault->reason = IOX_FAULT_NOT_PRESENT;
		return -EFAULT;
	}
	if (access & IOX_FAULT_READ)
		need |= IOX_READ;
	if (access & IOX_FAULT_WRITE)
		need |= IOX_WRITE;
	if ((leaf.prot & need) != need) {
		fault->reason = IOX_FAULT_PERMISSION;
		return -EFAULT;
	}
	*phys = leaf.phys;
	return 0;
}

/**
 * iox_mock_dma() - a device access through the mock unit
 * @mock: the unit
 * @dev: the device issuing it
 * @iova: the address it uses
 * @access: IOX_FAULT_READ and/or IOX_FAULT_WRITE
 * @phys: set to the translated address
 *
 * Translates through the device's context, the IOTLB and the page table,
 * exactly as the hardware would; a refused access is reported to the core
 * with iox_report_fault().
 *
 * Context: Any context; the domain must not be freed concurrently.
 * Return: 0, or -EFAULT after reporting a fault.
 */
int iox_mock_dma(struct iox_mock *mock, struct device *dev, u64 iova,
		 u32 access, phys_addr_t *phys)
{
	struct iox_fault fault = { .iova = iova, .flags = access };
	struct iox_mock_endpoint *ep;
	struct iox_mock_domain *md;
	unsigned long flags;
	int ret = -EFAULT;

	spin_lock_irqsave(&mock->lock, flags);
	ep = mock_endpoint_find(mock, dev);
	md = ep ? ep->ctx : NULL;
	if (md)
		ret = mock_translate(mock, md, iova, access, phys, &fault);
	else
		fault.reason = IOX_FAULT_CONTEXT;
	if (ret)
		mock->stats.faults++;
	spin_unlock_irqrestore(&mock->lock, flags);

	if (ret)
		iox_report_fault(md ? &md->domain : NULL, dev, &fault);
	return ret;
}
EXPORT_SYMBOL_GPL(iox_mock_dma);
