/* cpu.c - FIFO processor per node and the hooks that charge it; see cpu.h. */
#include "testbed/cpu.h"

#include <gsl/gsl_rng.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "net/ipv4.h"
#include "sim/sim.h"
#include "status.h"

/* A datagram the CPU emits when its work is done. */
struct pending {
	struct cpu *c;
	int input;                /* 1: back into IP input, 0: IP output */
	size_t len;
	uint8_t bytes[];
};

struct cpu {
	struct cpu_config cfg;
	struct cpu_stats st;
	uint64_t busy_until_ns;
	struct sim_node *node;
};

struct cpu *cpu_new(const struct cpu_config *cfg)
{
	if (!cfg || cfg->jitter < 0 || cfg->jitter >= 1)
		return NULL;
	struct cpu *c = calloc(1, sizeof *c);
	if (c)
		c->cfg = *cfg;
	return c;
}

void cpu_free(struct cpu *c)
{
	free(c);
}

uint64_t cpu_charge(struct cpu *c, uint64_t now_ns, uint64_t cost_ns)
{
	if (c->cfg.jitter > 0 && c->cfg.rng)
		cost_ns = (uint64_t)llround((double)cost_ns *
					    (1 + c->cfg.jitter * (2 * gsl_rng_uniform(c->cfg.rng) - 1)));
	uint64_t start = c->busy_until_ns > now_ns ? c->busy_until_ns : now_ns;
	if (start - now_ns > c->st.max_backlog_ns)
		c->st.max_backlog_ns = start - now_ns;
	c->busy_until_ns = start + cost_ns;
	c->st.busy_ns += cost_ns;
	return c->busy_until_ns - now_ns;
}

/* Cost of one operation, counted. */
static uint64_t op(struct cpu *c, enum cpu_op o)
{
	c->st.charges[o]++;
	return c->cfg.profile.op_ns[o];
}

/* Cost of touching n bytes `times` times by copy. */
static uint64_t copies(struct cpu *c, unsigned times, size_t n)
{
	c->st.copied_bytes += (uint64_t)times * n;
	return (uint64_t)llround(c->cfg.profile.copy_ns_per_byte * (double)times * (double)n);
}

static uint64_t cksum(const struct cpu *c, size_t n)
{
	return (uint64_t)llround(c->cfg.profile.cksum_ns_per_byte * (double)n);
}

uint64_t cpu_charge_syscall(struct cpu *c, uint64_t now_ns, size_t len)
{
	return cpu_charge(c, now_ns, op(c, CPU_OP_SYSCALL) + copies(c, 1, len));
}

/* Transmitting one frame of len bytes. */
static uint64_t xmit(struct cpu *c, size_t len)
{
	return op(c, CPU_OP_IP_OUT) + op(c, CPU_OP_XMIT) + copies(c, c->cfg.profile.driver_copies, len);
}

static int64_t verdict(uint64_t delay)
{
	return delay > 0 ? (int64_t)delay : SIM_ACCEPT;
}

/* ---- hooks ------------------------------------------------------------------ */

static int64_t pre_routing(void *ctx, struct sim_node *n, enum sim_hook_point at, int iface,
			   const uint8_t *dg, size_t len)
{
	struct cpu *c = ctx;
	struct ipv4_hdr h;
	(void)at;
	uint64_t cost = op(c, CPU_OP_IP_IN);
	if (iface != 0)   /* a frame off the wire, not a requeued datagram */
		cost += op(c, CPU_OP_INTR) + copies(c, c->cfg.profile.driver_copies, len);
	if (ipv4_decode(dg, len, &h) == HN_OK && ipv4_is_fragment(&h) && sim_node_has_addr(n, h.dst))
		cost += op(c, CPU_OP_REASS) + copies(c, c->cfg.profile.reass_copies, len - h.hdr_len);
	return verdict(cpu_charge(c, sim_now_ns(), cost));
}

/* Registered after the redirector: sees only what is left to forwarding. */
static int64_t forward(void *ctx, struct sim_node *n, enum sim_hook_point at, int iface,
		       const uint8_t *dg, size_t len)
{
	struct cpu *c = ctx;
	(void)n;
	(void)at;
	(void)iface;
	uint64_t cost = xmit(c, len);
	if (c->cfg.hydranet_kernel && len > 9 && (dg[9] == IPV4_PROTO_TCP || dg[9] == IPV4_PROTO_UDP))
		cost += op(c, CPU_OP_LOOKUP);   /* the redirector table is searched */
	return verdict(cpu_charge(c, sim_now_ns(), cost));
}

static int64_t local_in(void *ctx, struct sim_node *n, enum sim_hook_point at, int iface,
			const uint8_t *dg, size_t len)
{
	struct cpu *c = ctx;
	struct ipv4_hdr h;
	(void)n;
	(void)at;
	(void)iface;
	if (ipv4_decode(dg, len, &h) != HN_OK)
		return SIM_ACCEPT;
	uint64_t cost = cksum(c, h.total_len - h.hdr_len);
	if (h.frag_off == 0) {   /* the transport sees a datagram once */
		if (h.proto == IPV4_PROTO_TCP)
			cost += op(c, CPU_OP_TCP_IN);
		else if (h.proto == IPV4_PROTO_UDP)
			cost += op(c, CPU_OP_UDP_IN);
		if (c->cfg.hydranet_kernel && (h.proto == IPV4_PROTO_TCP || h.proto == IPV4_PROTO_UDP))
			cost += op(c, CPU_OP_LOOKUP);   /* the virtual-host table */
	}
	return verdict(cpu_charge(c, sim_now_ns(), cost));
}

static int64_t local_out(void *ctx, struct sim_node *n, enum sim_hook_point at, int iface,
			 const uint8_t *dg, size_t len)
{
	struct cpu *c = ctx;
	(void)at;
	(void)iface;
	if (len < IPV4_HDR_MIN)
		return SIM_ACCEPT;
	size_t seg = len - IPV4_HDR_MIN;
	uint64_t cost = cksum(c, seg);
	if (dg[9] == IPV4_PROTO_TCP)
		cost += op(c, CPU_OP_TCP_OUT);
	else if (dg[9] == IPV4_PROTO_UDP)
		cost += op(c, CPU_OP_UDP_OUT);
	/* ns-3 fragments what exceeds the MTU: each fragment is transmitted. */
	uint32_t mtu = sim_route_mtu(n, (uint32_t)dg[16] << 24 | (uint32_t)dg[17] << 16 |
					(uint32_t)dg[18] << 8 | dg[19]);
	size_t frags = mtu > IPV4_HDR_MIN && len > mtu ? (seg + (mtu - 20) / 8 * 8 - 1) / ((mtu - 20) / 8 * 8) : 1;
	for (size_t f = 0; f < frags; f++)
		cost += xmit(c, frags == 1 ? len : mtu) + (f ? op(c, CPU_OP_FRAG) : 0);
	return verdict(cpu_charge(c, sim_now_ns(), cost));
}

int cpu_attach(struct cpu *c, struct sim_node *node)
{
	c->node = node;
	int rc = sim_hook_register(node, SIM_HOOK_PRE_ROUTING, pre_routing, c);
	if (rc == HN_OK)
		rc = sim_hook_register(node, SIM_HOOK_FORWARD, forward, c);
	if (rc == HN_OK)
		rc = sim_hook_register(node, SIM_HOOK_LOCAL_IN, local_in, c);
	if (rc == HN_OK)
		rc = sim_hook_register(node, SIM_HOOK_LOCAL_OUT, local_out, c);
	return rc;
}

/* ---- deferred emission -------------------------------------------------------- */

static void emit(void *arg)
{
	struct pending *p = arg;
	int rc = p->input ? sim_ip_input(p->c->node, p->bytes, p->len)
			  : sim_ip_output(p->c->node, p->bytes, p->len);
	if (rc != HN_OK)
		p->c->st.emit_failed++;   /* refused after the work was done: counted */
	free(p);
}

static int defer(struct cpu *c, int input, const uint8_t *dg, size_t len, uint64_t delay)
{
	struct pending *p = malloc(sizeof *p + len);
	if (!p)
		return HN_ENOMEM;
	p->c = c;
	p->input = input;
	p->len = len;
	memcpy(p->bytes, dg, len);
	sim_schedule(delay, emit, p);
	return HN_OK;
}

/* The redirector's output: a tunnelled datagram or fragment, or a held
 * fragment it forwards itself. */
static int redir_output(void *ctx, const uint8_t *dg, size_t len)
{
	struct cpu *c = ctx;
	struct ipv4_hdr h;
	int rc = ipv4_decode(dg, len, &h);
	if (rc != HN_OK)
		return rc;
	if (sim_route_mtu(c->node, h.dst) < len)
		return HN_EMSGSIZE;   /* what sim_ip_output would say, said now */
	uint64_t cost = xmit(c, len);
	if (h.frag_off == 0)   /* a new datagram: the table lookup that chose it */
		cost += op(c, CPU_OP_LOOKUP);
	if (h.proto == IPV4_PROTO_IPIP && h.frag_off == 0)
		cost += op(c, CPU_OP_ENCAP) + copies(c, c->cfg.profile.encap_copies, len);
	if (h.frag_off > 0)   /* each fragment after the first was cut (as in local_out) */
		cost += op(c, CPU_OP_FRAG);
	return defer(c, 0, dg, len, cpu_charge(c, sim_now_ns(), cost));
}

static uint32_t redir_mtu(void *ctx, uint32_t dst)
{
	return sim_route_mtu(((struct cpu *)ctx)->node, dst);
}

static uint32_t redir_src(void *ctx, uint32_t dst)
{
	return sim_route_src(((struct cpu *)ctx)->node, dst);
}

struct redir_io cpu_redir_io(struct cpu *c)
{
	return (struct redir_io){ redir_output, redir_mtu, redir_src, c };
}

/* The host server's requeue of a decapsulated datagram. */
static int requeue(void *ctx, const uint8_t *dg, size_t len)
{
	struct cpu *c = ctx;
	/* The virtual-host check is charged once, at LOCAL_IN (tcp/udp input). */
	uint64_t cost = op(c, CPU_OP_DECAP) + copies(c, c->cfg.profile.decap_copies, len);
	return defer(c, 1, dg, len, cpu_charge(c, sim_now_ns(), cost));
}

static int hsrv_add_local(void *ctx, uint32_t addr)
{
	return sim_node_add_vhost_addr(((struct cpu *)ctx)->node, addr);
}

static int hsrv_is_local(void *ctx, uint32_t addr)
{
	return sim_node_has_addr(((struct cpu *)ctx)->node, addr);
}

struct hsrv_io cpu_hsrv_io(struct cpu *c)
{
	return (struct hsrv_io){ requeue, hsrv_add_local, hsrv_is_local, c };
}

const struct cpu_stats *cpu_stats(const struct cpu *c)
{
	return &c->st;
}

const char *cpu_op_name(enum cpu_op o)
{
	static const char *const names[CPU_NOPS] = { CPU_OPS(COUNTER_NAME) };
	return (unsigned)o < CPU_NOPS ? names[o] : "unknown";
}

#define STAT_C(field, name, divisor, unit, doc) \
	{ name, doc, offsetof(struct cpu_stats, field), divisor, unit },
#define STAT_OP(e, name, doc) \
	{ "cpu.n_" name, "operations charged: " doc, \
	  offsetof(struct cpu_stats, charges) + CPU_OP_##e * sizeof(uint64_t), 1.0, "" },
static const struct counter_def counter_defs[] = { CPU_STATS(STAT_C) CPU_OPS(STAT_OP) };
const struct counter_set cpu_counters = COUNTER_SET("cpu", counter_defs);
