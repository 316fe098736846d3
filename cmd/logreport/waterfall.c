/*
 * waterfall.c - a trace as the Jaeger and Zipkin trace views draw it: one
 * row per span in tree order, indented under its caller, a bar from its
 * start to its end on the trace's time axis, its checkpoints as marks on
 * the bar.  Each row is a <details> element, so that its checkpoints and
 * failure open with a click and no script; the bar's title says the same
 * on hover.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "html.h"
#include "report.h"

#define MAX_INDENT	12	/* levels drawn; deeper ones say their depth */
#define MAX_WHY		80	/* bytes of a failure reason in a row */

static void
lit(struct buf *b, const char *s)
{
	buf_adds(b, s);
}

/* A step of 1, 2 or 5 times a power of ten giving at most max ticks. */
static double
tick_step(double span, int max)
{
	double	 p = pow(10, floor(log10(span > 0 ? span : 1)));
	static const double m[] = { 0.1, 0.2, 0.5, 1, 2, 5, 10 };
	size_t	 i;

	for (i = 0; i < sizeof(m) / sizeof(m[0]); i++)
		if (span / (m[i] * p) <= max)
			return m[i] * p;
	return 10 * p;
}

static const char *
status_word(enum status s)
{
	return s == ST_FAIL ? "FAILURE" : s == ST_OK ? "SUCCESS" : "no status";
}

static const char *
status_class(enum status s)
{
	return s == ST_FAIL ? "st-fail" : s == ST_OK ? "st-ok" : "st-none";
}

/* The position of time t on an axis from t0 over d ms, in percent. */
static double
pct(int64_t t, int64_t t0, double d)
{
	double	 x = 100.0 * (double)(t - t0) / d;

	return x < 0 ? 0 : x > 100 ? 100 : x;
}

static void
axis(struct buf *b, double d)
{
	double	 step = tick_step(d, 6), x;

	lit(b, "<div class=\"axis\" aria-hidden=\"true\"><span>span</span>"
	    "<span class=\"track\">");
	for (x = 0; x <= d * 1.0001; x += step) {
		buf_addf(b, "<span class=\"tick%s\" style=\"left:%.2f%%\">%s",
		    x + step > d * 1.0001 && x > 0 ? " last" : "",
		    100 * x / d, x > 0 ? "+" : "0");
		if (x > 0)
			fmt_ms(b, x);
		lit(b, "</span>");
	}
	lit(b, "</span><span class=\"took\">duration</span></div>\n");
}

/* What a bar's title says: one line each, plain text (escaped). */
static void
bar_title(struct buf *b, const struct wspan *s, int64_t t0)
{
	struct buf	 t = BUF_INIT;

	buf_adds(&t, s->service ? s->service : "(no service)");
	if (s->name != NULL) {
		buf_addlit(&t, " \xc2\xb7 ");
		buf_adds(&t, s->name);
	}
	buf_addc(&t, '\n');
	if (s->has_start) {
		buf_addlit(&t, "start +");
		fmt_ms(&t, (double)(s->start - t0));
	}
	if (s->has_start && s->has_end) {
		buf_addlit(&t, ", took ");
		fmt_ms(&t, (double)(s->end - s->start));
	} else if (s->has_start)
		buf_addlit(&t, ", no end logged");
	else
		buf_addlit(&t, "no time logged");
	buf_addc(&t, '\n');
	buf_adds(&t, status_word(s->status));
	if (s->reason != NULL) {
		buf_addlit(&t, ": ");
		buf_adds(&t, s->reason);
	}
	html_esc(b, t.p, t.len);
	buf_release(&t);
}

static void
checkpoint_marks(struct buf *b, const struct wspan *s, int64_t t0, double d)
{
	const struct wcp *c;
	struct buf	 t = BUF_INIT;

	for (c = s->cps; c < s->cps + s->ncps; c++) {
		if (!c->has_time)
			continue;
		buf_reset(&t);
		buf_adds(&t, c->checkpoint ? c->checkpoint : "?");
		buf_addlit(&t, " +");
		fmt_ms(&t, (double)(c->time - t0));
		buf_addc(&t, ' ');
		buf_adds(&t, status_word(c->status));
		if (c->reason != NULL) {
			buf_addlit(&t, ": ");
			buf_adds(&t, c->reason);
		}
		buf_addf(b, "<i class=\"cp%s\" style=\"left:%.2f%%\" title=\"",
		    c->status == ST_FAIL ? " f" : "", pct(c->time, t0, d));
		html_esc(b, t.p, t.len);
		lit(b, "\"></i>");
	}
	buf_release(&t);
}

static void
details(struct buf *b, const struct wspan *s, int64_t t0)
{
	const struct wcp *c;

	lit(b, "<div class=\"more\"><p>span <code>");
	html_cstr(b, s->span_id ? s->span_id : "?");
	lit(b, "</code>");
	if (s->parent != NULL) {
		lit(b, ", called by <code>");
		html_cstr(b, s->parent);
		lit(b, "</code>");
		if (s->inferred)
			lit(b, " (inferred from the order in time: this system "
			    "logs no span ids)");
		if (s->orphan)
			lit(b, " <b>which never came</b>: shown under the root");
	}
	if (s->kind != NULL) {
		lit(b, ", kind ");
		html_cstr(b, s->kind);
	}
	lit(b, "</p><p>");
	if (s->has_start) {
		lit(b, "start <time>");
		fmt_time(b, s->start);
		lit(b, "</time> (+");
		fmt_ms(b, (double)(s->start - t0));
		lit(b, ")");
	} else
		lit(b, "no time logged");
	if (s->has_start && s->has_end) {
		lit(b, ", took ");
		fmt_ms(b, (double)(s->end - s->start));
	} else if (s->has_start)
		lit(b, ", its end was not logged (in progress)");
	buf_addf(b, ", <span class=\"%s\">%s</span>", s->status == ST_FAIL ?
	    "fail" : s->status == ST_OK ? "ok" : "none",
	    status_word(s->status));
	if (s->reason != NULL) {
		lit(b, ": <span class=\"fail reason\">");
		html_cstr(b, s->reason);
		lit(b, "</span>");
	}
	lit(b, "</p>");
	if (s->ncps > 0) {
		lit(b, "<table class=\"cps\"><thead><tr><th>time</th><th>+</th>"
		    "<th>checkpoint</th><th>status</th><th>reason</th></tr>"
		    "</thead><tbody>");
		for (c = s->cps; c < s->cps + s->ncps; c++) {
			lit(b, "<tr><td>");
			if (c->has_time)
				fmt_time(b, c->time);
			lit(b, "</td><td class=\"n\">");
			if (c->has_time)
				fmt_ms(b, (double)(c->time - t0));
			lit(b, "</td><td>");
			html_cstr(b, c->checkpoint);
			buf_addf(b, "</td><td class=\"%s\">%s%s</td><td>",
			    c->status == ST_FAIL ? "fail" : "ok",
			    c->status == ST_FAIL ? "\xe2\x9c\x95 " : "",
			    status_word(c->status));
			html_cstr(b, c->reason);
			lit(b, "</td></tr>");
		}
		lit(b, "</tbody></table>");
		if (s->cps_total > s->ncps)
			buf_addf(b, "<p class=\"note\">%zu more checkpoints not "
			    "shown.</p>", s->cps_total - s->ncps);
	}
	lit(b, "</div>");
}

static void
row(struct buf *b, const struct wspan *s, int64_t t0, double d,
    int64_t tend)
{
	double	 left = 0, width = 0;
	int	 depth = s->depth < 0 ? 0 : s->depth;

	buf_addf(b, "<details class=\"span %s\" data-depth=\"%d\" "
	    "data-span-id=\"", status_class(s->status), s->depth);
	html_cstr(b, s->span_id ? s->span_id : "");
	buf_addf(b, "\"><summary><span class=\"name\" style=\"padding-left:"
	    "%.1fem\">", 1.1 * (depth < MAX_INDENT ? depth : MAX_INDENT));
	if (depth >= MAX_INDENT)
		buf_addf(b, "[%d] ", depth);
	if (s->status == ST_FAIL)
		lit(b, "<span class=\"mark fail\">\xe2\x9c\x95</span> ");
	lit(b, "<span class=\"svc\">");
	html_cstr(b, s->service ? s->service : "(no service)");
	lit(b, "</span> ");
	html_esc_max(b, s->name ? s->name : "", s->name ? strlen(s->name) : 0,
	    120);
	if (s->orphan)
		lit(b, " <span class=\"note\">(orphan)</span>");
	if (s->reason != NULL) {
		lit(b, "<span class=\"why\">");
		html_esc_max(b, s->reason, strlen(s->reason), MAX_WHY);
		lit(b, "</span>");
	}
	lit(b, "</span><span class=\"track\">");
	if (s->has_start) {
		left = pct(s->start, t0, d);
		width = pct(s->has_end ? s->end : tend, t0, d) - left;
	}
	buf_addf(b, "<span class=\"bar\" style=\"left:%.2f%%;width:%.2f%%\" "
	    "title=\"", left, width);
	bar_title(b, s, t0);
	lit(b, "\"></span>");
	checkpoint_marks(b, s, t0, d);
	lit(b, "</span><span class=\"took\">");
	if (s->has_start && s->has_end)
		fmt_ms(b, (double)(s->end - s->start));
	else if (s->has_start)
		lit(b, "open");
	else
		lit(b, "\xe2\x80\x94");
	lit(b, "</span></summary>");
	details(b, s, t0);
	lit(b, "</details>\n");
}

void
html_waterfall(struct buf *b, const struct report *r, const struct wtrace *t,
    const char *id)
{
	const struct wspan *s;
	int64_t		 t0, t1;
	size_t		 i;
	bool		 any = false;

	/* the axis: the trace's start and end, widened to every span's */
	t0 = t->has_start ? t->start : 0;
	t1 = t->has_end ? t->end : t0;
	for (s = t->spans; s < t->spans + t->nspans; s++) {
		if (!s->has_start)
			continue;
		if (!any && !t->has_start)
			t0 = t1 = s->start;
		any = true;
		if (s->start < t0)
			t0 = s->start;
		if (s->start > t1)
			t1 = s->start;
		if (s->has_end && s->end > t1)
			t1 = s->end;
	}
	buf_addf(b, "<article class=\"trace %s\" id=\"%s\" data-spans=\"%zu\" "
	    "data-trace-id=\"", status_class(t->status), id, t->nspans);
	html_cstr(b, t->trace_id);
	buf_addf(b, "\"><h3><span class=\"%s\">%s%s</span> trace <code>",
	    t->status == ST_FAIL ? "fail" : t->status == ST_OK ? "ok" : "none",
	    t->status == ST_FAIL ? "\xe2\x9c\x95 " : "",
	    status_word(t->status));
	html_cstr(b, t->trace_id);
	lit(b, "</code>");
	if (t->has_duration) {
		lit(b, " \xc2\xb7 ");
		fmt_ms(b, t->duration);
	}
	lit(b, "</h3><p class=\"meta\">");
	if (t->has_start) {
		lit(b, "started <time>");
		fmt_time(b, t->start);
		lit(b, "</time> \xc2\xb7 ");
	}
	buf_addf(b, "%ld span%s, %ld failed", t->span_count,
	    t->span_count == 1 ? "" : "s", t->error_count);
	if (t->root != NULL) {
		lit(b, " \xc2\xb7 root ");
		html_cstr(b, t->root);
	}
	if (t->correlation_id != NULL && (t->trace_id == NULL ||
	    strcmp(t->correlation_id, t->trace_id) != 0)) {
		lit(b, " \xc2\xb7 correlation id <code>");
		html_cstr(b, t->correlation_id);
		lit(b, "</code>");
	}
	if (t->model != NULL && strcmp(t->model, "checkpoint") == 0)
		lit(b, " \xc2\xb7 one span per system, from its checkpoints");
	if (t->revision > 0)
		buf_addf(b, " \xc2\xb7 revision %ld (updated by late spans)",
		    t->revision);
	lit(b, t->complete ? " \xc2\xb7 complete" :
	    " \xc2\xb7 <b>partial</b>");
	lit(b, "</p>");
	if (t->nproblems > 0) {
		lit(b, "<ul class=\"problems\">");
		for (i = 0; i < t->nproblems; i++) {
			lit(b, "<li>");
			html_cstr(b, t->problems[i]);
			lit(b, "</li>");
		}
		lit(b, "</ul>");
	}
	lit(b, "<div class=\"wf\">\n");
	axis(b, t1 > t0 ? (double)(t1 - t0) : 1);
	for (s = t->spans; s < t->spans + t->nspans; s++)
		row(b, s, t0, t1 > t0 ? (double)(t1 - t0) : 1, t1);
	lit(b, "</div>");
	if (t->span_count > (long)t->nspans)
		buf_addf(b, "<p class=\"note\">%ld more spans not shown (at most "
		    "%d a trace: logreport -S).</p>", t->span_count -
		    (long)t->nspans, r->opts.max_spans);
	lit(b, "</article>\n");
}
