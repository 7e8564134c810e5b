/* ipip.h - RFC 2003 IP-in-IP encapsulation and decapsulation.
 *
 * Governs: RFC 2003 sections 3.1 (outer header fields), 4 (routing
 * failures, loops) and 5.1 (tunnel MTU and DF).  Each rule is cited where it
 * is applied in ipip.c.  Not here: fragmenting the outer datagram (frag.h),
 * reassembling it (reass.h), ICMP messages back to the source. */
#ifndef NET_IPIP_H
#define NET_IPIP_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define IPIP_OUTER_LEN 20         /* outer header, no options */
#define IPIP_DEFAULT_TTL 64       /* RFC 2003 3.1 -> RFC 1700 default TTL */

/* How the encapsulator fills the outer header. */
struct ipip_encap_params {
	uint32_t src;        /* tunnel entry (the encapsulator's address) */
	uint32_t dst;        /* tunnel exit (the host server) */
	uint16_t id;         /* outer identification: the caller's counter */
	uint8_t ttl;         /* outer TTL; 0 means IPIP_DEFAULT_TTL */
	bool forwarding;     /* encapsulating while forwarding: inner TTL -1 */
};

/* Encapsulate the valid datagram inner (borrowed) into out: a 20-byte outer
 * header followed by inner.  Outer TOS and DF are copied from the inner
 * header.  inner may lie inside out (e.g. already at out + 20): it is moved,
 * not copied.  Returns HN_OK and sets *out_len, or HN_ETTL (inner TTL is 0,
 * or forwarding and the inner TTL would reach 0; RFC 2003 3.1), HN_ELOOP (inner source is the tunnel exit),
 * HN_ELEN (result past 65535), HN_ENOSPC, or a decode error of inner. */
int ipip_encap(const uint8_t *inner, size_t ilen,
	       const struct ipip_encap_params *p,
	       uint8_t *out, size_t cap, size_t *out_len);

/* Validate the whole (reassembled) outer datagram buf and locate the inner
 * one: *inner_off and *inner_len index into buf (borrowed, zero copy).
 * Returns HN_OK, or HN_EPROTO (outer protocol is not 4), HN_EFRAG (outer is
 * a fragment: reassemble first), HN_ETTL (inner TTL is 0), or a decode
 * error of the outer or the inner header. */
int ipip_decap(const uint8_t *buf, size_t len,
	       size_t *inner_off, size_t *inner_len);
#endif
