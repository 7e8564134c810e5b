/* res.c - the SQLite results store; see res.h. */
#include "results/res.h"

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_statistics_double.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <math.h>

#include "status.h"

static const char schema_sql[] =
#include "schema.inc"
	;

struct res_db {
	sqlite3 *db;
	sqlite3_stmt *ins_metric, *ins_series, *ins_request;
};

static int exec(struct res_db *r, const char *sql)
{
	return sqlite3_exec(r->db, sql, NULL, NULL, NULL) == SQLITE_OK ? HN_OK : HN_EIO;
}

struct res_db *res_open(const char *path, char *err, size_t errlen)
{
	struct res_db *r = calloc(1, sizeof *r);
	if (!r) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	if (sqlite3_open(path, &r->db) != SQLITE_OK)
		goto fail;
	sqlite3_busy_timeout(r->db, 60000);
	if (exec(r, "PRAGMA journal_mode=WAL") || exec(r, "PRAGMA foreign_keys=ON") ||
	    exec(r, "BEGIN IMMEDIATE"))
		goto fail;
	/* An older version is brought up to date: version 1 lacks
	 * requests.object and requests.cache, versions 1 and 2 lack
	 * requests.outcome. */
	sqlite3_stmt *ver;
	int version = 0;
	if (sqlite3_prepare_v2(r->db, "PRAGMA user_version", -1, &ver, NULL) == SQLITE_OK &&
	    sqlite3_step(ver) == SQLITE_ROW)
		version = sqlite3_column_int(ver, 0);
	sqlite3_finalize(ver);
	if (version > RES_SCHEMA_VERSION) {   /* written by a newer hydranet: leave it alone */
		exec(r, "ROLLBACK");
		snprintf(err, errlen, "%s: results schema version %d is newer than this program's (%d)",
			 path, version, RES_SCHEMA_VERSION);
		res_close(r);
		return NULL;
	}
	if ((version == 1 && (exec(r, "ALTER TABLE requests ADD COLUMN object INTEGER") ||
			      exec(r, "ALTER TABLE requests ADD COLUMN cache TEXT"))) ||
	    ((version == 1 || version == 2) && exec(r, "ALTER TABLE requests ADD COLUMN outcome TEXT"))) {
		exec(r, "ROLLBACK");
		goto fail;
	}
	if (exec(r, schema_sql)) {
		exec(r, "ROLLBACK");
		goto fail;
	}
	if (exec(r, "COMMIT"))
		goto fail;
	if (sqlite3_prepare_v2(r->db, "INSERT INTO metrics VALUES (?,?,?,?)", -1,
			       &r->ins_metric, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(r->db, "INSERT INTO series VALUES (?,?,?,?)", -1,
			       &r->ins_series, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(r->db, "INSERT INTO requests VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)", -1,
			       &r->ins_request, NULL) != SQLITE_OK)
		goto fail;
	return r;
fail:
	snprintf(err, errlen, "%s: %s", path, r->db ? sqlite3_errmsg(r->db) : "cannot open");
	res_close(r);
	return NULL;
}

void res_close(struct res_db *r)
{
	if (!r)
		return;
	sqlite3_finalize(r->ins_metric);
	sqlite3_finalize(r->ins_series);
	sqlite3_finalize(r->ins_request);
	sqlite3_close(r->db);
	free(r);
}

int res_run_exists(struct res_db *r, const struct res_run_info *ri)
{
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(r->db,
			       "SELECT 1 FROM runs WHERE scenario_hash=? AND params=? AND seed=? "
			       "AND run_number=? AND status='ok' AND code_version=?",
			       -1, &st, NULL) != SQLITE_OK)
		return HN_EIO;
	sqlite3_bind_text(st, 1, ri->scenario_hash, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 2, ri->params, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int64(st, 3, ri->seed);
	sqlite3_bind_int64(st, 4, (sqlite3_int64)ri->run_number);
	sqlite3_bind_text(st, 5, ri->code_version, -1, SQLITE_TRANSIENT);
	int rc = sqlite3_step(st);
	sqlite3_finalize(st);
	return rc == SQLITE_ROW ? 1 : rc == SQLITE_DONE ? 0 : HN_EIO;
}

int res_run_begin(struct res_db *r, const struct res_run_info *ri, int64_t *run_id)
{
	char now[32];
	time_t t = time(NULL);
	struct tm tm;
	gmtime_r(&t, &tm);
	strftime(now, sizeof now, "%Y-%m-%dT%H:%M:%SZ", &tm);
	if (exec(r, "BEGIN IMMEDIATE"))
		return HN_EIO;
	sqlite3_stmt *st;
	/* A forced re-run replaces the stored one, in this same transaction. */
	static const char *const del[] = {
		"DELETE FROM metrics WHERE run_id IN (SELECT id FROM runs WHERE scenario_hash=?1 "
		"AND params=?2 AND seed=?3 AND run_number=?4)",
		"DELETE FROM series WHERE run_id IN (SELECT id FROM runs WHERE scenario_hash=?1 "
		"AND params=?2 AND seed=?3 AND run_number=?4)",
		"DELETE FROM requests WHERE run_id IN (SELECT id FROM runs WHERE scenario_hash=?1 "
		"AND params=?2 AND seed=?3 AND run_number=?4)",
		"DELETE FROM runs WHERE scenario_hash=?1 AND params=?2 AND seed=?3 AND run_number=?4",
		"INSERT INTO runs (scenario, scenario_hash, params, seed, run_number, code_version, "
		"started_at, wall_seconds, sim_seconds, events, status) "
		"VALUES (?5, ?1, ?2, ?3, ?4, ?6, ?7, 0, 0, 0, 'running')",
	};
	for (size_t i = 0; i < sizeof del / sizeof del[0]; i++) {
		if (sqlite3_prepare_v2(r->db, del[i], -1, &st, NULL) != SQLITE_OK)
			goto fail;
		sqlite3_bind_text(st, 1, ri->scenario_hash, -1, SQLITE_TRANSIENT);
		sqlite3_bind_text(st, 2, ri->params, -1, SQLITE_TRANSIENT);
		sqlite3_bind_int64(st, 3, ri->seed);
		sqlite3_bind_int64(st, 4, (sqlite3_int64)ri->run_number);
		if (i + 1 == sizeof del / sizeof del[0]) {
			sqlite3_bind_text(st, 5, ri->scenario, -1, SQLITE_TRANSIENT);
			sqlite3_bind_text(st, 6, ri->code_version, -1, SQLITE_TRANSIENT);
			sqlite3_bind_text(st, 7, now, -1, SQLITE_TRANSIENT);
		}
		int rc = sqlite3_step(st);
		sqlite3_finalize(st);
		if (rc != SQLITE_DONE)
			goto fail;
	}
	*run_id = sqlite3_last_insert_rowid(r->db);
	return HN_OK;
fail:
	exec(r, "ROLLBACK");
	return HN_EIO;
}

static int step_reset(sqlite3_stmt *st)
{
	int rc = sqlite3_step(st);
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	return rc == SQLITE_DONE ? HN_OK : HN_EIO;
}

int res_metric(struct res_db *r, int64_t run_id, const char *scope, const char *name,
	       double value)
{
	sqlite3_bind_int64(r->ins_metric, 1, run_id);
	sqlite3_bind_text(r->ins_metric, 2, scope, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(r->ins_metric, 3, name, -1, SQLITE_TRANSIENT);
	sqlite3_bind_double(r->ins_metric, 4, value);
	return step_reset(r->ins_metric);
}

int res_series(struct res_db *r, int64_t run_id, const char *series, double x, double y)
{
	sqlite3_bind_int64(r->ins_series, 1, run_id);
	sqlite3_bind_text(r->ins_series, 2, series, -1, SQLITE_TRANSIENT);
	sqlite3_bind_double(r->ins_series, 3, x);
	sqlite3_bind_double(r->ins_series, 4, y);
	return step_reset(r->ins_series);
}

int res_request(struct res_db *r, int64_t run_id, const struct res_request *q)
{
	sqlite3_stmt *st = r->ins_request;
	sqlite3_bind_int64(st, 1, run_id);
	sqlite3_bind_text(st, 2, q->workload, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 3, q->client, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 4, q->service, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int64(st, 5, q->seq);
	sqlite3_bind_double(st, 6, q->start_s);
	if (q->latency_s >= 0)
		sqlite3_bind_double(st, 7, q->latency_s);
	else
		sqlite3_bind_null(st, 7);
	sqlite3_bind_int64(st, 8, q->bytes_sent);
	sqlite3_bind_int64(st, 9, q->bytes_received);
	if (q->served_by)
		sqlite3_bind_text(st, 10, q->served_by, -1, SQLITE_TRANSIENT);
	else
		sqlite3_bind_null(st, 10);
	sqlite3_bind_int(st, 11, q->ok);
	if (q->object >= 0)
		sqlite3_bind_int64(st, 12, q->object);
	else
		sqlite3_bind_null(st, 12);
	if (q->cache)
		sqlite3_bind_text(st, 13, q->cache, -1, SQLITE_TRANSIENT);
	else
		sqlite3_bind_null(st, 13);
	if (q->outcome)
		sqlite3_bind_text(st, 14, q->outcome, -1, SQLITE_TRANSIENT);
	else
		sqlite3_bind_null(st, 14);
	return step_reset(st);
}

int res_run_commit(struct res_db *r, int64_t run_id, double wall_seconds,
		   double sim_seconds, uint64_t events)
{
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(r->db,
			       "UPDATE runs SET wall_seconds=?, sim_seconds=?, events=?, "
			       "status='ok' WHERE id=?",
			       -1, &st, NULL) != SQLITE_OK)
		goto fail;
	sqlite3_bind_double(st, 1, wall_seconds);
	sqlite3_bind_double(st, 2, sim_seconds);
	sqlite3_bind_int64(st, 3, (sqlite3_int64)events);
	sqlite3_bind_int64(st, 4, run_id);
	int rc = sqlite3_step(st);
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE || exec(r, "COMMIT"))
		goto fail;
	return HN_OK;
fail:
	exec(r, "ROLLBACK");
	return HN_EIO;
}

int res_merge(struct res_db *r, const char *in_path, size_t *added, size_t *present,
	      char *err, size_t errlen)
{
	sqlite3_stmt *att = NULL, *list = NULL, *exists = NULL, *ins = NULL, *cp[3] = { NULL };
	int ok = 0, attached = 0, began = 0;
	*added = *present = 0;
	if (sqlite3_prepare_v2(r->db, "ATTACH DATABASE ? AS src", -1, &att, NULL) != SQLITE_OK)
		goto done;
	sqlite3_bind_text(att, 1, in_path, -1, SQLITE_TRANSIENT);
	if (sqlite3_step(att) != SQLITE_DONE)
		goto done;
	attached = 1;
	sqlite3_stmt *ver;
	int version = -1;
	if (sqlite3_prepare_v2(r->db, "PRAGMA src.user_version", -1, &ver, NULL) == SQLITE_OK &&
	    sqlite3_step(ver) == SQLITE_ROW)
		version = sqlite3_column_int(ver, 0);
	sqlite3_finalize(ver);
	if (version < 1 || version > RES_SCHEMA_VERSION) {
		snprintf(err, errlen, "%s: not a hydranet results database (schema version %d, want 1 to %d)",
			 in_path, version, RES_SCHEMA_VERSION);
		goto out;
	}
	static const char *const copy_sql[3] = {
		"INSERT INTO main.metrics SELECT ?1, scope, name, value FROM src.metrics WHERE run_id = ?2",
		"INSERT INTO main.series SELECT ?1, series, x, y FROM src.series WHERE run_id = ?2",
		"INSERT INTO main.requests SELECT ?1, workload, client, service, seq, start_s, latency_s, "
		"bytes_sent, bytes_received, served_by, ok, object, cache, outcome FROM src.requests "
		"WHERE run_id = ?2",
	};
	/* What an older version lacks is NULL (unknown). */
	static const char *const copy_old_requests[3] = {
		NULL,
		"INSERT INTO main.requests SELECT ?1, workload, client, service, seq, start_s, latency_s, "
		"bytes_sent, bytes_received, served_by, ok, NULL, NULL, NULL FROM src.requests WHERE run_id = ?2",
		"INSERT INTO main.requests SELECT ?1, workload, client, service, seq, start_s, latency_s, "
		"bytes_sent, bytes_received, served_by, ok, object, cache, NULL FROM src.requests "
		"WHERE run_id = ?2",
	};
	if (sqlite3_exec(r->db, "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK)
		goto done;
	began = 1;
	if (sqlite3_prepare_v2(r->db, "SELECT id, scenario_hash, params, seed, run_number FROM "
			       "src.runs WHERE status = 'ok' ORDER BY id", -1, &list, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(r->db, "SELECT 1 FROM main.runs WHERE scenario_hash=? AND params=? "
			       "AND seed=? AND run_number=?", -1, &exists, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(r->db, "INSERT INTO main.runs (scenario, scenario_hash, params, seed, "
			       "run_number, code_version, started_at, wall_seconds, sim_seconds, events, "
			       "status) SELECT scenario, scenario_hash, params, seed, run_number, "
			       "code_version, started_at, wall_seconds, sim_seconds, events, status "
			       "FROM src.runs WHERE id = ?", -1, &ins, NULL) != SQLITE_OK)
		goto done;
	for (int i = 0; i < 3; i++)
		if (sqlite3_prepare_v2(r->db, i == 2 && version < RES_SCHEMA_VERSION ? copy_old_requests[version] : copy_sql[i], -1,
				       &cp[i], NULL) != SQLITE_OK)
			goto done;
	int rc;
	while ((rc = sqlite3_step(list)) == SQLITE_ROW) {
		sqlite3_int64 src_id = sqlite3_column_int64(list, 0);
		for (int c = 1; c <= 4; c++)
			sqlite3_bind_value(exists, c, sqlite3_column_value(list, c));
		int ex = sqlite3_step(exists);
		sqlite3_reset(exists);
		if (ex == SQLITE_ROW) {
			(*present)++;
			continue;
		}
		if (ex != SQLITE_DONE)
			goto done;
		sqlite3_bind_int64(ins, 1, src_id);
		if (sqlite3_step(ins) != SQLITE_DONE)
			goto done;
		sqlite3_reset(ins);
		sqlite3_int64 new_id = sqlite3_last_insert_rowid(r->db);
		for (int i = 0; i < 3; i++) {
			sqlite3_bind_int64(cp[i], 1, new_id);
			sqlite3_bind_int64(cp[i], 2, src_id);
			if (sqlite3_step(cp[i]) != SQLITE_DONE)
				goto done;
			sqlite3_reset(cp[i]);
		}
		(*added)++;
	}
	if (rc != SQLITE_DONE)
		goto done;
	sqlite3_finalize(list);
	list = NULL;
	if (sqlite3_exec(r->db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK)
		goto done;
	began = 0;
	ok = 1;
done:
	if (!ok)
		snprintf(err, errlen, "%s: %s", in_path, sqlite3_errmsg(r->db));
out:
	sqlite3_finalize(att);
	sqlite3_finalize(list);
	sqlite3_finalize(exists);
	sqlite3_finalize(ins);
	for (int i = 0; i < 3; i++)
		sqlite3_finalize(cp[i]);
	if (began)
		sqlite3_exec(r->db, "ROLLBACK", NULL, NULL, NULL);
	if (attached)
		sqlite3_exec(r->db, "DETACH DATABASE src", NULL, NULL, NULL);
	return ok ? HN_OK : HN_EIO;
}

void res_mean_ci95(const double *v, size_t n, double *mean, double *sd, double *ci95)
{
	*mean = n ? gsl_stats_mean(v, 1, n) : NAN;
	*sd = *ci95 = NAN;
	if (n >= 2) {
		*sd = gsl_stats_sd_m(v, 1, n, *mean);
		*ci95 = gsl_cdf_tdist_Pinv(0.975, (double)(n - 1)) * *sd / sqrt((double)n);
	}
}

/* Write one group's summary row. */
static int put_summary(sqlite3_stmt *ins, const unsigned char *hash, const unsigned char *scen,
		       const unsigned char *params, const unsigned char *scope,
		       const unsigned char *name, const double *v, size_t n)
{
	double mean, sd, ci95;
	res_mean_ci95(v, n, &mean, &sd, &ci95);
	sqlite3_bind_text(ins, 1, (const char *)hash, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(ins, 2, (const char *)scen, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(ins, 3, (const char *)params, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(ins, 4, (const char *)scope, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(ins, 5, (const char *)name, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int64(ins, 6, (sqlite3_int64)n);
	sqlite3_bind_double(ins, 7, mean);
	if (n >= 2) {
		sqlite3_bind_double(ins, 8, sd);
		sqlite3_bind_double(ins, 9, ci95);
	} else {
		sqlite3_bind_null(ins, 8);
		sqlite3_bind_null(ins, 9);
	}
	return step_reset(ins);
}

int res_summarize(struct res_db *r, size_t *groups, char *err, size_t errlen)
{
	sqlite3_stmt *sel = NULL, *ins = NULL;
	double *v = NULL;
	size_t n = 0, cap = 0;
	int ok = 0;
	unsigned char *key[5] = { NULL };
	*groups = 0;
	if (exec(r, "BEGIN IMMEDIATE") || exec(r, "DELETE FROM summaries"))
		goto done;
	if (sqlite3_prepare_v2(r->db,
			       "SELECT r.scenario_hash, r.scenario, r.params, m.scope, m.name, m.value "
			       "FROM runs r JOIN metrics m ON m.run_id = r.id WHERE r.status = 'ok' "
			       "ORDER BY r.scenario_hash, r.params, m.scope, m.name", -1, &sel, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(r->db, "INSERT INTO summaries VALUES (?,?,?,?,?,?,?,?,?)", -1, &ins,
			       NULL) != SQLITE_OK)
		goto done;
	int rc;
	while ((rc = sqlite3_step(sel)) == SQLITE_ROW) {
		/* Key columns 0, 2, 3, 4 define the group; 1 rides along. */
		int same = key[0] != NULL;
		for (int c = 0; c < 5 && same; c++)
			if (c != 1)
				same = !strcmp((const char *)key[c], (const char *)sqlite3_column_text(sel, c));
		if (!same) {
			if (key[0] && put_summary(ins, key[0], key[1], key[2], key[3], key[4], v, n) != HN_OK)
				goto done;
			if (key[0])
				(*groups)++;
			for (int c = 0; c < 5; c++) {
				free(key[c]);
				key[c] = (unsigned char *)strdup((const char *)sqlite3_column_text(sel, c));
				if (!key[c])
					goto done;
			}
			n = 0;
		}
		if (n == cap) {
			cap = cap ? 2 * cap : 64;
			double *nv = realloc(v, cap * sizeof *nv);
			if (!nv)
				goto done;
			v = nv;
		}
		v[n++] = sqlite3_column_double(sel, 5);
	}
	if (rc != SQLITE_DONE)
		goto done;
	if (key[0]) {
		if (put_summary(ins, key[0], key[1], key[2], key[3], key[4], v, n) != HN_OK)
			goto done;
		(*groups)++;
	}
	sqlite3_finalize(sel);
	sel = NULL;
	ok = exec(r, "COMMIT") == HN_OK;
done:
	if (!ok) {
		snprintf(err, errlen, "summarize: %s", sqlite3_errmsg(r->db));
		exec(r, "ROLLBACK");
	}
	sqlite3_finalize(sel);
	sqlite3_finalize(ins);
	for (int c = 0; c < 5; c++)
		free(key[c]);
	free(v);
	return ok ? HN_OK : HN_EIO;
}

void res_run_abort(struct res_db *r)
{
	exec(r, "ROLLBACK");
}

const char *res_errmsg(struct res_db *r)
{
	return sqlite3_errmsg(r->db);
}

void res_hash_hex(const void *bytes, size_t len, char out[17])
{
	const unsigned char *p = bytes;
	uint64_t h = 14695981039346656037ull;   /* FNV-1a 64 offset basis */
	for (size_t i = 0; i < len; i++) {
		h ^= p[i];
		h *= 1099511628211ull;              /* FNV-1a 64 prime */
	}
	snprintf(out, 17, "%016llx", (unsigned long long)h);
}

/* ---- reading back (export, plot) ------------------------------------------ */

struct res_db *res_open_readonly(const char *path, char *err, size_t errlen)
{
	struct res_db *r = calloc(1, sizeof *r);
	if (!r) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	if (sqlite3_open_v2(path, &r->db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK) {
		snprintf(err, errlen, "%s: %s", path, r->db ? sqlite3_errmsg(r->db) : "cannot open");
		res_close(r);
		return NULL;
	}
	sqlite3_busy_timeout(r->db, 60000);
	sqlite3_stmt *ver;
	int version = -1;
	if (sqlite3_prepare_v2(r->db, "PRAGMA user_version", -1, &ver, NULL) == SQLITE_OK &&
	    sqlite3_step(ver) == SQLITE_ROW)
		version = sqlite3_column_int(ver, 0);
	sqlite3_finalize(ver);
	if (version < 1 || version > RES_SCHEMA_VERSION) {
		snprintf(err, errlen, "%s: not a hydranet results database (schema version %d, want 1 to %d)",
			 path, version, RES_SCHEMA_VERSION);
		res_close(r);
		return NULL;
	}
	return r;
}

static char *dup_col(sqlite3_stmt *st, int c)
{
	const unsigned char *t = sqlite3_column_text(st, c);
	return strdup(t ? (const char *)t : "");
}

static int cmp_key(const char *scope, const char *name, const struct res_metric_key *k)
{
	int c = strcmp(scope, k->scope);
	return c ? c : strcmp(name, k->name);
}

int res_table_load(struct res_db *r, const char *scenario, struct res_table *t, char *err,
		   size_t errlen)
{
	static const char *const sql[3] = {
		"SELECT id, scenario, scenario_hash, params, status, code_version, seed, run_number, "
		"events, wall_seconds, sim_seconds FROM runs WHERE ?1 IS NULL OR scenario = ?1 ORDER BY id",
		"SELECT DISTINCT m.scope, m.name FROM metrics m JOIN runs r ON r.id = m.run_id "
		"WHERE ?1 IS NULL OR r.scenario = ?1 ORDER BY m.scope, m.name",
		"SELECT m.run_id, m.scope, m.name, m.value FROM metrics m JOIN runs r ON r.id = m.run_id "
		"WHERE ?1 IS NULL OR r.scenario = ?1 ORDER BY m.run_id",
	};
	sqlite3_stmt *st[3] = { NULL };
	size_t cap = 0;
	int ok = 0, rc;
	memset(t, 0, sizeof *t);
	for (int i = 0; i < 3; i++) {
		if (sqlite3_prepare_v2(r->db, sql[i], -1, &st[i], NULL) != SQLITE_OK)
			goto done;
		if (scenario)
			sqlite3_bind_text(st[i], 1, scenario, -1, SQLITE_TRANSIENT);
		else
			sqlite3_bind_null(st[i], 1);
	}
	while ((rc = sqlite3_step(st[0])) == SQLITE_ROW) {
		if (t->nruns == cap) {
			cap = cap ? 2 * cap : 64;
			struct res_run_row *n = realloc(t->run, cap * sizeof *n);
			if (!n)
				goto nomem;
			t->run = n;
		}
		struct res_run_row *w = &t->run[t->nruns++];
		memset(w, 0, sizeof *w);
		w->id = sqlite3_column_int64(st[0], 0);
		w->scenario = dup_col(st[0], 1);
		w->scenario_hash = dup_col(st[0], 2);
		w->params = dup_col(st[0], 3);
		w->status = dup_col(st[0], 4);
		w->code_version = dup_col(st[0], 5);
		if (!w->scenario || !w->scenario_hash || !w->params || !w->status || !w->code_version)
			goto nomem;
		w->seed = sqlite3_column_int64(st[0], 6);
		w->run_number = sqlite3_column_int64(st[0], 7);
		w->events = sqlite3_column_int64(st[0], 8);
		w->wall_seconds = sqlite3_column_double(st[0], 9);
		w->sim_seconds = sqlite3_column_double(st[0], 10);
	}
	if (rc != SQLITE_DONE)
		goto done;
	cap = 0;
	while ((rc = sqlite3_step(st[1])) == SQLITE_ROW) {
		if (t->nmetrics == cap) {
			cap = cap ? 2 * cap : 64;
			struct res_metric_key *n = realloc(t->metric, cap * sizeof *n);
			if (!n)
				goto nomem;
			t->metric = n;
		}
		struct res_metric_key *k = &t->metric[t->nmetrics++];
		k->scope = dup_col(st[1], 0);
		k->name = dup_col(st[1], 1);
		if (!k->scope || !k->name)
			goto nomem;
	}
	if (rc != SQLITE_DONE)
		goto done;
	if (t->nruns && t->nmetrics) {
		if (t->nmetrics > SIZE_MAX / sizeof(double) / t->nruns)
			goto nomem;
		t->value = malloc(t->nruns * t->nmetrics * sizeof(double));
		if (!t->value)
			goto nomem;
		for (size_t i = 0; i < t->nruns * t->nmetrics; i++)
			t->value[i] = NAN;
	}
	size_t row = 0;
	while ((rc = sqlite3_step(st[2])) == SQLITE_ROW) {
		int64_t id = sqlite3_column_int64(st[2], 0);
		while (row < t->nruns && t->run[row].id < id)
			row++;   /* both in id order */
		const char *scope = (const char *)sqlite3_column_text(st[2], 1);
		const char *name = (const char *)sqlite3_column_text(st[2], 2);
		if (row == t->nruns || t->run[row].id != id || !scope || !name)
			continue;
		size_t lo = 0, hi = t->nmetrics;
		while (lo < hi) {   /* the keys are sorted as SQLite sorts (memcmp) */
			size_t mid = lo + (hi - lo) / 2;
			int c = cmp_key(scope, name, &t->metric[mid]);
			if (c == 0) {
				t->value[row * t->nmetrics + mid] = sqlite3_column_double(st[2], 3);
				break;
			}
			if (c < 0)
				hi = mid;
			else
				lo = mid + 1;
		}
	}
	if (rc != SQLITE_DONE)
		goto done;
	ok = 1;
	goto done;
nomem:
	snprintf(err, errlen, "out of memory");
	for (int i = 0; i < 3; i++)
		sqlite3_finalize(st[i]);
	return HN_ENOMEM;
done:
	if (!ok)
		snprintf(err, errlen, "reading runs: %s", sqlite3_errmsg(r->db));
	for (int i = 0; i < 3; i++)
		sqlite3_finalize(st[i]);
	return ok ? HN_OK : HN_EIO;
}

void res_table_free(struct res_table *t)
{
	for (size_t i = 0; i < t->nruns; i++) {
		free(t->run[i].scenario);
		free(t->run[i].scenario_hash);
		free(t->run[i].params);
		free(t->run[i].status);
		free(t->run[i].code_version);
	}
	for (size_t m = 0; m < t->nmetrics; m++) {
		free(t->metric[m].scope);
		free(t->metric[m].name);
	}
	free(t->run);
	free(t->metric);
	free(t->value);
	memset(t, 0, sizeof *t);
}

void res_print_scenarios(struct res_db *r, FILE *out, const char *indent)
{
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(r->db, "SELECT scenario, count(*) FROM runs GROUP BY scenario "
			       "ORDER BY scenario", -1, &st, NULL) != SQLITE_OK)
		return;
	while (sqlite3_step(st) == SQLITE_ROW)
		fprintf(out, "%s%s (%lld runs)\n", indent, (const char *)sqlite3_column_text(st, 0),
			(long long)sqlite3_column_int64(st, 1));
	sqlite3_finalize(st);
}
