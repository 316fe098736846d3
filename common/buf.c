/*
 * buf.c - allocation and growable byte buffers; see buf.h.
 */
#include <err.h>
#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "buf.h"

static void __attribute__((noreturn))
nomem(void)
{
	errx(BUF_EXIT_NOMEM, "out of memory");
}

void *
xmalloc(size_t size)
{
	void	*p;

	if ((p = malloc(size ? size : 1)) == NULL)
		nomem();
	return p;
}

void *
xcalloc(size_t n, size_t size)
{
	void	*p;

	if ((p = calloc(n ? n : 1, size ? size : 1)) == NULL)
		nomem();
	return p;
}

void *
xreallocarray(void *p, size_t n, size_t size)
{
	if (size != 0 && n > SIZE_MAX / size)
		nomem();
	if ((p = realloc(p, n * size > 0 ? n * size : 1)) == NULL)
		nomem();
	return p;
}

char *
xstrdup(const char *s)
{
	return xmemdup(s, strlen(s));
}

char *
xmemdup(const void *s, size_t n)
{
	char	*p;

	if (n == SIZE_MAX)
		nomem();
	p = xmalloc(n + 1);
	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

void
xgrow(void *v, size_t *cap, size_t need, size_t size)
{
	void	**pv = v;
	size_t	 c = *cap ? *cap : 8;

	if (need <= *cap)
		return;
	while (c < need) {
		if (c > SIZE_MAX / 2)
			nomem();
		c *= 2;
	}
	*pv = xreallocarray(*pv, c, size);
	*cap = c;
}

void
buf_grow(struct buf *b, size_t extra)
{
	size_t	 need, cap;
	char	*p;

	if (extra > SIZE_MAX - b->len - 1)
		nomem();
	need = b->len + extra + 1;
	if (need <= b->cap)
		return;
	cap = b->cap ? b->cap : 64;
	while (cap < need)
		cap = cap > SIZE_MAX / 2 ? need : cap * 2;
	p = xreallocarray(b->p, cap, 1);
	b->p = p;
	b->cap = cap;
}

void
buf_addf(struct buf *b, const char *fmt, ...)
{
	va_list	 ap;
	int	 n;

	va_start(ap, fmt);
	n = vsnprintf(b->p ? b->p + b->len : NULL, b->cap - b->len, fmt, ap);
	va_end(ap);
	if (n < 0)
		abort();	/* a bad format: a bug, not input */
	if ((size_t)n >= b->cap - b->len) {
		buf_grow(b, (size_t)n);
		va_start(ap, fmt);
		vsnprintf(b->p + b->len, b->cap - b->len, fmt, ap);
		va_end(ap);
	}
	b->len += (size_t)n;
}

void
buf_release(struct buf *b)
{
	free(b->p);
	b->p = NULL;
	b->len = b->cap = 0;
}

char *
buf_detach(struct buf *b, size_t *len)
{
	char	*p;

	if (b->p == NULL)
		buf_grow(b, 0), b->p[0] = '\0';
	p = b->p;
	if (len != NULL)
		*len = b->len;
	b->p = NULL;
	b->len = b->cap = 0;
	return p;
}

bool
buf_read_file(struct buf *b, const char *path)
{
	FILE	*fp;
	char	 chunk[8192];
	size_t	 n;
	int	 e;

	if ((fp = fopen(path, "r")) == NULL)
		return false;
	while ((n = fread(chunk, 1, sizeof(chunk), fp)) > 0)
		buf_add(b, chunk, n);
	if (ferror(fp)) {
		e = errno;
		fclose(fp);
		errno = e;
		return false;
	}
	fclose(fp);
	if (b->p == NULL)
		buf_grow(b, 0), b->p[0] = '\0';
	return true;
}
