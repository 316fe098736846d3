/*
 * sqlfloor - what SQLite alone costs to load the events sqlload loaded:
 * the floor under sqlload's rate, for make bench.
 *
 *	sqlfloor [-n] from.db to.db
 *
 * Reads every row of from.db's events table into memory (not timed),
 * makes to.db (which must not exist) with from.db's schema and the
 * settings sqlload uses (16 KiB pages, WAL, synchronous NORMAL, a 128
 * MiB cache, a checkpoint every 4096 pages), then inserts the rows with
 * one prepared INSERT, bind, step and reset, 200,000 rows a transaction,
 * and prints the time that took, the last checkpoint included.  No JSON is read and no identity made:
 * that is sqlload's share.  -n drops the events table's secondary
 * indexes first (the unique src_id index stays): the floor of the table
 * alone.
 *
 * Not installed; built for scripts/bench-sqlload.sh.
 */
#include <err.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/resource.h>

#include <sqlite3.h>

#include "buf.h"
#include "lp.h"

#define BATCH	200000

/* The rows, one after the other: per column a type byte, then for
 * text an int length and the bytes, for a number its 8 bytes. */
static struct buf	 rows = BUF_INIT;
static long		 nrows;
static int		 ncols;

static void __attribute__((noreturn))
die(sqlite3 *h, const char *what)
{
	errx(LP_EXIT_FAIL, "%s: %s", what, sqlite3_errmsg(h));
}

static void
run(sqlite3 *h, const char *sql)
{
	if (sqlite3_exec(h, sql, NULL, NULL, NULL) != SQLITE_OK)
		die(h, sql);
}

static double
seconds(clockid_t clock)
{
	struct timespec	 t;

	clock_gettime(clock, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

/* Read from's events into rows. */
static void
slurp(sqlite3 *from)
{
	sqlite3_stmt	*st;
	int		 c, n;
	int64_t		 i;
	double		 d;
	char		 type;

	if (sqlite3_prepare_v2(from, "SELECT * FROM events ORDER BY rowid",
	    -1, &st, NULL) != SQLITE_OK)
		die(from, "cannot read events");
	ncols = sqlite3_column_count(st);
	while (sqlite3_step(st) == SQLITE_ROW) {
		for (c = 0; c < ncols; c++) {
			type = (char)sqlite3_column_type(st, c);
			buf_addc(&rows, type);
			switch (type) {
			case SQLITE_INTEGER:
				i = sqlite3_column_int64(st, c);
				buf_add(&rows, &i, sizeof(i));
				break;
			case SQLITE_FLOAT:
				d = sqlite3_column_double(st, c);
				buf_add(&rows, &d, sizeof(d));
				break;
			case SQLITE_NULL:
				break;
			default:
				n = sqlite3_column_bytes(st, c);
				buf_add(&rows, &n, sizeof(n));
				buf_add(&rows, sqlite3_column_text(st, c),
				    (size_t)n);
			}
		}
		nrows++;
	}
	sqlite3_finalize(st);
}

/* Make to with from's schema (tables, then indexes, then views). */
static void
make_schema(sqlite3 *from, sqlite3 *to, int noindex)
{
	sqlite3_stmt	*st;

	run(to, "PRAGMA page_size = 16384; PRAGMA journal_mode = WAL; "
	    "PRAGMA synchronous = NORMAL; PRAGMA cache_size = -131072; "
	    "PRAGMA wal_autocheckpoint = 4096");
	if (sqlite3_prepare_v2(from, "SELECT sql FROM sqlite_schema "
	    "WHERE sql IS NOT NULL AND name NOT LIKE 'sqlite_%' AND "
	    "(?1 = 0 OR type <> 'index' OR tbl_name <> 'events') "
	    "ORDER BY type = 'view', type = 'index', rowid", -1, &st,
	    NULL) != SQLITE_OK)
		die(from, "cannot read the schema");
	sqlite3_bind_int(st, 1, noindex);
	run(to, "BEGIN");
	while (sqlite3_step(st) == SQLITE_ROW)
		run(to, (const char *)sqlite3_column_text(st, 0));
	run(to, "COMMIT");
	sqlite3_finalize(st);
}

/* Insert the rows. */
static void
insert(sqlite3 *to)
{
	sqlite3_stmt	*st;
	struct buf	 sql = BUF_INIT;
	const char	*p = rows.p;
	double		 d;
	int64_t		 i;
	long		 r;
	int		 c, n;

	buf_addlit(&sql, "INSERT INTO events VALUES (");
	for (c = 1; c <= ncols; c++)
		buf_addf(&sql, "%s?%d", c > 1 ? ", " : "", c);
	buf_addlit(&sql, ")");
	if (sqlite3_prepare_v3(to, sql.p, -1, SQLITE_PREPARE_PERSISTENT, &st,
	    NULL) != SQLITE_OK)
		die(to, "cannot prepare");
	run(to, "BEGIN");
	for (r = 0; r < nrows; r++) {
		for (c = 1; c <= ncols; c++) {
			switch (*p++) {
			case SQLITE_INTEGER:
				memcpy(&i, p, sizeof(i));
				p += sizeof(i);
				sqlite3_bind_int64(st, c, i);
				break;
			case SQLITE_FLOAT:
				memcpy(&d, p, sizeof(d));
				p += sizeof(d);
				sqlite3_bind_double(st, c, d);
				break;
			case SQLITE_NULL:
				sqlite3_bind_null(st, c);
				break;
			default:
				memcpy(&n, p, sizeof(n));
				p += sizeof(n);
				sqlite3_bind_text(st, c, p, n, SQLITE_STATIC);
				p += n;
			}
		}
		if (sqlite3_step(st) != SQLITE_DONE)
			die(to, "cannot insert");
		sqlite3_reset(st);
		if ((r + 1) % BATCH == 0)
			run(to, "COMMIT; BEGIN");
	}
	run(to, "COMMIT");
	sqlite3_finalize(st);
	buf_release(&sql);
}

int
main(int argc, char *argv[])
{
	sqlite3		*from, *to;
	struct rusage	 ru0, ru1;
	double		 wall, cpu;
	int		 ch, noindex = 0;

	lp_init("sqlfloor");
	while ((ch = getopt(argc, argv, "n")) != -1)
		if (ch == 'n')
			noindex = 1;
		else
			return LP_EXIT_USAGE;
	if (argc - optind != 2)
		errx(LP_EXIT_USAGE, "usage: sqlfloor [-n] from.db to.db");
	if (access(argv[optind + 1], F_OK) == 0)
		errx(LP_EXIT_USAGE, "%s: exists", argv[optind + 1]);
	if (sqlite3_open_v2(argv[optind], &from, SQLITE_OPEN_READONLY,
	    NULL) != SQLITE_OK)
		die(from, argv[optind]);
	if (sqlite3_open(argv[optind + 1], &to) != SQLITE_OK)
		die(to, argv[optind + 1]);
	slurp(from);
	make_schema(from, to, noindex);
	sqlite3_close(from);
	getrusage(RUSAGE_SELF, &ru0);
	wall = seconds(CLOCK_MONOTONIC);
	insert(to);
	if (sqlite3_close(to) != SQLITE_OK)	/* the last checkpoint */
		die(to, "cannot close");
	wall = seconds(CLOCK_MONOTONIC) - wall;
	getrusage(RUSAGE_SELF, &ru1);
	cpu = (double)(ru1.ru_utime.tv_sec - ru0.ru_utime.tv_sec) +
	    (double)(ru1.ru_stime.tv_sec - ru0.ru_stime.tv_sec) +
	    (double)(ru1.ru_utime.tv_usec - ru0.ru_utime.tv_usec) / 1e6 +
	    (double)(ru1.ru_stime.tv_usec - ru0.ru_stime.tv_usec) / 1e6;
	printf("%ld rows in %.3f s (cpu %.3f s): %.0f rows/s\n", nrows, wall,
	    cpu, wall > 0 ? (double)nrows / wall : 0);
	buf_release(&rows);
	return fflush(stdout) == 0 ? LP_EXIT_OK : LP_EXIT_FAIL;
}
