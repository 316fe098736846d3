/*
 * tmpl.c - libFuzzer harness: a templates CSV, then "\n===\n", then
 * messages classified with it, one a line.
 */
#include <stdint.h>
#include <stdlib.h>

#include "fuzz.h"
#include "tmpl.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t n)
{
	struct tmpl		 tp = TMPL_INIT;
	struct buf		 msg = BUF_INIT;
	const struct tmpl_entry	*te;
	const char		*p, *e, *nl;
	char			*csv, *line;
	size_t			 cn, ln;

	csv = fuzz_split(data, n, &cn, &p, &ln);
	if (tmpl_load_text(&tp, "fuzz.csv", csv, cn, &msg)) {
		for (e = p + ln; p < e; p = nl + 1) {
			if ((nl = memchr(p, '\n', (size_t)(e - p))) == NULL)
				nl = e;
			line = xmemdup(p, (size_t)(nl - p));
			te = tmpl_match(&tp, line, (size_t)(nl - p));
			free(line);
			/* what the event gets must be a whole string */
			if (te != NULL && (strlen(te->id) == 0 ||
			    strlen(te->text) != te->textlen))
				abort();
		}
	} else if (tp.n != 0 || msg.len == 0)
		abort();
	tmpl_release(&tp);
	free(csv);
	buf_release(&msg);
	return 0;
}
