/*
 * depgraph.h - the engine of depgraph(1): what main.c, link.c (the
 * linking policies), graph.c (aggregation, windows, merge, revisions,
 * cycles) and emit.c (records, DOT, Cypher) share.
 *
 * The data flow: a trace (from a trace record, or from consecutive span
 * records) -> link_trace() finds its calls and the spans of each service
 * -> graph_add_trace() counts them into the graph of the trace's window,
 * remembering what it counted so that a later revision of the trace can
 * replace it -> when the event time passes a window's end (or the input
 * ends) graph_emit() writes the window's edges, services and cycles.
 * Edge and service records (depgraph's own output) are merged into the
 * same graphs by graph_merge_edge() / graph_merge_service().
 */
#ifndef DEPGRAPH_H
#define DEPGRAPH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "buf.h"
#include "json.h"
#include "map.h"
#include "sketch.h"
#include "trace.h"

/*
 * What a node is, in the order in which one kind wins over another when
 * shards disagree (a service that logged spans somewhere is a service).
 */
enum nkind {
	NK_UNKNOWN,	/* known only from edge records: written "service" */
	NK_USER,	/* the virtual caller of root server spans (--user) */
	NK_VIRTUAL,	/* a callee named by its callers only */
	NK_BROKER,	/* a message broker named by producers and consumers */
	NK_DATABASE,	/* a callee named by db.* attributes */
	NK_SERVICE,	/* it logged spans of its own */
	NK_COUNT
};

extern const char *const nkind_name[NK_COUNT];

/* One distinct method an edge's calls invoked (a span's attrs.method). */
struct method {
	char		*name, *type;	/* raw bytes; type may be NULL */
	uint64_t	 calls;
};

/* At most this many methods per edge; the calls of others are counted
 * under no method. */
#define EDGE_MAX_METHODS	64

struct node {
	char		*name;		/* raw bytes, the map key */
	size_t		 len;
	enum nkind	 kind;
	uint64_t	 spans, errors;	/* its own spans, and failed ones */
	int64_t		 first, last;	/* first and last seen, if seen */
	bool		 seen;
	bool		 listed;	/* a service record named it */
	/* set by graph_finish() */
	uint64_t	 calls_in, errors_in, calls_out, errors_out;
	int		 index;		/* in name order */
	int		 cycle;		/* the cycle it is in, or -1 */
	int		 low, stack;	/* Tarjan's, scratch */
	uint64_t	 mark;		/* link.c: the trace that last saw it */
	size_t		 slot;		/* and its place in that trace's nstats */
};

struct edge {
	struct node	*key[2];	/* source, target: the map key */
	uint64_t	 calls, errors;
	struct sketch	 latency;	/* of the calls with a duration */
	int64_t		 first, last;
	bool		 seen;
	struct method	*methods;
	size_t		 nmethods, mcap;
	bool		 in_cycle;	/* set by graph_finish() */
};

/* A graph: the whole input, or one window of it. */
struct graph {
	bool		 windowed;
	int64_t		 start, end;	/* the window, when windowed */
	struct map	 nodes;		/* name -> struct node */
	struct map	 edges;		/* key -> struct edge */
	struct graph	*next;		/* by start */
	struct contrib	*held;		/* the traces held that counted here
					   (graph.c) */
	/* set by graph_finish(): sorted views and the cycles */
	struct node	**nv;
	struct edge	**ev;
	size_t		 nn, ne;
	struct cycle {
		int		 first;		/* in cyc_nodes */
		int		 n;
		uint64_t	 edges, calls;
	}		*cycles;
	int		*cyc_nodes;	/* node indexes, cycle by cycle */
	size_t		 ncycles;
};

/* One call a linking policy found in a trace. */
struct call {
	struct node	*src, *dst;
	bool		 error;
	bool		 timed;		/* latency known */
	double		 latency;	/* ms */
	bool		 has_time;
	int64_t		 time;		/* when it started */
	size_t		 method, mlen;	/* raw, in the linked's strings;
					   method SIZE_MAX: none */
	size_t		 mtype, tlen;	/* mtype SIZE_MAX: none */
};

/* The spans a trace had per service. */
struct nstat {
	struct node	*node;
	uint32_t	 spans, errors;
	bool		 seen;
	int64_t		 first, last;
};

enum policy { POLICY_OTEL, POLICY_ZIPKIN };

struct link_opts {
	enum policy	 policy;
	bool		 user;		/* root server spans called by "user" */
	char		**peer_attrs;	/* names a virtual callee, in order */
	size_t		 npeer;
};

/* What the linker counts, for -s. */
struct link_stats {
	unsigned long	 spans, calls, self_loops, dup_spans;
	unsigned long	 unpaired_client, unpaired_server, extra_server;
	unsigned long	 parent_missing, no_service, backfilled;
	unsigned long	 negative;	/* negative durations, taken as 0 */
};

/* The calls and service stats of one trace, reused from trace to trace. */
struct linked {
	struct call	*calls;
	size_t		 ncalls, ccap;
	struct nstat	*nstats;
	size_t		 nnstats, ncap;
	struct lspan	*ls;		/* link.c's per-span scratch */
	size_t		 lscap;
	int		*order;
	size_t		 ocap;
	struct buf	 strings;	/* the calls' method names */
	struct buf	 scratch;
	uint64_t	 serial;	/* traces linked so far */
};

/*
 * Find the calls of trace t (its spans; d is the document it was read
 * from, for attribute look-ups) by the policy in o; nodes are looked up
 * (created) in g.  Results in lk, replacing the last trace's.
 */
void	link_trace(const struct trace_rec *t, const struct jdoc *d,
	    const struct link_opts *o, struct graph *g, struct linked *lk,
	    struct link_stats *st);
void	linked_release(struct linked *lk);

/*
 * The set of graphs of a run: one without windows, or one per window of
 * -w; and what is remembered of recent traces for their revisions.
 */
struct gset {
	int64_t		 window;	/* -w, ms; 0: none */
	int64_t		 grace;		/* ms after a window's end */
	bool		 flat;		/* every record into one graph (the
					   baseline) */
	struct graph	*graphs;	/* by start */
	int64_t		 watermark;	/* latest trace start seen */
	bool		 has_watermark;
	int64_t		 closed_until;	/* windows before this were written */
	bool		 has_closed;
	/* revisions: a ring of the last nring traces' contributions */
	struct contrib	*ring;
	size_t		 nring, ringpos;
	struct map	 held;		/* trace id -> struct contrib */
	/* counts, for -s */
	unsigned long	 traces, windows, revised, duplicates, late;
	unsigned long	 unreplaceable, edge_records, service_records;
	unsigned long	 vanished_skipped;
	struct sketch	 rsk;		/* scratch for a record's sketch */
};

void	gset_init(struct gset *s, int64_t window, int64_t grace, size_t nring,
	    bool flat);
void	gset_release(struct gset *s);

/* Find or make a node of g; kind is raised to kind if it ranks higher. */
struct node *graph_node(struct graph *g, const char *name, size_t len,
	    enum nkind kind);

/* The graph for a trace that started at start (has: it has a time). */
struct graph *gset_graph(struct gset *s, bool has, int64_t start);

/*
 * Count a trace's calls and service stats (lk, linked into g) under its
 * id and revision.  Returns 0 when counted, 1 when it is a duplicate (an
 * earlier or equal revision already counted; nothing done), -1 when it is
 * a revision whose earlier one can no longer be taken back (nothing done).
 */
int	gset_add_trace(struct gset *s, struct graph *g, const char *id,
	    size_t idlen, long revision, const struct linked *lk);

/*
 * Whether the trace id at revision is held already (duplicate span
 * records of a trace read whole).
 */
bool	gset_is_held(const struct gset *s, const char *id, size_t idlen,
	    long revision);

/*
 * Merge an edge or service record (the root of d) into the graphs.
 * Returns false with the reason in why (a reject).  A record marked
 * "change":"vanished" describes a baseline, not input: it is skipped.
 */
bool	gset_merge_record(struct gset *s, const struct jdoc *d, bool edge,
	    struct buf *scratch, struct buf *why);

/* The trace's window is already written (for a late trace's reject). */
bool	gset_is_late(const struct gset *s, bool has, int64_t start);

/*
 * Advance the event time to a trace that started at t; returns the first
 * window now due (its end plus the grace is past), unlinked from the
 * set, or NULL.  Call until NULL.
 */
struct graph *gset_due(struct gset *s);
void	gset_advance(struct gset *s, int64_t t);

/* Unlink and return the first graph left (end of input), or NULL. */
struct graph *gset_pop(struct gset *s);

/* Sort the graph's nodes and edges, count calls in and out, find the
 * strongly connected components. */
void	graph_finish(struct graph *g);
void	graph_free(struct graph *g);

/* Output formats. */
enum format { FMT_RECORDS, FMT_DOT, FMT_CYPHER };

/* Thresholds of the baseline comparison. */
struct compare {
	const struct graph *base;	/* NULL: no baseline */
	double		 p95;		/* worse: p95 up by more (relative) */
	double		 errors;	/* worse: error rate up by more
					   (absolute) */
};

/* Write a finished graph as records into out_buf (out_commit per record). */
void	emit_records(const struct graph *g, const struct compare *cmp);

/* DOT and Cypher: begin, one graph, end. */
void	emit_dot(const struct graph *g, const struct compare *cmp);
void	emit_cypher(const struct graph *g);

/* The edge of base between nodes named like a and b, or NULL. */
const struct edge *compare_edge(const struct compare *cmp,
	    const struct edge *e);
const struct node *compare_node(const struct compare *cmp,
	    const struct node *n);

/* Whether edge e is worse than its baseline b; what in *p95, *err. */
bool	compare_worse(const struct compare *cmp, const struct edge *e,
	    const struct edge *b, bool *p95, bool *err);

#endif
