// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target: sequences of iox_map / iox_unmap / iox_lookup and
 * refused calls on a paging domain of the page-table engine, behind the
 * null unit, checked against a model of the leaves that must be mapped.
 *
 * The first input byte picks the table shape (the shapes of the KUnit
 * suites, drivers/iox/tests/helpers.c, so every format is fuzzed;
 * IOX_FUZZ_SHAPE=<n> pins one), the second may restrict the domain's page
 * sizes; the rest is decoded into operations on the 4 GiB window at IOVA 0,
 * which every shape's aperture holds.
 *
 * The model follows the contracts, not the code: a map of a range with
 * any mapped page fails with -EEXIST and changes nothing; else its leaves
 * are the largest sizes the alignment of iova | paddr and the remaining
 * length allow. An unmap whose ends fall inside a leaf fails with -EINVAL;
 * else it removes the leaves inside and returns their bytes. A map whose
 * table allocation fails (fail-nth) leaves nothing mapped. Refused calls
 * return their documented errno. At the end every leaf and hole is looked
 * up, everything is unmapped, only the root table may remain, and after
 * the domain, device and unit are gone no allocation may be left and no
 * WARN may have fired. Any difference aborts, so libFuzzer keeps the input.
 */
#include <linux/sizes.h>
#include <linux/err.h>
#include "../bench/null-unit.h"
#include "../../../../drivers/iox/tests/pt-shapes.h"

#define WIN_SIZE	(4ULL << 30)	/* IOVA window [0, 4 GiB) */
#define MAX_MAP_LEAVES	4096		/* larger maps are skipped */
#define MAX_LEAVES	32768		/* leaves the model holds */
#define MAX_SIZES	64

/**
 * struct leaf - one page the model expects mapped
 * @iova: its first IOVA, aligned to @size
 * @size: its size, a page size of the domain
 * @phys: the physical address it maps
 * @prot: the IOX_* prot it was mapped with
 */
struct leaf {
	u64 iova;
	u64 size;
	u64 phys;
	int prot;
};

/**
 * struct input - the undecoded rest of the fuzzer's input
 * @p: next byte
 * @left: bytes left
 */
struct input {
	const u8 *p;
	size_t left;
};

/**
 * struct fuzz - one run's state
 * @in: the input
 * @domain: the domain under test
 * @leaves: the model, sorted by IOVA
 * @nleaves: valid entries of @leaves
 * @sizes: the domain's page sizes that fit the window, ascending
 * @nsizes: valid entries of @sizes
 * @min: the smallest page size
 * @phys_limit: one past the highest usable physical address
 * @shape: index into iox_pt_shapes[] (pt-shapes.h)
 */
struct fuzz {
	struct input in;
	struct iox_domain *domain;
	struct leaf *leaves;
	unsigned int nleaves;
	u64 sizes[MAX_SIZES];
	unsigned int nsizes;
	u64 min;
	u64 phys_limit;
	unsigned int shape;
};

/* What the inputs did, printed per input with IOX_FUZZ_VERBOSE set. */
enum {
	MAPPED, MAP_REFUSED, MAP_NOMEM, MAP_SKIPPED, UNMAPPED, UNMAP_REFUSED,
	LOOKUPS, BAD_CALLS, NR_STATS
};

static const char *const stat_names[NR_STATS] = {
	"mapped", "map-refused", "map-nomem", "map-skipped", "unmapped",
	"unmap-refused", "lookups", "bad-calls",
};

static unsigned long stats[NR_STATS];
static bool verbose;

static struct device fuzz_dev = { .name = "iox-fuzz0" };
static struct leaf model_leaves[MAX_LEAVES];
static struct leaf new_leaves[MAX_MAP_LEAVES];
static int pinned_shape = -1;

static void __noreturn fail(const struct fuzz *f, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fprintf(stderr, "iox-fuzz: %s: ", iox_pt_shapes[f->shape].name);
	vfprintf(stderr, fmt, ap);
	fprintf(stderr, "\n");
	va_end(ap);
	abort();
}

static u8 get8(struct fuzz *f)
{
	if (!f->in.left)
		return 0;
	f->in.left--;
	return *f->in.p++;
}

static u32 get32(struct fuzz *f)
{
	u32 v = get8(f);

	v |= (u32)get8(f) << 8;
	v |= (u32)get8(f) << 16;
	return v | (u32)get8(f) << 24;
}

/* First leaf that ends after @iova (nleaves if none). */
static unsigned int leaf_after(const struct fuzz *f, u64 iova)
{
	unsigned int lo = 0, hi = f->nleaves, mid;

	while (lo < hi) {
		mid = (lo + hi) / 2;
		if (f->leaves[mid].iova + f->leaves[mid].size <= iova)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* The leaf holding @iova, or NULL. */
static const struct leaf *leaf_at(const struct fuzz *f, u64 iova)
{
	unsigned int i = leaf_after(f, iova);

	if (i < f->nleaves && f->leaves[i].iova <= iova)
		return &f->leaves[i];
	return NULL;
}

static bool range_mapped(const struct fuzz *f, u64 iova, u64 size)
{
	unsigned int i = leaf_after(f, iova);

	return i < f->nleaves && f->leaves[i].iova < iova + size;
}

/*
 * The leaves a map of [iova, iova + size) -> phys must make: at each step
 * the largest page size that divides iova | phys and fits what is left.
 * Return: how many, or -1 if more than MAX_MAP_LEAVES.
 */
static int split(const struct fuzz *f, u64 iova, u64 phys, u64 size, int prot)
{
	unsigned int n = 0;
	int k;

	while (size) {
		for (k = f->nsizes - 1; k > 0; k--)
			if (!((iova | phys) & (f->sizes[k] - 1)) &&
			    f->sizes[k] <= size)
				break;
		if (n == MAX_MAP_LEAVES)
			return -1;
		new_leaves[n++] = (struct leaf){ iova, f->sizes[k], phys, prot };
		iova += f->sizes[k];
		phys += f->sizes[k];
		size -= f->sizes[k];
	}
	return n;
}

static void check_lookup(struct fuzz *f, u64 iova)
{
	const struct leaf *l = leaf_at(f, iova);
	struct iox_leaf got;
	int ret = iox_lookup(f->domain, iova, &got);

	stats[LOOKUPS]++;
	if (!l) {
		if (ret != -ENOENT)
			fail(f, "lookup %#llx: %d (phys %#llx), expected -ENOENT",
			     iova, ret, got.phys);
		return;
	}
	if (ret)
		fail(f, "lookup %#llx: %d, expected leaf %#llx+%#llx", iova,
		     ret, l->iova, l->size);
	/* Formats differ in what else they encode; write is exact. */
	if (got.phys != l->phys + (iova - l->iova) || got.pgsize != l->size ||
	    (got.prot & IOX_WRITE) != (l->prot & IOX_WRITE) ||
	    (got.prot & l->prot & IOX_READ) != (l->prot & IOX_READ))
		fail(f, "lookup %#llx: %#llx/%#zx/%#x, expected %#llx/%#llx/%#x",
		     iova, got.phys, got.pgsize, got.prot,
		     l->phys + (iova - l->iova), l->size, l->prot);
}

/* A page size from the input, and a range of up to 8 of them inside. */
static void pick_range(struct fuzz *f, u64 *iova, u64 *size)
{
	u64 sz = f->sizes[get8(f) % f->nsizes];
	u8 shape = get8(f);

	*iova = (get32(f) % (WIN_SIZE / sz)) * sz;
	/* Sometimes off the size's alignment, by whole small pages. */
	if (shape & 0x80)
		*iova += (get8(f) % 16) * f->min;
	*size = (1 + (shape & 7)) * sz;
	if (shape & 0x40)
		*size += (1 + get8(f) % 4) * f->min;
	if (*iova >= WIN_SIZE)
		*iova = WIN_SIZE - f->min;
	if (*size > WIN_SIZE - *iova)
		*size = WIN_SIZE - *iova;
}

static void op_map(struct fuzz *f)
{
	u64 iova, size, phys, phys_slots;
	u8 how = get8(f), pbits = get8(f);
	int prot, ret, expect = 0, n = 0;
	unsigned long nth = 0;
	const char *injected;

	pick_range(f, &iova, &size);
	phys_slots = f->phys_limit / SZ_1G;
	switch (how & 3) {
	case 0:		/* congruent to iova modulo 1 GiB: large leaves */
		phys = (get8(f) % phys_slots) * SZ_1G + (iova & (SZ_1G - 1));
		break;
	case 1:		/* identity */
		phys = iova;
		break;
	case 2:		/* any small-page-aligned address */
		phys = ((u64)get32(f) * f->min) % f->phys_limit;
		break;
	default:	/* congruent to iova but for a small-page offset */
		phys = (iova + (1 + get8(f) % 4) * f->min) % f->phys_limit;
		break;
	}
	prot = (pbits % 3) + 1;	/* R, W or RW */
	prot |= (pbits & 0x1c);	/* CACHE, NOEXEC, MMIO */
	if (pbits & 0x80)
		prot |= IOX_PRIV;
	if (how & 0x80)		/* fail one of the map's allocations */
		nth = 1 + (get8(f) & 7);

	if (phys + size - 1 > f->domain->paddr_max) {
		expect = -ERANGE;
	} else if (range_mapped(f, iova, size)) {
		expect = -EEXIST;
	} else {
		n = split(f, iova, phys, size, prot);
		if (n < 0 || f->nleaves + n > MAX_LEAVES) {
			stats[MAP_SKIPPED]++;	/* too big for the model */
			return;
		}
	}

	iox_compat_fail_nth(nth);
	ret = iox_map(f->domain, iova, phys, size, prot, GFP_KERNEL);
	injected = iox_compat_failed_site();
	iox_compat_fail_nth(0);
	if (ret == -ENOMEM && nth && expect != -ERANGE) {
		/*
		 * All or nothing: the model stays as it was. (A map that
		 * would meet a mapped page may run out of memory first.)
		 */
		if (!injected)
			fail(f, "map %#llx+%#llx: -ENOMEM, no failure injected",
			     iova, size);
		stats[MAP_NOMEM]++;
		return;
	}
	if (ret != expect)
		fail(f, "map %#llx+%#llx -> %#llx prot %#x: %d, expected %d",
		     iova, size, phys, prot, ret, expect);
	stats[ret ? MAP_REFUSED : MAPPED]++;
	if (ret)
		return;
	{
		unsigned int at = leaf_after(f, iova);

		memmove(&f->leaves[at + n], &f->leaves[at],
			(f->nleaves - at) * sizeof(*f->leaves));
		memcpy(&f->leaves[at], new_leaves, n * sizeof(*f->leaves));
		f->nleaves += n;
	}
}

static void op_unmap(struct fuzz *f)
{
	u64 iova, size, last, bytes = 0;
	const struct leaf *lf, *ll;
	unsigned int first, end, i;
	ssize_t ret;

	pick_range(f, &iova, &size);
	last = iova + size - 1;
	lf = leaf_at(f, iova);
	ll = leaf_at(f, last);
	if ((lf && lf->iova != iova) || (ll && ll->iova + ll->size - 1 != last)) {
		ret = iox_unmap(f->domain, iova, size);
		if (ret != -EINVAL)
			fail(f, "unmap %#llx+%#llx cuts a leaf: %zd, expected -EINVAL",
			     iova, size, ret);
		stats[UNMAP_REFUSED]++;
		return;
	}
	first = leaf_after(f, iova);
	for (end = first; end < f->nleaves && f->leaves[end].iova <= last; end++)
		bytes += f->leaves[end].size;
	ret = iox_unmap(f->domain, iova, size);
	if (ret != bytes)
		fail(f, "unmap %#llx+%#llx: %zd, expected %llu", iova, size,
		     ret, bytes);
	for (i = end; i < f->nleaves; i++)
		f->leaves[first + i - end] = f->leaves[i];
	f->nleaves -= end - first;
	stats[UNMAPPED]++;
}

static void op_lookup(struct fuzz *f)
{
	u8 how = get8(f);
	u64 iova;

	if ((how & 1) && f->nleaves) {
		const struct leaf *l = &f->leaves[get32(f) % f->nleaves];

		iova = l->iova + (get32(f) % l->size);
	} else {
		iova = ((u64)get32(f) << 8) % WIN_SIZE;
	}
	check_lookup(f, iova);
}

/* Calls with exactly one thing wrong return its errno and change nothing. */
static void op_bad(struct fuzz *f)
{
	u64 min = f->min, iova = (get32(f) % (WIN_SIZE / min)) * min;
	u64 end = f->domain->aperture_end;
	const int rw = IOX_READ | IOX_WRITE;
	u8 which = get8(f);
	long ret, expect;

	/* Nothing lies past a 64-bit aperture: misalign instead. */
	if (end == ~0UL && (which % 9 == 5 || which % 9 == 8))
		which = 0;
	switch (which % 9) {
	case 0:
		ret = iox_map(f->domain, iova + min / 2, 0, min, rw, GFP_KERNEL);
		expect = -EINVAL;	/* misaligned iova */
		break;
	case 1:
		ret = iox_map(f->domain, iova, 0, 0, rw, GFP_KERNEL);
		expect = -EINVAL;	/* empty */
		break;
	case 2:
		ret = iox_map(f->domain, iova, 0, min, 0, GFP_KERNEL);
		expect = -EINVAL;	/* neither read nor write */
		break;
	case 3:
		ret = iox_map(f->domain, iova, 0, min, rw | BIT(6 + which % 8),
			      GFP_KERNEL);
		expect = -EINVAL;	/* unknown prot bit */
		break;
	case 4:
		ret = iox_map(f->domain, iova, min / 2, min, rw, GFP_KERNEL);
		expect = -EINVAL;	/* misaligned paddr */
		break;
	case 5:
		ret = iox_map(f->domain, end + 1, 0, min, rw, GFP_KERNEL);
		expect = -ERANGE;	/* past the aperture */
		break;
	case 6:
		ret = iox_map(f->domain, ~0UL - min + 1, 0, 2 * min, rw,
			      GFP_KERNEL);
		expect = -EOVERFLOW;	/* wraps */
		break;
	case 7:
		ret = iox_unmap(f->domain, iova, min + min / 2);
		expect = -EINVAL;	/* misaligned size */
		break;
	default:
		ret = iox_unmap(f->domain, end + 1, min);
		expect = -ERANGE;	/* past the aperture */
		break;
	}
	if (ret != expect)
		fail(f, "refused call %u at %#llx: %ld, expected %ld",
		     which % 9, iova, ret, expect);
	stats[BAD_CALLS]++;
}

/* Every leaf and every hole translates as the model says. */
static void check_all(struct fuzz *f)
{
	u64 hole = 0;
	unsigned int i;

	for (i = 0; i < f->nleaves; i++) {
		const struct leaf *l = &f->leaves[i];

		if (hole < l->iova)
			check_lookup(f, hole);
		check_lookup(f, l->iova);
		check_lookup(f, l->iova + l->size - 8);
		hole = l->iova + l->size;
	}
	if (hole < WIN_SIZE)
		check_lookup(f, hole);
}

static void setup(struct fuzz *f, u8 restrict_byte)
{
	unsigned long bitmap, mask;
	unsigned int b, k;

	if (iox_null_register(&iox_pt_shapes[f->shape].cfg))
		fail(f, "cannot register the null unit");
	if (iox_probe_device(&fuzz_dev))
		fail(f, "cannot probe the device");
	f->domain = iox_domain_alloc(&fuzz_dev, IOX_DOMAIN_PAGING);
	if (IS_ERR(f->domain))
		fail(f, "iox_domain_alloc: %ld", PTR_ERR(f->domain));
	bitmap = f->domain->pgsize_bitmap;
	/*
	 * Odd: drop the larger sizes the next 7 bits pick (the k-th size
	 * above the smallest by bit (k - 1) % 7). Else maybe try to drop the
	 * smallest size, which must be refused.
	 */
	if (restrict_byte & 1) {
		mask = bitmap;
		k = 0;
		for (b = __ffs(bitmap) + 1; b < 64; b++) {
			if (!(bitmap & BIT(b)))
				continue;
			if (restrict_byte & BIT(1 + k % 7))
				mask &= ~BIT(b);
			k++;
		}
		if (iox_domain_restrict_pgsizes(f->domain, mask))
			fail(f, "restrict to %#lx refused", mask);
		if (f->domain->pgsize_bitmap != mask)
			fail(f, "restrict to %#lx gave %#lx", mask,
			     f->domain->pgsize_bitmap);
	} else if (restrict_byte & 2) {
		mask = bitmap & ~BIT(__ffs(bitmap));
		if (iox_domain_restrict_pgsizes(f->domain, mask) != -EINVAL)
			fail(f, "restrict without the smallest size accepted");
	}
	bitmap = f->domain->pgsize_bitmap;
	f->nsizes = 0;
	for (b = 0; b < 64; b++)
		if ((bitmap & BIT(b)) && BIT_ULL(b) <= WIN_SIZE)
			f->sizes[f->nsizes++] = BIT_ULL(b);
	f->min = f->sizes[0];
	f->phys_limit = min_t(u64, f->domain->paddr_max + 1, 64ULL << 30);
	f->leaves = model_leaves;
	f->nleaves = 0;
}

static void teardown(struct fuzz *f, long allocs0)
{
	struct iox_pt *pt = iox_null_domain_pt(f->domain);
	u64 end = f->domain->aperture_end, half = end / 2 + 1, bytes = 0;
	unsigned int i;
	ssize_t a, b;

	for (i = 0; i < f->nleaves; i++)
		bytes += f->leaves[i].size;
	/* Two halves: a full 64-bit range has no size. */
	a = iox_unmap(f->domain, 0, half);
	b = iox_unmap(f->domain, half, end - half + 1);
	if (a < 0 || b < 0 || a + b != bytes)
		fail(f, "unmapping everything: %zd + %zd bytes, expected %llu",
		     a, b, bytes);
	if (atomic_long_read(&pt->table_pages) != 1L << pt->root_order)
		fail(f, "%ld table pages left after unmapping everything, expected the root's %ld",
		     atomic_long_read(&pt->table_pages), 1L << pt->root_order);
	iox_domain_free(f->domain);
	iox_release_device(&fuzz_dev);
	iox_null_unregister();
	rcu_barrier();
	if (iox_compat_live_allocs() != allocs0)
		fail(f, "%ld allocations leaked",
		     iox_compat_live_allocs() - allocs0);
	if (iox_compat_warnings())
		fail(f, "%ld WARNs fired", iox_compat_warnings());
}

/**
 * LLVMFuzzerInitialize() - read IOX_FUZZ_SHAPE, or list the shapes
 * @argc: libFuzzer's argument count
 * @argv: libFuzzer's arguments
 *
 * With IOX_FUZZ_LIST_SHAPES set, print the shapes' names and exit.
 *
 * Context: Once, before any input.
 * Return: 0.
 */
int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	const char *s = getenv("IOX_FUZZ_SHAPE");
	unsigned int i;

	verbose = getenv("IOX_FUZZ_VERBOSE");
	if (getenv("IOX_FUZZ_LIST_SHAPES")) {
		for (i = 0; i < ARRAY_SIZE(iox_pt_shapes); i++)
			printf("%s\n", iox_pt_shapes[i].name);
		exit(0);
	}
	if (!s || !*s)
		return 0;
	for (i = 0; i < ARRAY_SIZE(iox_pt_shapes); i++)
		if (!strcmp(s, iox_pt_shapes[i].name))
			pinned_shape = i;
	if (pinned_shape < 0) {
		char *end;
		unsigned long n = strtoul(s, &end, 0);

		if (!*end && n < ARRAY_SIZE(iox_pt_shapes))
			pinned_shape = n;
	}
	if (pinned_shape < 0) {
		fprintf(stderr, "iox-fuzz: unknown IOX_FUZZ_SHAPE %s\n", s);
		exit(2);
	}
	return 0;
}

/**
 * LLVMFuzzerTestOneInput() - run one operation sequence
 * @data: the input
 * @size: its length
 *
 * Context: libFuzzer's thread.
 * Return: 0; a mismatch aborts.
 */
int LLVMFuzzerTestOneInput(const u8 *data, size_t size)
{
	struct fuzz f = { .in = { data, size } };
	long allocs0 = iox_compat_live_allocs();
	u8 first = get8(&f);
	unsigned int i;

	f.shape = pinned_shape >= 0 ? pinned_shape : first % ARRAY_SIZE(iox_pt_shapes);
	setup(&f, get8(&f));
	while (f.in.left) {
		u8 op = get8(&f);

		switch (op % 8) {
		case 0:
		case 1:
		case 2:
			op_map(&f);
			break;
		case 3:
		case 4:
			op_unmap(&f);
			break;
		case 5:
		case 6:
			op_lookup(&f);
			break;
		default:
			op_bad(&f);
			break;
		}
	}
	check_all(&f);
	if (verbose) {
		fprintf(stderr, "iox-fuzz: %s, %u leaves:", iox_pt_shapes[f.shape].name,
			f.nleaves);
		for (i = 0; i < NR_STATS; i++)
			fprintf(stderr, " %s %lu", stat_names[i], stats[i]);
		fprintf(stderr, "\n");
		memset(stats, 0, sizeof(stats));
	}
	teardown(&f, allocs0);
	return 0;
}
