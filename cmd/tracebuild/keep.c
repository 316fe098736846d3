/*
 * keep.c - the memory a trace keeps its events in; see tracebuild.h.
 *
 * A trace's events are kept until the trace is forgotten, and then all
 * freed together, so each trace allocates from chunks of its own rather
 * than one malloc'd block per event: a trace's events lie side by side
 * (sorting and building them touches a few runs of memory, not one block
 * here and one there), and a million events cost a few hundred thousand
 * chunks, not a million malloc and free calls.  Chunks come in a few
 * sizes, doubling as a trace grows; a forgotten trace's chunks go to a
 * pool of their size, where the next traces find them warm and already
 * mapped.  The pool holds at most what the open and closed traces held at
 * their peak, so memory stays bounded by them, as before.
 *
 * Where the chunks are, and how full, is kept in the trace (struct keep),
 * not in the chunks: a trace's chunks are cold when it is built, long
 * after its events came, and colder when it is forgotten; their addresses
 * at hand, they are all asked for at once, and given back to the pool
 * without being read at all.
 */
#include <err.h>
#include <stdalign.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "lp.h"
#include "tracebuild.h"

#define CHUNK_MIN	2048	/* bytes of the first chunk of a trace */
#define NCLASS		6	/* 2, 4, 8, 16, 32, 64 KiB; larger: alone */

/* The pool: free chunks of each class, a stack of their addresses. */
static struct {
	char		**v;
	size_t		 n, cap;
} pool[NCLASS];

/*
 * A kept event, packed: its views as offsets into the text that follows
 * (a struct event's pointers, lengths and flags would take three times
 * the room, and a trace's events wait in memory for minutes of event
 * time).  Every string view is JSON string content, as event_dup makes
 * them.
 */
#define NVIEW	(EF_NSTR + 5)	/* the strings, rule, attrs, source,
				   extra, duration */
#define NONE	UINT32_MAX	/* off of a null view */

struct packed {
	int64_t		 ts_ms;
	double		 duration_ms;
	uint32_t	 size;		/* of the whole, aligned: the next
					   event of the chunk follows */
	uint32_t	 off[NVIEW], len[NVIEW];
	bool		 has_ts, has_duration, shared;
	signed char	 kind;
	char		 text[];
};

/* Where the views of an event are, in the packed order. */
#define F(i)	offsetof(struct event, f) + (i) * sizeof(struct strview)
static const size_t view_at[NVIEW] = {
	F(0), F(1), F(2), F(3), F(4), F(5), F(6), F(7), F(8), F(9),
	offsetof(struct event, rule), offsetof(struct event, attrs),
	offsetof(struct event, source), offsetof(struct event, extra),
	offsetof(struct event, duration)
};
#undef F

#define VIEW(ev, i)	((struct strview *)(void *)((char *)(ev) + view_at[i]))
#define CVIEW(ev, i)	((const struct strview *)(const void *) \
	((const char *)(ev) + view_at[i]))

/* Round n up to what struct packed needs (malloc's blocks are
 * aligned for anything: chunks start aligned). */
static size_t
align_up(size_t n)
{
	return (n + alignof(max_align_t) - 1) & ~(alignof(max_align_t) - 1);
}

/* Chunk i of k. */
static struct chunk *
chunk_at(const struct keep *k, size_t i)
{
	return i < KEEP_INLINE ? (struct chunk *)&k->first[i] :
	    &k->more[i - KEEP_INLINE];
}

/* A new chunk at the end of k, of class c (-1: alone, need bytes). */
static struct chunk *
chunk_add(struct keep *k, int c, size_t need)
{
	struct chunk	 ch;
	size_t		 cap;

	ch.size = c >= 0 ? (uint32_t)((size_t)CHUNK_MIN << c) : (uint32_t)need;
	ch.class = (signed char)c;
	ch.used = 0;
	if (c >= 0 && pool[c].n > 0)
		ch.p = pool[c].v[--pool[c].n];
	else
		ch.p = xmalloc(ch.size);
	if (k->n >= KEEP_INLINE) {
		cap = k->capmore;
		xgrow(&k->more, &cap, k->n - KEEP_INLINE + 1, sizeof(*k->more));
		k->capmore = cap;
	}
	*chunk_at(k, k->n++) = ch;
	return chunk_at(k, k->n - 1);
}

/* n bytes (aligned) at the end of k's chunks. */
static void *
keep_alloc(struct keep *k, size_t n)
{
	struct chunk	*ch = k->n > 0 ? chunk_at(k, k->n - 1) : NULL;
	int		 c;

	if (ch == NULL || ch->size - ch->used < n) {
		/* the next size up from the chunk before, if n fits in it */
		c = ch == NULL ? 0 : ch->class < 0 ? NCLASS - 1 : ch->class + 1;
		if (c >= NCLASS)
			c = NCLASS - 1;
		while (c < NCLASS && ((size_t)CHUNK_MIN << c) < n)
			c++;
		ch = chunk_add(k, c < NCLASS ? c : -1, n);
	}
	ch->used += (uint32_t)n;
	return ch->p + ch->used - n;
}

/* Pack ev, whose string views are all JSON string content. */
static void
pack(struct keep *k, const struct event *ev, signed char kind, bool shared)
{
	const struct strview *v;
	struct packed	*pk;
	size_t		 len = 0, size;
	int		 i;

	for (i = 0; i < NVIEW; i++)
		if ((v = CVIEW(ev, i))->p != NULL)
			len += v->n;
	size = align_up(sizeof(*pk) + len);
	if (size > UINT32_MAX)
		errx(LP_EXIT_FAIL, "an event of %zu bytes is too large to keep",
		    len);
	pk = keep_alloc(k, size);
	k->last = pk;
	pk->ts_ms = ev->ts_ms;
	pk->duration_ms = ev->duration_ms;
	pk->size = (uint32_t)size;
	pk->has_ts = ev->has_ts;
	pk->has_duration = ev->has_duration;
	pk->kind = kind;
	pk->shared = shared;
	for (i = 0, len = 0; i < NVIEW; i++) {
		v = CVIEW(ev, i);
		if (v->p == NULL) {
			pk->off[i] = NONE;
			pk->len[i] = 0;
			continue;
		}
		pk->off[i] = (uint32_t)len;
		pk->len[i] = (uint32_t)v->n;
		memcpy(pk->text + len, v->p, v->n);
		len += v->n;
	}
}

void
keep_event(struct keep *k, const struct event *ev, signed char kind,
    bool shared)
{
	struct event	*own;
	int		 i;

	for (i = 0; i < EF_NSTR; i++)
		if (ev->f[i].p != NULL && !ev->f[i].json)
			break;
	if (i == EF_NSTR && (ev->rule.p == NULL || ev->rule.json)) {
		pack(k, ev, kind, shared);
		return;
	}
	/* raw bytes (invalid UTF-8 in the line): escaped by event_dup */
	own = event_dup(ev);
	pack(k, own, kind, shared);
	event_free(own);
}

/* The event packed at pk, its views into pk's text. */
static void
unpack(const struct packed *pk, struct kept *out)
{
	struct event	*ev = &out->ev;
	struct strview	*v;
	int		 i;

	/* every member is set: no memset of the whole */
	ev->has_ts = pk->has_ts;
	ev->ts_ms = pk->ts_ms;
	ev->has_duration = pk->has_duration;
	ev->duration_ms = pk->duration_ms;
	out->kind = pk->kind;
	out->shared = pk->shared;
	for (i = 0; i < NVIEW; i++) {
		v = VIEW(ev, i);
		v->p = pk->off[i] != NONE ? pk->text + pk->off[i] : NULL;
		v->n = pk->len[i];
		v->json = i < EF_NSTR + 1;	/* strings, rule */
	}
}

void
keep_prefetch(const struct keep *k)
{
	const struct chunk *ch;
	size_t		 i, j;

	for (i = 0; i < k->n; i++) {
		ch = chunk_at(k, i);
		for (j = 0; j < ch->used; j += 64)
			__builtin_prefetch(ch->p + j);
	}
}

bool
keep_next(const struct keep *k, struct keep_iter *it, struct kept *out)
{
	const struct chunk *ch;
	const struct packed *pk;

	for (;; it->ch++, it->pos = 0) {
		if (it->ch >= k->n)
			return false;
		ch = chunk_at(k, it->ch);
		if (it->pos < ch->used)
			break;
	}
	pk = (const struct packed *)(const void *)(ch->p + it->pos);
	it->pos += pk->size;
	unpack(pk, out);
	return true;
}

void
keep_last(const struct keep *k, struct kept *out)
{
	unpack(k->last, out);
}

void
keep_release(struct keep *k)
{
	struct chunk	*ch;
	size_t		 i;

	for (i = 0; i < k->n; i++) {
		ch = chunk_at(k, i);
		if (ch->class < 0)
			free(ch->p);
		else {
			xgrow(&pool[ch->class].v, &pool[ch->class].cap,
			    pool[ch->class].n + 1, sizeof(*pool[ch->class].v));
			pool[ch->class].v[pool[ch->class].n++] = ch->p;
		}
	}
	free(k->more);
	memset(k, 0, sizeof(*k));
}

void
keep_pool_release(void)
{
	int	 c;

	for (c = 0; c < NCLASS; c++) {
		while (pool[c].n > 0)
			free(pool[c].v[--pool[c].n]);
		free(pool[c].v);
		pool[c].v = NULL;
		pool[c].cap = 0;
	}
}
