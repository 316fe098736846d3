/*
 * decode.c - what lognorm's native span decoders share, and running one
 * over a record; see decode.h.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

#include "decode.h"
#include "jw.h"
#include "map.h"

/* ---- kvset ------------------------------------------------------------ */

#define KV_LINEAR	8	/* names looked up without the table */

void
kvset_reset(struct kvset *s)
{
	buf_reset(&s->names);
	buf_reset(&s->vals);
	if (s->n > KV_LINEAR && s->tab != NULL)
		memset(s->tab, 0, s->tabcap * sizeof(*s->tab));
	s->n = 0;
}

void
kvset_release(struct kvset *s)
{
	buf_release(&s->names);
	buf_release(&s->vals);
	free(s->kv);
	free(s->tab);
	memset(s, 0, sizeof(*s));
}

static bool
kv_is(const struct kvset *s, size_t i, const char *k, size_t kl)
{
	return s->kv[i].klen == kl &&
	    memcmp(s->names.p + s->kv[i].koff, k, kl) == 0;
}

/* The place of name k in the table (its slot, holding index + 1 or 0). */
static size_t
kv_slot(const struct kvset *s, const char *k, size_t kl)
{
	size_t	 mask = s->tabcap - 1, h = (size_t)map_hash(k, kl) & mask;

	while (s->tab[h] != 0 && !kv_is(s, s->tab[h] - 1, k, kl))
		h = (h + 1) & mask;
	return h;
}

static void
kv_rehash(struct kvset *s)
{
	size_t	 i;

	free(s->tab);
	s->tabcap = 64;
	while (s->tabcap < 2 * s->n + 2)
		s->tabcap *= 2;
	s->tab = xcalloc(s->tabcap, sizeof(*s->tab));
	for (i = 0; i < s->n; i++)
		s->tab[kv_slot(s, s->names.p + s->kv[i].koff,
		    s->kv[i].klen)] = (uint32_t)i + 1;
}

/* The index of name k, or s->n. */
static size_t
kv_find(const struct kvset *s, const char *k, size_t kl)
{
	size_t	 i, h;

	if (s->n <= KV_LINEAR) {
		for (i = 0; i < s->n; i++)
			if (kv_is(s, i, k, kl))
				return i;
		return s->n;
	}
	h = kv_slot(s, k, kl);
	return s->tab[h] != 0 ? s->tab[h] - 1 : s->n;
}

void
kvset_set(struct kvset *s, const char *k, size_t kl, const char *v, size_t vl)
{
	size_t	 i = kv_find(s, k, kl);

	if (i == s->n) {
		xgrow(&s->kv, &s->cap, s->n + 1, sizeof(*s->kv));
		s->kv[i].koff = s->names.len;
		s->kv[i].klen = kl;
		buf_add(&s->names, k, kl);
		if (s->names.p == NULL)
			buf_grow(&s->names, 0);
		s->n++;
		if (s->n > KV_LINEAR) {
			if (s->tab == NULL || 2 * s->n + 2 > s->tabcap ||
			    s->n == KV_LINEAR + 1)
				kv_rehash(s);
			else
				s->tab[kv_slot(s, k, kl)] = (uint32_t)s->n;
		}
	}
	s->kv[i].voff = s->vals.len;
	s->kv[i].vlen = vl;
	buf_add(&s->vals, v, vl);
}

bool
kvset_get(const struct kvset *s, const char *k, size_t kl, const char **v,
    size_t *vl)
{
	size_t	 i = kv_find(s, k, kl);

	if (i == s->n)
		return false;
	*v = s->vals.p + s->kv[i].voff;
	*vl = s->kv[i].vlen;
	return true;
}

void
kvset_write(const struct kvset *s, struct buf *out)
{
	size_t	 i;

	buf_addc(out, '{');
	for (i = 0; i < s->n; i++) {
		if (i > 0)
			buf_addc(out, ',');
		jw_str(out, s->names.p + s->kv[i].koff, s->kv[i].klen);
		buf_addc(out, ':');
		buf_add(out, s->vals.p + s->kv[i].voff, s->kv[i].vlen);
	}
	buf_addc(out, '}');
}

/* ---- helpers ------------------------------------------------------------ */

void
dec_free(struct dec *dc)
{
	if (dc == NULL)
		return;
	buf_release(&dc->obj);
	jb_release(&dc->jb);
	jdoc_release(&dc->odoc);
	buf_release(&dc->err);
	buf_release(&dc->why);
	buf_release(&dc->raw);
	buf_release(&dc->s);
	buf_release(&dc->s2);
	buf_release(&dc->v);
	buf_release(&dc->res);
	buf_release(&dc->attrs);
	kvset_release(&dc->kres);
	kvset_release(&dc->kattrs);
	kvset_release(&dc->kev);
	for (int k = 0; k < DEC_KVPOOL; k++) {
		buf_release(&dc->kvval[k]);
		buf_release(&dc->kvname[k]);
	}
	free(dc->mem);
	buf_release(&dc->vals);
	buf_release(&dc->ev_attrs);
	buf_release(&dc->ev_src);
	for (int f = 0; f < EF_NSTR; f++)
		buf_release(&dc->ev_str[f]);
	free(dc);
}

bool
dec_error(struct dec *dc, const char *fmt, ...)
{
	va_list	 ap;
	char	 msg[512];

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	buf_reset(&dc->err);
	buf_adds(&dc->err, msg);
	return false;
}

bool
dec_index_error(struct dec *dc, int tok, const char *key)
{
	return dec_error(dc, "Cannot index %s with string \"%s\"",
	    jqv_kind(dc->d, tok), key);
}

bool
dec_get(struct dec *dc, int tok, const char *key, int *val)
{
	*val = -1;
	if (tok < 0 || dc->d->t[tok].type == J_NULL)
		return true;
	if (dc->d->t[tok].type != J_OBJECT)
		return dec_index_error(dc, tok, key);
	*val = get_last(dc->d, tok, key, strlen(key));
	return true;
}

static int
b64val(unsigned char c)
{
	if (c >= 'A' && c <= 'Z')
		return c - 'A';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 26;
	if (c >= '0' && c <= '9')
		return c - '0' + 52;
	if (c == '+')
		return 62;
	if (c == '/')
		return 63;
	return -1;
}

/* The bytes of base64 text s[0..n) (n a multiple of 4, '=' padded) into
 * out; false if it is not base64. */
static bool
base64(const char *s, size_t n, unsigned char *out, size_t *outlen)
{
	size_t		 i, k = 0;
	int		 a, b, c, d;

	for (i = 0; i < n; i += 4) {
		a = b64val((unsigned char)s[i]);
		b = b64val((unsigned char)s[i + 1]);
		c = s[i + 2] == '=' && i + 4 == n ? -2 :
		    b64val((unsigned char)s[i + 2]);
		d = s[i + 3] == '=' && i + 4 == n ? -2 :
		    b64val((unsigned char)s[i + 3]);
		if (a < 0 || b < 0 || c == -1 || d == -1 || (c == -2 && d != -2))
			return false;
		out[k++] = (unsigned char)(a << 2 | b >> 4);
		if (c >= 0)
			out[k++] = (unsigned char)((b & 15) << 4 | c >> 2);
		if (d >= 0)
			out[k++] = (unsigned char)((c & 3) << 6 | d);
	}
	*outlen = k;
	return true;
}

/*
 * The common id, s[0..n) lower-case hex digits and not all zeros (so not
 * base64 either): written as it is, quoted; false for any other.
 */
static bool
plain_hex(const char *s, size_t n, struct buf *out)
{
	size_t		 i = 0;
	unsigned char	 c, nonzero = 0;

#ifdef __SSE2__
	/* sixteen bytes at a time (ids are 16 or 32): in '0'-'9' or
	 * 'a'-'f' (signed compares: bytes from 0x80 are below '0') */
	for (; n - i >= 16; i += 16) {
		__m128i	 x = _mm_loadu_si128((const __m128i *)(s + i));
		__m128i	 dig = _mm_and_si128(
		    _mm_cmpgt_epi8(x, _mm_set1_epi8('0' - 1)),
		    _mm_cmplt_epi8(x, _mm_set1_epi8('9' + 1)));
		__m128i	 af = _mm_and_si128(
		    _mm_cmpgt_epi8(x, _mm_set1_epi8('a' - 1)),
		    _mm_cmplt_epi8(x, _mm_set1_epi8('f' + 1)));

		if (_mm_movemask_epi8(_mm_or_si128(dig, af)) != 0xffff)
			return false;
		if (_mm_movemask_epi8(_mm_cmpeq_epi8(x,
		    _mm_set1_epi8('0'))) != 0xffff)
			nonzero = 1;
	}
#endif
	for (; i < n; i++) {
		c = (unsigned char)s[i];
		if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f')))
			return false;
		nonzero |= c ^ '0';
	}
	if (nonzero == 0)
		return false;
	if (out->cap - out->len <= n + 2)
		buf_grow(out, n + 2);
	out->p[out->len++] = '"';
	memcpy(out->p + out->len, s, n);
	out->len += n;
	out->p[out->len++] = '"';
	out->p[out->len] = '\0';
	return true;
}

void
dec_id(struct dec *dc, int tok, struct buf *out)
{
	static const char hex[] = "0123456789abcdef";
	const struct jtok *t;
	const char	*p;
	size_t		 len, i, nb;
	unsigned char	 bytes[18];
	char		*o;

	if (tok < 0 || dc->d->t[tok].type != J_STRING) {
		jw_null(out);
		return;
	}
	t = &dc->d->t[tok];
	if (!(t->flags & (JT_ESCAPED | JT_BADUTF8)) && plain_hex(dc->d->src +
	    t->start + 1, t->end - t->start - 2, out))
		return;
	jdoc_str(dc->d, tok, &dc->s, &p, &len);
	/* all zeros is no id (jq's test("^0+$"): a final newline allowed) */
	for (i = 0; i < len && p[i] == '0'; i++)
		;
	if (len == 0 || (i > 0 && (i == len || (i + 1 == len &&
	    p[i] == '\n')))) {
		jw_null(out);
		return;
	}
	if (((len == 12 && p[11] == '=') || (len == 24 && p[22] == '=' &&
	    p[23] == '=')) && base64(p, len, bytes, &nb) && (nb == 8 ||
	    nb == 16)) {
		for (i = 0; i < nb && bytes[i] == 0; i++)
			;
		if (i == nb) {
			jw_null(out);
			return;
		}
		buf_grow(out, 2 * nb + 2);
		o = out->p + out->len;
		*o++ = '"';
		for (i = 0; i < nb; i++) {
			*o++ = hex[bytes[i] >> 4];
			*o++ = hex[bytes[i] & 15];
		}
		*o++ = '"';
		*o = '\0';
		out->len = (size_t)(o - out->p);
		return;
	}
	/* ascii_downcase */
	for (i = 0; i < len && !(p[i] >= 'A' && p[i] <= 'Z'); i++)
		;
	if (i < len) {
		if (p != dc->s.p) {
			buf_reset(&dc->s);
			buf_add(&dc->s, p, len);
			p = dc->s.p;
		}
		for (; i < len; i++)
			if (dc->s.p[i] >= 'A' && dc->s.p[i] <= 'Z')
				dc->s.p[i] = (char)(dc->s.p[i] - 'A' + 'a');
	}
	if (t->flags & JT_BADUTF8)
		jqv_str(out, p, len);
	else
		jw_str(out, p, len);
}

void
dec_write(struct dec *dc, int tok, struct buf *out)
{
	const struct jtok *t;

	if (tok >= 0 && (t = &dc->d->t[tok])->type == J_STRING &&
	    !(t->flags & (JT_ESCAPED | JT_BADUTF8)) &&
	    jw_plain(dc->d->src + t->start + 1, t->end - t->start - 2)) {
		/* what jw_str would write of it: its own text */
		buf_add(out, dc->d->src + t->start, t->end - t->start);
		return;
	}
	jqv_write(dc->d, tok, out, &dc->s);
}

int
dec_nz(struct dec *dc, int tok)
{
	const struct jtok *t;

	if (!jqv_truthy(dc->d, tok))
		return -1;
	t = &dc->d->t[tok];
	if (t->type == J_STRING && (jqv_str_eq(dc->d, tok, "", 0) ||
	    jqv_str_eq(dc->d, tok, "0", 1)))
		return -1;
	if (t->type == J_NUMBER && jqv_number(dc->d, tok) == 0)
		return -1;
	return tok;
}

void
dec_or_null(struct dec *dc, int tok, struct buf *out)
{
	if (jqv_truthy(dc->d, tok))
		dec_write(dc, tok, out);
	else
		jw_null(out);
}

void
kvset_or_null(const struct kvset *s, const char *name, struct buf *out)
{
	const char	*v;
	size_t		 vl;

	if (!kvset_get(s, name, strlen(name), &v, &vl) || (vl == 4 && memcmp(v, "null", 4) == 0) ||
	    (vl == 5 && memcmp(v, "false", 5) == 0))
		jw_null(out);
	else
		buf_add(out, v, vl);
}

void
dec_bad(struct dec *dc, const char *what, int tok)
{
	const char	*p;
	size_t		 len;

	int		 k;

	buf_reset(&dc->why);
	buf_addf(&dc->why, "bad %s: ", what);
	for (k = 0; k < dc->nseg; k++) {
		if (k > 0 && *dc->seg[k].name != '\0')
			buf_addc(&dc->why, '.');
		buf_adds(&dc->why, dc->seg[k].name);
		buf_addc(&dc->why, '[');
		jw_int(&dc->why, (int64_t)dc->seg[k].i);
		buf_addc(&dc->why, ']');
	}
	if (dc->nseg > 0)
		buf_addlit(&dc->why, ": ");
	buf_add(&dc->why, dc->err.p, dc->err.len);
	buf_reset(&dc->raw);
	if (tok >= 0 && dc->d->t[tok].type == J_STRING) {
		jdoc_str(dc->d, tok, &dc->s, &p, &len);
		buf_add(&dc->raw, p, len);
	} else
		jqv_write(dc->d, tok, &dc->raw, &dc->s);
	outputs_reject(dc->o, dc->why.p, dc->raw.p ? dc->raw.p : "",
	    dc->raw.len);
}

/*
 * An item's object is made in two steps: the decoder gives its members
 * (dec_key and the others note each one's name and where its value's
 * text is), then dec_output() writes the event directly (devent.c) or,
 * when it cannot, makes the object and its tokens (jb.h) and maps it as
 * any rule's output.
 */
void
dec_begin(struct dec *dc)
{
	buf_reset(&dc->vals);
	if (dc->vals.p == NULL)
		buf_grow(&dc->vals, 0);
	dc->nmemb = 0;
	dc->attr0 = SIZE_MAX;
	dc->attr_split = false;
}

/*
 * The number of member name (a literal: its address is its key) among
 * the ruleset's names, and the event field it is, looked up once.
 */
static size_t
name_slot(struct dec *dc, const char *name, size_t n)
{
	size_t	 h = ((uintptr_t)name >> 3) & 63;

	while (dc->idcache[h].name != NULL && dc->idcache[h].name != name)
		h = (h + 1) & 63;
	if (dc->idcache[h].name == NULL) {
		dc->idcache[h].name = name;
		dc->idcache[h].id = names_lookup(&dc->n->rs->names, name, n);
		dc->idcache[h].field = event_field_lookup(name, n);
	}
	return h;
}

static void	mem_name(struct dec *, struct dec_mem *, const char *,
		    size_t);

/* An attribute's "name": (after a comma but for the first), into vals. */
static inline void
attr_name(struct dec *dc, const struct dec_mem *m)
{
	struct buf	*b = &dc->vals;
	char		*o;

	if (b->cap - b->len <= m->nlen + 4)
		buf_grow(b, m->nlen + 4);
	o = b->p + b->len;
	if (dc->attr0 == SIZE_MAX)
		dc->attr0 = b->len;
	else
		*o++ = ',';
	*o++ = '"';
	memcpy(o, m->name, m->nlen);
	o += m->nlen;
	*o++ = '"';
	*o++ = ':';
	*o = '\0';
	b->len = (size_t)(o - b->p);
}

/*
 * A new member, name (a literal), whose value comes next in dc->vals.
 * Its name's number and field are those of the last item's member in
 * the same place when that had the same name, as it mostly has: a
 * decoder gives its members in the same order item after item.
 */
static inline struct dec_mem *
mem_new(struct dec *dc, const char *name, size_t n)
{
	struct dec_mem	*m;

	if (dc->nmemb > 0) {
		m = &dc->mem[dc->nmemb - 1];
		m->len = dc->vals.len - m->off;
	}
	if (dc->nmemb == dc->memcap) {
		xgrow(&dc->mem, &dc->memcap, dc->nmemb + 1, sizeof(*dc->mem));
		memset(dc->mem + dc->nmemb, 0, (dc->memcap - dc->nmemb) *
		    sizeof(*dc->mem));
	}
	m = &dc->mem[dc->nmemb++];
	if (m->name != name)
		mem_name(dc, m, name, n);
	if (dc->direct) {
		if (m->field < 0)
			attr_name(dc, m);
		else if (dc->attr0 != SIZE_MAX)
			dc->attr_split = true;
	}
	m->off = dc->vals.len;
	m->set = NULL;
	return m;
}

/* (the rare case, out of the way) */
static void __attribute__((noinline))
mem_name(struct dec *dc, struct dec_mem *m, const char *name, size_t n)
{
	size_t	 h = name_slot(dc, name, n);

	m->name = name;
	m->nlen = n;
	m->id = dc->idcache[h].id;
	m->field = dc->idcache[h].field;
}

struct buf *
dec_key_n(struct dec *dc, const char *name, size_t n)
{
	(void)mem_new(dc, name, n);
	return &dc->vals;
}

void
dec_key_kvset_n(struct dec *dc, const char *name, size_t n,
    const struct kvset *set)
{
	mem_new(dc, name, n)->set = set;
	kvset_write(set, &dc->vals);
}

void
dec_end(struct dec *dc)
{
	if (dc->nmemb > 0)
		dc->mem[dc->nmemb - 1].len = dc->vals.len -
		    dc->mem[dc->nmemb - 1].off;
}

/* The object of the members given, its text and tokens (dc->obj,
 * dc->odoc), and their names' numbers (dc->memid). */
static void
make_object(struct dec *dc)
{
	const struct dec_mem *m;
	const struct kvset *set;
	size_t		 i, k;

	jb_start(&dc->jb, &dc->odoc, &dc->obj);
	dc->nmem = 0;
	for (i = 0; i < dc->nmemb; i++) {
		m = &dc->mem[i];
		jb_key(&dc->jb, m->name, m->nlen);
		if (dc->nmem < (int)(sizeof(dc->memid) /
		    sizeof(dc->memid[0])))
			dc->memid[dc->nmem] = m->id;
		dc->nmem++;
		if ((set = m->set) != NULL) {
			jb_open(&dc->jb);
			for (k = 0; k < set->n; k++) {
				jb_key_str(&dc->jb, set->names.p +
				    set->kv[k].koff, set->kv[k].klen);
				jb_value(&dc->jb, set->vals.p +
				    set->kv[k].voff, set->kv[k].vlen);
			}
			jb_close(&dc->jb);
		} else
			jb_value(&dc->jb, dc->vals.p + m->off, m->len);
	}
	jb_finish(&dc->jb);
}

bool
dec_output(struct dec *dc)
{
	if (dc->direct && dec_event(dc)) {
		if (!outputs_event(dc->o))
			dc->stop = true;
		return !dc->stop;
	}
	make_object(dc);
	/* (the numbers, when every member's is noted) */
	dc->o->memid = dc->nmem <= (int)(sizeof(dc->memid) /
	    sizeof(dc->memid[0])) ? dc->memid : NULL;
	if (!outputs_doc(dc->o, &dc->odoc, dc->obj.p, dc->obj.len))
		dc->stop = true;
	return !dc->stop;
}

void
dec_fields(struct dec *dc, int obj, const struct dec_name *names, int n,
    int *toks)
{
	const struct jdoc *d = dc->d;
	const struct jtok *t;
	const char	*key;
	size_t		 kl;
	uint32_t	 m, k;
	int		 i, j;

	for (i = 0; i < n; i++)
		toks[i] = -1;
	i = 0;
	if (obj < 0 || d->t[obj].type != J_OBJECT)
		return;
	for (m = 0, k = (uint32_t)obj + 1; m < d->t[obj].count; m++,
	    k = d->t[k + 1].next) {
		t = &d->t[k];
		if (t->flags & JT_ESCAPED)
			jdoc_str(d, (int)k, &dc->s2, &key, &kl);
		else {
			key = d->src + t->start + 1;
			kl = t->end - t->start - 2;
		}
		/* members mostly come in the order of names: the one
		 * after the last found is tried first */
		for (j = 0; j < n; j++, i = i + 1 < n ? i + 1 : 0)
			if (names[i].n == kl && key[0] == names[i].s[0] &&
			    memcmp(key, names[i].s, kl) == 0) {
				toks[i] = (int)k + 1;
				i = i + 1 < n ? i + 1 : 0;
				break;
			}
	}
}

/* ---- running a decoder ---------------------------------------------------- */

int
decode_run(struct norm *n, const struct rec *rc, const char *rec, size_t len,
    struct buf *out)
{
	static const char *const names[] = {
		[DECODE_OTLP_TRACES] = "otlp-traces",
		[DECODE_OTLP_LOGS] = "otlp-logs",
		[DECODE_ZIPKIN] = "zipkin",
		[DECODE_ZIPKIN_SPAN] = "zipkin-span",
		[DECODE_JAEGER] = "jaeger",
		[DECODE_JAEGER_TRACE] = "jaeger-trace",
	};
	struct outputs	 o;
	struct dec	*dc;
	bool		 ok = false;

	if (n->dec == NULL)
		n->dec = xcalloc(1, sizeof(*n->dec));
	dc = n->dec;
	if (dc->n != n || dc->rs != n->rs) {
		/* the names' numbers are those of this ruleset */
		memset(dc->idcache, 0, sizeof(dc->idcache));
		for (size_t i = 0; i < dc->memcap; i++)
			dc->mem[i].name = NULL;
		dc->rs = n->rs;
	}
	dc->n = n;
	dc->o = &o;
	dc->d = rc->doc;
	dc->stop = false;
	buf_reset(&dc->err);
	dc->nseg = 0;
	dc->direct = dec_direct(n, rc->r);
	outputs_begin(&o, n, rc, out);
	o.unique = true;	/* the decoders' objects: distinct names */
	switch (rc->r->decode) {
	case DECODE_OTLP_TRACES:
		ok = otlp_traces(dc, rc->root);
		break;
	case DECODE_OTLP_LOGS:
		ok = otlp_logs(dc, rc->root);
		break;
	case DECODE_ZIPKIN:
	case DECODE_ZIPKIN_SPAN:
		ok = zipkin_spans(dc, rc->root,
		    rc->r->decode == DECODE_ZIPKIN_SPAN);
		break;
	case DECODE_JAEGER:
	case DECODE_JAEGER_TRACE:
		ok = jaeger_traces(dc, rc->root,
		    rc->r->decode == DECODE_JAEGER);
		break;
	default:
		dec_error(dc, "no such decoder");
		break;
	}
	if (!ok) {
		buf_reset(&n->tmp);
		buf_addf(&n->tmp, "%s: %s", names[rc->r->decode], dc->err.p);
	}
	return outputs_end(&o, !ok, rec, len);
}
