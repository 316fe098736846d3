/*
 * db.h - sqlload's database: opening, creating and migrating it from the
 * schema compiled in (the .sql files of schema/), the prepared statements, and the
 * batch of rows that is committed as one transaction with the Kafka
 * offsets it consumed.
 *
 * Every statement is prepared once, when the database is opened, and
 * reused (bind, step, reset) for every row; nothing read from the input is
 * ever part of SQL text.  Every failure of SQLite is reported with
 * sqlite3_errmsg(), the input and line of the record being loaded, and
 * ends the batch without committing any of it (db->failed).
 */
#ifndef SQLLOAD_DB_H
#define SQLLOAD_DB_H

#include <stdbool.h>
#include <stdint.h>

#include <sqlite3.h>

#include "buf.h"
#include "map.h"

/* The tables records are loaded into, for the counts of a commit. */
enum table {
	T_RAW_LOGS, T_EVENTS, T_STRUCTURED_LOGS, T_TRACE_SPANS,
	T_DEPENDENCIES, T_SERVICES, T_CYCLES, T_REJECTS, T_NTABLES
};

/* "raw_logs", ...; index by enum table. */
extern const char *const table_name[T_NTABLES];

/* The prepared statements. */
enum stmt {
	S_RAW, S_EVENT, S_TRACE, S_SPANS_DEL, S_SPAN, S_EDGE, S_SERVICE,
	S_CYCLE, S_REJECT, S_OFFSET, S_BEGIN, S_COMMIT, S_ROLLBACK, S_NSTMTS
};

/*
 * The batch, sqlload's state machine:
 *
 *	IDLE --a row to write--> OPEN (BEGIN IMMEDIATE: the write lock,
 *	                               waiting up to the busy timeout)
 *	OPEN --a row--> OPEN, counted; when the batch reaches max_rows rows,
 *	                or max_ms have passed since it opened: COMMIT -> IDLE
 *	OPEN --the input is about to wait, ends, or a signal stops the
 *	       run--> COMMIT -> IDLE
 *	any --an SQLite error (full disk, locked, read-only, I/O)-->
 *	       ROLLBACK -> FAILED: nothing of the batch is kept; the run
 *	       stops reading and exits 3.  Batches committed before stay.
 *
 * Each COMMIT first writes the highest offset of every Kafka partition
 * whose messages gave rows in the batch (kafka_offsets), so that the rows
 * and the offsets they consumed are durable together: a run killed at
 * any moment resumes after the last committed offset, and what it loads
 * again is recognised by its identity (see load.h).  With offsets_at_end
 * the offsets are written by the last commit only, for pipelines with a
 * stage that holds records back (logjoin): there a higher offset does not
 * mean that every lower one has been loaded.
 *
 * After each commit, unless tee is set, one commit record goes to stdout:
 *	{"type":"commit","commit":N,"rows":{"events":R,...},
 *	 "offsets":[{"topic":T,"partition":P,"offset":O}],
 *	 "input":NAME,"line":L}
 */
enum batch_state { B_IDLE, B_OPEN, B_FAILED };

struct koffset {
	char		*topic;		/* owned; NUL-terminated */
	size_t		 tlen;
	int64_t		 partition;
	int64_t		 offset;	/* highest seen */
	bool		 dirty;		/* not yet committed */
	char		*key;		/* the map's key: topic NUL partition */
	size_t		 klen;
};

struct db {
	const char	*path;
	sqlite3		*h;
	sqlite3_stmt	*st[S_NSTMTS];
	/* the batch */
	enum batch_state state;
	long		 rows;		/* rows in the open batch */
	int64_t		 opened_ms;	/* lp_now_ms() at BEGIN */
	long		 max_rows;
	int64_t		 max_ms;
	bool		 offsets_at_end;
	bool		 tee;		/* no commit records on stdout */
	unsigned long	 count[T_NTABLES];	/* of the open batch */
	unsigned long	 total[T_NTABLES];	/* committed */
	unsigned long	 commits;
	struct map	 offsets;	/* -> struct koffset */
	char		 received[32];	/* the batch's time, for raw_logs */
	/* the record being loaded, for messages */
	const char	*input;
	long		 line;
	struct buf	 tmp;
};

/*
 * Open the database at path, creating it if it does not exist, and bring
 * its schema to the latest version (PRAGMA user_version), each migration
 * in a transaction of its own; set WAL mode and the busy timeout (ms);
 * prepare the statements.  Exits with status 2 when the database is newer
 * than this sqlload knows, 3 when it cannot be opened, written or
 * migrated, with the reason.
 */
void	db_open(struct db *db, const char *path, int busy_ms);

/*
 * The statement s, reset and unbound, for the caller to bind; a row is
 * written by db_step().  Opens the batch first if it is idle; NULL when
 * that fails (the run has failed: db->state is B_FAILED).
 */
sqlite3_stmt *db_stmt(struct db *db, enum stmt s);

/*
 * Run the statement s bound by the caller; counts a row of table t (t may
 * be T_NTABLES: counts nothing).  false on an SQLite error: reported, the
 * batch rolled back, db->state B_FAILED.
 */
bool	db_step(struct db *db, enum stmt s, enum table t);

/* Rows changed by the last db_step (an upsert that did nothing: 0). */
int	db_changes(const struct db *db);

/*
 * Note that the batch consumed Kafka message topic[0..tlen) / partition /
 * offset (topic as raw bytes).
 */
void	db_offset(struct db *db, const char *topic, size_t tlen,
	    int64_t partition, int64_t offset);

/* A row was written: commit if the batch is full or old enough. */
bool	db_row_done(struct db *db);

/*
 * Commit the open batch (and, with last set, pending offsets even when
 * there are no rows), writing its commit record unless tee is set.
 * false on failure (db->state B_FAILED).
 */
bool	db_commit(struct db *db, bool last);

/* Finalize every statement and close; the open batch, if any, is lost. */
void	db_close(struct db *db);

#endif
