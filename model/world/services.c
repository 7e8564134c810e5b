/* services.c - the services of a world: origin servers (with their HydraWeb
 * managers and replica managers), the replicas a scenario configures, and
 * the operations through which replication servers start, stop, load and
 * meter the replicas managers install; see world_int.h. */
#include "world/world_int.h"

#include <stdlib.h>
#include <string.h>

#include "status.h"

/* A HydraWeb replica of service v on host server n: misses go to the
 * manager's service on the origin's address. */
static struct hweb_replica_config hweb_replica_cfg(const struct scenario *s, const struct wnode *n,
						   const struct scn_service *v)
{
	(void)s;
	struct hweb_replica_config c = v->hweb_rep;   /* its keys: processing, cache_misses */
	c.name = n->cfg->name;
	c.origin = v->address;
	c.port = (uint16_t)v->port;
	c.manager = v->address;
	c.manager_port = HWEB_PORT_MANAGER;
	c.cpu = n->cpu;
	return c;
}

/* Replication server ops: a managed replica is an http server bound through
 * the host server's virtual host for the origin. */
static void *managed_start(void *ctx, uint32_t origin, uint16_t port)
{
	struct wnode *n = ctx;
	struct world *w = n->w;
	if (!w)
		return NULL;
	/* A reinstall on the same host server restarts the replica it had. */
	for (size_t i = 0; i < w->nmanaged; i++) {
		struct managed *m = w->managed[i];
		if (m->host == n && m->origin == origin && m->port == port) {
			int rc = m->hweb ? hweb_replica_restart(m->hweb) : http_server_restart(m->srv);
			return rc == HN_OK ? (m->installs++, m) : NULL;
		}
	}
	if (w->nmanaged == w->cap_managed) {
		size_t cap = w->cap_managed ? 2 * w->cap_managed : 64;
		struct managed **a = realloc(w->managed, cap * sizeof *a);
		if (!a)
			return NULL;
		w->managed = a;
		w->cap_managed = cap;
	}
	int rc = hsrv_vhost_create(n->hsrv, origin, "managed");
	if (rc != HN_OK && rc != HN_EEXIST)
		return NULL;
	struct http_server_config hc = { .name = n->cfg->name, .addr = origin, .port = port,
					 .processing_ns = 0, .cpu = n->cpu };
	const struct scn_service *v = NULL;
	for (size_t k = 0; k < w->s->nservices; k++)
		if (w->s->service[k].address == origin && w->s->service[k].port == port)
			v = &w->s->service[k];
	struct managed *m = calloc(1, sizeof *m);
	if (!m)
		return NULL;
	*m = (struct managed){ .w = w, .host = n, .origin = origin, .port = port, .installs = 1 };
	if (v && v->app == SCN_APP_HYDRAWEB) {
		struct hweb_replica_config hc_rep = hweb_replica_cfg(w->s, n, v);
		m->hweb = hweb_replica_new(n->sim, n->hsrv, &hc_rep);
		if (!m->hweb) {
			free(m);
			return NULL;
		}
	} else {
		hc.processing_ns = v ? v->processing_ns : 0;
		if (!(m->srv = http_server_new(n->sim, n->hsrv, &hc))) {
			free(m);
			return NULL;
		}
	}
	w->managed[w->nmanaged++] = m;
	return m;
}

static void managed_stop(void *ctx, void *replica)
{
	struct managed *m = replica;
	(void)ctx;
	if (m->hweb)
		hweb_replica_stop(m->hweb);
	else
		http_server_stop(m->srv);
}

uint64_t world_managed_requests(const struct managed *m)
{
	return m->hweb ? hweb_replica_stats(m->hweb)->requests : http_server_requests(m->srv);
}

static uint64_t managed_served(void *ctx, void *replica)
{
	(void)ctx;
	return world_managed_requests(replica);
}

static void managed_push(void *ctx, void *replica, const struct rmp_msg *msg, const uint8_t *data,
			 size_t len)
{
	struct managed *m = replica;
	(void)ctx;
	if (m->hweb)
		hweb_replica_push(m->hweb, msg, data, len);
}

static int managed_meter(void *ctx, void *replica, uint64_t *hits, uint64_t *misses)
{
	struct managed *m = replica;
	(void)ctx;
	if (!m->hweb)
		return 0;   /* an http replica has no cache to meter */
	const struct hweb_replica_stats *h = hweb_replica_stats(m->hweb);
	*hits = h->hits - m->metered_hits;
	*misses = h->misses - m->metered_misses;
	return 1;
}

static void managed_metered(void *ctx, void *replica, uint64_t hits, uint64_t misses)
{
	struct managed *m = replica;
	(void)ctx;
	m->metered_hits += hits;
	m->metered_misses += misses;
}

static size_t managed_active(void *ctx, void *replica)
{
	struct managed *m = replica;
	(void)ctx;
	return m->hweb ? hweb_replica_active(m->hweb) : 0;
}

static uint64_t origin_served(void *ctx)
{
	return http_server_requests(((struct worigin *)ctx)->http);
}

static uint64_t origin_served_region(void *ctx, size_t k)
{
	return world_region_served(((struct worigin *)ctx)->region, k);
}

static void origin_service(void *ctx, uint64_t *sum_ns, uint64_t *count)
{
	http_server_service(((struct worigin *)ctx)->http, sum_ns, count);
}

static void origin_installed(void *ctx, uint32_t host_server)
{
	struct worigin *o = ctx;
	if (o->hweb)
		hweb_manager_installed(o->hweb, host_server);
}

static void origin_removed(void *ctx, uint32_t host_server)
{
	struct worigin *o = ctx;
	if (o->hweb)
		hweb_manager_removed(o->hweb, host_server);
}

static void replica_stop(void *arg)
{
	http_server_stop(arg);
}

static void replica_start(void *arg)
{
	http_server_restart(arg);
}

/* A replica added later: its server is stopped at once and started at
 * start_ns (an http_server's port is given up and bound anew). */
static void schedule_start(const struct scn_replica *r, struct http_server *h)
{
	if (!r->start_ns)
		return;
	sim_schedule(0, replica_stop, h);
	sim_schedule(r->start_ns, replica_start, h);
}

static void hweb_stop_event(void *arg)
{
	hweb_replica_stop(arg);
}

/* A ttcp receiver for service v on node n at addr, bound through hs when set. */
static int add_ttcp_receiver(struct world *w, struct wnode *n, struct hsrv *hs,
			     const struct scn_service *v, uint32_t addr)
{
	/* A flow no workload announced (world_build_workloads announces
	 * each sender's) is read as the service's first workload's. */
	uint64_t buflen = 8192, nbuf = 1;
	for (size_t i = w->s->nworkloads; i-- > 0;)
		if (!strcmp(w->s->workload[i].service, v->name)) {
			buflen = w->s->workload[i].buflen;
			nbuf = w->s->workload[i].nbuf;
		}
	struct ttcp_config tc = { .buflen = (uint32_t)buflen, .nbuf = (uint32_t)nbuf,
				  .udp = v->protocol == SCN_UDP, .addr = addr,
				  .port = (uint16_t)v->port };
	struct ttcp_receiver *r = ttcp_receiver_new(n->sim, hs, n->cpu, &tc);
	if (!r)
		return HN_EINVAL;
	w->ttcp[w->nttcp] = r;
	w->ttcp_addr[w->nttcp] = addr;
	w->ttcp_port[w->nttcp++] = (uint16_t)v->port;
	return HN_OK;
}

/* The service a managed replica belongs to ("?" if none matches). */
const char *world_managed_service(const struct world *w, const struct managed *m)
{
	for (size_t k = 0; k < w->s->nservices; k++)
		if (w->s->service[k].address == m->origin && w->s->service[k].port == m->port)
			return w->s->service[k].name;
	return "?";
}


/* The replication server of a host server that managers may install on. */
/* The origin's authorisation of an install, for the host server's
 * routing daemon. */
static int managed_authorise(void *ctx, const struct rmp_msg *a)
{
	struct wnode *n = ctx;
	return n->rtd ? rtd_host_authorise(n->rtd, a) : HN_ESTATE;
}

int world_rsrv_new(struct world *w, struct wnode *n)
{
	const struct scenario *s = w->s;
	struct rsrv_ops ops = { .start = managed_start, .stop = managed_stop,
				 .served = managed_served, .push = managed_push,
				 .meter = managed_meter, .metered = managed_metered,
				 .active = managed_active, .authorise = managed_authorise,
				 .ctx = n };
	uint64_t ivl = 0;
	for (size_t k = 0; k < s->nservices; k++)
		if (s->service[k].manager && scn_name_listed(s->service[k].candidates, n->cfg->name))
			ivl = s->service[k].mgr.interval_ns;
	n->rsrv = rsrv_new(n->sim, world_node_addr(s, n->cfg->name), &ops, ivl);
	if (n->rsrv && rsrv_set_max_conns(n->rsrv, n->cfg->cfg.hostserver.rsrv.max_conns) != HN_OK)
		return HN_ECONFIG;
	return n->rsrv ? HN_OK : HN_ECONFIG;
}

/* Services on their origin hosts. */
int world_build_services(struct world *w, const struct world_options *o, char *err, size_t errlen)
{
	const struct scenario *s = w->s;
	int hydranet = s->testbed.series != SCN_SERIES_CLEAN;
	for (size_t i = 0; i < s->nservices; i++) {
		const struct scn_service *v = &s->service[i];
		struct wnode *o_node = wnode(w, v->origin);
		int ok;
		if (v->app == SCN_APP_TTCP) {
			ok = add_ttcp_receiver(w, o_node, NULL, v, v->address) == HN_OK;
		} else if (v->app == SCN_APP_HTTP || v->app == SCN_APP_HYDRAWEB) {
			struct http_server_config hc = { .name = v->origin, .addr = v->address, .port = (uint16_t)v->port,
							 .processing_ns = v->processing_ns, .cpu = o_node->cpu };
			ok = world_http_redirect(w, i, &hc) == HN_OK &&
			     (!(v->manager && hydranet && v->mgr.trigger == RMGR_ON_REGION) ||
			      world_region_new(w, i, &hc) == HN_OK) &&
			     (w->http[w->nhttp] = http_server_new(o_node->sim, NULL, &hc)) != NULL;
			w->origin_http[i] = ok ? w->http[w->nhttp] : NULL;
			w->nhttp += ok;
			w->worigin[i].http = w->origin_http[i];
			if (ok && v->app == SCN_APP_HYDRAWEB) {
				/* The manager's miss service beside the Web server, and
				 * the origin's stream of modifications. */
				w->svc_rng[i] = gsl_rng_alloc(gsl_rng_mt19937);
				if (w->svc_rng[i])
					gsl_rng_set(w->svc_rng[i], (unsigned long)world_stream_seed(o->seed, o->run, 2000 + i));
				struct hweb_manager_config hm = v->hweb_mgr;   /* its keys */
				hm.name = v->origin;
				hm.addr = v->address;
				hm.port = HWEB_PORT_MANAGER;
				hm.web = v->address;
				hm.web_port = (uint16_t)v->port;
				hm.cpu = o_node->cpu;
				hm.ttl_s = (uint32_t)(v->object_ttl_ns / 1000000000ull);
				hm.rng = w->svc_rng[i];
				ok = w->svc_rng[i] && (w->hweb_mgr[i] = hweb_manager_new(o_node->sim, &hm)) != NULL;
				w->worigin[i].hweb = w->hweb_mgr[i];
			}
			if (ok && v->manager && hydranet) {
				struct rmgr_config mc = v->mgr;   /* its keys: image, trigger, thresholds */
				mc.origin = v->address;
				mc.service = (uint16_t)(i + 1);
				mc.port = (uint16_t)v->port;
				/* rmgr_manager_names: index 0 none, then 1 + enum rmgr_policy */
				mc.policy = (enum rmgr_policy)(v->manager - 1);
				mc.ncandidates = 0;
				char list[sizeof v->candidates], *save = NULL;
				snprintf(list, sizeof list, "%s", v->candidates);
				for (char *t = strtok_r(list, " \t,", &save); t && mc.ncandidates < RMGR_MAX_CANDIDATES;
				     t = strtok_r(NULL, " \t,", &save))
					mc.candidates[mc.ncandidates++] = world_node_addr(s, t);
				struct rmgr_origin og = { .served = origin_served, .service = origin_service,
							  .served_region = origin_served_region,
							  .installed = origin_installed, .removed = origin_removed,
							  .ctx = &w->worigin[i] };
				ok = world_auth_manager(w, i, &mc, &og) == HN_OK &&
				     (w->rmgr[i] = rmgr_new(o_node->sim, &mc, &og)) != NULL;
				if (ok && w->hweb_mgr[i])
					hweb_manager_set_rmgr(w->hweb_mgr[i], w->rmgr[i]);
			}
		} else {
			ok = (w->telnet[w->ntelnet] = telnet_server_new(o_node->sim, NULL, v->origin,
									 v->address, (uint16_t)v->port)) != NULL;
			w->ntelnet += ok;
		}
		if (!ok) {
			world_fail_at(err, errlen, s, s->service_at[i].line, "service", v->name, HN_EINVAL);
			return HN_EINVAL;
		}
	}
	return HN_OK;
}

/* Replicas: a virtual host (v_host) on the host server, the replica
 * application bound to the origin's port through it, and the entry in
 * each named redirector's table. */
int world_build_replicas(struct world *w, char *err, size_t errlen)
{
	const struct scenario *s = w->s;
	int hydranet = s->testbed.series != SCN_SERIES_CLEAN;
	for (size_t i = 0; i < s->nreplicas; i++) {
		const struct scn_replica *r = &s->replica[i];
		const struct scn_service *v = scenario_service(s, r->service);
		struct wnode *h = wnode(w, r->host_server);
		int rc = HN_OK, ok = 1;
		if (s->testbed.series != SCN_SERIES_VIRTUALHOST) {
			/* The same service on the host server's own address: the
			 * target of the clean and realhost series. */
			uint32_t own = world_node_addr(s, r->host_server);
			if (v->app == SCN_APP_TTCP) {
				rc = add_ttcp_receiver(w, h, NULL, v, own);
			} else if (v->app == SCN_APP_HTTP || v->app == SCN_APP_HYDRAWEB) {
				struct http_server_config hc = { .name = r->host_server, .addr = own, .port = (uint16_t)v->port,
							 .processing_ns = v->processing_ns, .cpu = h->cpu };
				w->http[w->nhttp] = http_server_new(h->sim, NULL, &hc);
				rc = w->http[w->nhttp] ? HN_OK : HN_EINVAL;
				/* clean: the replica is this server, and stops with it */
				if (rc == HN_OK && !hydranet && r->stop_ns)
					sim_schedule(r->stop_ns, replica_stop, w->http[w->nhttp]);
				if (rc == HN_OK && !hydranet)
					schedule_start(r, w->http[w->nhttp]);
				w->nhttp += rc == HN_OK;
			} else {
				w->telnet[w->ntelnet] = telnet_server_new(h->sim, NULL, r->host_server, own,
									  (uint16_t)v->port);
				rc = w->telnet[w->ntelnet] ? HN_OK : HN_EINVAL;
				w->ntelnet += rc == HN_OK;
			}
			if (rc != HN_OK) {
				world_fail_at(err, errlen, s, s->replica_at[i].line, "replica", r->name, rc);
				return rc != HN_OK ? rc : HN_EINVAL;
			}
		}
		if (!hydranet)
			continue;   /* clean: unmodified software, no replicas */
		if (r->state != SCN_REPLICA_ABSENT)
			rc = hsrv_vhost_create(h->hsrv, v->address, v->name);
		if (rc != HN_OK && rc != HN_EEXIST) {
			world_fail_at(err, errlen, s, s->replica_at[i].line, "replica", r->name, rc);
			return rc != HN_OK ? rc : HN_EINVAL;
		}
		if (r->state != SCN_REPLICA_RUNNING)
			;   /* no application bound: the table entry is stale */
		else if (v->app == SCN_APP_TTCP)
			ok = add_ttcp_receiver(w, h, h->hsrv, v, v->address) == HN_OK;
		else if (v->app == SCN_APP_HTTP) {
			struct http_server_config hc = { .name = r->host_server, .addr = v->address, .port = (uint16_t)v->port,
							 .processing_ns = v->processing_ns, .cpu = h->cpu };
			ok = (w->http[w->nhttp] = http_server_new(h->sim, h->hsrv, &hc)) != NULL;
			w->replica_http[i] = ok ? w->http[w->nhttp] : NULL;   /* stop, failures.c */
			if (ok && r->stop_ns)
				sim_schedule(r->stop_ns, replica_stop, w->replica_http[i]);
			if (ok)
				schedule_start(r, w->replica_http[i]);
			w->nhttp += ok;
		} else if (v->app == SCN_APP_HYDRAWEB) {
			/* Configured, not installed: no preheating, the cache holds
			 * only what cache_misses keeps. */
			struct hweb_replica_config hc = hweb_replica_cfg(s, h, v);
			ok = (w->hweb_rep[i] = hweb_replica_new(h->sim, h->hsrv, &hc)) != NULL;
			if (ok && r->stop_ns)
				sim_schedule(r->stop_ns, hweb_stop_event, w->hweb_rep[i]);
		} else {
			ok = (w->telnet[w->ntelnet] = telnet_server_new(h->sim, h->hsrv, r->host_server,
									 v->address, (uint16_t)v->port)) != NULL;
			w->ntelnet += ok;
		}
		if (!ok) {
			world_fail_at(err, errlen, s, s->replica_at[i].line, "replica", r->name, HN_EINVAL);
			return rc != HN_OK ? rc : HN_EINVAL;
		}
		/* The host server's address on its first link names it in tunnels. */
		uint32_t hs_addr = world_node_addr(s, r->host_server);
		char list[sizeof r->redirectors], *save = NULL;
		snprintf(list, sizeof list, "%s", r->redirectors);
		/* Announced replicas reach the tables through the routing daemons. */
		for (char *t = r->announce ? NULL : strtok_r(list, " \t,", &save); t;
		     t = strtok_r(NULL, " \t,", &save)) {
			rc = redir_table_add(wnode(w, t)->redir, v->address, (uint16_t)v->port,
					     v->protocol == SCN_TCP ? IPV4_PROTO_TCP : IPV4_PROTO_UDP,
					     hs_addr);
			if (rc != HN_OK) {
				world_fail_at(err, errlen, s, s->replica_at[i].line, "replica", r->name, rc);
				return rc != HN_OK ? rc : HN_EINVAL;
			}
		}
	}
	return HN_OK;
}

void world_free_services(struct world *w)
{
	for (size_t i = 0; i < w->nttcp; i++)
		ttcp_receiver_free(w->ttcp[i]);
	for (size_t i = 0; i < w->s->nservices; i++)
		rmgr_free(w->rmgr[i]);
	for (size_t i = 0; i < w->nmanaged; i++) {
		http_server_free(w->managed[i]->srv);
		hweb_replica_free(w->managed[i]->hweb);
		free(w->managed[i]);
	}
	free(w->managed);
	w->managed = NULL;
	w->nmanaged = w->cap_managed = 0;
	for (size_t i = 0; i < w->s->nservices; i++) {
		hweb_manager_free(w->hweb_mgr[i]);
		if (w->svc_rng[i])
			gsl_rng_free(w->svc_rng[i]);
	}
	for (size_t i = 0; i < w->s->nreplicas; i++)
		hweb_replica_free(w->hweb_rep[i]);
	for (size_t i = 0; i < w->nhttp; i++)
		http_server_free(w->http[i]);
	for (size_t i = 0; i < w->ntelnet; i++)
		telnet_server_free(w->telnet[i]);
}
