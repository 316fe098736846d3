/*
 * heap.h - a binary min-heap of fixed-size elements, ordered by a
 * function the caller gives: the time-ordered queue of the stateful
 * filters (what is due first) and of loggen (the line received first).
 *
 * Elements are copied in and out.  When the caller must find an element
 * again to change its key or remove it (a trace whose last activity
 * moved), it gives a moved() function: the heap calls it with the new
 * index every time an element lands in a place, and the caller keeps that
 * index (typically in the object the element points to) for heap_fix()
 * and heap_remove().
 *
 *	struct heap h;
 *	heap_init(&h, sizeof(struct item), item_before, NULL);
 *	heap_push(&h, &item);
 *	while (heap_pop(&h, &item)) ...
 *	heap_release(&h);
 */
#ifndef LP_HEAP_H
#define LP_HEAP_H

#include <stdbool.h>
#include <stddef.h>

struct heap {
	char		*v;		/* n elements of size bytes */
	size_t		 n, cap, size;
	bool		(*before)(const void *a, const void *b);
	void		(*moved)(void *elem, size_t index);
	char		*tmp;		/* one element of scratch */
};

/*
 * Set up an empty heap of elements of size bytes; before(a, b) says
 * whether a comes out before b (a strict weak order; break ties, e.g. by
 * a sequence number, where the order of equal keys matters).  moved may
 * be NULL.
 */
void	heap_init(struct heap *h, size_t size,
	    bool (*before)(const void *, const void *),
	    void (*moved)(void *, size_t));

/* Add a copy of elem.  O(log n). */
void	heap_push(struct heap *h, const void *elem);

/* The first element (not removed), or NULL when empty. */
void	*heap_top(const struct heap *h);

/* Copy the first element to out (if not NULL) and remove it; false when
 * empty.  O(log n). */
bool	heap_pop(struct heap *h, void *out);

/* Element i changed its key: move it to its place.  O(log n). */
void	heap_fix(struct heap *h, size_t i);

/* Copy element i to out (if not NULL) and remove it.  O(log n). */
void	heap_remove(struct heap *h, size_t i, void *out);

/* Element i, for a caller that keeps indexes. */
void	*heap_at(const struct heap *h, size_t i);

/* Free the storage; h must be initialised again before reuse. */
void	heap_release(struct heap *h);

#endif
