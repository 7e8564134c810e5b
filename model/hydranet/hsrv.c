/* hsrv.c - the HydraNet host server; see hsrv.h.
 *
 * Per tunnelled datagram: reassemble (outer fragments), decapsulate, check
 * the virtual-host table (address, then port; inner fragments after the first
 * follow the first's verdict via fragflow), and put the inner datagram back on
 * IP input. */
#include "hydranet/hsrv.h"

#include <stdlib.h>
#include <string.h>

#include <stdio.h>

#include "net/ipip.h"
#include "log.h"
#include "net/ipv4.h"
#include "sim/sim.h"
#include "status.h"

#define MAX_PORTS 64   /* bound ports per virtual host */

struct vport {
	uint8_t proto;
	uint16_t port;
	bool given_up;       /* unbound: connections in progress only (TCP) */
};

struct vhost {
	struct vhost *next;
	uint32_t origin;
	char app[32];
	size_t nports;
	struct vport ports[MAX_PORTS];
};

struct hsrv {
	struct hsrv_config cfg;
	struct hsrv_io io;
	struct hsrv_stats st;
	struct ipv4_reass *reass;
	struct fragflow *ff;
	struct vhost *vhosts;
	hsrv_bind_fn on_bind;
	void *on_bind_ctx;
	int timer_pending;
	struct sim_node *node;         /* set by hsrv_attach; names it in the log */
	uint8_t whole[IPV4_MAX_LEN];   /* reassembled outer datagram */
};

struct hsrv *hsrv_new(const struct hsrv_config *cfg, const struct hsrv_io *io)
{
	struct hsrv *h = calloc(1, sizeof *h);
	if (!h)
		return NULL;
	h->cfg = *cfg;
	if (io)
		h->io = *io;
	h->reass = ipv4_reass_new(&cfg->reass);
	h->ff = fragflow_new(&cfg->frag);
	if (!h->reass || !h->ff) {
		hsrv_free(h);
		return NULL;
	}
	return h;
}

void hsrv_free(struct hsrv *h)
{
	if (!h)
		return;
	struct vhost *v = h->vhosts;
	while (v) {
		struct vhost *n = v->next;
		free(v);
		v = n;
	}
	ipv4_reass_free(h->reass);
	fragflow_free(h->ff);
	free(h);
}

static struct vhost *vhost_find(const struct hsrv *h, uint32_t origin)
{
	struct vhost *v = h->vhosts;
	while (v && v->origin != origin)
		v = v->next;
	return v;
}

int hsrv_vhost_create(struct hsrv *h, uint32_t origin, const char *app)
{
	if (origin == 0)
		return HN_EINVAL;
	if (vhost_find(h, origin))
		return HN_EEXIST;
	struct vhost *v = calloc(1, sizeof *v);
	if (!v)
		return HN_ENOMEM;
	v->origin = origin;
	snprintf(v->app, sizeof v->app, "%s", app ? app : "");
	if (h->io.add_local_addr) {
		int rc = h->io.add_local_addr(h->io.ctx, origin);
		if (rc != HN_OK) {
			free(v);
			return rc;
		}
	}
	v->next = h->vhosts;
	h->vhosts = v;
	return HN_OK;
}

int hsrv_vhost_exists(const struct hsrv *h, uint32_t origin)
{
	return vhost_find(h, origin) != NULL;
}

static struct vport *port_find(const struct vhost *v, uint8_t proto, uint16_t port)
{
	for (size_t i = 0; i < v->nports; i++)
		if (v->ports[i].proto == proto && v->ports[i].port == port)
			return (struct vport *)&v->ports[i];
	return NULL;
}

int hsrv_vhost_serves(const struct hsrv *h, uint32_t origin, uint8_t proto, uint16_t port)
{
	const struct vhost *v = vhost_find(h, origin);
	if (!v)
		return HN_ENOENT;
	const struct vport *p = port_find(v, proto, port);
	return p && !p->given_up;
}

/* Whether a first fragment (or whole datagram) for dport is delivered: to
 * a bound port, yes; to a port given up, only a TCP segment of a
 * connection in progress (not a SYN opening one), as a kernel keeps the
 * PCBs of established connections when the listener goes away. */
static int port_takes(const struct vhost *v, const struct ipv4_hdr *ih, const uint8_t *dg,
		      size_t len, uint16_t dport)
{
	const struct vport *p = port_find(v, ih->proto, dport);
	if (!p)
		return 0;
	if (!p->given_up)
		return 1;
	if (ih->proto != IPV4_PROTO_TCP || (size_t)ih->hdr_len + 14 > len)
		return 0;
	uint8_t flags = dg[ih->hdr_len + 13];   /* RFC 793 3.1: ... URG ACK PSH RST SYN FIN */
	return !(flags & 0x02) || (flags & 0x10);
}

int hsrv_vhost_bind(struct hsrv *h, uint32_t origin, uint8_t proto, uint16_t port)
{
	struct vhost *v = vhost_find(h, origin);
	if (!v)
		return HN_ENOENT;
	struct vport *p = port_find(v, proto, port);
	if (p && !p->given_up)
		return HN_EEXIST;
	if (p)
		p->given_up = false;   /* bound again */
	else if (v->nports == MAX_PORTS)
		return HN_ELIMIT;
	else
		v->ports[v->nports++] = (struct vport){ proto, port, false };
	if (h->on_bind)
		h->on_bind(h->on_bind_ctx, origin, proto, port, true);
	return HN_OK;
}

int hsrv_vhost_unbind(struct hsrv *h, uint32_t origin, uint8_t proto, uint16_t port)
{
	struct vhost *v = vhost_find(h, origin);
	struct vport *p = v ? port_find(v, proto, port) : NULL;
	if (!p || p->given_up)
		return HN_ENOENT;
	p->given_up = true;
	if (h->on_bind)
		h->on_bind(h->on_bind_ctx, origin, proto, port, false);
	return HN_OK;
}

int hsrv_bind(struct hsrv *h, struct sim_sock *s, uint32_t origin, uint8_t proto,
	      uint16_t port)
{
	if (!vhost_find(h, origin))
		return HN_ENOENT;
	int rc = sim_sock_bind(s, origin, port);
	if (rc != HN_OK)
		return rc;
	return hsrv_vhost_bind(h, origin, proto, port);
}

void hsrv_set_bind_listener(struct hsrv *h, hsrv_bind_fn fn, void *ctx)
{
	h->on_bind = fn;
	h->on_bind_ctx = ctx;
}

/* ---- the decision trace (log.h): evaluated only when it is on ------------------ */

static const char *node_name(const struct hsrv *h)
{
	return h->node ? sim_node_name(h->node) : NULL;
}

/* The first drop reason counted since b (a drops array of n counters). */
static int first_drop(const uint64_t *a, const uint64_t *b, int n)
{
	for (int d = 0; d < n; d++)
		if (a[d] != b[d])
			return d;
	return -1;
}

static void deliver(struct hsrv *h, const uint8_t *dg, size_t len, uint64_t now_ns)
{
	char t[96];
	if (h->io.input(h->io.ctx, dg, len) != HN_OK) {
		h->st.drops[HSRV_DROP_INPUT]++;
		HN_LOG(HN_LOG_HSRV, now_ns, node_name(h), "drop %s %s (the stack refused it)",
		       hsrv_drop_name(HSRV_DROP_INPUT), hn_log_dg_text(t, sizeof t, dg, len));
		return;
	}
	HN_LOG(HN_LOG_HSRV, now_ns, node_name(h), "deliver %s (virtual host)",
	       hn_log_dg_text(t, sizeof t, dg, len));
	h->st.delivered++;
	h->st.delivered_bytes += len;
}

/* What release_held gets: the host server and the time of the first fragment. */
struct release_ctx {
	struct hsrv *h;
	uint64_t now_ns;
};

static void release_held(void *ctx, const uint8_t *frag, size_t len, uint32_t verdict)
{
	struct release_ctx *rc = ctx;
	struct hsrv *h = rc->h;
	if (verdict) {
		deliver(h, frag, len, rc->now_ns);
	} else {
		h->st.drops[HSRV_DROP_NO_PORT]++;
		if (HN_LOG_ON(HN_LOG_HSRV)) {
			char t[96];
			hn_log_line(HN_LOG_HSRV, rc->now_ns, node_name(h),
				    "drop %s %s (held fragment, its first was not taken)",
				    hsrv_drop_name(HSRV_DROP_NO_PORT), hn_log_dg_text(t, sizeof t, frag, len));
		}
	}
}

/* Demultiplex one decapsulated inner datagram (borrowed, already valid). */
static void demux(struct hsrv *h, const uint8_t *in, size_t len, uint64_t now_ns)
{
	struct ipv4_hdr ih;
	uint16_t sport, dport;
	uint32_t ok = 0;
	const char *why = "no socket on that port";
	char t[96];

	ipv4_decode(in, len, &ih);   /* ipip_decap validated it */
	const struct vhost *v = vhost_find(h, ih.dst);
	if (!v) {
		h->st.drops[HSRV_DROP_NO_VHOST]++;
		HN_LOG(HN_LOG_HSRV, now_ns, node_name(h), "drop %s %s", hsrv_drop_name(HSRV_DROP_NO_VHOST),
		       hn_log_dg_text(t, sizeof t, in, len));
		return;
	}
	if (ih.proto != IPV4_PROTO_TCP && ih.proto != IPV4_PROTO_UDP) {
		h->st.drops[HSRV_DROP_NO_PORT]++;   /* only ports are replicated */
		HN_LOG(HN_LOG_HSRV, now_ns, node_name(h), "drop %s %s (only tcp and udp ports are replicated)",
		       hsrv_drop_name(HSRV_DROP_NO_PORT), hn_log_dg_text(t, sizeof t, in, len));
		return;
	}
	if (ih.frag_off == 0) {
		if (ipv4_ports(in, len, &ih, &sport, &dport) == HN_OK)
			ok = (uint32_t)port_takes(v, &ih, in, len, dport);
		if (!ok && HN_LOG_ON(HN_LOG_HSRV)) {
			const struct vport *p = port_find(v, ih.proto, dport);
			if (p && p->given_up)
				why = "port given up: no new connections";
		}
		if (ih.mf) {
			struct release_ctx rel = { h, now_ns };
			fragflow_decide(h->ff, &ih, ok, now_ns, release_held, &rel);
		}
	} else if (!fragflow_lookup(h->ff, &ih, now_ns, &ok)) {
		uint64_t b[FRAGFLOW_NDROP];
		if (HN_LOG_ON(HN_LOG_HSRV))
			memcpy(b, fragflow_stats(h->ff)->drops, sizeof b);
		int rc = fragflow_hold(h->ff, &ih, in, len, now_ns);   /* counts its own drops */
		if (HN_LOG_ON(HN_LOG_HSRV)) {
			if (rc == HN_OK) {
				hn_log_line(HN_LOG_HSRV, now_ns, node_name(h),
					    "hold fragment id %u (first fragment not seen)", (unsigned)ih.id);
			} else {
				int d = first_drop(fragflow_stats(h->ff)->drops, b, FRAGFLOW_NDROP);
				hn_log_line(HN_LOG_HSRV, now_ns, node_name(h), "drop %s %s (could not hold it: %s)",
					    d < 0 ? "unknown" : fragflow_drop_name((enum fragflow_drop)d),
					    hn_log_dg_text(t, sizeof t, in, len), hn_strerror(rc));
			}
		}
		return;
	} else {
		why = "its first fragment was not taken";
	}
	if (!ok) {
		h->st.drops[HSRV_DROP_NO_PORT]++;
		HN_LOG(HN_LOG_HSRV, now_ns, node_name(h), "drop %s %s (%s)", hsrv_drop_name(HSRV_DROP_NO_PORT),
		       hn_log_dg_text(t, sizeof t, in, len), why);
		return;
	}
	deliver(h, in, len, now_ns);
}

enum hsrv_verdict hsrv_input(struct hsrv *h, const uint8_t *dg, size_t len, uint64_t now_ns)
{
	struct ipv4_hdr oh;
	size_t off, ilen;

	/* Most of what a host server receives is not tunnelled (the inner
	 * datagrams it puts back on input come by here too): the protocol byte
	 * says so before the header is decoded and checked. */
	if (len < IPV4_HDR_MIN || dg[9] != IPV4_PROTO_IPIP)
		return HSRV_PASS;
	if (ipv4_decode(dg, len, &oh) != HN_OK || oh.proto != IPV4_PROTO_IPIP)
		return HSRV_PASS;
	/* Ours only when addressed to one of our own addresses, and not to a
	 * virtual host (a tunnel to the origin IP is the origin's business). */
	if (vhost_find(h, oh.dst) || !h->io.is_local(h->io.ctx, oh.dst))
		return HSRV_PASS;
	h->st.tunnelled_in++;
	len = oh.total_len;
	if (ipv4_is_fragment(&oh)) {
		size_t wlen;
		uint64_t b[IPV4_REASS_NDROP];
		if (HN_LOG_ON(HN_LOG_HSRV))
			memcpy(b, ipv4_reass_stats(h->reass)->drops, sizeof b);
		int rc = ipv4_reass_input(h->reass, dg, len, now_ns, h->whole,
					  sizeof h->whole, &wlen);
		if (HN_LOG_ON(HN_LOG_HSRV)) {
			int d = rc < 0 ? first_drop(ipv4_reass_stats(h->reass)->drops, b, IPV4_REASS_NDROP) : -1;
			if (rc == 0)
				hn_log_line(HN_LOG_HSRV, now_ns, node_name(h),
					    "hold outer fragment id %u from " HN_LOG_IPF " (reassembling)",
					    (unsigned)oh.id, HN_LOG_IP(oh.src));
			else if (rc < 0)
				hn_log_line(HN_LOG_HSRV, now_ns, node_name(h),
					    "drop reass_%s outer fragment id %u from " HN_LOG_IPF " (%s)",
					    d < 0 ? "unknown" : ipv4_reass_drop_name((enum ipv4_reass_drop)d),
					    (unsigned)oh.id, HN_LOG_IP(oh.src), hn_strerror(rc));
			else
				hn_log_line(HN_LOG_HSRV, now_ns, node_name(h),
					    "reassemble outer datagram id %u from " HN_LOG_IPF " (%zu bytes)",
					    (unsigned)oh.id, HN_LOG_IP(oh.src), wlen);
		}
		if (rc <= 0)
			return HSRV_CONSUMED;   /* held, or dropped and counted */
		h->st.reassembled++;
		dg = h->whole;
		len = wlen;
	}
	int rc = ipip_decap(dg, len, &off, &ilen);
	if (rc != HN_OK) {
		h->st.drops[rc == HN_ETTL ? HSRV_DROP_TTL : HSRV_DROP_BAD_OUTER]++;
		HN_LOG(HN_LOG_HSRV, now_ns, node_name(h), "drop %s tunnelled datagram from " HN_LOG_IPF " (%s)",
		       hsrv_drop_name(rc == HN_ETTL ? HSRV_DROP_TTL : HSRV_DROP_BAD_OUTER), HN_LOG_IP(oh.src),
		       hn_strerror(rc));
		return HSRV_CONSUMED;
	}
	h->st.decapsulated++;
	demux(h, dg + off, ilen, now_ns);
	return HSRV_CONSUMED;
}

const struct hsrv_stats *hsrv_stats(const struct hsrv *h)
{
	return &h->st;
}

const struct ipv4_reass_stats *hsrv_reass_stats(const struct hsrv *h)
{
	return ipv4_reass_stats(h->reass);
}

const struct fragflow_stats *hsrv_fragflow_stats(const struct hsrv *h)
{
	return fragflow_stats(h->ff);
}

const char *hsrv_drop_name(enum hsrv_drop d)
{
	static const char *const names[HSRV_NDROP] = { HSRV_STATS(COUNTER_SKIP, COUNTER_NAME) };
	return (unsigned)d < HSRV_NDROP ? names[d] : "unknown";
}

#define STAT_C(field, name, doc) COUNTER_DEF(struct hsrv_stats, field, name, doc)
#define STAT_D(e, name, doc) COUNTER_DROP_DEF(struct hsrv_stats, HSRV_DROP_##e, "" name, doc)
static const struct counter_def counter_defs[] = { HSRV_STATS(STAT_C, STAT_D) };
const struct counter_set hsrv_counters = COUNTER_SET("hsrv", counter_defs);

/* ---- binding to a simulated node ------------------------------------------ */

static int sim_input(void *ctx, const uint8_t *dg, size_t len)
{
	return sim_ip_input(ctx, dg, len);
}

static int sim_add_local(void *ctx, uint32_t addr)
{
	return sim_node_add_vhost_addr(ctx, addr);
}

static int sim_is_local(void *ctx, uint32_t addr)
{
	return sim_node_has_addr(ctx, addr);
}

static void expiry_timer(void *arg)
{
	struct hsrv *h = arg;
	uint64_t now = sim_now_ns();
	h->timer_pending = 0;
	uint64_t timed_out = ipv4_reass_stats(h->reass)->drops[IPV4_REASS_DROP_TIMEOUT];
	ipv4_reass_expire(h->reass, now);
	timed_out = ipv4_reass_stats(h->reass)->drops[IPV4_REASS_DROP_TIMEOUT] - timed_out;
	size_t no_first = fragflow_expire(h->ff, now);
	if (timed_out)
		HN_LOG(HN_LOG_HSRV, now, node_name(h), "drop reass_%s %llu outer fragments (incomplete after %.3f s)",
		       ipv4_reass_drop_name(IPV4_REASS_DROP_TIMEOUT), (unsigned long long)timed_out,
		       (double)h->cfg.reass.timeout_ns / 1e9);
	if (no_first)
		HN_LOG(HN_LOG_HSRV, now, node_name(h), "drop %s %zu held fragments (first fragment did not come in %.3f s)",
		       fragflow_drop_name(FRAGFLOW_DROP_NO_FIRST), no_first,
		       (double)h->cfg.frag.lifetime_ns / 1e9);
	if (ipv4_reass_stats(h->reass)->held_datagrams || fragflow_stats(h->ff)->flows) {
		h->timer_pending = 1;
		sim_schedule(h->cfg.reass.timeout_ns / 4 + 1, expiry_timer, h);
	}
}

static int64_t prerouting_hook(void *ctx, struct sim_node *n, enum sim_hook_point at,
			       int iface, const uint8_t *dg, size_t len)
{
	struct hsrv *h = ctx;
	(void)n;
	(void)at;
	(void)iface;
	enum hsrv_verdict v = hsrv_input(h, dg, len, sim_now_ns());
	if (!h->timer_pending &&
	    (ipv4_reass_stats(h->reass)->held_datagrams || fragflow_stats(h->ff)->flows)) {
		h->timer_pending = 1;
		sim_schedule(h->cfg.reass.timeout_ns / 4 + 1, expiry_timer, h);
	}
	return v == HSRV_PASS ? SIM_ACCEPT : SIM_STOLEN;
}

void hsrv_set_io(struct hsrv *h, const struct hsrv_io *io)
{
	h->io = *io;
}

int hsrv_attach(struct hsrv *h, struct sim_node *node)
{
	h->node = node;
	h->io = (struct hsrv_io){ sim_input, sim_add_local, sim_is_local, node };
	return sim_hook_register(node, SIM_HOOK_PRE_ROUTING, prerouting_hook, h);
}
