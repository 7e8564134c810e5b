/* hchk.c - the health-check prober (redirectors) and responder (host
 * servers) on the simulator; see hchk.h.
 *
 * Prober: a round every interval, from the prober's start: every replica in
 * the redirector's table (redir_table_foreach) gets one PROBE with a fresh
 * sequence number from one UDP socket; one event at send + timeout fails
 * every probe of the round no REPLY matched by then (timeout < interval, so
 * at most one probe per replica is outstanding).  A REPLY matches the
 * target whose pending probe has its sequence number, comes from that
 * target's host server's HCHK_PORT and names the same access point;
 * anything else is dropped and counted.  Replicas that left the table are
 * forgotten at the next round; one that left and came back between two
 * rounds (its table entry unmarked, the prober's still down) starts again
 * as new, up with no count.  While its node is down a prober does
 * nothing.  Responder: one UDP socket on HCHK_PORT
 * answers each PROBE from where it came, with hsrv_vhost_serves' verdict. */
#include "hydranet/hchk.h"

#include <stdlib.h>
#include <string.h>

#include "hydranet/hsrv.h"
#include "hydranet/redir.h"
#include "log.h"
#include "sim/sim.h"
#include "status.h"

struct hchk {
	bool prober;
	bool stopped;                 /* its node is down: no rounds */
	struct hchk_config cfg;
	struct redir *redir;          /* prober */
	struct hsrv *hsrv;            /* responder */
	sim_sock *sock;
	struct hchk_stats st;
	struct hchk_target t[HCHK_MAX_TARGETS];
	bool seen[HCHK_MAX_TARGETS];  /* in the table at this round */
	size_t nt;
	uint32_t seq;
};

static void apply(struct hchk *h, struct hchk_target *t, bool ok)
{
	int v = hchk_target_result(t, ok, &h->cfg, &h->st);
	if (v)
		redir_replica_set_health(h->redir, t->origin, t->port, t->proto, t->hs, v < 0,
					 sim_now_ns());
}

/* The round's timeout: every probe of it still unanswered fails (all left
 * at the round's instant, and the timeout is below the interval, so no
 * probe of another round is pending). */
static void round_timeout(void *arg)
{
	struct hchk *h = arg;
	for (size_t i = 0; i < h->nt && !h->stopped; i++)
		if (h->t[i].pending) {
			h->st.timeouts++;
			apply(h, &h->t[i], false);
		}
}

/* The table's replica (origin, port, proto, hs): probe it. */
static void probe_one(void *ctx, uint32_t origin, uint16_t port, uint8_t proto, uint32_t hs,
		      bool hc_down)
{
	struct hchk *h = ctx;
	size_t i;
	for (i = 0; i < h->nt; i++)
		if (h->t[i].origin == origin && h->t[i].port == port && h->t[i].proto == proto &&
		    h->t[i].hs == hs)
			break;
	if (i == h->nt) {
		if (h->nt == HCHK_MAX_TARGETS) {
			h->st.targets_full++;
			return;
		}
		h->t[h->nt++] = (struct hchk_target){ .origin = origin, .hs = hs, .port = port, .proto = proto };
	} else if (h->t[i].down && !hc_down) {
		/* Re-entered the table since it was marked down: a new replica. */
		h->t[i] = (struct hchk_target){ .origin = origin, .hs = hs, .port = port, .proto = proto };
		h->st.reentered++;
	}
	h->seen[i] = true;
	struct hchk_target *t = &h->t[i];
	struct hchk_msg m = { .type = HCHK_PROBE, .seq = ++h->seq, .origin = origin, .port = port,
			      .proto = proto };
	uint8_t buf[HCHK_LEN];
	if (hchk_encode(&m, buf, sizeof buf) != HCHK_LEN) {
		h->st.targets_full++;   /* an access point the wire cannot name: not probed */
		return;
	}
	t->pending = true;
	t->seq = m.seq;
	h->st.probes_sent++;
	sim_sock_sendto(h->sock, buf, sizeof buf, hs, HCHK_PORT);   /* a refusal is a timeout */
}

static void round_tick(void *arg)
{
	struct hchk *h = arg;
	sim_schedule(h->cfg.interval_ns, round_tick, h);
	if (h->stopped)
		return;
	memset(h->seen, 0, sizeof h->seen);
	redir_table_foreach(h->redir, probe_one, h);
	/* Replicas gone from the table are forgotten (their state with them). */
	size_t k = 0;
	for (size_t i = 0; i < h->nt; i++)
		if (h->seen[i])
			h->t[k++] = h->t[i];
	h->nt = k;
	sim_schedule(h->cfg.timeout_ns, round_timeout, h);
}

static void drop(struct hchk *h, int reason)
{
	h->st.drops[reason]++;
}

static void prober_recv(void *ctx, sim_sock *s, const uint8_t *data, size_t len, uint32_t from,
			uint16_t fport)
{
	struct hchk *h = ctx;
	struct hchk_msg m;
	(void)s;
	int rc = hchk_decode(data, len, &m);
	if (rc >= 0) {
		drop(h, rc);
		return;
	}
	if (m.type != HCHK_REPLY) {
		drop(h, HCHK_DROP_UNEXPECTED);
		return;
	}
	for (size_t i = 0; i < h->nt; i++) {
		struct hchk_target *t = &h->t[i];
		if (!t->pending || t->seq != m.seq)
			continue;
		/* from the host server probed, for the access point probed */
		if (t->origin != m.origin || t->port != m.port || t->proto != m.proto ||
		    from != t->hs || fport != HCHK_PORT)
			break;
		h->st.replies++;
		if (m.status != HCHK_SERVING)
			h->st.not_serving++;
		apply(h, t, m.status == HCHK_SERVING);
		return;
	}
	drop(h, HCHK_DROP_UNEXPECTED);
}

static void responder_recv(void *ctx, sim_sock *s, const uint8_t *data, size_t len, uint32_t from,
			   uint16_t fport)
{
	struct hchk *h = ctx;
	struct hchk_msg m;
	int rc = hchk_decode(data, len, &m);
	if (rc >= 0) {
		drop(h, rc);
		return;
	}
	if (m.type != HCHK_PROBE) {
		drop(h, HCHK_DROP_UNEXPECTED);
		return;
	}
	int serves = hsrv_vhost_serves(h->hsrv, m.origin, m.proto, m.port);
	m.type = HCHK_REPLY;
	m.status = serves == 1 ? HCHK_SERVING : serves == HN_ENOENT ? HCHK_NO_VHOST : HCHK_NOT_BOUND;
	uint8_t buf[HCHK_LEN];
	if (hchk_encode(&m, buf, sizeof buf) != HCHK_LEN)
		return;
	h->st.answered++;
	sim_sock_sendto(s, buf, sizeof buf, from, fport);
}

struct hchk *hchk_prober_new(struct sim_node *node, struct redir *r, const struct hchk_config *cfg)
{
	if (!cfg || !cfg->enabled || !r || cfg->interval_ns == 0 || cfg->timeout_ns == 0 ||
	    cfg->timeout_ns >= cfg->interval_ns || cfg->fall == 0 || cfg->rise == 0)
		return NULL;
	struct hchk *h = calloc(1, sizeof *h);
	if (!h)
		return NULL;
	h->prober = true;
	h->cfg = *cfg;
	h->redir = r;
	static const struct sim_sock_ops ops = { .on_recv = prober_recv };
	h->sock = sim_udp_socket(node, &ops, h);
	if (!h->sock || sim_sock_bind(h->sock, 0, 0) != HN_OK) {
		free(h);
		return NULL;
	}
	sim_schedule(cfg->interval_ns, round_tick, h);
	return h;
}

struct hchk *hchk_responder_new(struct sim_node *node, struct hsrv *hs)
{
	struct hchk *h = calloc(1, sizeof *h);
	if (!h)
		return NULL;
	h->hsrv = hs;
	static const struct sim_sock_ops ops = { .on_recv = responder_recv };
	h->sock = sim_udp_socket(node, &ops, h);
	if (!h->sock || sim_sock_bind(h->sock, 0, HCHK_PORT) != HN_OK) {
		free(h);
		return NULL;
	}
	return h;
}

void hchk_set_down(struct hchk *h, bool down)
{
	if (!h)
		return;
	h->stopped = down;
	h->nt = 0;   /* a crash forgets every replica (they start up) */
}

void hchk_free(struct hchk *h)
{
	free(h);
}

const struct hchk_stats *hchk_stats(const struct hchk *h)
{
	return &h->st;
}

const char *hchk_drop_name(enum hchk_drop d)
{
	static const char *const names[HCHK_NDROP] = { HCHK_STATS(COUNTER_SKIP, COUNTER_NAME) };
	return (unsigned)d < HCHK_NDROP ? names[d] : "unknown";
}

#define STAT_C(field, name, doc) COUNTER_DEF(struct hchk_stats, field, name, doc)
#define STAT_D(e, name, doc) COUNTER_DROP_DEF(struct hchk_stats, HCHK_DROP_##e, "" name, doc)
static const struct counter_def counter_defs[] = { HCHK_STATS(STAT_C, STAT_D) };
const struct counter_set hchk_counters = COUNTER_SET("hchk", counter_defs);
