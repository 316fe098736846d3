/*
 * attrs.c - attrs members by name; see attrs.h.
 */
#include <stdlib.h>
#include <string.h>

#include "attrs.h"
#include "jw.h"

#define ATTRS_LINEAR	16	/* members looked up without the map */

void
attrs_reset(struct attrs *a)
{
	buf_reset(&a->text);
	buf_reset(&a->names);
	a->n = 0;
	if (a->index.n > 0)
		map_release(&a->index);
}

void
attrs_release(struct attrs *a)
{
	buf_release(&a->text);
	buf_release(&a->names);
	free(a->slot);
	map_release(&a->index);
	memset(a, 0, sizeof(*a));
}

/* The map's keys point into names, which moves as it grows: rebuild. */
static void
reindex(struct attrs *a)
{
	size_t	 i;

	map_release(&a->index);
	if (a->n <= ATTRS_LINEAR)
		return;
	for (i = 0; i < a->n; i++)
		*map_put(&a->index, a->names.p + a->slot[i].noff,
		    a->slot[i].nlen) = (void *)(i + 1);
}

/* The slot of name, or a->n when absent. */
static size_t
lookup(const struct attrs *a, const char *name, size_t nl)
{
	size_t	 i;

	if (a->n > ATTRS_LINEAR) {
		i = (size_t)map_get(&a->index, name, nl);
		return i > 0 ? i - 1 : a->n;
	}
	for (i = 0; i < a->n; i++)
		if (a->slot[i].nlen == nl &&
		    memcmp(a->names.p + a->slot[i].noff, name, nl) == 0)
			return i;
	return a->n;
}

/* Cut slot i out of the text (with its comma) and out of the table. */
static void
remove_slot(struct attrs *a, size_t i)
{
	struct buf	*t = &a->text;
	size_t		 start = a->slot[i].off, cut = a->slot[i].len, k;

	if (start > 0) {
		start--;		/* its leading comma */
		cut++;
	} else if (a->n > 1)
		cut++;			/* the next member's comma */
	memmove(t->p + start, t->p + start + cut, t->len - start - cut);
	t->len -= cut;
	t->p[t->len] = '\0';
	for (k = i; k + 1 < a->n; k++) {
		a->slot[k] = a->slot[k + 1];
		a->slot[k].off -= cut;
	}
	a->n--;
	/* The name's bytes stay in names until the next reset. */
	reindex(a);
}

struct buf *
attrs_begin(struct attrs *a, const char *name, size_t nl)
{
	size_t		 i = lookup(a, name, nl);
	struct attr_slot *s;
	const char	*oldnames = a->names.p;

	if (i < a->n)
		remove_slot(a, i);
	xgrow(&a->slot, &a->cap, a->n + 1, sizeof(*a->slot));
	s = &a->slot[a->n];
	s->noff = a->names.len;
	s->nlen = nl;
	buf_add(&a->names, name, nl);
	if (a->names.p == NULL)
		buf_grow(&a->names, 0);
	if (a->text.len > 0)
		buf_addc(&a->text, ',');
	s->off = a->text.len;
	jw_str(&a->text, name, nl);
	buf_addc(&a->text, ':');
	a->open = a->n++;
	if (a->names.p != oldnames)
		reindex(a);
	else if (a->n > ATTRS_LINEAR) {
		if (a->index.n == 0)
			reindex(a);
		else
			*map_put(&a->index, a->names.p + s->noff, nl) =
			    (void *)a->n;
	}
	return &a->text;
}

void
attrs_end(struct attrs *a)
{
	struct attr_slot *s = &a->slot[a->open];

	s->len = a->text.len - s->off;
}

void
attrs_put_json(struct attrs *a, const char *name, size_t nl, const char *json,
    size_t jl)
{
	buf_add(attrs_begin(a, name, nl), json, jl);
	attrs_end(a);
}

void
attrs_put_str(struct attrs *a, const char *name, size_t nl, const char *s,
    size_t n)
{
	jw_str(attrs_begin(a, name, nl), s, n);
	attrs_end(a);
}

bool
attrs_get(const struct attrs *a, const char *name, size_t nl,
    const char **json, size_t *jl)
{
	size_t			 i = lookup(a, name, nl);
	const struct attr_slot	*s;
	size_t			 klen;

	if (i == a->n)
		return false;
	s = &a->slot[i];
	/* Skip "name": in the member; the name was written by jw_str, so
	 * its length is found by scanning to the colon after the quotes. */
	for (klen = 1; a->text.p[s->off + klen] != '"'; klen++)
		if (a->text.p[s->off + klen] == '\\')
			klen++;
	klen += 2;	/* closing quote and colon */
	*json = a->text.p + s->off + klen;
	*jl = s->len - klen;
	return true;
}

bool
attrs_del(struct attrs *a, const char *name, size_t nl)
{
	size_t	 i = lookup(a, name, nl);

	if (i == a->n)
		return false;
	remove_slot(a, i);
	return true;
}

bool
attrs_merge(struct attrs *a, const char *text, size_t n, bool overwrite,
    struct jdoc *doc)
{
	struct buf	 wrapped = BUF_INIT, key = BUF_INIT;
	const char	*p;
	size_t		 len;
	uint32_t	 m, k;
	bool		 ok;

	buf_addc(&wrapped, '{');
	buf_add(&wrapped, text, n);
	buf_addc(&wrapped, '}');
	ok = jdoc_parse(doc, wrapped.p, wrapped.len) &&
	    doc->t[0].type == J_OBJECT;
	for (m = 0, k = 1; ok && m < doc->t[0].count;
	    m++, k = doc->t[k + 1].next) {
		jdoc_str(doc, (int)k, &key, &p, &len);
		if (!overwrite && lookup(a, p, len) < a->n)
			continue;
		jdoc_write(doc, (int)k + 1, attrs_begin(a, p, len));
		attrs_end(a);
	}
	buf_release(&wrapped);
	buf_release(&key);
	return ok;
}
