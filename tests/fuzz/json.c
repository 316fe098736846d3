/*
 * json.c - libFuzzer harness: jdoc_parse() (common/json.c) against the
 * reference tokenizer (tests/unit/json_ref.c), the differential test of
 * tests/unit/json_diff.c on inputs that libFuzzer makes.  The input is one
 * document, parsed from a copy of exactly its size (so that ASan sees a
 * read past its end), by the reference and then by jdoc_parse with each
 * classifier of jscan.h this machine runs; any difference in the verdict,
 * the error and its position, the number of tokens or any token aborts.
 * The token storage is kept from one input to the next, as the commands
 * keep it from one line to the next.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "jscan.h"
#include "json.h"
#include "json_ref.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static struct jdoc	 dn = JDOC_INIT, dr = JDOC_INIT;

static void
same(const struct jdoc *a, bool ra, const struct jdoc *b, bool rb)
{
	uint32_t	 i;

	if (ra != rb || a->n != b->n)
		abort();
	if (!ra) {
		if (strcmp(a->err, b->err) != 0 || a->errpos != b->errpos)
			abort();
		return;
	}
	for (i = 0; i < a->n; i++)
		if (a->t[i].type != b->t[i].type ||
		    a->t[i].flags != b->t[i].flags ||
		    a->t[i].start != b->t[i].start ||
		    a->t[i].end != b->t[i].end ||
		    a->t[i].next != b->t[i].next ||
		    a->t[i].count != b->t[i].count)
			abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t n)
{
	static const enum jscan_impl impls[] = {
		JSCAN_AUTO, JSCAN_AVX2, JSCAN_SSE2, JSCAN_SCALAR
	};
	char	*s = xmalloc(n > 0 ? n : 1);
	bool	 rr, rn;
	size_t	 i;

	if (n > 0)
		memcpy(s, data, n);
	rr = jref_parse(&dr, s, n);
	for (i = 0; i < sizeof(impls) / sizeof(impls[0]); i++) {
		if (!jscan_use(impls[i]))
			continue;
		rn = jdoc_parse(&dn, s, n);
		same(&dn, rn, &dr, rr);
	}
	jscan_use(JSCAN_AUTO);
	free(s);
	return 0;
}
