/* auth.c - authenticated routing in a world (docs/threat-model.md): every
 * key pair derived from the run's seed, the redirectors' verifiers holding
 * each service's origin key, the host servers' signing keys and the
 * authorisations of configured replicas, the CPU time signatures cost on
 * nodes with a cost model, and what each rogue observes; see world_int.h. */
#include "world/world_int.h"

#include <string.h>

#include "status.h"

int world_auth_keypair(const struct world *w, const char *who, uint32_t addr, uint16_t service,
		       struct auth_keypair *out)
{
	return auth_keypair(w->seed, who, addr, service, out);
}

static uint8_t proto_of(const struct scn_service *v)
{
	return v->protocol == SCN_TCP ? IPV4_PROTO_TCP : IPV4_PROTO_UDP;
}

/* n Ed25519 operations on the node's CPU (auth_cost_ns: its source). */
static uint64_t charge_cpu(void *ctx, int op, unsigned n, uint64_t now_ns)
{
	struct wnode *nd = ctx;
	if (!nd->cpu)
		return 0;
	uint64_t one = auth_cost_ns(cpu_choices[nd->cfg->cpu], (enum auth_op)op);
	return cpu_charge(nd->cpu, now_ns, (uint64_t)n * one);
}

static uint64_t charge_origin_sign(void *ctx, uint64_t now_ns)
{
	const struct worigin *o = ctx;
	return o->node ? charge_cpu(o->node, AUTH_OP_SIGN, 1, now_ns) : 0;
}

/* The origin's authorisation of host server h for service k, valid from 0
 * for the manager's auth_validity: a configured replica's. */
static int authorise_configured(struct world *w, size_t k, const struct wnode *h,
				const uint8_t *hs_pk, struct rmp_msg *a)
{
	const struct scn_service *v = &w->s->service[k];
	struct auth_keypair ok;
	int rc = world_auth_keypair(w, "origin", v->address, (uint16_t)(k + 1), &ok);
	uint64_t valid_s = v->mgr.auth_validity_ns / 1000000000ull;
	uint16_t port = (uint16_t)v->port;
	if (rc == HN_OK)
		rc = auth_authorise(a, &ok, v->address, (uint16_t)(k + 1), proto_of(v), &port, 1,
				    world_node_addr(w->s, h->cfg->name), hs_pk, 0,
				    valid_s > UINT32_MAX ? UINT32_MAX : (uint32_t)valid_s,
				    v->mgr.image_bytes);
	return rc;
}

static int redirector_auth(struct world *w, struct wnode *n, char *err, size_t errlen)
{
	const struct scenario *s = w->s;
	n->verifier = auth_verifier_new(&n->cfg->cfg.redirector.auth);
	if (!n->verifier)
		return HN_ENOMEM;
	for (size_t k = 0; k < s->nservices; k++) {
		const struct scn_service *v = &s->service[k];
		struct auth_service as = { .origin = v->address, .service = (uint16_t)(k + 1),
					   .proto = proto_of(v), .nports = 1,
					   .ports = { (uint16_t)v->port } };
		struct auth_keypair ok;
		int rc = world_auth_keypair(w, "origin", v->address, as.service, &ok);
		if (rc == HN_OK) {
			memcpy(as.pk, ok.pk, sizeof as.pk);
			rc = auth_verifier_add(n->verifier, &as);
		}
		if (rc == HN_ELIMIT) {
			snprintf(err, errlen, "%s:%d: [node %s]: auth_max_services = %llu holds fewer keys than the scenario's %zu services",
				 s->path, s->node_at[n - w->node].line, n->cfg->name,
				 (unsigned long long)n->cfg->cfg.redirector.auth.max_services, s->nservices);
			return rc;
		}
		if (rc != HN_OK)
			return rc;
	}
	rtd_redir_set_auth(n->rtd, n->verifier);
	rtd_set_charge(n->rtd, charge_cpu, n);
	return HN_OK;
}

static int hostserver_auth(struct world *w, struct wnode *n)
{
	const struct scenario *s = w->s;
	struct auth_keypair kp;
	int rc = world_auth_keypair(w, "hostserver", world_node_addr(s, n->cfg->name), 0, &kp);
	if (rc != HN_OK)
		return rc;
	rtd_host_set_key(n->rtd, &kp);
	rtd_set_charge(n->rtd, charge_cpu, n);
	/* Configured replicas announced by the daemon: the origin authorised
	 * them when the scenario was written. */
	for (size_t i = 0; i < s->nreplicas; i++) {
		const struct scn_replica *r = &s->replica[i];
		if (!r->announce || strcmp(r->host_server, n->cfg->name))
			continue;
		size_t k = (size_t)(scenario_service(s, r->service) - s->service);
		struct rmp_msg a;
		rc = authorise_configured(w, k, n, kp.pk, &a);
		if (rc == HN_OK)
			rc = rtd_host_authorise(n->rtd, &a);
		if (rc != HN_OK)
			return rc;
	}
	return HN_OK;
}

int world_build_auth(struct world *w, char *err, size_t errlen)
{
	const struct scenario *s = w->s;
	if (s->testbed.series == SCN_SERIES_CLEAN)
		return HN_OK;   /* unmodified software: no daemons */
	for (size_t i = 0; i < s->nnodes; i++) {
		struct wnode *n = &w->node[i];
		int rc = HN_OK;
		if (n->cfg->role == SCN_REDIRECTOR && n->rtd && n->cfg->cfg.redirector.auth.enabled)
			rc = redirector_auth(w, n, err, errlen);
		else if (n->cfg->role == SCN_HOSTSERVER && n->rtd && n->cfg->cfg.hostserver.rtd.auth)
			rc = hostserver_auth(w, n);
		else if (n->cfg->role == SCN_ROGUE && n->rogue && n->cfg->cfg.rogue.attack.victim[0]) {
			/* On the victim's path: it sees what the victim's daemon sends. */
			struct wnode *v = wnode(w, n->cfg->cfg.rogue.attack.victim);
			if (v && v->rtd)
				rtd_set_tap(v->rtd, rogue_observe, n->rogue);
		}
		if (rc == HN_ELIMIT)
			return rc;   /* err says which limit */
		if (rc != HN_OK) {
			world_fail_at(err, errlen, s, s->node_at[i].line, "node", n->cfg->name, rc);
			return rc;
		}
	}
	return HN_OK;
}

int world_auth_manager(struct world *w, size_t k, struct rmgr_config *mc, struct rmgr_origin *og)
{
	const struct scenario *s = w->s;
	const struct scn_service *v = &s->service[k];
	int rc = world_auth_keypair(w, "origin", v->address, (uint16_t)(k + 1), &mc->origin_key);
	for (size_t i = 0; i < mc->ncandidates && rc == HN_OK; i++) {
		const struct scn_node *h = NULL;
		for (size_t j = 0; j < s->nnodes; j++)
			if (s->node[j].role == SCN_HOSTSERVER &&
			    world_node_addr(s, s->node[j].name) == mc->candidates[i])
				h = &s->node[j];
		mc->cand_auth[i] = h && h->cfg.hostserver.rtd.auth;
		struct auth_keypair kp;
		if (mc->cand_auth[i] &&
		    (rc = world_auth_keypair(w, "hostserver", mc->candidates[i], 0, &kp)) == HN_OK)
			memcpy(mc->cand_pk[i], kp.pk, RMP_KEY_LEN);
	}
	w->worigin[k].node = wnode(w, v->origin);
	og->charge_sign = charge_origin_sign;
	return rc;
}

int world_rogue_target(struct world *w, const struct wnode *n, struct rogue_target *t)
{
	const struct scenario *s = w->s;
	const struct rogue_attack_config *a = &n->cfg->cfg.rogue.attack;
	memset(t, 0, sizeof *t);
	t->self = world_node_addr(s, n->cfg->name);
	const struct scn_service *v = scenario_service(s, a->service);
	if (!v)
		return a->attack == ROGUE_NONE ? HN_OK : HN_ECONFIG;
	size_t k = (size_t)(v - s->service);
	t->origin = v->address;
	t->service = (uint16_t)(k + 1);
	t->port = (uint16_t)v->port;
	t->proto = proto_of(v);
	t->victim = a->victim[0] ? world_node_addr(s, a->victim) : 0;
	for (size_t j = 0; j < s->nnodes; j++)
		if (s->node[j].role == SCN_REDIRECTOR &&
		    t->nredirectors < sizeof t->redirectors / sizeof t->redirectors[0])
			t->redirectors[t->nredirectors++] = world_node_addr(s, s->node[j].name);
	int rc = world_auth_keypair(w, "hostserver", t->self, 0, &t->key);
	if (rc != HN_OK || a->attack != ROGUE_STALE)
		return rc;
	/* Once authorised by the origin, until a second before the attack. */
	struct auth_keypair ok;
	uint32_t until = (uint32_t)(a->start_ns / 1000000000ull) - 1;   /* start >= 1 s: checked */
	rc = world_auth_keypair(w, "origin", v->address, t->service, &ok);
	if (rc == HN_OK)
		rc = auth_authorise(&t->stale, &ok, v->address, t->service, t->proto, &t->port, 1,
				    t->self, t->key.pk, 0, until, v->mgr.image_bytes);
	return rc;
}
