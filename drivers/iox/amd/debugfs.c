// SPDX-License-Identifier: GPL-2.0
/*
 * iox-amd debugfs: what a unit is and does, read-only.
 *
 * iox-amd/<unit>/caps          features and how the driver uses them
 * iox-amd/<unit>/regs          the unit's registers, read live
 * iox-amd/<unit>/devices       each DeviceID iox manages, its domain, DTE
 * iox-amd/<unit>/domain-<did>/pagetable
 *                              every leaf of a paging domain's table, in
 *                              IOVA order, from the engine's walk
 *
 * The files are made as include/linux/iox-debugfs.h says.
 */
#define pr_fmt(fmt) "iox-amd: " fmt

#include <linux/bitfield.h>
#include <linux/debugfs.h>
#include <linux/io.h>
#include <linux/iox-debugfs.h>
#include <linux/pci.h>
#include "amd-priv.h"

static struct dentry *amd_debugfs_root;

static int amd_caps_show(struct seq_file *s, void *unused)
{
	struct amd_unit *au = s->private;

	seq_printf(s, "unit: %s at %#llx, PCI %s, IVHD type %#x\n", au->name,
		   (u64)au->reg_phys, au->pdev ? pci_name(au->pdev) : "none",
		   au->ivhd->type);
	seq_printf(s, "efr: %#018llx\ncap: %#010x\n", au->efr, au->cap);
	seq_printf(s, "levels: %u\nhats: %u\npasize: %u\n", au->levels,
		   (unsigned int)FIELD_GET(AMD_EFR_HATS, au->efr), au->pasize);
	seq_printf(s, "invalidate-all: %s\n",
		   au->efr & AMD_EFR_IA ? "yes" : "no");
	seq_printf(s, "np-cache: %s\n", au->np_cache ? "yes" : "no");
	seq_printf(s, "device-table: %u entries\n", au->last_devid + 1);
	seq_printf(s, "rings: %u commands, %u events\n", AMD_RING_ENTRIES,
		   AMD_RING_ENTRIES);
	seq_puts(s, "event-log: polled\n");
	seq_printf(s, "commands: %ld\nevents: %d\noverflows: %d\n",
		   atomic_long_read(&au->cmdq.nr_cmds),
		   atomic_read(&au->nr_events),
		   atomic_read(&au->nr_overflows));
	return 0;
}
IOX_DEBUGFS_ATTR(amd_caps);

static int amd_regs_show(struct seq_file *s, void *unused)
{
	static const struct {
		const char *name;
		unsigned int off;
	} regs[] = {
		{ "DEVTAB", AMD_MMIO_DEVTAB },
		{ "CMDBUF", AMD_MMIO_CMDBUF },
		{ "EVTLOG", AMD_MMIO_EVTLOG },
		{ "CONTROL", AMD_MMIO_CONTROL },
		{ "EXCL_BASE", AMD_MMIO_EXCL_BASE },
		{ "EXCL_LIMIT", AMD_MMIO_EXCL_LIMIT },
		{ "EFR", AMD_MMIO_EFR },
		{ "CMD_HEAD", AMD_MMIO_CMD_HEAD },
		{ "CMD_TAIL", AMD_MMIO_CMD_TAIL },
		{ "EVT_HEAD", AMD_MMIO_EVT_HEAD },
		{ "EVT_TAIL", AMD_MMIO_EVT_TAIL },
		{ "STATUS", AMD_MMIO_STATUS },
	};
	struct amd_unit *au = s->private;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(regs); i++)
		seq_printf(s, "%-10s %#06x %#018llx\n", regs[i].name,
			   regs[i].off, readq(au->regs + regs[i].off));
	return 0;
}
IOX_DEBUGFS_ATTR(amd_regs);

static int amd_devices_show(struct seq_file *s, void *unused)
{
	struct amd_unit *au = s->private;
	struct amd_dev *ad;
	unsigned long devid;
	const u64 *e;

	spin_lock(&au->lock);
	xa_for_each(&au->devs, devid, ad) {
		e = au->devtab + devid * AMD_DTE_QWORDS;
		seq_printf(s, "%02lx:%02lx.%lu %s %s", devid >> 8,
			   (devid >> 3) & 0x1f, devid & 7,
			   dev_name(ad->idev->dev),
			   ad->dom ? iox_domain_type_name(ad->dom->domain.type) :
				     "pass-through");
		if (ad->dom && iox_domain_is_paging(&ad->dom->domain))
			seq_printf(s, " did %u", ad->dom->did);
		seq_printf(s, " dte %#018llx %#018llx %#018llx %#018llx\n",
			   e[0], e[1], e[2], e[3]);
	}
	spin_unlock(&au->lock);
	return 0;
}
IOX_DEBUGFS_ATTR(amd_devices);

static int amd_pagetable_show(struct seq_file *s, void *unused)
{
	struct amd_domain *dom = s->private;

	return iox_debugfs_pt_show(s, &dom->pt, dom->did);
}
IOX_DEBUGFS_ATTR(amd_pagetable);

/**
 * amd_debugfs_unit_add() - create a unit's debugfs directory
 * @au: the unit, enabled
 *
 * debugfs failures are not errors: the unit works without its files.
 *
 * Context: Process context.
 */
void amd_debugfs_unit_add(struct amd_unit *au)
{
	if (!amd_debugfs_root)
		amd_debugfs_root = debugfs_create_dir("iox-amd", NULL);
	au->debugfs = debugfs_create_dir(au->name, amd_debugfs_root);
	debugfs_create_file_unsafe("caps", 0444, au->debugfs, au,
				   &amd_caps_fops);
	debugfs_create_file_unsafe("regs", 0444, au->debugfs, au,
				   &amd_regs_fops);
	debugfs_create_file_unsafe("devices", 0444, au->debugfs, au,
				   &amd_devices_fops);
}

/**
 * amd_debugfs_unit_remove() - remove a unit's debugfs directory
 * @au: the unit
 *
 * Waits for readers of its files to finish.
 *
 * Context: Process context.
 */
void amd_debugfs_unit_remove(struct amd_unit *au)
{
	debugfs_remove(au->debugfs);
	au->debugfs = NULL;
}

/**
 * amd_debugfs_domain_add() - create a paging domain's directory
 * @dom: the domain, its table and domain ID set up
 *
 * Context: Process context.
 */
void amd_debugfs_domain_add(struct amd_domain *dom)
{
	char name[24];

	if (IS_ERR_OR_NULL(dom->au->debugfs))
		return;
	snprintf(name, sizeof(name), "domain-%u", dom->did);
	dom->debugfs = debugfs_create_dir(name, dom->au->debugfs);
	debugfs_create_file_unsafe("pagetable", 0444, dom->debugfs, dom,
				   &amd_pagetable_fops);
}

/**
 * amd_debugfs_domain_remove() - remove a paging domain's directory
 * @dom: the domain
 *
 * Waits for readers of its dump to finish, so the table can go next.
 *
 * Context: Process context.
 */
void amd_debugfs_domain_remove(struct amd_domain *dom)
{
	debugfs_remove(dom->debugfs);
	dom->debugfs = NULL;
}

/**
 * amd_debugfs_exit() - remove the driver's debugfs directory
 *
 * Context: Process context, after every unit's directory was removed.
 */
void amd_debugfs_exit(void)
{
	debugfs_remove(amd_debugfs_root);
	amd_debugfs_root = NULL;
}
