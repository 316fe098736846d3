/*
 * depgraph - the service dependency graph of traces: who calls whom, how
 * often, how fast, how often it fails.
 *
 * Reads trace records (tracebuild), span records (tracebuild --spans),
 * and its own edge and service records (to merge shards or days), and
 * writes edge, service and cycle records, or the graph as DOT or Cypher.
 * See depgraph(1) and logproc(7).
 *
 * The story: options -> the baseline graph, if any -> the reader hands
 * out records: a trace is linked by the policy (link.c) and counted into
 * its window's graph (graph.c); consecutive span records of one trace are
 * gathered into a trace first; edge and service records are merged; as
 * event time passes a window's end, its graph is written (emit.c,
 * format.c) -> at the end of input (or on SIGINT/SIGTERM) every graph
 * left is written -> summary -> exit status.
 */
#include <err.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "depgraph.h"
#include "event.h"
#include "json.h"
#include "lp.h"
#include "opt.h"
#include "out.h"
#include "reader.h"
#include "reject.h"
#include "trace.h"
#include "ts.h"

#define OPTSTRING	"b:f:g:hp:P:qsuVw:x:"

enum { OPT_P95 = 256, OPT_ERRORS, OPT_REVISIONS };

static const struct option longopts[] = {
	{ "baseline",	required_argument, NULL, 'b' },
	{ "format",	required_argument, NULL, 'f' },
	{ "grace",	required_argument, NULL, 'g' },
	{ "help",	no_argument,	   NULL, 'h' },
	{ "policy",	required_argument, NULL, 'p' },
	{ "peer-attrs",	required_argument, NULL, 'P' },
	{ "quiet",	no_argument,	   NULL, 'q' },
	{ "stats",	no_argument,	   NULL, 's' },
	{ "user",	no_argument,	   NULL, 'u' },
	{ "version",	no_argument,	   NULL, 'V' },
	{ "window",	required_argument, NULL, 'w' },
	{ "reject",	required_argument, NULL, 'x' },
	{ "p95-worse",	required_argument, NULL, OPT_P95 },
	{ "errors-worse", required_argument, NULL, OPT_ERRORS },
	{ "revisions",	required_argument, NULL, OPT_REVISIONS },
	{ NULL, 0, NULL, 0 }
};

static struct reject	 rej;
static struct reader	 rd;
static struct gset	 graphs;
static struct link_opts	 lopts = { POLICY_OTEL, false, NULL, 0 };
static struct link_stats lstats;
static struct linked	 lk;
static struct compare	 cmp = { NULL, 0.20, 0.05 };
static enum format	 format = FMT_RECORDS;
static struct trace_rec	 tr = TRACE_REC_INIT;
static struct buf	 why, scratch;

/*
 * Span records of one trace come one after the other (tracebuild
 * --spans writes them after their trace record); they are gathered here
 * into the text of a trace record, {"type":"trace","trace_id":...,
 * "revision":N,"spans":[<the span records>]}, which is linked like one
 * when a record of another trace (or no span record) comes.
 */
static struct group {
	struct buf	 text;
	struct buf	 id;		/* trace_id as written (JSON) */
	long		 revision;
	size_t		 nspans;
	const char	*input;		/* of the first span record */
	long		 line;
	struct jdoc	 doc;
} grp;

/* Counts of what was read, for -s. */
static struct {
	unsigned long	 traces, span_records, spans_read_whole, cycles;
	unsigned long	 no_spans;
	unsigned long	 edges, services, ncycles, graphs;
} cnt;

static void __attribute__((noreturn))
usage(int status)
{
	FILE	*fp = status == LP_EXIT_OK ? stdout : stderr;

	fprintf(fp, "usage: depgraph [-qsuV] [-b baseline] [-f format] "
	    "[-g grace] [-P attrs]\n"
	    "                [-p policy] [-w window] [-x rejects] "
	    "[--errors-worse rate]\n"
	    "                [--p95-worse ratio] [--revisions count] "
	    "[file ...]\n");
	if (status != LP_EXIT_OK)
		exit(status);
	printf("\nThe service dependency graph of traces: edge, service and "
	    "cycle records.\n\n"
	    "  -b, --baseline=FILE   compare with an earlier graph (its "
	    "records): new,\n"
	    "                        vanished and worse edges and services\n"
	    "  -f, --format=FORMAT   records (default), dot (Graphviz) or "
	    "cypher (Neo4j)\n"
	    "  -g, --grace=DURATION  with -w, wait this long in event time "
	    "past a window's\n"
	    "                        end before writing it (default 60s)\n"
	    "  -P, --peer-attrs=LIST attributes naming a client's virtual "
	    "callee (default\n"
	    "                        peer.service,db.name,db.system)\n"
	    "  -p, --policy=POLICY   otel (default) or zipkin: which spans "
	    "make a call\n"
	    "  -q, --quiet           no progress report on a terminal\n"
	    "  -s, --stats           print a summary of counts on stderr at "
	    "exit\n"
	    "  -u, --user            a root server span is called by the "
	    "virtual node user\n"
	    "  -w, --window=DURATION one graph per tumbling window of event "
	    "time\n"
	    "  -x, --reject=FILE     write rejected records to FILE as "
	    "NDJSON\n"
	    "      --errors-worse=R  worse: error rate up by more than R "
	    "(default 0.05)\n"
	    "      --p95-worse=R     worse: p95 up by more than R times "
	    "(default 0.2)\n"
	    "      --revisions=N     traces held for late revisions "
	    "(default 100000)\n"
	    "  -h, --help            this help\n"
	    "  -V, --version         print the version\n\n"
	    "Exit status: 0 all accepted, 1 some rejected, 2 usage, "
	    "3 I/O failure.\n"
	    "See depgraph(1), logproc(7).\n");
	exit(fflush(stdout) == 0 ? LP_EXIT_OK : LP_EXIT_FAIL);
}

/* Split a comma-separated list into lopts.peer_attrs. */
static char	*peer_list;

static void
peer_attrs(const char *arg)
{
	char	*p, *save = NULL;

	free(peer_list);
	peer_list = xstrdup(arg);
	free(lopts.peer_attrs);
	lopts.peer_attrs = NULL;
	lopts.npeer = 0;
	for (p = strtok_r(peer_list, ",", &save); p != NULL;
	    p = strtok_r(NULL, ",", &save)) {
		lopts.peer_attrs = xreallocarray(lopts.peer_attrs,
		    lopts.npeer + 1, sizeof(*lopts.peer_attrs));
		lopts.peer_attrs[lopts.npeer++] = p;
	}
}

/* Write a graph whose time has come, and free it. */
static void
emit(struct graph *g)
{
	graph_finish(g);
	cnt.graphs++;
	cnt.edges += g->ne;
	cnt.services += g->nn;
	cnt.ncycles += g->ncycles;
	switch (format) {
	case FMT_RECORDS:
		emit_records(g, &cmp);
		break;
	case FMT_DOT:
		emit_dot(g, &cmp);
		break;
	case FMT_CYPHER:
		emit_cypher(g);
		break;
	}
	graph_free(g);
}

/* A trace, from a record or gathered span records: link it, count it. */
static void
trace(const struct jdoc *d, const struct record *rec)
{
	struct graph	*g;
	const char	*id = NULL;
	size_t		 idlen = 0, i;
	bool		 has;
	int64_t		 start;

	if (!trace_read(d, &tr, &why)) {
		reader_reject(&rd, rec, "%s", why.p);
		return;
	}
	if (tr.nspans == 0) {
		cnt.no_spans++;
		return;
	}
	event_text(&tr.trace_id, &scratch, &id, &idlen);
	if (id != NULL && gset_is_held(&graphs, id, idlen, tr.revision)) {
		graphs.duplicates++;
		return;
	}
	has = tr.has_start;
	start = tr.start_ms;
	for (i = 0; !has && i < tr.nspans; i++)
		if (tr.spans[i].has_start) {
			has = true;
			start = tr.spans[i].start_ms;
		}
	if (gset_is_late(&graphs, has, start)) {
		char	 ts[TS_LEN + 1];
		graphs.late++;
		ts_format(start, ts);
		reader_reject(&rd, rec, "late: the window of its start %s was "
		    "written already (see -g)", ts);
		return;
	}
	if ((g = gset_graph(&graphs, has, start)) == NULL) {
		reader_reject(&rd, rec, "no time: a trace without a start has "
		    "no window");
		return;
	}
	link_trace(&tr, d, &lopts, g, &lk, &lstats);
	/* link_trace may have used scratch: the id again */
	event_text(&tr.trace_id, &scratch, &id, &idlen);
	gset_add_trace(&graphs, g, id, idlen, tr.revision, &lk);
	if (has) {
		gset_advance(&graphs, start);
		while ((g = gset_due(&graphs)) != NULL)
			emit(g);
	}
}

/* Link the gathered span records, if any. */
static void
group_flush(void)
{
	struct record	 rec;

	if (grp.nspans == 0)
		return;
	buf_addlit(&grp.text, "]}");
	memset(&rec, 0, sizeof(rec));
	rec.input = grp.input;
	rec.line = grp.line;
	rec.text = grp.text.p;
	rec.len = grp.text.len;
	rec.type = RT_TRACE;
	if (!jdoc_parse(&grp.doc, grp.text.p, grp.text.len))
		reader_reject(&rd, &rec, "invalid JSON: %s", grp.doc.err);
	else
		trace(&grp.doc, &rec);
	grp.nspans = 0;
	buf_reset(&grp.text);
}

/* A span record: gathered with the others of its trace. */
static void
span(const struct record *rec)
{
	const struct jdoc *d = rec->doc;
	int		 t = jdoc_get(d, 0, "trace_id", 8);
	int		 r = jdoc_get(d, 0, "revision", 8);
	const char	*idj, *id;
	size_t		 idjl, idlen;
	long		 rev = 0;
	double		 x;

	cnt.span_records++;
	if (t < 0 || d->t[t].type != J_STRING) {
		reader_reject(&rd, rec, "bad span: 'trace_id' is not a "
		    "string");
		return;
	}
	if (r >= 0 && d->t[r].type != J_NULL) {
		x = d->t[r].type == J_NUMBER ? jdoc_num(d, r) : -1;
		if (x < 0 || x != (double)(long)x) {
			reader_reject(&rd, rec, "bad span: 'revision' is not "
			    "an integer");
			return;
		}
		rev = (long)x;
	}
	idj = d->src + d->t[t].start;
	idjl = d->t[t].end - d->t[t].start;
	if (grp.nspans > 0 && (rev != grp.revision || idjl != grp.id.len ||
	    memcmp(idj, grp.id.p, idjl) != 0))
		group_flush();
	jdoc_str(d, t, &scratch, &id, &idlen);
	if (gset_is_held(&graphs, id, idlen, rev)) {
		cnt.spans_read_whole++;	/* its trace record was read */
		return;
	}
	if (grp.nspans == 0) {
		buf_reset(&grp.id);
		buf_add(&grp.id, idj, idjl);
		grp.revision = rev;
		grp.input = rec->input;
		grp.line = rec->line;
		buf_addlit(&grp.text, "{\"type\":\"trace\",\"trace_id\":");
		buf_add(&grp.text, idj, idjl);
		buf_addf(&grp.text, ",\"revision\":%ld,\"spans\":[", rev);
	} else
		buf_addc(&grp.text, ',');
	buf_add(&grp.text, rec->text, rec->len);
	grp.nspans++;
}

/* A record of a type depgraph does not read. */
static void
wrong_type(const struct record *rec)
{
	const char	*p;
	size_t		 n;

	jdoc_str(rec->doc, jdoc_get(rec->doc, 0, "type", 4), &scratch, &p, &n);
	reader_reject(&rd, rec, "wrong type: '%.*s' records are not read by "
	    "depgraph (traces, spans, edges and services are)",
	    n > 64 ? 64 : (int)n, p);
}

/* The baseline graph: the edge and service records of file, merged. */
static struct graph *
baseline(const char *file)
{
	struct gset	 base;
	struct reader	 brd;
	struct record	 rec;
	struct graph	*g;
	char		*files[2] = { (char *)file, NULL };

	gset_init(&base, 0, 0, 0, true);
	reader_init(&brd, "depgraph", files, &rej, READER_QUIET);
	while (reader_next(&brd, &rec)) {
		if (rec.type == RT_CYCLE)
			continue;
		if (rec.type != RT_EDGE && rec.type != RT_SERVICE)
			reader_reject(&brd, &rec, "baseline: not an edge or "
			    "service record");
		else if (!gset_merge_record(&base, rec.doc,
		    rec.type == RT_EDGE, &scratch, &why))
			reader_reject(&brd, &rec, "%s", why.p);
	}
	if (brd.status != LP_EXIT_OK)
		exit(LP_EXIT_USAGE);	/* reported: it cannot be read */
	reader_release(&brd);
	gset_graph(&base, false, 0);	/* the one graph, even if empty */
	g = gset_pop(&base);
	gset_release(&base);
	graph_finish(g);
	return g;
}

static void
summary(void)
{
	fprintf(stderr, "depgraph: %lu lines, %lu blank, %lu records, "
	    "%lu rejected\n", rd.lines, rd.blank, rd.records, rej.count);
	fprintf(stderr, "depgraph: read %lu traces, %lu span records (%lu of "
	    "traces read whole), %lu edge records, %lu service records, "
	    "%lu cycle records (recomputed), %lu vanished records "
	    "(a baseline's)\n", cnt.traces, cnt.span_records,
	    cnt.spans_read_whole, graphs.edge_records, graphs.service_records,
	    cnt.cycles, graphs.vanished_skipped);
	fprintf(stderr, "depgraph: traces: %lu counted, %lu without spans, "
	    "%lu revised, %lu duplicates, %lu late\n", graphs.traces,
	    cnt.no_spans, graphs.revised, graphs.duplicates, graphs.late);
	fprintf(stderr, "depgraph: spans: %lu, %lu duplicates, %lu without a "
	    "service, %lu with a missing parent, %lu negative durations\n",
	    lstats.spans, lstats.dup_spans, lstats.no_service,
	    lstats.parent_missing, lstats.negative);
	fprintf(stderr, "depgraph: calls: %lu, %lu self-loops, %lu backfilled "
	    "(zipkin); unpaired: %lu client, %lu server, %lu extra server "
	    "spans\n", lstats.calls, lstats.self_loops, lstats.backfilled,
	    lstats.unpaired_client, lstats.unpaired_server,
	    lstats.extra_server);
	fprintf(stderr, "depgraph: wrote %lu graphs: %lu edges, %lu services, "
	    "%lu cycles\n", cnt.graphs, cnt.edges, cnt.services, cnt.ncycles);
}

int
main(int argc, char *argv[])
{
	struct record	 rec;
	struct graph	*g;
	const char	*rejpath = NULL, *basepath = NULL;
	char		**files;
	int64_t		 window = 0, grace = 60000;
	size_t		 nring = 100000;
	int		 ch, stats = 0, quiet = 0, rval;

	lp_init("depgraph");
	peer_attrs("peer.service,db.name,db.system");
	while ((ch = getopt_long(argc, argv, OPTSTRING, longopts, NULL)) != -1) {
		switch (ch) {
		case 'b':
			basepath = optarg;
			break;
		case 'f':
			if (strcmp(optarg, "records") == 0)
				format = FMT_RECORDS;
			else if (strcmp(optarg, "dot") == 0)
				format = FMT_DOT;
			else if (strcmp(optarg, "cypher") == 0)
				format = FMT_CYPHER;
			else
				errx(LP_EXIT_USAGE, "invalid format '%s': not "
				    "records, dot or cypher", optarg);
			break;
		case 'g':
			grace = opt_duration_ms(optarg, INT64_C(1) << 50,
			    "grace");
			break;
		case 'h':
			usage(LP_EXIT_OK);
		case 'p':
			if (strcmp(optarg, "otel") == 0)
				lopts.policy = POLICY_OTEL;
			else if (strcmp(optarg, "zipkin") == 0)
				lopts.policy = POLICY_ZIPKIN;
			else
				errx(LP_EXIT_USAGE, "invalid policy '%s': not "
				    "otel or zipkin", optarg);
			break;
		case 'P':
			peer_attrs(optarg);
			break;
		case 'q':
			quiet = 1;
			break;
		case 's':
			stats = 1;
			break;
		case 'u':
			lopts.user = true;
			break;
		case 'V':
			lp_version("depgraph");
		case 'w':
			window = opt_duration_ms(optarg, INT64_C(1) << 50,
			    "window");
			if (window == 0)
				errx(LP_EXIT_USAGE, "invalid window '%s': "
				    "zero", optarg);
			break;
		case 'x':
			rejpath = optarg;
			break;
		case OPT_P95:
			cmp.p95 = opt_real(optarg, 0, 1e9, "--p95-worse");
			break;
		case OPT_ERRORS:
			cmp.errors = opt_real(optarg, 0, 1, "--errors-worse");
			break;
		case OPT_REVISIONS:
			nring = (size_t)opt_num(optarg, 0, 100000000,
			    "--revisions");
			break;
		default:
			usage(LP_EXIT_USAGE);
		}
	}
	files = argv + optind;
	if (window > 0 && format != FMT_RECORDS)
		errx(LP_EXIT_USAGE, "-w: windows are written as records only "
		    "(DOT and Cypher draw one graph)");
	if (lopts.user && lopts.policy != POLICY_OTEL)
		errx(LP_EXIT_USAGE, "-u: the zipkin policy links no caller to "
		    "a root span");
	if (basepath != NULL && strcmp(basepath, "-") == 0)
		errx(LP_EXIT_USAGE, "-b -: name the baseline's file");
	reject_open_option(&rej, "depgraph", rejpath, files);
	if (basepath != NULL)
		cmp.base = baseline(basepath);
	gset_init(&graphs, window, grace, nring, false);

	reader_init(&rd, "depgraph", files, &rej, quiet ? READER_QUIET : 0);
	while (reader_next(&rd, &rec)) {
		if (rec.type != RT_SPAN)
			group_flush();
		switch (rec.type) {
		case RT_TRACE:
			cnt.traces++;
			trace(rec.doc, &rec);
			break;
		case RT_SPAN:
			span(&rec);
			break;
		case RT_EDGE:
		case RT_SERVICE:
			if (!gset_merge_record(&graphs, rec.doc,
			    rec.type == RT_EDGE, &scratch, &why))
				reader_reject(&rd, &rec, "%s", why.p);
			break;
		case RT_CYCLE:
			cnt.cycles++;	/* recomputed from the edges */
			break;
		default:
			wrong_type(&rec);
			break;
		}
	}
	/* The end of input, or a signal: everything held is written. */
	if (!out_closed)
		group_flush();
	while (!out_closed && (g = gset_pop(&graphs)) != NULL)
		emit(g);
	rval = reader_end(&rd);
	if (stats)
		summary();
	rval = reject_end(&rej, rval, stats);
	gset_release(&graphs);
	graph_free((struct graph *)cmp.base);
	linked_release(&lk);
	trace_rec_release(&tr);
	buf_release(&grp.text);
	buf_release(&grp.id);
	jdoc_release(&grp.doc);
	buf_release(&why);
	buf_release(&scratch);
	free(lopts.peer_attrs);
	free(peer_list);
	return lp_exit(rval);
}
