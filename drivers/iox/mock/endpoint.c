// SPDX-License-Identifier: GPL-2.0
/*
 * iox-mock endpoints: the devices behind a mock unit, and bare struct
 * devices for tests to stand them on.
 */
#define pr_fmt(fmt) "iox-mock: " fmt

#include <linux/module.h>
#include <linux/slab.h>
#include <linux/device.h>
#include <linux/sizes.h>
#include "mock-priv.h"

/**
 * mock_endpoint_find() - the endpoint record of a device
 * @mock: the unit
 * @dev: the device
 *
 * Context: mock->lock held.
 * Return: the endpoint or NULL.
 */
struct iox_mock_endpoint *mock_endpoint_find(struct iox_mock *mock,
					     struct device *dev)
{
	struct iox_mock_endpoint *ep;

	list_for_each_entry(ep, &mock->endpoints, node)
		if (ep->dev == dev)
			return ep;
	return NULL;
}

/**
 * iox_mock_add_endpoint() - put a device behind the mock unit
 * @mock: the unit
 * @dev: the device, to be probed with iox_probe_device()
 * @sid: its stream ID
 * @group_key: devices with equal keys are in one isolation group
 *
 * Context: Process context.
 * Return: 0, -EEXIST if @dev is already an endpoint, or -ENOMEM.
 */
int iox_mock_add_endpoint(struct iox_mock *mock, struct device *dev, u32 sid,
			  u64 group_key)
{
	struct iox_mock_endpoint *ep = kzalloc(sizeof(*ep), GFP_KERNEL);
	unsigned long flags;
	int ret = 0;

	if (!ep)
		return -ENOMEM;
	ep->dev = dev;
	ep->sid = sid;
	ep->group_key = group_key;
	spin_lock_irqsave(&mock->lock, flags);
	if (mock_endpoint_find(mock, dev))
		ret = -EEXIST;
	else
		list_add_tail(&ep->node, &mock->endpoints);
	spin_unlock_irqrestore(&mock->lock, flags);
	if (ret)
		kfree(ep);
	return ret;
}
EXPORT_SYMBOL_GPL(iox_mock_add_endpoint);

/**
 * iox_mock_set_direct() - give an endpoint a direct (identity) region
 * @mock: the unit
 * @dev: an endpoint, before it is probed
 * @start: first IOVA (and physical address)
 * @length: bytes
 *
 * Context: Process context.
 * Return: 0 or -ENODEV if @dev is not an endpoint.
 */
int iox_mock_set_direct(struct iox_mock *mock, struct device *dev, u64 start,
			u64 length)
{
	struct iox_mock_endpoint *ep;
	unsigned long flags;

	spin_lock_irqsave(&mock->lock, flags);
	ep = mock_endpoint_find(mock, dev);
	if (ep) {
		ep->direct_start = start;
		ep->direct_length = length;
	}
	spin_unlock_irqrestore(&mock->lock, flags);
	return ep ? 0 : -ENODEV;
}
EXPORT_SYMBOL_GPL(iox_mock_set_direct);

/**
 * iox_mock_remove_endpoint() - release and forget an endpoint
 * @mock: the unit
 * @dev: the device
 *
 * Context: Process context.
 */
void iox_mock_remove_endpoint(struct iox_mock *mock, struct device *dev)
{
	struct iox_mock_endpoint *ep;
	unsigned long flags;

	iox_release_device(dev);
	spin_lock_irqsave(&mock->lock, flags);
	ep = mock_endpoint_find(mock, dev);
	if (ep)
		list_del(&ep->node);
	spin_unlock_irqrestore(&mock->lock, flags);
	kfree(ep);
}
EXPORT_SYMBOL_GPL(iox_mock_remove_endpoint);

static void mock_device_release(struct device *dev)
{
	kfree(dev);
}

/**
 * iox_mock_device_alloc() - a bare device to stand for a test endpoint
 * @name: its name
 *
 * Context: Process context.
 * Return: the device (free with iox_mock_device_free()) or NULL.
 */
struct device *iox_mock_device_alloc(const char *name)
{
	struct device *dev = kzalloc(sizeof(*dev), GFP_KERNEL);

	if (!dev)
		return NULL;
	device_initialize(dev);
	dev->release = mock_device_release;
	if (dev_set_name(dev, "%s", name)) {
		put_device(dev);
		return NULL;
	}
	return dev;
}
EXPORT_SYMBOL_GPL(iox_mock_device_alloc);

/**
 * iox_mock_device_free() - drop a device from iox_mock_device_alloc()
 * @dev: the device, released from iox and the mock first
 *
 * Context: Process context.
 */
void iox_mock_device_free(struct device *dev)
{
	put_device(dev);
}
EXPORT_SYMBOL_GPL(iox_mock_device_free);
