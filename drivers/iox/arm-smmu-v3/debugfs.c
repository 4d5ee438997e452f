// SPDX-License-Identifier: GPL-2.0
/*
 * iox-arm-smmu-v3 debugfs: what a unit is and does, read-only.
 *
 * iox-arm-smmu-v3/<unit>/caps      ID registers and how the driver uses them
 * iox-arm-smmu-v3/<unit>/regs      the unit's registers, read live
 * iox-arm-smmu-v3/<unit>/devices   each stream iox manages, its domain, STE
 * iox-arm-smmu-v3/<unit>/domain-<id>/pagetable
 *                                  every leaf of a paging domain's table
 *
 * The files are made as include/linux/iox-debugfs.h says.
 */
#define pr_fmt(fmt) "iox-arm-smmu-v3: " fmt

#include <linux/bitfield.h>
#include <linux/debugfs.h>
#include <linux/device.h>
#include <linux/io.h>
#include <linux/iox-debugfs.h>
#include "smmu-priv.h"

static struct dentry *smmu_debugfs_root;

static int smmu_caps_show(struct seq_file *s, void *unused)
{
	struct smmu_unit *su = s->private;

	seq_printf(s, "unit: %s at %#llx\n", su->name, (u64)su->reg_phys);
	seq_printf(s, "idr0: %#010x\nidr1: %#010x\nidr3: %#010x\nidr5: %#010x\n",
		   su->idr[0], su->idr[1], su->idr[3], su->idr[5]);
	seq_printf(s, "stage: %u\ngranule: %uK\noas: %u\n", su->stage,
		   1U << (su->granule - 10), su->oas);
	seq_printf(s, "stream-table: %s, %u-bit stream IDs\n",
		   su->two_level ? "2-level" : "linear", su->sid_bits);
	seq_printf(s, "range-invalidation: %s\n",
		   su->idr[3] & IDR3_RIL ? "yes" : "no");
	seq_printf(s, "events: %s\n",
		   su->irq_evtq ? "wired interrupt" : "polled");
	seq_printf(s, "commands: %ld\nevents-read: %d\n",
		   atomic_long_read(&su->cmdq.nr_cmds), atomic_read(&su->nr_events));
	return 0;
}
IOX_DEBUGFS_ATTR(smmu_caps);

static int smmu_regs_show(struct seq_file *s, void *unused)
{
	static const struct {
		const char *name;
		unsigned int off;
	} regs[] = {
		{ "CR0", SMMU_CR0 }, { "CR1", SMMU_CR1 }, { "CR2", SMMU_CR2 },
		{ "GBPA", SMMU_GBPA }, { "IRQ_CTRL", SMMU_IRQ_CTRL },
		{ "GERROR", SMMU_GERROR }, { "GERRORN", SMMU_GERRORN },
		{ "STRTAB_BASE_CFG", SMMU_STRTAB_BASE_CFG },
		{ "CMDQ_PROD", SMMU_CMDQ_PROD }, { "CMDQ_CONS", SMMU_CMDQ_CONS },
		{ "EVENTQ_PROD", SMMU_EVENTQ_PROD },
		{ "EVENTQ_CONS", SMMU_EVENTQ_CONS },
	};
	struct smmu_unit *su = s->private;
	unsigned int i;

	/* 64-bit accesses only where the spec gives 64-bit registers. */
	seq_printf(s, "%-16s %#07x %#018llx\n", "STRTAB_BASE",
		   SMMU_STRTAB_BASE, readq(su->regs + SMMU_STRTAB_BASE));
	seq_printf(s, "%-16s %#07x %#018llx\n", "CMDQ_BASE", SMMU_CMDQ_BASE,
		   readq(su->regs + SMMU_CMDQ_BASE));
	seq_printf(s, "%-16s %#07x %#018llx\n", "EVENTQ_BASE",
		   SMMU_EVENTQ_BASE, readq(su->regs + SMMU_EVENTQ_BASE));
	for (i = 0; i < ARRAY_SIZE(regs); i++)
		seq_printf(s, "%-16s %#07x %#010x\n", regs[i].name,
			   regs[i].off, readl(su->regs + regs[i].off));
	return 0;
}
IOX_DEBUGFS_ATTR(smmu_regs);

static int smmu_devices_show(struct seq_file *s, void *unused)
{
	struct smmu_unit *su = s->private;
	struct smmu_dev *sd;
	unsigned long sid;

	u64 ste[STE_DWORDS];
	unsigned int i;

	spin_lock(&su->lock);
	xa_for_each(&su->devs, sid, sd) {
		seq_printf(s, "%#06lx %s %s", sid, dev_name(sd->idev->dev),
			   sd->dom ? iox_domain_type_name(sd->dom->domain.type) :
				     "bypass");
		if (sd->dom && sd->dom->stage == 1)
			seq_printf(s, " asid %u", sd->dom->asid);
		else if (sd->dom && sd->dom->stage == 2)
			seq_printf(s, " vmid %u", sd->dom->vmid);
		smmu_ste_read(su, sid, ste);
		seq_puts(s, " ste");
		for (i = 0; i < STE_DWORDS; i++)
			seq_printf(s, " %016llx", ste[i]);
		if (sd->dom && sd->dom->cd) {
			seq_puts(s, " cd");
			for (i = 0; i < CD_DWORDS / 2; i++)
				seq_printf(s, " %016llx",
					   READ_ONCE(sd->dom->cd[i]));
		}
		seq_putc(s, '\n');
	}
	spin_unlock(&su->lock);
	return 0;
}
IOX_DEBUGFS_ATTR(smmu_devices);

static int smmu_pagetable_show(struct seq_file *s, void *unused)
{
	struct smmu_domain *dom = s->private;

	return iox_debugfs_pt_show(s, &dom->pt,
				   dom->stage == 1 ? dom->asid : dom->vmid);
}
IOX_DEBUGFS_ATTR(smmu_pagetable);

/**
 * smmu_debugfs_unit_add() - create a unit's debugfs directory
 * @su: the unit, enabled
 *
 * debugfs failures are not errors: the unit works without its files.
 *
 * Context: Process context.
 */
void smmu_debugfs_unit_add(struct smmu_unit *su)
{
	if (!smmu_debugfs_root)
		smmu_debugfs_root = debugfs_create_dir("iox-arm-smmu-v3", NULL);
	su->debugfs = debugfs_create_dir(su->name, smmu_debugfs_root);
	debugfs_create_file_unsafe("caps", 0444, su->debugfs, su,
				   &smmu_caps_fops);
	debugfs_create_file_unsafe("regs", 0444, su->debugfs, su,
				   &smmu_regs_fops);
	debugfs_create_file_unsafe("devices", 0444, su->debugfs, su,
				   &smmu_devices_fops);
}

/**
 * smmu_debugfs_unit_remove() - remove a unit's debugfs directory
 * @su: the unit
 *
 * Waits for readers of its files to finish.
 *
 * Context: Process context.
 */
void smmu_debugfs_unit_remove(struct smmu_unit *su)
{
	debugfs_remove(su->debugfs);
	su->debugfs = NULL;
}

/**
 * smmu_debugfs_domain_add() - create a paging domain's directory
 * @dom: the domain, its table and ASID or VMID set up
 *
 * Context: Process context.
 */
void smmu_debugfs_domain_add(struct smmu_domain *dom)
{
	char name[24];

	if (IS_ERR_OR_NULL(dom->su->debugfs))
		return;
	snprintf(name, sizeof(name), "domain-%u",
		 dom->stage == 1 ? dom->asid : dom->vmid);
	dom->debugfs = debugfs_create_dir(name, dom->su->debugfs);
	debugfs_create_file_unsafe("pagetable", 0444, dom->debugfs, dom,
				   &smmu_pagetable_fops);
}

/**
 * smmu_debugfs_domain_remove() - remove a paging domain's directory
 * @dom: the domain
 *
 * Waits for readers of its dump to finish, so the table can go next.
 *
 * Context: Process context.
 */
void smmu_debugfs_domain_remove(struct smmu_domain *dom)
{
	debugfs_remove(dom->debugfs);
	dom->debugfs = NULL;
}

/**
 * smmu_debugfs_exit() - remove the driver's debugfs directory
 *
 * Context: Process context, after every unit's directory was removed.
 */
void smmu_debugfs_exit(void)
{
	debugfs_remove(smmu_debugfs_root);
	smmu_debugfs_root = NULL;
}
