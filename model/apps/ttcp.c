/* ttcp.c - ttcp sender and receiver; see ttcp.h. */
#include "apps/ttcp.h"

#include <stdlib.h>
#include <string.h>

#include "apps/app.h"
#include "hydranet/hsrv.h"
#include "net/ipv4.h"
#include "sim/sim.h"
#include "status.h"
#include "testbed/cpu.h"

/* ---- receiver ------------------------------------------------------------------ */

/* One sender's transfer as the receiver sees it, keyed by the sender's
 * address and port: what one `ttcp -r` would report for it. */
struct ttcp_flow {
	uint32_t addr;
	uint16_t port;
	uint32_t buflen;          /* bytes per read (-l) */
	uint64_t expect;          /* bytes the sender writes (buflen * nbuf) */
	uint64_t partial;         /* bytes toward the current read of buflen */
	struct ttcp_result res;
};

struct ttcp_receiver {
	struct ttcp_config cfg;
	struct cpu *cpu;
	sim_sock *listener;
	struct ttcp_flow *flow;
	size_t nflow, capflow;
	struct ttcp_result total;  /* over every flow */
};

/* The flow of sender (addr, port), made on first sight with the receiver's
 * own -l and -n unless ttcp_receiver_expect named it; NULL without memory. */
static struct ttcp_flow *flow_of(struct ttcp_receiver *r, uint32_t addr, uint16_t port)
{
	for (size_t i = 0; i < r->nflow; i++)
		if (r->flow[i].addr == addr && r->flow[i].port == port)
			return &r->flow[i];
	if (r->nflow == r->capflow) {
		size_t cap = r->capflow ? 2 * r->capflow : 4;
		struct ttcp_flow *n = realloc(r->flow, cap * sizeof *n);
		if (!n)
			return NULL;
		r->flow = n;
		r->capflow = cap;
	}
	struct ttcp_flow *f = &r->flow[r->nflow++];
	*f = (struct ttcp_flow){ .addr = addr, .port = port, .buflen = r->cfg.buflen,
				 .expect = (uint64_t)r->cfg.buflen * r->cfg.nbuf };
	return f;
}

/* The total is complete when every flow seen or expected is. */
static void total_complete(struct ttcp_receiver *r)
{
	bool all = r->nflow > 0;
	for (size_t i = 0; i < r->nflow; i++)
		all = all && r->flow[i].res.complete;
	r->total.complete = all;
}

static void rcv_accept(void *ctx, sim_sock *l, sim_sock *s, uint32_t peer, uint16_t port)
{
	struct ttcp_receiver *r = ctx;
	(void)l;
	(void)s;
	struct ttcp_flow *f = flow_of(r, peer, port);
	uint64_t now = sim_now_ns();
	if (f && !f->res.start_ns)
		f->res.start_ns = now;
	if (!r->total.start_ns)
		r->total.start_ns = now;
}

static void rcv_data(void *ctx, sim_sock *s, const uint8_t *d, size_t len, uint32_t a, uint16_t p)
{
	struct ttcp_receiver *r = ctx;
	(void)s;
	(void)d;
	uint64_t now = sim_now_ns();
	struct ttcp_flow *f = flow_of(r, a, p);
	if (!f)
		return;   /* out of memory: the flow's bytes go uncounted */
	if (!f->res.start_ns)
		f->res.start_ns = now;   /* UDP: the first datagram */
	if (!f->res.first_data_ns)
		f->res.first_data_ns = now;
	if (!r->total.start_ns)
		r->total.start_ns = now;
	/* ttcp reads buflen bytes per read(); a UDP read returns one datagram. */
	uint64_t reads = 0;
	if (r->cfg.udp) {
		reads = 1;
	} else {
		f->partial += len;
		reads = f->partial / f->buflen;
		f->partial %= f->buflen;
	}
	f->res.reads += reads;
	f->res.bytes += len;
	uint64_t done = now;
	if (r->cpu) {
		/* The CPU is busy with the reads; the data is in the socket
		 * buffer already, so they delay the packets behind them. */
		for (uint64_t k = 0; k < reads; k++)
			done = now + cpu_charge_syscall(r->cpu, now, r->cfg.udp ? len : f->buflen);
	}
	f->res.end_ns = done;
	f->res.complete = f->res.bytes >= f->expect;
	r->total.reads += reads;
	r->total.bytes += len;
	r->total.end_ns = done;
	if (!r->total.first_data_ns)
		r->total.first_data_ns = now;
	total_complete(r);
}

static void rcv_close(void *ctx, sim_sock *s, bool error)
{
	(void)ctx;
	(void)error;
	sim_sock_close(s);
}

static const struct sim_sock_ops rcv_ops = {
	.on_accept = rcv_accept,
	.on_recv = rcv_data,
	.on_close = rcv_close,
};

struct ttcp_receiver *ttcp_receiver_new(struct sim_node *node, struct hsrv *hs, struct cpu *cpu,
					const struct ttcp_config *cfg)
{
	if (cfg->buflen == 0 || cfg->nbuf == 0)
		return NULL;
	struct ttcp_receiver *r = calloc(1, sizeof *r);
	if (!r)
		return NULL;
	r->cfg = *cfg;
	r->cpu = cpu;
	r->listener = cfg->udp ? sim_udp_socket(node, &rcv_ops, r) : sim_tcp_socket(node, &rcv_ops, r);
	uint8_t proto = cfg->udp ? IPV4_PROTO_UDP : IPV4_PROTO_TCP;
	int rc = !r->listener ? HN_ENOMEM
		 : hs ? hsrv_bind(hs, r->listener, cfg->addr, proto, cfg->port)
		      : sim_sock_bind(r->listener, cfg->addr, cfg->port);
	if (rc == HN_OK && !cfg->udp)
		rc = sim_sock_listen(r->listener);
	if (rc != HN_OK) {
		free(r);
		return NULL;
	}
	return r;
}

int ttcp_receiver_expect(struct ttcp_receiver *r, uint32_t addr, uint16_t port, uint32_t buflen,
			 uint32_t nbuf)
{
	if (!r || buflen == 0 || nbuf == 0)
		return HN_EINVAL;
	struct ttcp_flow *f = flow_of(r, addr, port);
	if (!f)
		return HN_ENOMEM;
	if (f->res.bytes)
		return HN_ESTATE;   /* too late: reads already counted at another -l */
	f->buflen = buflen;
	f->expect = (uint64_t)buflen * nbuf;
	total_complete(r);
	return HN_OK;
}

void ttcp_receiver_free(struct ttcp_receiver *r)
{
	if (r)
		free(r->flow);
	free(r);
}

const struct ttcp_result *ttcp_receiver_result(const struct ttcp_receiver *r)
{
	return &r->total;
}

const struct ttcp_result *ttcp_receiver_flow(const struct ttcp_receiver *r, uint32_t addr,
					     uint16_t port)
{
	for (size_t i = 0; i < r->nflow; i++)
		if (r->flow[i].addr == addr && r->flow[i].port == port)
			return &r->flow[i].res;
	return NULL;
}

size_t ttcp_receiver_nflows(const struct ttcp_receiver *r)
{
	return r->nflow;
}

/* ---- sender ---------------------------------------------------------------------- */

/* The send buffer's low-water mark: 4.4BSD sosend() waits until the free
 * space reaches so_snd.sb_lowat, MCLBYTES (2048) by default (uipc_socket.c,
 * uipc_socket2.c soreserve), unless the rest of the write fits. */
#define SB_LOWAT 2048

struct ttcp_sender {
	struct ttcp_config cfg;
	struct sim_node *node;
	struct cpu *cpu;
	sim_sock *s;
	uint32_t written;         /* buffers written */
	uint32_t buf_off;         /* bytes of the current buffer handed to TCP */
	int busy;                 /* a write's system call is in the CPU */
	int blocked;              /* waiting for socket buffer space */
	uint8_t *buf;
	bool df;                  /* IP_MTU_DISCOVER (UDP) */
	uint8_t tos, ttl;         /* IP_TOS, IP_TTL (0: default) */
	int mtu_probing;          /* TCP with df: enum sim_mtu_probing */
	uint32_t base_mss;        /* its tcp_base_mss */
	uint32_t src;             /* the socket's address and port: its flow */
	uint16_t src_port;
};

static void snd_next(struct ttcp_sender *t);

/* Hand the rest of the current buffer to the socket, as BSD's sosend copies
 * a write in pieces as the send buffer drains; the write completes when all
 * of it is in. */
static void snd_drain(struct ttcp_sender *t)
{
	if (t->cfg.udp) {
		/* A UDP datagram the stack could not queue is lost, as with
		 * ENOBUFS: ttcp -u does not retry. */
		sim_sock_sendto(t->s, t->buf, t->cfg.buflen, t->cfg.addr, t->cfg.port);
		t->buf_off = t->cfg.buflen;
	}
	while (t->buf_off < t->cfg.buflen) {
		/* sosend copies only when the free space reaches the send
		 * buffer's low-water mark, or holds all that is left. */
		size_t left = t->cfg.buflen - t->buf_off;
		size_t need = left < SB_LOWAT ? left : SB_LOWAT;
		if (sim_sock_tx_avail(t->s) < need) {
			t->blocked = 1;   /* like a blocking write: wait for space */
			return;
		}
		int n = sim_sock_send(t->s, t->buf + t->buf_off, left);
		if (n <= 0) {
			t->blocked = 1;
			return;
		}
		t->buf_off += (uint32_t)n;
	}
	t->blocked = 0;
	t->buf_off = 0;
	t->written++;
	snd_next(t);
}

/* The write's system call has been charged: its data goes to the socket. */
static void snd_write_done(void *arg)
{
	struct ttcp_sender *t = arg;
	t->busy = 0;
	snd_drain(t);
}

static void snd_next(struct ttcp_sender *t)
{
	if (t->busy || t->blocked)
		return;
	if (t->written == t->cfg.nbuf) {
		sim_sock_close(t->s);
		return;
	}
	t->busy = 1;
	uint64_t d = t->cpu ? cpu_charge_syscall(t->cpu, sim_now_ns(), t->cfg.buflen) : 0;
	sim_schedule(d, snd_write_done, t);
}

static void snd_space(void *ctx, sim_sock *s, size_t avail)
{
	struct ttcp_sender *t = ctx;
	(void)s;
	(void)avail;
	if (t->blocked)
		snd_drain(t);
}

static void snd_connect(void *ctx, sim_sock *s, bool ok)
{
	(void)s;
	if (ok)
		snd_next(ctx);
}

static const struct sim_sock_ops snd_ops = {
	.on_connect = snd_connect,
	.on_send_space = snd_space,
};

static void snd_start(void *arg)
{
	struct ttcp_sender *t = arg;
	if (!t->s)
		return;
	if (t->tos)
		sim_sock_set_tos(t->s, t->tos);
	sim_sock_set_ttl(t->s, t->ttl);
	if (t->cfg.udp) {
		sim_sock_set_df(t->s, t->df);
		snd_next(t);
		return;
	}
	sim_sock_set_nodelay(t->s, true);   /* -D: the paper turned Nagle off */
	if (t->df)
		sim_sock_set_df(t->s, true);
	if (t->df && t->mtu_probing)
		sim_sock_set_mtu_probing(t->s, t->mtu_probing, t->base_mss);
	sim_sock_connect(t->s, t->cfg.addr, t->cfg.port);
}

void ttcp_sender_set_mtu_probing(struct ttcp_sender *t, int mode, uint32_t base_mss)
{
	t->mtu_probing = mode;
	t->base_mss = base_mss;
}

const sim_sock *ttcp_sender_socket(const struct ttcp_sender *t)
{
	return t->s;
}

void ttcp_sender_set_ip(struct ttcp_sender *t, bool df, uint8_t tos, uint8_t ttl)
{
	t->df = df;
	t->tos = tos;
	t->ttl = ttl;
}

struct ttcp_sender *ttcp_sender_new(struct sim_node *node, struct cpu *cpu,
				    const struct ttcp_config *cfg)
{
	if (cfg->buflen == 0 || cfg->nbuf == 0)
		return NULL;
	struct ttcp_sender *t = calloc(1, sizeof *t);
	if (!t || !(t->buf = malloc(cfg->buflen))) {
		free(t);
		return NULL;
	}
	for (uint32_t i = 0; i < cfg->buflen; i++)
		t->buf[i] = app_pattern(i);
	t->cfg = *cfg;
	t->node = node;
	t->cpu = cpu;
	/* The socket is made and bound now, so its flow (source address and
	 * port) is known before it starts: its port is cfg->src_port or, when
	 * 0, an ephemeral one, as an unbound socket's connect or first sendto
	 * would take; its address stays the wildcard, so each datagram's
	 * source is the route's, as without the bind (and ns-3's UDP hands a
	 * socket bound to one address down without its route, past the
	 * shim's DF handling). */
	t->s = cfg->udp ? sim_udp_socket(node, &snd_ops, t) : sim_tcp_socket(node, &snd_ops, t);
	t->src = sim_route_src(node, cfg->addr);
	if (!t->s || sim_sock_bind(t->s, 0, cfg->src_port) != HN_OK ||
	    sim_sock_local(t->s, NULL, &t->src_port) != HN_OK) {
		if (t->s)
			sim_sock_close(t->s);
		free(t->buf);
		free(t);
		return NULL;
	}
	sim_schedule(cfg->start_ns, snd_start, t);
	return t;
}

void ttcp_sender_free(struct ttcp_sender *t)
{
	if (!t)
		return;
	free(t->buf);
	free(t);
}

uint64_t ttcp_sender_written(const struct ttcp_sender *t)
{
	return t->written;
}

void ttcp_sender_flow(const struct ttcp_sender *t, uint32_t *addr, uint16_t *port)
{
	*addr = t->src;
	*port = t->src_port;
}
