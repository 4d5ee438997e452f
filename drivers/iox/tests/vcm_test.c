// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: the VCM mapper graph on two mock units of different page-table
 * formats (the mock's own 4K|2M|1G table, and the engine's ARM v7s,
 * 4K|64K|1M|16M, walked by the mock's endpoints), the CPU and a direct
 * (MMU-less) mapper. Every translation is checked where the hardware
 * would make it: by an endpoint's DMA through its unit, by the CPU's
 * load through the kernel mapping, by the physical address a direct
 * device is given.
 */
#include <linux/completion.h>
#include <linux/device.h>
#include <linux/err.h>
#include <linux/io.h>
#include <linux/kthread.h>
#include <linux/mm.h>
#include <linux/sizes.h>
#include <linux/vcm.h>
#include "iox-test.h"
#include "pt-shapes.h"

#define RW	(IOX_READ | IOX_WRITE)

/**
 * struct vcm_env - the graph's endpoints
 * @lpae: a mock unit with its own 4K|2M|1G table, one device
 * @v7s: a mock unit with the engine's ARM v7s table, one device
 * @iommu: a VCM on each unit
 * @cpu: a CPU VCM
 * @direct: a direct VCM
 */
struct vcm_env {
	struct iox_test_env *lpae;
	struct iox_test_env *v7s;
	struct vcm *iommu[2];
	struct vcm *cpu;
	struct vcm *direct;
};

static const struct iox_pt_shape *vcm_shape(const char *name)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(iox_pt_shapes); i++)
		if (!strcmp(iox_pt_shapes[i].name, name))
			return &iox_pt_shapes[i];
	return NULL;
}

static int vcm_env_init(struct kunit *test)
{
	const struct iox_pt_shape *v7s = vcm_shape("arm-v7s");
	struct iox_mock_config cfg = { .iotlb_entries = 16, .use_pt = true };
	struct vcm_env *e;

	e = kunit_kzalloc(test, sizeof(*e), GFP_KERNEL);
	if (!e || !v7s)
		return -ENOMEM;
	cfg.pt = v7s->cfg;
	e->lpae = iox_test_env_create(test, NULL, 1, false);
	e->v7s = iox_test_env_create(test, &cfg, 1, false);
	if (!e->lpae || !e->v7s)
		return -ENOMEM;
	e->iommu[0] = vcm_create(e->lpae->dev[0], SZ_1G, SZ_1G);
	e->iommu[1] = vcm_create(e->v7s->dev[0], SZ_256M, SZ_256M);
	e->cpu = vcm_create_cpu();
	e->direct = vcm_create_direct();
	if (IS_ERR(e->iommu[0]) || IS_ERR(e->iommu[1]) || IS_ERR(e->cpu) ||
	    IS_ERR(e->direct))
		return -ENOMEM;
	test->priv = e;
	return 0;
}

static void vcm_env_exit(struct kunit *test)
{
	struct vcm_env *e = test->priv;

	if (!e)
		return;
	KUNIT_EXPECT_EQ(test, vcm_destroy(e->iommu[0]), 0);
	KUNIT_EXPECT_EQ(test, vcm_destroy(e->iommu[1]), 0);
	KUNIT_EXPECT_EQ(test, vcm_destroy(e->cpu), 0);
	KUNIT_EXPECT_EQ(test, vcm_destroy(e->direct), 0);
	iox_test_env_destroy(e->lpae);
	iox_test_env_destroy(e->v7s);
}

/* The endpoint's DMA at @addr lands at @want. */
static bool vcm_dma_at(struct iox_test_env *env, u64 addr, phys_addr_t want)
{
	phys_addr_t got = 0;

	return !iox_mock_dma(env->mock, env->dev[0], addr,
			     IOX_FAULT_READ | IOX_FAULT_WRITE, &got) &&
	       got == want;
}

/* The chunk sizes follow the mappers; allocation takes the largest. */
static void vcm_chunks_follow_mappers(struct kunit *test)
{
	struct vcm_env *e = test->priv;
	struct vcm *both[] = { e->iommu[0], e->iommu[1], e->cpu };
	struct vcm *with_direct[] = { e->iommu[0], e->direct };
	unsigned long sizes, prev = ULONG_MAX;
	struct vcm_phys *phys;
	size_t len, total = 0;
	unsigned int i;
	phys_addr_t pa;

	/* 1G is beyond the page allocator's largest block. */
	KUNIT_EXPECT_EQ(test, vcm_chunk_sizes(e->iommu, 1),
			(unsigned long)(SZ_4K | SZ_2M));
	KUNIT_EXPECT_EQ(test, vcm_chunk_sizes(&e->iommu[1], 1),
			(unsigned long)(SZ_4K | SZ_64K | SZ_1M));
	sizes = vcm_chunk_sizes(both, ARRAY_SIZE(both));
	KUNIT_EXPECT_EQ(test, sizes,
			(unsigned long)(SZ_4K | SZ_64K | SZ_1M | SZ_2M));

	phys = vcm_phys_alloc(both, ARRAY_SIZE(both),
			      SZ_2M + SZ_1M + SZ_64K + SZ_4K, GFP_KERNEL);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, phys);
	for (i = 0; !vcm_phys_chunk(phys, i, &pa, &len); i++) {
		kunit_info(test, "chunk %u: %zuK at %#llx", i, len / SZ_1K,
			   (u64)pa);
		KUNIT_EXPECT_TRUE(test, len & sizes);
		KUNIT_EXPECT_LE(test, len, prev);
		KUNIT_EXPECT_EQ(test, pa & (len - 1), 0);
		/* v7s reaches only the low 4 GiB. */
		KUNIT_EXPECT_LE(test, pa + len - 1, (phys_addr_t)U32_MAX);
		prev = len;
		total += len;
	}
	KUNIT_EXPECT_EQ(test, total, (size_t)(SZ_2M + SZ_1M + SZ_64K + SZ_4K));
	KUNIT_EXPECT_EQ(test, vcm_phys_free(phys), 0);

	/* A direct mapper takes one contiguous chunk. */
	phys = vcm_phys_alloc(with_direct, 2, SZ_64K + SZ_4K, GFP_KERNEL);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, phys);
	KUNIT_EXPECT_EQ(test, vcm_phys_nr_chunks(phys), 1U);
	KUNIT_EXPECT_EQ(test, vcm_phys_size(phys), (size_t)(SZ_64K + SZ_4K));
	KUNIT_EXPECT_EQ(test, vcm_phys_free(phys), 0);
}

/* Whether the graph's dump has a line holding the formatted text. */
static __printf(2, 3) bool vcm_dump_has(struct kunit *test, const char *fmt,
					 ...)
{
	char want[96], *dump;
	va_list args;
	size_t len;
	bool found;

	va_start(args, fmt);
	vsnprintf(want, sizeof(want), fmt, args);
	va_end(args);
	len = vcm_graph_dump(NULL, 0);
	dump = kunit_kzalloc(test, len + 1, GFP_KERNEL);
	if (!dump || vcm_graph_dump(dump, len + 1) != len)
		return false;
	found = strstr(dump, want);
	if (!found)
		kunit_info(test, "no \"%s\" in the dump:\n%s", want, dump);
	return found;
}

/* One set for the three VCMs, a reservation in each, backed by it. */
static struct vcm_phys *vcm_test_back_all(struct kunit *test,
					  struct vcm **vcms,
					  struct vcm_res **res, size_t size)
{
	struct vcm_phys *phys;
	unsigned int i;

	phys = vcm_phys_alloc(vcms, 3, size, GFP_KERNEL);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, phys);
	for (i = 0; i < 3; i++) {
		res[i] = vcm_reserve(vcms[i], size, RW);
		KUNIT_ASSERT_NOT_ERR_OR_NULL(test, res[i]);
		KUNIT_ASSERT_EQ(test, vcm_back(res[i], phys), 0);
	}
	return phys;
}

struct vcm_seen {
	unsigned int n[3];
	size_t bytes;
};

static int vcm_count(const struct vcm_mapping *map, void *data)
{
	struct vcm_seen *seen = data;

	seen->n[vcm_mapper(map->vcm)]++;
	seen->bytes += map->size;
	return 0;
}

/*
 * One buffer backed into both units, the CPU and nothing else: each
 * endpoint's DMA and the CPU reach the same bytes, the graph answers for
 * it, and unback removes exactly what back made.
 */
static void vcm_back_everywhere(struct kunit *test)
{
	struct vcm_env *e = test->priv;
	struct vcm *vcms[] = { e->iommu[0], e->iommu[1], e->cpu };
	const size_t size = SZ_2M + SZ_64K;
	struct vcm_res *res[3];
	struct vcm_assoc *assoc[2];
	struct vcm_phys *phys;
	struct vcm_seen seen = {};
	unsigned int i;
	size_t off;
	u8 *cpu;

	phys = vcm_test_back_all(test, vcms, res, size);
	/* Placed for the largest leaves: 2M on the mock, 1M on v7s. */
	KUNIT_EXPECT_EQ(test, vcm_res_addr(res[0]) & (SZ_2M - 1), 0);
	KUNIT_EXPECT_EQ(test, vcm_res_addr(res[1]) & (SZ_1M - 1), 0);
	for (i = 0; i < 2; i++) {
		assoc[i] = vcm_assoc(vcms[i], i ? e->v7s->dev[0] :
						  e->lpae->dev[0]);
		KUNIT_ASSERT_NOT_ERR_OR_NULL(test, assoc[i]);
		KUNIT_ASSERT_EQ(test, vcm_activate(assoc[i]), 0);
	}
	for (off = 0; off < size; off += SZ_64K) {
		KUNIT_EXPECT_TRUE(test, vcm_dma_at(e->lpae,
						   vcm_res_addr(res[0]) + off,
						   vcm_phys_addr(phys, off)));
		KUNIT_EXPECT_TRUE(test, vcm_dma_at(e->v7s,
						   vcm_res_addr(res[1]) + off,
						   vcm_phys_addr(phys, off)));
	}
	cpu = vcm_cpu_access_begin(res[2]);
	KUNIT_ASSERT_NOT_NULL(test, cpu);
	cpu[size - 1] = 0x5a;
	KUNIT_EXPECT_EQ(test, *(u8 *)phys_to_virt(vcm_phys_addr(phys, size - 1)),
			0x5a);
	vcm_cpu_access_end(res[2]);

	KUNIT_EXPECT_EQ(test, vcm_walk_mappings(vcm_phys_addr(phys, 0), size,
						vcm_count, &seen), 0);
	/* The dump shows each reservation backed, the devices active. */
	for (i = 0; i < 2; i++)
		KUNIT_EXPECT_TRUE(test,
				  vcm_dump_has(test, " %#llx %#zx prot %#x phys ",
					       vcm_res_addr(res[i]), size,
					       (unsigned int)RW));
	KUNIT_EXPECT_TRUE(test, vcm_dump_has(test, " %s active\n",
					     dev_name(e->lpae->dev[0])));
	KUNIT_EXPECT_TRUE(test, vcm_dump_has(test, " size %#zx chunks %u\n",
					     size, vcm_phys_nr_chunks(phys)));
	KUNIT_EXPECT_TRUE(test, vcm_dump_has(test, " %#llx %#zx\n",
					     (u64)vcm_phys_addr(phys, 0),
					     (size_t)SZ_2M));
	KUNIT_EXPECT_GE(test, seen.n[VCM_MAPPER_IOMMU], 2U);
	KUNIT_EXPECT_GE(test, seen.n[VCM_MAPPER_CPU], 1U);

	/* Unbacked, the addresses fault: the units forgot them. */
	for (i = 0; i < 3; i++)
		KUNIT_EXPECT_EQ(test, vcm_unback(res[i]), 0);
	KUNIT_EXPECT_FALSE(test, vcm_dma_at(e->lpae, vcm_res_addr(res[0]),
					    vcm_phys_addr(phys, 0)));
	KUNIT_EXPECT_FALSE(test, vcm_dma_at(e->v7s, vcm_res_addr(res[1]),
					    vcm_phys_addr(phys, 0)));
	KUNIT_EXPECT_EQ(test, vcm_res_addr(res[2]), 0);
	KUNIT_EXPECT_TRUE(test,
			  vcm_dump_has(test, " %#llx %#zx prot %#x phys -\n",
				       vcm_res_addr(res[0]), size,
				       (unsigned int)RW));
	memset(&seen, 0, sizeof(seen));
	vcm_walk_mappings(vcm_phys_addr(phys, 0), size, vcm_count, &seen);
	KUNIT_EXPECT_EQ(test, seen.bytes, 0);
	for (i = 0; i < 2; i++) {
		KUNIT_EXPECT_EQ(test, vcm_deactivate(assoc[i]), 0);
		KUNIT_EXPECT_EQ(test, vcm_deassoc(assoc[i]), 0);
	}
	for (i = 0; i < 3; i++)
		KUNIT_EXPECT_EQ(test, vcm_unreserve(res[i]), 0);
	KUNIT_EXPECT_EQ(test, vcm_phys_free(phys), 0);
}

/* Bad input gets its errno and changes nothing. */
static void vcm_bad_input(struct kunit *test)
{
	struct vcm_env *e = test->priv;
	struct vcm *v = e->iommu[0];
	struct vcm_res *res, *small, *cpu_res;
	struct vcm_phys *phys, *tiny;
	struct vcm_seen seen = {};
	struct vcm_assoc *assoc;

	res = vcm_reserve_at(v, SZ_1G + SZ_2M, SZ_2M, RW);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, res);
	KUNIT_EXPECT_EQ(test, vcm_res_addr(res), (u64)(SZ_1G + SZ_2M));
	/* Overlapping, outside the VCM, misaligned, empty, bad prot. */
	KUNIT_EXPECT_EQ(test, PTR_ERR(vcm_reserve_at(v, SZ_1G + SZ_2M + SZ_1M,
						     SZ_2M, RW)), -EBUSY);
	KUNIT_EXPECT_EQ(test, PTR_ERR(vcm_reserve_at(v, SZ_1G - SZ_4K,
						     SZ_8K, RW)), -EINVAL);
	KUNIT_EXPECT_EQ(test, PTR_ERR(vcm_reserve_at(v, SZ_1G + 1, SZ_4K,
						     RW)), -EINVAL);
	KUNIT_EXPECT_EQ(test, PTR_ERR(vcm_reserve(v, 0, RW)), -EINVAL);
	KUNIT_EXPECT_EQ(test, PTR_ERR(vcm_reserve(v, SZ_4K, 1 << 30)),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, PTR_ERR(vcm_reserve(v, 2UL * SZ_1G, RW)),
			-ENOSPC);
	KUNIT_EXPECT_EQ(test, PTR_ERR(vcm_reserve_at(e->cpu, SZ_1G, SZ_4K,
						     RW)), -EOPNOTSUPP);
	/* The VCM placed a new one around the fixed one. */
	small = vcm_reserve(v, SZ_2M, RW);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, small);
	KUNIT_EXPECT_NE(test, vcm_res_addr(small), vcm_res_addr(res));

	tiny = vcm_phys_alloc(&v, 1, SZ_1M, GFP_KERNEL);
	phys = vcm_phys_alloc(&v, 1, SZ_2M, GFP_KERNEL);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, tiny);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, phys);
	KUNIT_EXPECT_EQ(test, PTR_ERR(vcm_phys_alloc(&v, 1, SZ_1K, GFP_KERNEL)),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, PTR_ERR(vcm_phys_alloc(&v, 0, SZ_4K, GFP_KERNEL)),
			-EINVAL);
	/* Back of a too-small set; unback of what is not backed. */
	KUNIT_EXPECT_EQ(test, vcm_back(res, tiny), -EINVAL);
	KUNIT_EXPECT_EQ(test, vcm_unback(res), -EINVAL);
	vcm_walk_mappings(vcm_phys_addr(tiny, 0), SZ_1M, vcm_count, &seen);
	KUNIT_EXPECT_EQ(test, seen.bytes, 0);
	KUNIT_ASSERT_EQ(test, vcm_back(res, phys), 0);
	KUNIT_EXPECT_EQ(test, vcm_back(res, phys), -EBUSY);
	KUNIT_EXPECT_EQ(test, vcm_unreserve(res), -EBUSY);
	KUNIT_EXPECT_EQ(test, vcm_phys_free(phys), -EBUSY);
	KUNIT_EXPECT_EQ(test, vcm_destroy(v), -EBUSY);
	/* A direct mapper needs one chunk: this set has one of 2M... */
	cpu_res = vcm_reserve(e->direct, SZ_2M, RW);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, cpu_res);
	KUNIT_EXPECT_EQ(test, vcm_back(cpu_res, phys),
			vcm_phys_nr_chunks(phys) == 1 ? 0 : -EINVAL);
	if (vcm_res_addr(cpu_res))
		KUNIT_EXPECT_EQ(test, vcm_unback(cpu_res), 0);
	KUNIT_EXPECT_EQ(test, vcm_unreserve(cpu_res), 0);

	/* Associations: not to a CPU VCM, not twice, not while active. */
	KUNIT_EXPECT_EQ(test, PTR_ERR(vcm_assoc(e->cpu, e->lpae->dev[0])),
			-EINVAL);
	assoc = vcm_assoc(v, e->lpae->dev[0]);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, assoc);
	KUNIT_EXPECT_EQ(test, PTR_ERR(vcm_assoc(v, e->lpae->dev[0])), -EEXIST);
	KUNIT_EXPECT_EQ(test, vcm_deactivate(assoc), -EINVAL);
	KUNIT_ASSERT_EQ(test, vcm_activate(assoc), 0);
	KUNIT_EXPECT_EQ(test, vcm_activate(assoc), -EALREADY);
	KUNIT_EXPECT_EQ(test, vcm_deassoc(assoc), -EBUSY);
	KUNIT_EXPECT_TRUE(test, vcm_dma_at(e->lpae, vcm_res_addr(res),
					   vcm_phys_addr(phys, 0)));
	KUNIT_EXPECT_EQ(test, vcm_deactivate(assoc), 0);
	/* Inactive, the device is blocked. */
	KUNIT_EXPECT_FALSE(test, vcm_dma_at(e->lpae, vcm_res_addr(res),
					    vcm_phys_addr(phys, 0)));
	KUNIT_EXPECT_EQ(test, vcm_deassoc(assoc), 0);

	KUNIT_EXPECT_EQ(test, vcm_unback(res), 0);
	KUNIT_EXPECT_EQ(test, vcm_unreserve(res), 0);
	KUNIT_EXPECT_EQ(test, vcm_unreserve(small), 0);
	KUNIT_EXPECT_EQ(test, vcm_phys_free(phys), 0);
	KUNIT_EXPECT_EQ(test, vcm_phys_free(tiny), 0);
}

struct vcm_hooked {
	unsigned int count;
	u64 addr;
};

static int vcm_test_hook(struct vcm_assoc *assoc, u64 addr, u32 flags,
			 void *data)
{
	struct vcm_hooked *h = data;

	h->count++;
	h->addr = addr;
	return 0;
}

/*
 * A frame buffer held by an active IOMMU device, the CPU (an access just
 * closed) and an idle direct device moves: the device's DMA, the CPU and
 * the direct address all follow to the new chunks with the bytes, the old
 * range is mapped by nobody, the holders answer before and after, and an
 * open CPU access or an active direct device refuses.
 */
static void vcm_migrate_three_mappers(struct kunit *test)
{
	struct vcm_env *e = test->priv;
	struct vcm *vcms[] = { e->iommu[0], e->cpu, e->direct };
	const size_t size = SZ_64K;
	struct vcm_holder h[4], why;
	struct vcm_hooked hooked = {};
	struct vcm_assoc *dev_assoc, *dma_assoc;
	struct vcm_seen seen = {};
	phys_addr_t old_pa, new_pa;
	struct vcm_res *res[3];
	struct vcm_phys *phys;
	unsigned int i;
	u8 *cpu;

	phys = vcm_test_back_all(test, vcms, res, size);
	old_pa = vcm_phys_addr(phys, 0);
	KUNIT_EXPECT_EQ(test, vcm_res_addr(res[2]), (u64)old_pa);
	dev_assoc = vcm_assoc(e->iommu[0], e->lpae->dev[0]);
	dma_assoc = vcm_assoc(e->direct, e->v7s->dev[0]);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, dev_assoc);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, dma_assoc);
	vcm_set_fault_hook(dev_assoc, vcm_test_hook, &hooked);
	KUNIT_ASSERT_EQ(test, vcm_activate(dev_assoc), 0);
	cpu = vcm_cpu_access_begin(res[1]);
	KUNIT_ASSERT_NOT_NULL(test, cpu);
	for (i = 0; i < size; i++)
		cpu[i] = i * 7;

	/* The power query: three holders, the CPU pinned. */
	KUNIT_ASSERT_EQ(test, vcm_holders(old_pa, size, h, ARRAY_SIZE(h)), 3);
	for (i = 0; i < 3; i++) {
		if (h[i].mapper == VCM_MAPPER_IOMMU) {
			KUNIT_EXPECT_EQ(test, h[i].state, VCM_ACTIVE);
			KUNIT_EXPECT_PTR_EQ(test, h[i].dev, e->lpae->dev[0]);
			KUNIT_EXPECT_TRUE(test, h[i].movable);
		} else if (h[i].mapper == VCM_MAPPER_CPU) {
			KUNIT_EXPECT_EQ(test, h[i].state, VCM_PINNED);
			KUNIT_EXPECT_FALSE(test, h[i].movable);
		} else {
			KUNIT_EXPECT_EQ(test, h[i].state, VCM_IDLE);
			KUNIT_EXPECT_PTR_EQ(test, h[i].dev, e->v7s->dev[0]);
			KUNIT_EXPECT_TRUE(test, h[i].movable);
		}
	}
	KUNIT_EXPECT_EQ(test, vcm_migrate(phys, GFP_KERNEL, &why), -EBUSY);
	KUNIT_EXPECT_EQ(test, why.mapper, VCM_MAPPER_CPU);
	KUNIT_EXPECT_EQ(test, vcm_phys_addr(phys, 0), old_pa);
	vcm_cpu_access_end(res[1]);
	/* Active, the direct device's unit passes its physical addresses. */
	KUNIT_ASSERT_EQ(test, vcm_activate(dma_assoc), 0);
	KUNIT_EXPECT_TRUE(test, vcm_dma_at(e->v7s, vcm_res_addr(res[2]),
					   old_pa));
	KUNIT_EXPECT_EQ(test, vcm_migrate(phys, GFP_KERNEL, &why), -EBUSY);
	KUNIT_EXPECT_EQ(test, why.mapper, VCM_MAPPER_DIRECT);
	KUNIT_EXPECT_EQ(test, why.state, VCM_ACTIVE);
	KUNIT_EXPECT_EQ(test, vcm_deactivate(dma_assoc), 0);
	KUNIT_EXPECT_FALSE(test, vcm_dma_at(e->v7s, vcm_res_addr(res[2]),
					    old_pa));

	KUNIT_ASSERT_EQ(test, vcm_migrate(phys, GFP_KERNEL, &why), 0);
	new_pa = vcm_phys_addr(phys, 0);
	KUNIT_EXPECT_NE(test, new_pa, old_pa);
	KUNIT_EXPECT_TRUE(test, vcm_dma_at(e->lpae, vcm_res_addr(res[0]) +
					   SZ_4K, new_pa + SZ_4K));
	KUNIT_EXPECT_EQ(test, vcm_res_addr(res[2]), (u64)new_pa);
	cpu = vcm_cpu_access_begin(res[1]);
	KUNIT_ASSERT_NOT_NULL(test, cpu);
	for (i = 0; i < size; i++)
		if (cpu[i] != (u8)(i * 7) ||
		    *(u8 *)phys_to_virt(new_pa + i) != (u8)(i * 7))
			break;
	KUNIT_EXPECT_EQ(test, i, (unsigned int)size);
	vcm_cpu_access_end(res[1]);
	vcm_walk_mappings(old_pa, size, vcm_count, &seen);
	KUNIT_EXPECT_EQ(test, seen.bytes, 0);
	KUNIT_EXPECT_EQ(test, vcm_holders(new_pa, size, h, ARRAY_SIZE(h)), 3);
	KUNIT_EXPECT_EQ(test, hooked.count, 0U);

	/* Unbacked, the device's DMA faults into its hook. */
	KUNIT_EXPECT_EQ(test, vcm_unback(res[0]), 0);
	KUNIT_EXPECT_FALSE(test, vcm_dma_at(e->lpae, vcm_res_addr(res[0]),
					    new_pa));
	KUNIT_EXPECT_EQ(test, hooked.count, 1U);
	KUNIT_EXPECT_EQ(test, hooked.addr, vcm_res_addr(res[0]));

	KUNIT_EXPECT_EQ(test, vcm_deactivate(dev_assoc), 0);
	KUNIT_EXPECT_EQ(test, vcm_deassoc(dev_assoc), 0);
	KUNIT_EXPECT_EQ(test, vcm_deassoc(dma_assoc), 0);
	for (i = 1; i < 3; i++)
		KUNIT_EXPECT_EQ(test, vcm_unback(res[i]), 0);
	for (i = 0; i < 3; i++)
		KUNIT_EXPECT_EQ(test, vcm_unreserve(res[i]), 0);
	KUNIT_EXPECT_EQ(test, vcm_phys_free(phys), 0);
}

/* Under vcm_lock: each mapping of a reservation reached by its endpoint. */
struct vcm_check {
	struct iox_test_env *env;
	struct vcm_res *res;
	unsigned long errors;
};

static int vcm_check_dma(const struct vcm_mapping *map, void *data)
{
	struct vcm_check *c = data;

	if (map->res == c->res && !vcm_dma_at(c->env, map->addr, map->phys))
		c->errors++;
	return 0;
}

struct vcm_racer {
	struct vcm_env *e;
	struct vcm_phys *phys;
	struct vcm_res *res;
	phys_addr_t any_pa;
	struct completion done;
	unsigned long errors;
	unsigned int rounds;
};

static int vcm_race_migrate(void *data)
{
	struct vcm_racer *r = data;
	unsigned int i;

	for (i = 0; i < r->rounds; i++) {
		if (vcm_migrate(r->phys, GFP_KERNEL, NULL))
			r->errors++;
		cond_resched();
	}
	complete(&r->done);
	return 0;
}

/* Back, check every mapping by DMA under the lock, unback; again. */
static int vcm_race_back(void *data)
{
	struct vcm_racer *r = data;
	struct vcm_check c = { .env = r->e->v7s, .res = r->res };
	unsigned int i;

	for (i = 0; i < r->rounds; i++) {
		if (vcm_back(r->res, r->phys))
			r->errors++;
		vcm_walk_mappings(0, ~(size_t)0 >> 1, vcm_check_dma, &c);
		if (vcm_unback(r->res))
			r->errors++;
		cond_resched();
	}
	r->errors += c.errors;
	complete(&r->done);
	return 0;
}

/* The CPU's bytes stay what they were through every migration. */
static int vcm_race_cpu(void *data)
{
	struct vcm_racer *r = data;
	unsigned int i, j;
	u8 *cpu;

	for (i = 0; i < r->rounds; i++) {
		cpu = vcm_cpu_access_begin(r->res);
		if (!cpu) {
			r->errors++;
			continue;
		}
		for (j = 0; j < SZ_64K; j += 997)
			if (cpu[j] != (u8)(j * 3))
				r->errors++;
		vcm_cpu_access_end(r->res);
		cond_resched();
	}
	complete(&r->done);
	return 0;
}

/*
 * Migrations race a back/unback loop of the same set in the other unit
 * and a CPU reader: every mapping the walk finds is where the endpoint's
 * DMA lands, the CPU's bytes never change, a migration refused for an
 * open CPU access is the only error allowed (counted apart).
 */
static void vcm_migrate_races_back_unback(struct kunit *test)
{
	int (*fns[])(void *) = { vcm_race_migrate, vcm_race_back,
				 vcm_race_cpu };
	struct vcm_env *e = test->priv;
	struct vcm *vcms[] = { e->iommu[0], e->iommu[1], e->cpu };
	struct vcm_res *fixed, *cpu_res, *moving;
	struct vcm_racer r[3] = {};
	struct vcm_assoc *a[2];
	struct vcm_phys *phys;
	unsigned int i;
	u8 *cpu;

	phys = vcm_phys_alloc(vcms, 3, SZ_64K, GFP_KERNEL);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, phys);
	fixed = vcm_reserve(e->iommu[0], SZ_64K, RW);
	cpu_res = vcm_reserve(e->cpu, SZ_64K, RW);
	moving = vcm_reserve(e->iommu[1], SZ_64K, RW);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, fixed);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, cpu_res);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, moving);
	KUNIT_ASSERT_EQ(test, vcm_back(fixed, phys), 0);
	KUNIT_ASSERT_EQ(test, vcm_back(cpu_res, phys), 0);
	a[0] = vcm_assoc(e->iommu[0], e->lpae->dev[0]);
	a[1] = vcm_assoc(e->iommu[1], e->v7s->dev[0]);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, a[0]);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, a[1]);
	KUNIT_ASSERT_EQ(test, vcm_activate(a[0]), 0);
	KUNIT_ASSERT_EQ(test, vcm_activate(a[1]), 0);
	cpu = vcm_cpu_access_begin(cpu_res);
	KUNIT_ASSERT_NOT_NULL(test, cpu);
	for (i = 0; i < SZ_64K; i++)
		cpu[i] = i * 3;
	vcm_cpu_access_end(cpu_res);

	for (i = 0; i < 3; i++) {
		r[i].e = e;
		r[i].phys = phys;
		r[i].rounds = 40;
		init_completion(&r[i].done);
	}
	r[1].res = moving;
	r[2].res = cpu_res;
	for (i = 0; i < 3; i++) {
		if (IS_ERR(kthread_run(fns[i], &r[i], "vcm-race%u", i))) {
			KUNIT_FAIL(test, "cannot start racer %u", i);
			complete(&r[i].done);
		}
	}
	for (i = 0; i < 3; i++)
		wait_for_completion(&r[i].done);
	/* A migration meeting an open CPU access is refused, rightly. */
	kunit_info(test, "%lu of %u migrations refused for an open CPU access",
		   r[0].errors, r[0].rounds);
	KUNIT_EXPECT_LT(test, r[0].errors, (unsigned long)r[0].rounds);
	KUNIT_EXPECT_EQ(test, r[1].errors, 0);
	KUNIT_EXPECT_EQ(test, r[2].errors, 0);
	KUNIT_EXPECT_TRUE(test, vcm_dma_at(e->lpae, vcm_res_addr(fixed),
					   vcm_phys_addr(phys, 0)));

	for (i = 0; i < 2; i++) {
		KUNIT_EXPECT_EQ(test, vcm_deactivate(a[i]), 0);
		KUNIT_EXPECT_EQ(test, vcm_deassoc(a[i]), 0);
	}
	KUNIT_EXPECT_EQ(test, vcm_unback(fixed), 0);
	KUNIT_EXPECT_EQ(test, vcm_unback(cpu_res), 0);
	KUNIT_EXPECT_EQ(test, vcm_unreserve(fixed), 0);
	KUNIT_EXPECT_EQ(test, vcm_unreserve(cpu_res), 0);
	KUNIT_EXPECT_EQ(test, vcm_unreserve(moving), 0);
	KUNIT_EXPECT_EQ(test, vcm_phys_free(phys), 0);
}

/* The model: what the graph must hold after each random operation. */
#define VCM_MODEL_RES	6
#define VCM_MODEL_PHYS	4
#define VCM_MODEL_OPS	400

struct vcm_model {
	struct vcm_res *res[VCM_MODEL_RES];
	unsigned int res_vcm[VCM_MODEL_RES];
	int backed_by[VCM_MODEL_RES];		/* phys slot, or -1 */
	struct vcm_phys *phys[VCM_MODEL_PHYS];
	size_t phys_size[VCM_MODEL_PHYS];
	unsigned int seed;
};

static unsigned int vcm_model_rand(struct vcm_model *m, unsigned int n)
{
	m->seed = m->seed * 1103515245 + 12345;
	return (m->seed >> 16) % n;
}

static int vcm_quiet_hook(struct vcm_assoc *assoc, u64 addr, u32 flags,
			  void *data)
{
	return 0;
}

static bool vcm_model_holds(struct kunit *test, struct vcm_env *e,
			    struct vcm_model *m, struct vcm **vcms)
{
	struct iox_test_env *ends[] = { e->lpae, e->v7s };
	struct vcm_seen seen;
	size_t want, off, len;
	unsigned int i, p, c;
	phys_addr_t pa;
	u8 *cpu;

	for (i = 0; i < VCM_MODEL_RES; i++) {
		struct vcm_res *res = m->res[i];
		int b = m->backed_by[i];
		bool backed = b >= 0;

		if (!res)
			continue;
		if (m->res_vcm[i] == 2) {
			cpu = vcm_cpu_access_begin(res);
			if (backed != !!cpu)
				return false;
			if (cpu) {
				off = vcm_res_size(res) - 1;
				pa = vcm_phys_addr(m->phys[b], off);
				if (cpu[off] != *(u8 *)phys_to_virt(pa)) {
					vcm_cpu_access_end(res);
					return false;
				}
				vcm_cpu_access_end(res);
			}
			continue;
		}
		for (off = 0; off < vcm_res_size(res); off += SZ_64K) {
			pa = backed ? vcm_phys_addr(m->phys[b], off) : 0;
			if (vcm_dma_at(ends[m->res_vcm[i]],
				       vcm_res_addr(res) + off, pa) != backed)
				return false;
		}
	}
	for (p = 0; p < VCM_MODEL_PHYS; p++) {
		if (!m->phys[p])
			continue;
		want = 0;
		for (i = 0; i < VCM_MODEL_RES; i++)
			if (m->res[i] && m->backed_by[i] == (int)p)
				want += vcm_res_size(m->res[i]);
		/* The chunks lie anywhere: walk each. */
		memset(&seen, 0, sizeof(seen));
		for (c = 0; !vcm_phys_chunk(m->phys[p], c, &pa, &len); c++)
			vcm_walk_mappings(pa, len, vcm_count, &seen);
		if (seen.bytes != want)
			return false;
	}
	return true;
}

/*
 * Random reserve, unreserve, allocate, free, back, unback and migrate on
 * both units and the CPU, each return value checked against a reference
 * of slots, and after each step every translation (by DMA, by the CPU)
 * and every set's mapped bytes (by the walk) against it.
 */
static void vcm_model_random_ops(struct kunit *test)
{
	static const size_t sizes[] = { SZ_4K, SZ_64K, SZ_1M + SZ_64K, SZ_2M };
	struct vcm_env *e = test->priv;
	struct vcm *vcms[] = { e->iommu[0], e->iommu[1], e->cpu };
	struct vcm_assoc *a[2];
	struct vcm_model *m;
	unsigned int op, i, p, counts[7] = {};
	int ret, want;

	m = kunit_kzalloc(test, sizeof(*m), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, m);
	m->seed = 0x7c3;
	for (i = 0; i < VCM_MODEL_RES; i++)
		m->backed_by[i] = -1;
	a[0] = vcm_assoc(e->iommu[0], e->lpae->dev[0]);
	a[1] = vcm_assoc(e->iommu[1], e->v7s->dev[0]);
	for (i = 0; i < 2; i++) {
		KUNIT_ASSERT_NOT_ERR_OR_NULL(test, a[i]);
		vcm_set_fault_hook(a[i], vcm_quiet_hook, NULL);
		KUNIT_ASSERT_EQ(test, vcm_activate(a[i]), 0);
	}

	for (op = 0; op < VCM_MODEL_OPS; op++) {
		unsigned int kind = vcm_model_rand(m, 7);

		i = vcm_model_rand(m, VCM_MODEL_RES);
		p = vcm_model_rand(m, VCM_MODEL_PHYS);
		ret = 0;
		want = 0;
		switch (kind) {
		case 0:		/* reserve into an empty slot */
			if (m->res[i])
				continue;
			m->res_vcm[i] = vcm_model_rand(m, 3);
			m->res[i] = vcm_reserve(vcms[m->res_vcm[i]],
						sizes[vcm_model_rand(m, 4)], RW);
			ret = PTR_ERR_OR_ZERO(m->res[i]);
			if (ret)
				m->res[i] = NULL;
			break;
		case 1:		/* unreserve */
			if (!m->res[i])
				continue;
			want = m->backed_by[i] == -1 ? 0 : -EBUSY;
			ret = vcm_unreserve(m->res[i]);
			if (!ret)
				m->res[i] = NULL;
			break;
		case 2:		/* allocate into an empty slot */
			if (m->phys[p])
				continue;
			m->phys_size[p] = sizes[vcm_model_rand(m, 4)];
			m->phys[p] = vcm_phys_alloc(vcms, 3, m->phys_size[p],
						    GFP_KERNEL);
			ret = PTR_ERR_OR_ZERO(m->phys[p]);
			if (ret)
				m->phys[p] = NULL;
			break;
		case 3:		/* free */
			if (!m->phys[p])
				continue;
			for (i = 0; i < VCM_MODEL_RES; i++)
				if (m->res[i] && m->backed_by[i] == (int)p)
					want = -EBUSY;
			ret = vcm_phys_free(m->phys[p]);
			if (!ret)
				m->phys[p] = NULL;
			break;
		case 4:		/* back */
			if (!m->res[i] || !m->phys[p])
				continue;
			want = m->backed_by[i] != -1 ? -EBUSY :
			       m->phys_size[p] < vcm_res_size(m->res[i]) ?
			       -EINVAL : 0;
			ret = vcm_back(m->res[i], m->phys[p]);
			if (!ret)
				m->backed_by[i] = p;
			break;
		case 5:		/* unback */
			if (!m->res[i])
				continue;
			want = m->backed_by[i] == -1 ? -EINVAL : 0;
			ret = vcm_unback(m->res[i]);
			if (!ret)
				m->backed_by[i] = -1;
			break;
		case 6:		/* migrate */
			if (!m->phys[p])
				continue;
			ret = vcm_migrate(m->phys[p], GFP_KERNEL, NULL);
			break;
		}
		counts[kind]++;
		KUNIT_ASSERT_EQ_MSG(test, ret, want, "op %u (kind %u)", op,
				    kind);
		KUNIT_ASSERT_TRUE_MSG(test, vcm_model_holds(test, e, m, vcms),
				      "after op %u (kind %u)", op, kind);
	}
	kunit_info(test, "reserve %u unreserve %u alloc %u free %u back %u unback %u migrate %u",
		   counts[0], counts[1], counts[2], counts[3], counts[4],
		   counts[5], counts[6]);

	for (i = 0; i < VCM_MODEL_RES; i++) {
		if (!m->res[i])
			continue;
		if (m->backed_by[i] != -1)
			KUNIT_EXPECT_EQ(test, vcm_unback(m->res[i]), 0);
		KUNIT_EXPECT_EQ(test, vcm_unreserve(m->res[i]), 0);
	}
	for (p = 0; p < VCM_MODEL_PHYS; p++)
		if (m->phys[p])
			KUNIT_EXPECT_EQ(test, vcm_phys_free(m->phys[p]), 0);
	for (i = 0; i < 2; i++) {
		KUNIT_EXPECT_EQ(test, vcm_deactivate(a[i]), 0);
		KUNIT_EXPECT_EQ(test, vcm_deassoc(a[i]), 0);
	}
}

#ifdef IOX_USERSPACE
/*
 * Each allocation of a back into the v7s unit, and of a migration of a
 * set held by both units and the CPU, fails in turn: -ENOMEM, nothing
 * changed (the walk finds what was there, the endpoints' DMA lands where
 * it did), nothing leaked.
 */
static void vcm_failnth_back_migrate(struct kunit *test)
{
	struct vcm_env *e = test->priv;
	struct vcm *vcms[] = { e->iommu[0], e->iommu[1], e->cpu };
	struct vcm_res *res[3];
	struct vcm_assoc *a[2];
	struct vcm_phys *phys;
	struct vcm_seen seen;
	unsigned long nth;
	const char *site;
	phys_addr_t pa;
	long base;
	int ret, migrate;
	unsigned int i;

	phys = vcm_phys_alloc(vcms, 3, SZ_1M + SZ_64K, GFP_KERNEL);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, phys);
	for (i = 0; i < 3; i++) {
		res[i] = vcm_reserve(vcms[i], SZ_1M + SZ_64K, RW);
		KUNIT_ASSERT_NOT_ERR_OR_NULL(test, res[i]);
	}
	a[0] = vcm_assoc(e->iommu[0], e->lpae->dev[0]);
	a[1] = vcm_assoc(e->iommu[1], e->v7s->dev[0]);
	KUNIT_ASSERT_EQ(test, vcm_activate(a[0]), 0);
	KUNIT_ASSERT_EQ(test, vcm_activate(a[1]), 0);

	for (migrate = 0; migrate < 2; migrate++) {
		if (migrate)
			for (i = 0; i < 3; i++)
				KUNIT_ASSERT_EQ(test, vcm_back(res[i], phys), 0);
		for (nth = 1; nth < 100; nth++) {
			pa = vcm_phys_addr(phys, 0);
			rcu_barrier();
			base = iox_compat_live_allocs();
			iox_compat_fail_nth(nth);
			ret = migrate ? vcm_migrate(phys, GFP_KERNEL, NULL) :
					vcm_back(res[1], phys);
			site = iox_compat_failed_site();
			iox_compat_fail_nth(0);
			if (!site) {
				KUNIT_EXPECT_EQ(test, ret, 0);
				break;
			}
			KUNIT_EXPECT_EQ_MSG(test, ret, -ENOMEM, "at %s", site);
			/* Emptied tables are freed after a grace period. */
			rcu_barrier();
			KUNIT_EXPECT_EQ_MSG(test, iox_compat_live_allocs(),
					    base, "leak, failing %s", site);
			KUNIT_EXPECT_EQ(test, vcm_phys_addr(phys, 0), pa);
			memset(&seen, 0, sizeof(seen));
			vcm_walk_mappings(pa, SZ_4K, vcm_count, &seen);
			KUNIT_EXPECT_EQ(test, seen.n[VCM_MAPPER_IOMMU],
					migrate ? 2U : 0U);
			KUNIT_EXPECT_EQ(test, vcm_dma_at(e->v7s,
							 vcm_res_addr(res[1]),
							 pa), !!migrate);
			if (migrate)
				KUNIT_EXPECT_TRUE(test,
						  vcm_dma_at(e->lpae,
							     vcm_res_addr(res[0]),
							     pa));
		}
		KUNIT_EXPECT_LT(test, nth, 100UL);
		kunit_info(test, "%s: %lu allocations failed in turn",
			   migrate ? "migrate" : "back", nth - 1);
		if (!migrate)
			KUNIT_EXPECT_EQ(test, vcm_unback(res[1]), 0);
	}
	KUNIT_EXPECT_TRUE(test, vcm_dma_at(e->v7s, vcm_res_addr(res[1]),
					   vcm_phys_addr(phys, 0)));
	for (i = 0; i < 2; i++) {
		KUNIT_EXPECT_EQ(test, vcm_deactivate(a[i]), 0);
		KUNIT_EXPECT_EQ(test, vcm_deassoc(a[i]), 0);
	}
	for (i = 0; i < 3; i++) {
		KUNIT_EXPECT_EQ(test, vcm_unback(res[i]), 0);
		KUNIT_EXPECT_EQ(test, vcm_unreserve(res[i]), 0);
	}
	KUNIT_EXPECT_EQ(test, vcm_phys_free(phys), 0);
}
#endif

static struct kunit_case vcm_test_cases[] = {
	KUNIT_CASE(vcm_chunks_follow_mappers),
	KUNIT_CASE(vcm_back_everywhere),
	KUNIT_CASE(vcm_bad_input),
	KUNIT_CASE(vcm_migrate_three_mappers),
	KUNIT_CASE(vcm_migrate_races_back_unback),
	KUNIT_CASE(vcm_model_random_ops),
#ifdef IOX_USERSPACE
	KUNIT_CASE(vcm_failnth_back_migrate),
#endif
	{}
};

struct kunit_suite iox_vcm_test_suite = {
	.name = "iox_vcm",
	.init = vcm_env_init,
	.exit = vcm_env_exit,
	.test_cases = vcm_test_cases,
};
