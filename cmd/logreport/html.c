/*
 * html.c - the page: one HTML file with its style and its small script
 * inline, the overview, the failure table, the lists of traces, the edge
 * table and the rejects.  The chart is svg.c's, the waterfalls
 * waterfall.c's, the graph's picture graph.c's.
 *
 * Everything that came from the input goes through html_esc(); the
 * script holds no data (it reads the page), and the page is whole
 * without it: it only sorts, filters, and opens every waterfall row for
 * printing.  Numbers are shown with thousands separators and carried
 * plain in data-v attributes, for the sorting and for the tests.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "html.h"
#include "report.h"

/* The Okabe-Ito palette, which colour-blind readers tell apart; texts
 * in the darker variants for a contrast of at least 4.5:1 on white.
 * Status is never said by colour alone: a failed span's bar is hatched
 * and marked with a cross, an edge's health is in its dash pattern too. */
static const char style[] =
"*{box-sizing:border-box}"
"body{margin:0;font:14px/1.45 system-ui,-apple-system,'Segoe UI',"
"Roboto,'Helvetica Neue',Arial,sans-serif;color:#1a1a1a;background:#fff}"
"header,main,footer{max-width:1200px;margin:0 auto;padding:0 1.2em}"
"header{padding-top:1em;border-bottom:1px solid #ccc}"
"h1{font-size:1.5em;margin:.2em 0}h2{font-size:1.25em;margin:1.6em 0 .5em;"
"border-bottom:2px solid #0072B2;padding-bottom:.15em}"
"h3{font-size:1.05em;margin:1.2em 0 .3em}"
"code,.mono,pre{font-family:ui-monospace,'DejaVu Sans Mono',Menlo,"
"Consolas,monospace;font-size:.92em}"
"nav a{margin-right:1em}a{color:#005a8c}"
".sub{color:#4d4d4d;margin:.2em 0 .6em}"
".counts{display:flex;flex-wrap:wrap;gap:.6em;margin:.8em 0;padding:0}"
".counts div{border:1px solid #ccc;border-radius:6px;padding:.35em .8em;"
"min-width:8.5em}.counts dt{font-size:.8em;color:#4d4d4d}"
".counts dd{margin:0;font-size:1.35em;font-weight:600}"
".counts dd small{font-size:.6em;font-weight:400;color:#4d4d4d}"
"table{border-collapse:collapse;margin:.4em 0 1em;width:100%}"
"th,td{padding:.25em .6em;border-bottom:1px solid #ddd;text-align:left;"
"vertical-align:top;overflow-wrap:anywhere}"
"th{background:#f2f2f2;font-weight:600}"
"td.n,th.n{text-align:right;font-variant-numeric:tabular-nums;"
"white-space:nowrap;overflow-wrap:normal}"
"table.sortable th{cursor:pointer}"
"th[aria-sort=ascending]::after{content:' \\25B2'}"
"th[aria-sort=descending]::after{content:' \\25BC'}"
".share{display:inline-block;height:.7em;background:#D55E00;"
"margin-right:.4em;vertical-align:middle}"
".fail{color:#a33b00}.ok{color:#005a8c}.none{color:#4d4d4d}"
".note{color:#4d4d4d;font-style:italic}"
"#chart,#graph-svg{width:100%;height:auto;display:block}"
".legend svg{vertical-align:middle}"
".chart text,.graph text{font-family:system-ui,Arial,sans-serif}"
".trace{border:1px solid #ccc;border-radius:6px;padding:.4em .8em .6em;"
"margin:.8em 0;break-inside:avoid}"
".trace h3{margin:.2em 0;font-size:1em}.trace .meta{margin:.1em 0 .4em;"
"color:#4d4d4d;font-size:.92em}"
".problems{margin:.2em 0 .5em;padding-left:1.4em;color:#7a4a00}"
".wf{font-size:.9em}"
".wf summary,.wf .axis{display:grid;grid-template-columns:32% 1fr 6.5em;"
"align-items:center;gap:.5em;list-style:none;cursor:pointer;"
"padding:1px 0}.wf summary::-webkit-details-marker{display:none}"
".wf summary:hover{background:#f3f7fb}"
".wf .axis{cursor:default;color:#4d4d4d;font-size:.85em;"
"border-bottom:1px solid #ccc}"
".wf .name{white-space:nowrap;overflow:hidden;text-overflow:ellipsis}"
".wf .name::before{content:'\\25B8';display:inline-block;width:1em;"
"color:#777}.wf details[open]>summary .name::before{content:'\\25BE'}"
".wf .svc{font-weight:600}.wf .why{color:#a33b00;margin-left:.4em}"
".wf .track{position:relative;height:1.25em;background:#f3f3f3}"
".wf .axis .track{height:1.4em;background:none}"
".wf .tick{position:absolute;top:0;transform:translateX(-50%);"
"white-space:nowrap}.wf .tick:first-child{transform:none}"
".wf .tick.last{transform:translateX(-100%)}"
".wf .bar{position:absolute;top:.2em;height:.85em;min-width:2px;"
"border-radius:2px;background:#0072B2}"
".wf .st-fail .bar{background:repeating-linear-gradient(135deg,#D55E00 0,"
"#D55E00 4px,#f2a36b 4px,#f2a36b 6px)}"
".wf .st-none .bar{background:repeating-linear-gradient(135deg,#999 0,"
"#999 3px,#ddd 3px,#ddd 6px)}"
".wf .cp{position:absolute;top:0;width:2px;height:1.25em;"
"background:#1a1a1a;opacity:.55}"
".wf .cp.f{width:0;height:0;background:none;opacity:1;top:.05em;"
"border-left:5px solid transparent;border-right:5px solid transparent;"
"border-top:8px solid #1a1a1a;margin-left:-5px}"
".wf .took{text-align:right;font-variant-numeric:tabular-nums}"
".wf .more{margin:.2em 0 .6em 2em;padding:.3em .6em;border-left:3px solid "
"#ccc;background:#fafafa}.wf .more p{margin:.1em 0}"
".wf .more table{width:auto;font-size:.95em}"
".mark{font-weight:700}"
"#graph .legend span{margin-right:1.2em;white-space:nowrap}"
".rej pre{white-space:pre-wrap;word-break:break-all;background:#f6f6f6;"
"padding:.3em .5em;margin:.2em 0 .6em;max-height:12em;overflow:auto}"
".tools{margin:.3em 0}.tools button,.tools input{font:inherit;"
"margin-right:.5em}"
"footer{color:#4d4d4d;font-size:.85em;border-top:1px solid #ccc;"
"margin-top:2em;padding-top:.5em;padding-bottom:2em}"
"@media print{nav,.tools{display:none}body{font-size:11px}"
"h2{break-after:avoid}a{color:inherit;text-decoration:none}"
".wf summary:hover{background:none}}";

/* Sorting, filtering, opening for print: progressive, and the page says
 * on its root element that the script ran to its end. */
static const char script[] =
"(function(){'use strict';"
"function val(td){var v=td.getAttribute('data-v');"
"return v!==null?parseFloat(v):td.textContent.trim().toLowerCase()}"
"function sortBy(th){var table=th.closest('table'),body=table.tBodies[0],"
"i=Array.prototype.indexOf.call(th.parentNode.children,th),"
"asc=th.getAttribute('aria-sort')==='descending',"
"rows=Array.prototype.slice.call(body.rows);"
"table.querySelectorAll('th').forEach(function(h){"
"h.removeAttribute('aria-sort')});"
"th.setAttribute('aria-sort',asc?'ascending':'descending');"
"rows.sort(function(a,b){var x=val(a.cells[i]),y=val(b.cells[i]);"
"var c=x<y?-1:x>y?1:0;return asc?c:-c});"
"rows.forEach(function(r){body.appendChild(r)})}"
"document.querySelectorAll('table.sortable th').forEach(function(th){"
"th.tabIndex=0;th.addEventListener('click',function(){sortBy(th)});"
"th.addEventListener('keydown',function(e){if(e.key==='Enter')sortBy(th)})"
"});"
"document.querySelectorAll('table.filter').forEach(function(t){"
"var inp=document.createElement('input'),p=document.createElement('p');"
"inp.type='search';inp.placeholder='filter rows';"
"inp.setAttribute('aria-label','filter the rows of the table below');"
"p.className='tools';p.appendChild(inp);t.parentNode.insertBefore(p,t);"
"inp.addEventListener('input',function(){var q=inp.value.toLowerCase();"
"Array.prototype.forEach.call(t.tBodies[0].rows,function(r){"
"r.hidden=q!==''&&r.textContent.toLowerCase().indexOf(q)<0})})});"
"document.querySelectorAll('section.traces').forEach(function(s){"
"if(!s.querySelector('details'))return;"
"var p=document.createElement('p');p.className='tools';"
"[['open every span',true],['close every span',false]].forEach(function(a){"
"var b=document.createElement('button');b.type='button';"
"b.textContent=a[0];b.addEventListener('click',function(){"
"s.querySelectorAll('details').forEach(function(d){d.open=a[1]})});"
"p.appendChild(b)});var h=s.querySelector('h2');"
"h.parentNode.insertBefore(p,h.nextSibling)});"
"var closed=[];window.addEventListener('beforeprint',function(){"
"closed=Array.prototype.filter.call(document.querySelectorAll("
"'.wf details'),function(d){return !d.open});"
"closed.forEach(function(d){d.open=true})});"
"window.addEventListener('afterprint',function(){"
"closed.forEach(function(d){d.open=false});closed=[]});"
"document.documentElement.setAttribute('data-script','ok')})();";

static void
lit(struct buf *b, const char *s)
{
	buf_adds(b, s);
}

/* A count: shown with separators, plain in data-v. */
static void
count_td(struct buf *b, unsigned long long n)
{
	char	 d[32];
	int	 len, i;

	buf_addf(b, "<td class=\"n\" data-v=\"%llu\">", n);
	len = snprintf(d, sizeof(d), "%llu", n);
	for (i = 0; i < len; i++) {
		if (i > 0 && (len - i) % 3 == 0)
			buf_addc(b, ',');
		buf_addc(b, d[i]);
	}
	lit(b, "</td>");
}

static void
count_txt(struct buf *b, unsigned long long n)
{
	char	 d[32];
	int	 len, i;

	len = snprintf(d, sizeof(d), "%llu", n);
	for (i = 0; i < len; i++) {
		if (i > 0 && (len - i) % 3 == 0)
			buf_addc(b, ',');
		buf_addc(b, d[i]);
	}
}

/* A text cell; NULL shows as a dash in grey (and sorts as empty). */
static void
text_td(struct buf *b, const char *s, const char *cls)
{
	if (s == NULL) {
		lit(b, "<td class=\"none\" data-null=\"1\">\xe2\x80\x94</td>");
		return;
	}
	buf_addf(b, "<td%s%s%s>", cls ? " class=\"" : "", cls ? cls : "",
	    cls ? "\"" : "");
	html_cstr(b, s);
	lit(b, "</td>");
}

static void
count_dd(struct buf *b, const char *what, unsigned long long n,
    const char *id)
{
	buf_addf(b, "<div><dt>%s</dt><dd id=\"count-%s\" data-v=\"%llu\">",
	    what, id, n);
	count_txt(b, n);
}

/* ---- the header and the overview ---------------------------------------- */

static void
head(struct buf *b, const struct report *r)
{
	const char *title = r->opts.title ? r->opts.title : "logproc report";

	lit(b, "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
	    "<meta name=\"viewport\" content=\"width=device-width,"
	    "initial-scale=1\"><title>");
	html_cstr(b, title);
	lit(b, "</title><style>");
	lit(b, style);
	lit(b, "</style></head>\n<body>\n<header><h1>");
	html_cstr(b, title);
	lit(b, "</h1><p class=\"sub\">From <code>");
	html_cstr(b, r->source);
	lit(b, "</code>");
	if (r->has_range) {
		lit(b, " \xc2\xb7 data from <time>");
		fmt_time(b, r->first);
		lit(b, "</time> to <time>");
		fmt_time(b, r->last);
		lit(b, "</time>");
	}
	lit(b, " \xc2\xb7 all times are UTC (+00:00)</p>\n<nav>"
	    "<a href=\"#overview\">Overview</a><a href=\"#failures\">Failures"
	    "</a><a href=\"#slowest\">Slowest traces</a><a href=\"#failed\">"
	    "Failed traces</a><a href=\"#graph\">Dependency graph</a>"
	    "<a href=\"#rejects\">Rejects</a></nav></header>\n<main>\n");
}

static void
overview(struct buf *b, const struct report *r)
{
	lit(b, "<section id=\"overview\"><h2>Overview</h2><dl class=\"counts\">");
	count_dd(b, "events", r->events, "events");
	lit(b, "</dd></div>");
	count_dd(b, "traces", r->traces, "traces");
	if (r->traces > 0) {
		lit(b, " <small>");
		count_txt(b, r->traces - (r->partial < r->traces ? r->partial :
		    r->traces));
		lit(b, " complete, ");
		count_txt(b, r->partial);
		lit(b, " partial</small>");
	}
	lit(b, "</dd></div>");
	count_dd(b, "failed traces", r->failed_traces, "failed-traces");
	lit(b, "</dd></div>");
	count_dd(b, "failures", r->failures, "failures");
	buf_addf(b, " <small>from %s</small></dd></div>",
	    r->failures_from ? r->failures_from : "events");
	count_dd(b, "edges", r->nedges + r->edges_hidden, "edges");
	lit(b, "</dd></div>");
	count_dd(b, "rejects", r->rejects, "rejects");
	lit(b, "</dd></div></dl>\n");
	if (r->updates > 0) {
		lit(b, "<p class=\"note\">");
		count_txt(b, r->updates);
		lit(b, " late updates of traces (a trace written again with "
		    "spans that came late) are counted with their trace, as "
		    "first written; the lists show the last.</p>");
	}
	buf_addf(b, "<h3>%s over time, per %s</h3>\n",
	    r->chart_what && strcmp(r->chart_what, "spans") == 0 ?
	    "Spans" : "Events", r->chart_what && strcmp(r->chart_what,
	    "spans") == 0 ? "service" : "system");
	if (r->chart_what == NULL)
		lit(b, "<p class=\"note\">No times to draw.</p>");
	else
		svg_chart(b, r);
	lit(b, "</section>\n");
}

static void
failures(struct buf *b, const struct report *r)
{
	const struct fail_row *f;
	unsigned long	 top = r->nfails > 0 ? r->fails[0].count : 1;

	lit(b, "<section id=\"failures\"><h2>Failures by system and checkpoint"
	    "</h2>");
	if (r->nfails == 0) {
		lit(b, "<p class=\"note\">No failures.</p></section>\n");
		return;
	}
	buf_addf(b, "<p class=\"sub\">Failed checkpoints and spans, with their "
	    "reasons (from the %s), most frequent first.</p>",
	    r->failures_from && strcmp(r->failures_from, "traces") == 0 ?
	    "traces' failures" : "failed events; reasons in separate error "
	    "lines joined by logjoin or, in a database, the nearest one");
	lit(b, "<table id=\"failure-table\" class=\"sortable filter\"><thead>"
	    "<tr><th>System</th><th>Checkpoint</th><th>Reason</th>"
	    "<th class=\"n\">Failures</th></tr></thead><tbody>\n");
	for (f = r->fails; f < r->fails + r->nfails; f++) {
		lit(b, "<tr>");
		text_td(b, f->system, NULL);
		text_td(b, f->checkpoint, NULL);
		text_td(b, f->reason, "fail");
		buf_addf(b, "<td class=\"n\" data-v=\"%lu\"><span class=\"share\" "
		    "style=\"width:%.1fem\"></span>", f->count,
		    4.0 * (double)f->count / (double)top);
		count_txt(b, f->count);
		lit(b, "</td></tr>\n");
	}
	lit(b, "</tbody></table>");
	if (r->fails_hidden > 0) {
		lit(b, "<p class=\"note\">");
		count_txt(b, r->fails_hidden);
		lit(b, " more rows (");
		count_txt(b, r->fails_hidden_count);
		lit(b, " failures) not shown.</p>");
	}
	lit(b, "</section>\n");
}

static void
trace_list(struct buf *b, const struct report *r, const char *id,
    const char *title, const struct wtrace *t, size_t n, const char *what)
{
	char	 eid[64];
	size_t	 i;

	buf_addf(b, "<section id=\"%s\" class=\"traces\"><h2>%s</h2>", id,
	    title);
	if (n == 0) {
		buf_addf(b, "<p class=\"note\">No %s.</p></section>\n", what);
		return;
	}
	buf_addf(b, "<p class=\"sub\">%s One row per span, indented under its "
	    "caller, on the trace's time axis; open a row for its checkpoints "
	    "and failure. Blue: succeeded; vermillion, hatched, "
	    "\xe2\x9c\x95: failed; grey, hatched: no status (in progress). "
	    "\xe2\x96\xbc on a bar: a failed checkpoint; | another "
	    "checkpoint.</p>\n", strcmp(id, "slowest") == 0 ?
	    "The slowest traces, slowest first." :
	    "The latest failed traces, latest first.");
	for (i = 0; i < n; i++) {
		snprintf(eid, sizeof(eid), "%s-%zu", id, i + 1);
		html_waterfall(b, r, &t[i], eid);
	}
	lit(b, "</section>\n");
}

/* ---- the graph -------------------------------------------------------- */

static void
lat_td(struct buf *b, const struct edge_row *e, double v)
{
	if (!e->has_lat) {
		lit(b, "<td class=\"n none\" data-v=\"-1\">\xe2\x80\x94</td>");
		return;
	}
	buf_addf(b, "<td class=\"n\" data-v=\"%.3f\">%s", v,
	    e->windows > 1 ? "\xe2\x89\xa4\xc2\xa0" : "");
	fmt_ms(b, v);
	lit(b, "</td>");
}

static void
graph(struct buf *b, const struct report *r)
{
	const struct edge_row *e;
	size_t		 i;
	bool		 windows = false;

	lit(b, "<section id=\"graph\"><h2>Dependency graph</h2>");
	if (r->nedges == 0) {
		lit(b, "<p class=\"note\">No edge records (depgraph's): no graph."
		    "</p></section>\n");
		return;
	}
	for (i = 0; i < r->nedges; i++)
		windows |= r->edges[i].windows > 1;
	if (r->graph_svg != NULL) {
		lit(b, "<figure class=\"graph\">");
		lit(b, r->graph_svg);
		lit(b, "<figcaption class=\"legend\">"
		    "<span><svg width=\"36\" height=\"10\"><line x1=\"0\" "
		    "y1=\"5\" x2=\"36\" y2=\"5\" stroke=\"#0072B2\" "
		    "stroke-width=\"2\"/></svg> errors below 1%</span>"
		    "<span><svg width=\"36\" height=\"10\"><line x1=\"0\" "
		    "y1=\"5\" x2=\"36\" y2=\"5\" stroke=\"#E69F00\" "
		    "stroke-width=\"2\" stroke-dasharray=\"7 3\"/></svg> 1% to "
		    "10%</span><span><svg width=\"36\" height=\"10\"><line "
		    "x1=\"0\" y1=\"5\" x2=\"36\" y2=\"5\" stroke=\"#D55E00\" "
		    "stroke-width=\"2.5\" stroke-dasharray=\"2 2\"/></svg> 10% "
		    "and more</span><span>line width: calls</span>"
		    "<span>laid out by Graphviz dot</span></figcaption></figure>");
	} else
		buf_addf(b, "<p class=\"note\" id=\"graph-note\">The graph is "
		    "not drawn: %s. The edges are in the table below.</p>",
		    r->graph_note ? r->graph_note : "no layout");
	if (r->ncycles > 0) {
		lit(b, "<h3>Cycles</h3><ul class=\"cycles\">");
		for (i = 0; i < r->ncycles; i++) {
			lit(b, "<li>");
			html_cstr(b, r->cycles[i]);
			lit(b, "</li>");
		}
		lit(b, "</ul>");
	}
	lit(b, "<h3>Edges</h3><p class=\"sub\">Caller to callee; latencies "
	    "in milliseconds over the calls whose duration is known.");
	if (windows)
		lit(b, " Edges given per window of time are added up; their "
		    "percentiles (\xe2\x89\xa4) are the largest of the windows', "
		    "which the percentile of all calls does not exceed.");
	lit(b, " Click a column to sort.</p><table id=\"edge-table\" "
	    "class=\"sortable filter\"><thead><tr><th>Caller</th>"
	    "<th>Callee</th><th class=\"n\">Calls</th><th class=\"n\">Errors"
	    "</th><th class=\"n\">Error rate</th><th class=\"n\">avg</th>"
	    "<th class=\"n\">p50</th><th class=\"n\">p95</th><th class=\"n\">"
	    "p99</th><th class=\"n\">max</th></tr></thead><tbody>\n");
	for (e = r->edges; e < r->edges + r->nedges; e++) {
		double rate = e->calls > 0 ? (double)e->errors /
		    (double)e->calls : 0;

		lit(b, "<tr>");
		text_td(b, e->source, NULL);
		text_td(b, e->target, NULL);
		count_td(b, e->calls);
		count_td(b, e->errors);
		buf_addf(b, "<td class=\"n%s\" data-v=\"%.6f\">%.1f%%</td>",
		    rate >= 0.10 ? " fail" : "", rate, 100 * rate);
		if (!e->has_lat || e->avg <= 0)
			lit(b, "<td class=\"n none\" data-v=\"-1\">"
			    "\xe2\x80\x94</td>");
		else {
			buf_addf(b, "<td class=\"n\" data-v=\"%.3f\">", e->avg);
			fmt_ms(b, e->avg);
			lit(b, "</td>");
		}
		lat_td(b, e, e->p50);
		lat_td(b, e, e->p95);
		lat_td(b, e, e->p99);
		lat_td(b, e, e->max);
		lit(b, "</tr>\n");
	}
	lit(b, "</tbody></table>");
	if (r->edges_hidden > 0) {
		lit(b, "<p class=\"note\">");
		count_txt(b, r->edges_hidden);
		lit(b, " more edges, fewer calls each, not shown.</p>");
	}
	lit(b, "</section>\n");
}

/* ---- the rejects --------------------------------------------------------- */

static void
rejects(struct buf *b, const struct report *r)
{
	const struct reject_class *c;
	const struct reject_ex *x;
	int	 i;

	lit(b, "<section id=\"rejects\" class=\"rej\"><h2>Rejects</h2>");
	if (r->nrcl == 0)
		lit(b, "<p class=\"note\">No reject records.</p>");
	else {
		lit(b, "<p class=\"sub\">Lines the tools could not use, by "
		    "reason, with the first few of each as they were read."
		    "</p><table id=\"reject-table\"><thead><tr><th>Reason</th>"
		    "<th class=\"n\">Rejects</th></tr></thead><tbody>");
		for (c = r->rcl; c < r->rcl + r->nrcl; c++) {
			lit(b, "<tr>");
			text_td(b, c->name[0] ? c->name : "(no reason)", NULL);
			count_td(b, c->count);
			lit(b, "</tr>");
		}
		lit(b, "</tbody></table>");
		if (r->rcl_hidden > 0) {
			lit(b, "<p class=\"note\">");
			count_txt(b, r->rcl_hidden);
			lit(b, " rejects of other reasons not shown.</p>");
		}
		for (c = r->rcl; c < r->rcl + r->nrcl; c++) {
			lit(b, "<h3>");
			html_cstr(b, c->name[0] ? c->name : "(no reason)");
			lit(b, "</h3>");
			for (i = 0; i < c->nex; i++) {
				x = &c->ex[i];
				lit(b, "<p class=\"sub\">");
				html_cstr(b, x->tool ? x->tool : "?");
				lit(b, ": <code>");
				html_cstr(b, x->input ? x->input : "?");
				buf_addf(b, ":%ld</code>: ", x->line);
				html_cstr(b, x->reason);
				lit(b, "</p><pre class=\"raw\">");
				html_cstr(b, x->raw);
				if (x->cut)
					lit(b, "\xe2\x80\xa6 (cut)");
				lit(b, "</pre>");
			}
		}
	}
	if (r->own_rejects > 0) {
		lit(b, "<p class=\"note\" id=\"own-rejects\">logreport itself "
		    "rejected ");
		count_txt(b, r->own_rejects);
		lit(b, " records of its input (see its standard error or its "
		    "-x file).</p>");
	}
	lit(b, "</section>\n");
}

void
html_write(struct buf *b, const struct report *r)
{
	head(b, r);
	overview(b, r);
	failures(b, r);
	trace_list(b, r, "slowest", "Slowest traces", r->slow, r->nslow,
	    "traces with a duration");
	trace_list(b, r, "failed", "Failed traces", r->failed, r->nfailed,
	    "failed traces");
	graph(b, r);
	rejects(b, r);
	lit(b, "</main>\n<footer>Made by logreport, of logproc "
	    "(man 1 logreport). The page holds everything it shows: no "
	    "network, no script needed.</footer>\n<script>");
	lit(b, script);
	lit(b, "</script>\n</body></html>\n");
}
