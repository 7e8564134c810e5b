/* test_res.c - the results store: a run is there whole or not at all. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <sqlite3.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "results/res.h"
#include "status.h"

static char path[64];

static int count(const char *sql)
{
	sqlite3 *db;
	sqlite3_stmt *st;
	int n = -1;
	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK);
	if (sqlite3_step(st) == SQLITE_ROW)
		n = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	sqlite3_close(db);
	return n;
}

static int setup(void **state)
{
	char err[256];
	snprintf(path, sizeof path, "/tmp/hn-res-%d.sqlite", (int)getpid());
	unlink(path);
	struct res_db *db = res_open(path, err, sizeof err);
	assert_non_null(db);
	*state = db;
	return 0;
}

static int teardown(void **state)
{
	res_close(*state);
	char p[80];
	unlink(path);
	snprintf(p, sizeof p, "%s-wal", path);
	unlink(p);
	snprintf(p, sizeof p, "%s-shm", path);
	unlink(p);
	return 0;
}

static const struct res_run_info ri = { "s.ini", "0123456789abcdef", "", 7, 1, "test" };

static void res__aborted_run_leaves_nothing(void **state)
{
	struct res_db *db = *state;
	int64_t id;
	assert_int_equal(res_run_begin(db, &ri, &id), HN_OK);
	assert_int_equal(res_metric(db, id, "n", "x", 1.5), HN_OK);
	assert_int_equal(res_series(db, id, "s", 1, 2), HN_OK);
	res_run_abort(db);
	assert_int_equal(count("SELECT count(*) FROM runs"), 0);
	assert_int_equal(count("SELECT count(*) FROM metrics"), 0);
	assert_int_equal(count("SELECT count(*) FROM series"), 0);
	assert_int_equal(res_run_exists(db, &ri), 0);
}

static void res__committed_run_is_whole_and_found(void **state)
{
	struct res_db *db = *state;
	int64_t id;
	assert_int_equal(res_run_begin(db, &ri, &id), HN_OK);
	assert_int_equal(res_metric(db, id, "n", "x", 1.5), HN_OK);
	struct res_request q = { .workload = "w", .client = "c", .service = "svc", .seq = 0,
				 .start_s = 1.0, .latency_s = -1, .bytes_sent = 10, .object = -1 };
	assert_int_equal(res_request(db, id, &q), HN_OK);
	/* Not visible to another connection before the commit. */
	assert_int_equal(count("SELECT count(*) FROM runs"), 0);
	assert_int_equal(res_run_commit(db, id, 0.5, 10, 99), HN_OK);
	assert_int_equal(count("SELECT count(*) FROM runs WHERE status='ok' AND events=99"), 1);
	assert_int_equal(count("SELECT count(*) FROM metrics WHERE value=1.5"), 1);
	assert_int_equal(count("SELECT count(*) FROM requests WHERE latency_s IS NULL"), 1);
	assert_int_equal(count("SELECT count(*) FROM requests WHERE object IS NULL AND cache IS NULL "
			       "AND outcome IS NULL"), 1);
	assert_int_equal(res_run_exists(db, &ri), 1);
	/* A duplicate metric fails and the caller aborts: still one run. */
	assert_int_equal(res_run_begin(db, &ri, &id), HN_OK);
	assert_int_equal(res_metric(db, id, "n", "x", 1), HN_OK);
	assert_int_equal(res_metric(db, id, "n", "x", 2), HN_EIO);
	res_run_abort(db);
	assert_int_equal(count("SELECT count(*) FROM runs"), 1);
	assert_int_equal(count("SELECT count(*) FROM metrics WHERE value=1.5"), 1);
}

static void res__forced_rerun_replaces_the_old_run(void **state)
{
	struct res_db *db = *state;
	int64_t id;
	for (int k = 0; k < 2; k++) {
		assert_int_equal(res_run_begin(db, &ri, &id), HN_OK);
		assert_int_equal(res_metric(db, id, "n", "x", k), HN_OK);
		assert_int_equal(res_run_commit(db, id, 0, 0, 0), HN_OK);
	}
	assert_int_equal(count("SELECT count(*) FROM runs"), 1);
	assert_int_equal(count("SELECT count(*) FROM metrics"), 1);
	assert_int_equal(count("SELECT count(*) FROM metrics WHERE value=1"), 1);
}

static void res__hash_is_fnv1a_64(void **state)
{
	(void)state;
	char h[17];
	res_hash_hex("", 0, h);
	assert_string_equal(h, "cbf29ce484222325");   /* FNV-1a 64 test vectors */
	res_hash_hex("a", 1, h);
	assert_string_equal(h, "af63dc4c8601ec8c");
}

/* A version 1 database (before requests.object, requests.cache and
 * requests.outcome) is brought to the current version when opened, its rows
 * kept; a version 1 file merges into a current one. */
static void res__version_1_is_migrated(void **state)
{
	(void)state;
	char v1[80], v2[80], err[256];
	snprintf(v1, sizeof v1, "/tmp/hn-res-v1-%d.sqlite", (int)getpid());
	snprintf(v2, sizeof v2, "/tmp/hn-res-v2-%d.sqlite", (int)getpid());
	unlink(v1);
	unlink(v2);
	sqlite3 *db;
	assert_int_equal(sqlite3_open(v1, &db), SQLITE_OK);
	assert_int_equal(sqlite3_exec(db,
		"CREATE TABLE runs (id INTEGER PRIMARY KEY, scenario TEXT NOT NULL, scenario_hash TEXT NOT NULL, "
		"params TEXT NOT NULL, seed INTEGER NOT NULL, run_number INTEGER NOT NULL, code_version TEXT NOT NULL, "
		"started_at TEXT NOT NULL, wall_seconds REAL NOT NULL, sim_seconds REAL NOT NULL, events INTEGER NOT NULL, "
		"status TEXT NOT NULL, UNIQUE (scenario_hash, params, seed, run_number));"
		"CREATE TABLE metrics (run_id INTEGER NOT NULL, scope TEXT NOT NULL, name TEXT NOT NULL, value REAL NOT NULL, "
		"PRIMARY KEY (run_id, scope, name));"
		"CREATE TABLE series (run_id INTEGER NOT NULL, series TEXT NOT NULL, x REAL NOT NULL, y REAL NOT NULL);"
		"CREATE TABLE requests (run_id INTEGER NOT NULL, workload TEXT NOT NULL, client TEXT NOT NULL, "
		"service TEXT NOT NULL, seq INTEGER NOT NULL, start_s REAL NOT NULL, latency_s REAL, "
		"bytes_sent INTEGER NOT NULL, bytes_received INTEGER NOT NULL, served_by TEXT, ok INTEGER NOT NULL, "
		"PRIMARY KEY (run_id, workload, seq));"
		"INSERT INTO runs VALUES (1, 's.ini', 'feed', '', 1, 1, 'v0', 'now', 1, 1, 1, 'ok');"
		"INSERT INTO requests VALUES (1, 'w', 'c', 's', 0, 1.0, 0.5, 10, 20, 'o', 1);"
		"PRAGMA user_version = 1;", NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(db);
	struct res_db *r2 = res_open(v2, err, sizeof err);
	assert_non_null(r2);
	size_t added = 0, present = 0;
	assert_int_equal(res_merge(r2, v1, &added, &present, err, sizeof err), HN_OK);
	assert_int_equal(added, 1);
	res_close(r2);
	struct res_db *r1 = res_open(v1, err, sizeof err);
	assert_non_null(r1);
	res_close(r1);
	const char *const files[2] = { v1, v2 };
	for (int f = 0; f < 2; f++) {
		snprintf(path, sizeof path, "%s", files[f]);
		assert_int_equal(count("PRAGMA user_version"), RES_SCHEMA_VERSION);
		assert_int_equal(count("SELECT count(*) FROM requests WHERE latency_s = 0.5 AND object IS NULL "
				       "AND cache IS NULL AND outcome IS NULL"), 1);
	}
	for (int f = 0; f < 2; f++) {
		char p[96];
		unlink(files[f]);
		snprintf(p, sizeof p, "%s-wal", files[f]);
		unlink(p);
		snprintf(p, sizeof p, "%s-shm", files[f]);
		unlink(p);
	}
}

/* A version 2 database (before requests.outcome) gains the column, NULL in
 * its rows, and merges into a current one keeping object and cache; a
 * current one stores each outcome as written; a newer one is refused. */
static void res__version_2_gains_outcome(void **state)
{
	(void)state;
	char v2[48], v3[48], err[256];
	snprintf(v2, sizeof v2, "/tmp/hn-res-o2-%d.sqlite", (int)getpid());
	snprintf(v3, sizeof v3, "/tmp/hn-res-o3-%d.sqlite", (int)getpid());
	unlink(v2);
	unlink(v3);
	sqlite3 *db;
	assert_int_equal(sqlite3_open(v2, &db), SQLITE_OK);
	assert_int_equal(sqlite3_exec(db,
		"CREATE TABLE runs (id INTEGER PRIMARY KEY, scenario TEXT NOT NULL, scenario_hash TEXT NOT NULL, "
		"params TEXT NOT NULL, seed INTEGER NOT NULL, run_number INTEGER NOT NULL, code_version TEXT NOT NULL, "
		"started_at TEXT NOT NULL, wall_seconds REAL NOT NULL, sim_seconds REAL NOT NULL, events INTEGER NOT NULL, "
		"status TEXT NOT NULL, UNIQUE (scenario_hash, params, seed, run_number));"
		"CREATE TABLE metrics (run_id INTEGER NOT NULL, scope TEXT NOT NULL, name TEXT NOT NULL, value REAL NOT NULL, "
		"PRIMARY KEY (run_id, scope, name));"
		"CREATE TABLE series (run_id INTEGER NOT NULL, series TEXT NOT NULL, x REAL NOT NULL, y REAL NOT NULL);"
		"CREATE TABLE requests (run_id INTEGER NOT NULL, workload TEXT NOT NULL, client TEXT NOT NULL, "
		"service TEXT NOT NULL, seq INTEGER NOT NULL, start_s REAL NOT NULL, latency_s REAL, "
		"bytes_sent INTEGER NOT NULL, bytes_received INTEGER NOT NULL, served_by TEXT, ok INTEGER NOT NULL, "
		"object INTEGER, cache TEXT, PRIMARY KEY (run_id, workload, seq));"
		"INSERT INTO runs VALUES (1, 's.ini', 'feed', '', 1, 1, 'v0', 'now', 1, 1, 1, 'ok');"
		"INSERT INTO requests VALUES (1, 'w', 'c', 's', 0, 1.0, 0.5, 10, 20, 'o', 1, 42, 'hit');"
		"PRAGMA user_version = 2;", NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(db);
	struct res_db *r3 = res_open(v3, err, sizeof err);
	assert_non_null(r3);
	size_t added = 0, present = 0;
	assert_int_equal(res_merge(r3, v2, &added, &present, err, sizeof err), HN_OK);
	assert_int_equal(added, 1);
	/* A run of this version, one request per outcome. */
	static const char *const outcomes[] = { "ok", "reset", "timed_out", "failed", "unfinished", NULL };
	const struct res_run_info ri3 = { "t.ini", "0123456789abcdee", "", 1, 1, "test" };
	int64_t id;
	assert_int_equal(res_run_begin(r3, &ri3, &id), HN_OK);
	for (int k = 0; k < 6; k++) {
		struct res_request q = { .workload = "w", .client = "c", .service = "svc", .seq = k,
					 .start_s = k, .latency_s = -1, .object = -1, .outcome = outcomes[k] };
		assert_int_equal(res_request(r3, id, &q), HN_OK);
	}
	assert_int_equal(res_run_commit(r3, id, 0, 0, 0), HN_OK);
	res_close(r3);
	struct res_db *r2 = res_open(v2, err, sizeof err);
	assert_non_null(r2);
	res_close(r2);
	snprintf(path, sizeof path, "%s", v2);
	assert_int_equal(count("PRAGMA user_version"), RES_SCHEMA_VERSION);
	assert_int_equal(count("SELECT count(*) FROM requests WHERE object = 42 AND cache = 'hit' "
			       "AND outcome IS NULL"), 1);
	snprintf(path, sizeof path, "%s", v3);
	assert_int_equal(count("SELECT count(*) FROM requests WHERE object = 42 AND cache = 'hit' "
			       "AND outcome IS NULL"), 1);
	assert_int_equal(count("SELECT count(*) FROM requests WHERE seq = 2 AND outcome = 'timed_out'"), 1);
	assert_int_equal(count("SELECT count(DISTINCT outcome) FROM requests"), 5);
	/* Written by a newer program: refused, and left as it was. */
	assert_int_equal(sqlite3_open(v3, &db), SQLITE_OK);
	assert_int_equal(sqlite3_exec(db, "PRAGMA user_version = 99", NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(db);
	assert_null(res_open(v3, err, sizeof err));
	assert_non_null(strstr(err, "version 99 is newer"));
	assert_int_equal(count("PRAGMA user_version"), 99);
	const char *const files[2] = { v2, v3 };
	for (int f = 0; f < 2; f++) {
		char p[96];
		unlink(files[f]);
		snprintf(p, sizeof p, "%s-wal", files[f]);
		unlink(p);
		snprintf(p, sizeof p, "%s-shm", files[f]);
		unlink(p);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(res__aborted_run_leaves_nothing, setup, teardown),
		cmocka_unit_test_setup_teardown(res__committed_run_is_whole_and_found, setup, teardown),
		cmocka_unit_test_setup_teardown(res__forced_rerun_replaces_the_old_run, setup, teardown),
		cmocka_unit_test(res__hash_is_fnv1a_64),
		cmocka_unit_test(res__version_1_is_migrated),
		cmocka_unit_test(res__version_2_gains_outcome),
	};
	return cmocka_run_group_tests_name("res", tests, NULL, NULL);
}
