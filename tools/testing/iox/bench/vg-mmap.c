// SPDX-License-Identifier: GPL-2.0
/*
 * Valgrind's address space on amd64 is smaller than the 64 GiB reserved
 * page arena of the userspace compat layer (tools/testing/iox/userspace/
 * pages.c). The benchmark is linked with -Wl,--wrap=mmap so that, under
 * Valgrind only, a large MAP_NORESERVE reservation is cut to 16 GiB. The
 * arena hands out pages from its start and the benchmark uses a few MiB of
 * them, so nothing beyond the cut is ever touched; outside Valgrind the
 * call passes through unchanged.
 */
#include <sys/mman.h>
#include <valgrind/valgrind.h>

#define VG_MMAP_MAX	(16UL << 30)

void *__real_mmap(void *addr, size_t len, int prot, int flags, int fd,
		  off_t off);

/**
 * __wrap_mmap() - mmap() with large reservations shrunk under Valgrind
 * @addr: address hint
 * @len: bytes
 * @prot: PROT_* flags
 * @flags: MAP_* flags
 * @fd: file descriptor, -1 for anonymous memory
 * @off: file offset
 *
 * Context: Any thread.
 * Return: as mmap().
 */
void *__wrap_mmap(void *addr, size_t len, int prot, int flags, int fd,
		  off_t off)
{
	if (RUNNING_ON_VALGRIND && (flags & MAP_NORESERVE) &&
	    len > VG_MMAP_MAX)
		len = VG_MMAP_MAX;
	return __real_mmap(addr, len, prot, flags, fd, off);
}
