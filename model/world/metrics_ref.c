/* metrics_ref.c - the reference of every metric a run stores, by scope:
 * each role's counter sets and the cost model's (their descriptors,
 * counter.h), then the derived results of services, replicas, links and
 * workloads, described here next to nothing else.  `hydranet metrics`
 * prints it; the README's metrics reference is its output, checked in make
 * test, and tests/scenario/test_metrics_ref.sh checks that every metric a
 * run stores is in it. */
#include "world/world_int.h"

#include "apps/redirect.h"

#include "status.h"

struct metric_doc {
	const char *name;
	const char *unit;
	const char *doc;
};

static const struct metric_doc service_docs[] = {
	{ "origin_requests", "count", "requests the origin's server answered (http, hydraweb)" },
	{ "replicas_installed_at_end", "count", "replicas the manager had installed when the run stopped" },
	{ "first_trigger_s", "s", "manager: first time a threshold was crossed (absent: never)" },
	{ "install_latency_s", "s", "manager: trigger to INSTALL_ACK of the first install (absent: none)" },
	{ "last_install_latency_s", "s", "manager: the same, latest install" },
};

static const struct metric_doc replica_docs[] = {
	{ "replica_requests.SERVICE", "count", "requests a replica a manager installed answered" },
	{ "hweb.cache_objects.SERVICE", "count", "objects in a HydraWeb replica's cache at the end" },
};

static const struct metric_doc link_docs[] = {
	{ "bytes_a_to_b", "bytes", "bytes sent from end a (frames as queued, PPP header included)" },
	{ "bytes_b_to_a", "bytes", "bytes sent from end b" },
	{ "frames", "count", "frames sent, both directions" },
};

static const struct metric_doc workload_docs[] = {
	{ "requests", "count", "requests (telnet: sessions) started" },
	{ "ok", "count", "requests answered completely and correctly" },
	{ "requests_reset", "count", "http: requests whose connection closed with an error (RST, or TCP gave up)" },
	{ "requests_timed_out", "count", "http: requests abandoned at the workload's timeout" },
	{ "requests_failed", "count", "http: requests closed cleanly with a reply incomplete or wrong" },
	{ "requests_unfinished", "count", "http: requests still open when the run stopped" },
	{ "bytes_sent", "bytes", "application bytes the clients sent" },
	{ "bytes_received", "bytes", "application bytes the clients received" },
	{ "latency_mean_s", "s", "mean latency of the ok requests, connect to last byte" },
	{ "latency_ci95_s", "s", "half-width of its 95% confidence interval (Student t)" },
	{ "latency_p50_s", "s", "median latency of the ok requests (GSL quantile)" },
	{ "latency_p90_s", "s", "90th percentile" },
	{ "latency_p99_s", "s", "99th percentile" },
	{ "latency_hist_bin_s", "s", "bin width of the series WORKLOAD.latency_hist.*" },
	{ "connect_mean_ms", "ms", "mean connection setup time (SYN to established)" },
	{ "cache_hits", "count", "replies marked X-Cache: hit (HydraWeb)" },
	{ "cache_misses", "count", "replies marked X-Cache: miss" },
	{ "latency_hit_mean_s", "s", "mean latency of the hits" },
	{ "latency_hit_ci95_s", "s", "its 95% CI half-width" },
	{ "latency_miss_mean_s", "s", "mean latency of the misses" },
	{ "latency_miss_ci95_s", "s", "its 95% CI half-width" },
	{ "ping_sent", "count", "ICMP echo requests sent (ping_interval)" },
	{ "ping_received", "count", "echo replies received" },
	{ "ping_rtt_mean_ms", "ms", "mean round trip of the replies" },
	{ "ping_rtt_sd_ms", "ms", "its standard deviation" },
	{ "served_by.NODE", "count", "requests whose reply named NODE as the server" },
	{ "ttcp_source_port", "", "ttcp: the sender's source port; with the client's address, the flow the receiver keeps this workload's results under" },
	{ "ttcp_bytes", "bytes", "ttcp: bytes the receiver read of this workload's flow" },
	{ "ttcp_reads", "count", "ttcp: reads that returned data" },
	{ "ttcp_complete", "0/1", "ttcp: every byte sent arrived" },
	{ "ttcp_seconds", "s", "ttcp: first to last byte at the receiver" },
	{ "ttcp_first_byte_s", "s", "ttcp: the sender's start (connect or first sendto) to the first data byte at the receiver: handshake, and any ICMP, retransmission or black-hole timeout the first segment met" },
	{ "throughput_mbps", "Mbit/s", "ttcp: ttcp_bytes * 8 / ttcp_seconds" },
	{ "tcp_mss_end", "bytes", "ttcp over TCP: the sender's segment size at the end (lowered by ICMP or black-hole detection)" },
	{ "tcp_pmtu_lowered", "count", "ttcp over TCP with df: times ICMP fragmentation needed lowered the sender's segment size" },
	{ "tcp_blackhole_lowered", "count", "ttcp over TCP with df and mtu_probing = blackhole or probe: times black-hole detection lowered it" },
	{ "tcp_mtu_probes", "count", "ttcp over TCP with df and mtu_probing = probe: probe segments sent (the upward search after a fall)" },
	{ "tcp_mtu_probes_failed", "count", "... of them lost (search_high lowered); the others were acknowledged and raised the MSS" },
	{ "redirects", "count", "http with redirect = nearest: 302 replies the clients followed (one more connection each)" },
#define REDIRECT_DOC(e, name, doc) { "drop." name, "count", "http with redirect = nearest: " doc },
	REDIRECT_REFUSALS(REDIRECT_DOC)
#undef REDIRECT_DOC
};

static void header(FILE *out, const char *title, const char *what)
{
	fprintf(out, "\n### %s\n\n%s\n\n| metric | unit | meaning |\n|---|---|---|\n", title, what);
}

static void docs(FILE *out, const struct metric_doc *d, size_t n)
{
	for (size_t i = 0; i < n; i++)
		fprintf(out, "| `%s` | %s | %s |\n", d[i].name, d[i].unit, d[i].doc);
}

#define N(t) (sizeof(t) / sizeof((t)[0]))

void world_print_metrics(FILE *out)
{
	for (int r = 0; r < SCN_NROLES; r++) {
		const struct world_role *role = world_role_of(r);
		if (!role)
			continue;
		char title[64], what[160];
		snprintf(title, sizeof title, "scope NODE, role = %s", role->role);
		int alt = r == SCN_NAMESERVER || r == SCN_RESOLVER || r == SCN_NATLB;   /* not HydraNet's */
		snprintf(what, sizeof what, "Counters of a %s's components%s.", role->role,
			 alt ? "" : " (not in the clean series)");
		header(out, title, what);
		for (size_t k = 0; role->sets[k]; k++)
			counter_print_set(out, role->sets[k], NULL);
	}
	header(out, "scope NODE, role = client: its IP/TCP stack",
	       "Path MTU discovery of its DF TCP sockets, and what its stack dropped or ignored.");
	counter_print_set(out, &sim_stack_counters, NULL);
	header(out, "scope NODE, cpu = pentium-120 or i486sx-33",
	       "The cost model's counters, on any node that has one.");
	counter_print_set(out, &cpu_counters, NULL);
	header(out, "scope NODE: replicas on a host server",
	       "One per service a host server runs a replica of (SERVICE: its name).");
	docs(out, replica_docs, N(replica_docs));
	counter_print_set(out, &hweb_replica_counters, ".SERVICE");
	header(out, "scope service:NAME", "A service's origin, replica manager and HydraWeb manager.");
	docs(out, service_docs, N(service_docs));
	counter_print_set(out, &rmgr_counters, NULL);
	counter_print_set(out, &hweb_manager_counters, NULL);
	header(out, "scope link:NAME", "Each link, from ns-3's device counters.");
	docs(out, link_docs, N(link_docs));
	header(out, "scope workload:NAME", "Each workload's results, derived from its requests.");
	docs(out, workload_docs, N(workload_docs));
	world_print_failure_metrics(out);
	header(out, "scope workload:NAME, with a resolver",
	       "The client's name lookups (its stub resolver, model/apps/dnssrv.h).");
	counter_print_set(out, &dnssrv_counters, NULL);
}
