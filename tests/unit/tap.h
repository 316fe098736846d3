/*
 * tap.h - the few lines of TAP the C unit tests print; included once per
 * test program.
 */
#ifndef LP_TAP_H
#define LP_TAP_H

#include <stdio.h>

static int	 ntest, nfail;

/* One test point: "ok N - what: detail", or "not ok ..." when !cond. */
static void
ok(int cond, const char *what, const char *detail)
{
	ntest++;
	if (!cond)
		nfail++;
	printf("%sok %d - %s%s%s\n", cond ? "" : "not ", ntest, what,
	    detail ? ": " : "", detail ? detail : "");
}

/* The plan line and the exit status. */
static int
tap_done(void)
{
	printf("1..%d\n", ntest);
	return nfail != 0;
}

#endif
