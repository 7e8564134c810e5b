/* test_natlb.c - the NAT front end (natlb.h) on the simulator, datagram by
 * datagram: a front end F with real servers S1 and S2 on links of their
 * own.  Hand-built TCP datagrams are put into F's IP input at chosen times;
 * what F forwards is caught at S1 and S2.  Each drop reason is provoked
 * and counted; connections that end or idle out are swept from a full
 * table; in dr mode the datagram reaches its real server unchanged but
 * for TTL - 1 and the header checksum. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "apps/natlb.h"
#include "sim/sim.h"
#include "status.h"
#include "testutil.h"

#define VIP IP4(192, 20, 1, 10)
#define CLIENT IP4(172, 16, 1, 2)
#define F_S1 IP4(10, 9, 1, 1)
#define S1 IP4(10, 9, 1, 2)
#define F_S2 IP4(10, 9, 2, 1)
#define S2 IP4(10, 9, 2, 2)
#define MS(x) ((uint64_t)(x) * 1000000ull)
#define S(x) ((uint64_t)(x) * 1000000000ull)

static const struct sim_config CFG = { 1, 1 };

struct caught {
	int n;
	uint8_t dg[8][64];
	size_t len[8];
};

static int64_t catch_hook(void *ctx, sim_node *n, enum sim_hook_point at, int iface,
			  const uint8_t *dg, size_t len)
{
	struct caught *c = ctx;
	(void)n;
	(void)at;
	(void)iface;
	if (c->n < 8 && len <= sizeof c->dg[0]) {
		memcpy(c->dg[c->n], dg, len);
		c->len[c->n] = len;
	}
	c->n++;
	return SIM_DROP;
}

struct bed {
	sim_node *f, *s1, *s2;
	struct natlb *lb;
	struct caught at1, at2;
};

/* One datagram put into F's input at a time. */
struct inject {
	struct bed *b;
	uint8_t dg[64];
	size_t len;
};
static struct inject pending[32];
static size_t npending;

static void do_inject(void *arg)
{
	struct inject *i = arg;
	assert_int_equal(sim_ip_input(i->b->f, i->dg, i->len), HN_OK);
}

/* A 40-byte TCP segment (20-byte header, no data) from the client's port
 * sport to the service, with TCP flags and TTL, or len other than 40 (cut
 * short), or a fragment (mf). */
static void at(struct bed *b, uint64_t t, uint16_t sport, uint8_t flags, uint8_t ttl, size_t len,
	       int mf)
{
	assert_true(npending < 32);
	struct inject *i = &pending[npending++];
	i->b = b;
	i->len = tu_datagram(i->dg, len, 6, CLIENT, VIP, sport, 80, (uint16_t)npending, ttl, 0);
	if (len >= 34)
		i->dg[33] = flags;
	if (mf) {
		struct ipv4_hdr h = { .tos = 0x10, .total_len = (uint16_t)len, .id = 7, .mf = true,
				      .ttl = ttl, .proto = 6, .src = CLIENT, .dst = VIP };
		ipv4_encode(&h, i->dg, len);
	}
	sim_schedule(t, do_inject, i);
}

static void setup_bed(struct bed *b, int mode, uint64_t max_conns, const uint32_t *servers)
{
	memset(b, 0, sizeof *b);
	npending = 0;
	assert_int_equal(sim_init(&CFG), HN_OK);
	b->f = sim_node_create("f");
	b->s1 = sim_node_create("s1");
	b->s2 = sim_node_create("s2");
	struct sim_link_config lc = { .rate_bps = 100000000, .delay_ns = MS(1), .mtu_bytes = 1500,
				      .queue_packets = 100 };
	assert_non_null(sim_link_create(b->f, b->s1, &lc, F_S1, S1, 24));
	assert_non_null(sim_link_create(b->f, b->s2, &lc, F_S2, S2, 24));
	assert_int_equal(sim_routing_populate(), HN_OK);
	sim_hook_register(b->s1, SIM_HOOK_PRE_ROUTING, catch_hook, &b->at1);
	sim_hook_register(b->s2, SIM_HOOK_PRE_ROUTING, catch_hook, &b->at2);
	struct natlb_config c = { .idle_ns = S(5), .max_conns = max_conns, .mode = mode,
				  .closed_idle_ns = S(1) };
	b->lb = natlb_new(b->f, &c, VIP, 80, 6, servers, 2);
	assert_non_null(b->lb);
}

static void teardown_bed(struct bed *b)
{
	natlb_free(b->lb);
	sim_destroy();
}

static const uint32_t SERVERS[2] = { S1, S2 };

/* Each drop reason, one datagram each, and nothing forwarded for them. */
static void test_drop_reasons(void **state)
{
	(void)state;
	struct bed b;
	setup_bed(&b, NATLB_NAT, 1, SERVERS);
	at(&b, MS(10), 1000, 0x10, 64, 40, 0);   /* an ACK of no connection */
	at(&b, MS(20), 1001, 0x02, 64, 40, 1);   /* a fragment */
	at(&b, MS(30), 1002, 0x02, 64, 30, 0);   /* ports, but the TCP header cut short */
	at(&b, MS(40), 1003, 0x02, 1, 40, 0);    /* a SYN whose TTL runs out */
	at(&b, MS(50), 1004, 0x02, 64, 40, 0);   /* a SYN: the one connection */
	at(&b, MS(60), 1005, 0x02, 64, 40, 0);   /* another SYN: table full */
	sim_run(S(1));
	const struct natlb_stats *st = natlb_stats(b.lb);
	assert_int_equal(st->drops[NATLB_DROP_NO_CONN], 1);
	assert_int_equal(st->drops[NATLB_DROP_FRAGMENT], 1);
	assert_int_equal(st->drops[NATLB_DROP_MALFORMED], 1);
	/* the TTL is judged before a connection is opened: 1003 takes no slot */
	assert_int_equal(st->drops[NATLB_DROP_TTL], 1);
	assert_int_equal(st->drops[NATLB_DROP_TABLE_FULL], 1);
	assert_int_equal(st->drops[NATLB_DROP_OUTPUT], 0);
	assert_int_equal(st->connections, 1);
	assert_int_equal(b.at1.n + b.at2.n, 1);   /* 1004's SYN only */
	teardown_bed(&b);
}

/* A real server with no route from the front end: the output drop. */
static void test_drop_output(void **state)
{
	(void)state;
	struct bed b;
	static const uint32_t far[2] = { IP4(10, 77, 0, 1), IP4(10, 77, 0, 2) };
	setup_bed(&b, NATLB_NAT, 16, far);
	at(&b, MS(10), 2000, 0x02, 64, 40, 0);
	sim_run(S(1));
	assert_int_equal(natlb_stats(b.lb)->drops[NATLB_DROP_OUTPUT], 1);
	assert_int_equal(natlb_stats(b.lb)->in, 0);
	teardown_bed(&b);
	/* dr: a real server that is not a neighbour is no next hop */
	setup_bed(&b, NATLB_DR, 16, far);
	at(&b, MS(10), 2001, 0x02, 64, 40, 0);
	sim_run(S(1));
	assert_int_equal(natlb_stats(b.lb)->drops[NATLB_DROP_OUTPUT], 1);
	teardown_bed(&b);
}

/* A full table makes room: connections that ended (RST; FIN both ways is
 * not seen from the client side alone in nat) after lb_closed_idle, idle
 * ones after lb_idle; a connection still open keeps its slot. */
static void test_sweep(void **state)
{
	(void)state;
	struct bed b;
	setup_bed(&b, NATLB_NAT, 2, SERVERS);
	at(&b, MS(10), 3000, 0x02, 64, 40, 0);   /* SYN: conn A */
	at(&b, MS(20), 3001, 0x02, 64, 40, 0);   /* SYN: conn B */
	at(&b, MS(30), 3001, 0x14, 64, 40, 0);   /* B: RST+ACK, ends */
	at(&b, MS(500), 3002, 0x02, 64, 40, 0);  /* table full: B ended 0.47 s ago, kept */
	at(&b, MS(1100), 3003, 0x02, 64, 40, 0); /* B ended 1.07 s ago: swept, C takes it */
	at(&b, MS(1200), 3000, 0x11, 64, 40, 0); /* A: FIN+ACK from the client (open: no FIN back) */
	at(&b, MS(2000), 3003, 0x10, 64, 40, 0); /* C: an ACK */
	at(&b, MS(3000), 3004, 0x02, 64, 40, 0); /* full (A, C open): refused */
	at(&b, S(6), 3005, 0x02, 64, 40, 0);     /* A idle 4.8 s, C 4.0 s: still kept */
	at(&b, MS(6300), 3006, 0x02, 64, 40, 0); /* A idle 5.1 s (past lb_idle): forgotten */
	sim_run(S(10));
	const struct natlb_stats *st = natlb_stats(b.lb);
	assert_int_equal(st->drops[NATLB_DROP_TABLE_FULL], 3);
	assert_int_equal(st->ended, 1);
	assert_int_equal(st->swept, 2);         /* B, then A */
	assert_int_equal(st->connections, 4);   /* A, B, C, 3006 */
	assert_int_equal(st->in, 7);            /* 4 SYNs, B's RST, A's FIN, C's ACK */
	assert_int_equal(b.at1.n + b.at2.n, 7);
	teardown_bed(&b);
}

/* dr: the datagram reaches the real server as it was sent (destination the
 * service's address), TTL one less, header checksum right; the servers in
 * turn; a FIN from the client ends the connection. */
static void test_dr_unchanged(void **state)
{
	(void)state;
	struct bed b;
	static const uint32_t next[2] = { S1, S2 };
	setup_bed(&b, NATLB_DR, 16, next);
	at(&b, MS(10), 4000, 0x02, 64, 40, 0);
	at(&b, MS(20), 4001, 0x02, 64, 40, 0);
	at(&b, MS(30), 4000, 0x11, 64, 40, 0);
	sim_run(S(1));
	assert_int_equal(b.at1.n, 2);
	assert_int_equal(b.at2.n, 1);
	for (int k = 0; k < 2; k++) {
		const struct inject *sent = &pending[k == 0 ? 0 : 2];
		const uint8_t *got = b.at1.dg[k];
		assert_int_equal(b.at1.len[k], sent->len);
		assert_int_equal(got[8], 63);
		assert_int_equal(ipv4_checksum(got, 20), 0);
		/* all but TTL (8) and header checksum (10, 11) byte for byte */
		assert_memory_equal(got, sent->dg, 8);
		assert_int_equal(got[9], sent->dg[9]);
		assert_memory_equal(got + 12, sent->dg + 12, sent->len - 12);
	}
	assert_int_equal(net_get32(b.at2.dg[0] + 16), VIP);
	const struct natlb_stats *st = natlb_stats(b.lb);
	assert_int_equal(st->in, 3);
	assert_int_equal(st->ended, 1);
	assert_int_equal(st->bytes, 120);
	teardown_bed(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_drop_reasons),
		cmocka_unit_test(test_drop_output),
		cmocka_unit_test(test_sweep),
		cmocka_unit_test(test_dr_unchanged),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
