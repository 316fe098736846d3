/*
 * lp.h - what every logproc command shares: exit statuses, start-up and
 * stopping, the version, diagnostics and the progress line.
 */
#ifndef LP_LP_H
#define LP_LP_H

#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Exit statuses, the same for every command and documented in each page. */
#define LP_EXIT_OK	0	/* all input accepted */
#define LP_EXIT_REJECT	1	/* the run completed but records were rejected */
#define LP_EXIT_USAGE	2	/* usage or configuration error */
#define LP_EXIT_FAIL	3	/* I/O or internal failure */

/*
 * Start-up common to every command: ignore SIGPIPE so that a closed stdout
 * shows up as EPIPE from write(2) (see out.h); catch SIGINT and SIGTERM so
 * that the command stops reading and flushes what it holds (lp_stopped);
 * set the locale to C; name the command for lp_progress.
 */
void	lp_init(const char *tool);

/* Set by the signal handler; read it through lp_stopped(). */
extern volatile sig_atomic_t lp_stop_signal;

/*
 * The signal (SIGINT, SIGTERM) that asked the command to stop, or 0.  A
 * read waiting for input returns at once (input.h); the command then
 * flushes its state as at the end of input and calls lp_exit().  A second
 * signal kills at once.  Inline: readers ask it for every line.
 */
static inline int
lp_stopped(void)
{
	return lp_stop_signal;
}

/*
 * The end of main(): returns status, unless a signal stopped the command,
 * in which case it is raised again with its default action, so that the
 * parent sees the command killed by it, after everything was flushed.
 */
int	lp_exit(int status);

/* Print "NAME (logproc) VERSION" on stdout and exit 0 (for --version). */
void	lp_version(const char *name) __attribute__((noreturn));

/*
 * Diagnostics on stderr, "tool: message" as warnx(3) and warn(3) write
 * them, after clearing the progress line; control bytes of the message
 * (which may quote input) are escaped, so that input cannot forge or hide
 * lines on a terminal.
 */
void	lp_warnx(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* lp_warnx, then exit with status (a configuration error quoting a rule
 * file, say). */
void	lp_errx(int status, const char *fmt, ...)
	    __attribute__((noreturn, format(printf, 2, 3)));
void	lp_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/*
 * The progress line: with lp_progress_enable(true) (stderr a terminal and
 * no -q), lp_progress() rewrites one status line on stderr, at most once a
 * second; lp_progress_clear() removes it (diagnostics do so themselves).
 */
void	lp_progress_enable(bool on);
void	lp_progress(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void	lp_progress_clear(void);

/*
 * memmem(3): the first n2 bytes of s2 in the first n1 bytes of s1, or
 * NULL.  Quadratic in the worst case, fast for short needles.
 */
const char *lp_memmem(const char *s1, size_t n1, const char *s2, size_t n2);

/*
 * lp_memmem, looking first for the places where the needle's bytes at
 * offsets i and j (< n2) both are: give it the needle's two rarest bytes
 * (lp_rare_pair) and few places are compared whole.
 */
const char *lp_memmem_pair(const char *s1, size_t n1, const char *s2,
	    size_t n2, size_t i, size_t j);

/* A needle for lp_memmem_first: its text and its two rarest bytes'
 * offsets (lp_rare_pair). */
struct lp_needle {
	const char	*p;
	size_t		 n;
	size_t		 i1, i2;
	int		 tag;		/* the caller's: whose needle it is */
};

/*
 * The first of the needles nd[0..nn) that is in s1[0..n1), each looked
 * for as lp_memmem_pair does: its index, or nn if none is.  A line
 * tested for several needles in turn (rules tried in order, say) is one
 * call, not one each: the calls cost as much as the search.
 */
int	lp_memmem_first(const char *s1, size_t n1, const struct lp_needle *nd,
	    int nn);

/* The offsets of the two bytes of s[0..n) (n >= 2) least common in text
 * logs, for lp_memmem_pair. */
void	lp_rare_pair(const char *s, size_t n, size_t *i, size_t *j);

/* Monotonic clock in milliseconds. */
int64_t	lp_now_ms(void);

/* Wall clock in milliseconds since the epoch. */
int64_t	lp_wall_ms(void);

/*
 * The directory holding the running executable ("/usr/local/bin"), from
 * /proc/self/exe; NULL if it cannot be told.  Static storage.
 */
const char *lp_exe_dir(void);

#endif
