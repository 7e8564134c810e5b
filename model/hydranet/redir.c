/* redir.c - the HydraNet redirector; see redir.h.
 *
 * Per datagram: decode, find the verdict (table lookup for a whole datagram
 * or a first fragment, fragflow for the others), then either pass it back to
 * ordinary forwarding or tunnel it: RFC 2003 encapsulation with the inner TTL
 * decremented (we forward it) and RFC 791 fragmentation, of the outer
 * datagram to the MTU of the route to the host server or of the inner one to
 * the tunnel MTU, by the tunnel's rule (net/tunnel.h); a DF datagram too big
 * for the tunnel is answered with ICMP fragmentation needed (net/icmp.h), and
 * a SYN's MSS option may be clamped (net/mss.h). */
#include "hydranet/redir.h"

#include <stdlib.h>
#include <string.h>

#include "hydranet/maglev.h"
#include "net/bytes.h"
#include "net/ipip.h"
#include "net/icmp.h"
#include "net/ipv4.h"
#include "net/mss.h"
#include "net/tunnel.h"
#include "log.h"
#include "sim/sim.h"
#include "status.h"

#define NBUCKETS 64

struct replica {
	uint32_t host_server;
	uint64_t expires_ns;       /* 0: permanent (configured) */
	bool hc_down;              /* marked down by health checks (redir_replica_set_health) */
	bool expiry_logged;        /* its expiry is in the event log (until announced again) */
};

struct entry {
	struct entry *next;
	uint32_t origin;
	uint16_t port;
	uint8_t proto;
	size_t n;                  /* replicas in use */
	struct replica rep[REDIR_MAX_REPLICAS];
	unsigned turn;             /* round robin, and ties */
	int32_t *mtab;             /* maglev: lookup table (cfg.maglev_size), or NULL */
	uint32_t mset[REDIR_MAX_REPLICAS];   /* the host servers it was built for, ascending */
	size_t nmset;
};

/* A flow's choice: 5-tuple -> host server (0: the origin). */
struct flow {
	struct flow *next;
	uint32_t src, dst;
	uint16_t sport, dport;
	uint8_t proto;
	uint32_t host_server;
	uint64_t last_ns;
};

#define FLOW_BUCKETS 1024

struct redir {
	struct redir_config cfg;
	struct redir_io io;
	struct redir_stats st;
	struct ipv4_frag_stats fst;
	struct fragflow *ff;
	struct entry *bucket[NBUCKETS];
	size_t entries;
	uint16_t next_id;          /* outer IP identification counter */
	uint64_t now_hint_ns;      /* time of the latest announcement (for expiry) */
	redir_metric_fn metric;    /* nearest policy: distance to a host */
	void *metric_ctx;
	struct flow *flows[FLOW_BUCKETS];
	size_t nflows;
	uint64_t next_flow_sweep_ns;
	struct redir_replica_event events[REDIR_MAX_EVENTS];   /* in time order */
	size_t nevents;
	struct sim_node *node;     /* set by redir_attach */
	int timer_pending;         /* an expiry event is scheduled */
	uint64_t expiry_check_ns;  /* when the scheduled expiry check runs; 0: none */
	struct redir_work *w;                          /* work space; NULL until needed */
	struct tunnel_mode tmode;                      /* from cfg: the tunnel's rule */
	uint64_t icmp_credit_ns;                       /* ICMP token bucket, in time */
	uint64_t icmp_last_ns;
	int icmp_primed;                               /* the bucket has been filled */
	uint8_t icmp[ICMP_ERROR_MAX];                  /* ICMP being built */
};

/* The work space of tunnelling, fragmenting and forwarding held fragments:
 * about 200 KB, allocated at the first datagram that needs it, so that a
 * redirector that never tunnels (most of them, at Internet scale) does not
 * hold it.  Nothing in it outlives one call. */
struct redir_work {
	uint8_t outer[IPV4_MAX_LEN + IPIP_OUTER_LEN];  /* a held fragment, forwarded */
	uint8_t scratch[IPV4_MAX_LEN];                 /* fragment being built; a clamped SYN */
	struct tunnel_buf tbuf;                        /* tunnel_xmit's work space */
};

static struct redir_work *work(struct redir *r)
{
	if (!r->w)
		r->w = malloc(sizeof *r->w);
	return r->w;
}

static unsigned hash_sap(uint32_t origin, uint16_t port, uint8_t proto)
{
	uint32_t h = origin * 2654435761u ^ ((uint32_t)port << 8 | proto) * 2246822519u;
	return (h ^ (h >> 16)) % NBUCKETS;
}

static void flows_free(struct redir *r);
static int alive(const struct replica *p, uint64_t now_ns);

/* Record that hs went out of (down) or came back into service at t_ns. */
static void log_event(struct redir *r, uint32_t hs, uint64_t t_ns, int down, enum redir_event_why why)
{
	if (down)
		r->st.replicas_down++;
	else
		r->st.replicas_up++;
	if (r->nevents == REDIR_MAX_EVENTS) {
		r->st.events_not_logged++;
		return;
	}
	r->events[r->nevents++] = (struct redir_replica_event){ hs, t_ns, (uint8_t)down, (uint8_t)why };
}

struct redir *redir_new(const struct redir_config *cfg, const struct redir_io *io)
{
	if (!cfg || cfg->frag.max_flows == 0)
		return NULL;
	struct redir *r = calloc(1, sizeof *r);
	if (!r)
		return NULL;
	r->cfg = *cfg;
	if (!r->cfg.max_flows)
		r->cfg.max_flows = 4096;
	if (!r->cfg.max_entries)
		r->cfg.max_entries = REDIR_MAX_ENTRIES;
	if (!r->cfg.flow_idle_ns)
		r->cfg.flow_idle_ns = 300000000000ull;   /* 300 s, assumed */
	if (!r->cfg.maglev_size)
		r->cfg.maglev_size = 65537;   /* Maglev NSDI'16, section 3.4 */
	if (r->cfg.maglev_size > MAGLEV_MAX_SIZE || !maglev_is_prime(r->cfg.maglev_size)) {
		free(r);
		return NULL;
	}
	if (io)
		r->io = *io;
	r->tmode = (struct tunnel_mode){ cfg->outer_ttl_mode, cfg->outer_ttl, cfg->outer_tos_mode,
					 cfg->outer_tos, cfg->outer_df, cfg->fragment };
	r->ff = fragflow_new(&cfg->frag);
	if (!r->ff) {
		free(r);
		return NULL;
	}
	return r;
}

void redir_free(struct redir *r)
{
	if (!r)
		return;
	for (int b = 0; b < NBUCKETS; b++) {
		struct entry *e = r->bucket[b];
		while (e) {
			struct entry *n = e->next;
			free(e->mtab);
			free(e);
			e = n;
		}
	}
	flows_free(r);
	fragflow_free(r->ff);
	free(r->w);
	free(r);
}

static struct entry **table_find(const struct redir *r, uint32_t origin, uint16_t port,
				 uint8_t proto)
{
	struct entry **pp = (struct entry **)&r->bucket[hash_sap(origin, port, proto)];
	while (*pp && !((*pp)->origin == origin && (*pp)->port == port && (*pp)->proto == proto))
		pp = &(*pp)->next;
	return pp;
}

/* The entry for the access point, created when absent and create is set. */
static struct entry *entry_get(struct redir *r, uint32_t origin, uint16_t port, uint8_t proto,
			       int create)
{
	struct entry **pp = table_find(r, origin, port, proto);
	if (*pp || !create)
		return *pp;
	struct entry *e = calloc(1, sizeof *e);
	if (!e)
		return NULL;
	e->origin = origin;
	e->port = port;
	e->proto = proto;
	*pp = e;
	r->entries++;
	return e;
}

static void expiry_check(void *arg);

static int replica_put(struct redir *r, uint32_t origin, uint16_t port, uint8_t proto,
		       uint32_t hs, uint64_t expires_ns)
{
	if ((proto != IPV4_PROTO_TCP && proto != IPV4_PROTO_UDP) || hs == 0)
		return HN_EINVAL;
	struct entry *e = entry_get(r, origin, port, proto, 1);
	if (!e)
		return HN_ENOMEM;
	for (size_t i = 0; i < e->n; i++)
		if (e->rep[i].host_server == hs) {
			/* A configured replica stays permanent; an announced one
			 * is refreshed, or taken back if it had expired: then it
			 * is a new replica, with no health mark (as a new one). */
			if (e->rep[i].expires_ns) {
				if (e->rep[i].expires_ns <= r->now_hint_ns) {
					if (!e->rep[i].expiry_logged)
						log_event(r, hs, e->rep[i].expires_ns, 1, REDIR_WHY_EXPIRED);
					log_event(r, hs, r->now_hint_ns, 0, REDIR_WHY_ANNOUNCED);
					e->rep[i].expiry_logged = false;
					e->rep[i].hc_down = false;
				}
				e->rep[i].expires_ns = expires_ns;
			}
			return HN_OK;
		}
	/* An expired slot is free again (expires_ns in the past is dead). */
	for (size_t i = 0; i < e->n; i++)
		if (e->rep[i].expires_ns && expires_ns > e->rep[i].expires_ns &&
		    e->rep[i].expires_ns <= r->now_hint_ns) {
			if (!e->rep[i].expiry_logged)
				log_event(r, e->rep[i].host_server, e->rep[i].expires_ns, 1, REDIR_WHY_EXPIRED);
			e->rep[i] = (struct replica){ hs, expires_ns, false, false };
			log_event(r, hs, r->now_hint_ns, 0, REDIR_WHY_ANNOUNCED);
			return HN_OK;
		}
	if (e->n == REDIR_MAX_REPLICAS)
		return HN_ELIMIT;
	e->rep[e->n++] = (struct replica){ hs, expires_ns, false, false };
	if (expires_ns)   /* announced: it comes into service */
		log_event(r, hs, r->now_hint_ns, 0, REDIR_WHY_ANNOUNCED);
	return HN_OK;
}

/* Remove announced replicas that expired by now_ns, and entries left with
 * none: a table that only announcements fill cannot grow without bound. */
static void table_prune(struct redir *r, uint64_t now_ns)
{
	for (int b = 0; b < NBUCKETS; b++) {
		struct entry **pp = &r->bucket[b];
		while (*pp) {
			struct entry *e = *pp;
			for (size_t i = 0; i < e->n;)
				if (e->rep[i].expires_ns && e->rep[i].expires_ns <= now_ns) {
					if (!e->rep[i].expiry_logged)
						log_event(r, e->rep[i].host_server, e->rep[i].expires_ns, 1,
							  REDIR_WHY_EXPIRED);
					e->rep[i] = e->rep[--e->n];
				} else {
					i++;
				}
			if (e->n == 0) {
				*pp = e->next;
				free(e->mtab);
				free(e);
				r->entries--;
			} else {
				pp = &e->next;
			}
		}
	}
}

int redir_table_add(struct redir *r, uint32_t origin, uint16_t port, uint8_t proto,
		    uint32_t host_server)
{
	return replica_put(r, origin, port, proto, host_server, 0);
}

int redir_table_announce(struct redir *r, uint32_t origin, uint16_t port, uint8_t proto,
			 uint32_t host_server, uint64_t lifetime_ns, uint64_t now_ns)
{
	if (lifetime_ns == 0)
		return HN_EINVAL;
	r->now_hint_ns = now_ns;
	/* The expiry, if no refresh comes, is logged when it happens: one check
	 * is scheduled, at the earliest expiry not yet logged (expiry_check). */
	if (r->node && (r->expiry_check_ns == 0 || now_ns + lifetime_ns < r->expiry_check_ns)) {
		r->expiry_check_ns = now_ns + lifetime_ns;
		sim_schedule(lifetime_ns, expiry_check, r);
	}
	if (r->entries >= r->cfg.max_entries) {
		table_prune(r, now_ns);
		if (r->entries >= r->cfg.max_entries && !entry_get(r, origin, port, proto, 0))
			return HN_ELIMIT;
	}
	return replica_put(r, origin, port, proto, host_server, now_ns + lifetime_ns);
}

int redir_table_withdraw(struct redir *r, uint32_t origin, uint16_t port, uint8_t proto,
			 uint32_t host_server)
{
	struct entry *e = entry_get(r, origin, port, proto, 0);
	for (size_t i = 0; e && i < e->n; i++)
		if (e->rep[i].host_server == host_server) {
			if (alive(&e->rep[i], r->now_hint_ns))
				log_event(r, host_server, r->node ? sim_now_ns() : r->now_hint_ns, 1,
					  REDIR_WHY_WITHDRAWN);
			e->rep[i] = e->rep[--e->n];
			if (e->n == 0)
				redir_table_remove(r, origin, port, proto);
			return HN_OK;
		}
	return HN_ENOENT;
}

int redir_table_remove(struct redir *r, uint32_t origin, uint16_t port, uint8_t proto)
{
	struct entry **pp = table_find(r, origin, port, proto);
	if (!*pp)
		return HN_ENOENT;
	struct entry *e = *pp;
	*pp = e->next;
	free(e->mtab);
	free(e);
	r->entries--;
	return HN_OK;
}

/* In service: announced within its lifetime (or configured) and not
 * marked down by health checks. */
static int alive(const struct replica *p, uint64_t now_ns)
{
	return !p->hc_down && (p->expires_ns == 0 || p->expires_ns > now_ns);
}

uint32_t redir_table_lookup(const struct redir *r, uint32_t origin, uint16_t port,
			    uint8_t proto)
{
	const struct entry *e = *table_find(r, origin, port, proto);
	for (size_t i = 0; e && i < e->n; i++)
		if (alive(&e->rep[i], r->now_hint_ns))
			return e->rep[i].host_server;
	return 0;
}

size_t redir_table_replicas(const struct redir *r, uint32_t origin, uint16_t port, uint8_t proto,
			    uint64_t now_ns)
{
	const struct entry *e = *table_find(r, origin, port, proto);
	size_t n = 0;
	for (size_t i = 0; e && i < e->n; i++)
		n += alive(&e->rep[i], now_ns);
	return n;
}

size_t redir_table_size(const struct redir *r)
{
	return r->entries;
}

int redir_replica_set_health(struct redir *r, uint32_t origin, uint16_t port, uint8_t proto,
			     uint32_t host_server, bool down, uint64_t now_ns)
{
	struct entry *e = entry_get(r, origin, port, proto, 0);
	for (size_t i = 0; e && i < e->n; i++) {
		struct replica *p = &e->rep[i];
		if (p->host_server != host_server)
			continue;
		if (p->hc_down == down)
			return HN_OK;
		p->hc_down = down;
		log_event(r, host_server, now_ns, down, down ? REDIR_WHY_HEALTH_DOWN : REDIR_WHY_HEALTH_UP);
		return HN_OK;
	}
	return HN_ENOENT;
}

size_t redir_table_foreach(const struct redir *r, redir_replica_fn fn, void *ctx)
{
	size_t n = 0;
	for (int b = 0; b < NBUCKETS; b++)
		for (const struct entry *e = r->bucket[b]; e; e = e->next)
			for (size_t i = 0; i < e->n; i++, n++)
				fn(ctx, e->origin, e->port, e->proto, e->rep[i].host_server,
				   e->rep[i].hc_down);
	return n;
}

size_t redir_replica_events(const struct redir *r, const struct redir_replica_event **out)
{
	*out = r->events;
	return r->nevents;
}

static void flows_free(struct redir *r)
{
	for (int b = 0; b < FLOW_BUCKETS; b++) {
		struct flow *f = r->flows[b];
		while (f) {
			struct flow *n = f->next;
			free(f);
			f = n;
		}
		r->flows[b] = NULL;
	}
	r->nflows = 0;
}

void redir_crash(struct redir *r, uint64_t now_ns)
{
	r->st.restarts++;
	r->st.flows_lost += r->nflows;
	flows_free(r);
	for (int b = 0; b < NBUCKETS; b++) {
		struct entry **pp = &r->bucket[b];
		while (*pp) {
			struct entry *e = *pp;
			for (size_t i = 0; i < e->n;)
				if (e->rep[i].expires_ns) {
					e->rep[i] = e->rep[--e->n];   /* learned: gone */
				} else {
					e->rep[i].hc_down = false;     /* configured: health unknown */
					i++;
				}
			if (e->n == 0) {
				*pp = e->next;
				free(e->mtab);
				free(e);
				r->entries--;
			} else {
				pp = &e->next;
			}
		}
	}
	r->now_hint_ns = now_ns;
}

/* Is addr the origin of any table entry?  Only then can an early fragment
 * need redirecting, and only then is it worth holding. */
static int origin_known(const struct redir *r, uint32_t addr)
{
	for (int b = 0; b < NBUCKETS; b++)
		for (const struct entry *e = r->bucket[b]; e; e = e->next)
			if (e->origin == addr)
				return 1;
	return 0;
}

static int emit_outer(void *ctx, const uint8_t *frag, size_t len)
{
	struct redir *r = ctx;
	return r->io.output(r->io.ctx, frag, len);
}

/* Count a refused datagram by the status that refused it; returns the reason. */
static enum redir_drop drop_status(struct redir *r, int rc)
{
	enum redir_drop d;
	switch (rc) {
	case HN_ETTL: d = REDIR_DROP_TTL; break;
	case HN_ELOOP: d = REDIR_DROP_LOOP; break;
	case HN_EDF: d = REDIR_DROP_DF; break;
	case HN_ENOROUTE: d = REDIR_DROP_NO_ROUTE; break;
	case HN_EMTU: d = REDIR_DROP_MTU; break;
	case HN_ETRUNC: case HN_EVERSION: case HN_EIHL: case HN_ELEN: case HN_ECKSUM:
		d = REDIR_DROP_BAD_HEADER; break;
	default: d = REDIR_DROP_OUTPUT; break;
	}
	r->st.drops[d]++;
	return d;
}

/* ---- the decision trace (log.h): evaluated only when it is on ------------------ */

static const char *node_name(const struct redir *r)
{
	return r->node ? sim_node_name(r->node) : NULL;
}

/* The policy's name from its own table (REDIR_POLICIES), as scenarios write it. */
static const char *policy_name(enum redir_policy p)
{
	return (unsigned)p < REDIR_NPOLICIES ? redir_policy_names[p] : "?";
}

/* Why flow_choice chose hs, from what it counted (b: the counters before). */
static const char *choice_why(char *buf, size_t n, const struct redir *r,
			      const struct redir_stats *b, uint32_t hs)
{
	const struct redir_stats *a = &r->st;
	const char *full = a->flows_table_full != b->flows_table_full ? ", flow table full" : "";
	if (a->flows_kept != b->flows_kept)
		snprintf(buf, n, "flow kept%s", hs ? "" : " on the origin");
	else if (a->flows_existing != b->flows_existing)
		snprintf(buf, n, "connection older than the replicas, kept on the origin%s", full);
	else if (a->to_origin != b->to_origin)
		snprintf(buf, n, "origin nearest, %s%s",
			 a->flows_rerouted != b->flows_rerouted ? "flow rerouted" : "new flow", full);
	else if (!hs)
		snprintf(buf, n, "no live replica%s", full);
	else if (a->flows_rerouted != b->flows_rerouted)
		snprintf(buf, n, "%s, flow rerouted: its replica went away", policy_name(r->cfg.policy));
	else
		snprintf(buf, n, "%s, new flow%s", policy_name(r->cfg.policy), full);
	return buf;
}

/* The fragflow drop reason counted since b (drops of its stats before). */
static const char *fragflow_dropped(const struct redir *r, const uint64_t *b)
{
	const struct fragflow_stats *a = fragflow_stats(r->ff);
	for (int d = 0; d < FRAGFLOW_NDROP; d++)
		if (a->drops[d] != b[d])
			return fragflow_drop_name((enum fragflow_drop)d);
	return "unknown";
}

/* Send dg (borrowed) to dst_route, cutting it to the route's MTU. */
static int send_fragmented(struct redir *r, const uint8_t *dg, size_t len, uint32_t dst_route,
			   uint64_t now_ns)
{
	uint32_t mtu = r->io.route_mtu(r->io.ctx, dst_route);
	if (mtu == 0)
		return HN_ENOROUTE;
	struct redir_work *w = work(r);
	if (!w)
		return HN_ENOMEM;   /* counted as refused output */
	int n = ipv4_fragment(dg, len, mtu, w->scratch, sizeof w->scratch, emit_outer, r, &r->fst);
	if (n > 1) {
		r->st.outer_fragmented++;
		r->st.fragments_made += (uint64_t)n;
		HN_LOG(HN_LOG_REDIR, now_ns, node_name(r), "fragment %zu bytes into %d (mtu %u)", len, n,
		       (unsigned)mtu);
	}
	return n < 0 ? n : HN_OK;
}

/* The ICMP token bucket (RFC 1812 4.3.2.8: a router should limit the rate of
 * ICMP errors): credit is time, one message costs 1/icmp_rate s, at most
 * icmp_burst messages' worth is saved; starts full. */
static int icmp_allowed(struct redir *r, uint64_t now_ns)
{
	if (!r->cfg.icmp_rate)
		return 1;
	uint64_t cost = 1000000000ull / r->cfg.icmp_rate;
	uint64_t cap = cost * r->cfg.icmp_burst;
	uint64_t c = !r->icmp_primed ? cap : r->icmp_credit_ns + (now_ns - r->icmp_last_ns);
	r->icmp_primed = 1;
	r->icmp_last_ns = now_ns;
	r->icmp_credit_ns = c > cap ? cap : c;
	if (r->icmp_credit_ns < cost)
		return 0;
	r->icmp_credit_ns -= cost;
	return 1;
}

/* Answer the inner datagram dg with ICMP fragmentation needed, mtu; dg is
 * quoted as Linux 6.1 quotes it (tunnel() picks which copy). */
static void send_frag_needed(struct redir *r, const uint8_t *dg, size_t len, uint16_t mtu,
			     uint64_t now_ns)
{
	uint32_t back = net_get32(dg + 12);
	uint32_t src = r->io.route_src(r->io.ctx, back);
	size_t olen;
	if (!src || icmp_frag_needed(dg, len, src, mtu, r->next_id, r->icmp, sizeof r->icmp, &olen) != HN_OK) {
		r->st.icmp_not_sent++;
		return;
	}
	if (!icmp_allowed(r, now_ns)) {
		r->st.icmp_rate_limited++;
		return;
	}
	r->next_id++;
	if (r->io.output(r->io.ctx, r->icmp, olen) < 0) {
		r->st.icmp_not_sent++;
		return;
	}
	r->st.icmp_sent++;
	HN_LOG(HN_LOG_REDIR, now_ns, node_name(r), "icmp fragmentation needed to " HN_LOG_IPF " (mtu %u)",
	       HN_LOG_IP(back), (unsigned)mtu);
}

/* Tunnel the datagram or inner fragment dg to host server hs by the tunnel's
 * rule (net/tunnel.h: TTL, TOS, DF, and where it is cut). */
static void tunnel(struct redir *r, const uint8_t *dg, size_t len, uint32_t hs, uint64_t now_ns)
{
	uint32_t src = r->io.route_src(r->io.ctx, hs);
	uint32_t mtu = src ? r->io.route_mtu(r->io.ctx, hs) : 0;
	struct tunnel_result res = { 0 };
	struct redir_work *w = mtu ? work(r) : NULL;
	int rc = !mtu ? HN_ENOROUTE
		 : !w ? HN_ENOMEM   /* counted as refused output */
		 : tunnel_xmit(dg, len, &r->tmode, src, hs, mtu, &r->next_id, &w->tbuf, emit_outer, r,
			       &r->fst, &res);
	if (res.outer_pieces > 1) {
		r->st.outer_fragmented++;
		r->st.fragments_made += res.outer_pieces;
		HN_LOG(HN_LOG_REDIR, now_ns, node_name(r), "fragment %zu bytes into %u (mtu %u)",
		       len + IPIP_OUTER_LEN, res.outer_pieces, (unsigned)mtu);
	}
	if (res.inner_pieces > 1) {
		r->st.inner_fragmented++;
		r->st.inner_fragments_made += res.inner_pieces;
		HN_LOG(HN_LOG_REDIR, now_ns, node_name(r), "fragment inner %zu bytes into %u (tunnel mtu %u)",
		       len, res.inner_pieces, (unsigned)mtu - IPIP_OUTER_LEN);
	}
	if (rc != HN_OK) {
		enum redir_drop d = drop_status(r, rc);
		/* What Linux quotes.  fragment = inner (device MTU T): ip_forward's
		 * ip_exceeds_mtu refuses the datagram before ip_decrease_ttl, so
		 * the ICMP quotes it as received.  fragment = outer (device MTU
		 * 1500): ip_forward has decremented the TTL when ip_tunnel_xmit's
		 * tnl_update_pmtu refuses it: the copy tunnel_xmit made, TTL - 1. */
		const uint8_t *q = r->tmode.frag == TUNNEL_FRAG_INNER || !w ? dg : w->tbuf.inner;
		if (rc == HN_EDF && res.frag_needed && r->cfg.icmp_frag_needed)
			send_frag_needed(r, q, net_get16(q + 2), res.frag_needed, now_ns);
		if (HN_LOG_ON(HN_LOG_REDIR)) {
			char t[96];
			hn_log_line(HN_LOG_REDIR, now_ns, node_name(r), "drop %s %s (tunnel to " HN_LOG_IPF ": %s)",
				    redir_drop_name(d), hn_log_dg_text(t, sizeof t, dg, len), HN_LOG_IP(hs),
				    hn_strerror(rc));
		}
		return;
	}
	r->st.redirected++;
	r->st.redirected_bytes += len;
}

/* Forward a held fragment that turned out not to be redirected: the stack
 * gave it to us, so we do the router's work (TTL, checksum, MTU). */
static void forward_by_c(struct redir *r, const uint8_t *frag, size_t len, uint64_t now_ns)
{
	char t[96];
	if (frag[8] <= 1) {
		r->st.drops[REDIR_DROP_TTL]++;
		HN_LOG(HN_LOG_REDIR, now_ns, node_name(r), "drop %s %s (held fragment, TTL %u)",
		       redir_drop_name(REDIR_DROP_TTL), hn_log_dg_text(t, sizeof t, frag, len), (unsigned)frag[8]);
		return;
	}
	HN_LOG(HN_LOG_REDIR, now_ns, node_name(r), "forward %s (held fragment, its first was not redirected)",
	       hn_log_dg_text(t, sizeof t, frag, len));
	struct redir_work *w = work(r);
	int rc = HN_ENOMEM;   /* counted as refused output */
	if (w) {
		memcpy(w->outer, frag, len);
		w->outer[8]--;
		ipv4_update_checksum(w->outer);
		rc = send_fragmented(r, w->outer, len, net_get32(frag + 16), now_ns);
	}
	if (rc != HN_OK) {
		enum redir_drop d = drop_status(r, rc);
		HN_LOG(HN_LOG_REDIR, now_ns, node_name(r), "drop %s %s (forwarding a held fragment: %s)",
		       redir_drop_name(d), hn_log_dg_text(t, sizeof t, frag, len), hn_strerror(rc));
		return;
	}
	r->st.forwarded_by_c++;
}

/* What release_held gets: the redirector and the time of the first fragment. */
struct release_ctx {
	struct redir *r;
	uint64_t now_ns;
};

static void release_held(void *ctx, const uint8_t *frag, size_t len, uint32_t verdict)
{
	struct release_ctx *rc = ctx;
	struct redir *r = rc->r;
	if (verdict) {
		if (HN_LOG_ON(HN_LOG_REDIR)) {
			char t[96];
			hn_log_line(HN_LOG_REDIR, rc->now_ns, node_name(r),
				    "redirect %s to " HN_LOG_IPF " (held fragment, its first came)",
				    hn_log_dg_text(t, sizeof t, frag, len), HN_LOG_IP(verdict));
		}
		tunnel(r, frag, len, verdict, rc->now_ns);
	} else {
		forward_by_c(r, frag, len, rc->now_ns);
	}
}

/* ---- choosing a replica, and remembering the choice -------------------------- */

static unsigned flow_hash(uint32_t src, uint32_t dst, uint16_t sport, uint16_t dport, uint8_t proto)
{
	uint32_t h = src * 2654435761u ^ dst * 2246822519u ^
		     ((uint32_t)sport << 16 | dport) * 3266489917u ^ proto;
	return (h ^ (h >> 15)) % FLOW_BUCKETS;
}

static int replica_alive(const struct entry *e, uint32_t hs, uint64_t now_ns)
{
	for (size_t i = 0; i < e->n; i++)
		if (e->rep[i].host_server == hs)
			return alive(&e->rep[i], now_ns);
	return 0;
}

static unsigned flows_on(const struct redir *r, uint32_t hs)
{
	unsigned n = 0;
	for (int b = 0; b < FLOW_BUCKETS; b++)
		for (const struct flow *f = r->flows[b]; f; f = f->next)
			n += f->host_server == hs;
	return n;
}

/* The 5-tuple of the datagram a choice is for. */
struct tuple {
	uint32_t src, dst;
	uint16_t sport, dport;
	uint8_t proto;
};

/* Maglev: the host server the tuple hashes to among the n live replicas
 * live[] of e, the lookup table rebuilt when that set changed; 0 (the
 * origin) if the table cannot be built. */
static uint32_t maglev_choose(struct redir *r, struct entry *e, const size_t *live, size_t n,
			      const struct tuple *k)
{
	uint32_t set[REDIR_MAX_REPLICAS];
	for (size_t i = 0; i < n; i++) {   /* ascending: every redirector builds the same table */
		size_t j = i;
		for (; j > 0 && set[j - 1] > e->rep[live[i]].host_server; j--)
			set[j] = set[j - 1];
		set[j] = e->rep[live[i]].host_server;
	}
	uint32_t m = (uint32_t)r->cfg.maglev_size;
	if (!e->mtab || e->nmset != n || memcmp(e->mset, set, n * sizeof set[0])) {
		if (!e->mtab && !(e->mtab = malloc(m * sizeof *e->mtab)))
			return 0;
		if (maglev_build(set, n, m, e->mtab) != HN_OK) {
			e->nmset = 0;
			return 0;
		}
		memcpy(e->mset, set, n * sizeof set[0]);
		e->nmset = n;
		r->st.maglev_builds++;
	}
	uint32_t h = maglev_flow_hash(k->src, k->dst, k->sport, k->dport, k->proto);
	return set[e->mtab[h % m]];
}

/* The host server for a new flow to entry e (0: the origin). */
static uint32_t choose(struct redir *r, struct entry *e, uint64_t now_ns, const struct tuple *key)
{
	size_t live[REDIR_MAX_REPLICAS], n = 0;
	for (size_t i = 0; i < e->n; i++)
		if (alive(&e->rep[i], now_ns))
			live[n++] = i;
	if (n == 0)
		return 0;
	if (r->cfg.policy == REDIR_MAGLEV)
		return maglev_choose(r, e, live, n, key);
	unsigned turn = e->turn++;
	if (r->cfg.policy == REDIR_ROUND_ROBIN)
		return e->rep[live[turn % n]].host_server;
	uint64_t best = UINT64_MAX;
	size_t tied[REDIR_MAX_REPLICAS], ntied = 0;
	for (size_t k = 0; k < n; k++) {
		uint32_t hs = e->rep[live[k]].host_server;
		uint64_t score = r->cfg.policy == REDIR_LEAST_LOADED ? flows_on(r, hs)
			       : r->metric ? r->metric(r->metric_ctx, hs) : 0;
		if (score < best) {
			best = score;
			ntied = 0;
		}
		if (score == best)
			tied[ntied++] = live[k];
	}
	/* Nearest: the origin is a candidate too; it wins only when strictly
	 * nearer than every replica. */
	if (r->cfg.policy == REDIR_NEAREST && r->metric &&
	    r->metric(r->metric_ctx, e->origin) < best) {
		r->st.to_origin++;
		return 0;
	}
	return e->rep[tied[turn % ntied]].host_server;   /* ties in turn */
}

static void flows_sweep(struct redir *r, uint64_t now_ns)
{
	for (int b = 0; b < FLOW_BUCKETS; b++) {
		struct flow **pp = &r->flows[b];
		while (*pp) {
			struct flow *f = *pp;
			if (now_ns - f->last_ns >= r->cfg.flow_idle_ns) {
				*pp = f->next;
				free(f);
				r->nflows--;
				r->st.flows_expired++;
			} else {
				pp = &f->next;
			}
		}
	}
	r->next_flow_sweep_ns = now_ns + r->cfg.flow_idle_ns / 4 + 1;
	table_prune(r, now_ns);
}

/* The host server for the datagram of a matched entry: its flow's, or a new
 * choice (remembered when the flow table is on). */
static uint32_t flow_choice(struct redir *r, struct entry *e, const struct ipv4_hdr *h,
			    uint16_t sport, uint16_t dport, int opens, uint64_t now_ns)
{
	struct tuple k = { h->src, h->dst, sport, dport, h->proto };
	if (!r->cfg.flow_table) {
		r->st.flows_new++;
		return choose(r, e, now_ns, &k);
	}
	if (now_ns >= r->next_flow_sweep_ns)
		flows_sweep(r, now_ns);
	unsigned b = flow_hash(h->src, h->dst, sport, dport, h->proto);
	for (struct flow *f = r->flows[b]; f; f = f->next)
		if (f->src == h->src && f->dst == h->dst && f->sport == sport && f->dport == dport &&
		    f->proto == h->proto) {
			f->last_ns = now_ns;
			if (f->host_server && !replica_alive(e, f->host_server, now_ns)) {
				/* Its replica was withdrawn or expired: the flow
				 * would be black-holed there, so it chooses again
				 * (as LVS does with expire_nodest_conn). */
				f->host_server = choose(r, e, now_ns, &k);
				r->st.flows_rerouted++;
				return f->host_server;
			}
			r->st.flows_kept++;
			return f->host_server;
		}
	/* A TCP segment that does not open a connection belongs to one that
	 * was open before the access point had replicas: it stays with the
	 * origin, where its state is. */
	uint32_t hs = 0;
	if (opens || r->cfg.policy == REDIR_MAGLEV) {
		hs = choose(r, e, now_ns, &k);
		r->st.flows_new++;
	} else {
		r->st.flows_existing++;
	}
	struct flow *f = r->nflows < r->cfg.max_flows ? malloc(sizeof *f) : NULL;
	if (!f) {
		r->st.flows_table_full++;   /* chosen, but not remembered */
		return hs;
	}
	*f = (struct flow){ r->flows[b], h->src, h->dst, sport, dport, h->proto, hs, now_ns };
	r->flows[b] = f;
	r->nflows++;
	return hs;
}

enum redir_verdict redir_input(struct redir *r, const uint8_t *dg, size_t len,
			       uint64_t now_ns)
{
	struct ipv4_hdr h;
	uint16_t sport, dport;
	uint32_t hs = 0;
	const char *why = "no table entry";
	char t[96], w[96];
	uint64_t ff_before[FRAGFLOW_NDROP];

	r->st.seen++;
	if (ipv4_decode(dg, len, &h) != HN_OK) {
		r->st.drops[REDIR_DROP_BAD_HEADER]++;
		HN_LOG(HN_LOG_REDIR, now_ns, node_name(r), "drop %s %zu bytes (not a valid IPv4 datagram)",
		       redir_drop_name(REDIR_DROP_BAD_HEADER), len);
		return REDIR_CONSUMED;
	}
	len = h.total_len;
	/* Only TCP and UDP have service access points; an IP-in-IP datagram
	 * (already tunnelled) is therefore never redirected again. */
	if (h.proto != IPV4_PROTO_TCP && h.proto != IPV4_PROTO_UDP) {
		why = "not tcp or udp";
		goto pass;
	}
	if (h.frag_off == 0) {
		if (ipv4_ports(dg, len, &h, &sport, &dport) != HN_OK) {
			why = "no ports";
			goto pass;
		}
		struct entry *e = entry_get(r, h.dst, dport, h.proto, 0);
		/* UDP has no connections: every new 5-tuple chooses.  TCP: only a
		 * SYN without ACK opens a connection. */
		int opens = h.proto != IPV4_PROTO_TCP ||
			    (len > (size_t)h.hdr_len + 13 &&
			     (dg[h.hdr_len + 13] & 0x12) == 0x02);
		if (e && HN_LOG_ON(HN_LOG_REDIR)) {   /* the same choice, and why */
			struct redir_stats before = r->st;
			hs = flow_choice(r, e, &h, sport, dport, opens, now_ns);
			why = choice_why(w, sizeof w, r, &before, hs);
		} else {
			hs = e ? flow_choice(r, e, &h, sport, dport, opens, now_ns) : 0;
		}
		if (h.mf) {   /* first fragment: later ones follow this verdict */
			struct release_ctx rel = { r, now_ns };
			fragflow_decide(r->ff, &h, hs, now_ns, release_held, &rel);
		}
	} else if (!fragflow_lookup(r->ff, &h, now_ns, &hs)) {
		if (!origin_known(r, h.dst)) {
			why = "fragment, its destination is no origin";
			goto pass;
		}
		if (HN_LOG_ON(HN_LOG_REDIR))
			memcpy(ff_before, fragflow_stats(r->ff)->drops, sizeof ff_before);
		int rc = fragflow_hold(r->ff, &h, dg, len, now_ns);   /* counts its own drops */
		if (HN_LOG_ON(HN_LOG_REDIR)) {
			if (rc == HN_OK)
				hn_log_line(HN_LOG_REDIR, now_ns, node_name(r),
					    "hold fragment id %u (first fragment not seen)", (unsigned)h.id);
			else
				hn_log_line(HN_LOG_REDIR, now_ns, node_name(r),
					    "drop %s %s (could not hold it: %s)",
					    fragflow_dropped(r, ff_before), hn_log_dg_text(t, sizeof t, dg, len),
					    hn_strerror(rc));
		}
		return REDIR_CONSUMED;
	} else {
		why = "fragment follows its first";
	}
	if (!hs)
		goto pass;
	if (HN_LOG_ON(HN_LOG_REDIR))
		hn_log_line(HN_LOG_REDIR, now_ns, node_name(r), "redirect %s to " HN_LOG_IPF " (%s)",
			    hn_log_dg_text(t, sizeof t, dg, len), HN_LOG_IP(hs), why);
	if (r->cfg.mss_clamp && h.proto == IPV4_PROTO_TCP && !ipv4_is_fragment(&h) &&
	    len > (size_t)h.hdr_len + 13 && (dg[h.hdr_len + 13] & TCP_FLAG_SYN)) {
		/* A SYN to the service: its MSS option at most mss_clamp
		 * (net/mss.h), in a copy (dg is borrowed). */
		uint16_t old;
		struct redir_work *ws = work(r);   /* NULL: tunnel() drops it for want of it */
		int rc = ws ? (memcpy(ws->scratch, dg, len), mss_clamp(ws->scratch, len, r->cfg.mss_clamp, &old)) : 0;
		if (rc < 0)
			r->st.mss_unparsed++;   /* tunnelled as it came */
		if (rc == 1) {
			r->st.mss_clamped++;
			HN_LOG(HN_LOG_REDIR, now_ns, node_name(r), "clamp mss %u to %u", (unsigned)old,
			       (unsigned)r->cfg.mss_clamp);
			dg = ws->scratch;
		}
	}
	tunnel(r, dg, len, hs, now_ns);
	return REDIR_CONSUMED;
pass:
	r->st.forwarded++;
	HN_LOG(HN_LOG_REDIR, now_ns, node_name(r), "forward %s (%s)", hn_log_dg_text(t, sizeof t, dg, len), why);
	return REDIR_PASS;
}

void redir_expire(struct redir *r, uint64_t now_ns)
{
	size_t n = fragflow_expire(r->ff, now_ns);
	if (n)
		HN_LOG(HN_LOG_REDIR, now_ns, node_name(r),
		       "drop %s %zu held fragment%s (first fragment did not come in %.3f s)",
		       fragflow_drop_name(FRAGFLOW_DROP_NO_FIRST), n, n == 1 ? "" : "s",
		       (double)r->cfg.frag.lifetime_ns / 1e9);
}

const struct redir_stats *redir_stats(const struct redir *r)
{
	return &r->st;
}

const struct ipv4_frag_stats *redir_frag_stats(const struct redir *r)
{
	return &r->fst;
}

const struct fragflow_stats *redir_fragflow_stats(const struct redir *r)
{
	return fragflow_stats(r->ff);
}

const char *redir_drop_name(enum redir_drop d)
{
	static const char *const names[REDIR_NDROP] = { REDIR_STATS(COUNTER_SKIP, COUNTER_NAME) };
	return (unsigned)d < REDIR_NDROP ? names[d] : "unknown";
}

#define STAT_C(field, name, doc) COUNTER_DEF(struct redir_stats, field, name, doc)
#define STAT_D(e, name, doc) COUNTER_DROP_DEF(struct redir_stats, REDIR_DROP_##e, "" name, doc)
static const struct counter_def counter_defs[] = { REDIR_STATS(STAT_C, STAT_D) };
const struct counter_set redir_counters = COUNTER_SET("redir", counter_defs);

/* ---- binding to a simulated node ------------------------------------------ */

static int sim_output(void *ctx, const uint8_t *dg, size_t len)
{
	return sim_ip_output(ctx, dg, len);
}

static uint32_t sim_mtu(void *ctx, uint32_t dst)
{
	return sim_route_mtu(ctx, dst);
}

static uint32_t sim_src(void *ctx, uint32_t dst)
{
	return sim_route_src(ctx, dst);
}

/* The earliest announced lifetime is over, unless refreshed: log the expiry
 * of every replica that expired by now (the table itself notices lazily),
 * and schedule the next check at the earliest expiry still to come.  An
 * announcement with an earlier expiry schedules its own check; the one it
 * replaced finds expiry_check_ns moved and does nothing.  So the table is
 * scanned about once per (lifetime - refresh), not once per announcement. */
static void expiry_check(void *arg)
{
	struct redir *r = arg;
	uint64_t now = sim_now_ns(), next = UINT64_MAX;
	if (now != r->expiry_check_ns)
		return;   /* superseded */
	for (int b = 0; b < NBUCKETS; b++)
		for (struct entry *e = r->bucket[b]; e; e = e->next)
			for (size_t i = 0; i < e->n; i++) {
				struct replica *p = &e->rep[i];
				if (!p->expires_ns || p->expiry_logged)
					continue;
				if (p->expires_ns <= now) {
					p->expiry_logged = true;
					log_event(r, p->host_server, p->expires_ns, 1, REDIR_WHY_EXPIRED);
				} else if (p->expires_ns < next) {
					next = p->expires_ns;
				}
			}
	r->expiry_check_ns = 0;
	if (next != UINT64_MAX) {
		r->expiry_check_ns = next;
		sim_schedule(next - now, expiry_check, r);
	}
}

static void expiry_timer(void *arg)
{
	struct redir *r = arg;
	r->timer_pending = 0;
	redir_expire(r, sim_now_ns());
	uint64_t next = fragflow_next_expiry(r->ff);
	if (next != UINT64_MAX) {
		r->timer_pending = 1;
		sim_schedule(next - sim_now_ns(), expiry_timer, r);
	}
}

static int64_t forward_hook(void *ctx, struct sim_node *n, enum sim_hook_point at,
			    int iface, const uint8_t *dg, size_t len)
{
	struct redir *r = ctx;
	(void)n;
	(void)at;
	(void)iface;
	enum redir_verdict v = redir_input(r, dg, len, sim_now_ns());
	if (!r->timer_pending && fragflow_stats(r->ff)->flows > 0) {
		uint64_t next = fragflow_next_expiry(r->ff), now = sim_now_ns();
		r->timer_pending = 1;
		sim_schedule(next > now ? next - now : 0, expiry_timer, r);
	}
	return v == REDIR_PASS ? SIM_ACCEPT : SIM_STOLEN;
}

void redir_set_metric(struct redir *r, redir_metric_fn fn, void *ctx)
{
	r->metric = fn;
	r->metric_ctx = ctx;
}

void redir_set_io(struct redir *r, const struct redir_io *io)
{
	r->io = *io;
}

int redir_attach(struct redir *r, struct sim_node *node)
{
	r->node = node;
	r->io = (struct redir_io){ sim_output, sim_mtu, sim_src, node };
	return sim_hook_register(node, SIM_HOOK_FORWARD, forward_hook, r);
}
