/*
 * fuzz.h - what lognorm's libFuzzer harnesses share: cutting an input in
 * two at a separator line, and feeding lines to a normalizer.  Included
 * once by each harness (tests/fuzz/NAME.c); see tests/fuzz/run.
 */
#ifndef LP_FUZZ_H
#define LP_FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "lp.h"
#include "norm.h"

/* Between a configuration (rules, templates) and the lines to read. */
#define FUZZ_SEP	"\n===\n"

/*
 * Cut data[0..n) at the first FUZZ_SEP: the head is returned as a copy of
 * exactly *hn bytes plus a NUL (free it), so that ASan sees any read past
 * its end; the rest is *tail[0..*tn).  No separator: all head.
 */
static inline char *
fuzz_split(const uint8_t *data, size_t n, size_t *hn, const char **tail,
    size_t *tn)
{
	const char	*s = (const char *)data;
	const char	*sep = lp_memmem(s, n, FUZZ_SEP, sizeof(FUZZ_SEP) - 1);

	*hn = sep ? (size_t)(sep - s) : n;
	*tail = sep ? sep + sizeof(FUZZ_SEP) - 1 : s + n;
	*tn = n - (size_t)(*tail - s);
	return xmemdup(s, *hn);
}

/* Each line of text[0..n) as a record, through nm; output discarded. */
static inline void
fuzz_lines(struct norm *nm, const char *text, size_t n)
{
	struct buf	 out = BUF_INIT;
	const char	*p = text, *e = text + n, *nl;
	char		*line;
	long		 no = 0;

	while (p < e) {
		if ((nl = memchr(p, '\n', (size_t)(e - p))) == NULL)
			nl = e;
		/* a copy of its own, so that ASan sees reads past its end */
		line = xmemdup(p, (size_t)(nl - p));
		norm_record(nm, "fuzz", ++no, line, (size_t)(nl - p), &out);
		buf_reset(&out);
		free(line);
		p = nl + 1;
	}
	buf_release(&out);
}

#endif
