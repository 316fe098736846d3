/*
 * trace.h - reading trace and span records (logproc(7)) back.
 *
 * The stage that builds traces writes them; the stages after it read
 * them through this.  Like event_read(), the reader makes views into the parsed
 * record and copies nothing: a struct trace_rec is valid while the text
 * its jdoc was parsed from lives.  Members the reader does not know are
 * ignored; a known member of the wrong type is an error naming it.
 */
#ifndef LP_TRACE_H
#define LP_TRACE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "buf.h"
#include "event.h"
#include "json.h"

/* A span: one object of a trace's spans, or a span record. */
struct span_rec {
	struct strview	 trace_id;	/* span records only */
	struct strview	 span_id, parent_span_id;
	struct strview	 service, target, name, kind;
	struct strview	 status, failure_reason;
	bool		 has_start, has_end, has_duration;
	int64_t		 start_ms, end_ms;
	double		 duration_ms;
	int		 depth;
	long		 revision;	/* span records only */
	long		 events;
	bool		 parent_inferred, orphan, shared;
	struct strview	 attrs;		/* members of attrs, no braces */
	int		 checkpoints;	/* token of the checkpoints array in
					   the jdoc, or -1 */
	int		 tok;		/* token of the span object */
};

struct trace_rec {
	struct strview	 trace_id, correlation_id, root, last_system;
	struct strview	 status, model;
	bool		 has_start, has_end, has_duration;
	int64_t		 start_ms, end_ms;
	double		 duration_ms;
	long		 span_count, error_count, revision;
	bool		 complete;
	int		 services;	/* tokens of those arrays, or -1 */
	int		 problems;
	int		 failures;
	struct span_rec	*spans;		/* the spans, in record order */
	size_t		 nspans, cap;
};

#define TRACE_REC_INIT	{ .spans = NULL, .nspans = 0, .cap = 0 }

/*
 * Read the trace record at the root of d (parsed) into t, spans included.
 * Returns false with the reason, naming the member, in why ("bad trace:
 * 'spans' is not an array").  t's span array is reused from call to call:
 * release it with trace_rec_release().
 */
bool	trace_read(const struct jdoc *d, struct trace_rec *t, struct buf *why);

/*
 * Read the span object at token tok of d (the root for a span record)
 * into s.  Returns false with the reason in why.
 */
bool	span_read(const struct jdoc *d, int tok, struct span_rec *s,
	    struct buf *why);

/* Free t's span array. */
void	trace_rec_release(struct trace_rec *t);

/* Whether a span or trace status view says "FAILURE". */
bool	status_failed(const struct strview *status);

#endif
