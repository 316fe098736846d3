/*
 * map.c - hash map with linear probing; see map.h.
 */
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "map.h"

/*
 * A multiply-and-fold hash over 8 bytes at a time (in the spirit of
 * wyhash): fast on the short ids (16 to 36 bytes) that logs key on, and
 * good enough in its low bits for a power-of-two table.
 */
static inline uint64_t
mix(uint64_t a, uint64_t b)
{
	__uint128_t	 r = (__uint128_t)a * b;

	return (uint64_t)r ^ (uint64_t)(r >> 64);
}

uint64_t
map_hash(const void *key, size_t n)
{
	const unsigned char *p = key;
	uint64_t	 h = 0x9e3779b97f4a7c15ULL ^ n, w;
	const uint64_t	 k1 = 0xa0761d6478bd642fULL, k2 = 0xe7037ed1a0b428dbULL;

	for (; n >= 8; n -= 8, p += 8) {
		memcpy(&w, p, 8);
		h = mix(h ^ w ^ k1, k2);
	}
	if (n > 0) {
		w = 0;
		memcpy(&w, p, n);
		h = mix(h ^ w ^ k2, k1);
	}
	return mix(h, k1 ^ 0x589965cc75374cc3ULL);
}

/* The slot of key, or the empty slot where it would go. */
static size_t
find(const struct map *m, const void *key, size_t klen, uint64_t h)
{
	size_t	 mask = m->cap - 1, i = (size_t)h & mask;

	for (;; i = (i + 1) & mask) {
		const struct map_slot *s = &m->slot[i];
		if (s->key == NULL)
			return i;
		if (s->hash == h && s->klen == klen &&
		    memcmp(s->key, key, klen) == 0)
			return i;
	}
}

void *
map_get(const struct map *m, const void *key, size_t klen)
{
	size_t	 i;

	if (m->n == 0)
		return NULL;
	i = find(m, key, klen, map_hash(key, klen));
	return m->slot[i].key != NULL ? m->slot[i].val : NULL;
}

static void
grow(struct map *m)
{
	struct map_slot	*old = m->slot;
	size_t		 oldcap = m->cap, i, j;

	m->cap = oldcap ? oldcap * 2 : 16;
	m->slot = xcalloc(m->cap, sizeof(*m->slot));
	for (i = 0; i < oldcap; i++) {
		if (old[i].key == NULL)
			continue;
		j = find(m, old[i].key, old[i].klen, old[i].hash);
		m->slot[j] = old[i];
	}
	free(old);
}

void **
map_put(struct map *m, const void *key, size_t klen)
{
	uint64_t	 h = map_hash(key, klen);
	size_t		 i;

	if ((m->n + 1) * 4 > m->cap * 3)
		grow(m);
	i = find(m, key, klen, h);
	if (m->slot[i].key == NULL) {
		/* A zero-length key still needs a non-NULL pointer. */
		m->slot[i].key = klen > 0 ? key : "";
		m->slot[i].klen = klen;
		m->slot[i].hash = h;
		m->slot[i].val = NULL;
		m->n++;
	}
	return &m->slot[i].val;
}

void *
map_del(struct map *m, const void *key, size_t klen)
{
	size_t	 mask, i, j, home;
	void	*val;

	if (m->n == 0)
		return NULL;
	mask = m->cap - 1;
	i = find(m, key, klen, map_hash(key, klen));
	if (m->slot[i].key == NULL)
		return NULL;
	val = m->slot[i].val;
	/* Backward shift: pull later entries of the run into the hole when
	 * the hole lies between their home slot and where they sit. */
	for (j = i;;) {
		j = (j + 1) & mask;
		if (m->slot[j].key == NULL)
			break;
		home = (size_t)m->slot[j].hash & mask;
		if (((j - home) & mask) >= ((j - i) & mask)) {
			m->slot[i] = m->slot[j];
			i = j;
		}
	}
	m->slot[i].key = NULL;
	m->n--;
	return val;
}

bool
map_next(const struct map *m, size_t *pos, const char **key, size_t *klen,
    void **val)
{
	while (*pos < m->cap) {
		const struct map_slot *s = &m->slot[(*pos)++];
		if (s->key != NULL) {
			*key = s->key;
			*klen = s->klen;
			*val = s->val;
			return true;
		}
	}
	return false;
}

void
map_clear(struct map *m)
{
	if (m->cap > 1024)
		map_release(m);
	else if (m->n > 0) {
		memset(m->slot, 0, m->cap * sizeof(*m->slot));
		m->n = 0;
	}
}

void
map_release(struct map *m)
{
	free(m->slot);
	m->slot = NULL;
	m->cap = m->n = 0;
}
