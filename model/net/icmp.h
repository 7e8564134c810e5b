/* icmp.h - ICMP destination unreachable, fragmentation needed, built byte
 * by byte about a datagram that could not be forwarded.
 *
 * Governs: RFC 792 (Destination Unreachable: type 3, code 4 "fragmentation
 * needed and DF set"; the message quotes the internet header and at least
 * 64 bits of the original data), RFC 1191 section 4 (the low 16 bits of the
 * unused word carry the Next-Hop MTU), RFC 1812 section 4.3.2.3 (a router
 * quotes as much of the original datagram as fits in 576 bytes of ICMP
 * datagram; Linux icmp_send does the same), RFC 1122 section 3.2.2 (never
 * about an ICMP error message, a non-initial fragment, or a datagram whose
 * source is not a unicast address).  Outer header as Linux 6.1's icmp_send
 * and icmp_push_reply fill it: TOS = (original TOS & 0x1e) | 0xc0 (RT_TOS
 * and IPTOS_PREC_INTERNETCONTROL), TTL 64 (sysctl ip_default_ttl), DF clear
 * (the ICMP socket's pmtudisc is IP_PMTUDISC_DONT), identification from the
 * caller's counter.  Not here: rate limiting (the caller's). */
#ifndef NET_ICMP_H
#define NET_ICMP_H
#include <stddef.h>
#include <stdint.h>

#define ICMP_DEST_UNREACH 3
#define ICMP_FRAG_NEEDED 4
#define ICMP_HDR_LEN 8
#define ICMP_ERROR_MAX 576   /* RFC 1812 4.3.2.3: ICMP error datagram at most 576 bytes */
#define ICMP_DEFAULT_TTL 64  /* Linux sysctl net.ipv4.ip_default_ttl */

/* Build into out the ICMP fragmentation-needed datagram, from src to the
 * source of dg (a valid datagram, borrowed), reporting next-hop MTU mtu.
 * Returns HN_OK and sets *out_len, or HN_EPROTO (dg is an ICMP error
 * message, or not of an ICMP type that may be answered), HN_EFRAG (dg is a
 * non-initial fragment), HN_EINVAL (dg's source is 0, broadcast, multicast
 * or class E; NULL argument), HN_ENOSPC (cap below what is built), or a
 * decode error of dg. */
int icmp_frag_needed(const uint8_t *dg, size_t len, uint32_t src, uint16_t mtu, uint16_t id,
		     uint8_t *out, size_t cap, size_t *out_len);
#endif
