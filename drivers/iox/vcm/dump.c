// SPDX-License-Identifier: GPL-2.0
/*
 * VCM: the graph as text, one object per line, for debugfs
 * (/sys/kernel/debug/iox/vcm) and the tests that read it back:
 *
 *   vcm <id> <iommu|cpu|direct> window <first>-<last> pgsizes <bitmap>
 *   res <vcm id> <addr> <size> prot <prot> phys <set id or ->[ cpu-users <n>]
 *	[ user-maps <n>]
 *   assoc <vcm id> <device> <active|idle>
 *   phys <id> size <bytes> chunks <n>
 *   chunk <set id> <physical address> <bytes>
 *
 * Numbers are hexadecimal with 0x, ids decimal.
 */
#define pr_fmt(fmt) "iox-vcm: " fmt

#include <linux/device.h>
#include <linux/kernel.h>
#include <linux/mm.h>
#include <linux/io.h>
#include <linux/module.h>
#include "vcm-priv.h"

static const char *const vcm_mapper_names[] = {
	[VCM_MAPPER_IOMMU] = "iommu",
	[VCM_MAPPER_CPU] = "cpu",
	[VCM_MAPPER_DIRECT] = "direct",
};

struct vcm_out {
	char *buf;
	size_t size;
	size_t len;
};

static __printf(2, 3) void vcm_out(struct vcm_out *o, const char *fmt, ...)
{
	va_list args;
	int n;

	va_start(args, fmt);
	n = vsnprintf(o->len < o->size ? o->buf + o->len : NULL,
		      o->len < o->size ? o->size - o->len : 0, fmt, args);
	va_end(args);
	o->len += n;
}

static void vcm_dump_vcm(struct vcm_out *o, struct vcm *vcm)
{
	struct vcm_assoc *assoc;
	struct vcm_res *res;

	vcm_out(o, "vcm %u %s window %#llx-%#llx pgsizes %#lx\n", vcm->id,
		vcm_mapper_names[vcm->mapper], vcm->start, vcm->last,
		vcm->pgsizes);
	list_for_each_entry(res, &vcm->res, node) {
		vcm_out(o, "res %u %#llx %#zx prot %#x phys ", vcm->id,
			res->addr, res->size, res->prot);
		if (res->phys)
			vcm_out(o, "%u", res->phys->id);
		else
			vcm_out(o, "-");
		if (res->cpu_users)
			vcm_out(o, " cpu-users %u", res->cpu_users);
		if (!list_empty(&res->user_maps))
			vcm_out(o, " user-maps %u", vcm_res_nr_user_maps(res));
		vcm_out(o, "\n");
	}
	list_for_each_entry(assoc, &vcm->assocs, node)
		vcm_out(o, "assoc %u %s %s\n", vcm->id, dev_name(assoc->dev),
			assoc->active ? "active" : "idle");
}

/**
 * vcm_graph_dump() - the graph as text
 * @buf: where to write it
 * @size: room in @buf
 *
 * Every VCM with its reservations and associations, then every physical
 * set with its chunks, in the format at the top of this file.
 *
 * Context: Process context; takes vcm_lock.
 * Return: the length of the whole text: if it is @size or more, @buf
 * holds only its first @size - 1 bytes (and a NUL, if @size).
 */
size_t vcm_graph_dump(char *buf, size_t size)
{
	struct vcm_out o = { .buf = buf, .size = size };
	struct vcm_phys *phys;
	struct vcm *vcm;
	unsigned int i;

	if (size)
		buf[0] = '\0';
	mutex_lock(&vcm_lock);
	list_for_each_entry(vcm, &vcm_list, node)
		vcm_dump_vcm(&o, vcm);
	list_for_each_entry(phys, &vcm_phys_list, node) {
		vcm_out(&o, "phys %u size %#zx chunks %u\n", phys->id,
			phys->size, phys->nr_chunks);
		for (i = 0; i < phys->nr_chunks; i++)
			vcm_out(&o, "chunk %u %#llx %#zx\n", phys->id,
				(u64)page_to_phys(phys->chunks[i].page),
				vcm_chunk_bytes(&phys->chunks[i]));
	}
	mutex_unlock(&vcm_lock);
	return o.len;
}
EXPORT_SYMBOL_GPL(vcm_graph_dump);
