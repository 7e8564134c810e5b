/* scenario.c - INI scenario files: tables, parsing, checking; see scenario.h. */
#include "scenario/scenario.h"

#include <assert.h>
#include <ctype.h>
#include <errno.h>
#include <fnmatch.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "apps/hweb.h"
#include "testbed/cpu.h"
#include "net/ipv4.h"
#include "net/graph.h"
#include "scenario/topofile.h"
#include "scenario/topogen.h"
#include "status.h"

#define NS 1e9
#define ERR_MAX 8192

/* ---- parameter tables ------------------------------------------------------ */


static const struct param_def sim_params[] = {
	{ "seed", PARAM_U64, "1", "", 1, 4294967295.0, "base random seed (ns-3 RngSeedManager seed)", PARAM_AT(struct scn_simulation, seed), NULL },
	{ "runs", PARAM_U64, "1", "", 1, 10000, "repetitions per point, on run numbers 1..runs", PARAM_AT(struct scn_simulation, runs), NULL },
	{ "stop_time", PARAM_TIME, "60s", "s", 1e-3 * NS, 86400 * NS, "simulated time at which the run stops", PARAM_AT(struct scn_simulation, stop_ns), NULL },
	{ "tcp_profile", PARAM_ENUM, "bsd1998", "", 0, 0, "TCP stack: bsd1998 (NewReno, no SACK/timestamps/window scaling, IW 1 segment, RTO 1..64 s, MSS = MTU - 40) or modern (ns-3 defaults: Cubic, SACK, timestamps, IW 10)", PARAM_AT(struct scn_simulation, tcp_profile), PARAM_CHOICES("bsd1998", "modern") },
	{ "mss", PARAM_BYTES, "0", "bytes", 0, 65495, "TCP segment size of every host; 0: the smallest link MTU - 40 (- 12 for modern's timestamps). Larger than a path's MTU allows makes routers fragment, as 1998 stacks without path MTU discovery did", PARAM_AT(struct scn_simulation, mss), NULL },
	{ "routing", PARAM_ENUM, "global", "", 0, 0, "how routes are computed, both by fewest hops over the links (ns-3 global routing's metric): global (ns-3's global routing: its setup takes minutes at 2,000 nodes, each lookup scans the node's routes) or static (the model's own, model/world/routing.h: trees hanging off the core take one route up, the core a next-hop table; hashed lookups, O(N + L) memory beside the core's). Same paths where the fewest-hop path is unique; a link that goes down is routed around by neither", PARAM_AT(struct scn_simulation, routing), PARAM_CHOICES("global", "static") },
	{ "tcp_timewait", PARAM_ENUM, "compact", "", 0, 0, "how a finished TCP connection's TIME_WAIT (2 MSL = 240 s) is held: compact (a record of its 4-tuple, sequence numbers and window that behaves as ns-3's socket does there, like Linux's inet_timewait_sock; for connections the applications gave back; model/sim/sim_timewait.cc) or whole (ns-3's whole socket, about 7 KB). The same results either way: whole is there to compare", PARAM_AT(struct scn_simulation, tcp_timewait), PARAM_CHOICES("compact", "whole") },
};

/* The keys every node has; each role's own follow (roles.h). */
static const struct param_def node_params[] = {
	{ "role", PARAM_ENUM, NULL, "", 0, 0, "what the node is", PARAM_AT(struct scn_node, role), role_names },
	{ "cpu", PARAM_ENUM, "none", "", 0, 0, "processor cost model (model/testbed/profile.c): none (free), pentium-120 or i486sx-33", PARAM_AT(struct scn_node, cpu), cpu_choices },
};

static const struct param_def link_params[] = {
	{ "a", PARAM_STRING, NULL, "", 0, 0, "node at end a", PARAM_AT(struct scn_link, a), NULL },
	{ "b", PARAM_STRING, NULL, "", 0, 0, "node at end b", PARAM_AT(struct scn_link, b), NULL },
	{ "a_addr", PARAM_ADDR, NULL, "", 0, 0, "IPv4 address of end a", PARAM_AT(struct scn_link, a_addr), NULL },
	{ "b_addr", PARAM_ADDR, NULL, "", 0, 0, "IPv4 address of end b", PARAM_AT(struct scn_link, b_addr), NULL },
	{ "prefix", PARAM_U64, "24", "bits", 1, 30, "prefix length of the link's subnet", PARAM_AT(struct scn_link, prefix), NULL },
	{ "rate", PARAM_RATE, "10Mbps", "bit/s", 1e3, 1e11, "data rate (10 Mb/s: the 1998 testbed's Ethernet)", PARAM_AT(struct scn_link, rate_bps), NULL },
	{ "delay", PARAM_TIME, "1ms", "s", 0, 10 * NS, "one-way propagation delay", PARAM_AT(struct scn_link, delay_ns), NULL },
	{ "mtu", PARAM_BYTES, "1500", "bytes", 68, 65535, "IP MTU (1500: Ethernet, RFC 894)", PARAM_AT(struct scn_link, mtu), NULL },
	{ "queue", PARAM_U64, "100", "packets", 1, 1e6, "DropTail queue per device", PARAM_AT(struct scn_link, queue), NULL },
	{ "loss", PARAM_DOUBLE, "0", "", 0, 1, "per-packet loss probability on receive", PARAM_AT(struct scn_link, loss), NULL },
};

static const struct param_def service_params[] = {
	{ "origin", PARAM_STRING, NULL, "", 0, 0, "origin host node", PARAM_AT(struct scn_service, origin), NULL },
	{ "address", PARAM_ADDR, NULL, "", 0, 0, "origin IP: one of the origin node's addresses", PARAM_AT(struct scn_service, address), NULL },
	{ "port", PARAM_U64, NULL, "", 1, 65535, "transport port of the service access point", PARAM_AT(struct scn_service, port), NULL },
	{ "protocol", PARAM_ENUM, "tcp", "", 0, 0, "transport protocol", PARAM_AT(struct scn_service, protocol), PARAM_CHOICES("tcp", "udp") },
	{ "app", PARAM_ENUM, NULL, "", 0, 0, "application: http (HTTP/1.0), telnet (banner + echo), ttcp (throughput test) or hydraweb (HTTP/1.0 Web server with a HydraWeb manager whose replicas are active caches)", PARAM_AT(struct scn_service, app), PARAM_CHOICES("http", "telnet", "ttcp", "hydraweb") },
	{ "processing", PARAM_TIME, "0s", "s", 0, 60 * NS, "server time per request before replying", PARAM_AT(struct scn_service, processing_ns), NULL },
	{ "manager", PARAM_ENUM, "none", "", 0, 0, "replica manager on the origin host (http services): none, static (install on every candidate at start) or dynamic (install on the next candidate when the origin's request rate exceeds install_above, remove a replica idle below remove_below for idle_intervals reports)", PARAM_AT(struct scn_service, manager), rmgr_manager_names },
	{ "candidates", PARAM_STRING, "", "", 0, 0, "manager: host server nodes it may install replicas on, in order of preference (space separated; a wildcard such as hs* stands for every host server node it matches, in definition order; at most 1024); their replicas are announced to every redirector", PARAM_AT(struct scn_service, candidates), NULL },
	{ "object_ttl", PARAM_TIME, "0s", "s", 0, 86400 * NS, "hydraweb: pushed objects are fresh this long (whole seconds); an expired one is a miss. 0: no limit", PARAM_AT(struct scn_service, object_ttl_ns), NULL },
	{ "redirect", PARAM_ENUM, "none", "", 0, 0, "http: HTTP redirection at the origin (model/apps/redirect.h): none (it serves every request), or nearest (it answers 302 naming the same object at the replica host server nearest the client by path delay, serving only when itself strictly nearer; replicas at their host servers' own addresses, series = clean or realhost)", PARAM_AT(struct scn_service, redirect), PARAM_CHOICES("none", "nearest") },
};

static const struct param_def replica_params[] = {
	{ "service", PARAM_STRING, NULL, "", 0, 0, "service replicated", PARAM_AT(struct scn_replica, service), NULL },
	{ "host_server", PARAM_STRING, NULL, "", 0, 0, "host server node that runs the replica", PARAM_AT(struct scn_replica, host_server), NULL },
	{ "redirectors", PARAM_STRING, NULL, "", 0, 0, "redirector nodes whose tables send the service to this replica (space separated)", PARAM_AT(struct scn_replica, redirectors), NULL },
	{ "state", PARAM_ENUM, "running", "", 0, 0, "what the host server has: running (virtual host, application bound), unbound (virtual host, no application on the port) or absent (no virtual host: a stale redirector entry)", PARAM_AT(struct scn_replica, state), PARAM_CHOICES("running", "unbound", "absent") },
	{ "announce", PARAM_ENUM, "static", "", 0, 0, "how the redirectors learn of the replica: static (their tables are configured with it) or daemon (the host server's routing daemon announces it over UDP when it binds, docs/rmp.md)", PARAM_AT(struct scn_replica, announce), PARAM_CHOICES("static", "daemon") },
	{ "stop", PARAM_TIME, "0s", "s", 0, 86400 * NS, "time at which the replica stops and gives up its port; 0: never (http replicas)", PARAM_AT(struct scn_replica, stop_ns), NULL },
	{ "start", PARAM_TIME, "0s", "s", 0, 86400 * NS, "time at which the replica is added (http replicas): its server is stopped from the beginning and binds its port then (as [failure] replica_start does), and name servers and redirecting origins name it from then on; 0: from the beginning", PARAM_AT(struct scn_replica, start_ns), NULL },
};

static const struct param_def workload_params[] = {
	{ "client", PARAM_STRING, NULL, "", 0, 0, "client node", PARAM_AT(struct scn_workload, client), NULL },
	{ "service", PARAM_STRING, NULL, "", 0, 0, "service used", PARAM_AT(struct scn_workload, service), NULL },
	{ "requests", PARAM_U64, "1", "", 1, 1e6, "HTTP requests or telnet sessions, one after another", PARAM_AT(struct scn_workload, requests), NULL },
	{ "object_size", PARAM_BYTES, "10000", "bytes", 0, 1e8, "http: reply body size", PARAM_AT(struct scn_workload, object_bytes), NULL },
	{ "request_size", PARAM_BYTES, "0", "bytes", 0, 1e8, "http: request size; larger than the GET header makes it a POST padded to this size", PARAM_AT(struct scn_workload, request_bytes), NULL },
	{ "typed", PARAM_BYTES, "200", "bytes", 1, 1e8, "telnet: bytes typed per session", PARAM_AT(struct scn_workload, typed_bytes), NULL },
	{ "write_size", PARAM_BYTES, "1", "bytes", 1, 1400, "telnet: bytes per write", PARAM_AT(struct scn_workload, write_bytes), NULL },
	{ "write_gap", PARAM_TIME, "100ms", "s", 0, 60 * NS, "telnet: pause between writes", PARAM_AT(struct scn_workload, write_gap_ns), NULL },
	{ "start", PARAM_TIME, "1s", "s", 0, 86400 * NS, "time of the first request", PARAM_AT(struct scn_workload, start_ns), NULL },
	{ "think", PARAM_TIME, "100ms", "s", 0, 86400 * NS, "pause between a reply and the next request", PARAM_AT(struct scn_workload, think_ns), NULL },
	{ "think_dist", PARAM_ENUM, "fixed", "", 0, 0, "think time: fixed, or exponential with mean think (from the workload's own GSL stream, seeded by seed, run and workload)", PARAM_AT(struct scn_workload, think_dist), PARAM_CHOICES("fixed", "exponential") },
	{ "clients", PARAM_U64, "1", "", 1, 100000, "http: users, each making its requests one after another; they arrive spread over one think time", PARAM_AT(struct scn_workload, clients), NULL },
	{ "stop", PARAM_TIME, "0s", "s", 0, 86400 * NS, "http: no request starts after this time (users leave); 0: none", PARAM_AT(struct scn_workload, stop_ns), NULL },
	{ "buflen", PARAM_BYTES, "8192", "bytes", 1, 65536, "ttcp: bytes per write and per read (-l; ttcp's default 8192)", PARAM_AT(struct scn_workload, buflen), NULL },
	{ "df", PARAM_BOOL, "false", "", 0, 0, "ttcp (udp): the sender sets DF on its datagrams (IP_MTU_DISCOVER; the era's default off, Linux's today on)", PARAM_AT(struct scn_workload, df), NULL },
	{ "tos", PARAM_U64, "0", "", 0, 255, "ttcp: the sender's IP TOS byte (IP_TOS)", PARAM_AT(struct scn_workload, tos), NULL },
	{ "ttl", PARAM_U64, "0", "", 0, 255, "ttcp: the sender's IP TTL (IP_TTL); 0: the stack's default, 64", PARAM_AT(struct scn_workload, ttl), NULL },
	{ "nbuf", PARAM_U64, "2048", "", 1, 1e7, "ttcp: buffers written (-n; ttcp's default 2048)", PARAM_AT(struct scn_workload, nbuf), NULL },
	{ "objects", PARAM_U64, "0", "", 0, 1e6, "http: each request asks for one of this many objects (/obj/<object_size>/<id>), drawn uniformly from the workload's stream; 0: object 0 only, or every object of a hydraweb service", PARAM_AT(struct scn_workload, objects), NULL },
	{ "ping_interval", PARAM_TIME, "0s", "s", 0, 3600 * NS, "ICMP echo requests from the client to the service's address this often, from start to stop_time (the paper's ping trace); 0: none", PARAM_AT(struct scn_workload, ping_ns), NULL },
	{ "ping_size", PARAM_BYTES, "64", "bytes", 24, 65507, "ICMP echo message size, 8-byte header included (64: the classic ping; at least 24, the header and the 16 data bytes ns-3's V4Ping writes)", PARAM_AT(struct scn_workload, ping_bytes), NULL },
	{ "timeout", PARAM_TIME, "0s", "s", 0, 86400 * NS, "http: a request not complete this long after its connect() is abandoned and counted timed out (a client's patience; the replica behind it may have died); 0: none, it waits for TCP", PARAM_AT(struct scn_workload, timeout_ns), NULL },
	{ "resolver", PARAM_STRING, "", "", 0, 0, "http: a resolver node; each request first resolves the service's name through it (DNS, model/apps/dnssrv.h) and connects to the address answered (empty: the service's address)", PARAM_AT(struct scn_workload, resolver), NULL },
	{ "min_ttl", PARAM_TIME, "0s", "s", 0, 86400 * NS, "http with a resolver: the client keeps an answer at least this long whatever its TTL, as browsers did", PARAM_AT(struct scn_workload, min_ttl_ns), NULL },
	{ "cache_redirect", PARAM_BOOL, "false", "", 0, 0, "http: each user remembers where a 302 sent it and asks there directly afterwards (false: every request goes to the service first and follows the redirect)", PARAM_AT(struct scn_workload, cache_redirect), NULL },
	{ "source_port", PARAM_U64, "0", "", 0, 65535, "ttcp: the sender's source port (bind before connect or sendto); 0: an ephemeral one.  Several workloads may share a ttcp service: each is its own flow (client address and source port) with its own result", PARAM_AT(struct scn_workload, source_port), NULL },
	{ "mtu_probing", PARAM_ENUM, "off", "", 0, 0, "ttcp over TCP with df: the sender's reaction to a path MTU black hole (ICMP lost), as Linux's sysctl tcp_mtu_probing: off (0: retransmit the same segment until the connection dies) or blackhole (1: once retransmissions have timed out as tcp_retries1 = 3 would, the MSS falls to base_mss, then halves at each further timeout; Linux 6.1 tcp_timer.c tcp_mtu_probing) or probe (the same, then Linux's upward search, RFC 4821: probes of (search_low + search_high) / 2 once cwnd holds 11 segments; tcp_output.c tcp_mtu_probe)", PARAM_AT(struct scn_workload, mtu_probing), PARAM_CHOICES("off", "blackhole", "probe") },
	{ "base_mss", PARAM_BYTES, "1024", "bytes", 48, 65495, "ttcp, mtu_probing = blackhole: the MSS a black hole falls back to first (Linux's sysctl tcp_base_mss, default 1024: TCP_BASE_MSS, include/net/tcp.h)", PARAM_AT(struct scn_workload, base_mss), NULL },
};

#define FAILURE_NAME(e, name, target, doc) name,
const char *const scn_failure_action_names[] = { SCN_FAILURE_ACTIONS(FAILURE_NAME) NULL };

static const struct param_def failure_params[] = {
	{ "action", PARAM_ENUM, NULL, "", 0, 0, "what happens: node_down (a crash: interfaces silent, TCP connections lost, a redirector's flow table and learned state lost), node_up (restart), link_down, link_up, replica_stop (the application gives up its port), replica_start", PARAM_AT(struct scn_failure, action), scn_failure_action_names },
	{ "target", PARAM_STRING, NULL, "", 0, 0, "the [node], [link] or [replica] it happens to (by action)", PARAM_AT(struct scn_failure, target), NULL },
	{ "at", PARAM_TIME, NULL, "s", 1e-9 * NS, 86400 * NS, "simulated time at which it happens (before stop_time)", PARAM_AT(struct scn_failure, at_ns), NULL },
};

static const struct param_def testbed_params[] = {
	{ "series", PARAM_ENUM, "virtualhost", "", 0, 0, "the paper's series: clean (unmodified kernels, no redirection), realhost (HydraNet kernels, ttcp to the host server's own address) or virtualhost (HydraNet kernels, ttcp to the origin address, tunnelled to the replica)", PARAM_AT(struct scn_testbed, series), PARAM_CHOICES("clean", "realhost", "virtualhost") },
	{ "jitter", PARAM_DOUBLE, "0", "", 0, 0.5, "run-to-run noise: each CPU charge times 1 + U(-jitter, +jitter), from the node's own stream (an assumption: the paper gives no variance)", PARAM_AT(struct scn_testbed, jitter), NULL },
	{ "cpu_scale", PARAM_DOUBLE, "1", "", 0.1, 10, "multiplies every fixed CPU cost (sensitivity to the clock scaling of profile.c)", PARAM_AT(struct scn_testbed, cpu_scale), NULL },
	{ "decap_copies", PARAM_U64, "2", "", 0, 8, "copies of a datagram on decapsulation (assumed 2 in profile.c)", PARAM_AT(struct scn_testbed, decap_copies), NULL },
	{ "link_rate", PARAM_RATE, "0bps", "bit/s", 0, 1e11, "when not 0, the rate of every link (one knob for the testbed's Ethernet: 10 or 100 Mb/s)", PARAM_AT(struct scn_testbed, link_rate_bps), NULL },
	{ "ip_share", PARAM_DOUBLE, "0.1", "", 0.01, 0.49, "IP's share (and UDP's) of the measured per-packet path; the rest is driver/OS work (assumed after Clark et al. 1989, see model/testbed/profile.c)", PARAM_AT(struct scn_testbed, ip_share), NULL },
};

static const struct param_def replication_params[] = {
	{ "mode", PARAM_ENUM, "per-service", "", 0, 0, "replica managers of every http service with candidates: per-service (each service's own manager key), none, static or dynamic (the Figure 1 cases in one knob)", PARAM_AT(struct scn_replication, mode), PARAM_CHOICES("per-service", "none", "static", "dynamic") },
};

static const struct param_def output_params[] = {
	{ "pcap", PARAM_STRING, "", "", 0, 0, "directory for pcap traces (NODE-LINK.pcap: the node and the [link NAME] it is on); empty: none; --pcap overrides", PARAM_AT(struct scn_output, pcap_dir), NULL },
	{ "sample_interval", PARAM_TIME, "1s", "s", 0, 3600 * NS, "interval of the counter time series (series NODE.COUNTER: redirected, delivered, ...); 0: none", PARAM_AT(struct scn_output, sample_ns), NULL },
	{ "hist_bin", PARAM_TIME, "50ms", "s", 1e-6 * NS, 60 * NS, "bin width of the latency histograms (series WORKLOAD.latency_hist.all, .hit, .miss)", PARAM_AT(struct scn_output, hist_bin_ns), NULL },
};

static const struct param_def topology_params[] = {
	{ "model", PARAM_ENUM, "transit-stub", "", 0, 0, "generator: transit-stub (GT-ITM-like, model/scenario/topogen.h: a random connected backbone of transit routers, stub domains (ISPs) each on a random transit router, hosts on random routers of their domain), or a topology read from file: inet (Inet 3.0, as ns-3's InetTopologyReader reads) or rocketfuel (a Rocketfuel weights or maps (.cch) file, as ns-3's RocketfuelTopologyReader reads; model/scenario/topofile.h); read nodes are NAME-nK in file order", PARAM_AT(struct scn_topology, model), PARAM_CHOICES("transit-stub", "inet", "rocketfuel") },
	{ "file", PARAM_STRING, "", "", 0, 0, "inet, rocketfuel: the topology file, relative to the scenario file's directory unless absolute", PARAM_AT(struct scn_topology, file), NULL },
	{ "seed", PARAM_U64, "1", "", 0, 1.8e19, "the generator's seed: one seed, one topology (inet, rocketfuel: the leaf hosts' link delays)", PARAM_AT(struct scn_topology, seed), NULL },
	{ "transit", PARAM_U64, "4", "", 1, 1000, "transit (backbone) routers, NAME-tK", PARAM_AT(struct scn_topology, transit), NULL },
	{ "extra", PARAM_DOUBLE, "0.5", "", 0, 1, "probability of a link between two transit routers beyond the random tree that connects them", PARAM_AT(struct scn_topology, extra), NULL },
	{ "stubs", PARAM_U64, "10", "", 0, 1e6, "stub domains (ISPs)", PARAM_AT(struct scn_topology, stubs), NULL },
	{ "stub_routers", PARAM_U64, "1", "", 1, 64, "routers per stub domain, NAME-sJ-rK, in a random tree; router 0 joins a random transit router", PARAM_AT(struct scn_topology, stub_routers), NULL },
	{ "hosts", PARAM_U64, "1", "", 0, 1000, "host nodes per stub domain, NAME-sJ-hK, each on a random router of its domain", PARAM_AT(struct scn_topology, hosts), NULL },
	{ "transit_delay_min", PARAM_TIME, "10ms", "s", 0, 10 * NS, "transit-transit link delay, drawn uniformly from [min, max]", PARAM_AT(struct scn_topology, transit_delay_min), NULL },
	{ "transit_delay_max", PARAM_TIME, "25ms", "s", 0, 10 * NS, "(see transit_delay_min)", PARAM_AT(struct scn_topology, transit_delay_max), NULL },
	{ "stub_delay_min", PARAM_TIME, "2ms", "s", 0, 10 * NS, "delay of the links in a stub domain and to its transit router, uniform in [min, max]", PARAM_AT(struct scn_topology, stub_delay_min), NULL },
	{ "stub_delay_max", PARAM_TIME, "5ms", "s", 0, 10 * NS, "(see stub_delay_min)", PARAM_AT(struct scn_topology, stub_delay_max), NULL },
	{ "host_delay_min", PARAM_TIME, "1ms", "s", 0, 10 * NS, "host access link delay, uniform in [min, max] (also inet, rocketfuel: leaf_hosts)", PARAM_AT(struct scn_topology, host_delay_min), NULL },
	{ "host_delay_max", PARAM_TIME, "1ms", "s", 0, 10 * NS, "(see host_delay_min)", PARAM_AT(struct scn_topology, host_delay_max), NULL },
	{ "transit_rate", PARAM_RATE, "45Mbps", "bit/s", 1e3, 1e11, "transit-transit link rate (45 Mb/s: a T3, the 1998 backbone)", PARAM_AT(struct scn_topology, transit_rate), NULL },
	{ "stub_rate", PARAM_RATE, "1.544Mbps", "bit/s", 1e3, 1e11, "stub domain link rate (1.544 Mb/s: a T1, the 1998 ISP uplink)", PARAM_AT(struct scn_topology, stub_rate), NULL },
	{ "host_rate", PARAM_RATE, "10Mbps", "bit/s", 1e3, 1e11, "host access link rate (10 Mb/s Ethernet; also inet, rocketfuel: leaf_hosts)", PARAM_AT(struct scn_topology, host_rate), NULL },
	{ "pool", PARAM_ADDR, "10.0.0.0", "", 0, 0, "first address of the pool the links' /30 subnets are taken from, in order", PARAM_AT(struct scn_topology, pool), NULL },
	{ "pool_prefix", PARAM_U64, "8", "bits", 1, 30, "prefix length of the pool", PARAM_AT(struct scn_topology, pool_prefix), NULL },
	{ "transit_role", PARAM_ENUM, "router", "", 0, 0, "role of the transit routers", PARAM_AT(struct scn_topology, transit_role), role_names },
	{ "stub_role", PARAM_ENUM, "router", "", 0, 0, "role of the stub routers (redirector: each ISP's border router redirects, as in Figure 1)", PARAM_AT(struct scn_topology, stub_role), role_names },
	{ "host_role", PARAM_ENUM, "client", "", 0, 0, "role of the hosts (also inet, rocketfuel: leaf_hosts)", PARAM_AT(struct scn_topology, host_role), role_names },
	{ "node_role", PARAM_ENUM, "router", "", 0, 0, "inet, rocketfuel: role of every node read", PARAM_AT(struct scn_topology, node_role), role_names },
	{ "rate", PARAM_RATE, "45Mbps", "bit/s", 1e3, 1e11, "inet, rocketfuel: rate of every link read (45 Mb/s: a T3, the 1998 backbone)", PARAM_AT(struct scn_topology, rate), NULL },
	{ "delay_from", PARAM_ENUM, "fixed", "", 0, 0, "inet, rocketfuel: each link's delay: fixed (delay), weight (the file's link weight times delay_unit: Inet's weight, Rocketfuel's OSPF-like weight, which is no latency) or distance (inet: the Euclidean distance of its ends' X Y times delay_unit)", PARAM_AT(struct scn_topology, delay_from), PARAM_CHOICES("fixed", "weight", "distance") },
	{ "delay", PARAM_TIME, "10ms", "s", 0, 10 * NS, "inet, rocketfuel, delay_from = fixed: delay of every link read", PARAM_AT(struct scn_topology, delay), NULL },
	{ "delay_unit", PARAM_TIME, "1ms", "s", 0, 10 * NS, "inet, rocketfuel, delay_from = weight or distance: delay per unit of weight or distance (rounded to the nanosecond)", PARAM_AT(struct scn_topology, delay_unit), NULL },
	{ "leaf_hosts", PARAM_U64, "0", "", 0, 1000, "inet, rocketfuel: host nodes NAME-nK-hJ on each node K of degree 1 in the file, J from 0 (role host_role, links of host_rate and a delay uniform in [host_delay_min, host_delay_max] drawn from seed, after the file's links)", PARAM_AT(struct scn_topology, leaf_hosts), NULL },
};

#define N(t) (sizeof(t) / sizeof((t)[0]))

/* The modules' keys a [link] and a [service] section take. */
static const struct param_block link_blocks[] = {
	{ wan_params, &wan_nparams, offsetof(struct scn_link, wan) },
	{ NULL, NULL, 0 },
};
static const struct param_block service_blocks[] = {
	{ rmgr_params, &rmgr_nparams, offsetof(struct scn_service, mgr) },
	{ hweb_replica_params, &hweb_replica_nparams, offsetof(struct scn_service, hweb_rep) },
	{ hweb_manager_params, &hweb_manager_nparams, offsetof(struct scn_service, hweb_mgr) },
	{ NULL, NULL, 0 },
};

/* One entry per section kind: how its objects are stored. */
struct kind {
	const char *name;
	const struct param_def *params;
	size_t nparams;
	int named;                    /* [kind NAME] vs [kind] */
	int roles;                    /* node: each role's keys follow its own (roles.h) */
	const struct param_block *blocks;   /* modules' keys after its own, NULL-terminated */
	size_t size;                  /* object struct size */
	size_t base_off, at_off, count_off;   /* in struct scenario; named: the arrays' pointers */
	size_t cap_off;               /* named: the arrays' capacity */
};

#define KIND(n, tab, roles, blocks, type, arr, at, cnt, cap) \
	{ n, tab, N(tab), 1, roles, blocks, sizeof(type), offsetof(struct scenario, arr), \
	  offsetof(struct scenario, at), offsetof(struct scenario, cnt), \
	  offsetof(struct scenario, cap) }

static const struct kind kinds[] = {
	KIND("node", node_params, 1, NULL, struct scn_node, node, node_at, nnodes, capnodes),
	KIND("link", link_params, 0, link_blocks, struct scn_link, link, link_at, nlinks, caplinks),
	KIND("service", service_params, 0, service_blocks, struct scn_service, service, service_at, nservices, capservices),
	KIND("replica", replica_params, 0, NULL, struct scn_replica, replica, replica_at, nreplicas, capreplicas),
	KIND("workload", workload_params, 0, NULL, struct scn_workload, workload, workload_at, nworkloads, capworkloads),
	{ "simulation", sim_params, N(sim_params), 0, 0, NULL, sizeof(struct scn_simulation),
	  offsetof(struct scenario, sim), 0, 0, 0 },
	{ "testbed", testbed_params, N(testbed_params), 0, 0, NULL, sizeof(struct scn_testbed),
	  offsetof(struct scenario, testbed), 0, 0, 0 },
	{ "output", output_params, N(output_params), 0, 0, NULL, sizeof(struct scn_output),
	  offsetof(struct scenario, out), 0, 0, 0 },
	{ "replication", replication_params, N(replication_params), 0, 0, NULL,
	  sizeof(struct scn_replication), offsetof(struct scenario, replication), 0, 0, 0 },
	KIND("failure", failure_params, 0, NULL, struct scn_failure, failure, failure_at, nfailures, capfailures),
	KIND("topology", topology_params, 0, NULL, struct scn_topology, topology, topology_at, ntopologies, captopologies),
};

#define KEYS_MAX 128   /* keys of one section kind (struct scn_origin) */

#define ROLE_BLOCKS(e, member, name, type, params, comp) \
	{ params, offsetof(struct scn_node, cfg.member) },
static const struct { const struct param_block *blocks; size_t base; } role_blocks[] = {
	HN_ROLES(ROLE_BLOCKS)
};

/* Every key of section kind k, offsets into its object: the kind's own
 * table, its modules' blocks, then (nodes) each role's blocks.  A key several roles share (the
 * fragment limits) appears once per role; a value given is set in each. */
static size_t kind_table(const struct kind *k, struct param_def *out)
{
	size_t n = 0;
	for (size_t i = 0; i < k->nparams; i++)
		out[n++] = k->params[i];
	for (const struct param_block *b = k->blocks; b && b->defs; b++)
		for (size_t i = 0; i < *b->n; i++) {
			assert(n < KEYS_MAX);
			out[n] = b->defs[i];
			out[n++].offset += b->base;
		}
	for (size_t r = 0; k->roles && r < N(role_blocks); r++)
		for (const struct param_block *b = role_blocks[r].blocks; b && b->defs; b++)
			for (size_t i = 0; i < *b->n; i++) {
				assert(n < KEYS_MAX);
				out[n] = b->defs[i];
				out[n++].offset += role_blocks[r].base + b->base;
			}
	return n;
}

/* The first entry of a key in a kind's table (its doc, its key_line slot). */
static size_t first_of(const struct param_def *t, size_t i)
{
	for (size_t j = 0; j < i; j++)
		if (!strcmp(t[j].name, t[i].name))
			return j;
	return i;
}

int scenario_print_params(FILE *out, const char *section)
{
	int found = 0;
	for (size_t k = 0; k < N(kinds); k++) {
		if (section && strcmp(section, kinds[k].name))
			continue;
		char title[64];
		snprintf(title, sizeof title, kinds[k].named ? "%s NAME" : "%s", kinds[k].name);
		struct param_def t[KEYS_MAX], u[KEYS_MAX];
		size_t n = kind_table(&kinds[k], t), m = 0;
		for (size_t i = 0; i < n; i++)
			if (first_of(t, i) == i)
				u[m++] = t[i];
		param_print_table(out, title, u, m);
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
		struct param_def t[KEYS_MAX];
		const struct param_def *d = param_find(t, kind_table(&kinds[k], t), key);
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
	struct addr_index *link_addrs;   /* the links' addresses to the first link with each */
	struct name_index {              /* each named kind's names: index + 1, 0 empty */
		size_t *slot, cap, n;
	} names[N(kinds)];
};

/* Every error of a file is reported, one line each, up to ERRORS_MAX. */
#define ERRORS_MAX 20

static void add_error(struct parse *p, const char *line)
{
	p->failed++;
	if (p->failed > ERRORS_MAX)
		return;
	size_t used = strlen(p->err);
	snprintf(p->err + used, sizeof p->err - used, "%s%s", used ? "\n" : "", line);
}

static void fail(struct parse *p, int line, const char *fmt, ...)
{
	char msg[3072], full[3600];   /* a message naming every key of a kind fits */
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	snprintf(full, sizeof full, "%s:%d: %s", p->s->path, line, msg);
	add_error(p, full);
}

/* Like fail, at entry i: its file line, or the --set that gave it. */
static void fail_entry(struct parse *p, size_t i, const char *fmt, ...)
{
	char msg[3072], where[512], full[3600];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	scn_source_where(p->src, i, where, sizeof where);
	snprintf(full, sizeof full, "%s: %s", where, msg);
	add_error(p, full);
}

static void set_defaults(const struct kind *k, void *obj)
{
	char err[ERR_MAX];
	struct param_def t[KEYS_MAX];
	size_t n = kind_table(k, t);
	for (size_t i = 0; i < n; i++)
		if (t[i].def)
			param_parse(&t[i], t[i].def, obj, err, sizeof err);
}
/* Edit distance of a and b (at most 64 characters each): insertions,
 * deletions, substitutions and swaps of neighbours each count one (the
 * optimal string alignment distance), so "dealy" is one edit from "delay". */
static size_t edit_distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b), d[65][65];
	if (la > 64 || lb > 64)
		return SIZE_MAX;
	for (size_t i = 0; i <= la; i++)
		d[i][0] = i;
	for (size_t j = 0; j <= lb; j++)
		d[0][j] = j;
	for (size_t i = 1; i <= la; i++)
		for (size_t j = 1; j <= lb; j++) {
			size_t best = d[i - 1][j - 1] + (a[i - 1] != b[j - 1]);
			if (d[i - 1][j] + 1 < best)
				best = d[i - 1][j] + 1;
			if (d[i][j - 1] + 1 < best)
				best = d[i][j - 1] + 1;
			if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] &&
			    d[i - 2][j - 2] + 1 < best)
				best = d[i - 2][j - 2] + 1;
			d[i][j] = best;
		}
	return d[la][lb];
}

/* The closest of n names to word, or NULL when none is close: fewer edits
 * than a third of the word's letters, plus one. */
static const char *closest(const char *word, const char *const *names, size_t n)
{
	const char *best = NULL;
	size_t bd = strlen(word) / 3 + 1;
	for (size_t i = 0; i < n; i++) {
		size_t d = edit_distance(word, names[i]);
		if (d < bd) {
			bd = d;
			best = names[i];
		}
	}
	return best;
}

static size_t name_hash(const char *name);

/* The index of the object of named kind k called name, or -1. */
static long name_find(const struct parse *p, const struct kind *k, const char *name)
{
	const struct name_index *x = &p->names[k - kinds];
	const char *base = *(char *const *)((const char *)p->s + k->base_off);
	for (size_t h = x->cap ? name_hash(name) & (x->cap - 1) : 0; x->cap && x->slot[h];
	     h = (h + 1) & (x->cap - 1))
		if (!strcmp(base + (x->slot[h] - 1) * k->size, name))   /* the name is the first field */
			return (long)x->slot[h] - 1;
	return -1;
}

/* Object i of named kind k joins the index; 0 when memory ran out. */
static int name_add(struct parse *p, const struct kind *k, size_t i)
{
	struct name_index *x = &p->names[k - kinds];
	const char *base = *(char **)((char *)p->s + k->base_off);
	if (2 * (x->n + 1) > x->cap) {
		size_t cap = x->cap ? 2 * x->cap : 64;
		size_t *slot = calloc(cap, sizeof *slot);
		if (!slot)
			return 0;
		for (size_t j = 0; j < x->cap; j++)
			if (x->slot[j]) {
				size_t h = name_hash(base + (x->slot[j] - 1) * k->size) & (cap - 1);
				while (slot[h])
					h = (h + 1) & (cap - 1);
				slot[h] = x->slot[j];
			}
		free(x->slot);
		x->slot = slot;
		x->cap = cap;
	}
	size_t h = name_hash(base + i * k->size) & (x->cap - 1);
	while (x->slot[h])
		h = (h + 1) & (x->cap - 1);
	x->slot[h] = i + 1;
	x->n++;
	return 1;
}

/* Room for one more object of named kind k: 0 when memory ran out. */
static int grow(struct scenario *s, const struct kind *k)
{
	size_t *count = (size_t *)((char *)s + k->count_off), *cap = (size_t *)((char *)s + k->cap_off);
	char **base = (char **)((char *)s + k->base_off);
	struct scn_origin **at = (struct scn_origin **)((char *)s + k->at_off);
	if (*count < *cap)
		return 1;
	size_t c = *cap ? 2 * *cap : 16;
	char *b = realloc(*base, c * k->size);
	if (!b)
		return 0;
	*base = b;
	struct scn_origin *a = realloc(*at, c * sizeof *a);
	if (!a)
		return 0;
	*at = a;
	*cap = c;
	return 1;
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
		const char *kn[N(kinds)];
		for (size_t i = 0; i < N(kinds); i++)
			kn[i] = kinds[i].name;
		const char *near = n >= 1 ? closest(kname, kn, N(kinds)) : NULL;
		if (near)
			fail(p, hl, "unknown section [%s]: did you mean [%s]? (sections: %s)", section,
			     near, names);
		else
			fail(p, hl, "unknown section [%s] (sections: %s)", section, names);
		return 0;
	}
	snprintf(p->cur_section, sizeof p->cur_section, "%s", section);
	p->cur_kind = k;
	char *base = k->named ? *(char **)((char *)p->s + k->base_off) : (char *)p->s + k->base_off;
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
	struct scn_origin *at = *(struct scn_origin **)((char *)p->s + k->at_off);
	long dup = name_find(p, k, oname);
	if (dup >= 0) {
		fail(p, hl, "duplicate %s '%s' (first defined at line %d)", kname, oname, at[dup].line);
		return 0;
	}
	if (*count == SCN_MAX_OBJECTS) {
		fail(p, hl, "more than %d %s sections", SCN_MAX_OBJECTS, kname);
		return 0;
	}
	if (!grow(p->s, k)) {
		fail(p, hl, "out of memory for %s '%s'", kname, oname);
		return 0;
	}
	base = *(char **)((char *)p->s + k->base_off);
	at = *(struct scn_origin **)((char *)p->s + k->at_off);
	p->cur_obj = base + *count * k->size;
	p->cur_at = &at[*count];
	(*count)++;
	memset(p->cur_obj, 0, k->size);
	memset(p->cur_at, 0, sizeof *p->cur_at);
	set_defaults(k, p->cur_obj);
	memcpy(p->cur_obj, oname, strlen(oname) + 1);   /* length checked above */
	p->cur_at->line = hl;
	if (!name_add(p, k, *count - 1)) {
		fail(p, hl, "out of memory for %s '%s'", kname, oname);
		return 0;
	}
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
		char *base = kd->named ? *(char **)((char *)p->s + kd->base_off)
				       : (char *)p->s + kd->base_off;
		p->cur_kind = kd;
		snprintf(p->cur_section, sizeof p->cur_section, "%s", section);
		p->cur_header = -1;
		if (!kd->named) {
			p->cur_obj = base;
			p->cur_at = &p->single_at[k];
			return 1;
		}
		size_t count = *(size_t *)((char *)p->s + kd->count_off);
		struct scn_origin *at = *(struct scn_origin **)((char *)p->s + kd->at_off);
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

/* ---- sections with a count ----------------------------------------------- */

/* Index expressions (source.h): integers, dotted quads (an address as a
 * 32-bit number: the result is then an address), i, + - * / % and
 * parentheses, evaluated for one copy. */
struct ixp {
	const char *c, *end;
	long long i;
	int addr;                     /* a dotted quad took part */
	const char *why;
};

#define IX_MAX (1ll << 40)        /* |values| beyond this are refused */

static long long ix_expr(struct ixp *x);

static void ix_space(struct ixp *x)
{
	while (x->c < x->end && (*x->c == ' ' || *x->c == '\t'))
		x->c++;
}

static long long ix_factor(struct ixp *x)
{
	ix_space(x);
	if (x->c >= x->end) {
		x->why = "an operand is missing";
		return 0;
	}
	if (*x->c == '(') {
		x->c++;
		long long v = ix_expr(x);
		ix_space(x);
		if (!x->why && (x->c >= x->end || *x->c != ')'))
			x->why = "a ')' is missing";
		x->c++;
		return v;
	}
	if (*x->c == '-') {
		x->c++;
		return -ix_factor(x);
	}
	if (*x->c == 'i' && (x->c + 1 >= x->end || !(isalnum((unsigned char)x->c[1]) || x->c[1] == '_'))) {
		x->c++;
		return x->i;
	}
	if (!isdigit((unsigned char)*x->c)) {
		x->why = "expected a number, an address, i or '('";
		return 0;
	}
	long long part[4] = { 0 };
	int n = 0;
	for (;;) {
		int digits = 0;
		while (x->c < x->end && isdigit((unsigned char)*x->c) && digits < 10) {
			part[n] = part[n] * 10 + (*x->c++ - '0');
			digits++;
		}
		if (x->c < x->end && isdigit((unsigned char)*x->c)) {
			x->why = "a number is too large";
			return 0;
		}
		if (n < 3 && x->c + 1 < x->end && *x->c == '.' && isdigit((unsigned char)x->c[1])) {
			x->c++;
			n++;
			continue;
		}
		break;
	}
	if (n == 0)
		return part[0];
	if (n != 3 || part[0] > 255 || part[1] > 255 || part[2] > 255 || part[3] > 255) {
		x->why = "not an IPv4 address (a.b.c.d, each 0 to 255)";
		return 0;
	}
	x->addr = 1;
	return (part[0] << 24) | (part[1] << 16) | (part[2] << 8) | part[3];
}

static long long ix_term(struct ixp *x)
{
	long long v = ix_factor(x);
	for (;;) {
		ix_space(x);
		if (x->why || x->c >= x->end || !strchr("*/%", *x->c))
			return v;
		char op = *x->c++;
		long long r = ix_factor(x);
		if (x->why)
			return 0;
		if (op != '*' && r == 0) {
			x->why = "division by zero";
			return 0;
		}
		if (op == '*' && r && (v > IX_MAX / (r < 0 ? -r : r) || v < -IX_MAX / (r < 0 ? -r : r))) {
			x->why = "the value is too large";
			return 0;
		}
		v = op == '*' ? v * r : op == '/' ? v / r : v % r;
	}
}

static long long ix_expr(struct ixp *x)
{
	long long v = ix_term(x);
	for (;;) {
		ix_space(x);
		if (x->why || x->c >= x->end || (*x->c != '+' && *x->c != '-'))
			return v;
		char op = *x->c++;
		long long r = ix_term(x);
		if (x->why)
			return 0;
		v = op == '+' ? v + r : v - r;
		if (v > IX_MAX || v < -IX_MAX) {
			x->why = "the value is too large";
			return 0;
		}
	}
}

static int has_index_expr(const char *text)
{
	for (const char *o = strstr(text, "${"); o; o = strstr(o + 2, "${"))
		if (scn_is_index_expr(o))
			return 1;
	return 0;
}

/* text with each index expression replaced by its value for copy i, into
 * out.  HN_OK, or HN_ECONFIG with why. */
static int subst_index(const char *text, long long i, char *out, size_t outlen, char *why,
		       size_t whylen)
{
	size_t n = 0;
	out[0] = 0;
	for (const char *c = text; *c;) {
		if (!scn_is_index_expr(c)) {
			if (n + 1 >= outlen)
				goto too_long;
			out[n++] = *c++;
			out[n] = 0;
			continue;
		}
		const char *close = strchr(c, '}');
		struct ixp x = { c + 2, close, i, 0, NULL };
		long long v = ix_expr(&x);
		ix_space(&x);
		if (!x.why && x.c < x.end)
			x.why = "unexpected text";
		if (!x.why && v < 0)
			x.why = "the value is negative";
		if (!x.why && x.addr && v > 0xffffffffll)
			x.why = "the address is beyond 255.255.255.255";
		if (x.why) {
			snprintf(why, whylen, "'%.*s' at i = %lld: %s", (int)(close - c + 1), c, i, x.why);
			return HN_ECONFIG;
		}
		char num[24];
		if (x.addr)
			snprintf(num, sizeof num, "%u.%u.%u.%u", (unsigned)(v >> 24) & 255,
				 (unsigned)(v >> 16) & 255, (unsigned)(v >> 8) & 255, (unsigned)v & 255);
		else
			snprintf(num, sizeof num, "%lld", v);
		if (n + strlen(num) + 1 > outlen)
			goto too_long;
		memcpy(out + n, num, strlen(num) + 1);
		n += strlen(num);
		c = close + 1;
	}
	return HN_OK;
too_long:
	snprintf(why, whylen, "longer than %zu characters at i = %lld", outlen - 1, i);
	return HN_ECONFIG;
}

/* Apply entry i (its value at the current point) to the object it names:
 * copy `copy` of a section with a count (its index expressions evaluated),
 * or the section itself when copy < 0. */
static void apply(struct parse *p, size_t i, long long copy)
{
	const struct scn_entry *e = &p->src->e[i];
	char sec[sizeof e->section], value[sizeof e->value], why[200];
	const char *sv = scn_source_value(p->src, i, p->point);
	if (copy < 0) {
		if (has_index_expr(e->section)) {   /* said once, at the header */
			if (e->header_line != p->cur_header || strcmp(e->section, p->cur_section)) {
				p->cur_header = e->header_line;
				snprintf(p->cur_section, sizeof p->cur_section, "%s", e->section);
				p->cur_kind = NULL;
				fail(p, e->header_line, "[%s]: ${i} stands for a copy's index, in a "
				     "section with a count only", e->section);
			}
			return;
		}
		if (has_index_expr(sv)) {
			fail_entry(p, i, "[%s]: %s: ${i} stands for a copy's index, in a section with a "
				   "count only", e->section, e->key);
			return;
		}
		snprintf(sec, sizeof sec, "%s", e->section);
		snprintf(value, sizeof value, "%s", sv);
	} else {
		if (subst_index(e->section, copy, sec, sizeof sec, why, sizeof why) != HN_OK) {
			fail(p, e->header_line, "[%s]: %s", e->section, why);
			return;
		}
		if (subst_index(sv, copy, value, sizeof value, why, sizeof why) != HN_OK) {
			fail_entry(p, i, "[%s]: %s: %s", sec, e->key, why);
			return;
		}
	}
	if (e->line == 0) {
		/* A key added by --set joins the object its section made. */
		if (!find_object(p, sec))
			return;
	} else if (strcmp(sec, p->cur_section) || e->header_line != p->cur_header) {
		/* A new object starts at each header, even one repeating a name;
		 * the keys of a refused header are skipped (its error is said). */
		p->cur_header = e->header_line;
		snprintf(p->cur_section, sizeof p->cur_section, "%s", sec);
		if (!begin_section(p, sec, e->header_line)) {
			p->cur_kind = NULL;   /* begin_section may have set it before refusing */
			return;
		}
	} else if (!p->cur_kind) {
		return;
	}
	if (!e->key[0] || (copy >= 0 && !strcmp(e->key, "count")))
		return;   /* a section without keys (source.c); a count made the copies */
	const struct kind *k = p->cur_kind;
	struct param_def t[KEYS_MAX];
	size_t nt = kind_table(k, t);
	const struct param_def *d = param_find(t, nt, e->key);
	if (!d) {
		char known[2400] = "";   /* every key of a kind (KEYS_MAX at most) */
		const char *names[KEYS_MAX];
		size_t nn = 0;
		for (size_t j = 0; j < nt; j++) {
			if (first_of(t, j) != j)
				continue;
			names[nn++] = t[j].name;
			strncat(known, j ? ", " : "", sizeof known - strlen(known) - 1);
			strncat(known, t[j].name, sizeof known - strlen(known) - 1);
		}
		const char *near = closest(e->key, names, nn);
		if (near)
			fail_entry(p, i, "[%s]: unknown key '%s': did you mean '%s'? (keys: %s)",
				   sec, e->key, near, known);
		else
			fail_entry(p, i, "[%s]: unknown key '%s' (keys: %s)", sec, e->key, known);
		return;
	}
	size_t idx = (size_t)(d - t);
	int *key_line = p->cur_at ? &p->cur_at->key_line[idx] : NULL;
	if (key_line && *key_line && !e->overridden) {
		fail_entry(p, i, "[%s]: key '%s' given twice (first at line %d)", sec, e->key,
			   *key_line);
		return;
	}
	char err[ERR_MAX];
	for (size_t j = idx; j < nt; j++) {   /* every role that has the key */
		if (strcmp(t[j].name, e->key))
			continue;
		if (param_parse(&t[j], value, p->cur_obj, err, sizeof err) != HN_OK) {
			fail_entry(p, i, "[%s]: %s", sec, err);
			return;
		}
	}
	if (key_line)
		*key_line = e->line ? e->line : e->header_line;
}

/* ---- checks after parsing -------------------------------------------------- */

/* FNV-1a of a name. */
static size_t name_hash(const char *name)
{
	uint64_t h = 14695981039346656037ull;
	for (const unsigned char *c = (const unsigned char *)name; *c; c++)
		h = (h ^ *c) * 1099511628211ull;
	return (size_t)h;
}

/* The node names' hash table (after parsing; the nodes do not change).
 * A name met twice (a generated node named like another) sets *dup to
 * the later's index + 1 and *first to the earlier's. */
static void hash_nodes(struct scenario *s, size_t *dup, size_t *first)
{
	*dup = 0;
	size_t cap = 16;
	while (cap < 2 * s->nnodes)
		cap *= 2;
	free(s->node_hash);
	s->node_hash_cap = 0;
	if (!(s->node_hash = calloc(cap, sizeof *s->node_hash)))
		return;   /* lookups stay linear */
	for (size_t i = 0; i < s->nnodes; i++) {
		size_t h = name_hash(s->node[i].name) & (cap - 1);
		for (; s->node_hash[h]; h = (h + 1) & (cap - 1))
			if (!*dup && !strcmp(s->node[s->node_hash[h] - 1].name, s->node[i].name)) {
				*dup = i + 1;
				*first = s->node_hash[h] - 1;
			}
		s->node_hash[h] = i + 1;
	}
	s->node_hash_cap = cap;
}

long scenario_node_index(const struct scenario *s, const char *name)
{
	if (s->node_hash_cap) {
		size_t m = s->node_hash_cap - 1;
		for (size_t h = name_hash(name) & m; s->node_hash[h]; h = (h + 1) & m)
			if (!strcmp(s->node[s->node_hash[h] - 1].name, name))
				return (long)s->node_hash[h] - 1;   /* the first of a name: no duplicates */
		return -1;
	}
	for (size_t i = 0; i < s->nnodes; i++)
		if (!strcmp(s->node[i].name, name))
			return (long)i;
	return -1;
}

const struct scn_node *scenario_node(const struct scenario *s, const char *name)
{
	long i = scenario_node_index(s, name);
	return i < 0 ? NULL : &s->node[i];
}

const struct scn_service *scenario_service(const struct scenario *s, const char *name)
{
	for (size_t i = 0; i < s->nservices; i++)
		if (!strcmp(s->service[i].name, name))
			return &s->service[i];
	return NULL;
}

/* The line a key of the section kind whose own table is tab was given on
 * (its modules' keys included), else the section's header line. */
static int key_line(const struct scn_origin *at, const struct param_def *tab, size_t n,
		    const char *key)
{
	(void)n;
	for (size_t k = 0; k < N(kinds); k++) {
		if (kinds[k].params != tab)
			continue;
		struct param_def t[KEYS_MAX];
		const struct param_def *d = param_find(t, kind_table(&kinds[k], t), key);
		int l = d ? at->key_line[d - t] : 0;
		return l ? l : at->line;
	}
	return at->line;
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
	return role >= 0 && role < SCN_NROLES ? role_names[role] : "?";
}

static int node_index(const struct scenario *s, const char *name)
{
	return (int)scenario_node_index(s, name);
}

static int node_has_addr(const struct scenario *s, const char *node, uint32_t addr)
{
	for (size_t i = 0; i < s->nlinks; i++)
		if ((!strcmp(s->link[i].a, node) && s->link[i].a_addr == addr) ||
		    (!strcmp(s->link[i].b, node) && s->link[i].b_addr == addr))
			return 1;
	return 0;
}

/* "; did you mean 'NAME'?" when a node (service) is named like name. */
static const char *near_name(const char *name, const char *base, size_t size, size_t n,
			     char *hint)
{
	const char **names = malloc((n ? n : 1) * sizeof *names);
	const char *near = NULL;
	for (size_t i = 0; names && i < n; i++)
		names[i] = base + i * size;   /* the name is each object's first field */
	if (names)
		near = closest(name, names, n);
	free(names);
	if (near)
		snprintf(hint, SCN_NAME_MAX + 32, "; did you mean '%s'?", near);
	else
		hint[0] = 0;
	return hint;
}

static const char *near_node(const struct scenario *s, const char *name, char *hint)
{
	return near_name(name, (const char *)s->node, sizeof s->node[0], s->nnodes, hint);
}

static const char *near_service(const struct scenario *s, const char *name, char *hint)
{
	return near_name(name, (const char *)s->service, sizeof s->service[0], s->nservices, hint);
}

/* A link: both ends exist, one subnet, addresses unused. */
static void check_link(struct parse *p, size_t i)
{
	struct scenario *s = p->s;
	char hint[SCN_NAME_MAX + 32];
	char a1[16], a2[16];
	const struct scn_link *l = &s->link[i];
	const struct scn_origin *at = &s->link_at[i];
	if (!required(p, &kinds[1], at, l->name))
		return;
	if (node_index(s, l->a) < 0 || node_index(s, l->b) < 0) {
		const char *k = node_index(s, l->a) < 0 ? "a" : "b";
		fail(p, key_line(at, link_params, N(link_params), k),
		     "[link %s]: no node named '%s'%s", l->name, *k == 'a' ? l->a : l->b, near_node(s, *k == 'a' ? l->a : l->b, hint));
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
	/* The first earlier link with either address (a_addr's first when one
	 * link has both), from the index of every link's addresses in order. */
	long ja = p->link_addrs ? addr_index_find(p->link_addrs, l->a_addr) : -1;
	long jb = p->link_addrs ? addr_index_find(p->link_addrs, l->b_addr) : -1;
	long earlier = (ja >= 0 && (size_t)ja < i) ? ja : -1;
	int e = 0;
	if (jb >= 0 && (size_t)jb < i && (earlier < 0 || jb < earlier)) {
		earlier = jb;
		e = 1;
	}
	for (size_t j = 0; !p->link_addrs && j < i && earlier < 0; j++) {   /* no index: out of memory */
		const struct scn_link *m = &s->link[j];
		if (l->a_addr == m->a_addr || l->a_addr == m->b_addr)
			earlier = (long)j, e = 0;
		else if (l->b_addr == m->a_addr || l->b_addr == m->b_addr)
			earlier = (long)j, e = 1;
	}
	if (earlier >= 0) {
		fail(p, key_line(at, link_params, N(link_params), e ? "b_addr" : "a_addr"),
		     "[link %s]: address %s already used by link '%s'", l->name,
		     ipv4_ntoa(e ? l->b_addr : l->a_addr, a1), s->link[earlier].name);
		return;
	}
}

/* Connectivity: every node reachable from the first, over links. */
static void check_topology(struct parse *p)
{
	struct scenario *s = p->s;
	/* Union-find over the links (the ends exist: check_link). */
	size_t *up = malloc(s->nnodes * sizeof *up);
	if (!up) {
		fail(p, 1, "out of memory");
		return;
	}
	for (size_t i = 0; i < s->nnodes; i++)
		up[i] = i;
	for (size_t i = 0; i < s->nlinks; i++) {
		size_t a = (size_t)node_index(s, s->link[i].a), b = (size_t)node_index(s, s->link[i].b);
		while (up[a] != a)
			a = up[a] = up[up[a]];
		while (up[b] != b)
			b = up[b] = up[up[b]];
		if (a != b)
			up[a > b ? a : b] = a < b ? a : b;   /* the lower index is the root */
	}
	for (size_t i = 0; i < s->nnodes; i++) {
		size_t r = i;
		while (up[r] != r)
			r = up[r];
		up[i] = r;
	}
	for (size_t i = 0; i < s->nnodes; i++)
		if (up[i] != 0) {
			free(up);
			fail(p, s->node_at[i].line,
			     "[node %s]: not connected to node '%s': the topology is disconnected",
			     s->node[i].name, s->node[0].name);
			return;
		}
	free(up);
}

/* A service: its origin node, address and protocol; access points unique. */
static void check_service(struct parse *p, size_t i)
{
	struct scenario *s = p->s;
	char hint[SCN_NAME_MAX + 32];
	char a1[16];
	const struct scn_service *v = &s->service[i];
	const struct scn_origin *at = &s->service_at[i];
	if (!required(p, &kinds[2], at, v->name))
		return;
	const struct scn_node *o = scenario_node(s, v->origin);
	if (!o) {
		fail(p, key_line(at, service_params, N(service_params), "origin"),
		     "[service %s]: no node named '%s'%s", v->name, v->origin, near_node(s, v->origin, hint));
		return;
	}
	if (o->role != SCN_ORIGIN && o->role != SCN_NATLB) {
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
/* A replica: its service, host server and redirectors. */
static void check_replica(struct parse *p, size_t i)
{
	struct scenario *s = p->s;
	char hint[SCN_NAME_MAX + 32];
	const struct scn_replica *r = &s->replica[i];
	const struct scn_origin *at = &s->replica_at[i];
	if (!required(p, &kinds[3], at, r->name))
		return;
	if (!scenario_service(s, r->service)) {
		fail(p, key_line(at, replica_params, N(replica_params), "service"),
		     "[replica %s]: no service named '%s'%s", r->name, r->service, near_service(s, r->service, hint));
		return;
	}
	const struct scn_node *h = scenario_node(s, r->host_server);
	if (!h) {
		fail(p, key_line(at, replica_params, N(replica_params), "host_server"),
		     "[replica %s]: no node named '%s'%s", r->name, r->host_server, near_node(s, r->host_server, hint));
		return;
	}
	if (h->role != SCN_HOSTSERVER && h->role != SCN_ROGUE) {
		fail(p, key_line(at, replica_params, N(replica_params), "host_server"),
		     "[replica %s]: host_server '%s' has role = %s, not role = hostserver",
		     r->name, r->host_server, role_name(h->role));
		return;
	}
	if (h->role == SCN_ROGUE && !r->announce) {
		fail(p, key_line(at, replica_params, N(replica_params), "announce"),
		     "[replica %s]: a rogue's replica is announced by its attack: announce = daemon",
		     r->name);
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
			     "[replica %s]: redirectors: no node named '%s'%s", r->name, t, near_node(s, t, hint));
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
	if (r->start_ns && (sv->app != SCN_APP_HTTP || r->state != SCN_REPLICA_RUNNING ||
			    (r->stop_ns && r->stop_ns <= r->start_ns))) {
		fail(p, key_line(at, replica_params, N(replica_params), "start"),
		     "[replica %s]: start is supported for running http replicas only, before any stop", r->name);
		return;
	}
	/* series = clean has no redirectors: a replica there is a server at
	 * its host's own address, found by other means (DNS, dnssrv.h). */
	if (!count && s->testbed.series != SCN_SERIES_CLEAN) {
		fail(p, key_line(at, replica_params, N(replica_params), "redirectors"),
		     "[replica %s]: redirectors is empty: name at least one redirector node",
		     r->name);
		return;
	}
}
/* A rogue: the service it attacks, and the host server it observes. */
static void check_rogue(struct parse *p, size_t i)
{
	struct scenario *s = p->s;
	char hint[SCN_NAME_MAX + 32];
	const struct scn_node *n = &s->node[i];
	const struct rogue_attack_config *a = &n->cfg.rogue.attack;
	const struct scn_origin *at = &s->node_at[i];
	if (a->attack == ROGUE_NONE)
		return;
	if (!scenario_service(s, a->service)) {
		fail(p, key_line(at, node_params, N(node_params), "attack_service"),
		     "[node %s]: attack_service: no service named '%s'%s", n->name, a->service,
		     near_service(s, a->service, hint));
		return;
	}
	if (a->attack == ROGUE_STALE && a->start_ns < 1000000000ull) {
		fail(p, key_line(at, node_params, N(node_params), "attack_start"),
		     "[node %s]: attack = stale needs attack_start >= 1s (its authorisation expired before)",
		     n->name);
		return;
	}
	int victim = a->attack == ROGUE_STOLEN || a->attack == ROGUE_REPLAY ||
		     a->attack == ROGUE_WITHDRAW;
	const struct scn_node *v = scenario_node(s, a->victim);
	if (victim && (!v || v->role != SCN_HOSTSERVER))
		fail(p, key_line(at, node_params, N(node_params), "attack_victim"),
		     "[node %s]: attack = %s needs attack_victim, a host server node ('%s' is not one)",
		     n->name, rogue_attack_names[a->attack], a->victim);
}

/* A name server's service and a resolver's name server (DNS, dnssrv.h). */
static void check_dns(struct parse *p, size_t i)
{
	struct scenario *s = p->s;
	char hint[SCN_NAME_MAX + 32];
	const struct scn_node *n = &s->node[i];
	const struct scn_origin *at = &s->node_at[i];
	if (n->role == SCN_NAMESERVER && !scenario_service(s, n->cfg.nameserver.service)) {
		fail(p, key_line(at, node_params, N(node_params), "dns_service"),
		     "[node %s]: dns_service: no service named '%s'%s", n->name,
		     n->cfg.nameserver.service, near_service(s, n->cfg.nameserver.service, hint));
		return;
	}
	const struct scn_node *ns = scenario_node(s, n->cfg.resolver.server);
	if (n->role == SCN_RESOLVER && (!ns || ns->role != SCN_NAMESERVER))
		fail(p, key_line(at, node_params, N(node_params), "dns_server"),
		     "[node %s]: dns_server must name a node with role = nameserver ('%s' is not one)",
		     n->name, n->cfg.resolver.server);
}

/* A NAT front end: the http service it owns, the real servers behind it. */

static void check_natlb(struct parse *p, size_t i)
{
	struct scenario *s = p->s;
	char hint[SCN_NAME_MAX + 32];
	const struct scn_node *n = &s->node[i];
	const struct natlb_config *c = &n->cfg.natlb;
	const struct scn_origin *at = &s->node_at[i];
	const struct scn_service *v = scenario_service(s, c->service);
	if (!v || strcmp(v->origin, n->name) || v->app != SCN_APP_HTTP) {
		fail(p, key_line(at, node_params, N(node_params), "lb_service"),
		     "[node %s]: lb_service must name an http [service] whose origin is this node ('%s' is not one)%s",
		     n->name, c->service, v ? "" : near_service(s, c->service, hint));
		return;
	}
	char buf[256], *save = NULL;
	size_t k = 0;
	snprintf(buf, sizeof buf, "%s", c->servers);
	for (char *t = strtok_r(buf, " \t,", &save); t; t = strtok_r(NULL, " \t,", &save), k++) {
		if (!scenario_node(s, t) || !strcmp(t, n->name) || k == NATLB_MAX_SERVERS) {
			fail(p, key_line(at, node_params, N(node_params), "lb_servers"),
			     "[node %s]: lb_servers: '%s' is not another node (or more than %d)%s", n->name,
			     t, NATLB_MAX_SERVERS, near_node(s, t, hint));
			return;
		}
		int linked = 0;
		for (size_t j = 0; j < s->nlinks && !linked; j++)
			linked = (!strcmp(s->link[j].a, t) && !strcmp(s->link[j].b, n->name)) ||
				 (!strcmp(s->link[j].b, t) && !strcmp(s->link[j].a, n->name));
		if (c->mode == NATLB_DR && !linked) {
			fail(p, key_line(at, node_params, N(node_params), "lb_servers"),
			     "[node %s]: lb_mode = dr: real server '%s' must share a [link] with the front end (it is the next hop)",
			     n->name, t);
			return;
		}
	}
	if (!k) {
		fail(p, key_line(at, node_params, N(node_params), "lb_servers"),
		     "[node %s]: lb_servers is empty: name the real servers behind it", n->name);
		return;
	}
	/* lb_added: some of lb_servers, not all of them (someone serves
	 * before lb_add_at). */
	size_t added = 0;
	snprintf(buf, sizeof buf, "%s", c->added);
	save = NULL;
	for (char *t = strtok_r(buf, " \t,", &save); t; t = strtok_r(NULL, " \t,", &save), added++)
		if (!scn_name_listed(c->servers, t)) {
			fail(p, key_line(at, node_params, N(node_params), "lb_added"),
			     "[node %s]: lb_added: '%s' is not one of lb_servers", n->name, t);
			return;
		}
	if (added >= k)
		fail(p, key_line(at, node_params, N(node_params), "lb_added"),
		     "[node %s]: lb_added names every real server: one must serve before lb_add_at", n->name);
}

/* A workload: its client and service, and what its app allows. */
static void check_workload(struct parse *p, size_t i)
{
	struct scenario *s = p->s;
	char hint[SCN_NAME_MAX + 32];
	const struct scn_workload *w = &s->workload[i];
	const struct scn_origin *at = &s->workload_at[i];
	if (!required(p, &kinds[4], at, w->name))
		return;
	const struct scn_node *c = scenario_node(s, w->client);
	if (!c) {
		fail(p, key_line(at, workload_params, N(workload_params), "client"),
		     "[workload %s]: no node named '%s'%s", w->name, w->client, near_node(s, w->client, hint));
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
		     "[workload %s]: no service named '%s'%s", w->name, w->service, near_service(s, w->service, hint));
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
	for (size_t j = 0; j < i && v->app == SCN_APP_TTCP && w->source_port; j++)
		if (!strcmp(s->workload[j].service, w->service) &&
		    !strcmp(s->workload[j].client, w->client) &&
		    s->workload[j].source_port == w->source_port) {
			fail(p, key_line(at, workload_params, N(workload_params), "source_port"),
			     "[workload %s]: client '%s' already sends to ttcp service '%s' from "
			     "source port %llu (workload '%s'); each flow needs its own port",
			     w->name, w->client, w->service, (unsigned long long)w->source_port,
			     s->workload[j].name);
			return;
		}
	const struct scn_node *rs = scenario_node(s, w->resolver);
	if (w->resolver[0] && (!rs || rs->role != SCN_RESOLVER || v->app != SCN_APP_HTTP)) {
		fail(p, key_line(at, workload_params, N(workload_params), "resolver"),
		     "[workload %s]: resolver must name a node with role = resolver, for an http "
		     "service ('%s')", w->name, w->resolver);
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
int scn_name_listed(const char *list, const char *name)
{
	size_t n = strlen(name);
	for (const char *t = list; *t; ) {
		t += strspn(t, " \t,");
		size_t len = strcspn(t, " \t,");
		if (len == n && !strncmp(t, name, n))
			return 1;
		t += len;
	}
	return 0;
}

/* A host server that runs a routing daemon (it has a replica announced by
 * daemon, or a replica manager may install on it): its announcements'
 * lifetime travels in whole seconds, and they are refreshed within it. */
static void check_daemon(struct parse *p, size_t i)
{
	const struct scenario *s = p->s;
	const struct scn_node *h = &s->node[i];
	const struct scn_origin *at = &s->node_at[i];
	const struct rtd_config *rc = &h->cfg.hostserver.rtd;
	int daemon = 0, candidate = 0;
	for (size_t k = 0; k < s->nreplicas; k++)
		daemon |= s->replica[k].announce && !strcmp(s->replica[k].host_server, h->name);
	for (size_t k = 0; k < s->nservices; k++)
		candidate |= s->service[k].manager && scn_name_listed(s->service[k].candidates, h->name);
	daemon |= candidate;
	if (!daemon)
		return;
	/* the redirectors it tells: every one for a candidate, else those its
	 * announced replicas name (as the world builds it, roles.c) */
	const char **told = malloc(s->nnodes * sizeof *told);
	size_t ntold = 0;
	if (!told) {
		fail(p, at->line, "[node %s]: out of memory", h->name);
		return;
	}
	const char *to = rc->announce_to;
	if (to[0]) {   /* names redirector nodes */
		char list[sizeof rc->announce_to], *save = NULL;
		snprintf(list, sizeof list, "%s", to);
		for (char *t = strtok_r(list, " \t,", &save); t; t = strtok_r(NULL, " \t,", &save)) {
			int d = node_index(s, t);
			if (d < 0 || s->node[d].role != SCN_REDIRECTOR) {
				free(told);
				fail(p, key_line(at, node_params, N(node_params), "announce_to"),
				     "[node %s]: announce_to: '%s' is not a redirector node", h->name, t);
				return;
			}
		}
	}
	for (size_t k = 0; k < s->nnodes; k++)
		if (s->node[k].role == SCN_REDIRECTOR && candidate && (!to[0] || scn_name_listed(to, s->node[k].name)))
			told[ntold++] = s->node[k].name;
	for (size_t k = 0; k < s->nreplicas && !candidate; k++) {
		const struct scn_replica *r = &s->replica[k];
		if (!r->announce || strcmp(r->host_server, h->name))
			continue;
		char list[sizeof r->redirectors], *save = NULL;
		snprintf(list, sizeof list, "%s", r->redirectors);
		for (char *t = strtok_r(list, " \t,", &save); t; t = strtok_r(NULL, " \t,", &save)) {
			int known = 0;
			for (size_t j = 0; j < ntold; j++)
				known |= !strcmp(told[j], t);
			int d = node_index(s, t);   /* checked by check_replica */
			if (!known && d >= 0 && ntold < s->nnodes)
				told[ntold++] = s->node[d].name;
		}
	}
	free(told);
	if (ntold > RTD_MAX_REDIRECTORS) {
		fail(p, at->line, "[node %s]: its routing daemon would announce to %zu redirectors, "
		     "at most %d", h->name, ntold, RTD_MAX_REDIRECTORS);
		return;
	}
	if (rc->lifetime_ns % 1000000000ull) {
		fail(p, key_line(at, node_params, N(node_params), "announce_lifetime"),
		     "[node %s]: announce_lifetime must be whole seconds (it travels as seconds)",
		     h->name);
		return;
	}
	if (rc->refresh_ns >= rc->lifetime_ns)
		fail(p, key_line(at, node_params, N(node_params), "announce_refresh"),
		     "[node %s]: announce_refresh = %g s is not within announce_lifetime = %g s: "
		     "its routing daemon's announcements would expire before they are repeated",
		     h->name, (double)rc->refresh_ns / 1e9, (double)rc->lifetime_ns / 1e9);
}

/* A service's candidates with a wildcard (`hs*`, `isp-s?-hs`): the token
 * stands for every host server node whose name it matches (fnmatch), in the
 * order the nodes are defined; one that matches none is an error. */
static void expand_candidates(struct parse *p, size_t i)
{
	struct scenario *s = p->s;
	struct scn_service *v = &s->service[i];
	if (!strpbrk(v->candidates, "*?["))
		return;
	int line = key_line(&s->service_at[i], service_params, N(service_params), "candidates");
	char out[sizeof v->candidates], list[sizeof v->candidates], *save = NULL;
	size_t len = 0;
	out[0] = 0;
	snprintf(list, sizeof list, "%s", v->candidates);
	for (char *t = strtok_r(list, " \t,", &save); t; t = strtok_r(NULL, " \t,", &save)) {
		int wild = strpbrk(t, "*?[") != NULL, matched = 0;
		for (size_t k = 0; k < s->nnodes; k++) {
			const char *name = s->node[k].name;
			if (wild ? (s->node[k].role != SCN_HOSTSERVER || fnmatch(t, name, 0)) : !!strcmp(t, name))
				continue;
			matched = 1;
			int n = snprintf(out + len, sizeof out - len, "%s%s", len ? " " : "", name);
			if (n < 0 || (size_t)n >= sizeof out - len) {
				fail(p, line, "[service %s]: candidates: '%s' names more host servers than "
				     "%zu characters hold", v->name, t, sizeof out - 1);
				return;
			}
			len += (size_t)n;
		}
		if (!matched && wild) {
			fail(p, line, "[service %s]: candidates: '%s' matches no host server node", v->name, t);
			return;
		}
		if (!matched) {   /* an unknown name: check_manager names it */
			int n = snprintf(out + len, sizeof out - len, "%s%s", len ? " " : "", t);
			if (n < 0 || (size_t)n >= sizeof out - len) {
				fail(p, line, "[service %s]: candidates: longer than %zu characters",
				     v->name, sizeof out - 1);
				return;
			}
			len += (size_t)n;
		}
	}
	memcpy(v->candidates, out, len + 1);
}

/* A replica manager: http services, candidates that are host servers. */
static void check_manager(struct parse *p, size_t i)
{
	struct scenario *s = p->s;
	const struct scn_service *v = &s->service[i];
	const struct scn_origin *at = &s->service_at[i];
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
		if (++count > RMGR_MAX_CANDIDATES) {
			fail(p, key_line(at, service_params, N(service_params), "candidates"),
			     "[service %s]: candidates: more than %d host servers", v->name, RMGR_MAX_CANDIDATES);
			return;
		}
	}
	if (!count) {
		fail(p, line, "[service %s]: manager = %s needs candidates (host server nodes)",
		     v->name, rmgr_manager_names[v->manager]);
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
static void check_hydraweb(struct parse *p, size_t i)
{
	struct scenario *s = p->s;
	const struct scn_service *v = &s->service[i];
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
	if (v->hweb_mgr.preheat > v->hweb_mgr.objects) {
		fail(p, key_line(&s->service_at[i], service_params, N(service_params), "preheat"),
		     "[service %s]: preheat = %llu is more than the site's objects (%llu)", v->name,
		     (unsigned long long)v->hweb_mgr.preheat, (unsigned long long)v->hweb_mgr.objects);
		return;
	}
	for (size_t j = 0; j < s->nworkloads; j++) {
		const struct scn_workload *w = &s->workload[j];
		const struct scn_origin *at = &s->workload_at[j];
		if (strcmp(w->service, v->name))
			continue;
		if (w->object_bytes != v->hweb_mgr.page_bytes) {
			fail(p, key_line(at, workload_params, N(workload_params), "object_size"),
			     "[workload %s]: object_size = %llu, but service '%s' has pages of "
			     "page_size = %llu bytes: every request would miss", w->name,
			     (unsigned long long)w->object_bytes, v->name,
			     (unsigned long long)v->hweb_mgr.page_bytes);
			return;
		}
		if (w->objects > v->hweb_mgr.objects) {
			fail(p, key_line(at, workload_params, N(workload_params), "objects"),
			     "[workload %s]: objects = %llu, but service '%s' has %llu", w->name,
			     (unsigned long long)w->objects, v->name, (unsigned long long)v->hweb_mgr.objects);
			return;
		}
	}
}
/* The kind of object a failure action names ("node", "link", "replica"). */
#define FAILURE_TARGET(e, name, target, doc) target,
static const char *const failure_targets[] = { SCN_FAILURE_ACTIONS(FAILURE_TARGET) };

/* Whether a failure action takes its target down (1) or brings it back (0). */
static int failure_takes_down(int action)
{
	return action == SCN_FAIL_NODE_DOWN || action == SCN_FAIL_LINK_DOWN ||
	       action == SCN_FAIL_REPLICA_STOP;
}

/* A failure event: its target exists and fits the action, it happens
 * before stop_time, and the events of one target alternate down, up,
 * down, ... in time (an object starts up), never two at one instant. */
static void check_failure(struct parse *p, size_t i)
{
	struct scenario *s = p->s;
	char hint[SCN_NAME_MAX + 32];
	const struct scn_failure *f = &s->failure[i];
	const struct scn_origin *at = &s->failure_at[i];
	if (!required(p, &kinds[9], at, f->name))
		return;
	const char *kind = failure_targets[f->action];
	int tline = key_line(at, failure_params, N(failure_params), "target");
	if (!strcmp(kind, "node") && !scenario_node(s, f->target)) {
		fail(p, tline, "[failure %s]: %s: no node named '%s'%s", f->name,
		     scn_failure_action_names[f->action], f->target, near_node(s, f->target, hint));
		return;
	}
	if (!strcmp(kind, "link")) {
		int found = 0;
		for (size_t k = 0; k < s->nlinks; k++)
			found |= !strcmp(s->link[k].name, f->target);
		if (!found) {
			fail(p, tline, "[failure %s]: %s: no link named '%s'%s", f->name,
			     scn_failure_action_names[f->action], f->target,
			     near_name(f->target, (const char *)s->link, sizeof s->link[0], s->nlinks, hint));
			return;
		}
	}
	if (!strcmp(kind, "replica")) {
		const struct scn_replica *r = NULL;
		for (size_t k = 0; k < s->nreplicas; k++)
			if (!strcmp(s->replica[k].name, f->target))
				r = &s->replica[k];
		if (!r) {
			fail(p, tline, "[failure %s]: %s: no replica named '%s'%s", f->name,
			     scn_failure_action_names[f->action], f->target,
			     near_name(f->target, (const char *)s->replica, sizeof s->replica[0], s->nreplicas, hint));
			return;
		}
		const struct scn_service *sv = scenario_service(s, r->service);
		if (!sv || sv->app != SCN_APP_HTTP || r->state != SCN_REPLICA_RUNNING || r->stop_ns) {
			fail(p, tline, "[failure %s]: %s works on running http replicas without a stop key "
			     "only; '%s' is not one", f->name, scn_failure_action_names[f->action], f->target);
			return;
		}
	}
	if (f->at_ns >= s->sim.stop_ns) {
		fail(p, key_line(at, failure_params, N(failure_params), "at"),
		     "[failure %s]: at = %g s is not before stop_time (%g s)", f->name,
		     (double)f->at_ns / 1e9, (double)s->sim.stop_ns / 1e9);
		return;
	}
	/* Its target's state just before: the earlier events of the same
	 * target in time order, each that fits taking it down or back up
	 * (one that does not fit is reported on its own line). */
	const struct scn_failure **g = malloc(s->nfailures * sizeof *g);
	size_t ng = 0;
	if (!g) {
		fail(p, at->line, "[failure %s]: out of memory", f->name);
		return;
	}
	for (size_t k = 0; k < s->nfailures; k++) {
		const struct scn_failure *h = &s->failure[k];
		if (k == i || strcmp(h->target, f->target) || strcmp(failure_targets[h->action], kind))
			continue;
		if (h->at_ns == f->at_ns) {
			fail(p, key_line(at, failure_params, N(failure_params), "at"),
			     "[failure %s]: '%s' already has failure '%s' at %g s", f->name, f->target,
			     h->name, (double)f->at_ns / 1e9);
			free(g);
			return;
		}
		if (h->at_ns < f->at_ns) {
			size_t j = ng++;
			for (; j > 0 && g[j - 1]->at_ns > h->at_ns; j--)
				g[j] = g[j - 1];
			g[j] = h;
		}
	}
	int down = 0;
	for (size_t k = 0; k < ng; k++)
		if (failure_takes_down(g[k]->action) != down)
			down = !down;
	free(g);
	if (failure_takes_down(f->action) == down)
		fail(p, key_line(at, failure_params, N(failure_params), "action"),
		     "[failure %s]: %s at %g s, but %s '%s' is %s then", f->name,
		     scn_failure_action_names[f->action], (double)f->at_ns / 1e9, kind, f->target,
		     down ? "already down" : "not down");
}

/* Bounds of the unnamed sections that one parameter's range cannot say. */
static void check_bounds(struct parse *p)
{
	struct scenario *s = p->s;
	int tb_line = p->seen_single[6] ? p->single_line[6] : 1;
	int out_line = p->seen_single[7] ? p->single_line[7] : 1;
	if (s->testbed.link_rate_bps > 0 && s->testbed.link_rate_bps < 1000) {
		fail(p, tb_line, "[testbed]: link_rate = %llu bps: 0 (each link's own rate) or at "
			       "least 1000 bps", (unsigned long long)s->testbed.link_rate_bps);
	}
	if (s->out.sample_ns > 0 && s->out.sample_ns < 1000000) {
		fail(p, out_line, "[output]: sample_interval below 1 ms (0 turns sampling off)");
	}
}

/* The validators, one per section, in order: each reports the first
 * problem of every object, so a file's errors come out together; a later
 * section is checked only when those it refers to are sound. */
static void check(struct parse *p)
{
	struct scenario *s = p->s;
	if (s->nnodes == 0) {
		fail(p, 1, "no [node NAME] sections: nothing to simulate");
		return;
	}
	size_t dup, first;
	hash_nodes(s, &dup, &first);
	if (dup) {
		fail(p, s->node_at[dup - 1].line, "duplicate node '%s' (first defined at line %d)",
		     s->node[dup - 1].name, s->node_at[first].line);
		return;
	}
	for (size_t i = 0; i < s->nnodes; i++)
		required(p, &kinds[0], &s->node_at[i], s->node[i].name);
	uint32_t *addr = malloc((2 * s->nlinks + 1) * sizeof *addr);
	size_t *owner = malloc((2 * s->nlinks + 1) * sizeof *owner);
	for (size_t i = 0; addr && owner && i < s->nlinks; i++) {
		addr[2 * i] = s->link[i].a_addr;
		addr[2 * i + 1] = s->link[i].b_addr;
		owner[2 * i] = owner[2 * i + 1] = i;
	}
	p->link_addrs = addr && owner ? addr_index_new(2 * s->nlinks, addr, owner) : NULL;
	free(addr);
	free(owner);
	for (size_t i = 0; i < s->nlinks; i++)
		check_link(p, i);
	addr_index_free(p->link_addrs);
	p->link_addrs = NULL;
	if (p->failed)
		return;
	check_topology(p);
	for (size_t i = 0; i < s->nservices; i++)
		check_service(p, i);
	if (p->failed)
		return;   /* replicas and workloads name services */
	for (size_t i = 0; i < s->nreplicas; i++)
		check_replica(p, i);
	for (size_t i = 0; i < s->nworkloads; i++)
		check_workload(p, i);
	int cand_failed = p->failed;
	for (size_t i = 0; i < s->nservices && !p->failed; i++)
		expand_candidates(p, i);
	cand_failed = !cand_failed && p->failed;   /* said once, not again by check_manager */
	/* [replication] mode sets every candidate-bearing service's manager. */
	for (size_t i = 0; i < s->nservices && s->replication.mode; i++)
		if (s->service[i].candidates[0])
			s->service[i].manager = s->replication.mode - 1;
	for (size_t i = 0; i < s->nservices && !cand_failed; i++)
		if (s->service[i].manager)
			check_manager(p, i);
	for (size_t i = 0; i < s->nnodes && !p->failed; i++)
		if (s->node[i].role == SCN_HOSTSERVER)
			check_daemon(p, i);
	for (size_t i = 0; i < s->nnodes && !p->failed; i++)
		if (s->node[i].role == SCN_ROGUE)
			check_rogue(p, i);
	for (size_t i = 0; i < s->nnodes && !p->failed; i++)
		if (s->node[i].role == SCN_NAMESERVER || s->node[i].role == SCN_RESOLVER)
			check_dns(p, i);
	for (size_t i = 0; i < s->nnodes && !p->failed; i++)
		if (s->node[i].role == SCN_NATLB)
			check_natlb(p, i);
	for (size_t i = 0; i < s->nservices; i++)
		if (s->service[i].app == SCN_APP_HYDRAWEB && !p->failed)
			check_hydraweb(p, i);
	for (size_t i = 0; i < s->nnodes; i++) {
		uint64_t m = s->node[i].cfg.redirector.redir.maglev_size, d = 2;
		for (; d * d <= m && m % d; d++)
			;
		if (s->node[i].role == SCN_REDIRECTOR && d * d <= m)
			fail(p, key_line(&s->node_at[i], node_params, N(node_params), "maglev_size"),
			     "[node %s]: maglev_size = %llu is not prime (Maglev's lookup table needs a "
			     "prime size: %llu divides it)", s->node[i].name, (unsigned long long)m,
			     (unsigned long long)d);
	}
	for (size_t i = 0; i < s->nnodes; i++) {
		const struct hchk_config *hc = &s->node[i].cfg.redirector.redir.hc;
		if (s->node[i].role == SCN_REDIRECTOR && hc->enabled && hc->timeout_ns >= hc->interval_ns)
			fail(p, key_line(&s->node_at[i], node_params, N(node_params), "hc_timeout"),
			     "[node %s]: hc_timeout = %g s is not below hc_interval = %g s: a probe must "
			     "be answered or failed before the next", s->node[i].name,
			     (double)hc->timeout_ns / 1e9, (double)hc->interval_ns / 1e9);
	}
	for (size_t i = 0; i < s->nfailures; i++)
		check_failure(p, i);
	check_bounds(p);
}

/* The errors into the caller's err: whole lines only, as many as fit, and
 * then how many more there were. */
static void copy_errors(const struct parse *p, char *err, size_t errlen)
{
	char tail[600];
	size_t used = 0, shown = 0;
	const char *l = p->err;
	err[0] = 0;
	while (*l) {
		size_t n = strcspn(l, "\n");
		if (used + n + 1 + sizeof tail > errlen && shown)
			break;
		if (used + n + 1 > errlen)
			break;
		memcpy(err + used, l, n);
		used += n;
		err[used] = 0;
		shown++;
		l += n + (l[n] == '\n');
		if (*l && used + 1 < errlen)
			err[used++] = '\n', err[used] = 0;
	}
	if ((size_t)p->failed > shown) {
		snprintf(tail, sizeof tail, "%s%s: %zu more problems not shown", used && err[used - 1] != '\n' ? "\n" : "",
			 p->s->path, (size_t)p->failed - shown);
		if (used + strlen(tail) < errlen)
			memcpy(err + used, tail, strlen(tail) + 1);
	} else if (used && err[used - 1] == '\n') {
		err[used - 1] = 0;
	}
}

/* The count of the section whose entries include entry c (its count key):
 * 1..SCN_MAX_OBJECTS, or 0 after an error. */
static long long section_count(struct parse *p, size_t c)
{
	const struct scn_entry *e = &p->src->e[c];
	const char *v = scn_source_value(p->src, c, p->point);
	char kname[64] = "";
	sscanf(e->section, "%63s", kname);
	for (size_t k = 0; k < N(kinds); k++)
		if (!strcmp(kinds[k].name, kname) && !kinds[k].named) {
			fail_entry(p, c, "[%s]: count: only named sections ([node NAME], [link NAME], "
				   "...) stand for several copies", e->section);
			return 0;
		}
	char *end;
	errno = 0;
	unsigned long long n = strtoull(v, &end, 10);
	if (!isdigit((unsigned char)*v) || *end || errno || n < 1 || n > SCN_MAX_OBJECTS) {
		fail_entry(p, c, "[%s]: count: '%s' is not a whole number from 1 to %d", e->section, v,
			   SCN_MAX_OBJECTS);
		return 0;
	}
	if (n > 1 && !has_index_expr(e->section)) {
		fail_entry(p, c, "[%s]: count = %llu: the copies would all have one name; put ${i} "
			   "(the copy's index, 0 to %llu) in the section's name", e->section, n, n - 1);
		return 0;
	}
	return (long long)n;
}

/* Every entry, in file order; a section with a count once per copy, the
 * copy's entries (overrides that added a key included) before the next's. */
static void apply_all(struct parse *p)
{
	const struct scn_source *src = p->src;
	int maxh = 0;
	for (size_t i = 0; i < src->n; i++)
		if (src->e[i].header_line > maxh)
			maxh = src->e[i].header_line;
	long *count_at = malloc(((size_t)maxh + 1) * sizeof *count_at);   /* header line -> count entry */
	char *done = calloc(src->n + 1, 1);
	if (!count_at || !done) {
		fail(p, 1, "out of memory");
		free(count_at);
		free(done);
		return;
	}
	for (int h = 0; h <= maxh; h++)
		count_at[h] = -1;
	for (size_t i = 0; i < src->n; i++)
		if (!strcmp(src->e[i].key, "count"))
			count_at[src->e[i].header_line] = (long)i;
	for (size_t i = 0; i < src->n; i++) {
		if (done[i])
			continue;
		long c = count_at[src->e[i].header_line];
		if (c < 0) {
			apply(p, i, -1);
			continue;
		}
		long long n = section_count(p, (size_t)c);
		for (long long k = 0; k < n; k++) {
			int before = p->failed;
			for (size_t j = i; j < src->n; j++)
				if (src->e[j].header_line == src->e[i].header_line &&
				    !strcmp(src->e[j].section, src->e[i].section))
					apply(p, j, k);
			if (p->failed > before)
				break;   /* the first copy's errors stand for all */
		}
		for (size_t j = i; j < src->n; j++)
			if (src->e[j].header_line == src->e[i].header_line)
				done[j] = 1;
	}
	free(count_at);
	free(done);
}

/* A generated object of kind k at the end of its array, with its defaults,
 * its required keys marked given at line (the [topology] header). */
static void *generated(struct parse *p, const struct kind *k, const char *name, int line)
{
	if (!grow(p->s, k))
		return NULL;
	size_t *count = (size_t *)((char *)p->s + k->count_off);
	char *obj = *(char **)((char *)p->s + k->base_off) + *count * k->size;
	struct scn_origin *at = *(struct scn_origin **)((char *)p->s + k->at_off) + *count;
	(*count)++;
	memset(obj, 0, k->size);
	memset(at, 0, sizeof *at);
	set_defaults(k, obj);
	snprintf(obj, SCN_NAME_MAX, "%s", name);   /* the name is the first field */
	at->line = line;
	for (size_t i = 0; i < k->nparams; i++)
		if (!k->params[i].def)
			at->key_line[i] = line;
	return obj;
}

/* Whether key of [topology] section i was given (in the file or by --set). */
static int topo_given(const struct scenario *s, size_t i, const char *key)
{
	for (size_t k = 0; k < N(topology_params); k++)
		if (!strcmp(topology_params[k].name, key))
			return s->topology_at[i].key_line[k] != 0;
	return 0;
}

/* The keys of one kind of [topology] the other kind does not take. */
static const char *const transit_stub_keys[] = {
	"transit", "extra", "stubs", "stub_routers", "hosts", "transit_delay_min",
	"transit_delay_max", "stub_delay_min", "stub_delay_max", "transit_rate", "stub_rate",
	"transit_role", "stub_role", NULL
};
static const char *const file_keys[] = {
	"file", "node_role", "rate", "delay_from", "delay", "delay_unit", "leaf_hosts", NULL
};

/* A [topology] read from a file (topofile.h): node K of the file is
 * NAME-nK, link K NAME-lK, a /30 from the pool each, in file order. */
static void expand_file_topology(struct parse *p, size_t i)
{
	struct scenario *s = p->s;
	const struct scn_topology *c = &s->topology[i];
	const struct scn_origin *at = &s->topology_at[i];
	int line = at->line;
	static const char *const models[] = { "transit-stub", "inet", "rocketfuel" };
	for (const char *const *k = transit_stub_keys; *k; k++)
		if (topo_given(s, i, *k)) {
			fail(p, key_line(at, topology_params, N(topology_params), *k),
			     "[topology %s]: %s is a key of model = transit-stub, not of model = %s",
			     c->name, *k, models[c->model]);
			return;
		}
	if (!c->file[0]) {
		fail(p, line, "[topology %s]: model = %s needs file = PATH", c->name, models[c->model]);
		return;
	}
	int file_line = key_line(at, topology_params, N(topology_params), "file");
	if (c->delay_from == SCN_TOPO_DELAY_DISTANCE && c->model != SCN_TOPO_INET) {
		fail(p, key_line(at, topology_params, N(topology_params), "delay_from"),
		     "[topology %s]: delay_from = distance needs model = inet (Rocketfuel files have no "
		     "coordinates)", c->name);
		return;
	}
	/* a relative path is taken from the scenario file's directory */
	char path[1100];
	const char *slash = strrchr(s->path, '/');
	if (c->file[0] == '/' || !slash)
		snprintf(path, sizeof path, "%s", c->file);
	else
		snprintf(path, sizeof path, "%.*s/%s", (int)(slash - s->path), s->path, c->file);
	struct topofile t;
	char why[1400];
	int rc = topofile_read(c->model == SCN_TOPO_INET ? TOPOFILE_INET : TOPOFILE_ROCKETFUEL, path, &t,
			       why, sizeof why);
	if (rc == HN_ENOENT) {
		fail(p, file_line, "[topology %s]: file: %s", c->name, why);
		return;
	}
	if (rc != HN_OK) {
		/* the topology file's own place, then the section it is read for */
		char full[3072];
		snprintf(full, sizeof full, "%s (for [topology %s] at %s:%d)", why, c->name, s->path,
			 line);
		add_error(p, full);
		topofile_free(&t);
		return;
	}
	s->files_hash = (s->files_hash ^ t.hash) * 1099511628211ull + 1;   /* order matters */
	if (c->delay_from == SCN_TOPO_DELAY_WEIGHT && t.maps) {
		fail(p, key_line(at, topology_params, N(topology_params), "delay_from"),
		     "[topology %s]: delay_from = weight: %s is a Rocketfuel maps file, whose links have "
		     "no weight", c->name, path);
		topofile_free(&t);
		return;
	}
	if (c->host_delay_max < c->host_delay_min) {
		fail(p, key_line(at, topology_params, N(topology_params), "host_delay_max"),
		     "[topology %s]: host_delay_max = %g ms is below host_delay_min = %g ms", c->name,
		     (double)c->host_delay_max / 1e6, (double)c->host_delay_min / 1e6);
		topofile_free(&t);
		return;
	}
	/* the nodes of degree 1, each with leaf_hosts hosts */
	size_t *deg = calloc(t.nnodes, sizeof *deg);
	if (!deg)
		goto nomem;
	for (size_t k = 0; k < t.nlinks; k++) {
		deg[t.link[k].a]++;
		deg[t.link[k].b]++;
	}
	size_t leaves = 0, last_leaf = 0;
	for (size_t k = 0; k < t.nnodes; k++)
		if (deg[k] == 1)
			leaves++, last_leaf = k;
	size_t nhosts = leaves * (size_t)c->leaf_hosts;
	if (t.nnodes + nhosts > SCN_MAX_OBJECTS) {
		fail(p, key_line(at, topology_params, N(topology_params), "leaf_hosts"),
		     "[topology %s]: %zu nodes and %zu leaf hosts: more than %d nodes", c->name, t.nnodes,
		     nhosts, SCN_MAX_OBJECTS);
		free(deg);
		topofile_free(&t);
		return;
	}
	uint64_t pool_size = c->pool_prefix >= 30 ? 1 : 1ull << (30 - c->pool_prefix);
	if (t.nlinks + nhosts > pool_size) {
		char a[16];
		fail(p, key_line(at, topology_params, N(topology_params), "pool_prefix"),
		     "[topology %s]: the pool %s/%u holds %llu /30 links; %s has %zu%s", c->name,
		     ipv4_ntoa(c->pool, a), (unsigned)c->pool_prefix, (unsigned long long)pool_size, path,
		     t.nlinks + nhosts, nhosts ? " with its leaf hosts' links" : "");
		free(deg);
		topofile_free(&t);
		return;
	}
	/* delays first: a bad one is the file's line */
	uint64_t *delay = malloc((t.nlinks ? t.nlinks : 1) * sizeof *delay);
	if (!delay) {
		free(deg);
		goto nomem;
	}
	for (size_t k = 0; k < t.nlinks; k++) {
		const struct topofile_link *l = &t.link[k];
		double units = 0;
		if (c->delay_from == SCN_TOPO_DELAY_FIXED) {
			delay[k] = c->delay;
			continue;
		}
		if (c->delay_from == SCN_TOPO_DELAY_WEIGHT) {
			if (!l->has_weight) {
				char full[3072];
				snprintf(full, sizeof full, "%s:%d: link %s-%s has no weight, and delay_from = "
					 "weight (for [topology %s] at %s:%d)", path, l->line,
					 t.node[l->a].label, t.node[l->b].label, c->name, s->path, line);
				add_error(p, full);
				free(delay);
				free(deg);
				topofile_free(&t);
				return;
			}
			units = l->weight;
		} else {
			units = hypot(t.node[l->a].x - t.node[l->b].x, t.node[l->a].y - t.node[l->b].y);
		}
		double ns = round(units * (double)c->delay_unit);
		if (ns > 10 * NS) {
			char full[3072];
			snprintf(full, sizeof full, "%s:%d: link %s-%s: %s %g times delay_unit %g ms is %g s, "
				 "beyond a link's 10 s (for [topology %s] at %s:%d)", path, l->line,
				 t.node[l->a].label, t.node[l->b].label,
				 c->delay_from == SCN_TOPO_DELAY_WEIGHT ? "weight" : "distance", units,
				 (double)c->delay_unit / 1e6, ns / NS, c->name, s->path, line);
			add_error(p, full);
			free(delay);
			free(deg);
			topofile_free(&t);
			return;
		}
		delay[k] = (uint64_t)ns;
	}
	char name[SCN_NAME_MAX + 64];
	snprintf(name, sizeof name, "%s-n%zu", c->name,
		 t.nnodes > t.nlinks + nhosts ? t.nnodes - 1 : t.nlinks + nhosts - 1);
	if (nhosts && strlen(name) < SCN_NAME_MAX)
		snprintf(name, sizeof name, "%s-n%zu-h%llu", c->name, last_leaf,
			 (unsigned long long)c->leaf_hosts - 1);
	if (strlen(name) >= SCN_NAME_MAX) {
		fail(p, line, "[topology %s]: node and link names (as '%s') would be longer than %d "
		     "characters", c->name, name, SCN_NAME_MAX - 1);
		free(delay);
		free(deg);
		topofile_free(&t);
		return;
	}
	for (size_t k = 0; k < t.nnodes; k++) {
		snprintf(name, sizeof name, "%s-n%zu", c->name, k);
		struct scn_node *n = generated(p, &kinds[0], name, line);
		if (!n) {
			free(delay);
			free(deg);
			goto nomem;
		}
		n->role = c->node_role;
	}
	for (size_t k = 0; k < t.nlinks; k++) {
		snprintf(name, sizeof name, "%s-l%zu", c->name, k);
		struct scn_link *l = generated(p, &kinds[1], name, line);
		if (!l) {
			free(delay);
			free(deg);
			goto nomem;
		}
		snprintf(name, sizeof name, "%s-n%zu", c->name, t.link[k].a);
		memcpy(l->a, name, strlen(name) + 1);   /* fits: the longest name was checked */
		snprintf(name, sizeof name, "%s-n%zu", c->name, t.link[k].b);
		memcpy(l->b, name, strlen(name) + 1);
		uint32_t net = c->pool + 4u * (uint32_t)k;
		l->a_addr = net + 1;
		l->b_addr = net + 2;
		l->prefix = 30;
		l->rate_bps = c->rate;
		l->delay_ns = delay[k];
	}
	/* the leaf hosts: nodes after the file's, links after its links */
	uint64_t rng = c->seed;
	size_t lk = t.nlinks;
	for (size_t k = 0; k < t.nnodes; k++)
		for (uint64_t j = 0; deg[k] == 1 && j < c->leaf_hosts; j++) {
			char host[SCN_NAME_MAX + 64];
			snprintf(host, sizeof host, "%s-n%zu-h%llu", c->name, k, (unsigned long long)j);
			struct scn_node *n = generated(p, &kinds[0], host, line);
			snprintf(name, sizeof name, "%s-l%zu", c->name, lk);
			struct scn_link *l = n ? generated(p, &kinds[1], name, line) : NULL;
			if (!l) {
				free(delay);
				free(deg);
				goto nomem;
			}
			n->role = c->host_role;
			snprintf(name, sizeof name, "%s-n%zu", c->name, k);
			memcpy(l->a, name, strlen(name) + 1);
			memcpy(l->b, host, strlen(host) + 1);
			uint32_t net = c->pool + 4u * (uint32_t)lk;
			l->a_addr = net + 1;
			l->b_addr = net + 2;
			l->prefix = 30;
			l->rate_bps = c->host_rate;
			l->delay_ns = topogen_uniform(&rng, c->host_delay_min, c->host_delay_max);
			lk++;
		}
	free(delay);
	free(deg);
	topofile_free(&t);
	return;
nomem:
	topofile_free(&t);
	fail(p, line, "[topology %s]: out of memory", c->name);
}

/* Each [topology] section's nodes and links, added after the file's. */
static void expand_topologies(struct parse *p)
{
	struct scenario *s = p->s;
	for (size_t i = 0; i < s->ntopologies; i++) {
		const struct scn_topology *c = &s->topology[i];
		int line = s->topology_at[i].line;
		if (c->model != SCN_TOPO_TRANSIT_STUB) {
			expand_file_topology(p, i);
			continue;
		}
		int given = 0;
		for (const char *const *k = file_keys; *k && !given; k++)
			if (topo_given(s, i, *k)) {
				fail(p, key_line(&s->topology_at[i], topology_params, N(topology_params), *k),
				     "[topology %s]: %s is a key of model = inet or rocketfuel, not of model "
				     "= transit-stub", c->name, *k);
				given = 1;
			}
		if (given)
			continue;
		struct topogen_config tc = {
			.seed = c->seed, .transit = c->transit, .stubs = c->stubs,
			.stub_routers = c->stub_routers, .hosts = c->hosts, .extra = c->extra,
			.delay_min = { c->transit_delay_min, c->stub_delay_min, c->host_delay_min },
			.delay_max = { c->transit_delay_max, c->stub_delay_max, c->host_delay_max },
			.rate = { c->transit_rate, c->stub_rate, c->host_rate },
			.pool = c->pool, .pool_prefix = (unsigned)c->pool_prefix,
		};
		const int role[TG_NCLASSES] = { c->transit_role, c->stub_role, c->host_role };
		static const char *const cls[TG_NCLASSES] = { "transit", "stub", "host" };
		int bad = -1;
		for (int k = TG_NCLASSES - 1; k >= 0; k--)
			if (tc.delay_max[k] < tc.delay_min[k])
				bad = k;
		if (bad >= 0) {
			char key[32];
			snprintf(key, sizeof key, "%s_delay_max", cls[bad]);
			fail(p, key_line(&s->topology_at[i], topology_params, N(topology_params), key),
			     "[topology %s]: %s = %g ms is below %s_delay_min = %g ms", c->name, key,
			     (double)tc.delay_max[bad] / 1e6, cls[bad], (double)tc.delay_min[bad] / 1e6);
			continue;
		}
		struct topogen t;
		char why[300];
		int rc = topogen_transit_stub(&tc, c->name, &t, why, sizeof why);
		if (rc != HN_OK) {
			fail(p, line, "[topology %s]: %s", c->name, rc == HN_ENOMEM ? "out of memory" : why);
			continue;
		}
		for (size_t k = 0; k < t.nnodes; k++) {
			struct scn_node *n = generated(p, &kinds[0], t.node[k].name, line);
			if (!n)
				goto nomem;
			n->role = role[t.node[k].cls];
		}
		for (size_t k = 0; k < t.nlinks; k++) {
			char name[SCN_NAME_MAX + 32];
			snprintf(name, sizeof name, "%s-l%zu", c->name, k);
			if (strlen(name) >= SCN_NAME_MAX) {
				topogen_free(&t);
				fail(p, line, "[topology %s]: generated link names (as '%s') would be longer "
				     "than %d characters", c->name, name, SCN_NAME_MAX - 1);
				return;
			}
			struct scn_link *l = generated(p, &kinds[1], name, line);
			if (!l)
				goto nomem;
			snprintf(l->a, sizeof l->a, "%s", t.node[t.link[k].a].name);
			snprintf(l->b, sizeof l->b, "%s", t.node[t.link[k].b].name);
			l->a_addr = t.link[k].a_addr;
			l->b_addr = t.link[k].b_addr;
			l->prefix = 30;
			l->rate_bps = t.link[k].rate_bps;
			l->delay_ns = t.link[k].delay_ns;
		}
		topogen_free(&t);
		continue;
nomem:
		topogen_free(&t);
		fail(p, line, "[topology %s]: out of memory", c->name);
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
	apply_all(p);
	if (!p->failed)
		expand_topologies(p);
	if (!p->failed)
		check(p);
	for (size_t k = 0; k < N(kinds); k++)
		free(p->names[k].slot);
	if (p->failed) {
		copy_errors(p, err, errlen);
		free(p);
		scenario_free(s);
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
	if (!s)
		return;
	free(s->node);
	free(s->node_at);
	free(s->link);
	free(s->link_at);
	free(s->service);
	free(s->service_at);
	free(s->replica);
	free(s->replica_at);
	free(s->workload);
	free(s->workload_at);
	free(s->failure);
	free(s->failure_at);
	free(s->topology);
	free(s->topology_at);
	free(s->node_hash);
	free(s);
}
