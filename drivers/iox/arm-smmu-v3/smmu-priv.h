/* SPDX-License-Identifier: GPL-2.0 */
/*
 * iox-arm-smmu-v3 internals: the driver's units, domains and devices.
 * The hardware layouts are smmu-hw.h's.
 */
#ifndef _IOX_SMMU_V3_PRIV_H
#define _IOX_SMMU_V3_PRIV_H

#include <linux/idr.h>
#include <linux/list.h>
#include <linux/spinlock.h>
#include <linux/workqueue.h>
#include <linux/xarray.h>
#include <linux/iox-driver.h>
#include <linux/iox-pt.h>
#include "smmu-hw.h"
#include "smmu-cmdq.h"

struct device_node;
struct platform_device;

/**
 * struct smmu_unit - one SMMUv3
 * @iox: the core's view
 * @node: link in the driver's unit list
 * @name: "iox-smmuv3N"
 * @np: its devicetree node
 * @pdev: its platform device (for the wired interrupts), or NULL
 * @reg_phys: register base
 * @regs: the registers
 * @idr: IDR0, IDR1, IDR3 and IDR5 (index 0, 1, 3, 5)
 * @stage: the stage paging domains use: 1 or 2
 * @oas: output address bits (IDR5.OAS)
 * @granule: the translation granule of paging domains (log2)
 * @sid_bits: stream ID bits the stream table covers
 * @strtab: the stream table (linear) or its level-1 table (2-level)
 * @strtab_phys: its physical address
 * @strtab_bytes: its size
 * @two_level: @strtab is a level-1 table of STRTAB_SPLIT-bit spans
 * @l2: 2-level: the level-2 tables by level-1 index, NULL where absent
 * @cmdq: the command queue
 * @evtq: the event queue
 * @asids: ASID allocator (stage 1)
 * @vmids: VMID allocator (stage 2)
 * @lock: protects the stream table and @devs' domain pointers
 * @devs: struct smmu_dev by stream ID, for events
 * @debugfs: the unit's debugfs directory
 * @irq_evtq: the event queue's wired interrupt, 0 if polled
 * @irq_gerror: the global error interrupt, 0 if polled
 * @poll: reads the event queue and GERROR without interrupts
 * @nr_events: events read since load
 */
struct smmu_unit {
	struct iox_unit iox;
	struct list_head node;
	char name[16];
	struct device_node *np;
	struct platform_device *pdev;
	phys_addr_t reg_phys;
	void __iomem *regs;
	u32 idr[6];
	unsigned int stage;
	unsigned int oas;
	unsigned int granule;
	unsigned int sid_bits;
	u64 *strtab;
	dma_addr_t strtab_phys;
	size_t strtab_bytes;
	bool two_level;
	u64 **l2;
	struct smmu_cmdq cmdq;
	struct smmu_queue evtq;
	struct ida asids;
	struct ida vmids;
	spinlock_t lock;	/* stream table, devices' domains */
	struct xarray devs;
	struct dentry *debugfs;
	int irq_evtq;
	int irq_gerror;
	struct delayed_work poll;
	atomic_t nr_events;
};

/**
 * struct smmu_domain - a domain of one unit
 * @domain: the core's view
 * @su: the unit
 * @stage: 1 (CD with @asid) or 2 (@vmid); 0 for bypass and abort
 * @asid: stage 1: the ASID its translations are tagged with
 * @vmid: stage 2: the VMID
 * @cd: stage 1: its context descriptor
 * @cd_phys: the CD's physical address
 * @pt: a paging domain's LPAE table
 * @debugfs: a paging domain's debugfs directory
 */
struct smmu_domain {
	struct iox_domain domain;
	struct smmu_unit *su;
	unsigned int stage;
	u16 asid;
	u16 vmid;
	u64 *cd;
	dma_addr_t cd_phys;
	struct iox_pt pt;
	struct dentry *debugfs;
};

/**
 * struct smmu_dev - a device behind a unit (struct iox_dev's priv)
 * @idev: the core's record
 * @su: the unit
 * @dom: the domain its STEs point at, NULL for bypass
 * @sids: its stream IDs
 * @nr_sids: valid entries of @sids
 */
struct smmu_dev {
	struct iox_dev *idev;
	struct smmu_unit *su;
	struct smmu_domain *dom;
	u32 sids[IOX_DEV_MAX_IDS];
	unsigned int nr_sids;
};

static inline struct smmu_unit *to_smmu_unit(struct iox_unit *unit)
{
	return container_of(unit, struct smmu_unit, iox);
}

static inline struct smmu_domain *to_smmu_domain(struct iox_domain *domain)
{
	return container_of(domain, struct smmu_domain, domain);
}

/* queue.c */
int smmu_queues_init(struct smmu_unit *su);
void smmu_queues_free(struct smmu_unit *su);
int smmu_cfgi_ste(struct smmu_unit *su, u32 sid);
int smmu_cfgi_all(struct smmu_unit *su);
int smmu_tlbi_domain(struct smmu_domain *dom);
int smmu_tlbi_range(struct smmu_domain *dom, u64 start, u64 last, bool leaf);
int smmu_tlbi_all(struct smmu_unit *su);

/* fault.c */
unsigned int smmu_events_process(struct smmu_unit *su);
int smmu_faults_init(struct smmu_unit *su);
void smmu_faults_exit(struct smmu_unit *su);

/* strtab.c */
int smmu_strtab_init(struct smmu_unit *su);
void smmu_strtab_free(struct smmu_unit *su);
int smmu_strtab_prepare(struct smmu_unit *su, u32 sid);
void smmu_ste_set(struct smmu_unit *su, u32 sid, struct smmu_domain *dom);
void smmu_ste_read(struct smmu_unit *su, u32 sid, u64 *e);

/* domain.c */
struct iox_domain *smmu_domain_alloc(struct iox_unit *unit, unsigned int type);

/* debugfs.c */
void smmu_debugfs_unit_add(struct smmu_unit *su);
void smmu_debugfs_unit_remove(struct smmu_unit *su);
void smmu_debugfs_domain_add(struct smmu_domain *dom);
void smmu_debugfs_domain_remove(struct smmu_domain *dom);
void smmu_debugfs_exit(void);

#endif /* _IOX_SMMU_V3_PRIV_H */
