// SPDX-License-Identifier: GPL-2.0
/*
 * Fixtures shared by the iox KUnit suites.
 */
#include <linux/err.h>
#include <linux/device.h>
#include <linux/string.h>
#include "iox-test.h"

#define PT(fmt, gs, in, out, lv) \
	.use_pt = true, .pt = { .format = fmt, .granule_shift = gs, \
				.ias = in, .oas = out, .levels = lv }

/* The mock's own table, then every engine format in several shapes. */
static const struct iox_test_config iox_test_configs[] = {
	{ "mock" },
	{ "arm-lpae-s1-4k-48", PT(IOX_PT_ARM_LPAE_S1, 12, 48, 48, 0) },
	{ "arm-lpae-s1-4k-39", PT(IOX_PT_ARM_LPAE_S1, 12, 39, 48, 0) },
	{ "arm-lpae-s1-16k-47", PT(IOX_PT_ARM_LPAE_S1, 14, 47, 48, 0) },
	{ "arm-lpae-s1-64k-48", PT(IOX_PT_ARM_LPAE_S1, 16, 48, 48, 0) },
	{ "arm-lpae-s2-4k-40-concat", PT(IOX_PT_ARM_LPAE_S2, 12, 40, 48, 0) },
	{ "arm-lpae-s2-16k-40-concat", PT(IOX_PT_ARM_LPAE_S2, 14, 40, 48, 0) },
	{ "arm-lpae-s2-64k-42", PT(IOX_PT_ARM_LPAE_S2, 16, 42, 48, 0) },
	{ "arm-v7s", PT(IOX_PT_ARM_V7S, 12, 32, 32, 0) },
	{ "amd-v1-3", PT(IOX_PT_AMD_V1, 12, 0, 48, 3) },
	{ "amd-v1-6", PT(IOX_PT_AMD_V1, 12, 0, 48, 6) },
	{ "vtd-sl-3", PT(IOX_PT_VTD_SL, 12, 0, 48, 3) },
	{ "vtd-sl-5", PT(IOX_PT_VTD_SL, 12, 0, 48, 5) },
	{ "vtd-sl-4-snoop", .use_pt = true,
	  .pt = { .format = IOX_PT_VTD_SL, .oas = 48, .levels = 4,
		  .quirks = IOX_PT_VTD_SNOOP } },
	{ "vtd-fl-4", PT(IOX_PT_VTD_FL, 12, 0, 48, 4) },
	{ "vtd-fl-5", PT(IOX_PT_VTD_FL, 12, 0, 48, 5) },
};

/**
 * iox_test_config_gen_params() - KUnit parameter generator over the shapes
 * @prev: the previous shape, NULL to start
 * @desc: filled with the shape's name
 *
 * Context: Any context.
 * Return: the next struct iox_test_config, or NULL after the last.
 */
const void *iox_test_config_gen_params(const void *prev, char *desc)
{
	const struct iox_test_config *next = prev ?
		(const struct iox_test_config *)prev + 1 : iox_test_configs;

	if (next >= iox_test_configs + ARRAY_SIZE(iox_test_configs))
		return NULL;
	strscpy(desc, next->name, KUNIT_PARAM_DESC_SIZE);
	return next;
}

/**
 * iox_test_env_init_param() - suite init for the parameter's unit shape
 * @test: the case; test->param_value is a struct iox_test_config
 * @ndev: devices to create, in separate groups
 *
 * Context: Process context.
 * Return: 0 or -ENOMEM.
 */
int iox_test_env_init_param(struct kunit *test, unsigned int ndev)
{
	const struct iox_test_config *cfg = test->param_value;
	struct iox_mock_config mock;

	iox_mock_default_config(&mock);
	mock.use_pt = cfg->use_pt;
	mock.pt = cfg->pt;
	test->priv = iox_test_env_create(test, &mock, ndev, false);
	return test->priv ? 0 : -ENOMEM;
}

/**
 * iox_test_env_create() - a mock unit with probed devices and a domain
 * @test: the running case (failures are reported to it)
 * @cfg: the unit's shape, NULL for the default
 * @ndev: devices to create, 1..IOX_TEST_MAX_DEVS
 * @one_group: put every device in one isolation group
 *
 * Context: Process context.
 * Return: the environment, or NULL after reporting the failure.
 */
struct iox_test_env *iox_test_env_create(struct kunit *test,
					 const struct iox_mock_config *cfg,
					 unsigned int ndev, bool one_group)
{
	struct iox_mock_config def;
	struct iox_test_env *env;
	char name[32];
	unsigned int i;

	env = kzalloc(sizeof(*env), GFP_KERNEL);
	if (!env)
		return NULL;
	if (!cfg) {
		iox_mock_default_config(&def);
		cfg = &def;
	}
	env->mock = iox_mock_create(cfg);
	if (IS_ERR(env->mock)) {
		KUNIT_FAIL(test, "iox_mock_create: %ld", PTR_ERR(env->mock));
		kfree(env);
		return NULL;
	}
	for (i = 0; i < ndev; i++) {
		snprintf(name, sizeof(name), "iox-test%u", i);
		env->dev[i] = iox_mock_device_alloc(name);
		if (!env->dev[i])
			goto fail;
		env->ndev++;
		if (iox_mock_add_endpoint(env->mock, env->dev[i], 0x10 + i,
					  one_group ? 1 : 0x100 + i) ||
		    iox_probe_device(env->dev[i]))
			goto fail;
	}
	env->domain = iox_domain_alloc(env->dev[0], IOX_DOMAIN_PAGING);
	if (IS_ERR(env->domain)) {
		env->domain = NULL;
		goto fail;
	}
	return env;
fail:
	KUNIT_FAIL(test, "cannot build the test environment");
	iox_test_env_destroy(env);
	return NULL;
}

/**
 * iox_test_env_destroy() - undo iox_test_env_create()
 * @env: the environment; its domain is detached from every group first
 *
 * Context: Process context.
 */
void iox_test_env_destroy(struct iox_test_env *env)
{
	unsigned int i;

	for (i = 0; i < env->ndev; i++)
		iox_mock_remove_endpoint(env->mock, env->dev[i]);
	iox_domain_free(env->domain);
	iox_mock_destroy(env->mock);
	for (i = 0; i < env->ndev; i++)
		iox_mock_device_free(env->dev[i]);
	kfree(env);
}

/**
 * iox_test_env_init() - suite init: a default environment with two devices
 * in separate groups, in test->priv
 * @test: the case
 *
 * Context: Process context.
 * Return: 0 or -ENOMEM.
 */
int iox_test_env_init(struct kunit *test)
{
	test->priv = iox_test_env_create(test, NULL, 2, false);
	return test->priv ? 0 : -ENOMEM;
}

/**
 * iox_test_env_exit() - suite exit matching iox_test_env_init()
 * @test: the case
 *
 * Context: Process context.
 */
void iox_test_env_exit(struct kunit *test)
{
	if (test->priv)
		iox_test_env_destroy(test->priv);
}
