/* hsrv_params.c - the host server's parameters (hsrv.h), as data: the
 * scenario checker links this without the simulator. */
#include "hydranet/hsrv.h"

#define NS 1e9

const struct param_def hsrv_params[] = {
	{ "reass_timeout", PARAM_TIME, "30s", "s", 1e-3 * NS, 600 * NS, "host server: reassembly timeout of tunnelled fragments (RFC 1122 3.3.2 suggests 60-120 s; BSD used 30 s)", PARAM_AT(struct hsrv_config, reass.timeout_ns), NULL },
	{ "reass_max_datagrams", PARAM_U64, "256", "", 1, 1e6, "host server: datagrams under reassembly at once", PARAM_AT(struct hsrv_config, reass.max_datagrams), NULL },
	{ "reass_max_bytes", PARAM_BYTES, "4MiB", "bytes", 1, 1e9, "host server: fragment bytes held at once", PARAM_AT(struct hsrv_config, reass.max_bytes), NULL },
};
const size_t hsrv_nparams = sizeof hsrv_params / sizeof hsrv_params[0];
