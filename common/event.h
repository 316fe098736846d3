/*
 * event.h - the normalized event record (logproc(7)).
 *
 * An event is written as one JSON object per line, fields always in this
 * order and always present (null when unknown), so that every later stage
 * and `SELECT * FROM events` see the same shape:
 *
 *   type timestamp system_id checkpoint_id status correlation_id
 *   failure_reason trace_id span_id parent_span_id target_system_id
 *   duration_ms part rule attrs source [other members]
 *
 * A struct event is a set of views.  Borrowed: the strings belong to
 * whoever filled it (the line being read, a scratch buffer) and must
 * outlive its use; that is what a filter that writes each event and
 * forgets it needs.  Owned: event_dup() copies an event into one block the
 * caller owns and frees with event_free(); that is what a filter that keeps
 * events across lines needs.
 *
 * A string view is either JSON string content (json set: escaped, valid
 * UTF-8, copied to output as is) or raw bytes (escaped when written).
 * event_text() gives either as raw bytes, for SQL bindings and DOT labels.
 */
#ifndef LP_EVENT_H
#define LP_EVENT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "buf.h"
#include "jw.h"
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
	bool		 json;		/* p is JSON string content (escaped,
					   valid UTF-8): copied as is */
};

/* The most view v takes written as a JSON string or null. */
static inline size_t
strview_max(const struct strview *v)
{
	return v->p == NULL ? 4 : v->json ? v->n + 2 : 6 * v->n + 2;
}

/* Append view v as a JSON string or null, strview_max(v) bytes having
 * been made room for (buf_put). */
static inline void
strview_put(struct buf *out, const struct strview *v)
{
	if (v->p == NULL)
		buf_putlit(out, "null");
	else if (v->json) {
		out->p[out->len++] = '"';
		buf_put(out, v->p, v->n);
		out->p[out->len++] = '"';
	} else
		jw_str(out, v->p, v->n);	/* fits: it checks, no more */
}

/*
 * Copy s[0..n) to w and return w + n, for the short texts an event is
 * made of (names, ids, attrs, source): up to 64 bytes by overlapping moves
 * from each end, inline, where a call to memcpy costs as much again as the
 * copy.  Only s[0..n) is read and only w[0..n) written; s may be NULL when
 * n is 0.
 */
static inline char *
event_put_bytes(char *w, const char *s, size_t n)
{
	uint64_t	 a, b, c, d;
	uint32_t	 x, y;

	if (n > 64)
		memcpy(w, s, n);
	else if (n > 16) {
		/* the first and the last 16 bytes, and if there is more
		 * the 16 after the first and before the last */
		memcpy(&a, s, 8);
		memcpy(&b, s + 8, 8);
		memcpy(&c, s + n - 16, 8);
		memcpy(&d, s + n - 8, 8);
		if (n > 32) {
			uint64_t e, f, g, h;

			memcpy(&e, s + 16, 8);
			memcpy(&f, s + 24, 8);
			memcpy(&g, s + n - 32, 8);
			memcpy(&h, s + n - 24, 8);
			memcpy(w + 16, &e, 8);
			memcpy(w + 24, &f, 8);
			memcpy(w + n - 32, &g, 8);
			memcpy(w + n - 24, &h, 8);
		}
		memcpy(w, &a, 8);
		memcpy(w + 8, &b, 8);
		memcpy(w + n - 16, &c, 8);
		memcpy(w + n - 8, &d, 8);
	} else if (n >= 8) {
		memcpy(&a, s, 8);
		memcpy(&b, s + n - 8, 8);
		memcpy(w, &a, 8);
		memcpy(w + n - 8, &b, 8);
	} else if (n >= 4) {
		memcpy(&x, s, 4);
		memcpy(&y, s + n - 4, 4);
		memcpy(w, &x, 4);
		memcpy(w + n - 4, &y, 4);
	} else if (n > 0) {
		/* 1 to 3 bytes: the first, the middle, the last */
		w[0] = s[0];
		w[n / 2] = s[n / 2];
		w[n - 1] = s[n - 1];
	}
	return w + n;
}

struct event {
	struct strview	 f[EF_NSTR];
	bool		 has_ts;
	int64_t		 ts_ms;
	bool		 has_duration;
	double		 duration_ms;
	struct strview	 duration;	/* duration_ms as written (a JSON
					   number), or p NULL: formatted
					   from duration_ms.  Clear it when
					   changing duration_ms. */
	struct strview	 rule;		/* the rule that made the event */
	struct strview	 attrs;		/* members of attrs: compact JSON,
					   no braces; n 0: {} */
	struct strview	 source;	/* members of source, likewise */
	struct strview	 extra;		/* other top-level members, likewise,
					   written after source; n 0: none */
};

/* Append ev as one NDJSON line (newline included) to out. */
void	event_write(struct buf *out, const struct event *ev);

/*
 * Read an event record in one pass over the members of the object at the
 * root of d (which must be parsed).  ev's views point into d's source text
 * or into scratch (a member that had to be rewritten: invalid UTF-8, or
 * white space inside attrs), so both must outlive ev; scratch is reset
 * first.  Of a member given twice the last wins; unknown top-level members
 * are kept in ev->extra.  Returns false with the reason, naming the field,
 * in why ("bad field: 'timestamp' is not a time: 'x'") when the record is
 * not an event or a field has the wrong type.
 */
bool	event_read(const struct jdoc *d, struct event *ev, struct buf *scratch,
	    struct buf *why);

/*
 * A copy of ev in one allocation that the caller owns: every view points
 * into it (as JSON string content).  Free it with event_free().
 */
struct event *event_dup(const struct event *ev);

/* Free an event made by event_dup(); NULL is accepted. */
void	event_free(struct event *ev);

/*
 * The text of view v as raw bytes: *p and *n point into v itself when it
 * needs no unescaping, else into scratch (reset first).  Returns false,
 * with *p NULL, when the view is null.
 */
bool	event_text(const struct strview *v, struct buf *scratch,
	    const char **p, size_t *n);

/* Whether view v holds exactly s[0..n) (after unescaping). */
bool	strview_eq(const struct strview *v, const char *s, size_t n);

/*
 * Order two views by their bytes as written (null before any text), for
 * sorting and grouping; views of one field written the same way (ids)
 * compare as their text does.
 */
int	strview_cmp(const struct strview *a, const struct strview *b);

/* Whether the event's status is "FAILURE" / "SUCCESS". */
bool	event_failed(const struct event *ev);
bool	event_succeeded(const struct event *ev);

/* Whether the event is a detail part (part "detail"). */
bool	event_is_detail(const struct event *ev);

#endif
