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
#include <linux/dma-mapping.h>
#include <linux/err.h>
#include <linux/fs.h>
#include <linux/io.h>
#include <linux/iox.h>
#include <linux/kmod.h>
#include <linux/pci.h>
#include <linux/slab.h>
#include <linux/string.h>

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
		kunit_skip(test, "no iox unit translates edu (iox_intel or iox_amd not loaded?)");
}

/*
 * Enable @pdev, an edu whose reference the call takes, with bus mastering
 * and probe it into iox. A NULL @pdev is no edu, not an error
 * (@edu->pdev stays NULL: the suite's cases skip).
 */
static inline int iox_edu_open_dev(struct iox_edu *edu, struct pci_dev *pdev)
{
	int ret;

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

/* The VM's first edu, as iox_edu_open_dev() opens it. */
static inline int iox_edu_open(struct iox_edu *edu)
{
	return iox_edu_open_dev(edu, pci_get_device(EDU_VENDOR, EDU_DEVICE,
						    NULL));
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

/* The bytes the suites DMA: a pattern no page boundary repeats. */
static inline void iox_edu_pattern(void *buf, size_t len, u8 seed)
{
	u8 *p = buf;
	size_t i;

	for (i = 0; i < len; i++)
		p[i] = seed + i * 7 + (i >> 8);
}

/* Index of the first byte of @buf that is not iox_edu_pattern()'s, or -1. */
static inline long iox_edu_mismatch(const void *buf, size_t len, u8 seed)
{
	const u8 *p = buf;
	size_t i;

	for (i = 0; i < len; i++)
		if (p[i] != (u8)(seed + i * 7 + (i >> 8)))
			return i;
	return -1;
}

static inline bool iox_edu_all(const void *buf, size_t len, u8 value)
{
	return !memchr_inv(buf, value, len);
}

/*
 * Copy the @len bytes that start @below bytes under the end of @lo into
 * @buf, the rest from the start of @hi: what a device sees of a range
 * that straddles the boundary between the two pages, and back.
 */
static inline void iox_edu_straddle_get(void *buf, const u8 *lo,
					const u8 *hi, size_t below,
					size_t len)
{
	memcpy(buf, lo + PAGE_SIZE - below, below);
	memcpy((u8 *)buf + below, hi, len - below);
}

static inline void iox_edu_straddle_put(const void *buf, u8 *lo, u8 *hi,
					size_t below, size_t len)
{
	memcpy(lo + PAGE_SIZE - below, buf, below);
	memcpy(hi, (const u8 *)buf + below, len - below);
}

/* Run a program of the VM's initramfs (rmmod, insmod) and wait for it. */
static inline int iox_edu_run(const char *const argv[])
{
	static const char *const envp[] = { "HOME=/", "PATH=/bin:/sbin",
					    NULL };

	return call_usermodehelper(argv[0], (char **)argv, (char **)envp,
				   UMH_WAIT_PROC);
}

#define IOX_EDU_FILE_MAX	8192

/* A debugfs file, read whole with kernel_read() (the VMs mount debugfs). */
static inline char *iox_edu_read_file(struct kunit *test, const char *path)
{
	struct file *f;
	size_t len = 0;
	loff_t pos = 0;
	ssize_t n = 0;
	char *buf;

	buf = kunit_kzalloc(test, IOX_EDU_FILE_MAX, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, buf);
	f = filp_open(path, O_RDONLY, 0);
	KUNIT_ASSERT_FALSE_MSG(test, IS_ERR(f),
			       "cannot open %s (%ld): debugfs not mounted?",
			       path, PTR_ERR(f));
	while (len < IOX_EDU_FILE_MAX - 1) {
		n = kernel_read(f, buf + len, IOX_EDU_FILE_MAX - 1 - len, &pos);
		if (n <= 0)
			break;
		len += n;
	}
	filp_close(f, NULL);
	KUNIT_ASSERT_GE_MSG(test, n, 0, "reading %s", path);
	KUNIT_ASSERT_LT_MSG(test, len, (size_t)IOX_EDU_FILE_MAX - 1,
			    "%s is larger than the test's buffer", path);
	buf[len] = '\0';
	return buf;
}

/* The value of a "key: value" line of @buf, or NULL. */
static inline const char *iox_edu_field(const char *buf, const char *key)
{
	const char *p = buf;
	size_t len = strlen(key);

	for (; p; p = strchr(p, '\n') ? strchr(p, '\n') + 1 : NULL)
		if (!strncmp(p, key, len) && p[len] == ':' && p[len + 1] == ' ')
			return p + len + 2;
	return NULL;
}

static inline bool iox_edu_field_is(const char *buf, const char *key,
				    const char *value)
{
	const char *v = iox_edu_field(buf, key);

	return v && !strncmp(v, value, strlen(value)) &&
	       (v[strlen(value)] == '\n' || !v[strlen(value)]);
}

/*
 * Tell a domain's page-table dump (the core's iox_debugfs_pt_show()
 * format, at @path) as "story: table:" lines. Return its leaf lines.
 */
static inline unsigned int iox_edu_story_table(struct kunit *test,
					       const char *path)
{
	char *buf = iox_edu_read_file(test, path), *line, *next;
	unsigned int leaves = 0;

	for (line = buf; line && *line; line = next) {
		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		if (!strncmp(line, "# first", 7))
			continue;
		if (line[0] == '#') {
			kunit_info(test, "story: table:  %s", line + 2);
			continue;
		}
		kunit_info(test, "story: table:    %s", line);
		leaves++;
	}
	return leaves;
}

/*
 * The kernel's own IOMMU driver owns the unit (the "owned" boots): edu's
 * DMA through the kernel's DMA API must still work. A page copied to
 * another through buffers of dma_alloc_coherent(); @who names the driver.
 */
static inline void iox_edu_kernel_dma(struct kunit *test,
				      struct iox_edu *edu, const char *who)
{
	struct device *dev = &edu->pdev->dev;
	dma_addr_t src_dma, dst_dma;
	u8 *src, *dst;
	long bad;

	KUNIT_ASSERT_EQ(test, dma_set_mask_and_coherent(dev, DMA_BIT_MASK(64)),
			0);
	src = dma_alloc_coherent(dev, PAGE_SIZE, &src_dma, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, src);
	dst = dma_alloc_coherent(dev, PAGE_SIZE, &dst_dma, GFP_KERNEL);
	if (!dst) {
		dma_free_coherent(dev, PAGE_SIZE, src, src_dma);
		KUNIT_FAIL(test, "no DMA memory");
		return;
	}
	iox_edu_pattern(src, PAGE_SIZE, 0x4b);
	memset(dst, 0, PAGE_SIZE);
	kunit_info(test, "the kernel's %s driver maps edu's buffers at %#llx and %#llx",
		   who, (u64)src_dma, (u64)dst_dma);
	if (!iox_edu_dma(edu, src_dma, EDU_BUF, EDU_MAX, false) &&
	    !iox_edu_dma(edu, EDU_BUF, dst_dma, EDU_MAX, true))
		bad = iox_edu_mismatch(dst, EDU_MAX, 0x4b);
	else
		bad = -2;
	dma_free_coherent(dev, PAGE_SIZE, dst, dst_dma);
	dma_free_coherent(dev, PAGE_SIZE, src, src_dma);
	KUNIT_EXPECT_EQ(test, bad, -1L);
}

#endif /* _IOX_TESTS_EDU_H */
