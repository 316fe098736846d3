/*
 * event.c - libFuzzer harness: event_read (common/event.h) on a JSON line;
 * what it accepts must write back as an event it reads again, the same,
 * and an owned copy must write the same.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "event.h"
#include "json.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t n)
{
	struct jdoc	 d = JDOC_INIT, d2 = JDOC_INIT;
	struct buf	 scratch = BUF_INIT, s2 = BUF_INIT;
	struct buf	 why = BUF_INIT, out = BUF_INIT, out2 = BUF_INIT;
	struct event	 ev, ev2, *own;
	/* a copy of its own size, so that ASan sees reads past the end */
	char		*in = xmemdup(data, n);

	if (jdoc_parse(&d, in, n) &&
	    event_read(&d, &ev, &scratch, &why)) {
		event_write(&out, &ev);
		/* the line written is an event, and reads back the same */
		if (!jdoc_parse(&d2, out.p, out.len - 1) ||
		    !event_read(&d2, &ev2, &s2, &why))
			abort();
		event_write(&out2, &ev2);
		if (out2.len != out.len || memcmp(out.p, out2.p, out.len) != 0)
			abort();
		own = event_dup(&ev);
		buf_reset(&out2);
		event_write(&out2, own);
		if (out2.len != out.len || memcmp(out.p, out2.p, out.len) != 0)
			abort();
		event_free(own);
	}
	jdoc_release(&d);
	jdoc_release(&d2);
	free(in);
	buf_release(&scratch);
	buf_release(&s2);
	buf_release(&why);
	buf_release(&out);
	buf_release(&out2);
	return 0;
}
