/*
 * map.h - a hash map from byte-string keys to pointers.
 *
 * Open addressing with linear probing and backward-shift deletion (no
 * tombstones), at most 3/4 full.  Keys are borrowed: the map keeps the
 * pointer and the length, so a key must stay alive and unchanged while
 * its entry is in the map (typically it lives in the value it maps to).
 * Lookups, insertions and deletions are O(1) on average; iteration visits
 * every entry once, in no particular order.
 *
 *	struct map m = MAP_INIT;
 *	*map_put(&m, key, klen) = value;
 *	value = map_get(&m, key, klen);
 *	map_release(&m);
 */
#ifndef LP_MAP_H
#define LP_MAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct map_slot {
	const char	*key;		/* NULL: empty */
	size_t		 klen;
	uint64_t	 hash;
	void		*val;
};

struct map {
	struct map_slot	*slot;
	size_t		 cap;		/* a power of two, or 0 */
	size_t		 n;		/* entries */
};

#define MAP_INIT { NULL, 0, 0 }

/* A 64-bit hash of key[0..n), the one the map uses. */
uint64_t	map_hash(const void *key, size_t n);

/* The value of key, or NULL when absent. */
void	*map_get(const struct map *m, const void *key, size_t klen);

/*
 * The place of key's value: an existing entry's, or a new entry's, whose
 * value is NULL.  The pointer is valid until the next map_put or map_del.
 */
void	**map_put(struct map *m, const void *key, size_t klen);

/*
 * Remove key; returns its value (NULL if absent).  If the entry's key was
 * the value's own, the value may be freed after this.
 */
void	*map_del(struct map *m, const void *key, size_t klen);

/*
 * Iterate: start with *pos = 0; each call that returns true sets the next
 * entry's key and value.  The map must not change while iterating.
 */
bool	 map_next(const struct map *m, size_t *pos, const char **key,
	    size_t *klen, void **val);

/*
 * Remove every entry but keep the table, for a map filled and emptied
 * again and again (a table grown large is freed instead).  Iteration
 * order depends on the table's size: a map that is iterated should be
 * released, not cleared, to iterate the same way each time.
 */
void	 map_clear(struct map *m);

/* Free the table (not the keys or values); m is empty and reusable. */
void	 map_release(struct map *m);

#endif
