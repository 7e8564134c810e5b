/* frag.h - RFC 791 fragmentation of one IPv4 datagram to an MTU.
 *
 * Governs: RFC 791 section 3.2 ("Fragmentation and Reassembly") and the
 * per-option "copied" flag of section 3.1.  Not here: reassembly (reass.h),
 * path MTU discovery, ICMP generation (the caller decides what to do when
 * DF forbids fragmenting). */
#ifndef NET_FRAG_H
#define NET_FRAG_H
#include <stddef.h>
#include <stdint.h>

#include "counter.h"

/* Counters and drop reasons: C(field, metric, doc), D(reason, name, doc)
 * (counter.h); drops are stored as metric drop.frag_NAME. */
#define IPV4_FRAG_STATS(C, D) \
	C(datagrams, "frag_datagrams", "datagrams offered to the fragmenter") \
	C(fitted, "frag_fitted", "datagrams that already fit the MTU: emitted whole") \
	C(fragmented, "frag_fragmented", "datagrams cut into fragments") \
	C(fragments, "frag_fragments", "fragments emitted by cutting") \
	D(DF, "df", "too big and DF set: refused") \
	D(MTU, "mtu", "MTU cannot carry a header and 8 bytes") \
	D(BAD, "bad", "input is not a valid datagram") \
	D(EMIT, "emit", "the emit callback failed") \
	D(NOSPC, "nospc", "scratch space smaller than the MTU")

#define IPV4_FRAG_DROP_ENUM(e, name, doc) IPV4_FRAG_DROP_##e,
enum ipv4_frag_drop { IPV4_FRAG_STATS(COUNTER_SKIP, IPV4_FRAG_DROP_ENUM) IPV4_FRAG_NDROP };

/* Counters of one fragmenter (per redirector, never global). */
struct ipv4_frag_stats {
	IPV4_FRAG_STATS(COUNTER_FIELD, COUNTER_SKIP)
	uint64_t drops[IPV4_FRAG_NDROP];   /* by enum ipv4_frag_drop */
};

/* The descriptors of every counter above. */
extern const struct counter_set ipv4_frag_counters;

/* Receives each fragment; borrows frag for the duration of the call.
 * Returns HN_OK or a negative status (counted as IPV4_FRAG_DROP_EMIT and
 * stops fragmenting). */
typedef int (*ipv4_emit_fn)(void *ctx, const uint8_t *frag, size_t len);

/* Cut dg (a valid datagram, possibly itself a fragment) into fragments of
 * at most mtu bytes and hand each to emit, in offset order.  Data per
 * fragment is a multiple of 8 except in the last; offsets are in 8-byte
 * units relative to the original datagram; MF is set on all but the last
 * (and on the last too when dg itself had MF set).  Options whose copied
 * flag is set go into every fragment, the others only into the first
 * (RFC 791 section 3.1).  scratch (at least mtu bytes) holds the fragment
 * being built; it is only needed when dg does not fit.  Borrows dg.  Returns
 * the number of datagrams emitted (1 when dg fits), or HN_EDF / HN_EMTU /
 * HN_ENOSPC (scratch_cap < mtu) / a decode error / HN_EINVAL (malformed
 * option list) / HN_EOFFSET (dg's offset + data past 65535) / the status
 * emit returned; every refusal is counted in st (st may be NULL: nothing is
 * counted).  When emit fails part-way, the fragments already emitted stay
 * counted in st->fragments and st->fragmented is not incremented. */
int ipv4_fragment(const uint8_t *dg, size_t len, size_t mtu,
		  uint8_t *scratch, size_t scratch_cap,
		  ipv4_emit_fn emit, void *ctx, struct ipv4_frag_stats *st);

const char *ipv4_frag_drop_name(enum ipv4_frag_drop d);
#endif
