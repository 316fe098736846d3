/*
 * buf.h - memory: allocation that cannot fail, and growable byte buffers.
 *
 * The bottom of the library: it includes nothing of the project's, and
 * everything else allocates through it.  The x* functions never return
 * NULL: when memory runs out they print "out of memory" and exit with
 * status 3 (LP_EXIT_FAIL of lp.h), the one place that decision is made.
 *
 * A struct buf owns a heap block of cap bytes of which the first len are in
 * use.  The block is always NUL-terminated past len once anything has been
 * added, so p can be handed to C string functions when the content has no
 * embedded NUL.  Initialise with BUF_INIT (or zero it), release with
 * buf_release(); a released buffer may be reused.
 */
#ifndef LP_BUF_H
#define LP_BUF_H

#include <stdbool.h>
#include <stddef.h>
#include <string.h>

/* Exit status on allocation failure: lp.h's LP_EXIT_FAIL. */
#define BUF_EXIT_NOMEM	3

void	*xmalloc(size_t size);
void	*xcalloc(size_t n, size_t size);
/* realloc(3) of n * size bytes, checked for overflow. */
void	*xreallocarray(void *p, size_t n, size_t size);
char	*xstrdup(const char *s);
/* A NUL-terminated copy of the n bytes at s (which may hold NULs). */
char	*xmemdup(const void *s, size_t n);

/*
 * Grow the array *v of *cap elements of size bytes so that it holds at
 * least need; doubles, so that appending is amortised O(1).
 */
void	 xgrow(void *v, size_t *cap, size_t need, size_t size);

struct buf {
	char	*p;
	size_t	 len;
	size_t	 cap;
};

#define BUF_INIT { NULL, 0, 0 }

/* Make room for at least extra more bytes plus the NUL; aborts on ENOMEM. */
void	buf_grow(struct buf *b, size_t extra);

/* Append printf-style formatted text. */
void	buf_addf(struct buf *b, const char *fmt, ...)
	    __attribute__((format(printf, 2, 3)));

/* Free the storage; b is left empty and reusable.  Accepts an empty b. */
void	buf_release(struct buf *b);

/*
 * Append the whole content of the file at path.  Returns false with errno
 * set if it cannot be opened or read (b then holds what was read).
 */
bool	buf_read_file(struct buf *b, const char *path);

/* Hand the storage to the caller, who frees it with free(3); b is emptied. */
char	*buf_detach(struct buf *b, size_t *len);

static inline void
buf_add(struct buf *b, const void *s, size_t n)
{
	if (n == 0)
		return;
	if (b->cap - b->len <= n)
		buf_grow(b, n);
	memcpy(b->p + b->len, s, n);
	b->len += n;
	b->p[b->len] = '\0';
}

static inline void
buf_addc(struct buf *b, int c)
{
	if (b->cap - b->len <= 1)
		buf_grow(b, 1);
	b->p[b->len++] = (char)c;
	b->p[b->len] = '\0';
}

static inline void
buf_adds(struct buf *b, const char *s)
{
	buf_add(b, s, strlen(s));
}

/* Append a string literal (its length known at compile time). */
#define buf_addlit(b, lit)	buf_add((b), (lit), sizeof(lit) - 1)

/*
 * Append n bytes known to fit, for writers that make room for a whole
 * record once (buf_grow) and then append its many small pieces without
 * a check each.  No terminating NUL is written.
 */
static inline void
buf_put(struct buf *b, const char *s, size_t n)
{
	if (n == 0)
		return;		/* s may be NULL then */
	memcpy(b->p + b->len, s, n);
	b->len += n;
}

#define buf_putlit(b, lit)	buf_put((b), (lit), sizeof(lit) - 1)

/* Forget the content, keep the storage. */
static inline void
buf_reset(struct buf *b)
{
	b->len = 0;
	if (b->p != NULL)
		b->p[0] = '\0';
}

#endif
