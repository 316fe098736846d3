/*
 * out.h - the record stream on standard output.
 *
 * Commands build records straight into out_buf and call out_commit() after
 * each one; the buffer goes to fd 1 with write(2) in large blocks.  When the
 * reader has gone away (EPIPE, e.g. `| head`), out_closed becomes true, the
 * rest of the output is discarded, and the command should stop reading and
 * exit quietly with the status it had (STYLE rule 4).  Any other write error
 * (a full disk) is reported once and sets out_failed: the command stops
 * reading at once and exits with status 3.
 *
 * Streaming: the buffer is written when it is full, and whenever the
 * command is about to wait for input (out_wait, the input's wait hook),
 * so output is never held back while input is idle.
 */
#ifndef LP_OUT_H
#define LP_OUT_H

#include <stdbool.h>

#include "buf.h"

extern struct buf	out_buf;
extern bool		out_closed;	/* the reader went away (EPIPE) */
extern bool		out_failed;	/* a write error other than EPIPE */

/* Write the buffer out if it holds more than a block. */
void	out_commit(void);

/* Write everything buffered; returns false if output is closed or failed. */
bool	out_flush(void);

/* Flush: the input is about to wait (input.h's wait hook). */
void	out_wait(void);

/* Flush, release the buffer; returns false on a write error (not EPIPE). */
bool	out_close(void);

#endif
