/* test_topogen.c - the transit-stub generator: reproducible from its seed,
 * connected, with the counts, names, delays and addresses it promises; and
 * a [topology] section adds exactly those nodes and links to a scenario. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "net/graph.h"
#include "scenario/scenario.h"
#include "scenario/topogen.h"
#include "status.h"

static struct topogen_config config(uint64_t seed)
{
	struct topogen_config c = {
		.seed = seed, .transit = 12, .stubs = 150, .stub_routers = 3, .hosts = 4,
		.extra = 0.2,
		.delay_min = { 10000000, 2000000, 1000000 },
		.delay_max = { 25000000, 5000000, 1000000 },
		.rate = { 45000000, 1544000, 10000000 },
		.pool = 10u << 24, .pool_prefix = 8,
	};
	return c;
}

static int same(const struct topogen *x, const struct topogen *y)
{
	if (x->nnodes != y->nnodes || x->nlinks != y->nlinks)
		return 0;
	for (size_t i = 0; i < x->nnodes; i++)
		if (strcmp(x->node[i].name, y->node[i].name) || x->node[i].cls != y->node[i].cls)
			return 0;
	return !memcmp(x->link, y->link, x->nlinks * sizeof *x->link);
}

static void topogen__same_seed_same_topology(void **state)
{
	(void)state;
	struct topogen_config c = config(7), d = config(8);
	struct topogen a, b, e;
	char why[200];
	assert_int_equal(topogen_transit_stub(&c, "isp", &a, why, sizeof why), HN_OK);
	assert_int_equal(topogen_transit_stub(&c, "isp", &b, why, sizeof why), HN_OK);
	assert_int_equal(topogen_transit_stub(&d, "isp", &e, why, sizeof why), HN_OK);
	assert_true(same(&a, &b));
	assert_false(same(&a, &e));   /* another seed draws other links and delays */
	topogen_free(&a);
	topogen_free(&b);
	topogen_free(&e);
}

static void topogen__counts_names_delays_addresses(void **state)
{
	(void)state;
	struct topogen_config c = config(3);
	struct topogen t;
	char why[200];
	assert_int_equal(topogen_transit_stub(&c, "isp", &t, why, sizeof why), HN_OK);
	assert_int_equal(t.nnodes, 12 + 150 * (3 + 4));
	/* a tree among the transit routers (11) plus extra ones; per stub
	 * domain one uplink, 2 internal, 4 host links */
	size_t transit_links = 0;
	for (size_t k = 0; k < t.nlinks; k++)
		transit_links += t.link[k].cls == TG_TRANSIT;
	assert_true(transit_links >= 11 && transit_links <= 66);
	assert_int_equal(t.nlinks, transit_links + 150 * 7);
	assert_string_equal(t.node[0].name, "isp-t0");
	assert_string_equal(t.node[12].name, "isp-s0-r0");
	assert_string_equal(t.node[12 + 3].name, "isp-s0-h0");
	assert_string_equal(t.node[t.nnodes - 1].name, "isp-s149-h3");
	for (size_t k = 0; k < t.nlinks; k++) {
		const struct topogen_link *l = &t.link[k];
		int cls = l->cls;
		assert_true(l->delay_ns >= c.delay_min[cls] && l->delay_ns <= c.delay_max[cls]);
		assert_int_equal(l->rate_bps, c.rate[cls]);
		assert_int_equal(l->a_addr, (10u << 24) + 4 * (uint32_t)k + 1);
		assert_int_equal(l->b_addr, l->a_addr + 1);
		/* hosts hang off a router of their own domain */
		if (cls == TG_HOST) {
			assert_int_equal(t.node[l->b].cls, TG_HOST);
			assert_int_equal(t.node[l->a].cls, TG_STUB);
			assert_int_equal(t.node[l->a].domain, t.node[l->b].domain);
		}
	}
	topogen_free(&t);
}

static void topogen__connected_for_many_seeds(void **state)
{
	(void)state;
	for (uint64_t seed = 1; seed <= 20; seed++) {
		struct topogen_config c = config(seed);
		c.extra = seed % 2 ? 0 : 0.5;
		struct topogen t;
		char why[200];
		assert_int_equal(topogen_transit_stub(&c, "x", &t, why, sizeof why), HN_OK);
		size_t *a = malloc(t.nlinks * sizeof *a), *b = malloc(t.nlinks * sizeof *b);
		uint64_t *w = malloc(t.nlinks * sizeof *w);
		assert_non_null(a);
		assert_non_null(b);
		assert_non_null(w);
		for (size_t k = 0; k < t.nlinks; k++) {
			a[k] = t.link[k].a;
			b[k] = t.link[k].b;
			w[k] = t.link[k].delay_ns;
		}
		struct graph *g = graph_new(t.nnodes, t.nlinks, a, b, w);
		assert_non_null(g);
		assert_int_equal(graph_reach(g, 0), t.nnodes);
		graph_free(g);
		free(a);
		free(b);
		free(w);
		topogen_free(&t);
	}
}

static void topogen__pool_too_small_is_refused(void **state)
{
	(void)state;
	struct topogen_config c = config(1);
	c.pool_prefix = 24;   /* 64 /30s */
	struct topogen t;
	char why[200];
	assert_int_equal(topogen_transit_stub(&c, "isp", &t, why, sizeof why), HN_ECONFIG);
	assert_non_null(strstr(why, "the pool 10.0.0.0/24 holds 64 /30 links"));
}

/* Dijkstra on a small graph whose answer is known: a square with a
 * diagonal; first hops and distances. */
static void topogen__dijkstra_first_hops(void **state)
{
	(void)state;
	size_t a[] = { 0, 1, 2, 3, 0 }, b[] = { 1, 2, 3, 0, 2 };
	uint64_t w[] = { 1, 1, 1, 5, 3 };
	struct graph *g = graph_new(4, 5, a, b, w);
	assert_non_null(g);
	uint64_t d[4];
	size_t f[4];
	assert_int_equal(graph_dijkstra(g, 0, d, f), HN_OK);
	assert_int_equal(d[0], 0);
	assert_int_equal(d[1], 1);
	assert_int_equal(d[2], 2);   /* via 1, not the diagonal (3) */
	assert_int_equal(d[3], 3);   /* via 1, 2, not the direct 5 */
	assert_int_equal(f[2], 1);
	assert_int_equal(f[3], 1);
	assert_int_equal(f[0], SIZE_MAX);
	graph_free(g);
	uint32_t addr[] = { 7, 9, 7 };
	size_t node[] = { 2, 3, 1 };
	struct addr_index *x = addr_index_new(3, addr, node);
	assert_non_null(x);
	assert_int_equal(addr_index_find(x, 7), 2);   /* the first given */
	assert_int_equal(addr_index_find(x, 9), 3);
	assert_int_equal(addr_index_find(x, 8), -1);
	addr_index_free(x);
}

static void topogen__topology_section_builds_the_nodes(void **state)
{
	(void)state;
	char path[64], err[1200];
	snprintf(path, sizeof path, "/tmp/hn-topo-%d.ini", (int)getpid());
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	fputs("[topology isp]\ntransit = 4\nstubs = 30\nhosts = 2\nstub_role = redirector\n"
	      "[node origin]\nrole = origin\n"
	      "[link o]\na = origin\nb = isp-t0\na_addr = 192.168.0.1\nb_addr = 192.168.0.2\n", f);
	fclose(f);
	struct scenario *s = scenario_load(path, err, sizeof err);
	if (!s)
		fail_msg("%s", err);
	assert_int_equal(s->nnodes, 1 + 4 + 30 * 3);
	const struct scn_node *r = scenario_node(s, "isp-s29-r0");
	assert_non_null(r);
	assert_int_equal(r->role, SCN_REDIRECTOR);
	assert_int_equal(scenario_node(s, "isp-s29-h1")->role, SCN_CLIENT);
	assert_string_equal(s->link[1].name, "isp-l0");
	assert_int_equal(s->link[1].prefix, 30);
	scenario_free(s);
	/* a name the generator makes twice over is refused at the section */
	f = fopen(path, "w");
	assert_non_null(f);
	fputs("[node isp-t1]\nrole = router\n[topology isp]\ntransit = 2\nstubs = 0\n", f);
	fclose(f);
	assert_null(scenario_load(path, err, sizeof err));
	char want[200];
	snprintf(want, sizeof want, "%s:3: duplicate node 'isp-t1' (first defined at line 1)", path);
	assert_string_equal(err, want);
	unlink(path);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(topogen__same_seed_same_topology),
		cmocka_unit_test(topogen__counts_names_delays_addresses),
		cmocka_unit_test(topogen__connected_for_many_seeds),
		cmocka_unit_test(topogen__pool_too_small_is_refused),
		cmocka_unit_test(topogen__dijkstra_first_hops),
		cmocka_unit_test(topogen__topology_section_builds_the_nodes),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
