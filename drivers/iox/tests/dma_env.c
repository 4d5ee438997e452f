// SPDX-License-Identifier: GPL-2.0
/*
 * The DMA-API backend suites' fixture: see dma-test.h.
 */
#include <linux/err.h>
#include <linux/device.h>
#include <linux/mm.h>
#include "dma-test.h"

/*
 * Devices have a dma_coherent flag where the architecture does cache
 * maintenance for DMA (arm64; the userspace model); elsewhere every
 * device snoops.
 */
#if defined(CONFIG_ARCH_HAS_SYNC_DMA_FOR_DEVICE) || \
	defined(CONFIG_ARCH_HAS_SYNC_DMA_FOR_CPU) || \
	defined(CONFIG_ARCH_HAS_SYNC_DMA_FOR_CPU_ALL)
#define IOX_DMA_ENV_NONCOHERENT	1
#endif

/**
 * iox_dma_env_noncoherent_possible() - whether a device can be non-coherent
 *
 * Context: Any context.
 * Return: true where devices have a dma_coherent flag to clear.
 */
bool iox_dma_env_noncoherent_possible(void)
{
#ifdef IOX_DMA_ENV_NONCOHERENT
	return true;
#else
	return false;
#endif
}

static struct iox_dma_env *
iox_dma_env_create_dev(struct kunit *test, const struct iox_mock_config *cfg,
		       unsigned int type, unsigned int flags, bool coherent)
{
	struct iox_dma_env *env;
	int ret;

	env = kzalloc(sizeof(*env), GFP_KERNEL);
	if (!env)
		return NULL;
	env->mock = iox_test_mock_create(test, cfg);
	if (!env->mock) {
		kfree(env);
		return NULL;
	}
	env->dev = iox_mock_device_alloc("iox-dma-test");
	if (!env->dev)
		goto fail;
	/*
	 * The mock endpoint snoops CPU caches unless the case says not;
	 * where devices may not (arm64), a bare device says it does not.
	 */
#ifdef IOX_DMA_ENV_NONCOHERENT
	env->dev->dma_coherent = coherent;
#endif
	env->dev->dma_mask = &env->mask;
	env->dev->dma_parms = &env->parms;
	env->parms.max_segment_size = SZ_64K;
	env->parms.segment_boundary_mask = ULONG_MAX;
	ret = iox_mock_add_endpoint(env->mock, env->dev, 0x20, 0x200);
	if (!ret)
		ret = iox_probe_device(env->dev);
	if (!ret)
		ret = iox_dma_attach(env->dev, type, flags);
	if (!ret)
		ret = dma_set_mask_and_coherent(env->dev, DMA_BIT_MASK(64));
	if (ret) {
		KUNIT_FAIL(test, "cannot attach the device: %d", ret);
		goto fail;
	}
	return env;
fail:
	iox_dma_env_destroy(env);
	return NULL;
}

/**
 * iox_dma_env_create() - a mock unit and a device in an iox DMA domain
 * @test: the running case (failures are reported to it)
 * @cfg: the unit's shape, NULL for the default
 * @type: IOX_DOMAIN_DMA or IOX_DOMAIN_DMA_FQ
 * @flags: flags of iox_dma_attach()
 *
 * The device snoops CPU caches. Its masks are 64-bit and its segments
 * unlimited (64 KiB, no boundary) until the case changes them.
 *
 * Context: Process context.
 * Return: the environment, or NULL after reporting the failure.
 */
struct iox_dma_env *iox_dma_env_create(struct kunit *test,
				       const struct iox_mock_config *cfg,
				       unsigned int type, unsigned int flags)
{
	return iox_dma_env_create_dev(test, cfg, type, flags, true);
}

/**
 * iox_dma_env_create_noncoherent() - iox_dma_env_create() for a device
 *	that does not snoop CPU caches
 * @test: the running case
 * @cfg: the unit's shape, NULL for the default
 * @type: IOX_DOMAIN_DMA or IOX_DOMAIN_DMA_FQ
 * @flags: flags of iox_dma_attach()
 *
 * Only where iox_dma_env_noncoherent_possible(); elsewhere the device
 * snoops whatever this says.
 *
 * Context: Process context.
 * Return: the environment, or NULL after reporting the failure.
 */
struct iox_dma_env *
iox_dma_env_create_noncoherent(struct kunit *test,
			       const struct iox_mock_config *cfg,
			       unsigned int type, unsigned int flags)
{
	return iox_dma_env_create_dev(test, cfg, type, flags, false);
}

/**
 * iox_dma_env_init() - a suite's init: iox_dma_env_create() into test->priv
 * @test: the case about to run
 * @type: IOX_DOMAIN_DMA or IOX_DOMAIN_DMA_FQ
 * @flags: flags of iox_dma_attach()
 *
 * Context: Process context.
 * Return: 0, or -ENOMEM after reporting the failure.
 */
int iox_dma_env_init(struct kunit *test, unsigned int type,
		     unsigned int flags)
{
	test->priv = iox_dma_env_create(test, NULL, type, flags);
	return test->priv ? 0 : -ENOMEM;
}

/**
 * iox_dma_env_exit() - a suite's exit: destroy test->priv's environment
 * @test: the case that ran
 *
 * Nothing when the case has none (its init failed or it skipped).
 *
 * Context: Process context.
 */
void iox_dma_env_exit(struct kunit *test)
{
	if (test->priv)
		iox_dma_env_destroy(test->priv);
}

/**
 * iox_dma_env_destroy() - undo iox_dma_env_create()
 * @env: the environment
 *
 * Context: Process context.
 */
void iox_dma_env_destroy(struct iox_dma_env *env)
{
	if (env->dev) {
		if (iox_dma_is_attached(env->dev))
			iox_dma_detach(env->dev);
		iox_mock_remove_endpoint(env->mock, env->dev);
	}
	iox_mock_destroy(env->mock);
	if (env->dev)
		iox_mock_device_free(env->dev);
	kfree(env);
}

/**
 * iox_dma_env_dev_access() - the device accesses a DMA address
 * @env: the environment
 * @addr: the address the device emits
 * @access: IOX_FAULT_READ and/or IOX_FAULT_WRITE
 * @phys: set to the translated address
 *
 * Context: Any context.
 * Return: 0, or -EFAULT for a fault.
 */
int iox_dma_env_dev_access(struct iox_dma_env *env, dma_addr_t addr,
			   u32 access, phys_addr_t *phys)
{
	return iox_mock_dma(env->mock, env->dev, addr, access, phys);
}

/**
 * iox_dma_env_stats() - the backend's counters, failing the case if none
 * @test: the case
 * @env: the environment
 * @stats: filled in
 *
 * Context: Process context.
 */
void iox_dma_env_stats(struct kunit *test, struct iox_dma_env *env,
		       struct iox_dma_stats *stats)
{
	KUNIT_ASSERT_EQ(test, iox_dma_get_stats(env->dev, stats), 0);
}

/**
 * iox_dma_env_check_coherent() - a coherent buffer seen from both sides
 * @test: the case
 * @env: the environment the buffer was allocated in
 * @cpu: the buffer's CPU address
 * @handle: its DMA address
 * @size: its size
 * @seed: added to each byte the CPU writes
 * @access: how the device reaches it: IOX_FAULT_READ and/or IOX_FAULT_WRITE
 *
 * At every half page the buffer must read zero; the CPU writes a byte there
 * (the offset / 64 plus @seed), which the device, accessing @handle plus
 * the offset, must find.
 *
 * Context: Process context.
 */
void iox_dma_env_check_coherent(struct kunit *test, struct iox_dma_env *env,
				u8 *cpu, dma_addr_t handle, size_t size,
				unsigned int seed, u32 access)
{
	phys_addr_t phys;
	size_t off;
	int ret;

	for (off = 0; off < size; off += PAGE_SIZE / 2) {
		KUNIT_EXPECT_EQ(test, cpu[off], 0);
		cpu[off] = (u8)(off / 64 + seed);
	}
	for (off = 0; off < size; off += PAGE_SIZE / 2) {
		ret = iox_dma_env_dev_access(env, handle + off, access, &phys);
		KUNIT_ASSERT_EQ(test, ret, 0);
		KUNIT_EXPECT_EQ(test, *(u8 *)phys_to_virt(phys),
				(u8)(off / 64 + seed));
	}
}
