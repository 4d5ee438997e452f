/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A model of an iox paging domain as the kernel's IOMMU API sees it:
 * iox's leaves, and the kernel's splitting of a range into page sizes
 * (Linux 6.1's iommu_pgsize() and __iommu_unmap(), restated). The KUnit
 * suites drive iommu_map() and iommu_unmap() at random and compare every
 * result with it: in the VM through the running kernel's own core, in
 * userspace through the shim's.
 */
#ifndef _IOX_IOMMU_API_MODEL_H
#define _IOX_IOMMU_API_MODEL_H

#include <kunit/test.h>
#include <linux/iommu.h>

#define IOX_KAPI_MODEL_SEED	0x10e5eedULL

void iox_kapi_model_run(struct kunit *test, struct iommu_domain *dom,
			u64 seed);
size_t iox_kapi_pgsize(unsigned long bitmap, unsigned long iova, u64 paddr,
		       size_t size, size_t *count);

#endif /* _IOX_IOMMU_API_MODEL_H */
