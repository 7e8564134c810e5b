/* workloads.c - the clients of a world: each workload's application client
 * (ttcp, HTTP or telnet) with its own random streams, and its ping trace;
 * see world_int.h. */
#include "world/world_int.h"

#include <stdlib.h>
#include <string.h>

#include "status.h"

/* One echo reply of a workload's ping trace. */
static void ping_reply(void *ctx, uint64_t sent_ns, uint64_t rtt_ns)
{
	struct wworkload *wl = ctx;
	if (wl->npings == wl->cappings) {
		size_t cap = wl->cappings ? 2 * wl->cappings : 256;
		struct ping_rec *n = realloc(wl->pings, cap * sizeof *n);
		if (!n)
			return;   /* the trace ends early; ping_received says so */
		wl->pings = n;
		wl->cappings = cap;
	}
	wl->pings[wl->npings++] = (struct ping_rec){ (double)sent_ns / 1e9, (double)rtt_ns / 1e6 };
}

int world_build_workloads(struct world *w, const struct world_options *o, char *err, size_t errlen)
{
	const struct scenario *s = w->s;
	/* Client workloads. */
	for (size_t i = 0; i < s->nworkloads; i++) {
		const struct scn_workload *c = &s->workload[i];
		struct wworkload *wl = &w->wl[i];
		wl->cfg = c;
		wl->svc = scenario_service(s, c->service);
		sim_node *cn = wnode(w, c->client)->sim;
		/* Independent streams: one GSL generator per workload, seeded
		 * from (seed, run, workload index); ns-3's own streams follow
		 * its run number. */
		wl->rng = gsl_rng_alloc(gsl_rng_mt19937);
		if (!wl->rng) {
			world_fail_at(err, errlen, s, s->workload_at[i].line, "workload", c->name, HN_ENOMEM);
			return HN_EINVAL;
		}
		gsl_rng_set(wl->rng, (unsigned long)world_stream_seed(o->seed, o->run, i));
		struct app_think think = { c->think_ns,
					   c->think_dist == SCN_DIST_EXPONENTIAL ? wl->rng : NULL };
		int ok;
		/* virtualhost (HydraNet's normal case): the client addresses the
		 * origin.  clean and realhost, the paper's baselines: it addresses
		 * the replica's host server by its own address, a traditional port.
		 * With HTTP redirection it addresses the origin, which sends it on. */
		uint32_t dst = wl->svc->address;
		for (size_t k = 0; k < s->nreplicas && s->testbed.series != SCN_SERIES_VIRTUALHOST &&
				   !wl->svc->redirect; k++)
			if (!strcmp(s->replica[k].service, wl->svc->name)) {
				dst = world_node_addr(s, s->replica[k].host_server);
				break;
			}
		if (wl->svc->app == SCN_APP_TTCP) {
			struct ttcp_config tc = {
				.buflen = (uint32_t)c->buflen, .nbuf = (uint32_t)c->nbuf,
				.udp = wl->svc->protocol == SCN_UDP, .addr = dst,
				.port = (uint16_t)wl->svc->port, .start_ns = c->start_ns,
				.src_port = (uint16_t)c->source_port,
			};
			wl->ttcp_dst = dst;
			wl->ttcp_port = (uint16_t)wl->svc->port;
			ok = (wl->ttcp = ttcp_sender_new(cn, wnode(w, c->client)->cpu, &tc)) != NULL;
			if (ok) {
				ttcp_sender_set_ip(wl->ttcp, c->df, (uint8_t)c->tos, (uint8_t)c->ttl);
				ttcp_sender_set_mtu_probing(wl->ttcp,
							    c->mtu_probing == SCN_MTU_PROBING_PROBE ? SIM_MTU_PROBING_PROBE
							    : c->mtu_probing == SCN_MTU_PROBING_BLACKHOLE ? SIM_MTU_PROBING_BLACKHOLE
							    : SIM_MTU_PROBING_OFF,
							    (uint32_t)c->base_mss);
				/* Every receiver the flow may reach (the origin's,
				 * a replica's) reads it with the sender's -l. */
				ttcp_sender_flow(wl->ttcp, &wl->ttcp_src, &wl->ttcp_sport);
				for (size_t k = 0; k < w->nttcp && ok; k++)
					if (w->ttcp_addr[k] == dst && w->ttcp_port[k] == wl->ttcp_port)
						ok = ttcp_receiver_expect(w->ttcp[k], wl->ttcp_src, wl->ttcp_sport,
									  tc.buflen, tc.nbuf) == HN_OK;
			}
		} else if (wl->svc->app == SCN_APP_HTTP || wl->svc->app == SCN_APP_HYDRAWEB) {
			uint64_t objects = c->objects ? c->objects
					   : wl->svc->app == SCN_APP_HYDRAWEB ? wl->svc->hweb_mgr.objects : 0;
			wl->obj_rng = gsl_rng_alloc(gsl_rng_mt19937);
			if (wl->obj_rng)
				gsl_rng_set(wl->obj_rng, (unsigned long)world_stream_seed(o->seed, o->run, 500 + i));
			struct http_client_config hc = {
				.objects = (uint32_t)objects, .object_rng = wl->obj_rng,
				.server_addr = dst, .server_port = (uint16_t)wl->svc->port,
				.object_bytes = (uint32_t)c->object_bytes,
				.request_bytes = (uint32_t)c->request_bytes,
				.requests = (uint32_t)c->requests, .start_ns = c->start_ns,
				.think = think, .clients = (uint32_t)c->clients, .stop_ns = c->stop_ns,
				.timeout_ns = c->timeout_ns,
				.cache_redirect = c->cache_redirect,
			};
			ok = wl->obj_rng && world_dns_client(w, wl, &hc) == HN_OK &&
			     (wl->http = http_client_new(cn, &hc)) != NULL;
		} else {
			struct telnet_client_config tc = {
				.server_addr = dst, .server_port = (uint16_t)wl->svc->port,
				.bytes = (uint32_t)c->typed_bytes, .write_bytes = (uint32_t)c->write_bytes,
				.write_gap_ns = c->write_gap_ns, .sessions = (uint32_t)c->requests,
				.start_ns = c->start_ns, .think = think,
			};
			ok = (wl->telnet = telnet_client_new(cn, &tc)) != NULL;
		}
		if (!ok) {
			world_fail_at(err, errlen, s, s->workload_at[i].line, "workload", c->name, HN_EINVAL);
			return HN_EINVAL;
		}
	}
	/* Ping traces: from each workload's client to its service's address. */
	for (size_t i = 0; i < s->nworkloads; i++) {
		const struct scn_workload *c = &s->workload[i];
		struct wworkload *wl = &w->wl[i];
		if (!c->ping_ns)
			continue;
		wl->ping = sim_ping_start(wnode(w, c->client)->sim, wl->svc->address,
					  (uint32_t)c->ping_bytes, c->ping_ns, c->start_ns,
					  s->sim.stop_ns, ping_reply, wl);
		if (!wl->ping) {
			world_fail_at(err, errlen, s, s->workload_at[i].line, "workload", c->name, HN_EINVAL);
			return HN_EINVAL;
		}
	}
	return HN_OK;
}

void world_free_workloads(struct world *w)
{
	for (size_t i = 0; i < w->s->nworkloads; i++) {
		http_client_free(w->wl[i].http);
		dnssrv_stub_free(w->wl[i].stub);
		telnet_client_free(w->wl[i].telnet);
		ttcp_sender_free(w->wl[i].ttcp);
		if (w->wl[i].rng)
			gsl_rng_free(w->wl[i].rng);
		if (w->wl[i].obj_rng)
			gsl_rng_free(w->wl[i].obj_rng);
		free(w->wl[i].pings);
	}
}
