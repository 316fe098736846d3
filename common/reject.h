/*
 * reject.h - the reject stream: where input that could not be used goes.
 *
 * Every record a filter cannot use is reported here, never dropped.  With a
 * reject file (the commands' -x FILE) each one becomes an NDJSON line
 *
 *   {"type":"reject","tool":"lognorm","input":"app.log","line":12,
 *    "reason":"invalid JSON: expected ':' at byte 17","raw":"..."}
 *
 * written at once (a reader of the file sees it while the run goes on) and
 * stderr stays quiet; without one, a diagnostic "tool: input:line: reason"
 * goes to stderr for each, its control bytes escaped.  Counts are kept per
 * reason class (the text before the first ':') for the summary.  If the
 * file cannot be written (a full disk), that is reported once and failed
 * is set: the reader (reader.h) then stops, and the command exits 3.
 */
#ifndef LP_REJECT_H
#define LP_REJECT_H

#include <stdbool.h>
#include <stdio.h>

#include "buf.h"

#define REJECT_MAX_CLASSES	32

struct reject {
	const char	*tool;
	const char	*path;		/* NULL: diagnostics on stderr */
	int		 fd;		/* -1: none */
	unsigned long	 count;
	bool		 failed;	/* a write to the file failed */
	struct buf	 line;		/* scratch for the record */
	struct {
		char		*name;
		unsigned long	 count;
	}		 classes[REJECT_MAX_CLASSES];
	int		 nclasses;
};

/*
 * Set up r for tool; path NULL sends reports to stderr, "-" is refused
 * (stdout carries the records).  The file is created or truncated: call
 * opt_check_output() first, so that it is never one of the inputs.
 * Returns false with errno set when it cannot be opened.
 */
bool	reject_open(struct reject *r, const char *tool, const char *path);

/*
 * The reject stream of a command's -x option: path NULL for stderr.  Exits
 * with a usage error (status 2) if path is "-" (stdout carries the
 * records), is one of the inputs (files, as opt_check_output() sees
 * them), or cannot be created.
 */
void	reject_open_option(struct reject *r, const char *tool, const char *path,
	    char *const *files);

/*
 * Report one rejected record: input name, its line number, the reason
 * (printf format; "class: detail" by convention) and the raw bytes.
 */
void	reject_add(struct reject *r, const char *input, long line,
	    const char *raw, size_t rawlen, const char *fmt, ...)
	    __attribute__((format(printf, 6, 7)));

/* Print "  N reason-class" lines for the summary to fp. */
void	reject_summary(const struct reject *r, FILE *fp);

/* Close the file; returns false if a write failed (reported). */
bool	reject_close(struct reject *r);

/*
 * The end of a run: with summary, print the reject counts by class on
 * stderr; close the stream.  Returns status, made LP_EXIT_REJECT if it was
 * LP_EXIT_OK and records were rejected, LP_EXIT_FAIL if the reject file
 * could not be written.
 */
int	reject_end(struct reject *r, int status, bool summary);

#endif
