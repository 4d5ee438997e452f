/* SPDX-License-Identifier: GPL-2.0 */
/*
 * iox-msm internals. Registers through struct iox_regs, clocks through
 * struct iox_msm_clk, so that the same code runs on the hardware and on
 * the tests' register-level model. Layouts are msm-hw.h's.
 */
#ifndef _IOX_MSM_PRIV_H
#define _IOX_MSM_PRIV_H

#include <linux/err.h>
#include <linux/mutex.h>
#include <linux/spinlock.h>
#include <linux/iox-ctx.h>
#include <linux/iox-driver.h>
#include <linux/iox-msm.h>
#include <linux/iox-pt.h>
#include <linux/iox-regs.h>
#include "msm-hw.h"

#define MSM_MAX_MIDS		8

/**
 * struct msm_unit - one MSM IOMMU instance
 * @iox: the core's view
 * @np: its devicetree node, for its masters' "iommus"; or NULL
 * @regs: its registers
 * @clk: its clocks
 * @ncb: context banks (IDR.NCB)
 * @nmid: master ports (IDR.NM2VCBMT)
 * @blocked_cb: the bank blocked masters route to: translation on, an
 *	empty table
 * @bypass_cb: the bank identity masters route to: translation off
 * @empty: the blocked bank's table, all entries faulting
 * @empty_phys: its physical address
 * @cbs: the banks paging domains take (all but the two above)
 * @lock: protects @masters and the M2VCBR routing
 * @masters: struct msm_master
 */
struct msm_unit {
	struct iox_unit iox;
	struct device_node *np;
	struct iox_regs regs;
	struct iox_msm_clk clk;
	unsigned int ncb;
	unsigned int nmid;
	unsigned int blocked_cb;
	unsigned int bypass_cb;
	u32 *empty;
	phys_addr_t empty_phys;
	struct iox_ctx_pool cbs;
	spinlock_t lock;	/* @masters, M2VCBRs */
	struct list_head masters;
};

/**
 * struct msm_domain - a domain of one unit
 * @domain: the core's view
 * @mu: the unit
 * @cb: a paging domain's bank while devices are attached, else -1
 * @asid: its ASID (the bank's index + 1)
 * @pt: a paging domain's v7s table
 * @nr_attached: masters attached
 */
struct msm_domain {
	struct iox_domain domain;
	struct msm_unit *mu;
	int cb;
	u8 asid;
	struct iox_pt pt;
	unsigned int nr_attached;
};

/**
 * struct msm_master - a device behind a unit (struct iox_dev's priv)
 * @node: link in @mu->masters
 * @dev: the device
 * @mu: the unit
 * @dom: its domain, NULL for blocked
 * @mids: its master port IDs
 * @nr_mids: valid entries of @mids
 * @probed: found by its "iommus" at probe, freed with its release; else
 *	given by iox_msm_add_master()
 */
struct msm_master {
	struct list_head node;
	struct device *dev;
	struct msm_unit *mu;
	struct msm_domain *dom;
	u8 mids[MSM_MAX_MIDS];
	unsigned int nr_mids;
	bool probed;
};

static inline struct msm_unit *to_msm_unit(struct iox_unit *unit)
{
	return container_of(unit, struct msm_unit, iox);
}

static inline struct msm_domain *to_msm_domain(struct iox_domain *d)
{
	return container_of(d, struct msm_domain, domain);
}

/* context.c */
int msm_clk_on(struct msm_unit *mu);
void msm_clk_off(struct msm_unit *mu);
void msm_ctx_program(struct msm_unit *mu, unsigned int cb, phys_addr_t ttbr,
		     u8 asid, bool translate);
void msm_ctx_off(struct msm_unit *mu, unsigned int cb);
void msm_route(struct msm_master *m, unsigned int cb);
void msm_tlbi_range(struct msm_domain *dom, u64 start, u64 last);
void msm_tlbi_all(struct msm_domain *dom);

/* of.c; the userspace build and kernels without OF have no devicetree */
#if IS_ENABLED(CONFIG_OF) && !defined(IOX_USERSPACE)
struct msm_master *msm_of_master(struct msm_unit *mu, struct device *dev);
#else
static inline struct msm_master *msm_of_master(struct msm_unit *mu,
					       struct device *dev)
{
	return ERR_PTR(-ENODEV);
}
#endif

/* domain.c */
struct iox_domain *msm_domain_alloc(struct iox_unit *unit, unsigned int type);

#endif /* _IOX_MSM_PRIV_H */
