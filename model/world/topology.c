/* topology.c - nodes, links, routes and the TCP profile of a world, and the
 * path-delay metric of the nearest policy; see world_int.h. */
#include "world/world_int.h"

#include <stdlib.h>
#include <string.h>

#include "status.h"

struct wnode *wnode(struct world *w, const char *name)
{
	long i = scenario_node_index(w->s, name);
	return i < 0 ? NULL : &w->node[i];
}

/* The TCP profile of the era (DESIGN.md, "TCP").  Each value says why. */
int world_tcp_profile(const struct scenario *s, char *err, size_t errlen)
{
	uint64_t mtu = 65535;
	for (size_t i = 0; i < s->nlinks; i++)
		if (s->link[i].mtu < mtu)
			mtu = s->link[i].mtu;
	char mss[16];
	struct { const char *attr, *value; } bsd[] = {
		/* 4.4BSD-derived stacks of 1998: Reno/NewReno congestion control
		 * (RFC 2001, RFC 2582), no SACK (RFC 2018 was new), no RFC 1323
		 * timestamps or window scaling by default. */
		{ "ns3::TcpL4Protocol::SocketType", "ns3::TcpNewReno" },
		{ "ns3::TcpSocketBase::Sack", "false" },
		{ "ns3::TcpSocketBase::Timestamp", "false" },
		{ "ns3::TcpSocketBase::WindowScaling", "false" },
		/* Slow start from one segment (RFC 2001 section 2). */
		{ "ns3::TcpSocket::InitialCwnd", "1" },
		/* MSS from the interface MTU: MTU - 20 (IP) - 20 (TCP), RFC 879. */
		{ "ns3::TcpSocket::SegmentSize", mss },
		/* BSD retransmit timer: 500 ms slow-timeout ticks, minimum RTO
		 * 1 s, initial RTO 3 s (RFC 1122 4.2.3.1; 4.4BSD tcp_timer.h
		 * TCPTV_MIN = 1 s, TCPTV_SRTTDFLT = 3 s). */
		{ "ns3::TcpSocketBase::MinRto", "1s" },
		{ "ns3::TcpSocketBase::ClockGranularity", "500ms" },
		{ "ns3::RttEstimator::InitialEstimation", "3s" },
		{ "ns3::TcpSocket::ConnTimeout", "3s" },
		/* Delayed ACK: every second segment or 200 ms (4.4BSD fast timer). */
		{ "ns3::TcpSocket::DelAckTimeout", "200ms" },
		{ "ns3::TcpSocket::DelAckCount", "2" },
		/* Socket buffers: 16 KiB each way (FreeBSD 2.2 tcp_sendspace and
		 * tcp_recvspace; assumed from the era's sources, not measured). */
		{ "ns3::TcpSocket::SndBufSize", "16384" },
		{ "ns3::TcpSocket::RcvBufSize", "16384" },
	};
	struct { const char *attr, *value; } modern[] = {
		/* ns-3's own defaults, but an MSS that fits the MTU with the
		 * 12 bytes of timestamp option (ns-3 does not subtract options). */
		{ "ns3::TcpSocket::SegmentSize", mss },
	};
	int bsd_profile = s->sim.tcp_profile == SCN_TCP_BSD1998;
	uint64_t seg = s->sim.mss ? s->sim.mss : mtu - 40 - (bsd_profile ? 0 : 12);
	snprintf(mss, sizeof mss, "%llu", (unsigned long long)seg);
	size_t n = bsd_profile ? sizeof bsd / sizeof bsd[0] : 1;
	for (size_t i = 0; i < n; i++) {
		const char *a = bsd_profile ? bsd[i].attr : modern[i].attr;
		const char *v = bsd_profile ? bsd[i].value : modern[i].value;
		if (sim_set_default(a, v) != HN_OK) {
			snprintf(err, errlen, "%s: ns-3 refused %s = %s", s->path, a, v);
			return HN_ECONFIG;
		}
	}
	return HN_OK;
}

/* SplitMix64 (Steele, Lea, Flood 2014) of the stream's coordinates: well
 * mixed seeds for generators that must not overlap. */
uint64_t world_stream_seed(uint32_t seed, uint64_t run, size_t index)
{
	uint64_t z = ((uint64_t)seed << 32) ^ (run << 12) ^ (uint64_t)index;
	z += 0x9e3779b97f4a7c15ull;
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

void world_fail_at(char *err, size_t errlen, const struct scenario *s, int line,
		    const char *what, const char *name, int rc)
{
	snprintf(err, errlen, "%s:%d: %s '%s': %s", s->path, line, what, name, hn_strerror(rc));
}

/* Dijkstra over the links, by one-way delay: the routing metric a 1998
 * routing daemon would have (delay-based, as OSPF costs are often set).
 * The graph (world_build_graph) weighs each link delay + 1 ns: hops break
 * delay ties.  O(L log N) with graph.h's heap. */
static int shortest_delays(const struct graph *g, size_t from, uint64_t *dist)
{
	return graph_dijkstra(g, from, dist, NULL);
}

uint32_t world_link_addr(const struct scenario *s, const char *name, const char *peer)
{
	for (size_t k = 0; k < s->nlinks; k++) {
		const struct scn_link *l = &s->link[k];
		if (!strcmp(l->a, name) && !strcmp(l->b, peer))
			return l->a_addr;
		if (!strcmp(l->b, name) && !strcmp(l->a, peer))
			return l->b_addr;
	}
	return 0;
}

/* The distances are computed at the first question (the nearest policy
 * asks; the others never do): a redirector keeps one per node of the world,
 * which at 10,000 ISPs would be 1.6 GB for all of them. */
uint64_t world_metric_fn(void *ctx, uint32_t addr)
{
	struct wmetric *m = ctx;
	if (!m->dist) {
		const struct scenario *s = m->s;
		if (!(m->dist = malloc((s->nnodes ? s->nnodes : 1) * sizeof *m->dist)))
			return UINT64_MAX;
		if (shortest_delays(m->graph, m->from, m->dist) != HN_OK) {
			free(m->dist);
			m->dist = NULL;
			return UINT64_MAX;
		}
	}
	long n = addr_index_find(m->addrs, addr);
	return n < 0 ? UINT64_MAX : m->dist[n];
}

int world_name_in(const char *list, const char *name)
{
	char buf[256], *save = NULL;
	snprintf(buf, sizeof buf, "%s", list);
	for (char *t = strtok_r(buf, " \t,", &save); t; t = strtok_r(NULL, " \t,", &save))
		if (!strcmp(t, name))
			return 1;
	return 0;
}

/* A node's address on its first link (names it as a tunnel end). */
uint32_t world_node_addr(const struct scenario *s, const char *name)
{
	for (size_t k = 0; k < s->nlinks; k++) {
		if (!strcmp(s->link[k].a, name))
			return s->link[k].a_addr;
		if (!strcmp(s->link[k].b, name))
			return s->link[k].b_addr;
	}
	return 0;
}


/* The nearest policy's metric at the redirector node `from`. */
struct wmetric *world_metric_new(const struct world *w, size_t from)
{
	const struct scenario *s = w->s;
	struct wmetric *m = calloc(1, sizeof *m);
	if (!m)
		return NULL;
	m->s = s;
	m->addrs = w->addrs;
	m->graph = w->graph;
	m->from = from;
	return m;
}

void world_metric_free(struct wmetric *m)
{
	if (m)
		free(m->dist);
	free(m);
}

/* The links as a graph (weights delay + 1 ns) and the addresses of their
 * ends as an index: paths and address lookups at any size. */
static int build_graph(struct world *w)
{
	const struct scenario *s = w->s;
	size_t L = s->nlinks, *a = malloc((L + 1) * sizeof *a), *b = malloc((L + 1) * sizeof *b);
	size_t *ends = malloc((2 * L + 1) * sizeof *ends);
	uint64_t *wt = malloc((L + 1) * sizeof *wt);
	uint32_t *addr = malloc((2 * L + 1) * sizeof *addr);
	int rc = HN_ENOMEM;
	if (a && b && ends && wt && addr) {
		for (size_t k = 0; k < L; k++) {
			a[k] = (size_t)scenario_node_index(s, s->link[k].a);   /* checked by scenario.c */
			b[k] = (size_t)scenario_node_index(s, s->link[k].b);
			wt[k] = s->link[k].delay_ns + 1;
			addr[2 * k] = s->link[k].a_addr;
			ends[2 * k] = a[k];
			addr[2 * k + 1] = s->link[k].b_addr;
			ends[2 * k + 1] = b[k];
		}
		w->graph = graph_new(s->nnodes, L, a, b, wt);
		w->addrs = addr_index_new(2 * L, addr, ends);
		rc = w->graph && w->addrs ? HN_OK : HN_ENOMEM;
	}
	free(a);
	free(b);
	free(ends);
	free(wt);
	free(addr);
	return rc;
}

/* routing = static: every node's routes towards every node (routing.h),
 * over the links as the simulator has them. */
static int build_routes(struct world *w)
{
	const struct scenario *s = w->s;
	size_t L = s->nlinks, *a = malloc((L + 1) * sizeof *a), *b = malloc((L + 1) * sizeof *b);
	uint64_t *d = malloc((L + 1) * sizeof *d);
	if (a && b && d) {
		for (size_t k = 0; k < L; k++) {
			a[k] = (size_t)scenario_node_index(s, s->link[k].a);   /* checked by scenario.c */
			b[k] = (size_t)scenario_node_index(s, s->link[k].b);
			d[k] = s->link[k].delay_ns;
		}
		w->routes = routes_new(s->nnodes, L, a, b, d);
	}
	free(a);
	free(b);
	free(d);
	return w->routes ? HN_OK : HN_ENOMEM;
}

int world_routes_ensure(struct world *w)
{
	return w->routes ? HN_OK : build_routes(w);
}

/* A destination address is a node's when it is on one of the node's links:
 * addresses added on a loopback (an origin's address at a host server) are
 * not routed to, as with global routing. */
sim_link *world_route(void *ctx, size_t node, uint32_t dst)
{
	struct world *w = ctx;
	if (!w->routes)
		return NULL;
	long to = addr_index_find(w->addrs, dst);
	long k = to < 0 ? -1 : routes_next(w->routes, node, (size_t)to);
	return k < 0 ? NULL : w->link[k];
}

/* The simulator's nodes and links, and routes over them: global, or the
 * model's own (routing = static). */
int world_build_topology(struct world *w, const struct world_options *o, char *err, size_t errlen)
{
	const struct scenario *s = w->s;
	if (build_graph(w) != HN_OK) {
		snprintf(err, errlen, "%s: out of memory for the topology's graph", s->path);
		return HN_ENOMEM;
	}
	for (size_t i = 0; i < s->nnodes; i++) {
		w->node[i].cfg = &s->node[i];
		w->node[i].w = w;
		w->node[i].sim = sim_node_create(s->node[i].name);
		if (!w->node[i].sim) {
			world_fail_at(err, errlen, s, s->node_at[i].line, "node", s->node[i].name, HN_ENOMEM);
			return HN_ECONFIG;
		}
	}
	for (size_t i = 0; i < s->nlinks; i++) {
		const struct scn_link *l = &s->link[i];
		struct sim_link_config lc = {
			.rate_bps = s->testbed.link_rate_bps ? s->testbed.link_rate_bps : l->rate_bps,
			.delay_ns = l->delay_ns,
			.mtu_bytes = (uint32_t)l->mtu, .queue_packets = (uint32_t)l->queue,
			.loss_rate = l->loss,
			.name = l->name,
		};
		if (l->wan.mean_ns) {
			w->wan[i] = wan_delay_new(l->wan.mean_ns, l->wan.period_ns,
						  world_stream_seed(o->seed, o->run, 3000 + i));
			if (!w->wan[i]) {
				world_fail_at(err, errlen, s, s->link_at[i].line, "link", l->name, HN_ENOMEM);
				return HN_ECONFIG;
			}
			lc.extra_delay = wan_delay_at;
			lc.extra_delay_ctx = w->wan[i];
		}
		if (!(w->link[i] = sim_link_create(wnode(w, l->a)->sim, wnode(w, l->b)->sim, &lc,
						   l->a_addr, l->b_addr, (uint8_t)l->prefix))) {
			world_fail_at(err, errlen, s, s->link_at[i].line, "link", l->name, HN_ECONFIG);
			return HN_ECONFIG;
		}
	}
	if (s->sim.routing == SCN_ROUTING_STATIC && build_routes(w) != HN_OK) {
		snprintf(err, errlen, "%s: out of memory for the routes", s->path);
		return HN_ENOMEM;
	}
	sim_routing_populate();
	return HN_OK;
}
