/*
 * lp.c - start-up, stopping, diagnostics and progress; see lp.h.
 */
#include <err.h>
#ifdef __SSE2__
#include <immintrin.h>
#endif
#include <errno.h>
#include <limits.h>
#include <locale.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "buf.h"
#include "config.h"	/* LP_VERSION: made by the Makefile */
#include "lp.h"

volatile sig_atomic_t		 lp_stop_signal;
static const char		*tool_name = "logproc";
static bool			 progress_on;
static bool			 progress_shown;
static int64_t			 progress_last;

static void
on_stop(int sig)
{
	lp_stop_signal = sig;
}

void
lp_init(const char *tool)
{
	struct sigaction sa;

	tool_name = tool;
	signal(SIGPIPE, SIG_IGN);
	setlocale(LC_ALL, "C");
	/* No SA_RESTART: a read waiting for input returns EINTR.  The first
	 * signal asks for a clean stop; SA_RESETHAND lets a second one kill. */
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_stop;
	sa.sa_flags = SA_RESETHAND;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
}

int
lp_exit(int status)
{
	int	 sig = lp_stop_signal;

	if (sig != 0) {
		fflush(stderr);
		signal(sig, SIG_DFL);
		raise(sig);
	}
	return status;
}

void
lp_version(const char *name)
{
	printf("%s (logproc) %s\n", name, LP_VERSION);
	exit(fflush(stdout) == 0 ? LP_EXIT_OK : LP_EXIT_FAIL);
}

/* Append msg with its control bytes escaped (\n, \r, \t, \e, \xNN). */
static void
escape_controls(struct buf *out, const char *msg)
{
	const unsigned char *p;

	for (p = (const unsigned char *)msg; *p != '\0'; p++) {
		if (*p >= 0x20 && *p != 0x7f) {
			buf_addc(out, *p);
			continue;
		}
		switch (*p) {
		case '\n': buf_addlit(out, "\\n"); break;
		case '\r': buf_addlit(out, "\\r"); break;
		case '\t': buf_addlit(out, "\\t"); break;
		case 0x1b: buf_addlit(out, "\\e"); break;
		default:   buf_addf(out, "\\x%02x", *p); break;
		}
	}
}

static void
vdiag(int errnum, const char *fmt, va_list ap)
{
	struct buf	 msg = BUF_INIT, safe = BUF_INIT;
	va_list		 aq;
	int		 n;

	lp_progress_clear();
	va_copy(aq, ap);
	n = vsnprintf(NULL, 0, fmt, aq);
	va_end(aq);
	if (n < 0)
		return;
	buf_grow(&msg, (size_t)n);
	vsnprintf(msg.p, (size_t)n + 1, fmt, ap);
	msg.len = (size_t)n;
	escape_controls(&safe, msg.p);
	if (errnum >= 0)
		warnx("%s: %s", safe.p ? safe.p : "", strerror(errnum));
	else
		warnx("%s", safe.p ? safe.p : "");
	buf_release(&msg);
	buf_release(&safe);
}

void
lp_warnx(const char *fmt, ...)
{
	va_list	 ap;

	va_start(ap, fmt);
	vdiag(-1, fmt, ap);
	va_end(ap);
}

void
lp_errx(int status, const char *fmt, ...)
{
	va_list	 ap;

	va_start(ap, fmt);
	vdiag(-1, fmt, ap);
	va_end(ap);
	exit(status);
}

void
lp_warn(const char *fmt, ...)
{
	va_list	 ap;
	int	 e = errno;

	va_start(ap, fmt);
	vdiag(e, fmt, ap);
	va_end(ap);
}

void
lp_progress_enable(bool on)
{
	progress_on = on;
	progress_last = 0;
}

void
lp_progress(const char *fmt, ...)
{
	va_list	 ap;
	int64_t	 now;

	if (!progress_on)
		return;
	now = lp_now_ms();
	if (progress_last == 0) {	/* nothing for short runs */
		progress_last = now;
		return;
	}
	if (now - progress_last < 1000)
		return;
	progress_last = now;
	fprintf(stderr, "\r\033[K%s: ", tool_name);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fflush(stderr);
	progress_shown = true;
}

void
lp_progress_clear(void)
{
	if (!progress_shown)
		return;
	fputs("\r\033[K", stderr);
	fflush(stderr);
	progress_shown = false;
}

int64_t
lp_now_ms(void)
{
	struct timespec	 ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int64_t
lp_wall_ms(void)
{
	struct timespec	 ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

const char *
lp_memmem(const char *s1, size_t n1, const char *s2, size_t n2)
{
	/* The needles here are short and the haystacks a line, searched
	 * once: glibc's memmem sets up a two-way search on every call, which
	 * costs more than the search.  Instead, the places where the
	 * needle's first and last bytes both match, each compared whole. */
	return lp_memmem_pair(s1, n1, s2, n2, 0, n2 > 0 ? n2 - 1 : 0);
}

#ifdef __SSE2__
/* The places among the 32 from s where the needle's bytes a and b are at
 * offsets i1 and i2: a bit each. */
#define PAIR_BITS(s, a, b, i1, i2) \
	((uint32_t)_mm256_movemask_epi8(_mm256_and_si256( \
	    _mm256_cmpeq_epi8((a), _mm256_loadu_si256( \
	    (const __m256i *)((s) + (i1)))), \
	    _mm256_cmpeq_epi8((b), _mm256_loadu_si256( \
	    (const __m256i *)((s) + (i2)))))))

/*
 * lp_memmem_pair's search thirty-two places at a time, for haystacks of
 * at least that many places (last + 1 >= 32): the first block of places
 * from *i on where both of the needle's bytes are, its first place in *i
 * and a bit for each place; 0 if there is none.  The places left at the
 * end are one block ending at the last place, those already seen masked
 * off.  A line is a few such blocks, half as many as SSE2's.
 *
 * The caller compares the places whole: this function then calls
 * nothing, saves no registers and has no stack of its own, and the
 * whole blocks are a loop of their own with no test of the end in it;
 * most lines are two to four blocks, and those costs were a third of it.
 */
__attribute__((target("avx2")))
static uint32_t
pair_avx2(const unsigned char *s, size_t last, const unsigned char *n,
    size_t i1, size_t i2, size_t *i)
{
	const __m256i	 a = _mm256_set1_epi8((char)n[i1]);
	const __m256i	 b = _mm256_set1_epi8((char)n[i2]);
	uint32_t	 bits;
	size_t		 k;

	for (k = *i; k + 32 <= last + 1; k += 32)
		if ((bits = PAIR_BITS(s + k, a, b, i1, i2)) != 0) {
			*i = k;
			return bits;
		}
	if (k > last)
		return 0;
	/* the last block: the 32 places ending at the last, those before
	 * k already seen */
	*i = last + 1 - 32;
	return PAIR_BITS(s + *i, a, b, i1, i2) &
	    (uint32_t)(0xffffffffu << (k - *i));
}
#endif

const char *
lp_memmem_pair(const char *s1, size_t n1, const char *s2, size_t n2,
    size_t i1, size_t i2)
{
	const unsigned char *s = (const unsigned char *)s1;
	const unsigned char *n = (const unsigned char *)s2;
	size_t		 i = 0, last;

	if (n2 == 0)
		return s1;
	if (n2 > n1)
		return NULL;
	last = n1 - n2;		/* the last place the needle can start */
#ifdef __SSE2__
	if (last + 1 >= 32 && __builtin_cpu_supports("avx2")) {
		uint32_t	 bits;

		/* after a block, the next: none after the last */
		for (; i <= last; i += 32) {
			if ((bits = pair_avx2(s, last, n, i1, i2, &i)) == 0)
				return NULL;
			for (; bits != 0; bits &= bits - 1)
				if (memcmp(s + i + __builtin_ctz(bits), n,
				    n2) == 0)
					return s1 + i + __builtin_ctz(bits);
		}
		return NULL;
	}
	{
		/* sixteen places at a time */
		const __m128i	 a = _mm_set1_epi8((char)n[i1]);
		const __m128i	 b = _mm_set1_epi8((char)n[i2]);
		unsigned	 bits, k, skip = 0;

		for (; i <= last; i += 16) {
			if (last + 1 - i < 16) {
				/* Fewer than sixteen places left: if a whole
				 * block fits, the one ending at the last place,
				 * its places already seen masked off, rather
				 * than a byte loop over the rest. */
				if (last + 1 < 16)
					break;
				skip = (unsigned)(i - (last + 1 - 16));
				i = last + 1 - 16;
			}
			bits = (unsigned)_mm_movemask_epi8(_mm_and_si128(
			    _mm_cmpeq_epi8(a, _mm_loadu_si128(
			    (const __m128i *)(s + i + i1))),
			    _mm_cmpeq_epi8(b, _mm_loadu_si128(
			    (const __m128i *)(s + i + i2))))) & (0xffffu << skip);
			while (bits != 0) {
				k = (unsigned)__builtin_ctz(bits);
				if (memcmp(s + i + k, n, n2) == 0)
					return s1 + i + k;
				bits &= bits - 1;
			}
		}
	}
#endif
	for (; i <= last; i++)
		if (s[i + i1] == n[i1] && s[i + i2] == n[i2] &&
		    memcmp(s + i, n, n2) == 0)
			return s1 + i;
	return NULL;
}

#ifdef __SSE2__
/* Whether needle d starts at one of the places of bits from s.  Not
 * inlined: first_avx2's loop then keeps more in registers. */
__attribute__((noinline))
static bool
first_at(const unsigned char *s, uint32_t bits, const struct lp_needle *d)
{
	for (; bits != 0; bits &= bits - 1)
		if (memcmp(s + __builtin_ctz(bits), d->p, d->n) == 0)
			return true;
	return false;
}

/*
 * lp_memmem_first with AVX2, n1 >= 32: each needle's search as
 * pair_avx2's, in one function; a needle with fewer than 32 places to
 * start at is lp_memmem_pair's.
 */
__attribute__((target("avx2")))
static int
first_avx2(const unsigned char *s, size_t n1, const struct lp_needle *nd,
    int nn)
{
	const struct lp_needle *d;
	__m256i		 a, b;
	uint32_t	 bits;
	size_t		 i, last;
	int		 k;

	for (k = 0; k < nn; k++) {
		d = &nd[k];
		if (d->n > n1)
			continue;
		last = n1 - d->n;
		if (last + 1 < 32 || d->n == 0) {
			if (lp_memmem_pair((const char *)s, n1, d->p, d->n,
			    d->i1, d->i2) != NULL)
				return k;
			continue;
		}
		a = _mm256_set1_epi8(d->p[d->i1]);
		b = _mm256_set1_epi8(d->p[d->i2]);
		for (i = 0; i + 32 <= last + 1; i += 32)
			if ((bits = PAIR_BITS(s + i, a, b, d->i1, d->i2)) != 0 &&
			    first_at(s + i, bits, d))
				return k;
		if (i > last)
			continue;
		/* the 32 places ending at the last, those before i seen */
		bits = PAIR_BITS(s + last + 1 - 32, a, b, d->i1, d->i2) &
		    (uint32_t)(0xffffffffu << (i - (last + 1 - 32)));
		if (bits != 0 && first_at(s + last + 1 - 32, bits, d))
			return k;
	}
	return nn;
}
#endif

int
lp_memmem_first(const char *s1, size_t n1, const struct lp_needle *nd,
    int nn)
{
	int	 k;

#ifdef __SSE2__
	if (n1 >= 32 && __builtin_cpu_supports("avx2"))
		return first_avx2((const unsigned char *)s1, n1, nd, nn);
#endif
	for (k = 0; k < nn; k++)
		if (lp_memmem_pair(s1, n1, nd[k].p, nd[k].n, nd[k].i1,
		    nd[k].i2) != NULL)
			return k;
	return nn;
}

/* How common a byte is in text logs, roughly: lower is rarer. */
static int
commonness(unsigned char c)
{
	if (c == ' ')
		return 9;
	if (c >= 'a' && c <= 'z')
		return 8;
	if (c >= '0' && c <= '9')
		return 7;
	if (c >= 'A' && c <= 'Z')
		return 5;
	if (c != '\0' && strchr(".:-,/_=", c) != NULL)
		return 4;
	if (c >= 0x21 && c < 0x7f)
		return 2;
	return 1;
}

void
lp_rare_pair(const char *s, size_t n, size_t *i, size_t *j)
{
	size_t	 k;

	*i = 0;
	for (k = 1; k < n; k++)
		if (commonness((unsigned char)s[k]) <
		    commonness((unsigned char)s[*i]))
			*i = k;
	*j = *i == 0 ? 1 : 0;
	for (k = 0; k < n; k++)
		if (k != *i && (commonness((unsigned char)s[k]) <
		    commonness((unsigned char)s[*j]) ||
		    (commonness((unsigned char)s[k]) ==
		    commonness((unsigned char)s[*j]) && s[k] != s[*i] &&
		    s[*j] == s[*i])))
			*j = k;
}

const char *
lp_exe_dir(void)
{
	static char	 dir[PATH_MAX];
	ssize_t		 n;
	char		*slash;

	if (dir[0] != '\0')
		return dir;
	if ((n = readlink("/proc/self/exe", dir, sizeof(dir) - 1)) <= 0) {
		dir[0] = '\0';
		return NULL;
	}
	dir[n] = '\0';
	if ((slash = strrchr(dir, '/')) == NULL) {
		dir[0] = '\0';
		return NULL;
	}
	if (slash == dir)
		slash[1] = '\0';	/* the root directory */
	else
		*slash = '\0';
	return dir;
}
