/*
 * reader.c - the record reader; see reader.h.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "buf.h"
#include "lp.h"
#include "out.h"
#include "reader.h"

const char *const rtype_name[RT_NTYPES] = {
	[RT_EVENT] = "event",
	[RT_TRACE] = "trace",
	[RT_SPAN] = "span",
	[RT_EDGE] = "edge",
	[RT_SERVICE] = "service",
	[RT_CYCLE] = "cycle",
	[RT_REJECT] = "reject",
	[RT_COMMIT] = "commit",
	[RT_OTHER] = "other",
};

static char *const stdin_only[] = { "-", NULL };

void
reader_init(struct reader *r, const char *tool, char *const *files,
    struct reject *rej, unsigned flags)
{
	memset(r, 0, sizeof(*r));
	r->tool = tool;
	r->files = files != NULL && *files != NULL ? files : stdin_only;
	r->rej = rej;
	r->flags = flags;
	r->wait = out_wait;
	lp_progress_enable(!(flags & READER_QUIET) && isatty(STDERR_FILENO));
}

static bool
is_blank(const char *p, size_t n)
{
	for (; n > 0; p++, n--)
		if (*p != ' ' && *p != '\t' && *p != '\r' && *p != '\f' &&
		    *p != '\v')
			return false;
	return true;
}

static enum rtype
type_of(const struct jdoc *d, int tok)
{
	const char	*p;
	size_t		 n;
	struct buf	 tmp = BUF_INIT;
	int		 i;

	jdoc_str(d, tok, &tmp, &p, &n);
	for (i = 0; i < RT_OTHER; i++)
		if (strlen(rtype_name[i]) == n && memcmp(rtype_name[i], p, n) == 0)
			break;
	buf_release(&tmp);
	return (enum rtype)i;
}

static const char *
kind_name(enum jtype t)
{
	switch (t) {
	case J_ARRAY:	return "an array";
	case J_STRING:	return "a string";
	case J_NUMBER:	return "a number";
	case J_NULL:	return "null";
	default:	return "a boolean";
	}
}

/* Stop at once: nothing more can be written, or we were told to. */
static bool
must_stop(const struct reader *r)
{
	return out_closed || out_failed || lp_stopped() ||
	    (r->rej != NULL && r->rej->failed);
}

/* The next line of the inputs, opening them in turn; false at the end. */
static bool
next_line(struct reader *r, char **line, long *len)
{
	for (;;) {
		if (must_stop(r))
			return false;
		if (!r->open) {
			if (*r->files == NULL)
				return false;
			if (!input_open(&r->in, *r->files++)) {
				lp_warn("%s", r->in.name);
				r->status = LP_EXIT_FAIL;
				continue;
			}
			r->in.wait = r->wait;
			r->open = true;
			r->input_no++;
		}
		if ((*len = input_line(&r->in, line)) >= 0)
			return true;
		if (*len == -2) {
			if (r->in.zmsg != NULL)
				lp_warnx("%s: %s", r->in.name, r->in.zmsg);
			else
				lp_warn("%s", r->in.name);
			r->status = LP_EXIT_FAIL;
		}
		input_close(&r->in);
		r->open = false;
	}
}

bool
reader_next(struct reader *r, struct record *rec)
{
	char	*line;
	long	 len;
	int	 t;

	while (next_line(r, &line, &len)) {
		r->lines++;
		if ((r->lines & 0xffff) == 0)
			lp_progress("%lu lines, %lu records, %lu rejected",
			    r->lines, r->records, r->rej ? r->rej->count : 0);
		if (is_blank(line, (size_t)len)) {
			r->blank++;
			continue;
		}
		r->records++;
		rec->input = r->in.name;
		rec->line = r->in.lineno;
		rec->text = line;
		rec->len = (size_t)len;
		rec->doc = NULL;
		rec->type = RT_OTHER;
		rec->input_no = r->input_no - 1;
		if (r->flags & READER_LINES)
			return true;
		if (!jdoc_parse(&r->doc, line, (size_t)len)) {
			reader_reject(r, rec, "invalid JSON: %s at byte %zu",
			    r->doc.err, r->doc.errpos + 1);
			r->invalid++;
			continue;
		}
		if (r->doc.t[0].type != J_OBJECT) {
			reader_reject(r, rec, "not a record: %s, not an object",
			    kind_name(r->doc.t[0].type));
			r->invalid++;
			continue;
		}
		/* Writers put "type" first: usually found at once. */
		t = jdoc_get(&r->doc, 0, "type", 4);
		if (t < 0 || r->doc.t[t].type != J_STRING) {
			reader_reject(r, rec, "not a record: no \"type\" string");
			r->invalid++;
			continue;
		}
		rec->doc = &r->doc;
		rec->type = type_of(&r->doc, t);
		return true;
	}
	lp_progress_clear();
	return false;
}

void
reader_reject(struct reader *r, const struct record *rec, const char *fmt,
    ...)
{
	char	 reason[512];
	va_list	 ap;

	va_start(ap, fmt);
	vsnprintf(reason, sizeof(reason), fmt, ap);
	va_end(ap);
	reject_add(r->rej, rec->input, rec->line, rec->text, rec->len, "%s",
	    reason);
}

bool
reader_stopped(const struct reader *r)
{
	return lp_stopped() != 0;
}

int
reader_end(struct reader *r)
{
	int	 status = r->status;

	reader_release(r);
	if (!out_close())
		status = LP_EXIT_FAIL;
	return status;
}

void
reader_release(struct reader *r)
{
	if (r->open)
		input_close(&r->in);
	r->open = false;
	jdoc_release(&r->doc);
}
