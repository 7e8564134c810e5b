/* roles.c - what each node role puts on a node: the role table built from
 * roles.h, the cost model every node may have, and the redirector's and host
 * server's components (their construction, counters and teardown); see
 * world_int.h. */
#include "world/world_int.h"

#include <stdlib.h>
#include <string.h>

#include "status.h"

/* The components of each role, in enum scn_role order (roles.h). */
#define ROLE_OPS(e, member, name, type, params, comp) comp,
static const struct world_role *const role_ops[SCN_NROLES] = { HN_ROLES(ROLE_OPS) };

const struct world_role *world_role_of(int role)
{
	return role >= 0 && role < SCN_NROLES ? role_ops[role] : NULL;
}

/* ---- redirector ------------------------------------------------------------ */

static int redirector_new(struct world *w, struct wnode *n)
{
	const struct scn_node *c = n->cfg;
	n->redir = redir_new(&c->cfg.redirector.redir, NULL);
	n->metric = n->redir ? world_metric_new(w, (size_t)(c - w->s->node)) : NULL;
	if (n->metric)
		redir_set_metric(n->redir, world_metric_fn, n->metric);
	int rc = n->redir ? redir_attach(n->redir, n->sim) : HN_ENOMEM;
	if (rc == HN_OK && n->cpu) {
		rc = cpu_attach(n->cpu, n->sim);   /* FORWARD: after the redirector */
		struct redir_io io = cpu_redir_io(n->cpu);
		redir_set_io(n->redir, &io);
	}
	return rc;
}

/* Every redirector's routing daemon listens for announcements. */
static int redirector_attach(struct world *w, struct wnode *n)
{
	(void)w;
	const struct hchk_config *hc = &n->cfg->cfg.redirector.redir.hc;
	if (hc->enabled && !(n->hchk = hchk_prober_new(n->sim, n->redir, hc)))
		return HN_ECONFIG;
	return (n->rtd = rtd_redir_new(n->sim, n->redir)) ? HN_OK : HN_ENOMEM;
}

static const struct counter_set *const redirector_sets[] = {
	&rtd_counters, &redir_counters, &ipv4_frag_counters, &fragflow_counters, &auth_counters,
	&hchk_counters, NULL,
};

static const void *redirector_stats(const struct wnode *n, size_t k)
{
	switch (k) {
	case 0: return n->rtd ? (const void *)rtd_stats(n->rtd) : NULL;
	case 1: return redir_stats(n->redir);
	case 2: return redir_frag_stats(n->redir);
	case 3: return redir_fragflow_stats(n->redir);
	case 4: return n->verifier ? (const void *)auth_stats(n->verifier) : NULL;
	default: return n->hchk ? (const void *)hchk_stats(n->hchk) : NULL;
	}
}

static void redirector_free(struct wnode *n)
{
	rtd_free(n->rtd);
	hchk_free(n->hchk);
	auth_verifier_free(n->verifier);
	redir_free(n->redir);
	world_metric_free(n->metric);
}

const struct world_role world_redirector = {
	"redirector", redirector_new, redirector_attach, redirector_sets, redirector_stats,
	redirector_free,
};

/* ---- host server ----------------------------------------------------------- */

/* The decapsulating module of a host server (or a rogue) under its cost model. */
static int hsrv_component_new(struct wnode *n, const struct hsrv_config *cfg)
{
	int rc = (n->hsrv = hsrv_new(cfg, NULL)) ? HN_OK : HN_ENOMEM;
	if (rc == HN_OK && n->cpu)
		rc = cpu_attach(n->cpu, n->sim);   /* PRE_ROUTING: before the host server */
	if (rc == HN_OK)
		rc = hsrv_attach(n->hsrv, n->sim);
	if (rc == HN_OK && n->cpu) {
		struct hsrv_io io = cpu_hsrv_io(n->cpu);
		hsrv_set_io(n->hsrv, &io);
	}
	return rc;
}

static int hostserver_new(struct world *w, struct wnode *n)
{
	(void)w;
	return hsrv_component_new(n, &n->cfg->cfg.hostserver.hsrv);
}

/* A host server with a replica announced by daemon tells that replica's
 * redirectors (every redirector, when a replica manager may install on
 * it); a manager's candidate runs a replication server.  They exist before
 * the replicas bind, so the first bind is announced. */
static int hostserver_attach(struct world *w, struct wnode *n)
{
	const struct scenario *s = w->s;
	uint32_t reds[RTD_MAX_REDIRECTORS];
	size_t nred = 0;
	int candidate = 0, probed = 0;
	/* Every host server answers health probes when a redirector sends them. */
	for (size_t k = 0; k < s->nnodes; k++)
		probed |= s->node[k].role == SCN_REDIRECTOR && s->node[k].cfg.redirector.redir.hc.enabled;
	if (probed && !(n->hchk = hchk_responder_new(n->sim, n->hsrv)))
		return HN_ECONFIG;
	for (size_t k = 0; k < s->nservices; k++)
		candidate |= s->service[k].manager && scn_name_listed(s->service[k].candidates, n->cfg->name);
	const char *to = n->cfg->cfg.hostserver.rtd.announce_to;
	for (size_t k = 0; k < s->nnodes && candidate; k++)
		if (s->node[k].role == SCN_REDIRECTOR && nred < RTD_MAX_REDIRECTORS &&
		    (!to[0] || scn_name_listed(to, s->node[k].name)))
			reds[nred++] = world_node_addr(s, s->node[k].name);
	for (size_t k = 0; k < s->nreplicas; k++) {
		const struct scn_replica *r = &s->replica[k];
		if (!r->announce || strcmp(r->host_server, n->cfg->name))
			continue;
		char list[sizeof r->redirectors], *save = NULL;
		snprintf(list, sizeof list, "%s", r->redirectors);
		for (char *t = strtok_r(list, " \t,", &save); t; t = strtok_r(NULL, " \t,", &save)) {
			uint32_t a = world_node_addr(s, t);
			int known = 0;
			for (size_t j = 0; j < nred; j++)
				known |= reds[j] == a;
			if (!known && nred < RTD_MAX_REDIRECTORS)
				reds[nred++] = a;
		}
	}
	if (!nred)
		return HN_OK;
	n->rtd = rtd_host_new(n->sim, n->hsrv, world_node_addr(s, n->cfg->name), reds, nred,
			      &n->cfg->cfg.hostserver.rtd);
	if (!n->rtd)
		return HN_ECONFIG;
	return candidate ? world_rsrv_new(w, n) : HN_OK;
}

static const struct counter_set *const hostserver_sets[] = {
	&rtd_counters, &rmgr_counters, &hsrv_counters, &ipv4_reass_counters, &fragflow_counters,
	&hchk_counters, NULL,
};

/* The routing daemon and replication server only where they run. */
static const void *hostserver_stats(const struct wnode *n, size_t k)
{
	switch (k) {
	case 0: return n->rtd ? (const void *)rtd_stats(n->rtd) : NULL;
	case 1: return n->rsrv ? (const void *)rsrv_stats(n->rsrv) : NULL;
	case 2: return hsrv_stats(n->hsrv);
	case 3: return hsrv_reass_stats(n->hsrv);
	case 4: return hsrv_fragflow_stats(n->hsrv);
	default: return n->hchk ? (const void *)hchk_stats(n->hchk) : NULL;
	}
}

static void hostserver_free(struct wnode *n)
{
	rtd_free(n->rtd);
	hchk_free(n->hchk);
	rsrv_free(n->rsrv);
	hsrv_free(n->hsrv);
}

const struct world_role world_hostserver = {
	"hostserver", hostserver_new, hostserver_attach, hostserver_sets, hostserver_stats,
	hostserver_free,
};

/* ---- rogue ------------------------------------------------------------------ */

static int rogue_node_new(struct world *w, struct wnode *n)
{
	(void)w;
	return hsrv_component_new(n, &n->cfg->cfg.rogue.hsrv);
}

static int rogue_attach(struct world *w, struct wnode *n)
{
	struct rogue_target t;
	int rc = world_rogue_target(w, n, &t);
	if (rc != HN_OK)
		return rc;
	return (n->rogue = rogue_new(n->sim, &n->cfg->cfg.rogue.attack, &t)) ? HN_OK : HN_ECONFIG;
}

static const struct counter_set *const rogue_sets[] = {
	&rogue_counters, &hsrv_counters, &ipv4_reass_counters, NULL,
};

static const void *rogue_node_stats(const struct wnode *n, size_t k)
{
	switch (k) {
	case 0: return n->rogue ? (const void *)rogue_stats(n->rogue) : NULL;
	case 1: return hsrv_stats(n->hsrv);
	default: return hsrv_reass_stats(n->hsrv);
	}
}

static void rogue_node_free(struct wnode *n)
{
	rogue_free(n->rogue);
	hsrv_free(n->hsrv);
}

const struct world_role world_rogue = {
	"rogue", rogue_node_new, rogue_attach, rogue_sets, rogue_node_stats, rogue_node_free,
};

/* ---- every node ------------------------------------------------------------ */

/* The node's random stream and its cost model, when it has one. */
static int cpu_new_for(struct world *w, struct wnode *n, const struct world_options *o, size_t i)
{
	const struct scenario *s = w->s;
	const struct scn_node *c = n->cfg;
	n->rng = gsl_rng_alloc(gsl_rng_mt19937);
	if (!n->rng)
		return HN_ENOMEM;
	gsl_rng_set(n->rng, (unsigned long)world_stream_seed(o->seed, o->run, 1000 + i));
	if (!c->cpu)
		return HN_OK;
	struct cpu_config cc = {
		.hydranet_kernel = s->testbed.series != SCN_SERIES_CLEAN &&
				   (c->role == SCN_REDIRECTOR || c->role == SCN_HOSTSERVER),
		.jitter = s->testbed.jitter,
		.rng = n->rng,
	};
	if (cpu_profile_make(cpu_choices[c->cpu], s->testbed.ip_share, &cc.profile) != 0)
		return HN_ECONFIG;
	for (int k = 0; k < CPU_NOPS; k++)
		cc.profile.op_ns[k] = (uint64_t)((double)cc.profile.op_ns[k] * s->testbed.cpu_scale);
	cc.profile.decap_copies = (unsigned)s->testbed.decap_copies;
	n->cpu = cpu_new(&cc);
	return n->cpu ? HN_OK : HN_ENOMEM;
}

/* The role's component of node n (none in the clean series: unmodified
 * software, but for the alternatives to HydraNet; none for roles without
 * one). */
static const struct world_role *role_of(const struct world *w, const struct wnode *n)
{
	if (w->s->testbed.series == SCN_SERIES_CLEAN &&
	    n->cfg->role != SCN_NAMESERVER && n->cfg->role != SCN_RESOLVER && n->cfg->role != SCN_NATLB)
		return NULL;
	return role_ops[n->cfg->role];
}

int world_build_roles(struct world *w, const struct world_options *o, char *err, size_t errlen)
{
	const struct scenario *s = w->s;
	/* Cost models first: their hooks must see what the HydraNet modules
	 * see (PRE_ROUTING) or be left (FORWARD); see cpu.h. */
	for (size_t i = 0; i < s->nnodes; i++) {
		int rc = cpu_new_for(w, &w->node[i], o, i);
		if (rc != HN_OK) {
			world_fail_at(err, errlen, s, s->node_at[i].line, "node", s->node[i].name, rc);
			return rc;
		}
	}
	for (size_t i = 0; i < s->nnodes; i++) {
		struct wnode *n = &w->node[i];
		const struct world_role *r = role_of(w, n);
		int rc = r ? r->new(w, n) : n->cpu ? cpu_attach(n->cpu, n->sim) : HN_OK;
		if (rc != HN_OK) {
			world_fail_at(err, errlen, s, s->node_at[i].line, "node", s->node[i].name, rc);
			return rc;
		}
	}
	for (size_t i = 0; i < s->nnodes; i++) {
		struct wnode *n = &w->node[i];
		const struct world_role *r = role_of(w, n);
		int rc = r && r->attach ? r->attach(w, n) : HN_OK;
		if (rc != HN_OK) {
			world_fail_at(err, errlen, s, s->node_at[i].line, r->role, s->node[i].name, rc);
			return rc;
		}
	}
	return HN_OK;
}

int world_role_counters(const struct world *w, const struct wnode *n, counter_put_fn put, void *ctx)
{
	const struct world_role *r = role_of(w, n);
	int rc = 0;
	for (size_t k = 0; r && r->sets[k] && !rc; k++) {
		const void *st = r->stats(n, k);
		if (st)
			rc = counter_put_set(r->sets[k], st, n->cfg->name, NULL, put, ctx);
	}
	if (!rc && n->cpu)
		rc = counter_put_set(&cpu_counters, cpu_stats(n->cpu), n->cfg->name, NULL, put, ctx);
	return rc;
}


void world_free_roles(struct world *w)
{
	for (size_t i = 0; i < w->s->nnodes; i++) {
		struct wnode *n = &w->node[i];
		const struct world_role *r = role_ops[n->cfg ? n->cfg->role : 0];
		if (r && n->cfg)
			r->free(n);
		cpu_free(n->cpu);
		if (n->rng)
			gsl_rng_free(n->rng);
	}
}
