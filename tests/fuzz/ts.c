/*
 * ts.c - libFuzzer harness: timestamp parsing (common/ts.h).  The first
 * line of the input is a strptime format for ts_parse_format, the rest a
 * time; the whole input also goes to ts_parse and ts_parse_zone.  What is
 * read must be a time ts_format can write and ts_parse_canonical reads
 * back.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "ts.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static void
check(int64_t ms)
{
	char	 out[TS_LEN + 1];
	int64_t	 back;

	ts_format(ms, out);
	if (!ts_parse_canonical(out, TS_LEN, &back) || back != ms)
		abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t n)
{
	struct ts_opts	 o = { 0, 0 };
	const char	*s = (const char *)data, *nl;
	char		*all, *fmt, *in;
	int64_t		 ms;
	int		 zm;
	size_t		 fn;

	/* copies of their own size, so that ASan sees reads past the end */
	all = xmemdup(s, n);
	if (n > 0)
		o.zone_min = (int)(data[0] % 61) - 30;
	if (ts_parse(all, n, &o, &ms))
		check(ms);
	if (ts_parse_zone(all, n, &zm) && (zm < -24 * 60 || zm > 24 * 60))
		abort();
	free(all);
	if ((nl = memchr(s, '\n', n)) != NULL &&
	    memchr(s, '\0', (size_t)(nl - s)) == NULL) {
		fn = (size_t)(nl - s);
		fmt = xmemdup(s, fn);
		in = xmemdup(nl + 1, n - fn - 1);
		if (ts_parse_format(in, n - fn - 1, fmt, &o, &ms))
			check(ms);
		free(fmt);
		free(in);
	}
	return 0;
}
