/*
 * explain.c - lognorm --explain: for each record, the rules tried in
 * turn and why each did not take it (its kind, a match clause and the
 * value it saw, the literal text or the pattern, the mapping's reason),
 * then what became of the record; see lognorm(1).  On n->explain (the
 * standard error), apart from the events.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "fields.h"
#include "jw.h"

/* Of the record shown, so much. */
#define EXPLAIN_SHOW	120

/* Write line s[0..n) and a newline, control bytes as \xNN: the text
 * quotes input, which must not reach a terminal raw. */
static void
put_line(FILE *fp, const char *s, size_t n)
{
	size_t	 i;

	for (i = 0; i < n; i++)
		if ((unsigned char)s[i] < 0x20 || s[i] == 0x7f)
			fprintf(fp, "\\x%02x", (unsigned char)s[i]);
		else
			fputc(s[i], fp);
	fputc('\n', fp);
}

void
explain_record(struct norm *n, const char *rec, size_t len)
{
	struct buf	 b = BUF_INIT;

	/* as a JSON string: control bytes cannot reach the terminal */
	jw_str(&b, rec, len > EXPLAIN_SHOW ? EXPLAIN_SHOW : len);
	fprintf(n->explain, "lognorm: %s:%ld: %s%s\n", n->input, n->line, b.p,
	    len > EXPLAIN_SHOW ? " ..." : "");
	buf_release(&b);
}

void
explain_rule(struct norm *n, const struct rule *r, const char *fmt, ...)
{
	va_list	 ap;
	char	 msg[512];
	struct buf b = BUF_INIT;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	buf_addf(&b, "  %-20s %-5s %s", r->name, r->is_text ? "text" :
	    "json", msg);
	put_line(n->explain, b.p, b.len);
	buf_release(&b);
}

void
explain_pred(struct norm *n, const struct rec *rc, const struct pred *pr)
{
	struct buf	 b = BUF_INIT;

	rec_value_text(n, rc, &pr->ref, &b);
	if (b.len > 60) {
		b.len = 60;
		buf_addlit(&b, "...");
	}
	explain_rule(n, rc->r, "match '%s' fails: %.*s is %s", pr->text,
	    (int)pr->ref.len, pr->ref.path, b.p);
	buf_release(&b);
}

void
explain_end(struct norm *n, int events, const char *why)
{
	if (events > 0)
		fprintf(n->explain, "  -> %d event%s by rule '%s'\n", events,
		    events == 1 ? "" : "s", n->rs->rules[n->taken].name);
	else {
		struct buf b = BUF_INIT;
		buf_addf(&b, "  -> rejected: %s", why);
		put_line(n->explain, b.p, b.len);
		buf_release(&b);
	}
}
