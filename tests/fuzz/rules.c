/*
 * rules.c - libFuzzer harness: a rule file, then "\n===\n", then lines
 * read with it.  Rule files are input too: every error must be a message,
 * never a crash, a leak or a read out of bounds.  Rule files with a jq
 * program are skipped: libjq 1.6's own faults are not lognorm's to find,
 * and a jq program can run forever (lognorm's watchdog, not the fuzzer,
 * deals with that).
 */
#include <stdint.h>
#include <stdlib.h>

#include "fuzz.h"
#include "reject.h"
#include "rule.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t n)
{
	static struct reject	 rej;
	static bool		 ready;
	struct ruleset		 rs = RULESET_INIT;
	struct ts_opts		 tso = { 2025, 60 };
	struct norm		 nm;
	struct buf		 msg = BUF_INIT;
	const char		*lines;
	char			*text;
	size_t			 tn, ln;

	if (!ready) {
		if (!reject_open(&rej, "fuzz", "/dev/null"))
			abort();
		ready = true;
	}
	text = fuzz_split(data, n, &tn, &lines, &ln);
	if (lp_memmem(text, tn, "jq", 2) == NULL &&
	    ruleset_add_text(&rs, "fuzz.rules", text, tn, false, &msg) &&
	    rs.nrules > 0) {
		ruleset_finish(&rs);
		norm_init(&nm, &rs, &tso, NULL, &rej);
		fuzz_lines(&nm, lines, ln);
		norm_release(&nm);
	}
	ruleset_release(&rs);
	free(text);
	buf_release(&msg);
	return 0;
}
