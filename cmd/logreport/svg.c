/*
 * svg.c - events over time per system, as small multiples: one strip per
 * system (the busiest MAX_SERIES, then the rest together), a bar per
 * bucket of time, all on one scale, the failed part of each bar hatched.
 * Strips need no colour key, which keeps the chart readable for
 * colour-blind readers and on a black-and-white printer.
 */
#include <stdio.h>
#include <string.h>

#include "html.h"
#include "report.h"
#include "ts.h"

#define LABEL_W	180.0	/* the names' column */
#define PLOT_W	760.0
#define ROW_H	40.0
#define BAR_MAX	28.0
#define AXIS_H	26.0
#define WIDTH	(LABEL_W + PLOT_W + 12)

static void
lit(struct buf *b, const char *s)
{
	buf_adds(b, s);
}

/* A bucket's start, as short as its width allows. */
static void
tick_label(struct buf *b, int64_t t, int64_t w, bool full)
{
	char	 ts[TS_LEN + 1];

	ts_format(t, ts);
	if (w >= 86400000)
		buf_add(b, ts, 10);			/* 2025-05-04 */
	else if (full) {
		buf_add(b, ts + 5, 5);			/* 05-05 */
		buf_addc(b, ' ');
		buf_add(b, ts + 11, w < 1000 ? 12 : w < 60000 ? 8 : 5);
	} else
		buf_add(b, ts + 11, w < 1000 ? 12 : w < 60000 ? 8 : 5);
}

static void
count_txt(struct buf *b, unsigned long n)
{
	char	 d[32];
	int	 len, i;

	len = snprintf(d, sizeof(d), "%lu", n);
	for (i = 0; i < len; i++) {
		if (i > 0 && (len - i) % 3 == 0)
			buf_addc(b, ',');
		buf_addc(b, d[i]);
	}
}

void
svg_chart(struct buf *b, const struct report *r)
{
	const struct series *s;
	const char	*what = r->chart_what;
	unsigned long	 max = 1;
	double		 bw, gap, h, hf, x, y0, height;
	int64_t		 t;
	char		 day[11] = "", ts[TS_LEN + 1];
	int		 i, k, every;

	for (i = 0; i < r->nseries; i++)
		for (k = 0; k < r->nbuckets; k++)
			if (r->series[i].n[k] > max)
				max = r->series[i].n[k];
	bw = PLOT_W / r->nbuckets;
	gap = bw > 4 ? 1 : 0;
	height = r->nseries * ROW_H + AXIS_H + 4;
	buf_addf(b, "<figure class=\"chart\"><svg id=\"chart\" viewBox=\"0 0 %.0f "
	    "%.0f\" role=\"img\" aria-label=\"%s over time per system\" "
	    "font-size=\"12\">", WIDTH, height, what);
	lit(b, "<defs><pattern id=\"hatch-fail\" width=\"4\" height=\"4\" "
	    "patternUnits=\"userSpaceOnUse\" patternTransform=\"rotate(45)\">"
	    "<rect width=\"4\" height=\"4\" fill=\"#f2a36b\"/><rect width=\"2.2\" "
	    "height=\"4\" fill=\"#D55E00\"/></pattern></defs>");
	for (i = 0; i < r->nseries; i++) {
		s = &r->series[i];
		y0 = 4 + (i + 1) * ROW_H - 6;
		lit(b, "<g class=\"series\" data-name=\"");
		html_cstr(b, s->name ? s->name : "(other)");
		buf_addf(b, "\" data-total=\"%lu\"><text x=\"0\" y=\"%.1f\" "
		    "font-weight=\"600\">", s->total, y0 - 14);
		if (s->name != NULL)
			html_esc_max(b, s->name, strlen(s->name), 26);
		else
			lit(b, "(other systems)");
		buf_addf(b, "</text><text x=\"0\" y=\"%.1f\" fill=\"#4d4d4d\" "
		    "font-size=\"11\">", y0);
		count_txt(b, s->total);
		buf_addf(b, " %.*s", (int)strlen(what) - (s->total == 1), what);
		if (s->failed > 0) {
			lit(b, ", ");
			count_txt(b, s->failed);
			lit(b, " failed");
		}
		buf_addf(b, "</text><line x1=\"%.1f\" x2=\"%.1f\" y1=\"%.1f\" "
		    "y2=\"%.1f\" stroke=\"#bbb\"/>", LABEL_W, LABEL_W + PLOT_W,
		    y0 + 0.5, y0 + 0.5);
		for (k = 0; k < r->nbuckets; k++) {
			if (s->n[k] == 0)
				continue;
			x = LABEL_W + k * bw;
			h = BAR_MAX * (double)s->n[k] / (double)max;
			if (h < 1)
				h = 1;
			hf = BAR_MAX * (double)s->f[k] / (double)max;
			if (s->f[k] > 0 && hf < 1)
				hf = 1;
			lit(b, "<g><title>");
			html_cstr(b, s->name ? s->name : "other systems");
			t = (r->bucket_lo + k) * r->bucket_ms;
			ts_format(t, ts);
			lit(b, ", from ");
			buf_add(b, ts, TS_LEN - 1);
			lit(b, ": ");
			count_txt(b, s->n[k]);
			buf_addf(b, " %s, ", what);
			count_txt(b, s->f[k]);
			buf_addf(b, " failed</title><rect x=\"%.2f\" y=\"%.2f\" "
			    "width=\"%.2f\" height=\"%.2f\" fill=\"#0072B2\"/>",
			    x, y0 - h, bw - gap, h);
			if (s->f[k] > 0)
				buf_addf(b, "<rect x=\"%.2f\" y=\"%.2f\" width=\"%.2f\" "
				    "height=\"%.2f\" fill=\"url(#hatch-fail)\"/>",
				    x, y0 - hf, bw - gap, hf);
			lit(b, "</g>");
		}
		lit(b, "</g>");
	}
	/* the time axis: at most 8 labels, the date when it changes */
	y0 = 4 + r->nseries * ROW_H;
	every = (r->nbuckets + 7) / 8;
	ts_format((r->bucket_lo) * r->bucket_ms, ts);
	memcpy(day, ts, 10);
	if (r->bucket_ms < 86400000) {
		lit(b, "<text x=\"0\" y=\"");
		buf_addf(b, "%.1f\" font-size=\"11\" fill=\"#333\">", y0 + 15);
		buf_add(b, day, 10);
		lit(b, " (UTC)</text>");
	}
	for (k = 0; k < r->nbuckets; k += every) {
		t = (r->bucket_lo + k) * r->bucket_ms;
		ts_format(t, ts);
		x = LABEL_W + k * bw;
		buf_addf(b, "<line x1=\"%.2f\" x2=\"%.2f\" y1=\"%.1f\" y2=\"%.1f\" "
		    "stroke=\"#4d4d4d\"/><text x=\"%.2f\" y=\"%.1f\" "
		    "font-size=\"11\" fill=\"#333\" text-anchor=\"%s\">", x, x,
		    y0 - 4, y0 + 2, x, y0 + 15, k == 0 ? "start" : "middle");
		tick_label(b, t, r->bucket_ms, memcmp(day, ts, 10) != 0);
		memcpy(day, ts, 10);
		lit(b, "</text>");
	}
	lit(b, "</svg><figcaption class=\"sub\">Each bar: ");
	fmt_ms(b, (double)r->bucket_ms);
	lit(b, " (UTC). One scale for every strip: the tallest bar is ");
	count_txt(b, max);
	buf_addf(b, " %s. The hatched vermillion part: the failed.", what);
	lit(b, "</figcaption></figure>\n");
}
