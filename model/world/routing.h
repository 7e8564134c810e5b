/* routing.h - static routes computed by the model ([simulation] routing =
 * static): for every node, the link it sends a datagram for node `to` by,
 * with the metric of ns-3's global routing (every interface costs 1: fewest
 * hops), in O(N + L) memory plus the core's next-hop matrix.
 *
 * Most of an Internet topology is trees hanging off a meshed core (stub
 * domains, their hosts).  The trees are found by peeling nodes of degree 1
 * until none is left; what remains is the core (the graph's 2-core; a tree
 * component keeps one node as its core).  A node in a tree has one route
 * up (the link to its parent) and reaches its own subtree downwards: a
 * pre-order number (Euler tour) tells whether `to` lies below it and a
 * binary search over its children which child's link leads there.  Paths
 * in and out of a tree are unique.  Between core nodes, each core node's
 * first hops come from graph.h's heap Dijkstra over the core links with
 * weight 2^44 + delay per link: fewest hops, then least delay (when a path's
 * delays sum below 2^44 ns, 4.9 h), then the order in which the Dijkstra
 * settles equal distances (lower node index first); of parallel links the
 * one of least delay, then of lower index.  Routing hop by hop on these
 * never loops (each hop is on a shortest path from the one before).
 * Where the fewest-hop path is unique it is ns-3 global routing's; where it
 * is not, ns-3 takes the first equal-cost route its SPF recorded, which
 * may differ.  Cost: O(N + L) for the trees, O(C L_c log C) time and C^2
 * next hops of memory for a core of C nodes and L_c links.
 *
 * Not here: addresses (the world maps a destination address to its node:
 * link addresses only, so an unassigned address inside a link's subnet,
 * which global routing would send towards the subnet, has no route) and
 * failures (a link that goes down is not routed around, as with global
 * routing: the model has no dynamic routing protocol). */
#ifndef HN_WORLD_ROUTING_H
#define HN_WORLD_ROUTING_H
#include <stddef.h>
#include <stdint.h>

struct routes;

/* Routes over n nodes and m links a[k]-b[k] (a[k] != b[k], both < n) of
 * one-way delay delay[k] ns.  NULL when memory runs out or an end is out of
 * range. */
struct routes *routes_new(size_t n, size_t m, const size_t *a, const size_t *b,
			  const uint64_t *delay);
void routes_free(struct routes *r);

/* The link node `from` sends by towards node `to`: its index k, or -1 when
 * to == from, to is not reachable, or either is out of range. */
long routes_next(const struct routes *r, size_t from, size_t to);

/* The number of core nodes (the rest are in trees hanging off them). */
size_t routes_core(const struct routes *r);
#endif
