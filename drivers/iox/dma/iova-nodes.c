// SPDX-License-Identifier: GPL-2.0
/*
 * Tree nodes of one IOVA space, carved from pages of their own, one kind
 * of node (leaf or interior) per page: a node costs a few instructions
 * under the space's (raw) lock instead of a slab call with the lock
 * dropped. Each page starts with its header, found from any node by
 * masking the address. A page is given back once it is empty and its
 * kind's other pages hold enough free nodes for the largest insertion
 * and a page's worth more.
 */
#include <linux/gfp.h>
#include <linux/kernel.h>
#include <linux/mm.h>
#include "iova-priv.h"

static const unsigned int node_size[IOX_IOVA_KINDS] = {
	[IOX_IOVA_LEAF] = sizeof(struct iox_iova_leaf),
	[IOX_IOVA_INNER] = sizeof(struct iox_iova_inner),
};

static inline struct iox_iova_chunk *node_chunk(void *node)
{
	return (struct iox_iova_chunk *)((unsigned long)node &
					 ~(IOX_IOVA_CHUNK_SIZE - 1));
}

/**
 * iox_iova_nodes_get() - free nodes for any insertion
 * @space: the space, locked
 * @flags: the flags its lock was taken with
 *
 * An insertion may split every level and add a root. New chunks are
 * allocated with the lock dropped for the moment (taken again before
 * return), so the caller looks at the tree again after a call that
 * allocated.
 *
 * Context: space->lock held (with @flags); GFP_ATOMIC.
 * Return: true if the space has the nodes, false if memory ran out.
 */
bool iox_iova_nodes_get(struct iox_iova_space *space, unsigned long *flags)
	__must_hold(&space->lock)
{
	struct iox_iova_chunk *chunk;
	unsigned int kind;

	for (kind = 0; kind < IOX_IOVA_KINDS; kind++) {
		while (space->pool[kind].nr_free <
		       iox_iova_nodes_wanted(space, kind)) {
			raw_spin_unlock_irqrestore(&space->lock, *flags);
			chunk = iox_iova_chunk_new(kind, GFP_ATOMIC);
			raw_spin_lock_irqsave(&space->lock, *flags);
			if (!chunk)
				return false;
			iox_iova_chunk_add(space, chunk);
		}
	}
	return true;
}

/**
 * iox_iova_chunk_new() - allocate a page of nodes
 * @kind: enum iox_iova_kind of its nodes
 * @gfp: GFP_KERNEL or GFP_ATOMIC
 *
 * Context: As @gfp allows; no lock needed, the chunk belongs to no space.
 * Return: the chunk, every node free, or NULL.
 */
struct iox_iova_chunk *iox_iova_chunk_new(enum iox_iova_kind kind, gfp_t gfp)
{
	struct page *page = alloc_page(gfp | __GFP_NOWARN);
	unsigned int i, nr = iox_iova_chunk_nodes(kind);
	struct iox_iova_chunk *chunk;
	void *node;

	BUILD_BUG_ON(sizeof(*chunk) > IOX_IOVA_CHUNK_HDR);
	BUILD_BUG_ON(IOX_IOVA_CHUNK_INNERS < 2);
	if (!page)
		return NULL;
	chunk = page_address(page);
	chunk->page = page;
	chunk->kind = kind;
	chunk->free = NULL;
	/* The lowest free node is handed out first. */
	for (i = nr; i--;) {
		node = (void *)chunk + IOX_IOVA_CHUNK_HDR + i * node_size[kind];
		*(void **)node = chunk->free;
		chunk->free = node;
	}
	chunk->nr_free = nr;
	INIT_LIST_HEAD(&chunk->partial);
	return chunk;
}

/**
 * iox_iova_chunk_add() - give a space a fresh chunk
 * @space: the space, locked
 * @chunk: from iox_iova_chunk_new()
 *
 * Context: space->lock held.
 */
void iox_iova_chunk_add(struct iox_iova_space *space,
			struct iox_iova_chunk *chunk)
{
	struct iox_iova_pool *pool = &space->pool[chunk->kind];

	list_add(&chunk->all, &space->chunks);
	list_add(&chunk->partial, &pool->partial);
	pool->nr_free += chunk->nr_free;
}

/**
 * iox_iova_node_alloc() - a free node of the space's chunks
 * @space: the space, locked
 * @kind: enum iox_iova_kind
 *
 * Context: space->lock held.
 * Return: the node (contents undefined), or NULL if every chunk of @kind
 * is full.
 */
void *iox_iova_node_alloc(struct iox_iova_space *space,
			  enum iox_iova_kind kind)
{
	struct iox_iova_pool *pool = &space->pool[kind];
	struct iox_iova_chunk *chunk;
	void *node;

	if (unlikely(list_empty(&pool->partial)))
		return NULL;
	chunk = list_first_entry(&pool->partial, struct iox_iova_chunk,
				 partial);
	node = chunk->free;
	chunk->free = *(void **)node;
	pool->nr_free--;
	if (!--chunk->nr_free)
		list_del(&chunk->partial);
	return node;
}

/**
 * iox_iova_node_free() - give a node back to its chunk
 * @space: the space, locked
 * @node: a node of @space, out of the tree
 * @garbage: a chunk that became empty while the others of its kind hold
 *	enough free nodes is put here, for iox_iova_chunks_free() once the
 *	lock is dropped
 *
 * Context: space->lock held.
 */
void iox_iova_node_free(struct iox_iova_space *space, void *node,
			struct iox_iova_chunk **garbage)
{
	struct iox_iova_chunk *chunk = node_chunk(node);
	unsigned int per_chunk = iox_iova_chunk_nodes(chunk->kind);
	struct iox_iova_pool *pool = &space->pool[chunk->kind];
	unsigned long keep;

	*(void **)node = chunk->free;
	chunk->free = node;
	pool->nr_free++;
	if (!chunk->nr_free++)
		list_add(&chunk->partial, &pool->partial);
	if (chunk->nr_free < per_chunk)
		return;
	keep = max_t(unsigned long, per_chunk,
		     iox_iova_nodes_wanted(space, chunk->kind));
	if (pool->nr_free < per_chunk + keep)
		return;
	/* Empty, and the other chunks have enough free nodes. */
	list_del(&chunk->partial);
	list_del(&chunk->all);
	pool->nr_free -= per_chunk;
	chunk->free = *garbage;
	*garbage = chunk;
}

/**
 * iox_iova_chunks_release() - free chunks put aside by iox_iova_node_free()
 * @garbage: the list, linked through ->free; may be NULL
 *
 * iox_iova_chunks_free() when there is something to free.
 *
 * Context: Any context; not under a raw spinlock.
 */
void iox_iova_chunks_release(struct iox_iova_chunk *garbage)
{
	struct iox_iova_chunk *next;

	for (; garbage; garbage = next) {
		next = garbage->free;
		__free_page(garbage->page);
	}
}

/**
 * iox_iova_chunks_destroy() - free every chunk of a space
 * @space: the space, no longer used
 *
 * Context: Process context; no other call on @space may run.
 */
void iox_iova_chunks_destroy(struct iox_iova_space *space)
{
	struct iox_iova_chunk *chunk, *next;
	unsigned int kind;

	list_for_each_entry_safe(chunk, next, &space->chunks, all)
		__free_page(chunk->page);
	INIT_LIST_HEAD(&space->chunks);
	for (kind = 0; kind < IOX_IOVA_KINDS; kind++) {
		INIT_LIST_HEAD(&space->pool[kind].partial);
		space->pool[kind].nr_free = 0;
	}
}
