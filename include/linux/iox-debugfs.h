/* SPDX-License-Identifier: GPL-2.0 */
/*
 * iox: what unit drivers share for their debugfs files.
 *
 * A driver's files are read-only seq_files with read_iter, so
 * kernel_read() works on them (the edu suites read them back).
 * debugfs_create_file()'s proxy only passes .read on, so they are created
 * with debugfs_create_file_unsafe() and each show runs with its entry held
 * (iox_debugfs_held()), which removal waits for.
 */
#ifndef _LINUX_IOX_DEBUGFS_H
#define _LINUX_IOX_DEBUGFS_H

#include <linux/fs.h>
#include <linux/module.h>
#include <linux/seq_file.h>

struct iox_pt;

int iox_debugfs_held(struct seq_file *s,
		     int (*show)(struct seq_file *s, void *unused));
int iox_debugfs_pt_show(struct seq_file *s, struct iox_pt *pt,
			unsigned int id);
const char *iox_domain_type_name(unsigned int type);

/*
 * IOX_DEBUGFS_ATTR(name) - name##_fops for a file shown by
 * name##_show(s, unused), with s->private the file's data, run held.
 */
#define IOX_DEBUGFS_ATTR(name)						\
static int name##_held(struct seq_file *s, void *unused)		\
{									\
	return iox_debugfs_held(s, name##_show);			\
}									\
									\
static int name##_open(struct inode *inode, struct file *file)		\
{									\
	return single_open(file, name##_held, inode->i_private);	\
}									\
									\
static const struct file_operations name##_fops = {			\
	.owner = THIS_MODULE,						\
	.open = name##_open,						\
	.read_iter = seq_read_iter,					\
	.llseek = seq_lseek,						\
	.release = single_release,					\
}

#endif /* _LINUX_IOX_DEBUGFS_H */
