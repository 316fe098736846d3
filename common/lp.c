/*
 * lp.c - start-up shared by every command; see lp.h.
 */
#define _GNU_SOURCE	/* memmem(3), which POSIX only has since 2024 */
#include <locale.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
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

const char *
lp_memmem(const char *s1, size_t n1, const char *s2, size_t n2)
{
	return memmem(s1, n1, s2, n2);
}
