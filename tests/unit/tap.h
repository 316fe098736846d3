/*
 * tap.h - the few lines of TAP the C unit tests print (tap.c, linked into
 * each test program).
 */
#ifndef LP_TAP_H
#define LP_TAP_H

/* One test point: "ok N - what: detail", or "not ok ..." when !cond. */
void	ok(int cond, const char *what, const char *detail);

/* The plan line; the exit status: 1 if any point failed. */
int	tap_done(void);

#endif
