// SPDX-License-Identifier: GPL-2.0
/*
 * Fixtures shared by the iox KUnit suites.
 */
#include <linux/err.h>
#include <linux/device.h>
#include <linux/string.h>
#include "iox-test.h"
#include "pt-shapes.h"

/* The mock's own table: no engine shape behind it. */
static const struct iox_pt_shape iox_test_mock_table = {
	.name = "mock", .cfg.format = IOX_PT_NR_FORMATS,
};

/**
 * iox_test_config_gen_params() - KUnit parameter generator over the shapes
 * @prev: the previous shape, NULL to start
 * @desc: filled with the shape's name
 *
 * Context: Any context.
 * The mock's own table first, then every shape of pt-shapes.h.
 *
 * Return: the next struct iox_pt_shape, or NULL after the last.
 */
const void *iox_test_config_gen_params(const void *prev, char *desc)
{
	const struct iox_pt_shape *next;

	if (!prev)
		next = &iox_test_mock_table;
	else if (prev == &iox_test_mock_table)
		next = iox_pt_shapes;
	else
		next = (const struct iox_pt_shape *)prev + 1;
	if (next >= iox_pt_shapes + ARRAY_SIZE(iox_pt_shapes))
		return NULL;
	strscpy(desc, next->name, KUNIT_PARAM_DESC_SIZE);
	return next;
}

/**
 * iox_test_env_init_param() - suite init for the parameter's unit shape
 * @test: the case; test->param_value is a struct iox_pt_shape
 * @ndev: devices to create, in separate groups
 *
 * Context: Process context.
 * Return: 0 or -ENOMEM.
 */
int iox_test_env_init_param(struct kunit *test, unsigned int ndev)
{
	const struct iox_pt_shape *shape = test->param_value;
	struct iox_mock_config mock;

	iox_mock_default_config(&mock);
	mock.use_pt = shape != &iox_test_mock_table;
	mock.pt = shape->cfg;
	test->priv = iox_test_env_create(test, &mock, ndev, false);
	return test->priv ? 0 : -ENOMEM;
}

/**
 * iox_test_mock_create() - a mock unit for a test environment
 * @test: the case, failed if the unit cannot be made
 * @cfg: its shape, or NULL for iox_mock_default_config()
 *
 * Context: Process context.
 * Return: the unit, or NULL after reporting the failure.
 */
struct iox_mock *iox_test_mock_create(struct kunit *test,
				      const struct iox_mock_config *cfg)
{
	struct iox_mock_config def;
	struct iox_mock *mock;

	if (!cfg) {
		iox_mock_default_config(&def);
		cfg = &def;
	}
	mock = iox_mock_create(cfg);
	if (IS_ERR(mock)) {
		KUNIT_FAIL(test, "iox_mock_create: %ld", PTR_ERR(mock));
		return NULL;
	}
	return mock;
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
	struct iox_test_env *env;
	char name[32];
	unsigned int i;

	env = kzalloc(sizeof(*env), GFP_KERNEL);
	if (!env)
		return NULL;
	env->mock = iox_test_mock_create(test, cfg);
	if (!env->mock) {
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
