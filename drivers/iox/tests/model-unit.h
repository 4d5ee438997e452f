/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The cases every unit driver passes on its register-level model (the
 * SMMU v1/v2 and MSM drivers; drivers/iox/tests/models/): map and DMA both
 * ways with the bytes checked, unmap then fault with address and syndrome,
 * remap, read-only, every page size of the format, blocked and identity,
 * a driver reload on a unit that keeps its state, the DMA API through a
 * DMA domain, a random campaign; and, after each case, no driver bug the
 * model saw. A driver's suite gives the model's operations (struct
 * iox_model_ops) and its shapes as the cases' parameter, and lists the
 * cases; they are static here, so each suite module has its own copy.
 */
#ifndef _IOX_TESTS_MODEL_UNIT_H
#define _IOX_TESTS_MODEL_UNIT_H

#include <kunit/test.h>
#include <linux/device.h>
#include <linux/dma-mapping.h>
#include <linux/err.h>
#include <linux/iox.h>
#include <linux/iox-dma.h>
#include <linux/iox-regs.h>
#include <linux/mm.h>
#include <linux/sizes.h>
#include <linux/slab.h>
#include "../mock/iox-mock.h"

#define RW	(IOX_READ | IOX_WRITE)

struct iox_model_env;

/**
 * struct iox_model_ops - a driver and its unit's model, for the cases
 * @create: make the model for @e->shape, fill @e->regs and @e->model
 * @destroy: free it
 * @load: the driver takes the unit (@e->unit), knows the endpoint
 *	@e->dev as a master; the core then probes it
 * @unload: the driver forgets the endpoint and lets the unit go
 * @dma: the endpoint's one-byte DMA at @iova through the model: 0 and
 *	the physical address, or -EFAULT
 * @bugs: the driver bugs the model saw
 */
struct iox_model_ops {
	int (*create)(struct iox_model_env *e);
	void (*destroy)(struct iox_model_env *e);
	int (*load)(struct iox_model_env *e);
	void (*unload)(struct iox_model_env *e);
	int (*dma)(struct iox_model_env *e, u64 iova, bool write,
		   phys_addr_t *pa);
	unsigned long (*bugs)(struct iox_model_env *e);
};

/**
 * struct iox_model_env - a case's unit, on its model, and one endpoint
 * @ops: the driver's and model's operations
 * @shape: the case's parameter, the suite's to read
 * @model: the model
 * @regs: its registers
 * @unit: the driver's unit on it
 * @hwdev: the unit's own device, for its logs
 * @dev: the endpoint
 * @dom: a paging domain attached to @dev, or NULL
 * @dma32: the format outputs 32-bit addresses: pages come from below 4G
 * @faults: faults the core reported to @dom's handler
 * @last: the last of them
 */
struct iox_model_env {
	const struct iox_model_ops *ops;
	const void *shape;
	void *model;
	struct iox_regs regs;
	struct iox_unit *unit;
	struct device *hwdev;
	struct device *dev;
	struct iox_domain *dom;
	bool dma32;
	unsigned int faults;
	struct iox_fault last;
};

static int iox_model_fault(struct iox_domain *domain, struct device *dev,
			   const struct iox_fault *fault, void *token)
{
	struct iox_model_env *e = token;

	e->faults++;
	e->last = *fault;
	return 0;
}

/* The driver loaded on the unit, the endpoint probed. */
static int iox_model_load(struct kunit *test, struct iox_model_env *e)
{
	int ret = e->ops->load(e);

	return ret ?: iox_probe_device(e->dev);
}

/* Whatever is attached detached, the driver unloaded. */
static void iox_model_unload(struct iox_model_env *e)
{
	if (e->dom) {
		iox_detach_device(e->dom, e->dev);
		iox_domain_free(e->dom);
		e->dom = NULL;
	}
	if (e->unit) {
		e->ops->unload(e);
		e->unit = NULL;
	}
}

/* The case's init: the model, the endpoint, the driver loaded. */
static int iox_model_env_init(struct kunit *test,
			      const struct iox_model_ops *ops)
{
	struct iox_model_env *e;
	int ret;

	e = kunit_kzalloc(test, sizeof(*e), GFP_KERNEL);
	if (!e)
		return -ENOMEM;
	e->ops = ops;
	e->shape = test->param_value;
	test->priv = e;
	e->hwdev = iox_mock_device_alloc("model-unit");
	e->dev = iox_mock_device_alloc("model-endpoint");
	if (!e->hwdev || !e->dev)
		return -ENOMEM;
	ret = ops->create(e);
	if (ret) {
		e->model = NULL;
		return ret;
	}
	return iox_model_load(test, e);
}

/* The case's exit: everything undone, and the model saw no driver bug. */
static void iox_model_env_exit(struct kunit *test)
{
	struct iox_model_env *e = test->priv;

	if (!e)
		return;
	iox_model_unload(e);
	iox_mock_device_free(e->dev);
	iox_mock_device_free(e->hwdev);
	if (e->model) {
		KUNIT_EXPECT_EQ_MSG(test, e->ops->bugs(e), 0UL,
				    "the model saw driver bugs");
		e->ops->destroy(e);
	}
}

/* Pages the case's tables can reach: v7s outputs 32-bit addresses. */
static struct page *iox_model_pages(struct iox_model_env *e, unsigned int order)
{
	return alloc_pages(GFP_KERNEL | __GFP_ZERO |
			   (e->dma32 ? GFP_DMA32 : 0), order);
}

/* A paging domain attached to the endpoint, with the case's handler. */
static struct iox_domain *iox_model_attach(struct kunit *test)
{
	struct iox_model_env *e = test->priv;

	e->dom = iox_domain_alloc(e->dev, IOX_DOMAIN_PAGING);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, e->dom);
	iox_set_fault_handler(e->dom, iox_model_fault, e);
	KUNIT_ASSERT_EQ(test, iox_attach_device(e->dom, e->dev), 0);
	return e->dom;
}

/* The endpoint's DMA of one byte at @iova: where it landed, or 0. */
static phys_addr_t iox_model_dma(struct iox_model_env *e, u64 iova, bool write)
{
	phys_addr_t pa = 0;

	if (e->ops->dma(e, iova, write, &pa))
		return 0;
	return pa;
}

/* A DMA of @len bytes from @buf to @iova (or back), page by page. */
static int iox_model_dma_copy(struct iox_model_env *e, u64 iova, void *buf,
			      size_t len, bool write)
{
	phys_addr_t pa;
	size_t n;

	while (len) {
		n = min_t(size_t, len, PAGE_SIZE - offset_in_page(iova));
		pa = iox_model_dma(e, iova, write);
		if (!pa)
			return -EFAULT;
		if (write)
			memcpy(phys_to_virt(pa), buf, n);
		else
			memcpy(buf, phys_to_virt(pa), n);
		iova += n;
		buf += n;
		len -= n;
	}
	return 0;
}

/* Map, then DMA both ways: the bytes are where the CPU put and reads them. */
static void iox_model_map_dma(struct kunit *test)
{
	struct iox_model_env *e = test->priv;
	struct iox_domain *dom = iox_model_attach(test);
	const u64 iova = SZ_1M;
	u8 *cpu, buf[64];
	struct page *pg;
	unsigned int i;

	pg = iox_model_pages(e, 1);
	KUNIT_ASSERT_NOT_NULL(test, pg);
	cpu = page_address(pg);
	KUNIT_ASSERT_EQ(test, iox_map(dom, iova, page_to_phys(pg), 2 * SZ_4K,
				      RW, GFP_KERNEL), 0);
	for (i = 0; i < sizeof(buf); i++)
		cpu[SZ_4K - 32 + i] = i ^ 0x5a;
	/* Across the page boundary: two translations. */
	KUNIT_EXPECT_EQ(test, iox_model_dma_copy(e, iova + SZ_4K - 32, buf,
						 sizeof(buf), false), 0);
	for (i = 0; i < sizeof(buf); i++)
		KUNIT_EXPECT_EQ(test, buf[i], (u8)(i ^ 0x5a));
	memset(buf, 0xc3, sizeof(buf));
	KUNIT_EXPECT_EQ(test, iox_model_dma_copy(e, iova + 100, buf,
						 sizeof(buf), true), 0);
	KUNIT_EXPECT_TRUE(test, !memchr_inv(cpu + 100, 0xc3, sizeof(buf)));
	KUNIT_EXPECT_EQ(test, e->faults, 0U);
	KUNIT_EXPECT_EQ(test, iox_unmap(dom, iova, 2 * SZ_4K), 2 * SZ_4K);
	__free_pages(pg, 1);
}

/* Unmapped, the DMA faults: the core reports address and syndrome. */
static void iox_model_unmap_faults(struct kunit *test)
{
	struct iox_model_env *e = test->priv;
	struct iox_domain *dom = iox_model_attach(test);
	const u64 iova = SZ_2M;
	struct page *pg = iox_model_pages(e, 0);

	KUNIT_ASSERT_NOT_NULL(test, pg);
	KUNIT_ASSERT_EQ(test, iox_map(dom, iova, page_to_phys(pg), SZ_4K, RW,
				      GFP_KERNEL), 0);
	/* The model's TLB now holds the translation. */
	KUNIT_EXPECT_EQ(test, iox_model_dma(e, iova + 8, true),
			page_to_phys(pg) + 8);
	KUNIT_EXPECT_EQ(test, iox_unmap(dom, iova, SZ_4K), SZ_4K);
	KUNIT_EXPECT_EQ(test, iox_model_dma(e, iova + 8, true), 0);
	KUNIT_EXPECT_EQ(test, e->faults, 1U);
	KUNIT_EXPECT_EQ(test, e->last.iova, iova + 8);
	KUNIT_EXPECT_EQ(test, e->last.reason, IOX_FAULT_NOT_PRESENT);
	KUNIT_EXPECT_TRUE(test, e->last.flags & IOX_FAULT_WRITE);
	/* A read of another unmapped page: reported as a read. */
	KUNIT_EXPECT_EQ(test, iox_model_dma(e, iova + SZ_64K, false), 0);
	KUNIT_EXPECT_EQ(test, e->faults, 2U);
	KUNIT_EXPECT_EQ(test, e->last.iova, iova + SZ_64K);
	KUNIT_EXPECT_FALSE(test, e->last.flags & IOX_FAULT_WRITE);
	__free_page(pg);
}

/* Unmapped and mapped again elsewhere: the DMA uses the new page. */
static void iox_model_remap_new_page(struct kunit *test)
{
	struct iox_model_env *e = test->priv;
	struct iox_domain *dom = iox_model_attach(test);
	struct page *a = iox_model_pages(e, 0), *b = iox_model_pages(e, 0);
	const u64 iova = 3 * SZ_1M;

	KUNIT_ASSERT_NOT_NULL(test, a);
	KUNIT_ASSERT_NOT_NULL(test, b);
	KUNIT_ASSERT_EQ(test, iox_map(dom, iova, page_to_phys(a), SZ_4K, RW,
				      GFP_KERNEL), 0);
	KUNIT_EXPECT_EQ(test, iox_model_dma(e, iova, false), page_to_phys(a));
	KUNIT_EXPECT_EQ(test, iox_unmap(dom, iova, SZ_4K), SZ_4K);
	KUNIT_ASSERT_EQ(test, iox_map(dom, iova, page_to_phys(b), SZ_4K, RW,
				      GFP_KERNEL), 0);
	KUNIT_EXPECT_EQ(test, iox_model_dma(e, iova, false), page_to_phys(b));
	KUNIT_EXPECT_EQ(test, e->faults, 0U);
	KUNIT_EXPECT_EQ(test, iox_unmap(dom, iova, SZ_4K), SZ_4K);
	__free_page(a);
	__free_page(b);
}

/* A read-only mapping: reads pass, writes fault as permission faults. */
static void iox_model_read_only(struct kunit *test)
{
	struct iox_model_env *e = test->priv;
	struct iox_domain *dom = iox_model_attach(test);
	struct page *pg = iox_model_pages(e, 0);
	const u64 iova = 5 * SZ_1M;

	KUNIT_ASSERT_NOT_NULL(test, pg);
	KUNIT_ASSERT_EQ(test, iox_map(dom, iova, page_to_phys(pg), SZ_4K,
				      IOX_READ, GFP_KERNEL), 0);
	KUNIT_EXPECT_EQ(test, iox_model_dma(e, iova + 4, false),
			page_to_phys(pg) + 4);
	KUNIT_EXPECT_EQ(test, iox_model_dma(e, iova + 4, true), 0);
	KUNIT_EXPECT_EQ(test, e->faults, 1U);
	KUNIT_EXPECT_EQ(test, e->last.reason, IOX_FAULT_PERMISSION);
	KUNIT_EXPECT_TRUE(test, e->last.flags & IOX_FAULT_WRITE);
	KUNIT_EXPECT_EQ(test, iox_unmap(dom, iova, SZ_4K), SZ_4K);
	__free_page(pg);
}

/*
 * Each page size of the format: one leaf, translated at both its ends. The
 * output is a size-aligned physical range nothing touches (no DMA copies
 * bytes here), so 1G and 16M leaves need no memory behind them.
 */
static void iox_model_every_page_size(struct kunit *test)
{
	struct iox_model_env *e = test->priv;
	struct iox_domain *dom = iox_model_attach(test);
	unsigned long sizes = dom->pgsize_bitmap;
	unsigned int order, seen = 0;
	struct iox_leaf leaf;
	phys_addr_t pa;
	size_t size;
	u64 iova;

	for_each_set_bit(order, &sizes, BITS_PER_LONG) {
		size = 1UL << order;
		pa = 2 * (phys_addr_t)size;
		iova = 16 * (u64)max_t(size_t, size, SZ_16M);
		KUNIT_ASSERT_EQ(test, iox_map(dom, iova, pa, size, RW,
					      GFP_KERNEL), 0);
		KUNIT_EXPECT_EQ(test, iox_lookup(dom, iova, &leaf), 0);
		KUNIT_EXPECT_EQ(test, leaf.pgsize, size);
		KUNIT_EXPECT_EQ(test, iox_model_dma(e, iova, true), pa);
		KUNIT_EXPECT_EQ(test, iox_model_dma(e, iova + size - 1, false),
				pa + size - 1);
		KUNIT_EXPECT_EQ(test, iox_unmap(dom, iova, size), size);
		KUNIT_EXPECT_EQ(test, iox_model_dma(e, iova, false), 0);
		seen++;
	}
	kunit_info(test, "%u page sizes of %#lx translated", seen, sizes);
	KUNIT_EXPECT_EQ(test, seen, (unsigned int)hweight_long(sizes));
	KUNIT_EXPECT_GE(test, seen, 2U);
}

/* Detached, the stream is blocked; in an identity domain it bypasses. */
static void iox_model_detach_blocked_identity(struct kunit *test)
{
	struct iox_model_env *e = test->priv;
	struct iox_domain *dom = iox_model_attach(test), *id;
	struct page *pg = iox_model_pages(e, 0);
	const u64 iova = SZ_1M;

	KUNIT_ASSERT_NOT_NULL(test, pg);
	KUNIT_ASSERT_EQ(test, iox_map(dom, iova, page_to_phys(pg), SZ_4K, RW,
				      GFP_KERNEL), 0);
	KUNIT_EXPECT_EQ(test, iox_model_dma(e, iova, false), page_to_phys(pg));
	iox_detach_device(dom, e->dev);
	KUNIT_EXPECT_EQ(test, iox_model_dma(e, iova, false), 0);
	KUNIT_EXPECT_EQ(test, iox_model_dma(e, page_to_phys(pg), false), 0);

	id = iox_domain_alloc(e->dev, IOX_DOMAIN_IDENTITY);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, id);
	KUNIT_ASSERT_EQ(test, iox_attach_device(id, e->dev), 0);
	KUNIT_EXPECT_EQ(test, iox_model_dma(e, page_to_phys(pg), true),
			page_to_phys(pg));
	iox_detach_device(id, e->dev);
	iox_domain_free(id);

	/* Attached again: the bank translates as before. */
	KUNIT_ASSERT_EQ(test, iox_attach_device(dom, e->dev), 0);
	KUNIT_EXPECT_EQ(test, iox_model_dma(e, iova, false), page_to_phys(pg));
	KUNIT_EXPECT_EQ(test, iox_unmap(dom, iova, SZ_4K), SZ_4K);
	__free_page(pg);
}

/*
 * The driver unloaded and loaded again on the same unit, which keeps its
 * state: the reset leaves no stream routed and no translation cached.
 */
static void iox_model_reload(struct kunit *test)
{
	struct iox_model_env *e = test->priv;
	struct iox_domain *dom = iox_model_attach(test);
	struct page *a = iox_model_pages(e, 0), *b = iox_model_pages(e, 0);
	const u64 iova = 7 * SZ_1M;

	KUNIT_ASSERT_NOT_NULL(test, a);
	KUNIT_ASSERT_NOT_NULL(test, b);
	KUNIT_ASSERT_EQ(test, iox_map(dom, iova, page_to_phys(a), SZ_4K, RW,
				      GFP_KERNEL), 0);
	KUNIT_EXPECT_EQ(test, iox_model_dma(e, iova, false), page_to_phys(a));
	iox_model_unload(e);
	KUNIT_ASSERT_EQ(test, iox_model_load(test, e), 0);
	/* Probed but not attached: blocked. */
	KUNIT_EXPECT_EQ(test, iox_model_dma(e, iova, false), 0);
	dom = iox_model_attach(test);
	KUNIT_ASSERT_EQ(test, iox_map(dom, iova, page_to_phys(b), SZ_4K, RW,
				      GFP_KERNEL), 0);
	KUNIT_EXPECT_EQ(test, iox_model_dma(e, iova, false), page_to_phys(b));
	KUNIT_EXPECT_EQ(test, iox_unmap(dom, iova, SZ_4K), SZ_4K);
	__free_page(a);
	__free_page(b);
}

#if IS_ENABLED(CONFIG_IOX_DMA) || defined(IOX_USERSPACE)
/* The DMA API through an iox DMA domain on the unit. */
static void iox_model_dma_api(struct kunit *test)
{
	struct iox_model_env *e = test->priv;
	u64 mask = DMA_BIT_MASK(32);
	struct device_dma_parameters parms = {
		.max_segment_size = SZ_64K,
		.segment_boundary_mask = ULONG_MAX,
	};
	struct page *pg = iox_model_pages(e, 0);
	dma_addr_t handle;
	u8 *buf, byte = 0;

	e->dev->dma_mask = &mask;
	e->dev->dma_parms = &parms;
	KUNIT_ASSERT_EQ(test, iox_dma_attach(e->dev, IOX_DOMAIN_DMA, 0), 0);
	KUNIT_ASSERT_NOT_NULL(test, pg);
	buf = page_address(pg);
	buf[17] = 0x77;
	handle = dma_map_single(e->dev, buf, SZ_4K, DMA_BIDIRECTIONAL);
	KUNIT_ASSERT_FALSE(test, dma_mapping_error(e->dev, handle));
	KUNIT_EXPECT_EQ(test, iox_model_dma_copy(e, handle + 17, &byte, 1, false),
			0);
	KUNIT_EXPECT_EQ(test, byte, 0x77);
	byte = 0x99;
	KUNIT_EXPECT_EQ(test, iox_model_dma_copy(e, handle + 18, &byte, 1, true),
			0);
	dma_unmap_single(e->dev, handle, SZ_4K, DMA_BIDIRECTIONAL);
	KUNIT_EXPECT_EQ(test, buf[18], 0x99);
	/* Strict: gone from the model's TLB when the unmap returned. */
	KUNIT_EXPECT_EQ(test, iox_model_dma(e, handle + 17, false), 0);
	__free_page(pg);
	iox_dma_detach(e->dev);
	e->dev->dma_mask = NULL;
	e->dev->dma_parms = NULL;
}
#endif

/* xorshift64: the campaign is the same on every runner. */
static u32 iox_model_rand(u64 *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return *s >> 32;
}

#define IOX_MODEL_CAMPAIGN_SLOTS	64
#define IOX_MODEL_CAMPAIGN_OPS	600

/*
 * Random map, unmap and DMA against a reference of which slot maps which
 * page: every DMA must land where the reference says or fault where it
 * says nothing is mapped.
 */
static void iox_model_random_campaign(struct kunit *test)
{
	struct iox_model_env *e = test->priv;
	struct iox_domain *dom = iox_model_attach(test);
	struct page *pages[IOX_MODEL_CAMPAIGN_SLOTS] = {};
	unsigned int i, slot, bad = 0, dmas = 0;
	u64 rnd = 0x9e3779b97f4a7c15ULL;
	const u64 base = SZ_16M;
	u64 iova;

	for (i = 0; i < IOX_MODEL_CAMPAIGN_OPS; i++) {
		slot = iox_model_rand(&rnd) % IOX_MODEL_CAMPAIGN_SLOTS;
		iova = base + (u64)slot * SZ_4K;
		switch (iox_model_rand(&rnd) % 3) {
		case 0:
			if (pages[slot])
				break;
			pages[slot] = iox_model_pages(e, 0);
			KUNIT_ASSERT_NOT_NULL(test, pages[slot]);
			KUNIT_ASSERT_EQ(test, iox_map(dom, iova,
						      page_to_phys(pages[slot]),
						      SZ_4K, RW, GFP_KERNEL), 0);
			break;
		case 1:
			if (!pages[slot])
				break;
			KUNIT_ASSERT_EQ(test, iox_unmap(dom, iova, SZ_4K),
					SZ_4K);
			__free_page(pages[slot]);
			pages[slot] = NULL;
			break;
		default:
			dmas++;
			if (iox_model_dma(e, iova + 64, i & 1) !=
			    (pages[slot] ? page_to_phys(pages[slot]) + 64 : 0))
				bad++;
			break;
		}
	}
	kunit_info(test, "%u DMAs, %u faults reported", dmas, e->faults);
	KUNIT_EXPECT_EQ(test, bad, 0U);
	for (slot = 0; slot < IOX_MODEL_CAMPAIGN_SLOTS; slot++) {
		if (!pages[slot])
			continue;
		iox_unmap(dom, base + (u64)slot * SZ_4K, SZ_4K);
		__free_page(pages[slot]);
	}
}

#endif /* _IOX_TESTS_MODEL_UNIT_H */
