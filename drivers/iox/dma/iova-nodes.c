// SPDX-License-Identifier: GPL-2.0
/*
 * Tree nodes of one IOVA space, carved from pages of their own: a node
 * costs a few instructions under the space's lock instead of a slab call
 * with the (raw) lock dropped. The first slot of each page is its header,
 * found from any node by masking the address; a page is given back once it
 * is empty and another page's worth of free nodes remains. In front of the
 * chunks, a short stack of the last freed nodes serves a free followed by
 * an allocation (the common churn) without touching the chunk lists.
 */
#include <linux/gfp.h>
#include <linux/kernel.h>
#include <linux/mm.h>
#include "iova-priv.h"

static inline struct iox_iova_chunk *node_chunk(struct iox_iova_node *node)
{
	return (struct iox_iova_chunk *)((unsigned long)node &
					 ~(IOX_IOVA_CHUNK_SIZE - 1));
}

/**
 * iox_iova_chunk_new() - allocate a page of nodes
 * @gfp: GFP_KERNEL or GFP_ATOMIC
 *
 * Context: As @gfp allows; no lock needed, the chunk belongs to no space.
 * Return: the chunk, every node free, or NULL.
 */
struct iox_iova_chunk *iox_iova_chunk_new(gfp_t gfp)
{
	struct page *page = alloc_page(gfp | __GFP_NOWARN);
	struct iox_iova_chunk *chunk;
	struct iox_iova_node *node;
	unsigned int i;

	BUILD_BUG_ON(sizeof(*chunk) > sizeof(*node));
	BUILD_BUG_ON(IOX_IOVA_CHUNK_SIZE % sizeof(*node));
	if (!page)
		return NULL;
	chunk = page_address(page);
	chunk->page = page;
	chunk->free = NULL;
	node = (struct iox_iova_node *)chunk;
	/* Slot 0 is the header; the lowest free node is handed out first. */
	for (i = IOX_IOVA_CHUNK_NODES; i >= 1; i--) {
		node[i].parent = chunk->free;
		chunk->free = &node[i];
	}
	chunk->nr_free = IOX_IOVA_CHUNK_NODES;
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
	list_add(&chunk->all, &space->chunks);
	list_add(&chunk->partial, &space->partial);
	space->nr_free += chunk->nr_free;
}

/**
 * iox_iova_chunk_node_alloc() - a free node of the space's chunks
 * @space: the space, locked
 *
 * iox_iova_node_alloc() when no spare node is left.
 *
 * Context: space->lock held.
 * Return: the node (contents undefined), or NULL if every chunk is full.
 */
struct iox_iova_node *iox_iova_chunk_node_alloc(struct iox_iova_space *space)
{
	struct iox_iova_chunk *chunk;
	struct iox_iova_node *node;

	if (unlikely(list_empty(&space->partial)))
		return NULL;
	chunk = list_first_entry(&space->partial, struct iox_iova_chunk,
				 partial);
	node = chunk->free;
	chunk->free = node->parent;
	space->nr_free--;
	if (!--chunk->nr_free)
		list_del(&chunk->partial);
	return node;
}

/**
 * iox_iova_chunk_node_free() - give a node back to its chunk
 * @space: the space, locked
 * @node: a node of @space, out of the tree
 * @garbage: a chunk that became empty while others hold a chunk's worth
 *	of free nodes is put here, for iox_iova_chunks_free() once the lock
 *	is dropped
 *
 * iox_iova_node_free() when the spare nodes are many enough.
 *
 * Context: space->lock held.
 */
void iox_iova_chunk_node_free(struct iox_iova_space *space,
			      struct iox_iova_node *node,
			      struct iox_iova_chunk **garbage)
{
	struct iox_iova_chunk *chunk = node_chunk(node);

	node->parent = chunk->free;
	chunk->free = node;
	space->nr_free++;
	if (!chunk->nr_free++)
		list_add(&chunk->partial, &space->partial);
	if (chunk->nr_free < IOX_IOVA_CHUNK_NODES ||
	    space->nr_free < 2 * IOX_IOVA_CHUNK_NODES)
		return;
	/* Empty, and another chunk's worth of nodes is free elsewhere. */
	list_del(&chunk->partial);
	list_del(&chunk->all);
	space->nr_free -= IOX_IOVA_CHUNK_NODES;
	chunk->free = (struct iox_iova_node *)*garbage;
	*garbage = chunk;
}

/**
 * iox_iova_chunks_free() - free chunks put aside by iox_iova_node_free()
 * @garbage: the list, linked through ->free; may be NULL
 *
 * Context: Any context; not under a raw spinlock.
 */
void iox_iova_chunks_free(struct iox_iova_chunk *garbage)
{
	struct iox_iova_chunk *next;

	for (; garbage; garbage = next) {
		next = (struct iox_iova_chunk *)garbage->free;
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

	list_for_each_entry_safe(chunk, next, &space->chunks, all)
		__free_page(chunk->page);
	INIT_LIST_HEAD(&space->chunks);
	INIT_LIST_HEAD(&space->partial);
	space->nr_free = 0;
	space->spare = NULL;
	space->nr_spare = 0;
}
