/*
 * spans.c - Zipkin v2 and Jaeger JSON, decoded natively; see decode.h.
 *
 * As otlp.c, each function mirrors a definition of the jq programs the
 * shipped zipkin.rules and jaeger.rules had (tests/reference/), quoted
 * above it.  Where those programs lost a span silently or stopped at a
 * bad one, a span that cannot be read is a reject of its own here, naming
 * its place, and the others are events.
 */
#include <stdio.h>
#include <string.h>

#include "decode.h"
#include "jw.h"

/* def nonempty: if type == "string" and . != "" then . else null end; */
static void
nonempty(struct dec *dc, int tok, struct buf *out)
{
	if (tok >= 0 && dc->d->t[tok].type == J_STRING &&
	    !jqv_str_eq(dc->d, tok, "", 0))
		dec_write(dc, tok, out);
	else
		jw_null(out);
}

/* An endpoint (member key, tok): an object, or absent or null; anything
 * else made jq's program drop the span without a word. */
static bool
endpoint(struct dec *dc, int tok, const char *key, int *ep)
{
	*ep = tok;
	if (!jqv_present(dc->d, *ep) || dc->d->t[*ep].type == J_OBJECT)
		return true;
	buf_reset(&dc->s2);
	jqv_write40(dc->d, *ep, &dc->s2, &dc->s);
	return dec_error(dc, "%s is not an object: %s", key, dc->s2.p);
}

/* .ENDPOINT.key? // null */
static void
endpoint_member(struct dec *dc, int ep, const char *key, bool nonempty_only,
    struct buf *out)
{
	int	 v = -1;

	if (jqv_present(dc->d, ep))
		v = get_last(dc->d, ep, key, strlen(key));
	if (nonempty_only)
		nonempty(dc, v, out);
	else
		dec_or_null(dc, v, out);
}

/*
 * def zspan: (if (.tags | type) == "object" then .tags else {} end) as $tags
 *   | { trace_id: (.traceId | hexid), span_id: (.id | hexid),
 *       parent_span_id: (.parentId | hexid),
 *       system_id: (.localEndpoint.serviceName? | nonempty),
 *       checkpoint_id: (.name // null), timestamp: (.timestamp // null),
 *       duration_ms: (if (.duration | type) == "number" then .duration /
 *         1000 else null end),
 *       status: (if $tags | has("error") then "FAILURE" else "SUCCESS" end),
 *       failure_reason: ($tags.error | nonempty),
 *       target_system_id: (.remoteEndpoint.serviceName? | nonempty),
 *       kind: (.kind // null), tags: $tags, shared: (.shared // false),
 *       local_ipv4: (.localEndpoint.ipv4? // null),
 *       remote_ipv4: (.remoteEndpoint.ipv4? // null),
 *       remote_port: (.remoteEndpoint.port? // null),
 *       annotations: [.annotations[]? | .value?] };
 */
enum { Z_TRACEID, Z_ID, Z_PARENT, Z_NAME, Z_TIMESTAMP, Z_DURATION, Z_KIND,
	Z_TAGS, Z_SHARED, Z_ANNOTATIONS, Z_LOCAL, Z_REMOTE, Z_N };

static const struct dec_name zspan_names[Z_N] = {
	DEC_NAME("traceId"), DEC_NAME("id"), DEC_NAME("parentId"),
	DEC_NAME("name"), DEC_NAME("timestamp"), DEC_NAME("duration"),
	DEC_NAME("kind"), DEC_NAME("tags"), DEC_NAME("shared"),
	DEC_NAME("annotations"), DEC_NAME("localEndpoint"),
	DEC_NAME("remoteEndpoint")
};

static bool
zspan(struct dec *dc, int s)
{
	const struct jdoc *d = dc->d;
	struct buf	*o;
	struct jqv_iter	 it;
	int		 f[Z_N], tags, le, re, v, a;
	bool		 first = true;

	dec_fields(dc, s, zspan_names, Z_N, f);
	if (!endpoint(dc, f[Z_LOCAL], "localEndpoint", &le) ||
	    !endpoint(dc, f[Z_REMOTE], "remoteEndpoint", &re))
		return false;
	tags = f[Z_TAGS];
	if (tags >= 0 && d->t[tags].type != J_OBJECT)
		tags = -1;
	dec_begin(dc);
	o = dec_key(dc, "trace_id");
	dec_id(dc, f[Z_TRACEID], o);
	o = dec_key(dc, "span_id");
	dec_id(dc, f[Z_ID], o);
	o = dec_key(dc, "parent_span_id");
	dec_id(dc, f[Z_PARENT], o);
	o = dec_key(dc, "system_id");
	endpoint_member(dc, le, "serviceName", true, o);
	o = dec_key(dc, "checkpoint_id");
	dec_or_null(dc, f[Z_NAME], o);
	o = dec_key(dc, "timestamp");
	dec_or_null(dc, f[Z_TIMESTAMP], o);
	o = dec_key(dc, "duration_ms");
	v = f[Z_DURATION];
	if (v >= 0 && d->t[v].type == J_NUMBER)
		jqv_num(o, jqv_number(d, v) / 1000);
	else
		jw_null(o);
	v = tags >= 0 ? get_last(d, tags, "error", 5) : -1;
	buf_adds(dec_key(dc, "status"), v >= 0 ? "\"FAILURE\"" : "\"SUCCESS\"");
	o = dec_key(dc, "failure_reason");
	nonempty(dc, v, o);
	o = dec_key(dc, "target_system_id");
	endpoint_member(dc, re, "serviceName", true, o);
	o = dec_key(dc, "kind");
	dec_or_null(dc, f[Z_KIND], o);
	o = dec_key(dc, "tags");
	if (tags >= 0)
		jqv_write(d, tags, o, &dc->s);
	else
		buf_addlit(o, "{}");
	o = dec_key(dc, "shared");
	v = f[Z_SHARED];
	if (jqv_truthy(d, v))
		dec_write(dc, v, o);
	else
		buf_addlit(o, "false");
	o = dec_key(dc, "local_ipv4");
	endpoint_member(dc, le, "ipv4", false, o);
	o = dec_key(dc, "remote_ipv4");
	endpoint_member(dc, re, "ipv4", false, o);
	o = dec_key(dc, "remote_port");
	endpoint_member(dc, re, "port", false, o);
	o = dec_key(dc, "annotations");
	buf_addc(o, '[');
	jqv_iter_start(&it, d, f[Z_ANNOTATIONS]);
	while ((a = jqv_iter_next(&it)) >= 0) {
		/* .value? of anything but an object or null is nothing */
		if (d->t[a].type != J_OBJECT && d->t[a].type != J_NULL)
			continue;
		if (!first)
			buf_addc(o, ',');
		first = false;
		jqv_write(d, d->t[a].type == J_OBJECT ?
		    get_last(d, a, "value", 5) : -1, o, &dc->s);
	}
	buf_addc(o, ']');
	dec_end(dc);
	return true;
}

/* Whether tok is a span of the array rule: an object with string
 * traceId and id. */
static bool
zipkin_like(const struct jdoc *d, int tok)
{
	int	 t, i;

	if (d->t[tok].type != J_OBJECT)
		return false;
	t = get_last(d, tok, "traceId", 7);
	i = get_last(d, tok, "id", 2);
	return t >= 0 && d->t[t].type == J_STRING && i >= 0 &&
	    d->t[i].type == J_STRING;
}

/* One span, at dc's place: an event, or a reject of its own. */
static void
zipkin_one(struct dec *dc, int s)
{
	if (!zspan(dc, s))
		dec_bad(dc, "span", s);
	else
		dec_output(dc);
}

/*
 * The array rule:
 *   if type == "array" and length > 0 then . else error("not a zipkin span
 *   array") end
 *   | if all(.[]; type == "array") then [.[][]] else . end
 *   | if length > 0 and all(.[]; type == "object" and (.traceId | type) ==
 *     "string" and (.id | type) == "string") then .[] | zspan
 *     else error("not a zipkin span array") end
 * and the one-span rule (one, an object): zspan.
 */
bool
zipkin_spans(struct dec *dc, int root, bool one)
{
	const struct jdoc *d = dc->d;
	uint32_t	 i, j, total = 0;
	int		 e, s;
	bool		 nested = true;

	if (one) {
		if (d->t[root].type != J_OBJECT)
			return dec_error(dc, "not a zipkin span");
		dc->nseg = 0;
		zipkin_one(dc, root);
		return true;
	}
	if (d->t[root].type != J_ARRAY || d->t[root].count == 0)
		return dec_error(dc, "not a zipkin span array");
	for (i = 0, e = root + 1; i < d->t[root].count; i++,
	    e = (int)d->t[e].next)
		if (d->t[e].type != J_ARRAY)
			nested = false;
	/* every span must be one before any is read */
	for (i = 0, e = root + 1; i < d->t[root].count; i++,
	    e = (int)d->t[e].next) {
		if (!nested) {
			if (!zipkin_like(d, e))
				return dec_error(dc, "not a zipkin span array");
			total++;
			continue;
		}
		for (j = 0, s = e + 1; j < d->t[e].count; j++,
		    s = (int)d->t[s].next, total++)
			if (!zipkin_like(d, s))
				return dec_error(dc, "not a zipkin span array");
	}
	if (total == 0)
		return dec_error(dc, "not a zipkin span array");
	for (i = 0, e = root + 1; i < d->t[root].count && !dc->stop; i++,
	    e = (int)d->t[e].next) {
		if (!nested) {
			dec_at(dc, 0, "", i);
			zipkin_one(dc, e);
			continue;
		}
		for (j = 0, s = e + 1; j < d->t[e].count && !dc->stop; j++,
		    s = (int)d->t[s].next) {
			dec_at(dc, 0, "", i);
			dec_at(dc, 1, "", j);
			zipkin_one(dc, s);
		}
	}
	return true;
}

/*
 * def jtags: reduce (.[]? | select(type == "object" and .key != null)) as
 *   $t ({}; .[$t.key | tostring] = $t.value);
 */
static void
jtags(struct dec *dc, int tok, struct kvset *set)
{
	const struct jdoc *d = dc->d;
	struct jqv_iter	 it;
	const char	*p;
	size_t		 len;
	int		 t, k;

	kvset_reset(set);
	jqv_iter_start(&it, d, tok);
	while ((t = jqv_iter_next(&it)) >= 0) {
		if (d->t[t].type != J_OBJECT)
			continue;
		k = get_last(d, t, "key", 3);
		if (!jqv_present(d, k))
			continue;
		buf_reset(&dc->v);
		dec_write(dc, get_last(d, t, "value", 5), &dc->v);
		buf_reset(&dc->s2);
		if (d->t[k].type == J_STRING) {
			jdoc_str(d, k, &dc->s, &p, &len);
			if (d->t[k].flags & JT_BADUTF8)
				jqv_utf8(&dc->s2, p, len);
			else
				buf_add(&dc->s2, p, len);
		} else
			jqv_write(d, k, &dc->s2, &dc->s);
		kvset_set(set, dc->s2.p ? dc->s2.p : "", dc->s2.len, dc->v.p,
		    dc->v.len);
	}
}

/* Whether $tags[name] is the JSON text v. */
static bool
tag_is(const struct kvset *tags, const char *name, const char *v)
{
	const char	*t;
	size_t		 tl;

	return kvset_get(tags, name, strlen(name), &t, &tl) &&
	    tl == strlen(v) && memcmp(t, v, tl) == 0;
}

/*
 * (if (.process | type) == "object" then .process else ($procs[.processID
 * // ""] // {}) end) as $proc; -1 for {}.
 */
static bool
jprocess(struct dec *dc, int s, int procs, int *proc)
{
	const struct jdoc *d = dc->d;
	const char	*p = "";
	size_t		 len = 0;
	int		 pid;

	*proc = -1;
	if (jqv_present(d, s)) {
		*proc = get_last(d, s, "process", 7);
		if (*proc >= 0 && d->t[*proc].type == J_OBJECT)
			return true;
	}
	pid = jqv_present(d, s) ? get_last(d, s, "processID", 9) : -1;
	if (!jqv_truthy(d, pid))
		pid = -1;
	if (pid >= 0 && d->t[pid].type != J_STRING)
		return dec_error(dc, "Cannot index %s with %s",
		    procs < 0 ? "object" : jqv_kind(d, procs), jqv_kind(d, pid));
	if (pid >= 0)
		jdoc_str(d, pid, &dc->s, &p, &len);
	*proc = -1;
	if (procs < 0)
		return true;
	if (d->t[procs].type != J_OBJECT) {
		buf_reset(&dc->s2);
		buf_add(&dc->s2, p, len);
		return dec_error(dc, "Cannot index %s with string \"%s\"",
		    jqv_kind(d, procs), dc->s2.p ? dc->s2.p : "");
	}
	*proc = get_last(d, procs, p, len);
	if (!jqv_truthy(d, *proc))
		*proc = -1;
	return true;
}

/*
 * def jdur: if type == "number" then . / 1000 elif type == "string" and
 *   test("^[0-9.]+s$") then (.[:-1] | tonumber) * 1000 else null end;
 */
static bool
jdur(struct dec *dc, int tok, struct buf *out)
{
	const char	*p;
	size_t		 len, i, k;
	double		 x;

	if (tok >= 0 && dc->d->t[tok].type == J_NUMBER) {
		jqv_num(out, jqv_number(dc->d, tok) / 1000);
		return true;
	}
	if (tok < 0 || dc->d->t[tok].type != J_STRING) {
		jw_null(out);
		return true;
	}
	jdoc_str(dc->d, tok, &dc->s, &p, &len);
	k = len > 0 && p[len - 1] == '\n' ? len - 1 : len;
	for (i = 0; i < k && ((p[i] >= '0' && p[i] <= '9') || p[i] == '.');
	    i++)
		;
	if (i == 0 || i + 1 != k || p[i] != 's') {
		jw_null(out);
		return true;
	}
	/* .[:-1] drops the last character, the newline if there is one */
	if (!jqv_tonumber(p, len - 1, &x)) {
		buf_reset(&dc->s2);
		buf_add(&dc->s2, p, len - 1);
		return dec_error(dc, "Invalid numeric literal at EOF at line 1, "
		    "column %zu (while parsing '%s')", len - 1, dc->s2.p);
	}
	jqv_num(out, x * 1000);
	return true;
}

/*
 * parent_span_id: (.parentSpanID | hexid) // (([.references[]? |
 * select(.refType == "CHILD_OF")] + [.references[]?])[0].spanID | hexid)
 */
static bool
jparent(struct dec *dc, int s, struct buf *out)
{
	const struct jdoc *d = dc->d;
	struct jqv_iter	 it;
	size_t		 mark = out->len;
	int		 r, t, child = -1, any = -1;
	bool		 have_any = false;

	dec_id(dc, get_last(d, s, "parentSpanID", 12), out);
	if (out->len - mark != 4 || memcmp(out->p + mark, "null", 4) != 0)
		return true;
	out->len = mark;
	jqv_iter_start(&it, d, get_last(d, s, "references", 10));
	while ((r = jqv_iter_next(&it)) >= 0) {
		if (!dec_get(dc, r, "refType", &t)) {
			jqv_iter_end(&it);
			return false;
		}
		if (child < 0 && jqv_str_eq(d, t, "CHILD_OF", 8))
			child = r;
		if (!have_any) {
			any = r;
			have_any = true;
		}
	}
	r = child >= 0 ? child : any;
	dec_id(dc, jqv_present(d, r) ? get_last(d, r, "spanID", 6) : -1, out);
	return true;
}

/*
 * def jspans: (.processes // {}) as $procs | .spans[]
 *   | ((.tags // []) | jtags) as $tags
 *   | (...) as $proc
 *   | ($tags.error == true or $tags.error == "true" or
 *     $tags["otel.status_code"] == "ERROR") as $err
 *   | { trace_id: (.traceID | hexid), span_id: (.spanID | hexid),
 *       parent_span_id: ..., system_id: ($proc.serviceName // null),
 *       checkpoint_id: (.operationName // null),
 *       timestamp: (.startTime // null), duration_ms: (.duration | jdur),
 *       status: (if $err then "FAILURE" else "SUCCESS" end),
 *       failure_reason: (if $err then $tags["otel.status_description"] //
 *         null else null end),
 *       target_system_id: ($tags["peer.service"] // null),
 *       kind: ($tags["span.kind"] // null), span_attrs: $tags,
 *       process_tags: (($proc.tags // []) | jtags),
 *       logs: ((.logs // []) | length), warnings: (.warnings // null) };
 */
enum { J_TRACEID, J_SPANID, J_OPNAME, J_START, J_DURATION, J_LOGS,
	J_WARNINGS, J_TAGS, J_N };

static const struct dec_name jspan_names[J_N] = {
	DEC_NAME("traceID"), DEC_NAME("spanID"), DEC_NAME("operationName"),
	DEC_NAME("startTime"), DEC_NAME("duration"), DEC_NAME("logs"),
	DEC_NAME("warnings"), DEC_NAME("tags")
};

static bool
jspan(struct dec *dc, int s, int procs)
{
	const struct jdoc *d = dc->d;
	struct buf	*o;
	int		 f[J_N], tags, proc, v;
	double		 n;
	bool		 err;

	if (!dec_get(dc, s, "tags", &tags))
		return false;
	dec_fields(dc, s, jspan_names, J_N, f);
	jtags(dc, jqv_truthy(d, tags) ? tags : -1, &dc->kattrs);
	if (!jprocess(dc, s, procs, &proc))
		return false;
	err = tag_is(&dc->kattrs, "error", "true") ||
	    tag_is(&dc->kattrs, "error", "\"true\"") ||
	    tag_is(&dc->kattrs, "otel.status_code", "\"ERROR\"");
	dec_begin(dc);
	o = dec_key(dc, "trace_id");
	dec_id(dc, f[J_TRACEID], o);
	o = dec_key(dc, "span_id");
	dec_id(dc, f[J_SPANID], o);
	o = dec_key(dc, "parent_span_id");
	if (!jparent(dc, s, o))
		return false;
	o = dec_key(dc, "system_id");
	if (!dec_get(dc, proc, "serviceName", &v))
		return false;
	dec_or_null(dc, v, o);
	o = dec_key(dc, "checkpoint_id");
	dec_or_null(dc, f[J_OPNAME], o);
	o = dec_key(dc, "timestamp");
	dec_or_null(dc, f[J_START], o);
	o = dec_key(dc, "duration_ms");
	if (!jdur(dc, f[J_DURATION], o))
		return false;
	buf_adds(dec_key(dc, "status"), err ? "\"FAILURE\"" : "\"SUCCESS\"");
	o = dec_key(dc, "failure_reason");
	if (err)
		kvset_or_null(&dc->kattrs, "otel.status_description", o);
	else
		jw_null(o);
	o = dec_key(dc, "target_system_id");
	kvset_or_null(&dc->kattrs, "peer.service", o);
	o = dec_key(dc, "kind");
	kvset_or_null(&dc->kattrs, "span.kind", o);
	dec_key_kvset(dc, "span_attrs", &dc->kattrs);
	(void)dec_get(dc, proc, "tags", &v);
	jtags(dc, jqv_truthy(d, v) ? v : -1, &dc->kev);
	dec_key_kvset(dc, "process_tags", &dc->kev);
	o = dec_key(dc, "logs");
	v = f[J_LOGS];
	if (!jqv_length(d, jqv_truthy(d, v) ? v : -1, &n))
		return dec_error(dc, "boolean (true) has no length");
	jqv_num(o, n);
	o = dec_key(dc, "warnings");
	dec_or_null(dc, f[J_WARNINGS], o);
	dec_end(dc);
	return true;
}

/* The spans of trace object t, at "PREFIXspans[k]". */
static void
jtrace(struct dec *dc, int t)
{
	const struct jdoc *d = dc->d;
	int		 level = dc->nseg;
	uint32_t	 k;
	int		 procs, spans, s;

	procs = get_last(d, t, "processes", 9);
	if (!jqv_truthy(d, procs))
		procs = -1;
	spans = get_last(d, t, "spans", 5);
	for (k = 0, s = spans + 1; k < d->t[spans].count && !dc->stop; k++,
	    s = (int)d->t[s].next) {
		dec_at(dc, level, "spans", k);
		if (!jspan(dc, s, procs))
			dec_bad(dc, "span", s);
		else
			dec_output(dc);
	}
	dc->nseg = level;
}

/*
 * The answer rule: if (.data | type) == "array" and all(.data[]; type ==
 * "object" and (.spans | type) == "array") then .data[] | jspans else
 * error("not a jaeger trace response") end; the one-trace rule: if
 * (.spans | type) == "array" then jspans else error("not a jaeger trace")
 * end.
 */
bool
jaeger_traces(struct dec *dc, int root, bool answer)
{
	const struct jdoc *d = dc->d;
	uint32_t	 i;
	int		 data, t, spans;

	if (d->t[root].type != J_OBJECT)
		return dec_error(dc, answer ? "not a jaeger trace response" :
		    "not a jaeger trace");
	if (!answer) {
		spans = get_last(d, root, "spans", 5);
		if (spans < 0 || d->t[spans].type != J_ARRAY)
			return dec_error(dc, "not a jaeger trace");
		dc->nseg = 0;
		jtrace(dc, root);
		return true;
	}
	data = get_last(d, root, "data", 4);
	if (data < 0 || d->t[data].type != J_ARRAY)
		return dec_error(dc, "not a jaeger trace response");
	for (i = 0, t = data + 1; i < d->t[data].count; i++,
	    t = (int)d->t[t].next) {
		if (d->t[t].type != J_OBJECT ||
		    (spans = get_last(d, t, "spans", 5)) < 0 ||
		    d->t[spans].type != J_ARRAY)
			return dec_error(dc, "not a jaeger trace response");
	}
	for (i = 0, t = data + 1; i < d->t[data].count && !dc->stop; i++,
	    t = (int)d->t[t].next) {
		dec_at(dc, 0, "data", i);
		jtrace(dc, t);
	}
	return true;
}
