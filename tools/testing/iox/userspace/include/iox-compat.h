/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The kernel API subset iox uses, implemented for userspace so the core,
 * the mock unit and the KUnit suites build unchanged as a test program.
 * The headers in linux/ next to it stand in for the kernel headers of the
 * same names and all include this one.
 *
 * Allocations are counted (leak checks per test case) and can be made to
 * fail (fail-nth); WARNs are counted so the runner fails the case.
 */
#ifndef _IOX_COMPAT_H
#define _IOX_COMPAT_H

#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include <sched.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>

typedef uint8_t u8;
typedef uint16_t u16;
typedef uint32_t u32;
typedef unsigned long long u64;
typedef int32_t s32;
typedef long long s64;
typedef u64 phys_addr_t;
typedef u64 dma_addr_t;
typedef unsigned int gfp_t;

#define GFP_KERNEL	0x1u
#define GFP_ATOMIC	0x2u
#define __GFP_ZERO	0x100u
#define __GFP_NOWARN	0x200u
#define GFP_DMA32	0x400u
#define __GFP_NORETRY	0x800u
/* The page allocator's largest block is PAGE_SIZE << (MAX_ORDER - 1). */
#define MAX_ORDER	11

#define __init
#define __exit
#define __user
#define __iomem
#define __force
#define __must_check	__attribute__((warn_unused_result))
#define __must_hold(x)
#define __acquires(x)
#define __releases(x)
#define ____cacheline_aligned	__attribute__((aligned(64)))
#ifndef __always_inline
#define __always_inline	inline __attribute__((always_inline))
#endif
#define __noreturn	__attribute__((noreturn))
#define __printf(a, b)	__attribute__((format(printf, a, b)))
#define __maybe_unused	__attribute__((unused))
#define noinline	__attribute__((noinline))
#define fallthrough	__attribute__((fallthrough))
#define likely(x)	__builtin_expect(!!(x), 1)
#define unlikely(x)	__builtin_expect(!!(x), 0)

#define U64_MAX		UINT64_MAX
#define BITS_PER_LONG	64
#define U32_MAX		UINT32_MAX
#define PAGE_SHIFT	12
#define PAGE_SIZE	(1UL << PAGE_SHIFT)
/* Plain int constants, as in the kernel's sizes.h. */
#define SZ_1K		0x00000400
#define SZ_4K		0x00001000
#define SZ_8K		0x00002000
#define SZ_16K		0x00004000
#define SZ_64K		0x00010000
#define SZ_1M		0x00100000
#define SZ_2M		0x00200000
#define SZ_4M		0x00400000
#define SZ_8M		0x00800000
#define SZ_16M		0x01000000
#define SZ_256M		0x10000000
#define SZ_1G		0x40000000

#define BIT(n)			(1UL << (n))
#define BIT_ULL(n)		(1ULL << (n))
#define GENMASK(h, l)		((~0UL << (l)) & (~0UL >> (63 - (h))))
#define GENMASK_ULL(h, l)	((~0ULL << (l)) & (~0ULL >> (63 - (h))))
#define ARRAY_SIZE(a)		(sizeof(a) / sizeof((a)[0]))
#define ALIGN(x, a)		(((x) + (a) - 1) & ~((typeof(x))(a) - 1))
#define ALIGN_DOWN(x, a)	((x) & ~((typeof(x))(a) - 1))
#define IS_ALIGNED(x, a)	(((x) & ((typeof(x))(a) - 1)) == 0)
#define DIV_ROUND_UP(n, d)	(((n) + (d) - 1) / (d))
#define min(a, b)		((a) < (b) ? (a) : (b))
#define swap(a, b) \
	do { __typeof__(a) __swap_tmp = (a); (a) = (b); (b) = __swap_tmp; } while (0)
#define max(a, b)		((a) > (b) ? (a) : (b))
#define max3(a, b, c)		max(max(a, b), c)
#define min_t(t, a, b)		((t)(a) < (t)(b) ? (t)(a) : (t)(b))
#define max_t(t, a, b)		((t)(a) > (t)(b) ? (t)(a) : (t)(b))
#define container_of(p, type, member) \
	((type *)((char *)(p) - offsetof(type, member)))

/* Unsigned all through, so the result needs no sign extension. */
static inline unsigned long __ffs(unsigned long x)
{
	return (unsigned int)__builtin_ctzl(x);
}
static inline unsigned int hweight64(unsigned long long x)
{
	return (unsigned int)__builtin_popcountll(x);
}
static inline unsigned long __ffs64(unsigned long long x)
{
	return (unsigned int)__builtin_ctzll(x);
}
static inline unsigned long __fls(unsigned long x)
{
#ifdef __x86_64__
	/* As the kernel's: GCC sign-extends its own bsr's result. */
	asm("bsr %1, %0" : "=r" (x) : "rm" (x));
	return x;
#else
	return 63U ^ (unsigned int)__builtin_clzl(x);
#endif
}
static inline unsigned int fls_long(unsigned long x)
{
	return x ? 64 - __builtin_clzl(x) : 0;
}
/* The first byte of @p that is not @c, or NULL (lib/string.c's contract). */
static inline void *memchr_inv(const void *p, int c, size_t n)
{
	const unsigned char *b = p;

	for (; n; n--, b++)
		if (*b != (unsigned char)c)
			return (void *)b;
	return NULL;
}
static inline int fls64(unsigned long long x)
{
	return x ? 64 - __builtin_clzll(x) : 0;
}
#define lower_32_bits(n)	((u32)((n) & 0xffffffff))
#define upper_32_bits(n)	((u32)(((unsigned long long)(n)) >> 32))
static inline unsigned long roundup_pow_of_two(unsigned long x)
{
	return 1UL << fls_long(x - 1);
}
static inline bool is_power_of_2(unsigned long x)
{
	return x && !(x & (x - 1));
}

/*
 * Ordering: the kernel primitives map onto C11-style builtins for TSan.
 * READ_ONCE() orders later accesses that depend on the value read (a table
 * entry, then the table it points to), which is C11's consume.
 */
#define OPTIMIZER_HIDE_VAR(var)	__asm__ ("" : "=r" (var) : "0" (var))
#define READ_ONCE(x)		__atomic_load_n(&(x), __ATOMIC_CONSUME)
#define WRITE_ONCE(x, v)	__atomic_store_n(&(x), (v), __ATOMIC_RELAXED)
#define smp_load_acquire(p)	__atomic_load_n(p, __ATOMIC_ACQUIRE)
#define smp_store_release(p, v)	__atomic_store_n(p, v, __ATOMIC_RELEASE)
#define cmpxchg(p, o, n)						\
	({								\
		typeof(*(p)) __old = (o);				\
		__atomic_compare_exchange_n(p, &__old, n, false,	\
					    __ATOMIC_SEQ_CST,		\
					    __ATOMIC_SEQ_CST);		\
		__old;							\
	})

typedef struct { int counter; } atomic_t;
typedef struct { long counter; } atomic_long_t;
#define ATOMIC_INIT(i)	{ (i) }
#define __ATOMIC_OPS(prefix, type)					\
static inline type prefix##_read(const prefix##_t *v)			\
{ return __atomic_load_n(&v->counter, __ATOMIC_RELAXED); }		\
static inline void prefix##_set(prefix##_t *v, type i)			\
{ __atomic_store_n(&v->counter, i, __ATOMIC_RELAXED); }		\
static inline type prefix##_add_return(type i, prefix##_t *v)		\
{ return __atomic_add_fetch(&v->counter, i, __ATOMIC_SEQ_CST); }	\
static inline void prefix##_inc(prefix##_t *v)				\
{ prefix##_add_return(1, v); }						\
static inline void prefix##_dec(prefix##_t *v)				\
{ prefix##_add_return(-1, v); }					\
static inline type prefix##_inc_return(prefix##_t *v)			\
{ return prefix##_add_return(1, v); }					\
static inline bool prefix##_dec_and_test(prefix##_t *v)		\
{ return prefix##_add_return(-1, v) == 0; }				\
static inline void prefix##_add(type i, prefix##_t *v)			\
{ prefix##_add_return(i, v); }						\
static inline void prefix##_sub(type i, prefix##_t *v)			\
{ prefix##_add_return(-i, v); }					\
static inline type prefix##_fetch_add(type i, prefix##_t *v)		\
{ return __atomic_fetch_add(&v->counter, i, __ATOMIC_SEQ_CST); }	\
static inline bool prefix##_sub_and_test(type i, prefix##_t *v)	\
{ return __atomic_sub_fetch(&v->counter, i, __ATOMIC_SEQ_CST) == 0; }	\
static inline type prefix##_cmpxchg(prefix##_t *v, type o, type n)	\
{ return cmpxchg(&v->counter, o, n); }
__ATOMIC_OPS(atomic, int)
__ATOMIC_OPS(atomic_long, long)
#undef __ATOMIC_OPS

/* Errors carried in pointers. */
#define MAX_ERRNO	4095
#define IS_ERR_VALUE(x)	unlikely((unsigned long)(x) >= (unsigned long)-MAX_ERRNO)
static inline void *ERR_PTR(long error) { return (void *)error; }
static inline long PTR_ERR(const void *ptr) { return (long)ptr; }
static inline void *ERR_CAST(const void *ptr) { return (void *)ptr; }
static inline bool IS_ERR(const void *ptr) { return IS_ERR_VALUE(ptr); }
static inline int PTR_ERR_OR_ZERO(const void *ptr)
{
	return IS_ERR(ptr) ? PTR_ERR(ptr) : 0;
}
static inline bool IS_ERR_OR_NULL(const void *ptr)
{
	return !ptr || IS_ERR_VALUE(ptr);
}

/* Lists. */
struct list_head {
	struct list_head *next, *prev;
};
#define LIST_HEAD_INIT(name)	{ &(name), &(name) }
#define LIST_HEAD(name)		struct list_head name = LIST_HEAD_INIT(name)
static inline void INIT_LIST_HEAD(struct list_head *l)
{
	l->next = l;
	l->prev = l;
}
static inline void __list_add(struct list_head *n, struct list_head *prev,
			      struct list_head *next)
{
	next->prev = n;
	n->next = next;
	n->prev = prev;
	prev->next = n;
}
static inline void list_add(struct list_head *n, struct list_head *head)
{
	__list_add(n, head, head->next);
}
static inline void list_add_tail(struct list_head *n, struct list_head *head)
{
	__list_add(n, head->prev, head);
}
static inline void list_del(struct list_head *e)
{
	e->next->prev = e->prev;
	e->prev->next = e->next;
	e->next = NULL;
	e->prev = NULL;
}
static inline void list_del_init(struct list_head *e)
{
	e->next->prev = e->prev;
	e->prev->next = e->next;
	e->next = e;
	e->prev = e;
}
static inline bool list_empty(const struct list_head *head)
{
	return head->next == head;
}
static inline bool list_is_singular(const struct list_head *head)
{
	return !list_empty(head) && head->next == head->prev;
}
#define list_entry(p, type, member)	container_of(p, type, member)
#define list_first_entry(h, type, member) list_entry((h)->next, type, member)
#define list_next_entry(pos, member) \
	list_entry((pos)->member.next, typeof(*(pos)), member)
#define list_for_each_entry(pos, head, member)				\
	for (pos = list_first_entry(head, typeof(*pos), member);	\
	     &pos->member != (head); pos = list_next_entry(pos, member))
#define list_for_each_entry_safe(pos, n, head, member)			\
	for (pos = list_first_entry(head, typeof(*pos), member),	\
	     n = list_next_entry(pos, member);				\
	     &pos->member != (head); pos = n, n = list_next_entry(n, member))

/* Locks. */
struct mutex {
	pthread_mutex_t m;
};
#define DEFINE_MUTEX(name) struct mutex name = { PTHREAD_MUTEX_INITIALIZER }
static inline void mutex_init(struct mutex *l) { pthread_mutex_init(&l->m, NULL); }
static inline void mutex_lock(struct mutex *l) { pthread_mutex_lock(&l->m); }
static inline void mutex_unlock(struct mutex *l) { pthread_mutex_unlock(&l->m); }
#define lockdep_assert_held(l)	((void)(l))
typedef struct mutex spinlock_t;
#define spin_lock_init(l)	mutex_init(l)
#define spin_lock(l)		mutex_lock(l)
#define spin_unlock(l)		mutex_unlock(l)
#define spin_lock_irqsave(l, f)	 do { (f) = 0; mutex_lock(l); } while (0)
#define spin_lock_irq(l)	 mutex_lock(l)
#define spin_unlock_irq(l)	 mutex_unlock(l)
#define spin_unlock_irqrestore(l, f) do { (void)(f); mutex_unlock(l); } while (0)

/*
 * Raw spinlocks spin, as in the kernel (test-and-set with acquire/release
 * ordering, which TSan follows), yielding while contended: threads are not
 * pinned to CPUs here, so a holder may be descheduled.
 */
typedef struct { int locked; } raw_spinlock_t;
void iox_compat_raw_spin_wait(raw_spinlock_t *l);
static inline void raw_spin_lock_init(raw_spinlock_t *l) { l->locked = 0; }
static inline void raw_spin_lock(raw_spinlock_t *l)
{
	if (unlikely(__atomic_exchange_n(&l->locked, 1, __ATOMIC_ACQUIRE)))
		iox_compat_raw_spin_wait(l);
}
static inline void raw_spin_unlock(raw_spinlock_t *l)
{
	__atomic_store_n(&l->locked, 0, __ATOMIC_RELEASE);
}
static inline bool raw_spin_trylock(raw_spinlock_t *l)
{
	return !__atomic_exchange_n(&l->locked, 1, __ATOMIC_ACQUIRE);
}
#define raw_spin_trylock_irqsave(l, f)	 ((f) = 0, raw_spin_trylock(l))
#define raw_spin_lock_irqsave(l, f)	 do { (f) = 0; raw_spin_lock(l); } while (0)
#define raw_spin_unlock_irqrestore(l, f) do { (void)(f); raw_spin_unlock(l); } while (0)

/*
 * Per-CPU data: an array with one slot per simulated CPU. A thread holds a
 * CPU of its own while it runs iox code: the main thread from start-up,
 * kthread_run() threads and timer callbacks for their run, other threads
 * between iox_compat_cpu_enter() and iox_compat_cpu_leave(). So no two
 * threads ever share a CPU's data, as in the kernel with interrupts off.
 * A thread without one reads CPU -1: per_cpu_ptr() then points before
 * the array, which the sanitizers report.
 */
#define NR_CPUS			16
#define nr_cpu_ids		NR_CPUS
#define __percpu
/*
 * Each CPU's copy of a per-CPU object lies one stride above the previous
 * CPU's, and each thread keeps its CPU's byte offset: raw_cpu_ptr() is one
 * add, as this_cpu_ptr() is in the kernel.
 */
#define IOX_COMPAT_PCPU_STRIDE	16384UL
/* This thread's CPU times the stride; -stride: none. */
extern __thread unsigned long iox_compat_cpu_off
	__attribute__((tls_model("local-exec")));
void iox_compat_cpu_enter(void);
void iox_compat_cpu_leave(void);
static inline int raw_smp_processor_id(void)
{
	return (long)iox_compat_cpu_off / (long)IOX_COMPAT_PCPU_STRIDE;
}
#define alloc_percpu(type)						\
	((type *)iox_compat_alloc(NR_CPUS * IOX_COMPAT_PCPU_STRIDE +	\
				  0 * sizeof(char[sizeof(type) <=	\
					IOX_COMPAT_PCPU_STRIDE ? 1 : -1]), \
				  GFP_KERNEL | __GFP_ZERO, 64, IOX_SITE))
#define free_percpu(p)			iox_compat_free(p)
#define per_cpu_ptr(p, cpu)						\
	((typeof(p))((char *)(p) + (long)(cpu) * IOX_COMPAT_PCPU_STRIDE))
#define raw_cpu_ptr(p)	((typeof(p))((char *)(p) + iox_compat_cpu_off))
#define for_each_possible_cpu(cpu)	for ((cpu) = 0; (cpu) < NR_CPUS; (cpu)++)

/*
 * RCU-sched (rcu.c), as userspace RCU's membarrier flavour: the read side
 * is a per-thread nesting count, one plain increment and one plain
 * decrement like the kernel's preempt count; a grace period forces a
 * memory barrier on every thread (membarrier()) and then waits until each
 * thread running iox code has been seen outside its section. Under TSan
 * the count is kept with atomics instead, so that the sanitizer sees the
 * end of a section happen before the grace period that waited for it.
 */
struct rcu_head {
	struct rcu_head *next;
	void (*func)(struct rcu_head *head);
};
typedef void (*rcu_callback_t)(struct rcu_head *head);
extern __thread int iox_compat_rcu_nest
	__attribute__((tls_model("local-exec")));
void iox_compat_rcu_online(int cpu);
void iox_compat_rcu_offline(int cpu);
#if defined(__SANITIZE_THREAD__)
static inline void rcu_read_lock_sched(void)
{
	__atomic_add_fetch(&iox_compat_rcu_nest, 1, __ATOMIC_SEQ_CST);
}
static inline void rcu_read_unlock_sched(void)
{
	__atomic_sub_fetch(&iox_compat_rcu_nest, 1, __ATOMIC_RELEASE);
}
#elif defined(__x86_64__)
/* One instruction each, not atomic: only this thread writes the count. */
static inline void rcu_read_lock_sched(void)
{
	__asm__ __volatile__("incl %0" : "+m" (iox_compat_rcu_nest) : : "memory");
}
static inline void rcu_read_unlock_sched(void)
{
	__asm__ __volatile__("decl %0" : "+m" (iox_compat_rcu_nest) : : "memory");
}
#else
static inline void rcu_read_lock_sched(void)
{
	__atomic_store_n(&iox_compat_rcu_nest, iox_compat_rcu_nest + 1,
			 __ATOMIC_RELAXED);
	__atomic_signal_fence(__ATOMIC_SEQ_CST);
}
static inline void rcu_read_unlock_sched(void)
{
	__atomic_store_n(&iox_compat_rcu_nest, iox_compat_rcu_nest - 1,
			 __ATOMIC_RELEASE);
}
#endif
void synchronize_rcu(void);
void call_rcu(struct rcu_head *head, rcu_callback_t func);
void rcu_barrier(void);

/* A spinning thread gives way: the one it waits for may not be running. */
static inline void cpu_relax(void)
{
	sched_yield();
}

struct completion {
	pthread_mutex_t m;
	pthread_cond_t c;
	unsigned int done;
};
void init_completion(struct completion *x);
void complete(struct completion *x);
void wait_for_completion(struct completion *x);

struct task_struct;
struct task_struct *iox_compat_thread_run(int (*fn)(void *), void *data);
#define kthread_run(fn, data, fmt, ...)	iox_compat_thread_run(fn, data)
void __noreturn kthread_complete_and_exit(struct completion *done, long code);
static inline void cond_resched(void) { }

/*
 * Delays: udelay() spins on the clock, giving way meanwhile (what it
 * waits for may be another thread); usleep_range() sleeps.
 */
void udelay(unsigned long us);
void usleep_range(unsigned long min, unsigned long max);

/* Memory: counted, and failable for fail-nth tests. */
void *iox_compat_alloc(size_t size, gfp_t gfp, size_t align, const char *site);
void iox_compat_free(const void *p);
bool iox_compat_should_fail(const char *site);
void iox_compat_count_alloc(long delta);
long iox_compat_live_allocs(void);
long iox_compat_warnings(void);
void iox_compat_fail_nth(unsigned long nth);
const char *iox_compat_failed_site(void);
#define __IOX_SITE2(f, l)	f ":" #l
#define __IOX_SITE(f, l)	__IOX_SITE2(f, l)
#define IOX_SITE		__IOX_SITE(__FILE__, __LINE__)
#define kmalloc(s, g)		iox_compat_alloc(s, g, 0, IOX_SITE)
#define kzalloc(s, g)		iox_compat_alloc(s, (g) | __GFP_ZERO, 0, IOX_SITE)
#define kcalloc(n, s, g)	kzalloc((n) * (s), g)
#define kmalloc_array(n, s, g)	kmalloc((n) * (s), g)
#define vmalloc(s)		kmalloc(s, GFP_KERNEL)
#define vzalloc(s)		kzalloc(s, GFP_KERNEL)
#define kfree(p)		iox_compat_free(p)
#define vfree(p)		iox_compat_free(p)

/* Userspace has no physical memory: an address is its own "phys". */
static inline phys_addr_t virt_to_phys(const void *p) { return (uintptr_t)p; }
static inline void *phys_to_virt(phys_addr_t a) { return (void *)(uintptr_t)a; }

/*
 * Pages come from an arena with a struct page array beside it, as the
 * kernel's memory map: page metadata (lru, private) lives outside the
 * page, freed pages are poisoned under ASan, and GFP_DMA32 pages lie below
 * 4 GiB. An address is its own "physical" address.
 */
struct page {
	union {
		struct list_head lru;
		struct rcu_head rcu_head;
	};
	unsigned long private;
	atomic_t pt_frag_refcount;
	unsigned int order;
	/* A cache line each, as the kernel's: no false sharing of counts. */
	unsigned long pad[4];
};
struct page *iox_compat_alloc_pages(gfp_t gfp, unsigned int order,
				    const char *site);
void __free_pages(struct page *page, unsigned int order);
void *page_address(const struct page *page);

/*
 * The two arenas (the general one first, then GFP_DMA32's): their pages
 * and struct pages, for an inline virt_to_page() of about the kernel's
 * cost (a subtract, a shift and an add there). Like the kernel's, it does
 * not check that the address is a page's.
 */
struct iox_compat_memmap {
	unsigned long base;
	unsigned long bytes;
	struct page *map;
};
extern struct iox_compat_memmap iox_compat_memmap[2];

static inline struct page *virt_to_page(const void *addr)
{
	unsigned long off = (unsigned long)addr - iox_compat_memmap[0].base;

	if (likely(off < iox_compat_memmap[0].bytes))
		return iox_compat_memmap[0].map + (off >> PAGE_SHIFT);
	off = (unsigned long)addr - iox_compat_memmap[1].base;
	return iox_compat_memmap[1].map + (off >> PAGE_SHIFT);
}
#define alloc_pages(g, o)	iox_compat_alloc_pages(g, o, IOX_SITE)
#define alloc_page(g)		alloc_pages(g, 0)
#define __free_page(p)		__free_pages(p, 0)
#define __get_free_pages(g, o)	((unsigned long)page_address(alloc_pages(g, o)))
#define get_zeroed_page(g)	__get_free_pages((g) | __GFP_ZERO, 0)
#define free_pages(a, o)	__free_pages(virt_to_page((void *)(a)), o)
#define free_page(a)		free_pages(a, 0)
static inline phys_addr_t page_to_phys(const struct page *p)
{
	return virt_to_phys(page_address(p));
}
#define PHYS_PFN(x)		((unsigned long)((x) >> PAGE_SHIFT))
static inline struct page *pfn_to_page(unsigned long pfn)
{
	return virt_to_page(phys_to_virt((phys_addr_t)pfn << PAGE_SHIFT));
}
#define set_page_private(page, v)	((page)->private = (v))
#define page_private(page)		((page)->private)
static inline unsigned int get_order(unsigned long size)
{
	return size <= PAGE_SIZE ? 0 : __fls(size - 1) + 1 - PAGE_SHIFT;
}

struct scatterlist {
	struct page *page;
	unsigned int offset;
	unsigned int length;
	bool end;
	dma_addr_t dma_address;
	unsigned int dma_length;
};
static inline void sg_init_table(struct scatterlist *sg, unsigned int n)
{
	memset(sg, 0, n * sizeof(*sg));
	sg[n - 1].end = true;
}
static inline void sg_set_page(struct scatterlist *sg, struct page *page,
			       unsigned int len, unsigned int offset)
{
	sg->page = page;
	sg->length = len;
	sg->offset = offset;
}
static inline phys_addr_t sg_phys(const struct scatterlist *sg)
{
	return page_to_phys(sg->page) + sg->offset;
}
static inline struct scatterlist *sg_next(struct scatterlist *sg)
{
	return sg->end ? NULL : sg + 1;
}
#define for_each_sg(sglist, sg, nr, i) \
	for ((i) = 0, (sg) = (sglist); (i) < (nr); (i)++, (sg) = sg_next(sg))
#define sg_dma_address(sg)	((sg)->dma_address)
#define sg_dma_len(sg)		((sg)->dma_length)

/* Messages and warnings. */
#ifndef pr_fmt
#define pr_fmt(fmt) fmt
#endif
void iox_compat_printf(const char *fmt, ...) __printf(1, 2);
bool iox_compat_ratelimit(int *count, long *window);
void iox_compat_warn(const char *file, int line, const char *cond);
#define pr_info(fmt, ...)	iox_compat_printf(pr_fmt(fmt), ##__VA_ARGS__)
#define pr_err(fmt, ...)	iox_compat_printf(pr_fmt(fmt), ##__VA_ARGS__)
#define pr_warn(fmt, ...)	iox_compat_printf(pr_fmt(fmt), ##__VA_ARGS__)
#define FW_BUG		"[Firmware Bug]: "	/* as the kernel's printk.h */

/*
 * MMIO: a unit's registers are memory the tests own (a software model of
 * them). A model may run on a thread of its own (iox_amd_cmdq's), so the
 * accessors are atomic: a write is ordered after the stores before it
 * (as writeq() orders a ring entry before the tail that publishes it) and
 * a read before the loads after it, which is also what TSan follows.
 * Barriers alone are compiler barriers: TSan refuses thread fences.
 */
#define rmb()		__asm__ __volatile__("" ::: "memory")
#define mb()		__asm__ __volatile__("" ::: "memory")
#define dma_wmb()	__asm__ __volatile__("" ::: "memory")
static inline u32 readl(const volatile void *p)
{
	return __atomic_load_n((const volatile u32 *)p, __ATOMIC_ACQUIRE);
}
static inline u64 readq(const volatile void *p)
{
	return __atomic_load_n((const volatile u64 *)p, __ATOMIC_ACQUIRE);
}
static inline void writel(u32 v, volatile void *p)
{
	__atomic_store_n((volatile u32 *)p, v, __ATOMIC_RELEASE);
}
static inline void writeq(u64 v, volatile void *p)
{
	__atomic_store_n((volatile u64 *)p, v, __ATOMIC_RELEASE);
}
/* Bitmaps, non-atomic: callers hold their lock, as in the kernel. */
#ifndef BITS_TO_LONGS
#define BITS_TO_LONGS(n)	DIV_ROUND_UP(n, BITS_PER_LONG)
#endif
#define DECLARE_BITMAP(name, bits)	unsigned long name[BITS_TO_LONGS(bits)]
static inline bool test_bit(unsigned long nr, const unsigned long *map)
{
	return (map[nr / BITS_PER_LONG] >> (nr % BITS_PER_LONG)) & 1;
}
static inline void __set_bit(unsigned long nr, unsigned long *map)
{
	map[nr / BITS_PER_LONG] |= 1UL << (nr % BITS_PER_LONG);
}
static inline void __clear_bit(unsigned long nr, unsigned long *map)
{
	map[nr / BITS_PER_LONG] &= ~(1UL << (nr % BITS_PER_LONG));
}
static inline unsigned long find_next_zero_bit(const unsigned long *map,
					       unsigned long size,
					       unsigned long start)
{
	for (; start < size; start++)
		if (!test_bit(start, map))
			return start;
	return size;
}
#define find_first_zero_bit(map, size)	find_next_zero_bit(map, size, 0)
static inline unsigned long find_next_bit(const unsigned long *map,
					  unsigned long size,
					  unsigned long start)
{
	for (; start < size; start++)
		if (test_bit(start, map))
			return start;
	return size;
}
#define for_each_set_bit(bit, map, size)				\
	for ((bit) = find_next_bit(map, size, 0); (bit) < (size);	\
	     (bit) = find_next_bit(map, size, (bit) + 1))
#define hweight_long(w)		__builtin_popcountl(w)
#ifndef offset_in_page
#define offset_in_page(p)	((unsigned long)(p) & (PAGE_SIZE - 1))
#endif
#define readl_relaxed(p)	readl(p)
#define readq_relaxed(p)	readq(p)
#define writel_relaxed(v, p)	writel(v, p)
#define writeq_relaxed(v, p)	writeq(v, p)
#define pr_debug(fmt, ...)	do { } while (0)
#define dev_err(dev, fmt, ...) \
	iox_compat_printf("%s: " fmt, dev_name(dev), ##__VA_ARGS__)
#define pr_err_ratelimited(fmt, ...)					\
	do {								\
		static int __rl_count;					\
		static long __rl_window;				\
		if (iox_compat_ratelimit(&__rl_count, &__rl_window))	\
			pr_err(fmt, ##__VA_ARGS__);			\
	} while (0)
#define dev_err_ratelimited(dev, fmt, ...)				\
	do {								\
		static int __rl_count;					\
		static long __rl_window;				\
		if (iox_compat_ratelimit(&__rl_count, &__rl_window))	\
			dev_err(dev, fmt, ##__VA_ARGS__);		\
	} while (0)
#define WARN_ON(cond)							\
	({								\
		bool __c = !!(cond);					\
		if (unlikely(__c))					\
			iox_compat_warn(__FILE__, __LINE__, #cond);	\
		unlikely(__c);						\
	})
#define WARN_ON_ONCE(cond)	WARN_ON(cond)
#define WARN(cond, fmt, ...)	WARN_ON(cond)
#define BUILD_BUG_ON(cond)	_Static_assert(!(cond), #cond)
/* The kernel's static_assert(expr[, msg]): the message is optional. */
#define __iox_static_assert(expr, msg, ...)	_Static_assert(expr, msg)
#define static_assert(expr, ...) \
	__iox_static_assert(expr, ##__VA_ARGS__, #expr)
/* Userspace has no kernel configuration: every option is off. */
#define IS_ENABLED(option)	0

size_t strscpy(char *dst, const char *src, size_t size);
u64 get_random_u64(void);

/* Modules: nothing to load; parameters come from IOX_PARAM_<name>. */
struct module;
#define THIS_MODULE		((struct module *)NULL)
#define EXPORT_SYMBOL_GPL(sym)
#define MODULE_DESCRIPTION(s)
#define MODULE_LICENSE(s)
#define MODULE_PARM_DESC(name, desc)
#define module_init(fn) \
	static int (*__module_init_fn)(void) __attribute__((unused)) = fn
#define module_exit(fn) \
	static void (*__module_exit_fn)(void) __attribute__((unused)) = fn
static inline bool try_module_get(struct module *m) { (void)m; return true; }
static inline void module_put(struct module *m) { (void)m; }
void iox_compat_param(const char *name, unsigned long *value);
#define module_param(name, type, perm)					\
	static void __attribute__((constructor)) __param_##name(void)	\
	{								\
		iox_compat_param(#name, &name);				\
	}

/* Devices and the DMA API. */
#include "iox-compat-dma.h"

#endif /* _IOX_COMPAT_H */
