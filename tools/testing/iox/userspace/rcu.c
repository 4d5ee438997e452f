// SPDX-License-Identifier: GPL-2.0
/*
 * RCU-sched for the userspace build: the read side is the kernel's
 * preempt_disable()/preempt_enable() on a per-thread count, and a grace
 * period waits until every simulated CPU (iox-compat.h: one per thread
 * running iox code) has been seen outside a read-side section.
 *
 * As the kernel folds "reschedule wanted" into its preempt count so that
 * preempt_enable() tests one value, the count here carries an inverted
 * "quiescent state wanted" bit: the outermost exit reaches zero, and calls
 * out, only when a grace period asked this CPU to report. The read side is
 * one atomic add on entry and one subtract and branch on exit, the
 * kernel's instruction count; atomic because the waiter clears the bit from
 * another thread.
 */
#include <iox-compat.h>
#include <sched.h>

__thread int iox_compat_preempt = IOX_COMPAT_QS_UNWANTED;

/* Per simulated CPU: its thread's count and quiescent states reported. */
static int *rcu_count[NR_CPUS];
unsigned long iox_compat_rcu_qs[NR_CPUS];
static pthread_mutex_t rcu_gp_lock = PTHREAD_MUTEX_INITIALIZER;

/* Callbacks queued by call_rcu() inside a read-side section. */
static struct rcu_head *rcu_pending;
static pthread_mutex_t rcu_pending_lock = PTHREAD_MUTEX_INITIALIZER;

/**
 * iox_compat_rcu_online() - let grace periods see this thread's CPU
 * @cpu: the CPU the thread just took
 *
 * Context: iox_compat_cpu_enter(), outside any read-side section.
 */
void iox_compat_rcu_online(int cpu)
{
	pthread_mutex_lock(&rcu_gp_lock);
	rcu_count[cpu] = &iox_compat_preempt;
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
	if (iox_compat_preempt & ~IOX_COMPAT_QS_UNWANTED)
		iox_compat_warn(__FILE__, __LINE__,
				"CPU given back inside a read-side section");
	pthread_mutex_lock(&rcu_gp_lock);
	rcu_count[cpu] = NULL;
	pthread_mutex_unlock(&rcu_gp_lock);
}

static int nesting(const int *count)
{
	return __atomic_load_n(count, __ATOMIC_SEQ_CST) &
	       ~IOX_COMPAT_QS_UNWANTED;
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
	unsigned long seen;
	int *count;

	if (nesting(&iox_compat_preempt)) {
		iox_compat_warn(__FILE__, __LINE__,
				"synchronize_rcu() inside a read-side section");
		return;
	}
	pthread_mutex_lock(&rcu_gp_lock);
	for (cpu = 0; cpu < NR_CPUS; cpu++) {
		count = rcu_count[cpu];
		if (!count || cpu == self || !nesting(count))
			continue;
		/* Inside a section: ask its exit to report. */
		seen = __atomic_load_n(&iox_compat_rcu_qs[cpu], __ATOMIC_SEQ_CST);
		__atomic_and_fetch(count, ~IOX_COMPAT_QS_UNWANTED,
				   __ATOMIC_SEQ_CST);
		while (nesting(count) &&
		       __atomic_load_n(&iox_compat_rcu_qs[cpu], __ATOMIC_SEQ_CST) == seen)
			sched_yield();
	}
	pthread_mutex_unlock(&rcu_gp_lock);
}

/* Run every callback queued so far, after a grace period. */
static void rcu_run_pending(struct rcu_head *more)
{
	struct rcu_head *list, *next;

	pthread_mutex_lock(&rcu_pending_lock);
	list = rcu_pending;
	rcu_pending = NULL;
	pthread_mutex_unlock(&rcu_pending_lock);
	if (more) {
		more->next = list;
		list = more;
	}
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
 * Outside a read-side section the grace period is waited for here and the
 * callback runs before the return; inside one it is queued for the next
 * call_rcu() or rcu_barrier() from outside.
 *
 * Context: Any thread.
 */
void call_rcu(struct rcu_head *head, rcu_callback_t func)
{
	head->func = func;
	if (nesting(&iox_compat_preempt)) {
		pthread_mutex_lock(&rcu_pending_lock);
		head->next = rcu_pending;
		rcu_pending = head;
		pthread_mutex_unlock(&rcu_pending_lock);
		return;
	}
	rcu_run_pending(head);
}

/**
 * rcu_barrier() - wait for every queued callback to have run
 *
 * Context: A thread outside any read-side section.
 */
void rcu_barrier(void)
{
	rcu_run_pending(NULL);
}
