// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: map and unmap of disjoint ranges from several threads at once,
 * with no lock held by the callers. The ranges share upper-level tables,
 * so table installation races are exercised. Run under TSan in userspace,
 * on the mock's table and every page-table engine format.
 */
#include <linux/completion.h>
#include <linux/kthread.h>
#include <linux/sizes.h>
#include "iox-test.h"

#define THREADS		4
#define ROUNDS		64
#define SLICE		(4 * SZ_2M)	/* per thread, inside one shared 1G */

struct worker {
	struct iox_domain *domain;
	unsigned long unit;
	unsigned long base;
	struct completion done;
	unsigned long errors;
	unsigned int seed;
};

static unsigned int worker_rand(struct worker *w)
{
	w->seed = w->seed * 1103515245 + 12345;
	return w->seed >> 16;
}

/* Map the slice in pieces of random size, check, unmap, check. */
static int worker_fn(void *data)
{
	struct worker *w = data;
	unsigned long off, len, phys = SZ_1G + w->base;	/* < 4G for v7s */
	unsigned int round;

	for (round = 0; round < ROUNDS; round++) {
		for (off = 0; off < SLICE; off += len) {
			len = (worker_rand(w) & 1) && !(off & (SZ_2M - 1)) ?
			      SZ_2M : w->unit * (1 + worker_rand(w) % 8);
			len = min(len, SLICE - off);
			if (iox_map(w->domain, w->base + off, phys + off, len,
				    IOX_READ | IOX_WRITE, GFP_KERNEL))
				w->errors++;
		}
		for (off = 0; off < SLICE; off += w->unit * 61)
			if (iox_iova_to_phys(w->domain, w->base + off) !=
			    phys + off)
				w->errors++;
		if (iox_unmap(w->domain, w->base, SLICE) != SLICE)
			w->errors++;
		if (iox_iova_to_phys(w->domain, w->base + w->unit))
			w->errors++;
		cond_resched();
	}
	complete(&w->done);
	return 0;
}

/*
 * Run THREADS workers of @fn on the test's domain, worker i at @first +
 * i * @stride (@stride 0: the smallest page), and check they saw no error.
 */
static void run_workers(struct kunit *test, int (*fn)(void *),
			unsigned long first, unsigned long stride)
{
	struct iox_test_env *env = test->priv;
	unsigned long unit = env->domain->pgsize_bitmap &
			     -env->domain->pgsize_bitmap;
	struct worker *w;
	unsigned int i, started = 0;

	w = kunit_kcalloc(test, THREADS, sizeof(*w), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, w);
	for (i = 0; i < THREADS; i++) {
		w[i].domain = env->domain;
		w[i].unit = unit;
		w[i].base = first + i * (stride ? stride : unit);
		w[i].seed = i + 1;
		init_completion(&w[i].done);
	}
	for (i = 0; i < THREADS; i++) {
		if (IS_ERR(kthread_run(fn, &w[i], "iox-conc%u", i)))
			break;
		started++;
	}
	for (i = 0; i < started; i++)
		wait_for_completion(&w[i].done);
	KUNIT_EXPECT_EQ(test, started, THREADS);
	for (i = 0; i < started; i++)
		KUNIT_EXPECT_EQ_MSG(test, w[i].errors, 0, "worker %u", i);
}

static void concurrent_disjoint_map_unmap(struct kunit *test)
{
	run_workers(test, worker_fn, SZ_1G, SLICE);
}

/*
 * Threads that share every last-level table: thread t owns the pages of
 * the window whose index is t modulo THREADS, maps them one at a time,
 * checks them and unmaps them again. Tables empty and go while other
 * threads map into them, and every table but the root is gone at the end.
 */
#define SHARED_BASE	(3UL * SZ_1G)
#define SHARED_SIZE	(4 * SZ_2M)
#define SHARED_ROUNDS	8

static int shared_worker_fn(void *data)
{
	struct worker *w = data;
	unsigned long off, step = w->unit * THREADS;
	unsigned int round;

	for (round = 0; round < SHARED_ROUNDS; round++) {
		for (off = w->base; off < SHARED_SIZE; off += step)
			if (iox_map(w->domain, SHARED_BASE + off, SZ_1G + off,
				    w->unit, IOX_READ | IOX_WRITE, GFP_KERNEL))
				w->errors++;
		for (off = w->base; off < SHARED_SIZE; off += step)
			if (iox_iova_to_phys(w->domain, SHARED_BASE + off) !=
			    SZ_1G + off)
				w->errors++;
		/* Half the rounds from the top, so tables go at both ends. */
		for (off = w->base; off < SHARED_SIZE; off += step) {
			unsigned long at = round & 1 ? off :
					   SHARED_SIZE - step + 2 * w->base - off;

			if (iox_unmap(w->domain, SHARED_BASE + at, w->unit) !=
			    w->unit)
				w->errors++;
			if (iox_iova_to_phys(w->domain, SHARED_BASE + at))
				w->errors++;
		}
		cond_resched();
	}
	complete(&w->done);
	return 0;
}

static void concurrent_shared_tables(struct kunit *test)
{
	struct iox_test_env *env = test->priv;
	struct iox_pt *pt = iox_mock_domain_pt(env->domain);

	run_workers(test, shared_worker_fn, 0, 0);
	if (pt)
		KUNIT_EXPECT_EQ(test, atomic_long_read(&pt->table_pages),
				1L << pt->root_order);
}

static int concurrency_init(struct kunit *test)
{
	return iox_test_env_init_param(test, 1);
}

static struct kunit_case iox_concurrency_test_cases[] = {
	KUNIT_CASE_PARAM(concurrent_disjoint_map_unmap,
			 iox_test_config_gen_params),
	KUNIT_CASE_PARAM(concurrent_shared_tables, iox_test_config_gen_params),
	{}
};

struct kunit_suite iox_concurrency_test_suite = {
	.name = "iox_concurrency",
	.init = concurrency_init,
	.exit = iox_test_env_exit,
	.test_cases = iox_concurrency_test_cases,
};
