/* roles.h - the roles a node can have: the one list of them.
 *
 * One row per role, R(ROLE, member, "name", config type, params, component):
 *   ROLE       its enum scn_role value, SCN_ROLE;
 *   member     its configuration's member in struct scn_node's cfg;
 *   "name"     the value of `role` in a [node NAME] section;
 *   config     the configuration a [node NAME] section fills (char: none);
 *   params     its keys: a NULL-terminated list of parameter blocks placed
 *              in the configuration (roles.c, data only), or NULL;
 *   component  what the world builds on such a node (a struct world_role in
 *              model/world/, expanded only there), or NULL.
 * A new role is a module with its parameter and counter tables, one row here
 * and its struct world_role.  Every [node] key is accepted on every node (a
 * key of another role is ignored there). */
#ifndef HN_ROLES_H
#define HN_ROLES_H
#include "apps/dnssrv.h"
#include "apps/natlb.h"
#include "hydranet/auth.h"
#include "hydranet/hsrv.h"
#include "hydranet/redir.h"
#include "hydranet/rmgr.h"
#include "hydranet/rogue.h"
#include "hydranet/rtd.h"
#include "param.h"

/* A redirector: the datapath and its routing daemon's verifier. */
struct redirector_config {
	struct redir_config redir;
	struct auth_config auth;
};

/* A host server: the decapsulating module and its routing daemon. */
struct hostserver_config {
	struct hsrv_config hsrv;
	struct rtd_config rtd;
	struct rsrv_limits rsrv;
};

#define HN_ROLES(R) \
	R(CLIENT, client, "client", char, NULL, NULL) \
	R(ROUTER, router, "router", char, NULL, NULL) \
	R(REDIRECTOR, redirector, "redirector", struct redirector_config, redirector_params, \
	  &world_redirector) \
	R(ORIGIN, origin, "origin", char, NULL, NULL) \
	R(HOSTSERVER, hostserver, "hostserver", struct hostserver_config, hostserver_params, \
	  &world_hostserver) \
	R(ROGUE, rogue, "rogue", struct rogue_config, rogue_role_params, &world_rogue) \
	R(NAMESERVER, nameserver, "nameserver", struct dnssrv_auth_config, nameserver_params, \
	  &world_nameserver) \
	R(RESOLVER, resolver, "resolver", struct dnssrv_resolver_config, resolver_params, \
	  &world_resolver) \
	R(NATLB, natlb, "natlb", struct natlb_config, natlb_role_params, &world_natlb)

/* The role names in enum order, NULL-terminated (for the `role` key). */
extern const char *const role_names[];
extern const struct param_block redirector_params[];
extern const struct param_block hostserver_params[];
extern const struct param_block rogue_role_params[];
extern const struct param_block nameserver_params[];
extern const struct param_block resolver_params[];
extern const struct param_block natlb_role_params[];
#endif
