/*
 * spans.c - libFuzzer harness: input lines through lognorm's native span
 * decoders (decode.h), with the rules the shipped otlp.rules,
 * zipkin.rules and jaeger.rules hold.  Every record must end as events or
 * rejects, never a crash, a leak or a read out of bounds, whatever types
 * its members have.  See tests/fuzz/run.
 */
#include <stdint.h>
#include <stdlib.h>

#include "fuzz.h"
#include "reject.h"
#include "rule.h"

/* As rules/otlp.rules, zipkin.rules, jaeger.rules (without comments). */
static const char span_rules[] =
    "[otlp-traces]\nmatch = resourceSpans\ndecode = otlp-traces\n"
    "[otlp-logs]\nmatch = resourceLogs\ndecode = otlp-logs\n"
    "[zipkin-spans]\npriority = -10\ndecode = zipkin\n"
    "[zipkin-span]\nmatch = traceId\nmatch = id\nmatch = localEndpoint\n"
    "decode = zipkin-span\n"
    "[jaeger-traces]\nmatch = data\ndecode = jaeger\n"
    "[jaeger-trace]\nmatch = traceID\nmatch = spans\nmatch = processes\n"
    "decode = jaeger-trace\n";

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t n)
{
	static struct ruleset	 rs = RULESET_INIT;
	static struct reject	 rej;
	static bool		 ready;
	struct ts_opts		 tso = { 2025, 0 };
	struct norm		 nm;
	struct buf		 msg = BUF_INIT;

	if (!ready) {
		if (!ruleset_add_text(&rs, "spans.rules", span_rules,
		    sizeof(span_rules) - 1, false, &msg) ||
		    !reject_open(&rej, "fuzz", "/dev/null"))
			abort();
		ruleset_finish(&rs);
		ready = true;
	}
	norm_init(&nm, &rs, &tso, NULL, &rej);
	fuzz_lines(&nm, (const char *)data, n);
	norm_release(&nm);
	buf_release(&msg);
	return 0;
}
