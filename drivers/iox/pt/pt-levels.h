/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The per-page walks of pt-walk.h for one shape, PT_GEOM (a level count,
 * maybe with PT_G4K), and the ops table that uses them, named by PT_LFN():
 * pt-shapes.h includes this once per shape, so every walk here runs with
 * its shape a compile-time constant.
 */

static int PT_LFN(map_page)(struct iox_pt *pt, unsigned long iova,
			    phys_addr_t paddr, int prot, gfp_t gfp)
{
	return PT_FN(map_one_at)(pt, PT_GEOM, PT_NLEV(PT_GEOM) - 1, iova,
				 paddr, prot, gfp);
}

static int PT_LFN(map_one)(struct iox_pt *pt, unsigned long iova,
			   phys_addr_t paddr, size_t pgsize, int prot,
			   gfp_t gfp)
{
	return PT_FN(map_one_at)(pt, PT_GEOM, pt->size_level[__ffs(pgsize)],
				 iova, paddr, prot, gfp);
}

static ssize_t PT_LFN(unmap_page)(struct iox_pt *pt, unsigned long iova,
				  size_t pgsize,
				  struct iox_iotlb_gather *gather)
{
	return PT_FN(unmap_one_at)(pt, PT_GEOM, PT_NLEV(PT_GEOM) - 1, iova,
				   pgsize, gather);
}

static ssize_t PT_LFN(unmap_one)(struct iox_pt *pt, unsigned long iova,
				 size_t pgsize,
				 struct iox_iotlb_gather *gather)
{
	return PT_FN(unmap_one_at)(pt, PT_GEOM,
				   pt->size_level[__ffs(pgsize)], iova, pgsize,
				   gather);
}

static int PT_LFN(iova_to_phys)(struct iox_pt *pt, unsigned long iova,
				struct iox_leaf *leaf)
{
	return PT_FN(iova_to_phys_at)(pt, PT_GEOM, iova, leaf);
}

static phys_addr_t PT_LFN(translate)(struct iox_pt *pt, unsigned long iova)
{
	return PT_FN(translate_at)(pt, PT_GEOM, iova);
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
