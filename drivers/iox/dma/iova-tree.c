// SPDX-License-Identifier: GPL-2.0
/*
 * The IOVA space's tree: an AVL tree of occupied ranges keyed by first
 * pfn, each node augmented with its subtree's span (first, last) and the
 * largest free gap between neighbouring nodes inside the subtree. The idea
 * is FreeBSD's sys/dev/iommu/iommu_gas.c (a red-black tree with "free_down");
 * this tree and its search are iox's own.
 *
 * Both ends of the space are reserved nodes, so every free granule lies in
 * a gap between two nodes and a subtree's augmentation depends on its
 * children only: rotations and updates are local.
 */
#include <linux/kernel.h>
#include "iova-priv.h"

static inline unsigned int node_height(const struct iox_iova_node *n)
{
	return n ? n->height : 0;
}

/* Gap between the end of @lo_hi and @hi_lo, both occupied. */
static inline unsigned long gap_between(unsigned long lo_hi,
					unsigned long hi_lo)
{
	return hi_lo - lo_hi - 1;
}

/* Recompute @n's augmentation from its children; true if it changed. */
static bool node_update(struct iox_iova_node *n)
{
	const struct iox_iova_node *l = n->left, *r = n->right;
	unsigned long first = n->lo, last = n->hi, gap = 0;
	unsigned int h = 1;

	if (l) {
		first = l->first;
		gap = max(l->max_gap, gap_between(l->last, n->lo));
		h = l->height + 1;
	}
	if (r) {
		last = r->last;
		gap = max3(gap, r->max_gap, gap_between(n->hi, r->first));
		h = max(h, r->height + 1U);
	}
	if (n->first == first && n->last == last && n->max_gap == gap &&
	    n->height == h)
		return false;
	n->first = first;
	n->last = last;
	n->max_gap = gap;
	n->height = h;
	return true;
}

/**
 * iox_iova_node_init() - make a node a leaf holding one range
 * @node: the node
 * @lo: first occupied pfn
 * @hi: last occupied pfn (a guard included)
 * @kind: enum iox_iova_kind
 *
 * Context: Any context.
 */
void iox_iova_node_init(struct iox_iova_node *node, unsigned long lo,
			unsigned long hi, enum iox_iova_kind kind)
{
	node->left = NULL;
	node->right = NULL;
	node->parent = NULL;
	node->lo = lo;
	node->hi = hi;
	node->first = lo;
	node->last = hi;
	node->max_gap = 0;
	node->height = 1;
	node->kind = kind;
}

static void replace_child(struct iox_iova_space *space,
			  struct iox_iova_node *parent,
			  struct iox_iova_node *old, struct iox_iova_node *new)
{
	if (!parent)
		space->root = new;
	else if (parent->left == old)
		parent->left = new;
	else
		parent->right = new;
}

/* @x's right child takes its place; returns it. */
static struct iox_iova_node *rotate_left(struct iox_iova_space *space,
					 struct iox_iova_node *x)
{
	struct iox_iova_node *y = x->right;

	x->right = y->left;
	if (y->left)
		y->left->parent = x;
	y->parent = x->parent;
	replace_child(space, x->parent, x, y);
	y->left = x;
	x->parent = y;
	node_update(x);
	node_update(y);
	return y;
}

/* @x's left child takes its place; returns it. */
static struct iox_iova_node *rotate_right(struct iox_iova_space *space,
					  struct iox_iova_node *x)
{
	struct iox_iova_node *y = x->left;

	x->left = y->right;
	if (y->right)
		y->right->parent = x;
	y->parent = x->parent;
	replace_child(space, x->parent, x, y);
	y->right = x;
	x->parent = y;
	node_update(x);
	node_update(y);
	return y;
}

/*
 * Restore the AVL balance at @n if its children's heights differ by two;
 * returns the subtree's root and whether its augmentation may have changed.
 */
static struct iox_iova_node *rebalance(struct iox_iova_space *space,
				       struct iox_iova_node *n, bool *changed)
{
	int bf = (int)node_height(n->left) - (int)node_height(n->right);

	if (bf > 1) {
		if (node_height(n->left->left) < node_height(n->left->right))
			rotate_left(space, n->left);
		*changed = true;
		return rotate_right(space, n);
	}
	if (bf < -1) {
		if (node_height(n->right->right) < node_height(n->right->left))
			rotate_right(space, n->right);
		*changed = true;
		return rotate_left(space, n);
	}
	*changed = node_update(n);
	return n;
}

/*
 * Update and rebalance from @n to the root. It stops where a node's
 * augmentation did not change, except below @force, a node whose own range
 * changed (an erase's copied successor), which is always reached.
 */
static void fixup(struct iox_iova_space *space, struct iox_iova_node *n,
		  struct iox_iova_node *force)
{
	bool changed;

	while (n) {
		if (n == force)
			force = NULL;
		n = rebalance(space, n, &changed);
		if (!changed && !force)
			return;
		n = n->parent;
	}
}

/**
 * iox_iova_tree_insert_between() - link a node into the gap it was found in
 * @space: the space, locked
 * @node: a leaf from iox_iova_node_init(), inside the gap
 * @pred: the node just below the gap
 * @succ: the node just above it
 *
 * @pred and @succ are neighbours, so one of them has a free child slot on
 * the gap's side: no descent is needed.
 *
 * Context: space->lock held.
 */
void iox_iova_tree_insert_between(struct iox_iova_space *space,
				  struct iox_iova_node *node,
				  struct iox_iova_node *pred,
				  struct iox_iova_node *succ)
{
	if (!pred->right) {
		pred->right = node;
		node->parent = pred;
	} else {
		succ->left = node;
		node->parent = succ;
	}
	fixup(space, node->parent, NULL);
}

/**
 * iox_iova_tree_insert() - link a node in by its first pfn
 * @space: the space, locked
 * @node: a leaf from iox_iova_node_init() overlapping no other node
 *
 * Context: space->lock held.
 */
void iox_iova_tree_insert(struct iox_iova_space *space,
			  struct iox_iova_node *node)
{
	struct iox_iova_node **link = &space->root, *parent = NULL;

	while (*link) {
		parent = *link;
		link = node->lo < parent->lo ? &parent->left : &parent->right;
	}
	node->parent = parent;
	*link = node;
	fixup(space, parent, NULL);
}

/**
 * iox_iova_tree_erase() - unlink a range
 * @space: the space, locked
 * @node: the node holding it
 *
 * A node with two children takes its successor's range and the
 * successor's node is unlinked instead.
 *
 * Context: space->lock held.
 * Return: the node now out of the tree, for the caller to free.
 */
struct iox_iova_node *iox_iova_tree_erase(struct iox_iova_space *space,
					  struct iox_iova_node *node)
{
	struct iox_iova_node *force = NULL, *child, *parent;

	if (node->left && node->right) {
		struct iox_iova_node *s = node->right;

		while (s->left)
			s = s->left;
		node->lo = s->lo;
		node->hi = s->hi;
		node->kind = s->kind;
		force = node;
		node = s;
	}
	child = node->left ? node->left : node->right;
	parent = node->parent;
	if (child)
		child->parent = parent;
	replace_child(space, parent, node, child);
	fixup(space, parent, force);
	return node;
}

/**
 * iox_iova_tree_find() - the node whose range starts at a pfn
 * @root: the tree
 * @pfn: first pfn
 *
 * Context: the space's lock held.
 * Return: the node, or NULL if no range starts at @pfn.
 */
struct iox_iova_node *iox_iova_tree_find(struct iox_iova_node *root,
					 unsigned long pfn)
{
	struct iox_iova_node *n = root;

	while (n && n->lo != pfn)
		n = pfn < n->lo ? n->left : n->right;
	return n;
}

/**
 * iox_iova_tree_floor() - the highest node starting at or below a pfn
 * @root: the tree
 * @pfn: the pfn
 *
 * Context: the space's lock held.
 * Return: the node, or NULL if every range starts above @pfn.
 */
struct iox_iova_node *iox_iova_tree_floor(struct iox_iova_node *root,
					  unsigned long pfn)
{
	struct iox_iova_node *n = root, *best = NULL;

	while (n) {
		if (n->lo <= pfn) {
			best = n;
			n = n->right;
		} else {
			n = n->left;
		}
	}
	return best;
}

/**
 * iox_iova_tree_prev() - the node just below another
 * @node: a node in the tree
 *
 * Context: the space's lock held.
 * Return: the predecessor, or NULL for the lowest node.
 */
struct iox_iova_node *iox_iova_tree_prev(struct iox_iova_node *node)
{
	struct iox_iova_node *p;

	if (node->left) {
		node = node->left;
		while (node->right)
			node = node->right;
		return node;
	}
	for (p = node->parent; p && node == p->left; p = p->parent)
		node = p;
	return p;
}

/*
 * Place the request in the free run [lo, hi] as high as it goes: the range
 * ends at or below req->limit, the guard (if any) follows it inside the run,
 * the first pfn is aligned and the range crosses no boundary multiple.
 */
static bool try_gap(struct iox_iova_req *req, unsigned long lo,
		    unsigned long hi)
{
	unsigned long top, pfn, end;

	if (hi < lo || hi - lo < req->need - 1 || lo > req->limit)
		return false;
	/* The last pfn the range itself may use. */
	top = min(hi - (req->need - req->size), req->limit);
	if (top < lo || top - lo < req->size - 1)
		return false;
	pfn = (top - req->size + 1) & ~(req->align - 1);
	end = pfn + req->size - 1;
	if (req->boundary && ((pfn ^ end) & ~(req->boundary - 1))) {
		/*
		 * End just below the boundary multiple inside the range; with
		 * size <= boundary, aligning down cannot cross the one below.
		 */
		pfn = ((end & ~(req->boundary - 1)) - req->size) &
		      ~(req->align - 1);
	}
	if (pfn < lo)
		return false;
	req->pfn = pfn;
	return true;
}

static inline bool worth_visiting(const struct iox_iova_node *n,
				  const struct iox_iova_req *req)
{
	/* A gap inside @n starts above n->first: none below the limit. */
	return n && n->max_gap >= req->thresh && n->first < req->limit;
}

static struct iox_iova_node *leftmost(struct iox_iova_node *n)
{
	while (n->left)
		n = n->left;
	return n;
}

static struct iox_iova_node *rightmost(struct iox_iova_node *n)
{
	while (n->right)
		n = n->right;
	return n;
}

/**
 * iox_iova_tree_search() - the highest free place for a request
 * @root: the tree
 * @req: the request; req->thresh prunes subtrees whose largest gap is
 *	smaller
 *
 * Visits gaps from the highest down, skipping subtrees that hold no gap of
 * req->thresh granules or lie wholly above req->limit. With req->thresh
 * large enough that any such gap fits the request (need + align - 1), the
 * first gap tried below the limit fits, so the walk is O(log n); with a
 * smaller threshold it may try many gaps that alignment or the boundary
 * make unusable.
 *
 * Context: the space's lock held.
 * Return: true with req->pfn, req->pred and req->succ set, false if no gap
 * fits.
 */
bool iox_iova_tree_search(struct iox_iova_node *root,
			  struct iox_iova_req *req)
{
	struct iox_iova_node *n = root, *p;

	if (!worth_visiting(n, req))
		return false;
	for (;;) {
		while (worth_visiting(n->right, req))
			n = n->right;
middle:
		/* Everything above n's own range is done. */
		if (n->right && try_gap(req, n->hi + 1, n->right->first - 1)) {
			req->pred = n;
			req->succ = leftmost(n->right);
			return true;
		}
		if (n->left && try_gap(req, n->left->last + 1, n->lo - 1)) {
			req->pred = rightmost(n->left);
			req->succ = n;
			return true;
		}
		if (worth_visiting(n->left, req)) {
			n = n->left;
			continue;
		}
		/* n's subtree is done: resume at the first ancestor above it. */
		for (;;) {
			p = n->parent;
			if (!p)
				return false;
			if (n == p->right) {
				n = p;
				goto middle;
			}
			n = p;
		}
	}
}
