/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A KUnit-compatible test API for places without KUnit: the stock Debian
 * kernel (CONFIG_KUNIT unset) and the userspace build of iox. Test sources
 * are written against <kunit/test.h> and compile unchanged here; results
 * are printed as KTAP, as KUnit does. Only the subset iox uses exists.
 */
#ifndef _IOX_KUNIT_SHIM_TEST_H
#define _IOX_KUNIT_SHIM_TEST_H

#include <linux/types.h>
#include <linux/list.h>
#include <linux/slab.h>
#include <linux/err.h>
#include <linux/module.h>
#include <linux/string.h>

#define KUNIT_SHIM_LOG_LEN	256
#define KUNIT_PARAM_DESC_SIZE	128

enum kunit_status {
	KUNIT_SUCCESS,
	KUNIT_FAILURE,
	KUNIT_SKIPPED,
};

struct kunit;

/**
 * struct kunit_case - one test case
 * @run_case: the test
 * @name: its name
 * @generate_params: for parameterised cases, the parameter iterator
 */
struct kunit_case {
	void (*run_case)(struct kunit *test);
	const char *name;
	const void *(*generate_params)(const void *prev, char *desc);
};

/**
 * struct kunit_suite - a named list of cases with set-up and tear-down
 * @name: suite name
 * @suite_init: run once before the cases
 * @suite_exit: run once after them
 * @init: run before each case
 * @exit: run after each case
 * @test_cases: cases, ending with an empty one
 */
struct kunit_suite {
	const char name[KUNIT_SHIM_LOG_LEN];
	int (*suite_init)(struct kunit_suite *suite);
	void (*suite_exit)(struct kunit_suite *suite);
	int (*init)(struct kunit *test);
	void (*exit)(struct kunit *test);
	struct kunit_case *test_cases;
};

/**
 * struct kunit - the state of one running case
 * @priv: for the suite's init/exit and the case
 * @param_value: current parameter of a parameterised case
 * @status: result so far
 * @status_comment: reason for a skip
 * @resources: memory freed when the case ends
 * @abort: how an assertion leaves the case (runner-private)
 */
struct kunit {
	void *priv;
	const void *param_value;
	enum kunit_status status;
	char status_comment[KUNIT_SHIM_LOG_LEN];
	struct list_head resources;
	void *abort;
};

#define KUNIT_CASE(fn)		{ .run_case = fn, .name = #fn }
#define KUNIT_CASE_PARAM(fn, gen) \
	{ .run_case = fn, .name = #fn, .generate_params = gen }

/* As KUnit's, except that @get_desc is required. */
#define KUNIT_ARRAY_PARAM(name, array, get_desc)				\
	static const void *name##_gen_params(const void *prev, char *desc)	\
	{									\
		size_t __i = prev ? ((const char *)prev -			\
				     (const char *)(array)) /			\
				    sizeof((array)[0]) + 1 : 0;			\
										\
		if (__i >= ARRAY_SIZE(array))					\
			return NULL;						\
		get_desc(&(array)[__i], desc);					\
		return &(array)[__i];						\
	}

void kunit_shim_fail(struct kunit *test, bool assert, const char *file,
		     int line, const char *fmt, ...) __printf(5, 6);
#ifdef IOX_USERSPACE
#define KUNIT_SHIM_NORETURN	__noreturn
#else
/* objtool cannot know that a function of another module never returns. */
#define KUNIT_SHIM_NORETURN
#endif
void KUNIT_SHIM_NORETURN kunit_shim_abort(struct kunit *test);
void kunit_shim_log(struct kunit *test, const char *fmt, ...) __printf(2, 3);
void kunit_shim_skip(struct kunit *test, bool abort, const char *fmt, ...)
	__printf(3, 4);
void *kunit_kmalloc(struct kunit *test, size_t size, gfp_t gfp);
void kunit_kfree(struct kunit *test, const void *ptr);
int kunit_shim_run_suites(struct kunit_suite *const *suites,
			  unsigned int count);

static inline void *kunit_kzalloc(struct kunit *test, size_t size, gfp_t gfp)
{
	return kunit_kmalloc(test, size, gfp | __GFP_ZERO);
}

static inline void *kunit_kcalloc(struct kunit *test, size_t n, size_t size,
				  gfp_t gfp)
{
	if (size && n > SIZE_MAX / size)
		return NULL;
	return kunit_kzalloc(test, n * size, gfp);
}

#define kunit_info(test, fmt, ...)	kunit_shim_log(test, fmt, ##__VA_ARGS__)
#define kunit_err(test, fmt, ...)	kunit_shim_log(test, fmt, ##__VA_ARGS__)
#define kunit_warn(test, fmt, ...)	kunit_shim_log(test, fmt, ##__VA_ARGS__)
#define kunit_skip(test, fmt, ...) \
	kunit_shim_skip(test, true, fmt, ##__VA_ARGS__)
#define kunit_mark_skipped(test, fmt, ...) \
	kunit_shim_skip(test, false, fmt, ##__VA_ARGS__)

#define KUNIT_SHIM_CHECK(test, assert, cond, fmt, ...)			\
	do {								\
		struct kunit *__test = (test);				\
		const bool __assert = (assert);				\
									\
		if (!(cond)) {						\
			kunit_shim_fail(__test, __assert, __FILE__,	\
					__LINE__, fmt, ##__VA_ARGS__);	\
			if (__assert)					\
				kunit_shim_abort(__test);		\
		}							\
	} while (0)

/*
 * As KUnit's integer assertions: both sides keep their types, so the
 * comparison is C's (a u64 of all ones is not -1); printed as long long.
 */
#define KUNIT_SHIM_BINARY(test, assert, left, op, right, fmt, ...)		\
	do {									\
		const __typeof__(left) __left = (left);				\
		const __typeof__(right) __right = (right);			\
		KUNIT_SHIM_CHECK(test, assert, __left op __right,		\
				 "Expected %s %s %s, but %s == %lld (%#llx), "	\
				 "%s == %lld (%#llx)" fmt,			\
				 #left, #op, #right, #left,			\
				 (long long)__left, (long long)__left,		\
				 #right, (long long)__right,			\
				 (long long)__right, ##__VA_ARGS__);		\
	} while (0)

#define KUNIT_SHIM_PTR(test, assert, left, op, right)				\
	do {									\
		const void *__left = (left), *__right = (right);		\
		KUNIT_SHIM_CHECK(test, assert, __left op __right,		\
				 "Expected %s %s %s, but %p vs %p",		\
				 #left, #op, #right, __left, __right);		\
	} while (0)

#define KUNIT_EXPECT_EQ(t, l, r)	KUNIT_SHIM_BINARY(t, false, l, ==, r, "")
#define KUNIT_EXPECT_NE(t, l, r)	KUNIT_SHIM_BINARY(t, false, l, !=, r, "")
#define KUNIT_EXPECT_LT(t, l, r)	KUNIT_SHIM_BINARY(t, false, l, <, r, "")
#define KUNIT_EXPECT_LE(t, l, r)	KUNIT_SHIM_BINARY(t, false, l, <=, r, "")
#define KUNIT_EXPECT_GT(t, l, r)	KUNIT_SHIM_BINARY(t, false, l, >, r, "")
#define KUNIT_EXPECT_GE(t, l, r)	KUNIT_SHIM_BINARY(t, false, l, >=, r, "")
#define KUNIT_ASSERT_EQ(t, l, r)	KUNIT_SHIM_BINARY(t, true, l, ==, r, "")
#define KUNIT_ASSERT_NE(t, l, r)	KUNIT_SHIM_BINARY(t, true, l, !=, r, "")
#define KUNIT_ASSERT_LT(t, l, r)	KUNIT_SHIM_BINARY(t, true, l, <, r, "")
#define KUNIT_ASSERT_LE(t, l, r)	KUNIT_SHIM_BINARY(t, true, l, <=, r, "")
#define KUNIT_ASSERT_GT(t, l, r)	KUNIT_SHIM_BINARY(t, true, l, >, r, "")
#define KUNIT_ASSERT_GE(t, l, r)	KUNIT_SHIM_BINARY(t, true, l, >=, r, "")
#define KUNIT_EXPECT_EQ_MSG(t, l, r, fmt, ...) \
	KUNIT_SHIM_BINARY(t, false, l, ==, r, ": " fmt, ##__VA_ARGS__)
#define KUNIT_EXPECT_NE_MSG(t, l, r, fmt, ...) \
	KUNIT_SHIM_BINARY(t, false, l, !=, r, ": " fmt, ##__VA_ARGS__)
#define KUNIT_EXPECT_LT_MSG(t, l, r, fmt, ...) \
	KUNIT_SHIM_BINARY(t, false, l, <, r, ": " fmt, ##__VA_ARGS__)
#define KUNIT_EXPECT_LE_MSG(t, l, r, fmt, ...) \
	KUNIT_SHIM_BINARY(t, false, l, <=, r, ": " fmt, ##__VA_ARGS__)
#define KUNIT_EXPECT_GT_MSG(t, l, r, fmt, ...) \
	KUNIT_SHIM_BINARY(t, false, l, >, r, ": " fmt, ##__VA_ARGS__)
#define KUNIT_EXPECT_GE_MSG(t, l, r, fmt, ...) \
	KUNIT_SHIM_BINARY(t, false, l, >=, r, ": " fmt, ##__VA_ARGS__)
#define KUNIT_ASSERT_EQ_MSG(t, l, r, fmt, ...) \
	KUNIT_SHIM_BINARY(t, true, l, ==, r, ": " fmt, ##__VA_ARGS__)
#define KUNIT_ASSERT_NE_MSG(t, l, r, fmt, ...) \
	KUNIT_SHIM_BINARY(t, true, l, !=, r, ": " fmt, ##__VA_ARGS__)
#define KUNIT_ASSERT_LT_MSG(t, l, r, fmt, ...) \
	KUNIT_SHIM_BINARY(t, true, l, <, r, ": " fmt, ##__VA_ARGS__)
#define KUNIT_ASSERT_LE_MSG(t, l, r, fmt, ...) \
	KUNIT_SHIM_BINARY(t, true, l, <=, r, ": " fmt, ##__VA_ARGS__)
#define KUNIT_ASSERT_GT_MSG(t, l, r, fmt, ...) \
	KUNIT_SHIM_BINARY(t, true, l, >, r, ": " fmt, ##__VA_ARGS__)
#define KUNIT_ASSERT_GE_MSG(t, l, r, fmt, ...) \
	KUNIT_SHIM_BINARY(t, true, l, >=, r, ": " fmt, ##__VA_ARGS__)
#define KUNIT_EXPECT_TRUE(t, c) \
	KUNIT_SHIM_CHECK(t, false, c, "Expected %s to be true", #c)
#define KUNIT_EXPECT_FALSE(t, c) \
	KUNIT_SHIM_CHECK(t, false, !(c), "Expected %s to be false", #c)
#define KUNIT_ASSERT_TRUE(t, c) \
	KUNIT_SHIM_CHECK(t, true, c, "Expected %s to be true", #c)
#define KUNIT_ASSERT_FALSE(t, c) \
	KUNIT_SHIM_CHECK(t, true, !(c), "Expected %s to be false", #c)
#define KUNIT_EXPECT_TRUE_MSG(t, c, fmt, ...) \
	KUNIT_SHIM_CHECK(t, false, c, "Expected %s to be true: " fmt, #c, \
			 ##__VA_ARGS__)
#define KUNIT_EXPECT_FALSE_MSG(t, c, fmt, ...) \
	KUNIT_SHIM_CHECK(t, false, !(c), "Expected %s to be false: " fmt, #c, \
			 ##__VA_ARGS__)
#define KUNIT_ASSERT_FALSE_MSG(t, c, fmt, ...) \
	KUNIT_SHIM_CHECK(t, true, !(c), "Expected %s to be false: " fmt, #c, \
			 ##__VA_ARGS__)
#define KUNIT_ASSERT_TRUE_MSG(t, c, fmt, ...) \
	KUNIT_SHIM_CHECK(t, true, c, "Expected %s to be true: " fmt, #c, \
			 ##__VA_ARGS__)
#define KUNIT_EXPECT_STREQ(t, l, r)					\
	do {								\
		const char *__l = (l), *__r = (r);			\
		KUNIT_SHIM_CHECK(t, false, !strcmp(__l, __r),		\
				 "Expected %s == %s, but \"%s\" vs \"%s\"",	\
				 #l, #r, __l, __r);			\
	} while (0)
#define KUNIT_FAIL(t, fmt, ...) \
	KUNIT_SHIM_CHECK(t, false, false, fmt, ##__VA_ARGS__)
#define KUNIT_EXPECT_PTR_EQ(t, l, r)	KUNIT_SHIM_PTR(t, false, l, ==, r)
#define KUNIT_EXPECT_PTR_NE(t, l, r)	KUNIT_SHIM_PTR(t, false, l, !=, r)
#define KUNIT_ASSERT_PTR_EQ(t, l, r)	KUNIT_SHIM_PTR(t, true, l, ==, r)
#define KUNIT_EXPECT_NULL(t, p)		KUNIT_SHIM_PTR(t, false, p, ==, NULL)
#define KUNIT_EXPECT_NOT_NULL(t, p)	KUNIT_SHIM_PTR(t, false, p, !=, NULL)
#define KUNIT_ASSERT_NOT_NULL(t, p)	KUNIT_SHIM_PTR(t, true, p, !=, NULL)
#define KUNIT_ASSERT_NOT_ERR_OR_NULL(t, p)				\
	do {								\
		const void *__ptr = (p);				\
									\
		KUNIT_SHIM_CHECK(t, true, !IS_ERR_OR_NULL(__ptr),	\
				 "Expected %s to be a valid pointer, got %ld", \
				 #p, IS_ERR(__ptr) ? PTR_ERR(__ptr) : 0L); \
	} while (0)

#ifdef IOX_USERSPACE
/* The userspace runner finds the suites in a linker section. */
#define kunit_test_suites(...)						\
	static struct kunit_suite *const __kunit_shim_suites[]		\
	__attribute__((used, section("iox_kunit_suites"),		\
		       aligned(sizeof(void *)))) = { __VA_ARGS__ }
#else
/* A test module runs its suites when loaded, as KUnit does. */
#define __kunit_shim_module(base, ...)					\
	static struct kunit_suite *const base[] = { __VA_ARGS__ };	\
	static int __init base##_init(void)				\
	{								\
		kunit_shim_run_suites(base, ARRAY_SIZE(base));		\
		return 0;						\
	}								\
	static void __exit base##_exit(void)				\
	{								\
	}								\
	module_init(base##_init);					\
	module_exit(base##_exit)
#define kunit_test_suites(...) \
	__kunit_shim_module(__kunit_shim_suites, __VA_ARGS__)
#endif

#define kunit_test_suite(suite)	kunit_test_suites(&(suite))

#endif /* _IOX_KUNIT_SHIM_TEST_H */
