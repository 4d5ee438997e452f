// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit suite iox_iommu_api_edu: iox_iommu_api seen from the kernel's side.
 * Every call goes through the running kernel's IOMMU API (iommu_map(),
 * iommu_unmap(), iommu_attach_device(), ...), so the kernel's own core
 * splits ranges into page sizes and loops over the bridge's ops as it
 * does for its real users; QEMU's edu device, behind the unit iox drives
 * (VT-d, AMD-Vi or SMMUv3), proves the translations by DMA.
 *
 * Without iox_iommu_api registered (no IOMMU ops on the PCI bus) or
 * without edu, every case skips.
 */
#include <kunit/test.h>
#include <linux/dma-map-ops.h>
#include <linux/iommu.h>
#include <linux/iox.h>
#include <linux/module.h>
#include <linux/pci.h>
#include <linux/sizes.h>
#include <linux/slab.h>
#include <linux/wait.h>
#include "../tests/edu.h"
#include "model.h"

#define EDU_IOVA_SRC	0x100000UL
#define EDU_IOVA_DST	0x200000UL
#define EDU_FAULT_WAIT	(2 * HZ)

static struct iox_edu edu;

static struct device *edu_dev(struct kunit *test)
{
	if (!edu.pdev)
		kunit_skip(test, "no edu device (1234:11e8)");
	if (!device_iommu_mapped(&edu.pdev->dev))
		kunit_skip(test, "edu is in no IOMMU group: iox_iommu_api is not loaded");
	return &edu.pdev->dev;
}

/* What the kernel learned of edu from the bridge. */
static void kapi_device(struct kunit *test)
{
	struct device *dev = edu_dev(test);
	struct iommu_resv_region *r;
	struct iommu_group *group;
	struct iommu_domain *dom;
	bool x86_window = false;
	unsigned int nr_msi = 0;
	LIST_HEAD(regions);

	/*
	 * Coherency is the device's; an arm64 device learns its own only
	 * when a driver binds it (of_dma_configure()).
	 */
	KUNIT_EXPECT_EQ(test,
			device_iommu_capable(dev, IOMMU_CAP_CACHE_COHERENCY),
			dev_is_dma_coherent(dev));
	if (IS_ENABLED(CONFIG_X86))
		KUNIT_EXPECT_TRUE(test, dev_is_dma_coherent(dev));
	KUNIT_EXPECT_FALSE(test,
			   device_iommu_capable(dev, IOMMU_CAP_INTR_REMAP));
	dom = iommu_get_domain_for_dev(dev);
	KUNIT_ASSERT_NOT_NULL(test, dom);
	KUNIT_EXPECT_TRUE(test, iommu_is_dma_domain(dom));
	KUNIT_EXPECT_EQ(test, dom->pgsize_bitmap,
			(unsigned long)(SZ_4K | SZ_2M | SZ_1G));
	group = iommu_group_get(dev);
	KUNIT_ASSERT_NOT_NULL(test, group);
	KUNIT_EXPECT_EQ(test, iommu_get_group_resv_regions(group, &regions), 0);
	list_for_each_entry(r, &regions, list) {
		if (r->type != IOMMU_RESV_MSI)
			continue;
		nr_msi++;
		x86_window = r->start == 0xfee00000 && r->length == SZ_1M;
	}
	iommu_put_resv_regions(dev, &regions);
	iommu_group_put(group);
	/*
	 * x86's interrupt window is not translated; an arm64 GIC doorbell is
	 * an address the kernel's dma-iommu maps in the device's domain.
	 */
	KUNIT_EXPECT_EQ(test, nr_msi, IS_ENABLED(CONFIG_X86) ? 1U : 0U);
	if (nr_msi)
		KUNIT_EXPECT_TRUE(test, x86_window);
}

/*
 * Random maps and unmaps through the kernel's iommu_map() and
 * iommu_unmap() on an unmanaged domain, against a model of iox's leaves
 * and of the kernel's splitting (model.c).
 */
static void kapi_model(struct kunit *test)
{
	struct device *dev = edu_dev(test);
	struct iommu_domain *dom;

	dom = iommu_domain_alloc(dev->bus);
	KUNIT_ASSERT_NOT_NULL(test, dom);
	if (iommu_attach_device(dom, dev)) {
		iommu_domain_free(dom);
		KUNIT_FAIL(test, "cannot attach edu to an unmanaged domain");
		return;
	}
	iox_kapi_model_run(test, dom, IOX_KAPI_MODEL_SEED);
	iommu_detach_device(dom, dev);
	iommu_domain_free(dom);
	/* Back in its default domain, which the DMA backend serves. */
	KUNIT_EXPECT_TRUE(test, iommu_is_dma_domain(iommu_get_domain_for_dev(dev)));
}

/* A kernel driver that does DMA through the DMA API, for edu. */
static int kapi_driver_probe(struct pci_dev *pdev,
			     const struct pci_device_id *id)
{
	return 0;
}

static void kapi_driver_remove(struct pci_dev *pdev)
{
}

static const struct pci_device_id kapi_driver_ids[] = {
	{ PCI_DEVICE(EDU_VENDOR, EDU_DEVICE) },
	{}
};

static struct pci_driver kapi_driver = {
	.name = "iox_kapi_edu",
	.id_table = kapi_driver_ids,
	.probe = kapi_driver_probe,
	.remove = kapi_driver_remove,
};

/*
 * DMA ownership is the kernel's, on iox's domains: a group whose device
 * a kernel driver uses cannot be claimed (VFIO's SET_CONTAINER); claimed,
 * it waits in iox's blocked domain and no one else can claim it; released,
 * it is back in its default DMA domain.
 */
static void kapi_dma_owner(struct kunit *test)
{
	struct device *dev = edu_dev(test);
	struct iommu_group *group = iommu_group_get(dev);
	struct iox_domain *iox;
	int other;

	KUNIT_ASSERT_NOT_NULL(test, group);
	KUNIT_ASSERT_EQ(test, pci_register_driver(&kapi_driver), 0);
	KUNIT_EXPECT_PTR_EQ(test, dev->driver, &kapi_driver.driver);
	KUNIT_EXPECT_EQ(test, iommu_group_claim_dma_owner(group, test), -EPERM);
	pci_unregister_driver(&kapi_driver);

	KUNIT_EXPECT_EQ(test, iommu_group_claim_dma_owner(group, test), 0);
	iox = iox_get_domain_for_dev(dev);
	KUNIT_EXPECT_TRUE(test, iox && iox->type == IOX_DOMAIN_BLOCKED);
	KUNIT_EXPECT_EQ(test, iommu_group_claim_dma_owner(group, &other),
			-EPERM);
	iommu_group_release_dma_owner(group);
	iox = iox_get_domain_for_dev(dev);
	KUNIT_EXPECT_TRUE(test, iox && (iox->type == IOX_DOMAIN_DMA ||
					iox->type == IOX_DOMAIN_DMA_FQ));
	KUNIT_EXPECT_TRUE(test,
			  iommu_is_dma_domain(iommu_get_domain_for_dev(dev)));
	iommu_group_put(group);
}

/*
 * QEMU's AMD-Vi model never writes its event log (Documentation/iox/
 * amd.rst): vm-users' AMD boot loads the suite with fault_reports=0, and
 * the refused write is then proven by its bytes alone.
 */
static bool fault_reports = true;
module_param(fault_reports, bool, 0444);
MODULE_PARM_DESC(fault_reports, "the unit reports faults (0: check the refused write by its bytes only)");

struct kapi_fault {
	wait_queue_head_t wq;
	unsigned long iova;
	int flags;
	unsigned int count;
};

static int kapi_fault_handler(struct iommu_domain *dom, struct device *dev,
			      unsigned long iova, int flags, void *token)
{
	struct kapi_fault *f = token;

	f->iova = iova;
	f->flags = flags;
	WRITE_ONCE(f->count, f->count + 1);
	wake_up(&f->wq);
	return 0;
}

static void kapi_pattern(u8 *p, size_t n, u8 seed)
{
	size_t i;

	for (i = 0; i < n; i++)
		p[i] = seed + i * 5;
}

/*
 * edu DMAs through an unmanaged domain both ways; after iommu_unmap() its
 * write faults, reaches the owner's fault handler and changes nothing.
 */
static void kapi_dma_fault(struct kunit *test)
{
	struct device *dev = edu_dev(test);
	struct page *src_page, *dst_page;
	struct iommu_domain *dom;
	struct kapi_fault *f;
	u8 *src, *dst, *want;

	f = kunit_kzalloc(test, sizeof(*f), GFP_KERNEL);
	want = kunit_kzalloc(test, PAGE_SIZE, GFP_KERNEL);
	src_page = alloc_page(GFP_KERNEL);
	dst_page = alloc_page(GFP_KERNEL);
	dom = iommu_domain_alloc(dev->bus);
	if (!f || !want || !src_page || !dst_page || !dom)
		goto out;
	init_waitqueue_head(&f->wq);
	iommu_set_fault_handler(dom, kapi_fault_handler, f);
	src = page_address(src_page);
	dst = page_address(dst_page);
	kapi_pattern(src, PAGE_SIZE, 0x3d);
	memset(dst, 0, PAGE_SIZE);
	KUNIT_ASSERT_EQ(test, iommu_attach_device(dom, dev), 0);
	KUNIT_EXPECT_EQ(test, iommu_map(dom, EDU_IOVA_SRC,
					page_to_phys(src_page), SZ_4K,
					IOMMU_READ | IOMMU_CACHE), 0);
	KUNIT_EXPECT_EQ(test, iommu_map(dom, EDU_IOVA_DST,
					page_to_phys(dst_page), SZ_4K,
					IOMMU_READ | IOMMU_WRITE), 0);
	KUNIT_EXPECT_EQ(test, iox_edu_dma(&edu, EDU_IOVA_SRC, EDU_BUF,
					  EDU_MAX, false), 0);
	KUNIT_EXPECT_EQ(test, iox_edu_dma(&edu, EDU_BUF, EDU_IOVA_DST,
					  EDU_MAX, true), 0);
	kapi_pattern(want, EDU_MAX, 0x3d);
	KUNIT_EXPECT_EQ(test, memcmp(dst, want, EDU_MAX), 0);

	KUNIT_EXPECT_EQ(test, iommu_unmap(dom, EDU_IOVA_DST, SZ_4K),
			(size_t)SZ_4K);
	memset(dst, 0x66, PAGE_SIZE);
	KUNIT_EXPECT_EQ(test, iox_edu_dma(&edu, EDU_BUF, EDU_IOVA_DST,
					  EDU_MAX, true), 0);
	if (fault_reports) {
		wait_event_timeout(f->wq, READ_ONCE(f->count), EDU_FAULT_WAIT);
		KUNIT_EXPECT_EQ(test, READ_ONCE(f->count), 1);
		KUNIT_EXPECT_EQ(test, f->iova, EDU_IOVA_DST);
		KUNIT_EXPECT_EQ(test, f->flags, IOMMU_FAULT_WRITE);
	}
	KUNIT_EXPECT_TRUE(test, !memchr_inv(dst, 0x66, PAGE_SIZE));
	iommu_detach_device(dom, dev);
out:
	if (dom)
		iommu_domain_free(dom);
	if (src_page)
		__free_page(src_page);
	if (dst_page)
		__free_page(dst_page);
	KUNIT_EXPECT_TRUE(test, f && want && src_page && dst_page && dom);
}

static int kapi_suite_init(struct kunit_suite *suite)
{
	return iox_edu_open(&edu);
}

static void kapi_suite_exit(struct kunit_suite *suite)
{
	iox_edu_close(&edu);
}

static struct kunit_case kapi_cases[] = {
	KUNIT_CASE(kapi_device),
	KUNIT_CASE(kapi_model),
	KUNIT_CASE(kapi_dma_fault),
	KUNIT_CASE(kapi_dma_owner),
	{}
};

static struct kunit_suite kapi_suite = {
	.name = "iox_iommu_api_edu",
	.suite_init = kapi_suite_init,
	.suite_exit = kapi_suite_exit,
	.test_cases = kapi_cases,
};

kunit_test_suites(&kapi_suite);

MODULE_DESCRIPTION("iox_iommu_api through the kernel's IOMMU API, proven by edu DMA");
MODULE_LICENSE("GPL");
