/*
 * oldpass - the read -> write pass as it was before the record layer
 * (commit 60f89a7): getline, jdoc_parse, event_read, event_write.  The
 * "before" row of the README's record-layer figures; not built by make.
 * To run it against that commit's library:
 *
 *	git worktree add /tmp/old 60f89a7 && make -C /tmp/old
 *	cc -O2 -D_GNU_SOURCE -std=c11 -I/tmp/old/common -I/tmp/old/build \
 *	    -o oldpass scripts/bench/oldpass.c /tmp/old/build/liblogproc.a \
 *	    -lpcre2-8 -ljq -lz -lm
 *	./oldpass < events.ndjson > /dev/null	(beside build/tests/evpass)
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "buf.h"
#include "event.h"
#include "json.h"

int
main(void)
{
	struct jdoc	 d;
	struct event	 ev;
	struct buf	 attrs = BUF_INIT, source = BUF_INIT, out = BUF_INIT;
	const char	*why;
	char		*line = NULL;
	size_t		 cap = 0;
	ssize_t		 n;

	memset(&d, 0, sizeof(d));
	while ((n = getline(&line, &cap, stdin)) > 0) {
		if (line[n - 1] == '\n')
			n--;
		buf_reset(&attrs);
		buf_reset(&source);
		if (!jdoc_parse(&d, line, (size_t)n) ||
		    !event_read(&d, &ev, &attrs, &source, &why))
			continue;
		event_write(&out, &ev);
		if (out.len > 65536) {
			fwrite(out.p, 1, out.len, stdout);
			buf_reset(&out);
		}
	}
	fwrite(out.p, 1, out.len, stdout);
	return 0;
}
