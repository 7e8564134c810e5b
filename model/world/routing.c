/* routing.c - static routes: trees peeled off a core, Dijkstra in the core;
 * see routing.h. */
#include "world/routing.h"

#include <stdlib.h>

#include "net/graph.h"
#include "status.h"

/* Per link of the core: one hop outweighs any sum of delays below 2^44 ns. */
#define HOP_WEIGHT (1ull << 44)
#define NONE UINT32_MAX

struct routes {
	size_t n;
	size_t *attach;               /* the core node whose trees hold the node (itself if core) */
	long *uplink;                 /* the link to the parent; -1 for a core node */
	size_t *tin, *size;           /* pre-order number, nodes in the subtree (itself included) */
	size_t *cstart, *child;       /* children of u: child[cstart[u] .. cstart[u+1]-1], by tin */
	size_t *comp;                 /* connected component */
	size_t *cidx;                 /* index among the core nodes, or SIZE_MAX */
	size_t ncore;
	uint32_t *next;               /* ncore x ncore: link from core i towards core j, NONE */
};

void routes_free(struct routes *r)
{
	if (!r)
		return;
	free(r->attach);
	free(r->uplink);
	free(r->tin);
	free(r->size);
	free(r->cstart);
	free(r->child);
	free(r->comp);
	free(r->cidx);
	free(r->next);
	free(r);
}

size_t routes_core(const struct routes *r)
{
	return r->ncore;
}

/* Each core node's first hops over the core links (weights HOP_WEIGHT +
 * delay), turned into links: of parallel links the least delay, then the
 * lowest index. */
static int core_next_hops(struct routes *r, size_t m, const size_t *a, const size_t *b,
			  const uint64_t *delay, const size_t *start, const size_t *arc)
{
	size_t C = r->ncore, lc = 0;
	for (size_t k = 0; k < m; k++)
		lc += r->uplink[a[k]] < 0 && r->uplink[b[k]] < 0;
	size_t *ca = malloc((lc + 1) * sizeof *ca), *cb = malloc((lc + 1) * sizeof *cb);
	uint64_t *w = malloc((lc + 1) * sizeof *w), *dist = malloc((C + 1) * sizeof *dist);
	size_t *first = malloc((C + 1) * sizeof *first), *core = malloc((C + 1) * sizeof *core);
	uint32_t *best = malloc((C + 1) * sizeof *best);
	r->next = malloc((C * C + 1) * sizeof *r->next);
	struct graph *g = NULL;
	int rc = HN_ENOMEM;
	if (!ca || !cb || !w || !dist || !first || !core || !best || !r->next)
		goto out;
	lc = 0;
	for (size_t k = 0; k < m; k++)
		if (r->uplink[a[k]] < 0 && r->uplink[b[k]] < 0) {
			ca[lc] = r->cidx[a[k]];
			cb[lc] = r->cidx[b[k]];
			w[lc++] = HOP_WEIGHT + delay[k];
		}
	if (!(g = graph_new(C, lc, ca, cb, w)))
		goto out;
	for (size_t u = 0; u < r->n; u++)
		if (r->cidx[u] != SIZE_MAX)
			core[r->cidx[u]] = u;
	for (size_t i = 0; i < C; i++)
		best[i] = NONE;
	for (size_t i = 0; i < C; i++) {
		size_t u = core[i];
		/* the best link to each core neighbour */
		for (size_t j = start[u]; j < start[u + 1]; j++) {
			size_t k = arc[j], v = a[k] == u ? b[k] : a[k], x = r->cidx[v];
			if (x == SIZE_MAX)
				continue;
			if (best[x] == NONE || delay[k] < delay[best[x]] ||
			    (delay[k] == delay[best[x]] && k < best[x]))
				best[x] = (uint32_t)k;
		}
		if (graph_dijkstra(g, i, dist, first) != HN_OK)
			goto out;
		for (size_t d = 0; d < C; d++)
			r->next[i * C + d] = first[d] == SIZE_MAX ? NONE : best[first[d]];
		for (size_t j = start[u]; j < start[u + 1]; j++) {
			size_t k = arc[j], v = a[k] == u ? b[k] : a[k];
			if (r->cidx[v] != SIZE_MAX)
				best[r->cidx[v]] = NONE;
		}
	}
	rc = HN_OK;
out:
	graph_free(g);
	free(ca);
	free(cb);
	free(w);
	free(dist);
	free(first);
	free(core);
	free(best);
	return rc;
}

struct routes *routes_new(size_t n, size_t m, const size_t *a, const size_t *b,
			  const uint64_t *delay)
{
	if (m >= NONE)
		return NULL;
	for (size_t k = 0; k < m; k++)
		if (a[k] >= n || b[k] >= n || a[k] == b[k])
			return NULL;
	struct routes *r = calloc(1, sizeof *r);
	size_t N = n + 1;
	/* the links of each node (compressed rows) */
	size_t *start = calloc(N + 1, sizeof *start), *arc = malloc((2 * m + 1) * sizeof *arc);
	size_t *deg = calloc(N, sizeof *deg), *order = malloc(N * sizeof *order);
	size_t *queue = malloc(N * sizeof *queue), *parent = malloc(N * sizeof *parent);
	size_t *fill = calloc(N, sizeof *fill);
	if (!r || !start || !arc || !deg || !order || !queue || !parent || !fill)
		goto fail;
	r->n = n;
	r->attach = malloc(N * sizeof *r->attach);
	r->uplink = malloc(N * sizeof *r->uplink);
	r->tin = malloc(N * sizeof *r->tin);
	r->size = malloc(N * sizeof *r->size);
	r->cstart = calloc(N + 1, sizeof *r->cstart);
	r->child = malloc(N * sizeof *r->child);
	r->comp = malloc(N * sizeof *r->comp);
	r->cidx = malloc(N * sizeof *r->cidx);
	if (!r->attach || !r->uplink || !r->tin || !r->size || !r->cstart || !r->child ||
	    !r->comp || !r->cidx)
		goto fail;
	for (size_t k = 0; k < m; k++) {
		start[a[k] + 1]++;
		start[b[k] + 1]++;
	}
	for (size_t u = 0; u < n; u++)
		start[u + 1] += start[u];
	for (size_t k = 0; k < m; k++) {
		arc[start[a[k]] + fill[a[k]]++] = k;
		arc[start[b[k]] + fill[b[k]]++] = k;
	}

	/* Peel nodes of degree 1: each hangs off the one neighbour left. */
	size_t nq = 0, head = 0, npeeled = 0;
	for (size_t u = 0; u < n; u++) {
		deg[u] = start[u + 1] - start[u];
		r->uplink[u] = -1;
		r->size[u] = 1;
		if (deg[u] == 1)
			queue[nq++] = u;
	}
	while (head < nq) {
		size_t u = queue[head++];
		if (deg[u] != 1)      /* 0: the last node of a tree component stays */
			continue;
		for (size_t j = start[u]; j < start[u + 1]; j++) {
			size_t k = arc[j], v = a[k] == u ? b[k] : a[k];
			if (r->uplink[v] >= 0)
				continue;     /* peeled already */
			r->uplink[u] = (long)k;
			parent[u] = v;
			order[npeeled++] = u;
			deg[u] = 0;
			if (--deg[v] == 1)
				queue[nq++] = v;
			break;
		}
	}

	/* Cores, subtree sizes (children are peeled before their parent),
	 * attach points (parents first), children by parent. */
	r->ncore = 0;
	for (size_t u = 0; u < n; u++) {
		r->cidx[u] = r->uplink[u] < 0 ? r->ncore++ : SIZE_MAX;
		r->attach[u] = u;
	}
	for (size_t i = 0; i < npeeled; i++) {
		size_t u = order[i];
		r->size[parent[u]] += r->size[u];
		r->cstart[parent[u] + 1]++;
	}
	for (size_t u = 0; u < n; u++)
		r->cstart[u + 1] += r->cstart[u];
	for (size_t u = 0; u < n; u++)
		fill[u] = 0;
	for (size_t i = npeeled; i-- > 0;) {
		size_t u = order[i];
		r->attach[u] = r->attach[parent[u]];
		r->child[r->cstart[parent[u]] + fill[parent[u]]++] = u;
	}
	/* Pre-order numbers: a core node's trees take the numbers after it; a
	 * child's subtree the numbers after its earlier siblings'. */
	size_t next = 0;
	for (size_t u = 0; u < n; u++)
		if (r->uplink[u] < 0) {
			r->tin[u] = next;
			next += r->size[u];
		}
	for (size_t pass = 0; pass <= npeeled; pass++) {
		/* the core nodes first (pass 0), then peeled ones parents first */
		size_t lo = 0, hi = n;
		if (pass > 0) {
			lo = order[npeeled - pass];
			hi = lo + 1;
		}
		for (size_t u = lo; u < hi; u++) {
			if (pass == 0 && r->uplink[u] >= 0)
				continue;
			size_t off = r->tin[u] + 1;
			for (size_t j = r->cstart[u]; j < r->cstart[u + 1]; j++) {
				r->tin[r->child[j]] = off;
				off += r->size[r->child[j]];
			}
		}
	}

	/* Connected components, by a search from each unlabelled node. */
	for (size_t u = 0; u < n; u++)
		r->comp[u] = SIZE_MAX;
	for (size_t s = 0; s < n; s++) {
		if (r->comp[s] != SIZE_MAX)
			continue;
		size_t ns = 0;
		queue[ns++] = s;
		r->comp[s] = s;
		while (ns) {
			size_t u = queue[--ns];
			for (size_t j = start[u]; j < start[u + 1]; j++) {
				size_t k = arc[j], v = a[k] == u ? b[k] : a[k];
				if (r->comp[v] == SIZE_MAX) {
					r->comp[v] = s;
					queue[ns++] = v;
				}
			}
		}
	}

	if (core_next_hops(r, m, a, b, delay, start, arc) == HN_OK)
		goto done;
fail:
	routes_free(r);
	r = NULL;
done:
	free(start);
	free(arc);
	free(deg);
	free(order);
	free(queue);
	free(parent);
	free(fill);
	return r;
}

long routes_next(const struct routes *r, size_t from, size_t to)
{
	if (from >= r->n || to >= r->n || from == to)
		return -1;
	size_t ra = r->attach[from], rb = r->attach[to];
	if (r->comp[ra] != r->comp[rb])
		return -1;
	if (ra == rb && r->tin[to] > r->tin[from] && r->tin[to] < r->tin[from] + r->size[from]) {
		/* below: the last child numbered at or before `to` holds it */
		size_t lo = r->cstart[from], hi = r->cstart[from + 1];
		while (hi - lo > 1) {
			size_t mid = lo + (hi - lo) / 2;
			if (r->tin[r->child[mid]] <= r->tin[to])
				lo = mid;
			else
				hi = mid;
		}
		return r->uplink[r->child[lo]];
	}
	if (r->uplink[from] >= 0)
		return r->uplink[from];
	uint32_t k = r->next[r->cidx[from] * r->ncore + r->cidx[rb]];
	return k == NONE ? -1 : (long)k;
}
