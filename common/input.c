/*
 * input.c - buffered line reader; see input.h.
 */
#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "input.h"
#include "lp.h"

#define INPUT_BLOCK	(256 * 1024)

bool
input_open(struct input *in, const char *path)
{
	memset(in, 0, sizeof(*in));
	if (strcmp(path, "-") == 0) {
		in->name = "(stdin)";
		in->fd = STDIN_FILENO;
	} else {
		in->name = path;
		if ((in->fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
			return false;
	}
	in->cap = INPUT_BLOCK;
	if ((in->buf = malloc(in->cap)) == NULL)
		err(LP_EXIT_FAIL, "malloc");
	return true;
}

/* Move unread bytes to the front, grow if full, and read more. */
static int
input_fill(struct input *in)
{
	ssize_t	 r;
	char	*p;

	if (in->start > 0) {
		memmove(in->buf, in->buf + in->start, in->end - in->start);
		in->end -= in->start;
		in->start = 0;
	}
	if (in->cap - in->end < INPUT_BLOCK / 2) {
		if (in->cap > SIZE_MAX / 2)
			errx(LP_EXIT_FAIL, "%s: line too long", in->name);
		if ((p = realloc(in->buf, in->cap * 2)) == NULL)
			err(LP_EXIT_FAIL, "realloc");
		in->buf = p;
		in->cap *= 2;
	}
	/* Keep one byte spare so that the caller may NUL-terminate a line. */
	do
		r = read(in->fd, in->buf + in->end, in->cap - in->end - 1);
	while (r < 0 && errno == EINTR);
	if (r < 0)
		return -1;
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
			if (in->start == in->end)
				return -1;
			nl = in->buf + in->end;	/* last line, no newline */
			break;
		}
		scanned = in->end - in->start;
		if (input_fill(in) < 0)
			return -2;
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
