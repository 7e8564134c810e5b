/* rtd.h - HydraNet routing daemons (paper, section 4.2).
 *
 * "The redirector tables are maintained on the redirectors by HydraNet
 * routing daemons ... The communication among redirectors and between
 * redirectors and host servers happens via well-known UDP ports."  On a host
 * server, the daemon hears every port a virtual host binds or gives up
 * (hsrv_set_bind_listener) and tells its redirectors: ANNOUNCE with a
 * lifetime, repeated before it runs out so a lost message heals, and
 * WITHDRAW on removal.  On a redirector, the daemon listens on
 * RMP_PORT_ROUTING and applies what it hears to the redirector table; a
 * malformed or unexpected message is dropped and counted by reason, never
 * trusted.  Wire format: rmp.h, docs/rmp.md.  Not here: replica installation
 * (the replica manager), redirector-to-redirector exchange. */
#ifndef HN_RTD_H
#define HN_RTD_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "counter.h"
#include "param.h"

struct sim_node;
struct hsrv;
struct redir;

/* Redirectors one host server's routing daemon announces to, at most. */
#define RTD_MAX_REDIRECTORS 1024

struct rtd_config {
	uint64_t lifetime_ns;         /* ANNOUNCE lifetime (1 s .. RMP_MAX_LIFETIME) */
	uint64_t refresh_ns;          /* ANNOUNCE repeated this often (< lifetime) */
	bool withdraw;                /* send WITHDRAW when a port is given up */
	bool auth;                    /* sign: SANNOUNCE with the origin's authorisation */
	/* The redirectors (node names) told of the replicas managers install
	 * here; empty: every redirector.  Read by the world, not by rtd.c. */
	char announce_to[256];
};

/* Authorisations one host server's daemon holds (one per installed service). */
#define RTD_MAX_AUTH 16

/* Counters and drop reasons: C(field, metric, doc), D(reason, name, doc)
 * (counter.h); drops are stored as metric drop.NAME. */
#define RTD_STATS(C, D) \
	C(announces_sent, "rtd.announces_sent", "ANNOUNCE messages sent") \
	C(withdraws_sent, "rtd.withdraws_sent", "WITHDRAW messages sent") \
	C(bytes_sent, "rtd.bytes_sent", "routing daemon bytes sent (UDP payload)") \
	C(announces_received, "rtd.announces_received", "ANNOUNCE messages taken") \
	C(withdraws_received, "rtd.withdraws_received", "WITHDRAW messages taken") \
	C(bytes_received, "rtd.bytes_received", "routing daemon bytes received (UDP payload)") \
	C(entries_applied, "rtd.entries_applied", "access points installed, refreshed or withdrawn") \
	C(sannounces_sent, "rtd.sannounces_sent", "signed announcements (SANNOUNCE) sent, withdrawals included") \
	C(authorisations, "rtd.authorisations", "host server: authorisations taken from the origin's replica manager") \
	D(TRUNCATED, "rtd_truncated", "message shorter than its header says") \
	D(VERSION, "rtd_bad_version", "unknown protocol version") \
	D(TYPE, "rtd_unknown_type", "unknown message type or protocol") \
	D(LENGTH, "rtd_bad_length", "length field inconsistent") \
	D(FIELD, "rtd_bad_field", "a field out of range") \
	D(UNEXPECTED, "rtd_unexpected", "a valid message a routing daemon does not take") \
	D(TABLE, "rtd_table_refused", "the redirector table refused the entry") \
	D(NO_AUTH, "rtd_no_authorisation", "host server signing: a port bound with no authorisation covering it, not announced") \
	D(PORTS_FULL, "rtd_bound_ports_full", "host server: a port bound past the 64 access points one daemon announces (RMP_MAX_ENTRIES), not announced") \
	D(AUTH_FULL, "rtd_authorisation_table_full", "host server: an authorisation past RTD_MAX_AUTH, or naming another host server")

#define RTD_DROP_ENUM(e, name, doc) RTD_DROP_##e,
enum rtd_drop { RTD_STATS(COUNTER_SKIP, RTD_DROP_ENUM) RTD_NDROP };

struct rtd_stats {
	RTD_STATS(COUNTER_FIELD, COUNTER_SKIP)
	uint64_t drops[RTD_NDROP];   /* by enum rtd_drop */
};

/* The descriptors of every counter above. */
extern const struct counter_set rtd_counters;

/* A host server's routing daemon keys in [node NAME], into struct
 * rtd_config (rtd_params.c, data only). */
extern const struct param_def rtd_params[];
extern const size_t rtd_nparams;

struct rtd;

/* The daemon of a host server at address self, telling redirectors[n]. */
struct rtd *rtd_host_new(struct sim_node *node, struct hsrv *hs, uint32_t self,
			 const uint32_t *redirectors, size_t n, const struct rtd_config *cfg);
/* The daemon of a redirector. */
struct rtd *rtd_redir_new(struct sim_node *node, struct redir *r);
void rtd_free(struct rtd *d);

/* Apply one received message (borrowed) at a redirector daemon; also what
 * its socket calls.  Returns HN_OK or the refusal (counted). */
int rtd_receive(struct rtd *d, const uint8_t *msg, size_t len, uint64_t now_ns);

/* Authentication at a redirector (auth.h, docs/threat-model.md): take only
 * what v (borrowed, enabled) accepts, SANNOUNCE verified; ANNOUNCE and
 * WITHDRAW are refused as unsigned (drop.auth_unsigned).  Without this call:
 * the paper's unauthenticated protocol, unchanged.  The host server's side
 * (SANNOUNCE signed by its daemon) is auth_sign_announce; its daemon does
 * not send it yet. */
struct auth_verifier;
void rtd_redir_set_auth(struct rtd *d, struct auth_verifier *v);

/* Authentication at a host server (cfg.auth): its key pair (copied), used
 * to sign each SANNOUNCE; without it a daemon with cfg.auth announces
 * nothing.  rtd_host_authorise takes one authorisation (an AUTHORISE
 * message from the origin's replica manager, or one the configuration
 * issued for a static replica); a bound port it covers is announced in a
 * SANNOUNCE carrying it, and withdrawn (cfg.withdraw) by a signed SANNOUNCE
 * of lifetime 0 naming that one port.  A newer authorisation of the same
 * (origin, service) replaces the older.  HN_OK, or HN_EINVAL (it names
 * another host server) / HN_ELIMIT (RTD_MAX_AUTH held), both counted as
 * drop.rtd_authorisation_table_full. */
struct auth_keypair;
struct rmp_msg;
int rtd_host_set_key(struct rtd *d, const struct auth_keypair *key);
int rtd_host_authorise(struct rtd *d, const struct rmp_msg *authorisation);

/* The CPU time of n Ed25519 operations (enum auth_op) at now_ns on the
 * daemon's node: returns the delay until they are done (0: no cost model).
 * A host server sends a signed message after the delay of signing it; a
 * redirector applies a verified message after the delay of its checks (a
 * refused one costs the checks it took too). */
typedef uint64_t (*rtd_charge_fn)(void *ctx, int op, unsigned n, uint64_t now_ns);
void rtd_set_charge(struct rtd *d, rtd_charge_fn fn, void *ctx);

/* Every message a host server's daemon sends, as sent (for an on-path
 * observer: the replay attack of rogue.h). */
typedef void (*rtd_tap_fn)(void *ctx, const uint8_t *msg, size_t len, uint64_t now_ns);
void rtd_set_tap(struct rtd *d, rtd_tap_fn fn, void *ctx);

const struct rtd_stats *rtd_stats(const struct rtd *d);
const char *rtd_drop_name(enum rtd_drop d);
#endif
