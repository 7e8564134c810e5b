/* region.c - a replica manager's regions (trigger = region, rmgr.h): which
 * candidate host server a request the origin serves is attributed to.
 *
 * In the paper's model a client's requests reach a replica through the
 * redirectors on its path to the origin: a host server's routing daemon
 * tells the redirectors of its announce_to list of its replicas, and the
 * first of them a request crosses redirects it.  So a request from a
 * client is attributed to the candidate that announces (by name, in its
 * announce_to) to the first redirector on the client's route to the
 * origin (the model's own routes, routing.h, whatever the scenario's
 * routing key: the same fewest-hop paths); when several candidates announce
 * to that redirector, to the earliest in the service's candidates list.  A
 * candidate with an empty announce_to (announcing to every redirector) is
 * nobody's region; a client with no such redirector on its route is in no
 * region.  The answer for a client node is computed once and kept. */
#include "world/world_int.h"
#include <stdlib.h>
#include <string.h>
#include "net/graph.h"
#include "status.h"
#include "world/routing.h"

struct wregion {
	struct world *w;
	size_t origin;                /* the origin's node index */
	long *redir_cand;             /* per node: the candidate announcing to it, or -1 */
	long *node_cand;              /* per node: its region, -1 none, -2 not known yet */
	uint64_t *served;             /* per candidate: requests attributed */
	size_t ncand;
};

static long region_of_node(struct wregion *g, size_t node)
{
	const struct scenario *s = g->w->s;
	if (g->node_cand[node] != -2)
		return g->node_cand[node];
	long cand = -1;
	size_t cur = node;
	for (size_t hops = 0; hops <= s->nnodes; hops++) {
		if (g->redir_cand[cur] >= 0) {
			cand = g->redir_cand[cur];
			break;
		}
		long k = cur == g->origin ? -1 : routes_next(g->w->routes, cur, g->origin);
		if (k < 0)
			break;
		long a = scenario_node_index(s, s->link[k].a), b = scenario_node_index(s, s->link[k].b);
		long next = (size_t)a == cur ? b : a;
		if (next < 0)
			break;
		cur = (size_t)next;
	}
	g->node_cand[node] = cand;
	return cand;
}

static void region_observe(void *ctx, uint32_t peer)
{
	struct wregion *g = ctx;
	long node = addr_index_find(g->w->addrs, peer);
	long c = node < 0 ? -1 : region_of_node(g, (size_t)node);
	if (c >= 0)   /* a request from no candidate's region counts for none */
		g->served[c]++;
}

uint64_t world_region_served(const struct wregion *g, size_t k)
{
	return g && k < g->ncand ? g->served[k] : 0;
}

void world_region_free(struct wregion *g)
{
	if (!g)
		return;
	free(g->redir_cand);
	free(g->node_cand);
	free(g->served);
	free(g);
}

int world_region_new(struct world *w, size_t service, struct http_server_config *hc)
{
	const struct scenario *s = w->s;
	const struct scn_service *v = &s->service[service];
	if (world_routes_ensure(w) != HN_OK)
		return HN_ENOMEM;
	struct wregion *g = calloc(1, sizeof *g);
	size_t ncand = 0;
	char list[sizeof v->candidates], *save = NULL;
	snprintf(list, sizeof list, "%s", v->candidates);
	for (char *t = strtok_r(list, " \t,", &save); t && ncand < RMGR_MAX_CANDIDATES;
	     t = strtok_r(NULL, " \t,", &save))
		ncand++;
	if (!g || !(g->redir_cand = malloc(s->nnodes * sizeof *g->redir_cand)) ||
	    !(g->node_cand = malloc(s->nnodes * sizeof *g->node_cand)) ||
	    !(g->served = calloc(ncand ? ncand : 1, sizeof *g->served))) {
		world_region_free(g);
		return HN_ENOMEM;
	}
	g->w = w;
	g->ncand = ncand;
	g->origin = (size_t)scenario_node_index(s, v->origin);   /* checked by scenario.c */
	for (size_t i = 0; i < s->nnodes; i++)
		g->redir_cand[i] = -1, g->node_cand[i] = -2;
	/* The same candidates, in the same order, as the manager's (services.c). */
	snprintf(list, sizeof list, "%s", v->candidates);
	save = NULL;
	long k = 0;
	for (char *t = strtok_r(list, " \t,", &save); t && (size_t)k < ncand;
	     t = strtok_r(NULL, " \t,", &save), k++) {
		long c = scenario_node_index(s, t);
		if (c < 0 || s->node[c].role != SCN_HOSTSERVER)
			continue;
		const char *to = s->node[c].cfg.hostserver.rtd.announce_to;
		for (size_t r = 0; r < s->nnodes && to[0]; r++)
			if (s->node[r].role == SCN_REDIRECTOR && g->redir_cand[r] < 0 &&
			    scn_name_listed(to, s->node[r].name))
				g->redir_cand[r] = k;
	}
	hc->observe = region_observe;
	hc->observe_ctx = g;
	w->worigin[service].region = g;
	return HN_OK;
}
