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

#define CHUNK_MIN	4096	/* bytes of the first chunk of a trace */
#define NCLASS		5	/* 4, 8, 16, 32, 64 KiB; larger: alone */

struct chunk {
	struct chunk	*next;		/* a trace's newer chunks; the pool */
	size_t		 size;		/* of data */
	size_t		 used;		/* of data, once the next is begun */
	int		 class;		/* -1: not pooled */
	alignas(max_align_t) char data[];
};

static struct chunk	*pool[NCLASS];

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

/* Round n up to what struct packed needs. */
static size_t
align_up(size_t n)
{
	return (n + alignof(max_align_t) - 1) & ~(alignof(max_align_t) - 1);
}

/* A chunk of class c (its data at least need bytes when c is -1). */
static struct chunk *
chunk_get(int c, size_t need)
{
	struct chunk	*ch;
	size_t		 size;

	if (c >= 0 && (ch = pool[c]) != NULL) {
		pool[c] = ch->next;
		return ch;
	}
	size = c >= 0 ? ((size_t)CHUNK_MIN << c) - sizeof(*ch) : need;
	ch = xmalloc(sizeof(*ch) + size);
	ch->size = size;
	ch->class = c;
	return ch;
}

/* n bytes (aligned) at the end of k's chunks. */
static void *
keep_alloc(struct keep *k, size_t n)
{
	struct chunk	*ch;
	int		 c;

	if (k->tail == NULL || k->tail->size - k->used < n) {
		/* the next size up from the chunk before, if n fits in it */
		c = k->tail == NULL ? 0 : k->tail->class + 1;
		if (k->tail != NULL && k->tail->class < 0)
			c = NCLASS - 1;
		while (c < NCLASS && ((size_t)CHUNK_MIN << c) -
		    sizeof(*ch) < n)
			c++;
		ch = chunk_get(c < NCLASS ? c : -1, n);
		ch->next = NULL;
		if (k->tail != NULL) {
			k->tail->used = k->used;
			k->tail->next = ch;
		} else
			k->head = ch;
		k->tail = ch;
		k->used = 0;
	}
	k->used += n;
	return k->tail->data + k->used - n;
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
	size_t		 used, i;

	for (ch = k->head; ch != NULL; ch = ch->next) {
		used = ch == k->tail ? k->used : ch->used;
		for (i = 0; i < used; i += 64)
			__builtin_prefetch(ch->data + i);
	}
}

bool
keep_next(const struct keep *k, struct keep_iter *it, struct kept *out)
{
	const struct packed *pk;
	size_t		 used;

	if (it->ch == NULL) {
		if (it->pos != 0)
			return false;
		it->ch = k->head;
	}
	for (;;) {
		if (it->ch == NULL) {
			it->pos = 1;	/* done */
			return false;
		}
		used = it->ch == k->tail ? k->used : it->ch->used;
		if (it->pos < used)
			break;
		it->ch = it->ch->next;
		it->pos = 0;
	}
	pk = (const struct packed *)(const void *)(it->ch->data + it->pos);
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
	struct chunk	*ch, *next;

	for (ch = k->head; ch != NULL; ch = next) {
		next = ch->next;
		if (ch->class < 0)
			free(ch);
		else {
			ch->next = pool[ch->class];
			pool[ch->class] = ch;
		}
	}
	k->head = k->tail = NULL;
	k->last = NULL;
	k->used = 0;
}

void
keep_pool_release(void)
{
	struct chunk	*ch;
	int		 c;

	for (c = 0; c < NCLASS; c++)
		while ((ch = pool[c]) != NULL) {
			pool[c] = ch->next;
			free(ch);
		}
}
