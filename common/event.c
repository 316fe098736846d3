/*
 * event.c - writing event records; see event.h.
 */
#include <string.h>

#include "event.h"
#include "jw.h"
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
	int	 i;

	for (i = 0; i < EF_NFIELDS; i++)
		if (strlen(event_field_name[i]) == n &&
		    memcmp(event_field_name[i], name, n) == 0)
			return i;
	return -1;
}

static void
put_str(struct buf *out, const char *key, const struct strview *v)
{
	buf_adds(out, key);
	if (v->p == NULL)
		jw_null(out);
	else
		jw_str(out, v->p, v->n);
}

void
event_write(struct buf *out, const struct event *ev)
{
	char	 ts[TS_LEN + 1];

	buf_adds(out, "{\"type\":\"event\",\"timestamp\":");
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
	buf_adds(out, ",\"duration_ms\":");
	if (ev->has_duration)
		jw_num(out, ev->duration_ms);
	else
		jw_null(out);
	if (ev->f[EF_PART].p != NULL)
		put_str(out, ",\"part\":", &ev->f[EF_PART]);
	else
		buf_adds(out, ",\"part\":\"main\"");
	buf_adds(out, ",\"rule\":");
	jw_cstr(out, ev->rule);
	buf_adds(out, ",\"attrs\":{");
	if (ev->attrs != NULL)
		buf_add(out, ev->attrs->p, ev->attrs->len);
	buf_adds(out, "},\"source\":{");
	if (ev->source != NULL)
		buf_add(out, ev->source->p, ev->source->len);
	buf_add(out, "}}\n", 3);
}
