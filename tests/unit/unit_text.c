/*
 * unit_text.c - the text layer: timestamps read and written, the JSON
 * tokenizer and writer, string search and HTML escaping.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "buf.h"
#include "html.h"
#include "json.h"
#include "jw.h"
#include "lp.h"
#include "ts.h"
#include "utf8.h"

#include "tap.h"
#include "unit.h"

void
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

void
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
	/* compact: nothing between tokens, no invalid UTF-8 (event_read
	 * then takes an object's text as it is) */
	ok(jdoc_parse(&d, "{\"a\":[1,{\"b\":\"\\n\"}]}", 20) && d.compact,
	    "jdoc_parse", "compact text");
	ok(jdoc_parse(&d, "{ \"a\":1}", 8) && !d.compact &&
	    jdoc_parse(&d, "{\"a\":[1, 2]}", 12) && !d.compact &&
	    jdoc_parse(&d, "{\"a\":{\"b\":1} }", 14) && !d.compact &&
	    jdoc_parse(&d, "{\"a\" :1}", 8) && !d.compact &&
	    jdoc_parse(&d, "{\"a\":\"\xff\"}", 9) && !d.compact,
	    "jdoc_parse", "not compact: white space, invalid UTF-8");
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
void
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

void
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
 * and changed, every pair of offsets; and in every prefix of the
 * haystack, which ends its vector blocks at every place (the last block
 * overlaps the one before), with three pairs of offsets. */
void
test_memmem_pair(void)
{
	static const char hay[] = "2025-05-04T10:30:13 ORDER: ORDER_INIT - "
	    "SUCCESS (ID: 15780b2e-0c2e) | trace_id=ab, span_id=cd, x=y "
	    "ORDER: ORDER ORDER: ORDERS (ID: ";
	char		 needle[16];
	size_t		 hn, at, nl, i, j, k;
	const char	*got, *want;
	int		 bad = 0, tried = 0;
	char		 detail[64];

	for (hn = 1; hn < sizeof(hay); hn++)
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
					if (hn < sizeof(hay) - 1 &&
					    !(i == 0 && j == nl - 1) &&
					    !(i == nl - 1 && j == nl / 2) &&
					    !(i == nl / 2 && j == 1))
						continue;
					got = lp_memmem_pair(hay, hn, needle,
					    nl, i, j);
					tried++;
					bad += got != want;
				}
		}
	snprintf(detail, sizeof(detail), "%d searches, %d wrong", tried, bad);
	ok(bad == 0, "lp_memmem_pair finds what a plain search finds", detail);
}

/* lp_memmem_first against a plain search for each needle in turn: the
 * needles from each one on, cut from the haystack (every third changed,
 * so absent), short and long ones (long: fewer than 32 places to start
 * at), in every prefix of the haystack. */
void
test_memmem_first(void)
{
	static const char hay[] = "2025-05-04T10:30:13 ORDER: ORDER_INIT - "
	    "SUCCESS (ID: 15780b2e-0c2e) | trace_id=ab, span_id=cd, x=y "
	    "ORDER: ORDER ORDER: ORDERS (ID: PAYMENTS: ok ab=cd ab=ce ab=cf";
	static const struct { size_t at, n; } cut[] = {
		{ 20, 8 }, { 96, 9 }, { 61, 11 }, { 0, 100 }, { 136, 6 },
		{ 41, 16 }, { 3, 130 }, { 120, 17 }, { 19, 3 }, { 129, 14 },
		{ 150, 5 }, { 156, 5 },	/* the last has two false places
					   before its own in a block */
	};
	enum { NCUT = sizeof(cut) / sizeof(cut[0]) };
	char		 text[NCUT][160];
	struct lp_needle nd[NCUT];
	size_t		 hn, k, p, i;
	int		 first, want, got, bad = 0, tried = 0;
	char		 detail[64];

	for (k = 0; k < NCUT; k++) {
		memcpy(text[k], hay + cut[k].at, cut[k].n);
		if (k % 3 == 1)
			text[k][cut[k].n / 2] ^= 1;
		nd[k] = (struct lp_needle){ text[k], cut[k].n, 0, 0, (int)k };
		lp_rare_pair(text[k], cut[k].n, &nd[k].i1, &nd[k].i2);
	}
	for (hn = 0; hn < sizeof(hay); hn++)
		for (first = 0; first < NCUT; first++) {
			want = NCUT;
			for (i = (size_t)first; i < NCUT && want == NCUT; i++)
				for (p = 0; p + nd[i].n <= hn; p++)
					if (memcmp(hay + p, nd[i].p,
					    nd[i].n) == 0) {
						want = (int)i;
						break;
					}
			got = first + lp_memmem_first(hay, hn, nd + first,
			    NCUT - first);
			tried++;
			bad += got != want;
		}
	snprintf(detail, sizeof(detail), "%d searches, %d wrong", tried, bad);
	ok(bad == 0, "lp_memmem_first finds the first needle a plain search "
	    "finds", detail);
}

void
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

/*
 * Formats of digits read without strptime(3) when every field has its
 * full width: the same time as strptime gives, and anything else (a
 * narrower field, white space, a value out of range) still read, or
 * refused, as strptime reads it.
 */
void
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

void
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
	/* the minute read last is remembered: what follows in it is read
	 * from its seconds, and checked as the rest are */
	{
		static const struct {
			const char	*in;
			int64_t		 want;	/* -1: refused */
		} seq[] = {
			{ "2025-05-04T10:30:00.000Z", 1746354600000LL },
			{ "2025-05-04T10:30:59.999Z", 1746354659999LL },
			{ "2025-05-04T10:30:60.000Z", 1746354659999LL },
			{ "2025-05-04T10:30:61.000Z", -1 },
			{ "2025-05-04T10:30:0x.000Z", -1 },
			{ "2025-05-04T10:30:01.5x0Z", -1 },
			{ "2025-05-04T10:30:01.500+", -1 },
			{ "2025-05-04T10:31:00.000Z", 1746354660000LL },
			{ "2025-05-04T10:30:01.500Z", 1746354601500LL },
			{ "2016-12-31T23:59:60.000Z", 1483228799999LL },
			{ "2016-12-31T23:59:30.250Z", 1483228770250LL },
			{ "2025-05-04T24:00:00.000Z", 1746403200000LL },
			{ "2025-05-04T24:00:01.000Z", -1 },
		};
		size_t	 i;
		bool	 good = true;

		for (i = 0; i < sizeof(seq) / sizeof(seq[0]); i++) {
			r = ts_parse_canonical(seq[i].in, 24, &ms);
			if (seq[i].want < 0 ? r : !r || ms != seq[i].want) {
				ok(false, "ts_parse_canonical in a minute",
				    seq[i].in);
				good = false;
			}
		}
		ok(good, "ts_parse_canonical", "times in the minute read last");
	}
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

void
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
