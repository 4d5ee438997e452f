// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: faults reported by the unit reach the domain's handler with the
 * device, address, access and reason, or are counted and logged.
 */
#include <linux/sizes.h>
#include "iox-test.h"

struct fault_seen {
	unsigned int count;
	struct device *dev;
	struct iox_domain *domain;
	struct iox_fault fault;
	int ret;
};

static int take_fault(struct iox_domain *domain, struct device *dev,
		      const struct iox_fault *fault, void *token)
{
	struct fault_seen *seen = token;

	seen->count++;
	seen->dev = dev;
	seen->domain = domain;
	seen->fault = *fault;
	return seen->ret;
}

static void fault_reaches_handler(struct kunit *test)
{
	struct iox_test_env *env = test->priv;
	struct iox_domain *d = env->domain;
	struct fault_seen seen = {};
	phys_addr_t phys;

	KUNIT_ASSERT_EQ(test, iox_map(d, 0x2000, 0x3000, SZ_4K, IOX_READ,
				      GFP_KERNEL), 0);
	KUNIT_ASSERT_EQ(test, iox_attach_device(d, env->dev[0]), 0);
	iox_set_fault_handler(d, take_fault, &seen);

	KUNIT_EXPECT_EQ(test, iox_mock_dma(env->mock, env->dev[0], 0x5008,
					   IOX_FAULT_READ, &phys), -EFAULT);
	KUNIT_EXPECT_EQ(test, seen.count, 1);
	KUNIT_EXPECT_PTR_EQ(test, seen.dev, env->dev[0]);
	KUNIT_EXPECT_PTR_EQ(test, seen.domain, d);
	KUNIT_EXPECT_EQ(test, seen.fault.iova, 0x5008);
	KUNIT_EXPECT_EQ(test, seen.fault.flags, IOX_FAULT_READ);
	KUNIT_EXPECT_EQ(test, seen.fault.reason, IOX_FAULT_NOT_PRESENT);

	/* The page is read-only: a write is a permission fault. */
	KUNIT_EXPECT_EQ(test, iox_mock_dma(env->mock, env->dev[0], 0x2010,
					   IOX_FAULT_WRITE, &phys), -EFAULT);
	KUNIT_EXPECT_EQ(test, seen.count, 2);
	KUNIT_EXPECT_EQ(test, seen.fault.flags, IOX_FAULT_WRITE);
	KUNIT_EXPECT_EQ(test, seen.fault.reason, IOX_FAULT_PERMISSION);
	KUNIT_EXPECT_EQ(test, iox_mock_dma(env->mock, env->dev[0], 0x2010,
					   IOX_FAULT_READ, &phys), 0);
	KUNIT_EXPECT_EQ(test, seen.count, 2);
	KUNIT_EXPECT_EQ(test, atomic_read(&d->nr_unhandled_faults), 0);

	iox_detach_device(d, env->dev[0]);
}

static void unhandled_faults_are_counted(struct kunit *test)
{
	struct iox_test_env *env = test->priv;
	struct iox_domain *d = env->domain;
	struct iox_fault fault = {
		.iova = 0xdead000,
		.flags = IOX_FAULT_WRITE,
		.reason = IOX_FAULT_NOT_PRESENT,
	};
	struct fault_seen seen = { .ret = -EAGAIN };

	KUNIT_EXPECT_EQ(test, iox_report_fault(d, env->dev[0], &fault),
			-EOPNOTSUPP);
	KUNIT_EXPECT_EQ(test, atomic_read(&d->nr_unhandled_faults), 1);

	/* A handler that declines: its error comes back and it is logged. */
	iox_set_fault_handler(d, take_fault, &seen);
	KUNIT_EXPECT_EQ(test, iox_report_fault(d, env->dev[0], &fault),
			-EAGAIN);
	KUNIT_EXPECT_EQ(test, seen.count, 1);
	KUNIT_EXPECT_EQ(test, atomic_read(&d->nr_unhandled_faults), 2);

	/* A fault without a domain (no context) is logged only. */
	KUNIT_EXPECT_EQ(test, iox_report_fault(NULL, env->dev[0], &fault),
			-EOPNOTSUPP);
	KUNIT_EXPECT_EQ(test, seen.count, 1);
}

static void fault_reason_names(struct kunit *test)
{
	KUNIT_EXPECT_STREQ(test, iox_fault_reason_name(IOX_FAULT_NOT_PRESENT),
			   "not present");
	KUNIT_EXPECT_STREQ(test, iox_fault_reason_name(IOX_FAULT_PERMISSION),
			   "permission");
	KUNIT_EXPECT_STREQ(test, iox_fault_reason_name(100), "invalid");
}

static struct kunit_case iox_fault_test_cases[] = {
	KUNIT_CASE(fault_reaches_handler),
	KUNIT_CASE(unhandled_faults_are_counted),
	KUNIT_CASE(fault_reason_names),
	{}
};

struct kunit_suite iox_fault_test_suite = {
	.name = "iox_fault",
	.init = iox_test_env_init,
	.exit = iox_test_env_exit,
	.test_cases = iox_fault_test_cases,
};
