// SPDX-License-Identifier: GPL-2.0
/*
 * Userspace stand-in for the kernel's IOMMU core entry points that
 * iox_iommu_api's domains serve (linux/iommu.h here): iommu_map() and
 * iommu_unmap() split a range into page sizes and loop over the domain's
 * map_pages and unmap_pages as Linux 6.1's drivers/iommu/iommu.c does -
 * a failed map unmaps what it mapped, an unmap stops at the first chunk
 * that unmaps nothing - so the bridge meets the calls it meets in the
 * kernel, under the sanitizers.
 */
#include <linux/iommu.h>
#include "../../../../drivers/iox/iommu-api/model.h"

static bool iommu_compat_aligned(struct iommu_domain *domain, u64 addrs)
{
	return !(addrs & (BIT(__ffs(domain->pgsize_bitmap)) - 1));
}

size_t iommu_unmap(struct iommu_domain *domain, unsigned long iova,
		   size_t size)
{
	struct iommu_iotlb_gather gather = { .start = ULONG_MAX };
	size_t done = 0, pgsize, count, got;

	if (!(domain->type & __IOMMU_DOMAIN_PAGING) ||
	    !iommu_compat_aligned(domain, iova | size))
		return 0;
	while (done < size) {
		pgsize = iox_kapi_pgsize(domain->pgsize_bitmap, iova + done,
					 iova + done, size - done, &count);
		got = domain->ops->unmap_pages(domain, iova + done, pgsize,
					       count, &gather);
		if (!got)
			break;
		done += got;
	}
	if (domain->ops->iotlb_sync)
		domain->ops->iotlb_sync(domain, &gather);
	return done;
}

int iommu_map(struct iommu_domain *domain, unsigned long iova,
	      phys_addr_t paddr, size_t size, int prot)
{
	size_t done = 0, pgsize, count, mapped;
	int ret = 0;

	if (!(domain->type & __IOMMU_DOMAIN_PAGING))
		return -EINVAL;
	if (!iommu_compat_aligned(domain, iova | paddr | size))
		return -EINVAL;
	while (done < size) {
		pgsize = iox_kapi_pgsize(domain->pgsize_bitmap, iova + done,
					 paddr + done, size - done, &count);
		mapped = 0;
		ret = domain->ops->map_pages(domain, iova + done, paddr + done,
					     pgsize, count, prot, GFP_KERNEL,
					     &mapped);
		done += mapped;
		if (ret)
			break;
	}
	if (ret && done)
		iommu_unmap(domain, iova, done);
	return ret;
}

phys_addr_t iommu_iova_to_phys(struct iommu_domain *domain, dma_addr_t iova)
{
	if (domain->type == IOMMU_DOMAIN_IDENTITY)
		return iova;
	if (domain->type == IOMMU_DOMAIN_BLOCKED)
		return 0;
	return domain->ops->iova_to_phys(domain, iova);
}

void iommu_set_fault_handler(struct iommu_domain *domain,
			     iommu_fault_handler_t handler, void *token)
{
	domain->handler = handler;
	domain->handler_token = token;
}

int report_iommu_fault(struct iommu_domain *domain, struct device *dev,
		       unsigned long iova, int flags)
{
	if (!domain->handler)
		return -ENOSYS;
	return domain->handler(domain, dev, iova, flags,
			       domain->handler_token);
}
