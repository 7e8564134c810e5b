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

struct ttcp_receiver {
	struct ttcp_config cfg;
	struct cpu *cpu;
	sim_sock *listener;
	struct ttcp_result res;
	uint64_t partial;         /* bytes toward the current read of buflen */
};

static void rcv_accept(void *ctx, sim_sock *l, sim_sock *s, uint32_t peer, uint16_t port)
{
	struct ttcp_receiver *r = ctx;
	(void)l;
	(void)s;
	(void)peer;
	(void)port;
	if (!r->res.start_ns)
		r->res.start_ns = sim_now_ns();
}

static void rcv_data(void *ctx, sim_sock *s, const uint8_t *d, size_t len, uint32_t a, uint16_t p)
{
	struct ttcp_receiver *r = ctx;
	(void)s;
	(void)d;
	(void)a;
	(void)p;
	uint64_t now = sim_now_ns();
	if (!r->res.start_ns)
		r->res.start_ns = now;   /* UDP: the first datagram */
	/* ttcp reads buflen bytes per read(); a UDP read returns one datagram. */
	uint64_t reads = 0;
	if (r->cfg.udp) {
		reads = 1;
	} else {
		r->partial += len;
		reads = r->partial / r->cfg.buflen;
		r->partial %= r->cfg.buflen;
	}
	r->res.reads += reads;
	r->res.bytes += len;
	uint64_t done = now;
	if (r->cpu) {
		/* The CPU is busy with the reads; the data is in the socket
		 * buffer already, so they delay the packets behind them. */
		for (uint64_t k = 0; k < reads; k++)
			done = now + cpu_charge_syscall(r->cpu, now, r->cfg.udp ? len : r->cfg.buflen);
	}
	r->res.end_ns = done;
	r->res.complete = r->res.bytes >= (uint64_t)r->cfg.buflen * r->cfg.nbuf;
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

void ttcp_receiver_free(struct ttcp_receiver *r)
{
	free(r);
}

const struct ttcp_result *ttcp_receiver_result(const struct ttcp_receiver *r)
{
	return &r->res;
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
	t->s = t->cfg.udp ? sim_udp_socket(t->node, &snd_ops, t) : sim_tcp_socket(t->node, &snd_ops, t);
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
	sim_sock_connect(t->s, t->cfg.addr, t->cfg.port);
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
