/* store.c - a world's results into the database (res.h): its metrics, the
 * sampled series, every request, the latency histograms and ping traces,
 * inside the caller's run transaction; see world.h. */
#include "world/world_int.h"

#include <stdlib.h>
#include <string.h>

#include "results/res.h"
#include "status.h"

extern const char *const world_sample_names[];

struct store_ctx {
	struct res_db *db;
	int64_t run_id;
	int rc;
};

static int store_metric(void *ctx, const char *scope, const char *name, double v)
{
	struct store_ctx *c = ctx;
	if (c->rc == HN_OK)
		c->rc = res_metric(c->db, c->run_id, scope, name, v);
	return c->rc;
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
	return x < y ? -1 : x > y;
}

/* The latency histogram of a workload's completed requests: kind 0 all,
 * 1 hits, 2 misses; series WORKLOAD.latency_hist.KIND, x the bin's centre in
 * seconds, y the count; empty bins are left out (at most one row per
 * request however fine the bins).  Nothing is stored for a kind with no
 * requests. */
static int store_histogram(struct res_db *db, int64_t run_id, const struct wworkload *wl,
			   const struct app_result *r, size_t n, int kind, uint64_t bin_ns)
{
	static const char *const kinds[3] = { "all", "hit", "miss" };
	static const uint8_t want[3] = { 0, APP_CACHE_HIT, APP_CACHE_MISS };
	/* The requests' bin numbers, sorted: each run of equal ones is a bin. */
	uint64_t *bin = malloc((n ? n : 1) * sizeof *bin);
	if (!bin)
		return HN_ENOMEM;
	size_t count = 0;
	for (size_t k = 0; k < n; k++)
		if (r[k].ok && (!kind || r[k].cache == want[kind]))
			bin[count++] = (r[k].end_ns - r[k].start_ns) / bin_ns;
	qsort(bin, count, sizeof *bin, cmp_u64);
	char name[SCN_NAME_MAX + 32];
	snprintf(name, sizeof name, "%s.latency_hist.%s", wl->cfg->name, kinds[kind]);
	int rc = HN_OK;
	for (size_t k = 0, j; k < count && rc == HN_OK; k = j) {
		for (j = k; j < count && bin[j] == bin[k]; j++)
			;
		rc = res_series(db, run_id, name, ((double)bin[k] + 0.5) * (double)bin_ns / 1e9,
				(double)(j - k));
	}
	free(bin);
	return rc;
}

int world_store(const struct world *w, struct res_db *db, int64_t run_id)
{
	struct store_ctx c = { db, run_id, HN_OK };
	world_walk_metrics(w, store_metric, &c);
	for (size_t i = 0; i < w->nsamples && c.rc == HN_OK; i++) {
		char name[SCN_NAME_MAX + 32];
		/* node is a service index for origin_requests, a managed replica
		 * index for replica_requests, else a node index */
		const struct sample *sp = &w->samples[i];
		if (sp->counter == SC_ORIGIN_REQUESTS) {
			snprintf(name, sizeof name, "%s.origin_requests", w->s->service[sp->node].name);
		} else if (sp->counter == SC_REPLICA_REQUESTS) {
			const struct managed *m = w->managed[sp->node];
			const char *svc = world_managed_service(w, m);
			snprintf(name, sizeof name, "%s.replica_requests.%s", m->host->cfg->name, svc);
		} else {
			snprintf(name, sizeof name, "%s.%s", w->s->node[sp->node].name,
				 world_sample_names[sp->counter]);
		}
		c.rc = res_series(db, run_id, name, w->samples[i].t_s, w->samples[i].value);
	}
	for (size_t i = 0; i < w->s->nworkloads && c.rc == HN_OK; i++) {
		const struct wworkload *wl = &w->wl[i];
		const struct app_result *r;
		if (wl->ttcp)
			continue;   /* a transfer, not requests: its metrics say it all */
		size_t n = wl->http ? http_client_results(wl->http, &r)
				    : telnet_client_results(wl->telnet, &r);
		for (size_t k = 0; k < n && c.rc == HN_OK; k++) {
			if (!r[k].started)
				continue;   /* the user left before making it */
			struct res_request q = {
				.workload = wl->cfg->name, .client = wl->cfg->client,
				.service = wl->cfg->service, .seq = (int64_t)k,
				.start_s = (double)r[k].start_ns / 1e9,
				.latency_s = r[k].end_ns ? (double)(r[k].end_ns - r[k].start_ns) / 1e9 : -1,
				.bytes_sent = (int64_t)r[k].bytes_sent,
				.bytes_received = (int64_t)r[k].bytes_received,
				.served_by = r[k].served_by[0] ? r[k].served_by : NULL,
				.ok = r[k].ok,
				.object = wl->http && wl->obj_rng && http_client_objects(wl->http) ? (int64_t)r[k].object : -1,
				.cache = r[k].cache == APP_CACHE_HIT ? "hit" : r[k].cache == APP_CACHE_MISS ? "miss" : NULL,
				.outcome = wl->http ? app_outcome_name(r[k].outcome) : NULL,
			};
			c.rc = res_request(db, run_id, &q);
		}
		for (int kind = 0; kind < 3 && c.rc == HN_OK && wl->http; kind++)
			c.rc = store_histogram(db, run_id, wl, r, n, kind, w->s->out.hist_bin_ns);
		for (size_t k = 0; k < wl->npings && c.rc == HN_OK; k++) {
			char name[SCN_NAME_MAX + 32];
			snprintf(name, sizeof name, "%s.ping_rtt_ms", wl->cfg->name);
			c.rc = res_series(db, run_id, name, wl->pings[k].sent_s, wl->pings[k].rtt_ms);
		}
	}
	return c.rc;
}
