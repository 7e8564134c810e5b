/* world.c - build, run and free a world, phase by phase; see world.h and,
 * for the phases, world_int.h. */
#include "world/world_int.h"

#include <stdlib.h>
#include <string.h>

#include "status.h"

/* The per-object arrays, sized by the scenario's counts. */
static int world_alloc(struct world *w)
{
	const struct scenario *s = w->s;
	size_t nn = s->nnodes + 1, nl = s->nlinks + 1, ns = s->nservices + 1, nr = s->nreplicas + 1;
	w->capservers = 2 * (s->nservices + s->nreplicas + s->nnodes) + 16;
#define ALLOC(f, n) ((w->f = calloc((n), sizeof *w->f)) != NULL)
	return ALLOC(fail, s->nfailures + 1) && ALLOC(rmgr, ns) && ALLOC(origin_http, ns) &&
	       ALLOC(node, nn) && ALLOC(link, nl) && ALLOC(wl, s->nworkloads + 1) &&
	       ALLOC(replica_http, nr) && ALLOC(hweb_mgr, ns) && ALLOC(svc_rng, ns) &&
	       ALLOC(hweb_rep, nr) && ALLOC(wan, nl) && ALLOC(worigin, ns) &&
	       ALLOC(http, w->capservers) && ALLOC(telnet, w->capservers) &&
	       ALLOC(ttcp, w->capservers) && ALLOC(ttcp_addr, w->capservers) &&
	       ALLOC(ttcp_port, w->capservers) && ALLOC(redirect, ns) ? HN_OK : HN_ENOMEM;
#undef ALLOC
}

static void world_release(struct world *w)
{
	free(w->fail);
	free(w->rmgr);
	free(w->origin_http);
	free(w->node);
	free(w->link);
	free(w->wl);
	free(w->replica_http);
	free(w->hweb_mgr);
	free(w->svc_rng);
	free(w->hweb_rep);
	free(w->wan);
	for (size_t i = 0; w->worigin && i < w->s->nservices; i++)
		world_region_free(w->worigin[i].region);
	free(w->worigin);
	free(w->http);
	free(w->telnet);
	free(w->ttcp);
	free(w->ttcp_addr);
	free(w->ttcp_port);
	free(w->redirect);
	graph_free(w->graph);
	routes_free(w->routes);
	addr_index_free(w->addrs);
	free(w);
}

struct world *world_build(const struct scenario *s, const struct world_options *o,
			  char *err, size_t errlen)
{
	struct world *w = calloc(1, sizeof *w);
	if (!w) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	w->s = s;
	w->seed = o->seed;
	if (world_alloc(w) != HN_OK) {
		snprintf(err, errlen, "out of memory");
		world_release(w);
		return NULL;
	}
	struct sim_config sc = { .seed = o->seed, .run = o->run };
	if (sim_init(&sc) != HN_OK) {
		snprintf(err, errlen, "simulator already running");
		world_release(w);
		return NULL;
	}
	if (s->sim.routing == SCN_ROUTING_STATIC)
		sim_routing_from_c(world_route, w);   /* no node yet: cannot fail */
	sim_tcp_timewait_compact(s->sim.tcp_timewait == SCN_TIMEWAIT_COMPACT);
	if (world_tcp_profile(s, err, errlen) != HN_OK ||
	    world_build_topology(w, o, err, errlen) != HN_OK ||
	    world_build_roles(w, o, err, errlen) != HN_OK ||
	    world_build_auth(w, err, errlen) != HN_OK ||
	    world_build_services(w, o, err, errlen) != HN_OK ||
	    world_build_replicas(w, err, errlen) != HN_OK ||
	    world_build_workloads(w, o, err, errlen) != HN_OK ||
	    world_build_failures(w, err, errlen) != HN_OK)
		goto fail;
	if (o->pcap_dir && *o->pcap_dir && sim_pcap_enable(o->pcap_dir) != HN_OK) {
		snprintf(err, errlen, "%s: cannot write pcap files", o->pcap_dir);
		goto fail;
	}
	return w;
fail:
	world_free(w);
	return NULL;
}

double world_run(struct world *w)
{
	if (w->s->out.sample_ns)
		sim_schedule(0, world_sample_tick, w);
	sim_run(w->s->sim.stop_ns);
	w->sim_seconds = (double)sim_now_ns() / 1e9;
	return w->sim_seconds;
}

uint64_t world_events(const struct world *w)
{
	(void)w;
	return sim_event_count();
}

static int print_metric(void *ctx, const char *scope, const char *name, double v)
{
	/* Zero drop counters are noise in a summary; the database has them. */
	if (v == 0 && !strncmp(name, "drop.", 5))
		return HN_OK;
	fprintf(ctx, "  %-20s %-24s %.6g\n", scope, name, v);
	return HN_OK;
}

void world_print_summary(const struct world *w, FILE *out)
{
	world_walk_metrics(w, print_metric, out);
}

void world_free(struct world *w)
{
	if (!w)
		return;
	sim_destroy();
	world_free_roles(w);
	world_free_services(w);
	world_free_alternatives(w);
	for (size_t i = 0; i < w->s->nlinks; i++)
		wan_delay_free(w->wan[i]);
	world_free_workloads(w);
	free(w->samples);
	world_release(w);
}
