/*
 * devent.c - a span decoder's item written as an event directly; see
 * decode.h.
 *
 * Under a rule that maps nothing of its own (the shipped otlp, zipkin
 * and jaeger rules), the event of a decoder's object is known from its
 * members alone: those named as event fields fill them, the others are
 * its attrs in their order, then timestamp_raw.  Making the object's
 * tokens and mapping them (fields.c, emit) cost about half of a span;
 * here the members' texts, as the decoder wrote them, go straight into
 * the event.  Only the common values are read here, as set_field reads
 * them; for any other (a timestamp that is no time, a status that is not
 * SUCCESS or FAILURE, a part, a container where a field goes, a duration
 * that is no number) dec_event declines and the object is mapped as
 * before, so that every event is emit()'s, byte for byte
 * (tests/12-lognorm-mutations.bats compares the two on every shape).
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "decode.h"
#include "event.h"
#include "jw.h"
#include "ts.h"

bool
dec_direct(const struct norm *n, const struct rule *r)
{
	return r->nmaps == 0 && r->ndrops == 0 && r->nused == 0 &&
	    r->time_format == NULL && r->jq == NULL && n->tmpl == NULL &&
	    n->cont == NULL;
}

/* Whether the JSON text v[0..len) is the null literal. */
static bool
is_null(const char *v, size_t len)
{
	return len == 4 && memcmp(v, "null", 4) == 0;
}

/*
 * String field f from the member's text v[0..len), as emit's set_field
 * fills it: a string's content (unescaped when it has escapes), a number
 * or literal as written; "" is no value.  False for what it reads
 * otherwise: a container, a status other than SUCCESS or FAILURE, a
 * part.
 */
static bool
str_field(struct dec *dc, struct event *ev, int f, const char *v,
    size_t len)
{
	struct strview	*sv = &ev->f[f];
	struct buf	*sb = &dc->ev_str[f];

	if (v[0] == '{' || v[0] == '[' || f == EF_PART)
		return false;
	if (v[0] != '"') {
		if (f == EF_STATUS)
			return false;
		sv->p = v;
		sv->n = len;
		return true;
	}
	sv->p = v + 1;
	sv->n = len - 2;
	sv->json = true;
	if (memchr(sv->p, '\\', sv->n) != NULL) {
		buf_reset(sb);
		json_unescape(sv->p, sv->n, sb);
		sv->p = sb->p;
		sv->n = sb->len;
		sv->json = false;
	}
	if (f == EF_STATUS && !(sv->n == 7 && (memcmp(sv->p, "SUCCESS",
	    7) == 0 || memcmp(sv->p, "FAILURE", 7) == 0)))
		return false;
	if (sv->n == 0)
		sv->p = NULL;
	return true;
}

/*
 * The timestamp from a member v[0..len), a string (its content, no
 * escapes) or a number, read as emit() reads it, with the same memo of
 * the last text read (struct norm's tsc); *raw: the text is to be kept
 * as timestamp_raw.  False for what emit() rejects or reads otherwise.
 */
static bool
timestamp(struct dec *dc, struct event *ev, const char *v, size_t len,
    bool *raw)
{
	struct norm	*n = dc->n;
	const char	*p = v;
	size_t		 pl = len;
	bool		 same, num;

	*raw = false;
	num = v[0] == '-' || (v[0] >= '0' && v[0] <= '9');
	if (!num) {
		if (v[0] != '"')
			return false;
		p = v + 1;
		pl = len - 2;
		if (memchr(p, '\\', pl) != NULL)
			return false;
		if (pl == 0)
			return true;
	}
	if (!ts_read(n, p, pl, NULL, num, &ev->ts_ms, &same))
		return false;
	ev->has_ts = true;
	*raw = !same;
	return true;
}

/* duration_ms from a number member v[0..len), as emit() reads it: a
 * canonical JSON number is copied as written, another read as a double
 * (and written as jw_num writes it).  False for anything else. */
static bool
duration(struct dec *dc, struct event *ev, const char *v, size_t len)
{
	struct buf	*tmp = &dc->s2;	/* scratch, free by now */
	char		*end;
	size_t		 i;

	for (i = 0; i < len && ((v[i] >= '0' && v[i] <= '9') ||
	    v[i] == '.' || v[i] == '-' || v[i] == '+' || v[i] == 'e' ||
	    v[i] == 'E'); i++)
		;
	if (len == 0 || i < len)
		return false;
	ev->has_duration = true;
	if (jw_num_canonical(v, len)) {
		ev->duration.p = v;
		ev->duration.n = len;
		return true;
	}
	buf_reset(tmp);
	buf_add(tmp, v, len);
	ev->duration_ms = strtod(tmp->p, &end);
	return *end == '\0' && isfinite(ev->duration_ms);
}

/* Append "name":value to the attrs being made. */
static void
attr_add(struct buf *a, const char *name, size_t nl, const char *v,
    size_t vl)
{
	char	*o;

	if (a->cap - a->len <= nl + vl + 4)
		buf_grow(a, nl + vl + 4);
	o = a->p + a->len;
	if (a->len > 0)
		*o++ = ',';
	*o++ = '"';
	memcpy(o, name, nl);
	o += nl;
	*o++ = '"';
	*o++ = ':';
	memcpy(o, v, vl);
	o += vl;
	*o = '\0';
	a->len = (size_t)(o - a->p);
}

/*
 * Append ,"timestamp_raw":VALUE, member m's text, to the attributes at
 * the end of vals (decode.h, attr0).  Before any view into vals is
 * taken: vals may move.
 */
static void
raw_in_vals(struct dec *dc, const struct dec_mem *m)
{
	struct buf	*b = &dc->vals;

	buf_grow(b, m->len + 18);
	if (dc->attr0 == SIZE_MAX)
		dc->attr0 = b->len;
	else
		buf_addc(b, ',');
	buf_addlit(b, "\"timestamp_raw\":");
	buf_add(b, b->p + m->off, m->len);
}

bool
dec_event(struct dec *dc)
{
	struct norm	*n = dc->n;
	const struct rule *r = dc->o->rc->r;
	const struct dec_mem *m;
	struct event	 ev;
	int		 fv[EF_NFIELDS], f;
	size_t		 i;
	bool		 raw = false;

	memset(&ev, 0, sizeof(ev));
	for (f = 0; f < EF_NFIELDS; f++)
		fv[f] = -1;
	/* the event fields (null is none) */
	for (i = 0; i < dc->nmemb; i++) {
		m = &dc->mem[i];
		if (m->field >= 0 && !is_null(dc->vals.p + m->off, m->len))
			fv[m->field] = (int)i;
	}
	/* the timestamp first: its timestamp_raw may grow vals */
	if (fv[EF_TIMESTAMP] >= 0) {
		m = &dc->mem[fv[EF_TIMESTAMP]];
		if (!timestamp(dc, &ev, dc->vals.p + m->off, m->len, &raw))
			return false;
		if (raw && !dc->attr_split)
			raw_in_vals(dc, m);
	}
	for (f = 0; f < EF_NSTR; f++)
		if (fv[f] >= 0 && !str_field(dc, &ev, f, dc->vals.p +
		    dc->mem[fv[f]].off, dc->mem[fv[f]].len))
			return false;
	if (fv[EF_DURATION_MS] >= 0) {
		m = &dc->mem[fv[EF_DURATION_MS]];
		if (!duration(dc, &ev, dc->vals.p + m->off, m->len))
			return false;
	}
	/* the attributes: the members that are no field, in their order,
	 * then timestamp_raw; in vals as they are, unless a field came
	 * between them */
	if (!dc->attr_split) {
		ev.attrs.p = dc->attr0 != SIZE_MAX ? dc->vals.p + dc->attr0 : "";
		ev.attrs.n = dc->attr0 != SIZE_MAX ? dc->vals.len - dc->attr0 : 0;
	} else {
		buf_reset(&dc->ev_attrs);
		for (i = 0; i < dc->nmemb; i++) {
			m = &dc->mem[i];
			if (m->field < 0)
				attr_add(&dc->ev_attrs, m->name, m->nlen,
				    dc->vals.p + m->off, m->len);
		}
		if (raw) {
			m = &dc->mem[fv[EF_TIMESTAMP]];
			attr_add(&dc->ev_attrs, "timestamp_raw", 13,
			    dc->vals.p + m->off, m->len);
		}
		ev.attrs.p = dc->ev_attrs.p != NULL ? dc->ev_attrs.p : "";
		ev.attrs.n = dc->ev_attrs.len;
	}
	ev.rule.p = r->jname + 1;
	ev.rule.n = r->jnamelen - 2;
	ev.rule.json = true;
	/* one of the record's outputs: which */
	buf_reset(&dc->ev_src);
	buf_add(&dc->ev_src, n->source.p, n->source.len);
	buf_addlit(&dc->ev_src, ",\"index\":");
	jw_int(&dc->ev_src, dc->o->outputs);
	ev.source.p = dc->ev_src.p;
	ev.source.n = dc->ev_src.len;
	event_write(dc->o->out, &ev);
	return true;
}
