/* natlb_params.c - a NAT front end's [node] keys (natlb.h), as data. */
#include "apps/natlb.h"

#define NS 1e9

static const char *const natlb_mode_names[] = { "nat", "dr", NULL };

const struct param_def natlb_params[] = {
	{ "lb_service", PARAM_STRING, "", "", 0, 0, "natlb: the [service] whose address it owns and translates (it is the service's origin; required for a natlb)", PARAM_AT(struct natlb_config, service), NULL },
	{ "lb_servers", PARAM_STRING, "", "", 0, 0, "natlb: the real server nodes behind it, space separated; nat: their replies must route back through it, each runs the service at its own address; dr: each must share a [link] with it and runs the service at the service's address", PARAM_AT(struct natlb_config, servers), NULL },
	{ "lb_idle", PARAM_TIME, "300s", "s", 0.001 * NS, 86400 * NS, "natlb: a connection without datagrams this long is forgotten (assumed: as the redirector's flow_idle)", PARAM_AT(struct natlb_config, idle_ns), NULL },
	{ "lb_max_conns", PARAM_U64, "65536", "", 1, 1e7, "natlb: connections it remembers at once; a new one past it is dropped (drop.natlb_table_full)", PARAM_AT(struct natlb_config, max_conns), NULL },
	{ "lb_mode", PARAM_ENUM, "nat", "", 0, 0, "natlb: nat (LVS-NAT: destination and source rewritten, the replies route back through the front end) or dr (LVS-DR: each datagram forwarded unchanged to its real server as the next hop; the real servers, neighbours of the front end, hold the service's address unrouted and reply to the clients directly)", PARAM_AT(struct natlb_config, mode), natlb_mode_names },
	{ "lb_closed_idle", PARAM_TIME, "10s", "s", 0.001 * NS, 86400 * NS, "natlb: an ended connection (RST, or FIN both ways; dr: FIN from the client) without datagrams this long is forgotten (IPVS's CLOSE state timeout, net/netfilter/ipvs/ip_vs_proto_tcp.c tcp_timeouts; IPVS keeps FIN-both-ways 2 min in TIME_WAIT: shorter here, assumed)", PARAM_AT(struct natlb_config, closed_idle_ns), NULL },
	{ "lb_added", PARAM_STRING, "", "", 0, 0, "natlb: real servers of lb_servers that join the cluster at lb_add_at, space separated (as ipvsadm -a adds one); before it they get no new connection, after it their turn in the round robin", PARAM_AT(struct natlb_config, added), NULL },
	{ "lb_add_at", PARAM_TIME, "0s", "s", 0, 1e6 * NS, "natlb: when the lb_added real servers join", PARAM_AT(struct natlb_config, add_at_ns), NULL },
};
const size_t natlb_nparams = sizeof natlb_params / sizeof natlb_params[0];
