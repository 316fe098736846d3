/*
 * input.h - reading lines from the files named on the command line.
 *
 * A struct input reads one file (or standard input for "-") through a large
 * buffer with read(2) and hands out lines of any length, without the
 * newline; a final line without a newline still counts, a "\r" before the
 * newline is dropped, and embedded NUL bytes are kept (the length is what
 * counts).  Line numbers start at 1.  Memory is proportional to the longest
 * line seen.
 *
 * Compressed input: a file (or standard input) that starts with the gzip
 * magic bytes is inflated as it is read, whatever its name, so rotated
 * logs (app.log.1.gz) and `zcat`-less pipes read as plain text; several
 * gzip members one after another (as `cat a.gz b.gz` makes) are one
 * input.
 *
 * Streaming: before a read(2) that would wait (a pipe or terminal with no
 * data ready) the wait hook is called, so that a filter flushes its output
 * while its input is idle; a regular file never waits, so reading one runs
 * at full-buffer speed.  A SIGINT or SIGTERM (lp.h) ends the input as if it
 * had reached its end, with stopped set.
 */
#ifndef LP_INPUT_H
#define LP_INPUT_H

#include <stdbool.h>
#include <stddef.h>
#include <string.h>

struct input {
	const char	*name;		/* as given; "-" is shown as "(stdin)" */
	int		 fd;
	bool		 may_wait;	/* not a regular file: reads can block */
	void		(*wait)(void);	/* called before a read that would
					   block; NULL: none */
	char		*buf;
	size_t		 cap;
	size_t		 start;		/* first unread byte */
	size_t		 end;		/* one past the last byte read */
	long		 lineno;	/* number of the line last returned */
	bool		 eof;
	bool		 stopped;	/* a signal ended the input */
	int		 error;		/* errno of a failed read, or 0 */
	int		 zerror;	/* a damaged gzip stream: EIO, and the
					   zlib message in zmsg */
	const char	*zmsg;
	struct gz	*gz;		/* gzip input, or NULL */
};

/*
 * Open path ("-" for standard input).  Returns false with errno set if the
 * file cannot be opened; in->name is set either way, for the message.
 */
bool	input_open(struct input *in, const char *path);

/* input_line when the buffer holds no whole line: reads more. */
long	input_line_more(struct input *in, char **line);

/*
 * Read the next line: *line points at its first byte (valid until the next
 * call) and the length is returned; -1 at end of input (or when stopped),
 * -2 on a read error (errno set, and for a damaged gzip stream EIO with
 * in->zmsg saying what; the bytes of a partial last line are then
 * returned first, as a line).  The byte after the line is writable scratch.
 *
 * Inline for a line already whole in the buffer, nearly every line: the
 * call and its return cost a fifth of reading a line.
 */
static inline long
input_line(struct input *in, char **line)
{
	char	*p = in->buf + in->start, *nl;
	size_t	 len;

	if (in->start < in->end &&
	    (nl = memchr(p, '\n', in->end - in->start)) != NULL) {
		*line = p;
		len = (size_t)(nl - p);
		in->start += len + 1;
		if (len > 0 && p[len - 1] == '\r')
			len--;
		in->lineno++;
		return (long)len;
	}
	return input_line_more(in, line);
}

/* Close the file (not standard input) and free the buffer. */
void	input_close(struct input *in);

#endif
