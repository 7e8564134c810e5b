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

/* A zero field means "no limit" (timeout_ns == 0: never expires). */
struct ipv4_reass_limits {
	size_t max_datagrams;  /* datagrams under reassembly at once */
	size_t max_bytes;      /* fragment payload bytes held at once (new
				* bytes only: trimmed overlaps do not count) */
	uint64_t timeout_ns;   /* a datagram not complete this long after its
				* first fragment arrived is dropped */
};

enum ipv4_reass_drop {
	IPV4_REASS_DROP_BAD_HEADER,   /* header fails ipv4_decode */
	IPV4_REASS_DROP_ZERO_LEN,     /* fragment carries no data */
	IPV4_REASS_DROP_BAD_LEN,      /* non-last fragment not a multiple of 8 */
	IPV4_REASS_DROP_OFFSET,       /* offset + length past 65535 */
	IPV4_REASS_DROP_DUPLICATE,    /* adds no new data */
	IPV4_REASS_DROP_BAD_END,      /* conflicts with the known datagram end */
	IPV4_REASS_DROP_MAX_DATAGRAMS,/* datagram limit reached */
	IPV4_REASS_DROP_MAX_BYTES,    /* byte limit reached */
	IPV4_REASS_DROP_TIMEOUT,      /* incomplete datagram timed out (its fragments) */
	IPV4_REASS_DROP_NOSPC,        /* caller's output buffer too small */
	IPV4_REASS_DROP_NOMEM,        /* allocation failed */
	IPV4_REASS_NDROP
};

struct ipv4_reass_stats {
	uint64_t fragments;           /* fragments offered (inputs that decode
				       * and are fragments; bad headers and
				       * whole datagrams are not counted here) */
	uint64_t reassembled;         /* datagrams completed */
	uint64_t overlaps_trimmed;    /* fragments that had overlapping bytes trimmed */
	uint64_t drops[IPV4_REASS_NDROP];   /* fragments dropped, by reason */
	uint64_t datagrams_timed_out; /* datagrams discarded by the timeout */
	size_t held_datagrams;        /* now under reassembly */
	size_t held_bytes;            /* payload bytes now held */
};

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
