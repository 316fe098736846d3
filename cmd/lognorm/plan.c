/*
 * plan.c - a text rule's event written straight from its captures.
 *
 * emit() (fields.c) serves every kind of record: each mapping's value is
 * evaluated through its kind, each attribute appended through the same
 * general path, each event field tested for, and event_write() writes the
 * event member by member, null after null.  For a text rule without a jq
 * program whose attributes have distinct names, most of that is known
 * when the rule is compiled, and is done then, into a plan:
 *
 *  - the event fields the rule maps, in the order emit() sets them;
 *  - its attributes in the order emit() appends them (its unused groups,
 *    then its attrs mappings), each with its key written as JSON, and a
 *    constant one whole, key and value;
 *  - the event's text as event_write() itself writes it for this rule
 *    with placeholders where a line's values go (the fields it maps, the
 *    attributes, the source): the fields it never maps are null in every
 *    event, a field it sets to a constant the same in every event (a
 *    status or a part too, when set_field() takes it as written), and
 *    the rule's name, and are copied with the text around them.
 *
 * plan_emit() then makes the same bytes as emit() and event_write(): the
 * values are normalized as set_field() does, its common cases (a text
 * taken as it is, a timestamp, SUCCESS or FAILURE, a lower-case id) here,
 * without the call (enum how), the others through it.
 */
#include <stdlib.h>
#include <string.h>

#include "fields.h"
#include "jw.h"
#include "lp.h"
#include "words.h"

/* An attribute of the plan, in the order emit() appends them. */
struct pattr {
	enum {
		PA_GROUP,	/* a group that no mapping takes: absent
				   when it did not take part in the match */
		PA_REF,		/* attrs.x = $group: null when it did not */
		PA_TEXT,	/* a constant: text is "key":value */
		PA_VALUE	/* anything else, through attr_put_name() */
	}		 kind;
	int		 group;
	const struct aname *an;
	const struct value *val;	/* PA_VALUE */
	char		*text;		/* PA_TEXT */
	size_t		 len;
	bool		 message;	/* "message", which is also what
					   templates classify (n->msg) */
};

/* Where a line's value goes in the event's text. */
struct hole {
	size_t		 off, len;	/* the placeholder in skel */
	int		 what;		/* an enum efield, or one of: */
	const char	*text;		/* the skeleton's text before it, */
	size_t		 textlen;	/* from the end of the hole before */
};
#define H_ATTRS		(-1)
#define H_SOURCE	(-2)

struct plan {
	int		 field[EF_NFIELDS];	/* mapped fields, in order */
	const struct value *val[EF_NFIELDS];	/* by place in field: its
						   mapping's value */
	unsigned char	 how[EF_NFIELDS];	/* by place in field: how a
						   capture is set (enum how) */
	int		 nfields;
	struct pattr	*attr;
	int		 nattrs;
	char		*skel;		/* the event's text, or NULL: written
					   by event_write() */
	size_t		 skellen;
	struct hole	 hole[EF_NFIELDS + 2];
	int		 nholes;
	int		 strf[EF_NSTR];	/* the string fields of the holes */
	int		 nstrf;
	size_t		 reserve;	/* skel's length, and the most the
					   holes of fixed size take */
	const char	*tail;		/* skel after the last hole */
	size_t		 taillen;
};

/*
 * skel is followed by SKEL_PAD bytes, and out is given as many beyond
 * what it needs: the skeleton's pieces are copied thirty-two bytes at
 * least, sixteen at a time, past their ends (the bytes past an end are
 * overwritten next, or lie past out's length).
 */
#define SKEL_PAD	32

/*
 * The placeholder of field f, of the attributes and of the source: a
 * control byte, which the text event_write() makes never holds as it is
 * (jw_str escapes it, and the rule's name is escaped), and a letter.
 */
static const char ph_field[EF_NFIELDS][3] = {
	"\001A", "\001B", "\001C", "\001D", "\001E", "\001F", "\001G",
	"\001H", "\001I", "\001J", "\001K", "\001L"
};
#define PH_ATTRS	"\001a"
#define PH_SOURCE	"\001s"

/*
 * How plan_emit() sets field f from bytes (a capture, a constant): the
 * common cases of set_field() done here, without the call, each as
 * set_field() does it; the rest through it.
 */
enum how {
	HOW_CALL,	/* set_field() */
	HOW_PLAIN,	/* its default case: the text as it is */
	HOW_TIME,	/* a timestamp: ts_read(), timestamp_raw */
	HOW_STATUS,	/* SUCCESS and FAILURE as they are */
	HOW_HEX		/* an id: lower-case hexadecimal as it is */
};

/* Whether set_field() takes field f's text as it is, without a word of
 * its own or a check (its default case). */
static bool
plain_field(int f)
{
	switch (f) {
	case EF_SYSTEM_ID:
	case EF_CHECKPOINT_ID:
	case EF_CORRELATION_ID:
	case EF_FAILURE_REASON:
	case EF_TARGET_SYSTEM_ID:
		return true;
	default:
		return false;
	}
}

/*
 * Whether field f of rule r is the same in every event: a constant (or
 * null) that set_field() copies as it is (plain_field), or a status or
 * part it takes as it is written (SUCCESS or FAILURE, main or detail: the
 * separate error log's part = detail, status = FAILURE).  Such a field
 * is written into the skeleton, as its text (null when empty; event_write
 * writes a part that is null as "main").
 */
static bool
constant_field(const struct rule *r, int f)
{
	const struct value *val;

	if (r->mapped[f] < 0)
		return false;
	val = &r->maps[r->mapped[f]].val;
	if (val->kind == VAL_NULL)
		return plain_field(f) || f == EF_STATUS || f == EF_PART;
	if (val->kind != VAL_CONST)
		return false;
	switch (f) {
	case EF_STATUS:
		return val->len == 7 && (memcmp(val->str, "SUCCESS", 7) == 0 ||
		    memcmp(val->str, "FAILURE", 7) == 0);
	case EF_PART:
		return (val->len == 4 && memcmp(val->str, "main", 4) == 0) ||
		    (val->len == 6 && memcmp(val->str, "detail", 6) == 0);
	default:
		return plain_field(f);
	}
}

/*
 * The event's text for rule r, as event_write() writes it, with each
 * field r maps, the attributes and the source as placeholders: the
 * timestamp as null (its hole is the null after "timestamp":), a string
 * field as a JSON string of its placeholder, duration_ms as its
 * placeholder.  False (no skeleton) when the text is not as expected, or
 * r maps part to anything but a constant, which event_write() writes as
 * "main" when it is null.
 */
static bool
skeleton(struct plan *pl, const struct rule *r)
{
	struct event	 ev;
	struct buf	 b = BUF_INIT;
	const char	*p, *ts;
	int		 f, want = 2;
	size_t		 i;

	if (r->mapped[EF_PART] >= 0 && !constant_field(r, EF_PART))
		return false;
	memset(&ev, 0, sizeof(ev));
	for (f = 0; f < EF_NSTR; f++)
		if (constant_field(r, f)) {
			/* as set_field() sets it: null when empty */
			const struct value *val = &r->maps[r->mapped[f]].val;
			if (val->kind == VAL_CONST && val->len > 0) {
				ev.f[f].p = val->str;
				ev.f[f].n = val->len;
				ev.f[f].json = val->plain;
			}
		} else if (r->mapped[f] >= 0) {
			ev.f[f].p = ph_field[f];
			ev.f[f].n = 2;
			ev.f[f].json = true;
			want++;
		}
	if (r->mapped[EF_DURATION_MS] >= 0) {
		ev.has_duration = true;
		ev.duration.p = ph_field[EF_DURATION_MS];
		ev.duration.n = 2;
		want++;
	}
	ev.rule.p = r->jname + 1;
	ev.rule.n = r->jnamelen - 2;
	ev.rule.json = true;
	ev.attrs.p = PH_ATTRS;
	ev.attrs.n = 2;
	ev.source.p = PH_SOURCE;
	ev.source.n = 2;
	event_write(&b, &ev);
	pl->nholes = 0;
	if (r->mapped[EF_TIMESTAMP] >= 0) {
		/* the first member of that name, at the top */
		if ((ts = lp_memmem(b.p, b.len, "\"timestamp\":null", 16)) ==
		    NULL) {
			buf_release(&b);
			return false;
		}
		pl->hole[0].off = (size_t)(ts - b.p) + 12;
		pl->hole[0].len = 4;
		pl->hole[0].what = EF_TIMESTAMP;
		pl->nholes = 1;
		want++;
	}
	for (i = 0; i + 1 < b.len; i++) {
		if (b.p[i] != '\001')
			continue;
		p = b.p + i + 1;
		if (pl->nholes == EF_NFIELDS + 2)
			break;
		struct hole *h = &pl->hole[pl->nholes++];
		if (*p == 'a' || *p == 's') {
			h->off = i;
			h->len = 2;
			h->what = *p == 'a' ? H_ATTRS : H_SOURCE;
		} else if (*p == 'A' + EF_DURATION_MS) {
			h->off = i;
			h->len = 2;
			h->what = EF_DURATION_MS;
		} else if (*p >= 'A' && *p < 'A' + EF_NSTR && i > 0 &&
		    b.p[i - 1] == '"' && i + 2 < b.len && b.p[i + 2] == '"') {
			h->off = i - 1;
			h->len = 4;
			h->what = *p - 'A';
		} else
			break;
	}
	/* in the order of the text (the timestamp's is first) */
	for (f = 1; f < pl->nholes; f++)
		for (i = (size_t)f; i > 0 &&
		    pl->hole[i - 1].off > pl->hole[i].off; i--) {
			struct hole t = pl->hole[i];
			pl->hole[i] = pl->hole[i - 1];
			pl->hole[i - 1] = t;
		}
	if (pl->nholes != want) {
		buf_release(&b);
		return false;
	}
	buf_grow(&b, SKEL_PAD);
	memset(b.p + b.len, 0, SKEL_PAD);
	pl->skel = buf_detach(&b, &pl->skellen);
	for (i = 0, f = 0; f < pl->nholes; f++) {
		pl->hole[f].text = pl->skel + i;
		pl->hole[f].textlen = pl->hole[f].off - i;
		i = pl->hole[f].off + pl->hole[f].len;
	}
	pl->tail = pl->skel + i;
	pl->taillen = pl->skellen - i;
	for (f = 0; f < pl->nholes; f++)
		if (pl->hole[f].what >= 0 && pl->hole[f].what < EF_NSTR)
			pl->strf[pl->nstrf++] = pl->hole[f].what;
	/* the timestamp, quoted; duration_ms as jw_num writes a double */
	pl->reserve = pl->skellen + TS_LEN + 2 + 32 + SKEL_PAD;
	return true;
}

struct plan *
plan_make(const struct rule *r)
{
	struct plan	*pl;
	struct pattr	*pa;
	const struct value *val;
	struct buf	 b = BUF_INIT;
	int		 f, i;

	if (!r->is_text || r->decode != DECODE_NONE || r->jq != NULL ||
	    !r->attrs_unique || r->re == NULL)
		return NULL;
	pl = xcalloc(1, sizeof(*pl));
	pl->attr = xcalloc((size_t)r->ncaps + (size_t)r->nmaps + 1,
	    sizeof(*pl->attr));
	for (i = 0; i < r->ncaps; i++) {
		if (r->caps[i].used)
			continue;
		pa = &pl->attr[pl->nattrs++];
		pa->kind = PA_GROUP;
		pa->group = r->caps[i].group;
		pa->an = &r->caps[i].an;
		pa->message = pa->an->n == 7 &&
		    memcmp(pa->an->s, "message", 7) == 0;
	}
	for (i = 0; i < r->nmaps; i++) {
		if (r->maps[i].field >= 0)
			continue;
		val = &r->maps[i].val;
		pa = &pl->attr[pl->nattrs++];
		pa->an = &r->maps[i].an;
		pa->val = val;
		pa->message = pa->an->n == 7 &&
		    memcmp(pa->an->s, "message", 7) == 0;
		if (val->kind == VAL_REF && val->ref.group >= 0) {
			pa->kind = PA_REF;
			pa->group = val->ref.group;
		} else if ((val->kind == VAL_CONST || val->kind == VAL_NULL) &&
		    !pa->message) {
			pa->kind = PA_TEXT;
			buf_reset(&b);
			buf_add(&b, pa->an->key, pa->an->keylen);
			if (val->kind == VAL_NULL)
				jw_null(&b);
			else
				jw_str(&b, val->str, val->len);
			pa->text = buf_detach(&b, &pa->len);
		} else
			pa->kind = PA_VALUE;
	}
	buf_release(&b);
	if (!skeleton(pl, r)) {
		free(pl->skel);
		pl->skel = NULL;
	}
	/* the fields to set line by line: not those in the skeleton */
	for (f = 0; f < EF_NFIELDS; f++)
		if (r->mapped[f] >= 0 &&
		    (pl->skel == NULL || !constant_field(r, f))) {
			pl->val[pl->nfields] = &r->maps[r->mapped[f]].val;
			pl->how[pl->nfields] = plain_field(f) ? HOW_PLAIN :
			    f == EF_TIMESTAMP ? HOW_TIME :
			    f == EF_STATUS ? HOW_STATUS :
			    f == EF_TRACE_ID || f == EF_SPAN_ID ||
			    f == EF_PARENT_SPAN_ID ? HOW_HEX : HOW_CALL;
			pl->field[pl->nfields++] = f;
		}
	return pl;
}

void
plan_free(struct plan *pl)
{
	int	 i;

	if (pl == NULL)
		return;
	for (i = 0; i < pl->nattrs; i++)
		free(pl->attr[i].text);
	free(pl->attr);
	free(pl->skel);
	free(pl);
}

/* Append "key":"text" (text that needs no escaping) to a, after a comma
 * when a holds an attribute already, as attr_put_name() does. */
static inline void
put_plain(struct buf *a, const struct aname *an, const char *p, size_t len)
{
	size_t	 need = an->keylen + len + 4;
	char	*w;

	if (a->cap - a->len <= need)
		buf_grow(a, need);
	w = a->p + a->len;
	if (a->len > 0)
		*w++ = ',';
	w = event_put_bytes(w, an->key, an->keylen);
	*w++ = '"';
	w = event_put_bytes(w, p, len);
	*w++ = '"';
	*w = '\0';
	a->len = (size_t)(w - a->p);
}

/*
 * Append "key":value of group g of rc's match to a: the capture as a
 * JSON string, null when the group took no part or took the text "null"
 * (rec_get's reading of a capture); absent (nothing appended) when absent
 * is set and the group took no part.
 */
static inline void
put_group(struct buf *a, const struct rec *rc, const struct aname *an,
    int g, bool absent)
{
	const char	*p;
	size_t		 len, need;
	bool		 set;

	set = (uint32_t)g < rc->ovn && rc->ov[2 * g] != PCRE2_UNSET;
	if (!set && absent && rc->ov[2 * g] == PCRE2_UNSET)
		return;
	p = rc->text + (set ? rc->ov[2 * g] : 0);
	len = set ? rc->ov[2 * g + 1] - rc->ov[2 * g] : 0;
	if (set && len == 4 && memcmp(p, "null", 4) == 0)
		set = false;
	if (set && rc->plain) {
		put_plain(a, an, p, len);
		return;
	}
	need = an->keylen + (set ? len + 4 : 8);
	if (a->cap - a->len <= need)
		buf_grow(a, need);
	if (a->len > 0)
		a->p[a->len++] = ',';
	memcpy(a->p + a->len, an->key, an->keylen);
	a->len += an->keylen;
	if (!set) {
		memcpy(a->p + a->len, "null", 4);
		a->len += 4;
	} else {
		jw_str(a, p, len);
		return;		/* jw_str ends the string */
	}
	a->p[a->len] = '\0';
}

/* A mapped field's value: a group's capture read here, the rest through
 * eval_value() (templates built in scratch). */
static inline void
field_value(struct norm *n, const struct rec *rc, const struct value *val,
    struct buf *scratch, struct val *v)
{
	int	 g = val->ref.group;

	if (val->kind != VAL_REF || g < 0) {
		eval_value(n, rc, val, scratch, v);
		return;
	}
	v->kind = V_NONE;
	if ((uint32_t)g >= rc->ovn || rc->ov[2 * g] == PCRE2_UNSET)
		return;
	v->p = rc->text + rc->ov[2 * g];
	v->n = rc->ov[2 * g + 1] - rc->ov[2 * g];
	if (v->n == 4 && memcmp(v->p, "null", 4) == 0)
		return;
	v->kind = V_BYTES;
	v->json = rc->plain;
}

/* Copy a piece of the skeleton (SKEL_PAD bytes readable past its end,
 * as many writable past d + n): thirty-two bytes, as most pieces are no
 * longer, then sixteen at a time. */
static inline void
copy_piece(char *d, const char *s, size_t n)
{
	size_t	 i;

	memcpy(d, s, 16);
	memcpy(d + 16, s + 16, 16);
	for (i = 32; i < n; i += 16)
		memcpy(d + i, s + i, 16);
}

/*
 * Append view v as event_write() does, at w (in out): null, a JSON string
 * as it is, or bytes escaped.  Returns the end.
 */
static inline char *
put_view(struct buf *out, char *w, const struct strview *v)
{
	if (v->p == NULL) {
		memcpy(w, "null", 4);
		return w + 4;
	}
	if (v->json) {
		*w++ = '"';
		w = event_put_bytes(w, v->p, v->n);
		*w++ = '"';
		return w;
	}
	out->len = (size_t)(w - out->p);
	jw_str(out, v->p, v->n);
	return out->p + out->len;
}

/*
 * The time ms formatted (RFC 3339, TS_LEN bytes) into n->iso.  Logs come
 * in time order: the last one formatted is kept, and within its minute
 * only the seconds and milliseconds are written again.
 */
static inline void
iso_time(struct norm *n, int64_t ms)
{
	int64_t	 min, rem;
	unsigned s, f;

	if (n->iso_ok && n->iso_ms == ms)
		return;
	/* the minute, rounded down (a time before 1970 too) */
	min = ms / 60000 - (ms % 60000 < 0);
	if (n->iso_ok && min == n->iso_ms / 60000 - (n->iso_ms % 60000 < 0)) {
		rem = ms - min * 60000;
		s = (unsigned)(rem / 1000);
		f = (unsigned)(rem % 1000);
		n->iso[17] = (char)('0' + s / 10);
		n->iso[18] = (char)('0' + s % 10);
		n->iso[20] = (char)('0' + f / 100);
		n->iso[21] = (char)('0' + f / 10 % 10);
		n->iso[22] = (char)('0' + f % 10);
	} else
		ts_format(ms, n->iso);
	n->iso_ms = ms;
	n->iso_ok = true;
}

/*
 * Write ev through the plan's skeleton: its text, and each hole's value.
 * The bytes go through a cursor w, a local, not through out->len, which
 * a store of a char may alias (event_write() does the same).
 */
static void
plan_write(struct norm *n, const struct plan *pl, const struct event *ev,
    struct buf *out)
{
	const struct hole *h, *end = pl->hole + pl->nholes;
	size_t		 need = pl->reserve + ev->attrs.n + ev->source.n +
			    ev->duration.n;
	char		*w;
	int		 i;

	/* a field's text takes at most 6n + 4 (strview_max): added for
	 * those of the holes */
	for (i = 0; i < pl->nstrf; i++)
		need += 6 * ev->f[pl->strf[i]].n + 4;
	if (out->cap - out->len <= need)
		buf_grow(out, need);
	w = out->p + out->len;
	for (h = pl->hole; h < end; h++) {
		copy_piece(w, h->text, h->textlen);
		w += h->textlen;
		/* a string field, the most of them */
		if ((unsigned)h->what < EF_NSTR) {
			w = put_view(out, w, &ev->f[h->what]);
			continue;
		}
		switch (h->what) {
		case EF_TIMESTAMP:
			if (!ev->has_ts) {
				memcpy(w, "null", 4);
				w += 4;
				break;
			}
			iso_time(n, ev->ts_ms);
			*w++ = '"';
			memcpy(w, n->iso, TS_LEN);
			w += TS_LEN;
			*w++ = '"';
			break;
		case EF_DURATION_MS:
			if (!ev->has_duration) {
				memcpy(w, "null", 4);
				w += 4;
			} else if (ev->duration.p != NULL) {
				w = event_put_bytes(w, ev->duration.p,
				    ev->duration.n);
			} else {
				out->len = (size_t)(w - out->p);
				jw_num(out, ev->duration_ms);
				w = out->p + out->len;
			}
			break;
		case H_ATTRS:
			memcpy(w, ev->attrs.p, ev->attrs.n);
			w += ev->attrs.n;
			break;
		default:	/* H_SOURCE */
			w = event_put_bytes(w, ev->source.p, ev->source.n);
			break;
		}
	}
	copy_piece(w, pl->tail, pl->taillen);
	w += pl->taillen;
	*w = '\0';
	out->len = (size_t)(w - out->p);
}

/* lognorm's own attribute of a timestamp that is not in its normalized
 * form (as set_field() names it) */
static const struct aname an_timestamp_raw = ANAME("timestamp_raw");

/*
 * Set field f of ev from bytes v (a capture, a constant) as set_field()
 * does, in its common cases (how): false when it is none of them, and
 * nothing is done (set_field() does it).
 */
static inline bool
set_bytes(struct norm *n, const struct rec *rc, struct event *ev, int how,
    int f, const struct val *v)
{
	const char	*p = v->p;
	size_t		 len = v->n;
	bool		 same;

	switch (how) {
	case HOW_TIME:
		/* a text that is no time: set_field() says why */
		if (len == 0 || !ts_read(n, p, len, rc->r->time_format,
		    false, &ev->ts_ms, &same))
			return len == 0;
		ev->has_ts = true;
		if (same)
			return true;
		/* attr_put_name()'s common case: the plan's attributes are
		 * appended, their names distinct (attrs_fast) */
		if (v->json)
			put_plain(&n->attrs.text, &an_timestamp_raw, p, len);
		else
			attr_put_name(n, rc, &an_timestamp_raw, -1, v);
		return true;
	case HOW_STATUS:
		if (len != 7)
			return false;
		if (memcmp(p, "SUCCESS", 7) == 0)
			p = "SUCCESS";
		else if (memcmp(p, "FAILURE", 7) == 0)
			p = "FAILURE";
		else
			return false;
		ev->f[f].p = p;
		ev->f[f].n = 7;
		ev->f[f].json = true;	/* a word of ours */
		return true;
	case HOW_HEX:
		/* hexadecimal digits with upper case are lower-cased by
		 * set_field(); any other text is taken as it is */
		if (hex_upper(p, len))
			return false;
		/* FALLTHROUGH */
	case HOW_PLAIN:
		/* empty is null */
		if (len > 0) {
			ev->f[f].p = p;
			ev->f[f].n = len;
			ev->f[f].json = v->json;
		}
		return true;
	default:
		return false;
	}
}

bool
plan_emit(struct norm *n, const struct rec *rc, struct buf *out)
{
	const struct rule *r = rc->r;
	const struct plan *pl = r->plan;
	const struct pattr *pa;
	struct buf	*a = &n->attrs.text;
	struct event	 ev;
	struct val	 fv, v;
	int		 i, f;

	/* with a skeleton only the holes' fields are read: the rest of ev
	 * is left as it is (those fields are cleared below) */
	if (pl->skel == NULL)
		memset(&ev, 0, sizeof(ev));
	else {
		ev.has_ts = false;
		ev.has_duration = false;
		ev.duration.p = NULL;
		ev.duration.n = 0;
	}
	attrs_reset(&n->attrs);
	n->msg_put = false;
	n->attrs_fast = true;		/* the rule's attrs_unique */
	buf_reset(&n->msg);
	for (i = 0; i < pl->nattrs; i++) {
		pa = &pl->attr[i];
		switch (pa->kind) {
		case PA_GROUP:
		case PA_REF:
			put_group(a, rc, pa->an, pa->group,
			    pa->kind == PA_GROUP);
			if (pa->message && n->tmpl != NULL) {
				struct value ref = { .kind = VAL_REF };
				ref.ref.group = pa->group;
				field_value(n, rc, &ref, &n->tmp, &v);
				if (v.kind != V_NONE)
					buf_add(&n->msg, v.p, v.n);
			}
			break;
		case PA_TEXT:
			if (a->len > 0)
				buf_addc(a, ',');
			buf_add(a, pa->text, pa->len);
			break;
		default:
			eval_value(n, rc, pa->val, &n->jqtext, &v);
			attr_put_name(n, rc, pa->an, -1, &v);
			break;
		}
	}
	/* the fields after the attributes: set_field() appends to them
	 * (timestamp_raw, status) */
	for (i = 0; i < pl->nfields; i++) {
		f = pl->field[i];
		if (f < EF_NSTR) {
			ev.f[f].p = NULL;
			ev.f[f].n = 0;
			ev.f[f].json = false;
		}
		field_value(n, rc, pl->val[i], &n->field[f], &fv);
		if (fv.kind == V_NONE)
			continue;
		if (fv.kind != V_BYTES ||
		    !set_bytes(n, rc, &ev, pl->how[i], f, &fv)) {
			if (!set_field(n, rc, &ev, f, &fv))
				return false;
		}
	}
	if (pl->skel == NULL || n->tmpl != NULL || n->index >= 0) {
		emit_end(n, rc, &ev);
		if (pl->skel == NULL) {
			event_write(out, &ev);
			return true;
		}
	} else {
		/* emit_end() without templates, for a record's one event:
		 * the skeleton holds the rule's name */
		ev.attrs.p = n->attrs.text.p ? n->attrs.text.p : "";
		ev.attrs.n = n->attrs.text.len;
		ev.source.p = n->source.p;
		ev.source.n = n->source.len;
	}
	plan_write(n, pl, &ev, out);
	return true;
}
