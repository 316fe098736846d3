/*
 * reject.c - the reject stream; see reject.h.
 */
#include <err.h>
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "jw.h"
#include "lp.h"
#include "reject.h"

bool
reject_open(struct reject *r, const char *tool, const char *path)
{
	memset(r, 0, sizeof(*r));
	r->tool = tool;
	if (path == NULL)
		return true;
	if (strcmp(path, "-") == 0) {
		errno = EINVAL;
		return false;
	}
	r->path = path;
	if ((r->fp = fopen(path, "w")) == NULL)
		return false;
	return true;
}

static void
count_class(struct reject *r, const char *reason)
{
	size_t	 n = strcspn(reason, ":");
	int	 i;

	for (i = 0; i < r->nclasses; i++)
		if (strlen(r->classes[i].name) == n &&
		    strncmp(r->classes[i].name, reason, n) == 0) {
			r->classes[i].count++;
			return;
		}
	if (r->nclasses == REJECT_MAX_CLASSES)
		i = r->nclasses - 1;	/* the last slot collects the rest */
	else {
		if ((r->classes[i].name = strndup(reason, n)) == NULL)
			err(LP_EXIT_FAIL, "strndup");
		r->nclasses++;
	}
	r->classes[i].count++;
}

void
reject_add(struct reject *r, const char *input, long line, const char *raw,
    size_t rawlen, const char *fmt, ...)
{
	char	 reason[512];
	va_list	 ap;

	va_start(ap, fmt);
	vsnprintf(reason, sizeof(reason), fmt, ap);
	va_end(ap);
	r->count++;
	count_class(r, reason);
	if (r->fp == NULL) {
		warnx("%s:%ld: %s", input, line, reason);
		return;
	}
	buf_reset(&r->line);
	buf_adds(&r->line, "{\"type\":\"reject\",\"tool\":");
	jw_cstr(&r->line, r->tool);
	buf_adds(&r->line, ",\"input\":");
	jw_cstr(&r->line, input);
	buf_adds(&r->line, ",\"line\":");
	jw_int(&r->line, line);
	buf_adds(&r->line, ",\"reason\":");
	jw_cstr(&r->line, reason);
	buf_adds(&r->line, ",\"raw\":");
	jw_str(&r->line, raw, rawlen);
	buf_add(&r->line, "}\n", 2);
	fwrite(r->line.p, 1, r->line.len, r->fp);
}

void
reject_summary(const struct reject *r, FILE *fp)
{
	int	 i;

	for (i = 0; i < r->nclasses; i++)
		fprintf(fp, "  %10lu  %s\n", r->classes[i].count,
		    r->classes[i].name);
}

bool
reject_close(struct reject *r)
{
	bool	 ok = true;
	int	 i;

	if (r->fp != NULL) {
		if (ferror(r->fp) | (fclose(r->fp) != 0)) {
			warn("%s", r->path);
			ok = false;
		}
		r->fp = NULL;
	}
	for (i = 0; i < r->nclasses; i++)
		free(r->classes[i].name);
	r->nclasses = 0;
	buf_release(&r->line);
	return ok;
}
