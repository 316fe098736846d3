/*
 * unit.c - unit tests of the common library's parsers and writers, where
 * a table of cases says more than a pipeline would.  TAP output; run by
 * tests/01-unit.bats (and so under the sanitizers too).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <limits.h>
#include <math.h>
#include <time.h>

#include "attrs.h"
#include "buf.h"
#include "event.h"
#include "heap.h"
#include "html.h"
#include "map.h"
#include "sketch.h"
#include "source.h"
#include "json.h"
#include "jw.h"
#include "lp.h"
#include "utf8.h"
#include "ts.h"

#include "tap.h"


static void
test_ts(void)
{
	static const struct {
		const char	*in;
		const char	*want;	/* NULL: must be refused */
	} cases[] = {
		{ "2025-05-04T10:30:00", "2025-05-04T10:30:00.000Z" },
		{ "2025-05-04t10:30:00z", "2025-05-04T10:30:00.000Z" },
		{ "2025-05-04T10:30", "2025-05-04T10:30:00.000Z" },
		{ "2025-05-04T10:30:00.9999Z", "2025-05-04T10:30:00.999Z" },
		{ "2025-05-04T00:30:00+01:00", "2025-05-03T23:30:00.000Z" },
		{ "2025-05-04T23:30:00-01", "2025-05-05T00:30:00.000Z" },
		{ "2025-05-04 10:30:00 UTC", "2025-05-04T10:30:00.000Z" },
		{ "2024-02-29T12:00:00Z", "2024-02-29T12:00:00.000Z" },
		{ "2000-02-29", "2000-02-29T00:00:00.000Z" },
		{ "1969-12-31T23:59:59.5Z", "1969-12-31T23:59:59.500Z" },
		{ "2016-12-31T23:59:60Z", "2016-12-31T23:59:59.999Z" },
		{ "0", "1970-01-01T00:00:00.000Z" },
		{ "1746354600", "2025-05-04T10:30:00.000Z" },
		{ "1746354600123", "2025-05-04T10:30:00.123Z" },
		{ "1746354600123999", "2025-05-04T10:30:00.123Z" },
		{ "1746354600123999999", "2025-05-04T10:30:00.123Z" },
		{ "Dec 31 23:59:59", "2025-12-31T23:59:59.000Z" },
		{ "31/Dec/2024:23:59:59 -0100", "2025-01-01T00:59:59.000Z" },
		{ "Thu Jan  1 00:00:00 1970", "1970-01-01T00:00:00.000Z" },
		{ "1900-02-29", NULL },
		{ "2025-04-31", NULL },
		{ "2025-05-04T24:01:00", NULL },
		{ "2025-05-04T10:60:00", NULL },
		{ "2025-05-04T10:30:00+25:00", NULL },
		{ "2025-05-04T10:30:00 junk", NULL },
		{ "10000-01-01", NULL },
		{ "12345678901234567890", NULL },
		{ "", NULL },
		{ "yesterday", NULL },
		{ "Foo 31 23:59:59", NULL },
	};
	struct ts_opts	 o = { 2025, 0 };
	char		 out[TS_LEN + 1], msg[128];
	int64_t		 ms;
	size_t		 i;
	bool		 r;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		r = ts_parse(cases[i].in, strlen(cases[i].in), &o, &ms);
		if (cases[i].want == NULL) {
			snprintf(msg, sizeof(msg), "'%s' refused", cases[i].in);
			ok(!r, "ts_parse", msg);
			continue;
		}
		if (r)
			ts_format(ms, out);
		snprintf(msg, sizeof(msg), "'%s' -> %s (want %s)", cases[i].in,
		    r ? out : "refused", cases[i].want);
		ok(r && strcmp(out, cases[i].want) == 0, "ts_parse", msg);
	}
	r = ts_parse_format("081109 203615", 13, "%y%m%d %H%M%S", &o, &ms);
	if (r)
		ts_format(ms, out);
	ok(r && strcmp(out, "2008-11-09T20:36:15.000Z") == 0,
	    "ts_parse_format", "%y%m%d %H%M%S");
	ok(!ts_parse_format("081109 2036xx", 13, "%y%m%d %H%M%S", &o, &ms),
	    "ts_parse_format", "trailing text refused");
	ts_format(-1, out);
	ok(strcmp(out, "1969-12-31T23:59:59.999Z") == 0, "ts_format", out);
	/* the same second again (the cached form), then another */
	ts_format(-1000, out);
	ok(strcmp(out, "1969-12-31T23:59:59.000Z") == 0, "ts_format", out);
	ts_format(-999, out);
	ok(strcmp(out, "1969-12-31T23:59:59.001Z") == 0, "ts_format", out);
	ts_format(1746354600123LL, out);
	ts_format(1746354600999LL, out);
	ok(strcmp(out, "2025-05-04T10:30:00.999Z") == 0, "ts_format", out);
	ts_format(1746354601000LL, out);
	ok(strcmp(out, "2025-05-04T10:30:01.000Z") == 0, "ts_format", out);
	ts_format(253402300799999LL, out);
	ok(strcmp(out, "9999-12-31T23:59:59.999Z") == 0, "ts_format", out);
}

static void
test_json(void)
{
	static const char *const good[] = {
		"{}", "[]", " {\"a\" : [1, -2.5e+3, true, false, null]} ",
		"\"\\u00e9\\ud83d\\ude00\\n\"", "0", "-0.0e0", "{\"\":{}}",
	};
	static const char *const bad[] = {
		"", "{", "[1,]", "{\"a\":}", "{\"a\" 1}", "01", "1.", "-", "1e",
		"tru", "\"\\x\"", "\"\\u12g4\"", "\"a\tb\"", "[1] [2]",
		"{\"a\":1,}", "nul", "\"unterminated",
	};
	struct jdoc	 d = JDOC_INIT;
	struct buf	 b = BUF_INIT, s = BUF_INIT;
	char		 deep[2000];
	const char	*p;
	size_t		 i, n;

	for (i = 0; i < sizeof(good) / sizeof(good[0]); i++)
		ok(jdoc_parse(&d, good[i], strlen(good[i])), "jdoc_parse "
		    "accepts", good[i]);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		ok(!jdoc_parse(&d, bad[i], strlen(bad[i])), "jdoc_parse "
		    "refuses", bad[i]);
	ok(!jdoc_parse(&d, "{\"a\":1}\0", 8), "jdoc_parse refuses", "NUL");
	memset(deep, '[', sizeof(deep));
	ok(!jdoc_parse(&d, deep, sizeof(deep)) &&
	    strcmp(d.err, "nesting too deep") == 0, "jdoc_parse", "depth limit");

	jdoc_parse(&d, " { \"a\" : { \"b\" : [ 1 , \"x\\\"y\" ] } , \"c\":2 }",
	    43);
	jdoc_write(&d, 0, &b);
	ok(strcmp(b.p, "{\"a\":{\"b\":[1,\"x\\\"y\"]},\"c\":2}") == 0,
	    "jdoc_write compacts", b.p);
	ok(jdoc_path(&d, 0, "a.b", 3) > 0 && jdoc_get(&d, 0, "c", 1) > 0 &&
	    jdoc_get(&d, 0, "b", 1) < 0 && jdoc_path(&d, 0, "a.x", 3) < 0,
	    "jdoc_path/jdoc_get", NULL);
	jdoc_parse(&d, "\"\\u00e9\\ud83d\\ude00\\ud800x\\/\"", 29);
	jdoc_str(&d, 0, &s, &p, &n);
	ok(n == 11 && memcmp(p, "\xc3\xa9\xf0\x9f\x98\x80\xef\xbf\xbdx/", 11)
	    == 0, "jdoc_str unescapes, lone surrogate -> U+FFFD", NULL);
	jdoc_release(&d);
	buf_release(&b);
	buf_release(&s);
}

/*
 * jw_num_canonical() says a number text is what jw_num() writes for its
 * value: so it must be, for every text it says so of (here, every form
 * of a range of values), and it must say so of the plain forms.
 */
static void
test_jw_num_canonical(void)
{
	static const char *const yes[] = { "0", "7", "-7", "4.969", "15.5",
	    "0.0001", "-0.25", "123456789012345", "12345678901234.5",
	    "0.1", "200.000001" };
	static const char *const no[] = { "-0", "1.0", "1e2", "0.00001",
	    "1234567890123456", "0.1234567890123456", "01", "1.", ".5",
	    "", "-", "1.50", "2E3" };
	struct buf	 b = BUF_INIT;
	char		 text[64], detail[100];
	size_t		 i;
	int		 k, bad = 0, said = 0;
	double		 v;

	for (i = 0; i < sizeof(yes) / sizeof(yes[0]); i++)
		ok(jw_num_canonical(yes[i], strlen(yes[i])),
		    "jw_num_canonical", yes[i]);
	for (i = 0; i < sizeof(no) / sizeof(no[0]); i++)
		ok(!jw_num_canonical(no[i], strlen(no[i])),
		    "jw_num_canonical refuses", no[i]);
	for (k = -200000; k <= 200000; k += 7) {
		static const char *const fmts[] = { "%.0f", "%.1f", "%.3f",
		    "%.6f", "%.9f", "%g", "%.15g", "%.17g" };
		v = k / 997.0;
		for (i = 0; i < sizeof(fmts) / sizeof(fmts[0]); i++) {
			snprintf(text, sizeof(text), fmts[i], v);
			if (!jw_num_canonical(text, strlen(text)))
				continue;
			said++;
			buf_reset(&b);
			jw_num(&b, strtod(text, NULL));
			if (strcmp(b.p, text) != 0 && bad++ == 0) {
				snprintf(detail, sizeof(detail), "%s -> %s",
				    text, b.p);
				ok(0, "jw_num_canonical: jw_num writes it so",
				    detail);
			}
		}
	}
	snprintf(detail, sizeof(detail), "%d texts, %d written otherwise",
	    said, bad);
	ok(bad == 0 && said > 100000, "jw_num_canonical: jw_num writes them so",
	    detail);
	buf_release(&b);
}

/*
 * jw_str against the plainest writer of the same rules, on strings of
 * every length up to 80 with each kind of byte that needs a look at each
 * place (the writer takes sixteen bytes at a time where it can).
 */
static void
ref_str(struct buf *b, const unsigned char *s, size_t n)
{
	size_t	 i = 0, k;
	char	 tmp[8];

	buf_addc(b, '"');
	while (i < n) {
		if (s[i] >= 0x80) {
			k = utf8_valid_seq(s + i, n - i);
			if (k > 0)
				buf_add(b, s + i, k);
			else
				buf_addlit(b, "\xef\xbf\xbd");
			i += k > 0 ? k : 1;
			continue;
		}
		if (s[i] == '"' || s[i] == '\\')
			buf_addc(b, '\\'), buf_addc(b, s[i]);
		else if (s[i] == '\n')
			buf_addlit(b, "\\n");
		else if (s[i] == '\t')
			buf_addlit(b, "\\t");
		else if (s[i] == '\r')
			buf_addlit(b, "\\r");
		else if (s[i] == '\b')
			buf_addlit(b, "\\b");
		else if (s[i] == '\f')
			buf_addlit(b, "\\f");
		else if (s[i] < 0x20 || s[i] == 0x7f) {
			snprintf(tmp, sizeof(tmp), "\\u%04x", s[i]);
			buf_adds(b, tmp);
		} else
			buf_addc(b, s[i]);
		i++;
	}
	buf_addc(b, '"');
}

static void
test_jw_str_long(void)
{
	static const char *const odd[] = { "\"", "\\", "\x01", "\x1f",
	    "\x7f", "\n", "\xc3\xa9", "\xe2\x82\xac", "\xf0\x9f\x98\x80",
	    "\xff", "\xc3", "\xed\xa0\x80" };
	struct buf	 got = BUF_INIT, want = BUF_INIT, in = BUF_INIT;
	size_t		 len, at, k;
	int		 bad = 0, tried = 0;
	char		 detail[64];

	for (len = 0; len <= 80; len++)
		for (at = 0; at <= len; at++)
			for (k = 0; k < sizeof(odd) / sizeof(odd[0]); k++) {
				buf_reset(&in);
				while (in.len < at)
					buf_addc(&in, 'a' + (int)(in.len % 26));
				buf_adds(&in, odd[k]);
				while (in.len < len + strlen(odd[k]))
					buf_addc(&in, 'A' + (int)(in.len % 26));
				buf_reset(&got);
				buf_reset(&want);
				jw_str(&got, in.p, in.len);
				ref_str(&want, (const unsigned char *)in.p,
				    in.len);
				tried++;
				if (got.len != want.len ||
				    memcmp(got.p, want.p, got.len) != 0)
					bad++;
				/* jw_plain: only of what is written as it is,
				 * and of all printable ASCII but '"', '\\' */
				if (jw_plain(in.p, in.len) &&
				    !(got.len == in.len + 2 &&
				    memcmp(got.p + 1, in.p, in.len) == 0))
					bad++;
				if (!jw_plain(in.p, at) || (k < 2 &&
				    jw_plain(in.p, in.len)))
					bad++;
			}
	snprintf(detail, sizeof(detail), "%d strings, %d written otherwise",
	    tried, bad);
	ok(bad == 0, "jw_str as the plainest writer writes; jw_plain only "
	    "when as it is", detail);
	buf_release(&got);
	buf_release(&want);
	buf_release(&in);
}

/* lp_memmem_pair against a plain search, needles cut from the haystack
 * and changed, every pair of offsets. */
static void
test_memmem_pair(void)
{
	static const char hay[] = "2025-05-04T10:30:13 ORDER: ORDER_INIT - "
	    "SUCCESS (ID: 15780b2e-0c2e) | trace_id=ab, span_id=cd, x=y "
	    "ORDER: ORDER ORDER: ORDERS (ID: ";
	char		 needle[16];
	size_t		 hn = sizeof(hay) - 1, at, nl, i, j, k;
	const char	*got, *want;
	int		 bad = 0, tried = 0;
	char		 detail[64];

	for (at = 0; at + 2 < hn; at += 3)
		for (nl = 2; nl < sizeof(needle) && at + nl <= hn; nl += 3) {
			memcpy(needle, hay + at, nl);
			if (at % 2)
				needle[nl / 2] ^= 1;	/* most often absent */
			for (want = NULL, k = 0; k + nl <= hn; k++)
				if (memcmp(hay + k, needle, nl) == 0) {
					want = hay + k;
					break;
				}
			for (i = 0; i < nl; i++)
				for (j = 0; j < nl; j++) {
					got = lp_memmem_pair(hay, hn, needle,
					    nl, i, j);
					tried++;
					bad += got != want;
				}
		}
	snprintf(detail, sizeof(detail), "%d searches, %d wrong", tried, bad);
	ok(bad == 0, "lp_memmem_pair finds what a plain search finds", detail);
}

static void
test_jw(void)
{
	static const struct {
		const char	*in;
		size_t		 n;
		const char	*want;
	} cases[] = {
		{ "plain", 5, "\"plain\"" },
		{ "q\"b\\", 4, "\"q\\\"b\\\\\"" },
		{ "\n\t\x01", 3, "\"\\n\\t\\u0001\"" },
		{ "a\0b", 3, "\"a\\u0000b\"" },
		{ "\xc3\xa9", 2, "\"\xc3\xa9\"" },
		{ "\xff", 1, "\"\xef\xbf\xbd\"" },
		{ "\xc0\xaf", 2, "\"\xef\xbf\xbd\xef\xbf\xbd\"" },
		{ "\xed\xa0\x80", 3,
		    "\"\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\"" },
		{ "long run of plain text, then \"", 30,
		    "\"long run of plain text, then \\\"\"" },
	};
	struct buf	 b = BUF_INIT;
	size_t		 i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		buf_reset(&b);
		jw_str(&b, cases[i].in, cases[i].n);
		ok(strcmp(b.p, cases[i].want) == 0, "jw_str", b.p);
	}
	buf_reset(&b);
	jw_num(&b, 0.1);
	buf_addc(&b, ' ');
	jw_num(&b, 1e300 * 1e300);
	buf_addc(&b, ' ');
	jw_int(&b, INT64_MIN);
	ok(strcmp(b.p, "0.1 null -9223372036854775808") == 0, "jw_num/jw_int",
	    b.p);
	/* beyond int64_t: no conversion to it (undefined behaviour, which
	 * make check's float-cast-overflow sanitizer reports) */
	buf_reset(&b);
	jw_num(&b, 1.5447e21);
	ok(strcmp(b.p, "1.5447e+21") == 0, "jw_num beyond int64_t", b.p);
	buf_release(&b);
}

/* What lognorm writes, event_read() reads back and event_write() writes
 * again byte for byte: the contract the later stages rely on. */
static void
test_event_roundtrip(void)
{
	static const char *const lines[] = {
		"{\"type\":\"event\",\"timestamp\":\"2025-05-04T10:30:00.000Z\",\"system_id\":\"inventory\",\"checkpoint_id\":\"CHECKPOINT_1\",\"status\":\"FAILURE\",\"correlation_id\":\"abc-123\",\"failure_reason\":null,\"trace_id\":\"abc-123\",\"span_id\":null,\"parent_span_id\":null,\"target_system_id\":null,\"duration_ms\":null,\"part\":\"main\",\"rule\":\"inventory\",\"attrs\":{\"timestamp_raw\":\"2025-05-04T10:30:00\"},\"source\":{\"file\":\"seed.log\",\"line\":1}}\n",
		"{\"type\":\"event\",\"timestamp\":null,\"system_id\":\"a\\\"b\\u00e9\",\"checkpoint_id\":null,\"status\":null,\"correlation_id\":null,\"failure_reason\":\"x\",\"trace_id\":\"t\",\"span_id\":\"s\",\"parent_span_id\":\"p\",\"target_system_id\":\"b\",\"duration_ms\":12.5,\"part\":\"detail\",\"rule\":\"r\",\"attrs\":{\"n\":[1,{\"x\":null}]},\"source\":{\"topic\":\"t\",\"partition\":0,\"offset\":17,\"key\":null}}\n",
		/* numbers as written, unknown members kept after source */
		"{\"type\":\"event\",\"timestamp\":null,\"system_id\":null,\"checkpoint_id\":null,\"status\":null,\"correlation_id\":null,\"failure_reason\":null,\"trace_id\":null,\"span_id\":null,\"parent_span_id\":null,\"target_system_id\":null,\"duration_ms\":1.50e2,\"part\":\"main\",\"rule\":null,\"attrs\":{},\"source\":{},\"join\":{\"with\":{\"file\":\"a\",\"line\":2}},\"z\":[]}\n",
	};
	struct jdoc	 d = JDOC_INIT;
	struct buf	 out = BUF_INIT, scratch = BUF_INIT, why = BUF_INIT;
	struct event	 ev, *owned;
	size_t		 i;

	for (i = 0; i < sizeof(lines) / sizeof(lines[0]); i++) {
		buf_reset(&out);
		buf_reset(&why);
		if (jdoc_parse(&d, lines[i], strlen(lines[i]) - 1) &&
		    event_read(&d, &ev, &scratch, &why))
			event_write(&out, &ev);
		ok(out.p != NULL && strcmp(out.p, lines[i]) == 0,
		    "event_read/event_write round trip", why.p);
		/* an owned copy outlives the line and writes the same */
		if (out.p == NULL)
			continue;
		owned = event_dup(&ev);
		jdoc_parse(&d, "{}", 2);
		buf_reset(&scratch);
		buf_reset(&out);
		event_write(&out, owned);
		ok(strcmp(out.p, lines[i]) == 0, "event_dup keeps every field",
		    out.p);
		event_free(owned);
	}
	/* a view of raw text (set by a filter, not read) is escaped into
	 * the copy */
	if (jdoc_parse(&d, lines[0], strlen(lines[0]) - 1) &&
	    event_read(&d, &ev, &scratch, &why)) {
		ev.f[EF_FAILURE_REASON].p = "say \"hi\"\n";
		ev.f[EF_FAILURE_REASON].n = 9;
		ev.f[EF_FAILURE_REASON].json = false;
		owned = event_dup(&ev);
		buf_reset(&out);
		event_write(&out, owned);
		ok(strstr(out.p, "\"failure_reason\":\"say \\\"hi\\\"\\n\",") !=
		    NULL && strstr(out.p, "\"system_id\":\"inventory\"") != NULL,
		    "event_dup escapes a raw view", out.p);
		event_free(owned);
	}
	jdoc_release(&d);
	buf_release(&out);
	buf_release(&scratch);
	buf_release(&why);
}

/* event_read: one pass that keeps, rewrites or refuses what it meets. */
static void
test_event_read(void)
{
	static const struct {
		const char	*in;
		const char	*want;	/* output, or the reason refused */
		bool		 good;
	} cases[] = {
		/* missing fields are null; part defaults to main */
		{ "{\"type\":\"event\",\"system_id\":\"s\"}",
		  "{\"type\":\"event\",\"timestamp\":null,\"system_id\":\"s\",\"checkpoint_id\":null,\"status\":null,\"correlation_id\":null,\"failure_reason\":null,\"trace_id\":null,\"span_id\":null,\"parent_span_id\":null,\"target_system_id\":null,\"duration_ms\":null,\"part\":\"main\",\"rule\":null,\"attrs\":{},\"source\":{}}\n", true },
		/* white space inside attrs is compacted; the last of a
		 * repeated field wins; an escaped key is the same key */
		{ "{ \"type\" : \"event\", \"attrs\" : { \"a\" : [ 1 , 2 ] }, \"status\":\"SUCCESS\", \"st\\u0061tus\":\"FAILURE\", \"extra\" : 1, \"extra\":2 }",
		  "{\"type\":\"event\",\"timestamp\":null,\"system_id\":null,\"checkpoint_id\":null,\"status\":\"FAILURE\",\"correlation_id\":null,\"failure_reason\":null,\"trace_id\":null,\"span_id\":null,\"parent_span_id\":null,\"target_system_id\":null,\"duration_ms\":null,\"part\":\"main\",\"rule\":null,\"attrs\":{\"a\":[1,2]},\"source\":{},\"extra\":2}\n", true },
		/* a timestamp in another RFC 3339 form is normalized */
		{ "{\"type\":\"event\",\"timestamp\":\"2025-05-04T12:30:00+02:00\"}",
		  "{\"type\":\"event\",\"timestamp\":\"2025-05-04T10:30:00.000Z\",\"system_id\":null,\"checkpoint_id\":null,\"status\":null,\"correlation_id\":null,\"failure_reason\":null,\"trace_id\":null,\"span_id\":null,\"parent_span_id\":null,\"target_system_id\":null,\"duration_ms\":null,\"part\":\"main\",\"rule\":null,\"attrs\":{},\"source\":{}}\n", true },
		/* invalid UTF-8 in a field becomes U+FFFD, never passes */
		{ "{\"type\":\"event\",\"system_id\":\"a\xffz\"}",
		  "{\"type\":\"event\",\"timestamp\":null,\"system_id\":\"a\xef\xbf\xbdz\",\"checkpoint_id\":null,\"status\":null,\"correlation_id\":null,\"failure_reason\":null,\"trace_id\":null,\"span_id\":null,\"parent_span_id\":null,\"target_system_id\":null,\"duration_ms\":null,\"part\":\"main\",\"rule\":null,\"attrs\":{},\"source\":{}}\n", true },
		/* two unknown names that differ only in invalid UTF-8 are
		 * written alike: one member, the last (found by fuzz-event) */
		{ "{\"type\":\"event\",\"a\x80\":1,\"a\xff\":2}",
		  "{\"type\":\"event\",\"timestamp\":null,\"system_id\":null,\"checkpoint_id\":null,\"status\":null,\"correlation_id\":null,\"failure_reason\":null,\"trace_id\":null,\"span_id\":null,\"parent_span_id\":null,\"target_system_id\":null,\"duration_ms\":null,\"part\":\"main\",\"rule\":null,\"attrs\":{},\"source\":{},\"a\xef\xbf\xbd\":2}\n", true },
		{ "{\"type\":\"trace\"}", "bad field: 'type' is not \"event\": '\"trace\"'", false },
		{ "{\"type\":\"event\",\"timestamp\":5}", "bad field: 'timestamp' is not a time: '5'", false },
		{ "{\"type\":\"event\",\"timestamp\":\"yesterday\"}", "bad field: 'timestamp' is not a time: '\"yesterday\"'", false },
		{ "{\"type\":\"event\",\"duration_ms\":\"5\"}", "bad field: 'duration_ms' is not a number: '\"5\"'", false },
		{ "{\"type\":\"event\",\"trace_id\":12}", "bad field: 'trace_id' is not a string: '12'", false },
		{ "{\"type\":\"event\",\"part\":\"extra\"}", "bad field: 'part' is not main or detail: '\"extra\"'", false },
		{ "{\"type\":\"event\",\"attrs\":[]}", "bad field: 'attrs' is not an object: '[]'", false },
		{ "{\"system_id\":\"s\"}", "not an event: no \"type\" member", false },
		{ "[]", "not an event: not a JSON object", false },
	};
	struct jdoc	 d = JDOC_INIT;
	struct buf	 out = BUF_INIT, scratch = BUF_INIT, why = BUF_INIT;
	struct event	 ev;
	size_t		 i;
	bool		 r;
	char		 detail[300];

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		buf_reset(&out);
		buf_reset(&why);
		r = jdoc_parse(&d, cases[i].in, strlen(cases[i].in)) &&
		    event_read(&d, &ev, &scratch, &why);
		if (r)
			event_write(&out, &ev);
		snprintf(detail, sizeof(detail), "%s -> %s", cases[i].in,
		    r ? out.p : why.p);
		ok(r == cases[i].good && strcmp(r ? out.p : why.p,
		    cases[i].want) == 0, "event_read", detail);
	}
	/* event_text unescapes; strview_eq compares unescaped */
	{
		const char *p;
		size_t n;
		const char *line = "{\"type\":\"event\",\"failure_reason\":\"a\\nb\\u00e9\",\"status\":\"FAILURE\"}";
		r = jdoc_parse(&d, line, strlen(line)) &&
		    event_read(&d, &ev, &scratch, &why) &&
		    event_text(&ev.f[EF_FAILURE_REASON], &out, &p, &n);
		ok(r && n == 5 && memcmp(p, "a\nb\xc3\xa9", 5) == 0 &&
		    event_failed(&ev) && !event_succeeded(&ev) &&
		    !event_is_detail(&ev), "event_text unescapes", NULL);
		ok(!event_text(&ev.f[EF_SPAN_ID], &out, &p, &n) && p == NULL,
		    "event_text of null", NULL);
	}
	jdoc_release(&d);
	buf_release(&out);
	buf_release(&scratch);
	buf_release(&why);
}

static void
test_attrs(void)
{
	struct attrs	 a = ATTRS_INIT;
	struct jdoc	 d = JDOC_INIT;
	const char	*v;
	size_t		 n, i;
	bool		 r;
	char		 name[16];

	attrs_put_str(&a, "method", 6, "GET", 3);
	attrs_put_json(&a, "code", 4, "200", 3);
	attrs_put_str(&a, "q\"", 2, "a\nb", 3);
	ok(strcmp(a.text.p, "\"method\":\"GET\",\"code\":200,\"q\\\"\":\"a\\nb\"")
	    == 0, "attrs_put", a.text.p);
	/* last wins: the earlier member goes, the new one comes last */
	attrs_put_json(&a, "method", 6, "null", 4);
	ok(strcmp(a.text.p, "\"code\":200,\"q\\\"\":\"a\\nb\",\"method\":null")
	    == 0, "attrs_put replaces", a.text.p);
	ok(attrs_get(&a, "code", 4, &v, &n) && n == 3 && memcmp(v, "200", 3)
	    == 0 && attrs_get(&a, "q\"", 2, &v, &n) && n == 6 &&
	    !attrs_get(&a, "x", 1, &v, &n), "attrs_get", NULL);
	/* (each call before its check: the text may move as it grows) */
	r = attrs_del(&a, "code", 4);
	ok(r && strcmp(a.text.p, "\"q\\\"\":\"a\\nb\",\"method\":null") == 0,
	    "attrs_del", a.text.p);
	/* merge: keys compared unescaped; keep or overwrite */
	/* (the merge may move a.text: call it before a.text.p is read for
	 * the detail, an argument evaluated in no particular order) */
	v = "\"m\\u0065thod\":1,\"new\":{\"x\":[1]}";
	i = attrs_merge(&a, v, strlen(v), false, &d);
	ok(i && strcmp(a.text.p,
	    "\"q\\\"\":\"a\\nb\",\"method\":null,\"new\":{\"x\":[1]}") == 0,
	    "attrs_merge keeps", a.text.p);
	i = attrs_merge(&a, "\"method\" : 1", 12, true, &d);
	ok(i && strcmp(a.text.p,
	    "\"q\\\"\":\"a\\nb\",\"new\":{\"x\":[1]},\"method\":1") == 0,
	    "attrs_merge overwrites", a.text.p);
	ok(!attrs_merge(&a, "\"x\":", 4, true, &d), "attrs_merge refuses",
	    "bad JSON");
	/* many names: through the map, still last-wins */
	attrs_reset(&a);
	for (i = 0; i < 1000; i++) {
		snprintf(name, sizeof(name), "k%zu", i % 500);
		attrs_put_json(&a, name, strlen(name), i < 500 ? "1" : "2", 1);
	}
	ok(a.n == 500 && attrs_get(&a, "k7", 2, &v, &n) && *v == '2' &&
	    attrs_get(&a, "k499", 4, &v, &n) && *v == '2' &&
	    strncmp(a.text.p, "\"k0\":2,", 7) == 0, "attrs with 500 names",
	    NULL);
	attrs_release(&a);
	jdoc_release(&d);
}

static void
test_source(void)
{
	struct jdoc	 d = JDOC_INIT;
	struct buf	 scratch = BUF_INIT, out = BUF_INIT;
	struct source	 s;
	const char	*kafka = "\"topic\":\"raw\",\"partition\":2,\"offset\":17,\"key\":\"k\",\"ts\":1746354600123,\"index\":3";
	const char	*file = "\"file\":\"app.log\",\"line\":12";

	ok(source_parse(kafka, strlen(kafka), &d, &scratch, &s) &&
	    source_is_kafka(&s) && s.partition == 2 && s.offset == 17 &&
	    s.has_ts && s.ts_ms == 1746354600123LL && s.index == 3 &&
	    s.key.n == 1 && s.file.p == NULL, "source_parse kafka", NULL);
	source_write(&out, &s);
	ok(strcmp(out.p, kafka) == 0, "source_write kafka", out.p);
	ok(source_parse(file, strlen(file), &d, &scratch, &s) &&
	    !source_is_kafka(&s) && s.line == 12 && s.index == -1 &&
	    s.file.n == 7 && !s.has_ts, "source_parse file", NULL);
	buf_reset(&out);
	source_write(&out, &s);
	ok(strcmp(out.p, file) == 0, "source_write file", out.p);
	ok(!source_parse("\"line\":\"x\"", 10, &d, &scratch, &s),
	    "source_parse refuses", "line a string");
	jdoc_release(&d);
	buf_release(&scratch);
	buf_release(&out);
}

static void
test_map(void)
{
	struct map	 m = MAP_INIT;
	char		 (*keys)[12] = malloc(100000 * sizeof(*keys));
	size_t		 i, pos = 0, seen = 0, klen;
	const char	*k;
	void		*v;
	bool		 good = true;

	for (i = 0; i < 100000; i++) {
		snprintf(keys[i], sizeof(keys[i]), "key-%zu", i);
		*map_put(&m, keys[i], strlen(keys[i])) = (void *)(i + 1);
	}
	for (i = 0; i < 100000; i++)
		good &= (size_t)map_get(&m, keys[i], strlen(keys[i])) == i + 1;
	ok(good && m.n == 100000, "map_put/map_get 100000 keys", NULL);
	/* delete every other key: the rest must still be found */
	for (i = 0; i < 100000; i += 2)
		good &= (size_t)map_del(&m, keys[i], strlen(keys[i])) == i + 1;
	for (i = 0; i < 100000; i++)
		good &= (size_t)map_get(&m, keys[i], strlen(keys[i])) ==
		    (i % 2 ? i + 1 : 0);
	ok(good && m.n == 50000, "map_del keeps the others reachable", NULL);
	while (map_next(&m, &pos, &k, &klen, &v))
		seen++;
	ok(seen == 50000, "map_next visits each entry once", NULL);
	ok(map_del(&m, "nope", 4) == NULL && map_get(&m, "", 0) == NULL,
	    "map absent keys", NULL);
	*map_put(&m, "", 0) = (void *)1;
	ok(map_get(&m, "", 0) == (void *)1, "map empty key", NULL);
	map_release(&m);
	free(keys);
}

struct item {
	long	 key;
	size_t	 seq;
	size_t	*where;		/* for heap_fix/heap_remove */
};

static bool
item_before(const void *a, const void *b)
{
	const struct item *x = a, *y = b;

	return x->key < y->key || (x->key == y->key && x->seq < y->seq);
}

static void
item_moved(void *e, size_t i)
{
	*((struct item *)e)->where = i;
}

static void
test_heap(void)
{
	struct heap	 h;
	struct item	 it, last = { LONG_MIN, 0, NULL };
	size_t		 where[1000], i, n = 0;
	bool		 good = true;

	heap_init(&h, sizeof(struct item), item_before, item_moved);
	for (i = 0; i < 1000; i++) {
		it.key = (long)((i * 7919) % 1000) / 10;	/* repeats */
		it.seq = i;
		it.where = &where[i];
		heap_push(&h, &it);
	}
	/* change some keys in place, remove others by index */
	for (i = 0; i < 1000; i += 10) {
		((struct item *)heap_at(&h, where[i]))->key = -5;
		heap_fix(&h, where[i]);
	}
	for (i = 5; i < 1000; i += 10)
		heap_remove(&h, where[i], NULL);
	while (heap_pop(&h, &it)) {
		good &= it.key > last.key || (it.key == last.key &&
		    it.seq > last.seq);
		last = it;
		n++;
	}
	ok(good && n == 900, "heap: order, heap_fix, heap_remove", NULL);
	heap_release(&h);
}

/*
 * Formats of digits read without strptime(3) when every field has its
 * full width: the same time as strptime gives, and anything else (a
 * narrower field, white space, a value out of range) still read, or
 * refused, as strptime reads it.
 */
static void
test_ts_format_digits(void)
{
	static const struct {
		const char	*fmt, *in, *want;	/* want NULL: refused */
	} cases[] = {
		{ "%y%m%d %H%M%S", "081109 203615", "2008-11-09T20:36:15.000Z" },
		{ "%y%m%d %H%M%S", "691231 235959", "1969-12-31T23:59:59.000Z" },
		{ "%y%m%d %H%M%S", "681231 235959", "2068-12-31T23:59:59.000Z" },
		{ "%y%m%d %H%M%S", "081109  203615", "2008-11-09T20:36:15.000Z" },
		{ "%y%m%d %H%M%S", "081109\t203615", "2008-11-09T20:36:15.000Z" },
		{ "%y%m%d %H%M%S", "081309 203615", NULL },
		{ "%y%m%d %H%M%S", "080230 203615", NULL },
		{ "%y%m%d %H%M%S", "081109 246015", NULL },
		{ "%y%m%d %H%M%S", "081109 2036", NULL },
		{ "%y%m%d %H%M%S", "081109 203615.25", "2008-11-09T20:36:15.250Z" },
		{ "%Y-%m-%d %H:%M:%S", "2025-05-04 10:30:00",
		  "2025-05-04T10:30:00.000Z" },
		{ "%Y-%m-%d %H:%M:%S", "2025-5-4 10:30:00",
		  "2025-05-04T10:30:00.000Z" },
		{ "%d.%m.%Y %H:%M:%S", "04.05.2025 10:30:00",
		  "2025-05-04T10:30:00.000Z" },
		{ "%d.%m.%Y %H:%M:%S", "4.5.2025 10:30:00",
		  "2025-05-04T10:30:00.000Z" },
		{ "%d.%m.%Y %H:%M:%S", "04.05.2025 10:30:60",
		  "2025-05-04T10:30:59.999Z" },
		{ "%m/%d %H:%M", "05/04 10:30", "2025-05-04T10:30:00.000Z" },
		{ "%Y%m%dT%H%M%S", "20250504T103000", "2025-05-04T10:30:00.000Z" },
		{ "%Y%m%dT%H%M%S", "20250504t103000", NULL },
	};
	struct ts_opts	 o = { 2025, 0 };
	char		 out[TS_LEN + 1], detail[120];
	int64_t		 ms;
	size_t		 i;
	bool		 r;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		r = ts_parse_format(cases[i].in, strlen(cases[i].in),
		    cases[i].fmt, &o, &ms);
		if (r)
			ts_format(ms, out);
		snprintf(detail, sizeof(detail), "'%s' '%s' -> %s",
		    cases[i].fmt, cases[i].in, r ? out : "refused");
		ok(cases[i].want == NULL ? !r : r &&
		    strcmp(out, cases[i].want) == 0, "ts_parse_format", detail);
	}
}

static void
test_ts_more(void)
{
	struct ts_opts	 o = { 2025, 0 }, now = { 0, 0 };
	int64_t		 ms;
	int		 zm;
	char		 out[TS_LEN + 1] = "";
	bool		 r;

	ok(ts_parse_zone("+02:00", 6, &zm) && zm == 120 &&
	    ts_parse_zone("-0130", 5, &zm) && zm == -90 &&
	    ts_parse_zone("Z", 1, &zm) && zm == 0 &&
	    ts_parse_zone("UTC", 3, &zm) && zm == 0 &&
	    ts_parse_zone("+05", 3, &zm) && zm == 300 &&
	    !ts_parse_zone("+5", 2, &zm) && !ts_parse_zone("", 0, &zm) &&
	    !ts_parse_zone("+24:00", 6, &zm), "ts_parse_zone", NULL);
	r = ts_parse_format("03-17 16:13:38.811", 18, "%m-%d %H:%M:%S", &o,
	    &ms);
	if (r)
		ts_format(ms, out);
	ok(r && strcmp(out, "2025-03-17T16:13:38.811Z") == 0,
	    "ts_parse_format: fraction after %S, no year", r ? out : "refused");
	r = ts_parse_format("2025/05/04 10:30:00,5 x", 23,
	    "%Y/%m/%d %H:%M:%S x", &o, &ms);
	if (r)
		ts_format(ms, out);
	ok(r && strcmp(out, "2025-05-04T10:30:00.500Z") == 0,
	    "ts_parse_format: comma fraction mid-format", r ? out : "refused");
	r = ts_parse_format("10:30:00 123", 12, "%H:%M:%S %f", &o, &ms);
	ok(r && ms % 1000 == 123, "ts_parse_format: %f", NULL);
	/* a syslog stamp of December read without a year is never in the
	 * future: some year, at most a day ahead of now */
	ok(ts_parse("Dec 31 23:59:59", 15, &now, &ms) &&
	    ms <= (int64_t)time(NULL) * 1000 + 86400000,
	    "syslog without a year is not in the future", NULL);
	ok(ts_parse("Jan  1 00:00:00", 15, &now, &ms) &&
	    ms <= (int64_t)time(NULL) * 1000 + 86400000 &&
	    ms > (int64_t)time(NULL) * 1000 - 366LL * 86400000,
	    "syslog without a year: within the last year", NULL);
	ok(ts_parse_canonical("2025-05-04T10:30:00.123Z", 24, &ms) &&
	    ms == 1746354600123LL &&
	    !ts_parse_canonical("2025-05-04T10:30:00.123+", 24, &ms) &&
	    !ts_parse_canonical("2025-02-30T10:30:00.123Z", 24, &ms),
	    "ts_parse_canonical", NULL);
	/* a long number is read whole, not cut at 63 characters */
	{
		struct jdoc d = JDOC_INIT;
		char num[200];
		memset(num, '0', sizeof(num));
		num[0] = '0';
		num[1] = '.';
		memcpy(num + 120, "17463546001e122", 15);
		num[135] = '\0';
		ok(jdoc_parse(&d, num, strlen(num)) &&
		    jdoc_num(&d, 0) > 1.7e3 && jdoc_num(&d, 0) < 1.8e3,
		    "jdoc_num reads a long number whole", NULL);
		jdoc_release(&d);
	}
}

static void
test_html(void)
{
	static const struct {
		const char	*in;
		size_t		 n;
		const char	*want;
	} cases[] = {
		{ "plain text", 10, "plain text" },
		{ "<script>alert('x')</script>", 27,
		  "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;" },
		{ "a & \"b\"", 7, "a &amp; &quot;b&quot;" },
		{ "tab\tnl\n", 7, "tab\tnl\n" },
		{ "\x1b[31m\x7f", 6, "\xe2\x90\x9b[31m\xe2\x90\xa1" },
		{ "nul\0x", 5, "nul\xe2\x90\x80x" },
		{ "bad \xff\xc3(", 7, "bad \xef\xbf\xbd\xef\xbf\xbd(" },
		{ "caf\xc3\xa9 \xe2\x86\x92", 9, "caf\xc3\xa9 \xe2\x86\x92" },
	};
	struct buf	 b = BUF_INIT;
	size_t		 i;
	int		 cut;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		buf_reset(&b);
		html_esc(&b, cases[i].in, cases[i].n);
		ok(b.p != NULL && strcmp(b.p, cases[i].want) == 0, "html_esc",
		    strchr(cases[i].want, '\n') ? NULL : b.p);
	}
	buf_reset(&b);
	cut = html_esc_max(&b, "ab\xc3\xa9" "cd", 6, 3);
	ok(cut && strcmp(b.p, "ab\xe2\x80\xa6") == 0,
	    "html_esc_max cuts before a UTF-8 sequence", b.p);
	buf_reset(&b);
	cut = html_esc_max(&b, "a<b", 3, 3);
	ok(!cut && strcmp(b.p, "a&lt;b") == 0, "html_esc_max: short enough",
	    b.p);
	buf_release(&b);
}

/* splitmix64: a reproducible stream of samples, the same on every machine. */
static uint64_t
rnd_next(uint64_t *st)
{
	uint64_t	 z = (*st += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

/* Uniform in (0, 1). */
static double
rnd_unit(uint64_t *st)
{
	return ((double)(rnd_next(st) >> 11) + 0.5) / 9007199254740992.0;
}

/* Standard normal, by Box-Muller. */
static double
rnd_normal(uint64_t *st)
{
	double	 u = rnd_unit(st), v = rnd_unit(st);

	return sqrt(-2 * log(u)) * cos(2 * M_PI * v);
}

static int
cmp_double(const void *a, const void *b)
{
	double	 x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static bool
sketch_same(const struct sketch *a, const struct sketch *b)
{
	return a->count == b->count && a->zeros == b->zeros &&
	    a->nbins == b->nbins && (a->nbins == 0 || a->off == b->off) &&
	    memcmp(a->bins, b->bins, a->nbins * sizeof(*a->bins)) == 0 &&
	    a->min == b->min && a->max == b->max &&
	    fabs(a->sum - b->sum) <= 1e-9 * fabs(b->sum);
}

/*
 * The sketch's stated bound, on 10^6 samples of three distributions: its
 * p50, p95 and p99 within 1% of the exact ones (by sorting, rank
 * floor(q (n - 1))); the merge of the sketches of two halves is the
 * sketch of the whole; a sketch reads back as written.
 */
static void
test_sketch(void)
{
	static const char *const dist[] = { "uniform", "lognormal", "bimodal" };
	static const double qs[] = { 0.5, 0.95, 0.99 };
	enum { N = 1000000 };
	double		*x = malloc(N * sizeof(*x)), *sorted = malloc(N * sizeof(*x));
	double		 est, exact, worst;
	struct sketch	 all = SKETCH_INIT, h1 = SKETCH_INIT, h2 = SKETCH_INIT;
	struct sketch	 back = SKETCH_INIT;
	struct buf	 b = BUF_INIT, why = BUF_INIT;
	struct jdoc	 d = JDOC_INIT;
	uint64_t	 st = 42;
	char		 msg[160];
	size_t		 i, k;
	int		 t;
	bool		 good;

	for (t = 0; t < 3; t++) {
		sketch_reset(&all);
		sketch_reset(&h1);
		sketch_reset(&h2);
		for (i = 0; i < N; i++) {
			if (t == 0)		/* 1 ms to 1 s */
				x[i] = 1 + 999 * rnd_unit(&st);
			else if (t == 1)	/* median e^3 = 20 ms */
				x[i] = exp(3 + 1.2 * rnd_normal(&st));
			else			/* fast path and slow path */
				x[i] = rnd_unit(&st) < 0.9 ?
				    fabs(12 + 2 * rnd_normal(&st)) :
				    fabs(800 + 150 * rnd_normal(&st));
			sketch_add(&all, x[i]);
			sketch_add(rnd_next(&st) & 1 ? &h1 : &h2, x[i]);
		}
		memcpy(sorted, x, N * sizeof(*x));
		qsort(sorted, N, sizeof(*sorted), cmp_double);
		worst = 0;
		good = all.count == N;
		for (k = 0; k < 3; k++) {
			exact = sorted[(size_t)floor(qs[k] * (N - 1))];
			est = sketch_quantile(&all, qs[k]);
			if (fabs(est - exact) / exact > worst)
				worst = fabs(est - exact) / exact;
			good &= fabs(est - exact) <= SKETCH_ALPHA * exact + 1e-12;
			if (k == 1) {
				snprintf(msg, sizeof(msg), "%s: p95 %.4f exact "
				    "%.4f", dist[t], est, exact);
			}
		}
		snprintf(msg + strlen(msg), sizeof(msg) - strlen(msg),
		    ", worst relative error of p50/p95/p99 %.5f", worst);
		ok(good, "sketch: p50, p95, p99 within 1% on 10^6 samples", msg);
		sketch_merge(&h1, &h2);
		ok(sketch_same(&h1, &all), "sketch: merge of halves is the "
		    "sketch of the union", dist[t]);
		buf_reset(&b);
		sketch_write(&all, &b);
		ok(jdoc_parse(&d, b.p, b.len) && sketch_read(&back, &d, 0, &why)
		    && sketch_same(&back, &all), "sketch: reads back as written",
		    why.len ? why.p : dist[t]);
	}
	/* taking a value out restores the sketch it was added to */
	sketch_reset(&back);
	sketch_merge(&back, &all);
	sketch_add(&back, 1e6);
	sketch_add(&back, 0);
	ok(sketch_remove(&back, 1e6) && sketch_remove(&back, 0) &&
	    !sketch_remove(&back, 1e7) && back.count == all.count &&
	    back.nbins == all.nbins && back.off == all.off && memcmp(back.bins,
	    all.bins, all.nbins * sizeof(*all.bins)) == 0,
	    "sketch_remove undoes sketch_add", NULL);
	/* a range wider than SKETCH_MAX_BINS buckets folds the lowest; the
	 * upper quantiles keep the bound, and merging still equals the union */
	sketch_reset(&all);
	sketch_reset(&h1);
	sketch_reset(&h2);
	for (i = 0; i < 4000; i++) {
		double v = exp(-20 + 0.06 * (double)i);	/* 2e-9 .. 1e95 */
		sketch_add(&all, v);
		sketch_add(i % 3 ? &h1 : &h2, v);
	}
	sketch_merge(&h1, &h2);
	exact = exp(-20 + 0.06 * floor(0.95 * 3999));
	est = sketch_quantile(&all, 0.95);
	ok(all.nbins <= SKETCH_MAX_BINS && fabs(est - exact) <=
	    SKETCH_ALPHA * exact && sketch_same(&h1, &all),
	    "sketch: folding past SKETCH_MAX_BINS", NULL);
	sketch_reset(&all);
	ok(isnan(sketch_quantile(&all, 0.5)), "sketch: empty gives NaN", NULL);
	/* records that are not sketches of this kind are refused */
	{
		static const char *const bads[] = {
			"{\"alpha\":0.02,\"count\":0,\"zeros\":0,\"sum\":0,"
			"\"min\":null,\"max\":null,\"offset\":0,\"bins\":[]}",
			"{\"alpha\":0.01,\"count\":3,\"zeros\":0,\"sum\":1,"
			"\"min\":1,\"max\":1,\"offset\":0,\"bins\":[1]}",
			"{\"alpha\":0.01,\"count\":1,\"zeros\":0,\"sum\":1,"
			"\"min\":1,\"max\":1,\"offset\":0,\"bins\":[-1]}",
			"{\"alpha\":0.01,\"count\":1,\"zeros\":0,\"sum\":1,"
			"\"min\":1,\"max\":1,\"offset\":99999,\"bins\":[1]}",
			"{\"alpha\":0.01,\"count\":1,\"zeros\":0,\"sum\":1,"
			"\"min\":1,\"max\":1,\"bins\":[1]}",
		};
		good = true;
		for (i = 0; i < sizeof(bads) / sizeof(bads[0]); i++)
			good &= jdoc_parse(&d, bads[i], strlen(bads[i])) &&
			    !sketch_read(&back, &d, 0, &why);
		ok(good, "sketch_read refuses what is not a sketch", NULL);
	}
	sketch_release(&all);
	sketch_release(&h1);
	sketch_release(&h2);
	sketch_release(&back);
	buf_release(&b);
	buf_release(&why);
	jdoc_release(&d);
	free(x);
	free(sorted);
}

int
main(void)
{
	test_ts();
	test_html();
	test_json();
	test_jw();
	test_jw_str_long();
	test_memmem_pair();
	test_jw_num_canonical();
	test_event_roundtrip();
	test_event_read();
	test_attrs();
	test_source();
	test_map();
	test_heap();
	test_ts_more();
	test_sketch();
	test_ts_format_digits();
	return tap_done();
}
