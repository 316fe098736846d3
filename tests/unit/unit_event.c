/*
 * unit_event.c - events read, written and copied; attrs and source as
 * data.
 */
#include <stdio.h>
#include <string.h>

#include "attrs.h"
#include "buf.h"
#include "event.h"
#include "json.h"
#include "source.h"

#include "tap.h"
#include "unit.h"

/* What lognorm writes, event_read() reads back and event_write() writes
 * again byte for byte: the contract the later stages rely on. */
void
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
void
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

void
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

void
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
