/* bench_redirect.c - wall-time cost of the C redirector on ns-3.
 *
 * One bulk TCP flow, client -> R -> server, 10 Mb/s and 1 ms per link, MTU
 * 1500, NewReno without SACK or timestamps, for SIM_SECONDS of simulated time.
 *   plain:      R is a plain ns-3 router, the server is the origin host.
 *   redirected: R is a HydraNet redirector whose table sends the origin's port
 *               to a host server one hop away, where the receiver runs as a
 *               virtual host of the origin (IP-in-IP, C fragmentation and
 *               reassembly when the segment does not fit).
 * Each configuration runs REPS times, plain and redirected in turn; the
 * least wall and CPU time of the runs are reported (the least is the one
 * other load on the machine disturbed least) and their ratios redirected /
 * plain for each segment size: 1460 (full-size segments: every tunnelled
 * datagram is fragmented) and 1440 (fits).
 *
 * bench_redirect plain|redirected MSS SECONDS runs one configuration once,
 * for a profiler (valgrind --tool=callgrind, perf record). */
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
#define REPS 5
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
	double wall_s, cpu_s;
	uint64_t events, received, redirected, fragments;
};

static double clock_s(clockid_t id)
{
	struct timespec t;
	clock_gettime(id, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static int run(int redirected, unsigned mss, unsigned seconds, struct result *res)
{
	char mss_s[16];
	snprintf(mss_s, sizeof mss_s, "%u", mss);
	struct sim_config sc = { 1, 1 };
	double t0 = clock_s(CLOCK_MONOTONIC), c0 = clock_s(CLOCK_PROCESS_CPUTIME_ID);
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
	sim_run((uint64_t)seconds * 1000000000ull);
	res->wall_s = clock_s(CLOCK_MONOTONIC) - t0;
	res->cpu_s = clock_s(CLOCK_PROCESS_CPUTIME_ID) - c0;
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

static void least(const struct result *r, size_t n, struct result *out)
{
	*out = r[0];
	for (size_t k = 1; k < n; k++) {
		if (r[k].wall_s < out->wall_s)
			out->wall_s = r[k].wall_s;
		if (r[k].cpu_s < out->cpu_s)
			out->cpu_s = r[k].cpu_s;
	}
}

static int one(const char *mode, const char *mss_s, const char *sec_s)
{
	int redirected = !strcmp(mode, "redirected");
	unsigned mss = (unsigned)strtoul(mss_s, NULL, 10), sec = (unsigned)strtoul(sec_s, NULL, 10);
	struct result r;
	if ((!redirected && strcmp(mode, "plain")) || mss < 536 || mss > 1460 || sec == 0) {
		fprintf(stderr, "usage: bench_redirect [plain|redirected MSS(536..1460) SECONDS]\n");
		return 2;
	}
	if (run(redirected, mss, sec, &r) != 0) {
		fprintf(stderr, "bench_redirect: setup failed\n");
		return 1;
	}
	printf("%s mss %u, %u s: wall %.3f s, cpu %.3f s, %llu events, %llu bytes received, "
	       "%llu redirected, %llu fragments\n", mode, mss, sec, r.wall_s, r.cpu_s,
	       (unsigned long long)r.events, (unsigned long long)r.received,
	       (unsigned long long)r.redirected, (unsigned long long)r.fragments);
	return r.received > 0 ? 0 : 1;
}

int main(int argc, char **argv)
{
	static const unsigned mss[] = { 1460, 1440 };
	if (argc == 4)
		return one(argv[1], argv[2], argv[3]);
	if (argc != 1)
		return one("", "0", "0");
	printf("bench_redirect: one bulk TCP flow, 10 Mb/s, 1 ms links, %d s simulated, "
	       "least of %d\n", SIM_SECONDS, REPS);
	printf("%-5s %-11s %9s %9s %10s %12s %11s %10s\n", "mss", "mode", "wall_s", "cpu_s",
	       "events", "goodput_Mbps", "redirected", "fragments");
	int status = 0;
	for (size_t m = 0; m < sizeof mss / sizeof mss[0]; m++) {
		struct result r[2][REPS], best[2];
		for (int k = 0; k < REPS; k++) {
			for (int mode = 0; mode < 2; mode++) {
				if (run(mode, mss[m], SIM_SECONDS, &r[mode][k]) != 0) {
					fprintf(stderr, "bench_redirect: setup failed\n");
					return 1;
				}
			}
		}
		for (int mode = 0; mode < 2; mode++) {
			least(r[mode], REPS, &best[mode]);
			printf("%-5u %-11s %9.3f %9.3f %10llu %12.3f %11llu %10llu\n", mss[m],
			       mode ? "redirected" : "plain", best[mode].wall_s, best[mode].cpu_s,
			       (unsigned long long)best[mode].events,
			       (double)best[mode].received * 8 / SIM_SECONDS / 1e6,
			       (unsigned long long)best[mode].redirected,
			       (unsigned long long)best[mode].fragments);
		}
		printf("mss %u: wall-time ratio redirected/plain = %.3f (target <= 1.05); "
		       "cpu-time ratio %.3f; events ratio %.3f\n", mss[m],
		       best[1].wall_s / best[0].wall_s, best[1].cpu_s / best[0].cpu_s,
		       (double)best[1].events / (double)best[0].events);
		if (best[1].received == 0 || best[1].redirected == 0)
			status = 1;   /* the redirected flow must really have been redirected */
	}
	return status;
}
