/*
 * input.h - reading lines from the files named on the command line.
 *
 * A struct input reads one file (or standard input for "-") through a large
 * buffer with read(2) and hands out lines of any length, without the
 * newline; a final line without a newline still counts, a "\r" before the
 * newline is dropped, and embedded NUL bytes are kept (the length is what
 * counts).  Line numbers start at 1.  Memory is proportional to the longest
 * line seen.
 */
#ifndef LP_INPUT_H
#define LP_INPUT_H

#include <stdbool.h>
#include <stddef.h>

struct input {
	const char	*name;		/* as given; "-" is shown as "(stdin)" */
	int		 fd;
	char		*buf;
	size_t		 cap;
	size_t		 start;		/* first unread byte */
	size_t		 end;		/* one past the last byte read */
	long		 lineno;	/* number of the line last returned */
	bool		 eof;
};

/*
 * Open path ("-" for standard input).  Returns false with errno set if the
 * file cannot be opened; in->name is set either way, for the message.
 */
bool	input_open(struct input *in, const char *path);

/*
 * Read the next line: *line points at its first byte (valid until the next
 * call) and the length is returned; -1 at end of input, -2 on a read error
 * (errno set).  The byte after the line is writable scratch.
 */
long	input_line(struct input *in, char **line);

/* Close the file (not standard input) and free the buffer. */
void	input_close(struct input *in);

#endif
