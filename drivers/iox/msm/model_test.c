// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: the MSM IOMMU driver on a register-level model of the unit
 * (drivers/iox/tests/models/msm-iommu-model*, written from the unit's
 * register layout apart from the driver). A model, not hardware:
 * Documentation/iox/msm.rst says what it cannot prove. The cases are the
 * ones every driver passes on its model (tests/model-unit.h); the model
 * also checks that no register is touched with the unit's clock off.
 */
#include <linux/iox-msm.h>
#include "../tests/model-suites.h"
#include "../tests/model-unit.h"
#include "../tests/models/msm-iommu-model.h"

#define MID	5

/**
 * struct msm_shape - how a case's unit is modelled
 * @name: for the case's name
 * @ncb: context banks
 * @tlb_entries: TLB entries
 */
struct msm_shape {
	const char *name;
	unsigned int ncb;
	unsigned int tlb_entries;
};

static const struct msm_shape msm_shapes[] = {
	{ "8cb-tlb16", 8, 16 },
	{ "3cb-tlb4", 3, 4 },
};

static void msm_shape_desc(const struct msm_shape *s, char *desc)
{
	strscpy(desc, s->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(msm_shape, msm_shapes, msm_shape_desc);

/* The model's context interrupt is the driver's handler. */
static void msm_test_irq(void *data, unsigned int cb)
{
	struct iox_model_env *e = data;

	if (e->unit)
		iox_msm_handle_irq(e->unit);
}

/* The driver's clock calls are the model's clock gate. */
static int msm_test_clk_on(void *data)
{
	msm_iommu_model_clk_set(data, true);
	return 0;
}

static void msm_test_clk_off(void *data)
{
	msm_iommu_model_clk_set(data, false);
}

static int msm_test_create(struct iox_model_env *e)
{
	const struct msm_shape *shape = e->shape;
	struct msm_iommu_model_config cfg = {
		.ncb = shape->ncb,
		.nmid = 16,
		.tlb_entries = shape->tlb_entries,
		.rev = 0x10,
		.irq = msm_test_irq,
		.irq_data = e,
	};
	struct msm_iommu_model *m = msm_iommu_model_create(&cfg);

	if (IS_ERR(m))
		return PTR_ERR(m);
	e->model = m;
	e->dma32 = true;
	msm_iommu_model_regs(m, &e->regs);
	return 0;
}

static void msm_test_destroy(struct iox_model_env *e)
{
	msm_iommu_model_destroy(e->model);
}

static int msm_test_load(struct iox_model_env *e)
{
	const struct iox_msm_clk clk = {
		.enable = msm_test_clk_on,
		.disable = msm_test_clk_off,
		.data = e->model,
	};
	static const u8 mid = MID;
	struct iox_unit *unit;

	unit = iox_msm_create(e->hwdev, NULL, &e->regs, &clk);
	if (IS_ERR(unit))
		return PTR_ERR(unit);
	e->unit = unit;
	return iox_msm_add_master(unit, e->dev, &mid, 1);
}

static void msm_test_unload(struct iox_model_env *e)
{
	iox_msm_remove_master(e->unit, e->dev);
	iox_msm_destroy(e->unit);
}

static int msm_test_dma(struct iox_model_env *e, u64 iova, bool write,
			phys_addr_t *pa)
{
	if (iova > U32_MAX)
		return -EFAULT;
	return msm_iommu_model_dma(e->model, MID, iova, write, pa);
}

static unsigned long msm_test_bugs(struct iox_model_env *e)
{
	return msm_iommu_model_bugs(e->model);
}

static const struct iox_model_ops msm_model_ops = {
	.create = msm_test_create,
	.destroy = msm_test_destroy,
	.load = msm_test_load,
	.unload = msm_test_unload,
	.dma = msm_test_dma,
	.bugs = msm_test_bugs,
};

static int msm_test_init(struct kunit *test)
{
	return iox_model_env_init(test, &msm_model_ops);
}

static struct kunit_case msm_cases[] = {
	KUNIT_CASE_PARAM(iox_model_map_dma, msm_shape_gen_params),
	KUNIT_CASE_PARAM(iox_model_unmap_faults, msm_shape_gen_params),
	KUNIT_CASE_PARAM(iox_model_remap_new_page, msm_shape_gen_params),
	KUNIT_CASE_PARAM(iox_model_read_only, msm_shape_gen_params),
	KUNIT_CASE_PARAM(iox_model_every_page_size, msm_shape_gen_params),
	KUNIT_CASE_PARAM(iox_model_detach_blocked_identity, msm_shape_gen_params),
	KUNIT_CASE_PARAM(iox_model_reload, msm_shape_gen_params),
#if IS_ENABLED(CONFIG_IOX_DMA) || defined(IOX_USERSPACE)
	KUNIT_CASE_PARAM(iox_model_dma_api, msm_shape_gen_params),
#endif
	KUNIT_CASE_PARAM(iox_model_random_campaign, msm_shape_gen_params),
	{}
};

struct kunit_suite iox_msm_test_suite = {
	.name = "iox_msm",
	.init = msm_test_init,
	.exit = iox_model_env_exit,
	.test_cases = msm_cases,
};
