/*
 * event.h - the normalized event record (logproc(7)).
 *
 * An event is written as one JSON object per line, fields always in this
 * order and always present (null when unknown), so that every later stage
 * and `SELECT * FROM events` see the same shape:
 *
 *   type timestamp system_id checkpoint_id status correlation_id
 *   failure_reason trace_id span_id parent_span_id target_system_id
 *   duration_ms part rule attrs source
 *
 * struct event holds borrowed views: the strings belong to whoever filled
 * it (the line being read, a scratch buffer) and must outlive event_write().
 */
#ifndef LP_EVENT_H
#define LP_EVENT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "buf.h"
#include "json.h"

/* The string-valued fields, in record order. */
enum efield {
	EF_SYSTEM_ID,
	EF_CHECKPOINT_ID,
	EF_STATUS,
	EF_CORRELATION_ID,
	EF_FAILURE_REASON,
	EF_TRACE_ID,
	EF_SPAN_ID,
	EF_PARENT_SPAN_ID,
	EF_TARGET_SYSTEM_ID,
	EF_PART,
	EF_NSTR,
	/* not strings, but named like the others in rules */
	EF_TIMESTAMP = EF_NSTR,
	EF_DURATION_MS,
	EF_NFIELDS
};

/* "system_id", ...; index by enum efield. */
extern const char *const event_field_name[EF_NFIELDS];

/* The enum efield named name[0..n), or -1. */
int	event_field_lookup(const char *name, size_t n);

struct strview {
	const char	*p;		/* NULL: the field is null */
	size_t		 n;
	bool		 json;		/* p is already JSON string content
					   (escaped, valid UTF-8): copied as is */
};

struct event {
	struct strview	 f[EF_NSTR];
	bool		 has_ts;
	int64_t		 ts_ms;
	bool		 has_duration;
	double		 duration_ms;
	struct strview	 rule;		/* the rule that made the event */
	struct buf	*attrs;		/* members of attrs, comma-separated,
					   no braces; NULL or empty: {} */
	struct buf	*source;	/* members of source, likewise */
};

/* Append ev as one NDJSON line (newline included) to out. */
void	event_write(struct buf *out, const struct event *ev);

/*
 * Read an event record back: the later stages (logjoin, tracebuild,
 * sqlload) read lognorm's output through this.  d must hold a parsed
 * object with "type":"event"; ev's strings then point into d's source text
 * as JSON string content (strview.json set), valid while that text lives.
 * attrs and source receive the members of those objects (compact, no
 * braces) and ev points at them.
 * Returns false with *why set (a static string) when the record is not an
 * event or a field has the wrong type.
 */
bool	event_read(const struct jdoc *d, struct event *ev, struct buf *attrs,
	    struct buf *source, const char **why);

#endif
