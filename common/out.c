/*
 * out.c - buffered record output on fd 1; see out.h.
 */
#include <err.h>
#include <errno.h>
#include <unistd.h>

#include "lp.h"
#include "out.h"

#define OUT_BLOCK	(256 * 1024)

struct buf	out_buf = BUF_INIT;
bool		out_closed;
bool		out_failed;

bool
out_flush(void)
{
	const char	*p = out_buf.p;
	size_t		 n = out_buf.len;
	ssize_t		 w;

	while (n > 0 && !out_closed && !out_failed) {
		if ((w = write(STDOUT_FILENO, p, n)) < 0) {
			if (errno == EINTR)
				continue;
			if (errno == EPIPE)
				out_closed = true;
			else {
				lp_warn("write error on standard output");
				out_failed = true;
			}
			break;
		}
		p += w;
		n -= (size_t)w;
	}
	buf_reset(&out_buf);
	return !out_closed && !out_failed;
}

void
out_wait(void)
{
	out_flush();
}

void
out_commit(void)
{
	if (out_buf.len >= OUT_BLOCK)
		out_flush();
}

bool
out_close(void)
{
	out_flush();
	buf_release(&out_buf);
	return !out_failed;
}
