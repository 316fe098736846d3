/*
 * reader.h - the record reader: the loop every filter's main() runs.
 *
 * It walks the inputs named on the command line (standard input when
 * none, "-" for standard input), hands out one record per non-blank line,
 * and takes care of what every filter would otherwise do on its own:
 *
 *   - blank lines are skipped and counted;
 *   - each line is parsed as JSON; what is not a JSON object with a
 *     string "type" goes to the reject stream with input, line and reason
 *     ("invalid JSON: expected ':' at byte 17"), and is counted;
 *   - the record's type is looked up (enum rtype) for the filter to
 *     dispatch on;
 *   - an input that cannot be opened or read is reported and the status
 *     set to LP_EXIT_FAIL, and the next input is read;
 *   - output is flushed whenever the next read would wait (streaming,
 *     input.h), and reading ends early when stdout is closed or failed, a
 *     reject cannot be written, or SIGINT/SIGTERM asked to stop (lp.h);
 *   - a progress line on a terminal (lp.h).
 *
 * A filter's main() then reads as: options; reader_init; while
 * (reader_next) handle the record; flush its state; summary; exit status.
 *
 *	struct reader rd;
 *	struct record rec;
 *	reader_init(&rd, "tool", files, &rej, 0);
 *	while (reader_next(&rd, &rec))
 *		switch (rec.type) { ... reader_reject(&rd, &rec, "why"); }
 *	reader_release(&rd);
 */
#ifndef LP_READER_H
#define LP_READER_H

#include <stdbool.h>
#include <stddef.h>

#include "input.h"
#include "json.h"
#include "reject.h"

/* The record types of logproc(7). */
enum rtype {
	RT_EVENT, RT_TRACE, RT_SPAN, RT_EDGE, RT_SERVICE, RT_CYCLE,
	RT_REJECT, RT_COMMIT, RT_OTHER, RT_NTYPES
};

/* "event", ...; index by enum rtype ("other" for RT_OTHER). */
extern const char *const rtype_name[RT_NTYPES];

struct record {
	const char	*input;		/* the input's name, for messages */
	long		 line;		/* its line number, from 1 */
	char		*text;		/* the line, without its newline; valid
					   until the next reader_next() */
	size_t		 len;
	const struct jdoc *doc;		/* the parsed object (token 0);
					   NULL with READER_LINES */
	enum rtype	 type;
	unsigned	 input_no;	/* which input, from 0 */
};

#define READER_LINES	0x01	/* hand out lines as they are: no JSON
				   parsing, no type (a filter of raw
				   lines) */
#define READER_QUIET	0x02	/* no progress line */

struct reader {
	const char	*tool;
	char *const	*files;		/* the inputs still to open */
	unsigned	 flags;
	struct reject	*rej;
	struct input	 in;
	bool		 open;
	unsigned	 input_no;
	struct jdoc	 doc;
	void		(*wait)(void);	/* called before a read would wait:
					   out_wait, or the filter's own
					   (which must flush out_buf too) */
	/* counts, for -s */
	unsigned long	 lines;		/* lines read */
	unsigned long	 blank;		/* of which blank */
	unsigned long	 records;	/* of which records */
	unsigned long	 invalid;	/* records rejected here */
	int		 status;	/* LP_EXIT_FAIL once an input failed */
};

/*
 * Set up r to read files (NULL-terminated; empty means standard input),
 * reporting what it rejects to rej, for tool (names the progress line).
 */
void	reader_init(struct reader *r, const char *tool, char *const *files,
	    struct reject *rej, unsigned flags);

/*
 * The next record into rec; false when every input is read, or reading
 * must stop (see above).
 */
bool	reader_next(struct reader *r, struct record *rec);

/*
 * Send rec to the reject stream with a reason (printf format, "class:
 * detail"); the filter calls this for records it cannot use.
 */
void	reader_reject(struct reader *r, const struct record *rec,
	    const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* Whether reading ended because a signal asked to stop. */
bool	reader_stopped(const struct reader *r);

/* Close the input and free the storage. */
void	reader_release(struct reader *r);

/*
 * The end of a filter's run, after its state is flushed: release the
 * reader, write and close the standard output.  Returns LP_EXIT_FAIL if an
 * input or the output failed, else LP_EXIT_OK; reject_end() adds the
 * rejects to that.
 */
int	reader_end(struct reader *r);

#endif
