/*
 * otlp.c - OTLP/JSON traces and logs, decoded natively; see decode.h.
 *
 * Each function mirrors a definition of the jq programs the shipped
 * otlp.rules had (tests/reference/otlp-jq.rules), in the same order of
 * evaluation, so that the same object comes out and the same error
 * stops an item that cannot be read: otlp_value, otlp_attrs, otlp_span
 * and the programs' main bodies.  The jq is quoted above each.
 */
#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "decode.h"
#include "jw.h"
#include "lp.h"

/* The name of string token tok as jq keeps it (unescaped, bad UTF-8
 * replaced), in *p, *len (pointing into tok's text or into scratch). */
static void
name_of(struct dec *dc, int tok, struct buf *scratch, const char **p,
    size_t *len)
{
	jdoc_str(dc->d, tok, scratch, p, len);
	if (dc->d->t[tok].flags & JT_BADUTF8) {
		struct buf fixed = BUF_INIT;
		jqv_utf8(&fixed, *p, *len);
		buf_reset(scratch);
		buf_add(scratch, fixed.p, fixed.len);
		buf_release(&fixed);
		*p = scratch->p;
		*len = scratch->len;
	}
}

static bool	otlp_kvlist(struct dec *, int, struct kvset *, bool);

/*
 * def otlp_value:
 *   if type != "object" then .
 *   elif has("stringValue") then .stringValue
 *   elif has("boolValue") then .boolValue
 *   elif has("intValue") then (.intValue | if type == "string" and
 *       length < 16 then (tonumber? // .) else . end)
 *   elif has("doubleValue") then .doubleValue
 *   elif has("arrayValue") then [.arrayValue.values[]? | otlp_value]
 *   elif has("kvlistValue") then reduce (.kvlistValue.values[]? |
 *       select(.key != null)) as $kv ({}; .[$kv.key] = ($kv.value |
 *       otlp_value))
 *   elif has("bytesValue") then .bytesValue
 *   else null end;
 */
static bool
otlp_value(struct dec *dc, int tok, struct buf *out, int *kind)
{
	const struct jdoc *d = dc->d;
	const char	*p;
	size_t		 len;
	double		 x;
	int		 v, vals, e, ek;
	struct jqv_iter	 it;
	struct kvset	 kv;
	bool		 first = true, ok;

	*kind = J_NULL;
	if (tok < 0 || d->t[tok].type != J_OBJECT) {
		v = tok;
		goto write;
	}
	if ((v = get_last(d, tok, "stringValue", 11)) >= 0 ||
	    (v = get_last(d, tok, "boolValue", 9)) >= 0)
		goto write;
	if ((v = get_last(d, tok, "intValue", 8)) >= 0) {
		if (d->t[v].type == J_STRING) {
			jdoc_str(d, v, &dc->s, &p, &len);
			if (jqv_codepoints(p, len) < 16 &&
			    jqv_tonumber(p, len, &x)) {
				*kind = J_NUMBER;	/* NaN too */
				jqv_num(out, x);
				return true;
			}
		}
		goto write;
	}
	if ((v = get_last(d, tok, "doubleValue", 11)) >= 0)
		goto write;
	if ((v = get_last(d, tok, "arrayValue", 10)) >= 0) {
		if (!dec_get(dc, v, "values", &vals))
			return false;
		buf_addc(out, '[');
		jqv_iter_start(&it, d, vals);
		while ((e = jqv_iter_next(&it)) >= 0) {
			if (!first)
				buf_addc(out, ',');
			first = false;
			if (!otlp_value(dc, e, out, &ek)) {
				jqv_iter_end(&it);
				return false;
			}
		}
		buf_addc(out, ']');
		*kind = J_ARRAY;
		return true;
	}
	if ((v = get_last(d, tok, "kvlistValue", 11)) >= 0) {
		if (!dec_get(dc, v, "values", &vals))
			return false;
		memset(&kv, 0, sizeof(kv));
		ok = otlp_kvlist(dc, vals, &kv, false);
		if (ok)
			kvset_write(&kv, out);
		kvset_release(&kv);
		*kind = J_OBJECT;
		return ok;
	}
	if ((v = get_last(d, tok, "bytesValue", 10)) >= 0)
		goto write;
	jw_null(out);
	return true;
write:
	dec_write(dc, v, out);
	*kind = v < 0 ? J_NULL : d->t[v].type;
	return true;
}

/*
 * reduce (LIST[]? | select(...)) as $kv ({}; .[$kv.key] = ($kv.value |
 * otlp_value)): attribute lists select(type == "object" and .key !=
 * null) (objects only), kvlist values select(.key != null) (.key of
 * anything but an object or null is an error).  The value is made
 * before the key is used, so its errors come first.
 */
static bool
otlp_kvlist(struct dec *dc, int list, struct kvset *set, bool objects_only)
{
	const struct jdoc *d = dc->d;
	struct jqv_iter	 it;
	struct buf	 lval = BUF_INIT, lname = BUF_INIT, *val, *name;
	const char	*p;
	size_t		 len;
	int		 e, k, v, vk, depth = dc->kvdepth++;
	bool		 ok = true;

	/* scratch kept by depth (a kvlistValue nests a list), not made
	 * and freed for every list */
	if (depth < DEC_KVPOOL) {
		val = &dc->kvval[depth];
		name = &dc->kvname[depth];
	} else {
		val = &lval;
		name = &lname;
	}
	jqv_iter_start(&it, d, list);
	while ((e = jqv_iter_next(&it)) >= 0) {
		if (objects_only && d->t[e].type != J_OBJECT)
			continue;
		if (!dec_get(dc, e, "key", &k)) {
			ok = false;
			break;
		}
		if (!jqv_present(d, k))
			continue;
		v = get_last(d, e, "value", 5);
		buf_reset(val);
		if (!otlp_value(dc, v, val, &vk)) {
			ok = false;
			break;
		}
		if (d->t[k].type != J_STRING) {
			ok = dec_error(dc, "Cannot index object with %s",
			    jqv_kind(d, k));
			break;
		}
		name_of(dc, k, name, &p, &len);
		kvset_set(set, p, len, val->p ? val->p : "null", val->len);
	}
	if (!ok)
		jqv_iter_end(&it);
	dc->kvdepth--;
	buf_release(&lval);
	buf_release(&lname);
	return ok;
}

/* def otlp_attrs: reduce (.[]? | select(type == "object" and .key !=
 * null)) as $kv ({}; .[$kv.key] = ($kv.value | otlp_value)); */
bool
otlp_attrs(struct dec *dc, int tok, struct kvset *set)
{
	kvset_reset(set);
	return otlp_kvlist(dc, tok, set, true);
}

/* (LIST // []) | otlp_attrs */
static bool
attrs_of(struct dec *dc, int obj, const char *key, struct kvset *set)
{
	int	 a;

	if (!dec_get(dc, obj, key, &a))
		return false;
	return otlp_attrs(dc, jqv_truthy(dc->d, a) ? a : -1, set);
}

/*
 * def nanos($what): if . == null or type == "number" or (type == "string"
 *   and test("^[0-9]+$")) then . else error("\($what) is not a number of
 *   nanoseconds: \(tojson)") end;
 * ("$" also matches before a final newline.)
 */
static bool
nanos(struct dec *dc, int tok, const char *what)
{
	const char	*p;
	size_t		 len, i;

	if (tok < 0 || dc->d->t[tok].type == J_NUMBER)
		return true;
	if (dc->d->t[tok].type == J_STRING) {
		jdoc_str(dc->d, tok, &dc->s, &p, &len);
		if (len > 0 && p[len - 1] == '\n')
			len--;
		for (i = 0; i < len && p[i] >= '0' && p[i] <= '9'; i++)
			;
		if (len > 0 && i == len)
			return true;
	}
	buf_reset(&dc->s2);
	jqv_write(dc->d, tok, &dc->s2, &dc->s);
	return dec_error(dc, "%s is not a number of nanoseconds: %s", what,
	    dc->s2.p);
}

/* A digit string s[0..n) (a newline may end it) as tonumber reads it:
 * exactly, by integer arithmetic, up to 15 digits. */
static double
digits_num(const char *s, size_t n)
{
	uint64_t	 v = 0;
	size_t		 i;
	double		 x = 0;

	if (n > 0 && s[n - 1] == '\n')
		n--;
	if (n > 15) {
		(void)jqv_tonumber(s, n, &x);
		return x;
	}
	for (i = 0; i < n; i++)
		v = v * 10 + (uint64_t)(s[i] - '0');
	return (double)v;
}

/* def secs: if length > 9 then .[:-9] | tonumber else 0 end;
 * def nsec: .[-9:] | tonumber;  (of a digit string, on its bytes) */
static void
secs_nsec(const char *p, size_t len, double *secs, double *nsec)
{
	*secs = len > 9 ? digits_num(p, len - 9) : 0;
	*nsec = len > 9 ? digits_num(p + len - 9, 9) : digits_num(p, len);
}

/*
 * secs_nsec of a string time token that nanos() took (so its text is
 * digits once unescaped), in one pass when it is what exporters write:
 * no escapes (no final newline, which moves jq's split), up to 24
 * digits (parts of at most 15, read exactly as digits_num reads them);
 * false for any other, to be read the general way.
 */
static bool
ns_split(const struct jdoc *d, int tok, double *secs, double *nsec)
{
	const struct jtok *t = &d->t[tok];
	const char	*p = d->src + t->start + 1;
	size_t		 len = t->end - t->start - 2, i, k;
	uint64_t	 hi = 0, lo = 0;

	if ((t->flags & JT_ESCAPED) || len == 0 || len > 24)
		return false;
	k = len > 9 ? len - 9 : 0;
	for (i = 0; i < k; i++)
		hi = hi * 10 + (uint64_t)(p[i] - '0');
	for (; i < len; i++)
		lo = lo * 10 + (uint64_t)(p[i] - '0');
	*secs = (double)hi;
	*nsec = (double)lo;
	return true;
}

/*
 * Append the duration r = (s1 - s0) * 1000 + (n1 - n0) / 1000000 as jq
 * writes it.  Its exact value, a whole number of nanoseconds, written as
 * milliseconds, is what jq writes whenever it has at most 15 significant
 * digits and reads back as r (then no shorter decimal does), which is
 * what durations of spans have: one division instead of jq's search.
 */
static void
dur_text(double s0, double n0, double s1, double n1, struct buf *out)
{
	double		 r = (s1 - s0) * 1000 + (n1 - n0) / 1000000;
	double		 ds = s1 - s0, dn = n1 - n0;
	int64_t		 ns, ip, fp;
	char		 tmp[48], *q = tmp + sizeof(tmp) - 1, *end;
	int		 k, sig;

	if (fabs(ds) < 1e9 && fabs(dn) < 1e10 && ds == floor(ds) &&
	    dn == floor(dn)) {
		ns = (int64_t)ds * 1000000000 + (int64_t)dn;
		ip = (ns < 0 ? -ns : ns) / 1000000;
		fp = (ns < 0 ? -ns : ns) % 1000000;
		*q = '\0';
		for (k = 0; k < 6 && fp % 10 == 0 && fp > 0; k++)
			fp /= 10;
		if (fp > 0) {
			for (; k < 6; k++) {
				*--q = (char)('0' + fp % 10);
				fp /= 10;
			}
			*--q = '.';
		}
		do {
			*--q = (char)('0' + ip % 10);
			ip /= 10;
		} while (ip > 0);
		if (ns < 0)
			*--q = '-';
		for (sig = 0, end = q; *end != '\0'; end++)
			sig += *end >= '0' && *end <= '9';
		/* leading zeros of 0.000x are not significant; 0.0001 and
		 * below are written with an exponent.  The text reads back
		 * as ns / 1e6 correctly rounded, which division gives */
		if (sig <= 15 && fabs(r) >= 1e-3 &&
		    (ns < 0 ? -ns : ns) < (1LL << 53) &&
		    (double)ns / 1000000 == r) {
			buf_add(out, q, (size_t)(end - q));
			return;
		}
	}
	jqv_num(out, r);
}

/*
 * def dur_ms($s; $e):
 *   if both are digit strings then
 *     (($e | secs) - ($s | secs)) * 1000 + (($e | nsec) - ($s | nsec)) /
 *     1000000
 *   elif both are numbers then ($e - $s) / 1000000 else null end;
 */
static void
dur_ms(struct dec *dc, int t0, int t1, struct buf *out)
{
	const struct jdoc *d = dc->d;
	const char	*p;
	size_t		 len;
	double		 s0, n0, s1, n1;

	if (d->t[t0].type == J_STRING && d->t[t1].type == J_STRING) {
		if (!ns_split(d, t0, &s0, &n0)) {
			jdoc_str(d, t0, &dc->s, &p, &len);
			secs_nsec(p, len, &s0, &n0);
		}
		if (!ns_split(d, t1, &s1, &n1)) {
			jdoc_str(d, t1, &dc->s, &p, &len);
			secs_nsec(p, len, &s1, &n1);
		}
		dur_text(s0, n0, s1, n1, out);
	} else if (d->t[t0].type == J_NUMBER && d->t[t1].type == J_NUMBER)
		jqv_num(out, (jqv_number(d, t1) - jqv_number(d, t0)) / 1000000);
	else
		jw_null(out);
}

/*
 * def span_kind:
 *   if type == "number" then (["UNSPECIFIED", "INTERNAL", "SERVER",
 *     "CLIENT", "PRODUCER", "CONSUMER"][.] // tostring)
 *   elif type == "string" then sub("^SPAN_KIND_"; "") else null end;
 */
static void
span_kind(struct dec *dc, int tok, struct buf *out)
{
	static const char *const kinds[] = { "UNSPECIFIED", "INTERNAL",
	    "SERVER", "CLIENT", "PRODUCER", "CONSUMER" };
	const struct jdoc *d = dc->d;
	const char	*p;
	size_t		 len;
	double		 x;
	int		 i;

	if (tok >= 0 && d->t[tok].type == J_NUMBER) {
		x = jqv_number(d, tok);
		/* jq indexes arrays with integers in int's range only,
		 * negative ones from the end */
		if (!isnan(x) && x <= INT_MAX && x >= INT_MIN && x == (int)x) {
			i = (int)x;
			if (i < 0)
				i += 6;
			if (i >= 0 && i < 6) {
				jw_cstr(out, kinds[i]);
				return;
			}
		}
		buf_reset(&dc->s2);
		jqv_numtext(&dc->s2, d->src + d->t[tok].start,
		    d->t[tok].end - d->t[tok].start);
		jw_str(out, dc->s2.p, dc->s2.len);
	} else if (tok >= 0 && d->t[tok].type == J_STRING) {
		name_of(dc, tok, &dc->s, &p, &len);
		if (len >= 10 && memcmp(p, "SPAN_KIND_", 10) == 0)
			p += 10, len -= 10;
		jw_str(out, p, len);
	} else
		jw_null(out);
}

/*
 * failure_reason on an error status:
 *   (.status.message | nz) // ([.events[]? | select(.name == "exception")
 *   | (.attributes // []) | otlp_attrs | .["exception.message"] //
 *   empty][0]) // null
 * Every event is read (the array is made whole before its first element
 * is taken), so a bad one is an error even after a message was found.
 */
static bool
failure_reason(struct dec *dc, int events, int status, struct buf *out)
{
	const struct jdoc *d = dc->d;
	struct jqv_iter	 it;
	int		 m, e, nm;
	const char	*v;
	size_t		 vl;
	bool		 found = false;

	if (!dec_get(dc, status, "message", &m))
		return false;
	if ((m = dec_nz(dc, m)) >= 0) {
		dec_write(dc, m, out);
		return true;
	}
	jqv_iter_start(&it, d, events);
	while ((e = jqv_iter_next(&it)) >= 0) {
		if (!dec_get(dc, e, "name", &nm)) {
			jqv_iter_end(&it);
			return false;
		}
		if (!jqv_str_eq(d, nm, "exception", 9))
			continue;
		if (!attrs_of(dc, e, "attributes", &dc->kev)) {
			jqv_iter_end(&it);
			return false;
		}
		if (!found && kvset_get(&dc->kev, "exception.message", 17, &v,
		    &vl) && !(vl == 4 && memcmp(v, "null", 4) == 0) &&
		    !(vl == 5 && memcmp(v, "false", 5) == 0)) {
			buf_add(out, v, vl);
			found = true;
		}
	}
	if (!found)
		jw_null(out);
	return true;
}

/* $scope.NAME // null, $scope an object or absent ({}) */
static bool
scope_member(struct dec *dc, int scope, const char *name, struct buf *out)
{
	int	 v;

	if (!dec_get(dc, scope, name, &v))
		return false;
	dec_or_null(dc, v, out);
	return true;
}

/*
 * def otlp_span($res; $scope):
 *   if type != "object" then error("not an object: \(tojson | .[:40])")
 *   | ((.attributes // []) | otlp_attrs) as $attrs
 *   | (.status.code == 2 or .status.code == "STATUS_CODE_ERROR") as $err
 *   | (((.startTimeUnixNano | nz) // null) | nanos(...)) as $t0 | ... $t1
 *   | { trace_id, span_id, parent_span_id, system_id, checkpoint_id,
 *       timestamp, duration_ms, status, failure_reason, target_system_id,
 *       kind, status_code, scope, scope_version, span_attrs,
 *       resource_attrs, events, links };
 * Into dc->obj; the resource's attributes are in dc->kres and dc->res.
 */
enum { S_TRACEID, S_SPANID, S_PARENT, S_NAME, S_KIND, S_START, S_END,
	S_STATUS, S_ATTRS, S_EVENTS, S_LINKS, S_N };

static const struct dec_name span_names[S_N] = {
	DEC_NAME("traceId"), DEC_NAME("spanId"), DEC_NAME("parentSpanId"),
	DEC_NAME("name"), DEC_NAME("kind"), DEC_NAME("startTimeUnixNano"),
	DEC_NAME("endTimeUnixNano"), DEC_NAME("status"),
	DEC_NAME("attributes"), DEC_NAME("events"), DEC_NAME("links")
};

/* (.[key] // []) | length, of a member tok */
static bool
length_or_0(struct dec *dc, int v, struct buf *out)
{
	double	 n;

	if (!jqv_length(dc->d, jqv_truthy(dc->d, v) ? v : -1, &n))
		return dec_error(dc, "boolean (true) has no length");
	jqv_num(out, n);
	return true;
}

static bool
otlp_span(struct dec *dc, int span, int scope)
{
	const struct jdoc *d = dc->d;
	struct buf	*o;
	int		 f[S_N], status, code, t0, t1;
	bool		 err;

	if (span < 0 || d->t[span].type != J_OBJECT) {
		buf_reset(&dc->s2);
		jqv_write40(d, span, &dc->s2, &dc->s);
		return dec_error(dc, "not an object: %s", dc->s2.p);
	}
	dec_fields(dc, span, span_names, S_N, f);
	if (!otlp_attrs(dc, jqv_truthy(d, f[S_ATTRS]) ? f[S_ATTRS] : -1,
	    &dc->kattrs))
		return false;
	status = f[S_STATUS];
	if (!dec_get(dc, status, "code", &code))
		return false;
	err = (code >= 0 && d->t[code].type == J_NUMBER &&
	    jqv_number(d, code) == 2) ||
	    jqv_str_eq(d, code, "STATUS_CODE_ERROR", 17);
	t0 = dec_nz(dc, f[S_START]);
	if (!nanos(dc, t0, "startTimeUnixNano"))
		return false;
	t1 = dec_nz(dc, f[S_END]);
	if (!nanos(dc, t1, "endTimeUnixNano"))
		return false;

	dec_begin(dc);
	o = dec_key(dc, "trace_id");
	dec_id(dc, f[S_TRACEID], o);
	o = dec_key(dc, "span_id");
	dec_id(dc, f[S_SPANID], o);
	o = dec_key(dc, "parent_span_id");
	dec_id(dc, f[S_PARENT], o);
	o = dec_key(dc, "system_id");
	kvset_or_null(&dc->kres, "service.name", o);
	o = dec_key(dc, "checkpoint_id");
	dec_or_null(dc, f[S_NAME], o);
	o = dec_key(dc, "timestamp");
	dec_write(dc, t0, o);
	o = dec_key(dc, "duration_ms");
	if (t0 >= 0 && t1 >= 0)
		dur_ms(dc, t0, t1, o);
	else
		jw_null(o);
	buf_adds(dec_key(dc, "status"), err ? "\"FAILURE\"" : "\"SUCCESS\"");
	o = dec_key(dc, "failure_reason");
	if (!err)
		jw_null(o);
	else if (!failure_reason(dc, f[S_EVENTS], status, o))
		return false;
	o = dec_key(dc, "target_system_id");
	kvset_or_null(&dc->kattrs, "peer.service", o);
	o = dec_key(dc, "kind");
	span_kind(dc, f[S_KIND], o);
	o = dec_key(dc, "status_code");
	dec_or_null(dc, code, o);
	o = dec_key(dc, "scope");
	if (!scope_member(dc, scope, "name", o))
		return false;
	o = dec_key(dc, "scope_version");
	if (!scope_member(dc, scope, "version", o))
		return false;
	dec_key_kvset(dc, "span_attrs", &dc->kattrs);
	o = dec_key(dc, "resource_attrs");
	buf_add(o, dc->res.p, dc->res.len);
	if (!length_or_0(dc, f[S_EVENTS], dec_key(dc, "events")) ||
	    !length_or_0(dc, f[S_LINKS], dec_key(dc, "links")))
		return false;
	dec_end(dc);
	return true;
}

/* The resource's attributes ((.resource.attributes // []) | otlp_attrs)
 * into dc->kres and, as JSON, dc->res. */
static bool
resource(struct dec *dc, int r)
{
	int	 res;

	if (!dec_get(dc, r, "resource", &res) ||
	    !attrs_of(dc, res, "attributes", &dc->kres))
		return false;
	buf_reset(&dc->res);
	kvset_write(&dc->kres, &dc->res);
	return true;
}

/*
 * One of .resourceSpans:
 *   (($rs.resource.attributes // []) | otlp_attrs) as $res
 *   | (if $rs.scopeSpans then "scopeSpans" elif
 *     $rs.instrumentationLibrarySpans then "instrumentationLibrarySpans"
 *     else null end) as $sk
 *   | if $sk == null then empty else
 *     ($rs[$sk] | entries) as {key: $j, value: $ss}
 *     | ($ss.scope // $ss.instrumentationLibrary // {}) as $scope
 *     | ($ss.spans | entries) as {key: $k, value: $span}
 *     | try ($span | otlp_span($res; $scope))
 *       catch {reject: "bad span: \($at).\($sk)[\($j)].spans[\($k)]: \(.)",
 *         raw: $span}
 *     end
 * with def entries: if type == "array" then to_entries[] elif . == null
 * then empty else error("not an array: \(tojson | .[:40])") end.  false:
 * the resource cannot be read (dc->err), from where it could not.
 */
static bool
resource_spans(struct dec *dc, int r)
{
	const struct jdoc *d = dc->d;
	const char	*sk = "scopeSpans";
	uint32_t	 j, k, m;
	int		 list, ss, scope, spans, span;

	if (!resource(dc, r))
		return false;
	if (r < 0 || d->t[r].type != J_OBJECT)
		return true;
	list = get_last(d, r, "scopeSpans", 10);
	if (!jqv_truthy(d, list)) {
		sk = "instrumentationLibrarySpans";
		list = get_last(d, r, sk, 27);
		if (!jqv_truthy(d, list))
			return true;
	}
	if (d->t[list].type != J_ARRAY) {
		buf_reset(&dc->s2);
		jqv_write40(d, list, &dc->s2, &dc->s);
		return dec_error(dc, "not an array: %s", dc->s2.p);
	}
	for (j = 0, ss = list + 1; j < d->t[list].count; j++,
	    ss = (int)d->t[ss].next) {
		if (!dec_get(dc, ss, "scope", &scope))
			return false;
		if (!jqv_truthy(d, scope)) {
			(void)dec_get(dc, ss, "instrumentationLibrary", &scope);
			if (!jqv_truthy(d, scope))
				scope = -1;
		}
		(void)dec_get(dc, ss, "spans", &spans);
		if (!jqv_present(d, spans))
			continue;
		if (d->t[spans].type != J_ARRAY) {
			buf_reset(&dc->s2);
			jqv_write40(d, spans, &dc->s2, &dc->s);
			return dec_error(dc, "not an array: %s", dc->s2.p);
		}
		m = d->t[spans].count;
		for (k = 0, span = spans + 1; k < m; k++,
		    span = (int)d->t[span].next) {
			dec_at(dc, 1, sk, j);
			dec_at(dc, 2, "spans", k);
			if (!otlp_span(dc, span, scope))
				dec_bad(dc, "span", span);
			else
				dec_output(dc);
			if (dc->stop)
				return true;
		}
		dc->nseg = 1;
	}
	return true;
}

/*
 * if (.resourceSpans | type) != "array" then error("resourceSpans is not
 * an array") else . end
 * | .resourceSpans | to_entries[] as {key: $i, value: $rs}
 * | "resourceSpans[\($i)]" as $at
 * | try (...) catch {reject: "bad span: \($at): \(.)", raw: $rs}
 */
bool
otlp_traces(struct dec *dc, int root)
{
	const struct jdoc *d = dc->d;
	uint32_t	 i;
	int		 list, r;

	list = get_last(d, root, "resourceSpans", 13);
	if (list < 0 || d->t[list].type != J_ARRAY)
		return dec_error(dc, "resourceSpans is not an array");
	for (i = 0, r = list + 1; i < d->t[list].count && !dc->stop; i++,
	    r = (int)d->t[r].next) {
		dec_at(dc, 0, "resourceSpans", i);
		if (!resource_spans(dc, r)) {
			dec_at(dc, 0, "resourceSpans", i);
			dec_bad(dc, "span", r);
		}
	}
	return true;
}

/*
 * def sevnum: if type == "number" then . elif type == "string" then
 *   (tonumber? // (if test("FATAL") then 21 elif test("ERROR") then 17
 *   elif test("WARN") then 13 elif test("INFO") then 9 elif test("DEBUG")
 *   then 5 elif test("TRACE") then 1 else 0 end)) else 0 end;
 */
static double
sevnum(struct dec *dc, int tok)
{
	static const struct { const char *w; double n; } words[] = {
		{ "FATAL", 21 }, { "ERROR", 17 }, { "WARN", 13 },
		{ "INFO", 9 }, { "DEBUG", 5 }, { "TRACE", 1 }
	};
	const char	*p;
	size_t		 len, i;
	double		 x;

	if (tok < 0)
		return 0;
	if (dc->d->t[tok].type == J_NUMBER)
		return jqv_number(dc->d, tok);
	if (dc->d->t[tok].type != J_STRING)
		return 0;
	jdoc_str(dc->d, tok, &dc->s, &p, &len);
	if (jqv_tonumber(p, len, &x))
		return x;
	for (i = 0; i < sizeof(words) / sizeof(words[0]); i++)
		if (lp_memmem(p, len, words[i].w, strlen(words[i].w)) != NULL)
			return words[i].n;
	return 0;
}

/*
 * One log record, into dc->obj:
 *   ((.attributes // []) | otlp_attrs) as $attrs
 *   | (.body | otlp_value) as $body
 *   | { timestamp: ((.timeUnixNano | nz) // (.observedTimeUnixNano | nz)
 *         // null),
 *       system_id: ($res["service.name"] // null),
 *       checkpoint_id: ((.eventName | nz) // $attrs["event.name"] // null),
 *       trace_id: (.traceId | hexid), span_id: (.spanId | hexid),
 *       status: (if (.severityNumber | sevnum) >= 17 then "FAILURE" else
 *         "SUCCESS" end),
 *       message: (if $body == null or ($body | type) == "string" then
 *         $body else ($body | tojson) end),
 *       level: ((.severityText | nz) // null),
 *       severity_number: (.severityNumber // null),
 *       scope: ($scope.name // null), log_attrs: $attrs,
 *       resource_attrs: $res }
 */
enum { L_TIME, L_OBSERVED, L_EVENT, L_TRACEID, L_SPANID, L_SEVNUM,
	L_SEVTEXT, L_BODY, L_ATTRS, L_N };

static const struct dec_name log_names[L_N] = {
	DEC_NAME("timeUnixNano"), DEC_NAME("observedTimeUnixNano"),
	DEC_NAME("eventName"), DEC_NAME("traceId"), DEC_NAME("spanId"),
	DEC_NAME("severityNumber"), DEC_NAME("severityText"),
	DEC_NAME("body"), DEC_NAME("attributes")
};

static bool
log_record(struct dec *dc, int rec, int scope)
{
	const struct jdoc *d = dc->d;
	struct buf	*o;
	int		 f[L_N], v, b, bk;
	const char	*t;
	size_t		 tl;

	if (!dec_get(dc, rec, "attributes", &v))
		return false;
	dec_fields(dc, rec, log_names, L_N, f);
	if (!otlp_attrs(dc, jqv_truthy(d, f[L_ATTRS]) ? f[L_ATTRS] : -1,
	    &dc->kattrs))
		return false;
	b = f[L_BODY];
	buf_reset(&dc->v);
	if (!otlp_value(dc, b, &dc->v, &bk))
		return false;
	dec_begin(dc);
	o = dec_key(dc, "timestamp");
	if ((v = dec_nz(dc, f[L_TIME])) < 0)
		v = dec_nz(dc, f[L_OBSERVED]);
	dec_write(dc, v, o);
	o = dec_key(dc, "system_id");
	kvset_or_null(&dc->kres, "service.name", o);
	o = dec_key(dc, "checkpoint_id");
	if ((v = dec_nz(dc, f[L_EVENT])) >= 0)
		dec_write(dc, v, o);
	else
		kvset_or_null(&dc->kattrs, "event.name", o);
	o = dec_key(dc, "trace_id");
	dec_id(dc, f[L_TRACEID], o);
	o = dec_key(dc, "span_id");
	dec_id(dc, f[L_SPANID], o);
	buf_adds(dec_key(dc, "status"), sevnum(dc, f[L_SEVNUM]) >= 17 ? "\"FAILURE\"" : "\"SUCCESS\"");
	o = dec_key(dc, "message");
	t = dc->v.p;
	tl = dc->v.len;
	if (bk == J_STRING || bk == J_NULL)
		buf_add(o, t, tl);
	else
		jw_str(o, t, tl);
	o = dec_key(dc, "level");
	dec_write(dc, dec_nz(dc, f[L_SEVTEXT]), o);
	o = dec_key(dc, "severity_number");
	dec_or_null(dc, f[L_SEVNUM], o);
	o = dec_key(dc, "scope");
	if (!scope_member(dc, scope, "name", o))
		return false;
	dec_key_kvset(dc, "log_attrs", &dc->kattrs);
	o = dec_key(dc, "resource_attrs");
	buf_add(o, dc->res.p, dc->res.len);
	dec_end(dc);
	return true;
}

/*
 * .resourceLogs[]?
 * | ((.resource.attributes // []) | otlp_attrs) as $res
 * | (.scopeLogs // .instrumentationLibraryLogs // [])[]?
 * | (.scope // .instrumentationLibrary // {}) as $scope
 * | .logRecords[]? | ...
 * The jq program stopped at the first error; here a log record, a scope
 * or a resource that cannot be read is a reject of its own ("bad log
 * record: resourceLogs[0].scopeLogs[1]: ...") and the others are events.
 */
bool
otlp_logs(struct dec *dc, int root)
{
	const struct jdoc *d = dc->d;
	struct jqv_iter	 ri, si, li;
	const char	*sk;
	int		 r, s, rec, list, scope, recs;

	if (d->t[root].type != J_OBJECT)
		return dec_index_error(dc, root, "resourceLogs");
	jqv_iter_start(&ri, d, get_last(d, root, "resourceLogs", 12));
	while ((r = jqv_iter_next(&ri)) >= 0) {
		dec_at(dc, 0, "resourceLogs", ri.i - 1);
		if (!resource(dc, r)) {
			dec_bad(dc, "log record", r);
			goto next;
		}
		if (r < 0 || d->t[r].type != J_OBJECT)
			continue;
		sk = "scopeLogs";
		list = get_last(d, r, sk, 9);
		if (!jqv_truthy(d, list)) {
			sk = "instrumentationLibraryLogs";
			list = get_last(d, r, sk, 26);
		}
		jqv_iter_start(&si, d, jqv_truthy(d, list) ? list : -1);
		while ((s = jqv_iter_next(&si)) >= 0) {
			dec_at(dc, 1, sk, si.i - 1);
			if (!dec_get(dc, s, "scope", &scope)) {
				dec_bad(dc, "log record", s);
				goto nexts;
			}
			if (!jqv_truthy(d, scope)) {
				(void)dec_get(dc, s, "instrumentationLibrary",
				    &scope);
				if (!jqv_truthy(d, scope))
					scope = -1;
			}
			(void)dec_get(dc, s, "logRecords", &recs);
			jqv_iter_start(&li, d, recs);
			while ((rec = jqv_iter_next(&li)) >= 0) {
				dec_at(dc, 2, "logRecords", li.i - 1);
				if (!log_record(dc, rec, scope))
					dec_bad(dc, "log record", rec);
				else
					dec_output(dc);
				if (dc->stop) {
					jqv_iter_end(&li);
					break;
				}
			}
		nexts:
			if (dc->stop) {
				jqv_iter_end(&si);
				break;
			}
		}
	next:
		if (dc->stop) {
			jqv_iter_end(&ri);
			break;
		}
	}
	return true;
}
