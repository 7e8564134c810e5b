/* topogen.c - the transit-stub generator; see topogen.h. */
#include "scenario/topogen.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "status.h"

static uint64_t splitmix(uint64_t *s)
{
	uint64_t z = (*s += 0x9e3779b97f4a7c15ull);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

/* Uniform in [0, n), n > 0 (Lemire's multiply-shift; bias below 2^-32 for
 * the sizes here). */
static uint64_t below(uint64_t *s, uint64_t n)
{
	return (uint64_t)(((unsigned __int128)splitmix(s) * n) >> 64);
}

static double unit(uint64_t *s)
{
	return (double)(splitmix(s) >> 11) * 0x1.0p-53;
}

struct gen {
	const struct topogen_config *c;
	struct topogen *t;
	uint64_t rng;
	uint64_t pool_size;           /* /30s in the pool */
	char *why;
	size_t whylen;
};

static int add_node(struct gen *g, int cls, size_t domain, const char *fmt, const char *prefix,
		    size_t x, size_t y)
{
	struct topogen_node *n = &g->t->node[g->t->nnodes];
	int len = snprintf(n->name, sizeof n->name, fmt, prefix, x, y);
	if (len < 0 || (size_t)len >= sizeof n->name) {
		snprintf(g->why, g->whylen, "generated node names (as '%s') would be longer than %zu "
			 "characters", n->name, sizeof n->name - 1);
		return HN_ECONFIG;
	}
	n->cls = cls;
	n->domain = domain;
	g->t->nnodes++;
	return HN_OK;
}

static void add_link(struct gen *g, size_t a, size_t b, int cls)
{
	const struct topogen_config *c = g->c;
	struct topogen_link *l = &g->t->link[g->t->nlinks];
	uint32_t net = c->pool + 4u * (uint32_t)g->t->nlinks;
	l->a = a;
	l->b = b;
	l->a_addr = net + 1;
	l->b_addr = net + 2;
	l->cls = cls;
	l->rate_bps = c->rate[cls];
	l->delay_ns = c->delay_min[cls] + below(&g->rng, c->delay_max[cls] - c->delay_min[cls] + 1);
	g->t->nlinks++;
}

int topogen_transit_stub(const struct topogen_config *c, const char *prefix, struct topogen *t,
			 char *why, size_t whylen)
{
	memset(t, 0, sizeof *t);
	struct gen g = { c, t, c->seed, 0, why, whylen };
	uint64_t T = c->transit, S = c->stubs, R = c->stub_routers, H = c->hosts;
	for (int k = 0; k < TG_NCLASSES; k++)
		if (c->delay_max[k] < c->delay_min[k]) {
			snprintf(why, whylen, "a delay's maximum is below its minimum");
			return HN_ECONFIG;
		}
	if (T < 1 || R < 1 || S * (R + H) > 1000000) {
		snprintf(why, whylen, "%s", T < 1 ? "no transit routers" : R < 1 ? "no stub routers"
			 : "more than 10^6 nodes");
		return HN_ECONFIG;
	}
	/* links: the tree's T-1, the extra ones (at most T(T-1)/2 in all), each
	 * stub domain's R (one to transit) and H */
	size_t maxlinks = (size_t)(T * (T - 1) / 2 + S * (R + H));
	size_t nodes = (size_t)(T + S * (R + H));
	g.pool_size = c->pool_prefix >= 30 ? 1 : 1ull << (30 - c->pool_prefix);
	t->node = calloc(nodes, sizeof *t->node);
	t->link = calloc(maxlinks ? maxlinks : 1, sizeof *t->link);
	if (!t->node || !t->link) {
		topogen_free(t);
		return HN_ENOMEM;
	}
	int rc = HN_OK;
	for (size_t k = 0; k < T && rc == HN_OK; k++)
		rc = add_node(&g, TG_TRANSIT, 0, "%s-t%zu", prefix, k, 0);
	for (size_t j = 0; j < S && rc == HN_OK; j++) {
		for (size_t k = 0; k < R && rc == HN_OK; k++)
			rc = add_node(&g, TG_STUB, j, "%s-s%zu-r%zu", prefix, j, k);
		for (size_t k = 0; k < H && rc == HN_OK; k++)
			rc = add_node(&g, TG_HOST, j, "%s-s%zu-h%zu", prefix, j, k);
	}
	if (rc != HN_OK) {
		topogen_free(t);
		return rc;
	}
	/* the backbone: a random tree, then the extra links in pair order */
	char *tree = calloc(T * T, 1);
	if (!tree) {
		topogen_free(t);
		return HN_ENOMEM;
	}
	for (size_t k = 1; k < T; k++) {
		size_t p = (size_t)below(&g.rng, k);
		tree[p * T + k] = 1;
		add_link(&g, p, k, TG_TRANSIT);
	}
	for (size_t u = 0; u < T; u++)
		for (size_t v = u + 1; v < T; v++)
			if (!tree[u * T + v] && c->extra > 0 && unit(&g.rng) < c->extra)
				add_link(&g, u, v, TG_TRANSIT);
	free(tree);
	/* the stub domains */
	for (size_t j = 0; j < S; j++) {
		size_t base = (size_t)(T + j * (R + H));
		add_link(&g, (size_t)below(&g.rng, T), base, TG_STUB);
		for (size_t k = 1; k < R; k++)
			add_link(&g, base + (size_t)below(&g.rng, k), base + k, TG_STUB);
		for (size_t k = 0; k < H; k++)
			add_link(&g, base + (size_t)below(&g.rng, R), base + R + k, TG_HOST);
	}
	if (t->nlinks > g.pool_size) {
		char a[16];
		snprintf(a, sizeof a, "%u.%u.%u.%u", c->pool >> 24, (c->pool >> 16) & 255,
			 (c->pool >> 8) & 255, c->pool & 255);
		snprintf(why, whylen, "the pool %s/%u holds %llu /30 links; the topology has %zu", a,
			 c->pool_prefix, (unsigned long long)g.pool_size, t->nlinks);
		topogen_free(t);
		return HN_ECONFIG;
	}
	return HN_OK;
}

void topogen_free(struct topogen *t)
{
	free(t->node);
	free(t->link);
	t->node = NULL;
	t->link = NULL;
	t->nnodes = t->nlinks = 0;
}

uint64_t topogen_uniform(uint64_t *state, uint64_t lo, uint64_t hi)
{
	return lo + below(state, hi - lo + 1);
}
