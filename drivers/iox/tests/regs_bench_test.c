// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: the register seam of the SMMU v1/v2 and MSM drivers
 * (include/linux/iox-regs.h) side by side with the kernel's regmap over
 * MMIO (regmap_init_mmio(), built into Debian's 6.1 kernels), on the same
 * register page, with relaxed accesses on both and no register cache: a
 * write and a read back per op, timed with ktime, checked for the value.
 * It prints an "iox-regs-vs-regmap" line with ns per op and the ratio.
 * The page is memory, not a device, so the figure is each seam's own
 * cost, which a device's access latency adds to on hardware.
 */
#include <kunit/test.h>
#include <linux/iox-regs.h>
#include <linux/ktime.h>
#include <linux/math64.h>
#include <linux/regmap.h>
#include <linux/slab.h>

#define OPS		BIT(18)
#define PAGE_REGS	(PAGE_SIZE / 4)

/* Prints ns per op of both and regmap's time over the seam's. */
static void report(struct kunit *test, const char *name, u64 iox_ns,
		   u64 regmap_ns)
{
	u64 a = div64_u64(iox_ns * 100, OPS);
	u64 b = div64_u64(regmap_ns * 100, OPS);
	u64 r = a ? div64_u64(b * 100, a) : 0;

	kunit_info(test, "iox-regs-vs-regmap %s: iox %llu.%02llu ns/op, regmap %llu.%02llu ns/op, regmap/iox %llu.%02llu\n",
		   name, a / 100, a % 100, b / 100, b % 100, r / 100, r % 100);
}

/* One write and one read back of a register the index walks over. */
static void regs_vs_regmap(struct kunit *test)
{
	const struct regmap_config cfg = {
		.name = "iox-regs-bench",
		.reg_bits = 32,
		.val_bits = 32,
		.reg_stride = 4,
		.max_register = PAGE_SIZE - 4,
		.fast_io = true,
		.use_relaxed_mmio = true,
		.cache_type = REGCACHE_NONE,
	};
	struct iox_regs regs = {};
	unsigned long bad = 0;
	struct regmap *map;
	unsigned int i, v;
	u64 t0, t_iox, t_map;
	void *page;

	page = kunit_kzalloc(test, PAGE_SIZE, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, page);
	regs.base = (void __iomem *)page;
	map = regmap_init_mmio(NULL, (void __iomem *)page, &cfg);
	KUNIT_ASSERT_FALSE(test, IS_ERR(map));

	t0 = ktime_get_ns();
	for (i = 0; i < OPS; i++) {
		iox_writel(&regs, (i % PAGE_REGS) * 4, i);
		bad += iox_readl(&regs, (i % PAGE_REGS) * 4) != i;
	}
	t_iox = ktime_get_ns() - t0;

	t0 = ktime_get_ns();
	for (i = 0; i < OPS; i++) {
		regmap_write(map, (i % PAGE_REGS) * 4, i);
		bad += regmap_read(map, (i % PAGE_REGS) * 4, &v) || v != i;
	}
	t_map = ktime_get_ns() - t0;

	regmap_exit(map);
	KUNIT_EXPECT_EQ(test, bad, 0UL);
	report(test, "write+read", t_iox, t_map);
}

static struct kunit_case regs_bench_cases[] = {
	KUNIT_CASE(regs_vs_regmap),
	{}
};

static struct kunit_suite regs_bench_suite = {
	.name = "iox_regs_vs_regmap",
	.test_cases = regs_bench_cases,
};

kunit_test_suites(&regs_bench_suite);

MODULE_DESCRIPTION("iox's register seam timed against the kernel's regmap");
MODULE_LICENSE("GPL");
