/*
 * reject.c - the reject stream; see reject.h.
 */
#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "jw.h"
#include "lp.h"
#include "opt.h"
#include "reject.h"

bool
reject_open(struct reject *r, const char *tool, const char *path)
{
	memset(r, 0, sizeof(*r));
	r->tool = tool;
	r->fd = -1;
	if (path == NULL)
		return true;
	if (strcmp(path, "-") == 0) {
		errno = EINVAL;
		return false;
	}
	r->path = path;
	if ((r->fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC,
	    0666)) < 0)
		return false;
	return true;
}

void
reject_open_option(struct reject *r, const char *tool, const char *path,
    char *const *files)
{
	if (path != NULL && strcmp(path, "-") == 0)
		errx(LP_EXIT_USAGE, "-x -: the reject stream cannot be standard "
		    "output, which carries the records (try -x /dev/stderr)");
	if (path != NULL)
		opt_check_output(path, "-x", files);
	if (!reject_open(r, tool, path))
		err(LP_EXIT_USAGE, "%s", path);
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
		r->classes[i].name = xmemdup(reason, n);
		r->nclasses++;
	}
	r->classes[i].count++;
}

/* Write the whole record; on failure report once and set failed. */
static void
put(struct reject *r)
{
	const char	*p = r->line.p;
	size_t		 n = r->line.len;
	ssize_t		 w;

	while (n > 0 && !r->failed) {
		if ((w = write(r->fd, p, n)) < 0) {
			if (errno == EINTR)
				continue;
			lp_warn("%s", r->path);
			r->failed = true;
			break;
		}
		p += w;
		n -= (size_t)w;
	}
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
	if (r->fd < 0) {
		lp_warnx("%s:%ld: %s", input, line, reason);
		return;
	}
	buf_reset(&r->line);
	buf_addlit(&r->line, "{\"type\":\"reject\",\"tool\":");
	jw_cstr(&r->line, r->tool);
	buf_addlit(&r->line, ",\"input\":");
	jw_cstr(&r->line, input);
	buf_addlit(&r->line, ",\"line\":");
	jw_int(&r->line, line);
	buf_addlit(&r->line, ",\"reason\":");
	jw_cstr(&r->line, reason);
	buf_addlit(&r->line, ",\"raw\":");
	jw_str(&r->line, raw, rawlen);
	buf_add(&r->line, "}\n", 2);
	put(r);
}

void
reject_summary(const struct reject *r, FILE *fp)
{
	int	 i;

	for (i = 0; i < r->nclasses; i++)
		fprintf(fp, "  %10lu  %s\n", r->classes[i].count,
		    r->classes[i].name);
}

int
reject_end(struct reject *r, int status, bool summary)
{
	if (summary)
		reject_summary(r, stderr);
	if (r->count > 0 && status == LP_EXIT_OK)
		status = LP_EXIT_REJECT;
	if (!reject_close(r))
		status = LP_EXIT_FAIL;
	return status;
}

bool
reject_close(struct reject *r)
{
	bool	 ok = !r->failed;
	int	 i;

	if (r->fd >= 0) {
		if (close(r->fd) != 0 && ok) {
			lp_warn("%s", r->path);
			ok = false;
		}
		r->fd = -1;
	}
	for (i = 0; i < r->nclasses; i++)
		free(r->classes[i].name);
	r->nclasses = 0;
	buf_release(&r->line);
	return ok;
}
