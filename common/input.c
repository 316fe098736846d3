/*
 * input.c - buffered line reader; see input.h.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "buf.h"
#include "input.h"
#include "lp.h"

#define INPUT_BLOCK	(256 * 1024)

bool
input_open(struct input *in, const char *path)
{
	struct stat	 st;

	memset(in, 0, sizeof(*in));
	if (strcmp(path, "-") == 0) {
		in->name = "(stdin)";
		in->fd = STDIN_FILENO;
	} else {
		in->name = path;
		if ((in->fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
			return false;
	}
	in->may_wait = fstat(in->fd, &st) != 0 || !S_ISREG(st.st_mode);
	in->cap = INPUT_BLOCK;
	in->buf = xmalloc(in->cap);
	return true;
}

/* Whether a read of fd would wait: no data ready yet. */
static bool
would_wait(int fd)
{
	struct pollfd	 pfd = { fd, POLLIN, 0 };

	return poll(&pfd, 1, 0) == 0;
}

/*
 * Move unread bytes to the front, grow if full, and read more.  Returns 0,
 * or -1 on a read error (errno set).
 */
static int
input_fill(struct input *in)
{
	ssize_t	 r;

	if (in->start > 0) {
		memmove(in->buf, in->buf + in->start, in->end - in->start);
		in->end -= in->start;
		in->start = 0;
	}
	if (in->cap - in->end < INPUT_BLOCK / 2) {
		in->buf = xreallocarray(in->buf, in->cap, 2);
		in->cap *= 2;
	}
	if (in->may_wait && in->wait != NULL && would_wait(in->fd))
		in->wait();
	for (;;) {
		if (lp_stopped()) {
			in->stopped = in->eof = true;
			return 0;
		}
		/* Keep one byte spare so that the caller may NUL-terminate. */
		r = read(in->fd, in->buf + in->end, in->cap - in->end - 1);
		if (r >= 0)
			break;
		if (errno != EINTR)
			return -1;
	}
	if (r == 0)
		in->eof = true;
	in->end += (size_t)r;
	return 0;
}

long
input_line(struct input *in, char **line)
{
	char	*nl;
	size_t	 scanned = 0, len;

	for (;;) {
		nl = memchr(in->buf + in->start + scanned, '\n',
		    in->end - in->start - scanned);
		if (nl != NULL)
			break;
		if (in->eof) {
			if (in->start == in->end) {
				if (in->error == 0)
					return -1;
				errno = in->error;
				return -2;
			}
			nl = in->buf + in->end;	/* last line, no newline */
			break;
		}
		scanned = in->end - in->start;
		if (input_fill(in) < 0) {
			/* Hand out what was read; report the error next. */
			in->error = errno;
			in->eof = true;
		}
	}
	*line = in->buf + in->start;
	len = (size_t)(nl - *line);
	in->start += len + (nl < in->buf + in->end);
	if (len > 0 && (*line)[len - 1] == '\r')
		len--;
	in->lineno++;
	return (long)len;
}

void
input_close(struct input *in)
{
	if (in->fd > STDIN_FILENO)
		close(in->fd);
	free(in->buf);
	in->buf = NULL;
}
