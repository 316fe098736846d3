/*
 * program.c - running a rule's jq program over a record; see fields.h and
 * lognorm-rules(5).
 *
 * Each output of the program is an object: an event (mapped by fields.c),
 * or a reject of its own when it cannot be mapped (a bad timestamp...) or
 * says so, {"reject": "why", "raw": what}.  Until the first event the rule has not
 * taken the record: bad outputs are held back, and if the program fails
 * or ends without an event the record falls through to the next rule
 * (reason: the first failure), as a rule without a program does.  From the
 * first event on, events are written as they come (n->commit flushes
 * them), and the held and later bad outputs go to the reject stream, each
 * naming its place ("output 3"), so that one bad span of an export does
 * not lose the good ones.
 *
 * Bounds, per rule (rule.h): jq_max_events outputs per record, past which
 * the rest of the record is a reject; jq_max_bytes per output, past which
 * the output is a reject; and jq_timeout seconds per record.  libjq 1.6
 * cannot be interrupted: a program that does not end (def f: f; f), or
 * that builds a huge value before its first output, keeps running.  So a
 * watchdog (SIGALRM) ends lognorm if the program is still running when
 * its time is up: it writes what was made so far, says which rule and
 * record, and exits with status 3.  Only async-signal-safe calls are made
 * there (write(2), _exit(2)), on a message prepared before the program
 * starts.
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "decode.h"
#include "fields.h"
#include "jw.h"
#include "lp.h"

/* The watchdog's view of the program running now. */
static volatile sig_atomic_t	 wd_in_jq;	/* inside jq_next() */
static volatile sig_atomic_t	 wd_expired;	/* time up between outputs */
static char			 wd_msg[768];	/* what to say */
static size_t			 wd_msglen;
static const struct buf		*wd_out;	/* what to write first */
static bool			 wd_armed;

static void
watchdog(int sig)
{
	const char	*p;
	size_t		 n;
	ssize_t		 w;

	(void)sig;
	if (!wd_in_jq) {
		wd_expired = 1;
		return;
	}
	/* Stuck in libjq: keep what was made, say why, stop. */
	for (p = wd_out->p, n = wd_out->len; n > 0 && p != NULL; p += w, n -=
	    (size_t)w)
		if ((w = write(STDOUT_FILENO, p, n)) <= 0)
			break;
	if (write(STDERR_FILENO, wd_msg, wd_msglen) < 0)
		_exit(LP_EXIT_FAIL);
	_exit(LP_EXIT_FAIL);
}

/*
 * Prepare the watchdog's message for rule r on the current record (control
 * bytes of the input's name shown as '?': the handler cannot escape).
 */
static void
watchdog_arm(const struct norm *n, const struct rule *r, const struct buf *out)
{
	struct sigaction sa;
	int		 k;
	size_t		 i;

	if (!wd_armed) {
		memset(&sa, 0, sizeof(sa));
		sa.sa_handler = watchdog;
		sigemptyset(&sa.sa_mask);
		sigaction(SIGALRM, &sa, NULL);
		wd_armed = true;
	}
	k = snprintf(wd_msg, sizeof(wd_msg), "lognorm: %s:%ld: rule '%s': jq "
	    "program still running after %u s (jq_timeout): stopping\n",
	    n->input, n->line, r->name, r->jq_timeout);
	wd_msglen = k < 0 ? 0 : (size_t)k >= sizeof(wd_msg) ?
	    sizeof(wd_msg) - 1 : (size_t)k;
	for (i = 0; i + 1 < wd_msglen; i++)
		if ((unsigned char)wd_msg[i] < 0x20 || wd_msg[i] == 0x7f)
			wd_msg[i] = '?';
	wd_out = out;
	wd_expired = 0;
	alarm(r->jq_timeout);
}

/* An output that could not be mapped, waiting for the first event. */
struct held {
	long		 index;		/* from 1 */
	size_t		 off, len;	/* reason, then raw, in n->heldtext */
	size_t		 rawlen;
};

/* Report output index (from 1) as a reject: reason, then its text. */
static void
output_reject(struct norm *n, const struct rule *r, long index,
    const char *why, size_t wl, const char *raw, size_t rawlen)
{
	reject_add(n->rej, n->input, n->line, raw, rawlen, "%.*s (output %ld "
	    "of rule '%s')", (int)wl, why, index, r->name);
	n->out_rejects++;
}

/* A bad output: held until the first event, or reported. */
static void
output_bad(struct norm *n, const struct rule *r, long index, long events,
    const char *why, const char *raw, size_t rawlen)
{
	struct held	*h;

	if (events > 0) {
		output_reject(n, r, index, why, strlen(why), raw, rawlen);
		return;
	}
	/* What is held is bounded: raw texts up to jq_max_bytes in all,
	 * reasons cut as reject_add would cut them. */
	if (n->heldtext.len + rawlen > r->jq_max_bytes)
		rawlen = 0;
	xgrow(&n->held, &n->heldcap, n->nheld + 1, sizeof(*n->held));
	h = &n->held[n->nheld++];
	h->index = index;
	h->off = n->heldtext.len;
	h->len = strlen(why);
	if (h->len > 400)
		h->len = 400;
	h->rawlen = rawlen;
	buf_add(&n->heldtext, why, h->len);
	buf_add(&n->heldtext, raw, rawlen);
}

/* The first event came: the held outputs are rejects now. */
static void
held_flush(struct norm *n, const struct rule *r)
{
	size_t	 i;

	for (i = 0; i < n->nheld; i++) {
		const struct held *h = &n->held[i];
		output_reject(n, r, h->index, n->heldtext.p + h->off, h->len,
		    n->heldtext.p + h->off + h->len, h->rawlen);
	}
	n->nheld = 0;
	buf_reset(&n->heldtext);
}

/* The program's input: the record, or for a text rule its captures. */
static bool
program_input(struct norm *n, const struct rec *rc, const char *rec,
    size_t len, jv *in)
{
	const struct rule *r = rc->r;
	struct val	 v;
	int		 i;

	if (rc->doc == NULL) {
		buf_reset(&n->jqtext);
		buf_addc(&n->jqtext, '{');
		for (i = 0; i < r->ncaps; i++) {
			struct ref ref = { .group = r->caps[i].group };
			rec_get(rc, &ref, &v);
			if (v.kind == V_NONE)
				continue;
			if (n->jqtext.len > 1)
				buf_addc(&n->jqtext, ',');
			jw_cstr(&n->jqtext, r->caps[i].name);
			buf_addc(&n->jqtext, ':');
			jw_str(&n->jqtext, v.p, v.n);
		}
		buf_addc(&n->jqtext, '}');
		rec = n->jqtext.p;
		len = n->jqtext.len;
	}
	if (len > INT32_MAX) {
		buf_reset(&n->tmp);
		buf_adds(&n->tmp, "record too large for jq");
		return false;
	}
	*in = jv_parse_sized(rec, (int)len);
	if (!jv_is_valid(*in)) {
		jv_free(*in);
		buf_reset(&n->tmp);
		buf_adds(&n->tmp, "jq: input not readable by jq");
		return false;
	}
	return true;
}

/* The message of an invalid jv with one (consumed), into n->tmp. */
static void
jq_error(struct norm *n, jv res)
{
	jv	 msg = jv_invalid_get_msg(res), d;

	buf_reset(&n->tmp);
	if (jv_get_kind(msg) == JV_KIND_STRING)
		buf_addf(&n->tmp, "jq: %s", jv_string_value(msg));
	else {
		d = jv_dump_string(jv_copy(msg), 0);
		buf_addf(&n->tmp, "jq: %s", jv_string_value(d));
		jv_free(d);
	}
	jv_free(msg);
}

/*
 * Whether the output in d is {"reject": "why"} or {"reject": "why", "raw":
 * VALUE}: why into n->tmp, the raw text (a string's content, else the
 * value's JSON, else the whole output) into *raw.
 */
static bool
is_reject(struct norm *n, const struct jdoc *d, const char **raw,
    size_t *rawlen)
{
	const char	*p;
	size_t		 len;
	int		 why = get_last(d, 0, "reject", 6);
	int		 rt = get_last(d, 0, "raw", 3);

	if (why < 0 || d->t[why].type != J_STRING ||
	    d->t[0].count != (rt < 0 ? 1u : 2u))
		return false;
	jdoc_str(d, why, &n->keytmp, &p, &len);
	buf_reset(&n->tmp);
	buf_add(&n->tmp, p, len);
	if (rt >= 0 && d->t[rt].type == J_STRING)
		jdoc_str(d, rt, &n->keyname, raw, rawlen);
	else if (rt >= 0) {
		*raw = d->src + d->t[rt].start;
		*rawlen = d->t[rt].end - d->t[rt].start;
	}
	return true;
}

void
outputs_begin(struct outputs *o, struct norm *n, const struct rec *rc,
    struct buf *out)
{
	memset(o, 0, sizeof(*o));
	o->n = n;
	o->rc = rc;
	o->out = out;
	n->nheld = 0;
	buf_reset(&n->heldtext);
}

void
outputs_reject(struct outputs *o, const char *why, const char *raw,
    size_t rawlen)
{
	o->outputs++;
	output_bad(o->n, o->rc->r, o->outputs, o->events, why, raw, rawlen);
}

bool
outputs_doc(struct outputs *o, const struct jdoc *doc, const char *text,
    size_t len)
{
	struct norm	*n = o->n;
	struct rec	 sub = *o->rc;

	o->outputs++;
	sub.doc = doc;
	sub.root = 0;
	sub.from_text = false;
	sub.kx = &n->kx;
	sub.unique = o->unique;
	if (o->memid != NULL)
		keyidx_known(&n->kx, &n->rs->names, doc, 0, o->memid);
	else
		keyidx_build(&n->kx, &n->rs->names, doc, 0);
	n->index = o->outputs - 1;
	if (emit(n, &sub, o->out)) {
		if (o->events++ == 0)
			held_flush(n, o->rc->r);
		/* written as they come; stop if no one reads them any
		 * more */
		if (n->commit != NULL && !n->commit())
			o->stop = o->gone = true;
	} else
		output_bad(n, o->rc->r, o->outputs, o->events, n->tmp.p, text,
		    len);
	n->index = -1;
	return !o->stop;
}

/* (decode.h: an event that its maker wrote itself) */
bool
outputs_event(struct outputs *o)
{
	o->outputs++;
	if (o->events++ == 0)
		held_flush(o->n, o->rc->r);
	if (o->n->commit != NULL && !o->n->commit())
		o->stop = o->gone = true;
	return !o->stop;
}

bool
outputs_object(struct outputs *o, const char *text, size_t len)
{
	struct norm	*n = o->n;
	const char	*raw;
	size_t		 rawlen;

	if (!jdoc_parse(&n->jqdoc, text, len)) {
		outputs_reject(o, "jq: output not readable", text, len);
		return true;
	}
	if (is_reject(n, &n->jqdoc, &raw, &rawlen)) {
		outputs_reject(o, n->tmp.p, raw, rawlen);
		return true;
	}
	return outputs_doc(o, &n->jqdoc, text, len);
}

int
outputs_end(struct outputs *o, bool failed, const char *rec, size_t len)
{
	struct norm	*n = o->n;
	const struct rule *r = o->rc->r;

	if (o->events > 0) {
		/* The rule took the record: what went wrong after the first
		 * event is a reject of its own (unless output is gone: the
		 * run ends). */
		if (failed && !o->gone)
			output_reject(n, r, o->outputs, n->tmp.p, n->tmp.len,
			    rec, len);
		return (int)(o->events > INT32_MAX ? INT32_MAX : o->events);
	}
	/* No event: the rule failed for this record; the first reason. */
	if (n->nheld > 0) {
		buf_reset(&n->tmp);
		buf_add(&n->tmp, n->heldtext.p + n->held[0].off,
		    n->held[0].len);
	} else if (!failed) {
		buf_reset(&n->tmp);
		buf_addf(&n->tmp, "no events: rule '%s' produced none",
		    r->name);
	}
	n->nheld = 0;
	return -1;
}

int
program_run(struct norm *n, const struct rec *rc, const char *rec, size_t len,
    struct buf *out)
{
	const struct rule *r = rc->r;
	struct outputs	 o;
	jv		 in, res, s;
	const char	*text;
	size_t		 tl;
	bool		 stop = false;

	outputs_begin(&o, n, rc, out);
	if (!program_input(n, rc, rec, len, &in))
		return -1;
	if (r->jq_timeout > 0)
		watchdog_arm(n, r, out);
	jq_start(r->jq, in, 0);
	for (;;) {
		wd_in_jq = 1;
		res = jq_next(r->jq);
		wd_in_jq = 0;
		if (!jv_is_valid(res))
			break;
		if (o.outputs >= r->jq_max_events) {
			jv_free(res);
			buf_reset(&n->tmp);
			buf_addf(&n->tmp, "jq: more than %ld outputs (jq_max_events)"
			    ": the rest of the record is not read",
			    r->jq_max_events);
			o.outputs++;
			stop = true;
			break;
		}
		s = jv_dump_string(res, 0);
		text = jv_string_value(s);
		tl = (size_t)jv_string_length_bytes(jv_copy(s));
		if (text[0] != '{')
			outputs_reject(&o, "jq: output is not an object", text,
			    tl);
		else if (tl > r->jq_max_bytes) {
			buf_reset(&n->tmp);
			buf_addf(&n->tmp, "jq: output of %zu bytes, more than "
			    "%zu (jq_max_bytes)", tl, r->jq_max_bytes);
			outputs_reject(&o, n->tmp.p, "", 0);
		} else if (!outputs_object(&o, text, tl))
			stop = true;
		jv_free(s);
		if (stop)
			break;
		if (wd_expired) {
			buf_reset(&n->tmp);
			buf_addf(&n->tmp, "jq: still running after %u s "
			    "(jq_timeout)", r->jq_timeout);
			stop = true;
			break;
		}
	}
	if (r->jq_timeout > 0)
		alarm(0);
	if (!stop) {
		if (jv_invalid_has_msg(jv_copy(res))) {
			jq_error(n, res);
			stop = true;
		} else
			jv_free(res);
	}
	return outputs_end(&o, stop && !o.gone, rec, len);
}
