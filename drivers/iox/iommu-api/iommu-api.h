/* SPDX-License-Identifier: GPL-2.0 */
/*
 * iox_iommu_api: iox's units registered with the running kernel's IOMMU
 * API (struct iommu_ops), so that the kernel's own users - drivers
 * through the DMA API, VFIO's type1 backend, KVM's VFIO device - run on
 * iox. See Documentation/iox/users.rst.
 */
#ifndef _IOX_IOMMU_API_H
#define _IOX_IOMMU_API_H

#include <linux/iommu.h>
#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/iox.h>

/**
 * struct iox_kdomain - a kernel iommu_domain served by iox
 * @domain: what the kernel holds
 * @lock: orders binding, attach and the premap list
 * @iox: the iox domain it is bound to: for identity and unmanaged
 *	domains, and DMA domains under the kernel's dma-iommu
 *	(iox_kapi_arch_dma_ops()), from their first attach until freed; for
 *	the iox DMA backend's DMA domains its domain while @dma_dev is
 *	attached; NULL otherwise
 * @dma_dev: DMA domains of the iox DMA backend: the device it serves
 *	through @iox, NULL while detached
 * @premaps: struct iox_kpremap of mappings the kernel made before the
 *	domain was bound (the core's direct mappings of a default domain),
 *	replayed into each iox domain it binds to
 * @prot_force: IOX_CACHE once coherency is enforced, added to every map
 */
struct iox_kdomain {
	struct iommu_domain domain;
	struct mutex lock;	/* binding, attach, @premaps */
	struct iox_domain *iox;
	struct device *dma_dev;
	struct list_head premaps;
	int prot_force;
};

static inline struct iox_kdomain *to_iox_kdomain(struct iommu_domain *domain)
{
	return container_of(domain, struct iox_kdomain, domain);
}

extern const struct iommu_domain_ops iox_kdomain_ops;

/*
 * Who serves the DMA API of a device in a DMA domain. On x86 the IOMMU
 * driver does (Linux's VT-d and AMD drivers install dma-iommu from
 * probe_finalize): there iox's DMA backend takes the device. Where the
 * architecture does (arm64: arch_setup_dma_ops() installs the kernel's
 * dma-iommu at every driver bind of a device whose firmware node names an
 * IOMMU, and arch_teardown_dma_ops() removes it at unbind), the kernel's
 * dma-iommu allocates the IOVAs - and maps the GIC's MSI doorbells, which
 * a device reaches through the IOMMU there - and maps through an iox
 * domain of the kernel domain's type.
 */
static inline bool iox_kapi_arch_dma_ops(void)
{
	return IS_ENABLED(CONFIG_ARCH_HAS_SETUP_DMA_OPS);
}

/**
 * struct iox_kdev - what the bridge keeps of a device it probed
 * @kdomain: the kernel domain the device is attached to, or NULL
 */
struct iox_kdev {
	struct iox_kdomain *kdomain;
};

struct iommu_domain *iox_kdomain_alloc(unsigned int type);
void iox_kdomain_release_dev(struct device *dev);
void iox_kdomain_set_template(unsigned long pgsizes, u64 aperture_end);

#endif /* _IOX_IOMMU_API_H */
