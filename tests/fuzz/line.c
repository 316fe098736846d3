/*
 * line.c - libFuzzer harness: input lines through lognorm's built-in
 * rules (JSON, kcat envelopes, text), with templates.  See tests/fuzz/run.
 */
#include <stdint.h>
#include <stdlib.h>

#include "fuzz.h"
#include "reject.h"
#include "rule.h"
#include "tmpl.h"

static const char builtin_rules[] =
#include "builtin_rules.h"
    ;
static const char templates[] = "EventId,EventTemplate\n"
    "E1,<*> ORDER: <*>\nE2,PAYMENTS <*>\nE3,<*> - FAILURE <*>\n";

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t n)
{
	static struct ruleset	 rs = RULESET_INIT;
	static struct tmpl	 tp = TMPL_INIT;
	static struct reject	 rej;
	static bool		 ready;
	struct ts_opts		 tso = { 2025, 0 };
	struct norm		 nm;
	struct buf		 msg = BUF_INIT;

	if (!ready) {
		if (!ruleset_add_text(&rs, "(built-in)", builtin_rules,
		    sizeof(builtin_rules) - 1, true, &msg) ||
		    !tmpl_load_text(&tp, "t.csv", templates,
		    sizeof(templates) - 1, &msg) ||
		    !reject_open(&rej, "fuzz", "/dev/null"))
			abort();
		ruleset_finish(&rs);
		ready = true;
	}
	norm_init(&nm, &rs, &tso, &tp, &rej);
	fuzz_lines(&nm, (const char *)data, n);
	norm_release(&nm);
	buf_release(&msg);
	return 0;
}
