// SPDX-License-Identifier: GPL-2.0
/*
 * iox core: helpers for the unit drivers' debugfs files
 * (include/linux/iox-debugfs.h).
 */
#include <linux/debugfs.h>
#include <linux/iox-debugfs.h>
#include <linux/iox-pt.h>
#include <linux/sizes.h>

/**
 * iox_debugfs_held() - run a show function with its debugfs entry held
 * @s: the seq_file of a file created with debugfs_create_file_unsafe()
 * @show: what shows it
 *
 * Removal of the file waits for @show to return; a show that starts
 * after removal began gets -EIO, so @s->private may be freed once
 * debugfs_remove() returned.
 *
 * Context: Process context.
 * Return: what @show returns, or the error of debugfs_file_get().
 */
int iox_debugfs_held(struct seq_file *s,
		     int (*show)(struct seq_file *s, void *unused))
{
	struct dentry *dentry = file_dentry(s->file);
	int ret;

	ret = debugfs_file_get(dentry);
	if (ret)
		return ret;
	ret = show(s, NULL);
	debugfs_file_put(dentry);
	return ret;
}
EXPORT_SYMBOL_GPL(iox_debugfs_held);

/**
 * iox_domain_type_name() - a domain type's name, for debugfs and logs
 * @type: an enum iox_domain_type value
 *
 * Context: Any context.
 * Return: a constant string.
 */
const char *iox_domain_type_name(unsigned int type)
{
	switch (type) {
	case IOX_DOMAIN_BLOCKED:
		return "blocked";
	case IOX_DOMAIN_IDENTITY:
		return "identity";
	case IOX_DOMAIN_PAGING:
		return "paging";
	case IOX_DOMAIN_DMA:
		return "dma";
	case IOX_DOMAIN_DMA_FQ:
		return "dma-fq";
	}
	return "unknown";
}
EXPORT_SYMBOL_GPL(iox_domain_type_name);

static int iox_debugfs_leaf_show(void *arg, const struct iox_pt_leaf *leaf)
{
	struct seq_file *s = arg;
	u64 size = leaf->leaf.pgsize;

	seq_printf(s, "%#018llx-%#018llx -> %#014llx %4llu%c %c%c level %u pte %#018llx\n",
		   leaf->iova, leaf->iova + size - 1, (u64)leaf->leaf.phys,
		   size >= SZ_1G ? size >> 30 : size >= SZ_1M ? size >> 20 :
		   size >> 10,
		   size >= SZ_1G ? 'G' : size >= SZ_1M ? 'M' : 'K',
		   leaf->leaf.prot & IOX_READ ? 'R' : '-',
		   leaf->leaf.prot & IOX_WRITE ? 'W' : '-', leaf->level,
		   leaf->entry);
	return 0;
}

/**
 * iox_debugfs_pt_show() - dump a page table, every leaf in IOVA order
 * @s: the seq_file
 * @pt: the table
 * @id: the domain ID it is tagged with, for the header line
 *
 * A header line (domain ID, format, levels, IOVA bits, root, table
 * pages), then one line per leaf from the engine's walk: IOVA range,
 * physical address, size, permissions, level and the raw entry. The walk
 * takes no lock: a table that is being changed gives a snapshot.
 *
 * Context: Process context.
 * Return: 0.
 */
int iox_debugfs_pt_show(struct seq_file *s, struct iox_pt *pt,
			unsigned int id)
{
	seq_printf(s, "# domain %u: %s, %u levels, %u-bit IOVA, root %#llx, %ld table pages\n",
		   id, iox_pt_format_name(pt->cfg.format), pt->cfg.levels,
		   pt->cfg.ias, (u64)pt->root_phys,
		   atomic_long_read(&pt->table_pages));
	seq_puts(s, "# first IOVA - last IOVA -> phys size perm level pte\n");
	return pt->ops->for_each_leaf(pt, iox_debugfs_leaf_show, s);
}
EXPORT_SYMBOL_GPL(iox_debugfs_pt_show);
