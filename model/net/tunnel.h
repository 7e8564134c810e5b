/* tunnel.h - an IP-in-IP tunnel's transmit rule: outer TTL, TOS and DF, and
 * where fragmentation happens, as a Linux ipip device configures them.
 *
 * Governs: RFC 2003 sections 3.1 (outer header fields) and 5.1 (tunnel MTU,
 * DF), RFC 791 section 3.2 (fragmentation), RFC 6040 section 4.1 (ECN on
 * encapsulation, normal mode).  The rule is Linux 6.1's: ip_forward ->
 * ip_fragment (net/ipv4/ip_output.c) to the tunnel device's MTU, then
 * ip_tunnel_xmit / tnl_update_pmtu (net/ipv4/ip_tunnel.c) and
 * iptunnel_xmit (net/ipv4/ip_tunnel_core.c).  The exact rule, with T the
 * tunnel MTU (link MTU - 20, ip_tunnel_bind_dev's dev->mtu - t_hlen):
 *
 *  1. The inner TTL is decremented (we forward it; RFC 2003 3.1, Linux
 *     ip_forward); an inner TTL of 0 or 1 is refused (HN_ETTL).
 *  2. An inner datagram longer than T with DF set is refused: HN_EDF with
 *     frag_needed = T, the next-hop MTU of the ICMP "fragmentation needed"
 *     the caller answers (tnl_update_pmtu: mtu = dst_mtu - 20 when the outer
 *     DF is or would be set, and the inner DF is always copied; ip_forward's
 *     ip_exceeds_mtu for a device MTU of T).  Whatever the modes below.
 *  3. fragment = inner: the inner datagram is cut (RFC 791, as ip_fragment)
 *     to T, and each piece (or the whole datagram when it fits) is
 *     encapsulated alone, with its own outer identification: every outer
 *     datagram fits the link.  This is a Linux ipip device with its
 *     default MTU (link - 20), pmtudisc or not.
 *     fragment = outer: the whole inner datagram is encapsulated, and the
 *     outer one is cut to the link MTU (RFC 791): a Linux device with `mtu
 *     1500` over a 1500-byte link and `nopmtudisc` (outer DF copied).  With
 *     the outer DF always set, an outer datagram too big for the link
 *     cannot be cut and is refused (HN_EDF, frag_needed 0: the inner sender
 *     did not ask for DF, so no ICMP goes back; Linux's ip_fragment refuses
 *     it the same way and tells only the tunnel itself).
 *  4. Outer header (RFC 2003 3.1; iptunnel_xmit): protocol 4, source the
 *     tunnel entry, destination the exit, identification from the caller's
 *     counter, one per outer datagram (Linux draws it from a hash of the
 *     destination, __ip_select_ident: a counter per redirector is the
 *     model's simplification); TTL fixed, or inherited from the inner TTL
 *     after the decrement (Linux `ttl inherit`, ttl 0); TOS copied from the
 *     inner one (`tos inherit`) or fixed, and in both its ECN field set by
 *     RFC 6040 normal mode (Linux INET_ECN_encapsulate: the inner ECN, CE
 *     sent as ECT(0)); DF copied from the inner header (`nopmtudisc`) or
 *     always set (`pmtudisc`, Linux's default).
 *
 * Note: Linux's iproute2 refuses a fixed TTL with `nopmtudisc` ("ttl != 0
 * and nopmtudisc are incompatible"); the model allows every combination.
 * Caller-owned buffers only (struct tunnel_buf); nothing is allocated. */
#ifndef NET_TUNNEL_H
#define NET_TUNNEL_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "net/frag.h"
#include "net/ipv4.h"

enum tunnel_ttl { TUNNEL_TTL_FIXED, TUNNEL_TTL_INHERIT };
enum tunnel_tos { TUNNEL_TOS_COPY, TUNNEL_TOS_FIXED };
enum tunnel_df { TUNNEL_DF_COPY, TUNNEL_DF_SET };
enum tunnel_frag { TUNNEL_FRAG_OUTER, TUNNEL_FRAG_INNER };

/* A tunnel's configuration (the enums are int-sized: scenario keys). */
struct tunnel_mode {
	enum tunnel_ttl ttl_mode;
	uint8_t ttl;            /* TUNNEL_TTL_FIXED: the outer TTL (0: 64, RFC 2003 3.1) */
	enum tunnel_tos tos_mode;
	uint8_t tos;            /* TUNNEL_TOS_FIXED: the outer TOS (its ECN bits per rule 4) */
	enum tunnel_df df_mode;
	enum tunnel_frag frag;
};

/* Work space of one tunnel (large: keep it in a long-lived struct). */
struct tunnel_buf {
	uint8_t inner[IPV4_MAX_LEN];                 /* inner, TTL decremented (fragment =
						      * inner, or refused by rule 2: the
						      * datagram to quote in the ICMP) */
	uint8_t piece[IPV4_MAX_LEN];                 /* inner fragment being built */
	uint8_t outer[IPV4_MAX_LEN + 20];            /* encapsulated datagram */
	uint8_t frag[IPV4_MAX_LEN];                  /* outer fragment being built */
};

/* What one tunnel_xmit did. */
struct tunnel_result {
	unsigned encapsulated;  /* outer datagrams built (inner pieces) */
	unsigned emitted;       /* datagrams handed to emit (fragments included) */
	unsigned inner_pieces;  /* > 1: the inner datagram was cut (fragment = inner) */
	unsigned outer_pieces;  /* > 1: the outer datagram was cut (fragment = outer) */
	uint16_t frag_needed;   /* HN_EDF by rule 2: the next-hop MTU to report; else 0 */
};

/* Tunnel the datagram inner (borrowed, valid, being forwarded) from src to
 * dst over a link of MTU link_mtu by the rule above, handing each outer
 * datagram or fragment to emit; *next_id is the outer identification
 * counter (incremented per outer datagram).  Fragmentation is counted in fst
 * (may be NULL).  Returns HN_OK, or HN_ETTL, HN_EDF (see res->frag_needed),
 * HN_ELOOP (inner source is dst), HN_EMTU (link_mtu cannot carry a header
 * and 8 bytes after the tunnel header), a decode error of inner, or the
 * status emit returned (datagrams already emitted stay emitted). */
int tunnel_xmit(const uint8_t *inner, size_t ilen, const struct tunnel_mode *m, uint32_t src,
		uint32_t dst, size_t link_mtu, uint16_t *next_id, struct tunnel_buf *buf,
		ipv4_emit_fn emit, void *ctx, struct ipv4_frag_stats *fst,
		struct tunnel_result *res);

/* RFC 6040 section 4.1 (normal mode), Linux INET_ECN_encapsulate: the outer
 * TOS byte from the TOS wanted and the inner one's ECN field. */
uint8_t tunnel_ecn_encap(uint8_t outer_tos, uint8_t inner_tos);
#endif
