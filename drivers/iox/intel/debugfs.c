// SPDX-License-Identifier: GPL-2.0
/*
 * iox-intel debugfs: what a unit is and does, read-only.
 *
 * iox-intel/<unit>/caps          capabilities and how the driver uses them
 * iox-intel/<unit>/regs          the unit's registers, read live
 * iox-intel/<unit>/devices       each source-id iox manages and its domain
 * iox-intel/<unit>/domain-<did>/pagetable
 *                                every leaf of a paging domain's table, in
 *                                IOVA order, from the engine's walk
 *
 * The page-table dump walks the table without a lock: read it while
 * nothing maps or unmaps in the domain, or expect a snapshot of a moving
 * table.
 *
 * The files are made as include/linux/iox-debugfs.h says (the edu suite
 * reads them back with kernel_read()).
 */
#define pr_fmt(fmt) "iox-intel: " fmt

#include <linux/bitfield.h>
#include <linux/debugfs.h>
#include <linux/io.h>
#include <linux/iox-debugfs.h>
#include <linux/pci.h>
#include <linux/seq_file.h>
#include "intel-priv.h"

static struct dentry *intel_debugfs_root;

/* The domain a context entry points at; NULL: pass-through. */
static const char *intel_domain_type_name(struct intel_domain *dom)
{
	return dom ? iox_domain_type_name(dom->domain.type) : "pass-through";
}

static int intel_caps_show(struct seq_file *s, void *unused)
{
	struct intel_unit *iu = s->private;
	unsigned long pgsizes = iu->fl ? iu->fl_pgsizes : iu->pgsizes;

	seq_printf(s, "unit: %s at %#llx, VT-d %u.%u\n", iu->name,
		   (u64)iu->reg_phys, VTD_VER_MAJOR(iu->ver),
		   VTD_VER_MINOR(iu->ver));
	seq_printf(s, "cap: %#018llx\necap: %#018llx\n", iu->cap, iu->ecap);
	seq_printf(s, "mode: %s\n", iu->sm ? "scalable" : "legacy");
	seq_printf(s, "tables: %s-level\n", iu->fl ? "first" : "second");
	seq_printf(s, "levels: %u\nmgaw: %u\nhaw: %u\n",
		   iu->fl ? iu->fl_levels : iu->levels, iu->mgaw, iu->haw);
	seq_printf(s, "pages: 4K%s%s\n", pgsizes & SZ_2M ? " 2M" : "",
		   pgsizes & SZ_1G ? " 1G" : "");
	seq_printf(s, "invalidation: %s%s\n", iu->use_qi ? "queued" : "register",
		   iu->use_qi && iu->qi.qwords == 4 ? " (256-bit)" : "");
	seq_printf(s, "page-selective: %s\n",
		   iu->cap & VTD_CAP_PSI ? "yes" : "no");
	seq_printf(s, "coherent: %s\n", iu->ecap & VTD_ECAP_C ? "yes" : "no");
	seq_printf(s, "snoop-control: %s\n",
		   intel_snoop_control(iu) ? "yes" : "no");
	seq_printf(s, "caching-mode: %s\n", iu->cap & VTD_CAP_CM ? "yes" : "no");
	seq_printf(s, "pass-through: %s\n",
		   iu->pt_ctx ? "contexts" : "identity table");
	if (!iu->pt_ctx)
		seq_printf(s, "identity-bytes: %llu\n", iu->ident_bytes);
	seq_printf(s, "scalable: %s, second-level %s, first-level %s, pasid %s\n",
		   iu->ecap & VTD_ECAP_SMTS ? "yes" : "no",
		   iu->ecap & VTD_ECAP_SLTS ? "yes" : "no",
		   iu->ecap & VTD_ECAP_FLTS ? "yes" : "no",
		   iu->ecap & VTD_ECAP_PASID ? "yes" : "no");
	seq_printf(s, "domain-ids: %u\n", iu->nr_dids);
	seq_printf(s, "fault-records: %u\n",
		   (unsigned int)FIELD_GET(VTD_CAP_NFR, iu->cap) + 1);
	seq_printf(s, "fault-event: %s\n", iu->irq ? "interrupt" : "polling");
	seq_printf(s, "faults: %d\noverflows: %d\n",
		   atomic_read(&iu->nr_faults), atomic_read(&iu->pfo_seen));
	return 0;
}
IOX_DEBUGFS_ATTR(intel_caps);

static int intel_regs_show(struct seq_file *s, void *unused)
{
	static const struct {
		const char *name;
		unsigned int off;
		bool wide;
	} regs[] = {
		{ "VER", VTD_VER, false },
		{ "CAP", VTD_CAP, true },
		{ "ECAP", VTD_ECAP, true },
		{ "GSTS", VTD_GSTS, false },
		{ "RTADDR", VTD_RTADDR, true },
		{ "CCMD", VTD_CCMD, true },
		{ "FSTS", VTD_FSTS, false },
		{ "FECTL", VTD_FECTL, false },
		{ "FEDATA", VTD_FEDATA, false },
		{ "FEADDR", VTD_FEADDR, false },
		{ "FEUADDR", VTD_FEUADDR, false },
		{ "IQH", VTD_IQH, true },
		{ "IQT", VTD_IQT, true },
		{ "IQA", VTD_IQA, true },
	};
	struct intel_unit *iu = s->private;
	unsigned int nfr = FIELD_GET(VTD_CAP_NFR, iu->cap) + 1;
	unsigned int i, fro = FIELD_GET(VTD_CAP_FRO, iu->cap) * 16;

	for (i = 0; i < ARRAY_SIZE(regs); i++) {
		if (regs[i].wide)
			seq_printf(s, "%-8s %#05x %#018llx\n", regs[i].name,
				   regs[i].off, readq(iu->regs + regs[i].off));
		else
			seq_printf(s, "%-8s %#05x %#010x\n", regs[i].name,
				   regs[i].off, readl(iu->regs + regs[i].off));
	}
	seq_printf(s, "%-8s %#05x %#018llx\n", "IVA", iu->iotlb_reg - 8,
		   readq(iu->regs + iu->iotlb_reg - 8));
	seq_printf(s, "%-8s %#05x %#018llx\n", "IOTLB", iu->iotlb_reg,
		   readq(iu->regs + iu->iotlb_reg));
	for (i = 0; i < nfr; i++)
		seq_printf(s, "FRCD%-4u %#05x %#018llx %#018llx\n", i,
			   fro + 16 * i, readq(iu->regs + fro + 16 * i + 8),
			   readq(iu->regs + fro + 16 * i));
	return 0;
}
IOX_DEBUGFS_ATTR(intel_regs);

static int intel_devices_show(struct seq_file *s, void *unused)
{
	struct intel_unit *iu = s->private;
	struct intel_dev *id;
	unsigned long sid;

	spin_lock(&iu->lock);
	xa_for_each(&iu->devs, sid, id) {
		seq_printf(s, "%02lx:%02lx.%lu %s %s", sid >> 8,
			   (sid >> 3) & 0x1f, sid & 7, dev_name(id->idev->dev),
			   intel_domain_type_name(id->dom));
		if (id->dom && iox_domain_is_paging(&id->dom->domain))
			seq_printf(s, " did %u", id->dom->did);
		seq_putc(s, '\n');
	}
	spin_unlock(&iu->lock);
	return 0;
}
IOX_DEBUGFS_ATTR(intel_devices);

static int intel_pagetable_show(struct seq_file *s, void *unused)
{
	struct intel_domain *dom = s->private;

	return iox_debugfs_pt_show(s, &dom->pt, dom->did);
}
IOX_DEBUGFS_ATTR(intel_pagetable);

/**
 * intel_debugfs_unit_add() - create a unit's debugfs directory
 * @iu: the unit, enabled
 *
 * debugfs failures are not errors: the unit works without its files.
 *
 * Context: Process context.
 */
void intel_debugfs_unit_add(struct intel_unit *iu)
{
	if (!intel_debugfs_root)
		intel_debugfs_root = debugfs_create_dir("iox-intel", NULL);
	iu->debugfs = debugfs_create_dir(iu->name, intel_debugfs_root);
	debugfs_create_file_unsafe("caps", 0444, iu->debugfs, iu,
				   &intel_caps_fops);
	debugfs_create_file_unsafe("regs", 0444, iu->debugfs, iu,
				   &intel_regs_fops);
	debugfs_create_file_unsafe("devices", 0444, iu->debugfs, iu,
				   &intel_devices_fops);
}

/**
 * intel_debugfs_unit_remove() - remove a unit's debugfs directory
 * @iu: the unit
 *
 * Waits for readers of its files to finish.
 *
 * Context: Process context.
 */
void intel_debugfs_unit_remove(struct intel_unit *iu)
{
	debugfs_remove(iu->debugfs);
	iu->debugfs = NULL;
}

/**
 * intel_debugfs_domain_add() - create a paging domain's directory
 * @dom: the domain, its table and domain ID set up
 *
 * Context: Process context.
 */
void intel_debugfs_domain_add(struct intel_domain *dom)
{
	char name[24];

	if (IS_ERR_OR_NULL(dom->iu->debugfs))
		return;
	snprintf(name, sizeof(name), "domain-%u", dom->did);
	dom->debugfs = debugfs_create_dir(name, dom->iu->debugfs);
	debugfs_create_file_unsafe("pagetable", 0444, dom->debugfs, dom,
				   &intel_pagetable_fops);
}

/**
 * intel_debugfs_domain_remove() - remove a paging domain's directory
 * @dom: the domain
 *
 * Waits for readers of its dump to finish, so the table can go next.
 *
 * Context: Process context.
 */
void intel_debugfs_domain_remove(struct intel_domain *dom)
{
	debugfs_remove(dom->debugfs);
	dom->debugfs = NULL;
}

/**
 * intel_debugfs_exit() - remove the driver's debugfs directory
 *
 * Context: Process context, after every unit's directory was removed.
 */
void intel_debugfs_exit(void)
{
	debugfs_remove(intel_debugfs_root);
	intel_debugfs_root = NULL;
}
