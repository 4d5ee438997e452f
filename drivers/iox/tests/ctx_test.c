// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: a unit's translation contexts (include/linux/iox-ctx.h).
 */
#include <kunit/test.h>
#include <linux/iox-ctx.h>
#include <linux/slab.h>
#include "iox-test.h"

/* Contexts go first-free from the floor, come back, and name their owner. */
static void ctx_alloc_free(struct kunit *test)
{
	struct iox_domain *a = (void *)0x1000, *b = (void *)0x2000;
	struct iox_ctx_pool *pool;

	pool = kunit_kzalloc(test, sizeof(*pool), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, pool);
	KUNIT_EXPECT_EQ(test, iox_ctx_pool_init(pool, 0), -EINVAL);
	KUNIT_EXPECT_EQ(test, iox_ctx_pool_init(pool, IOX_CTX_MAX + 1),
			-EINVAL);
	KUNIT_ASSERT_EQ(test, iox_ctx_pool_init(pool, 3), 0);
	KUNIT_EXPECT_EQ(test, iox_ctx_alloc(pool, 1, a), 1);
	KUNIT_EXPECT_EQ(test, iox_ctx_alloc(pool, 0, b), 0);
	KUNIT_EXPECT_EQ(test, iox_ctx_alloc(pool, 1, b), 2);
	KUNIT_EXPECT_EQ(test, iox_ctx_alloc(pool, 0, a), -ENOSPC);
	KUNIT_EXPECT_PTR_EQ(test, iox_ctx_domain(pool, 1), a);
	KUNIT_EXPECT_PTR_EQ(test, iox_ctx_domain(pool, 2), b);
	KUNIT_EXPECT_NULL(test, iox_ctx_domain(pool, 3));
	iox_ctx_free(pool, 1);
	KUNIT_EXPECT_FALSE(test, iox_ctx_in_use(pool, 1));
	KUNIT_EXPECT_TRUE(test, iox_ctx_in_use(pool, 2));
	KUNIT_EXPECT_EQ(test, iox_ctx_alloc(pool, 0, b), 1);
}

static struct kunit_case ctx_cases[] = {
	KUNIT_CASE(ctx_alloc_free),
	{}
};

struct kunit_suite iox_ctx_test_suite = {
	.name = "iox_ctx",
	.test_cases = ctx_cases,
};
