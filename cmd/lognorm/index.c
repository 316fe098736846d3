/*
 * index.c - what the rules need of a record's members, worked out once
 * when they are loaded; see rule.h (struct names, struct dispatch).
 *
 * Names: every top-level name a rule refers to, the event fields' and
 * "attrs" get a number, and each reference its name's number, so that a
 * JSON record's members are looked up once each (fields.h, keyidx) and
 * every match clause and mapping then finds its field by number instead
 * of scanning the members; each rule gets the class of each name (the
 * event field it fills, used, attrs, an attribute), so that the one pass
 * over a record's members in emit() compares no names.
 *
 * Dispatch: of the JSON rules, those that test the same field against a
 * string ("system == inventory") are filed by that string, so that a
 * record is offered only to the rules its value can pass, and to those
 * that do not test that field, in their order.
 */
#include <stdlib.h>
#include <string.h>

#include "lp.h"
#include "rule.h"

int
names_lookup(const struct names *nm, const char *s, size_t n)
{
	size_t	 h;
	uint32_t k;

	if (nm->tab == NULL)
		return -1;
	for (h = names_hash(s, n) & nm->mask; (k = nm->tab[h]) != 0;
	    h = (h + 1) & nm->mask)
		if (nm->len[k - 1] == n && json_name_eq(nm->name[k - 1], s, n))
			return (int)k - 1;
	return -1;
}

/* Add name s[0..n) (once); its number. */
static int
names_add(struct names *nm, const char *s, size_t n)
{
	int	 i = names_lookup(nm, s, n);
	size_t	 cap, h, j;

	if (i >= 0)
		return i;
	nm->name = xreallocarray(nm->name, (size_t)nm->n + 1, sizeof(char *));
	nm->len = xreallocarray(nm->len, (size_t)nm->n + 1, sizeof(size_t));
	nm->field = xreallocarray(nm->field, (size_t)nm->n + 1, 1);
	nm->name[nm->n] = xmemdup(s, n);
	nm->len[nm->n] = n;
	nm->field[nm->n] = (signed char)event_field_lookup(s, n);
	i = nm->n++;
	/* the table: at most half full */
	if (nm->tab == NULL || (size_t)nm->n * 2 > nm->mask + 1) {
		for (cap = 16; cap < (size_t)nm->n * 4; cap *= 2)
			;
		free(nm->tab);
		nm->tab = xcalloc(cap, sizeof(*nm->tab));
		nm->mask = cap - 1;
		for (j = 0; j < (size_t)nm->n; j++) {
			for (h = names_hash(nm->name[j], nm->len[j]) & nm->mask;
			    nm->tab[h] != 0; h = (h + 1) & nm->mask)
				;
			nm->tab[h] = (uint32_t)j + 1;
		}
	} else {
		for (h = names_hash(s, n) & nm->mask; nm->tab[h] != 0;
		    h = (h + 1) & nm->mask)
			;
		nm->tab[h] = (uint32_t)i + 1;
	}
	return i;
}

/* Whether ref names a member (not a capture group). */
static bool
member_ref(const struct ref *ref)
{
	return ref->path != NULL && ref->group < 0;
}

/* Every reference of rule r, to fn. */
static void
each_ref(struct rule *r, void (*fn)(struct names *, struct ref *),
    struct names *nm)
{
	int	 i, j;

	for (i = 0; i < r->npreds; i++)
		fn(nm, &r->preds[i].ref);
	for (i = 0; i < r->nmaps; i++) {
		if (r->maps[i].val.kind == VAL_REF)
			fn(nm, &r->maps[i].val.ref);
		for (j = 0; j < r->maps[i].val.npieces; j++)
			if (r->maps[i].val.pieces[j].lit == NULL)
				fn(nm, &r->maps[i].val.pieces[j].ref);
	}
}

static void
add_ref(struct names *nm, struct ref *ref)
{
	if (member_ref(ref))
		(void)names_add(nm, ref->path, ref->headlen);
}

static void
number_ref(struct names *nm, struct ref *ref)
{
	int	 i;

	ref->id = 0;
	if (member_ref(ref) && (i = names_lookup(nm, ref->path,
	    ref->headlen)) >= 0)
		ref->id = i + 1;
}

/*
 * What a member named name[i] is to rule r: as emit() decides it by name
 * (fields.c): an event field that no mapping sets and that is not
 * dropped fills it; one used by a mapping or dropped is skipped; "attrs"
 * is merged; the rest are attributes.
 */
static unsigned char
klass(const struct rule *r, const struct names *nm, int i)
{
	int	 f = nm->field[i], k;

	if (f >= 0 && r->mapped[f] < 0 && !rule_drops(r, nm->name[i],
	    nm->len[i]))
		return (unsigned char)f;
	for (k = 0; k < r->nused; k++)
		if (r->usedlen[k] == nm->len[i] &&
		    memcmp(r->used[k], nm->name[i], nm->len[i]) == 0)
			return K_USED;
	if (nm->len[i] == 5 && memcmp(nm->name[i], "attrs", 5) == 0)
		return K_ATTRS;
	return K_ATTR;
}

/* Whether rule r is a JSON rule that tests key == a string; its value. */
static const struct pred *
string_test(const struct rule *r, const char *key, size_t kl)
{
	int	 i;

	if (r->is_text)
		return NULL;
	for (i = 0; i < r->npreds; i++)
		if (r->preds[i].op == PRED_EQ && r->preds[i].is_string &&
		    r->preds[i].ref.len == kl &&
		    memcmp(r->preds[i].ref.path, key, kl) == 0)
			return &r->preds[i];
	return NULL;
}

/* The field most JSON rules test against a string, if two or more do. */
static const struct ref *
dispatch_key(const struct ruleset *rs)
{
	const struct ref *best = NULL, *ref;
	int		 i, j, k, n, most = 1;

	for (i = 0; i < rs->nrules; i++) {
		const struct rule *r = &rs->rules[i];
		if (r->is_text)
			continue;
		for (j = 0; j < r->npreds; j++) {
			if (r->preds[j].op != PRED_EQ || !r->preds[j].is_string)
				continue;
			ref = &r->preds[j].ref;
			for (n = 0, k = 0; k < rs->nrules; k++)
				if (string_test(&rs->rules[k], ref->path,
				    ref->len) != NULL)
					n++;
			if (n > most) {
				most = n;
				best = ref;
			}
		}
	}
	return best;
}

/* A new list of the rules of rs that a record whose key is value v
 * (NULL: any other) may match, in order. */
static int *
dispatch_list(struct ruleset *rs, const char *v, size_t vl)
{
	struct dispatch	*dp = &rs->disp;
	const struct pred *pr;
	int		*l = xcalloc((size_t)rs->nrules + 1, sizeof(int));
	int		 i, n = 0;

	for (i = 0; i < rs->nrules; i++) {
		if (rs->rules[i].is_text)
			continue;
		pr = string_test(&rs->rules[i], dp->key.path, dp->key.len);
		if (pr == NULL || (v != NULL && pr->len == vl &&
		    memcmp(pr->str, v, vl) == 0))
			l[n++] = i;
	}
	l[n] = -1;
	dp->all = xreallocarray(dp->all, (size_t)dp->nall + 1, sizeof(int *));
	dp->all[dp->nall++] = l;
	return l;
}

static void
dispatch_build(struct ruleset *rs)
{
	struct dispatch	*dp = &rs->disp;
	const struct ref *key = dispatch_key(rs);
	const struct pred *pr;
	struct buf	 vals = BUF_INIT;
	size_t		*off;
	int		 i, n = 0;

	if (key == NULL)
		return;
	ref_init(&dp->key, key->path, key->len, key->line);
	number_ref(&rs->names, &dp->key);
	for (i = 0; i < rs->nrules; i++)
		if ((pr = string_test(&rs->rules[i], key->path,
		    key->len)) != NULL)
			rs->rules[i].dispatched = (int)(pr - rs->rules[i].preds) + 1;
	dp->others = dispatch_list(rs, NULL, 0);
	/* the values, kept together so that the map's keys stay put */
	off = xcalloc((size_t)rs->nrules + 1, sizeof(size_t));
	for (i = 0; i < rs->nrules; i++)
		if ((pr = string_test(&rs->rules[i], key->path,
		    key->len)) != NULL) {
			off[i] = vals.len;
			buf_add(&vals, pr->str, pr->len);
			n++;
		}
	if (vals.p == NULL)
		buf_grow(&vals, 0);
	dp->values = buf_detach(&vals, NULL);
	for (i = 0; i < rs->nrules; i++)
		if ((pr = string_test(&rs->rules[i], key->path,
		    key->len)) != NULL) {
			void **slot = map_put(&dp->lists, dp->values + off[i],
			    pr->len);
			if (*slot == NULL)
				*slot = dispatch_list(rs, pr->str, pr->len);
		}
	free(off);
}

const int *
dispatch_rules(const struct ruleset *rs, const char *v, size_t n)
{
	const int	*l;

	if (rs->disp.key.path == NULL)
		return NULL;
	if (v != NULL && (l = map_get(&rs->disp.lists, v, n)) != NULL)
		return l;
	return rs->disp.others;
}

void
ruleset_index(struct ruleset *rs)
{
	struct names	*nm = &rs->names;
	int		 i, j;

	ruleset_index_release(rs);
	for (i = 0; i < EF_NFIELDS; i++)
		(void)names_add(nm, event_field_name[i],
		    strlen(event_field_name[i]));
	(void)names_add(nm, "attrs", 5);
	for (i = 0; i < rs->nrules; i++) {
		struct rule *r = &rs->rules[i];
		each_ref(r, add_ref, nm);
		for (j = 0; j < r->nused; j++)
			(void)names_add(nm, r->used[j], r->usedlen[j]);
	}
	for (i = 0; i < rs->nrules; i++) {
		struct rule *r = &rs->rules[i];
		each_ref(r, number_ref, nm);
		r->klass = xcalloc((size_t)nm->n, 1);
		for (j = 0; j < nm->n; j++)
			r->klass[j] = klass(r, nm, j);
	}
	dispatch_build(rs);
}

void
ruleset_index_release(struct ruleset *rs)
{
	struct names	*nm = &rs->names;
	struct dispatch	*dp = &rs->disp;
	int		 i;

	for (i = 0; i < nm->n; i++)
		free(nm->name[i]);
	free(nm->name);
	free(nm->len);
	free(nm->field);
	free(nm->tab);
	memset(nm, 0, sizeof(*nm));
	for (i = 0; i < rs->nrules; i++) {
		free(rs->rules[i].klass);
		rs->rules[i].klass = NULL;
		rs->rules[i].dispatched = 0;
	}
	free(dp->key.path);
	map_release(&dp->lists);
	for (i = 0; i < dp->nall; i++)
		free(dp->all[i]);
	free(dp->all);
	free(dp->values);
	memset(dp, 0, sizeof(*dp));
}
