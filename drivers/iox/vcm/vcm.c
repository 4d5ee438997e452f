// SPDX-License-Identifier: GPL-2.0
/*
 * VCM: the VCMs themselves and their associations with devices.
 */
#define pr_fmt(fmt) "iox-vcm: " fmt

#include <linux/device.h>
#include <linux/err.h>
#include <linux/module.h>
#include <linux/slab.h>
#include "vcm-priv.h"

/* Orders every change and walk of the graph: see vcm-priv.h. */
DEFINE_MUTEX(vcm_lock);
/* Every VCM, for the graph's dump; under vcm_lock. */
LIST_HEAD(vcm_list);
static unsigned int vcm_ids;

/**
 * vcm_next_id() - a number for a new VCM or physical set
 *
 * Context: Under vcm_lock.
 * Return: a number not given before (until it wraps).
 */
unsigned int vcm_next_id(void)
{
	lockdep_assert_held(&vcm_lock);
	return ++vcm_ids;
}

/* The VCM joins the graph. */
static struct vcm *vcm_publish(struct vcm *vcm)
{
	mutex_lock(&vcm_lock);
	vcm->id = vcm_next_id();
	list_add_tail(&vcm->node, &vcm_list);
	mutex_unlock(&vcm_lock);
	return vcm;
}

static struct vcm *vcm_new(enum vcm_mapper mapper)
{
	struct vcm *vcm = kzalloc(sizeof(*vcm), GFP_KERNEL);

	if (!vcm)
		return NULL;
	vcm->mapper = mapper;
	INIT_LIST_HEAD(&vcm->res);
	INIT_LIST_HEAD(&vcm->assocs);
	spin_lock_init(&vcm->fault_lock);
	return vcm;
}

/* A fault of an associated device goes to its association's hook. */
static int vcm_fault(struct iox_domain *domain, struct device *dev,
		     const struct iox_fault *fault, void *token)
{
	struct vcm *vcm = token;
	struct vcm_assoc *assoc;
	unsigned long flags;
	int ret = -ENOENT;

	spin_lock_irqsave(&vcm->fault_lock, flags);
	list_for_each_entry(assoc, &vcm->assocs, node) {
		if (assoc->dev != dev || !assoc->hook)
			continue;
		ret = assoc->hook(assoc, fault->iova, fault->flags,
				  assoc->hook_data);
		break;
	}
	spin_unlock_irqrestore(&vcm->fault_lock, flags);
	return ret;
}

/**
 * vcm_create() - a VCM translated by an IOMMU
 * @dev: a device behind an iox unit: the VCM's paging domain is made on
 *	its unit, and only devices of that unit can be associated
 * @start: first address of the VCM
 * @size: its bytes; @start and @size in units of the domain's smallest
 *	page, the range inside the domain's aperture
 *
 * Context: Process context.
 * Return: the VCM, or an ERR_PTR(): the errno of iox_domain_alloc(),
 * -EINVAL for a range the domain cannot translate, -ENOMEM.
 */
struct vcm *vcm_create(struct device *dev, u64 start, u64 size)
{
	struct iox_domain *domain;
	unsigned long granule;
	struct vcm *vcm;

	domain = iox_domain_alloc(dev, IOX_DOMAIN_PAGING);
	if (IS_ERR(domain))
		return ERR_CAST(domain);
	granule = domain->pgsize_bitmap & -domain->pgsize_bitmap;
	if (!size || (start | size) & (granule - 1) ||
	    start < domain->aperture_start ||
	    start + size - 1 > domain->aperture_end || start + size < start) {
		iox_domain_free(domain);
		return ERR_PTR(-EINVAL);
	}
	vcm = vcm_new(VCM_MAPPER_IOMMU);
	if (!vcm) {
		iox_domain_free(domain);
		return ERR_PTR(-ENOMEM);
	}
	vcm->domain = domain;
	vcm->start = start;
	vcm->last = start + size - 1;
	vcm->pgsizes = domain->pgsize_bitmap;
	iox_set_fault_handler(domain, vcm_fault, vcm);
	return vcm_publish(vcm);
}
EXPORT_SYMBOL_GPL(vcm_create);

/* A VCM whose mapper is not an IOMMU: it maps pages, where it maps. */
static struct vcm *vcm_create_pages(enum vcm_mapper mapper)
{
	struct vcm *vcm = vcm_new(mapper);

	if (!vcm)
		return ERR_PTR(-ENOMEM);
	vcm->pgsizes = PAGE_SIZE;
	return vcm_publish(vcm);
}

/**
 * vcm_create_cpu() - a VCM of kernel virtual mappings, whose reservations
 * get their address when they are backed (vmap chooses it)
 *
 * Context: Process context.
 * Return: the VCM, or ERR_PTR(-ENOMEM).
 */
struct vcm *vcm_create_cpu(void)
{
	return vcm_create_pages(VCM_MAPPER_CPU);
}
EXPORT_SYMBOL_GPL(vcm_create_cpu);

/**
 * vcm_create_direct() - a VCM of devices without an MMU, whose addresses
 * are physical ones (the platforms iox runs on have no DMA offset): a
 * reservation is backed by one contiguous chunk and placed where it is
 *
 * Context: Process context.
 * Return: the VCM, or ERR_PTR(-ENOMEM).
 */
struct vcm *vcm_create_direct(void)
{
	return vcm_create_pages(VCM_MAPPER_DIRECT);
}
EXPORT_SYMBOL_GPL(vcm_create_direct);

/**
 * vcm_destroy() - free a VCM without reservations or associations
 * @vcm: the VCM
 *
 * Context: Process context.
 * Return: 0, or -EBUSY while it has reservations or associations (nothing
 * changes).
 */
int vcm_destroy(struct vcm *vcm)
{
	mutex_lock(&vcm_lock);
	if (!list_empty(&vcm->res) || !list_empty(&vcm->assocs)) {
		mutex_unlock(&vcm_lock);
		return -EBUSY;
	}
	list_del(&vcm->node);
	mutex_unlock(&vcm_lock);
	if (vcm->domain)
		iox_domain_free(vcm->domain);
	kfree(vcm);
	return 0;
}
EXPORT_SYMBOL_GPL(vcm_destroy);

/**
 * vcm_mapper() - what translates a VCM
 * @vcm: the VCM
 *
 * Context: Any context.
 * Return: its mapper.
 */
enum vcm_mapper vcm_mapper(const struct vcm *vcm)
{
	return vcm->mapper;
}
EXPORT_SYMBOL_GPL(vcm_mapper);

/**
 * vcm_pgsizes() - the page sizes a VCM's mapper maps with
 * @vcm: the VCM
 *
 * Context: Any context.
 * Return: a bitmap of sizes; PAGE_SIZE for CPU and direct VCMs.
 */
unsigned long vcm_pgsizes(const struct vcm *vcm)
{
	return vcm->pgsizes;
}
EXPORT_SYMBOL_GPL(vcm_pgsizes);

/**
 * vcm_active() - whether a device's DMA goes through a VCM
 * @vcm: the VCM
 *
 * Context: Under vcm_lock.
 * Return: true if one of its associations is active.
 */
bool vcm_active(const struct vcm *vcm)
{
	struct vcm_assoc *assoc;

	lockdep_assert_held(&vcm_lock);
	list_for_each_entry(assoc, &vcm->assocs, node)
		if (assoc->active)
			return true;
	return false;
}

/**
 * vcm_assoc() - tie a VCM to a device
 * @vcm: an IOMMU or direct VCM
 * @dev: the device; for an IOMMU VCM one of its unit's
 *
 * The device's DMA does not go through the VCM until vcm_activate().
 *
 * Context: Process context.
 * Return: the association, or an ERR_PTR(): -EINVAL for a CPU VCM,
 * -EEXIST if @dev is associated already, -ENOMEM.
 */
struct vcm_assoc *vcm_assoc(struct vcm *vcm, struct device *dev)
{
	struct vcm_assoc *assoc, *other;

	if (vcm->mapper == VCM_MAPPER_CPU || !dev)
		return ERR_PTR(-EINVAL);
	assoc = kzalloc(sizeof(*assoc), GFP_KERNEL);
	if (!assoc)
		return ERR_PTR(-ENOMEM);
	assoc->vcm = vcm;
	assoc->dev = dev;
	mutex_lock(&vcm_lock);
	list_for_each_entry(other, &vcm->assocs, node) {
		if (other->dev == dev) {
			mutex_unlock(&vcm_lock);
			kfree(assoc);
			return ERR_PTR(-EEXIST);
		}
	}
	spin_lock_irq(&vcm->fault_lock);
	list_add_tail(&assoc->node, &vcm->assocs);
	spin_unlock_irq(&vcm->fault_lock);
	mutex_unlock(&vcm_lock);
	return assoc;
}
EXPORT_SYMBOL_GPL(vcm_assoc);

/**
 * vcm_deassoc() - untie an inactive association
 * @assoc: the association, freed
 *
 * Context: Process context.
 * Return: 0, or -EBUSY while it is active (nothing changes).
 */
int vcm_deassoc(struct vcm_assoc *assoc)
{
	struct vcm *vcm = assoc->vcm;

	mutex_lock(&vcm_lock);
	if (assoc->active) {
		mutex_unlock(&vcm_lock);
		return -EBUSY;
	}
	spin_lock_irq(&vcm->fault_lock);
	list_del(&assoc->node);
	spin_unlock_irq(&vcm->fault_lock);
	mutex_unlock(&vcm_lock);
	kfree(assoc);
	return 0;
}
EXPORT_SYMBOL_GPL(vcm_deassoc);

/*
 * A direct VCM's device that sits behind an iox unit is given the unit's
 * identity domain, so the physical addresses it is handed reach memory; a
 * device no unit translates (-ENODEV) needs nothing.
 */
static int vcm_direct_attach(struct vcm_assoc *assoc)
{
	struct iox_domain *identity;
	int ret;

	identity = iox_domain_alloc(assoc->dev, IOX_DOMAIN_IDENTITY);
	if (IS_ERR(identity))
		return PTR_ERR(identity) == -ENODEV ? 0 : PTR_ERR(identity);
	ret = iox_attach_device(identity, assoc->dev);
	if (ret) {
		iox_domain_free(identity);
		return ret;
	}
	assoc->identity = identity;
	return 0;
}

/**
 * vcm_activate() - put a device's DMA through its VCM
 * @assoc: the association
 *
 * An IOMMU VCM's domain is attached to the device (iox_attach_device():
 * its whole group moves). A direct VCM's device, if an iox unit
 * translates it, is attached to the unit's identity domain, so that its
 * bus addresses are physical ones; one no unit translates is only marked
 * active. Migration and the power query read the state.
 *
 * Context: Process context.
 * Return: 0, -EALREADY if active, or the errno of iox_attach_device()
 * (-EINVAL for a device of another unit than the VCM's) or, for a direct
 * VCM, of the identity domain's allocation (-EOPNOTSUPP: the unit cannot
 * pass through). Nothing changes on error.
 */
int vcm_activate(struct vcm_assoc *assoc)
{
	struct vcm *vcm = assoc->vcm;
	int ret = 0;

	mutex_lock(&vcm_lock);
	if (assoc->active)
		ret = -EALREADY;
	else if (vcm->domain)
		ret = iox_attach_device(vcm->domain, assoc->dev);
	else
		ret = vcm_direct_attach(assoc);
	if (!ret)
		assoc->active = true;
	mutex_unlock(&vcm_lock);
	return ret;
}
EXPORT_SYMBOL_GPL(vcm_activate);

/**
 * vcm_deactivate() - take a device's DMA off its VCM
 * @assoc: the association
 *
 * The device goes back to its unit's blocked domain, from an IOMMU VCM's
 * domain or a direct VCM's identity one.
 *
 * Context: Process context.
 * Return: 0, or -EINVAL if it is not active.
 */
int vcm_deactivate(struct vcm_assoc *assoc)
{
	struct vcm *vcm = assoc->vcm;

	mutex_lock(&vcm_lock);
	if (!assoc->active) {
		mutex_unlock(&vcm_lock);
		return -EINVAL;
	}
	if (vcm->domain) {
		iox_detach_device(vcm->domain, assoc->dev);
	} else if (assoc->identity) {
		iox_detach_device(assoc->identity, assoc->dev);
		iox_domain_free(assoc->identity);
		assoc->identity = NULL;
	}
	assoc->active = false;
	mutex_unlock(&vcm_lock);
	return 0;
}
EXPORT_SYMBOL_GPL(vcm_deactivate);

/**
 * vcm_set_fault_hook() - be told of the device's faults through the VCM
 * @assoc: the association
 * @hook: the hook, or NULL for none
 * @data: passed to @hook
 *
 * Context: Process context.
 */
void vcm_set_fault_hook(struct vcm_assoc *assoc, vcm_fault_hook_t hook,
			void *data)
{
	spin_lock_irq(&assoc->vcm->fault_lock);
	assoc->hook = hook;
	assoc->hook_data = data;
	spin_unlock_irq(&assoc->vcm->fault_lock);
}
EXPORT_SYMBOL_GPL(vcm_set_fault_hook);
