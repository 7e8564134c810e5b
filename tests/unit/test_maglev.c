/* test_maglev.c - Maglev's lookup table (maglev.c) as the paper's
 * Pseudocode 1 builds it, and what each affinity scheme of the redirector
 * breaks when the replica set changes or the redirector restarts. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdbool.h>
#include <stdio.h>

#include "hydranet/maglev.h"
#include "hydranet/redir.h"
#include "net/ipv4.h"
#include "status.h"
#include "testutil.h"

/* The example of the Maglev paper's Table 1 (NSDI'16, section 3.4), M = 7,
 * computed here by hand from the offsets and skips alone.
 *
 * permutation[i][j] = (offset_i + j * skip_i) mod 7:
 *   B0: offset 3, skip 4:  3 0 4 1 5 2 6
 *   B1: offset 0, skip 2:  0 2 4 6 1 3 5
 *   B2: offset 3, skip 1:  3 4 5 6 0 1 2
 * Turns B0, B1, B2, B0, ...; each takes the first slot of its permutation
 * not yet taken:
 *   B0 -> 3;  B1 -> 0;  B2: 3 taken -> 4;
 *   B0: 0 taken, 4 taken -> 1;  B1 -> 2;  B2 -> 5;
 *   B0: 5 taken, 2 taken -> 6.   All 7 slots taken.
 * Table: [B1 B0 B1 B0 B2 B2 B0], the paper's "Before" column.
 *
 * Without B1 (backends B0, B2):
 *   B0 -> 3;  B2: 3 taken -> 4;
 *   B0 -> 0;  B2 -> 5;
 *   B0: 4 taken -> 1;  B2 -> 6;
 *   B0: 5 taken -> 2.   All taken.
 * Table: [B0 B0 B0 B0 B2 B2 B2]: B1's slots 0 and 2 went to B0, and slot 6
 * moved from B0 to B2 as well (Maglev is not perfectly minimal). */
static void maglev__paper_table_1_by_hand(void **state)
{
	(void)state;
	const uint32_t off[3] = { 3, 0, 3 }, skip[3] = { 4, 2, 1 };
	int32_t e[7];
	assert_int_equal(maglev_populate(off, skip, 3, 7, e), HN_OK);
	const int32_t before[7] = { 1, 0, 1, 0, 2, 2, 0 };
	assert_memory_equal(e, before, sizeof e);
	const uint32_t off2[2] = { 3, 3 }, skip2[2] = { 4, 1 };   /* B0, B2 */
	assert_int_equal(maglev_populate(off2, skip2, 2, 7, e), HN_OK);
	const int32_t after[7] = { 0, 0, 0, 0, 1, 1, 1 };   /* index 1 is B2 */
	assert_memory_equal(e, after, sizeof e);
	/* What it refuses: a size that is not prime, a skip of 0, an offset past M. */
	assert_int_equal(maglev_populate(off, skip, 3, 9, e), HN_EINVAL);
	const uint32_t bad_skip[3] = { 4, 0, 1 }, bad_off[3] = { 7, 0, 3 };
	assert_int_equal(maglev_populate(off, bad_skip, 3, 7, e), HN_EINVAL);
	assert_int_equal(maglev_populate(bad_off, skip, 3, 7, e), HN_EINVAL);
	assert_true(maglev_is_prime(65537));
	assert_false(maglev_is_prime(65535));
}

/* Pseudocode 1 gives every backend M / N slots, give or take one. */
static void maglev__slots_are_shared_within_one(void **state)
{
	(void)state;
	static int32_t e[65537];
	for (size_t n = 1; n <= REDIR_MAX_REPLICAS; n++) {
		uint32_t addr[REDIR_MAX_REPLICAS];
		for (size_t i = 0; i < n; i++)
			addr[i] = IP4(128, 142, 222, 10 + (int)i);
		assert_int_equal(maglev_build(addr, n, 65537, e), HN_OK);
		size_t count[REDIR_MAX_REPLICAS] = { 0 };
		for (size_t j = 0; j < 65537; j++) {
			assert_true(e[j] >= 0 && (size_t)e[j] < n);
			count[e[j]]++;
		}
		for (size_t i = 0; i < n; i++)
			assert_true(count[i] == 65537 / n || count[i] == 65537 / n + 1);
	}
}

/* ---- the redirector's affinity schemes ------------------------------------ */

#define ORIGIN IP4(192, 20, 225, 20)
#define FLOWS 1000
#define NREP 4

static uint32_t hs_addr(int i)
{
	return IP4(128, 142, 222, 80 + i);
}

struct fake {
	uint32_t last_dst;
	int sent;
};

static int f_output(void *ctx, const uint8_t *dg, size_t len)
{
	struct fake *f = ctx;
	struct ipv4_hdr h;
	if (ipv4_decode(dg, len, &h) == HN_OK) {
		f->last_dst = h.dst;
		f->sent++;
	}
	return HN_OK;
}
static uint32_t f_mtu(void *ctx, uint32_t dst)
{
	(void)ctx;
	(void)dst;
	return 1500;
}
static uint32_t f_src(void *ctx, uint32_t dst)
{
	(void)ctx;
	(void)dst;
	return IP4(10, 0, 3, 1);
}

/* Flow k's next TCP segment (a SYN when syn): the host server it goes to, 0
 * the origin. */
static uint32_t seg(struct redir *r, struct fake *f, int k, int syn, uint64_t now)
{
	uint8_t dg[60];
	tu_datagram(dg, sizeof dg, IPV4_PROTO_TCP, IP4(10, 1, k / 200, k % 200 + 1), ORIGIN,
		    (uint16_t)(1024 + k * 7), 80, 1, 64, 0);
	dg[20 + 13] = syn ? 0x02 : 0x10;
	f->sent = 0;
	if (redir_input(r, dg, sizeof dg, now) == REDIR_PASS)
		return 0;
	return f->sent ? f->last_dst : 0;
}

enum event { EV_NONE, EV_ADD, EV_REMOVE, EV_FAIL, EV_RESTART };

/* FLOWS connections open on NREP replicas under a scheme, then the event;
 * how many connections' next segment goes to another host server than
 * before (broken), and how many of those were not on the replica the event
 * took away (broken needlessly). */
static void measure(enum redir_policy policy, bool flow_table, enum event ev, int *broken,
		    int *needless)
{
	struct fake f = { 0 };
	struct redir_config cfg = { .frag = { 16, 16384, 1000000000ull }, .policy = policy,
				    .flow_table = flow_table, .max_flows = 8192 };
	struct redir_io io = { f_output, f_mtu, f_src, &f };
	struct redir *r = redir_new(&cfg, &io);
	assert_non_null(r);
	for (int i = 0; i < NREP; i++)
		assert_int_equal(redir_table_add(r, ORIGIN, 80, IPV4_PROTO_TCP, hs_addr(i)), HN_OK);
	static uint32_t on[FLOWS];
	for (int k = 0; k < FLOWS; k++)
		on[k] = seg(r, &f, k, 1, 1000);
	uint32_t gone = 0;
	switch (ev) {
	case EV_ADD:
		assert_int_equal(redir_table_add(r, ORIGIN, 80, IPV4_PROTO_TCP, hs_addr(NREP)), HN_OK);
		break;
	case EV_REMOVE:
		gone = hs_addr(1);
		assert_int_equal(redir_table_withdraw(r, ORIGIN, 80, IPV4_PROTO_TCP, gone), HN_OK);
		break;
	case EV_FAIL:
		gone = hs_addr(1);
		assert_int_equal(redir_replica_set_health(r, ORIGIN, 80, IPV4_PROTO_TCP, gone, true, 2000),
				 HN_OK);
		break;
	case EV_RESTART:
		redir_crash(r, 2000);
		break;
	default:
		break;
	}
	/* The next segments come in another order than the first ones did
	 * (a fixed shuffle: Fisher-Yates over a 32-bit LCG, Numerical Recipes'
	 * constants), as connections' segments interleave. */
	static int order[FLOWS];
	uint32_t x = 12345;
	for (int k = 0; k < FLOWS; k++)
		order[k] = k;
	for (int k = FLOWS - 1; k > 0; k--) {
		x = x * 1664525u + 1013904223u;
		int j = (int)(x % (uint32_t)(k + 1)), t = order[k];
		order[k] = order[j];
		order[j] = t;
	}
	*broken = *needless = 0;
	for (int i = 0; i < FLOWS; i++) {
		int k = order[i];
		uint32_t now_on = seg(r, &f, k, 0, 3000);
		if (now_on != on[k]) {
			(*broken)++;
			*needless += on[k] != gone;
		}
	}
	redir_free(r);
}

/* The counts of each scheme, as the README's experiments section reports
 * them; printed so a run shows them.  What must hold:
 *  - the flow table (today's redirector): nothing moves when a replica is
 *    added; exactly the connections of a replica removed or failed break;
 *    a restart breaks every connection (its segments, of connections the
 *    restarted redirector does not know, go to the origin);
 *  - Maglev with the flow table: the same, but a restart breaks nothing;
 *  - Maglev without it: a restart breaks nothing and a change moves only a
 *    few connections beyond those it must (the table is not perfectly
 *    minimal: under 2% of them here, M = 65537 and 4 or 5 replicas);
 *  - round robin without a flow table: connections break with no event at
 *    all (every datagram chooses again). */
static void maglev__disruption_by_scheme(void **state)
{
	(void)state;
	static const struct { const char *name; enum redir_policy p; bool ft; } sch[] = {
		{ "round_robin, no flow table", REDIR_ROUND_ROBIN, false },
		{ "round_robin + flow table", REDIR_ROUND_ROBIN, true },
		{ "maglev, no flow table", REDIR_MAGLEV, false },
		{ "maglev + flow table", REDIR_MAGLEV, true },
	};
	static const char *const evn[] = { "none", "add", "remove", "fail", "restart" };
	int b[4][5], n[4][5];
	printf("# connections broken of %d on %d replicas (needlessly: not on the replica lost)\n",
	       FLOWS, NREP);
	for (int s = 0; s < 4; s++) {
		printf("# %-28s", sch[s].name);
		for (int e = EV_NONE; e <= EV_RESTART; e++) {
			measure(sch[s].p, sch[s].ft, (enum event)e, &b[s][e], &n[s][e]);
			printf(" %s %d (%d)", evn[e], b[s][e], n[s][e]);
		}
		printf("\n");
	}
	/* The replica lost (index 1) had its share of the flows. */
	int lost_rr = b[1][EV_REMOVE], lost_mg = b[3][EV_REMOVE];
	assert_int_equal(lost_rr, FLOWS / NREP);   /* round robin: exactly a quarter */
	assert_true(lost_mg > FLOWS / NREP / 2 && lost_mg < FLOWS / NREP * 3 / 2);
	/* Flow table, round robin. */
	assert_int_equal(b[1][EV_NONE], 0);
	assert_int_equal(b[1][EV_ADD], 0);
	assert_int_equal(n[1][EV_REMOVE], 0);
	assert_int_equal(b[1][EV_FAIL], lost_rr);
	assert_int_equal(n[1][EV_FAIL], 0);
	assert_int_equal(b[1][EV_RESTART], FLOWS);
	/* Maglev + flow table. */
	assert_int_equal(b[3][EV_NONE], 0);
	assert_int_equal(b[3][EV_ADD], 0);
	assert_int_equal(n[3][EV_REMOVE], 0);
	assert_int_equal(b[3][EV_FAIL], lost_mg);
	assert_int_equal(n[3][EV_FAIL], 0);
	assert_int_equal(b[3][EV_RESTART], 0);
	/* Maglev alone. */
	assert_int_equal(b[2][EV_NONE], 0);
	assert_int_equal(b[2][EV_RESTART], 0);
	assert_int_equal(b[2][EV_REMOVE] - n[2][EV_REMOVE], lost_mg);   /* same hash, same flows */
	assert_true(n[2][EV_REMOVE] < FLOWS / 50);
	assert_true(n[2][EV_FAIL] < FLOWS / 50);
	/* Adding a fifth replica: about a fifth move to it, few elsewhere. */
	assert_true(b[2][EV_ADD] > FLOWS / 10 && b[2][EV_ADD] < FLOWS * 3 / 10);
	/* Round robin alone breaks connections with nothing happening. */
	assert_true(b[0][EV_NONE] > FLOWS / 2);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(maglev__paper_table_1_by_hand),
		cmocka_unit_test(maglev__slots_are_shared_within_one),
		cmocka_unit_test(maglev__disruption_by_scheme),
	};
	return cmocka_run_group_tests_name("maglev", tests, NULL, NULL);
}
