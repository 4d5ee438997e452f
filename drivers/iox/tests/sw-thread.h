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

#include <linux/err.h>
#include <linux/kthread.h>
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

/*
 * Start @fn(@data) as the unit's thread; in the kernel, bound to another
 * CPU than the caller's, and the caller to its own.
 */
static inline int iox_sw_thread_start(int (*fn)(void *), void *data,
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

#endif /* _IOX_TESTS_SW_THREAD_H */
