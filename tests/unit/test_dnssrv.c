/* test_dnssrv.c - unit tests of dnssrv.c: the authoritative server's choice
 * (nearest: least delay, ties in turn, the origin only when strictly
 * nearer; round robin), and on the simulator: a stub S asking a resolver R
 * which asks the name server N, the bytes each sends, R's cache for the
 * TTL, and hostile datagrams to N and R counted as drops by reason. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "apps/dnssrv.h"
#include "sim/sim.h"
#include "status.h"
#include "testutil.h"

#define HS1 IP4(10, 0, 1, 10)
#define HS2 IP4(10, 0, 2, 10)
#define ORIGIN IP4(192, 20, 1, 10)
#define ASK_A IP4(10, 9, 0, 1)
#define ASK_B IP4(10, 9, 0, 2)

/* delay table: A is 5 from HS1, 5 from HS2, 9 from the origin; B is 7
 * from HS1, 3 from HS2, 3 from the origin (a tie with HS2). */
static uint64_t fake_dist(void *ctx, uint32_t req, uint32_t cand)
{
	(void)ctx;
	if (req == ASK_A)
		return cand == ORIGIN ? 9 : 5;
	if (req == ASK_B)
		return cand == HS1 ? 7 : 3;
	return cand == ORIGIN ? 1 : UINT64_MAX;   /* unknown replicas: the origin */
}

static void dnssrv__choice(void **state)
{
	(void)state;
	const uint32_t cand[] = { HS1, HS2, ORIGIN };
	struct dnssrv_auth_config c = { "web", DNSSRV_NEAREST, 60000000000ull };
	struct dnssrv_auth *a = dnssrv_auth_new(NULL, 0, "web", &c, cand, 3, 1, fake_dist, NULL);
	assert_non_null(a);
	/* A: HS1 and HS2 tie at 5, taking turns; the origin (9) never */
	uint32_t x = dnssrv_auth_choose(a, ASK_A), y = dnssrv_auth_choose(a, ASK_A);
	assert_true((x == HS1 && y == HS2) || (x == HS2 && y == HS1));
	assert_int_equal(dnssrv_auth_choose(a, ASK_A), x);
	/* B: HS2 at 3; the origin at 3 too is not strictly nearer */
	for (int i = 0; i < 4; i++)
		assert_int_equal(dnssrv_auth_choose(a, ASK_B), HS2);
	/* unknown asker: every replica unreachable, the origin is nearer */
	assert_int_equal(dnssrv_auth_choose(a, IP4(1, 2, 3, 4)), ORIGIN);
	dnssrv_auth_free(a);
	/* round robin: each in turn, the origin included */
	c.policy = DNSSRV_ROUND_ROBIN;
	a = dnssrv_auth_new(NULL, 0, "web", &c, cand, 3, 1, fake_dist, NULL);
	assert_int_equal(dnssrv_auth_choose(a, ASK_A), HS1);
	assert_int_equal(dnssrv_auth_choose(a, ASK_B), HS2);
	assert_int_equal(dnssrv_auth_choose(a, ASK_A), ORIGIN);
	assert_int_equal(dnssrv_auth_choose(a, ASK_A), HS1);
	/* a record removed: never named again; removing the last is refused */
	assert_int_equal(dnssrv_auth_remove(a, HS1), HN_OK);
	for (int i = 0; i < 4; i++)
		assert_int_not_equal(dnssrv_auth_choose(a, ASK_A), HS1);
	assert_int_equal(dnssrv_auth_remove(a, HS1), HN_ENOENT);
	assert_int_equal(dnssrv_auth_remove(a, ORIGIN), HN_OK);
	assert_int_equal(dnssrv_auth_choose(a, ASK_A), HS2);
	assert_int_equal(dnssrv_auth_remove(a, HS2), HN_ENOENT);
	dnssrv_auth_free(a);
	/* nearest without the origin: HS2 is the nearest replica left for B */
	c.policy = DNSSRV_NEAREST;
	a = dnssrv_auth_new(NULL, 0, "web", &c, cand, 3, 1, fake_dist, NULL);
	assert_int_equal(dnssrv_auth_remove(a, HS2), HN_OK);
	assert_int_equal(dnssrv_auth_choose(a, ASK_B), ORIGIN);   /* 3 < HS1's 7 */
	/* a record added (a replica started): named again; twice is refused */
	assert_int_equal(dnssrv_auth_add(a, HS2), HN_OK);
	assert_int_equal(dnssrv_auth_choose(a, ASK_B), HS2);
	assert_int_equal(dnssrv_auth_add(a, HS2), HN_EEXIST);
	dnssrv_auth_free(a);
	/* round robin: an added record goes before the origin, in turn */
	c.policy = DNSSRV_ROUND_ROBIN;
	const uint32_t two[] = { HS1, ORIGIN };
	a = dnssrv_auth_new(NULL, 0, "web", &c, two, 2, 1, fake_dist, NULL);
	assert_int_equal(dnssrv_auth_add(a, HS2), HN_OK);
	assert_int_equal(dnssrv_auth_choose(a, ASK_A), HS1);
	assert_int_equal(dnssrv_auth_choose(a, ASK_A), HS2);
	assert_int_equal(dnssrv_auth_choose(a, ASK_A), ORIGIN);
	dnssrv_auth_free(a);
	c.policy = DNSSRV_NEAREST;
	/* refused configurations */
	assert_null(dnssrv_auth_new(NULL, 0, "web", &c, cand, 0, 1, NULL, NULL));
	assert_null(dnssrv_auth_new(NULL, 0, "web", &c, cand, DNSSRV_MAX_CANDIDATES + 1, 1, NULL, NULL));
}

/* ---- on the simulator ------------------------------------------------------ */

#define NS_ADDR IP4(10, 0, 0, 53)
#define RES_ADDR IP4(10, 0, 3, 53)
#define STUB_ADDR IP4(10, 0, 4, 2)
#define S(x) ((uint64_t)(x) * 1000000000ull)

struct got {
	uint32_t addr[8];
	uint64_t at_ns[8];
	int n;
};

static void resolved(void *arg, uint32_t addr)
{
	struct got *g = arg;
	if (g->n < 8) {
		g->addr[g->n] = addr;
		g->at_ns[g->n++] = sim_now_ns();
	}
}

struct bed {
	struct dnssrv_stub *stub;
	struct got got;
	sim_sock *evil;
};

static void ask(void *arg)
{
	struct bed *b = arg;
	assert_int_equal(dnssrv_stub_resolve(b->stub, resolved, &b->got), HN_OK);
}

struct hostile {
	sim_sock *s;
	uint32_t to;
	uint8_t buf[600];
	size_t len;
};

static void send_hostile(void *arg)
{
	struct hostile *h = arg;
	sim_sock_sendto(h->s, h->buf, h->len, h->to, DNS_PORT);
}

static void dnssrv__resolve_cache_and_drops(void **state)
{
	(void)state;
	const struct sim_config cfg = { 1, 1 };
	assert_int_equal(sim_init(&cfg), HN_OK);
	struct sim_link_config lc = { .rate_bps = 10000000, .delay_ns = 10000000, .mtu_bytes = 1500,
				      .queue_packets = 100 };
	sim_node *gw = sim_node_create("G"), *n = sim_node_create("N"), *r = sim_node_create("R"),
		 *c = sim_node_create("C");
	assert_non_null(sim_link_create(gw, n, &lc, IP4(10, 0, 0, 1), NS_ADDR, 24));
	assert_non_null(sim_link_create(gw, r, &lc, IP4(10, 0, 3, 1), RES_ADDR, 24));
	assert_non_null(sim_link_create(gw, c, &lc, IP4(10, 0, 4, 1), STUB_ADDR, 24));
	assert_int_equal(sim_routing_populate(), HN_OK);
	const uint32_t cand[] = { HS1, ORIGIN };
	struct dnssrv_auth_config ac = { "web", DNSSRV_ROUND_ROBIN, S(10) };
	struct dnssrv_auth *a = dnssrv_auth_new(n, NS_ADDR, "web", &ac, cand, 2, 1, NULL, NULL);
	struct dnssrv_resolver *res = dnssrv_resolver_new(r, RES_ADDR, NS_ADDR);
	struct bed b = { 0 };
	b.stub = dnssrv_stub_new(c, RES_ADDR, "web", 0);
	assert_non_null(a);
	assert_non_null(res);
	assert_non_null(b.stub);
	/* asks at 1 s (miss everywhere), 1.5 s (stub cache), 12 s (stub
	 * expired at 11 s; R's entry too: a new upstream query, the next
	 * address in turn) */
	sim_schedule(S(1), ask, &b);
	sim_schedule(S(1) + S(1) / 2, ask, &b);
	sim_schedule(S(12), ask, &b);
	/* hostile datagrams, to N and to R: a truncated header, a pointer
	 * loop, a response sent to a server */
	static struct hostile h[4];
	h[0].s = h[1].s = h[2].s = h[3].s = sim_udp_socket(c, &(struct sim_sock_ops){ 0 }, NULL);
	assert_int_equal(sim_sock_bind(h[0].s, 0, 0), HN_OK);
	h[0] = (struct hostile){ h[0].s, NS_ADDR, { 0x12, 0x34, 0x01 }, 3 };
	const uint8_t loop[] = { 0, 1, 1, 0, 0, 1, 0, 0, 0, 0, 0, 0, 1, 'a', 0xc0, 12, 0, 1, 0, 1 };
	h[1] = (struct hostile){ h[0].s, RES_ADDR, { 0 }, sizeof loop };
	memcpy(h[1].buf, loop, sizeof loop);
	const uint8_t resp[] = { 0, 1, 0x84, 0, 0, 1, 0, 0, 0, 0, 0, 0, 3, 'w', 'e', 'b', 0, 0, 1, 0, 1 };
	h[2] = (struct hostile){ h[0].s, NS_ADDR, { 0 }, sizeof resp };
	memcpy(h[2].buf, resp, sizeof resp);
	h[3] = (struct hostile){ h[0].s, RES_ADDR, { 0 }, 513 };   /* over 512 */
	for (int i = 0; i < 4; i++)
		sim_schedule(S(20), send_hostile, &h[i]);
	sim_run(S(30));

	assert_int_equal(b.got.n, 3);
	assert_int_equal(b.got.addr[0], HS1);
	assert_int_equal(b.got.addr[1], HS1);       /* from the stub's cache */
	assert_int_equal(b.got.at_ns[1], S(1) + S(1) / 2);   /* at once */
	assert_int_equal(b.got.addr[2], ORIGIN);    /* the next in turn */
	/* first answer: stub -> R -> N -> R -> stub crosses eight 10 ms links */
	assert_int_equal(b.got.at_ns[0] > S(1) + 80000000ull, 1);
	const struct dnssrv_stats *ss = dnssrv_stub_stats(b.stub);
	assert_int_equal(ss->queries, 2);
	assert_int_equal(ss->answers, 2);
	assert_int_equal(ss->cache_hits, 1);
	/* a query for "web" is 12 + 5 + 4 = 21 bytes, its answer 21 + 16 */
	assert_int_equal(ss->bytes, 2 * 21 + 2 * 37);
	const struct dnssrv_stats *rs = dnssrv_resolver_stats(res);
	assert_int_equal(rs->queries, 2);
	assert_int_equal(rs->cache_misses, 2);
	assert_int_equal(rs->upstream, 2);
	assert_int_equal(rs->drops[DNSSRV_DROP_POINTER], 1);
	assert_int_equal(rs->drops[DNSSRV_DROP_OVERSIZE], 1);
	const struct dnssrv_stats *as = dnssrv_auth_stats(a);
	assert_int_equal(as->queries, 2);
	assert_int_equal(as->answered_replica, 1);
	assert_int_equal(as->answered_origin, 1);
	assert_int_equal(as->drops[DNSSRV_DROP_TRUNC], 1);
	assert_int_equal(as->drops[DNSSRV_DROP_NOT_QUERY], 1);
	dnssrv_stub_free(b.stub);
	sim_destroy();
	dnssrv_resolver_free(res);
	dnssrv_auth_free(a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(dnssrv__choice),
		cmocka_unit_test(dnssrv__resolve_cache_and_drops),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
