/*
 * report.h - logreport's model of the page: what the database (db.c) or
 * the records of a pipe (pipe.c) say, reduced to what the page shows and
 * bounded by the options, and the writers that turn it into HTML (html.c,
 * svg.c, graph.c).
 *
 * Both sources fill the same struct report, so that a report made from a
 * database and one made from the records that were loaded into it show
 * the same thing.  Every string in it is owned by the report's pool
 * (report_str) and lives until report_release().
 */
#ifndef LOGREPORT_REPORT_H
#define LOGREPORT_REPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "buf.h"

/* What the options set. */
struct report_opts {
	int		 ntraces;	/* -n: slowest and failed traces, each */
	int		 nedges;	/* -e: edges drawn in the graph */
	int		 max_spans;	/* -S: spans shown per waterfall */
	const char	*title;		/* -t, or NULL */
	const char	*dot;		/* -D: the layout program, or NULL */
};

#define MAX_FAIL_ROWS	200	/* rows of the failure table */
#define MAX_SERIES	8	/* systems drawn apart in the chart */
#define MAX_BUCKETS	60	/* columns of the chart at most */
#define MAX_EDGES	1000	/* rows of the edge table */
#define MAX_CYCLES	20
#define MAX_REJECT_CLASSES 32
#define MAX_REJECT_EXAMPLES 3
#define MAX_RAW		600	/* bytes of a reject's raw line shown */
#define MAX_CHECKPOINTS	50	/* per span */

/* A span status, for colours. */
enum status { ST_NONE, ST_OK, ST_FAIL };

/* One row of the failure table: failed checkpoints of one system,
 * checkpoint and reason (NULL: none known). */
struct fail_row {
	const char	*system, *checkpoint, *reason;
	unsigned long	 count;
};

/* One row of the chart: a system's events per bucket, and the failed. */
struct series {
	const char	*name;		/* NULL: every other system */
	unsigned long	 total, failed;
	unsigned long	*n, *f;		/* nbuckets each */
};

/* A checkpoint of a checkpoint span. */
struct wcp {
	const char	*checkpoint, *reason;
	enum status	 status;
	bool		 has_time;
	int64_t		 time;
};

/* A span of a waterfall, in tree order. */
struct wspan {
	const char	*span_id, *parent, *service, *name, *kind, *reason;
	enum status	 status;
	bool		 has_start, has_end;
	int64_t		 start, end;	/* ms */
	int		 depth;
	bool		 inferred;	/* parent inferred from time */
	bool		 orphan;	/* its parent never came */
	struct wcp	*cps;
	size_t		 ncps, cps_total;
};

/* A trace listed with its waterfall. */
struct wtrace {
	const char	*trace_id, *correlation_id, *root, *model;
	enum status	 status;
	bool		 complete;
	long		 revision, span_count, error_count;
	bool		 has_start, has_end, has_duration;
	int64_t		 start, end;
	double		 duration;
	const char	**problems;	/* what is missing, as sentences */
	size_t		 nproblems;
	struct wspan	*spans;
	size_t		 nspans;	/* shown; span_count may be more */
};

/* An edge of the graph, its windows added up. */
struct edge_row {
	const char	*source, *target;
	unsigned long long calls, errors;
	bool		 has_lat;
	double		 avg, p50, p95, p99, max;
	long		 windows;	/* records added up; > 1: the
					   percentiles are the windows' largest */
	const char	*first, *last;	/* RFC 3339, or NULL */
};

struct node {
	const char	*name, *kind;	/* kind: NULL for a plain service */
};

struct reject_ex {
	const char	*tool, *input, *reason, *raw;
	long		 line;
	bool		 cut;		/* raw was longer than shown */
};

struct reject_class {
	const char	*name;
	unsigned long	 count;
	struct reject_ex ex[MAX_REJECT_EXAMPLES];
	int		 nex;
};

struct report {
	struct report_opts opts;
	const char	*source;	/* what was read, for the header */
	/* the overview */
	bool		 has_range;
	int64_t		 first, last;
	unsigned long	 events, traces, partial, failed_traces, updates;
	unsigned long	 failures, rejects, own_rejects;
	const char	*failures_from;	/* "events" or "traces" */
	struct fail_row	*fails;
	size_t		 nfails;
	unsigned long	 fails_hidden, fails_hidden_count;
	/* the chart */
	const char	*chart_what;	/* "events" or "spans"; NULL: none */
	int64_t		 bucket_ms;	/* width of a bucket */
	int64_t		 bucket_lo;	/* index of the first, in widths
					   since the epoch */
	int		 nbuckets;
	struct series	 series[MAX_SERIES + 1];
	int		 nseries;
	/* the traces */
	struct wtrace	*slow, *failed;
	size_t		 nslow, nfailed;
	/* the graph */
	struct edge_row	*edges;
	size_t		 nedges;
	unsigned long	 edges_hidden;
	struct node	*nodes;
	size_t		 nnodes;
	const char	**cycles;	/* "a → b → c" */
	size_t		 ncycles;
	char		*graph_svg;	/* laid out by graph_layout(), or NULL */
	const char	*graph_note;	/* why there is no picture */
	/* the rejects */
	struct reject_class *rcl;
	size_t		 nrcl;
	unsigned long	 rcl_hidden;
	/* the pool of strings */
	struct pool	*pool;
};

/* Set up an empty report. */
void	report_init(struct report *r, const struct report_opts *o);

/* Free everything the report holds. */
void	report_release(struct report *r);

/* A NUL-terminated copy of s[0..n) in the report's pool; NULL for NULL. */
const char *report_str(struct report *r, const char *s, size_t n);

/* Storage of n bytes, zeroed, in the report's pool. */
void	*report_alloc(struct report *r, size_t n);

/* Widen the overview's time range to include t. */
void	report_time(struct report *r, int64_t t);

/*
 * The chart's buckets.  A width is one of a fixed chain (1 s, 2 s, 10 s,
 * 20 s, 1 min, ... 1 day, 2 days, 10 days, ...) in which each divides the
 * next, so that counts in one width add up exactly into a wider one; a
 * bucket is numbered by whole widths since the epoch.  chart_width() is
 * the narrowest width that spans [lo, hi] in at most max buckets.
 */
int64_t	chart_width(int64_t lo, int64_t hi, int max);

/* The next wider width of the chain. */
int64_t	chart_wider(int64_t w);

/* floor(a / b) for b > 0. */
int64_t	floor_div(int64_t a, int64_t b);

/*
 * Set the chart from per-system counts: names[i] (NULL for none) with
 * n[i][b], f[i][b] in buckets lo + b of width w (b < nb); keeps the
 * MAX_SERIES systems with the most and adds the rest up as "other",
 * regrouping into at most MAX_BUCKETS buckets.
 */
void	report_chart(struct report *r, const char *what, size_t nsys,
	    const char *const *names, unsigned long *const *n,
	    unsigned long *const *f, int64_t lo, int nb, int64_t w);

/*
 * Order the spans of t as a tree (each after its parent, siblings by
 * start, then id), as tracebuild writes them: for spans read from the
 * database, which keeps no order.  shared[i] marks a Zipkin server half.
 */
void	report_tree_order(struct wtrace *t, const bool *shared);

/* Sort the edges by calls, most first, then by source and target. */
void	report_edges_sort(struct report *r);

/* Keep the failure rows sorted (most first) and at most MAX_FAIL_ROWS. */
void	report_fail_rows(struct report *r, struct fail_row *rows, size_t n);

/* A trace's problems array (JSON text) as sentences; marks orphans. */
void	report_problems(struct report *r, struct wtrace *t, const char *json,
	    size_t n);

/* A checkpoints array (JSON text) into s->cps. */
void	report_checkpoints(struct report *r, struct wspan *s,
	    const char *json, size_t n);

/* A status word as enum status. */
enum status status_of(const char *s, size_t n);

/* Write the whole page to out. */
void	html_write(struct buf *out, const struct report *r);

/* The events-over-time chart, an SVG element. */
void	svg_chart(struct buf *out, const struct report *r);

/* A trace's waterfall; id is its element id. */
void	html_waterfall(struct buf *out, const struct report *r,
	    const struct wtrace *t, const char *id);

/*
 * Lay the graph out with the program opts.dot (Graphviz dot) and draw it
 * as SVG into r->graph_svg; on failure, r->graph_note says why (and a
 * warning is printed).
 */
void	graph_layout(struct report *r);

/* Readers: fill r from the database at path, or from records. */
int	db_report(struct report *r, const char *path);
int	pipe_report(struct report *r, char *const *files, const char *rejpath,
	    bool quiet, bool stats);

/* Durations and times for the page. */
void	fmt_ms(struct buf *b, double ms);
void	fmt_time(struct buf *b, int64_t ms);

#endif
