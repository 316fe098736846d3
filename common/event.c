/*
 * event.c - reading, writing and keeping event records; see event.h.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "event.h"
#include "jw.h"
#include "map.h"
#include "ts.h"

const char *const event_field_name[EF_NFIELDS] = {
	[EF_SYSTEM_ID] = "system_id",
	[EF_CHECKPOINT_ID] = "checkpoint_id",
	[EF_STATUS] = "status",
	[EF_CORRELATION_ID] = "correlation_id",
	[EF_FAILURE_REASON] = "failure_reason",
	[EF_TRACE_ID] = "trace_id",
	[EF_SPAN_ID] = "span_id",
	[EF_PARENT_SPAN_ID] = "parent_span_id",
	[EF_TARGET_SYSTEM_ID] = "target_system_id",
	[EF_PART] = "part",
	[EF_TIMESTAMP] = "timestamp",
	[EF_DURATION_MS] = "duration_ms",
};

int
event_field_lookup(const char *name, size_t n)
{
	/* Called for every member of every JSON record: dispatch on length. */
	switch (n) {
	case 4:
		return memcmp(name, "part", 4) == 0 ? EF_PART : -1;
	case 6:
		return memcmp(name, "status", 6) == 0 ? EF_STATUS : -1;
	case 7:
		return memcmp(name, "span_id", 7) == 0 ? EF_SPAN_ID : -1;
	case 8:
		return memcmp(name, "trace_id", 8) == 0 ? EF_TRACE_ID : -1;
	case 9:
		if (memcmp(name, "system_id", 9) == 0)
			return EF_SYSTEM_ID;
		return memcmp(name, "timestamp", 9) == 0 ? EF_TIMESTAMP : -1;
	case 11:
		return memcmp(name, "duration_ms", 11) == 0 ?
		    EF_DURATION_MS : -1;
	case 13:
		return memcmp(name, "checkpoint_id", 13) == 0 ?
		    EF_CHECKPOINT_ID : -1;
	case 14:
		if (memcmp(name, "correlation_id", 14) == 0)
			return EF_CORRELATION_ID;
		if (memcmp(name, "failure_reason", 14) == 0)
			return EF_FAILURE_REASON;
		return memcmp(name, "parent_span_id", 14) == 0 ?
		    EF_PARENT_SPAN_ID : -1;
	case 16:
		return memcmp(name, "target_system_id", 16) == 0 ?
		    EF_TARGET_SYSTEM_ID : -1;
	default:
		return -1;
	}
}

/* ---- writing ------------------------------------------------------------ */

/*
 * The writer reserves room for the whole event once (the most each view
 * can take escaped), then appends without checking: an event is written
 * for every record, and its dozens of small appends are its cost.
 */
#define EVENT_FIXED	400	/* names, punctuation, time, number */

/*
 * The pieces go through a cursor w, a local, not through out->len: out's
 * bytes are chars, which may alias out->len, so that every append through
 * out would load and store its length again.
 */
static inline char *
put_bytes(char *w, const char *s, size_t n)
{
	if (n > 0)		/* s may be NULL then */
		memcpy(w, s, n);
	return w + n;
}

#define put_lit(w, lit)	put_bytes((w), (lit), sizeof(lit) - 1)

/*
 * A field: its name, then its view.  A null field, most of them in most
 * events, is one constant, name and null together; so are the name and
 * the opening quote of JSON text.  The view is read before anything is
 * written, which might alias it.
 */
#define put_str(w, key, vp)	do {				\
	const char *p_ = (vp)->p;				\
	size_t n_ = (vp)->n;					\
								\
	if (p_ == NULL)						\
		(w) = put_lit((w), key "null");			\
	else if ((vp)->json) {					\
		(w) = put_lit((w), key "\"");			\
		(w) = event_put_bytes((w), p_, n_);		\
		*(w)++ = '"';					\
	} else {						\
		(w) = put_lit((w), key);			\
		out->len = (size_t)((w) - out->p);		\
		jw_str(out, p_, n_);	/* fits: it checks, no more */ \
		(w) = out->p + out->len;			\
	}							\
} while (0)

void
event_write(struct buf *out, const struct event *ev)
{
	/* Events come in time order, many in the same millisecond or
	 * second: the time formatted last is kept, not formatted again. */
	static char	 ts[TS_LEN + 1];
	static int64_t	 ts_last;
	static bool	 ts_made;
	const struct strview *f = ev->f;
	size_t	 need;
	char	*w;

	/* At most strview_max() each: 6n + 4 is more than it ever is, and
	 * is added without a branch, the fields all at once. */
	need = f[0].n + f[1].n + f[2].n + f[3].n + f[4].n + f[5].n +
	    f[6].n + f[7].n + f[8].n + f[9].n;
	need = 6 * need + 4 * EF_NSTR + EVENT_FIXED + ev->attrs.n +
	    ev->source.n + ev->extra.n + ev->duration.n +
	    strview_max(&ev->rule);
	if (out->cap - out->len <= need)
		buf_grow(out, need);
	w = out->p + out->len;
	if (ev->has_ts) {
		if (!ts_made || ts_last != ev->ts_ms) {
			ts_format(ev->ts_ms, ts);
			ts_last = ev->ts_ms;
			ts_made = true;
		}
		w = put_lit(w, "{\"type\":\"event\",\"timestamp\":\"");
		w = put_bytes(w, ts, TS_LEN);
		*w++ = '"';
	} else
		w = put_lit(w, "{\"type\":\"event\",\"timestamp\":null");
	put_str(w, ",\"system_id\":", &f[EF_SYSTEM_ID]);
	put_str(w, ",\"checkpoint_id\":", &f[EF_CHECKPOINT_ID]);
	put_str(w, ",\"status\":", &f[EF_STATUS]);
	put_str(w, ",\"correlation_id\":", &f[EF_CORRELATION_ID]);
	put_str(w, ",\"failure_reason\":", &f[EF_FAILURE_REASON]);
	put_str(w, ",\"trace_id\":", &f[EF_TRACE_ID]);
	put_str(w, ",\"span_id\":", &f[EF_SPAN_ID]);
	put_str(w, ",\"parent_span_id\":", &f[EF_PARENT_SPAN_ID]);
	put_str(w, ",\"target_system_id\":", &f[EF_TARGET_SYSTEM_ID]);
	if (!ev->has_duration)
		w = put_lit(w, ",\"duration_ms\":null");
	else if (ev->duration.p != NULL) {
		w = put_lit(w, ",\"duration_ms\":");
		w = event_put_bytes(w, ev->duration.p, ev->duration.n);
	} else {
		w = put_lit(w, ",\"duration_ms\":");
		out->len = (size_t)(w - out->p);
		jw_num(out, ev->duration_ms);
		w = out->p + out->len;
	}
	if (f[EF_PART].p != NULL)
		put_str(w, ",\"part\":", &f[EF_PART]);
	else
		w = put_lit(w, ",\"part\":\"main\"");
	put_str(w, ",\"rule\":", &ev->rule);
	w = put_lit(w, ",\"attrs\":{");
	w = event_put_bytes(w, ev->attrs.p, ev->attrs.n);
	w = put_lit(w, "},\"source\":{");
	w = event_put_bytes(w, ev->source.p, ev->source.n);
	*w++ = '}';
	if (ev->extra.n > 0) {
		*w++ = ',';
		w = event_put_bytes(w, ev->extra.p, ev->extra.n);
	}
	w = put_lit(w, "}\n");
	*w = '\0';
	out->len = (size_t)(w - out->p);
}

/* ---- reading ------------------------------------------------------------ */

/* Members that are not event fields but have a place of their own. */
enum { K_TYPE = EF_NFIELDS, K_RULE, K_ATTRS, K_SOURCE };

/* The name of member which: an event field's, or one of the others. */
static const char *
member_name(int which)
{
	static const char *const others[] = { "type", "rule", "attrs",
	    "source" };

	return which < EF_NFIELDS ? event_field_name[which] :
	    others[which - EF_NFIELDS];
}

/* The view member which is read into, or NULL (not a view). */
static struct strview *
member_view(struct event *ev, int which)
{
	if (which < EF_NSTR)
		return &ev->f[which];
	switch (which) {
	case K_RULE:	return &ev->rule;
	case K_ATTRS:	return &ev->attrs;
	case K_SOURCE:	return &ev->source;
	default:	return NULL;
	}
}

static int
member_lookup(const char *key, size_t n)
{
	int	 f = event_field_lookup(key, n);

	if (f >= 0)
		return f;
	if (n == 4 && memcmp(key, "type", 4) == 0)
		return K_TYPE;
	if (n == 4 && memcmp(key, "rule", 4) == 0)
		return K_RULE;
	if (n == 5 && memcmp(key, "attrs", 5) == 0)
		return K_ATTRS;
	if (n == 6 && memcmp(key, "source", 6) == 0)
		return K_SOURCE;
	return -1;
}

/*
 * The members in the order event_write writes them: a record written by
 * a logproc filter has each where it is expected, which is checked with
 * two loads, not looked up.
 */
static const struct {
	char		 name[17];
	unsigned char	 len;
	signed char	 which;
} written_order[] = {
	{ "type", 4, K_TYPE }, { "timestamp", 9, EF_TIMESTAMP },
	{ "system_id", 9, EF_SYSTEM_ID },
	{ "checkpoint_id", 13, EF_CHECKPOINT_ID }, { "status", 6, EF_STATUS },
	{ "correlation_id", 14, EF_CORRELATION_ID },
	{ "failure_reason", 14, EF_FAILURE_REASON },
	{ "trace_id", 8, EF_TRACE_ID }, { "span_id", 7, EF_SPAN_ID },
	{ "parent_span_id", 14, EF_PARENT_SPAN_ID },
	{ "target_system_id", 16, EF_TARGET_SYSTEM_ID },
	{ "duration_ms", 11, EF_DURATION_MS }, { "part", 4, EF_PART },
	{ "rule", 4, K_RULE }, { "attrs", 5, K_ATTRS },
	{ "source", 6, K_SOURCE },
};

#define NWRITTEN	(sizeof(written_order) / sizeof(written_order[0]))

/*
 * Whether the container at token i is written compactly (no white space
 * between tokens) and holds only valid UTF-8, so that its text can be
 * copied as it is: the sum of its tokens' lengths and punctuation equals
 * its length.
 */
static bool
is_compact(const struct jdoc *d, int i)
{
	const struct jtok *t;
	uint32_t	 k, end = d->t[i].next;
	size_t		 len = 0;

	if (d->compact)
		return true;
	for (k = (uint32_t)i; k < end; k++) {
		t = &d->t[k];
		if (t->type == J_OBJECT || t->type == J_ARRAY)
			len += 2 + (t->count > 0 ? t->count - 1 : 0) +
			    (t->type == J_OBJECT ? t->count : 0);
		else if (t->flags & JT_BADUTF8)
			return false;
		else
			len += t->end - t->start;
	}
	return len == d->t[i].end - d->t[i].start;
}

/* A view that will point into scratch once scratch stops moving. */
struct fixup {
	struct strview	*v;
	size_t		 off;
};

struct rd {
	const struct jdoc *d;
	struct event	*ev;
	struct buf	*scratch;
	struct buf	*why;
	struct fixup	 fix[EF_NFIELDS + 4];
	int		 nfix;
};

static bool
bad(struct rd *rd, const char *field, const char *what, int tok)
{
	const struct jtok *t = &rd->d->t[tok];
	size_t		 n = t->end - t->start;

	buf_reset(rd->why);
	buf_addf(rd->why, "bad field: '%s' %s: '%.*s%s'", field, what,
	    (int)(n > 40 ? 40 : n), rd->d->src + t->start, n > 40 ? "..." : "");
	return false;
}

/* Point v at the members of object token i, rewritten if need be. */
static void
members_view(struct rd *rd, int i, struct strview *v)
{
	const struct jdoc *d = rd->d;
	size_t		 off;

	if (d->t[i].count == 0) {
		v->p = "";
		v->n = 0;
	} else if (is_compact(d, i)) {
		v->p = d->src + d->t[i].start + 1;
		v->n = d->t[i].end - d->t[i].start - 2;
	} else {
		off = rd->scratch->len;
		jdoc_write(d, i, rd->scratch);
		/* drop the braces jdoc_write wrote */
		v->n = rd->scratch->len - off - 2;
		rd->fix[rd->nfix].v = v;
		rd->fix[rd->nfix++].off = off + 1;
	}
}

/* A string field: JSON content as it is, or unescaped if not valid UTF-8. */
static inline bool
string_field(struct rd *rd, int which, int tok,
    struct strview *v)
{
	const struct jtok *t = &rd->d->t[tok];
	size_t		 off;

	if (t->type == J_NULL) {	/* also over a duplicate's value */
		v->p = NULL;
		v->n = 0;
		return true;
	}
	if (t->type != J_STRING)
		return bad(rd, member_name(which), "is not a string", tok);
	if (!(t->flags & JT_BADUTF8)) {
		v->p = rd->d->src + t->start + 1;
		v->n = t->end - t->start - 2;
		v->json = true;
		return true;
	}
	/* Raw bytes, to be escaped (invalid bytes become U+FFFD) on output. */
	off = rd->scratch->len;
	json_unescape(rd->d->src + t->start + 1, t->end - t->start - 2,
	    rd->scratch);
	v->n = rd->scratch->len - off;
	v->json = false;
	rd->fix[rd->nfix].v = v;
	rd->fix[rd->nfix++].off = off;
	return true;
}

static bool
read_member(struct rd *rd, int which, int tok)
{
	const struct jdoc *d = rd->d;
	const struct jtok *t = &d->t[tok];
	struct event	*ev = rd->ev;
	struct ts_opts	 utc = { 1970, 0 };

	switch (which) {
	case K_TYPE:
		if (!jdoc_str_eq(d, tok, "event", 5))
			return bad(rd, member_name(which),
			    "is not \"event\"", tok);
		return true;
	case EF_TIMESTAMP:
		ev->has_ts = false;
		if (t->type == J_NULL)
			return true;
		if (t->type != J_STRING)
			return bad(rd, member_name(which),
			    "is not a time", tok);
		if (!ts_parse_canonical(d->src + t->start + 1,
		    t->end - t->start - 2, &ev->ts_ms) &&
		    !ts_parse(d->src + t->start + 1, t->end - t->start - 2, &utc,
		    &ev->ts_ms))
			return bad(rd, member_name(which),
			    "is not a time", tok);
		ev->has_ts = true;
		return true;
	case EF_DURATION_MS:
		ev->has_duration = false;
		ev->duration.p = NULL;
		if (t->type == J_NULL)
			return true;
		if (t->type != J_NUMBER)
			return bad(rd, member_name(which),
			    "is not a number", tok);
		ev->has_duration = true;
		ev->duration_ms = jdoc_num(d, tok);
		ev->duration.p = d->src + t->start;
		ev->duration.n = t->end - t->start;
		return true;
	case EF_PART:
		if (t->type != J_NULL && !jdoc_str_eq(d, tok, "main", 4) &&
		    !jdoc_str_eq(d, tok, "detail", 6))
			return bad(rd, member_name(which),
			    "is not main or detail", tok);
		return string_field(rd, which, tok, &ev->f[EF_PART]);
	case K_RULE:
		return string_field(rd, which, tok, &ev->rule);
	case K_ATTRS:
	case K_SOURCE:
		if (t->type == J_NULL) {
			(which == K_ATTRS ? &ev->attrs : &ev->source)->n = 0;
			return true;
		}
		if (t->type != J_OBJECT)
			return bad(rd, member_name(which),
			    "is not an object", tok);
		members_view(rd, tok, which == K_ATTRS ? &ev->attrs :
		    &ev->source);
		return true;
	default:
		return string_field(rd, which, tok, &ev->f[which]);
	}
}

/*
 * Append the name of key token k as it is compared: unescaped, then
 * written as JSON, so that "x" and "\u0078" are one name, and so are two
 * names whose different invalid UTF-8 bytes are both written as U+FFFD.
 */
static void
key_name(const struct jdoc *d, int k, struct buf *tmp, struct buf *out)
{
	const char	*p;
	size_t		 n;

	jdoc_str(d, k, tmp, &p, &n);
	jw_str(out, p, n);
}

/*
 * Write the unknown members (key token indexes in keys[0..n)) into scratch
 * as compact members; of a name given twice the last is kept, in its
 * place.  Wide records use a map, so that this stays linear.
 */
static void
write_extra(struct rd *rd, const int *keys, size_t n)
{
	const struct jdoc *d = rd->d;
	struct buf	 tmp = BUF_INIT, names = BUF_INIT;
	struct map	 last = MAP_INIT;
	size_t		 i, j, off = rd->scratch->len, *noff;
	bool		 later;

	/* The names as compared, back to back. */
	noff = xreallocarray(NULL, n + 1, sizeof(*noff));
	for (i = 0; i < n; i++) {
		noff[i] = names.len;
		key_name(d, keys[i], &tmp, &names);
	}
	noff[n] = names.len;
#define NAME_EQ(a, b)	(noff[(a) + 1] - noff[a] == noff[(b) + 1] - noff[b] && \
	memcmp(names.p + noff[a], names.p + noff[b], noff[(a) + 1] - noff[a]) == 0)
	if (n > 16)
		/* a map from each name to its last index */
		for (i = 0; i < n; i++)
			*map_put(&last, names.p + noff[i], noff[i + 1] -
			    noff[i]) = (void *)(uintptr_t)(i + 1);
	for (i = 0; i < n; i++) {
		if (n > 16)
			later = (uintptr_t)map_get(&last, names.p + noff[i],
			    noff[i + 1] - noff[i]) != i + 1;
		else
			for (later = false, j = i + 1; j < n && !later; j++)
				later = NAME_EQ(i, j);
		if (later)
			continue;
		if (rd->scratch->len > off)
			buf_addc(rd->scratch, ',');
		jdoc_write(d, keys[i], rd->scratch);
		buf_addc(rd->scratch, ':');
		jdoc_write(d, keys[i] + 1, rd->scratch);
	}
#undef NAME_EQ
	rd->ev->extra.n = rd->scratch->len - off;
	rd->fix[rd->nfix].v = &rd->ev->extra;
	rd->fix[rd->nfix++].off = off;
	map_release(&last);
	free(noff);
	buf_release(&tmp);
	buf_release(&names);
}

bool
event_read(const struct jdoc *d, struct event *ev, struct buf *scratch,
    struct buf *why)
{
	struct rd	 rd;
	struct buf	 keyb = BUF_INIT;
	int		 stackkeys[16], *keys = stackkeys, which, k, i;
	size_t		 nkeys = 0, capkeys = 16;
	const char	*key;
	size_t		 kl;
	uint32_t	 m;
	bool		 typed = false, ok = true;

	memset(ev, 0, sizeof(*ev));
	ev->attrs.p = ev->source.p = ev->extra.p = "";
	rd.nfix = 0;		/* the fixups need no clearing */
	rd.d = d;
	rd.ev = ev;
	rd.scratch = scratch;
	rd.why = why;
	buf_reset(scratch);
	if (d->n == 0 || d->t[0].type != J_OBJECT) {
		buf_reset(why);
		buf_addlit(why, "not an event: not a JSON object");
		return false;
	}
	k = 1;
	for (m = 0; m < d->t[0].count && ok; m++, k = (int)d->t[k + 1].next) {
		key = d->src + d->t[k].start + 1;
		kl = d->t[k].end - d->t[k].start - 2;
		if (d->t[k].flags & JT_ESCAPED) {
			jdoc_str(d, k, &keyb, &key, &kl);
		}
		which = m < NWRITTEN && kl == written_order[m].len &&
		    json_name_eq(key, written_order[m].name, kl) ?
		    written_order[m].which : member_lookup(key, kl);
		if (which < 0) {
			if (nkeys == capkeys) {
				int *nk = xreallocarray(NULL, capkeys * 2,
				    sizeof(*nk));
				memcpy(nk, keys, nkeys * sizeof(*nk));
				if (keys != stackkeys)
					free(keys);
				keys = nk;
				capkeys *= 2;
			}
			keys[nkeys++] = k;
			continue;
		}
		if (which == K_TYPE)
			typed = true;
		/* A field given twice: the later one wins, so the earlier
		 * one's text in scratch is forgotten. */
		for (i = 0; i < rd.nfix; i++)
			if (rd.fix[i].v == member_view(ev, which))
				rd.fix[i--] = rd.fix[--rd.nfix];
		ok = read_member(&rd, which, k + 1);
	}
	if (ok && !typed) {
		buf_reset(why);
		buf_addlit(why, "not an event: no \"type\" member");
		ok = false;
	}
	if (ok && nkeys > 0)
		write_extra(&rd, keys, nkeys);
	if (ok)
		for (i = 0; i < rd.nfix; i++)
			rd.fix[i].v->p = scratch->p + rd.fix[i].off;
	if (keys != stackkeys)
		free(keys);
	buf_release(&keyb);
	return ok;
}

/* ---- keeping ------------------------------------------------------------ */

/*
 * Append view v to b, remember where in *off: a string as JSON string
 * content, or, verbatim, text that is JSON already (members, a number).
 */
static void
dup_view(struct buf *b, const struct strview *v, bool verbatim, size_t *off)
{
	size_t	 start;

	*off = b->len;
	if (v->p == NULL)
		return;
	if (v->json || verbatim) {
		buf_add(b, v->p, v->n);
		return;
	}
	start = b->len;
	jw_str(b, v->p, v->n);
	/* drop the quotes jw_str wrote */
	memmove(b->p + start, b->p + start + 1, b->len - start - 2);
	b->len -= 2;
}

/* The views of an event in one order: the strings, then the JSON texts. */
#define EV_NVIEW	(EF_NSTR + 5)
#define EV_NSTRVIEW	(EF_NSTR + 1)	/* the strings and rule */

static void
event_views(struct event *ev, struct strview *v[EV_NVIEW])
{
	int	 i;

	for (i = 0; i < EF_NSTR; i++)
		v[i] = &ev->f[i];
	v[i++] = &ev->rule;
	v[i++] = &ev->attrs;
	v[i++] = &ev->source;
	v[i++] = &ev->extra;
	v[i++] = &ev->duration;
}

struct event *
event_dup(const struct event *ev)
{
	static struct buf b;	/* a block with views to escape is built
				   here, then copied */
	struct event	*copy;
	struct strview	*from[EV_NVIEW], *to[EV_NVIEW];
	size_t		 off[EV_NVIEW + 1], len;
	char		*text;
	bool		 direct;
	int		 i;

	event_views((struct event *)ev, from);
	/* An event read from a line (every view already JSON text, the
	 * usual case) is copied straight into its block. */
	for (i = 0, len = 0; i < EV_NVIEW; i++) {
		if (from[i]->p != NULL && !from[i]->json && i < EV_NSTRVIEW)
			break;
		off[i] = len;
		len += from[i]->p != NULL ? from[i]->n : 0;
	}
	direct = i == EV_NVIEW;
	if (!direct) {
		buf_reset(&b);
		for (i = 0; i < EV_NVIEW; i++)
			dup_view(&b, from[i], i >= EV_NSTRVIEW, &off[i]);
		len = b.len;
	}
	off[EV_NVIEW] = len;
	copy = xmalloc(sizeof(*copy) + len + 1);
	*copy = *ev;
	text = (char *)(copy + 1);
	if (!direct)
		memcpy(text, b.p ? b.p : "", len);
	else
		for (i = 0; i < EV_NVIEW; i++)
			if (from[i]->p != NULL)
				memcpy(text + off[i], from[i]->p, from[i]->n);
	text[len] = '\0';
	event_views(copy, to);
	for (i = 0; i < EV_NVIEW; i++) {
		if (from[i]->p == NULL)
			continue;
		to[i]->p = text + off[i];
		to[i]->n = off[i + 1] - off[i];
		to[i]->json = i < EV_NSTRVIEW;
	}
	return copy;
}

void
event_free(struct event *ev)
{
	free(ev);
}

bool
event_text(const struct strview *v, struct buf *scratch, const char **p,
    size_t *n)
{
	*p = NULL;
	*n = 0;
	if (v->p == NULL)
		return false;
	if (!v->json || memchr(v->p, '\\', v->n) == NULL) {
		*p = v->p;
		*n = v->n;
		return true;
	}
	buf_reset(scratch);
	json_unescape(v->p, v->n, scratch);
	*p = scratch->p;
	*n = scratch->len;
	return true;
}

int
strview_cmp(const struct strview *a, const struct strview *b)
{
	size_t	 n = a->n < b->n ? a->n : b->n;
	int	 c;

	if (a->p == NULL || b->p == NULL)
		return (a->p != NULL) - (b->p != NULL);
	if ((c = memcmp(a->p, b->p, n)) != 0)
		return c;
	return (a->n > b->n) - (a->n < b->n);
}

bool
strview_eq(const struct strview *v, const char *s, size_t n)
{
	struct buf	 tmp = BUF_INIT;
	const char	*p;
	size_t		 len;
	bool		 eq;

	if (v->p == NULL)
		return false;
	/* Unescaping only shortens: JSON content no longer than s is s
	 * only if it is s byte for byte, with no escape in it. */
	if (v->json && v->n <= n)
		return v->n == n && memcmp(v->p, s, n) == 0 &&
		    memchr(s, '\\', n) == NULL;
	if (!v->json || memchr(v->p, '\\', v->n) == NULL)
		return v->n == n && memcmp(v->p, s, n) == 0;
	event_text(v, &tmp, &p, &len);
	eq = len == n && memcmp(p, s, n) == 0;
	buf_release(&tmp);
	return eq;
}

bool
event_failed(const struct event *ev)
{
	return strview_eq(&ev->f[EF_STATUS], "FAILURE", 7);
}

bool
event_succeeded(const struct event *ev)
{
	return strview_eq(&ev->f[EF_STATUS], "SUCCESS", 7);
}

bool
event_is_detail(const struct event *ev)
{
	return strview_eq(&ev->f[EF_PART], "detail", 6);
}
