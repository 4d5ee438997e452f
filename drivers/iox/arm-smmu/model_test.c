// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: the SMMU v1/v2 driver on a register-level model of the unit
 * (drivers/iox/tests/models/arm-smmu-model*, written from ARM's
 * specification apart from the driver). A model, not hardware: what it
 * proves is that the driver programs the unit as the specification says
 * (Documentation/iox/arm-smmu.rst says what it cannot prove). The cases
 * are the ones every driver passes on its model (tests/model-unit.h), on
 * three shapes: LPAE stage 1 with stream matching, LPAE stage 2 with
 * stream indexing, AArch32 short-descriptor (v7s) stage 1.
 */
#include <linux/iox-arm-smmu.h>
#include "../tests/model-suites.h"
#include "../tests/model-unit.h"
#include "../tests/models/arm-smmu-model.h"

#define SID	0x21

/**
 * struct smmu2_shape - how a case's unit is modelled and used
 * @name: for the case's name
 * @stage2: LPAE stage 2 (else stage 1)
 * @v7s: AArch32 short-descriptor stage 1
 * @num_smr: stream match registers; 0 for stream indexing
 */
struct smmu2_shape {
	const char *name;
	bool stage2;
	bool v7s;
	unsigned int num_smr;
};

static const struct smmu2_shape smmu2_shapes[] = {
	{ "lpae-s1-smr", false, false, 16 },
	{ "lpae-s2-index", true, false, 0 },
	{ "v7s-s1-smr", false, true, 16 },
};

static void smmu2_shape_desc(const struct smmu2_shape *s, char *desc)
{
	strscpy(desc, s->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(smmu2_shape, smmu2_shapes, smmu2_shape_desc);

/* The model's interrupt lines are the driver's handler. */
static void smmu2_irq(void *arg)
{
	struct iox_model_env *e = arg;

	if (e->unit)
		iox_arm_smmu_handle_irq(e->unit);
}

static void smmu2_context_irq(void *arg, unsigned int cbndx)
{
	smmu2_irq(arg);
}

static int smmu2_create(struct iox_model_env *e)
{
	const struct smmu2_shape *shape = e->shape;
	struct arm_smmu_model_config cfg = {
		.num_cb = 8,
		.num_s2_cb = 2,
		.num_smr = shape->num_smr,
		.sid_bits = 7,
		.formats = ARM_SMMU_MODEL_FMT_S1_LPAE64 |
			   ARM_SMMU_MODEL_FMT_S2_LPAE64 |
			   ARM_SMMU_MODEL_FMT_S1_V7S,
		.ias = 48,
		.oas = 48,
		.ubs = 48,
		.tlb_entries = 8,
		.sync_polls = 2,
		.revision = 0x21,
		.global_irq = smmu2_irq,
		.context_irq = smmu2_context_irq,
		.irq_arg = e,
	};
	struct arm_smmu_model *m = arm_smmu_model_create(&cfg);

	if (IS_ERR(m))
		return PTR_ERR(m);
	e->model = m;
	e->dma32 = shape->v7s;
	arm_smmu_model_regs(m, &e->regs);
	return 0;
}

static void smmu2_destroy(struct iox_model_env *e)
{
	arm_smmu_model_destroy(e->model);
}

static int smmu2_load(struct iox_model_env *e)
{
	const struct smmu2_shape *shape = e->shape;
	struct iox_arm_smmu_config cfg = {
		.stage2 = shape->stage2,
		.v7s = shape->v7s,
	};
	static const u16 sid = SID;
	struct iox_unit *unit;

	unit = iox_arm_smmu_create(e->hwdev, &e->regs, &cfg);
	if (IS_ERR(unit))
		return PTR_ERR(unit);
	e->unit = unit;
	return iox_arm_smmu_add_master(unit, e->dev, &sid, 1);
}

static void smmu2_unload(struct iox_model_env *e)
{
	iox_arm_smmu_remove_master(e->unit, e->dev);
	iox_arm_smmu_destroy(e->unit);
}

static int smmu2_dma(struct iox_model_env *e, u64 iova, bool write,
		     phys_addr_t *pa)
{
	return arm_smmu_model_dma(e->model, SID, iova, write, pa);
}

static unsigned long smmu2_bugs(struct iox_model_env *e)
{
	return arm_smmu_model_bugs(e->model);
}

static const struct iox_model_ops smmu2_model_ops = {
	.create = smmu2_create,
	.destroy = smmu2_destroy,
	.load = smmu2_load,
	.unload = smmu2_unload,
	.dma = smmu2_dma,
	.bugs = smmu2_bugs,
};

static int smmu2_init(struct kunit *test)
{
	return iox_model_env_init(test, &smmu2_model_ops);
}

static struct kunit_case smmu2_cases[] = {
	KUNIT_CASE_PARAM(iox_model_map_dma, smmu2_shape_gen_params),
	KUNIT_CASE_PARAM(iox_model_unmap_faults, smmu2_shape_gen_params),
	KUNIT_CASE_PARAM(iox_model_remap_new_page, smmu2_shape_gen_params),
	KUNIT_CASE_PARAM(iox_model_read_only, smmu2_shape_gen_params),
	KUNIT_CASE_PARAM(iox_model_every_page_size, smmu2_shape_gen_params),
	KUNIT_CASE_PARAM(iox_model_detach_blocked_identity, smmu2_shape_gen_params),
	KUNIT_CASE_PARAM(iox_model_reload, smmu2_shape_gen_params),
#if IS_ENABLED(CONFIG_IOX_DMA) || defined(IOX_USERSPACE)
	KUNIT_CASE_PARAM(iox_model_dma_api, smmu2_shape_gen_params),
#endif
	KUNIT_CASE_PARAM(iox_model_random_campaign, smmu2_shape_gen_params),
	{}
};

struct kunit_suite iox_arm_smmu_test_suite = {
	.name = "iox_arm_smmu",
	.init = smmu2_init,
	.exit = iox_model_env_exit,
	.test_cases = smmu2_cases,
};
