/* graph.h - the topology as a graph: adjacency, shortest paths by delay, and
 * addresses to nodes, for topologies of thousands of nodes.
 *
 * Nodes are 0..n-1, edges (links) 0..m-1 with a weight each; the adjacency
 * is compressed rows (CSR), Dijkstra runs on a binary heap, O(m log n).
 * Ties between equal distances go to the lower node index, so the paths
 * (and the first hops) are reproducible.  Not here: what a node or link is
 * (scenario.h), routes in the simulator (world/topology.c). */
#ifndef HN_GRAPH_H
#define HN_GRAPH_H
#include <stddef.h>
#include <stdint.h>

struct graph;

/* A graph of n nodes and m undirected edges a[k]-b[k] of weight w[k]
 * (a[k], b[k] < n).  NULL when memory runs out or an end is out of range. */
struct graph *graph_new(size_t n, size_t m, const size_t *a, const size_t *b, const uint64_t *w);
void graph_free(struct graph *g);
size_t graph_nodes(const struct graph *g);

/* Shortest distances from `from` into dist[n] (UINT64_MAX: unreachable)
 * and, when first is not NULL, the first hop of each path into first[n]:
 * the neighbour of `from` it leaves by (SIZE_MAX for `from` itself and the
 * unreachable).  HN_OK, or HN_ENOMEM. */
int graph_dijkstra(const struct graph *g, size_t from, uint64_t *dist, size_t *first);

/* How many nodes `from` reaches (itself included): connectivity. */
size_t graph_reach(const struct graph *g, size_t from);

/* IPv4 addresses to node indices, hashed. */
struct addr_index;
struct addr_index *addr_index_new(size_t n, const uint32_t *addr, const size_t *node);
void addr_index_free(struct addr_index *x);
/* The node that has addr (the first given), or -1. */
long addr_index_find(const struct addr_index *x, uint32_t addr);
#endif
