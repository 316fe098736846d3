/*
 * unit.c - unit tests of the common library's parsers and writers, where
 * a table of cases says more than a pipeline would.  TAP output; run by
 * tests/01-unit.bats (and so under the sanitizers too).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "event.h"
#include "json.h"
#include "jw.h"
#include "tmpl.h"
#include "ts.h"

static int	 ntest, nfail;

static void
ok(int cond, const char *what, const char *detail)
{
	ntest++;
	if (!cond)
		nfail++;
	printf("%sok %d - %s%s%s\n", cond ? "" : "not ", ntest, what,
	    detail ? ": " : "", detail ? detail : "");
}

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
	};
	struct jdoc	 d = JDOC_INIT;
	struct buf	 out = BUF_INIT, attrs = BUF_INIT, source = BUF_INIT;
	struct event	 ev;
	const char	*why = NULL;
	size_t		 i;

	for (i = 0; i < sizeof(lines) / sizeof(lines[0]); i++) {
		buf_reset(&out);
		if (jdoc_parse(&d, lines[i], strlen(lines[i]) - 1) &&
		    event_read(&d, &ev, &attrs, &source, &why))
			event_write(&out, &ev);
		ok(out.p != NULL && strcmp(out.p, lines[i]) == 0,
		    "event_read/event_write round trip", why);
	}
	{
		static const char *const bad[] = {
			"{\"type\":\"trace\"}",
			"{\"type\":\"event\",\"timestamp\":5}",
			"{\"type\":\"event\",\"timestamp\":\"yesterday\"}",
			"{\"type\":\"event\",\"duration_ms\":\"5\"}",
			"[]",
		};
		for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
			why = NULL;
			ok(jdoc_parse(&d, bad[i], strlen(bad[i])) &&
			    !event_read(&d, &ev, &attrs, &source, &why) &&
			    why != NULL, "event_read refuses", bad[i]);
		}
	}
	jdoc_release(&d);
	buf_release(&out);
	buf_release(&attrs);
	buf_release(&source);
}

int
main(void)
{
	test_ts();
	test_json();
	test_jw();
	test_event_roundtrip();
	printf("1..%d\n", ntest);
	return nfail != 0;
}
