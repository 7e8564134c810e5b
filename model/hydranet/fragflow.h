/* fragflow.h - a verdict per fragmented datagram, found by (src, dst, proto, id).
 *
 * Only the first fragment of a datagram carries the transport ports, so a
 * module that decides on ports (the redirector, the host server's port check)
 * decides once, on the fragment at offset 0, and applies the same verdict to
 * the other fragments of that datagram, which it finds by the reassembly key
 * of RFC 791 section 3.2.  Fragments that arrive before the first one are held
 * (copied, bounded) and released when the verdict is known, or dropped and
 * counted when it does not come in time.  Each owner has its own table; there
 * is no global state.  Not here: the verdicts' meaning, reassembly. */
#ifndef HN_FRAGFLOW_H
#define HN_FRAGFLOW_H
#include <stddef.h>
#include <stdint.h>

#include "counter.h"
#include "param.h"
#include "net/ipv4.h"

struct fragflow_limits {
	size_t max_flows;          /* verdicts remembered at once */
	size_t max_held_bytes;     /* bytes of early fragments held at once */
	uint64_t lifetime_ns;      /* a verdict or held fragment lives this long */
};

/* Counters and drop reasons: C(field, metric, doc), D(reason, name, doc)
 * (counter.h); drops are stored as metric drop.NAME. */
#define FRAGFLOW_STATS(C, D) \
	C(decided, "inner_frags_decided", "verdicts recorded for fragmented datagrams (their first fragments)") \
	C(matched, "inner_frags_matched", "later inner fragments that found their first fragment's verdict") \
	C(held, "inner_frags_held", "inner fragments held, waiting for their first") \
	C(released, "inner_frags_released", "held fragments released with a verdict") \
	D(NO_FIRST, "frag_no_first", "held fragment: its first fragment never came") \
	D(HOLD_LIMIT, "frag_hold_limit", "no room to hold an early fragment") \
	D(FLOW_LIMIT, "frag_flow_limit", "no room to remember a verdict")

#define FRAGFLOW_DROP_ENUM(e, name, doc) FRAGFLOW_DROP_##e,
enum fragflow_drop { FRAGFLOW_STATS(COUNTER_SKIP, FRAGFLOW_DROP_ENUM) FRAGFLOW_NDROP };

struct fragflow_stats {
	FRAGFLOW_STATS(COUNTER_FIELD, COUNTER_SKIP)
	uint64_t drops[FRAGFLOW_NDROP];   /* by enum fragflow_drop */
	size_t flows;              /* verdicts now remembered (a level, not a counter) */
	size_t held_bytes;         /* bytes now held (a level) */
};

/* The descriptors of every counter above. */
extern const struct counter_set fragflow_counters;

/* Keys of the early-fragment limits in [node NAME] (redirectors and host
 * servers), into struct fragflow_limits (fragflow_params.c, data only). */
extern const struct param_def fragflow_params[];
extern const size_t fragflow_nparams;

/* Receives a held fragment (borrowed for the call) with its verdict. */
typedef void (*fragflow_release_fn)(void *ctx, const uint8_t *frag, size_t len,
				    uint32_t verdict);

struct fragflow;

struct fragflow *fragflow_new(const struct fragflow_limits *lim);
void fragflow_free(struct fragflow *f);

/* Record verdict for the datagram whose first fragment has header h, and
 * release the fragments held for it through release(ctx, ...).  Returns
 * HN_OK or HN_ELIMIT (table full: counted; held fragments still released). */
int fragflow_decide(struct fragflow *f, const struct ipv4_hdr *h, uint32_t verdict,
		    uint64_t now_ns, fragflow_release_fn release, void *ctx);

/* Find the verdict for the non-first fragment h: 1 with *verdict set, or 0. */
int fragflow_lookup(struct fragflow *f, const struct ipv4_hdr *h, uint64_t now_ns,
		    uint32_t *verdict);

/* Hold a copy of the fragment (frag, len) until its verdict is known.
 * Returns HN_OK or HN_ELIMIT / HN_ENOMEM (dropped and counted). */
int fragflow_hold(struct fragflow *f, const struct ipv4_hdr *h,
		  const uint8_t *frag, size_t len, uint64_t now_ns);

/* Forget verdicts and drop held fragments older than their lifetime;
 * returns the number of held fragments dropped. */
size_t fragflow_expire(struct fragflow *f, uint64_t now_ns);

/* Time of the earliest expiry, or UINT64_MAX when nothing is held. */
uint64_t fragflow_next_expiry(const struct fragflow *f);

const struct fragflow_stats *fragflow_stats(const struct fragflow *f);
const char *fragflow_drop_name(enum fragflow_drop d);
#endif
