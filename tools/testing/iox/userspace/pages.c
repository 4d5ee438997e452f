// SPDX-License-Identifier: GPL-2.0
/*
 * The userspace page allocator behind iox-compat.h: naturally aligned
 * blocks of 2^order pages carved from two arenas (one below 4 GiB for
 * GFP_DMA32), each with a struct page array beside it. Freed blocks are
 * kept on per-order lists for reuse, never merged: tests are short-lived.
 * The arenas are shared memory files, so vmap() can map scattered pages
 * again, side by side, at a new address.
 */
#define _GNU_SOURCE	/* memfd_create() */
#include <iox-compat.h>
#include <sys/mman.h>
#include <unistd.h>

/* gcc says __SANITIZE_ADDRESS__, clang __has_feature(address_sanitizer). */
#if defined(__SANITIZE_ADDRESS__)
#define IOX_COMPAT_ASAN
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define IOX_COMPAT_ASAN
#endif
#endif

#ifdef IOX_COMPAT_ASAN
#include <sanitizer/asan_interface.h>
#define POISON(p, n)	ASAN_POISON_MEMORY_REGION(p, n)
#define UNPOISON(p, n)	ASAN_UNPOISON_MEMORY_REGION(p, n)
#else
#define POISON(p, n)	do { } while (0)
#define UNPOISON(p, n)	do { } while (0)
#endif

#define MAX_ORDER_PAGES	10

struct arena {
	int fd;
	char *raw;
	char *base;
	struct page *map;
	unsigned long npages;
	unsigned long next;	/* first never-used page */
	unsigned long populated;	/* pages below it are backed */
	struct list_head free[MAX_ORDER_PAGES + 1];
};

/* Pages the arena backs at a time, ahead of the first use. */
#define ARENA_POPULATE_PAGES	512

/*
 * Back the arena up to page @to before it is handed out, 2 MiB at a time:
 * the kernel's allocator returns memory that is already there, and a host
 * page fault per fresh table (a shmem fault, serialised across threads)
 * would otherwise be most of the cost of a multi-threaded map. Where the
 * host cannot populate (valgrind, old kernels), the first touch faults.
 * Called with arena_lock held.
 */
static void arena_populate(struct arena *a, unsigned long to)
{
	unsigned long end;

	if (to <= a->populated)
		return;
	end = min(ALIGN(to, ARENA_POPULATE_PAGES), a->npages);
	madvise(a->base + (a->populated << PAGE_SHIFT),
		(end - a->populated) << PAGE_SHIFT, MADV_POPULATE_WRITE);
	a->populated = end;
}

_Static_assert(sizeof(struct page) == 64, "struct page is a cache line");

static struct arena arenas[2];
struct iox_compat_memmap iox_compat_memmap[2];
static pthread_mutex_t arena_lock = PTHREAD_MUTEX_INITIALIZER;

/* Blocks are aligned to their size: the arena is aligned to the largest. */
#define ARENA_ALIGN	(PAGE_SIZE << MAX_ORDER_PAGES)

static bool arena_init(struct arena *a, size_t bytes, int extra_flags)
{
	unsigned int i;
	char *raw;
	int fd;

	fd = memfd_create("iox-page-arena", MFD_CLOEXEC);
	if (fd < 0)
		return false;
	if (ftruncate(fd, bytes + ARENA_ALIGN)) {
		close(fd);
		return false;
	}
	raw = mmap(NULL, bytes + ARENA_ALIGN, PROT_READ | PROT_WRITE,
		   MAP_SHARED | MAP_NORESERVE | extra_flags, fd, 0);
	if (raw == MAP_FAILED) {
		close(fd);
		return false;
	}
	a->map = mmap(NULL, (bytes >> PAGE_SHIFT) * sizeof(struct page),
		      PROT_READ | PROT_WRITE,
		      MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (a->map == MAP_FAILED) {
		munmap(raw, bytes + ARENA_ALIGN);
		close(fd);
		a->map = NULL;
		return false;
	}
	a->fd = fd;
	a->raw = raw;
	a->base = (char *)ALIGN((uintptr_t)raw, ARENA_ALIGN);
	a->npages = bytes >> PAGE_SHIFT;
	for (i = 0; i <= MAX_ORDER_PAGES; i++)
		INIT_LIST_HEAD(&a->free[i]);
	/* Only freed blocks are poisoned: never-used pages cost no shadow. */
	return true;
}

/*
 * Arena 0: anywhere, up to 16 GiB of address space (less where the address
 * space is smaller, e.g. under valgrind); arena 1: 256 MiB below 4 GiB.
 */
static struct arena *arena_get(gfp_t gfp)
{
	static bool ready[2];
	int i = !!(gfp & GFP_DMA32);
	size_t bytes = i ? 256UL << 20 : 16UL << 30;

	while (!ready[i]) {
		ready[i] = arena_init(&arenas[i], bytes, i ? MAP_32BIT : 0);
		if (!ready[i] && (i || (bytes >>= 1) < (256UL << 20))) {
			fprintf(stderr, "iox-compat: cannot map page arena %d\n",
				i);
			abort();
		}
		if (ready[i]) {
			iox_compat_memmap[i].base =
				(unsigned long)arenas[i].base;
			iox_compat_memmap[i].map = arenas[i].map;
			/* Last: virt_to_page() reads it first. */
			__atomic_store_n(&iox_compat_memmap[i].bytes,
					 arenas[i].npages << PAGE_SHIFT,
					 __ATOMIC_RELEASE);
		}
	}
	return &arenas[i];
}

static struct arena *arena_of(const void *addr)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(arenas); i++)
		if (arenas[i].base && (const char *)addr >= arenas[i].base &&
		    (const char *)addr < arenas[i].base +
					 (arenas[i].npages << PAGE_SHIFT))
			return &arenas[i];
	return NULL;
}

/*
 * Clear pages with 16-byte stores, as the kernel's clear_page() does with
 * its own wide stores. glibc's memset clears blocks this size with
 * "rep stosb", which callgrind counts as one instruction per byte: half of
 * a bulk map's count would be an artefact of the counting.
 */
static void clear_pages(void *addr, unsigned long bytes)
{
	typedef unsigned long chunk_t __attribute__((vector_size(16)));
	chunk_t *p = addr, *end = p + bytes / sizeof(chunk_t);
	const chunk_t zero = { 0 };

	for (; p < end; p += 4) {
		p[0] = zero;
		p[1] = zero;
		p[2] = zero;
		p[3] = zero;
	}
}

/**
 * iox_compat_alloc_pages() - alloc_pages() for userspace
 * @gfp: GFP_* flags; __GFP_ZERO clears, GFP_DMA32 places below 4 GiB
 * @order: log2 of the number of pages; the block is aligned to its size
 * @site: "file:line" of the caller, for fail-nth reports
 *
 * Context: Any thread.
 * Return: the first page's struct page, or NULL.
 */
struct page *iox_compat_alloc_pages(gfp_t gfp, unsigned int order,
				    const char *site)
{
	unsigned long n = 1UL << order, idx;
	struct page *page = NULL;
	struct arena *a;
	void *addr;

	if (order > MAX_ORDER_PAGES || iox_compat_should_fail(site))
		return NULL;
	pthread_mutex_lock(&arena_lock);
	a = arena_get(gfp);
	if (!list_empty(&a->free[order])) {
		page = list_first_entry(&a->free[order], struct page, lru);
		list_del(&page->lru);
	} else {
		idx = ALIGN(a->next, n);
		if (idx + n <= a->npages) {
			page = &a->map[idx];
			arena_populate(a, idx + n);
			a->next = idx + n;
		}
	}
	pthread_mutex_unlock(&arena_lock);
	if (!page)
		return NULL;
	memset(page, 0, sizeof(*page));
	page->order = order;
	addr = page_address(page);
	UNPOISON(addr, n << PAGE_SHIFT);
	if (gfp & __GFP_ZERO)
		clear_pages(addr, n << PAGE_SHIFT);
	iox_compat_count_alloc(1);
	return page;
}

/**
 * __free_pages() - give back a block from alloc_pages()
 * @page: its first page, or NULL
 * @order: the order it was allocated with
 *
 * Context: Any thread.
 */
void __free_pages(struct page *page, unsigned int order)
{
	struct arena *a;

	if (!page)
		return;
	a = arena_of(page_address(page));
	if (!a || page->order != order) {
		iox_compat_warn(__FILE__, __LINE__, "bad __free_pages");
		return;
	}
	POISON(page_address(page), PAGE_SIZE << order);
	pthread_mutex_lock(&arena_lock);
	list_add(&page->lru, &a->free[order]);
	pthread_mutex_unlock(&arena_lock);
	iox_compat_count_alloc(-1);
}

/**
 * page_address() - the address of a page
 * @page: a page from alloc_pages(), or NULL
 *
 * Context: Any thread.
 * Return: its address, or NULL for NULL.
 */
void *page_address(const struct page *page)
{
	unsigned int i;

	if (!page)
		return NULL;
	for (i = 0; i < ARRAY_SIZE(arenas); i++)
		if (arenas[i].map && page >= arenas[i].map &&
		    page < arenas[i].map + arenas[i].npages)
			return arenas[i].base +
			       ((unsigned long)(page - arenas[i].map) << PAGE_SHIFT);
	return NULL;
}

/* What vmap() mapped, for vunmap() to know the size. */
struct vmap_area {
	struct list_head node;
	void *addr;
	size_t bytes;
};
static LIST_HEAD(vmap_areas);
static pthread_mutex_t vmap_lock = PTHREAD_MUTEX_INITIALIZER;

/**
 * vmap() - map pages side by side at a new address
 * @pages: pages from alloc_pages(), any order of blocks
 * @count: entries of @pages
 * @flags: VM_MAP
 * @prot: PAGE_KERNEL
 *
 * The new mapping aliases the pages: a write through either address is
 * seen through the other, as with the kernel's vmap().
 *
 * Context: Any thread.
 * Return: the address, or NULL.
 */
void *vmap(struct page **pages, unsigned int count, unsigned long flags,
	   int prot)
{
	struct vmap_area *va;
	unsigned int i;
	char *addr;

	if (!count)
		return NULL;
	va = malloc(sizeof(*va));
	if (!va)
		return NULL;
	va->bytes = (size_t)count << PAGE_SHIFT;
	addr = mmap(NULL, va->bytes, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS,
		    -1, 0);
	if (addr == MAP_FAILED) {
		free(va);
		return NULL;
	}
	for (i = 0; i < count; i++) {
		char *page = page_address(pages[i]);
		struct arena *a = arena_of(page);

		if (!a || mmap(addr + ((size_t)i << PAGE_SHIFT), PAGE_SIZE,
			       PROT_READ | PROT_WRITE, MAP_SHARED | MAP_FIXED,
			       a->fd, page - a->raw) == MAP_FAILED) {
			munmap(addr, va->bytes);
			free(va);
			return NULL;
		}
	}
	va->addr = addr;
	pthread_mutex_lock(&vmap_lock);
	list_add(&va->node, &vmap_areas);
	pthread_mutex_unlock(&vmap_lock);
	return addr;
}

/**
 * vunmap() - remove a mapping of vmap()
 * @addr: its address
 *
 * Context: Any thread.
 */
void vunmap(const void *addr)
{
	struct vmap_area *va, *found = NULL;

	pthread_mutex_lock(&vmap_lock);
	list_for_each_entry(va, &vmap_areas, node)
		if (va->addr == addr) {
			found = va;
			list_del(&va->node);
			break;
		}
	pthread_mutex_unlock(&vmap_lock);
	if (!found) {
		iox_compat_warn(__FILE__, __LINE__, "vunmap of an unknown address");
		return;
	}
	munmap(found->addr, found->bytes);
	free(found);
}
