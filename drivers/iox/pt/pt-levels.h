/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The per-page walks of pt-walk.h for one level count, PT_LEVELS, and the
 * ops table that uses them: pt-walk.h includes this once per count, so
 * every walk here runs with its level count a compile-time constant.
 */

static int PT_LFN(map_page)(struct iox_pt *pt, unsigned long iova,
			    phys_addr_t paddr, int prot, gfp_t gfp)
{
	return PT_FN(map_one_at)(pt, PT_LEVELS, PT_LEVELS - 1, iova, paddr,
				 prot, gfp);
}

static int PT_LFN(map_one)(struct iox_pt *pt, unsigned long iova,
			   phys_addr_t paddr, size_t pgsize, int prot,
			   gfp_t gfp)
{
	return PT_FN(map_one_at)(pt, PT_LEVELS, pt->size_level[__ffs(pgsize)],
				 iova, paddr, prot, gfp);
}

static ssize_t PT_LFN(unmap_page)(struct iox_pt *pt, unsigned long iova,
				  size_t pgsize)
{
	return PT_FN(unmap_one_at)(pt, PT_LEVELS, PT_LEVELS - 1, iova, pgsize);
}

static ssize_t PT_LFN(unmap_one)(struct iox_pt *pt, unsigned long iova,
				 size_t pgsize)
{
	return PT_FN(unmap_one_at)(pt, PT_LEVELS,
				   pt->size_level[__ffs(pgsize)], iova, pgsize);
}

static int PT_LFN(iova_to_phys)(struct iox_pt *pt, unsigned long iova,
				struct iox_leaf *leaf)
{
	return PT_FN(iova_to_phys_at)(pt, PT_LEVELS, iova, leaf);
}

static phys_addr_t PT_LFN(translate)(struct iox_pt *pt, unsigned long iova)
{
	return PT_FN(translate_at)(pt, PT_LEVELS, iova);
}

static const struct iox_pt_ops PT_LFN(ops) = {
	.map = PT_FN(map),
	.unmap = PT_FN(unmap),
	.map_page = PT_LFN(map_page),
	.unmap_page = PT_LFN(unmap_page),
	.map_one = PT_LFN(map_one),
	.unmap_one = PT_LFN(unmap_one),
	.iova_to_phys = PT_LFN(iova_to_phys),
	.translate = PT_LFN(translate),
	.free_tables = PT_FN(free_tables),
	.for_each_leaf = PT_FN(for_each_leaf),
};
