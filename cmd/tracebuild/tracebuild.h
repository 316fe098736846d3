/*
 * tracebuild.h - what tracebuild's files share: a trace's events, the
 * span tree built from them, and the writers.
 *
 * main.c keeps the open traces (the state machine); build.c turns one
 * trace's events into spans and a tree, as a pure function of the events
 * (so that the order they came in does not matter); write.c writes the
 * trace and span records and the tree view.
 */
#ifndef TRACEBUILD_H
#define TRACEBUILD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "buf.h"
#include "event.h"
#include "map.h"

/* Why a trace is written now. */
enum why_written { W_IDLE, W_END, W_EVICTED };

/* One trace's events, as main.c keeps them. */
struct trace {
	char		*key;		/* trace id (or correlation id), raw */
	size_t		 klen;
	struct event	**ev;		/* owned, in arrival order */
	size_t		 n, cap;
	struct map	 spans;		/* distinct span keys seen (the cap) */
	unsigned long	 dropped;	/* events past the cap on spans */
	unsigned long	 late;		/* events since the last write */
	long		 revision;	/* times written */
	int64_t		 last_seen;	/* the watermark when its latest event
					   came */
	int64_t		 deadline;	/* open: idle end; closed: forget */
	uint64_t	 seq;
	size_t		 heapidx;
	bool		 closed;	/* written, kept for late events */
	struct trace	*prev, *next;	/* the closed list */
};

/* A checkpoint attempt of a checkpoint span. */
struct checkpoint {
	const struct event *ev;
};

/* A span as built: views into the trace's events. */
struct span {
	struct strview	 id, parent;
	bool		 shared;	/* Zipkin: the server half of an id */
	struct strview	 service, target, name, kind, status, reason;
	bool		 has_start, has_end, has_duration;
	int64_t		 start, end;
	double		 duration;
	struct strview	 durtext;	/* duration as the log wrote it */
	struct strview	 attrs;
	long		 events;
	bool		 inferred, orphan, in_progress, cut;
	const struct event **cps;	/* checkpoint spans: their events */
	size_t		 ncps, capcps;
	/* the tree */
	struct span	*up, *child, *next;
	int		 depth;
};

/* A problem found while building (logproc(7) trace.problems). */
struct problem {
	const char	*kind;
	struct strview	 span_id;	/* p NULL: none */
	long		 count;		/* < 0: none */
};

/* A trace built from its events, ready to write. */
struct built {
	const struct trace *tr;
	bool		 checkpoint_model;
	struct span	*span;		/* the spans */
	size_t		 n, cap;
	struct span	**order;	/* tree order */
	size_t		 norder;
	struct span	*root;
	struct problem	*prob;
	size_t		 nprob, capprob;
	const struct event **failed;	/* failures, in time order */
	size_t		 nfailed, capfailed;
	const struct event **sorted;	/* the events, deduplicated */
	size_t		 nsorted, capsorted;
	struct strview	 correlation_id;
	struct map	 byid;
	struct buf	 scratch;
	struct jdoc	 adoc;
};

/*
 * Build tr's spans and tree into b (whose storage is reused from trace to
 * trace).  why says what flush this is, for the idle_flushed and evicted
 * problems.
 */
void	build_trace(struct built *b, const struct trace *tr,
	    enum why_written why);

/* Free b's storage. */
void	build_release(struct built *b);

/* Output formats. */
enum format { FMT_TRACE, FMT_TREE };

struct write_opts {
	enum format	 format;
	bool		 spans;		/* span records after each trace */
	bool		 color;		/* tree: ANSI colours */
};

/* Append built trace b to out in the chosen format. */
void	write_trace(struct buf *out, const struct built *b,
	    const struct write_opts *o);

#endif
