/* natlb_params.c - a NAT front end's [node] keys (natlb.h), as data. */
#include "apps/natlb.h"

#define NS 1e9

const struct param_def natlb_params[] = {
	{ "lb_service", PARAM_STRING, "", "", 0, 0, "natlb: the [service] whose address it owns and translates (it is the service's origin; required for a natlb)", PARAM_AT(struct natlb_config, service), NULL },
	{ "lb_servers", PARAM_STRING, "", "", 0, 0, "natlb: the real server nodes behind it, space separated (their replies must route back through it); each runs the service at its own address", PARAM_AT(struct natlb_config, servers), NULL },
	{ "lb_idle", PARAM_TIME, "300s", "s", 0.001 * NS, 86400 * NS, "natlb: a connection without datagrams this long is forgotten (assumed: as the redirector's flow_idle)", PARAM_AT(struct natlb_config, idle_ns), NULL },
	{ "lb_max_conns", PARAM_U64, "65536", "", 1, 1e7, "natlb: connections it remembers at once; a new one past it is dropped (drop.natlb_table_full)", PARAM_AT(struct natlb_config, max_conns), NULL },
};
const size_t natlb_nparams = sizeof natlb_params / sizeof natlb_params[0];
