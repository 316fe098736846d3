/*
 * trace.c - span traces over the topology: a request enters at the entry
 * service and fans out along the calls; written as the span log (a line
 * when a call starts and one when it ends), as one OTLP/JSON export per
 * trace, or as one flat JSON record per span.  A seed gives the same
 * traces in every format: the ids and the calls come from the flow
 * generator, and what a format adds (requests, responses) from the span id.
 * With --truth, the spans the format wrote, as it named them.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>

#include "jw.h"
#include "loggen.h"

#define SPAN_MAX	4096	/* spans in one trace; further calls are skipped */

/* A generated span; spans refer to each other by index. */
struct span {
	uint64_t	 id;
	int		 parent;	/* index; -1 for the root */
	int		 svc;		/* the service recording the span */
	int		 peer;		/* callee of a client span; -1: server */
	int64_t		 start, end;	/* true clock, us */
	bool		 error;
	size_t		 line[2];	/* its lines in the flow: the span log's
					   start and end, the flat record */
	unsigned char	 copies;	/* otlp: copies in the export */
};

/* The trace being generated; reused for the next one. */
static struct {
	uint64_t	 id[2];
	struct span	*v;
	size_t		 n, cap;
} trace;

/* A random non-zero id, so that 0 can never be mistaken for one. */
static uint64_t
span_id(void)
{
	uint64_t	 v;

	while ((v = rng_next(&rng)) == 0)
		;
	return v;
}

static size_t
span_new(int parent, int svc, int peer, int64_t start)
{
	struct span	*s;

	xgrow(&trace.v, &trace.cap, trace.n + 1, sizeof(*s));
	s = &trace.v[trace.n];
	s->id = span_id();
	s->parent = parent;
	s->svc = svc;
	s->peer = peer;
	s->start = s->end = start;
	s->error = false;
	s->line[0] = s->line[1] = SIZE_MAX;
	s->copies = 0;
	return trace.n++;
}

/*
 * Service svc serves a request from t on, as a child of span parent:
 * a server span, then one client span per call it makes (each with the
 * callee's server span below it), all in parallel or one after another.
 * A failed call fails its caller too.  Returns the end of the server span
 * and sets *errp to its status.  Spans are referred to by index: the
 * array moves as it grows.
 */
static int64_t
trace_serve(int svc, int parent, int64_t t, bool *errp)
{
	const struct edge	*e;
	size_t			 self, c, i;
	int64_t			 cur, end, cs, se;
	bool			 par, cerr, err = false, called = false;

	self = span_new(parent, svc, -1, t);
	cur = t + rng_range(&rng, 100, 3000);
	end = cur;
	par = rng_chance(&rng, 0.5);
	for (i = 0; i < topo.svc[svc].nedge; i++) {
		e = &topo.edge[topo.svc[svc].edge + i];
		if (!rng_chance(&rng, e->p) || trace.n + 2 > SPAN_MAX)
			continue;
		cs = par ? cur + rng_range(&rng, 0, 300) : end;
		c = span_new((int)self, svc, e->to, cs);
		se = trace_serve(e->to, (int)c,
		    cs + rng_range(&rng, 200, 1500), &cerr);
		trace.v[c].end = se + rng_range(&rng, 200, 1500);
		trace.v[c].error = cerr;
		err |= cerr;
		if (trace.v[c].end > end)
			end = trace.v[c].end;
		called = true;
	}
	if (called)
		end += rng_range(&rng, 50, 1000);
	else
		end = cur + rng_range(&rng, 1 * MSEC, 40 * MSEC);
	if (rng_chance(&rng, cfg.perr))
		err = true;
	trace.v[self].end = end;
	trace.v[self].error = err;
	*errp = err;
	return end;
}

/* The HTTP status of a client span; 500 or 503 on failure. */
static int
span_http(const struct span *s)
{
	if (s->error)
		return (s->id >> 60) & 1 ? 503 : 500;
	return topo.svc[s->peer].route == R_PAYMENTS ? 201 : 200;
}

/*
 * The request of a call and its response, drawn from the span id rather
 * than the generator, so that a seed gives the same traces in every span
 * format.  Some hold commas, as real ones do.
 */
static void
span_request(struct buf *b, const struct span *s)
{
	static const char *words[] = { "shoes", "red", "sale", "gift", "blue",
	    "kids", "new", "usb" };
	const struct svc	*callee = &topo.svc[s->peer];
	uint64_t		 h = s->id;
	uint64_t		 r = splitmix64(&h);

	switch (callee->route) {
	case R_GATEWAY:
		buf_adds(b, "/api/checkout");
		break;
	case R_ORDERS:
		buf_addf(b, "/api/orders/%u", (unsigned)(r % 999 + 1));
		break;
	case R_INVENTORY:
		buf_addf(b, "/api/inventory?ids=%u", (unsigned)(r % 97 + 1));
		if (r >> 32 & 1)
			buf_addf(b, ",%u", (unsigned)((r >> 8) % 97 + 1));
		if (r >> 33 & 1)
			buf_addf(b, ",%u", (unsigned)((r >> 16) % 97 + 1));
		break;
	case R_PAYMENTS:
		buf_adds(b, "/api/payments");
		break;
	case R_BANK:
		buf_adds(b, "/api/bank/authorize");
		break;
	case R_REPORTING:
		buf_addf(b, "/api/search?q=%s,%s", words[r & 7],
		    words[(r >> 3) & 7]);
		break;
	default:
		buf_addf(b, "/api/%s/%u", callee->name, (unsigned)(r % 999 + 1));
		break;
	}
}

static void
span_response(struct buf *b, const struct span *s)
{
	const struct svc	*callee = &topo.svc[s->peer];
	uint64_t		 h = s->id;
	uint64_t		 r = splitmix64(&h);

	if (s->error) {
		if (span_http(s) == 503)
			buf_adds(b, "{\"error\":\"service unavailable\","
			    "\"retry_after\":1}");
		else
			buf_adds(b, "{\"error\":\"internal error\",\"code\":500}");
		return;
	}
	switch (callee->route) {
	case R_INVENTORY:
		buf_addf(b, "{\"items\":%u,\"in_stock\":%s}",
		    (unsigned)(r % 5 + 1), r >> 40 & 1 ? "true" : "false");
		break;
	case R_PAYMENTS:
		buf_addf(b, "{\"payment_id\":\"pay-%06u\",\"status\":\"captured\"}",
		    (unsigned)(r % 1000000));
		break;
	case R_BANK:
		buf_addf(b, "{\"authorized\":true,\"code\":\"A%02u\"}",
		    (unsigned)(r % 100));
		break;
	case R_REPORTING:
		buf_addf(b, "{\"hits\":%u,\"took_ms\":%u}",
		    (unsigned)(r % 50), (unsigned)((r >> 8) % 30 + 1));
		break;
	case R_GATEWAY:
		buf_adds(b, "{\"ok\":true}");
		break;
	default:
		buf_addf(b, "{\"id\":%u,\"ok\":true}", (unsigned)(r % 999 + 1));
		break;
	}
}

/*
 * One span-log line of client span s: its start (102) or its end.
 * Returns its index in the flow.
 */
static size_t
spanlog_line(struct flow *f, const struct span *s, bool end)
{
	struct buf		*b = &f->text;
	const struct svc	*caller = &topo.svc[s->svc];
	const struct span	*server = &trace.v[s->parent];
	int64_t			 t = end ? s->end : s->start;
	int64_t			 ms = t + caller->skew;
	size_t			 off = line_begin(f);

	ms = ms >= 0 ? ms / MSEC : -((-ms + MSEC - 1) / MSEC);
	jw_int(b, ms);
	buf_adds(b, " | trace_id=");
	put_hex64(b, trace.id[0]);
	put_hex64(b, trace.id[1]);
	buf_adds(b, ", span_id=");
	put_hex64(b, s->id);
	buf_adds(b, ", parent_span_id=");
	/* the span log knows calls only: the parent is the caller's call */
	if (server->parent < 0)
		buf_adds(b, "null");
	else
		put_hex64(b, trace.v[server->parent].id);
	buf_adds(b, ", source=");
	buf_adds(b, caller->name);
	buf_adds(b, ", destination=");
	buf_adds(b, topo.svc[s->peer].name);
	buf_adds(b, ", method=");
	buf_adds(b, routes[topo.svc[s->peer].route].method);
	buf_adds(b, ", type=HTTP, request=");
	span_request(b, s);
	if (end) {
		buf_addf(b, ", http_status=%d response=", span_http(s));
		span_response(b, s);
	} else
		buf_adds(b, ", http_status=102 response=null");
	return line_end(f, off, t);
}

/* A duration of us microseconds as a JSON number of milliseconds, "12.5";
 * what jw_num() writes for it, without going through snprintf(3). */
static void
put_ms(struct buf *b, int64_t us)
{
	char	 frac[4];
	int	 n, r;

	jw_int(b, us / 1000);
	if ((r = (int)(us % 1000)) == 0)
		return;
	frac[0] = '.';
	frac[1] = (char)('0' + r / 100);
	frac[2] = (char)('0' + r / 10 % 10);
	frac[3] = (char)('0' + r % 10);
	for (n = 4; frac[n - 1] == '0'; n--)
		;
	buf_add(b, frac, (size_t)n);
}

static void
put_nanos(struct buf *b, int64_t us)
{
	buf_addc(b, '"');
	jw_int(b, us * 1000);
	buf_addc(b, '"');
}

/* One flat JSON line of span s, received when the span ends; returns its
 * index in the flow. */
static size_t
flat_line(struct flow *f, const struct span *s)
{
	struct buf		*b = &f->text;
	const struct svc	*svc = &topo.svc[s->svc];
	size_t			 off = line_begin(f);

	buf_adds(b, "{\"timestamp\":\"");
	put_time(b, s->start + svc->skew, true);
	buf_adds(b, "\",\"trace_id\":");
	put_jhex(b, trace.id, 2);
	buf_adds(b, ",\"span_id\":");
	put_jhex(b, &s->id, 1);
	buf_adds(b, ",\"parent_span_id\":");
	if (s->parent < 0)
		jw_null(b);
	else
		put_jhex(b, &trace.v[s->parent].id, 1);
	buf_adds(b, ",\"service\":");
	jw_cstr(b, svc->name);
	buf_adds(b, ",\"target_service\":");
	jw_cstr(b, s->peer < 0 ? NULL : topo.svc[s->peer].name);
	buf_adds(b, ",\"name\":");
	jw_cstr(b, topo.svc[s->peer < 0 ? s->svc : s->peer].spanname);
	buf_adds(b, ",\"duration_ms\":");
	put_ms(b, s->end - s->start);
	buf_adds(b, s->error ? ",\"status\":\"ERROR\"}" : ",\"status\":\"OK\"}");
	return line_end(f, off, s->end);
}

static void
otlp_span(struct buf *b, const struct span *s)
{
	const struct svc	*svc = &topo.svc[s->svc];

	buf_adds(b, "{\"traceId\":");
	put_jhex(b, trace.id, 2);
	buf_adds(b, ",\"spanId\":");
	put_jhex(b, &s->id, 1);
	buf_adds(b, ",\"parentSpanId\":");
	if (s->parent < 0)
		buf_adds(b, "\"\"");
	else
		put_jhex(b, &trace.v[s->parent].id, 1);
	buf_adds(b, ",\"name\":");
	jw_cstr(b, topo.svc[s->peer < 0 ? s->svc : s->peer].spanname);
	/* SPAN_KIND_SERVER 2, SPAN_KIND_CLIENT 3 */
	buf_adds(b, s->peer < 0 ? ",\"kind\":2" : ",\"kind\":3");
	buf_adds(b, ",\"startTimeUnixNano\":");
	put_nanos(b, s->start + svc->skew);
	buf_adds(b, ",\"endTimeUnixNano\":");
	put_nanos(b, s->end + svc->skew);
	if (s->error)
		buf_adds(b, ",\"status\":{\"code\":2}");
	if (s->peer >= 0) {
		buf_adds(b, ",\"attributes\":[{\"key\":\"peer.service\","
		    "\"value\":{\"stringValue\":");
		jw_cstr(b, topo.svc[s->peer].name);
		buf_adds(b, "}}]");
	}
	buf_addc(b, '}');
}

/*
 * The whole trace as one OTLP/JSON export, spans grouped by service in the
 * order the services first appear; received when the root ends.  --drop
 * and --dup act on spans here, since the line is the whole trace.
 */
static void
otlp_line(struct flow *f)
{
	struct buf	*b = &f->text;
	struct span	*v = trace.v;
	size_t		 off, i, j, k;
	bool		 first_rs = true, first;

	for (i = 0; i < trace.n; i++) {
		v[i].copies = !rng_chance(&krng, cfg.pdrop);
		if (rng_chance(&krng, cfg.pdup) && v[i].copies)
			v[i].copies = 2;
	}
	off = line_begin(f);
	buf_adds(b, "{\"resourceSpans\":[");
	for (i = 0; i < trace.n; i++) {
		/* the first kept span of a service not met before */
		if (v[i].copies == 0)
			continue;
		for (j = 0; j < i; j++)
			if (v[j].copies != 0 && v[j].svc == v[i].svc)
				break;
		if (j < i)
			continue;
		if (!first_rs)
			buf_addc(b, ',');
		first_rs = false;
		buf_adds(b, "{\"resource\":{\"attributes\":[{\"key\":"
		    "\"service.name\",\"value\":{\"stringValue\":");
		jw_cstr(b, topo.svc[v[i].svc].name);
		buf_adds(b, "}}]},\"scopeSpans\":[{\"scope\":{\"name\":"
		    "\"loggen\"},\"spans\":[");
		first = true;
		for (j = i; j < trace.n; j++) {
			if (v[j].svc != v[i].svc)
				continue;
			for (k = 0; k < v[j].copies; k++) {
				if (!first)
					buf_addc(b, ',');
				first = false;
				otlp_span(b, &v[j]);
			}
		}
		buf_adds(b, "]}]}");
	}
	if (first_rs) {
		/* every span was dropped: nothing was exported */
		b->len = off;
		return;
	}
	buf_adds(b, "]}");
	line_end(f, off, trace.v[0].end);
}

/*
 * The truth of the trace just written: the spans the format wrote, in the
 * order they were made (a parent before its children), with the parent
 * the format names, the times it writes (the span's service's clock, to
 * the millisecond) and the copies of their lines that went out.  The span
 * log writes the calls (client spans) only, each as a start and an end
 * line; flat and otlp write every span.
 */
static void
trace_truth(struct flow *f)
{
	static const char *const fmtname[] = { "seed", "spanlog", "otlp",
	    "flat" };
	struct buf		*b = &f->truth;
	const struct span	*s, *parent;
	const struct svc	*svc;
	bool			 first = true, spanlog = cfg.fmt == FMT_SPANLOG;

	buf_adds(b, "{\"type\":\"truth\",\"model\":\"span\",\"format\":");
	jw_cstr(b, fmtname[cfg.fmt]);
	buf_adds(b, ",\"trace_id\":");
	put_jhex(b, trace.id, 2);
	/* a failure fails every caller up to the root */
	buf_adds(b, trace.v[0].error ? ",\"status\":\"FAILURE\",\"spans\":[" :
	    ",\"status\":\"SUCCESS\",\"spans\":[");
	for (s = trace.v; s < trace.v + trace.n; s++) {
		if (spanlog && s->peer < 0)
			continue;
		/* the span log names the caller's call, not its server span */
		parent = s->parent < 0 ? NULL : &trace.v[s->parent];
		if (spanlog)
			parent = parent->parent < 0 ? NULL :
			    &trace.v[parent->parent];
		svc = &topo.svc[s->svc];
		if (!first)
			buf_addc(b, ',');
		first = false;
		buf_adds(b, "{\"span_id\":");
		put_jhex(b, &s->id, 1);
		buf_adds(b, ",\"parent_span_id\":");
		if (parent == NULL)
			jw_null(b);
		else
			put_jhex(b, &parent->id, 1);
		buf_adds(b, ",\"service\":");
		jw_cstr(b, svc->name);
		buf_adds(b, ",\"peer\":");
		jw_cstr(b, s->peer < 0 ? NULL : topo.svc[s->peer].name);
		buf_adds(b, s->peer < 0 ? ",\"kind\":\"SERVER\"" :
		    ",\"kind\":\"CLIENT\"");
		buf_adds(b, ",\"start\":");
		put_jtime(b, s->start + svc->skew, false);
		buf_adds(b, ",\"end\":");
		put_jtime(b, s->end + svc->skew, false);
		buf_adds(b, s->error ? ",\"error\":true" : ",\"error\":false");
		buf_adds(b, ",\"delivered\":");
		if (spanlog) {
			buf_adds(b, "{\"start\":");
			truth_delivered(f, s->line[0]);
			buf_adds(b, ",\"end\":");
			truth_delivered(f, s->line[1]);
			buf_addc(b, '}');
		} else if (cfg.fmt == FMT_FLAT)
			truth_delivered(f, s->line[0]);
		else
			jw_int(b, s->copies);
		buf_addc(b, '}');
	}
	buf_adds(b, "]}\n");
}

void
trace_gen(struct flow *f, int64_t t0)
{
	struct span	*s;
	bool		 rooterr;

	trace.n = 0;
	while ((trace.id[0] = rng_next(&rng)) == 0)
		;
	trace.id[1] = rng_next(&rng);
	trace_serve(topo.entry, -1, t0, &rooterr);
	switch (cfg.fmt) {
	case FMT_SPANLOG:
		for (s = trace.v; s < trace.v + trace.n; s++)
			if (s->peer >= 0) {
				s->line[0] = spanlog_line(f, s, false);
				s->line[1] = spanlog_line(f, s, true);
			}
		break;
	case FMT_FLAT:
		for (s = trace.v; s < trace.v + trace.n; s++)
			s->line[0] = flat_line(f, s);
		break;
	default:
		otlp_line(f);
		break;
	}
	if (cfg.truthfile != NULL)
		trace_truth(f);
}

void
trace_release(void)
{
	free(trace.v);
}
