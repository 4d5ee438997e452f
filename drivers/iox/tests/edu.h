/* SPDX-License-Identifier: GPL-2.0 */
/*
 * QEMU's edu device (QEMU docs/specs/edu.rst), as iox's DMA suites drive
 * it: found, enabled and probed into iox, then told to copy between its
 * 4 KiB buffer and a bus address. Each suite is a module of its own
 * (iox_intel_edu, iox_dma_edu), so the helpers are inline here.
 */
#ifndef _IOX_TESTS_EDU_H
#define _IOX_TESTS_EDU_H

#include <kunit/test.h>
#include <linux/delay.h>
#include <linux/io.h>
#include <linux/iox.h>
#include <linux/pci.h>

#define EDU_VENDOR		0x1234
#define EDU_DEVICE		0x11e8

/* edu registers, BAR 0. */
#define EDU_IDENT		0x00	/* 0xRRrr00ed: major, minor, 0xed */
#define EDU_DMA_SRC		0x80
#define EDU_DMA_DST		0x88
#define EDU_DMA_COUNT		0x90
#define EDU_DMA_CMD		0x98
#define EDU_CMD_START		BIT(0)	/* set to start, clear when done */
#define EDU_CMD_TO_RAM		BIT(1)	/* 1: buffer -> memory */
#define EDU_BUF			0x40000	/* the buffer's device address */
#define EDU_MAX			4095	/* bytes per DMA; 4096 aborts QEMU */

/**
 * struct iox_edu - the edu device a suite drives
 * @pdev: the device, NULL when the VM has none
 * @bar: its registers
 * @probed: iox_probe_device() took it
 */
struct iox_edu {
	struct pci_dev *pdev;
	void __iomem *bar;
	bool probed;
};

/* A case needs edu, and a unit of iox translating it: else it skips. */
static inline void iox_edu_case_require(struct kunit *test,
					const struct iox_edu *edu)
{
	if (!edu->pdev)
		kunit_skip(test, "no edu device (1234:11e8)");
	if (!edu->probed)
		kunit_skip(test, "no iox unit translates edu (iox_intel not loaded?)");
}

/*
 * Find edu, enable it with bus mastering and probe it into iox. No edu is
 * not an error (@edu->pdev stays NULL: the suite's cases skip).
 */
static inline int iox_edu_open(struct iox_edu *edu)
{
	struct pci_dev *pdev;
	int ret;

	pdev = pci_get_device(EDU_VENDOR, EDU_DEVICE, NULL);
	if (!pdev)
		return 0;
	ret = pci_enable_device(pdev);
	if (ret)
		goto err_put;
	edu->bar = pci_iomap(pdev, 0, 0);
	if (!edu->bar) {
		ret = -ENOMEM;
		goto err_disable;
	}
	if ((readl(edu->bar + EDU_IDENT) & 0xff) != 0xed) {
		ret = -ENODEV;
		goto err_unmap;
	}
	pci_set_master(pdev);
	edu->pdev = pdev;
	edu->probed = !iox_probe_device(&pdev->dev);
	return 0;

err_unmap:
	pci_iounmap(pdev, edu->bar);
err_disable:
	pci_disable_device(pdev);
err_put:
	pci_dev_put(pdev);
	return ret;
}

/* Undo iox_edu_open(). */
static inline void iox_edu_close(struct iox_edu *edu)
{
	if (!edu->pdev)
		return;
	if (edu->probed)
		iox_release_device(&edu->pdev->dev);
	pci_clear_master(edu->pdev);
	pci_iounmap(edu->pdev, edu->bar);
	pci_disable_device(edu->pdev);
	pci_dev_put(edu->pdev);
	edu->pdev = NULL;
}

/*
 * One DMA of @count bytes from @src to @dst (one of them EDU_BUF + an
 * offset), waited for: edu runs it from a 100 ms timer of QEMU's virtual
 * clock. 0, or -ETIMEDOUT after 5 s.
 */
static inline int iox_edu_dma(struct iox_edu *edu, u64 src, u64 dst,
			      u32 count, bool to_ram)
{
	unsigned int ms;

	writeq(src, edu->bar + EDU_DMA_SRC);
	writeq(dst, edu->bar + EDU_DMA_DST);
	writeq(count, edu->bar + EDU_DMA_COUNT);
	writeq(EDU_CMD_START | (to_ram ? EDU_CMD_TO_RAM : 0),
	       edu->bar + EDU_DMA_CMD);
	for (ms = 0; ms < 5000; ms += 10) {
		if (!(readq(edu->bar + EDU_DMA_CMD) & EDU_CMD_START))
			return 0;
		usleep_range(10000, 11000);
	}
	return -ETIMEDOUT;
}

#endif /* _IOX_TESTS_EDU_H */
