/* metrics.c - every result of a world as a metric (scope, name, value): the
 * declared counters of each node's components (counter.h, through the role
 * table), links, services, replicas, and each workload's derived results;
 * and the sampled counter series.  See world_int.h; `hydranet metrics`
 * prints the reference of all of them (metrics_ref.c). */
#include "world/world_int.h"

#include "apps/redirect.h"

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_sort.h>
#include <gsl/gsl_statistics_double.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "status.h"

const char *const world_sample_names[SC_NCOUNTERS] = {
	"redirected", "forwarded", "fragments_made", "delivered", "reassembled",
	"origin_requests", "replica_requests",
};

static void add_sample(struct world *w, size_t node, int counter, double v)
{
	if (w->nsamples == w->capsamples) {
		size_t cap = w->capsamples ? 2 * w->capsamples : 256;
		struct sample *n = realloc(w->samples, cap * sizeof *n);
		if (!n)
			return;   /* the series ends early; the counters stay exact */
		w->samples = n;
		w->capsamples = cap;
	}
	w->samples[w->nsamples++] = (struct sample){ (double)sim_now_ns() / 1e9, node, counter, v };
}

/* Every sample interval: the cumulative counters of each HydraNet node. */
void world_sample_tick(void *arg)
{
	struct world *w = arg;
	for (size_t i = 0; i < w->s->nnodes; i++) {
		const struct wnode *n = &w->node[i];
		if (n->redir) {
			const struct redir_stats *r = redir_stats(n->redir);
			add_sample(w, i, SC_REDIRECTED, (double)r->redirected);
			add_sample(w, i, SC_FORWARDED, (double)r->forwarded);
			add_sample(w, i, SC_FRAGMENTS_MADE, (double)r->fragments_made);
		}
		if (n->hsrv) {
			const struct hsrv_stats *h = hsrv_stats(n->hsrv);
			add_sample(w, i, SC_DELIVERED, (double)h->delivered);
			add_sample(w, i, SC_REASSEMBLED, (double)h->reassembled);
		}
	}
	for (size_t i = 0; i < w->s->nservices; i++)
		if (w->origin_http[i])
			add_sample(w, i, SC_ORIGIN_REQUESTS, (double)http_server_requests(w->origin_http[i]));
	for (size_t i = 0; i < w->nmanaged; i++)
		add_sample(w, i, SC_REPLICA_REQUESTS, (double)world_managed_requests(w->managed[i]));
	if (sim_now_ns() + w->s->out.sample_ns <= w->s->sim.stop_ns)
		sim_schedule(w->s->out.sample_ns, world_sample_tick, w);
}

/* A HydraWeb replica's counters, in its host server's scope, named
 * COUNTER.SERVICE (a host server may run replicas of several). */
static void put_hweb_replica(counter_put_fn put, void *ctx, const char *sc, const char *svc,
			     const struct hweb_replica *r)
{
	char suffix[SCN_NAME_MAX + 2], name[96];
	snprintf(suffix, sizeof suffix, ".%s", svc);
	counter_put_set(&hweb_replica_counters, hweb_replica_stats(r), sc, suffix, put, ctx);
	snprintf(name, sizeof name, "hweb.cache_objects.%s", svc);
	put(ctx, sc, name, (double)hweb_cache_objects(hweb_replica_cache(r)));
}

/* Mean of v[0..n) as NAME_mean_s and the half-width of its 95% confidence
 * interval (Student t, n - 1 degrees of freedom) as NAME_ci95_s. */
static void put_mean_ci(counter_put_fn put, void *ctx, const char *sc, const char *base,
			const double *v, size_t n)
{
	char name[96];
	if (!n)
		return;
	snprintf(name, sizeof name, "%s_mean_s", base);
	put(ctx, sc, name, gsl_stats_mean(v, 1, n));
	if (n < 2)
		return;
	snprintf(name, sizeof name, "%s_ci95_s", base);
	put(ctx, sc, name, gsl_cdf_tdist_Pinv(0.975, (double)(n - 1)) * gsl_stats_sd(v, 1, n) /
			   sqrt((double)n));
}

/* A service's replica manager: its counters, and when it acted. */
static void put_manager(counter_put_fn put, void *ctx, const char *sc, const struct rmgr *mg)
{
	const struct rmgr_stats *m = rmgr_stats(mg);
	counter_put_set(&rmgr_counters, m, sc, NULL, put, ctx);
	put(ctx, sc, "replicas_installed_at_end", (double)rmgr_installed(mg));
	if (m->first_trigger_s >= 0)
		put(ctx, sc, "first_trigger_s", m->first_trigger_s);
	if (m->first_install_s >= 0) {   /* trigger to INSTALL_ACK (replica bound and announced) */
		put(ctx, sc, "install_latency_s", m->first_install_s);
		put(ctx, sc, "last_install_latency_s", m->last_install_s);
	}
}

void world_walk_metrics(const struct world *w, counter_put_fn put, void *ctx)
{
	char name[96];
	for (size_t i = 0; i < w->s->nnodes; i++) {
		world_role_counters(w, &w->node[i], put, ctx);
		world_stack_counters(w, &w->node[i], put, ctx);
	}
	for (size_t i = 0; i < w->s->nlinks; i++) {
		char sc[SCN_NAME_MAX + 16];
		snprintf(sc, sizeof sc, "link:%s", w->s->link[i].name);
		put(ctx, sc, "bytes_a_to_b", (double)sim_link_tx_bytes(w->link[i], 0));
		put(ctx, sc, "bytes_b_to_a", (double)sim_link_tx_bytes(w->link[i], 1));
		put(ctx, sc, "frames", (double)(sim_link_tx_packets(w->link[i], 0) +
						sim_link_tx_packets(w->link[i], 1)));
	}
	for (size_t i = 0; i < w->s->nservices; i++) {
		char sc[SCN_NAME_MAX + 16];
		snprintf(sc, sizeof sc, "service:%s", w->s->service[i].name);
		if (w->origin_http[i])
			put(ctx, sc, "origin_requests", (double)http_server_requests(w->origin_http[i]));
		if (w->rmgr[i])
			put_manager(put, ctx, sc, w->rmgr[i]);
		if (w->hweb_mgr[i])
			counter_put_set(&hweb_manager_counters, hweb_manager_stats(w->hweb_mgr[i]), sc, NULL,
					put, ctx);
	}
	for (size_t i = 0; i < w->nmanaged; i++) {
		/* A host server may run replicas of several services. */
		const struct managed *m = w->managed[i];
		const char *svc = world_managed_service(w, m);
		snprintf(name, sizeof name, "replica_requests.%s", svc);
		put(ctx, m->host->cfg->name, name, (double)world_managed_requests(m));
		if (m->hweb)
			put_hweb_replica(put, ctx, m->host->cfg->name, svc, m->hweb);
	}
	for (size_t i = 0; i < w->s->nreplicas; i++)
		if (w->hweb_rep[i])
			put_hweb_replica(put, ctx, w->s->replica[i].host_server, w->s->replica[i].service,
					 w->hweb_rep[i]);
	for (size_t i = 0; i < w->s->nworkloads; i++) {
		const struct wworkload *wl = &w->wl[i];
		if (wl->ttcp) {
			/* The workload's own flow (its sender's address and
			 * port) at the receivers of the address it targets;
			 * several may listen there (the origin's and a
			 * replica's): the one that got the data has it. */
			const struct ttcp_result *t = NULL;
			for (size_t k = 0; k < w->nttcp; k++) {
				const struct ttcp_result *f = NULL;
				if (w->ttcp_addr[k] == wl->ttcp_dst && w->ttcp_port[k] == wl->ttcp_port)
					f = ttcp_receiver_flow(w->ttcp[k], wl->ttcp_src, wl->ttcp_sport);
				if (f && (!t || f->bytes > t->bytes))
					t = f;
			}
			if (!t)
				continue;
			char sc[SCN_NAME_MAX + 16];
			snprintf(sc, sizeof sc, "workload:%s", wl->cfg->name);
			double secs = t->end_ns > t->start_ns ? (double)(t->end_ns - t->start_ns) / 1e9 : 0;
			put(ctx, sc, "ttcp_source_port", (double)wl->ttcp_sport);
			put(ctx, sc, "ttcp_bytes", (double)t->bytes);
			put(ctx, sc, "ttcp_reads", (double)t->reads);
			put(ctx, sc, "ttcp_complete", t->complete);
			const sim_sock *so = ttcp_sender_socket(wl->ttcp);
			if (so && wl->svc->protocol == SCN_TCP) {
				put(ctx, sc, "tcp_mss_end", (double)sim_sock_mss(so));
				put(ctx, sc, "tcp_pmtu_lowered", (double)sim_sock_pmtu_lowered(so));
				put(ctx, sc, "tcp_blackhole_lowered", (double)sim_sock_blackhole_lowered(so));
				unsigned ps, pok, pfail;
				sim_sock_mtu_probes(so, &ps, &pok, &pfail);
				put(ctx, sc, "tcp_mtu_probes", (double)ps);
				put(ctx, sc, "tcp_mtu_probes_failed", (double)pfail);
			}
			if (t->first_data_ns >= wl->cfg->start_ns && t->bytes)
				put(ctx, sc, "ttcp_first_byte_s",
				    (double)(t->first_data_ns - wl->cfg->start_ns) / 1e9);
			if (secs > 0) {   /* nothing received: no time, no rate */
				put(ctx, sc, "ttcp_seconds", secs);
				put(ctx, sc, "throughput_mbps", (double)t->bytes * 8 / secs / 1e6);
			}
			continue;
		}
		const struct app_result *r;
		size_t n = wl->http ? http_client_results(wl->http, &r)
				    : telnet_client_results(wl->telnet, &r);
		double sent = 0, recv = 0, ok = 0, lat = 0, conn = 0, nconn = 0, started = 0;
		double *lats = malloc((n ? n : 1) * sizeof *lats);
		size_t nl = 0;
		for (size_t k = 0; k < n; k++) {
			if (!r[k].started)
				continue;
			started++;
			sent += (double)r[k].bytes_sent;
			recv += (double)r[k].bytes_received;
			ok += r[k].ok;
			if (r[k].ok) {
				lat += (double)(r[k].end_ns - r[k].start_ns) / 1e9;
				if (lats)
					lats[nl++] = (double)(r[k].end_ns - r[k].start_ns) / 1e9;
			}
			if (r[k].connected_ns) {
				conn += (double)(r[k].connected_ns - r[k].start_ns) / 1e9;
				nconn++;
			}
		}
		char sc[SCN_NAME_MAX + 16];
		snprintf(sc, sizeof sc, "workload:%s", wl->cfg->name);
		put(ctx, sc, "requests", started);
		put(ctx, sc, "ok", ok);
		if (wl->http) {   /* how the others ended (enum app_outcome) */
			double out[APP_FAILED + 1] = { 0 };
			for (size_t k = 0; k < n; k++)
				if (r[k].started && r[k].outcome <= APP_FAILED)
					out[r[k].outcome]++;
			put(ctx, sc, "requests_reset", out[APP_RESET]);
			put(ctx, sc, "requests_timed_out", out[APP_TIMED_OUT]);
			put(ctx, sc, "requests_failed", out[APP_FAILED]);
			put(ctx, sc, "requests_unfinished", out[APP_UNFINISHED]);
		}
		put(ctx, sc, "bytes_sent", sent);
		put(ctx, sc, "bytes_received", recv);
		if (ok > 0)
			put(ctx, sc, "latency_mean_s", lat / ok);
		if (nl > 0) {   /* quantiles of the completed requests' latency (GSL) */
			gsl_sort(lats, 1, nl);
			put(ctx, sc, "latency_p50_s", gsl_stats_quantile_from_sorted_data(lats, 1, nl, 0.5));
			put(ctx, sc, "latency_p90_s", gsl_stats_quantile_from_sorted_data(lats, 1, nl, 0.9));
			put(ctx, sc, "latency_p99_s", gsl_stats_quantile_from_sorted_data(lats, 1, nl, 0.99));
		}
		free(lats);
		if (nconn > 0)
			put(ctx, sc, "connect_mean_ms", conn / nconn * 1e3);
		/* The mean's CI, and hits and misses apart (X-Cache of each reply). */
		double *hit = malloc((n ? n : 1) * sizeof *hit), *miss = malloc((n ? n : 1) * sizeof *miss);
		double *all = malloc((n ? n : 1) * sizeof *all);
		size_t nh = 0, nm = 0, na = 0, tagged = 0;
		for (size_t k = 0; k < n && hit && miss && all; k++) {
			if (!r[k].started)
				continue;
			tagged += r[k].cache != APP_CACHE_NONE;
			if (!r[k].ok)
				continue;
			double l = (double)(r[k].end_ns - r[k].start_ns) / 1e9;
			all[na++] = l;
			if (r[k].cache == APP_CACHE_HIT)
				hit[nh++] = l;
			else if (r[k].cache == APP_CACHE_MISS)
				miss[nm++] = l;
		}
		if (na >= 2) {
			put(ctx, sc, "latency_ci95_s", gsl_cdf_tdist_Pinv(0.975, (double)(na - 1)) *
					       gsl_stats_sd(all, 1, na) / sqrt((double)na));
		}
		if (wl->http && na)   /* the width of the latency_hist series' bins */
			put(ctx, sc, "latency_hist_bin_s", (double)w->s->out.hist_bin_ns / 1e9);
		if (tagged) {
			put(ctx, sc, "cache_hits", (double)nh);
			put(ctx, sc, "cache_misses", (double)nm);
			put_mean_ci(put, ctx, sc, "latency_hit", hit, nh);
			put_mean_ci(put, ctx, sc, "latency_miss", miss, nm);
		}
		free(hit);
		free(miss);
		free(all);
		if (wl->ping) {
			double *rtt = malloc((wl->npings ? wl->npings : 1) * sizeof *rtt);
			put(ctx, sc, "ping_sent", (double)sim_ping_sent(wl->ping));
			put(ctx, sc, "ping_received", (double)wl->npings);
			for (size_t k = 0; rtt && k < wl->npings; k++)
				rtt[k] = wl->pings[k].rtt_ms;
			if (rtt && wl->npings) {
				put(ctx, sc, "ping_rtt_mean_ms", gsl_stats_mean(rtt, 1, wl->npings));
				if (wl->npings > 1)
					put(ctx, sc, "ping_rtt_sd_ms", gsl_stats_sd(rtt, 1, wl->npings));
			}
			free(rtt);
		}
		if (wl->http && wl->svc->redirect) {   /* HTTP redirection (redirect.h) */
			put(ctx, sc, "redirects", (double)http_client_redirects(wl->http));
			const uint64_t *rf = http_client_redirect_refusals(wl->http);
			for (int k = 0; k < REDIRECT_NREFUSALS; k++) {
				snprintf(name, sizeof name, "drop.%s", redirect_refusal_name(k));
				put(ctx, sc, name, (double)rf[k]);
			}
		}
		if (wl->stub)   /* the client's name lookups (dnssrv.h) */
			counter_put_set(&dnssrv_counters, dnssrv_stub_stats(wl->stub), sc, NULL, put, ctx);
		/* Which node served the requests, counted from the replies. */
		for (size_t k = 0; k < n; k++) {
			if (!r[k].served_by[0])
				continue;
			int first = 1;
			for (size_t j = 0; j < k; j++)
				if (!strcmp(r[j].served_by, r[k].served_by))
					first = 0;
			if (!first)
				continue;
			double count = 0;
			for (size_t j = k; j < n; j++)
				count += !strcmp(r[j].served_by, r[k].served_by);
			snprintf(name, sizeof name, "served_by.%s", r[k].served_by);
			put(ctx, sc, name, count);
		}
	}
	world_failure_metrics(w, put, ctx);
}
