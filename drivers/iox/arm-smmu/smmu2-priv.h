/* SPDX-License-Identifier: GPL-2.0 */
/*
 * iox-arm-smmu internals: the driver of ARM SMMU v1/v2 (MMU-400/401,
 * MMU-500). Registers through struct iox_regs (include/linux/iox-regs.h),
 * so that the same code runs on the hardware and on the register-level
 * model of the tests. Layouts are smmu2-hw.h's.
 */
#ifndef _IOX_SMMU2_PRIV_H
#define _IOX_SMMU2_PRIV_H

#include <linux/bitmap.h>
#include <linux/err.h>
#include <linux/spinlock.h>
#include <linux/iox-ctx.h>
#include <linux/iox-driver.h>
#include <linux/iox-pt.h>
#include <linux/iox-regs.h>
#include <linux/iox-arm-smmu.h>
#include "smmu2-hw.h"

#define SMMU2_MAX_CB		IOX_CTX_MAX
#define SMMU2_MAX_SMR		128

/**
 * struct smmu2_unit - one SMMU v1/v2
 * @iox: the core's view
 * @regs: its registers
 * @pgshift: log2 of its register page (IDR1.PAGESIZE: 4K or 64K)
 * @cb_base: offset of context bank 0 (the upper half of the space)
 * @nr_cb: context banks (IDR1.NUMCB)
 * @nr_s2_cb: those of them limited to stage 2 (IDR1.NUMS2CB), the first
 * @nr_smr: stream match registers (IDR0.NUMSMRG), 0 with stream indexing
 * @sid_mask: stream ID bits (IDR0.NUMSIDB)
 * @ias: stage-1 input and stage-2 output bits of the unit (IDR2)
 * @oas: output bits (IDR2.OAS)
 * @ubs: stage-1 input bits (IDR2.UBS)
 * @stage: the stage paging domains use: 1 (stage 1, stage 2 bypassed) or
 *	2 (stage 2 only), from IDR0.S1TS/S2TS and the caller's choice
 * @v7s: stage-1 paging domains use the AArch32 short-descriptor format
 *	(the caller's choice, if IDR0.PTFS allows it), else LPAE
 * @bypass_unmatched: streams no SMR matches pass through, else fault
 * @np: its devicetree node, for its PCI masters' stream IDs; or NULL
 * @lock: protects @smr_used, @masters, the SMRs and S2CRs
 * @cbs: the context banks, and the domain each serves
 * @smr_used: stream match registers in use
 * @masters: struct smmu2_master, for fault reports
 * @nr_global_faults: global faults seen (unmatched streams, config errors)
 */
struct smmu2_unit {
	struct iox_unit iox;
	struct iox_regs regs;
	unsigned int pgshift;
	unsigned int cb_base;
	unsigned int nr_cb;
	unsigned int nr_s2_cb;
	unsigned int nr_smr;
	u16 sid_mask;
	unsigned int ias;
	unsigned int oas;
	unsigned int ubs;
	unsigned int stage;
	bool v7s;
	bool bypass_unmatched;
	struct device_node *np;
	spinlock_t lock;	/* @smr_used, @masters, SMRs, S2CRs */
	struct iox_ctx_pool cbs;
	DECLARE_BITMAP(smr_used, SMMU2_MAX_SMR);
	struct list_head masters;
	atomic_t nr_global_faults;
};

/**
 * struct smmu2_domain - a domain of one unit
 * @domain: the core's view
 * @su: the unit
 * @cb: its context bank while a device is attached, else -1
 * @asid: stage 1: the ASID its TLB entries carry (the context bank's
 *	index + 1: one bank per domain)
 * @vmid: its VMID (stage 2, and stage 1 on a unit with VMIDs per bank)
 * @pt: a paging domain's table
 * @nr_attached: devices attached
 */
struct smmu2_domain {
	struct iox_domain domain;
	struct smmu2_unit *su;
	int cb;
	u16 asid;
	u16 vmid;
	struct iox_pt pt;
	unsigned int nr_attached;
};

/**
 * struct smmu2_master - a device behind a unit (struct iox_dev's priv)
 * @node: link in @su->masters
 * @dev: the device
 * @su: the unit
 * @dom: the domain it is attached to, NULL for blocked
 * @sids: its stream IDs
 * @smr: per stream ID, its stream match register, or -1
 * @nr_sids: valid entries of @sids
 * @probed: made by the probe of a PCI device (iommu-map), freed with its
 *	release; else given by iox_arm_smmu_add_master()
 */
struct smmu2_master {
	struct list_head node;
	struct device *dev;
	struct smmu2_unit *su;
	struct smmu2_domain *dom;
	u16 sids[IOX_DEV_MAX_IDS];
	int smr[IOX_DEV_MAX_IDS];
	unsigned int nr_sids;
	bool probed;
};

static inline struct smmu2_unit *to_smmu2_unit(struct iox_unit *unit)
{
	return container_of(unit, struct smmu2_unit, iox);
}

static inline struct smmu2_domain *to_smmu2_domain(struct iox_domain *d)
{
	return container_of(d, struct smmu2_domain, domain);
}

static inline unsigned int smmu2_gr1(struct smmu2_unit *su, unsigned int r)
{
	return (1U << su->pgshift) + r;
}

static inline unsigned int smmu2_cb(struct smmu2_unit *su, int cb,
				    unsigned int r)
{
	return su->cb_base + (cb << su->pgshift) + r;
}

/* context.c */
int smmu2_cb_install(struct smmu2_domain *dom);
void smmu2_cb_remove(struct smmu2_domain *dom);
void smmu2_tlb_sync_cb(struct smmu2_unit *su, int cb);
void smmu2_tlb_sync_global(struct smmu2_unit *su);
void smmu2_tlbi_range(struct smmu2_domain *dom, u64 start, u64 last);
void smmu2_tlbi_domain(struct smmu2_domain *dom);

/* streams.c */
int smmu2_streams_route(struct smmu2_master *m, struct smmu2_domain *dom);
void smmu2_streams_release(struct smmu2_master *m);

/* pci.c; the userspace build and kernels without PCI have no PCI masters */
#if IS_ENABLED(CONFIG_PCI) && !defined(IOX_USERSPACE)
struct smmu2_master *smmu2_pci_master(struct smmu2_unit *su,
				      struct device *dev);
#else
static inline struct smmu2_master *smmu2_pci_master(struct smmu2_unit *su,
						    struct device *dev)
{
	return ERR_PTR(-ENODEV);
}
#endif

/* domain.c */
struct iox_domain *smmu2_domain_alloc(struct iox_unit *unit,
				      unsigned int type);

#endif /* _IOX_SMMU2_PRIV_H */
