/* alternatives.c - the alternatives to HydraNet on the same simulator: the
 * roles nameserver and resolver (DNS-based replica selection, dnssrv.h),
 * the clients that resolve before connecting, origins that redirect (HTTP
 * redirection, redirect.h), and NAT front ends of server clusters (role
 * natlb, natlb.h); see world_int.h. */
#include "world/world_int.h"

#include <stdlib.h>
#include <string.h>

#include "status.h"

/* A DNS node's component, and (name servers) the path-delay metric from
 * each asking node, made when it first asks. */
struct wdns {
	struct world *w;
	struct dnssrv_auth *auth;
	struct dnssrv_resolver *res;
	uint32_t origin;              /* redirection: the origin's address */
	struct wstop {                /* name servers: replicas that stop or start, and when */
		struct dnssrv_auth *auth;
		uint32_t addr;
	} stop[DNSSRV_MAX_CANDIDATES], start[DNSSRV_MAX_CANDIDATES];
	struct wmetric **from;        /* per asking node, computed when first asked */
};

/* The redirector's nearest metric (topology.c), from the asking node. */
static uint64_t dns_dist(void *ctx, uint32_t requester, uint32_t candidate)
{
	struct wdns *d = ctx;
	long i = addr_index_find(d->w->addrs, requester);
	if (i < 0)
		return UINT64_MAX;
	if (!d->from && !(d->from = calloc(d->w->s->nnodes, sizeof *d->from)))
		return UINT64_MAX;
	if (!d->from[i] && !(d->from[i] = world_metric_new(d->w, (size_t)i)))
		return UINT64_MAX;
	return world_metric_fn(d->from[i], candidate);
}

/* A service's candidates: its replicas' host servers (their own
 * addresses, where the clean and realhost series serve them), then the
 * origin.  Returns how many, or HN_ELIMIT. */
static int candidates(const struct scenario *s, const struct scn_service *v, uint32_t *cand)
{
	size_t nc = 0;
	for (size_t k = 0; k < s->nreplicas; k++)
		if (!strcmp(s->replica[k].service, v->name)) {
			if (nc == DNSSRV_MAX_CANDIDATES - 1)
				return HN_ELIMIT;
			cand[nc++] = world_node_addr(s, s->replica[k].host_server);
		}
	cand[nc++] = v->address;
	return (int)nc;
}

/* ---- nameserver ------------------------------------------------------------ */

/* A replica stopped: its record leaves the zone at once (the best case for
 * DNS: an operator or a health check would take longer); resolvers and
 * clients keep it until their TTLs run out. */
static void record_removed(void *arg)
{
	struct wstop *st = arg;
	dnssrv_auth_remove(st->auth, st->addr);
}

/* A replica started: its record enters the zone at once. */
static void record_added(void *arg)
{
	struct wstop *st = arg;
	dnssrv_auth_add(st->auth, st->addr);
}

/* A [replica] of v that stops is no longer answered from its stop on, one
 * added later (start) only from its start (the name server's or the
 * origin's list is told at once: assumed). */
static void schedule_stops(const struct scenario *s, const struct scn_service *v, struct wdns *d)
{
	size_t k = 0, j = 0;
	for (size_t i = 0; i < s->nreplicas; i++) {
		if (strcmp(s->replica[i].service, v->name))
			continue;
		uint32_t addr = world_node_addr(s, s->replica[i].host_server);
		if (s->replica[i].stop_ns) {
			d->stop[k] = (struct wstop){ d->auth, addr };
			sim_schedule(s->replica[i].stop_ns, record_removed, &d->stop[k++]);
		}
		if (s->replica[i].start_ns) {
			dnssrv_auth_remove(d->auth, addr);
			d->start[j] = (struct wstop){ d->auth, addr };
			sim_schedule(s->replica[i].start_ns, record_added, &d->start[j++]);
		}
	}
}

static int nameserver_new(struct world *w, struct wnode *n)
{
	const struct scenario *s = w->s;
	const struct dnssrv_auth_config *c = &n->cfg->cfg.nameserver;
	const struct scn_service *v = scenario_service(s, c->service);
	if (!v)
		return HN_ECONFIG;
	uint32_t cand[DNSSRV_MAX_CANDIDATES];
	int nc = candidates(s, v, cand);
	if (nc < 0)
		return nc;
	if (!(n->dns = calloc(1, sizeof *n->dns)))
		return HN_ENOMEM;
	n->dns->w = w;
	n->dns->auth = dnssrv_auth_new(n->sim, world_node_addr(s, n->cfg->name), v->name, c, cand,
				       (size_t)nc, 1, dns_dist, n->dns);
	if (!n->dns->auth)
		return HN_ENOMEM;
	schedule_stops(s, v, n->dns);
	return HN_OK;
}

static const struct counter_set *const dns_sets[] = { &dnssrv_counters, NULL };

static const void *nameserver_stats(const struct wnode *n, size_t k)
{
	(void)k;
	return n->dns && n->dns->auth ? (const void *)dnssrv_auth_stats(n->dns->auth) : NULL;
}

static void wdns_free(struct wdns *d)
{
	if (!d)
		return;
	dnssrv_auth_free(d->auth);
	dnssrv_resolver_free(d->res);
	for (size_t i = 0; d->from && i < d->w->s->nnodes; i++)
		world_metric_free(d->from[i]);
	free(d->from);
	free(d);
}

static void dns_free(struct wnode *n)
{
	wdns_free(n->dns);
	n->dns = NULL;
}

const struct world_role world_nameserver = {
	"nameserver", nameserver_new, NULL, dns_sets, nameserver_stats, dns_free,
};

/* ---- resolver -------------------------------------------------------------- */

static int resolver_new(struct world *w, struct wnode *n)
{
	const struct scenario *s = w->s;
	const struct scn_node *ns = scenario_node(s, n->cfg->cfg.resolver.server);
	if (!ns)
		return HN_ECONFIG;
	if (!(n->dns = calloc(1, sizeof *n->dns)))
		return HN_ENOMEM;
	n->dns->w = w;
	n->dns->res = dnssrv_resolver_new(n->sim, world_node_addr(s, n->cfg->name),
					  world_node_addr(s, ns->name));
	return n->dns->res ? HN_OK : HN_ENOMEM;
}

static const void *resolver_stats(const struct wnode *n, size_t k)
{
	(void)k;
	return n->dns && n->dns->res ? (const void *)dnssrv_resolver_stats(n->dns->res) : NULL;
}

const struct world_role world_resolver = {
	"resolver", resolver_new, NULL, dns_sets, resolver_stats, dns_free,
};

/* ---- clients ---------------------------------------------------------------- */

/* An HTTP workload with a resolver: its stub, and the lookup before each
 * request.  HN_OK (nothing to do without a resolver) or a status. */
int world_dns_client(struct world *w, struct wworkload *wl, struct http_client_config *hc)
{
	const struct scn_workload *c = wl->cfg;
	if (!c->resolver[0])
		return HN_OK;
	wl->stub = dnssrv_stub_new(wnode(w, c->client)->sim, world_node_addr(w->s, c->resolver),
				   wl->svc->name, c->min_ttl_ns);
	if (!wl->stub)
		return HN_ENOMEM;
	hc->resolve = dnssrv_stub_resolve;
	hc->resolve_ctx = wl->stub;
	return HN_OK;
}

/* ---- HTTP redirection ------------------------------------------------------- */

/* The origin's choice for a client: the nearest replica's host server by
 * the same metric and rule as the name server's nearest (the origin only
 * when strictly nearer: then 0, served here). */
static uint32_t redirect_nearest(void *ctx, uint32_t peer)
{
	struct wdns *d = ctx;
	uint32_t to = dnssrv_auth_choose(d->auth, peer);
	return to == d->origin ? 0 : to;
}

int world_http_redirect(struct world *w, size_t service, struct http_server_config *hc)
{
	const struct scenario *s = w->s;
	const struct scn_service *v = &s->service[service];
	if (!v->redirect || v->app != SCN_APP_HTTP)
		return HN_OK;
	uint32_t cand[DNSSRV_MAX_CANDIDATES];
	int nc = candidates(s, v, cand);
	if (nc < 0)
		return nc;
	struct wdns *d = calloc(1, sizeof *d);
	if (!d)
		return HN_ENOMEM;
	d->w = w;
	d->origin = v->address;
	const struct dnssrv_auth_config c = { "", DNSSRV_NEAREST, 0 };
	if (!(d->auth = dnssrv_auth_new(NULL, 0, v->name, &c, cand, (size_t)nc, 1, dns_dist, d))) {
		free(d);
		return HN_ENOMEM;
	}
	schedule_stops(s, v, d);
	w->redirect[service] = d;
	hc->redirect = redirect_nearest;
	hc->redirect_ctx = d;
	return HN_OK;
}

void world_free_alternatives(struct world *w)
{
	for (size_t i = 0; i < w->s->nservices; i++) {
		wdns_free(w->redirect[i]);
		w->redirect[i] = NULL;
	}
}

/* ---- NAT cluster ------------------------------------------------------------ */

/* The real servers' addresses (dr: on the link each shares with the front
 * end fe, its next hop); n set to how many.  HN_ECONFIG when one is not a
 * node or (dr) not a neighbour of fe. */
static int natlb_servers(struct world *w, const char *fe, const struct natlb_config *c,
			 uint32_t *addr, size_t *n)
{
	char buf[256], *save = NULL;
	snprintf(buf, sizeof buf, "%s", c->servers);
	*n = 0;
	for (char *t = strtok_r(buf, " \t,", &save); t; t = strtok_r(NULL, " \t,", &save)) {
		if (!scenario_node(w->s, t) || *n == NATLB_MAX_SERVERS)
			return HN_ECONFIG;
		addr[*n] = c->mode == NATLB_DR ? world_link_addr(w->s, t, fe) : world_node_addr(w->s, t);
		if (!addr[(*n)++])
			return HN_ECONFIG;
	}
	return *n ? HN_OK : HN_ECONFIG;
}

static int natlb_node_new(struct world *w, struct wnode *n)
{
	const struct natlb_config *c = &n->cfg->cfg.natlb;
	const struct scn_service *v = scenario_service(w->s, c->service);
	uint32_t addr[NATLB_MAX_SERVERS];
	size_t k;
	if (!v || natlb_servers(w, n->cfg->name, c, addr, &k) != HN_OK)
		return HN_ECONFIG;
	n->natlb = natlb_new(n->sim, c, v->address, (uint16_t)v->port,
			     v->protocol == SCN_UDP ? 17 : 6, addr, k);
	if (!n->natlb)
		return HN_ENOMEM;
	/* Servers that join later: their index in lb_servers (scenario.c
	 * checked that each is there). */
	char buf[256], all[256], *save = NULL;
	snprintf(buf, sizeof buf, "%s", c->added);
	for (char *t = strtok_r(buf, " \t,", &save); t; t = strtok_r(NULL, " \t,", &save)) {
		char *save2 = NULL;
		size_t i = 0;
		snprintf(all, sizeof all, "%s", c->servers);
		for (char *u = strtok_r(all, " \t,", &save2); u; u = strtok_r(NULL, " \t,", &save2), i++)
			if (!strcmp(u, t) && natlb_server_from(n->natlb, i, c->add_at_ns) != HN_OK)
				return HN_ECONFIG;
	}
	return HN_OK;
}

/* Each real server runs the service (http) at its own address; dr: at the
 * service's address, which it holds as a local address the network does
 * not route to it (sim_node_add_local_addr; LVS-DR's VIP on a loopback
 * alias that answers no ARP), so it replies from it. */
static int natlb_attach(struct world *w, struct wnode *n)
{
	const struct natlb_config *c = &n->cfg->cfg.natlb;
	const struct scn_service *v = scenario_service(w->s, c->service);
	if (v->app != SCN_APP_HTTP)
		return HN_ECONFIG;
	char buf[256], *save = NULL;
	snprintf(buf, sizeof buf, "%s", c->servers);
	for (char *t = strtok_r(buf, " \t,", &save); t; t = strtok_r(NULL, " \t,", &save)) {
		struct wnode *r = wnode(w, t);
		if (w->nhttp == w->capservers)
			return HN_ELIMIT;
		uint32_t at = world_node_addr(w->s, t);
		if (c->mode == NATLB_DR) {
			if (sim_node_add_local_addr(r->sim, v->address) != HN_OK)
				return HN_ECONFIG;
			at = v->address;
		}
		struct http_server_config hc = { .name = r->cfg->name, .addr = at,
						 .port = (uint16_t)v->port,
						 .processing_ns = v->processing_ns, .cpu = r->cpu };
		if (!(w->http[w->nhttp] = http_server_new(r->sim, NULL, &hc)))
			return HN_ENOMEM;
		w->nhttp++;
	}
	return HN_OK;
}

static const struct counter_set *const natlb_sets[] = { &natlb_counters, NULL };

static const void *natlb_node_stats(const struct wnode *n, size_t k)
{
	(void)k;
	return n->natlb ? (const void *)natlb_stats(n->natlb) : NULL;
}

static void natlb_node_free(struct wnode *n)
{
	natlb_free(n->natlb);
	n->natlb = NULL;
}

const struct world_role world_natlb = {
	"natlb", natlb_node_new, natlb_attach, natlb_sets, natlb_node_stats, natlb_node_free,
};
