/* res.h - the SQLite results store (DESIGN.md, "SQLite").
 *
 * One database file holds runs, metrics, series and requests (schema.sql).
 * A run is written in one transaction: res_run_begin() opens it,
 * res_run_commit() makes it visible, res_run_abort() leaves no trace.  WAL mode
 * and a busy timeout let several processes write one file.  Not here:
 * statistics (res_stats.h), sweeps. */
#ifndef HN_RES_H
#define HN_RES_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* PRAGMA user_version of the databases this program writes (schema.sql). */
#define RES_SCHEMA_VERSION 3

struct res_db;

struct res_run_info {
	const char *scenario;       /* file name as given */
	const char *scenario_hash;  /* content hash, hex */
	const char *params;         /* parameter point, key=value;... */
	uint32_t seed;
	uint64_t run_number;
	const char *code_version;
};

/* Open (creating if needed) the database at path and apply the schema.
 * Returns NULL and writes a message into err (errlen bytes) on failure. */
struct res_db *res_open(const char *path, char *err, size_t errlen);
void res_close(struct res_db *db);

/* 1 when a run with the same identity (scenario hash, parameters, seed, run
 * number) is already stored by the same code version, 0 if not, < 0 on
 * error.  A run stored by another version is stale: running it again
 * replaces it (res_run_begin). */
int res_run_exists(struct res_db *db, const struct res_run_info *ri);

/* Begin the run's transaction and insert its runs row; *run_id is set. */
int res_run_begin(struct res_db *db, const struct res_run_info *ri, int64_t *run_id);
int res_metric(struct res_db *db, int64_t run_id, const char *scope, const char *name,
	       double value);
int res_series(struct res_db *db, int64_t run_id, const char *series, double x, double y);

struct res_request {
	const char *workload, *client, *service;
	int64_t seq;
	double start_s;
	double latency_s;           /* < 0: failed (stored as NULL) */
	int64_t bytes_sent, bytes_received;
	const char *served_by;      /* NULL when unknown */
	int ok;
	int64_t object;             /* < 0: none (stored as NULL) */
	const char *cache;          /* "hit", "miss" or NULL */
	const char *outcome;        /* "ok", "reset", "timed_out", "failed", "unfinished" or NULL */
};
int res_request(struct res_db *db, int64_t run_id, const struct res_request *rq);

/* Fill in the run's totals and commit. */
int res_run_commit(struct res_db *db, int64_t run_id, double wall_seconds,
		   double sim_seconds, uint64_t events);
void res_run_abort(struct res_db *db);

/* Copy every stored run of the database at in_path that db lacks (by run
 * identity: scenario hash, parameters, seed, run number), with its metrics,
 * series and requests, in one transaction.  Counts what was added and what
 * was already present.  On error nothing of in_path is added. */
int res_merge(struct res_db *db, const char *in_path, size_t *added, size_t *present,
	      char *err, size_t errlen);

/* Recompute the summaries table from every stored run (one transaction);
 * *groups is set to the number of (point, metric) rows written. */
int res_summarize(struct res_db *db, size_t *groups, char *err, size_t errlen);

/* Open an existing database for reading only (export, plot): nothing is
 * created or migrated.  NULL with a message in err when path is missing or
 * is not a hydranet results database (schema version 1 to 3). */
struct res_db *res_open_readonly(const char *path, char *err, size_t errlen);

/* Mean, sample standard deviation and the half-width of the 95% confidence
 * interval of the mean (Student t, n - 1 degrees of freedom) of v[0..n-1];
 * sd and ci95 are NAN when n < 2.  The summaries table uses this too. */
void res_mean_ci95(const double *v, size_t n, double *mean, double *sd, double *ci95);

/* The stored runs with their metrics, as one table (hydranet export, plot). */
struct res_run_row {
	int64_t id;
	char *scenario, *scenario_hash, *params, *status, *code_version;
	int64_t seed, run_number, events;
	double wall_seconds, sim_seconds;
};
struct res_metric_key {
	char *scope, *name;
};
struct res_table {
	struct res_run_row *run;    /* ordered by id */
	size_t nruns;
	struct res_metric_key *metric;  /* every (scope, name) stored, sorted */
	size_t nmetrics;
	double *value;              /* value[r * nmetrics + m]; NAN: run r lacks metric m */
};
/* Load the runs of scenario (runs.scenario; NULL: every run) into t, which
 * the caller frees with res_table_free (also after an error). */
int res_table_load(struct res_db *db, const char *scenario, struct res_table *t, char *err,
		   size_t errlen);
void res_table_free(struct res_table *t);
/* The distinct runs.scenario names, one per line into out (for messages). */
void res_print_scenarios(struct res_db *db, FILE *out, const char *indent);

/* Message of the last SQLite error. */
const char *res_errmsg(struct res_db *db);

/* 64-bit FNV-1a of bytes, as 16 hex digits into out[17]. */
void res_hash_hex(const void *bytes, size_t len, char out[17]);
#endif
