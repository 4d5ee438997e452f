// SPDX-License-Identifier: GPL-2.0
/*
 * The process of the VCM pipeline's user case (iox_vcm_pipeline,
 * drivers/iox/tests/vcm_pipeline_test.c), run by the suite in the vm-vtd
 * VM: it checks that vcm_mmap() refuses a mapping larger than the frame
 * and a private one, maps the frame buffer through the suite's file,
 * checks frame 1 through its mapping, writes "next" to the file (the
 * suite migrates the frame to new pages under the mapping and decodes
 * frame 2 into them), checks frame 2 through the same mapping, and writes
 * 0xa5 at the mark offset for the suite to find in the new pages.
 *
 * Usage: vcm-user FILE SIZE SLICE SEED1 SEED2 MARK OFF...
 *   slice k of frame f, at OFF k, holds SLICE bytes of the pattern of
 *   seed SEEDf + k: byte i is seed + 7 i + (i >> 8), modulo 256.
 * Exit status: 0; 2 usage; 3 open; 4 mmap; 5 frame 1 wrong; 6 the write
 * failed; 7 frame 2 wrong; 8 a larger mapping was not refused with EINVAL;
 * 9 a private one was not.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

/* The first byte of @p that is not the pattern of @seed, or -1. */
static long mismatch(const unsigned char *p, unsigned long len,
		     unsigned int seed)
{
	unsigned long i;

	for (i = 0; i < len; i++)
		if (p[i] != (unsigned char)(seed + i * 7 + (i >> 8)))
			return (long)i;
	return -1;
}

static int check_frame(const unsigned char *map, unsigned long slice,
		       unsigned int seed, char **offs, int nr, int frame)
{
	unsigned long off;
	long bad;
	int k;

	for (k = 0; k < nr; k++) {
		off = strtoul(offs[k], NULL, 0);
		bad = mismatch(map + off, slice, seed + k);
		if (bad >= 0) {
			fprintf(stderr, "vcm-user: frame %d slice %d: byte %ld is %#x\n",
				frame, k, bad, map[off + bad]);
			return -1;
		}
	}
	printf("vcm-user: frame %d: %d slices right through the mapping\n",
	       frame, nr);
	return 0;
}

int main(int argc, char **argv)
{
	unsigned long size, slice, mark;
	unsigned int seed1, seed2;
	unsigned char *map;
	int fd;

	if (argc < 8)
		return 2;
	size = strtoul(argv[2], NULL, 0);
	slice = strtoul(argv[3], NULL, 0);
	seed1 = strtoul(argv[4], NULL, 0);
	seed2 = strtoul(argv[5], NULL, 0);
	mark = strtoul(argv[6], NULL, 0);
	if (mark >= size)
		return 2;
	fd = open(argv[1], O_RDWR);
	if (fd < 0)
		return 3;
	map = mmap(NULL, size + 4096, PROT_READ, MAP_SHARED, fd, 0);
	if (map != MAP_FAILED || errno != EINVAL)
		return 8;
	map = mmap(NULL, size, PROT_READ, MAP_PRIVATE, fd, 0);
	if (map != MAP_FAILED || errno != EINVAL)
		return 9;
	map = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (map == MAP_FAILED)
		return 4;
	if (check_frame(map, slice, seed1, argv + 7, argc - 7, 1))
		return 5;
	if (write(fd, "next", 4) != 4)
		return 6;
	if (check_frame(map, slice, seed2, argv + 7, argc - 7, 2))
		return 7;
	map[mark] = 0xa5;
	munmap(map, size);
	close(fd);
	return 0;
}
