/*
 * tap.c - the few lines of TAP the C unit tests print.
 */
#include <stdio.h>

#include "tap.h"

static int	 ntest, nfail;

void
ok(int cond, const char *what, const char *detail)
{
	ntest++;
	if (!cond)
		nfail++;
	printf("%sok %d - %s%s%s\n", cond ? "" : "not ", ntest, what,
	    detail ? ": " : "", detail ? detail : "");
}

int
tap_done(void)
{
	printf("1..%d\n", ntest);
	return nfail != 0;
}
