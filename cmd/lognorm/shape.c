/*
 * shape.c - JSON records indexed by their shapes; see fields.h.
 *
 * A service logs the same few kinds of record again and again, each with
 * its members in the same order: {"system":..,"checkpoint":..,"status":..}.
 * The names of a record's members, in order, are its shape.  The shapes
 * seen last are kept, a few of them, each with its index (struct keyidx):
 * the value of each name the rules refer to, where a record of the shape
 * has it when its values are all scalars, member m's at token 2 + 2m.  A
 * record is compared with the shape of the record before it, then with
 * the others, name by name - a name compared costs less than one hashed
 * and looked up - and when it is of one, and flat, the shape's index is
 * its own: nothing is looked up, nothing is stored.
 */
#include <stdlib.h>
#include <string.h>

#include "fields.h"

#define SHAPE_MAX_MEMBERS	32

struct shape {
	int		 nmem;
	struct buf	 names;		/* back to back */
	uint32_t	 off[SHAPE_MAX_MEMBERS], len[SHAPE_MAX_MEMBERS];
	int		 memid[SHAPE_MAX_MEMBERS];	/* by member: its
						   name's number, or -1 */
	int		*val;		/* by name number: the value's token
					   in a flat record, */
	uint32_t	*stamp;		/* when stamp is 1 */
	int		 nval;
	unsigned long	 used;		/* when last used */
};

/* Whether the members of object d->t[0] are sh's names, in order. */
static inline bool
shape_is(const struct shape *sh, const struct jdoc *d)
{
	const struct jtok *t;
	uint32_t	 m, k;

	if ((uint32_t)sh->nmem != d->t[0].count)
		return false;
	for (m = 0, k = 1; m < d->t[0].count; m++, k = d->t[k + 1].next) {
		t = &d->t[k];
		if (t->end - t->start - 2 != sh->len[m] ||
		    !json_name_eq(sh->names.p + sh->off[m],
		    d->src + t->start + 1, sh->len[m]))
			return false;
	}
	return true;
}

/*
 * Learn the shape of d (an object of at most SHAPE_MAX_MEMBERS members,
 * none of whose names is escaped) into the slot used least recently.
 */
static struct shape *
shape_learn(struct norm *n, const struct jdoc *d)
{
	const struct names *nm = &n->rs->names;
	struct shape	*sh;
	const struct jtok *t;
	uint32_t	 m, k;
	int		 i, slot = 0;

	for (i = 0; i < NSHAPES; i++) {
		if (n->shapes[i] == NULL) {
			slot = i;
			break;
		}
		if (n->shapes[i]->used < n->shapes[slot]->used)
			slot = i;
	}
	if ((sh = n->shapes[slot]) == NULL)
		sh = n->shapes[slot] = xcalloc(1, sizeof(*sh));
	if (sh->nval < nm->n) {
		free(sh->val);
		free(sh->stamp);
		sh->val = xcalloc((size_t)nm->n, sizeof(*sh->val));
		sh->stamp = xcalloc((size_t)nm->n, sizeof(*sh->stamp));
		sh->nval = nm->n;
	} else
		memset(sh->stamp, 0, (size_t)sh->nval * sizeof(*sh->stamp));
	sh->nmem = (int)d->t[0].count;
	buf_reset(&sh->names);
	for (m = 0, k = 1; m < d->t[0].count; m++, k = d->t[k + 1].next) {
		t = &d->t[k];
		sh->off[m] = (uint32_t)sh->names.len;
		sh->len[m] = t->end - t->start - 2;
		buf_add(&sh->names, d->src + t->start + 1, sh->len[m]);
		sh->memid[m] = names_lookup(nm, d->src + t->start + 1,
		    sh->len[m]);
		/* of a name given twice, the last member's value */
		if (sh->memid[m] >= 0) {
			sh->val[sh->memid[m]] = (int)(2 + 2 * m);
			sh->stamp[sh->memid[m]] = 1;
		}
	}
	n->shapelast = slot;
	return sh;
}

/* The shape of d, seen before or learnt now; NULL when d has none. */
static struct shape *
shape_find(struct norm *n, const struct jdoc *d)
{
	struct shape	*sh;
	uint32_t	 m, k;
	int		 i;

	if (d->t[0].type != J_OBJECT || d->t[0].count == 0 ||
	    d->t[0].count > SHAPE_MAX_MEMBERS)
		return NULL;
	if ((sh = n->shapes[n->shapelast]) != NULL && shape_is(sh, d))
		return sh;
	for (i = 0; i < NSHAPES; i++)
		if ((sh = n->shapes[i]) != NULL && i != n->shapelast &&
		    shape_is(sh, d)) {
			n->shapelast = i;
			return sh;
		}
	/* a new shape: of names that are not escaped (compared as they
	 * are written) */
	for (m = 0, k = 1; m < d->t[0].count; m++, k = d->t[k + 1].next)
		if (d->t[k].flags & JT_ESCAPED)
			return NULL;
	return shape_learn(n, d);
}

void
shape_index(struct norm *n, const struct jdoc *d)
{
	struct shape	*sh = shape_find(n, d);
	struct keyidx	*kx = &n->kx;

	if (sh == NULL) {
		keyidx_build(kx, &n->rs->names, d, 0);
		return;
	}
	sh->used = ++n->shapeclock;
	if (d->n != 1 + 2 * d->t[0].count) {
		/* not flat: the values are elsewhere */
		keyidx_known(kx, &n->rs->names, d, 0, sh->memid);
		return;
	}
	kx->val = sh->val;
	kx->stamp = sh->stamp;
	kx->gen = 1;
	kx->memid = sh->memid;
	kx->doc = d;
	kx->src = d->src;
	kx->root = 0;
}

void
shapes_release(struct norm *n)
{
	struct shape	*sh;
	int		 i;

	for (i = 0; i < NSHAPES; i++) {
		if ((sh = n->shapes[i]) == NULL)
			continue;
		buf_release(&sh->names);
		free(sh->val);
		free(sh->stamp);
		free(sh);
		n->shapes[i] = NULL;
	}
}
