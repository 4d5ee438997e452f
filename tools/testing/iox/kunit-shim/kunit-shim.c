// SPDX-License-Identifier: GPL-2.0
/*
 * The KUnit-compatible runner behind kunit-shim/include/kunit/test.h: runs
 * suites and prints KTAP. In the kernel each case runs in its own kthread
 * so a failed assertion can end it; in userspace (IOX_USERSPACE) an
 * assertion longjmps out, and the runner also fails a case that leaked
 * memory or hit a WARN.
 */
#include <kunit/test.h>
#include <linux/kernel.h>
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/kthread.h>
#include <linux/completion.h>

#ifdef IOX_USERSPACE
#include <setjmp.h>
#include <fnmatch.h>
#endif

/* A managed allocation, freed when the case ends. */
struct kunit_shim_alloc {
	struct list_head node;
	unsigned long long data[];
};

/* What a running case needs to be ended early. */
struct kunit_shim_frame {
	struct kunit *test;
	struct kunit_suite *suite;
	struct kunit_case *tcase;
#ifdef IOX_USERSPACE
	jmp_buf env;
#else
	struct completion done;
#endif
};

static __printf(2, 0) void kunit_shim_vlog(const char *indent, const char *fmt,
					    va_list ap)
{
	char buf[512];

	vsnprintf(buf, sizeof(buf), fmt, ap);
	pr_info("%s# %s\n", indent, buf);
}

/**
 * kunit_shim_log() - print a diagnostic line of the running case
 * @test: the case
 * @fmt: printf format
 *
 * Context: Process context.
 */
void kunit_shim_log(struct kunit *test, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	kunit_shim_vlog("    ", fmt, ap);
	va_end(ap);
}
EXPORT_SYMBOL_GPL(kunit_shim_log);

/**
 * kunit_shim_fail() - record a failed expectation or assertion
 * @test: the case
 * @assert: it was an assertion (the caller then aborts the case)
 * @file: source file
 * @line: source line
 * @fmt: printf format of the explanation
 *
 * Context: Process context.
 */
void kunit_shim_fail(struct kunit *test, bool assert, const char *file,
		     int line, const char *fmt, ...)
{
	va_list ap;

	test->status = KUNIT_FAILURE;
	pr_info("    # %s failed at %s:%d\n",
		assert ? "ASSERTION" : "EXPECTATION", file, line);
	va_start(ap, fmt);
	kunit_shim_vlog("    ", fmt, ap);
	va_end(ap);
}
EXPORT_SYMBOL_GPL(kunit_shim_fail);

/**
 * kunit_shim_abort() - end the running case now
 * @test: the case
 *
 * Context: Called from the case itself.
 */
void kunit_shim_abort(struct kunit *test)
{
	struct kunit_shim_frame *frame = test->abort;

#ifdef IOX_USERSPACE
	longjmp(frame->env, 1);
#else
	kthread_complete_and_exit(&frame->done, 0);
#endif
}
EXPORT_SYMBOL_GPL(kunit_shim_abort);

/**
 * kunit_shim_skip() - mark the running case skipped
 * @test: the case
 * @abort: also end it now
 * @fmt: printf format of the reason
 *
 * Context: Called from the case itself.
 */
void kunit_shim_skip(struct kunit *test, bool abort, const char *fmt, ...)
{
	va_list ap;

	test->status = KUNIT_SKIPPED;
	va_start(ap, fmt);
	vsnprintf(test->status_comment, sizeof(test->status_comment), fmt, ap);
	va_end(ap);
	if (abort)
		kunit_shim_abort(test);
}
EXPORT_SYMBOL_GPL(kunit_shim_skip);

/**
 * kunit_kmalloc() - allocate memory freed when the case ends
 * @test: the case
 * @size: bytes
 * @gfp: allocation flags
 *
 * Context: As allowed by @gfp.
 * Return: the memory or NULL.
 */
void *kunit_kmalloc(struct kunit *test, size_t size, gfp_t gfp)
{
	struct kunit_shim_alloc *a = kmalloc(sizeof(*a) + size, gfp);

	if (!a)
		return NULL;
	list_add(&a->node, &test->resources);
	return a->data;
}
EXPORT_SYMBOL_GPL(kunit_kmalloc);

/**
 * kunit_kfree() - free memory from kunit_kmalloc() before the case ends
 * @test: the case
 * @ptr: the memory
 *
 * Context: Process context.
 */
void kunit_kfree(struct kunit *test, const void *ptr)
{
	struct kunit_shim_alloc *a;

	list_for_each_entry(a, &test->resources, node) {
		if (a->data == ptr) {
			list_del(&a->node);
			kfree(a);
			return;
		}
	}
}
EXPORT_SYMBOL_GPL(kunit_kfree);

static void kunit_shim_free_all(struct kunit *test)
{
	struct kunit_shim_alloc *a, *next;

	list_for_each_entry_safe(a, next, &test->resources, node) {
		list_del(&a->node);
		kfree(a);
	}
}

/* Run init and the case body; an assertion may leave it early. */
static void kunit_shim_body(struct kunit_shim_frame *frame)
{
	struct kunit *test = frame->test;

	if (frame->suite->init && frame->suite->init(test)) {
		kunit_shim_fail(test, false, __FILE__, __LINE__,
				"suite init failed");
		return;
	}
	frame->tcase->run_case(test);
}

#ifdef IOX_USERSPACE
static void kunit_shim_run_one(struct kunit_shim_frame *frame)
{
	long allocs = iox_compat_live_allocs();
	long warns = iox_compat_warnings();

	if (!setjmp(frame->env))
		kunit_shim_body(frame);
	if (frame->suite->exit)
		frame->suite->exit(frame->test);
	kunit_shim_free_all(frame->test);
	/* Pages freed after a grace period are not leaks: let them go. */
	rcu_barrier();
	if (iox_compat_warnings() != warns)
		kunit_shim_fail(frame->test, false, __FILE__, __LINE__,
				"the case hit a WARN");
	if (iox_compat_live_allocs() != allocs)
		kunit_shim_fail(frame->test, false, __FILE__, __LINE__,
				"the case leaked %ld allocations",
				iox_compat_live_allocs() - allocs);
}

static const char *kunit_shim_filter;

/**
 * kunit_shim_set_filter() - run only suites whose name matches a glob
 * @glob: fnmatch pattern, or NULL for all
 *
 * Context: Before kunit_shim_run_suites().
 */
void kunit_shim_set_filter(const char *glob)
{
	kunit_shim_filter = glob;
}

static bool kunit_shim_selected(const struct kunit_suite *suite)
{
	return !kunit_shim_filter || !fnmatch(kunit_shim_filter, suite->name, 0);
}
#else
static int kunit_shim_thread(void *data)
{
	struct kunit_shim_frame *frame = data;

	kunit_shim_body(frame);
	complete(&frame->done);
	return 0;
}

static void kunit_shim_run_one(struct kunit_shim_frame *frame)
{
	struct task_struct *task;

	init_completion(&frame->done);
	task = kthread_run(kunit_shim_thread, frame, "kunit-shim");
	if (IS_ERR(task)) {
		kunit_shim_fail(frame->test, false, __FILE__, __LINE__,
				"cannot start the case: %ld", PTR_ERR(task));
		return;
	}
	wait_for_completion(&frame->done);
	if (frame->suite->exit)
		frame->suite->exit(frame->test);
	kunit_shim_free_all(frame->test);
}

static bool kunit_shim_selected(const struct kunit_suite *suite)
{
	return true;
}
#endif

static const char *const kunit_shim_result[] = {
	[KUNIT_SUCCESS] = "ok",
	[KUNIT_FAILURE] = "not ok",
	[KUNIT_SKIPPED] = "ok",
};

/* Print one result line; returns the status to count. */
static enum kunit_status kunit_shim_report(const char *indent,
					   unsigned int index,
					   const char *name, struct kunit *test)
{
	if (test->status == KUNIT_SKIPPED)
		pr_info("%sok %u %s # SKIP %s\n", indent, index, name,
			test->status_comment);
	else
		pr_info("%s%s %u %s\n", indent, kunit_shim_result[test->status],
			index, name);
	return test->status;
}

static void kunit_shim_init_test(struct kunit *test, const void *param)
{
	memset(test, 0, sizeof(*test));
	INIT_LIST_HEAD(&test->resources);
	test->param_value = param;
	test->status = KUNIT_SUCCESS;
}

/* Run a case, with all its parameters; returns its overall status. */
static enum kunit_status kunit_shim_run_case(struct kunit_suite *suite,
					     struct kunit_case *tcase,
					     unsigned int index)
{
	struct kunit_shim_frame frame = { .suite = suite, .tcase = tcase };
	char desc[KUNIT_PARAM_DESC_SIZE];
	enum kunit_status worst = KUNIT_SKIPPED;
	const void *param = NULL;
	unsigned int n = 0;
	struct kunit test;

	if (!tcase->generate_params) {
		kunit_shim_init_test(&test, NULL);
		frame.test = &test;
		test.abort = &frame;
		kunit_shim_run_one(&frame);
		return kunit_shim_report("    ", index, tcase->name, &test);
	}

	pr_info("        KTAP version 1\n");
	pr_info("        # Subtest: %s\n", tcase->name);
	for (;;) {
		desc[0] = '\0';
		param = tcase->generate_params(param, desc);
		if (!param)
			break;
		kunit_shim_init_test(&test, param);
		frame.test = &test;
		test.abort = &frame;
		kunit_shim_run_one(&frame);
		switch (kunit_shim_report("        ", ++n, desc, &test)) {
		case KUNIT_FAILURE:
			worst = KUNIT_FAILURE;
			break;
		case KUNIT_SUCCESS:
			if (worst == KUNIT_SKIPPED)
				worst = KUNIT_SUCCESS;
			break;
		case KUNIT_SKIPPED:
			break;
		}
	}
	pr_info("        1..%u\n", n);
	kunit_shim_init_test(&test, NULL);
	test.status = worst;
	if (worst == KUNIT_SKIPPED)
		strscpy(test.status_comment, "no parameter ran",
			sizeof(test.status_comment));
	return kunit_shim_report("    ", index, tcase->name, &test);
}

static bool kunit_shim_run_suite(struct kunit_suite *suite, unsigned int index)
{
	unsigned int total = 0, counts[3] = { 0 };
	struct kunit_case *tcase;
	struct kunit test;

	for (tcase = suite->test_cases; tcase->run_case; tcase++)
		total++;
	pr_info("    KTAP version 1\n");
	pr_info("    # Subtest: %s\n", suite->name);
	pr_info("    1..%u\n", total);

	kunit_shim_init_test(&test, NULL);
	if (suite->suite_init && suite->suite_init(suite)) {
		pr_info("not ok %u %s # suite_init failed\n", index, suite->name);
		return false;
	}
	total = 0;
	for (tcase = suite->test_cases; tcase->run_case; tcase++)
		counts[kunit_shim_run_case(suite, tcase, ++total)]++;
	if (suite->suite_exit)
		suite->suite_exit(suite);

	pr_info("# %s: pass:%u fail:%u skip:%u total:%u\n", suite->name,
		counts[KUNIT_SUCCESS], counts[KUNIT_FAILURE],
		counts[KUNIT_SKIPPED], total);
	test.status = counts[KUNIT_FAILURE] ? KUNIT_FAILURE :
		      counts[KUNIT_SUCCESS] ? KUNIT_SUCCESS : KUNIT_SKIPPED;
	if (test.status == KUNIT_SKIPPED)
		strscpy(test.status_comment, "all cases skipped",
			sizeof(test.status_comment));
	return kunit_shim_report("", index, suite->name, &test) != KUNIT_FAILURE;
}

/**
 * kunit_shim_run_suites() - run suites and print them as one KTAP document
 * @suites: the suites
 * @count: entries of @suites
 *
 * Context: Process context.
 * Return: the number of suites that failed.
 */
int kunit_shim_run_suites(struct kunit_suite *const *suites, unsigned int count)
{
	unsigned int i, selected = 0, index = 0;
	int failed = 0;

	for (i = 0; i < count; i++)
		selected += kunit_shim_selected(suites[i]);
	pr_info("KTAP version 1\n");
	pr_info("1..%u\n", selected);
	for (i = 0; i < count; i++)
		if (kunit_shim_selected(suites[i]) &&
		    !kunit_shim_run_suite(suites[i], ++index))
			failed++;
	return failed;
}
EXPORT_SYMBOL_GPL(kunit_shim_run_suites);

MODULE_DESCRIPTION("KUnit-compatible test runner for kernels without KUnit");
MODULE_LICENSE("GPL");
