/* roles.c - the roles' names and parameter blocks (roles.h), as data. */
#include "roles.h"

#define ROLE_NAME(e, m, name, type, params, comp) name,
const char *const role_names[] = { HN_ROLES(ROLE_NAME) NULL };

const struct param_block redirector_params[] = {
	{ redir_params, &redir_nparams, offsetof(struct redirector_config, redir) },
	{ fragflow_params, &fragflow_nparams, offsetof(struct redirector_config, redir) + offsetof(struct redir_config, frag) },
	{ hchk_params, &hchk_nparams, offsetof(struct redirector_config, redir) + offsetof(struct redir_config, hc) },
	{ auth_params, &auth_nparams, offsetof(struct redirector_config, auth) },
	{ NULL, 0, 0 },
};

const struct param_block hostserver_params[] = {
	{ hsrv_params, &hsrv_nparams, offsetof(struct hostserver_config, hsrv) },
	{ fragflow_params, &fragflow_nparams, offsetof(struct hostserver_config, hsrv) + offsetof(struct hsrv_config, frag) },
	{ rtd_params, &rtd_nparams, offsetof(struct hostserver_config, rtd) },
	{ rsrv_params, &rsrv_nparams, offsetof(struct hostserver_config, rsrv) },
	{ NULL, 0, 0 },
};

const struct param_block rogue_role_params[] = {
	{ hsrv_params, &hsrv_nparams, offsetof(struct rogue_config, hsrv) },
	{ fragflow_params, &fragflow_nparams, offsetof(struct rogue_config, hsrv) + offsetof(struct hsrv_config, frag) },
	{ rogue_params, &rogue_nparams, offsetof(struct rogue_config, attack) },
	{ NULL, 0, 0 },
};

const struct param_block nameserver_params[] = {
	{ dnssrv_auth_params, &dnssrv_auth_nparams, 0 },
	{ NULL, 0, 0 },
};

const struct param_block resolver_params[] = {
	{ dnssrv_resolver_params, &dnssrv_resolver_nparams, 0 },
	{ NULL, 0, 0 },
};

const struct param_block natlb_role_params[] = {
	{ natlb_params, &natlb_nparams, 0 },
	{ NULL, 0, 0 },
};
