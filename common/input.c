/*
 * input.c - buffered line reader; see input.h.
 */
#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <zlib.h>

#include "buf.h"
#include "input.h"
#include "lp.h"

#define INPUT_BLOCK	(256 * 1024)

/* gzip input: compressed bytes read from the file, inflated into in->buf. */
struct gz {
	z_stream	 z;
	unsigned char	*in;		/* compressed bytes not inflated yet */
	size_t		 cap;
	bool		 eof;		/* of the compressed file */
};

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
 * read(2) from in->fd into p[0..n), waiting only after the wait hook has
 * run, and giving up (0, stopped set) when a signal asks to stop.
 * Returns the bytes read, 0 at the end, -1 on an error (errno set).
 */
static ssize_t
raw_read(struct input *in, void *p, size_t n)
{
	ssize_t	 r;

	if (in->may_wait && in->wait != NULL && would_wait(in->fd))
		in->wait();
	for (;;) {
		if (lp_stopped()) {
			in->stopped = true;
			return 0;
		}
		if ((r = read(in->fd, p, n)) >= 0 || errno != EINTR)
			return r;
	}
}

/* Switch to inflating: the bytes in->buf[start..end) are compressed. */
static void
gz_start(struct input *in)
{
	struct gz	*g = xcalloc(1, sizeof(*g));

	g->cap = INPUT_BLOCK;
	g->in = xmalloc(g->cap);
	memcpy(g->in, in->buf + in->start, in->end - in->start);
	g->z.next_in = g->in;
	g->z.avail_in = (uInt)(in->end - in->start);
	/* 15 + 16: a gzip header and trailer around a deflate stream */
	if (inflateInit2(&g->z, 15 + 16) != Z_OK)
		errx(LP_EXIT_FAIL, "%s: zlib: cannot start inflating",
		    in->name);
	in->end = in->start;
	in->gz = g;
}

/*
 * Inflate into in->buf[end..cap-1), reading compressed bytes as needed.
 * Returns the bytes made (0 at the end), or -1 on an error.
 */
static ssize_t
gz_read(struct input *in)
{
	struct gz	*g = in->gz;
	ssize_t		 r;
	int		 zr;

	for (;;) {
		if (g->z.avail_in == 0 && !g->eof) {
			if ((r = raw_read(in, g->in, g->cap)) < 0)
				return -1;
			if (r == 0)
				g->eof = true;
			g->z.next_in = g->in;
			g->z.avail_in = (uInt)r;
		}
		g->z.next_out = (unsigned char *)in->buf + in->end;
		g->z.avail_out = (uInt)(in->cap - in->end - 1);
		zr = inflate(&g->z, Z_NO_FLUSH);
		r = (ssize_t)(in->cap - in->end - 1 - g->z.avail_out);
		if (zr == Z_STREAM_END) {
			/* another member may follow */
			if (g->z.avail_in > 0 || !g->eof)
				inflateReset(&g->z);
			else
				g->eof = true;
		} else if (zr != Z_OK && zr != Z_BUF_ERROR) {
			in->zmsg = g->z.msg ? g->z.msg : "damaged gzip data";
			errno = EIO;
			return r > 0 ? r : -1;
		}
		if (r > 0)
			return r;
		if (g->eof && g->z.avail_in == 0) {
			if (zr != Z_STREAM_END && zr != Z_OK &&
			    !(zr == Z_BUF_ERROR && g->z.total_in == 0)) {
				in->zmsg = "unexpected end of gzip data";
				errno = EIO;
				return -1;
			}
			return 0;
		}
		if (in->stopped)
			return 0;
	}
}

/*
 * Move unread bytes to the front, grow if full, and read more.  Returns 0,
 * or -1 on a read error (errno set).
 */
static int
input_fill(struct input *in)
{
	ssize_t	 r;
	bool	 first = in->end == 0 && in->lineno == 0 && in->gz == NULL;

	if (in->start > 0) {
		memmove(in->buf, in->buf + in->start, in->end - in->start);
		in->end -= in->start;
		in->start = 0;
	}
	if (in->cap - in->end < INPUT_BLOCK / 2) {
		in->buf = xreallocarray(in->buf, in->cap, 2);
		in->cap *= 2;
	}
	/* Keep one byte spare so that the caller may NUL-terminate. */
	if (in->gz != NULL)
		r = gz_read(in);
	else
		r = raw_read(in, in->buf + in->end, in->cap - in->end - 1);
	if (r < 0)
		return -1;
	if (r == 0) {
		in->eof = true;
		return 0;
	}
	in->end += (size_t)r;
	/* The gzip magic at the very start: inflate from here on. */
	if (first && in->end >= 2 && (unsigned char)in->buf[0] == 0x1f &&
	    (unsigned char)in->buf[1] == 0x8b) {
		gz_start(in);
		return input_fill(in);
	}
	return 0;
}

long
input_line_more(struct input *in, char **line)
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
	if (in->gz != NULL) {
		inflateEnd(&in->gz->z);
		free(in->gz->in);
		free(in->gz);
		in->gz = NULL;
	}
	if (in->fd > STDIN_FILENO)
		close(in->fd);
	free(in->buf);
	in->buf = NULL;
}
