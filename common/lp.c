/*
 * lp.c - start-up shared by every command; see lp.h.
 */
#include <locale.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "lp.h"
#include "out.h"

void
lp_init(void)
{
	signal(SIGPIPE, SIG_IGN);
	setlocale(LC_ALL, "C");
}

void
lp_version(const char *name)
{
	printf("%s (logproc) %s\n", name, LP_VERSION);
	exit(fflush(stdout) == 0 ? LP_EXIT_OK : LP_EXIT_FAIL);
}

int64_t
lp_now_ms(void)
{
	struct timespec	 ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}
