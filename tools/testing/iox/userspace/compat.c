// SPDX-License-Identifier: GPL-2.0
/*
 * Userspace implementations behind iox-compat.h.
 */
#include <iox-compat.h>
#include <time.h>
#include <sched.h>
#include <sys/random.h>

static long live_allocs;
static long warnings;
static unsigned long fail_countdown;
static const char *failed_site;

/**
 * iox_compat_alloc() - kmalloc() for userspace
 * @size: bytes
 * @gfp: GFP_* flags; __GFP_ZERO clears the memory
 * @align: alignment, 0 for malloc's
 * @site: "file:line" of the caller, recorded when fail-nth fails it
 *
 * Context: Any thread.
 * Return: the memory, or NULL when out of memory or chosen to fail.
 */
void *iox_compat_alloc(size_t size, gfp_t gfp, size_t align, const char *site)
{
	void *p;

	if (iox_compat_should_fail(site))
		return NULL;
	if (align) {
		if (posix_memalign(&p, align, size))
			return NULL;
	} else {
		p = malloc(size ? size : 1);
	}
	if (!p)
		return NULL;
	if (gfp & __GFP_ZERO)
		memset(p, 0, size);
	__atomic_add_fetch(&live_allocs, 1, __ATOMIC_SEQ_CST);
	return p;
}

/**
 * iox_compat_should_fail() - whether fail-nth picks this allocation
 * @site: "file:line" of the allocation, recorded when it is picked
 *
 * Context: Any thread.
 * Return: true if the allocation must fail.
 */
bool iox_compat_should_fail(const char *site)
{
	if (__atomic_load_n(&fail_countdown, __ATOMIC_RELAXED) &&
	    __atomic_sub_fetch(&fail_countdown, 1, __ATOMIC_SEQ_CST) == 0) {
		failed_site = site;
		return true;
	}
	return false;
}

/**
 * iox_compat_count_alloc() - account allocations made outside malloc
 * @delta: +1 for an allocation, -1 for a free
 *
 * Context: Any thread.
 */
void iox_compat_count_alloc(long delta)
{
	__atomic_add_fetch(&live_allocs, delta, __ATOMIC_SEQ_CST);
}

/**
 * iox_compat_free() - kfree() for userspace
 * @p: memory from iox_compat_alloc(), or NULL
 *
 * Context: Any thread.
 */
void iox_compat_free(const void *p)
{
	if (!p)
		return;
	__atomic_sub_fetch(&live_allocs, 1, __ATOMIC_SEQ_CST);
	free((void *)p);
}

/**
 * iox_compat_live_allocs() - allocations not yet freed
 *
 * Context: Any thread.
 * Return: the count.
 */
long iox_compat_live_allocs(void)
{
	return __atomic_load_n(&live_allocs, __ATOMIC_SEQ_CST);
}

/**
 * iox_compat_fail_nth() - make the nth allocation from now fail
 * @nth: 1 for the next allocation, 0 to stop failing
 *
 * Context: Any thread.
 */
void iox_compat_fail_nth(unsigned long nth)
{
	failed_site = NULL;
	__atomic_store_n(&fail_countdown, nth, __ATOMIC_SEQ_CST);
}

/**
 * iox_compat_failed_site() - where the injected failure hit
 *
 * Context: Any thread.
 * Return: "file:line" of the failed allocation, or NULL if none failed.
 */
const char *iox_compat_failed_site(void)
{
	return failed_site;
}

/**
 * iox_compat_warn() - record a WARN_ON that fired
 * @file: source file
 * @line: source line
 * @cond: the condition's text
 *
 * Context: Any thread.
 */
void iox_compat_warn(const char *file, int line, const char *cond)
{
	__atomic_add_fetch(&warnings, 1, __ATOMIC_SEQ_CST);
	fprintf(stderr, "WARNING: %s:%d: %s\n", file, line, cond);
}

/**
 * iox_compat_warnings() - WARNs fired so far
 *
 * Context: Any thread.
 * Return: the count.
 */
long iox_compat_warnings(void)
{
	return __atomic_load_n(&warnings, __ATOMIC_SEQ_CST);
}

/**
 * iox_compat_printf() - printk() for userspace: a line on stdout
 * @fmt: printf format
 *
 * Context: Any thread.
 */
void iox_compat_printf(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	fflush(stdout);
}

/**
 * iox_compat_ratelimit() - the kernel's default rate limit, 10 per 5 s
 * @count: messages let through in the current window
 * @window: start of the current window, in seconds
 *
 * Context: Any thread (approximate under races, as in the kernel).
 * Return: true if this message may be printed.
 */
bool iox_compat_ratelimit(int *count, long *window)
{
	long now = time(NULL);

	if (now - *window >= 5) {
		*window = now;
		*count = 0;
	}
	return (*count)++ < 10;
}

/**
 * strscpy() - bounded string copy that always terminates
 * @dst: destination
 * @src: source
 * @size: size of @dst
 *
 * Context: Any thread.
 * Return: characters copied, or -E2BIG cast to size_t when truncated.
 */
size_t strscpy(char *dst, const char *src, size_t size)
{
	size_t len = strnlen(src, size);

	if (!size)
		return (size_t)-E2BIG;
	if (len == size) {
		memcpy(dst, src, size - 1);
		dst[size - 1] = '\0';
		return (size_t)-E2BIG;
	}
	memcpy(dst, src, len + 1);
	return len;
}

/**
 * get_random_u64() - 64 random bits from the OS
 *
 * Context: Any thread.
 * Return: the bits.
 */
u64 get_random_u64(void)
{
	u64 v;

	if (getrandom(&v, sizeof(v), 0) != sizeof(v))
		v = (u64)time(NULL) * 0x9e3779b97f4a7c15ULL;
	return v;
}

/**
 * iox_compat_param() - a module parameter from the environment
 * @name: parameter name; read from IOX_PARAM_<name>
 * @value: left as is unless the variable holds a number
 *
 * Context: Program start-up.
 */
void iox_compat_param(const char *name, unsigned long *value)
{
	char var[128];
	const char *s;
	char *end;
	unsigned long v;

	snprintf(var, sizeof(var), "IOX_PARAM_%s", name);
	s = getenv(var);
	if (!s || !*s)
		return;
	v = strtoul(s, &end, 0);
	if (*end) {
		fprintf(stderr, "%s: not a number: %s\n", var, s);
		exit(2);
	}
	*value = v;
}

/**
 * dev_set_name() - name a device
 * @dev: the device
 * @fmt: printf format
 *
 * Context: Any thread.
 * Return: 0 or -ENOMEM.
 */
int dev_set_name(struct device *dev, const char *fmt, ...)
{
	va_list ap;
	char buf[64];

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	dev->name = kmalloc(strlen(buf) + 1, GFP_KERNEL);
	if (!dev->name)
		return -ENOMEM;
	strcpy(dev->name, buf);
	return 0;
}

/**
 * put_device() - drop the only reference of a device: release it
 * @dev: the device
 *
 * Context: Any thread.
 */
void put_device(struct device *dev)
{
	kfree(dev->name);
	dev->name = NULL;
	if (dev->release)
		dev->release(dev);
}

/**
 * init_completion() - prepare a completion
 * @x: the completion
 *
 * Context: Any thread.
 */
void init_completion(struct completion *x)
{
	pthread_mutex_init(&x->m, NULL);
	pthread_cond_init(&x->c, NULL);
	x->done = 0;
}

/**
 * complete() - wake one waiter of a completion
 * @x: the completion
 *
 * Context: Any thread.
 */
void complete(struct completion *x)
{
	pthread_mutex_lock(&x->m);
	x->done++;
	pthread_cond_signal(&x->c);
	pthread_mutex_unlock(&x->m);
}

/**
 * wait_for_completion() - wait until a completion is completed
 * @x: the completion
 *
 * Context: Any thread.
 */
void wait_for_completion(struct completion *x)
{
	pthread_mutex_lock(&x->m);
	while (!x->done)
		pthread_cond_wait(&x->c, &x->m);
	x->done--;
	pthread_mutex_unlock(&x->m);
}

struct compat_thread {
	int (*fn)(void *data);
	void *data;
};

static void *compat_thread_main(void *arg)
{
	struct compat_thread t = *(struct compat_thread *)arg;

	free(arg);
	iox_compat_cpu_enter();
	t.fn(t.data);
	iox_compat_cpu_leave();
	return NULL;
}

/**
 * iox_compat_thread_run() - kthread_run() for userspace: a detached thread
 * @fn: thread function
 * @data: its argument
 *
 * Context: Any thread.
 * Return: a non-error cookie, or ERR_PTR(-EAGAIN).
 */
struct task_struct *iox_compat_thread_run(int (*fn)(void *), void *data)
{
	struct compat_thread *t = malloc(sizeof(*t));
	pthread_t tid;

	if (!t)
		return ERR_PTR(-ENOMEM);
	t->fn = fn;
	t->data = data;
	if (pthread_create(&tid, NULL, compat_thread_main, t)) {
		free(t);
		return ERR_PTR(-EAGAIN);
	}
	pthread_detach(tid);
	return (struct task_struct *)t;
}

/**
 * kthread_complete_and_exit() - end a kthread_run() thread
 * @done: completed first, for whoever waits for the thread to be gone
 * @code: its exit code
 *
 * Context: A kthread_run() thread, which this ends.
 */
void kthread_complete_and_exit(struct completion *done, long code)
{
	complete(done);
	iox_compat_cpu_leave();
	pthread_exit(NULL);
}

/**
 * udelay() - wait a number of microseconds
 * @us: how many
 *
 * Context: Any thread.
 */
void udelay(unsigned long us)
{
	struct timespec now, end;

	clock_gettime(CLOCK_MONOTONIC, &end);
	end.tv_nsec += us * 1000;
	end.tv_sec += end.tv_nsec / 1000000000L;
	end.tv_nsec %= 1000000000L;
	do {
		sched_yield();
		clock_gettime(CLOCK_MONOTONIC, &now);
	} while (now.tv_sec < end.tv_sec ||
		 (now.tv_sec == end.tv_sec && now.tv_nsec < end.tv_nsec));
}

/**
 * usleep_range() - sleep a number of microseconds
 * @min: at least this many
 * @max: at most this many, as far as the scheduler allows
 *
 * Context: Any thread.
 */
void usleep_range(unsigned long min, unsigned long max)
{
	struct timespec ts = { .tv_sec = min / 1000000,
			       .tv_nsec = (min % 1000000) * 1000L };

	while (nanosleep(&ts, &ts))
		;
}

/**
 * iox_compat_raw_spin_wait() - the contended part of raw_spin_lock()
 * @l: the lock, found taken
 *
 * Context: Any thread.
 */
void iox_compat_raw_spin_wait(raw_spinlock_t *l)
{
	do {
		while (__atomic_load_n(&l->locked, __ATOMIC_RELAXED))
			sched_yield();
	} while (__atomic_exchange_n(&l->locked, 1, __ATOMIC_ACQUIRE));
}

/* Simulated CPUs: a bitmap of the ones held, each by one thread. */
__thread unsigned long iox_compat_cpu_off = -IOX_COMPAT_PCPU_STRIDE;
static unsigned long compat_cpus_held;
static pthread_mutex_t compat_cpus_lock = PTHREAD_MUTEX_INITIALIZER;

/**
 * iox_compat_cpu_enter() - give this thread a CPU of its own
 *
 * A thread that holds one already keeps it (and must leave once). Running
 * out of CPUs is a harness bug: more threads run iox code at once than
 * NR_CPUS, and the program stops.
 *
 * Context: Any thread.
 */
void iox_compat_cpu_enter(void)
{
	int cpu;

	if (raw_smp_processor_id() >= 0)
		return;
	pthread_mutex_lock(&compat_cpus_lock);
	cpu = __builtin_ffsl(~compat_cpus_held) - 1;
	if (cpu < 0 || cpu >= NR_CPUS) {
		fprintf(stderr, "iox-compat: more than %d threads at once\n",
			NR_CPUS);
		abort();
	}
	compat_cpus_held |= 1UL << cpu;
	pthread_mutex_unlock(&compat_cpus_lock);
	iox_compat_cpu_off = cpu * IOX_COMPAT_PCPU_STRIDE;
	iox_compat_rcu_online(cpu);
}

/**
 * iox_compat_cpu_leave() - give back this thread's CPU
 *
 * Context: A thread that holds one.
 */
void iox_compat_cpu_leave(void)
{
	iox_compat_rcu_offline(raw_smp_processor_id());
	pthread_mutex_lock(&compat_cpus_lock);
	compat_cpus_held &= ~(1UL << raw_smp_processor_id());
	pthread_mutex_unlock(&compat_cpus_lock);
	iox_compat_cpu_off = -IOX_COMPAT_PCPU_STRIDE;
}

/* The main thread holds CPU 0 from start-up. */
static void __attribute__((constructor)) compat_main_cpu(void)
{
	iox_compat_cpu_enter();
}
