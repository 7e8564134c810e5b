/* natlb.c - a NAT front end for a server cluster; see natlb.h. */
#include "apps/natlb.h"

#include <stdlib.h>
#include <string.h>

#include "net/bytes.h"
#include "net/ipv4.h"
#include "net/nat.h"
#include "sim/sim.h"
#include "status.h"

struct conn {
	uint32_t addr;                /* the client */
	uint16_t port;
	uint8_t used;
	uint8_t server;               /* index in servers */
	uint8_t flags;                /* CONN_* seen */
	uint64_t last_ns;             /* last datagram either way */
};

enum { CONN_FIN_CLIENT = 1, CONN_FIN_SERVER = 2, CONN_RST = 4 };

struct natlb {
	struct natlb_config cfg;
	sim_node *node;
	uint32_t vip;
	uint16_t port;
	uint8_t proto;
	uint32_t servers[NATLB_MAX_SERVERS];
	uint64_t from_ns[NATLB_MAX_SERVERS];   /* in the cluster from then (natlb_server_from) */
	size_t n, turn;
	struct conn *tab;             /* open addressing, linear probing */
	size_t mask, used;            /* size - 1; slots in use (expired ones until a sweep) */
	struct natlb_stats st;
	uint8_t buf[65536];
};

static size_t slot_of(const struct natlb *lb, uint32_t addr, uint16_t port)
{
	uint64_t k = ((uint64_t)addr << 16 | port) * 0x9e3779b97f4a7c15ull;
	return (size_t)(k >> 32) & lb->mask;
}

static int ended(const struct natlb *lb, const struct conn *c)
{
	if (c->flags & CONN_RST)
		return 1;
	if (lb->cfg.mode == NATLB_DR)   /* the replies are not seen */
		return !!(c->flags & CONN_FIN_CLIENT);
	return (c->flags & (CONN_FIN_CLIENT | CONN_FIN_SERVER)) ==
	       (CONN_FIN_CLIENT | CONN_FIN_SERVER);
}

static int expired(const struct natlb *lb, const struct conn *c, uint64_t now)
{
	return now - c->last_ns >= (ended(lb, c) ? lb->cfg.closed_idle_ns : lb->cfg.idle_ns);
}

static struct conn *lookup(struct natlb *lb, uint32_t addr, uint16_t port, uint64_t now)
{
	for (size_t i = slot_of(lb, addr, port);; i = (i + 1) & lb->mask) {
		struct conn *c = &lb->tab[i];
		if (!c->used)
			return NULL;
		if (c->addr == addr && c->port == port)
			return expired(lb, c, now) ? NULL : c;
	}
}

/* Forget every expired connection: the table rebuilt with the others.
 * HN_OK or HN_ENOMEM (the table unchanged). */
static int sweep(struct natlb *lb, uint64_t now)
{
	struct conn *t = calloc(lb->mask + 1, sizeof *t);
	if (!t)
		return HN_ENOMEM;
	struct conn *old = lb->tab;
	size_t kept = 0;
	lb->tab = t;
	for (size_t i = 0; i <= lb->mask; i++) {
		if (!old[i].used)
			continue;
		if (expired(lb, &old[i], now)) {
			lb->st.swept++;
			continue;
		}
		size_t j = slot_of(lb, old[i].addr, old[i].port);
		while (t[j].used)
			j = (j + 1) & lb->mask;
		t[j] = old[i];
		kept++;
	}
	free(old);
	lb->used = kept;
	return HN_OK;
}

/* A slot for a new connection: its own expired one, another expired one on
 * its probe path, or an empty one while fewer than max_conns are in use
 * (when not, the expired ones are swept out first). */
static struct conn *insert(struct natlb *lb, uint32_t addr, uint16_t port, uint64_t now)
{
	struct conn *idle = NULL;
	for (size_t i = slot_of(lb, addr, port);; i = (i + 1) & lb->mask) {
		struct conn *c = &lb->tab[i];
		if (c->used && c->addr == addr && c->port == port) {
			lb->st.swept++;
			return c;   /* expired (lookup failed): taken anew */
		}
		if (c->used && !idle && expired(lb, c, now))
			idle = c;
		if (!c->used) {
			if (idle) {
				lb->st.swept++;
				return idle;
			}
			if (lb->used >= lb->cfg.max_conns) {
				size_t before = lb->used;
				if (sweep(lb, now) != HN_OK || lb->used == before)
					return NULL;
				return insert(lb, addr, port, now);   /* once: now below max */
			}
			lb->used++;
			return c;
		}
	}
}

static int64_t drop(struct natlb *lb, enum natlb_drop why)
{
	lb->st.drops[why]++;
	return SIM_DROP;
}

/* Forward one datagram (copied; its TTL > 1) as a router would (TTL - 1, RFC 791 3.2;
 * IPVS decrements it too, ip_vs_xmit.c decrement_ttl), nat: with one
 * address rewritten (which, addr), sent on its destination; dr: unchanged
 * otherwise, sent to the neighbour addr. */
static int64_t translate(struct natlb *lb, const uint8_t *dg, const struct ipv4_hdr *h,
			 enum nat_field which, uint32_t addr)
{
	memcpy(lb->buf, dg, h->total_len);
	uint16_t old = net_get16(lb->buf + 8);
	lb->buf[8] = (uint8_t)(h->ttl - 1);
	net_put16(lb->buf + 10, ipv4_checksum_adjust(net_get16(lb->buf + 10), old,
						     net_get16(lb->buf + 8)));
	int rc;
	if (lb->cfg.mode == NATLB_DR) {
		rc = sim_ip_output_via(lb->node, lb->buf, h->total_len, addr);
	} else {
		if (nat_rewrite(lb->buf, h->total_len, which, addr) != HN_OK)
			return drop(lb, NATLB_DROP_MALFORMED);
		rc = sim_ip_output(lb->node, lb->buf, h->total_len);
	}
	if (rc != HN_OK)
		return drop(lb, NATLB_DROP_OUTPUT);
	lb->st.bytes += h->total_len;
	return SIM_STOLEN;
}

/* Note the connection's TCP FIN and RST (flags: the segment's). */
static void track(struct natlb *lb, struct conn *c, uint8_t flags, int from_client)
{
	int was = ended(lb, c);
	if (flags & 0x04)
		c->flags |= CONN_RST;
	if (flags & 0x01)
		c->flags |= from_client ? CONN_FIN_CLIENT : CONN_FIN_SERVER;
	lb->st.ended += !was && ended(lb, c);
}

static int64_t hook(void *ctx, sim_node *n, enum sim_hook_point at, int iface, const uint8_t *dg,
		    size_t len)
{
	struct natlb *lb = ctx;
	(void)n;
	(void)at;
	(void)iface;
	struct ipv4_hdr h;
	if (ipv4_decode(dg, len, &h) != HN_OK || h.proto != lb->proto)
		return SIM_ACCEPT;   /* not the cluster's: the stack judges it */
	int in = h.dst == lb->vip, out = 0;
	for (size_t i = 0; i < lb->n && !in && lb->cfg.mode == NATLB_NAT; i++)
		out |= h.src == lb->servers[i];
	if (!in && !out)
		return SIM_ACCEPT;
	uint16_t sport, dport;
	int rc = ipv4_ports(dg, len, &h, &sport, &dport);
	if (rc == HN_EFRAG || (rc == HN_OK && ipv4_is_fragment(&h)))
		return drop(lb, NATLB_DROP_FRAGMENT);
	if (rc != HN_OK)
		return drop(lb, NATLB_DROP_MALFORMED);
	if ((in ? dport : sport) != lb->port)
		return SIM_ACCEPT;   /* the front end's own other ports; a real server's own traffic */
	uint8_t flags = 0;
	if (lb->proto == 6) {
		if ((size_t)h.hdr_len + 14 > h.total_len)
			return drop(lb, NATLB_DROP_MALFORMED);
		flags = dg[h.hdr_len + 13];
	}
	if (h.ttl <= 1)   /* judged before a connection is opened for it */
		return drop(lb, NATLB_DROP_TTL);
	uint64_t now = sim_now_ns();
	if (in) {
		struct conn *c = lookup(lb, h.src, sport, now);
		if (!c) {
			/* RFC 9293 3.1: only a SYN (without ACK) opens a TCP connection */
			if (lb->proto == 6 && (flags & 0x12) != 0x02)
				return drop(lb, NATLB_DROP_NO_CONN);
			if (!(c = insert(lb, h.src, sport, now)))
				return drop(lb, NATLB_DROP_TABLE_FULL);
			/* Round robin over the servers in the cluster by now (one
			 * always is: scenario.c refuses adding every one later). */
			size_t pick = lb->turn++ % lb->n;
			for (size_t k = 1; k < lb->n && lb->from_ns[pick] > now; k++)
				pick = lb->turn++ % lb->n;
			*c = (struct conn){ h.src, sport, 1, (uint8_t)pick, 0, now };
			lb->st.connections++;
			lb->st.per_server[c->server]++;
		}
		c->last_ns = now;
		track(lb, c, flags, 1);
		int64_t v = translate(lb, dg, &h, NAT_DST, lb->servers[c->server]);
		lb->st.in += v == SIM_STOLEN;
		return v;
	}
	struct conn *c = lookup(lb, h.dst, dport, now);
	if (!c || lb->servers[c->server] != h.src)
		return drop(lb, NATLB_DROP_NO_CONN);
	c->last_ns = now;
	track(lb, c, flags, 0);
	int64_t v = translate(lb, dg, &h, NAT_SRC, lb->vip);
	lb->st.out += v == SIM_STOLEN;
	return v;
}

int natlb_server_from(struct natlb *lb, size_t i, uint64_t from_ns)
{
	if (!lb || i >= lb->n)
		return HN_EINVAL;
	lb->from_ns[i] = from_ns;
	return HN_OK;
}

struct natlb *natlb_new(struct sim_node *node, const struct natlb_config *cfg, uint32_t vip,
			uint16_t port, uint8_t proto, const uint32_t *servers, size_t n)
{
	if (!node || !cfg || !n || n > NATLB_MAX_SERVERS || !cfg->max_conns || !cfg->idle_ns ||
	    !cfg->closed_idle_ns || (cfg->mode != NATLB_NAT && cfg->mode != NATLB_DR) ||
	    (proto != 6 && proto != 17))
		return NULL;
	struct natlb *lb = calloc(1, sizeof *lb);
	if (!lb)
		return NULL;
	size_t size = 16;
	while (size < 2 * cfg->max_conns)
		size *= 2;
	lb->tab = calloc(size, sizeof *lb->tab);
	if (!lb->tab) {
		free(lb);
		return NULL;
	}
	lb->mask = size - 1;
	lb->cfg = *cfg;
	lb->node = node;
	lb->vip = vip;
	lb->port = port;
	lb->proto = proto;
	memcpy(lb->servers, servers, n * sizeof *servers);
	lb->n = n;
	if (sim_hook_register(node, SIM_HOOK_PRE_ROUTING, hook, lb) != HN_OK) {
		natlb_free(lb);
		return NULL;
	}
	return lb;
}

void natlb_free(struct natlb *lb)
{
	if (!lb)
		return;
	free(lb->tab);
	free(lb);
}

const struct natlb_stats *natlb_stats(const struct natlb *lb)
{
	return &lb->st;
}

#define STAT_C(field, name, doc) COUNTER_DEF(struct natlb_stats, field, name, doc)
#define STAT_D(e, name, doc) COUNTER_DROP_DEF(struct natlb_stats, NATLB_DROP_##e, "" name, doc)
static const struct counter_def counter_defs[] = { NATLB_STATS(STAT_C, STAT_D) };
const struct counter_set natlb_counters = COUNTER_SET("natlb", counter_defs);
