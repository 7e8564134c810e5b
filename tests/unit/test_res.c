/* test_res.c - the results store: a run is there whole or not at all. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <sqlite3.h>
#include <stdio.h>
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
	struct res_request q = { "w", "c", "svc", 0, 1.0, -1, 10, 0, NULL, 0 };
	assert_int_equal(res_request(db, id, &q), HN_OK);
	/* Not visible to another connection before the commit. */
	assert_int_equal(count("SELECT count(*) FROM runs"), 0);
	assert_int_equal(res_run_commit(db, id, 0.5, 10, 99), HN_OK);
	assert_int_equal(count("SELECT count(*) FROM runs WHERE status='ok' AND events=99"), 1);
	assert_int_equal(count("SELECT count(*) FROM metrics WHERE value=1.5"), 1);
	assert_int_equal(count("SELECT count(*) FROM requests WHERE latency_s IS NULL"), 1);
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

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(res__aborted_run_leaves_nothing, setup, teardown),
		cmocka_unit_test_setup_teardown(res__committed_run_is_whole_and_found, setup, teardown),
		cmocka_unit_test_setup_teardown(res__forced_rerun_replaces_the_old_run, setup, teardown),
		cmocka_unit_test(res__hash_is_fnv1a_64),
	};
	return cmocka_run_group_tests_name("res", tests, NULL, NULL);
}
