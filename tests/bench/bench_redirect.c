/* bench_redirect.c - wall-time cost of the C redirector on ns-3.
 *
 * One bulk TCP flow, client -> R -> server, 10 Mb/s and 1 ms per link, MTU
 * 1500, NewReno without SACK or timestamps, for SIM_SECONDS of simulated time.
 *   plain:      R is a plain ns-3 router, the server is the origin host.
 *   redirected: R is a HydraNet redirector whose table sends the origin's port
 *               to a host server one hop away, where the receiver runs as a
 *               virtual host of the origin (IP-in-IP, C fragmentation and
 *               reassembly when the segment does not fit).
 * Each configuration runs REPS times; the median wall time is reported and
 * the ratio redirected / plain for each segment size: 1460 (full-size
 * segments: every tunnelled datagram is fragmented) and 1440 (fits). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "hydranet/hsrv.h"
#include "hydranet/redir.h"
#include "net/ipv4.h"
#include "sim/sim.h"
#include "status.h"

#define IP4(a, b, c, d) (((uint32_t)(a) << 24) | ((uint32_t)(b) << 16) | ((uint32_t)(c) << 8) | (uint32_t)(d))
#define SIM_SECONDS 300
#define REPS 3
#define PORT 5001

struct bulk {
	sim_sock *s;
	uint64_t sent, received;
	uint8_t chunk[8192];
};

static void pump(struct bulk *b)
{
	int n;
	while ((n = sim_sock_send(b->s, b->chunk, sizeof b->chunk)) > 0)
		b->sent += (uint64_t)n;
}
static void on_connect(void *ctx, sim_sock *s, bool ok)
{
	(void)s;
	if (ok)
		pump(ctx);
}
static void on_space(void *ctx, sim_sock *s, size_t avail)
{
	(void)s;
	(void)avail;
	pump(ctx);
}
static void on_recv(void *ctx, sim_sock *s, const uint8_t *d, size_t len, uint32_t a, uint16_t p)
{
	(void)s;
	(void)d;
	(void)a;
	(void)p;
	((struct bulk *)ctx)->received += len;
}

struct result {
	double wall_s;
	uint64_t events, received, redirected, fragments;
};

static double now_s(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static int run(int redirected, unsigned mss, struct result *res)
{
	char mss_s[16];
	snprintf(mss_s, sizeof mss_s, "%u", mss);
	struct sim_config sc = { 1, 1 };
	double t0 = now_s();
	if (sim_init(&sc) != HN_OK ||
	    sim_set_default("ns3::TcpL4Protocol::SocketType", "ns3::TcpNewReno") ||
	    sim_set_default("ns3::TcpSocketBase::Sack", "false") ||
	    sim_set_default("ns3::TcpSocketBase::Timestamp", "false") ||
	    sim_set_default("ns3::TcpSocketBase::WindowScaling", "false") ||
	    sim_set_default("ns3::TcpSocket::SegmentSize", mss_s))
		return -1;
	sim_node *c = sim_node_create("client"), *r = sim_node_create("router");
	sim_node *o = sim_node_create("origin"), *h = sim_node_create("hostserver");
	struct sim_link_config lc = { .rate_bps = 10000000, .delay_ns = 1000000, .mtu_bytes = 1500,
				      .queue_packets = 100 };
	uint32_t origin = IP4(10, 0, 2, 2), hs = IP4(10, 0, 3, 2);
	if (!sim_link_create(c, r, &lc, IP4(10, 0, 1, 1), IP4(10, 0, 1, 2), 24) ||
	    !sim_link_create(r, o, &lc, IP4(10, 0, 2, 1), origin, 24) ||
	    !sim_link_create(r, h, &lc, IP4(10, 0, 3, 1), hs, 24))
		return -1;
	sim_routing_populate();
	static const struct sim_sock_ops sink_ops = { .on_recv = on_recv };
	static const struct sim_sock_ops src_ops = { .on_connect = on_connect,
						     .on_send_space = on_space };
	struct bulk *b = calloc(1, sizeof *b);
	struct redir *rd = NULL;
	struct hsrv *hv = NULL;
	sim_sock *sink;
	if (redirected) {
		struct redir_config rc = { .frag = { 64, 1 << 20, 30000000000ull } };
		struct hsrv_config hc = { .reass = { 64, 1 << 22, 30000000000ull },
					  .frag = { 64, 1 << 20, 30000000000ull } };
		rd = redir_new(&rc, NULL);
		hv = hsrv_new(&hc, NULL);
		redir_attach(rd, r);
		hsrv_attach(hv, h);
		redir_table_add(rd, origin, PORT, IPV4_PROTO_TCP, hs);
		hsrv_vhost_create(hv, origin, "sink");
		sink = sim_tcp_socket(h, &sink_ops, b);
		if (hsrv_bind(hv, sink, origin, IPV4_PROTO_TCP, PORT) != HN_OK)
			return -1;
	} else {
		sink = sim_tcp_socket(o, &sink_ops, b);
		if (sim_sock_bind(sink, origin, PORT) != HN_OK)
			return -1;
	}
	sim_sock_listen(sink);
	b->s = sim_tcp_socket(c, &src_ops, b);
	sim_sock_connect(b->s, origin, PORT);
	sim_run((uint64_t)SIM_SECONDS * 1000000000ull);
	res->wall_s = now_s() - t0;
	res->events = sim_event_count();
	res->received = b->received;
	res->redirected = rd ? redir_stats(rd)->redirected : 0;
	res->fragments = rd ? redir_stats(rd)->fragments_made : 0;
	sim_destroy();
	redir_free(rd);
	hsrv_free(hv);
	free(b);
	return 0;
}

static int cmp(const void *a, const void *b)
{
	double x = ((const struct result *)a)->wall_s, y = ((const struct result *)b)->wall_s;
	return (x > y) - (x < y);
}

int main(void)
{
	static const unsigned mss[] = { 1460, 1440 };
	printf("bench_redirect: one bulk TCP flow, 10 Mb/s, 1 ms links, %d s simulated, "
	       "median of %d\n", SIM_SECONDS, REPS);
	printf("%-5s %-11s %9s %10s %12s %11s %10s %8s\n", "mss", "mode", "wall_s", "events",
	       "goodput_Mbps", "redirected", "fragments", "ratio");
	int status = 0;
	for (size_t m = 0; m < sizeof mss / sizeof mss[0]; m++) {
		struct result med[2];
		for (int mode = 0; mode < 2; mode++) {
			struct result r[REPS];
			for (int k = 0; k < REPS; k++) {
				if (run(mode, mss[m], &r[k]) != 0) {
					fprintf(stderr, "bench_redirect: setup failed\n");
					return 1;
				}
			}
			qsort(r, REPS, sizeof r[0], cmp);
			med[mode] = r[REPS / 2];
			printf("%-5u %-11s %9.3f %10llu %12.3f %11llu %10llu %8s\n", mss[m],
			       mode ? "redirected" : "plain", med[mode].wall_s,
			       (unsigned long long)med[mode].events,
			       (double)med[mode].received * 8 / SIM_SECONDS / 1e6,
			       (unsigned long long)med[mode].redirected,
			       (unsigned long long)med[mode].fragments, "");
		}
		double ratio = med[1].wall_s / med[0].wall_s;
		printf("mss %u: wall-time ratio redirected/plain = %.3f (target <= 1.10)\n", mss[m], ratio);
		if (med[1].received == 0 || med[1].redirected == 0)
			status = 1;   /* the redirected flow must really have been redirected */
	}
	return status;
}
