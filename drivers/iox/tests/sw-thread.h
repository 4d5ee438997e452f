/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The thread of a software unit (a test model of an IOMMU that runs its
 * command queue at its own pace: iox_amd_cmdq's, iox_smmu_cmdq's).
 *
 * The driver under test spins, interrupts off, until the unit completes
 * its commands; a real unit runs meanwhile, and so must the model's
 * thread. In the kernel that takes a second CPU: the thread is bound to
 * one CPU and the test to another until iox_sw_thread_unpin(). In
 * userspace, threads preempt one another.
 */
#ifndef _IOX_TESTS_SW_THREAD_H
#define _IOX_TESTS_SW_THREAD_H

#include <linux/completion.h>
#include <linux/delay.h>
#include <linux/err.h>
#include <linux/kthread.h>
#include <linux/kernel.h>
#include <linux/sched.h>
#ifndef IOX_USERSPACE
#include <linux/cpumask.h>
#endif

/* Can a software unit run while the driver waits for it? */
static inline bool iox_sw_thread_can_run(void)
{
#ifdef IOX_USERSPACE
	return true;
#else
	return num_online_cpus() >= 2;
#endif
}

/**
 * struct iox_sw_thread - a software unit's thread: a look, a sleep, again
 * @poll: one look of the unit at its registers and queues
 * @arg: @poll's argument
 * @period_us: the sleep between looks
 * @stop: set to end the thread
 * @exited: completed as the thread ends
 */
struct iox_sw_thread {
	void (*poll)(void *arg);
	void *arg;
	unsigned int period_us;
	bool stop;
	struct completion exited;
};

static inline int iox_sw_thread_main(void *data)
{
	struct iox_sw_thread *t = data;

	while (!READ_ONCE(t->stop)) {
		usleep_range(t->period_us, 2 * t->period_us);
		t->poll(t->arg);
	}
	kthread_complete_and_exit(&t->exited, 0);
}

/*
 * Run @fn(@data) as the unit's thread; in the kernel, bound to another
 * CPU than the caller's, and the caller to its own.
 */
static inline int iox_sw_thread_spawn(int (*fn)(void *), void *data,
				      const char *name)
{
#ifdef IOX_USERSPACE
	return PTR_ERR_OR_ZERO(kthread_run(fn, data, "%s", name));
#else
	unsigned int me = raw_smp_processor_id();
	unsigned int cpu = cpumask_any_but(cpu_online_mask, me);
	struct task_struct *t;
	int ret;

	if (cpu >= nr_cpu_ids)
		return -ENODEV;
	ret = set_cpus_allowed_ptr(current, cpumask_of(me));
	if (ret)
		return ret;
	t = kthread_create(fn, data, "%s", name);
	if (IS_ERR(t)) {
		set_cpus_allowed_ptr(current, cpu_possible_mask);
		return PTR_ERR(t);
	}
	kthread_bind(t, cpu);
	wake_up_process(t);
	return 0;
#endif
}

/* The caller may run on any CPU again (after its unit's thread ended). */
static inline void iox_sw_thread_unpin(void)
{
#ifndef IOX_USERSPACE
	set_cpus_allowed_ptr(current, cpu_possible_mask);
#endif
}

/*
 * Start @t: @poll(@arg) every @period_us (at least 1) or a little more,
 * on a CPU of its own (see above). 0, -ENODEV without one, or an errno.
 */
static inline int iox_sw_thread_start(struct iox_sw_thread *t,
				      void (*poll)(void *arg), void *arg,
				      unsigned int period_us, const char *name)
{
	if (!iox_sw_thread_can_run())
		return -ENODEV;
	t->poll = poll;
	t->arg = arg;
	t->period_us = max(period_us, 1U);
	t->stop = false;
	init_completion(&t->exited);
	return iox_sw_thread_spawn(iox_sw_thread_main, t, name);
}

/* End @t, started, and wait until it is gone. */
static inline void iox_sw_thread_stop(struct iox_sw_thread *t)
{
	WRITE_ONCE(t->stop, true);
	wait_for_completion(&t->exited);
	iox_sw_thread_unpin();
}

#endif /* _IOX_TESTS_SW_THREAD_H */
