// SPDX-License-Identifier: GPL-2.0
/*
 * iox-null: one unit, any device, paging domains on the page-table engine
 * in the shape given at registration (the benchmark: ARM LPAE stage 1, 4K
 * granule, 48-bit input and output, 4K|2M|1G, coherent walker; the fuzzer:
 * every format). Invalidation and attach cost nothing: invalidate_range
 * returns at once, and the core frees the tables a gather collected, as
 * it does once a real driver's invalidation has completed.
 */
#include <linux/slab.h>
#include <linux/err.h>
#include "null-unit.h"

/**
 * struct iox_null_domain - a null unit's domain
 * @domain: the core's part
 * @pt: the page table of a paging domain (unused for a blocked one)
 */
struct iox_null_domain {
	struct iox_domain domain;
	struct iox_pt pt;
};

static struct iox_null_domain *to_null_domain(struct iox_domain *domain)
{
	return container_of(domain, struct iox_null_domain, domain);
}

static int null_attach_dev(struct iox_domain *domain, struct iox_dev *idev)
{
	return 0;
}

static void null_invalidate_range(struct iox_domain *domain,
				  unsigned long start, unsigned long last,
				  bool leaf_only)
{
}

static void null_flush_iotlb_all(struct iox_domain *domain)
{
}

static void null_domain_free(struct iox_domain *domain)
{
	struct iox_null_domain *nd = to_null_domain(domain);

	iox_pt_destroy(&nd->pt);
	kfree(nd);
}

static const struct iox_domain_ops null_paging_ops = {
	.attach_dev = null_attach_dev,
	.invalidate_range = null_invalidate_range,
	.flush_iotlb_all = null_flush_iotlb_all,
	.free = null_domain_free,
};

static const struct iox_domain_ops null_blocked_ops = {
	.attach_dev = null_attach_dev,
	.free = null_domain_free,
};

static int null_probe_device(struct iox_unit *unit, struct iox_dev *idev)
{
	idev->ids[0] = 0;
	idev->nr_ids = 1;
	return 0;
}

/* The shape of the unit's paging domains, set by iox_null_register(). */
static struct iox_pt_cfg null_cfg;

static struct iox_domain *null_domain_alloc(struct iox_unit *unit,
					    unsigned int type)
{
	struct iox_null_domain *nd;
	int ret;

	/* Paging domains, also for the DMA-API backend. */
	if (type != IOX_DOMAIN_BLOCKED && !(type & __IOX_DOMAIN_PAGING))
		return ERR_PTR(-EOPNOTSUPP);
	nd = kzalloc(sizeof(*nd), GFP_KERNEL);
	if (!nd)
		return ERR_PTR(-ENOMEM);
	if (type == IOX_DOMAIN_BLOCKED) {
		nd->domain.ops = &null_blocked_ops;
		return &nd->domain;
	}
	ret = iox_pt_init(&nd->pt, &null_cfg, GFP_KERNEL);
	if (ret) {
		kfree(nd);
		return ERR_PTR(ret);
	}
	nd->domain.ops = &null_paging_ops;
	nd->domain.pt = &nd->pt;
	nd->domain.pgsize_bitmap = nd->pt.cfg.pgsize_bitmap;
	nd->domain.aperture_start = 0;
	nd->domain.aperture_end = nd->pt.cfg.ias >= 64 ? ~0UL :
				  BIT_ULL(nd->pt.cfg.ias) - 1;
	nd->domain.paddr_max = BIT_ULL(nd->pt.cfg.oas) - 1;
	return &nd->domain;
}

static const struct iox_unit_ops null_unit_ops = {
	.probe_device = null_probe_device,
	.domain_alloc = null_domain_alloc,
};

static struct iox_unit null_unit = {
	.ops = &null_unit_ops,
	.name = "iox-null",
};

/**
 * iox_null_register() - register the null unit
 * @cfg: the page-table shape of its paging domains
 *
 * It claims every device probed after it.
 *
 * Context: Process context.
 * Return: 0 or iox_unit_register()'s error.
 */
int iox_null_register(const struct iox_pt_cfg *cfg)
{
	null_cfg = *cfg;
	return iox_unit_register(&null_unit);
}

/**
 * iox_null_unregister() - remove the null unit
 *
 * Context: Process context; every domain but the blocked one freed.
 */
void iox_null_unregister(void)
{
	iox_unit_unregister(&null_unit);
}

/**
 * iox_null_domain_pt() - the page table behind a null paging domain
 * @domain: a paging domain of the null unit
 *
 * Context: Any context.
 * Return: the table, for its table_pages count.
 */
struct iox_pt *iox_null_domain_pt(struct iox_domain *domain)
{
	return &to_null_domain(domain)->pt;
}
