/* redir.c - the HydraNet redirector; see redir.h.
 *
 * Per datagram: decode, find the verdict (table lookup for a whole datagram
 * or a first fragment, fragflow for the others), then either pass it back to
 * ordinary forwarding or tunnel it: RFC 2003 encapsulation with the inner TTL
 * decremented (we forward it), then RFC 791 fragmentation of the outer
 * datagram to the MTU of the route to the host server. */
#include "hydranet/redir.h"

#include <stdlib.h>
#include <string.h>

#include "net/bytes.h"
#include "net/ipip.h"
#include "net/ipv4.h"
#include "sim/sim.h"
#include "status.h"

#define NBUCKETS 64

struct entry {
	struct entry *next;
	uint32_t origin;
	uint16_t port;
	uint8_t proto;
	uint32_t host_server;
};

struct redir {
	struct redir_config cfg;
	struct redir_io io;
	struct redir_stats st;
	struct ipv4_frag_stats fst;
	struct fragflow *ff;
	struct entry *bucket[NBUCKETS];
	size_t entries;
	uint16_t next_id;          /* outer IP identification counter */
	struct sim_node *node;     /* set by redir_attach */
	int timer_pending;         /* an expiry event is scheduled */
	uint8_t outer[IPV4_MAX_LEN + IPIP_OUTER_LEN];  /* encapsulated datagram */
	uint8_t scratch[IPV4_MAX_LEN];                 /* fragment being built */
};

static unsigned hash_sap(uint32_t origin, uint16_t port, uint8_t proto)
{
	uint32_t h = origin * 2654435761u ^ ((uint32_t)port << 8 | proto) * 2246822519u;
	return (h ^ (h >> 16)) % NBUCKETS;
}

struct redir *redir_new(const struct redir_config *cfg, const struct redir_io *io)
{
	if (!cfg || cfg->frag.max_flows == 0)
		return NULL;
	struct redir *r = calloc(1, sizeof *r);
	if (!r)
		return NULL;
	r->cfg = *cfg;
	if (io)
		r->io = *io;
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
			free(e);
			e = n;
		}
	}
	fragflow_free(r->ff);
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

int redir_table_add(struct redir *r, uint32_t origin, uint16_t port, uint8_t proto,
		    uint32_t host_server)
{
	if ((proto != IPV4_PROTO_TCP && proto != IPV4_PROTO_UDP) || host_server == 0)
		return HN_EINVAL;
	struct entry **pp = table_find(r, origin, port, proto);
	if (*pp) {
		(*pp)->host_server = host_server;
		return HN_OK;
	}
	struct entry *e = calloc(1, sizeof *e);
	if (!e)
		return HN_ENOMEM;
	*e = (struct entry){ NULL, origin, port, proto, host_server };
	*pp = e;
	r->entries++;
	return HN_OK;
}

int redir_table_remove(struct redir *r, uint32_t origin, uint16_t port, uint8_t proto)
{
	struct entry **pp = table_find(r, origin, port, proto);
	if (!*pp)
		return HN_ENOENT;
	struct entry *e = *pp;
	*pp = e->next;
	free(e);
	r->entries--;
	return HN_OK;
}

uint32_t redir_table_lookup(const struct redir *r, uint32_t origin, uint16_t port,
			    uint8_t proto)
{
	struct entry *e = *table_find(r, origin, port, proto);
	return e ? e->host_server : 0;
}

size_t redir_table_size(const struct redir *r)
{
	return r->entries;
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

/* Count a refused datagram by the status that refused it. */
static void drop_status(struct redir *r, int rc)
{
	enum redir_drop d;
	switch (rc) {
	case HN_ETTL: d = REDIR_DROP_TTL; break;
	case HN_ELOOP: d = REDIR_DROP_LOOP; break;
	case HN_EDF: d = REDIR_DROP_DF; break;
	case HN_ENOROUTE: d = REDIR_DROP_NO_ROUTE; break;
	case HN_ETRUNC: case HN_EVERSION: case HN_EIHL: case HN_ELEN: case HN_ECKSUM:
		d = REDIR_DROP_BAD_HEADER; break;
	default: d = REDIR_DROP_OUTPUT; break;
	}
	r->st.drops[d]++;
}

/* Send dg (borrowed) to dst_route, cutting it to the route's MTU. */
static int send_fragmented(struct redir *r, const uint8_t *dg, size_t len, uint32_t dst_route)
{
	uint32_t mtu = r->io.route_mtu(r->io.ctx, dst_route);
	if (mtu == 0)
		return HN_ENOROUTE;
	int n = ipv4_fragment(dg, len, mtu, r->scratch, sizeof r->scratch, emit_outer, r, &r->fst);
	if (n > 1) {
		r->st.outer_fragmented++;
		r->st.fragments_made += (uint64_t)n;
	}
	return n < 0 ? n : HN_OK;
}

/* Tunnel the datagram or inner fragment dg to host server hs. */
static void tunnel(struct redir *r, const uint8_t *dg, size_t len, uint32_t hs)
{
	struct ipip_encap_params p = {
		.src = r->io.route_src(r->io.ctx, hs),
		.dst = hs,
		.id = r->next_id++,
		.ttl = r->cfg.outer_ttl,
		.forwarding = true,   /* RFC 2003 3.1: we forward it, inner TTL - 1 */
	};
	size_t olen;
	int rc = p.src ? ipip_encap(dg, len, &p, r->outer, sizeof r->outer, &olen) : HN_ENOROUTE;
	if (rc == HN_OK)
		rc = send_fragmented(r, r->outer, olen, hs);
	if (rc != HN_OK) {
		drop_status(r, rc);
		return;
	}
	r->st.redirected++;
	r->st.redirected_bytes += len;
}

/* Forward a held fragment that turned out not to be redirected: the stack
 * gave it to us, so we do the router's work (TTL, checksum, MTU). */
static void forward_by_c(struct redir *r, const uint8_t *frag, size_t len)
{
	if (frag[8] <= 1) {
		r->st.drops[REDIR_DROP_TTL]++;
		return;
	}
	memcpy(r->outer, frag, len);
	r->outer[8]--;
	ipv4_update_checksum(r->outer);
	int rc = send_fragmented(r, r->outer, len, net_get32(frag + 16));
	if (rc != HN_OK) {
		drop_status(r, rc);
		return;
	}
	r->st.forwarded_by_c++;
}

static void release_held(void *ctx, const uint8_t *frag, size_t len, uint32_t verdict)
{
	struct redir *r = ctx;
	if (verdict)
		tunnel(r, frag, len, verdict);
	else
		forward_by_c(r, frag, len);
}

enum redir_verdict redir_input(struct redir *r, const uint8_t *dg, size_t len,
			       uint64_t now_ns)
{
	struct ipv4_hdr h;
	uint16_t sport, dport;
	uint32_t hs = 0;

	r->st.seen++;
	if (ipv4_decode(dg, len, &h) != HN_OK) {
		r->st.drops[REDIR_DROP_BAD_HEADER]++;
		return REDIR_CONSUMED;
	}
	len = h.total_len;
	/* Only TCP and UDP have service access points; an IP-in-IP datagram
	 * (already tunnelled) is therefore never redirected again. */
	if (h.proto != IPV4_PROTO_TCP && h.proto != IPV4_PROTO_UDP)
		goto pass;
	if (h.frag_off == 0) {
		if (ipv4_ports(dg, len, &h, &sport, &dport) != HN_OK)
			goto pass;
		hs = redir_table_lookup(r, h.dst, dport, h.proto);
		if (h.mf)   /* first fragment: later ones follow this verdict */
			fragflow_decide(r->ff, &h, hs, now_ns, release_held, r);
	} else if (!fragflow_lookup(r->ff, &h, now_ns, &hs)) {
		if (!origin_known(r, h.dst))
			goto pass;
		fragflow_hold(r->ff, &h, dg, len, now_ns);   /* counts its own drops */
		return REDIR_CONSUMED;
	}
	if (!hs)
		goto pass;
	tunnel(r, dg, len, hs);
	return REDIR_CONSUMED;
pass:
	r->st.forwarded++;
	return REDIR_PASS;
}

void redir_expire(struct redir *r, uint64_t now_ns)
{
	fragflow_expire(r->ff, now_ns);
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
	static const char *const names[REDIR_NDROP] = {
		[REDIR_DROP_BAD_HEADER] = "bad_header",
		[REDIR_DROP_TTL] = "ttl_expired",
		[REDIR_DROP_LOOP] = "tunnel_loop",
		[REDIR_DROP_DF] = "df_too_big",
		[REDIR_DROP_NO_ROUTE] = "no_route",
		[REDIR_DROP_OUTPUT] = "output_refused",
	};
	return (unsigned)d < REDIR_NDROP ? names[d] : "unknown";
}

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
