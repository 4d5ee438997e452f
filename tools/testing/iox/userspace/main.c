// SPDX-License-Identifier: GPL-2.0
/*
 * The userspace test runner: every suite linked into the program, printed
 * as KTAP. Usage: iox-tests [suite-glob]. Test parameters come from
 * IOX_PARAM_<name> environment variables (e.g. IOX_PARAM_diff_seed).
 */
#include <kunit/test.h>

void kunit_shim_set_filter(const char *glob);

extern struct kunit_suite *const __start_iox_kunit_suites[];
extern struct kunit_suite *const __stop_iox_kunit_suites[];

int main(int argc, char **argv)
{
	if (argc > 2) {
		fprintf(stderr, "usage: %s [suite-glob]\n", argv[0]);
		return 2;
	}
	kunit_shim_set_filter(argc == 2 ? argv[1] : NULL);
	return kunit_shim_run_suites(__start_iox_kunit_suites,
				     __stop_iox_kunit_suites -
				     __start_iox_kunit_suites) ? 1 : 0;
}
