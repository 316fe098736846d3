/*
 * lp.h - what every logproc command shares: exit statuses, the version,
 * and the start-up every main() does first.
 */
#ifndef LP_LP_H
#define LP_LP_H

#include <stddef.h>
#include <stdint.h>

#include "config.h"	/* LP_VERSION, LP_RULEDIR: made by the Makefile */

/* Exit statuses, the same for every command and documented in each page. */
#define LP_EXIT_OK	0	/* all input accepted */
#define LP_EXIT_REJECT	1	/* the run completed but records were rejected */
#define LP_EXIT_USAGE	2	/* usage or configuration error */
#define LP_EXIT_FAIL	3	/* I/O or internal failure */

/*
 * Start-up common to every command: ignore SIGPIPE so that a closed stdout
 * shows up as EPIPE from write(2) (see out.h), and set the locale to C.
 */
void	lp_init(void);

/* Print "NAME VERSION" on stdout and exit 0 (for --version). */
void	lp_version(const char *name) __attribute__((noreturn));

/* memmem(3): the first n2 bytes of s2 in the first n1 bytes of s1. */
const char *lp_memmem(const char *s1, size_t n1, const char *s2, size_t n2);

/* Monotonic clock in milliseconds, for progress reports. */
int64_t	lp_now_ms(void);

#endif
