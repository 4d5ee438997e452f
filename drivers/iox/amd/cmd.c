// SPDX-License-Identifier: GPL-2.0
/*
 * iox-amd: the invalidations the driver issues (AMD spec 2.4), through
 * the unit's command queue (cmdq.c).
 */
#define pr_fmt(fmt) "iox-amd: " fmt

#include <linux/slab.h>
#include "amd-priv.h"

/**
 * amd_cmd_init() - allocate and program the command buffer
 * @au: the unit, with translation off
 *
 * Context: Process context.
 * Return: 0 or -ENOMEM.
 */
int amd_cmd_init(struct amd_unit *au)
{
	return amd_cmdq_init(&au->cmdq, au->regs, au->name);
}

/**
 * amd_cmd_free() - free the command buffer
 * @au: the unit, with its command buffer disabled
 *
 * Context: Process context.
 */
void amd_cmd_free(struct amd_unit *au)
{
	amd_cmdq_free(&au->cmdq);
}

/**
 * amd_inv_pages() - invalidate a domain's translations of an IOVA range
 * @au: the unit
 * @did: the domain ID
 * @start: first IOVA
 * @last: last IOVA
 * @pde: directory entries changed too
 *
 * One INVALIDATE_IOMMU_PAGES of the smallest aligned block covering the
 * range (amd_cmd_inv_pages()), then a completion wait.
 *
 * Context: Any context; takes the queue's lock.
 * Return: 0 once the unit completed it, or -ETIMEDOUT.
 */
int amd_inv_pages(struct amd_unit *au, u16 did, u64 start, u64 last,
		  bool pde)
{
	u32 cmd[4];

	amd_cmd_inv_pages(cmd, did, start, last, pde);
	return amd_cmdq_run(&au->cmdq, cmd, 1);
}

/**
 * amd_inv_domain() - invalidate every translation of a domain ID
 * @au: the unit
 * @did: the domain ID
 *
 * Context: Any context; takes the queue's lock.
 * Return: 0 once the unit completed it, or -ETIMEDOUT.
 */
int amd_inv_domain(struct amd_unit *au, u16 did)
{
	return amd_inv_pages(au, did, 0, U64_MAX, true);
}

/**
 * amd_inv_all() - invalidate every cache of the unit
 * @au: the unit
 *
 * INVALIDATE_IOMMU_ALL where EFR.IASup says the unit has it; else every
 * device table entry the table covers and every domain ID iox hands out,
 * in batches that fit the ring.
 *
 * Context: Process context; takes the queue's lock.
 * Return: 0 once the unit completed it, or -ETIMEDOUT.
 */
int amd_inv_all(struct amd_unit *au)
{
	u32 (*cmds)[4];
	unsigned int id, n = 0, batch = AMD_RING_ENTRIES / 2;
	int ret = 0;

	if (au->efr & AMD_EFR_IA) {
		u32 cmd[4];

		amd_cmd_inv_all(cmd);
		return amd_cmdq_run(&au->cmdq, cmd, 1);
	}
	cmds = kmalloc_array(batch, sizeof(*cmds), GFP_KERNEL);
	if (!cmds)
		return -ENOMEM;
	for (id = 0; id <= au->last_devid && !ret; id++) {
		amd_cmd_inv_devtab(cmds[n++], id);
		if (n == batch || id == au->last_devid) {
			ret = amd_cmdq_run(&au->cmdq, cmds[0], n);
			n = 0;
		}
	}
	for (id = AMD_DID_PT; id < AMD_NR_DIDS && !ret; id++) {
		amd_cmd_inv_pages(cmds[n++], id, 0, U64_MAX, true);
		if (n == batch || id == AMD_NR_DIDS - 1) {
			ret = amd_cmdq_run(&au->cmdq, cmds[0], n);
			n = 0;
		}
	}
	kfree(cmds);
	return ret;
}
