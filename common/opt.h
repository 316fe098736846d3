/*
 * opt.h - reading command-line options: numbers checked where they are
 * parsed (as OpenBSD's strtonum(3)), durations, time zones, and the guard
 * that keeps an output file from being one of the inputs.
 *
 * Each function exits with status 2 (LP_EXIT_USAGE) and a message naming
 * the option and the bad value when the value is unusable, so that a
 * command's getopt loop stays a list of one-liners.
 */
#ifndef LP_OPT_H
#define LP_OPT_H

#include <stdint.h>

/*
 * A decimal integer in [min, max]; what names it in the message
 * ("invalid window 'x': not a number").
 */
long long	opt_num(const char *s, long long min, long long max,
		    const char *what);

/* A decimal number (fraction and exponent allowed) in [min, max]. */
double		opt_real(const char *s, double min, double max, const char *what);

/*
 * A duration in milliseconds: a number with an optional unit, ms, s, m, h
 * or d ("500ms", "60s", "1.5m"); a bare number is seconds.  In [0, max].
 */
int64_t		opt_duration_ms(const char *s, int64_t max, const char *what);

/*
 * A size in bytes: a number with an optional unit k, M or G (powers of
 * 1024), in [min, max].
 */
long long	opt_size(const char *s, long long min, long long max,
		    const char *what);

/* A time zone offset east of UTC, in minutes: Z, UTC, +HH:MM, +HHMM, +HH. */
int		opt_zone(const char *s);

/*
 * Exit with a usage error if the file path, given to option opt, is one of
 * the inputs (the same file: device and inode, whatever the name), or is
 * the file standard input reads from when "-" (or no file) is an input.
 * Call before opening path for writing, which would truncate it.  files
 * is the NULL-terminated list of inputs as the command will read them.
 */
void		opt_check_output(const char *path, const char *opt,
		    char *const *files);

#endif
