/* rogue.c - an attacker on the routing protocol; see rogue.h. */
#include "hydranet/rogue.h"

#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "sim/sim.h"
#include "status.h"

#define ROGUE_MAX_OBSERVED 64   /* the victim's messages kept for replay */

struct observed {
	size_t len;
	uint8_t buf[RMP_MAX_LEN];
};

struct rogue {
	struct rogue_attack_config cfg;
	struct rogue_target t;
	struct rogue_stats st;
	sim_sock *sock;
	sim_event_id ev;
	uint64_t sent;                /* messages sent so far (one per tick) */
	uint32_t seq;
	struct observed obs[ROGUE_MAX_OBSERVED];
	size_t nobs;                  /* observed, at most ROGUE_MAX_OBSERVED kept */
	size_t replayed;              /* next observed message to replay */
	int have_sann;                /* the victim's latest SANNOUNCE, for stolen */
	struct rmp_msg sann;
};

static const char *node_name(const struct rogue *r)
{
	return sim_node_name(sim_sock_node(r->sock));
}

static void send_bytes(struct rogue *r, const uint8_t *buf, size_t len, const char *what)
{
	for (size_t i = 0; i < r->t.nredirectors; i++) {
		if (sim_sock_sendto(r->sock, buf, len, r->t.redirectors[i], RMP_PORT_ROUTING) < 0)
			continue;
		r->st.sent++;
		r->st.bytes_sent += len;
	}
	HN_LOG(HN_LOG_RTD, sim_now_ns(), node_name(r), "attack: send %s (%zu bytes) to %zu redirector%s",
	       what, len, r->t.nredirectors, r->t.nredirectors == 1 ? "" : "s");
}

/* The port of message k: the service's port and the ones above it in turn. */
static uint16_t port_of(const struct rogue *r, uint64_t k)
{
	return (uint16_t)(r->t.port + k % r->cfg.ports);
}

static void send_one(struct rogue *r, uint64_t k)
{
	uint8_t buf[RMP_MAX_LEN];
	int n = -1;
	uint16_t life = (uint16_t)(r->cfg.lifetime_ns / 1000000000ull);
	struct rmp_msg m;
	memset(&m, 0, sizeof m);
	m.seq = ++r->seq;
	switch (r->cfg.attack) {
	case ROGUE_UNSIGNED:
	case ROGUE_WITHDRAW:
		m.type = r->cfg.attack == ROGUE_UNSIGNED ? RMP_ANNOUNCE : RMP_WITHDRAW;
		m.host_server = r->cfg.attack == ROGUE_UNSIGNED ? r->t.self : r->t.victim;
		m.lifetime_s = r->cfg.attack == ROGUE_UNSIGNED ? life : 0;
		m.nsaps = 1;
		m.saps[0] = (struct rmp_sap){ r->t.origin, port_of(r, k), r->t.proto };
		n = rmp_encode(&m, buf, sizeof buf);
		break;
	case ROGUE_SELF_SIGNED:
	case ROGUE_STALE: {
		uint16_t p = port_of(r, k);
		if (r->cfg.attack == ROGUE_STALE)
			m = r->t.stale;   /* the origin's signature, expired */
		else if (auth_authorise(&m, &r->t.key, r->t.origin, r->t.service, r->t.proto, &p, 1,
					r->t.self, r->t.key.pk, 0, UINT32_MAX, 0) != HN_OK)
			return;
		m.seq = r->seq;
		m.lifetime_s = life;
		m.nann = 1;
		m.ann_ports[0] = r->cfg.attack == ROGUE_STALE ? m.ports[0] : p;
		n = auth_sign_announce(&m, &r->t.key, buf, sizeof buf);
		break;
	}
	case ROGUE_STOLEN:
		if (!r->have_sann)
			break;
		m = r->sann;
		m.seq = r->seq;
		m.host_server = r->t.self;   /* the tunnel exit it wants */
		m.lifetime_s = life;
		n = auth_sign_announce(&m, &r->t.key, buf, sizeof buf);
		break;
	case ROGUE_REPLAY:
		if (!r->nobs)
			break;
		{
			size_t kept = r->nobs < ROGUE_MAX_OBSERVED ? r->nobs : ROGUE_MAX_OBSERVED;
			const struct observed *o = &r->obs[r->replayed++ % kept];
			send_bytes(r, o->buf, o->len, "a replayed message");
		}
		return;
	default:
		return;
	}
	if (n < 0) {
		r->st.drops[ROGUE_DROP_NOTHING]++;
		return;
	}
	send_bytes(r, buf, (size_t)n, rogue_attack_names[r->cfg.attack]);
}

static void tick(void *arg)
{
	struct rogue *r = arg;
	r->ev = 0;
	send_one(r, r->sent++);
	if (r->sent < r->cfg.count)
		r->ev = sim_schedule(r->cfg.interval_ns, tick, r);
}

struct rogue *rogue_new(struct sim_node *node, const struct rogue_attack_config *cfg,
			const struct rogue_target *t)
{
	if (!cfg || !t || !cfg->count || !cfg->ports || !cfg->interval_ns ||
	    t->nredirectors > sizeof t->redirectors / sizeof t->redirectors[0])
		return NULL;
	struct rogue *r = calloc(1, sizeof *r);
	if (!r)
		return NULL;
	r->cfg = *cfg;
	r->t = *t;
	static const struct sim_sock_ops ops = { 0 };
	r->sock = sim_udp_socket(node, &ops, r);
	if (!r->sock || sim_sock_bind(r->sock, t->self, 0) != HN_OK) {
		free(r);
		return NULL;
	}
	if (cfg->attack != ROGUE_NONE)
		r->ev = sim_schedule(cfg->start_ns, tick, r);
	return r;
}

void rogue_free(struct rogue *r)
{
	if (!r)
		return;
	sim_cancel(r->ev);
	free(r);
}

void rogue_observe(void *ctx, const uint8_t *msg, size_t len, uint64_t now_ns)
{
	struct rogue *r = ctx;
	(void)now_ns;
	if (len > RMP_MAX_LEN)
		return;
	struct observed *o = &r->obs[r->nobs % ROGUE_MAX_OBSERVED];
	o->len = len;
	memcpy(o->buf, msg, len);
	r->nobs++;
	r->st.observed++;
	struct rmp_msg m;
	if (rmp_decode(msg, len, &m) == (int)len && m.type == RMP_SANNOUNCE && m.lifetime_s) {
		r->sann = m;
		r->have_sann = 1;
	}
}

const struct rogue_stats *rogue_stats(const struct rogue *r)
{
	return &r->st;
}

const char *rogue_drop_name(enum rogue_drop d)
{
	static const char *const names[ROGUE_NDROP] = { ROGUE_STATS(COUNTER_SKIP, COUNTER_NAME) };
	return (unsigned)d < ROGUE_NDROP ? names[d] : "unknown";
}

#define STAT_C(field, name, doc) COUNTER_DEF(struct rogue_stats, field, name, doc)
#define STAT_D(e, name, doc) COUNTER_DROP_DEF(struct rogue_stats, ROGUE_DROP_##e, "" name, doc)
static const struct counter_def counter_defs[] = { ROGUE_STATS(STAT_C, STAT_D) };
const struct counter_set rogue_counters = COUNTER_SET("rogue", counter_defs);
