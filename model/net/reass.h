/* reass.h - RFC 791 reassembly of IPv4 fragments, with limits and timeout.
 *
 * Governs: RFC 791 section 3.2 (reassembly by (src, dst, proto, id)),
 * RFC 1122 section 3.3.2 (reassembly timeout).  Overlaps are trimmed so that
 * data already held wins (as FreeBSD ip_reass.c does); duplicates are
 * dropped.  Each instance owns its state: one per host server, never global.
 * Not here: validation of the reassembled payload (the caller's job). */
#ifndef NET_REASS_H
#define NET_REASS_H
#include <stddef.h>
#include <stdint.h>

#include "counter.h"

/* A zero field means "no limit" (timeout_ns == 0: never expires). */
struct ipv4_reass_limits {
	size_t max_datagrams;  /* datagrams under reassembly at once */
	size_t max_bytes;      /* fragment payload bytes held at once (new
				* bytes only: trimmed overlaps do not count) */
	uint64_t timeout_ns;   /* a datagram not complete this long after its
				* first fragment arrived is dropped */
};

/* Counters and drop reasons: C(field, metric, doc), D(reason, name, doc)
 * (counter.h); drops are stored as metric drop.reass_NAME. */
#define IPV4_REASS_STATS(C, D) \
	C(fragments, "outer_fragments_in", "fragments offered for reassembly (at a host server: outer fragments of tunnelled datagrams)") \
	C(reassembled, "reass_datagrams", "datagrams completed by reassembly") \
	C(overlaps_trimmed, "reass_overlaps_trimmed", "fragments whose overlapping bytes were trimmed") \
	C(datagrams_timed_out, "reass_timed_out", "datagrams discarded by the reassembly timeout") \
	D(BAD_HEADER, "bad_header", "header fails ipv4_decode") \
	D(ZERO_LEN, "zero_len", "fragment carries no data") \
	D(BAD_LEN, "bad_len", "non-last fragment not a multiple of 8 bytes") \
	D(OFFSET, "offset", "offset + length past 65535") \
	D(DUPLICATE, "duplicate", "adds no new data") \
	D(BAD_END, "bad_end", "conflicts with the known end of the datagram") \
	D(MAX_DATAGRAMS, "max_datagrams", "datagram limit reached") \
	D(MAX_BYTES, "max_bytes", "byte limit reached") \
	D(TIMEOUT, "timeout", "incomplete datagram timed out (counted per fragment)") \
	D(NOSPC, "nospc", "caller's output buffer too small") \
	D(NOMEM, "nomem", "allocation failed")

#define IPV4_REASS_DROP_ENUM(e, name, doc) IPV4_REASS_DROP_##e,
enum ipv4_reass_drop { IPV4_REASS_STATS(COUNTER_SKIP, IPV4_REASS_DROP_ENUM) IPV4_REASS_NDROP };

struct ipv4_reass_stats {
	IPV4_REASS_STATS(COUNTER_FIELD, COUNTER_SKIP)
	uint64_t drops[IPV4_REASS_NDROP];   /* by enum ipv4_reass_drop */
	size_t held_datagrams;        /* now under reassembly (a level) */
	size_t held_bytes;            /* payload bytes now held (a level) */
};

/* The descriptors of every counter above. */
extern const struct counter_set ipv4_reass_counters;

struct ipv4_reass;

/* Returns a new, empty reassembler or NULL when out of memory.  lim is
 * copied; NULL means defaults (64 datagrams, 64 * 65535 bytes, 60 s, after
 * RFC 1122 section 3.3.2). */
struct ipv4_reass *ipv4_reass_new(const struct ipv4_reass_limits *lim);

/* Frees r and everything it holds; NULL is allowed. */
void ipv4_reass_free(struct ipv4_reass *r);

/* Offer one datagram at time now_ns.  Borrows frag.  Expired datagrams are
 * discarded first.  When frag is not a fragment it is copied to out whole
 * and 1 is returned.  When frag completes a datagram, the datagram is
 * written to out (header of the offset-0 fragment with MF clear, offset 0,
 * new total length and checksum), *out_len is set, its state is freed and 1
 * is returned.  Returns 0 when the fragment is held, or a negative status
 * when it was dropped (and counted by reason): a decode error (BAD_HEADER),
 * HN_ELEN (ZERO_LEN, BAD_LEN, BAD_END), HN_EOFFSET (OFFSET: offset*8 + len
 * past 65535, or the offset-0 header plus the known end past 65535),
 * HN_EEXIST (DUPLICATE), HN_ELIMIT (MAX_DATAGRAMS, MAX_BYTES), HN_ENOSPC
 * (NOSPC: when completing, every fragment of the datagram is counted and
 * its state freed), HN_ENOMEM (NOMEM), or HN_EINVAL (NULL argument; not
 * counted). */
int ipv4_reass_input(struct ipv4_reass *r, const uint8_t *frag, size_t len,
		     uint64_t now_ns, uint8_t *out, size_t cap, size_t *out_len);

/* Discard datagrams whose timer ran out by now_ns; returns how many. */
size_t ipv4_reass_expire(struct ipv4_reass *r, uint64_t now_ns);

const struct ipv4_reass_stats *ipv4_reass_stats(const struct ipv4_reass *r);
const char *ipv4_reass_drop_name(enum ipv4_reass_drop d);
#endif
