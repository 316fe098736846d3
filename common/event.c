/*
 * event.c - writing event records; see event.h.
 */
#include <string.h>

#include "event.h"
#include "jw.h"
#include "ts.h"
#include "lp.h"

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

#define put_str(out, key, v)	do {			\
	buf_addlit((out), key);					\
	put_val((out), (v));					\
} while (0)

static inline void
put_val(struct buf *out, const struct strview *v)
{
	if (v->p == NULL)
		jw_null(out);
	else if (v->json) {
		buf_grow(out, v->n + 2);
		out->p[out->len++] = '"';
		memcpy(out->p + out->len, v->p, v->n);
		out->len += v->n;
		out->p[out->len++] = '"';
		out->p[out->len] = '\0';
	} else
		jw_str(out, v->p, v->n);
}

void
event_write(struct buf *out, const struct event *ev)
{
	char	 ts[TS_LEN + 1];

	buf_addlit(out, "{\"type\":\"event\",\"timestamp\":");
	if (ev->has_ts) {
		ts_format(ev->ts_ms, ts);
		buf_addc(out, '"');
		buf_add(out, ts, TS_LEN);
		buf_addc(out, '"');
	} else
		jw_null(out);
	put_str(out, ",\"system_id\":", &ev->f[EF_SYSTEM_ID]);
	put_str(out, ",\"checkpoint_id\":", &ev->f[EF_CHECKPOINT_ID]);
	put_str(out, ",\"status\":", &ev->f[EF_STATUS]);
	put_str(out, ",\"correlation_id\":", &ev->f[EF_CORRELATION_ID]);
	put_str(out, ",\"failure_reason\":", &ev->f[EF_FAILURE_REASON]);
	put_str(out, ",\"trace_id\":", &ev->f[EF_TRACE_ID]);
	put_str(out, ",\"span_id\":", &ev->f[EF_SPAN_ID]);
	put_str(out, ",\"parent_span_id\":", &ev->f[EF_PARENT_SPAN_ID]);
	put_str(out, ",\"target_system_id\":", &ev->f[EF_TARGET_SYSTEM_ID]);
	buf_addlit(out, ",\"duration_ms\":");
	if (ev->has_duration)
		jw_num(out, ev->duration_ms);
	else
		jw_null(out);
	if (ev->f[EF_PART].p != NULL)
		put_str(out, ",\"part\":", &ev->f[EF_PART]);
	else
		buf_addlit(out, ",\"part\":\"main\"");
	buf_addlit(out, ",\"rule\":");
	put_val(out, &ev->rule);
	buf_addlit(out, ",\"attrs\":{");
	if (ev->attrs != NULL && ev->attrs->len > 0)
		buf_add(out, ev->attrs->p, ev->attrs->len);
	buf_addlit(out, "},\"source\":{");
	if (ev->source != NULL && ev->source->len > 0)
		buf_add(out, ev->source->p, ev->source->len);
	buf_add(out, "}}\n", 3);
}

/* The members of object token obj, compact, without braces, into b. */
static void
members(const struct jdoc *d, int obj, struct buf *b)
{
	size_t	 mark = b->len;

	jdoc_write(d, obj, b);
	/* jdoc_write wrote "{...}": drop the braces. */
	memmove(b->p + mark, b->p + mark + 1, b->len - mark - 2);
	b->len -= 2;
	b->p[b->len] = '\0';
}

bool
event_read(const struct jdoc *d, struct event *ev, struct buf *attrs,
    struct buf *source, const char **why)
{
	const struct jtok *t;
	struct ts_opts	 utc = { 1970, 0 };
	int		 f, i;
	const char	*name;

	memset(ev, 0, sizeof(*ev));
	if (d->n == 0 || d->t[0].type != J_OBJECT) {
		*why = "not a JSON object";
		return false;
	}
	i = jdoc_get(d, 0, "type", 4);
	if (i < 0 || !jdoc_str_eq(d, i, "event", 5)) {
		*why = "not an event record";
		return false;
	}
	for (f = 0; f < EF_NFIELDS; f++) {
		name = event_field_name[f];
		if ((i = jdoc_get(d, 0, name, strlen(name))) < 0)
			continue;
		t = &d->t[i];
		if (t->type == J_NULL)
			continue;
		if (f == EF_DURATION_MS) {
			if (t->type != J_NUMBER) {
				*why = "duration_ms is not a number";
				return false;
			}
			ev->has_duration = true;
			ev->duration_ms = jdoc_num(d, i);
			continue;
		}
		if (t->type != J_STRING || (t->flags & JT_BADUTF8)) {
			*why = "an event field is not a UTF-8 string";
			return false;
		}
		if (f == EF_TIMESTAMP) {
			if (!ts_parse(d->src + t->start + 1, t->end - t->start - 2,
			    &utc, &ev->ts_ms)) {
				*why = "timestamp is not RFC 3339";
				return false;
			}
			ev->has_ts = true;
			continue;
		}
		ev->f[f].p = d->src + t->start + 1;
		ev->f[f].n = t->end - t->start - 2;
		ev->f[f].json = true;
	}
	if ((i = jdoc_get(d, 0, "rule", 4)) >= 0 && d->t[i].type == J_STRING) {
		ev->rule.p = d->src + d->t[i].start + 1;
		ev->rule.n = d->t[i].end - d->t[i].start - 2;
		ev->rule.json = true;
	}
	buf_reset(attrs);
	buf_reset(source);
	if ((i = jdoc_get(d, 0, "attrs", 5)) >= 0 && d->t[i].type == J_OBJECT)
		members(d, i, attrs);
	if ((i = jdoc_get(d, 0, "source", 6)) >= 0 && d->t[i].type == J_OBJECT)
		members(d, i, source);
	ev->attrs = attrs;
	ev->source = source;
	return true;
}
