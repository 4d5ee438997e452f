// SPDX-License-Identifier: GPL-2.0
/*
 * VCM: /sys/kernel/debug/iox/vcm, the graph as vcm_graph_dump() writes it.
 */
#define pr_fmt(fmt) "iox-vcm: " fmt

#include <linux/debugfs.h>
#include <linux/fs.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/vmalloc.h>
#include "../iox-priv.h"
#include "vcm-priv.h"

static struct dentry *vcm_debugfs_dir;

/* The text is made at open: reads of one open see one graph. */
static int vcm_debugfs_open(struct inode *inode, struct file *file)
{
	size_t size = PAGE_SIZE, len;
	char *buf;

	for (;;) {
		buf = kvmalloc(size, GFP_KERNEL);
		if (!buf)
			return -ENOMEM;
		len = vcm_graph_dump(buf, size);
		if (len < size)
			break;
		kvfree(buf);
		size = PAGE_ALIGN(len + 1);
	}
	file->private_data = buf;
	return 0;
}

static ssize_t vcm_debugfs_read(struct file *file, char __user *ubuf,
				size_t count, loff_t *ppos)
{
	const char *buf = file->private_data;

	return simple_read_from_buffer(ubuf, count, ppos, buf, strlen(buf));
}

static int vcm_debugfs_release(struct inode *inode, struct file *file)
{
	kvfree(file->private_data);
	return 0;
}

static const struct file_operations vcm_debugfs_fops = {
	.owner = THIS_MODULE,
	.open = vcm_debugfs_open,
	.read = vcm_debugfs_read,
	.release = vcm_debugfs_release,
	.llseek = default_llseek,
};

/**
 * iox_vcm_debugfs_init() - create /sys/kernel/debug/iox/vcm; a debugfs
 * failure is no error, the graph works without its file
 *
 * Context: Module init.
 */
void iox_vcm_debugfs_init(void)
{
	vcm_debugfs_dir = debugfs_create_dir("iox", NULL);
	debugfs_create_file("vcm", 0400, vcm_debugfs_dir, NULL,
			    &vcm_debugfs_fops);
}

/**
 * iox_vcm_debugfs_exit() - remove what iox_vcm_debugfs_init() made
 *
 * Context: Module exit.
 */
void iox_vcm_debugfs_exit(void)
{
	debugfs_remove(vcm_debugfs_dir);
}
