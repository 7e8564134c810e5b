/* scenario.c - INI scenario files: tables, parsing, checking; see scenario.h. */
#include "scenario/scenario.h"

#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "apps/hweb.h"
#include "net/ipv4.h"
#include "status.h"

#define NS 1e9
#define ERR_MAX 1300

/* ---- parameter tables ------------------------------------------------------ */

#define F(type, field) offsetof(type, field)
#define STR(type, field) offsetof(type, field), sizeof(((type *)0)->field)

static const struct param_def sim_params[] = {
	{ "seed", PARAM_U64, "1", "", 1, 4294967295.0, "base random seed (ns-3 RngSeedManager seed)", F(struct scn_simulation, seed), 0, NULL },
	{ "runs", PARAM_U64, "1", "", 1, 10000, "repetitions per point, on run numbers 1..runs", F(struct scn_simulation, runs), 0, NULL },
	{ "stop_time", PARAM_TIME, "60s", "s", 1e-3 * NS, 86400 * NS, "simulated time at which the run stops", F(struct scn_simulation, stop_ns), 0, NULL },
	{ "tcp_profile", PARAM_ENUM, "bsd1998", "", 0, 0, "TCP stack: bsd1998 (NewReno, no SACK/timestamps/window scaling, IW 1 segment, RTO 1..64 s, MSS = MTU - 40) or modern (ns-3 defaults: Cubic, SACK, timestamps, IW 10)", F(struct scn_simulation, tcp_profile), 0, "bsd1998|modern" },
	{ "mss", PARAM_BYTES, "0", "bytes", 0, 65495, "TCP segment size of every host; 0: the smallest link MTU - 40 (- 12 for modern's timestamps). Larger than a path's MTU allows makes routers fragment, as 1998 stacks without path MTU discovery did", F(struct scn_simulation, mss), 0, NULL },
};

static const struct param_def node_params[] = {
	{ "role", PARAM_ENUM, NULL, "", 0, 0, "what the node is", F(struct scn_node, role), 0, "client|router|redirector|origin|hostserver" },
	{ "cpu", PARAM_ENUM, "none", "", 0, 0, "processor cost model (model/testbed/profile.c): none (free), pentium-120 or i486sx-33", F(struct scn_node, cpu), 0, "none|pentium-120|i486sx-33" },
	{ "outer_ttl", PARAM_U64, "64", "", 1, 255, "redirector: TTL of the outer (tunnel) header; RFC 2003 3.1 default 64", F(struct scn_node, outer_ttl), 0, NULL },
	{ "frag_hold", PARAM_TIME, "30s", "s", 1e-3 * NS, 600 * NS, "how long a fragment's verdict is kept, and an early fragment held waiting for its first", F(struct scn_node, frag_hold_ns), 0, NULL },
	{ "frag_max_flows", PARAM_U64, "1024", "", 1, 1e6, "fragmented datagrams whose verdict is remembered at once", F(struct scn_node, frag_max_flows), 0, NULL },
	{ "frag_max_held", PARAM_BYTES, "256KiB", "bytes", 0, 1e9, "bytes of early fragments held at once", F(struct scn_node, frag_max_held_bytes), 0, NULL },
	{ "reass_timeout", PARAM_TIME, "30s", "s", 1e-3 * NS, 600 * NS, "host server: reassembly timeout of tunnelled fragments (RFC 1122 3.3.2 suggests 60-120 s; BSD used 30 s)", F(struct scn_node, reass_timeout_ns), 0, NULL },
	{ "reass_max_datagrams", PARAM_U64, "256", "", 1, 1e6, "host server: datagrams under reassembly at once", F(struct scn_node, reass_max_datagrams), 0, NULL },
	{ "reass_max_bytes", PARAM_BYTES, "4MiB", "bytes", 1, 1e9, "host server: fragment bytes held at once", F(struct scn_node, reass_max_bytes), 0, NULL },
	{ "policy", PARAM_ENUM, "nearest", "", 0, 0, "redirector: how a new flow picks among a service's replicas: nearest (least path delay from the redirector; the origin competes and wins only when strictly nearer; ties take turns), round_robin, or least_loaded (fewest flows in the redirector's flow table)", F(struct scn_node, policy), 0, "nearest|round_robin|least_loaded" },
	{ "flow_table", PARAM_BOOL, "true", "", 0, 0, "redirector: keep each flow on the replica it started on when the table changes (false: every datagram chooses afresh, and connections can break)", F(struct scn_node, flow_table), 0, NULL },
	{ "flow_idle", PARAM_TIME, "300s", "s", 1e-3 * NS, 86400 * NS, "redirector: a flow idle this long is forgotten (assumed: longer than TCP's keepalive-free idle periods in the workloads here)", F(struct scn_node, flow_idle_ns), 0, NULL },
	{ "announce_lifetime", PARAM_TIME, "30s", "s", 1 * NS, 3600 * NS, "host server: lifetime of its routing daemon's announcements (whole seconds on the wire)", F(struct scn_node, announce_lifetime_ns), 0, NULL },
	{ "announce_refresh", PARAM_TIME, "10s", "s", 1e-3 * NS, 3600 * NS, "host server: announcements are repeated this often, less than their lifetime, so a lost one heals", F(struct scn_node, announce_refresh_ns), 0, NULL },
	{ "withdraw", PARAM_BOOL, "true", "", 0, 0, "host server: withdraw an access point when its replica stops (false: let the redirectors' entries expire)", F(struct scn_node, withdraw), 0, NULL },
};

static const struct param_def link_params[] = {
	{ "a", PARAM_STRING, NULL, "", 0, 0, "node at end a", STR(struct scn_link, a), NULL },
	{ "b", PARAM_STRING, NULL, "", 0, 0, "node at end b", STR(struct scn_link, b), NULL },
	{ "a_addr", PARAM_ADDR, NULL, "", 0, 0, "IPv4 address of end a", F(struct scn_link, a_addr), 0, NULL },
	{ "b_addr", PARAM_ADDR, NULL, "", 0, 0, "IPv4 address of end b", F(struct scn_link, b_addr), 0, NULL },
	{ "prefix", PARAM_U64, "24", "bits", 1, 30, "prefix length of the link's subnet", F(struct scn_link, prefix), 0, NULL },
	{ "rate", PARAM_RATE, "10Mbps", "bit/s", 1e3, 1e11, "data rate (10 Mb/s: the 1998 testbed's Ethernet)", F(struct scn_link, rate_bps), 0, NULL },
	{ "delay", PARAM_TIME, "1ms", "s", 0, 10 * NS, "one-way propagation delay", F(struct scn_link, delay_ns), 0, NULL },
	{ "mtu", PARAM_BYTES, "1500", "bytes", 68, 65535, "IP MTU (1500: Ethernet, RFC 894)", F(struct scn_link, mtu), 0, NULL },
	{ "queue", PARAM_U64, "100", "packets", 1, 1e6, "DropTail queue per device", F(struct scn_link, queue), 0, NULL },
	{ "loss", PARAM_DOUBLE, "0", "", 0, 1, "per-packet loss probability on receive", F(struct scn_link, loss), 0, NULL },
	{ "delay_variation", PARAM_TIME, "0s", "s", 0, 10 * NS, "mean of an extra one-way queueing delay, each direction on its own: every variation_period it takes a new value drawn from an exponential distribution with this mean (the link's own GSL stream); packets keep their order. 0: the delay is fixed", F(struct scn_link, delay_variation_ns), 0, NULL },
	{ "variation_period", PARAM_TIME, "1s", "s", 1e-3 * NS, 3600 * NS, "how long one value of the extra queueing delay lasts", F(struct scn_link, variation_period_ns), 0, NULL },
};

static const struct param_def service_params[] = {
	{ "origin", PARAM_STRING, NULL, "", 0, 0, "origin host node", STR(struct scn_service, origin), NULL },
	{ "address", PARAM_ADDR, NULL, "", 0, 0, "origin IP: one of the origin node's addresses", F(struct scn_service, address), 0, NULL },
	{ "port", PARAM_U64, NULL, "", 1, 65535, "transport port of the service access point", F(struct scn_service, port), 0, NULL },
	{ "protocol", PARAM_ENUM, "tcp", "", 0, 0, "transport protocol", F(struct scn_service, protocol), 0, "tcp|udp" },
	{ "app", PARAM_ENUM, NULL, "", 0, 0, "application: http (HTTP/1.0), telnet (banner + echo), ttcp (throughput test) or hydraweb (HTTP/1.0 Web server with a HydraWeb manager whose replicas are active caches)", F(struct scn_service, app), 0, "http|telnet|ttcp|hydraweb" },
	{ "processing", PARAM_TIME, "0s", "s", 0, 60 * NS, "server time per request before replying", F(struct scn_service, processing_ns), 0, NULL },
	{ "manager", PARAM_ENUM, "none", "", 0, 0, "replica manager on the origin host (http services): none, static (install on every candidate at start) or dynamic (install on the next candidate when the origin's request rate exceeds install_above, remove a replica idle below remove_below for idle_intervals reports)", F(struct scn_service, manager), 0, "none|static|dynamic" },
	{ "candidates", PARAM_STRING, "", "", 0, 0, "manager: host server nodes it may install replicas on, in order of preference (space separated); their replicas are announced to every redirector", STR(struct scn_service, candidates), NULL },
	{ "image_size", PARAM_BYTES, "250000", "bytes", 0, 1e9, "manager: size of the replica's code image sent with each install (assumed: a 1998 Java HTTP replica of a few hundred KB)", F(struct scn_service, image_bytes), 0, NULL },
	{ "trigger", PARAM_ENUM, "load", "", 0, 0, "manager (dynamic): what triggers an install: load (the origin's request rate above install_above) or latency (the origin's response time, request to reply, above install_above_ms)", F(struct scn_service, trigger), 0, "load|latency" },
	{ "install_above", PARAM_DOUBLE, "10", "req/s", 0, 1e6, "manager (dynamic, trigger = load): origin request rate that triggers an install", F(struct scn_service, install_above_rps), 0, NULL },
	{ "install_above_ms", PARAM_DOUBLE, "50", "ms", 0, 1e6, "manager (dynamic, trigger = latency): origin response time that triggers an install", F(struct scn_service, install_above_ms), 0, NULL },
	{ "remove_below", PARAM_DOUBLE, "1", "req/s", 0, 1e6, "manager (dynamic): a replica serving fewer requests/s is idle", F(struct scn_service, remove_below_rps), 0, NULL },
	{ "idle_intervals", PARAM_U64, "3", "", 1, 1000, "manager (dynamic): idle load reports in a row before a replica is removed", F(struct scn_service, idle_intervals), 0, NULL },
	{ "load_interval", PARAM_TIME, "2s", "s", 1e-3 * NS, 3600 * NS, "manager: load measurement and report interval (HydraWeb hit metering goes with it)", F(struct scn_service, load_interval_ns), 0, NULL },
	{ "replica_processing", PARAM_TIME, "0s", "s", 0, 60 * NS, "hydraweb: the replica's time per request, hit or miss (the Java replica's work)", F(struct scn_service, replica_processing_ns), 0, NULL },
	{ "manager_processing", PARAM_TIME, "0s", "s", 0, 60 * NS, "hydraweb: the manager's time per miss before it asks the Web server", F(struct scn_service, manager_processing_ns), 0, NULL },
	{ "objects", PARAM_U64, "100", "", 1, 1e6, "hydraweb: objects the site has (/obj/<page_size>/<id>, id 0..objects-1)", F(struct scn_service, objects), 0, NULL },
	{ "page_size", PARAM_BYTES, "1200", "bytes", 0, 16777216, "hydraweb: size of the objects the manager pushes (the paper's pages: 1200 bytes)", F(struct scn_service, page_bytes), 0, NULL },
	{ "preheat", PARAM_U64, "0", "", 0, 1e6, "hydraweb: objects 0..preheat-1 are pushed to each replica when it is installed", F(struct scn_service, preheat), 0, NULL },
	{ "cache_misses", PARAM_BOOL, "false", "", 0, 0, "hydraweb: the replica keeps what misses bring (the paper's experiment: false)", F(struct scn_service, cache_misses), 0, NULL },
	{ "object_ttl", PARAM_TIME, "0s", "s", 0, 86400 * NS, "hydraweb: pushed objects are fresh this long (whole seconds); an expired one is a miss. 0: no limit", F(struct scn_service, object_ttl_ns), 0, NULL },
	{ "refresh_interval", PARAM_TIME, "0s", "s", 0, 86400 * NS, "hydraweb: keep hot: this often the manager pushes again what it pushed that expires before the next refresh or was modified. 0: off", F(struct scn_service, refresh_ns), 0, NULL },
	{ "modify_rate", PARAM_DOUBLE, "0", "1/s", 0, 1e6, "hydraweb: objects modified per second at the origin, a Poisson process over uniformly chosen objects (the origin's own GSL stream)", F(struct scn_service, modify_rate), 0, NULL },
};

static const struct param_def replica_params[] = {
	{ "service", PARAM_STRING, NULL, "", 0, 0, "service replicated", STR(struct scn_replica, service), NULL },
	{ "host_server", PARAM_STRING, NULL, "", 0, 0, "host server node that runs the replica", STR(struct scn_replica, host_server), NULL },
	{ "redirectors", PARAM_STRING, NULL, "", 0, 0, "redirector nodes whose tables send the service to this replica (space separated)", STR(struct scn_replica, redirectors), NULL },
	{ "state", PARAM_ENUM, "running", "", 0, 0, "what the host server has: running (virtual host, application bound), unbound (virtual host, no application on the port) or absent (no virtual host: a stale redirector entry)", F(struct scn_replica, state), 0, "running|unbound|absent" },
	{ "announce", PARAM_ENUM, "static", "", 0, 0, "how the redirectors learn of the replica: static (their tables are configured with it) or daemon (the host server's routing daemon announces it over UDP when it binds, docs/rmp.md)", F(struct scn_replica, announce), 0, "static|daemon" },
	{ "stop", PARAM_TIME, "0s", "s", 0, 86400 * NS, "time at which the replica stops and gives up its port; 0: never (http replicas)", F(struct scn_replica, stop_ns), 0, NULL },
};

static const struct param_def workload_params[] = {
	{ "client", PARAM_STRING, NULL, "", 0, 0, "client node", STR(struct scn_workload, client), NULL },
	{ "service", PARAM_STRING, NULL, "", 0, 0, "service used", STR(struct scn_workload, service), NULL },
	{ "requests", PARAM_U64, "1", "", 1, 1e6, "HTTP requests or telnet sessions, one after another", F(struct scn_workload, requests), 0, NULL },
	{ "object_size", PARAM_BYTES, "10000", "bytes", 0, 1e8, "http: reply body size", F(struct scn_workload, object_bytes), 0, NULL },
	{ "request_size", PARAM_BYTES, "0", "bytes", 0, 1e8, "http: request size; larger than the GET header makes it a POST padded to this size", F(struct scn_workload, request_bytes), 0, NULL },
	{ "typed", PARAM_BYTES, "200", "bytes", 1, 1e8, "telnet: bytes typed per session", F(struct scn_workload, typed_bytes), 0, NULL },
	{ "write_size", PARAM_BYTES, "1", "bytes", 1, 1400, "telnet: bytes per write", F(struct scn_workload, write_bytes), 0, NULL },
	{ "write_gap", PARAM_TIME, "100ms", "s", 0, 60 * NS, "telnet: pause between writes", F(struct scn_workload, write_gap_ns), 0, NULL },
	{ "start", PARAM_TIME, "1s", "s", 0, 86400 * NS, "time of the first request", F(struct scn_workload, start_ns), 0, NULL },
	{ "think", PARAM_TIME, "100ms", "s", 0, 86400 * NS, "pause between a reply and the next request", F(struct scn_workload, think_ns), 0, NULL },
	{ "think_dist", PARAM_ENUM, "fixed", "", 0, 0, "think time: fixed, or exponential with mean think (from the workload's own GSL stream, seeded by seed, run and workload)", F(struct scn_workload, think_dist), 0, "fixed|exponential" },
	{ "clients", PARAM_U64, "1", "", 1, 100000, "http: users, each making its requests one after another; they arrive spread over one think time", F(struct scn_workload, clients), 0, NULL },
	{ "stop", PARAM_TIME, "0s", "s", 0, 86400 * NS, "http: no request starts after this time (users leave); 0: none", F(struct scn_workload, stop_ns), 0, NULL },
	{ "buflen", PARAM_BYTES, "8192", "bytes", 1, 65536, "ttcp: bytes per write and per read (-l; ttcp's default 8192)", F(struct scn_workload, buflen), 0, NULL },
	{ "nbuf", PARAM_U64, "2048", "", 1, 1e7, "ttcp: buffers written (-n; ttcp's default 2048)", F(struct scn_workload, nbuf), 0, NULL },
	{ "objects", PARAM_U64, "0", "", 0, 1e6, "http: each request asks for one of this many objects (/obj/<object_size>/<id>), drawn uniformly from the workload's stream; 0: object 0 only, or every object of a hydraweb service", F(struct scn_workload, objects), 0, NULL },
	{ "ping_interval", PARAM_TIME, "0s", "s", 0, 3600 * NS, "ICMP echo requests from the client to the service's address this often, from start to stop_time (the paper's ping trace); 0: none", F(struct scn_workload, ping_ns), 0, NULL },
	{ "ping_size", PARAM_BYTES, "64", "bytes", 24, 65507, "ICMP echo message size, 8-byte header included (64: the classic ping; at least 24, the header and the 16 data bytes ns-3's V4Ping writes)", F(struct scn_workload, ping_bytes), 0, NULL },
};

static const struct param_def testbed_params[] = {
	{ "series", PARAM_ENUM, "virtualhost", "", 0, 0, "the paper's series: clean (unmodified kernels, no redirection), realhost (HydraNet kernels, ttcp to the host server's own address) or virtualhost (HydraNet kernels, ttcp to the origin address, tunnelled to the replica)", F(struct scn_testbed, series), 0, "clean|realhost|virtualhost" },
	{ "jitter", PARAM_DOUBLE, "0", "", 0, 0.5, "run-to-run noise: each CPU charge times 1 + U(-jitter, +jitter), from the node's own stream (an assumption: the paper gives no variance)", F(struct scn_testbed, jitter), 0, NULL },
	{ "cpu_scale", PARAM_DOUBLE, "1", "", 0.1, 10, "multiplies every fixed CPU cost (sensitivity to the clock scaling of profile.c)", F(struct scn_testbed, cpu_scale), 0, NULL },
	{ "decap_copies", PARAM_U64, "2", "", 0, 8, "copies of a datagram on decapsulation (assumed 2 in profile.c)", F(struct scn_testbed, decap_copies), 0, NULL },
	{ "link_rate", PARAM_RATE, "0bps", "bit/s", 0, 1e11, "when not 0, the rate of every link (one knob for the testbed's Ethernet: 10 or 100 Mb/s)", F(struct scn_testbed, link_rate_bps), 0, NULL },
	{ "ip_share", PARAM_DOUBLE, "0.1", "", 0.01, 0.49, "IP's share (and UDP's) of the measured per-packet path; the rest is driver/OS work (assumed after Clark et al. 1989, see model/testbed/profile.c)", F(struct scn_testbed, ip_share), 0, NULL },
};

static const struct param_def replication_params[] = {
	{ "mode", PARAM_ENUM, "per-service", "", 0, 0, "replica managers of every http service with candidates: per-service (each service's own manager key), none, static or dynamic (the Figure 1 cases in one knob)", F(struct scn_replication, mode), 0, "per-service|none|static|dynamic" },
};

static const struct param_def output_params[] = {
	{ "pcap", PARAM_STRING, "", "", 0, 0, "directory for pcap traces (NODE-IFACE.pcap); empty: none; --pcap overrides", STR(struct scn_output, pcap_dir), NULL },
	{ "sample_interval", PARAM_TIME, "1s", "s", 0, 3600 * NS, "interval of the counter time series (series NODE.COUNTER: redirected, delivered, ...); 0: none", F(struct scn_output, sample_ns), 0, NULL },
	{ "hist_bin", PARAM_TIME, "50ms", "s", 1e-6 * NS, 60 * NS, "bin width of the latency histograms (series WORKLOAD.latency_hist.all, .hit, .miss)", F(struct scn_output, hist_bin_ns), 0, NULL },
};

#define N(t) (sizeof(t) / sizeof((t)[0]))

/* One entry per section kind: how its objects are stored. */
struct kind {
	const char *name;
	const struct param_def *params;
	size_t nparams;
	int named;                    /* [kind NAME] vs [kind] */
	size_t size;                  /* object struct size */
	size_t base_off, at_off, count_off;   /* in struct scenario */
};

#define KIND(n, tab, named, type, arr, at, cnt) \
	{ n, tab, N(tab), named, sizeof(type), offsetof(struct scenario, arr), \
	  offsetof(struct scenario, at), offsetof(struct scenario, cnt) }

static const struct kind kinds[] = {
	KIND("node", node_params, 1, struct scn_node, node, node_at, nnodes),
	KIND("link", link_params, 1, struct scn_link, link, link_at, nlinks),
	KIND("service", service_params, 1, struct scn_service, service, service_at, nservices),
	KIND("replica", replica_params, 1, struct scn_replica, replica, replica_at, nreplicas),
	KIND("workload", workload_params, 1, struct scn_workload, workload, workload_at, nworkloads),
	{ "simulation", sim_params, N(sim_params), 0, sizeof(struct scn_simulation),
	  offsetof(struct scenario, sim), 0, 0 },
	{ "testbed", testbed_params, N(testbed_params), 0, sizeof(struct scn_testbed),
	  offsetof(struct scenario, testbed), 0, 0 },
	{ "output", output_params, N(output_params), 0, sizeof(struct scn_output),
	  offsetof(struct scenario, out), 0, 0 },
	{ "replication", replication_params, N(replication_params), 0,
	  sizeof(struct scn_replication), offsetof(struct scenario, replication), 0, 0 },
};

int scenario_print_params(FILE *out, const char *section)
{
	int found = 0;
	for (size_t k = 0; k < N(kinds); k++) {
		if (section && strcmp(section, kinds[k].name))
			continue;
		char title[64];
		snprintf(title, sizeof title, kinds[k].named ? "%s NAME" : "%s", kinds[k].name);
		param_print_table(out, title, kinds[k].params, kinds[k].nparams);
		found = 1;
	}
	return found ? HN_OK : HN_ENOENT;
}

int scenario_value_equal(const char *section, const char *key, const char *a, const char *b)
{
	char kname[64];
	if (sscanf(section, "%63s", kname) != 1)
		return HN_ENOENT;
	for (size_t k = 0; k < N(kinds); k++) {
		if (strcmp(kinds[k].name, kname))
			continue;
		const struct param_def *d = param_find(kinds[k].params, kinds[k].nparams, key);
		if (!d)
			return HN_ENOENT;
		if (!b && !(b = d->def))
			return 0;   /* a required key has no default */
		/* Both parsed into scratch objects of the section's type. */
		char *x = calloc(2, kinds[k].size), err[ERR_MAX];
		if (!x)
			return HN_ENOMEM;
		char *y = x + kinds[k].size;
		int eq = param_parse(d, a, x, err, sizeof err) == HN_OK &&
			 param_parse(d, b, y, err, sizeof err) == HN_OK &&
			 !memcmp(x + d->offset, y + d->offset, param_value_size(d));
		free(x);
		return eq;
	}
	return HN_ENOENT;
}

void scenario_print_sections(FILE *out)
{
	for (size_t k = 0; k < N(kinds); k++)
		fprintf(out, "%s%s", k ? " " : "", kinds[k].name);
	fputc('\n', out);
}

/* ---- building objects from entries ---------------------------------------- */

struct parse {
	struct scenario *s;
	const struct scn_source *src;
	size_t point;
	char err[ERR_MAX];
	int failed;
	int cur_header;               /* header line of the current object */
	char cur_section[128];
	void *cur_obj;
	struct scn_origin *cur_at;
	const struct kind *cur_kind;
	int seen_single[N(kinds)];    /* unnamed sections met */
	int single_line[N(kinds)];
	struct scn_origin single_at[N(kinds)];   /* their keys' lines */
};

static void fail(struct parse *p, int line, const char *fmt, ...)
{
	if (p->failed)
		return;   /* first error wins */
	p->failed = 1;
	char msg[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	snprintf(p->err, sizeof p->err, "%s:%d: %s", p->s->path, line, msg);
}

/* Like fail, at entry i: its file line, or the --set that gave it. */
static void fail_entry(struct parse *p, size_t i, const char *fmt, ...)
{
	if (p->failed)
		return;
	p->failed = 1;
	char msg[512], where[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	scn_source_where(p->src, i, where, sizeof where);
	snprintf(p->err, sizeof p->err, "%s: %s", where, msg);
}

static void set_defaults(const struct kind *k, void *obj)
{
	char err[ERR_MAX];
	for (size_t i = 0; i < k->nparams; i++)
		if (k->params[i].def)
			param_parse(&k->params[i], k->params[i].def, obj, err, sizeof err);
}

/* Start the object of a new section header (at line hl). */
static int begin_section(struct parse *p, const char *section, int hl)
{
	char kname[64], oname[128], extra[8];
	int n = sscanf(section, "%63s %127s %7s", kname, oname, extra);
	const struct kind *k = NULL;
	for (size_t i = 0; i < N(kinds); i++)
		if (n >= 1 && !strcmp(kinds[i].name, kname))
			k = &kinds[i];
	if (!k) {
		char names[200] = "";
		for (size_t i = 0; i < N(kinds); i++) {
			strncat(names, i ? ", " : "", sizeof names - strlen(names) - 1);
			strncat(names, kinds[i].name, sizeof names - strlen(names) - 1);
		}
		fail(p, hl, "unknown section [%s] (sections: %s)", section, names);
		return 0;
	}
	snprintf(p->cur_section, sizeof p->cur_section, "%s", section);
	p->cur_kind = k;
	char *base = (char *)p->s + k->base_off;
	if (!k->named) {
		if (n != 1) {
			fail(p, hl, "section [%s]: [%s] takes no name", section, kname);
			return 0;
		}
		size_t ki = (size_t)(k - kinds);
		if (p->seen_single[ki]) {
			fail(p, hl, "section [%s] appears twice (first at line %d)", kname,
			     p->single_line[ki]);
			return 0;
		}
		p->seen_single[ki] = 1;
		p->single_line[ki] = hl;
		p->cur_obj = base;
		p->cur_at = &p->single_at[ki];
		p->cur_at->line = hl;
		return 1;
	}
	if (n != 2) {
		fail(p, hl, "section [%s] needs one name: [%s NAME]", section, kname);
		return 0;
	}
	if (strlen(oname) >= SCN_NAME_MAX) {
		fail(p, hl, "name '%s' is longer than %d characters", oname, SCN_NAME_MAX - 1);
		return 0;
	}
	size_t *count = (size_t *)((char *)p->s + k->count_off);
	struct scn_origin *at = (struct scn_origin *)((char *)p->s + k->at_off);
	for (size_t i = 0; i < *count; i++) {
		if (!strcmp(base + i * k->size, oname)) {   /* name is the first field */
			fail(p, hl, "duplicate %s '%s' (first defined at line %d)", kname, oname,
			     at[i].line);
			return 0;
		}
	}
	if (*count == SCN_MAX_OBJECTS) {
		fail(p, hl, "more than %d %s sections", SCN_MAX_OBJECTS, kname);
		return 0;
	}
	p->cur_obj = base + *count * k->size;
	p->cur_at = &at[*count];
	(*count)++;
	memset(p->cur_obj, 0, k->size);
	set_defaults(k, p->cur_obj);
	memcpy(p->cur_obj, oname, strlen(oname) + 1);   /* length checked above */
	p->cur_at->line = hl;
	return 1;
}

/* Make the existing object of section current; 0 (and an error) if none. */
static int find_object(struct parse *p, const char *section)
{
	char kname[64], oname[128];
	int n = sscanf(section, "%63s %127s", kname, oname);
	for (size_t k = 0; n >= 1 && k < N(kinds); k++) {
		const struct kind *kd = &kinds[k];
		if (strcmp(kd->name, kname))
			continue;
		char *base = (char *)p->s + kd->base_off;
		p->cur_kind = kd;
		snprintf(p->cur_section, sizeof p->cur_section, "%s", section);
		p->cur_header = -1;
		if (!kd->named) {
			p->cur_obj = base;
			p->cur_at = &p->single_at[k];
			return 1;
		}
		size_t count = *(size_t *)((char *)p->s + kd->count_off);
		struct scn_origin *at = (struct scn_origin *)((char *)p->s + kd->at_off);
		for (size_t j = 0; n == 2 && j < count; j++)
			if (!strcmp(base + j * kd->size, oname)) {
				p->cur_obj = base + j * kd->size;
				p->cur_at = &at[j];
				return 1;
			}
	}
	fail(p, 0, "no section [%s] for an override", section);
	return 0;
}

/* Apply entry i (its value at the current point) to the object it names. */
static void apply(struct parse *p, size_t i)
{
	const struct scn_entry *e = &p->src->e[i];
	if (e->line == 0) {
		/* A key added by --set joins the object its section made. */
		if (!find_object(p, e->section))
			return;
	} else if (strcmp(e->section, p->cur_section) || !p->cur_kind ||
		   e->header_line != p->cur_header) {
		/* A new object starts at each header, even one repeating a name. */
		p->cur_header = e->header_line;
		if (!begin_section(p, e->section, e->header_line))
			return;
	}
	if (!e->key[0])
		return;   /* a section without keys (source.c) */
	const struct kind *k = p->cur_kind;
	const struct param_def *d = param_find(k->params, k->nparams, e->key);
	if (!d) {
		char known[400] = "";
		for (size_t j = 0; j < k->nparams; j++) {
			strncat(known, j ? ", " : "", sizeof known - strlen(known) - 1);
			strncat(known, k->params[j].name, sizeof known - strlen(known) - 1);
		}
		fail_entry(p, i, "[%s]: unknown key '%s' (keys: %s)", e->section, e->key, known);
		return;
	}
	size_t idx = (size_t)(d - k->params);
	int *key_line = p->cur_at ? &p->cur_at->key_line[idx] : NULL;
	if (key_line && *key_line && !e->overridden) {
		fail_entry(p, i, "[%s]: key '%s' given twice (first at line %d)", e->section, e->key,
			   *key_line);
		return;
	}
	char err[ERR_MAX];
	if (param_parse(d, scn_source_value(p->src, i, p->point), p->cur_obj, err, sizeof err) != HN_OK) {
		fail_entry(p, i, "[%s]: %s", e->section, err);
		return;
	}
	if (key_line)
		*key_line = e->line ? e->line : e->header_line;
}

/* ---- checks after parsing -------------------------------------------------- */

const struct scn_node *scenario_node(const struct scenario *s, const char *name)
{
	for (size_t i = 0; i < s->nnodes; i++)
		if (!strcmp(s->node[i].name, name))
			return &s->node[i];
	return NULL;
}

const struct scn_service *scenario_service(const struct scenario *s, const char *name)
{
	for (size_t i = 0; i < s->nservices; i++)
		if (!strcmp(s->service[i].name, name))
			return &s->service[i];
	return NULL;
}

static int key_line(const struct scn_origin *at, const struct param_def *tab, size_t n,
		    const char *key)
{
	const struct param_def *d = param_find(tab, n, key);
	int l = d ? at->key_line[d - tab] : 0;
	return l ? l : at->line;
}

static int required(struct parse *p, const struct kind *k, const struct scn_origin *at,
		    const char *name)
{
	for (size_t i = 0; i < k->nparams; i++)
		if (!k->params[i].def && !at->key_line[i]) {
			fail(p, at->line, "[%s %s]: missing required key '%s'", k->name, name,
			     k->params[i].name);
			return 0;
		}
	return 1;
}

static const char *role_name(int role)
{
	static const char *const names[] = { "client", "router", "redirector", "origin",
					     "hostserver" };
	return role >= 0 && role < (int)N(names) ? names[role] : "?";
}

static int node_index(const struct scenario *s, const char *name)
{
	for (size_t i = 0; i < s->nnodes; i++)
		if (!strcmp(s->node[i].name, name))
			return (int)i;
	return -1;
}

static int node_has_addr(const struct scenario *s, const char *node, uint32_t addr)
{
	for (size_t i = 0; i < s->nlinks; i++)
		if ((!strcmp(s->link[i].a, node) && s->link[i].a_addr == addr) ||
		    (!strcmp(s->link[i].b, node) && s->link[i].b_addr == addr))
			return 1;
	return 0;
}

static void check(struct parse *p)
{
	struct scenario *s = p->s;
	char a1[16], a2[16];

	if (s->nnodes == 0) {
		fail(p, 1, "no [node NAME] sections: nothing to simulate");
		return;
	}
	for (size_t i = 0; i < s->nnodes && !p->failed; i++)
		required(p, &kinds[0], &s->node_at[i], s->node[i].name);
	for (size_t i = 0; i < s->nlinks && !p->failed; i++) {
		const struct scn_link *l = &s->link[i];
		const struct scn_origin *at = &s->link_at[i];
		if (!required(p, &kinds[1], at, l->name))
			return;
		if (node_index(s, l->a) < 0 || node_index(s, l->b) < 0) {
			const char *k = node_index(s, l->a) < 0 ? "a" : "b";
			fail(p, key_line(at, link_params, N(link_params), k),
			     "[link %s]: no node named '%s'", l->name, *k == 'a' ? l->a : l->b);
			return;
		}
		if (!strcmp(l->a, l->b)) {
			fail(p, key_line(at, link_params, N(link_params), "b"),
			     "[link %s]: both ends are node '%s'", l->name, l->a);
			return;
		}
		uint32_t mask = ~0u << (32 - l->prefix);
		if ((l->a_addr & mask) != (l->b_addr & mask) || l->a_addr == l->b_addr) {
			fail(p, key_line(at, link_params, N(link_params), "b_addr"),
			     "[link %s]: %s and %s are not two hosts of one /%llu subnet", l->name,
			     ipv4_ntoa(l->a_addr, a1), ipv4_ntoa(l->b_addr, a2),
			     (unsigned long long)l->prefix);
			return;
		}
		for (size_t j = 0; j < i; j++) {
			const struct scn_link *m = &s->link[j];
			uint32_t addrs[2] = { l->a_addr, l->b_addr };
			for (int e = 0; e < 2; e++)
				if (addrs[e] == m->a_addr || addrs[e] == m->b_addr) {
					fail(p, key_line(at, link_params, N(link_params),
							 e ? "b_addr" : "a_addr"),
					     "[link %s]: address %s already used by link '%s'",
					     l->name, ipv4_ntoa(addrs[e], a1), m->name);
					return;
				}
		}
	}
	if (p->failed)
		return;
	/* Connectivity: every node reachable from the first, over links. */
	{
		int seen[SCN_MAX_OBJECTS] = { 1 }, changed = 1;
		while (changed) {
			changed = 0;
			for (size_t i = 0; i < s->nlinks; i++) {
				int a = node_index(s, s->link[i].a), b = node_index(s, s->link[i].b);
				if (seen[a] != seen[b]) {
					seen[a] = seen[b] = 1;
					changed = 1;
				}
			}
		}
		for (size_t i = 0; i < s->nnodes; i++)
			if (!seen[i]) {
				fail(p, s->node_at[i].line,
				     "[node %s]: not connected to node '%s': the topology is disconnected",
				     s->node[i].name, s->node[0].name);
				return;
			}
	}
	for (size_t i = 0; i < s->nservices && !p->failed; i++) {
		const struct scn_service *v = &s->service[i];
		const struct scn_origin *at = &s->service_at[i];
		if (!required(p, &kinds[2], at, v->name))
			return;
		const struct scn_node *o = scenario_node(s, v->origin);
		if (!o) {
			fail(p, key_line(at, service_params, N(service_params), "origin"),
			     "[service %s]: no node named '%s'", v->name, v->origin);
			return;
		}
		if (o->role != SCN_ORIGIN) {
			fail(p, key_line(at, service_params, N(service_params), "origin"),
			     "[service %s]: origin '%s' has role = %s, not role = origin", v->name,
			     v->origin, role_name(o->role));
			return;
		}
		if (!node_has_addr(s, v->origin, v->address)) {
			fail(p, key_line(at, service_params, N(service_params), "address"),
			     "[service %s]: %s is not an address of node '%s'", v->name,
			     ipv4_ntoa(v->address, a1), v->origin);
			return;
		}
		if (v->protocol != SCN_TCP && v->app != SCN_APP_TTCP) {
			fail(p, key_line(at, service_params, N(service_params), "protocol"),
			     "[service %s]: protocol = udp, but the %s application runs over tcp only",
			     v->name,
			     v->app == SCN_APP_TELNET ? "telnet" : v->app == SCN_APP_HTTP ? "http" : "hydraweb");
			return;
		}
		for (size_t j = 0; j < i; j++)
			if (s->service[j].address == v->address && s->service[j].port == v->port &&
			    s->service[j].protocol == v->protocol) {
				fail(p, key_line(at, service_params, N(service_params), "port"),
				     "[service %s]: same access point (%s port %llu tcp) as service '%s'",
				     v->name, ipv4_ntoa(v->address, a1), (unsigned long long)v->port,
				     s->service[j].name);
				return;
			}
	}
	for (size_t i = 0; i < s->nreplicas && !p->failed; i++) {
		const struct scn_replica *r = &s->replica[i];
		const struct scn_origin *at = &s->replica_at[i];
		if (!required(p, &kinds[3], at, r->name))
			return;
		if (!scenario_service(s, r->service)) {
			fail(p, key_line(at, replica_params, N(replica_params), "service"),
			     "[replica %s]: no service named '%s'", r->name, r->service);
			return;
		}
		const struct scn_node *h = scenario_node(s, r->host_server);
		if (!h) {
			fail(p, key_line(at, replica_params, N(replica_params), "host_server"),
			     "[replica %s]: no node named '%s'", r->name, r->host_server);
			return;
		}
		if (h->role != SCN_HOSTSERVER) {
			fail(p, key_line(at, replica_params, N(replica_params), "host_server"),
			     "[replica %s]: host_server '%s' has role = %s, not role = hostserver",
			     r->name, r->host_server, role_name(h->role));
			return;
		}
		char list[sizeof r->redirectors], *save = NULL;
		snprintf(list, sizeof list, "%s", r->redirectors);
		int count = 0;
		for (char *t = strtok_r(list, " \t,", &save); t; t = strtok_r(NULL, " \t,", &save)) {
			const struct scn_node *d = scenario_node(s, t);
			count++;
			if (!d) {
				fail(p, key_line(at, replica_params, N(replica_params), "redirectors"),
				     "[replica %s]: redirectors: no node named '%s'", r->name, t);
				return;
			}
			if (d->role != SCN_REDIRECTOR) {
				fail(p, key_line(at, replica_params, N(replica_params), "redirectors"),
				     "[replica %s]: redirectors: '%s' has role = %s, not role = redirector",
				     r->name, t, role_name(d->role));
				return;
			}
		}
		const struct scn_service *sv = scenario_service(s, r->service);
		if (r->stop_ns && ((sv->app != SCN_APP_HTTP && sv->app != SCN_APP_HYDRAWEB) ||
				   r->state != SCN_REPLICA_RUNNING)) {
			fail(p, key_line(at, replica_params, N(replica_params), "stop"),
			     "[replica %s]: stop is supported for running http and hydraweb replicas only", r->name);
			return;
		}
		if (r->announce && h->announce_lifetime_ns % 1000000000ull) {
			fail(p, h->announce_lifetime_ns ? s->node_at[h - s->node].line : 1,
			     "[node %s]: announce_lifetime must be whole seconds (it travels as seconds)",
			     h->name);
			return;
		}
		if (r->announce && h->announce_refresh_ns >= h->announce_lifetime_ns) {
			fail(p, key_line(at, replica_params, N(replica_params), "announce"),
			     "[replica %s]: host server '%s' refreshes its announcements every %g s, "
			     "not within their lifetime of %g s", r->name, h->name,
			     (double)h->announce_refresh_ns / 1e9, (double)h->announce_lifetime_ns / 1e9);
			return;
		}
		if (!count) {
			fail(p, key_line(at, replica_params, N(replica_params), "redirectors"),
			     "[replica %s]: redirectors is empty: name at least one redirector node",
			     r->name);
			return;
		}
	}
	for (size_t i = 0; i < s->nworkloads && !p->failed; i++) {
		const struct scn_workload *w = &s->workload[i];
		const struct scn_origin *at = &s->workload_at[i];
		if (!required(p, &kinds[4], at, w->name))
			return;
		const struct scn_node *c = scenario_node(s, w->client);
		if (!c) {
			fail(p, key_line(at, workload_params, N(workload_params), "client"),
			     "[workload %s]: no node named '%s'", w->name, w->client);
			return;
		}
		if (c->role != SCN_CLIENT) {
			fail(p, key_line(at, workload_params, N(workload_params), "client"),
			     "[workload %s]: client '%s' has role = %s, not role = client", w->name,
			     w->client, role_name(c->role));
			return;
		}
		const struct scn_service *v = scenario_service(s, w->service);
		if (!v) {
			fail(p, key_line(at, workload_params, N(workload_params), "service"),
			     "[workload %s]: no service named '%s'", w->name, w->service);
			return;
		}
		if (w->start_ns >= s->sim.stop_ns) {
			fail(p, key_line(at, workload_params, N(workload_params), "start"),
			     "[workload %s]: starts at %g s, not before stop_time (%g s): it would "
			     "measure nothing", w->name, (double)w->start_ns / 1e9,
			     (double)s->sim.stop_ns / 1e9);
			return;
		}
		if (w->ping_ns && w->ping_ns < 1000000) {
			fail(p, key_line(at, workload_params, N(workload_params), "ping_interval"),
			     "[workload %s]: ping_interval below 1 ms (0 turns pings off)", w->name);
			return;
		}
		if (v->app == SCN_APP_TTCP && v->protocol == SCN_UDP && w->buflen > 65507) {
			fail(p, key_line(at, workload_params, N(workload_params), "buflen"),
			     "[workload %s]: buflen = %llu is more than a UDP datagram carries (65507)",
			     w->name, (unsigned long long)w->buflen);
			return;
		}
		for (size_t j = 0; j < i && v->app == SCN_APP_TTCP; j++)
			if (!strcmp(s->workload[j].service, w->service)) {
				fail(p, key_line(at, workload_params, N(workload_params), "service"),
				     "[workload %s]: ttcp service '%s' already has workload '%s'; give "
				     "each ttcp workload its own service (port)", w->name, w->service,
				     s->workload[j].name);
				return;
			}
		int replicated = 0;
		for (size_t j = 0; j < s->nreplicas; j++)
			replicated |= !strcmp(s->replica[j].service, w->service);
		if (s->testbed.series != SCN_SERIES_VIRTUALHOST && !replicated) {
			fail(p, key_line(at, workload_params, N(workload_params), "service"),
			     "[workload %s]: series = %s sends it to the host server of a replica of "
			     "'%s', but the service has no [replica]", w->name,
			     s->testbed.series == SCN_SERIES_CLEAN ? "clean" : "realhost", w->service);
			return;
		}
	}
	/* [replication] mode sets every candidate-bearing service's manager. */
	for (size_t i = 0; i < s->nservices && s->replication.mode; i++)
		if (s->service[i].candidates[0])
			s->service[i].manager = s->replication.mode - 1;
	/* Replica managers: http services, candidates that are host servers. */
	for (size_t i = 0; i < s->nservices; i++) {
		const struct scn_service *v = &s->service[i];
		const struct scn_origin *at = &s->service_at[i];
		if (!v->manager)
			continue;
		int line = key_line(at, service_params, N(service_params), "manager");
		if (v->app != SCN_APP_HTTP && v->app != SCN_APP_HYDRAWEB) {
			fail(p, line, "[service %s]: a replica manager runs http and hydraweb services only", v->name);
			return;
		}
		char list[sizeof v->candidates], *save = NULL;
		snprintf(list, sizeof list, "%s", v->candidates);
		int count = 0;
		for (char *t = strtok_r(list, " \t,", &save); t; t = strtok_r(NULL, " \t,", &save)) {
			const struct scn_node *h = scenario_node(s, t);
			if (!h || h->role != SCN_HOSTSERVER) {
				fail(p, key_line(at, service_params, N(service_params), "candidates"),
				     "[service %s]: candidates: '%s' is not a host server node", v->name, t);
				return;
			}
			if (++count > 8) {
				fail(p, key_line(at, service_params, N(service_params), "candidates"),
				     "[service %s]: candidates: more than 8 host servers", v->name);
				return;
			}
		}
		if (!count) {
			fail(p, line, "[service %s]: manager = %s needs candidates (host server nodes)",
			     v->name, v->manager == 1 ? "static" : "dynamic");
			return;
		}
		for (size_t j = 0; j < s->nreplicas; j++)
			if (!strcmp(s->replica[j].service, v->name)) {
				fail(p, s->replica_at[j].line, "[replica %s]: service '%s' has a replica "
				     "manager, which installs its replicas itself", s->replica[j].name, v->name);
				return;
			}
	}
	/* HydraWeb: what the manager pushes must be what the clients ask for. */
	for (size_t i = 0; i < s->nservices; i++) {
		const struct scn_service *v = &s->service[i];
		if (v->app != SCN_APP_HYDRAWEB)
			continue;
		if (v->port == HWEB_PORT_MANAGER) {
			fail(p, key_line(&s->service_at[i], service_params, N(service_params), "port"),
			     "[service %s]: port %d is the HydraWeb manager's own (its miss service)",
			     v->name, HWEB_PORT_MANAGER);
			return;
		}
		for (size_t j = 0; j < i; j++)
			if (s->service[j].app == SCN_APP_HYDRAWEB && s->service[j].address == v->address) {
				fail(p, key_line(&s->service_at[i], service_params, N(service_params), "address"),
				     "[service %s]: service '%s' is a hydraweb service at the same address; its "
				     "manager has the one miss service (port %d) there", v->name,
				     s->service[j].name, HWEB_PORT_MANAGER);
				return;
			}
		if (v->object_ttl_ns % 1000000000ull) {
			fail(p, key_line(&s->service_at[i], service_params, N(service_params), "object_ttl"),
			     "[service %s]: object_ttl must be whole seconds (it travels as seconds in PUSH)",
			     v->name);
			return;
		}
		if (v->preheat > v->objects) {
			fail(p, key_line(&s->service_at[i], service_params, N(service_params), "preheat"),
			     "[service %s]: preheat = %llu is more than the site's objects (%llu)", v->name,
			     (unsigned long long)v->preheat, (unsigned long long)v->objects);
			return;
		}
		for (size_t j = 0; j < s->nworkloads; j++) {
			const struct scn_workload *w = &s->workload[j];
			const struct scn_origin *at = &s->workload_at[j];
			if (strcmp(w->service, v->name))
				continue;
			if (w->object_bytes != v->page_bytes) {
				fail(p, key_line(at, workload_params, N(workload_params), "object_size"),
				     "[workload %s]: object_size = %llu, but service '%s' has pages of "
				     "page_size = %llu bytes: every request would miss", w->name,
				     (unsigned long long)w->object_bytes, v->name,
				     (unsigned long long)v->page_bytes);
				return;
			}
			if (w->objects > v->objects) {
				fail(p, key_line(at, workload_params, N(workload_params), "objects"),
				     "[workload %s]: objects = %llu, but service '%s' has %llu", w->name,
				     (unsigned long long)w->objects, v->name, (unsigned long long)v->objects);
				return;
			}
		}
	}
	/* Bounds that one parameter's range cannot say. */
	int tb_line = p->seen_single[6] ? p->single_line[6] : 1;
	int out_line = p->seen_single[7] ? p->single_line[7] : 1;
	if (s->testbed.link_rate_bps > 0 && s->testbed.link_rate_bps < 1000) {
		fail(p, tb_line, "[testbed]: link_rate = %llu bps: 0 (each link's own rate) or at "
			       "least 1000 bps", (unsigned long long)s->testbed.link_rate_bps);
		return;
	}
	if (s->out.sample_ns > 0 && s->out.sample_ns < 1000000) {
		fail(p, out_line, "[output]: sample_interval below 1 ms (0 turns sampling off)");
		return;
	}
}

struct scenario *scenario_build(const struct scn_source *src, size_t point, char *err,
				size_t errlen)
{
	struct scenario *s = calloc(1, sizeof *s);
	struct parse *p = calloc(1, sizeof *p);
	if (!s || !p) {
		snprintf(err, errlen, "%s: out of memory", src->path);
		free(s);
		free(p);
		return NULL;
	}
	snprintf(s->path, sizeof s->path, "%s", src->path);
	p->s = s;
	p->src = src;
	p->point = point;
	set_defaults(&kinds[5], &s->sim);
	set_defaults(&kinds[6], &s->testbed);
	set_defaults(&kinds[7], &s->out);
	set_defaults(&kinds[8], &s->replication);
	/* File entries in file order; overrides that added a key follow, and
	 * join their section through its header line. */
	for (size_t i = 0; i < src->n && !p->failed; i++)
		apply(p, i);
	if (!p->failed)
		check(p);
	if (p->failed) {
		snprintf(err, errlen, "%s", p->err);
		free(p);
		free(s);
		return NULL;
	}
	free(p);
	return s;
}

struct scenario *scenario_load(const char *path, char *err, size_t errlen)
{
	struct scn_source *src = scn_source_open(path, err, errlen);
	if (!src)
		return NULL;
	struct scenario *s = NULL;
	if (scn_source_expand(src, err, errlen) == HN_OK)
		s = scenario_build(src, 0, err, errlen);
	scn_source_free(src);
	return s;
}

void scenario_free(struct scenario *s)
{
	free(s);
}
