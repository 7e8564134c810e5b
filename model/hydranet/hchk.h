/* hchk.h - active health checks: a redirector probes the host servers of
 * its table over UDP and takes a replica out of service when they stop
 * answering (docs/healthcheck.md has the wire format byte by byte).
 *
 * The prober (on a redirector) sends one PROBE per replica of its table
 * every interval, naming the service access point (origin, port,
 * protocol); the responder (on every host server) answers REPLY with
 * whether a virtual host of that origin takes new connections on that
 * port.  A probe unanswered within the timeout, or answered "not
 * serving", is a failure; `fall` failures in a row mark the replica down
 * (redir_replica_set_health: no new flow goes to it, its flows choose
 * again), `rise` successes in a row mark it up again, as HAProxy's
 * health checks do (configuration manual, section 5.2: inter, rise,
 * fall).  Every malformed or unexpected datagram is dropped and counted
 * by reason.  The codec (hchk_msg.c) is pure C and fuzzed; the prober's
 * state machine (hchk_target_result) is pure C; hchk.c binds both to the
 * simulator.  Not here: passive detection (announcement lifetimes, rtd.h). */
#ifndef HN_HCHK_H
#define HN_HCHK_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "counter.h"
#include "param.h"

#define HCHK_PORT 5303        /* UDP, both ends (assumed: beside RMP's 5300-5302) */
#define HCHK_VERSION 1
#define HCHK_LEN 16           /* every message: PROBE and REPLY */
#define HCHK_MAX_TARGETS 64   /* replicas one prober follows */

enum hchk_type { HCHK_PROBE = 1, HCHK_REPLY = 2 };
/* A REPLY's status. */
enum hchk_status { HCHK_SERVING = 0, HCHK_NO_VHOST = 1, HCHK_NOT_BOUND = 2 };

/* One message, host order. */
struct hchk_msg {
	uint8_t type;             /* enum hchk_type */
	uint32_t seq;             /* the prober's; a REPLY echoes its PROBE's */
	uint32_t origin;          /* service access point: origin IPv4 address */
	uint16_t port;            /* its port, 1..65535 */
	uint8_t proto;            /* 6 (TCP) or 17 (UDP) */
	uint8_t status;           /* REPLY: enum hchk_status; PROBE: 0 */
};

/* The redirector's health-check keys (hchk_params.c, data only). */
struct hchk_config {
	bool enabled;             /* probe the table's host servers */
	uint64_t interval_ns;     /* a probe per replica this often */
	uint64_t timeout_ns;      /* unanswered this long: a failure (< interval) */
	uint64_t fall;            /* failures in a row that mark a replica down */
	uint64_t rise;            /* successes in a row that mark it up again */
};
extern const struct param_def hchk_params[];
extern const size_t hchk_nparams;

/* Counters and drop reasons: C(field, metric, doc), D(reason, name, doc). */
#define HCHK_STATS(C, D) \
	C(probes_sent, "hc.probes_sent", "prober: PROBE messages sent") \
	C(replies, "hc.replies", "prober: REPLY messages matched to their probe") \
	C(not_serving, "hc.not_serving", "prober: replies saying the replica does not take connections") \
	C(timeouts, "hc.timeouts", "prober: probes unanswered within the timeout") \
	C(marked_down, "hc.marked_down", "prober: replicas marked down (fall failures in a row)") \
	C(marked_up, "hc.marked_up", "prober: replicas marked up again (rise successes in a row)") \
	C(reentered, "hc.reentered", "prober: replicas marked down that left the redirector's table and came back between two rounds, probed again as new") \
	C(targets_full, "hc.targets_not_probed", "prober: replicas beyond HCHK_MAX_TARGETS, not probed") \
	C(answered, "hc.probes_answered", "responder: PROBE messages answered") \
	D(TRUNCATED, "hc_truncated", "shorter than the 16-byte message") \
	D(VERSION, "hc_bad_version", "unknown version") \
	D(TYPE, "hc_unknown_type", "unknown message type") \
	D(LENGTH, "hc_bad_length", "length field is not 16 or not the datagram's length") \
	D(FIELD, "hc_bad_field", "a field out of range (protocol, port 0, status)") \
	D(UNEXPECTED, "hc_unexpected", "a valid message this end does not take: a PROBE at a prober, a REPLY at a responder, or a reply no probe waits for (late, duplicate, or not matching its probe)")

#define HCHK_DROP_ENUM(e, name, doc) HCHK_DROP_##e,
enum hchk_drop { HCHK_STATS(COUNTER_SKIP, HCHK_DROP_ENUM) HCHK_NDROP };

struct hchk_stats {
	HCHK_STATS(COUNTER_FIELD, COUNTER_SKIP)
	uint64_t drops[HCHK_NDROP];   /* by enum hchk_drop */
};
extern const struct counter_set hchk_counters;

/* Encode m into buf (HCHK_LEN bytes at least); returns HCHK_LEN or
 * HN_EINVAL (buffer too small, a field out of range). */
int hchk_encode(const struct hchk_msg *m, uint8_t *buf, size_t len);
/* Decode buf[0..len) (borrowed) into m: -1 and m filled when valid, else
 * the drop reason (enum hchk_drop, >= 0). */
int hchk_decode(const uint8_t *buf, size_t len, struct hchk_msg *m);

/* The prober's view of one replica: its counts and verdict.  Pure state. */
struct hchk_target {
	uint32_t origin, hs;
	uint16_t port;
	uint8_t proto;
	bool down;                /* marked down */
	bool pending;             /* a probe awaits its answer */
	uint32_t seq;             /* of that probe */
	uint64_t fails, oks;      /* in a row */
};

/* Apply a probe's result to t: returns +1 when t just went up, -1 when it
 * just went down, 0 otherwise (counted in st). */
int hchk_target_result(struct hchk_target *t, bool ok, const struct hchk_config *cfg,
		       struct hchk_stats *st);

struct sim_node;
struct redir;
struct hsrv;
struct hchk;

/* A prober on a redirector node, probing r's table as cfg says (enabled).
 * NULL on bad config (timeout not below interval, fall or rise 0). */
struct hchk *hchk_prober_new(struct sim_node *node, struct redir *r, const struct hchk_config *cfg);
/* A responder on a host server node, answering for hs's virtual hosts. */
struct hchk *hchk_responder_new(struct sim_node *node, struct hsrv *hs);
/* The prober's node crashed (down) or restarted: while down it sends no
 * probe and marks nothing; either way it forgets every replica (they start
 * up). */
void hchk_set_down(struct hchk *h, bool down);
void hchk_free(struct hchk *h);
const struct hchk_stats *hchk_stats(const struct hchk *h);
const char *hchk_drop_name(enum hchk_drop d);
#endif
