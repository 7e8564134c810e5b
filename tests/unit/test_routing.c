/* test_routing.c - the model's static routes (world/routing.h): on generated
 * transit-stub topologies, with and without extra links that close cycles
 * through the stub domains, hop-by-hop forwarding from every node reaches
 * every node, on a path of the fewest hops (checked against a breadth-first
 * search); ties go to the least delay, parallel links to the one of least
 * delay; trees, separate components and bad input. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "scenario/topogen.h"
#include "status.h"
#include "world/routing.h"

/* Hops from `from` to every node, breadth first over the links. */
static void bfs(size_t n, size_t m, const size_t *a, const size_t *b, size_t from, size_t *hops)
{
	size_t *q = malloc(n * sizeof *q), nq = 0, head = 0;
	assert_non_null(q);
	for (size_t u = 0; u < n; u++)
		hops[u] = SIZE_MAX;
	hops[from] = 0;
	q[nq++] = from;
	while (head < nq) {
		size_t u = q[head++];
		for (size_t k = 0; k < m; k++) {
			size_t v = a[k] == u ? b[k] : b[k] == u ? a[k] : SIZE_MAX;
			if (v != SIZE_MAX && hops[v] == SIZE_MAX) {
				hops[v] = hops[u] + 1;
				q[nq++] = v;
			}
		}
	}
	free(q);
}

/* Forwarding hop by hop from every node to every node arrives, in as many
 * hops as the breadth-first search says; returns the number of pairs. */
static size_t check_all_pairs(size_t n, size_t m, const size_t *a, const size_t *b,
			      const uint64_t *d)
{
	struct routes *r = routes_new(n, m, a, b, d);
	assert_non_null(r);
	size_t *hops = malloc(n * sizeof *hops), pairs = 0;
	assert_non_null(hops);
	for (size_t to = 0; to < n; to++) {
		bfs(n, m, a, b, to, hops);     /* undirected: hops from every node to `to` */
		for (size_t from = 0; from < n; from++) {
			if (from == to) {
				assert_int_equal(routes_next(r, from, to), -1);
				continue;
			}
			assert_true(hops[from] != SIZE_MAX);   /* generated: connected */
			size_t cur = from, steps = 0;
			while (cur != to) {
				long k = routes_next(r, cur, to);
				assert_true(k >= 0 && (size_t)k < m);
				assert_true(a[k] == cur || b[k] == cur);
				cur = a[k] == cur ? b[k] : a[k];
				assert_true(++steps <= n);
			}
			assert_int_equal(steps, hops[from]);
			pairs++;
		}
	}
	free(hops);
	routes_free(r);
	return pairs;
}

static void routing__fewest_hops_on_generated_topologies(void **state)
{
	(void)state;
	for (uint64_t seed = 1; seed <= 4; seed++) {
		struct topogen_config c = {
			.seed = seed, .transit = 8, .stubs = 30, .stub_routers = 3, .hosts = 2,
			.extra = seed % 2 ? 0.3 : 0,
			.delay_min = { 10000000, 2000000, 1000000 },
			.delay_max = { 25000000, 5000000, 1000000 },
			.rate = { 45000000, 1544000, 10000000 },
			.pool = 10u << 24, .pool_prefix = 8,
		};
		struct topogen t;
		char why[200];
		assert_int_equal(topogen_transit_stub(&c, "isp", &t, why, sizeof why), HN_OK);
		/* seeds 3 and 4: 40 more links between drawn nodes, so that cycles
		 * run through stub domains and hosts (a larger core) */
		size_t extra = seed >= 3 ? 40 : 0, m = t.nlinks + extra;
		size_t *a = malloc(m * sizeof *a), *b = malloc(m * sizeof *b);
		uint64_t *d = malloc(m * sizeof *d);
		assert_non_null(a);
		assert_non_null(b);
		assert_non_null(d);
		for (size_t k = 0; k < t.nlinks; k++) {
			a[k] = t.link[k].a;
			b[k] = t.link[k].b;
			d[k] = t.link[k].delay_ns;
		}
		uint64_t x = seed;
		for (size_t k = t.nlinks; k < m; k++) {
			do {
				x = x * 6364136223846793005ull + 1442695040888963407ull;
				a[k] = (size_t)(x >> 33) % t.nnodes;
				x = x * 6364136223846793005ull + 1442695040888963407ull;
				b[k] = (size_t)(x >> 33) % t.nnodes;
			} while (a[k] == b[k]);
			d[k] = 1000000 + (x >> 40) % 1000000;
		}
		struct routes *r = routes_new(t.nnodes, m, a, b, d);
		assert_non_null(r);
		/* the core: one node of a tree (the backbone a tree, seed 2); a
		 * cycle among the transit routers (seed 1); more (seeds 3, 4) */
		if (!extra && c.extra == 0)
			assert_int_equal(routes_core(r), 1);
		else if (!extra)
			assert_true(routes_core(r) >= 3 && routes_core(r) <= c.transit);
		else
			assert_true(routes_core(r) > c.transit);
		routes_free(r);
		assert_int_equal(check_all_pairs(t.nnodes, m, a, b, d), t.nnodes * (t.nnodes - 1));
		free(a);
		free(b);
		free(d);
		topogen_free(&t);
	}
}

/* A square 0-1-3, 0-2-3: two paths of two hops; the one of less delay. */
static void routing__hop_ties_go_to_least_delay(void **state)
{
	(void)state;
	size_t a[] = { 0, 1, 0, 2 }, b[] = { 1, 3, 2, 3 };
	uint64_t via1[] = { 1, 1, 5, 5 }, via2[] = { 5, 5, 1, 1 };
	struct routes *r = routes_new(4, 4, a, b, via1);
	assert_non_null(r);
	assert_int_equal(routes_next(r, 0, 3), 0);
	assert_int_equal(routes_next(r, 3, 0), 1);
	routes_free(r);
	r = routes_new(4, 4, a, b, via2);
	assert_non_null(r);
	assert_int_equal(routes_next(r, 0, 3), 2);
	assert_int_equal(routes_next(r, 3, 0), 3);
	routes_free(r);
	/* fewer hops beat less delay: a direct link 0-3 of 1 s */
	size_t a2[] = { 0, 1, 0, 2, 0 }, b2[] = { 1, 3, 2, 3, 3 };
	uint64_t d2[] = { 1, 1, 1, 1, 1000000000 };
	r = routes_new(4, 5, a2, b2, d2);
	assert_non_null(r);
	assert_int_equal(routes_next(r, 0, 3), 4);
	assert_int_equal(routes_next(r, 1, 2), 0);   /* 1-0-2 (2 ms) before 1-3-2 (2 ms): lower index */
	routes_free(r);
}

/* Two parallel links between two routers of a ring: the one of less delay,
 * then the lower index. */
static void routing__parallel_links(void **state)
{
	(void)state;
	size_t a[] = { 0, 0, 1, 2 }, b[] = { 1, 1, 2, 0 };
	uint64_t d[] = { 3, 2, 1, 1 }, e[] = { 2, 2, 1, 1 };
	struct routes *r = routes_new(3, 4, a, b, d);
	assert_non_null(r);
	assert_int_equal(routes_next(r, 0, 1), 1);
	assert_int_equal(routes_next(r, 1, 0), 1);
	routes_free(r);
	r = routes_new(3, 4, a, b, e);
	assert_non_null(r);
	assert_int_equal(routes_next(r, 0, 1), 0);
	routes_free(r);
}

/* A path 0-1-2-3 (a tree: it keeps one node as its core), a separate pair
 * 4-5, an isolated node 6; a router 7 with 20 children (8..27), each with a
 * child of its own (28..47), hanging off the path's node 2. */
static void routing__trees_components_and_bad_input(void **state)
{
	(void)state;
	size_t a[5 + 40], b[5 + 40];
	uint64_t d[5 + 40];
	size_t m = 0;
	size_t pa[] = { 0, 1, 2, 4, 2 }, pb[] = { 1, 2, 3, 5, 7 };
	for (size_t k = 0; k < 5; k++, m++) {
		a[m] = pa[k];
		b[m] = pb[k];
		d[m] = 1;
	}
	for (size_t c = 0; c < 20; c++) {
		a[m] = 7; b[m] = 8 + c; d[m++] = 1;       /* link 5 + 2c */
		a[m] = 8 + c; b[m] = 28 + c; d[m++] = 1;  /* link 6 + 2c */
	}
	assert_int_equal(m, 45);
	struct routes *r = routes_new(48, m, a, b, d);
	assert_non_null(r);
	assert_int_equal(routes_core(r), 3);   /* one per component */
	assert_int_equal(routes_next(r, 0, 3), 0);
	assert_int_equal(routes_next(r, 3, 0), 2);
	assert_int_equal(routes_next(r, 1, 2), 1);
	assert_int_equal(routes_next(r, 0, 4), -1);
	assert_int_equal(routes_next(r, 5, 3), -1);
	assert_int_equal(routes_next(r, 6, 0), -1);
	assert_int_equal(routes_next(r, 0, 6), -1);
	assert_int_equal(routes_next(r, 4, 5), 3);
	for (size_t c = 0; c < 20; c++) {
		assert_int_equal(routes_next(r, 7, 28 + c), (long)(5 + 2 * c));
		assert_int_equal(routes_next(r, 2, 28 + c), 4);
		assert_int_equal(routes_next(r, 28 + c, 0), (long)(6 + 2 * c));
		assert_int_equal(routes_next(r, 8 + c, 28 + (c + 1) % 20), (long)(5 + 2 * c));
	}
	assert_int_equal(routes_next(r, 48, 0), -1);
	assert_int_equal(routes_next(r, 0, 48), -1);
	routes_free(r);
	size_t loop_a[] = { 0 }, loop_b[] = { 0 }, far_b[] = { 2 };
	uint64_t one[] = { 1 };
	assert_null(routes_new(2, 1, loop_a, loop_b, one));
	assert_null(routes_new(2, 1, loop_a, far_b, one));
	routes_free(NULL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(routing__fewest_hops_on_generated_topologies),
		cmocka_unit_test(routing__hop_ties_go_to_least_delay),
		cmocka_unit_test(routing__parallel_links),
		cmocka_unit_test(routing__trees_components_and_bad_input),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
