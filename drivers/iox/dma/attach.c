// SPDX-License-Identifier: GPL-2.0
/*
 * iox DMA-API backend: putting a device into a DMA domain of its own and
 * taking it out again.
 *
 * iox_dma_attach() gives a probed device a new IOX_DOMAIN_DMA(_FQ) domain,
 * an IOVA space over the domain's aperture with the device's reserved
 * regions reserved, and installs the backend's dma_map_ops on it, so its
 * unmodified driver's dma_map_*() calls are served by iox from then on.
 * iox_dma_detach() restores the previous ops (dma-direct) and frees it all.
 */
#define pr_fmt(fmt) "iox-dma: " fmt

#include <linux/module.h>
#include <linux/device.h>
#include <linux/dma-mapping.h>
#include <linux/err.h>
#include <linux/mutex.h>
#include <linux/slab.h>
#ifdef CONFIG_PCI
#include <linux/pci.h>
#endif
#include "dma-priv.h"

/* Orders attach and detach; the mapping paths never take it. */
static DEFINE_MUTEX(iox_dma_lock);
static LIST_HEAD(iox_dma_devs);

static struct iox_dma_dev *iox_dma_find_locked(struct device *dev)
{
	struct iox_dma_dev *dd;

	lockdep_assert_held(&iox_dma_lock);
	list_for_each_entry(dd, &iox_dma_devs, node)
		if (dd->dev == dev)
			return dd;
	return NULL;
}

/* An external-facing PCI port marks what sits behind it untrusted. */
static bool iox_dma_bus_untrusted(struct device *dev)
{
#ifdef CONFIG_PCI
	return dev_is_pci(dev) && to_pci_dev(dev)->untrusted;
#else
	return false;
#endif
}

/*
 * The IOVA space: the aperture without IOVA 0 and the reserved ranges,
 * with a guard granule after every range if @flags asks for it.
 */
static int iox_dma_space_init(struct iox_dma_dev *dd, unsigned int flags)
{
	struct iox_domain *domain = dd->domain;
	unsigned long start = domain->aperture_start >> dd->shift;
	unsigned int i;
	int ret;

	dd->space = iox_iova_space_create(dd->shift, max(start, 1UL),
					  domain->aperture_end >> dd->shift,
					  flags & IOX_DMA_GUARD ?
					  IOX_IOVA_GUARD : 0);
	if (IS_ERR_OR_NULL(dd->space))
		return dd->space ? PTR_ERR(dd->space) : -ENOMEM;
	for (i = 0; i < domain->nr_resv; i++) {
		if (domain->resv[i].last < domain->aperture_start ||
		    domain->resv[i].start > domain->aperture_end)
			continue;
		ret = iox_iova_reserve(dd->space,
				       max_t(u64, domain->resv[i].start,
					     domain->aperture_start) >> dd->shift,
				       min_t(u64, domain->resv[i].last,
					     domain->aperture_end) >> dd->shift);
		if (ret) {
			iox_iova_space_destroy(dd->space);
			return ret;
		}
	}
	return 0;
}

/**
 * iox_dma_attach() - serve a device's DMA API through an iox DMA domain
 * @dev: a device probed into iox, alone in its group, its driver not yet
 *	mapping anything
 * @type: IOX_DOMAIN_DMA (strict: every unmap invalidated before it
 *	returns) or IOX_DOMAIN_DMA_FQ (lazy: invalidations batched)
 * @flags: IOX_DMA_UNTRUSTED to treat @dev as untrusted even when its bus
 *	does not say so; IOX_DMA_GUARD to leave one unmapped granule after
 *	every mapping, so that a device overrunning a buffer faults instead
 *	of reaching the next one
 *
 * An untrusted device (this flag or the PCI untrusted flag) always gets a
 * strict domain, and its buffers that do not fill whole granules are
 * bounced. A device that does not snoop CPU caches gets the cache
 * maintenance and the uncached coherent buffers of noncoherent.c. The
 * device's previous DMA ops are kept for iox_dma_detach().
 *
 * Context: Process context.
 * Return: 0; -EINVAL for a bad @type or @flags or a device sharing its
 * group; -EBUSY if already attached; -ENODEV if @dev is not probed;
 * -ENOMEM; or the error of the domain allocation, the IOVA space or the
 * attach.
 */
int iox_dma_attach(struct device *dev, unsigned int type, unsigned int flags)
{
	struct iox_domain *domain;
	struct iox_dma_dev *dd;
	int ret;

	if ((type != IOX_DOMAIN_DMA && type != IOX_DOMAIN_DMA_FQ) ||
	    (flags & ~(IOX_DMA_UNTRUSTED | IOX_DMA_GUARD)))
		return -EINVAL;
	mutex_lock(&iox_dma_lock);
	if (iox_dma_find_locked(dev)) {
		ret = -EBUSY;
		goto out_unlock;
	}
	dd = kzalloc(sizeof(*dd), GFP_KERNEL);
	if (!dd) {
		ret = -ENOMEM;
		goto out_unlock;
	}
	dd->dev = dev;
	dd->untrusted = (flags & IOX_DMA_UNTRUSTED) ||
			iox_dma_bus_untrusted(dev);
	if (dd->untrusted)
		type = IOX_DOMAIN_DMA;
	iox_dma_bounce_init(dd);
	spin_lock_init(&dd->coherent_lock);
	INIT_LIST_HEAD(&dd->coherent);
	spin_lock_init(&dd->fixed_lock);
	ret = iox_dma_nc_init(dd);
	if (ret)
		goto out_free;

	domain = iox_domain_alloc(dev, type);
	if (IS_ERR(domain)) {
		ret = PTR_ERR(domain);
		goto out_nc;
	}
	dd->domain = domain;
	dd->shift = __ffs(domain->pgsize_bitmap);
	/* As dma-iommu: a device that does not snoop gets no cacheable IOVA. */
	if (!dd->maint && iox_capable(dev, IOX_CAP_CACHE_COHERENCY))
		dd->prot_extra = IOX_CACHE;

	/* Attach first: it records the device's reserved regions. */
	ret = iox_attach_device(domain, dev);
	if (ret)
		goto out_domain;
	ret = iox_dma_space_init(dd, flags);
	if (ret)
		goto out_detach;
	if (type == IOX_DOMAIN_DMA_FQ) {
		ret = iox_dma_fq_init(dd);
		if (ret)
			goto out_space;
	}

	iox_dma_init_ops(dd);
	dd->saved_ops = get_dma_ops(dev);
	set_dma_ops(dev, &dd->ops);
	list_add(&dd->node, &iox_dma_devs);
	mutex_unlock(&iox_dma_lock);
	return 0;

out_space:
	iox_iova_space_destroy(dd->space);
out_detach:
	iox_detach_device(domain, dev);
out_domain:
	iox_domain_free(domain);
out_nc:
	iox_dma_nc_destroy(dd);
out_free:
	kfree(dd);
out_unlock:
	mutex_unlock(&iox_dma_lock);
	return ret;
}
EXPORT_SYMBOL_GPL(iox_dma_attach);

/**
 * iox_dma_detach() - give a device back its previous DMA ops
 * @dev: a device of iox_dma_attach(), its driver done with DMA
 *
 * The device is blocked first; coherent buffers its driver left are freed
 * and reported, streaming mappings left are reported and dropped with the
 * domain.
 *
 * Context: Process context.
 */
void iox_dma_detach(struct device *dev)
{
	struct iox_dma_dev *dd;
	long left;

	mutex_lock(&iox_dma_lock);
	dd = iox_dma_find_locked(dev);
	if (!dd) {
		mutex_unlock(&iox_dma_lock);
		dev_err(dev, "iox-dma: detach of a device not attached\n");
		return;
	}
	list_del(&dd->node);
	mutex_unlock(&iox_dma_lock);

	set_dma_ops(dev, dd->saved_ops);
	iox_detach_device(dd->domain, dev);
	iox_dma_free_all_coherent(dd);
	if (dd->fq)
		iox_dma_fq_destroy(dd);
	left = atomic_long_read(&dd->live_mappings);
	if (left)
		dev_warn(dev, "iox-dma: %ld mappings left by its driver, dropped\n",
			 left);
	iox_domain_free(dd->domain);
	iox_iova_space_destroy(dd->space);
	iox_dma_nc_destroy(dd);
	kfree(dd);
}
EXPORT_SYMBOL_GPL(iox_dma_detach);

static struct iox_dma_dev *iox_dma_get(struct device *dev)
{
	struct iox_dma_dev *dd;

	mutex_lock(&iox_dma_lock);
	dd = iox_dma_find_locked(dev);
	mutex_unlock(&iox_dma_lock);
	return dd;
}

/**
 * iox_dma_is_attached() - whether the backend serves a device
 * @dev: the device
 *
 * Context: Process context.
 * Return: true between iox_dma_attach() and iox_dma_detach().
 */
bool iox_dma_is_attached(struct device *dev)
{
	return iox_dma_get(dev);
}
EXPORT_SYMBOL_GPL(iox_dma_is_attached);

/**
 * iox_dma_flush() - complete a lazy device's deferred invalidations now
 * @dev: an attached device
 *
 * On return no IOVA unmapped before the call still translates, and those
 * IOVAs and the table pages the unmaps freed are reusable. Nothing to do
 * for a strict device.
 *
 * Context: Process context.
 */
void iox_dma_flush(struct device *dev)
{
	struct iox_dma_dev *dd = iox_dma_get(dev);

	if (dd)
		iox_dma_fq_flush(dd);
}
EXPORT_SYMBOL_GPL(iox_dma_flush);

/**
 * iox_dma_get_stats() - counters of a device's backend
 * @dev: an attached device
 * @stats: filled in
 *
 * Context: Process context.
 * Return: 0 or -ENODEV if @dev is not attached.
 */
int iox_dma_get_stats(struct device *dev, struct iox_dma_stats *stats)
{
	struct iox_dma_dev *dd = iox_dma_get(dev);

	if (!dd)
		return -ENODEV;
	stats->live_mappings = atomic_long_read(&dd->live_mappings);
	stats->live_bounces = atomic_long_read(&dd->live_bounces);
	stats->fq_pending = atomic_long_read(&dd->fq_pending);
	stats->fq_flushes = atomic_long_read(&dd->fq_flushes);
	stats->bad_unmaps = atomic_long_read(&dd->bad_unmaps);
	stats->map_errors = atomic_long_read(&dd->map_errors);
	return 0;
}
EXPORT_SYMBOL_GPL(iox_dma_get_stats);
