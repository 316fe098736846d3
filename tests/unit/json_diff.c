/*
 * json_diff.c - the differential test of jdoc_parse(): every document of a
 * large and varied corpus is parsed by it and by the reference tokenizer
 * (json_ref.c, the code before it was made faster), and the two must agree
 * exactly: the verdict, the error message and position of a refusal, the
 * number of tokens, and every token's type, flags, start, end, next and
 * count.  TAP output; run by tests/01-unit.bats (and so under the
 * sanitizers too).
 *
 *	json-diff [-s seed] [-r rounds] [file ...]
 *
 * The corpus: hand-written cases (those of unit.c and one or more for
 * every error and every branch of the grammar); compact records with
 * white space put in at each place; every file named, whole and line by
 * line, each line also cut at every byte; random documents
 * with every escape, valid and invalid UTF-8, every form of number, white
 * space of every kind and length, and nesting up to and past
 * JSON_MAX_DEPTH; the same documents mutated at random bytes and cut
 * short; every document also at each of 64 shifts (white space before
 * it) and at unaligned addresses.  Each document is parsed from a heap
 * copy of exactly its size, so that ASan sees any read past its end.
 *
 * All of it once with each classifier of jscan.h this machine runs (AVX2,
 * SSE2, a byte at a time); and the classifiers' masks are compared with
 * the bytes themselves, for texts of every length up to 300 at every
 * alignment.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "buf.h"
#include "jscan.h"
#include "json.h"
#include "json_ref.h"

#include "tap.h"

static struct jdoc	 dn = JDOC_INIT, dr = JDOC_INIT;
static size_t		 ndocs, nbad, nshown, naccepted;

/* A printable excerpt of s[0..n) for a report. */
static void
show(const char *s, size_t n)
{
	size_t	 i;

	for (i = 0; i < n && i < 300; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c >= 0x20 && c < 0x7f && c != '\\')
			putchar(c);
		else
			printf("\\x%02x", c);
	}
	if (n > 300)
		printf("... (%zu bytes)", n);
	putchar('\n');
}

/* Parse s[0..n) (exactly n bytes on the heap) both ways; compare. */
static bool
agree(const char *s, size_t n)
{
	bool		 rn, rr, same;
	uint32_t	 i, k;
	const struct jtok *a, *b;

	ndocs++;
	rr = jref_parse(&dr, s, n);
	rn = jdoc_parse(&dn, s, n);
	naccepted += rr;
	same = rn == rr && dn.n == dr.n && dn.src == dr.src &&
	    dn.len == dr.len;
	if (same && !rr)
		same = dn.err != NULL && dr.err != NULL &&
		    strcmp(dn.err, dr.err) == 0 && dn.errpos == dr.errpos;
	if (same && rr) {
		same = dn.err == NULL && dn.errpos == 0;
		for (i = 0; same && i < dn.n; i++) {
			a = &dn.t[i];
			b = &dr.t[i];
			same = a->type == b->type && a->flags == b->flags &&
			    a->start == b->start && a->end == b->end &&
			    a->next == b->next && a->count == b->count;
		}
	}
	if (!same) {
		nbad++;
		if (nshown++ < 10) {
			printf("# differ: new %s (%s at %zu, %u tokens), "
			    "reference %s (%s at %zu, %u tokens) on: ",
			    rn ? "accepts" : "refuses", dn.err ? dn.err : "-",
			    dn.errpos, dn.n, rr ? "accepts" : "refuses",
			    dr.err ? dr.err : "-", dr.errpos, dr.n);
			show(s, n);
			/* the first tokens that differ, new | reference */
			for (i = 0, k = 0; rn && rr && i < dn.n && k < 5;
			    i++) {
				a = &dn.t[i];
				b = &dr.t[i];
				if (memcmp(a, b, 2) == 0 && a->start == b->start &&
				    a->end == b->end && a->next == b->next &&
				    a->count == b->count)
					continue;
				k++;
				printf("#  token %u: %u/%u %u-%u next %u count "
				    "%u | %u/%u %u-%u next %u count %u\n",
				    i, a->type, a->flags, a->start, a->end,
				    a->next, a->count, b->type, b->flags,
				    b->start, b->end, b->next, b->count);
			}
		}
	}
	return same;
}

/* agree() on a heap copy of exactly n bytes, align bytes past malloc's. */
static bool
agree_copy(const char *s, size_t n, size_t align)
{
	char	*p = xmalloc(n + align + 1);
	bool	 r;

	if (n > 0)
		memcpy(p + align, s, n);
	r = agree(p + align, n);
	free(p);
	return r;
}

/* Shifted 0..63 places by white space in front, at several alignments. */
static bool
agree_shifted(const char *s, size_t n)
{
	static const char ws[] = " \t\n\r";
	struct buf	 b = BUF_INIT;
	bool		 r = true;
	size_t		 k;

	for (k = 0; k < 64; k++) {
		buf_reset(&b);
		while (b.len < k)
			buf_addc(&b, ws[(b.len * 7 + k) % 4]);
		buf_add(&b, s, n);
		r &= agree_copy(b.p, b.len, k % 16);
	}
	buf_release(&b);
	return r;
}

/* A case of every rule of the grammar and every error message. */
static void
hand_cases(void)
{
	static const char *const cases[] = {
		/* unit.c's */
		"{}", "[]", " {\"a\" : [1, -2.5e+3, true, false, null]} ",
		"\"\\u00e9\\ud83d\\ude00\\n\"", "0", "-0.0e0", "{\"\":{}}",
		"", "{", "[1,]", "{\"a\":}", "{\"a\" 1}", "01", "1.", "-", "1e",
		"tru", "\"\\x\"", "\"\\u12g4\"", "\"a\tb\"", "[1] [2]",
		"{\"a\":1,}", "nul", "\"unterminated",
		/* values, white space */
		"null", "true", "false", " \t\r\n1\n", "\"\"", "[[]]", "[{}]",
		"{\"a\":[]}", "[ ]", "{ }", "[\n]", "{\r\n}", "[1 ,2 , 3]",
		"{ \"a\" : 1 , \"b\" : 2 }", "[\"a\",\"b\"]", "[true,false,null]",
		"{\"a\":{\"b\":{\"c\":[1,[2,[3]]]}}}", "[[[[[[]]]]]]",
		"  ", "\t", "\n\n", "\v1", "\f1", "1\v", "\302\2401",
		/* numbers */
		"-0", "0.0", "1e5", "1E5", "1e+5", "1e-5", "-1.25E-10",
		"123456789012345678901234567890", "0e0", "1.0e", "1.e5", ".5",
		"+1", "-a", "--1", "00", "-01", "1.2.3", "1e5e5", "1ee5",
		"0x10", "1_000", "1e+", "1e-", "-.5", "2.", "[1.]", "[-]",
		"[01]", "{\"a\":01}", "[1e]", "Infinity", "NaN", "-Infinity",
		"1 2", "[1 2]", "{\"a\":1 \"b\":2}", "[0x]", "0a", "1true",
		/* literals */
		"t", "tr", "true1", "truex", "True", "nulll", "fals", "falsey",
		"[nul]", "[true false]", "{\"a\":tru}", "nullnull", "n", "f",
		/* strings and escapes */
		"\"\\\"\"", "\"\\\\\"", "\"\\/\"", "\"\\b\\f\\n\\r\\t\"",
		"\"\\u0000\"", "\"\\uFFFF\"", "\"\\uD800\"", "\"\\u12\"",
		"\"\\u12", "\"\\u\"", "\"\\", "\"\\\\", "\"\\a\"", "\"\\0\"",
		"\"\\U0041\"", "\"\\u004G\"", "\"\\ud83d\\ude00\"",
		"\"a\\\\\\\"b\"", "\"\\\\\\\\\"", "\"\\\\\"\"", "\"\x01\"",
		"\"\x1f\"", "\"\x7f\"", "\"\n\"", "\"\r\"", "\"a\"b\"",
		"\"\\\"", "\"\\\\\\\"", "[\"a\\\"]", "[\"a\\\\\"]",
		/* UTF-8 */
		"\"\xc3\xa9\"", "\"\xe2\x82\xac\"", "\"\xf0\x9f\x98\x80\"",
		"\"\xc3\"", "\"\xc3\xa9\xc3\"", "\"\x80\"", "\"\xbf\"",
		"\"\xc0\x80\"", "\"\xc1\xbf\"", "\"\xe0\x80\x80\"",
		"\"\xe0\x9f\xbf\"", "\"\xed\xa0\x80\"", "\"\xed\x9f\xbf\"",
		"\"\xef\xbf\xbf\"", "\"\xf0\x8f\xbf\xbf\"", "\"\xf4\x8f\xbf\xbf\"",
		"\"\xf4\x90\x80\x80\"", "\"\xf5\x80\x80\x80\"", "\"\xff\"",
		"\"\xfe\"", "\"\xe2\x82\"", "\"\xf0\x9f\x98\"", "\"\xe2\"",
		"\"\xf0\x9f\"", "\"a\xc3\"", "\"\xc3", "\"\xe2\x82", "\xc3\xa9",
		"[\xc3\xa9]", "{\"a\":\xff}", "\"\xc3\\n\"",
		/* objects */
		"{\"a\"}", "{\"a\":1", "{\"a\":1 ", "{\"a\"", "{\"a\" ", "{1:2}",
		"{a:1}", "{\"a\":1,\"a\":2}", "{,}", "{:}", "{\"a\"::1}",
		"{\"a\":1,,\"b\":2}", "{\"a\":1;\"b\":2}", "{\"a\":1]", "{]",
		"{\"a\",1}", "{\"a\":[}", "{\"a\":{}", "{\"a\":1}}", "{\"a\":1}x",
		"{\"a\":1} ", "{\"a\":1}\n\n", "{\"a\":1}\0", "{\"a\":1}{",
		"{\"a\":\"b\"", "{ ", "{ \"a", "{\"a\":\"", "{\"\\u00e9\":1}",
		/* arrays */
		"[", "[1", "[1,", "[1 ", "[,1]", "[1,,2]", "[1}", "[}", "[:]",
		"[1:2]", "[\"a\":1]", "[[]", "[]]", "[[],[]", "[][]", "[] x",
		"[\"a\"", "[\"a\",", "[\"a\" \"b\"]", "[{]", "[{}", "[{}]]",
		/* other bytes */
		"\0", "{\0}", "[\0]", "\x01", "/", "#", "'a'", "[']",
		"\xef\xbb\xbf{}", "{}\xef\xbb\xbf", "@", "`", "~",
	};
	size_t	 i, before = nbad;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		agree_shifted(cases[i], strlen(cases[i]));
	/* with the NULs that strlen would hide */
	agree_shifted("{\"a\":1}\0", 8);
	agree_shifted("\"a\0b\"", 5);
	agree_shifted("[1,\0]", 5);
	ok(nbad == before, "jdoc_parse agrees with the reference",
	    "hand-written cases, each shifted 0-63 places");
}

/*
 * Strings across the windows of masks (2 KiB) and the blocks (64 bytes):
 * long ones, with an escape, a multi-byte sequence, a control character
 * or the closing quote just before, at or after each edge, among members
 * before and after them.
 */
static void
long_cases(void)
{
	static const char *const odd[] = {
		"\\n", "\\\"", "\xc3\xa9", "\x01", "\"", "\xff",
	};
	struct buf	 b = BUF_INIT;
	size_t		 before = nbad, len, at, i, k;

	for (len = 2000; len < 2120; len += 7)
		for (at = 0; at < sizeof(odd) / sizeof(odd[0]); at++)
			for (k = 0; k < 3; k++) {
				buf_reset(&b);
				buf_addlit(&b, "{\"a\":\"x\",\"long\":\"");
				for (i = 0; b.len < len; i++) {
					if (b.len == len - 40 * k - 1)
						buf_adds(&b, odd[at]);
					else
						buf_addc(&b, 'a' + (int)(i % 26));
				}
				buf_addlit(&b, "\",\"b\":[\"y\",null],\"c\":\"z\"}");
				agree_copy(b.p, b.len, k);
				/* and the same many times, past 4 and 8 KiB */
				buf_reset(&b);
				buf_addc(&b, '[');
				for (i = 0; i < 5; i++) {
					buf_addlit(&b, "\"");
					while (b.len % len != len - 1)
						buf_addc(&b, i % 2 ? ' ' : 'q');
					buf_adds(&b, odd[at]);
					buf_addlit(&b, "\",\n\t");
				}
				buf_addlit(&b, "0]");
				agree_copy(b.p, b.len, 0);
			}
	buf_release(&b);
	ok(nbad == before, "jdoc_parse agrees with the reference",
	    "long strings across the windows of masks");
}

/*
 * Compact records with white space put in at one place, each place in
 * turn (between tokens, and inside strings and literals, where it is an
 * error or part of the string): until white space is first skipped,
 * jdoc_parse takes a string's opening quote as the cursor's next special
 * byte without testing its position; after white space with a tab, a new
 * line or a carriage return the cursor is behind and must catch up.  The
 * first string is padded to every length from 0 to 69, so that the quotes
 * after it fall at every place of a block, of its 16- and 32-byte halves
 * and of a short text's last block; the strings are plain, with escapes,
 * multi-byte sequences and control characters; each record is also cut
 * short after every byte.
 */
static void
ws_inside_cases(void)
{
	static const char *const recs[] = {
		"{\"a\":\"%s\",\"cc\":\"dd\",\"e\":1,\"f\":null,\"g\":\"h\"}",
		"{\"k\":\"%s\",\"v\":\"w\\\"x\",\"y\":\"\xc3\xa9\","
		    "\"z\":[\"p\",\"q\"],\"o\":{\"m\":\"n\"},\"t\":true}",
		"[\"%s\",\"b\",{\"c\":\"d\"},\"e\",[\"f\"],false,\"g\"]",
		"{\"a\":\"%s\",\"b\":\"c\x1f\",\"d\":\"e\"}",
		"{\"system\":\"%s\",\"checkpoint\":\"INITIATED\","
		    "\"status\":\"SUCCESS\",\"timestamp\":\"2025-05-04T10:30:00\","
		    "\"correlation_id\":\"15780b2e-0c2e-4716-a104-d9866d113a7e\"}",
	};
	static const char *const ws[] = { " ", "\t", "\n", "\r\n" };
	struct buf	 pad = BUF_INIT, rec = BUF_INIT, b = BUF_INIT;
	size_t		 before = nbad, r, plen, at, w;
	const char	*pct;

	for (r = 0; r < sizeof(recs) / sizeof(recs[0]); r++)
		for (plen = 0; plen < 70; plen++) {
			buf_reset(&pad);
			while (pad.len < plen)
				buf_addc(&pad, 'a' + (int)(pad.len % 26));
			buf_reset(&rec);
			pct = strstr(recs[r], "%s");
			buf_add(&rec, recs[r], (size_t)(pct - recs[r]));
			buf_add(&rec, pad.p, pad.len);
			buf_adds(&rec, pct + 2);
			for (at = 0; at < rec.len; at++)
				agree_copy(rec.p, at, 0);
			for (at = 0; at <= rec.len; at++)
				for (w = 0; w < sizeof(ws) / sizeof(ws[0]); w++) {
					buf_reset(&b);
					buf_add(&b, rec.p, at);
					buf_adds(&b, ws[w]);
					buf_add(&b, rec.p + at, rec.len - at);
					agree_copy(b.p, b.len, at % 8);
				}
		}
	buf_release(&pad);
	buf_release(&rec);
	buf_release(&b);
	ok(nbad == before, "jdoc_parse agrees with the reference",
	    "compact records with white space at each place");
}

/* Nesting around JSON_MAX_DEPTH, in arrays and objects, closed or not. */
static void
deep_cases(void)
{
	struct buf	 b = BUF_INIT;
	size_t		 before = nbad;
	int		 depth, i, kind;

	for (kind = 0; kind < 4; kind++)
		for (depth = JSON_MAX_DEPTH - 2; depth <= JSON_MAX_DEPTH + 2;
		    depth++) {
			buf_reset(&b);
			for (i = 0; i < depth; i++)
				if (kind % 2 == 0)
					buf_addc(&b, '[');
				else
					buf_addlit(&b, "{\"k\":");
			buf_addc(&b, kind < 2 ? '1' : ' ');
			for (i = 0; i < depth; i++)
				buf_addc(&b, kind % 2 == 0 ? ']' : '}');
			agree_shifted(b.p, b.len);
			agree_copy(b.p, b.len / 2, 0);
			agree_copy(b.p, b.len - 1, 0);
		}
	buf_reset(&b);
	for (i = 0; i < 3 * JSON_MAX_DEPTH; i++)
		buf_addlit(&b, "[{\"a\":");
	agree_copy(b.p, b.len, 0);
	/* deep but not too deep, many times over: the stack is reused */
	buf_reset(&b);
	buf_addc(&b, '[');
	for (i = 0; i < 1000; i++) {
		for (depth = 0; depth < 40; depth++)
			buf_addlit(&b, "[{\"a\":");
		buf_addlit(&b, "0");
		for (depth = 0; depth < 40; depth++)
			buf_addlit(&b, "}]");
		if (i + 1 < 1000)
			buf_addc(&b, ',');
	}
	buf_addc(&b, ']');
	agree_copy(b.p, b.len, 0);
	buf_release(&b);
	ok(nbad == before, "jdoc_parse agrees with the reference",
	    "nesting around JSON_MAX_DEPTH");
}

/* Inputs of 4 GiB or more are refused before a byte is read. */
static void
size_cases(void)
{
	size_t	 before = nbad;
	char	*p;
	size_t	 n = (size_t)UINT32_MAX - 1;

	agree("[1]", (size_t)UINT32_MAX);
	agree("[1]", SIZE_MAX);
	/*
	 * Just under the limit: a mapping of zero pages (never written, so
	 * never backed), "0" and then NULs: refused, at byte 1.
	 */
	p = mmap(NULL, n, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS |
	    MAP_NORESERVE, -1, 0);
	if (p != MAP_FAILED) {
		p[0] = '0';
		agree(p, n);
		p[0] = '[';
		agree(p, n);
		munmap(p, n);
	}
	ok(nbad == before, "jdoc_parse agrees with the reference",
	    p != MAP_FAILED ? "4 GiB and just under" : "4 GiB (no 4 GiB map)");
}

/* Each file whole, each line, each line cut at every byte. */
static void
file_cases(int argc, char **argv)
{
	struct buf	 f = BUF_INIT;
	size_t		 before = nbad, i, start, k, n0 = ndocs;
	int		 a;
	char		 msg[64];

	for (a = 0; a < argc; a++) {
		buf_reset(&f);
		if (!buf_read_file(&f, argv[a])) {
			ok(0, "read", argv[a]);
			continue;
		}
		agree_copy(f.p, f.len, 0);
		for (start = 0, i = 0; i <= f.len; i++) {
			if (i < f.len && f.p[i] != '\n')
				continue;
			agree_copy(f.p + start, i - start, 0);
			for (k = 0; k < i - start; k++)
				agree_copy(f.p + start, k, 0);
			start = i + 1;
		}
	}
	buf_release(&f);
	snprintf(msg, sizeof(msg), "%d files, %zu documents", argc,
	    ndocs - n0);
	ok(nbad == before, "jdoc_parse agrees with the reference", msg);
}

/* xorshift64*: the random documents are the same on every run. */
static uint64_t	 rng = 0x9e3779b97f4a7c15ULL;

static uint64_t
rnd(void)
{
	rng ^= rng >> 12;
	rng ^= rng << 25;
	rng ^= rng >> 27;
	return rng * 0x2545f4914f6cdd1dULL;
}

static unsigned
pick(unsigned n)
{
	return (unsigned)(rnd() % n);
}

static void
gen_ws(struct buf *b)
{
	static const char ws[] = " \t\n\r";
	unsigned	 n;

	switch (pick(8)) {
	case 0:
		n = pick(80);
		break;
	case 1:
		n = 1 + pick(3);
		break;
	default:
		return;
	}
	while (n-- > 0)
		buf_addc(b, ws[pick(pick(3) == 0 ? 4 : 1)]);
}

static void
gen_digits(struct buf *b, unsigned n, bool lead)
{
	while (n-- > 0)
		buf_addc(b, (char)((lead ? '1' + pick(9) : '0' + pick(10))));
}

static void
gen_number(struct buf *b)
{
	if (pick(3) == 0)
		buf_addc(b, '-');
	if (pick(4) == 0)
		buf_addc(b, '0');
	else {
		gen_digits(b, 1, true);
		gen_digits(b, pick(pick(8) == 0 ? 70 : 6), false);
	}
	if (pick(3) == 0) {
		buf_addc(b, '.');
		gen_digits(b, 1 + pick(pick(8) == 0 ? 70 : 6), false);
	}
	if (pick(4) == 0) {
		buf_addc(b, "eE"[pick(2)]);
		if (pick(2))
			buf_addc(b, "+-"[pick(2)]);
		gen_digits(b, 1 + pick(4), false);
	}
}

/* The content of a string: plain runs, escapes, UTF-8 good and bad. */
static void
gen_string(struct buf *b)
{
	static const char *const esc[] = {
		"\\\"", "\\\\", "\\/", "\\b", "\\f", "\\n", "\\r", "\\t",
		"\\u00e9", "\\u00E9", "\\ud83d\\ude00", "\\uD800", "\\udfff",
		"\\u0000", "\\u001f", "\\\\\\\\", "\\\\\\\"", "\\\"\\\"",
	};
	static const char *const utf[] = {
		"\xc3\xa9", "\xe2\x82\xac", "\xf0\x9f\x98\x80", "\xdf\xbf",
		"\xe0\xa0\x80", "\xed\x9f\xbf", "\xee\x80\x80", "\xef\xbf\xbf",
		"\xf0\x90\x80\x80", "\xf4\x8f\xbf\xbf", "\xc2\x80",
	};
	static const char *const badutf[] = {
		"\x80", "\xbf", "\xc0\x80", "\xc1\xbf", "\xc2", "\xe0\x80\x80",
		"\xe0\x9f\xbf", "\xed\xa0\x80", "\xed\xbf\xbf", "\xe2\x82",
		"\xf0\x8f\xbf\xbf", "\xf4\x90\x80\x80", "\xf5\x80\x80\x80",
		"\xf8", "\xfe", "\xff", "\xf0\x9f\x98", "\xc3\xc3",
	};
	static const char plain[] =
	    "abcdefghijklmnopqrstuvwxyz ABCXYZ0123456789-_.:/,{}[]#@!$%^&*()=+~`'<>?|";
	unsigned	 parts = pick(pick(6) == 0 ? 30 : 4), n;
	int		 mode = (int)pick(4);	/* 0: plain only */

	buf_addc(b, '"');
	while (parts-- > 0) {
		switch (mode == 0 ? 0 : pick(12)) {
		case 0: case 1: case 2: case 3: case 4: case 5:
			n = pick(pick(4) == 0 ? 100 : 16);
			while (n-- > 0)
				buf_addc(b, plain[pick(sizeof(plain) - 1)]);
			break;
		case 6: case 7:
			buf_adds(b, esc[pick(sizeof(esc) / sizeof(esc[0]))]);
			break;
		case 8: case 9:
			buf_adds(b, utf[pick(sizeof(utf) / sizeof(utf[0]))]);
			break;
		case 10:
			if (mode == 3)
				buf_adds(b, badutf[pick(sizeof(badutf) /
				    sizeof(badutf[0]))]);
			break;
		default:
			/* a run of backslashes, maybe before a quote */
			n = 1 + pick(6);
			while (n-- > 0)
				buf_addc(b, '\\');
			if (pick(2))
				buf_addc(b, '"');
			break;
		}
	}
	buf_addc(b, '"');
}

static void
gen_value(struct buf *b, int depth)
{
	unsigned	 n, i, kind = pick(depth > 6 ? 5 : 8);

	gen_ws(b);
	switch (kind) {
	case 0:
	case 1:
		gen_string(b);
		break;
	case 2:
		gen_number(b);
		break;
	case 3:
		buf_adds(b, pick(3) == 0 ? "true" : pick(2) ? "false" :
		    "null");
		break;
	case 4:
		if (pick(3) == 0) {
			gen_string(b);
			break;
		}
		gen_number(b);
		break;
	case 5:
	case 6:
		buf_addc(b, '{');
		n = pick(pick(4) == 0 ? 20 : 6);
		for (i = 0; i < n; i++) {
			if (i > 0)
				buf_addc(b, ',');
			gen_ws(b);
			gen_string(b);
			gen_ws(b);
			buf_addc(b, ':');
			gen_value(b, depth + 1);
			gen_ws(b);
		}
		gen_ws(b);
		buf_addc(b, '}');
		break;
	default:
		buf_addc(b, '[');
		n = pick(pick(4) == 0 ? 20 : 6);
		for (i = 0; i < n; i++) {
			if (i > 0)
				buf_addc(b, ',');
			gen_value(b, depth + 1);
			gen_ws(b);
		}
		gen_ws(b);
		buf_addc(b, ']');
		break;
	}
}

/* The bytes a mutation writes: those the grammar turns on, and others. */
static const char mut_bytes[] = "\"\\{}[]:, \t\n\r0123456789-+.eEtrufalsn"
    "xu/\x00\x01\x1f\x7f\x80\xbf\xc2\xc3\xe0\xed\xf0\xf4\xff";

static void
mutate(struct buf *b)
{
	unsigned	 k = 1 + pick(3), at;
	char		 c;

	while (k-- > 0 && b->len > 0) {
		at = pick((unsigned)b->len);
		c = mut_bytes[pick(sizeof(mut_bytes) - 1)];
		switch (pick(4)) {
		case 0:		/* replace */
			b->p[at] = c;
			break;
		case 1:		/* insert */
			buf_addc(b, ' ');
			memmove(b->p + at + 1, b->p + at, b->len - at - 1);
			b->p[at] = c;
			break;
		case 2:		/* delete */
			memmove(b->p + at, b->p + at + 1, b->len - at - 1);
			b->len--;
			break;
		default:	/* flip a bit */
			b->p[at] ^= (char)(1 << pick(8));
			break;
		}
	}
}

static void
random_cases(unsigned rounds)
{
	struct buf	 b = BUF_INIT, m = BUF_INIT;
	size_t		 before = nbad, n0 = ndocs, k;
	unsigned	 r, j;
	char		 msg[80];

	for (r = 0; r < rounds; r++) {
		buf_reset(&b);
		gen_value(&b, 0);
		gen_ws(&b);
		agree_copy(b.p, b.len, r % 16);
		if (r % 64 == 0)
			agree_shifted(b.p, b.len);
		/* cut short at every byte, for the smaller ones */
		if (b.len < 300 && r % 4 == 0)
			for (k = 0; k < b.len; k++)
				agree_copy(b.p, k, 0);
		for (j = 0; j < 8; j++) {
			buf_reset(&m);
			buf_add(&m, b.p, b.len);
			mutate(&m);
			agree_copy(m.p, m.len, j);
			if (m.len > 0)
				agree_copy(m.p, pick((unsigned)m.len), 0);
		}
	}
	buf_release(&b);
	buf_release(&m);
	snprintf(msg, sizeof(msg), "%u random documents, mutated and cut: "
	    "%zu in all", rounds, ndocs - n0);
	ok(nbad == before, "jdoc_parse agrees with the reference", msg);
}

/* Whether byte c is special (jscan.h), by its definition. */
static bool
special(unsigned char c)
{
	return c == '"' || c == '\\' || c < 0x20 || c >= 0x80;
}

/*
 * jscan_masks against the bytes: every window [b, e) of texts of every
 * length up to 300, the bytes drawn mostly from the special ones and
 * their neighbours, at 8 alignments.
 */
static bool
masks_agree(const char *name)
{
	static const unsigned char pick_from[] = "\"\\\x1f\x20\x7f\x80\xff"
	    "\x00\x0a\x21\x5b\x5d\x23\x5c";
	unsigned char	*buf, *s;
	uint64_t	 out[8], want;
	size_t		 len, b, e, i, j, bad = 0, n = 0;
	char		 msg[80];

	buf = xmalloc(300 + 8);
	for (len = 1; len <= 300; len++) {
		s = buf + len % 8;
		for (i = 0; i < len; i++)
			s[i] = rnd() % 4 == 0 ? (unsigned char)rnd() :
			    pick_from[rnd() % (sizeof(pick_from) - 1)];
		for (b = 0; b < len; b += 64)
			for (e = b + 1; e <= len && e <= b + 4 * 64; e++) {
				if (e != len && (e - b) % 64 != 0)
					continue;
				jscan_masks(s, len, b, e, out);
				n++;
				for (j = 0; j < (e - b + 63) / 64; j++) {
					want = 0;
					for (i = 0; i < 64 &&
					    b + 64 * j + i < e; i++)
						want |= (uint64_t)special(
						    s[b + 64 * j + i]) << i;
					if (out[j] != want)
						bad++;
				}
			}
	}
	free(buf);
	snprintf(msg, sizeof(msg), "%zu windows (%s)", n, name);
	ok(bad == 0, "jscan_masks marks the special bytes", msg);
	return bad == 0;
}

int
main(int argc, char **argv)
{
	static const struct {
		enum jscan_impl	 impl;
		const char	*name;
	} impls[] = {
		{ JSCAN_AUTO, "default" },
		{ JSCAN_AVX2, "AVX2" },
		{ JSCAN_SSE2, "SSE2" },
		{ JSCAN_SCALAR, "byte by byte" },
	};
	unsigned	 rounds = 20000;
	size_t		 i;
	int		 ch;

	while ((ch = getopt(argc, argv, "r:s:")) != -1) {
		switch (ch) {
		case 'r':
			rounds = (unsigned)strtoul(optarg, NULL, 10);
			break;
		case 's':
			rng = strtoull(optarg, NULL, 0) | 1;
			break;
		default:
			fprintf(stderr, "usage: json-diff [-r rounds] "
			    "[-s seed] [file ...]\n");
			return 2;
		}
	}
	for (i = 0; i < sizeof(impls) / sizeof(impls[0]); i++) {
		if (!jscan_use(impls[i].impl)) {
			printf("# no %s classifier here\n", impls[i].name);
			continue;
		}
		printf("# with the %s classifier\n", impls[i].name);
		masks_agree(impls[i].name);
		hand_cases();
		long_cases();
		ws_inside_cases();
		deep_cases();
		size_cases();
		file_cases(argc - optind, argv + optind);
		random_cases(i == 0 ? rounds : rounds / 4);
	}
	jscan_use(JSCAN_AUTO);
	printf("# %zu documents (%zu valid), %zu disagreements\n", ndocs,
	    naccepted, nbad);
	jdoc_release(&dn);
	jdoc_release(&dr);
	return tap_done();
}
