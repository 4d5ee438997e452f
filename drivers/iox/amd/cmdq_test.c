// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit suite iox_amd_cmdq: the driver's command queue and device table
 * entry updates (cmdq.c) against a software unit (swunit.c) that runs
 * commands late and caches device table entries, as hardware may and
 * QEMU's model does not. Each case names the driver mistake it catches.
 */
#include <kunit/test.h>
#include <linux/bitfield.h>
#include <linux/io.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include "amd-hw.h"
#include "amd-cmdq.h"
#include "amd-swunit.h"
#include "amd-test.h"

#define CMDQ_LATENCY_US		2000	/* far above a call that does not wait */
#define CMDQ_DEVID		0x18

/**
 * struct cmdq_env - a software unit and the driver's queue on it
 * @unit: the unit
 * @q: the driver's command queue
 * @devtab: a one-page device table (128 entries)
 */
struct cmdq_env {
	struct swunit unit;
	struct amd_cmdq q;
	u64 *devtab;
};

static struct cmdq_env *cmdq_env_new(struct kunit *test,
				     unsigned int latency_us)
{
	struct cmdq_env *env;
	int ret;

	env = kunit_kzalloc(test, sizeof(*env), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, env);
	ret = swunit_start(&env->unit, latency_us);
	if (ret == -ENODEV)
		kunit_skip(test, "the software unit needs a second CPU");
	KUNIT_ASSERT_EQ(test, ret, 0);
	test->priv = env;
	env->devtab = (u64 *)get_zeroed_page(GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, env->devtab);
	/* Size 0: one 4 KiB page of entries (AMD spec 3.4.1). */
	writeq(virt_to_phys(env->devtab), env->unit.regs + AMD_MMIO_DEVTAB);
	KUNIT_ASSERT_EQ(test, amd_cmdq_init(&env->q, env->unit.regs,
					    "swunit"), 0);
	writeq(AMD_CTRL_IOMMU_EN | AMD_CTRL_CMDBUF_EN,
	       env->unit.regs + AMD_MMIO_CONTROL);
	env->q.enabled = true;
	return env;
}

static void cmdq_case_exit(struct kunit *test)
{
	struct cmdq_env *env = test->priv;

	if (!env)
		return;
	/* The unit's thread reads the ring and the table: it goes first. */
	swunit_stop(&env->unit);
	if (env->q.sem)
		amd_cmdq_free(&env->q);
	free_page((unsigned long)env->devtab);
}

/* A paging entry of a domain: Mode 3, its root, both permissions. */
static void cmdq_paging_dte(u64 *e, u16 did, u64 root)
{
	memset(e, 0, AMD_DTE_BYTES);
	e[0] = AMD_DTE_V | AMD_DTE_TV | AMD_DTE_IR | AMD_DTE_IW |
	       FIELD_PREP(AMD_DTE_MODE, 3) | root;
	e[1] = FIELD_PREP(AMD_DTE_DOMID, did);
}

static u64 *cmdq_dte(struct cmdq_env *env, u16 devid)
{
	return env->devtab + devid * AMD_DTE_QWORDS;
}

static void cmdq_expect_dte(struct kunit *test, const u64 *got,
			    const u64 *want, const char *what)
{
	unsigned int i;

	for (i = 0; i < AMD_DTE_QWORDS; i++)
		KUNIT_EXPECT_EQ_MSG(test, got[i], want[i], "%s: qword %u",
				    what, i);
}

/*
 * amd_cmdq_run() returns only once the unit ran every command it was
 * given, in order, and the completion wait after them. Catches: no
 * COMPLETION_WAIT, or not waiting for its store. A disabled queue issues
 * nothing.
 */
static void cmdq_run_waits_for_unit(struct kunit *test)
{
	struct cmdq_env *env = cmdq_env_new(test, CMDQ_LATENCY_US);
	struct swunit *u = &env->unit;
	u32 cmds[3][4];
	unsigned int i;

	for (i = 0; i < 3; i++)
		amd_cmd_inv_pages(cmds[i], 5 + i, 0x1000 * i, 0x1000 * i + 0xfff,
				  false);
	env->q.enabled = false;
	KUNIT_EXPECT_EQ(test, amd_cmdq_run(&env->q, cmds[0], 3), 0);
	KUNIT_EXPECT_EQ(test, readq(u->regs + AMD_MMIO_CMD_TAIL), 0);
	env->q.enabled = true;

	KUNIT_ASSERT_EQ(test, amd_cmdq_run(&env->q, cmds[0], 3), 0);
	KUNIT_ASSERT_EQ(test, swunit_nr_done(u), 4);
	for (i = 0; i < 3; i++) {
		KUNIT_EXPECT_EQ(test, u->log[i].opcode, AMD_CMD_INV_PAGES);
		KUNIT_EXPECT_EQ(test, u->log[i].id, 5 + i);
	}
	KUNIT_EXPECT_EQ(test, u->log[3].opcode, AMD_CMD_COMPLETION_WAIT);
	KUNIT_EXPECT_EQ(test, READ_ONCE(*env->q.sem), env->q.seq);
	KUNIT_EXPECT_EQ(test, readq(u->regs + AMD_MMIO_CMD_HEAD),
			readq(u->regs + AMD_MMIO_CMD_TAIL));
	KUNIT_EXPECT_EQ(test, atomic_long_read(&env->q.nr_cmds), 4);
}

/*
 * After amd_dte_replace() the unit translates with the new entry, not
 * the copy it held of the old one. Catches: no INVALIDATE_DEVTAB_ENTRY,
 * or not waiting for it.
 */
static void cmdq_dte_replace_drops_unit_copy(struct kunit *test)
{
	struct cmdq_env *env = cmdq_env_new(test, CMDQ_LATENCY_US);
	u64 a[AMD_DTE_QWORDS], pt[AMD_DTE_QWORDS] = { 0 }, b[AMD_DTE_QWORDS];
	u64 got[AMD_DTE_QWORDS];

	cmdq_paging_dte(a, 5, 0x1234000);
	cmdq_paging_dte(b, 6, 0x5678000);
	pt[0] = AMD_DTE_V | AMD_DTE_IR | AMD_DTE_IW;
	pt[1] = FIELD_PREP(AMD_DTE_DOMID, AMD_DID_PT);
	memcpy(cmdq_dte(env, CMDQ_DEVID), a, AMD_DTE_BYTES);
	swunit_dte(&env->unit, CMDQ_DEVID, got);	/* the unit keeps A */
	cmdq_expect_dte(test, got, a, "before");

	KUNIT_ASSERT_EQ(test, amd_dte_replace(&env->q, CMDQ_DEVID,
					      cmdq_dte(env, CMDQ_DEVID), pt), 0);
	swunit_dte(&env->unit, CMDQ_DEVID, got);
	cmdq_expect_dte(test, got, pt, "paging to pass-through");

	KUNIT_ASSERT_EQ(test, amd_dte_replace(&env->q, CMDQ_DEVID,
					      cmdq_dte(env, CMDQ_DEVID), b), 0);
	swunit_dte(&env->unit, CMDQ_DEVID, got);
	cmdq_expect_dte(test, got, b, "pass-through to paging");
	cmdq_expect_dte(test, cmdq_dte(env, CMDQ_DEVID), b, "the table");
}

/*
 * From one domain's entry to another's, the unit only ever reads the
 * old entry, a blocked one, or the new one: never A's root under B's
 * DomainID or the reverse. Catches: switching in place.
 */
static void cmdq_dte_switch_passes_through_blocked(struct kunit *test)
{
	struct cmdq_env *env = cmdq_env_new(test, CMDQ_LATENCY_US);
	u64 a[AMD_DTE_QWORDS], b[AMD_DTE_QWORDS], got[AMD_DTE_QWORDS];
	u64 blocked[AMD_DTE_QWORDS] = { AMD_DTE_V | AMD_DTE_TV };
	struct swunit *u = &env->unit;
	unsigned int i, n, inv = 0;

	cmdq_paging_dte(a, 5, 0x1234000);
	cmdq_paging_dte(b, 6, 0x5678000);
	blocked[1] = a[1];
	memcpy(cmdq_dte(env, CMDQ_DEVID), a, AMD_DTE_BYTES);
	swunit_dte(u, CMDQ_DEVID, got);

	KUNIT_ASSERT_EQ(test, amd_dte_replace(&env->q, CMDQ_DEVID,
					      cmdq_dte(env, CMDQ_DEVID), b), 0);
	n = swunit_nr_done(u);
	for (i = 0; i < n; i++) {
		if (u->log[i].opcode != AMD_CMD_INV_DEVTAB)
			continue;
		KUNIT_EXPECT_EQ(test, u->log[i].id, CMDQ_DEVID);
		cmdq_expect_dte(test, u->log[i].dte, inv ? b : blocked,
				inv ? "second invalidation" :
				      "first invalidation");
		inv++;
	}
	KUNIT_EXPECT_EQ(test, inv, 2);
	swunit_dte(u, CMDQ_DEVID, got);
	cmdq_expect_dte(test, got, b, "after");
}

/*
 * More commands than the ring holds, in one call: the queue refills
 * slots as the unit frees them, and the unit runs every command once, in
 * order. Catches: writing over commands the unit has not read.
 */
static void cmdq_refills_ring(struct kunit *test)
{
	struct cmdq_env *env = cmdq_env_new(test, 100);
	unsigned int i, n = 2 * AMD_RING_ENTRIES + 88;
	struct swunit *u = &env->unit;
	u32 (*cmds)[4];

	KUNIT_ASSERT_LE(test, n + 1, SWUNIT_LOG);
	cmds = kunit_kzalloc(test, n * sizeof(*cmds), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, cmds);
	for (i = 0; i < n; i++)
		amd_cmd_inv_pages(cmds[i], i, 0, 0xfff, false);
	KUNIT_ASSERT_EQ(test, amd_cmdq_run(&env->q, cmds[0], n), 0);
	KUNIT_ASSERT_EQ(test, swunit_nr_done(u), n + 1);
	for (i = 0; i < n; i++) {
		KUNIT_EXPECT_EQ(test, u->log[i].opcode, AMD_CMD_INV_PAGES);
		KUNIT_EXPECT_EQ(test, u->log[i].id, i);
		if (u->log[i].id != i)
			break;
	}
}

/*
 * A unit that stops running commands: the caller gets -ETIMEDOUT, not a
 * hang; once it runs again, so does the queue (the late store of the
 * abandoned wait does not pass for a later one).
 */
static void cmdq_times_out_on_stuck_unit(struct kunit *test)
{
	struct cmdq_env *env = cmdq_env_new(test, 100);
	struct swunit *u = &env->unit;
	u32 cmd[4];

	amd_cmd_inv_pages(cmd, 9, 0, 0xfff, false);
	env->q.timeout_us = 20000;
	swunit_set_paused(u, true);
	KUNIT_EXPECT_EQ(test, amd_cmdq_run(&env->q, cmd, 1), -ETIMEDOUT);
	KUNIT_EXPECT_EQ(test, swunit_nr_done(u), 0);
	swunit_set_paused(u, false);
	env->q.timeout_us = AMD_CMD_TIMEOUT_US;
	KUNIT_EXPECT_EQ(test, amd_cmdq_run(&env->q, cmd, 1), 0);
	KUNIT_EXPECT_EQ(test, swunit_nr_done(u), 4);
	KUNIT_EXPECT_EQ(test, READ_ONCE(*env->q.sem), 2);
}

static struct kunit_case amd_cmdq_cases[] = {
	KUNIT_CASE(cmdq_run_waits_for_unit),
	KUNIT_CASE(cmdq_dte_replace_drops_unit_copy),
	KUNIT_CASE(cmdq_dte_switch_passes_through_blocked),
	KUNIT_CASE(cmdq_refills_ring),
	KUNIT_CASE(cmdq_times_out_on_stuck_unit),
	{}
};

struct kunit_suite iox_amd_cmdq_suite = {
	.name = "iox_amd_cmdq",
	.exit = cmdq_case_exit,
	.test_cases = amd_cmdq_cases,
};
