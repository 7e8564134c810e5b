/* rogue.h - an attacker on the routing protocol (docs/threat-model.md).
 *
 * A rogue node sends routing messages to the redirectors' daemons
 * (RMP_PORT_ROUTING) to have a service's traffic tunnelled to itself, or to
 * take it away from the legitimate host server.  With a [replica] of the
 * service it serves what it hijacks (a rogue host server); without one it
 * only swallows it (a rogue client).  It sends attack_count messages, one
 * every attack_interval from attack_start, each naming attack_ports ports
 * of the service in turn (more than one: a flood of access points):
 *   unsigned     ANNOUNCE naming itself (the paper's protocol);
 *   self_signed  SANNOUNCE naming itself, the authorisation signed with its
 *                own key instead of the origin's;
 *   stolen       the legitimate host server's latest SANNOUNCE (observed on
 *                the wire) with the host server changed to itself, signed
 *                with its own key;
 *   stale        SANNOUNCE naming itself, with an authorisation the origin
 *                really signed for it once and which has expired;
 *   replay       the legitimate host server's messages, observed on the
 *                wire, sent again unchanged (in the order observed);
 *   withdraw     WITHDRAW of the service naming the legitimate host server
 *                (denial, unsigned).
 * Not here: who observes what (the world taps the victim's daemon,
 * rtd_set_tap), the keys (auth.h). */
#ifndef HN_ROGUE_H
#define HN_ROGUE_H
#include <stddef.h>
#include <stdint.h>

#include "counter.h"
#include "hydranet/auth.h"
#include "hydranet/hsrv.h"
#include "hydranet/rmp.h"
#include "param.h"

struct sim_node;

/* X(ATTACK, name, doc) */
#define ROGUE_ATTACKS(X) \
	X(NONE, "none", "send nothing") \
	X(UNSIGNED, "unsigned", "ANNOUNCE naming itself") \
	X(SELF_SIGNED, "self_signed", "SANNOUNCE naming itself, authorisation signed with its own key") \
	X(STOLEN, "stolen", "the legitimate host server's SANNOUNCE, host server changed to itself") \
	X(STALE, "stale", "SANNOUNCE naming itself with an expired authorisation the origin signed") \
	X(REPLAY, "replay", "the legitimate host server's messages sent again") \
	X(WITHDRAW, "withdraw", "WITHDRAW naming the legitimate host server")
#define ROGUE_ATTACK_ENUM(e, name, doc) ROGUE_##e,
enum rogue_attack { ROGUE_ATTACKS(ROGUE_ATTACK_ENUM) ROGUE_NATTACKS };
extern const char *const rogue_attack_names[];

struct rogue_attack_config {
	int attack;                   /* enum rogue_attack */
	char service[48];             /* the [service] attacked */
	char victim[48];              /* the legitimate host server (stolen, replay, withdraw) */
	uint64_t start_ns;
	uint64_t interval_ns;
	uint64_t count;
	uint64_t ports;               /* distinct ports named, from the service's */
	uint64_t lifetime_ns;         /* lifetime its announcements claim */
};

/* A rogue node: a host server's decapsulation (to serve or swallow what it
 * hijacks) and the attacker. */
struct rogue_config {
	struct hsrv_config hsrv;
	struct rogue_attack_config attack;
};

/* What the world resolves for the attacker. */
struct rogue_target {
	uint32_t self;                /* its address: the tunnel exit it claims */
	uint32_t origin;              /* the service's origin address */
	uint16_t service;             /* service id */
	uint16_t port;                /* the service's port */
	uint8_t proto;
	uint32_t victim;              /* the legitimate host server (0: none) */
	uint32_t redirectors[16];
	size_t nredirectors;
	struct auth_keypair key;      /* its own key pair */
	struct rmp_msg stale;         /* stale: the expired AUTHORISE the origin signed */
};

#define ROGUE_STATS(C, D) \
	C(sent, "rogue.sent", "attack messages sent (to each redirector)") \
	C(bytes_sent, "rogue.bytes_sent", "attack bytes sent (UDP payload)") \
	C(observed, "rogue.observed", "messages of the legitimate host server observed") \
	D(NOTHING, "rogue_nothing_to_send", "stolen or replay: no message observed yet to use")

#define ROGUE_DROP_ENUM(e, name, doc) ROGUE_DROP_##e,
enum rogue_drop { ROGUE_STATS(COUNTER_SKIP, ROGUE_DROP_ENUM) ROGUE_NDROP };

struct rogue_stats {
	ROGUE_STATS(COUNTER_FIELD, COUNTER_SKIP)
	uint64_t drops[ROGUE_NDROP];
};

extern const struct counter_set rogue_counters;
/* The attack's [node] keys (rogue_params.c, data only). */
extern const struct param_def rogue_params[];
extern const size_t rogue_nparams;

struct rogue;
struct rogue *rogue_new(struct sim_node *node, const struct rogue_attack_config *cfg,
			const struct rogue_target *t);
void rogue_free(struct rogue *r);
/* A message the victim's daemon sent (an rtd_tap_fn: ctx is the rogue). */
void rogue_observe(void *ctx, const uint8_t *msg, size_t len, uint64_t now_ns);
const struct rogue_stats *rogue_stats(const struct rogue *r);
const char *rogue_drop_name(enum rogue_drop d);
#endif
