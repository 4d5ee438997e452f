/* SPDX-License-Identifier: GPL-2.0 */
/*
 * iox-amd internals: the driver's units, domains and devices. The
 * hardware layouts are amd-hw.h's.
 */
#ifndef _IOX_AMD_PRIV_H
#define _IOX_AMD_PRIV_H

#include <linux/bits.h>
#include <linux/list.h>
#include <linux/spinlock.h>
#include <linux/types.h>
#include <linux/workqueue.h>
#include <linux/xarray.h>
#include <linux/idr.h>
#include <linux/iox-driver.h>
#include <linux/iox-pt.h>
#include "amd-hw.h"
#include "amd-cmdq.h"

struct pci_dev;

/**
 * struct amd_unit - one AMD-Vi IOMMU
 * @iox: the core's view
 * @node: link in the driver's unit list
 * @index: unit number, for names
 * @name: "iox-amdviN"
 * @ivhd: its definition in the IVRS table
 * @ivrs: the table it comes from (its IVMDs)
 * @pdev: the IOMMU's own PCI function, NULL if none was found
 * @reg_phys: register base
 * @regs: the registers
 * @efr: the extended feature register
 * @cap: the IOMMU capability header in its PCI function (0 if none)
 * @np_cache: the unit caches not-present entries (capability NpCache)
 * @levels: the depth of paging domains' tables (Mode)
 * @pasize: physical address bits (IVinfo)
 * @last_devid: the last DeviceID the device table covers
 * @devtab: the device table, @last_devid + 1 entries of 4 qwords
 * @devtab_order: its page order
 * @cmdq: the command buffer
 * @evt: the event log
 * @dids: domain ID allocator
 * @lock: protects @devtab and @devs' domain pointers
 * @devs: struct amd_dev by DeviceID, for faults
 * @debugfs: the unit's debugfs directory
 * @event_poll: reads the event log
 * @nr_events: events read since load
 * @nr_overflows: event log overflows seen
 */
struct amd_unit {
	struct iox_unit iox;
	struct list_head node;
	unsigned int index;
	char name[16];
	struct amd_ivhd *ivhd;
	struct amd_ivrs *ivrs;
	struct pci_dev *pdev;
	phys_addr_t reg_phys;
	void __iomem *regs;
	u64 efr;
	u32 cap;
	bool np_cache;
	unsigned int levels;
	unsigned int pasize;
	unsigned int last_devid;
	u64 *devtab;
	unsigned int devtab_order;
	struct amd_cmdq cmdq;
	struct amd_ring evt;
	struct ida dids;
	spinlock_t lock;	/* device table, devices' domains */
	struct xarray devs;
	struct dentry *debugfs;
	struct delayed_work event_poll;
	atomic_t nr_events;
	atomic_t nr_overflows;
};

/**
 * struct amd_domain - a domain of one unit
 * @domain: the core's view
 * @au: the unit
 * @did: its domain ID
 * @pt: a paging domain's v1 table
 * @debugfs: a paging domain's debugfs directory
 */
struct amd_domain {
	struct iox_domain domain;
	struct amd_unit *au;
	u16 did;
	struct iox_pt pt;
	struct dentry *debugfs;
};

/**
 * struct amd_dev - a device behind a unit (struct iox_dev's priv)
 * @idev: the core's record
 * @au: the unit
 * @dom: the domain its DTEs point at, NULL for pass-through
 * @devids: the DeviceIDs its requests carry (itself, its aliases)
 * @nr_devids: valid entries of @devids
 * @visible: the DeviceID the unit sees
 */
struct amd_dev {
	struct iox_dev *idev;
	struct amd_unit *au;
	struct amd_domain *dom;
	u16 devids[IOX_DEV_MAX_IDS];
	unsigned int nr_devids;
	u16 visible;
};

static inline struct amd_unit *to_amd_unit(struct iox_unit *unit)
{
	return container_of(unit, struct amd_unit, iox);
}

static inline struct amd_domain *to_amd_domain(struct iox_domain *domain)
{
	return container_of(domain, struct amd_domain, domain);
}

/* cmd.c */
int amd_cmd_init(struct amd_unit *au);
void amd_cmd_free(struct amd_unit *au);
int amd_inv_pages(struct amd_unit *au, u16 did, u64 start, u64 last,
		  bool pde);
int amd_inv_domain(struct amd_unit *au, u16 did);
int amd_inv_all(struct amd_unit *au);

/* fault.c */
int amd_evt_init(struct amd_unit *au);
void amd_evt_free(struct amd_unit *au);
unsigned int amd_evt_process(struct amd_unit *au);
void amd_evt_start(struct amd_unit *au);
void amd_evt_stop(struct amd_unit *au);

/* devtab.c */
int amd_devtab_init(struct amd_unit *au);
void amd_devtab_free(struct amd_unit *au);
void amd_dte_set(struct amd_unit *au, u16 devid, struct amd_domain *old,
		 struct amd_domain *dom);

/* domain.c */
struct iox_domain *amd_domain_alloc(struct iox_unit *unit, unsigned int type);

/* debugfs.c */
void amd_debugfs_unit_add(struct amd_unit *au);
void amd_debugfs_unit_remove(struct amd_unit *au);
void amd_debugfs_domain_add(struct amd_domain *dom);
void amd_debugfs_domain_remove(struct amd_domain *dom);
void amd_debugfs_exit(void);

#endif /* _IOX_AMD_PRIV_H */
