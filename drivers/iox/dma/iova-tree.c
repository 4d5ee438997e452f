// SPDX-License-Identifier: GPL-2.0
/*
 * The IOVA space's tree: an AVL tree of occupied ranges keyed by first
 * pfn. Every free run lies between two nodes (both ends of the space are
 * reserved nodes) and is recorded in the node below it (@gap); each node
 * also holds the largest such run in its subtree (@max_gap), so a search
 * skips every subtree without a gap large enough. Ranges are taken from
 * the top of a gap, so the node below keeps what is left and the new node
 * starts with (almost) none: one path changes. The idea is FreeBSD's
 * sys/dev/iommu/iommu_gas.c (a red-black tree with "free_down"); this tree
 * and its search are iox's own.
 *
 * A node's gap changes only when its upper neighbour does, and the upper
 * neighbour of a node is in its right subtree or an ancestor: an insertion
 * or an erase updates the path to the root from the node and from the
 * gap's owner, each stopping where nothing changes.
 */
#include <linux/kernel.h>
#include "iova-priv.h"

/*
 * Every missing child is this node: height 0 and no gap, so the walks read
 * a child's height and largest gap without testing it. Never written (it
 * is const: a write would fault); its own children are NULL.
 */
const struct iox_iova_node iox_iova_nil;

#define NIL	IOX_IOVA_NIL

/* Recompute @n's height and largest gap. */
static inline void node_update(struct iox_iova_node *n)
{
	const struct iox_iova_node *l = n->left, *r = n->right;

	n->max_gap = max3(n->gap, l->max_gap, r->max_gap);
	n->height = max(l->height, r->height) + 1;
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
	node->left = NIL;
	node->right = NIL;
	node->parent = NULL;
	node->lo = lo;
	node->hi = hi;
	node->gap = 0;
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
	if (y->left != NIL)
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
	if (y->right != NIL)
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
 * Restore the AVL balance at @n if its children's heights differ by two,
 * else update it; returns the subtree's root and whether it rotated.
 */
static struct iox_iova_node *rebalance(struct iox_iova_space *space,
				       struct iox_iova_node *n, bool *rotated)
{
	int bf = (int)n->left->height - (int)n->right->height;

	if (bf > 1) {
		if (n->left->left->height < n->left->right->height)
			rotate_left(space, n->left);
		*rotated = true;
		return rotate_right(space, n);
	}
	if (bf < -1) {
		if (n->right->right->height < n->right->left->height)
			rotate_right(space, n->right);
		*rotated = true;
		return rotate_left(space, n);
	}
	*rotated = false;
	node_update(n);
	return n;
}

/* @n's largest gap from its own and its children's. */
static inline unsigned long subtree_gap(const struct iox_iova_node *n)
{
	return max3(n->gap, n->left->max_gap, n->right->max_gap);
}

/* @n's own gap changed: carry its largest gap up while it changes. */
static void gap_changed(struct iox_iova_node *n)
{
	unsigned long gap;

	for (; n; n = n->parent) {
		gap = subtree_gap(n);
		if (gap == n->max_gap)
			return;
		n->max_gap = gap;
	}
}

/*
 * Update and rebalance from @n, whose children changed, to the root; @own,
 * if not NULL, is @n or an ancestor of it whose own gap changed. Above the
 * first node whose height did not change (and that needed no rotation) no
 * height changes either, so from there only the largest gaps are
 * recomputed, until a node's does not change; then from @own, unless the
 * rebalancing part passed it, until a node's does not change: one walk
 * for both changes where they share the path.
 */
static void fixup(struct iox_iova_space *space, struct iox_iova_node *n,
		  struct iox_iova_node *own)
{
	struct iox_iova_node *p;
	unsigned long gap;
	unsigned int h;
	bool rotated;

	for (; n; n = n->parent) {
		if (n == own)
			own = NULL;
		h = n->height;
		n = rebalance(space, n, &rotated);
		if (!rotated && n->height == h)
			break;
	}
	if (!n)
		return;
	/*
	 * n is up to date: recompute the ancestors' largest gaps until one
	 * does not change (a full recompute is three loads; telling which
	 * child changed and how costs as much).
	 */
	for (; (p = n->parent); n = p) {
		gap = subtree_gap(p);
		if (gap == p->max_gap)
			break;
		p->max_gap = gap;
	}
	/*
	 * @own, if the rebalancing part did not pass it: recomputed and
	 * carried up from. If the walk above recomputed it already, the
	 * first step finds it unchanged; if the walk stopped below it, its
	 * children are as they were. Either way one test per level less.
	 */
	if (own)
		gap_changed(own);
}

/**
 * iox_iova_tree_insert_above() - link a node into the gap above another
 * @space: the space, locked
 * @node: a leaf from iox_iova_node_init(), inside @pred's gap
 * @pred: the node whose gap was chosen
 *
 * The new node goes where the in-order walk meets the gap: @pred's free
 * right slot or the free left slot of @pred's in-order successor, so no
 * descent from the root is needed.
 *
 * Context: space->lock held.
 */
void iox_iova_tree_insert_above(struct iox_iova_space *space,
				struct iox_iova_node *node,
				struct iox_iova_node *pred)
{
	struct iox_iova_node *parent = pred->right;

	/* The gap splits: below the new node (pred's) and above it. */
	node->gap = pred->hi + pred->gap - node->hi;
	node->max_gap = node->gap;
	pred->gap = node->lo - pred->hi - 1;
	if (parent == NIL) {
		pred->right = node;
		parent = pred;
	} else {
		while (parent->left != NIL)
			parent = parent->left;
		parent->left = node;
	}
	node->parent = parent;
	/* pred is parent or an ancestor of it; its gap shrank. */
	fixup(space, parent, pred);
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
	struct iox_iova_node *pred = NULL, *succ = NULL;

	while (*link != NIL) {
		parent = *link;
		if (node->lo < parent->lo) {
			succ = parent;
			link = &parent->left;
		} else {
			pred = parent;
			link = &parent->right;
		}
	}
	node->parent = parent;
	*link = node;
	node->gap = succ ? succ->lo - node->hi - 1 : 0;
	node->max_gap = node->gap;
	if (pred)
		pred->gap = node->lo - pred->hi - 1;
	/* pred, the last node the descent went right at, is above node. */
	fixup(space, parent, pred);
}

/**
 * iox_iova_tree_erase() - unlink a range
 * @space: the space, locked
 * @node: the node holding it
 *
 * The range's granules and the gap above it join the gap of the node
 * below. A node with two children takes its predecessor's range and the
 * predecessor's node is unlinked instead.
 *
 * Context: space->lock held.
 * Return: the node now out of the tree, for the caller to free.
 */
struct iox_iova_node *iox_iova_tree_erase(struct iox_iova_space *space,
					  struct iox_iova_node *node)
{
	struct iox_iova_node *pred, *child, *parent;
	unsigned long merged;

	if (node->left != NIL) {
		pred = node->left;
		while (pred->right != NIL)
			pred = pred->right;
	} else {
		pred = node;
		for (parent = node->parent; parent && pred == parent->left;
		     parent = parent->parent)
			pred = parent;
		pred = parent;
	}
	if (!pred) {
		/* The lowest node (a reservation being merged): no gap below. */
		child = node->right;
		parent = node->parent;
		if (child != NIL)
			child->parent = parent;
		replace_child(space, parent, node, child);
		fixup(space, parent, NULL);
		return node;
	}
	merged = pred->gap + (node->hi - node->lo + 1) + node->gap;

	if (node->left != NIL && node->right != NIL) {
		/* pred is the rightmost of node's left subtree. */
		node->lo = pred->lo;
		node->hi = pred->hi;
		node->kind = pred->kind;
		node->gap = merged;
		child = pred->left;
		parent = pred->parent;
		if (child != NIL)
			child->parent = parent;
		replace_child(space, parent, pred, child);
		/* node, whose gap grew, is parent or above it. */
		fixup(space, parent, node);
		return pred;
	}
	pred->gap = merged;
	child = node->left != NIL ? node->left : node->right;
	parent = node->parent;
	if (child != NIL)
		child->parent = parent;
	replace_child(space, parent, node, child);
	/*
	 * pred is node's lone left child (a leaf, updated here, below the
	 * walk), or an ancestor of node: parent or above it.
	 */
	if (child == pred) {
		node_update(pred);
		pred = NULL;
	}
	fixup(space, parent, pred);
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

	while (n != NIL && n->lo != pfn)
		n = pfn < n->lo ? n->left : n->right;
	return n != NIL ? n : NULL;
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

	while (n != NIL) {
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

	if (node->left != NIL) {
		node = node->left;
		while (node->right != NIL)
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

static __always_inline bool search(struct iox_iova_node *n,
				   struct iox_iova_req *req, bool check_limit,
				   bool plain)
{
	unsigned long thresh = req->thresh, limit = req->limit;
	struct iox_iova_node *p;

	for (;;) {
		/* Gaps in n's right subtree, and n's own, start above n->hi. */
		while (n->right->max_gap >= thresh &&
		       (!check_limit || n->hi < limit))
			n = n->right;
middle:
		/* Everything above n's gap is done: n's gap, then below. */
		if (n->gap >= req->need) {
			/*
			 * Plain (no alignment or boundary, the gap below the
			 * limit): the range and its guard end the gap.
			 */
			if (plain) {
				req->pfn = n->hi + n->gap - req->need + 1;
				req->pred = n;
				return true;
			}
			if (try_gap(req, n->hi + 1, n->hi + n->gap)) {
				req->pred = n;
				return true;
			}
		}
		if (n->left->max_gap >= thresh) {
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

/**
 * iox_iova_tree_search() - the highest free place for a request
 * @root: the tree
 * @req: the request; req->thresh prunes subtrees whose largest gap is
 *	smaller
 *
 * Visits gaps from the highest down, skipping subtrees that hold no gap of
 * req->thresh granules or whose gaps all start above req->limit. With
 * req->thresh large enough that any such gap fits the request (need +
 * align - 1), the first gap tried below the limit fits, so the walk is
 * O(log n); with a smaller threshold it may try many gaps that alignment
 * or the boundary make unusable.
 *
 * Context: the space's lock held.
 * Return: true with req->pfn and req->pred set, false if no gap fits.
 */
bool iox_iova_tree_search(struct iox_iova_node *root,
			  struct iox_iova_req *req)
{
	/* req->thresh >= 1: the nil node's largest gap, 0, never passes. */
	if (root->max_gap < req->thresh)
		return false;
	/*
	 * A limit at or above the space's end reaches every gap: the one
	 * node ending at or above it is the highest (reservations that meet
	 * merge), which has no right subtree, and every gap ends below it.
	 */
	if (req->limit < req->end)
		return search(root, req, true, false);
	if (req->align == 1 && !req->boundary)
		return search(root, req, false, true);
	return search(root, req, false, false);
}
