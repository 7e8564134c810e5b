/* test_sim.c - unit tests of the ns-3 shim (model/sim/sim.h).
 *
 * Most cases build the chain A -- R -- B (10 Mb/s, 1 ms, MTU 1500) with
 * global routing and check what arrives at B, when, and what hooks saw.
 * Expected times are computed from the link: a hop costs the PPP frame's
 * serialization, (ip_len + 2) * 8 / rate (ns-3's PPP header is 2 bytes), plus
 * the propagation delay.  Every case starts with sim_init and ends with
 * sim_destroy, so each also checks that the simulator can start again. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "sim/sim.h"
#include "status.h"
#include "testutil.h"

#define IP(a, b, c, d) \
	((uint32_t)(a) << 24 | (uint32_t)(b) << 16 | (uint32_t)(c) << 8 | (uint32_t)(d))

static const struct sim_config CFG = {.seed = 1, .run = 1};

enum {
	RATE_BPS = 10000000,
	DELAY_NS = 1000000,
	PORT_B = 9000,
	PAYLOAD = 100,                  /* UDP payload of the chain tests */
	UDP_IP_LEN = 20 + 8 + PAYLOAD,  /* its datagram */
	SEND_AT_NS = 1000000            /* when A sends it */
};

static const struct sim_link_config LINK = {
	.rate_bps = RATE_BPS, .delay_ns = DELAY_NS, .mtu_bytes = 1500,
	.queue_packets = 100, .loss_rate = 0.0};

/* One hop of an ip_len-byte datagram on LINK, in ns. */
static uint64_t hop_ns(uint32_t ip_len)
{
	return (uint64_t)(ip_len + 2) * 8 * 1000000000u / RATE_BPS + DELAY_NS;
}

/* ---- byte helpers -------------------------------------------------------- */

static uint16_t get16(const uint8_t *b) { return (uint16_t)(b[0] << 8 | b[1]); }
static uint32_t get32(const uint8_t *b) { return (uint32_t)get16(b) << 16 | get16(b + 2); }
static void put16(uint8_t *b, uint32_t v) { b[0] = (uint8_t)(v >> 8); b[1] = (uint8_t)v; }
static void put32(uint8_t *b, uint32_t v) { put16(b, v >> 16); put16(b + 2, v); }

static uint32_t sum16(const uint8_t *b, size_t len, uint32_t sum)
{
	for (size_t i = 0; i + 1 < len; i += 2)
		sum += get16(b + i);
	if (len & 1)
		sum += (uint32_t)b[len - 1] << 8;
	return sum;
}

static uint16_t fold(uint32_t sum)
{
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~sum;
}

static bool header_cksum_ok(const uint8_t *h) { return fold(sum16(h, 20, 0)) == 0; }

/* A 20-byte header at dg for a datagram of len bytes, valid checksum. */
static void build_ip(uint8_t *dg, size_t len, uint32_t src, uint32_t dst, uint8_t proto,
		     uint8_t ttl, uint16_t id)
{
	memset(dg, 0, 20);
	dg[0] = 0x45;
	put16(dg + 2, (uint32_t)len);
	put16(dg + 4, id);
	dg[8] = ttl;
	dg[9] = proto;
	put32(dg + 12, src);
	put32(dg + 16, dst);
	put16(dg + 10, fold(sum16(dg, 20, 0)));
}

/* A UDP datagram src:sport -> dst:dport carrying data, checksums valid
 * (ns-3 verifies the UDP checksum too).  Returns its length. */
static size_t build_udp(uint8_t *dg, uint32_t src, uint16_t sport, uint32_t dst, uint16_t dport,
			const char *data)
{
	size_t dlen = strlen(data), ulen = 8 + dlen, len = 20 + ulen;
	uint8_t *u = dg + 20;
	build_ip(dg, len, src, dst, 17, 64, 7);
	put16(u, sport);
	put16(u + 2, dport);
	put16(u + 4, (uint32_t)ulen);
	memcpy(u + 8, data, dlen);
	uint16_t ck = tu_transport_sum(dg, 6);
	put16(u + 6, ck ? ck : 0xffff);
	return len;
}

/* ---- the chain A -- R -- B ------------------------------------------------- */

struct chain {
	sim_node *a, *r, *b;
	sim_link *ar, *rb;
};

static const uint32_t ADDR_A = IP(10, 0, 1, 1), ADDR_RA = IP(10, 0, 1, 2);
static const uint32_t ADDR_RB = IP(10, 0, 2, 1), ADDR_B = IP(10, 0, 2, 2);

static struct chain chain_build(const struct sim_link_config *lc)
{
	struct chain c;
	assert_int_equal(sim_init(&CFG), HN_OK);
	c.a = sim_node_create("A");
	c.r = sim_node_create("R");
	c.b = sim_node_create("B");
	assert_non_null(c.a);
	assert_non_null(c.r);
	assert_non_null(c.b);
	c.ar = sim_link_create(c.a, c.r, lc, ADDR_A, ADDR_RA, 24);
	c.rb = sim_link_create(c.r, c.b, lc, ADDR_RB, ADDR_B, 24);
	assert_non_null(c.ar);
	assert_non_null(c.rb);
	assert_int_equal(sim_routing_populate(), HN_OK);
	return c;
}

/* ---- socket recorders ---------------------------------------------------- */

struct rx {
	int count;              /* on_recv calls */
	size_t total;           /* bytes received */
	uint8_t last[2048];     /* the last chunk */
	size_t last_len;
	uint32_t from;
	uint16_t from_port;
	uint64_t at_ns;         /* when the last chunk arrived */
};

static void rx_recv(void *ctx, sim_sock *s, const uint8_t *data, size_t len, uint32_t from,
		    uint16_t port)
{
	struct rx *r = ctx;
	(void)s;
	r->count++;
	r->total += len;
	r->last_len = len < sizeof r->last ? len : sizeof r->last;
	memcpy(r->last, data, r->last_len);
	r->from = from;
	r->from_port = port;
	r->at_ns = sim_now_ns();
}

static const struct sim_sock_ops RX_OPS = {.on_recv = rx_recv};

/* A UDP sender at A that sends PAYLOAD bytes (i & 0xff) to B at SEND_AT_NS. */
struct udp_send {
	sim_sock *s;
	uint32_t dst;
	uint16_t port;
	int times;              /* datagrams to send */
	int rc;                 /* last sendto result */
};

static void udp_send_ev(void *arg)
{
	struct udp_send *u = arg;
	uint8_t buf[PAYLOAD];
	for (int i = 0; i < PAYLOAD; i++)
		buf[i] = (uint8_t)i;
	for (int i = 0; i < u->times; i++)
		u->rc = sim_sock_sendto(u->s, buf, sizeof buf, u->dst, u->port);
}

/* B listens on PORT_B into *r; A sends `times` datagrams at SEND_AT_NS. */
static void udp_setup(struct chain *c, struct rx *r, struct udp_send *u, int times)
{
	sim_sock *sb = sim_udp_socket(c->b, &RX_OPS, r);
	assert_non_null(sb);
	assert_int_equal(sim_sock_bind(sb, 0, PORT_B), HN_OK);
	u->s = sim_udp_socket(c->a, NULL, NULL);
	assert_non_null(u->s);
	u->dst = ADDR_B;
	u->port = PORT_B;
	u->times = times;
	sim_schedule(SEND_AT_NS, udp_send_ev, u);
}

/* ---- hook recorder ------------------------------------------------------- */

struct hk {
	int count;
	int cksum_bad;          /* datagrams whose header checksum failed */
	int64_t verdict;        /* what to answer */
	int iface;              /* last iface */
	size_t len;             /* last length */
	uint8_t hdr[20];        /* last header */
	uint64_t at_ns;         /* when last called */
};

static int64_t hk_fn(void *ctx, sim_node *n, enum sim_hook_point at, int iface,
		     const uint8_t *dg, size_t len)
{
	struct hk *h = ctx;
	(void)n;
	(void)at;
	h->count++;
	if (len < 20 || !header_cksum_ok(dg) || get16(dg + 2) != len)
		h->cksum_bad++;
	h->iface = iface;
	h->len = len;
	memcpy(h->hdr, dg, 20);
	h->at_ns = sim_now_ns();
	return h->verdict;
}

/* ---- simulator lifetime and events ----------------------------------------- */

static void sim__init_twice_is_refused(void **state)
{
	(void)state;
	assert_int_equal(sim_init(NULL), HN_EINVAL);
	assert_int_equal(sim_init(&CFG), HN_OK);
	assert_int_equal(sim_init(&CFG), HN_ESTATE);
	sim_destroy();
	assert_int_equal(sim_init(&CFG), HN_OK);
	assert_int_equal(sim_now_ns(), 0);
	sim_destroy();
}

struct log {
	int order[8];
	uint64_t at[8];
	int n;
	bool stop;              /* call sim_stop in the event */
};

struct tag {
	struct log *log;
	int id;
};

static void log_ev(void *arg)
{
	struct tag *t = arg;
	t->log->order[t->log->n] = t->id;
	t->log->at[t->log->n++] = sim_now_ns();
	if (t->log->stop)
		sim_stop();
}

static void sim__events_run_in_time_order_and_cancel(void **state)
{
	(void)state;
	struct log lg = {0};
	struct tag t[4] = {{&lg, 1}, {&lg, 2}, {&lg, 3}, {&lg, 4}};
	assert_int_equal(sim_init(&CFG), HN_OK);
	sim_event_id e1 = sim_schedule(300, log_ev, &t[0]);
	sim_schedule(100, log_ev, &t[1]);
	sim_schedule(200, log_ev, &t[2]);
	sim_event_id e4 = sim_schedule(250, log_ev, &t[3]);
	assert_true(e1 != e4);
	sim_cancel(e4);
	sim_run(0);
	assert_int_equal(lg.n, 3);
	assert_int_equal(lg.order[0], 2);
	assert_int_equal(lg.order[1], 3);
	assert_int_equal(lg.order[2], 1);
	assert_int_equal(lg.at[0], 100);
	assert_int_equal(lg.at[1], 200);
	assert_int_equal(lg.at[2], 300);
	assert_int_equal(sim_now_ns(), 300);
	assert_true(sim_event_count() >= 3);
	sim_cancel(e1); /* already fired: harmless */
	sim_destroy();
}

/* The event queue (sim_sched.cc keeps events within a 50 ms window apart
 * from later ones): events run by time, ties in the order they were
 * scheduled, also when events schedule more from inside (delays from 0 to
 * past the window, many equal times) and some are cancelled. */
#define SCHED_N 3000
struct sched_ev {
	uint64_t due;
	int seq;                /* scheduling order */
	sim_event_id id;
	bool cancelled, ran;
};
static struct sched_ev sched_evs[SCHED_N];
static int sched_n, sched_ran[SCHED_N], sched_nran;
static uint32_t sched_rng = 12345;

static uint64_t sched_delay(void)
{
	static const uint64_t pick[] = { 0, 0, 1000, 1000, 2000000, 49999999, 50000000,
					 50000001, 120000000, 700000000 };
	sched_rng = sched_rng * 1103515245u + 12345u;
	return pick[(sched_rng >> 16) % 10];
}

static void sched_ev_fn(void *arg);

static void sched_add(void)
{
	if (sched_n >= SCHED_N)
		return;
	struct sched_ev *e = &sched_evs[sched_n];
	uint64_t d = sched_delay();
	e->due = sim_now_ns() + d;
	e->seq = sched_n;
	e->id = sim_schedule(d, sched_ev_fn, e);
	sched_n++;
}

static void sched_ev_fn(void *arg)
{
	struct sched_ev *e = arg;
	e->ran = true;
	sched_ran[sched_nran++] = e->seq;
	assert_int_equal(sim_now_ns(), e->due);
	sched_add();
	sched_add();
	if (sched_n % 7 == 0 && sched_n > 1 && !sched_evs[sched_n - 1].ran) {
		sim_cancel(sched_evs[sched_n - 1].id);
		sched_evs[sched_n - 1].cancelled = true;
	} else if (sched_n % 5 == 0 && sched_n > 1 && !sched_evs[sched_n - 1].ran) {
		sim_remove(sched_evs[sched_n - 1].id);
		sched_evs[sched_n - 1].cancelled = true;
	}
}

/* The events that ran, ran by due time, ties in scheduling order. */
static void assert_ran_in_order(void)
{
	for (int i = 1; i < sched_nran; i++) {
		const struct sched_ev *a = &sched_evs[sched_ran[i - 1]], *b = &sched_evs[sched_ran[i]];
		assert_true(a->due < b->due || (a->due == b->due && a->seq < b->seq));
	}
}

static void sched_record_fn(void *arg)
{
	struct sched_ev *e = arg;
	e->ran = true;
	sched_ran[sched_nran++] = e->seq;
	assert_int_equal(sim_now_ns(), e->due);
}

static void sim__events_run_by_time_then_scheduling_order(void **state)
{
	(void)state;
	assert_int_equal(sim_init(&CFG), HN_OK);
	for (int i = 0; i < 20; i++)
		sched_add();
	sim_run(0);
	assert_int_equal(sched_n, SCHED_N);
	int cancelled = 0;
	for (int i = 0; i < sched_n; i++) {
		cancelled += sched_evs[i].cancelled;
		assert_true(sched_evs[i].ran != sched_evs[i].cancelled);
	}
	assert_true(cancelled > 100);
	assert_int_equal(sched_nran, sched_n - cancelled);
	assert_ran_in_order();
	sim_destroy();
}

/* Removed events leave the queue (not run, not counted as run), in any
 * number: 2,400 of 3,000 pending events are removed, so that the queue is
 * rebuilt without them once (at the 1,501st removal, more than half the
 * queue) and the 899 removed after it are dropped as they reach the head;
 * the rest run in order. */
static void sim__removed_events_leave_the_queue(void **state)
{
	(void)state;
	assert_int_equal(sim_init(&CFG), HN_OK);
	sched_n = sched_nran = 0;
	sched_rng = 777;
	memset(sched_evs, 0, sizeof sched_evs);
	int removed = 0;
	for (int i = 0; i < SCHED_N; i++) {
		struct sched_ev *e = &sched_evs[i];
		sched_rng = sched_rng * 1103515245u + 12345u;
		e->due = 1000u * ((sched_rng >> 8) % 200000u); /* 0..200 ms: near and far */
		e->seq = i;
		e->id = sim_schedule(e->due, sched_record_fn, e);
		sched_n++;
	}
	for (int i = 0; i < SCHED_N; i++) {
		if (i % 5 != 0) {
			sim_remove(sched_evs[i].id);
			sched_evs[i].cancelled = true;
			removed++;
		}
	}
	sim_remove(sched_evs[0].id + 1000000); /* no such event: harmless */
	sim_run(0);
	assert_int_equal(sched_nran, SCHED_N - removed);
	assert_int_equal(sim_event_count(), (uint64_t)(SCHED_N - removed));
	for (int i = 0; i < SCHED_N; i++)
		assert_true(sched_evs[i].ran != sched_evs[i].cancelled);
	assert_ran_in_order();
	sim_destroy();
}

static void sim__run_stops_at_stop_time_and_on_sim_stop(void **state)
{
	(void)state;
	struct log lg = {0};
	struct tag t[2] = {{&lg, 1}, {&lg, 2}};
	assert_int_equal(sim_init(&CFG), HN_OK);
	sim_schedule(100, log_ev, &t[0]);
	sim_schedule(200, log_ev, &t[1]);
	sim_run(150);
	assert_int_equal(lg.n, 1);
	assert_int_equal(sim_now_ns(), 150);
	sim_run(0);
	assert_int_equal(lg.n, 2);
	assert_int_equal(sim_now_ns(), 200);

	lg.stop = true; /* the next event stops the run; the one after waits */
	sim_schedule(100, log_ev, &t[0]);
	sim_schedule(200, log_ev, &t[1]);
	sim_run(0);
	assert_int_equal(lg.n, 3);
	assert_int_equal(sim_now_ns(), 300);
	sim_run(0);
	assert_int_equal(lg.n, 4);
	sim_destroy();
}

/* ---- topology, routing, UDP ---------------------------------------------- */

static void sim__bad_link_config_returns_null(void **state)
{
	(void)state;
	assert_int_equal(sim_init(&CFG), HN_OK);
	sim_node *a = sim_node_create("A"), *b = sim_node_create("B");
	struct sim_link_config c;
	c = LINK; c.rate_bps = 0;
	assert_null(sim_link_create(a, b, &c, ADDR_A, ADDR_RA, 24));
	c = LINK; c.mtu_bytes = 67;
	assert_null(sim_link_create(a, b, &c, ADDR_A, ADDR_RA, 24));
	c = LINK; c.mtu_bytes = 65536;
	assert_null(sim_link_create(a, b, &c, ADDR_A, ADDR_RA, 24));
	c = LINK; c.queue_packets = 0;
	assert_null(sim_link_create(a, b, &c, ADDR_A, ADDR_RA, 24));
	c = LINK; c.loss_rate = 1.5;
	assert_null(sim_link_create(a, b, &c, ADDR_A, ADDR_RA, 24));
	c = LINK; c.loss_rate = -0.1;
	assert_null(sim_link_create(a, b, &c, ADDR_A, ADDR_RA, 24));
	assert_null(sim_link_create(a, b, &LINK, ADDR_A, ADDR_RA, 33));
	assert_null(sim_link_create(a, a, &LINK, ADDR_A, ADDR_RA, 24));
	assert_null(sim_node_create("bad/name"));
	c = LINK; c.mtu_bytes = 68; /* the bounds themselves are fine */
	sim_link *l = sim_link_create(a, b, &c, ADDR_A, ADDR_RA, 24);
	assert_non_null(l);
	assert_int_equal(sim_link_iface(l, 0), 1); /* interface 0 is loopback */
	assert_int_equal(sim_link_addr(l, 1), ADDR_RA);
	assert_int_equal(sim_link_iface(l, 2), HN_EINVAL);
	sim_destroy();
}

static void sim__udp_crosses_chain_with_bytes_sender_and_time(void **state)
{
	(void)state;
	struct chain c = chain_build(&LINK);
	struct rx r = {0};
	struct udp_send u;
	udp_setup(&c, &r, &u, 1);
	assert_string_equal(sim_node_name(c.r), "R");
	assert_int_equal(sim_node_id(c.b), 2);
	sim_run(0);
	assert_int_equal(u.rc, PAYLOAD);
	assert_int_equal(r.count, 1);
	assert_int_equal(r.last_len, PAYLOAD);
	for (int i = 0; i < PAYLOAD; i++)
		assert_int_equal(r.last[i], i);
	assert_int_equal(r.from, ADDR_A);
	uint16_t port;
	assert_int_equal(sim_sock_local(u.s, NULL, &port), HN_OK);
	assert_int_equal(r.from_port, port);
	assert_int_equal(r.at_ns, SEND_AT_NS + 2 * hop_ns(UDP_IP_LEN));
	sim_destroy();
}

static void sim__route_queries_and_vip_is_local_only(void **state)
{
	(void)state;
	struct chain c = chain_build(&LINK);
	const uint32_t vip = IP(10, 9, 9, 9);
	assert_int_equal(sim_route_mtu(c.a, ADDR_B), 1500);
	assert_int_equal(sim_route_src(c.a, ADDR_B), ADDR_A);
	assert_int_equal(sim_route_src(c.r, ADDR_B), ADDR_RB);
	/* global routing gives the stub A a default route, but not R */
	assert_int_equal(sim_route_src(c.a, IP(192, 168, 7, 7)), ADDR_A);
	assert_int_equal(sim_route_mtu(c.r, IP(192, 168, 7, 7)), 0);
	assert_int_equal(sim_node_add_local_addr(c.b, vip), HN_OK);
	assert_int_equal(sim_node_add_local_addr(c.b, vip), HN_EEXIST);
	assert_int_equal(sim_routing_populate(), HN_OK);
	assert_true(sim_node_has_addr(c.b, vip));
	assert_true(sim_node_has_addr(c.b, ADDR_B));
	assert_true(sim_node_has_addr(c.b, IP(127, 0, 0, 1)));
	assert_false(sim_node_has_addr(c.a, vip));
	assert_false(sim_node_has_addr(c.a, ADDR_B));
	assert_int_equal(sim_route_mtu(c.r, vip), 0); /* global routing ignores it */
	/* a static route: next hop must be on a connected subnet */
	assert_int_equal(sim_route_add(c.r, IP(172, 16, 0, 0), 16, IP(10, 0, 3, 1)), HN_ENOROUTE);
	assert_int_equal(sim_route_add(c.r, IP(172, 16, 0, 0), 16, ADDR_B), HN_OK);
	assert_int_equal(sim_route_src(c.r, IP(172, 16, 5, 5)), ADDR_RB);
	sim_destroy();
}

/* A has two ways to B's subnet: via R1 (2 hops, global's choice) and via
 * R2 - X (3 hops).  A static route via R2 must win. */
static void sim__static_route_wins_over_global(void **state)
{
	(void)state;
	assert_int_equal(sim_init(&CFG), HN_OK);
	sim_node *a = sim_node_create("A"), *r1 = sim_node_create("R1"),
		 *r2 = sim_node_create("R2"), *x = sim_node_create("X"), *b = sim_node_create("B");
	assert_non_null(sim_link_create(a, r1, &LINK, IP(10, 0, 1, 1), IP(10, 0, 1, 2), 24));
	assert_non_null(sim_link_create(a, r2, &LINK, IP(10, 0, 2, 1), IP(10, 0, 2, 2), 24));
	assert_non_null(sim_link_create(r1, b, &LINK, IP(10, 0, 9, 1), IP(10, 0, 9, 2), 24));
	assert_non_null(sim_link_create(r2, x, &LINK, IP(10, 0, 3, 1), IP(10, 0, 3, 2), 24));
	assert_non_null(sim_link_create(x, b, &LINK, IP(10, 0, 4, 1), IP(10, 0, 4, 2), 24));
	assert_int_equal(sim_routing_populate(), HN_OK);
	assert_int_equal(sim_route_src(a, IP(10, 0, 9, 2)), IP(10, 0, 1, 1)); /* via R1 */
	assert_int_equal(sim_route_add(a, IP(10, 0, 9, 0), 24, IP(10, 0, 2, 2)), HN_OK);
	assert_int_equal(sim_route_src(a, IP(10, 0, 9, 2)), IP(10, 0, 2, 1)); /* via R2 */

	struct hk h1 = {0}, h2 = {0};
	struct rx r = {0};
	assert_int_equal(sim_hook_register(r1, SIM_HOOK_PRE_ROUTING, hk_fn, &h1), HN_OK);
	assert_int_equal(sim_hook_register(r2, SIM_HOOK_PRE_ROUTING, hk_fn, &h2), HN_OK);
	sim_sock *sb = sim_udp_socket(b, &RX_OPS, &r);
	assert_int_equal(sim_sock_bind(sb, 0, PORT_B), HN_OK);
	struct udp_send u = {sim_udp_socket(a, NULL, NULL), IP(10, 0, 9, 2), PORT_B, 1, 0};
	sim_schedule(SEND_AT_NS, udp_send_ev, &u);
	sim_run(0);
	assert_int_equal(r.count, 1);
	assert_int_equal(h1.count, 0);
	assert_int_equal(h2.count, 1);
	assert_int_equal(r.at_ns, SEND_AT_NS + 3 * hop_ns(UDP_IP_LEN));
	sim_destroy();
}

/* Routes from C (sim_routing_from_c): the same five nodes, and a C function
 * that sends A's and B's datagrams the long way, via R2 and X (3 hops),
 * where global routing would take R1.  Only B's address is known to it;
 * each node's links in creation order. */
struct c_routes {
	sim_link *l[5];   /* A-R1, A-R2, R1-B, R2-X, X-B */
	int calls;
};

static sim_link *c_route(void *ctx, size_t node, uint32_t dst)
{
	struct c_routes *c = ctx;
	c->calls++;
	if (dst != IP(10, 0, 4, 2) && dst != IP(10, 0, 2, 1))
		return NULL;
	int to_b = dst == IP(10, 0, 4, 2);
	switch (node) {   /* A, R1, R2, X, B in creation order */
	case 0: return to_b ? c->l[1] : NULL;
	case 2: return to_b ? c->l[3] : c->l[1];
	case 3: return to_b ? c->l[4] : c->l[3];
	case 4: return to_b ? NULL : c->l[4];
	default: return NULL;
	}
}

static void sim__routes_from_c(void **state)
{
	(void)state;
	struct c_routes c = {0};
	assert_int_equal(sim_routing_from_c(c_route, &c), HN_ESTATE);   /* before sim_init */
	assert_int_equal(sim_init(&CFG), HN_OK);
	assert_int_equal(sim_routing_from_c(NULL, &c), HN_EINVAL);
	assert_int_equal(sim_routing_from_c(c_route, &c), HN_OK);
	sim_node *a = sim_node_create("A"), *r1 = sim_node_create("R1"),
		 *r2 = sim_node_create("R2"), *x = sim_node_create("X"), *b = sim_node_create("B");
	assert_int_equal(sim_routing_from_c(c_route, &c), HN_ESTATE);    /* nodes exist */
	assert_non_null(c.l[0] = sim_link_create(a, r1, &LINK, IP(10, 0, 1, 1), IP(10, 0, 1, 2), 24));
	assert_non_null(c.l[1] = sim_link_create(a, r2, &LINK, IP(10, 0, 2, 1), IP(10, 0, 2, 2), 24));
	assert_non_null(c.l[2] = sim_link_create(r1, b, &LINK, IP(10, 0, 9, 1), IP(10, 0, 9, 2), 24));
	assert_non_null(c.l[3] = sim_link_create(r2, x, &LINK, IP(10, 0, 3, 1), IP(10, 0, 3, 2), 24));
	assert_non_null(c.l[4] = sim_link_create(x, b, &LINK, IP(10, 0, 4, 1), IP(10, 0, 4, 2), 24));
	assert_int_equal(sim_routing_populate(), HN_OK);   /* no global routing to compute */
	assert_int_equal(sim_route_src(a, IP(10, 0, 4, 2)), IP(10, 0, 2, 1));
	assert_int_equal(sim_route_src(x, IP(10, 0, 2, 1)), IP(10, 0, 3, 2));
	assert_int_equal(sim_route_mtu(a, IP(10, 0, 4, 2)), 1500);
	/* unknown to C: no route; a connected subnet: static routing's */
	assert_int_equal(sim_route_mtu(a, IP(10, 0, 9, 2)), 0);
	assert_int_equal(sim_route_src(a, IP(10, 0, 1, 2)), IP(10, 0, 1, 1));
	/* a link that does not touch the node is no route */
	assert_int_equal(sim_route_mtu(r1, IP(10, 0, 4, 2)), 0);

	struct hk h1 = {0}, h2 = {0};
	struct rx r = {0};
	assert_int_equal(sim_hook_register(r1, SIM_HOOK_PRE_ROUTING, hk_fn, &h1), HN_OK);
	assert_int_equal(sim_hook_register(r2, SIM_HOOK_PRE_ROUTING, hk_fn, &h2), HN_OK);
	sim_sock *sb = sim_udp_socket(b, &RX_OPS, &r);
	assert_int_equal(sim_sock_bind(sb, 0, PORT_B), HN_OK);
	struct udp_send u = {sim_udp_socket(a, NULL, NULL), IP(10, 0, 4, 2), PORT_B, 1, 0};
	sim_schedule(SEND_AT_NS, udp_send_ev, &u);
	int before = c.calls;
	sim_run(0);
	assert_int_equal(r.count, 1);
	assert_int_equal(h1.count, 0);
	assert_int_equal(h2.count, 1);
	assert_int_equal(r.at_ns, SEND_AT_NS + 3 * hop_ns(UDP_IP_LEN));
	assert_true(c.calls >= before + 2);   /* forwarded at R2 and X by asking C */
	sim_destroy();
	/* the next simulator routes globally again */
	assert_int_equal(sim_init(&CFG), HN_OK);
	sim_node *p = sim_node_create("P"), *q = sim_node_create("Q"), *s2 = sim_node_create("S");
	assert_non_null(sim_link_create(p, q, &LINK, IP(10, 0, 1, 1), IP(10, 0, 1, 2), 24));
	assert_non_null(sim_link_create(q, s2, &LINK, IP(10, 0, 2, 1), IP(10, 0, 2, 2), 24));
	assert_int_equal(sim_routing_populate(), HN_OK);
	assert_int_equal(sim_route_src(p, IP(10, 0, 2, 2)), IP(10, 0, 1, 1));
	sim_destroy();
}

/* ---- TCP ----------------------------------------------------------------- */

enum { TCP_BYTES = 100000, TCP_PORT = 80 };

struct tcp {
	sim_sock *cli;          /* A's socket */
	sim_sock *conn;         /* B's accepted socket */
	size_t sent;
	uint8_t got[TCP_BYTES];
	size_t got_len;
	bool overflow;
	int connected;          /* on_connect(ok) calls */
	int accepted;
	uint32_t peer;
	uint32_t conn_addr;     /* the accepted socket's local address and port */
	uint16_t conn_port;
	int closed;             /* on_close at B, without error */
	int bad_callbacks;      /* callbacks on a socket we did not expect */
};

static uint8_t pattern(size_t i) { return (uint8_t)(i * 7 + (i >> 9)); }

static void tcp_pump(struct tcp *t)
{
	uint8_t chunk[4000];
	while (t->sent < TCP_BYTES) {
		size_t n = TCP_BYTES - t->sent < sizeof chunk ? TCP_BYTES - t->sent : sizeof chunk;
		for (size_t i = 0; i < n; i++)
			chunk[i] = pattern(t->sent + i);
		int k = sim_sock_send(t->cli, chunk, n);
		if (k <= 0)
			return;
		t->sent += (size_t)k;
	}
	sim_sock_close(t->cli);
}

static void cli_connect(void *ctx, sim_sock *s, bool ok)
{
	struct tcp *t = ctx;
	if (s != t->cli || !ok) {
		t->bad_callbacks++;
		return;
	}
	t->connected++;
	tcp_pump(t);
}

static void cli_space(void *ctx, sim_sock *s, size_t avail)
{
	struct tcp *t = ctx;
	(void)avail;
	if (s == t->cli && t->sent < TCP_BYTES)
		tcp_pump(t);
}

static void cli_close(void *ctx, sim_sock *s, bool error)
{
	struct tcp *t = ctx; /* A closed first: no callback may come after that */
	(void)s;
	(void)error;
	t->bad_callbacks++;
}

static void srv_accept(void *ctx, sim_sock *l, sim_sock *s, uint32_t peer, uint16_t port)
{
	struct tcp *t = ctx;
	(void)l;
	(void)port;
	t->accepted++;
	t->conn = s;
	t->peer = peer;
	if (sim_sock_local(s, &t->conn_addr, &t->conn_port) != HN_OK)
		t->bad_callbacks++;
}

static void srv_recv(void *ctx, sim_sock *s, const uint8_t *d, size_t len, uint32_t from,
		     uint16_t port)
{
	struct tcp *t = ctx;
	(void)from;
	(void)port;
	if (s != t->conn || t->got_len + len > TCP_BYTES) {
		t->overflow = true;
		return;
	}
	memcpy(t->got + t->got_len, d, len);
	t->got_len += len;
}

static void srv_close(void *ctx, sim_sock *s, bool error)
{
	struct tcp *t = ctx;
	if (s != t->conn || error) {
		t->bad_callbacks++;
		return;
	}
	t->closed++;
	sim_sock_close(s);
}

static const struct sim_sock_ops CLI_OPS = {
	.on_connect = cli_connect, .on_send_space = cli_space, .on_close = cli_close};
static const struct sim_sock_ops SRV_OPS = {
	.on_accept = srv_accept, .on_recv = srv_recv, .on_close = srv_close};

/* Starts a TCP_BYTES transfer A -> B:TCP_PORT. */
static void tcp_setup(struct chain *c, struct tcp *t)
{
	sim_sock *l = sim_tcp_socket(c->b, &SRV_OPS, t);
	assert_non_null(l);
	assert_int_equal(sim_sock_bind(l, 0, TCP_PORT), HN_OK);
	assert_int_equal(sim_sock_listen(l), HN_OK);
	t->cli = sim_tcp_socket(c->a, &CLI_OPS, t);
	assert_non_null(t->cli);
	assert_int_equal(sim_sock_connect(t->cli, ADDR_B, TCP_PORT), HN_OK);
	assert_ptr_equal(sim_sock_node(t->cli), c->a);
}

static void sim__tcp_transfers_100k_byte_exact(void **state)
{
	(void)state;
	struct chain c = chain_build(&LINK);
	struct tcp *t = calloc(1, sizeof *t);
	assert_non_null(t);
	tcp_setup(&c, t);
	sim_run(0);
	assert_int_equal(t->connected, 1);
	assert_int_equal(t->accepted, 1);
	assert_int_equal(t->peer, ADDR_A);
	assert_int_equal(t->sent, TCP_BYTES);
	assert_false(t->overflow);
	assert_int_equal(t->got_len, TCP_BYTES);
	for (size_t i = 0; i < TCP_BYTES; i++)
		if (t->got[i] != pattern(i))
			fail_msg("byte %zu differs", i);
	assert_int_equal(t->closed, 1);
	assert_int_equal(t->bad_callbacks, 0);
	assert_int_equal(t->conn_addr, ADDR_B);
	assert_int_equal(t->conn_port, TCP_PORT);
	assert_int_equal(sim_sock_send(t->cli, (const uint8_t *)"x", 1), HN_ESTATE); /* closed */
	assert_int_equal(sim_sock_sendto(t->conn, (const uint8_t *)"x", 1, ADDR_A, 1), HN_ESTATE);
	sim_destroy();
	free(t);
}

static void refused_connect(void *ctx, sim_sock *s, bool ok)
{
	int *result = ctx;
	(void)s;
	*result = ok ? 1 : -1;
}

static void sim__tcp_connect_to_closed_port_fails(void **state)
{
	(void)state;
	struct chain c = chain_build(&LINK);
	int result = 0;
	const struct sim_sock_ops ops = {.on_connect = refused_connect};
	sim_sock *s = sim_tcp_socket(c.a, &ops, &result);
	assert_int_equal(sim_sock_connect(s, ADDR_B, 81), HN_OK);
	assert_int_equal(sim_sock_sendto(s, (const uint8_t *)"x", 1, ADDR_B, 81), HN_EPROTO);
	sim_run(0);
	assert_int_equal(result, -1); /* B answered the SYN with a RST */
	sim_destroy();
}

/* ---- released sockets: a finished connection leaves no handle behind ---- */

enum { REL_CONNS = 40, REL_BYTES = 3000 };

struct rel {
	sim_node *a;
	int want;                 /* connections to make; 0: REL_CONNS */
	uint64_t gap_ns;          /* between them; 0: 100 ms */
	int started, connected, accepted, server_closed;
	size_t got;
	uint64_t live_at_end, freed_at_end;
	int bad;
};

static void rel_start(void *arg);

static void rel_cli_connect(void *ctx, sim_sock *s, bool ok)
{
	struct rel *r = ctx;
	uint8_t buf[REL_BYTES];
	memset(buf, 'r', sizeof buf);
	if (!ok || sim_sock_send(s, buf, sizeof buf) != REL_BYTES) {
		r->bad++;
		return;
	}
	r->connected++;
	/* all queued: given back at once, ns-3 still sends it and the FIN */
	if (sim_sock_release(s) != HN_OK || sim_sock_release(s) != HN_ESTATE)
		r->bad++;
}

static void rel_srv_accept(void *ctx, sim_sock *l, sim_sock *s, uint32_t peer, uint16_t port)
{
	struct rel *r = ctx;
	(void)l;
	(void)s;
	(void)peer;
	(void)port;
	r->accepted++;
}

static void rel_srv_recv(void *ctx, sim_sock *s, const uint8_t *d, size_t len, uint32_t from,
			 uint16_t port)
{
	struct rel *r = ctx;
	(void)s;
	(void)d;
	(void)from;
	(void)port;
	r->got += len;
}

/* The client's FIN: the server gives its side back too. */
static void rel_srv_close(void *ctx, sim_sock *s, bool error)
{
	struct rel *r = ctx;
	if (error || sim_sock_release(s) != HN_OK)
		r->bad++;
	r->server_closed++;
}

static const struct sim_sock_ops REL_CLI = {.on_connect = rel_cli_connect};
static const struct sim_sock_ops REL_SRV = {
	.on_accept = rel_srv_accept, .on_recv = rel_srv_recv, .on_close = rel_srv_close};

static void rel_start(void *arg)
{
	struct rel *r = arg;
	sim_sock *s = sim_tcp_socket(r->a, &REL_CLI, r);
	if (!s || sim_sock_connect(s, ADDR_B, TCP_PORT) != HN_OK)
		r->bad++;
	if (++r->started < (r->want ? r->want : REL_CONNS))   /* one every 100 ms */
		sim_schedule(r->gap_ns ? r->gap_ns : 100000000ull, rel_start, r);
}

/* A sim_schedule event runs FreeReleased first: what it counts is after. */
static void rel_count(void *arg)
{
	struct rel *r = arg;
	sim_sock_stats(&r->live_at_end, &r->freed_at_end);
}

static void sim__released_sockets_are_freed(void **state)
{
	(void)state;
	struct chain c = chain_build(&LINK);
	struct rel r = {.a = c.a};
	sim_sock *l = sim_tcp_socket(c.b, &REL_SRV, &r);
	assert_int_equal(sim_sock_bind(l, 0, TCP_PORT), HN_OK);
	assert_int_equal(sim_sock_listen(l), HN_OK);
	sim_sock *kept = sim_tcp_socket(c.a, NULL, NULL);   /* closed, not released */
	assert_int_equal(sim_sock_close(kept), HN_OK);
	uint64_t live, freed;
	sim_sock_stats(&live, &freed);
	assert_int_equal(live, 2);
	assert_int_equal(freed, 0);
	sim_schedule(0, rel_start, &r);
	sim_schedule(60000000000ull, rel_count, &r);   /* long after the last FIN */
	sim_run(0);
	assert_int_equal(r.bad, 0);
	assert_int_equal(r.connected, REL_CONNS);
	assert_int_equal(r.accepted, REL_CONNS);
	assert_int_equal(r.server_closed, REL_CONNS);
	assert_int_equal(r.got, (size_t)REL_CONNS * REL_BYTES);   /* sent after the release */
	/* every connection's two handles freed; the listener and the closed,
	 * unreleased socket are kept */
	assert_int_equal(r.freed_at_end, 2 * REL_CONNS);
	assert_int_equal(r.live_at_end, 2);
	assert_int_equal(sim_sock_release(NULL), HN_ESTATE);
	/* a released listener stays (a closed listener still closes what it
	 * accepts): given back, never freed */
	assert_int_equal(sim_sock_release(l), HN_OK);
	sim_schedule(0, rel_count, &r);
	sim_run(0);
	assert_int_equal(r.live_at_end, 2);
	sim_destroy();
}

/* ---- TIME_WAIT in a compact record ----------------------------------------
 * The released client sockets of the test above end in TIME_WAIT (they close
 * first).  Run the same connections with compact records and with ns-3's
 * whole sockets; into each, at 60 s inject from B to one connection (a)
 * a retransmission of the server's last data byte, (b) a bare ACK, and
 * (c) at 300 s, after 2 MSL, the data byte again.  Everything A sends from
 * 59 s on is recorded: both runs must send the same bytes. */

struct tw_run {
	struct rel r;
	sim_node *b;
	uint16_t port;            /* the first connection's local port at A */
	uint32_t fin_b;           /* B's sequence number of its FIN */
	int out;                  /* datagrams A sent after 59 s */
	uint8_t dg[8][64];
	size_t len[8];
	uint64_t live_60, live_300;
	size_t socks_a_60, socks_b_60;   /* ns-3 TCP sockets at A and B at 60 s */
};

static int64_t tw_out(void *ctx, sim_node *n, enum sim_hook_point at, int iface,
		      const uint8_t *dg, size_t len)
{
	struct tw_run *t = ctx;
	(void)n;
	(void)at;
	(void)iface;
	if (sim_now_ns() < 59000000000ull || dg[9] != 6)
		return SIM_ACCEPT;
	if (t->out < 8 && len <= sizeof t->dg[0]) {
		memcpy(t->dg[t->out], dg, len);
		t->len[t->out] = len;
	}
	t->out++;
	return SIM_ACCEPT;
}

/* B's segments seen at A before 59 s: the FIN of the first connection. */
static int64_t tw_in(void *ctx, sim_node *n, enum sim_hook_point at, int iface,
		     const uint8_t *dg, size_t len)
{
	struct tw_run *t = ctx;
	(void)n;
	(void)at;
	(void)iface;
	if (len >= 40 && dg[9] == 6 && get16(dg + 22) == t->port && (dg[33] & 0x01))
		t->fin_b = get32(dg + 24);
	return SIM_ACCEPT;
}

static void tw_inject(struct tw_run *t, uint32_t seq, uint8_t flags, bool data)
{
	uint8_t dg[41];
	size_t len = data ? 41 : 40;
	build_ip(dg, len, ADDR_B, ADDR_A, 6, 64, 77);
	uint8_t *h = dg + 20;
	memset(h, 0, 20);
	put16(h, TCP_PORT);
	put16(h + 2, t->port);
	put32(h + 4, seq);
	put32(h + 8, 1 + REL_BYTES + 1);   /* A's data and FIN acknowledged */
	h[12] = 5 << 4;
	h[13] = flags;
	put16(h + 14, 8000);
	if (data)
		dg[40] = 'x';
	put16(h + 16, tu_transport_sum(dg, 16));
	assert_int_equal(sim_ip_input(t->r.a, dg, len), HN_OK);
}

static void tw_at_60(void *arg)
{
	struct tw_run *t = arg;
	t->live_60 = sim_tcp_timewait_live();
	t->socks_a_60 = sim_node_tcp_sockets(t->r.a);
	t->socks_b_60 = sim_node_tcp_sockets(t->b);
	tw_inject(t, t->fin_b - 1, 0x18, true);   /* PSH|ACK, one old byte */
	tw_inject(t, t->fin_b + 1, 0x10, false);  /* a bare ACK: nothing back */
}

static void tw_at_300(void *arg)
{
	struct tw_run *t = arg;
	t->live_300 = sim_tcp_timewait_live();
	tw_inject(t, t->fin_b - 1, 0x18, true);   /* no endpoint now: ns-3 resets */
}

static void tw_first(void *ctx, sim_sock *s, bool ok)
{
	struct tw_run *t = ctx;
	uint32_t addr;
	if (ok && !t->port)
		sim_sock_local(s, &addr, &t->port);
	rel_cli_connect(&t->r, s, ok);
}

/* compact: records on; stamps: RFC 1323 timestamps on (ns-3's default). */
static void tw_run_one(struct tw_run *t, bool compact, bool stamps)
{
	memset(t, 0, sizeof *t);
	struct chain c = chain_build(&LINK);
	sim_tcp_timewait_compact(compact);
	assert_int_equal(sim_set_default("ns3::TcpSocketBase::Timestamp", stamps ? "true" : "false"),
			 HN_OK);
	t->r.a = c.a;
	t->b = c.b;
	sim_sock *l = sim_tcp_socket(c.b, &REL_SRV, &t->r);
	assert_int_equal(sim_sock_bind(l, 0, TCP_PORT), HN_OK);
	assert_int_equal(sim_sock_listen(l), HN_OK);
	assert_int_equal(sim_hook_register(c.a, SIM_HOOK_LOCAL_OUT, tw_out, t), HN_OK);
	assert_int_equal(sim_hook_register(c.a, SIM_HOOK_LOCAL_IN, tw_in, t), HN_OK);
	const struct sim_sock_ops first = {.on_connect = tw_first};
	sim_sock *s = sim_tcp_socket(c.a, &first, t);
	assert_int_equal(sim_sock_connect(s, ADDR_B, TCP_PORT), HN_OK);
	t->r.started = 1;
	sim_schedule(100000000ull, rel_start, &t->r);
	/* C events at 10 and 20 s: the first frees the last released handles
	 * and watches their sockets (already in TIME_WAIT), the second moves them */
	sim_schedule(10000000000ull, rel_count, &t->r);
	sim_schedule(20000000000ull, rel_count, &t->r);
	sim_schedule(60000000000ull, tw_at_60, t);
	sim_schedule(300000000000ull, tw_at_300, t);
	sim_run(0);
	assert_int_equal(t->r.bad, 0);
	assert_int_equal(t->r.connected, REL_CONNS);
	assert_int_equal(t->r.server_closed, REL_CONNS);
	assert_int_not_equal(t->port, 0);
	assert_int_not_equal(t->fin_b, 0);
	const struct sim_stack_stats *st = sim_node_stack_stats(c.a);
	if (compact) {
		assert_int_equal(st->tw_compact, REL_CONNS);
		assert_int_equal(st->tw_whole, 0);
		assert_int_equal(st->tw_acks, 1);
		assert_int_equal(t->live_60, REL_CONNS);
		assert_int_equal(t->socks_a_60, 0);        /* all moved and freed */
	} else {
		assert_int_equal(st->tw_compact, 0);
		assert_int_equal(st->tw_whole, REL_CONNS);
		assert_int_equal(st->tw_acks, 0);
		assert_int_equal(t->live_60, 0);
		assert_int_equal(t->socks_a_60, REL_CONNS); /* all in TIME_WAIT */
	}
	assert_int_equal(t->socks_b_60, 1);   /* the listener; the others closed */
	assert_int_equal(st->tw_zero_window, 0);
	assert_int_equal(t->live_300, 0);   /* every TIME_WAIT over by 245 s */
	sim_destroy();
}

static void sim__timewait_compact_answers_as_ns3_socket(void **state)
{
	(void)state;
	static struct tw_run whole, compact, whole_ts, compact_ts;
	tw_run_one(&whole, false, false);
	tw_run_one(&compact, true, false);
	tw_run_one(&whole_ts, false, true);
	tw_run_one(&compact_ts, true, true);
	/* with timestamps: the ACK carries one (echoing B's FIN's), the bare
	 * ACK without one is dropped, the RST as before */
	assert_int_equal(whole_ts.out, 2);
	assert_int_equal(compact_ts.out, 2);
	for (int i = 0; i < whole_ts.out; i++) {
		assert_int_equal(compact_ts.len[i], whole_ts.len[i]);
		assert_memory_equal(compact_ts.dg[i], whole_ts.dg[i], whole_ts.len[i]);
	}
	assert_int_equal(whole_ts.len[0], 20 + 32);   /* TCP header with the TS option */
	/* (a) answered with an ACK, (b) not answered, (c) answered with a RST */
	assert_int_equal(whole.out, 2);
	assert_int_equal(compact.out, whole.out);
	assert_int_equal(compact.port, whole.port);
	for (int i = 0; i < whole.out; i++) {
		assert_int_equal(compact.len[i], whole.len[i]);
		assert_memory_equal(compact.dg[i], whole.dg[i], whole.len[i]);
	}
	const uint8_t *ack = whole.dg[0], *rst = whole.dg[1];
	assert_int_equal(ack[33], 0x10);                      /* ACK */
	assert_int_equal(get32(ack + 28), whole.fin_b + 1);   /* past B's FIN */
	assert_int_equal(get32(ack + 24), 1 + REL_BYTES + 1); /* past A's FIN */
	assert_int_equal(rst[33] & 0x04, 0x04);               /* RST */
}

/* 600 connections, a new one every 5 ms, both ends released: the server's
 * sockets leave TcpL4Protocol's list as they close (sim_socklist.cc leaves
 * nulls and squeezes them out, in order, once they are half the list), the
 * client's as their TIME_WAIT moves into records.  At the end only B's
 * listener is left, and every record goes 240 s later. */
static void sim__tcp_socket_list_shrinks_as_connections_end(void **state)
{
	(void)state;
	enum { N = 600 };
	struct chain c = chain_build(&LINK);
	assert_int_equal(sim_set_default("ns3::TcpSocketBase::Timestamp", "false"), HN_OK);
	struct rel r = {.a = c.a, .want = N, .gap_ns = 5000000ull};
	sim_sock *l = sim_tcp_socket(c.b, &REL_SRV, &r);
	assert_int_equal(sim_sock_bind(l, 0, TCP_PORT), HN_OK);
	assert_int_equal(sim_sock_listen(l), HN_OK);
	assert_int_equal(sim_node_tcp_sockets(c.b), 1);
	sim_schedule(0, rel_start, &r);
	sim_schedule(30000000000ull, rel_count, &r);
	sim_schedule(31000000000ull, rel_count, &r);   /* moves the last TIME_WAITs */
	sim_run(32000000000ull);
	assert_int_equal(r.bad, 0);
	assert_int_equal(r.connected, N);
	assert_int_equal(r.server_closed, N);
	assert_int_equal(r.got, (size_t)N * REL_BYTES);
	assert_int_equal(sim_node_tcp_sockets(c.b), 1);
	assert_int_equal(sim_node_tcp_sockets(c.a), 0);
	assert_int_equal(sim_tcp_timewait_live(), N);
	assert_int_equal(sim_node_stack_stats(c.a)->tw_compact, N);
	sim_run(300000000000ull);
	assert_int_equal(sim_tcp_timewait_live(), 0);
	sim_destroy();
}

/* ---- path MTU discovery: what ICMP the TCP of a DF socket believes ------ */

/* A's LOCAL_OUT: its data segments; at the 3rd an ICMP fragmentation needed
 * from R quoting it with a sequence number far outside the window, at the
 * 5th one quoting it exactly with next-hop MTU 300 (below Linux's 552). */
struct icmp_inj {
	sim_node *a;
	sim_sock *cli;            /* A's socket */
	int data;                 /* data segments seen */
	int df_after;             /* ... with DF, once the MSS is 512 */
	size_t max_after;         /* most data bytes in a segment then */
	int injected;
	struct icmp_one {
		sim_node *a;
		uint8_t q[28];    /* the segment to quote: IP header + 8 bytes */
		uint32_t seq_off; /* added to the quoted sequence number */
		uint16_t mtu;
	} one[2];
};

static void icmp_inject_ev(void *arg)
{
	struct icmp_one *j = arg;
	uint8_t dg[20 + 8 + 28];
	build_ip(dg, sizeof dg, ADDR_RA, ADDR_A, 1, 64, 99);
	uint8_t *m = dg + 20;
	memset(m, 0, 8);
	m[0] = 3;
	m[1] = 4;
	put16(m + 6, j->mtu);
	memcpy(m + 8, j->q, 28);
	put32(m + 8 + 24, get32(j->q + 24) + j->seq_off);
	put16(m + 2, fold(sum16(m, 8 + 28, 0)));
	assert_int_equal(sim_ip_input(j->a, dg, sizeof dg), HN_OK);
}

static int64_t icmp_inj_fn(void *ctx, sim_node *n, enum sim_hook_point at, int iface,
			   const uint8_t *dg, size_t len)
{
	struct icmp_inj *j = ctx;
	(void)n;
	(void)at;
	(void)iface;
	if (dg[9] != 6 || len <= 20 + (size_t)(dg[32] >> 4) * 4)
		return SIM_ACCEPT;   /* not a data segment */
	j->data++;
	if (sim_sock_mss(j->cli) == 512) {
		j->df_after += (dg[6] & 0x40) != 0;
		size_t d = len - 20 - (size_t)(dg[32] >> 4) * 4;
		j->max_after = d > j->max_after ? d : j->max_after;
	}
	if (j->data == 3 || j->data == 5) {
		struct icmp_one *o = &j->one[j->injected++];
		o->a = j->a;
		memcpy(o->q, dg, 28);
		o->seq_off = j->data == 3 ? 10000000u : 0;
		o->mtu = j->data == 3 ? 560 : 300;   /* 560 would lower 536 to 520 */
		sim_schedule(0, icmp_inject_ev, o);
	}
	return SIM_ACCEPT;
}

static void sim__tcp_icmp_quote_checked_and_mtu_floored_at_552(void **state)
{
	(void)state;
	struct chain c = chain_build(&LINK);
	struct tcp *t = calloc(1, sizeof *t);
	struct icmp_inj j = {.a = c.a};
	assert_non_null(t);
	tcp_setup(&c, t);
	assert_int_equal(sim_sock_set_df(t->cli, true), HN_OK);
	/* black-hole detection: TCP only, a known mode, base_mss >= 48 */
	assert_int_equal(sim_sock_set_mtu_probing(sim_udp_socket(c.a, NULL, NULL),
						  SIM_MTU_PROBING_BLACKHOLE, 1024), HN_EINVAL);
	assert_int_equal(sim_sock_set_mtu_probing(t->cli, SIM_MTU_PROBING_PROBE + 1, 1024), HN_EINVAL);
	assert_int_equal(sim_sock_set_mtu_probing(t->cli, SIM_MTU_PROBING_BLACKHOLE, 47), HN_EINVAL);
	assert_int_equal(sim_sock_set_mtu_probing(t->cli, SIM_MTU_PROBING_OFF, 1024), HN_OK);
	j.cli = t->cli;
	assert_int_equal(sim_sock_mss(t->cli), 536);   /* ns-3's default segment size */
	assert_int_equal(sim_hook_register(c.a, SIM_HOOK_LOCAL_OUT, icmp_inj_fn, &j), HN_OK);
	sim_run(0);
	const struct sim_stack_stats *st = sim_node_stack_stats(c.a);
	assert_int_equal(j.injected, 2);
	/* The first ICMP quotes a sequence number outside [snd_una, snd_max]:
	 * counted and ignored (Linux tcp_v4_err). */
	assert_int_equal(st->drops[SIM_STACK_DROP_ICMP_OUT_OF_WINDOW], 1);
	/* The second's MTU 300 is taken as 552 (Linux ip_rt_min_pmtu): MSS
	 * 512, and DF off for the socket from then on (a locked route MTU). */
	assert_int_equal(st->pmtu_floored, 1);
	assert_int_equal(st->pmtu_lowered, 1);
	assert_int_equal(sim_sock_pmtu_lowered(t->cli), 1);
	assert_int_equal(sim_sock_mss(t->cli), 512);
	assert_int_equal(j.df_after, 0);
	assert_int_equal(j.max_after, 512);
	assert_int_equal(st->icmp_not_lower, 0);
	assert_int_equal(st->drops[SIM_STACK_DROP_ICMP_NO_QUOTE], 0);
	assert_int_equal(st->drops[SIM_STACK_DROP_DF_TOO_BIG], 0);
	/* and the transfer completes byte-exact */
	assert_int_equal(t->got_len, TCP_BYTES);
	for (size_t i = 0; i < TCP_BYTES; i++)
		if (t->got[i] != pattern(i))
			fail_msg("byte %zu differs", i);
	sim_destroy();
	free(t);
}

/* ---- hooks --------------------------------------------------------------- */

static void sim__pre_routing_sees_every_datagram_with_valid_header(void **state)
{
	(void)state;
	struct chain c = chain_build(&LINK);
	struct rx r = {0};
	struct udp_send u;
	struct hk h = {0};
	udp_setup(&c, &r, &u, 3);
	assert_int_equal(sim_hook_register(c.r, SIM_HOOK_PRE_ROUTING, hk_fn, &h), HN_OK);
	assert_int_equal(sim_hook_register(c.r, SIM_HOOK_NPOINTS, hk_fn, &h), HN_EINVAL);
	sim_run(0);
	assert_int_equal(r.count, 3);
	assert_int_equal(h.count, 3);
	assert_int_equal(h.cksum_bad, 0);
	assert_int_equal(h.iface, sim_link_iface(c.ar, 1));
	assert_int_equal(h.len, UDP_IP_LEN);
	assert_int_equal(h.hdr[8], 64);           /* TTL not yet decremented */
	assert_int_equal(h.hdr[9], 17);
	assert_int_equal(get32(h.hdr + 12), ADDR_A);
	assert_int_equal(get32(h.hdr + 16), ADDR_B);
	assert_int_equal(get16(h.hdr + 4), 2);    /* ns-3's third id for this flow */
	assert_int_equal(get16(h.hdr + 6), 0);    /* no DF, no MF, offset 0 */
	assert_int_equal(h.at_ns, SEND_AT_NS + hop_ns(UDP_IP_LEN) + 2 * (UDP_IP_LEN + 2) * 800);
	sim_destroy();
}

/* Records flags+offset and length of each datagram it sees. */
struct frags {
	int n;
	uint16_t id[8];
	uint16_t flags_off[8];
	size_t len[8];
};

static int64_t frag_fn(void *ctx, sim_node *n, enum sim_hook_point at, int iface,
		       const uint8_t *dg, size_t len)
{
	struct frags *f = ctx;
	(void)n;
	(void)at;
	(void)iface;
	if (f->n < 8 && header_cksum_ok(dg)) {
		f->id[f->n] = get16(dg + 4);
		f->flags_off[f->n] = get16(dg + 6);
		f->len[f->n++] = len;
	}
	return SIM_ACCEPT;
}

struct big_send {
	sim_sock *s;
	int rc;
};

static void big_send_ev(void *arg)
{
	struct big_send *b = arg;
	static uint8_t buf[3000];
	b->rc = sim_sock_sendto(b->s, buf, sizeof buf, ADDR_B, PORT_B);
}

/* A 3000-byte UDP payload leaves A as three fragments (ns-3 fragments
 * sockets' datagrams): R sees each one with its MF bit and offset, and B's
 * LOCAL_IN sees them before reassembly. */
static void sim__hooks_see_fragments_one_by_one(void **state)
{
	(void)state;
	struct chain c = chain_build(&LINK);
	struct rx r = {0};
	struct frags pre_r = {0}, in_b = {0};
	sim_sock *sb = sim_udp_socket(c.b, &RX_OPS, &r);
	assert_int_equal(sim_sock_bind(sb, 0, PORT_B), HN_OK);
	struct big_send bs = {sim_udp_socket(c.a, NULL, NULL), 0};
	sim_schedule(SEND_AT_NS, big_send_ev, &bs);
	sim_hook_register(c.r, SIM_HOOK_PRE_ROUTING, frag_fn, &pre_r);
	sim_hook_register(c.b, SIM_HOOK_LOCAL_IN, frag_fn, &in_b);
	sim_run(0);
	assert_int_equal(bs.rc, 3000);
	assert_int_equal(pre_r.n, 3);
	assert_int_equal(pre_r.flags_off[0], 0x2000 | 0);       /* MF, offset 0 */
	assert_int_equal(pre_r.flags_off[1], 0x2000 | 185);     /* 1480 / 8 */
	assert_int_equal(pre_r.flags_off[2], 370);              /* last: no MF */
	assert_int_equal(pre_r.len[0], 1500);
	assert_int_equal(pre_r.len[1], 1500);
	assert_int_equal(pre_r.len[2], 20 + 3008 - 2960);
	assert_int_equal(pre_r.id[1], pre_r.id[0]);
	assert_int_equal(pre_r.id[2], pre_r.id[0]);
	assert_int_equal(in_b.n, 3);
	assert_int_equal(in_b.flags_off[2], 370);
	assert_int_equal(r.count, 1);
	assert_int_equal(r.total, 3000);
	sim_destroy();
}

static void sim__forward_drop_stops_delivery_local_in_sees_rest(void **state)
{
	(void)state;
	struct chain c = chain_build(&LINK);
	struct rx r = {0};
	struct udp_send u;
	struct hk fwd = {.verdict = SIM_DROP}, in_r = {0}, in_b = {0};
	udp_setup(&c, &r, &u, 2);
	sim_hook_register(c.r, SIM_HOOK_FORWARD, hk_fn, &fwd);
	sim_hook_register(c.r, SIM_HOOK_LOCAL_IN, hk_fn, &in_r);
	sim_hook_register(c.b, SIM_HOOK_LOCAL_IN, hk_fn, &in_b);
	sim_run(0);
	assert_int_equal(fwd.count, 2);
	assert_int_equal(fwd.hdr[8], 64);          /* before the TTL decrement */
	assert_int_equal(fwd.iface, sim_link_iface(c.ar, 1));
	assert_int_equal(in_r.count, 0);           /* not addressed to R */
	assert_int_equal(in_b.count, 0);
	assert_int_equal(r.count, 0);
	sim_destroy();
}

static void sim__local_in_sees_delivery_after_ttl_decrement(void **state)
{
	(void)state;
	struct chain c = chain_build(&LINK);
	struct rx r = {0};
	struct udp_send u;
	struct hk in_b = {0};
	udp_setup(&c, &r, &u, 1);
	sim_hook_register(c.b, SIM_HOOK_LOCAL_IN, hk_fn, &in_b);
	sim_run(0);
	assert_int_equal(in_b.count, 1);
	assert_int_equal(in_b.hdr[8], 63);
	assert_int_equal(in_b.cksum_bad, 0);
	assert_int_equal(in_b.iface, sim_link_iface(c.rb, 1));
	assert_int_equal(r.count, 1);
	sim_destroy();
}

/* Two hooks at R: the first delays, the second must run after the delay. */
static void sim__delay_verdict_shifts_arrival_exactly(void **state)
{
	(void)state;
	const int64_t delay = 5000;
	struct chain c = chain_build(&LINK);
	struct rx r = {0};
	struct udp_send u;
	struct hk h1 = {.verdict = delay}, h2 = {0};
	udp_setup(&c, &r, &u, 1);
	sim_hook_register(c.r, SIM_HOOK_PRE_ROUTING, hk_fn, &h1);
	sim_hook_register(c.r, SIM_HOOK_PRE_ROUTING, hk_fn, &h2);
	sim_run(0);
	assert_int_equal(h1.count, 1);
	assert_int_equal(h2.count, 1);
	assert_int_equal(h2.at_ns, h1.at_ns + (uint64_t)delay);
	assert_int_equal(r.count, 1);
	assert_int_equal(r.at_ns, SEND_AT_NS + 2 * hop_ns(UDP_IP_LEN) + (uint64_t)delay);
	sim_destroy();
}

/* R's FORWARD hook steals each datagram and sends its own copy with the TTL
 * decremented and TOS set: B must get exactly that copy, once. */
struct thief {
	sim_node *r;
	int rc;
	int count;
};

static int64_t steal_fn(void *ctx, sim_node *n, enum sim_hook_point at, int iface,
			const uint8_t *dg, size_t len)
{
	struct thief *t = ctx;
	uint8_t copy[2048];
	(void)at;
	(void)iface;
	assert_ptr_equal(n, t->r);
	memcpy(copy, dg, len);
	copy[1] = 0x10;
	copy[8]--;
	put16(copy + 10, 0);
	put16(copy + 10, fold(sum16(copy, 20, 0)));
	t->rc = sim_ip_output(n, copy, len);
	t->count++;
	return SIM_STOLEN;
}

static void sim__stolen_and_reoutput_delivers_once(void **state)
{
	(void)state;
	struct chain c = chain_build(&LINK);
	struct rx r = {0};
	struct udp_send u;
	struct thief th = {.r = c.r, .rc = 1};
	struct hk pre_b = {0};
	udp_setup(&c, &r, &u, 1);
	sim_hook_register(c.r, SIM_HOOK_FORWARD, steal_fn, &th);
	sim_hook_register(c.b, SIM_HOOK_PRE_ROUTING, hk_fn, &pre_b);
	sim_run(10000000000u); /* bounded: a broken copy could make ICMP bounce */
	assert_int_equal(th.count, 1);
	assert_int_equal(th.rc, HN_OK);
	assert_int_equal(pre_b.count, 1);
	assert_int_equal(pre_b.hdr[1], 0x10);    /* our header, verbatim */
	assert_int_equal(pre_b.hdr[8], 63);
	assert_int_equal(pre_b.cksum_bad, 0);
	assert_int_equal(r.count, 1);
	assert_int_equal(r.last_len, PAYLOAD);
	assert_int_equal(r.at_ns, SEND_AT_NS + 2 * hop_ns(UDP_IP_LEN));
	sim_destroy();
}

static void sim__local_out_sees_segment_and_can_delay(void **state)
{
	(void)state;
	const int64_t delay = 7000;
	struct chain c = chain_build(&LINK);
	struct rx r = {0};
	struct udp_send u;
	struct hk out = {.verdict = delay}, out2 = {0};
	udp_setup(&c, &r, &u, 1);
	assert_int_equal(sim_hook_register(c.a, SIM_HOOK_LOCAL_OUT, hk_fn, &out), HN_OK);
	assert_int_equal(sim_hook_register(c.a, SIM_HOOK_LOCAL_OUT, hk_fn, &out2), HN_OK);
	sim_run(0);
	assert_int_equal(out.count, 1);
	assert_int_equal(out.iface, -1);
	assert_int_equal(out.len, UDP_IP_LEN);
	assert_int_equal(out.cksum_bad, 0);
	assert_int_equal(out.hdr[8], 64);
	assert_int_equal(out.hdr[9], 17);
	assert_int_equal(get16(out.hdr + 4), 0);
	assert_int_equal(get32(out.hdr + 12), ADDR_A);
	assert_int_equal(get32(out.hdr + 16), ADDR_B);
	assert_int_equal(out.at_ns, SEND_AT_NS);
	assert_int_equal(out2.at_ns, SEND_AT_NS + (uint64_t)delay);
	assert_int_equal(r.count, 1);
	assert_int_equal(r.at_ns, SEND_AT_NS + 2 * hop_ns(UDP_IP_LEN) + (uint64_t)delay);
	sim_destroy();
}

/* ---- raw output and input ------------------------------------------------- */

static void sim__ip_output_refuses_malformed_oversize_and_unroutable(void **state)
{
	(void)state;
	static uint8_t dg[1600];
	struct chain c = chain_build(&LINK);
	struct hk pre_b = {0};
	sim_hook_register(c.b, SIM_HOOK_PRE_ROUTING, hk_fn, &pre_b);

	build_ip(dg, 1501, ADDR_RB, ADDR_B, 253, 64, 1);
	assert_int_equal(sim_ip_output(c.r, dg, 1501), HN_EMSGSIZE);
	build_ip(dg, 1500, ADDR_RB, IP(192, 168, 1, 1), 253, 64, 1);
	assert_int_equal(sim_ip_output(c.r, dg, 1500), HN_ENOROUTE);
	build_ip(dg, 1500, ADDR_RB, ADDR_B, 253, 64, 1);
	dg[11] ^= 1;
	assert_int_equal(sim_ip_output(c.r, dg, 1500), HN_ECKSUM);
	build_ip(dg, 1500, ADDR_RB, ADDR_B, 253, 64, 1);
	assert_int_equal(sim_ip_output(c.r, dg, 1499), HN_ELEN);
	assert_int_equal(sim_ip_output(c.r, dg, 19), HN_ELEN);
	dg[0] = 0x46;
	assert_int_equal(sim_ip_output(c.r, dg, 1500), HN_EIHL);
	dg[0] = 0x65;
	assert_int_equal(sim_ip_output(c.r, dg, 1500), HN_EVERSION);
	assert_int_equal(sim_ip_input(c.r, dg, 1500), HN_EVERSION);

	dg[0] = 0x45; /* the same datagram, well-formed, at the MTU */
	put16(dg + 6, 0x4000);  /* DF */
	put16(dg + 10, 0);
	put16(dg + 10, fold(sum16(dg, 20, 0)));
	assert_int_equal(sim_ip_output(c.r, dg, 1500), HN_OK);
	sim_run(0);
	assert_int_equal(pre_b.count, 1);
	assert_int_equal(pre_b.len, 1500);
	assert_int_equal(get16(pre_b.hdr + 6), 0x4000);
	assert_int_equal(get16(pre_b.hdr + 4), 1);
	sim_destroy();
}

struct vip_in {
	sim_node *b;
	int rc;
};

static void vip_input_ev(void *arg)
{
	struct vip_in *v = arg;
	uint8_t dg[128];
	size_t len = build_udp(dg, ADDR_A, 5555, IP(10, 9, 9, 9), 7000, "hello vip");
	v->rc = sim_ip_input(v->b, dg, len);
}

static void sim__ip_input_delivers_to_vip_socket(void **state)
{
	(void)state;
	struct chain c = chain_build(&LINK);
	struct rx r = {0};
	struct hk pre_b = {0};
	struct vip_in v = {c.b, 1};
	assert_int_equal(sim_node_add_local_addr(c.b, IP(10, 9, 9, 9)), HN_OK);
	sim_sock *s = sim_udp_socket(c.b, &RX_OPS, &r);
	assert_int_equal(sim_sock_bind(s, IP(10, 9, 9, 9), 7000), HN_OK);
	sim_hook_register(c.b, SIM_HOOK_PRE_ROUTING, hk_fn, &pre_b);
	sim_schedule(500, vip_input_ev, &v);
	sim_run(0);
	assert_int_equal(v.rc, HN_OK);
	assert_int_equal(pre_b.count, 1);
	assert_int_equal(pre_b.iface, 0);
	assert_int_equal(r.count, 1);
	assert_int_equal(r.last_len, 9);
	assert_memory_equal(r.last, "hello vip", 9);
	assert_int_equal(r.from, ADDR_A);
	assert_int_equal(r.from_port, 5555);
	assert_int_equal(r.at_ns, 500);
	sim_destroy();
}

/* ---- pcap, configuration, loss -------------------------------------------- */

static long file_size(const char *dir, const char *name)
{
	char path[512];
	struct stat st;
	snprintf(path, sizeof path, "%s/%s", dir, name);
	return stat(path, &st) == 0 ? (long)st.st_size : -1;
}

static void sim__pcap_one_file_per_link_end(void **state)
{
	(void)state;
	char dir[] = "/tmp/test_sim_pcapXXXXXX";
	static const char *const names[] = {"A-1.pcap", "R-1.pcap", "R-2.pcap", "B-1.pcap"};
	assert_non_null(mkdtemp(dir));
	struct chain c = chain_build(&LINK);
	struct rx r = {0};
	struct udp_send u;
	udp_setup(&c, &r, &u, 1);
	assert_int_equal(sim_pcap_enable("/nonexistent/dir"), HN_EIO);
	assert_int_equal(sim_pcap_enable(dir), HN_OK);
	sim_run(0);
	assert_int_equal(r.count, 1);
	sim_destroy();
	/* 24-byte file header + per record 16 bytes + PPP frame (2 + IP) */
	for (size_t i = 0; i < 4; i++) {
		assert_int_equal(file_size(dir, names[i]), 24 + 16 + 2 + UDP_IP_LEN);
		char path[512];
		snprintf(path, sizeof path, "%s/%s", dir, names[i]);
		unlink(path);
	}
	assert_int_equal(rmdir(dir), 0); /* nothing else was written */
}

/* Unlinks dir/name; true when it was there. */
static bool remove_file(const char *dir, const char *name)
{
	char path[512];
	snprintf(path, sizeof path, "%s/%s", dir, name);
	return unlink(path) == 0;
}

/* client and server joined twice: link "ab" (named) and an unnamed one;
 * a datagram on each.  A named link's files say the link, the unnamed
 * one's keep the interface index. */
static void sim__pcap_names_files_after_the_link(void **state)
{
	(void)state;
	char dir[] = "/tmp/test_sim_pcapXXXXXX";
	static const char *const names[] = {"client-ab.pcap", "server-ab.pcap", "client-2.pcap",
					    "server-2.pcap"};
	const uint32_t cab = IP(10, 0, 1, 1), sab = IP(10, 0, 1, 2);
	const uint32_t c2 = IP(10, 0, 2, 1), s2 = IP(10, 0, 2, 2);
	assert_non_null(mkdtemp(dir));
	assert_int_equal(sim_init(&CFG), HN_OK);
	sim_node *client = sim_node_create("client"), *server = sim_node_create("server");
	struct sim_link_config named = LINK;
	named.name = "ab";
	sim_link *ab = sim_link_create(client, server, &named, cab, sab, 24);
	struct sim_link_config unnamed = LINK;
	unnamed.name = "";
	sim_link *l2 = sim_link_create(client, server, &unnamed, c2, s2, 24);
	assert_non_null(ab);
	assert_non_null(l2);
	assert_int_equal(sim_link_iface(l2, 0), 2);
	assert_int_equal(sim_routing_populate(), HN_OK);
	struct rx r = {0};
	sim_sock *rs = sim_udp_socket(server, &RX_OPS, &r);
	assert_int_equal(sim_sock_bind(rs, 0, PORT_B), HN_OK);
	struct udp_send u[2] = {{.dst = sab, .port = PORT_B, .times = 1},
				{.dst = s2, .port = PORT_B, .times = 1}};
	for (int i = 0; i < 2; i++) {
		u[i].s = sim_udp_socket(client, NULL, NULL);
		assert_non_null(u[i].s);
		sim_schedule(SEND_AT_NS, udp_send_ev, &u[i]);
	}
	assert_int_equal(sim_pcap_enable(dir), HN_OK);
	sim_run(0);
	assert_int_equal(r.count, 2);
	assert_int_equal(sim_link_tx_packets(ab, 0), 1);
	assert_int_equal(sim_link_tx_packets(l2, 0), 1);
	sim_destroy();
	/* one datagram each way's sender end, received at the other: one
	 * record in each file (24-byte header, 16 per record, PPP frame) */
	for (size_t i = 0; i < 4; i++) {
		assert_int_equal(file_size(dir, names[i]), 24 + 16 + 2 + UDP_IP_LEN);
		assert_true(remove_file(dir, names[i]));
	}
	assert_int_equal(rmdir(dir), 0); /* nothing else was written: no client-1.pcap */
}

/* A name with '/' is refused like any bad config; two link ends whose file
 * names clash make sim_pcap_enable refuse before writing anything. */
static void sim__pcap_refuses_clashing_names_and_link_name_with_slash(void **state)
{
	(void)state;
	char dir[] = "/tmp/test_sim_pcapXXXXXX";
	assert_non_null(mkdtemp(dir));
	assert_int_equal(sim_init(&CFG), HN_OK);
	sim_node *a = sim_node_create("a"), *ab = sim_node_create("a-b");
	struct sim_link_config c = LINK;
	c.name = "x/y";
	assert_null(sim_link_create(a, ab, &c, ADDR_A, ADDR_RA, 24));
	c.name = "b-c"; /* a-b-c.pcap at a, a-b-b-c.pcap at a-b */
	assert_non_null(sim_link_create(a, ab, &c, ADDR_A, ADDR_RA, 24));
	assert_int_equal(sim_pcap_enable(dir), HN_OK);
	c.name = "c"; /* a-c.pcap at a, a-b-c.pcap again at a-b */
	assert_non_null(sim_link_create(a, ab, &c, ADDR_RB, ADDR_B, 24));
	assert_int_equal(sim_pcap_enable(dir), HN_EEXIST);
	sim_destroy();
	assert_false(remove_file(dir, "a-c.pcap")); /* the refusal wrote nothing */
	assert_true(remove_file(dir, "a-b-c.pcap"));
	assert_true(remove_file(dir, "a-b-b-c.pcap"));
	assert_int_equal(rmdir(dir), 0);
}

/* The largest datagram A's TCP sends in a 3000-byte transfer. */
static size_t max_tcp_datagram(void)
{
	struct chain c = chain_build(&LINK);
	struct tcp *t = calloc(1, sizeof *t);
	struct hk out = {0};
	size_t max = 0;
	assert_non_null(t);
	tcp_setup(&c, t);
	sim_hook_register(c.a, SIM_HOOK_LOCAL_OUT, hk_fn, &out);
	for (uint64_t now = 0; now < 2000000000u; now += 1000000) {
		sim_run(now + 1000000);
		if (out.len > max)
			max = out.len;
		if (t->got_len >= 3000)
			break;
	}
	assert_true(t->got_len >= 3000);
	sim_destroy();
	free(t);
	return max;
}

static void sim__set_default_checks_and_destroy_resets(void **state)
{
	(void)state;
	assert_int_equal(sim_init(&CFG), HN_OK);
	assert_int_equal(sim_set_default("ns3::NoSuchType::X", "1"), HN_EINVAL);
	assert_int_equal(sim_set_default("ns3::TcpSocket::NoSuchAttribute", "1"), HN_EINVAL);
	assert_int_equal(sim_set_default("nonsense", "1"), HN_EINVAL);
	assert_int_equal(sim_set_default("ns3::TcpSocket::SegmentSize", "abc"), HN_EINVAL);
	assert_int_equal(sim_set_default("ns3::TcpSocketBase::MinRto", "fast"), HN_EINVAL);
	assert_int_equal(sim_set_default("ns3::TcpL4Protocol::SocketType", "ns3::NoSuchTcp"),
			 HN_EINVAL);
	assert_int_equal(sim_set_default("ns3::TcpSocket::SegmentSize", NULL), HN_EINVAL);
	assert_int_equal(sim_set_default("ns3::TcpL4Protocol::SocketType", "ns3::TcpNewReno"), HN_OK);
	assert_int_equal(sim_set_default("ns3::TcpSocketBase::MinRto", "200ms"), HN_OK);
	assert_int_equal(sim_set_default("ns3::TcpSocket::SegmentSize", "300"), HN_OK);
	sim_destroy(); /* keeps nothing but resets the defaults */
	assert_int_equal(sim_set_default("ns3::TcpSocket::SegmentSize", "300"), HN_OK);
	size_t small = max_tcp_datagram();     /* sim_init .. sim_destroy inside */
	size_t dflt = max_tcp_datagram();
	assert_true(small <= 20 + 60 + 300);
	assert_true(dflt > 20 + 60 + 300);
}

static void sim__full_loss_drops_everything(void **state)
{
	(void)state;
	struct sim_link_config lossy = LINK;
	lossy.loss_rate = 1.0;
	struct chain c = chain_build(&lossy);
	struct rx r = {0};
	struct udp_send u;
	struct hk pre_r = {0};
	udp_setup(&c, &r, &u, 5);
	sim_hook_register(c.r, SIM_HOOK_PRE_ROUTING, hk_fn, &pre_r);
	sim_run(0);
	assert_int_equal(u.rc, PAYLOAD);
	assert_int_equal(pre_r.count, 0);
	assert_int_equal(r.count, 0);
	sim_destroy();
}

/* ---- per-packet extra delay ----------------------------------------------- */

/* A single link A -- B: A at 10.0.1.1, B at 10.0.1.2. */
struct pair {
	sim_node *a, *b;
	sim_link *l;
};

static const uint32_t PAIR_A = IP(10, 0, 1, 1), PAIR_B = IP(10, 0, 1, 2);

static struct pair pair_build(const struct sim_link_config *lc)
{
	struct pair p;
	assert_int_equal(sim_init(&CFG), HN_OK);
	p.a = sim_node_create("A");
	p.b = sim_node_create("B");
	assert_non_null(p.a);
	assert_non_null(p.b);
	p.l = sim_link_create(p.a, p.b, lc, PAIR_A, PAIR_B, 24);
	assert_non_null(p.l);
	assert_int_equal(sim_routing_populate(), HN_OK);
	return p;
}

/* The serialization time of an ip_len-byte datagram on LINK, in ns. */
static uint64_t tx_ns(uint32_t ip_len)
{
	return (uint64_t)(ip_len + 2) * 8 * 1000000000u / RATE_BPS;
}

/* Records every call of the extra-delay callback and answers `first` to
 * the first call, then `rest`, plus side_step * side. */
struct extra {
	uint64_t first, rest, side_step;
	int n;
	int side[8];
	uint64_t now[8];
	size_t bytes[8];
};

static uint64_t extra_fn(void *ctx, int side, uint64_t now_ns, size_t bytes)
{
	struct extra *e = ctx;
	if (e->n < 8) {
		e->side[e->n] = side;
		e->now[e->n] = now_ns;
		e->bytes[e->n] = bytes;
	}
	return (e->n++ == 0 ? e->first : e->rest) + e->side_step * (uint64_t)side;
}

/* Every datagram a socket receives: its first byte (a tag) and when. */
struct arrivals {
	int n;
	uint8_t tag[8];
	uint64_t at[8];
};

static void arr_recv(void *ctx, sim_sock *s, const uint8_t *data, size_t len, uint32_t from,
		     uint16_t port)
{
	struct arrivals *a = ctx;
	(void)s;
	(void)from;
	(void)port;
	if (a->n < 8 && len > 0) {
		a->tag[a->n] = data[0];
		a->at[a->n] = sim_now_ns();
	}
	a->n++;
}

static const struct sim_sock_ops ARR_OPS = {.on_recv = arr_recv};

/* Sends `times` PAYLOAD-byte datagrams tagged tag, tag + 1, ... */
struct tagged {
	sim_sock *s;
	uint32_t dst;
	uint16_t port;
	uint8_t tag;
	int times;
};

static void tagged_ev(void *arg)
{
	struct tagged *t = arg;
	uint8_t buf[PAYLOAD] = {0};
	for (int i = 0; i < t->times; i++) {
		buf[0] = (uint8_t)(t->tag + i);
		assert_int_equal(sim_sock_sendto(t->s, buf, sizeof buf, t->dst, t->port), PAYLOAD);
	}
}

/* One UDP datagram A -> B at SEND_AT_NS on lc; returns its arrival time. */
static uint64_t pair_one_way(const struct sim_link_config *lc)
{
	struct pair p = pair_build(lc);
	struct arrivals arr = {0};
	sim_sock *sb = sim_udp_socket(p.b, &ARR_OPS, &arr);
	assert_int_equal(sim_sock_bind(sb, 0, PORT_B), HN_OK);
	struct tagged t = {sim_udp_socket(p.a, NULL, NULL), PAIR_B, PORT_B, 1, 1};
	sim_schedule(SEND_AT_NS, tagged_ev, &t);
	sim_run(0);
	assert_int_equal(arr.n, 1);
	sim_destroy();
	return arr.at[0];
}

static void sim__extra_delay_constant_shifts_one_way_time_exactly(void **state)
{
	(void)state;
	struct extra e = {.first = 5000000, .rest = 5000000};
	struct sim_link_config lc = LINK;
	uint64_t plain = pair_one_way(&LINK);
	lc.extra_delay = extra_fn;
	lc.extra_delay_ctx = &e;
	uint64_t shifted = pair_one_way(&lc);
	assert_int_equal(plain, SEND_AT_NS + hop_ns(UDP_IP_LEN));
	assert_int_equal(shifted - plain, 5000000);
	assert_int_equal(e.n, 1);
	assert_int_equal(e.side[0], 0);
	assert_int_equal(e.now[0], SEND_AT_NS);
	assert_int_equal(e.bytes[0], UDP_IP_LEN + 2);
	/* and again, after a sim_destroy of the varying-delay link */
	e.n = 0;
	assert_int_equal(pair_one_way(&lc), shifted);
}

/* The first datagram waits 10 ms extra, the second none: it would overtake
 * the first, but arrives right behind it; a third, sent after both arrived,
 * takes its plain time. */
static void sim__extra_delay_keeps_arrival_order(void **state)
{
	(void)state;
	const uint64_t big = 10000000, third_at = SEND_AT_NS + 20000000;
	struct extra e = {.first = big, .rest = 0};
	struct sim_link_config lc = LINK;
	lc.extra_delay = extra_fn;
	lc.extra_delay_ctx = &e;
	struct pair p = pair_build(&lc);
	struct arrivals arr = {0};
	sim_sock *sb = sim_udp_socket(p.b, &ARR_OPS, &arr);
	assert_int_equal(sim_sock_bind(sb, 0, PORT_B), HN_OK);
	sim_sock *sa = sim_udp_socket(p.a, NULL, NULL);
	struct tagged two = {sa, PAIR_B, PORT_B, 1, 2}, third = {sa, PAIR_B, PORT_B, 3, 1};
	sim_schedule(SEND_AT_NS, tagged_ev, &two);
	sim_schedule(third_at, tagged_ev, &third);
	sim_run(0);
	assert_int_equal(e.n, 3);
	assert_int_equal(e.now[0], SEND_AT_NS);
	assert_int_equal(e.now[1], SEND_AT_NS + tx_ns(UDP_IP_LEN)); /* behind the first */
	assert_int_equal(e.now[2], third_at);
	assert_int_equal(arr.n, 3);
	assert_int_equal(arr.tag[0], 1);
	assert_int_equal(arr.tag[1], 2);
	assert_int_equal(arr.tag[2], 3);
	uint64_t first = SEND_AT_NS + hop_ns(UDP_IP_LEN) + big;
	assert_true(SEND_AT_NS + tx_ns(UDP_IP_LEN) + hop_ns(UDP_IP_LEN) < first); /* would overtake */
	assert_int_equal(arr.at[0], first);
	assert_int_equal(arr.at[1], first);
	assert_int_equal(arr.at[2], third_at + hop_ns(UDP_IP_LEN));
	assert_int_equal(sim_link_tx_packets(p.l, 0), 3);
	sim_destroy();
}

/* A -> B reports side 0, B -> A side 1; each direction gets its own extra
 * (1 us + 2 us * side). */
static void sim__extra_delay_side_is_the_sending_end(void **state)
{
	(void)state;
	const uint64_t back_at = SEND_AT_NS + 50000000;
	struct extra e = {.first = 1000, .rest = 1000, .side_step = 2000};
	struct sim_link_config lc = LINK;
	lc.extra_delay = extra_fn;
	lc.extra_delay_ctx = &e;
	struct pair p = pair_build(&lc);
	struct arrivals at_b = {0}, at_a = {0};
	sim_sock *sb = sim_udp_socket(p.b, &ARR_OPS, &at_b);
	sim_sock *sa = sim_udp_socket(p.a, &ARR_OPS, &at_a);
	assert_int_equal(sim_sock_bind(sb, 0, PORT_B), HN_OK);
	assert_int_equal(sim_sock_bind(sa, 0, PORT_B), HN_OK);
	struct tagged fwd = {sa, PAIR_B, PORT_B, 1, 1}, back = {sb, PAIR_A, PORT_B, 2, 1};
	sim_schedule(SEND_AT_NS, tagged_ev, &fwd);
	sim_schedule(back_at, tagged_ev, &back);
	sim_run(0);
	assert_int_equal(e.n, 2);
	assert_int_equal(e.side[0], 0);
	assert_int_equal(e.now[0], SEND_AT_NS);
	assert_int_equal(e.side[1], 1);
	assert_int_equal(e.now[1], back_at);
	assert_int_equal(e.bytes[1], UDP_IP_LEN + 2);
	assert_int_equal(at_b.n, 1);
	assert_int_equal(at_a.n, 1);
	assert_int_equal(at_b.at[0], SEND_AT_NS + hop_ns(UDP_IP_LEN) + 1000);
	assert_int_equal(at_a.at[0], back_at + hop_ns(UDP_IP_LEN) + 3000);
	sim_destroy();
}

/* Varying-delay links on the chain: global routing, the byte counters,
 * interfaces, pcap and receive loss work as on plain ones. */
static void sim__extra_delay_link_keeps_routing_counters_pcap_loss(void **state)
{
	(void)state;
	char dir[] = "/tmp/test_sim_xpcapXXXXXX";
	static const char *const names[] = {"A-1.pcap", "R-1.pcap", "R-2.pcap", "B-1.pcap"};
	struct extra e = {.first = 5000000, .rest = 5000000};
	struct sim_link_config lc = LINK;
	lc.extra_delay = extra_fn;
	lc.extra_delay_ctx = &e;
	assert_non_null(mkdtemp(dir));
	struct chain c = chain_build(&lc);
	struct rx r = {0};
	struct udp_send u;
	udp_setup(&c, &r, &u, 1);
	assert_int_equal(sim_pcap_enable(dir), HN_OK);
	assert_int_equal(sim_link_iface(c.rb, 0), 2);
	assert_int_equal(sim_link_addr(c.rb, 1), ADDR_B);
	assert_int_equal(sim_route_src(c.a, ADDR_B), ADDR_A);
	sim_run(0);
	assert_int_equal(r.count, 1);
	assert_int_equal(r.at_ns, SEND_AT_NS + 2 * (hop_ns(UDP_IP_LEN) + 5000000));
	assert_int_equal(sim_link_tx_packets(c.ar, 0), 1);
	assert_int_equal(sim_link_tx_bytes(c.ar, 0), UDP_IP_LEN + 2);
	assert_int_equal(sim_link_tx_bytes(c.rb, 0), UDP_IP_LEN + 2);
	assert_int_equal(sim_link_tx_packets(c.rb, 1), 0);
	sim_destroy();
	for (size_t i = 0; i < 4; i++) {
		assert_int_equal(file_size(dir, names[i]), 24 + 16 + 2 + UDP_IP_LEN);
		char path[512];
		snprintf(path, sizeof path, "%s/%s", dir, names[i]);
		unlink(path);
	}
	assert_int_equal(rmdir(dir), 0);

	lc.loss_rate = 1.0;
	c = chain_build(&lc);
	struct hk pre_r = {0};
	r = (struct rx){0};
	udp_setup(&c, &r, &u, 5);
	sim_hook_register(c.r, SIM_HOOK_PRE_ROUTING, hk_fn, &pre_r);
	sim_run(0);
	assert_int_equal(sim_link_tx_packets(c.ar, 0), 5);
	assert_int_equal(pre_r.count, 0);
	assert_int_equal(r.count, 0);
	sim_destroy();
}

/* ---- ping ------------------------------------------------------------------ */

enum {
	PING_BYTES = 64,                  /* ICMP message: 8 + 56 data */
	PING_IP_LEN = 20 + PING_BYTES,    /* its datagram */
	PING_START_NS = 1000000000,
	PING_EVERY_NS = 100000000
};

struct pings {
	int n;
	uint64_t sent[16];
	uint64_t rtt[16];
};

static void ping_rec(void *ctx, uint64_t sent_ns, uint64_t rtt_ns)
{
	struct pings *p = ctx;
	if (p->n < 16) {
		p->sent[p->n] = sent_ns;
		p->rtt[p->n] = rtt_ns;
	}
	p->n++;
}

/* Counts ICMP datagrams a hook point sees, by echo type, checking the ICMP
 * checksum; answers `verdict`. */
struct icmp_hk {
	int64_t verdict;
	int requests, replies, other, bad;
	size_t len;             /* of the last one */
	uint64_t at_ns;
};

static int64_t icmp_fn(void *ctx, sim_node *n, enum sim_hook_point at, int iface,
		       const uint8_t *dg, size_t len)
{
	struct icmp_hk *h = ctx;
	(void)n;
	(void)at;
	(void)iface;
	if (len < 28 || dg[9] != 1)
		return SIM_ACCEPT;
	if (!header_cksum_ok(dg) || fold(sum16(dg + 20, len - 20, 0)) != 0)
		h->bad++;
	if (dg[20] == 8)
		h->requests++;
	else if (dg[20] == 0)
		h->replies++;
	else
		h->other++;
	h->len = len;
	h->at_ns = sim_now_ns();
	return h->verdict;
}

static void sim__ping_rtt_on_one_link_is_exact(void **state)
{
	(void)state;
	struct pair p = pair_build(&LINK);
	struct pings got = {0};
	const uint64_t rtt = 2 * (DELAY_NS + tx_ns(PING_IP_LEN));
	sim_ping *ping = sim_ping_start(p.a, PAIR_B, PING_BYTES, PING_EVERY_NS, PING_START_NS,
					PING_START_NS + 10 * PING_EVERY_NS, ping_rec, &got);
	assert_non_null(ping);
	assert_int_equal(rtt, 2 * hop_ns(PING_IP_LEN));
	sim_run(PING_START_NS + 2 * PING_EVERY_NS + PING_EVERY_NS / 2);
	assert_int_equal(sim_ping_sent(ping), 3);
	assert_int_equal(got.n, 3);
	sim_run(0); /* V4Ping stops: the run ends */
	assert_int_equal(sim_now_ns(), PING_START_NS + 10 * PING_EVERY_NS);
	assert_int_equal(sim_ping_sent(ping), 10);
	assert_int_equal(got.n, 10);
	for (int i = 0; i < 10; i++) {
		assert_int_equal(got.sent[i], PING_START_NS + (uint64_t)i * PING_EVERY_NS);
		assert_int_equal(got.rtt[i], rtt);
	}
	/* 10 requests out of A, 10 replies out of B, 86-byte frames */
	assert_int_equal(sim_link_tx_packets(p.l, 0), 10);
	assert_int_equal(sim_link_tx_bytes(p.l, 1), 10 * (PING_IP_LEN + 2));
	sim_destroy();
}

/* A stop right after the tenth request: it is sent, and its reply, after
 * the stop, still counts. */
static void sim__ping_stop_is_exclusive_and_later_replies_count(void **state)
{
	(void)state;
	struct pair p = pair_build(&LINK);
	struct pings got = {0};
	const uint64_t stop = PING_START_NS + 9 * PING_EVERY_NS + 1;
	sim_ping *ping = sim_ping_start(p.a, PAIR_B, PING_BYTES, PING_EVERY_NS, PING_START_NS,
					stop, ping_rec, &got);
	assert_non_null(ping);
	/* a second ping on the same node, its stop on a request's time */
	struct pings got2 = {0};
	sim_ping *ping2 = sim_ping_start(p.a, PAIR_B, 1000, PING_EVERY_NS / 2, 0, 3 * PING_EVERY_NS,
					 ping_rec, &got2);
	assert_non_null(ping2);
	sim_run(0);
	assert_int_equal(sim_ping_sent(ping), 10);
	assert_int_equal(got.n, 10);
	assert_int_equal(got.sent[9], PING_START_NS + 9 * PING_EVERY_NS);
	assert_int_equal(got.rtt[9], 2 * hop_ns(PING_IP_LEN));
	assert_true(got.sent[9] + got.rtt[9] > stop);
	assert_int_equal(sim_ping_sent(ping2), 6); /* 0, 50, ..., 250 ms, not 300 */
	assert_int_equal(got2.n, 6);
	assert_int_equal(got2.sent[5], 5 * PING_EVERY_NS / 2);
	assert_int_equal(got2.rtt[5], 2 * hop_ns(20 + 1000));
	sim_destroy();
}

static void sim__ping_full_loss_counts_requests_only(void **state)
{
	(void)state;
	struct sim_link_config lossy = LINK;
	lossy.loss_rate = 1.0;
	struct pair p = pair_build(&lossy);
	struct pings got = {0};
	struct icmp_hk in_b = {0};
	sim_hook_register(p.b, SIM_HOOK_PRE_ROUTING, icmp_fn, &in_b);
	sim_ping *ping = sim_ping_start(p.a, PAIR_B, PING_BYTES, PING_EVERY_NS, PING_START_NS,
					PING_START_NS + 5 * PING_EVERY_NS, ping_rec, &got);
	sim_run(0);
	assert_int_equal(sim_ping_sent(ping), 5);
	assert_int_equal(got.n, 0);
	assert_int_equal(in_b.requests, 0);
	assert_int_equal(sim_link_tx_packets(p.l, 0), 5);
	sim_destroy();
}

/* A pings B through R: every hook on the way sees the echo traffic, the
 * round trip is four hops. */
static void sim__ping_through_router_passes_every_hook(void **state)
{
	(void)state;
	struct chain c = chain_build(&LINK);
	struct pings got = {0};
	struct icmp_hk out_a = {0}, in_a = {0}, pre_r = {0}, fwd_r = {0}, in_b = {0}, out_b = {0};
	sim_hook_register(c.a, SIM_HOOK_LOCAL_OUT, icmp_fn, &out_a);
	sim_hook_register(c.a, SIM_HOOK_LOCAL_IN, icmp_fn, &in_a);
	sim_hook_register(c.r, SIM_HOOK_PRE_ROUTING, icmp_fn, &pre_r);
	sim_hook_register(c.r, SIM_HOOK_FORWARD, icmp_fn, &fwd_r);
	sim_hook_register(c.b, SIM_HOOK_LOCAL_IN, icmp_fn, &in_b);
	sim_hook_register(c.b, SIM_HOOK_LOCAL_OUT, icmp_fn, &out_b);
	sim_ping *ping = sim_ping_start(c.a, ADDR_B, PING_BYTES, PING_EVERY_NS, PING_START_NS,
					PING_START_NS + 4 * PING_EVERY_NS, ping_rec, &got);
	sim_run(0);
	assert_int_equal(sim_ping_sent(ping), 4);
	assert_int_equal(got.n, 4);
	for (int i = 0; i < 4; i++)
		assert_int_equal(got.rtt[i], 4 * hop_ns(PING_IP_LEN));
	assert_int_equal(out_a.requests, 4);
	assert_int_equal(out_a.replies, 0);
	assert_int_equal(out_a.len, PING_IP_LEN);
	assert_int_equal(out_a.at_ns, PING_START_NS + 3 * PING_EVERY_NS);
	assert_int_equal(in_a.replies, 4);
	assert_int_equal(pre_r.requests, 4);
	assert_int_equal(pre_r.replies, 4);
	assert_int_equal(fwd_r.requests, 4);
	assert_int_equal(fwd_r.replies, 4);
	assert_int_equal(in_b.requests, 4);
	assert_int_equal(out_b.replies, 4);
	assert_int_equal(out_b.requests, 0);
	struct icmp_hk *all[] = {&out_a, &in_a, &pre_r, &fwd_r, &in_b, &out_b};
	for (size_t i = 0; i < 6; i++) {
		assert_int_equal(all[i]->bad, 0);
		assert_int_equal(all[i]->other, 0);
	}
	sim_destroy();
}

/* The requests pass A's LOCAL_OUT like any segment A sends: a delay there
 * adds to each round trip (the request counts as sent before it), a drop
 * loses them all. */
static void sim__ping_requests_obey_local_out_verdicts(void **state)
{
	(void)state;
	const int64_t delay = 7000;
	struct pair p = pair_build(&LINK);
	struct pings got = {0};
	struct icmp_hk out = {.verdict = delay};
	sim_hook_register(p.a, SIM_HOOK_LOCAL_OUT, icmp_fn, &out);
	sim_ping *ping = sim_ping_start(p.a, PAIR_B, PING_BYTES, PING_EVERY_NS, PING_START_NS,
					PING_START_NS + 3 * PING_EVERY_NS, ping_rec, &got);
	sim_run(0);
	assert_int_equal(sim_ping_sent(ping), 3);
	assert_int_equal(got.n, 3);
	assert_int_equal(got.sent[2], PING_START_NS + 2 * PING_EVERY_NS);
	assert_int_equal(got.rtt[2], 2 * hop_ns(PING_IP_LEN) + (uint64_t)delay);
	sim_destroy();

	p = pair_build(&LINK);
	got = (struct pings){0};
	out = (struct icmp_hk){.verdict = SIM_DROP};
	sim_hook_register(p.a, SIM_HOOK_LOCAL_OUT, icmp_fn, &out);
	ping = sim_ping_start(p.a, PAIR_B, PING_BYTES, PING_EVERY_NS, PING_START_NS,
			      PING_START_NS + 3 * PING_EVERY_NS, ping_rec, &got);
	sim_run(0);
	assert_int_equal(out.requests, 3);
	assert_int_equal(sim_ping_sent(ping), 3);
	assert_int_equal(got.n, 0);
	assert_int_equal(sim_link_tx_packets(p.l, 0), 0);
	sim_destroy();
}

/* A reply counts when A delivers it, after A's receive hooks: a delay at
 * PRE_ROUTING is part of the round trip, a drop at LOCAL_IN loses it. */
static void sim__ping_replies_count_after_the_pingers_hooks(void **state)
{
	(void)state;
	const int64_t delay = 5000;
	struct pair p = pair_build(&LINK);
	struct pings got = {0};
	struct icmp_hk pre = {.verdict = delay}, in = {.verdict = SIM_DROP};
	sim_hook_register(p.a, SIM_HOOK_PRE_ROUTING, icmp_fn, &pre);
	sim_ping *ping = sim_ping_start(p.a, PAIR_B, PING_BYTES, PING_EVERY_NS, PING_START_NS,
					PING_START_NS + 3 * PING_EVERY_NS, ping_rec, &got);
	sim_run(0);
	assert_int_equal(pre.replies, 3);
	assert_int_equal(got.n, 3);
	assert_int_equal(got.rtt[0], 2 * hop_ns(PING_IP_LEN) + (uint64_t)delay);
	assert_int_equal(sim_ping_sent(ping), 3);
	sim_destroy();

	p = pair_build(&LINK);
	got = (struct pings){0};
	sim_hook_register(p.a, SIM_HOOK_LOCAL_IN, icmp_fn, &in);
	ping = sim_ping_start(p.a, PAIR_B, PING_BYTES, PING_EVERY_NS, PING_START_NS,
			      PING_START_NS + 3 * PING_EVERY_NS, ping_rec, &got);
	sim_run(0);
	assert_int_equal(in.replies, 3);
	assert_int_equal(got.n, 0);
	assert_int_equal(sim_ping_sent(ping), 3);
	sim_destroy();
}

/* A 3000-byte ICMP message leaves as fragments of 1500, 1500 and 60 bytes
 * each way; the round trip ends when the last reply fragment is in. */
static void sim__ping_larger_than_mtu_is_fragmented_and_timed(void **state)
{
	(void)state;
	struct pair p = pair_build(&LINK);
	struct pings got = {0};
	struct icmp_hk pre_b = {0};
	sim_hook_register(p.b, SIM_HOOK_PRE_ROUTING, icmp_fn, &pre_b);
	sim_ping *ping = sim_ping_start(p.a, PAIR_B, 3000, PING_EVERY_NS, PING_START_NS,
					PING_START_NS + 2 * PING_EVERY_NS, ping_rec, &got);
	sim_run(0);
	assert_int_equal(sim_ping_sent(ping), 2);
	assert_int_equal(sim_link_tx_packets(p.l, 0), 6);
	assert_int_equal(pre_b.requests, 2); /* first fragments; the rest are data */
	assert_int_equal(got.n, 2);
	assert_int_equal(got.rtt[1], 2 * (2 * tx_ns(1500) + tx_ns(20 + 3000 - 2 * 1480) + DELAY_NS));
	sim_destroy();
}

/* Steals each echo reply arriving from the network and re-injects it twice
 * (the re-injected copies pass PRE_ROUTING on iface 0 and are let be). */
static int64_t reply_twice(void *ctx, sim_node *n, enum sim_hook_point at, int iface,
			   const uint8_t *dg, size_t len)
{
	int *rc = ctx;
	(void)at;
	if (iface == 0 || len < 28 || dg[9] != 1 || dg[20] != 0)
		return SIM_ACCEPT;
	*rc |= sim_ip_input(n, dg, len);
	*rc |= sim_ip_input(n, dg, len);
	return SIM_STOLEN;
}

static void sim__ping_duplicate_reply_counts_once(void **state)
{
	(void)state;
	struct pair p = pair_build(&LINK);
	struct pings got = {0};
	struct icmp_hk in = {0};
	int rc = 0;
	sim_hook_register(p.a, SIM_HOOK_PRE_ROUTING, reply_twice, &rc);
	sim_hook_register(p.a, SIM_HOOK_LOCAL_IN, icmp_fn, &in);
	sim_ping *ping = sim_ping_start(p.a, PAIR_B, PING_BYTES, PING_EVERY_NS, PING_START_NS,
					PING_START_NS + 2 * PING_EVERY_NS, ping_rec, &got);
	sim_run(0);
	assert_int_equal(rc, HN_OK);
	assert_int_equal(in.replies, 4);
	assert_int_equal(sim_ping_sent(ping), 2);
	assert_int_equal(got.n, 2);
	assert_int_equal(got.rtt[1], 2 * hop_ns(PING_IP_LEN));
	sim_destroy();
}

/* Summary of many replies. */
struct ping_sum {
	uint64_t n, rtt_min, rtt_max, last_sent;
};

static void ping_sum_fn(void *ctx, uint64_t sent_ns, uint64_t rtt_ns)
{
	struct ping_sum *s = ctx;
	if (s->n == 0 || rtt_ns < s->rtt_min)
		s->rtt_min = rtt_ns;
	if (rtt_ns > s->rtt_max)
		s->rtt_max = rtt_ns;
	s->last_sent = sent_ns;
	s->n++;
}

/* Drops the first echo request it sees. */
static int64_t drop_first_request(void *ctx, sim_node *n, enum sim_hook_point at, int iface,
				  const uint8_t *dg, size_t len)
{
	int *seen = ctx;
	(void)n;
	(void)at;
	(void)iface;
	if (len > 20 && dg[9] == 1 && dg[20] == 8 && (*seen)++ == 0)
		return SIM_DROP;
	return SIM_ACCEPT;
}

/* 65538 requests: sequence numbers 0 and 1 come round again.  The first
 * request is lost, so sequence 0 is still outstanding when it is reused;
 * the reply to the new request must be timed from the new request. */
static void sim__ping_sequence_wrap_after_a_loss_keeps_rtt_exact(void **state)
{
	(void)state;
	enum { FAST_DELAY_NS = 1000, EVERY_NS = 10000, N = 65538 };
	const uint64_t FAST_BPS = 8000000000u;
	const struct sim_link_config fast = {
		.rate_bps = FAST_BPS, .delay_ns = FAST_DELAY_NS, .mtu_bytes = 1500,
		.queue_packets = 100};
	const uint64_t rtt = 2 * (FAST_DELAY_NS + (uint64_t)(PING_IP_LEN + 2) * 8 * 1000000000u /
						      FAST_BPS);
	struct pair p = pair_build(&fast);
	struct ping_sum sum = {0};
	int seen = 0;
	sim_hook_register(p.b, SIM_HOOK_LOCAL_IN, drop_first_request, &seen);
	sim_ping *ping = sim_ping_start(p.a, PAIR_B, PING_BYTES, EVERY_NS, 0,
					(uint64_t)N * EVERY_NS, ping_sum_fn, &sum);
	sim_run(0);
	assert_int_equal(seen, N);
	assert_int_equal(sim_ping_sent(ping), N);
	assert_int_equal(sum.n, N - 1);
	assert_int_equal(sum.rtt_min, rtt);
	assert_int_equal(sum.rtt_max, rtt);
	assert_int_equal(sum.last_sent, (uint64_t)(N - 1) * EVERY_NS);
	sim_destroy();
}

/* Over varying-delay links the extra of both directions adds up. */
static void sim__ping_over_extra_delay_link(void **state)
{
	(void)state;
	struct extra e = {.first = 3000, .rest = 3000, .side_step = 1000};
	struct sim_link_config lc = LINK;
	lc.extra_delay = extra_fn;
	lc.extra_delay_ctx = &e;
	struct pair p = pair_build(&lc);
	struct pings got = {0};
	sim_ping *ping = sim_ping_start(p.a, PAIR_B, PING_BYTES, PING_EVERY_NS, PING_START_NS,
					PING_START_NS + 2 * PING_EVERY_NS, ping_rec, &got);
	sim_run(0);
	assert_int_equal(sim_ping_sent(ping), 2);
	assert_int_equal(got.n, 2);
	assert_int_equal(got.rtt[1], 2 * hop_ns(PING_IP_LEN) + 3000 + 4000);
	sim_destroy();
}

static void sim__ping_bad_arguments_and_destroy_while_running(void **state)
{
	(void)state;
	struct pair p = pair_build(&LINK);
	const uint64_t s = PING_START_NS, e = PING_START_NS + PING_EVERY_NS;
	assert_null(sim_ping_start(NULL, PAIR_B, 64, PING_EVERY_NS, s, e, NULL, NULL));
	assert_null(sim_ping_start(p.a, 0, 64, PING_EVERY_NS, s, e, NULL, NULL));
	assert_null(sim_ping_start(p.a, PAIR_B, 23, PING_EVERY_NS, s, e, NULL, NULL));
	assert_null(sim_ping_start(p.a, PAIR_B, 65508, PING_EVERY_NS, s, e, NULL, NULL));
	assert_null(sim_ping_start(p.a, PAIR_B, 64, 0, s, e, NULL, NULL));
	assert_null(sim_ping_start(p.a, PAIR_B, 64, PING_EVERY_NS, s, s, NULL, NULL));
	assert_null(sim_ping_start(p.a, PAIR_B, 64, PING_EVERY_NS, e, s, NULL, NULL));
	assert_non_null(sim_ping_start(p.a, PAIR_B, 64, 1000, s, s + 100000 * 1000, NULL, NULL));
	assert_non_null(sim_ping_start(p.a, PAIR_B, 24, PING_EVERY_NS, s, e, NULL, NULL));
	assert_non_null(sim_ping_start(p.a, PAIR_B, 65507, PING_EVERY_NS, s, e, NULL, NULL));
	assert_int_equal(sim_ping_sent(NULL), 0);
	sim_destroy(); /* never run: destroyed unstarted */

	/* destroyed while running, a request pending */
	struct pings got = {0};
	p = pair_build(&LINK);
	sim_ping *ping = sim_ping_start(p.a, PAIR_B, 64, PING_EVERY_NS, 0, 10 * PING_EVERY_NS,
					ping_rec, &got);
	assert_non_null(ping);
	sim_run(PING_EVERY_NS + PING_EVERY_NS / 2);
	assert_int_equal(sim_ping_sent(ping), 2);
	assert_int_equal(got.n, 2);
	sim_destroy();
	assert_int_equal(got.n, 2);
}

/* Safety net: a failed assertion skips the case's own sim_destroy. */
static int teardown(void **state)
{
	(void)state;
	sim_destroy();
	return 0;
}

#define T(f) cmocka_unit_test_teardown(f, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(sim__init_twice_is_refused),
		T(sim__events_run_in_time_order_and_cancel),
		T(sim__events_run_by_time_then_scheduling_order),
		T(sim__removed_events_leave_the_queue),
		T(sim__run_stops_at_stop_time_and_on_sim_stop),
		T(sim__bad_link_config_returns_null),
		T(sim__udp_crosses_chain_with_bytes_sender_and_time),
		T(sim__route_queries_and_vip_is_local_only),
		T(sim__static_route_wins_over_global),
		T(sim__routes_from_c),
		T(sim__tcp_transfers_100k_byte_exact),
		T(sim__tcp_connect_to_closed_port_fails),
		T(sim__released_sockets_are_freed),
		T(sim__timewait_compact_answers_as_ns3_socket),
		T(sim__tcp_socket_list_shrinks_as_connections_end),
		T(sim__tcp_icmp_quote_checked_and_mtu_floored_at_552),
		T(sim__pre_routing_sees_every_datagram_with_valid_header),
		T(sim__hooks_see_fragments_one_by_one),
		T(sim__forward_drop_stops_delivery_local_in_sees_rest),
		T(sim__local_in_sees_delivery_after_ttl_decrement),
		T(sim__delay_verdict_shifts_arrival_exactly),
		T(sim__stolen_and_reoutput_delivers_once),
		T(sim__local_out_sees_segment_and_can_delay),
		T(sim__ip_output_refuses_malformed_oversize_and_unroutable),
		T(sim__ip_input_delivers_to_vip_socket),
		T(sim__pcap_one_file_per_link_end),
		T(sim__pcap_names_files_after_the_link),
		T(sim__pcap_refuses_clashing_names_and_link_name_with_slash),
		T(sim__set_default_checks_and_destroy_resets),
		T(sim__full_loss_drops_everything),
		T(sim__extra_delay_constant_shifts_one_way_time_exactly),
		T(sim__extra_delay_keeps_arrival_order),
		T(sim__extra_delay_side_is_the_sending_end),
		T(sim__extra_delay_link_keeps_routing_counters_pcap_loss),
		T(sim__ping_rtt_on_one_link_is_exact),
		T(sim__ping_stop_is_exclusive_and_later_replies_count),
		T(sim__ping_replies_count_after_the_pingers_hooks),
		T(sim__ping_larger_than_mtu_is_fragmented_and_timed),
		T(sim__ping_duplicate_reply_counts_once),
		T(sim__ping_sequence_wrap_after_a_loss_keeps_rtt_exact),
		T(sim__ping_full_loss_counts_requests_only),
		T(sim__ping_through_router_passes_every_hook),
		T(sim__ping_requests_obey_local_out_verdicts),
		T(sim__ping_over_extra_delay_link),
		T(sim__ping_bad_arguments_and_destroy_while_running),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
