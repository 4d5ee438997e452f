// SPDX-License-Identifier: GPL-2.0
/*
 * iox-arm-smmu-v3: the unit's queues, and the configuration and TLB
 * invalidations the driver issues (SMMUv3 spec 4.3, 4.4) through its
 * command queue (cmdq.c).
 */
#define pr_fmt(fmt) "iox-arm-smmu-v3: " fmt

#include <linux/bitfield.h>
#include <linux/delay.h>
#include <linux/io.h>
#include <linux/slab.h>
#include "smmu-priv.h"

#define SMMU_CMDQ_LOG2		8	/* 256 commands, 4 KiB */
#define SMMU_EVTQ_LOG2		11	/* 2048 events, 64 KiB */

/**
 * smmu_queues_init() - allocate both queues and program their registers
 * @su: the unit, disabled
 *
 * Sizes: the unit's largest (IDR1.CMDQS, EVENTQS) or 256 commands and
 * 2048 events, whichever is smaller. The event queue is large because a
 * DMA QEMU refuses records one event per 4 bytes it tried.
 *
 * Context: Process context.
 * Return: 0 or -ENOMEM.
 */
int smmu_queues_init(struct smmu_unit *su)
{
	unsigned int cmdqs = min_t(unsigned int, SMMU_CMDQ_LOG2,
				   FIELD_GET(IDR1_CMDQS, su->idr[1]));
	unsigned int evtqs = min_t(unsigned int, SMMU_EVTQ_LOG2,
				   FIELD_GET(IDR1_EVENTQS, su->idr[1]));
	int ret;

	ret = smmu_cmdq_init(&su->cmdq, su->regs, cmdqs, su->name);
	if (!ret)
		ret = smmu_queue_alloc(su->regs, &su->evtq, evtqs, EVT_DWORDS,
				       SMMU_EVENTQ_BASE);
	if (ret) {
		smmu_queues_free(su);
		return ret;
	}
	writel(0, su->regs + SMMU_EVENTQ_PROD);
	writel(0, su->regs + SMMU_EVENTQ_CONS);
	return 0;
}

/**
 * smmu_queues_free() - free both queues
 * @su: the unit, with the queues disabled
 *
 * Context: Process context.
 */
void smmu_queues_free(struct smmu_unit *su)
{
	smmu_cmdq_free(&su->cmdq);
	smmu_queue_free(&su->evtq);
}

/**
 * smmu_cfgi_ste() - drop the unit's cached STE (and CD) of a stream
 * @su: the unit
 * @sid: the stream ID
 *
 * Context: Any context.
 * Return: as smmu_cmdq_run().
 */
int smmu_cfgi_ste(struct smmu_unit *su, u32 sid)
{
	u64 cmd[1][CMD_DWORDS] = { {
		FIELD_PREP(CMD_OPCODE, CMD_CFGI_STE) | FIELD_PREP(CMD_SID, sid),
		CMD_LEAF,
	} };

	return smmu_cmdq_run(&su->cmdq, cmd[0], 1);
}

/**
 * smmu_cfgi_all() - drop every cached configuration
 * @su: the unit
 *
 * CFGI_STE_RANGE with Range 31, the spec's CFGI_ALL (4.3.3).
 *
 * Context: Any context.
 * Return: as smmu_cmdq_run().
 */
int smmu_cfgi_all(struct smmu_unit *su)
{
	u64 cmd[1][CMD_DWORDS] = { {
		FIELD_PREP(CMD_OPCODE, CMD_CFGI_STE_RANGE),
		FIELD_PREP(CMD_RANGE, CMD_RANGE_ALL),
	} };

	return smmu_cmdq_run(&su->cmdq, cmd[0], 1);
}

/**
 * smmu_tlbi_all() - invalidate every non-secure translation
 * @su: the unit
 *
 * Context: Any context.
 * Return: as smmu_cmdq_run().
 */
int smmu_tlbi_all(struct smmu_unit *su)
{
	u64 cmd[1][CMD_DWORDS] = { { FIELD_PREP(CMD_OPCODE,
						 CMD_TLBI_NSNH_ALL), 0 } };

	return smmu_cmdq_run(&su->cmdq, cmd[0], 1);
}

/**
 * smmu_tlbi_domain() - invalidate every translation of a domain
 * @dom: a paging domain
 *
 * Stage 1: TLBI_NH_ASID of its ASID (VMID 0, as its STEs: 4.4.2);
 * stage 2: TLBI_S12_VMALL of its VMID.
 *
 * Context: Any context.
 * Return: as smmu_cmdq_run().
 */
int smmu_tlbi_domain(struct smmu_domain *dom)
{
	u64 cmd[1][CMD_DWORDS] = { { 0, 0 } };

	if (dom->stage == 1)
		cmd[0][0] = FIELD_PREP(CMD_OPCODE, CMD_TLBI_NH_ASID) |
			    FIELD_PREP(CMD_ASID, dom->asid);
	else
		cmd[0][0] = FIELD_PREP(CMD_OPCODE, CMD_TLBI_S12_VMALL) |
			    FIELD_PREP(CMD_VMID, dom->vmid);
	return smmu_cmdq_run(&dom->su->cmdq, cmd[0], 1);
}

/* TLBI TG encodings (4.4.1): 1 4K, 2 16K, 3 64K. */
static unsigned int smmu_tlbi_tg(unsigned int granule)
{
	return (granule - 10) / 2;
}

#define SMMU_TLBI_BATCH		16

/**
 * smmu_tlbi_range() - invalidate a domain's translations of an IOVA range
 * @dom: a paging domain
 * @start: first IOVA
 * @last: last IOVA
 * @leaf: only leaf entries changed (no table was freed)
 *
 * With range invalidation (IDR3.RIL), one command per run of (NUM + 1) <<
 * SCALE granules (4.4.1); without it, one per granule, or the whole
 * domain past SMMU_TLBI_BATCH granules.
 *
 * Context: Any context.
 * Return: as smmu_cmdq_run().
 */
int smmu_tlbi_range(struct smmu_domain *dom, u64 start, u64 last, bool leaf)
{
	struct smmu_unit *su = dom->su;
	unsigned int g = su->granule, scale, num, n = 0;
	bool ril = su->idr[3] & IDR3_RIL;
	u64 cmds[SMMU_TLBI_BATCH][CMD_DWORDS];
	u64 pages = ((last | (BIT_ULL(g) - 1)) - (start & ~(BIT_ULL(g) - 1)) +
		     1) >> g;
	u64 addr = start & ~(BIT_ULL(g) - 1), op;
	int ret = 0;

	if (!ril && pages > SMMU_TLBI_BATCH)
		return smmu_tlbi_domain(dom);
	op = dom->stage == 1 ?
	     FIELD_PREP(CMD_OPCODE, CMD_TLBI_NH_VA) |
	     FIELD_PREP(CMD_ASID, dom->asid) :
	     FIELD_PREP(CMD_OPCODE, CMD_TLBI_S2_IPA) |
	     FIELD_PREP(CMD_VMID, dom->vmid);
	while (pages && !ret) {
		u64 *c = cmds[n++];

		if (ril) {
			scale = min_t(unsigned int, __ffs64(pages), 31);
			num = min_t(u64, pages >> scale, 32);
			c[0] = op | FIELD_PREP(CMD_SCALE, scale) |
			       FIELD_PREP(CMD_NUM, num - 1);
			c[1] = FIELD_PREP(CMD_TG, smmu_tlbi_tg(g)) |
			       (addr & CMD_ADDR) | (leaf ? CMD_LEAF : 0);
			addr += (u64)num << (scale + g);
			pages -= (u64)num << scale;
		} else {
			c[0] = op;
			c[1] = (addr & CMD_ADDR) | (leaf ? CMD_LEAF : 0);
			addr += BIT_ULL(g);
			pages--;
		}
		if (n == SMMU_TLBI_BATCH || !pages) {
			ret = smmu_cmdq_run(&su->cmdq, cmds[0], n);
			n = 0;
		}
	}
	return ret;
}
