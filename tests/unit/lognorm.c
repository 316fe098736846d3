/*
 * lognorm.c - unit tests of lognorm's own engine (cmd/lognorm/): message
 * templates (the CSV reader, specificity, the word index), the loghub
 * header form, and values as jq writes them (jqval.h).  TAP output; run
 * by tests/01-unit.bats.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "buf.h"
#include "jqval.h"
#include "rule.h"
#include "tmpl.h"

#include "tap.h"

/* Write text to a fresh temporary file; returns its malloc'd path. */
static char *
tmpfile_with(const char *text)
{
	char	*path;
	int	 fd;

	if ((path = strdup("/tmp/lognorm-unit.XXXXXX")) == NULL ||
	    (fd = mkstemp(path)) < 0)
		abort();
	if (write(fd, text, strlen(text)) != (ssize_t)strlen(text))
		abort();
	close(fd);
	return path;
}

/* The id of the template msg matches under csv, or "-" for none. */
static const char *
classify(struct tmpl *tp, const char *msg)
{
	const struct tmpl_entry *te = tmpl_match(tp, msg, strlen(msg));

	return te ? te->id : "-";
}

static void
test_tmpl_match(void)
{
	static const char csv[] =
	    "EventId,EventTemplate\n"
	    "E1,Accepted password for <*> from <*> port <*> ssh2\n"
	    "E2,<*>\n"
	    "E3,\"Failed password for <*> from <*>, port <*>\"\n"
	    "E4,authentication failure; rhost=<*>\n"
	    "E5,authentication failure; rhost=<*> user=<*>\n"
	    "E6,session opened\n";
	static const struct {
		const char	*msg, *want;
	} cases[] = {
		{ "Accepted password for root from 1.2.3.4 port 22 ssh2", "E1" },
		{ "Failed password for x from 1.2.3.4, port 22", "E3" },
		/* more literal text wins over fewer wildcards */
		{ "authentication failure; rhost=h user=root", "E5" },
		{ "authentication failure; rhost=h", "E4" },
		/* a template without wildcards matches the whole message only */
		{ "session opened", "E6" },
		{ "session opened twice", "E2" },
		{ "", "E2" },
	};
	struct tmpl	 tp;
	struct buf	 msg = BUF_INIT;
	char		*path = tmpfile_with(csv), detail[160];
	size_t		 i;
	bool		 loaded;

	loaded = tmpl_load(&tp, path, &msg);
	ok(loaded && tp.n == 6, "tmpl_load", msg.p);
	for (i = 0; loaded && i < sizeof(cases) / sizeof(cases[0]); i++) {
		const char *got = classify(&tp, cases[i].msg);
		snprintf(detail, sizeof(detail), "'%s' -> %s (want %s)",
		    cases[i].msg, got, cases[i].want);
		ok(strcmp(got, cases[i].want) == 0, "tmpl_match", detail);
	}
	if (loaded)
		tmpl_release(&tp);
	unlink(path);
	free(path);
	buf_release(&msg);
}

/* A malformed CSV is refused with the line of the fault, never half read. */
static void
test_tmpl_csv(void)
{
	static const struct {
		const char	*csv;	/* after the header line */
		size_t		 len;	/* 0: strlen */
		const char	*want;	/* "line: what", or "" when it loads */
		int		 n;	/* templates, when it loads */
	} cases[] = {
		{ "E1,\n", 0, "2: empty EventTemplate", 0 },
		{ "E1,\"\"\n", 0, "2: empty EventTemplate", 0 },
		{ ",abc <*>\n", 0, "2: empty EventId", 0 },
		{ "E1,ok\nE2\n", 0, "3: expected EventId,EventTemplate", 0 },
		{ "E1,ok\nE2,\"abc\n\nE3,x\n", 0,
		  "3: unterminated quoted field", 0 },
		{ "E1,\"a\"b\n", 0, "2: text after a closing quote", 0 },
		/* a quoted newline does not shift the lines after it */
		{ "E1,\"two\nlines\"\nE2,x,\"more\n\ncolumns\"\nE3\n", 0,
		  "7: expected EventId,EventTemplate", 0 },
		{ "E1,ok\nE2,a\0b\n", 14, "3: NUL byte", 0 },
		/* CRLF, blank lines, doubled quotes, extra columns */
		{ "E1,a <*>\r\n\r\n\nE2,\"say \"\"hi\"\", <*>\",x\r\n", 0, "", 2 },
		{ "", 0, "", 0 },
	};
	struct tmpl	 tp;
	struct buf	 csv = BUF_INIT, msg = BUF_INIT, want = BUF_INIT;
	size_t		 i, len;
	bool		 loaded;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		buf_reset(&csv);
		buf_reset(&msg);
		buf_reset(&want);
		buf_adds(&csv, "EventId,EventTemplate\n");
		len = cases[i].len ? cases[i].len : strlen(cases[i].csv);
		buf_add(&csv, cases[i].csv, len);
		loaded = tmpl_load_text(&tp, "t.csv", csv.p, csv.len, &msg);
		if (*cases[i].want != '\0')
			buf_addf(&want, "t.csv:%s", cases[i].want);
		ok(loaded ? *cases[i].want == '\0' && tp.n == cases[i].n :
		    msg.p != NULL && want.p != NULL &&
		    strcmp(msg.p, want.p) == 0 && tp.n == 0 && tp.t == NULL,
		    "tmpl_load_text", loaded ? "loaded" : msg.p);
		tmpl_release(&tp);
	}
	buf_reset(&csv);
	buf_adds(&csv, "EventId,EventTemplate\nE2,\"say \"\"hi\"\", <*>\",x\n");
	loaded = tmpl_load_text(&tp, "t.csv", csv.p, csv.len, &msg);
	ok(loaded && tp.n == 1 && strcmp(tp.t[0].text, "say \"hi\", <*>") == 0 &&
	    strcmp(classify(&tp, "say \"hi\", bob"), "E2") == 0,
	    "tmpl_load_text: quoted template", NULL);
	tmpl_release(&tp);
	buf_release(&csv);
	buf_release(&msg);
	buf_release(&want);
}

/* The most specific matching template by brute force: what the index must
 * agree with. */
static int
brute_match(const char *const *tmpls, int n, const char *msg)
{
	int	 i, best = -1;
	size_t	 lit, bestlit = 0;
	int	 nw, bestnw = 0;

	for (i = 0; i < n; i++) {
		const char *t = tmpls[i], *m = msg, *star;
		size_t k;
		bool good = true, first = true;
		/* greedy leftmost match of the pieces, anchored at both ends */
		lit = 0;
		nw = 0;
		for (;;) {
			star = strstr(t, "<*>");
			k = star ? (size_t)(star - t) : strlen(t);
			lit += k;
			if (first && strncmp(m, t, k) != 0)
				good = false;
			else if (!first && star != NULL) {
				const char *h = NULL, *q;
				for (q = m; *q != '\0' || k == 0; q++) {
					if (strncmp(q, t, k) == 0) {
						h = q;
						break;
					}
					if (*q == '\0')
						break;
				}
				if (h == NULL)
					good = false;
				else
					m = h;
			} else if (!first) {
				size_t ml = strlen(m);
				if (ml < k || strcmp(m + ml - k, t) != 0)
					good = false;
				m += ml - (ml < k ? ml : k);
			}
			if (first && star == NULL && strlen(m) != k)
				good = false;
			if (!good || star == NULL)
				break;
			m += k;
			t = star + 3;
			first = false;
			nw++;
		}
		if (good && (best < 0 || lit > bestlit ||
		    (lit == bestlit && nw < bestnw))) {
			best = i;
			bestlit = lit;
			bestnw = nw;
		}
	}
	return best;
}

/* The index gives what trying every template gives, on a table of
 * templates with words next to wildcards, loose templates, and repeats. */
static void
test_tmpl_index(void)
{
	static const char *const words[] = {
		"alpha", "beta", "gamma", "blk_", "id=", "x", "", " ", "  ",
		"alpha beta", "end",
	};
	enum { NW = sizeof(words) / sizeof(words[0]), NT = 400, NM = 3000 };
	const char	*tmpls[NT];
	char		 text[NT][64], m[96], detail[200];
	struct buf	 csv = BUF_INIT, msg = BUF_INIT;
	struct tmpl	 tp;
	unsigned	 seed = 7, k, j;
	int		 i, want, fails = 0;
	const struct tmpl_entry *te;

#define RND()	(seed = seed * 1103515245u + 12345u, (seed >> 16) & 0x7fff)
	buf_adds(&csv, "EventId,EventTemplate\n");
	for (i = 0; i < NT; i++) {
		text[i][0] = '\0';
		for (k = 1 + RND() % 4, j = 0; j < k; j++) {
			if (RND() % 3 == 0)
				strcat(text[i], "<*>");
			strcat(text[i], words[RND() % NW]);
			if (RND() % 2)
				strcat(text[i], " ");
		}
		if (text[i][0] == '\0' || strcmp(text[i], " ") == 0)
			strcpy(text[i], "<*>");
		tmpls[i] = text[i];
		buf_addf(&csv, "E%d,\"%s\"\n", i, text[i]);
	}
	ok(tmpl_load_text(&tp, "t.csv", csv.p, csv.len, &msg) && tp.n == NT,
	    "tmpl_load_text: generated templates", msg.p);
	for (i = 0; i < NM; i++) {
		m[0] = '\0';
		for (k = RND() % 6, j = 0; j < k; j++) {
			strcat(m, words[RND() % NW]);
			if (RND() % 2)
				strcat(m, RND() % 2 ? " " : "7");
		}
		want = brute_match(tmpls, NT, m);
		te = tmpl_match(&tp, m, strlen(m));
		if ((want < 0) != (te == NULL) ||
		    (te != NULL && atoi(te->id + 1) != want)) {
			if (fails++ == 0) {
				snprintf(detail, sizeof(detail), "'%s': index "
				    "%s, brute force E%d", m, te ? te->id : "-",
				    want);
				ok(0, "tmpl_match agrees with brute force",
				    detail);
			}
		}
	}
	if (fails == 0)
		ok(1, "tmpl_match agrees with brute force", "3000 messages");
#undef RND
	tmpl_release(&tp);
	buf_release(&csv);
	buf_release(&msg);
}

/* The interpreter's verdict on line under a match limit. */
static int
match_limited(const char *pattern, const char *line, uint32_t limit)
{
	pcre2_code		*re;
	pcre2_match_data	*md;
	pcre2_match_context	*mc;
	int			 err, rv;
	PCRE2_SIZE		 off;

	re = pcre2_compile((PCRE2_SPTR)pattern, PCRE2_ZERO_TERMINATED, 0, &err,
	    &off, NULL);
	if (re == NULL)
		return -9999;
	md = pcre2_match_data_create_from_pattern(re, NULL);
	mc = pcre2_match_context_create(NULL);
	pcre2_set_match_limit(mc, limit);
	rv = pcre2_match(re, (PCRE2_SPTR)line, strlen(line), 0, 0, md, mc);
	pcre2_match_context_free(mc);
	pcre2_match_data_free(md);
	pcre2_code_free(re);
	return rv;
}

/*
 * The header form: fields that must stop at a known character are read
 * possessively, so that a long line that does not match fails in work
 * linear in its length (counted by PCRE2's match limit, not timed).
 */
static void
test_header(void)
{
	static const struct {
		const char	*format, *regex;
	} cases[] = {
		{ "<Date> <Time> <Pid> <Level> <Component>: <Content>",
		  "^\\s*(?<Date>[^\\s]*+)\\s+(?<Time>[^\\s]*+)\\s+(?<Pid>[^\\s]*+)"
		  "\\s+(?<Level>[^\\s]*+)\\s+(?<Component>[^\\x{3a}]*+):\\s+"
		  "(?<Content>.*\\S|)\\s*$" },
		{ "<Month> <Date> <Time> <Level> <Component>(\\[<PID>\\])?: <Content>",
		  "^\\s*(?<Month>[^\\s]*+)\\s+(?<Date>[^\\s]*+)\\s+(?<Time>[^\\s]*+)"
		  "\\s+(?<Level>[^\\s]*+)\\s+(?<Component>[^\\x{5b}\\x{3a}]*+)"
		  "(\\[(?<PID>[^\\x{5d}]*+)\\])?:\\s+(?<Content>.*\\S|)\\s*$" },
		{ "\\[<Time>\\] \\[<Level>\\] <Content>",
		  "^\\s*\\[(?<Time>[^\\x{5d}]*+)\\]\\s+\\[(?<Level>[^\\x{5d}]*+)\\]"
		  "\\s+(?<Content>.*\\S|)\\s*$" },
		/* what cannot be told stays lazy */
		{ "<A><B>x? <C>", "^\\s*(?<A>.*?)(?<B>.*?)x?\\s+(?<C>.*\\S|)\\s*$" },
		{ "<A>(x|y)", "^\\s*(?<A>.*?)(x|y)\\s*$" },
	};
	struct buf	 re = BUF_INIT, line = BUF_INIT;
	char		 detail[400];
	size_t		 i;
	int		 w, rv;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		buf_reset(&re);
		header_to_regex(cases[i].format, strlen(cases[i].format), &re);
		snprintf(detail, sizeof(detail), "%s -> %s", cases[i].format,
		    re.p);
		ok(strcmp(re.p, cases[i].regex) == 0, "header_to_regex",
		    detail);
	}
	/* HDFS's format on 100 and 10000 words, none ending in a colon: no match,
	 * within a limit proportional to the length (the lazy form ran into
	 * PCRE2's default limit of 10 million at 100 words) */
	buf_reset(&re);
	header_to_regex(cases[0].format, strlen(cases[0].format), &re);
	for (w = 1; w <= 10000; w++) {
		buf_adds(&line, "w:x ");
		if (w != 100 && w != 10000)
			continue;
		rv = match_limited(re.p, line.p, 4 * (uint32_t)line.len);
		snprintf(detail, sizeof(detail), "%d words: %d", w, rv);
		ok(rv == PCRE2_ERROR_NOMATCH, "header form fails in linear work",
		    detail);
	}
	buf_release(&re);
	buf_release(&line);
}

/*
 * Numbers as jq 1.6 writes them: the expected texts are what `jq -c .`
 * printed for each input (echo '[TEXT]' | jq -c '.[0]').
 */
static void
test_jqv_num(void)
{
	static const struct {
		const char	*in, *jq;
	} cases[] = {
		{ "1.0", "1" }, { "1e2", "100" }, { "1.50", "1.5" },
		{ "-0", "-0" }, { "0.1", "0.1" }, { "100000000000000000", "1e+17" },
		{ "10000000000000000", "1e+16" }, { "1000000000000000",
		  "1000000000000000" }, { "123456789012345678",
		  "123456789012345680" }, { "9223372036854775807",
		  "9223372036854776000" }, { "0.0001", "0.0001" },
		{ "0.00001", "1e-05" }, { "1.5e300", "1.5e+300" },
		{ "1e1000", "1.7976931348623157e+308" },
		{ "-1e1000", "-1.7976931348623157e+308" },
		{ "200.000001", "200.000001" },
		{ "3.14159265358979323846", "3.141592653589793" },
		{ "12345678901234567890123", "12345678901234568000000" },
		{ "0.000123", "0.000123" }, { "1234567.125", "1234567.125" },
		{ "0.30000000000000004", "0.30000000000000004" },
		{ "2.5E-3", "0.0025" }, { "7", "7" }, { "-7.25", "-7.25" },
	};
	static const struct {
		const char	*in;
		int		 ok;
		double		 v;
	} tonum[] = {
		{ "12", 1, 12 }, { " 7 ", 1, 7 }, { "+1", 1, 1 }, { "1.", 1, 1 },
		{ ".5", 1, 0.5 }, { "1e5", 1, 1e5 }, { "000123", 1, 123 },
		{ "1e", 0, 0 }, { "0x10", 0, 0 }, { "-", 0, 0 }, { "", 0, 0 },
		{ "true", 0, 0 }, { "1 2", 0, 0 }, { "12abc", 0, 0 },
		{ "[1]", 0, 0 }, { "\"1\"", 0, 0 },
	};
	struct buf	 b = BUF_INIT;
	char		 detail[200];
	double		 v;
	size_t		 i;
	int		 r;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		buf_reset(&b);
		jqv_numtext(&b, cases[i].in, strlen(cases[i].in));
		snprintf(detail, sizeof(detail), "%s -> %s (jq: %s)",
		    cases[i].in, b.p, cases[i].jq);
		ok(strcmp(b.p, cases[i].jq) == 0, "jqv_numtext", detail);
	}
	for (i = 0; i < sizeof(tonum) / sizeof(tonum[0]); i++) {
		v = 0;
		r = jqv_tonumber(tonum[i].in, strlen(tonum[i].in), &v);
		snprintf(detail, sizeof(detail), "'%s' -> %d %g", tonum[i].in,
		    r, v);
		ok(r == tonum[i].ok && (!r || v == tonum[i].v),
		    "jqv_tonumber", detail);
	}
	/* "nan" is a number jq writes as null */
	ok(jqv_tonumber("nan", 3, &v) && v != v, "jqv_tonumber", "nan");
	buf_reset(&b);
	jqv_num(&b, v);
	ok(strcmp(b.p, "null") == 0, "jqv_num", "NaN -> null");
	buf_release(&b);
}

int
main(void)
{
	test_jqv_num();
	test_header();
	test_tmpl_match();
	test_tmpl_csv();
	test_tmpl_index();
	return tap_done();
}
