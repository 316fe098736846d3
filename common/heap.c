/*
 * heap.c - binary min-heap; see heap.h.
 */
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "heap.h"

#define AT(h, i)	((h)->v + (i) * (h)->size)

void
heap_init(struct heap *h, size_t size,
    bool (*before)(const void *, const void *),
    void (*moved)(void *, size_t))
{
	memset(h, 0, sizeof(*h));
	h->size = size;
	h->before = before;
	h->moved = moved;
	h->tmp = xmalloc(size);
}

/* Put elem (not in the array) at index i. */
static inline void
place(struct heap *h, size_t i, const void *elem)
{
	memcpy(AT(h, i), elem, h->size);
	if (h->moved != NULL)
		h->moved(AT(h, i), i);
}

/* Move the hole at i up until elem fits; returns the final index. */
static size_t
sift_up(struct heap *h, size_t i, const void *elem)
{
	size_t	 up;

	while (i > 0) {
		up = (i - 1) / 2;
		if (!h->before(elem, AT(h, up)))
			break;
		place(h, i, AT(h, up));
		i = up;
	}
	place(h, i, elem);
	return i;
}

/* Move the hole at i down until elem fits. */
static void
sift_down(struct heap *h, size_t i, const void *elem)
{
	size_t	 c;

	while ((c = 2 * i + 1) < h->n) {
		if (c + 1 < h->n && h->before(AT(h, c + 1), AT(h, c)))
			c++;
		if (!h->before(AT(h, c), elem))
			break;
		place(h, i, AT(h, c));
		i = c;
	}
	place(h, i, elem);
}

void
heap_push(struct heap *h, const void *elem)
{
	if (h->n == h->cap) {
		h->cap = h->cap ? h->cap * 2 : 64;
		h->v = xreallocarray(h->v, h->cap, h->size);
	}
	sift_up(h, h->n++, elem);
}

void *
heap_top(const struct heap *h)
{
	return h->n > 0 ? h->v : NULL;
}

void *
heap_at(const struct heap *h, size_t i)
{
	return i < h->n ? AT(h, i) : NULL;
}

void
heap_remove(struct heap *h, size_t i, void *out)
{
	if (out != NULL)
		memcpy(out, AT(h, i), h->size);
	if (--h->n == i)
		return;
	/* The last element fills the hole, then finds its place. */
	memcpy(h->tmp, AT(h, h->n), h->size);
	if (i > 0 && h->before(h->tmp, AT(h, (i - 1) / 2)))
		sift_up(h, i, h->tmp);
	else
		sift_down(h, i, h->tmp);
}

bool
heap_pop(struct heap *h, void *out)
{
	if (h->n == 0)
		return false;
	heap_remove(h, 0, out);
	return true;
}

void
heap_fix(struct heap *h, size_t i)
{
	memcpy(h->tmp, AT(h, i), h->size);
	if (i > 0 && h->before(h->tmp, AT(h, (i - 1) / 2)))
		sift_up(h, i, h->tmp);
	else
		sift_down(h, i, h->tmp);
}

void
heap_release(struct heap *h)
{
	free(h->v);
	free(h->tmp);
	memset(h, 0, sizeof(*h));
}
