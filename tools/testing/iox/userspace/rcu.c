// SPDX-License-Identifier: GPL-2.0
/*
 * RCU-sched for the userspace build, in the way of userspace RCU's
 * membarrier flavour (liburcu's urcu-memb): a reader only counts its
 * nesting in a thread-local word, with plain stores, as the kernel's
 * preempt_disable()/preempt_enable() do; the grace period pays instead.
 * It first forces a full memory barrier on every thread of the process
 * (membarrier(MEMBARRIER_CMD_PRIVATE_EXPEDITED)): after that, a reader
 * that entered its section before the barrier has made its count visible,
 * and one that enters later sees what the updater unlinked before the
 * grace period began. Then it waits until each thread running iox code
 * (each simulated CPU of iox-compat.h) is seen outside a section.
 */
#include <iox-compat.h>
#include <linux/membarrier.h>
#include <sys/syscall.h>
#include <unistd.h>

__thread int iox_compat_rcu_nest;

/* Per simulated CPU: its thread's nesting count. */
static int *rcu_nest[NR_CPUS];
static pthread_mutex_t rcu_gp_lock = PTHREAD_MUTEX_INITIALIZER;

/*
 * Callbacks queued by call_rcu(): run in batches, as the kernel's are,
 * so that one grace period serves many of them.
 */
#define RCU_BATCH	32
static struct rcu_head *rcu_pending;
static unsigned int rcu_nr_pending;
static pthread_mutex_t rcu_pending_lock = PTHREAD_MUTEX_INITIALIZER;

static int rcu_membarrier(int cmd)
{
	return syscall(__NR_membarrier, cmd, 0, 0);
}

/* The process registers for expedited barriers before its first use. */
static void __attribute__((constructor)) rcu_register(void)
{
	if (rcu_membarrier(MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED)) {
		perror("iox-compat: membarrier registration");
		abort();
	}
}

/**
 * iox_compat_rcu_online() - let grace periods see this thread's CPU
 * @cpu: the CPU the thread just took
 *
 * Context: iox_compat_cpu_enter(), outside any read-side section.
 */
void iox_compat_rcu_online(int cpu)
{
	pthread_mutex_lock(&rcu_gp_lock);
	rcu_nest[cpu] = &iox_compat_rcu_nest;
	pthread_mutex_unlock(&rcu_gp_lock);
}

/**
 * iox_compat_rcu_offline() - the thread gives its CPU back
 * @cpu: the CPU
 *
 * Waits for a grace period in progress to finish with the thread's count,
 * which goes away with the thread.
 *
 * Context: iox_compat_cpu_leave(), outside any read-side section.
 */
void iox_compat_rcu_offline(int cpu)
{
	if (iox_compat_rcu_nest)
		iox_compat_warn(__FILE__, __LINE__,
				"CPU given back inside a read-side section");
	pthread_mutex_lock(&rcu_gp_lock);
	rcu_nest[cpu] = NULL;
	pthread_mutex_unlock(&rcu_gp_lock);
}

/**
 * synchronize_rcu() - wait until every read-side section that began before
 * the call has ended
 *
 * Context: A thread outside any read-side section; may sleep.
 */
void synchronize_rcu(void)
{
	int cpu, self = raw_smp_processor_id();

	if (iox_compat_rcu_nest) {
		iox_compat_warn(__FILE__, __LINE__,
				"synchronize_rcu() inside a read-side section");
		return;
	}
	pthread_mutex_lock(&rcu_gp_lock);
	if (rcu_membarrier(MEMBARRIER_CMD_PRIVATE_EXPEDITED)) {
		perror("iox-compat: membarrier");
		abort();
	}
	for (cpu = 0; cpu < NR_CPUS; cpu++) {
		if (!rcu_nest[cpu] || cpu == self)
			continue;
		/* Seen at zero once: the section it was in has ended. */
		while (__atomic_load_n(rcu_nest[cpu], __ATOMIC_ACQUIRE))
			sched_yield();
	}
	pthread_mutex_unlock(&rcu_gp_lock);
}

/* Run every callback queued so far, after a grace period. */
static void rcu_run_pending(void)
{
	struct rcu_head *list, *next;

	pthread_mutex_lock(&rcu_pending_lock);
	list = rcu_pending;
	rcu_pending = NULL;
	rcu_nr_pending = 0;
	pthread_mutex_unlock(&rcu_pending_lock);
	if (!list)
		return;
	synchronize_rcu();
	for (; list; list = next) {
		next = list->next;
		list->func(list);
	}
}

/**
 * call_rcu() - run a callback after a grace period
 * @head: the callback's head, inside the object it frees
 * @func: the callback
 *
 * The callback is queued; every RCU_BATCH of them, a call from outside a
 * read-side section waits for a grace period and runs them all.
 * rcu_barrier() runs the rest.
 *
 * Context: Any thread.
 */
void call_rcu(struct rcu_head *head, rcu_callback_t func)
{
	bool full;

	head->func = func;
	pthread_mutex_lock(&rcu_pending_lock);
	head->next = rcu_pending;
	rcu_pending = head;
	full = ++rcu_nr_pending >= RCU_BATCH;
	pthread_mutex_unlock(&rcu_pending_lock);
	if (full && !iox_compat_rcu_nest)
		rcu_run_pending();
}

/**
 * rcu_barrier() - wait for every queued callback to have run
 *
 * Context: A thread outside any read-side section.
 */
void rcu_barrier(void)
{
	rcu_run_pending();
}
