/* auth.h - authenticated replica management and routing (docs/threat-model.md).
 *
 * The paper (section 6) leaves trust in host servers to future work: any
 * node that sends a well-formed ANNOUNCE to a redirector's routing daemon
 * can have another service's traffic tunnelled to it.  This module closes
 * that with Ed25519 (libsodium):
 *   - the origin's replica manager signs an authorisation for one install:
 *     (origin, service, protocol, ports, host server, validity, the host
 *     server's public key, SHA-256 of the code image);
 *   - the host server sends SANNOUNCE: that authorisation, the ports it
 *     announces and a lifetime, under the header's sequence number, signed
 *     with its own key (auth_sign_announce; the routing daemon, rtd.c, does
 *     not send it yet: the tests do);
 *   - a redirector's verifier holds each service's public key (struct
 *     auth_service) and refuses what is unsigned, unknown, forged, outside
 *     its validity, replayed (sequence not above the last one taken) or
 *     signed for another service, each under its own drop reason; its
 *     replay table, its per-host-server rate buckets and the number of
 *     services are bounded by parameters, and each overflow is a drop.
 * Scenario keys come from the run's seed (auth_keypair), so a run is
 * reproducible; they protect a model, not a deployment.  The CPU time a
 * signature or a verification costs on a testbed machine is
 * auth_cost_ns().  Wire format: docs/rmp.md.  Not here: the transport
 * (rtd.c) and the redirector table (redir.c). */
#ifndef HN_AUTH_H
#define HN_AUTH_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "counter.h"
#include "hydranet/rmp.h"
#include "param.h"

#define AUTH_SK_LEN 64   /* libsodium's Ed25519 secret key (seed || public key) */

struct auth_keypair {
	uint8_t pk[RMP_KEY_LEN];
	uint8_t sk[AUTH_SK_LEN];
};

/* The key pair of (who, addr, service) in a run with this seed: Ed25519 from
 * the 32-byte seed SHA-256("hydranet-key-v1" || seed || who || addr ||
 * service), all integers big-endian.  who names the holder ("origin",
 * "hostserver").  Returns HN_OK or HN_EIO (libsodium failed to start). */
int auth_keypair(uint64_t seed, const char *who, uint32_t addr, uint16_t service,
		 struct auth_keypair *out);

/* SHA-256 of the model's code image of a service: the image is image_bytes
 * bytes whose content the model does not carry, so the hash is of
 * ("hydranet-image-v1" || origin || service || image_bytes). */
void auth_image_hash(uint32_t origin, uint16_t service, uint32_t image_bytes,
		     uint8_t out[RMP_HASH_LEN]);

/* The origin's replica manager: fill m's authorisation fields (type
 * RMP_SANNOUNCE, origin, service, proto, ports, host_server, validity,
 * hs_key, image_hash) before the call; signs them into m->origin_sig. */
int auth_sign_install(struct rmp_msg *m, const struct auth_keypair *origin_key);

/* The origin's authorisation for one install, as an AUTHORISE message
 * (docs/rmp.md) signed with origin_key: service at origin, protocol and
 * ports, host server hs whose public key is hs_pk, valid from not_before_s
 * to not_after_s (model seconds), for a code image of image_bytes. */
int auth_authorise(struct rmp_msg *m, const struct auth_keypair *origin_key, uint32_t origin,
		   uint16_t service, uint8_t proto, const uint16_t *ports, unsigned nports,
		   uint32_t hs, const uint8_t hs_pk[RMP_KEY_LEN], uint32_t not_before_s,
		   uint32_t not_after_s, uint32_t image_bytes);

/* The host server: with the authorisation, ann_ports, lifetime_s and seq
 * set, encode m into buf and sign it; returns the length or a status. */
int auth_sign_announce(struct rmp_msg *m, const struct auth_keypair *hs_key, uint8_t *buf,
		       size_t cap);

/* One service a redirector may route: its origin's public key for it. */
struct auth_service {
	uint32_t origin;
	uint16_t service;
	uint8_t proto;
	uint8_t nports;
	uint16_t ports[RMP_MAX_PORTS];
	uint8_t pk[RMP_KEY_LEN];
};

/* The doc of the `auth` key, which the redirector's and the host server's
 * parameter tables both have. */
#define AUTH_KEY_DOC \
	"authenticated routing (docs/threat-model.md): a redirector takes only SANNOUNCE whose " \
	"authorisation the service's origin signed; a host server announces only ports an origin " \
	"authorised, in SANNOUNCE signed with its key (false: the paper's unauthenticated ANNOUNCE)"

struct auth_config {
	bool enabled;                 /* off: the paper's unauthenticated protocol */
	uint64_t max_services;        /* keys a redirector holds */
	uint64_t replay_entries;      /* (host server, origin, service) sequence slots */
	uint64_t hs_rate;             /* messages per second one host server may send */
	uint64_t hs_burst;            /* ... in a burst */
	uint64_t rate_entries;        /* host servers tracked for the rate limit */
};

/* Counters and drop reasons (counter.h); drops are stored as drop.NAME. */
#define AUTH_STATS(C, D) \
	C(verified, "auth.verified", "signed announcements taken") \
	C(signatures_checked, "auth.signatures_checked", "Ed25519 verifications done") \
	D(UNSIGNED, "auth_unsigned", "an unsigned ANNOUNCE or WITHDRAW while authentication is on") \
	D(UNKNOWN, "auth_unknown_service", "no key for the authorisation's origin and service") \
	D(WRONG_SERVICE, "auth_wrong_service", "ports or protocol outside the service or the authorisation") \
	D(FORGED_AUTH, "auth_forged_authorisation", "the origin's signature does not verify") \
	D(FORGED_ANN, "auth_forged_announcement", "the host server's signature does not verify") \
	D(EXPIRED, "auth_expired", "the authorisation is not valid at this time") \
	D(REPLAY, "auth_replayed", "sequence number not above the last one taken") \
	D(RATE, "auth_rate_limited", "the host server sent faster than its rate") \
	D(REPLAY_FULL, "auth_replay_table_full", "no free sequence slot for a new sender") \
	D(RATE_FULL, "auth_rate_table_full", "no free rate bucket for a new host server")

#define AUTH_DROP_ENUM(e, name, doc) AUTH_DROP_##e,
enum auth_drop { AUTH_STATS(COUNTER_SKIP, AUTH_DROP_ENUM) AUTH_NDROP };

struct auth_stats {
	AUTH_STATS(COUNTER_FIELD, COUNTER_SKIP)
	uint64_t drops[AUTH_NDROP];
};

extern const struct counter_set auth_counters;
/* The verifier's switch and limits: [node] keys of the redirector role
 * (auth_params.c, data only). */
extern const struct param_def auth_params[];
extern const size_t auth_nparams;
/* The defaults of auth_params as a struct (enabled false). */
void auth_config_default(struct auth_config *cfg);

struct auth_verifier;

struct auth_verifier *auth_verifier_new(const struct auth_config *cfg);
void auth_verifier_free(struct auth_verifier *v);
/* Hold a service's key; HN_ELIMIT past max_services (counted nowhere: a
 * configuration error the caller reports). */
int auth_verifier_add(struct auth_verifier *v, const struct auth_service *s);

/* Check one decoded message (m) whose bytes are msg[0..len) arriving at
 * now_ns.  HN_OK: act on it.  Otherwise the drop is counted under its
 * reason (*why) and the message must be ignored. */
int auth_verify(struct auth_verifier *v, const struct rmp_msg *m, const uint8_t *msg,
		size_t len, uint64_t now_ns, enum auth_drop *why);

const struct auth_stats *auth_stats(const struct auth_verifier *v);
const char *auth_drop_name(enum auth_drop d);

/* CPU time of one Ed25519 operation on a testbed machine (cpu profile name,
 * "pentium-120" or "i486sx-33"; another name: the Pentium): source and
 * assumptions in auth.c. */
enum auth_op { AUTH_OP_SIGN, AUTH_OP_VERIFY };
uint64_t auth_cost_ns(const char *profile, enum auth_op op);
#endif
