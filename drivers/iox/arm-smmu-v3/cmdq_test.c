// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit suite iox_smmu_cmdq: the driver's command queue (cmdq.c) against
 * a software SMMUv3 (swunit.c) that consumes commands late and completes
 * a CFGI_STE only at the CMD_SYNC after it, as hardware may and QEMU's
 * model does not. Each case names the driver mistake it catches.
 */
#include <kunit/test.h>
#include <linux/bitfield.h>
#include <linux/io.h>
#include <linux/module.h>
#include <linux/sizes.h>
#include <linux/slab.h>
#include "smmu-hw.h"
#include "smmu-cmdq.h"
#include "smmu-swunit.h"

#define CMDQ_LATENCY_US		2000	/* far above a call that does not wait */
#define CMDQ_LOG2		8	/* 256 commands, as the driver's */

/**
 * struct smmu_cmdq_env - a software unit and the driver's queue on it
 * @unit: the unit
 * @cq: the driver's command queue
 */
struct smmu_cmdq_env {
	struct smmu_swunit unit;
	struct smmu_cmdq cq;
};

static struct smmu_cmdq_env *smmu_cmdq_env_new(struct kunit *test,
					       unsigned int latency_us)
{
	struct smmu_cmdq_env *env;
	int ret;

	env = kunit_kzalloc(test, sizeof(*env), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, env);
	ret = smmu_swunit_start(&env->unit, latency_us);
	if (ret == -ENODEV)
		kunit_skip(test, "the software unit needs a second CPU");
	KUNIT_ASSERT_EQ(test, ret, 0);
	test->priv = env;
	KUNIT_ASSERT_EQ(test, smmu_cmdq_init(&env->cq, env->unit.regs,
					     CMDQ_LOG2, "swunit"), 0);
	writel(CR0_CMDQEN, env->unit.regs + SMMU_CR0);
	env->cq.enabled = true;
	return env;
}

static void smmu_cmdq_case_exit(struct kunit *test)
{
	struct smmu_cmdq_env *env = test->priv;

	if (!env)
		return;
	/* The unit's thread reads the queue: it goes first. */
	smmu_swunit_stop(&env->unit);
	smmu_cmdq_free(&env->cq);
}

static void smmu_cmd_cfgi_ste(u64 *c, u32 sid)
{
	c[0] = FIELD_PREP(CMD_OPCODE, CMD_CFGI_STE) | FIELD_PREP(CMD_SID, sid);
	c[1] = CMD_LEAF;
}

/*
 * smmu_cmdq_run() returns only once the unit completed its commands: a
 * CFGI_STE's stream no longer uses its old STE, another stream's is
 * kept. Catches: no CMD_SYNC after the batch, or not waiting for CONS to
 * pass it. A disabled queue issues nothing.
 */
static void smmu_cmdq_sync_completes(struct kunit *test)
{
	struct smmu_cmdq_env *env = smmu_cmdq_env_new(test, CMDQ_LATENCY_US);
	struct smmu_swunit *u = &env->unit;
	u64 cmd[CMD_DWORDS];

	smmu_cmd_cfgi_ste(cmd, 8);
	env->cq.enabled = false;
	KUNIT_EXPECT_EQ(test, smmu_cmdq_run(&env->cq, cmd, 1), 0);
	KUNIT_EXPECT_EQ(test, readl(u->regs + SMMU_CMDQ_PROD), 0);
	env->cq.enabled = true;

	smmu_swunit_use_ste(u, 8);
	smmu_swunit_use_ste(u, 9);
	KUNIT_ASSERT_EQ(test, smmu_cmdq_run(&env->cq, cmd, 1), 0);
	KUNIT_EXPECT_FALSE(test, smmu_swunit_ste_cached(u, 8));
	KUNIT_EXPECT_TRUE(test, smmu_swunit_ste_cached(u, 9));
	KUNIT_ASSERT_EQ(test, smmu_swunit_nr_done(u), 2);
	KUNIT_EXPECT_EQ(test, u->log[0].opcode, CMD_CFGI_STE);
	KUNIT_EXPECT_EQ(test, u->log[0].arg, 8);
	KUNIT_EXPECT_EQ(test, u->log[1].opcode, CMD_SYNC);
	KUNIT_EXPECT_EQ(test, readl(u->regs + SMMU_CMDQ_CONS),
			readl(u->regs + SMMU_CMDQ_PROD));
	KUNIT_EXPECT_EQ(test, atomic_long_read(&env->cq.nr_cmds), 2);
}

/*
 * More commands than the queue holds, in one call: the queue publishes
 * what it wrote and refills slots as the unit frees them; the unit
 * consumes each command once, in order. Catches: waiting for free slots
 * the unit was never told to consume, writing over unconsumed ones.
 */
static void smmu_cmdq_refills(struct kunit *test)
{
	struct smmu_cmdq_env *env = smmu_cmdq_env_new(test, 100);
	unsigned int i, n = 2 * BIT(CMDQ_LOG2) + 88;
	struct smmu_swunit *u = &env->unit;
	u64 *cmds;

	KUNIT_ASSERT_LE(test, n + 1, SMMU_SWUNIT_LOG);
	cmds = kunit_kzalloc(test, n * CMD_DWORDS * sizeof(u64), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, cmds);
	for (i = 0; i < n; i++)
		cmds[i * CMD_DWORDS] = FIELD_PREP(CMD_OPCODE,
						  CMD_TLBI_NH_ASID) |
				       FIELD_PREP(CMD_ASID, i);
	KUNIT_ASSERT_EQ(test, smmu_cmdq_run(&env->cq, cmds, n), 0);
	KUNIT_ASSERT_EQ(test, smmu_swunit_nr_done(u), n + 1);
	for (i = 0; i < n; i++) {
		KUNIT_EXPECT_EQ(test, u->log[i].opcode, CMD_TLBI_NH_ASID);
		KUNIT_EXPECT_EQ(test, u->log[i].arg, i);
		if (u->log[i].arg != i)
			break;
	}
	KUNIT_EXPECT_EQ(test, u->log[n].opcode, CMD_SYNC);
}

/*
 * A command the unit refuses (CERROR_ILL): the batch reports -EIO, the
 * error is acknowledged (GERRORN follows GERROR), the rest of the batch
 * still runs and completes, and so does the next batch.
 */
static void smmu_cmdq_refused_command(struct kunit *test)
{
	struct smmu_cmdq_env *env = smmu_cmdq_env_new(test, 100);
	struct smmu_swunit *u = &env->unit;
	u64 cmds[2][CMD_DWORDS] = { { FIELD_PREP(CMD_OPCODE, 0x7f), 0 } };

	smmu_cmd_cfgi_ste(cmds[1], 5);
	smmu_swunit_use_ste(u, 5);
	KUNIT_EXPECT_EQ(test, smmu_cmdq_run(&env->cq, cmds[0], 2), -EIO);
	KUNIT_EXPECT_EQ(test, u->nr_errors, 1);
	KUNIT_EXPECT_EQ(test, readl(u->regs + SMMU_GERROR) & GERROR_CMDQ_ERR,
			readl(u->regs + SMMU_GERRORN) & GERROR_CMDQ_ERR);
	KUNIT_EXPECT_FALSE(test, smmu_swunit_ste_cached(u, 5));

	smmu_swunit_use_ste(u, 5);
	KUNIT_EXPECT_EQ(test, smmu_cmdq_run(&env->cq, cmds[1], 1), 0);
	KUNIT_EXPECT_FALSE(test, smmu_swunit_ste_cached(u, 5));
}

/*
 * A unit that stops consuming: the caller gets -ETIMEDOUT, not a hang;
 * once it runs again, so does the queue.
 */
static void smmu_cmdq_times_out_on_stuck_unit(struct kunit *test)
{
	struct smmu_cmdq_env *env = smmu_cmdq_env_new(test, 100);
	struct smmu_swunit *u = &env->unit;
	u64 cmd[CMD_DWORDS];

	smmu_cmd_cfgi_ste(cmd, 3);
	env->cq.timeout_us = 20000;
	smmu_swunit_set_paused(u, true);
	KUNIT_EXPECT_EQ(test, smmu_cmdq_run(&env->cq, cmd, 1), -ETIMEDOUT);
	KUNIT_EXPECT_EQ(test, smmu_swunit_nr_done(u), 0);
	smmu_swunit_set_paused(u, false);
	env->cq.timeout_us = SMMU_SYNC_TIMEOUT_US;
	KUNIT_EXPECT_EQ(test, smmu_cmdq_run(&env->cq, cmd, 1), 0);
	KUNIT_EXPECT_EQ(test, smmu_swunit_nr_done(u), 4);
}

static struct kunit_case smmu_cmdq_cases[] = {
	KUNIT_CASE(smmu_cmdq_sync_completes),
	KUNIT_CASE(smmu_cmdq_refills),
	KUNIT_CASE(smmu_cmdq_refused_command),
	KUNIT_CASE(smmu_cmdq_times_out_on_stuck_unit),
	{}
};

static struct kunit_suite smmu_cmdq_suite = {
	.name = "iox_smmu_cmdq",
	.exit = smmu_cmdq_case_exit,
	.test_cases = smmu_cmdq_cases,
};

kunit_test_suites(&smmu_cmdq_suite);

MODULE_DESCRIPTION("KUnit suite of iox-arm-smmu-v3's command queue, against a software SMMUv3");
MODULE_LICENSE("GPL");
