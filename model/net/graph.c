/* graph.c - adjacency, Dijkstra and an address index; see graph.h. */
#include "net/graph.h"

#include <stdlib.h>
#include <string.h>

#include "status.h"

struct graph {
	size_t n, m;
	size_t *start;                /* n + 1: node u's arcs are start[u] .. start[u+1]-1 */
	size_t *to;                   /* 2m arcs: the other end */
	uint64_t *w;                  /* and the weight */
};

struct graph *graph_new(size_t n, size_t m, const size_t *a, const size_t *b, const uint64_t *w)
{
	struct graph *g = calloc(1, sizeof *g);
	if (!g)
		return NULL;
	g->n = n;
	g->m = m;
	g->start = calloc(n + 1, sizeof *g->start);
	g->to = malloc((2 * m + 1) * sizeof *g->to);
	g->w = malloc((2 * m + 1) * sizeof *g->w);
	size_t *fill = calloc(n + 1, sizeof *fill);
	if (!g->start || !g->to || !g->w || !fill)
		goto fail;
	for (size_t k = 0; k < m; k++) {
		if (a[k] >= n || b[k] >= n)
			goto fail;
		g->start[a[k] + 1]++;
		g->start[b[k] + 1]++;
	}
	for (size_t u = 0; u < n; u++)
		g->start[u + 1] += g->start[u];
	/* arcs in edge order within each node: the same graph, the same paths */
	for (size_t k = 0; k < m; k++) {
		size_t i = g->start[a[k]] + fill[a[k]]++, j = g->start[b[k]] + fill[b[k]]++;
		g->to[i] = b[k];
		g->w[i] = w[k];
		g->to[j] = a[k];
		g->w[j] = w[k];
	}
	free(fill);
	return g;
fail:
	free(fill);
	graph_free(g);
	return NULL;
}

void graph_free(struct graph *g)
{
	if (!g)
		return;
	free(g->start);
	free(g->to);
	free(g->w);
	free(g);
}

size_t graph_nodes(const struct graph *g)
{
	return g->n;
}

/* A binary min-heap of (distance, node), lazy: stale entries are skipped. */
struct hent {
	uint64_t d;
	size_t u;
};

static int less(const struct hent *x, const struct hent *y)
{
	return x->d < y->d || (x->d == y->d && x->u < y->u);
}

static void push(struct hent *h, size_t *n, struct hent e)
{
	size_t i = (*n)++;
	while (i > 0 && less(&e, &h[(i - 1) / 2])) {
		h[i] = h[(i - 1) / 2];
		i = (i - 1) / 2;
	}
	h[i] = e;
}

static struct hent pop(struct hent *h, size_t *n)
{
	struct hent top = h[0], last = h[--*n];
	size_t i = 0;
	for (;;) {
		size_t c = 2 * i + 1;
		if (c >= *n)
			break;
		if (c + 1 < *n && less(&h[c + 1], &h[c]))
			c++;
		if (!less(&h[c], &last))
			break;
		h[i] = h[c];
		i = c;
	}
	if (*n)
		h[i] = last;
	return top;
}

int graph_dijkstra(const struct graph *g, size_t from, uint64_t *dist, size_t *first)
{
	/* each arc pushes at most once: 2m + 1 entries */
	struct hent *h = malloc((2 * g->m + 1) * sizeof *h);
	char *done = calloc(g->n ? g->n : 1, 1);
	if (!h || !done) {
		free(h);
		free(done);
		return HN_ENOMEM;
	}
	for (size_t u = 0; u < g->n; u++) {
		dist[u] = UINT64_MAX;
		if (first)
			first[u] = SIZE_MAX;
	}
	size_t nh = 0;
	dist[from] = 0;
	push(h, &nh, (struct hent){ 0, from });
	while (nh) {
		struct hent e = pop(h, &nh);
		if (done[e.u])
			continue;
		done[e.u] = 1;
		for (size_t k = g->start[e.u]; k < g->start[e.u + 1]; k++) {
			size_t v = g->to[k];
			uint64_t d = e.d + g->w[k];
			if (done[v] || d >= dist[v])
				continue;
			dist[v] = d;
			if (first)
				first[v] = e.u == from ? v : first[e.u];
			push(h, &nh, (struct hent){ d, v });
		}
	}
	free(h);
	free(done);
	return HN_OK;
}

size_t graph_reach(const struct graph *g, size_t from)
{
	size_t *stack = malloc((g->n ? g->n : 1) * sizeof *stack), ns = 0, seen = 0;
	char *mark = calloc(g->n ? g->n : 1, 1);
	if (stack && mark && from < g->n) {
		stack[ns++] = from;
		mark[from] = 1;
		while (ns) {
			size_t u = stack[--ns];
			seen++;
			for (size_t k = g->start[u]; k < g->start[u + 1]; k++)
				if (!mark[g->to[k]]) {
					mark[g->to[k]] = 1;
					stack[ns++] = g->to[k];
				}
		}
	}
	free(stack);
	free(mark);
	return seen;
}

struct addr_index {
	size_t cap;                   /* a power of two */
	uint32_t *addr;
	size_t *node;                 /* node + 1; 0: empty slot */
};

static size_t addr_slot(uint32_t a, size_t cap)
{
	uint64_t h = (uint64_t)a * 0x9e3779b97f4a7c15ull;   /* Fibonacci hashing */
	return (size_t)(h >> 32) & (cap - 1);
}

struct addr_index *addr_index_new(size_t n, const uint32_t *addr, const size_t *node)
{
	struct addr_index *x = calloc(1, sizeof *x);
	if (!x)
		return NULL;
	x->cap = 16;
	while (x->cap < 2 * n)
		x->cap *= 2;
	x->addr = calloc(x->cap, sizeof *x->addr);
	x->node = calloc(x->cap, sizeof *x->node);
	if (!x->addr || !x->node) {
		addr_index_free(x);
		return NULL;
	}
	for (size_t i = 0; i < n; i++) {
		size_t h = addr_slot(addr[i], x->cap);
		for (; x->node[h]; h = (h + 1) & (x->cap - 1))
			if (x->addr[h] == addr[i])
				break;
		if (!x->node[h]) {   /* the first node given an address keeps it */
			x->addr[h] = addr[i];
			x->node[h] = node[i] + 1;
		}
	}
	return x;
}

void addr_index_free(struct addr_index *x)
{
	if (!x)
		return;
	free(x->addr);
	free(x->node);
	free(x);
}

long addr_index_find(const struct addr_index *x, uint32_t addr)
{
	for (size_t h = addr_slot(addr, x->cap); x->node[h]; h = (h + 1) & (x->cap - 1))
		if (x->addr[h] == addr)
			return (long)x->node[h] - 1;
	return -1;
}
