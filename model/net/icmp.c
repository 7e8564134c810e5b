/* icmp.c - ICMP fragmentation needed; see icmp.h for the rules and their
 * sources (RFC 792, 1191 section 4, 1812 section 4.3.2.3, 1122 section
 * 3.2.2, Linux 6.1 net/ipv4/icmp.c). */
#include "net/icmp.h"

#include <string.h>

#include "net/bytes.h"
#include "net/ipv4.h"
#include "status.h"

#define TOS_MASK 0x1e            /* Linux RT_TOS: tos & IPTOS_TOS_MASK (0x1e) */
#define TOS_INTERNETCONTROL 0xc0 /* RFC 791 precedence 110, Linux IPTOS_PREC_INTERNETCONTROL */

/* RFC 1122 3.2.2: ICMP error types (never answered with an error). */
static int icmp_is_error(uint8_t type)
{
	return type == 3 || type == 4 || type == 5 || type == 11 || type == 12;
}

int icmp_frag_needed(const uint8_t *dg, size_t len, uint32_t src, uint16_t mtu, uint16_t id,
		     uint8_t *out, size_t cap, size_t *out_len)
{
	if (!dg || !out || !out_len)
		return HN_EINVAL;
	struct ipv4_hdr h;
	int rc = ipv4_decode(dg, len, &h);
	if (rc < 0)
		return rc;
	/* RFC 1122 3.2.2: not about a fragment other than the first. */
	if (h.frag_off != 0)
		return HN_EFRAG;
	/* RFC 1122 3.2.2: not about an ICMP error message (nor one whose
	 * type cannot be read). */
	if (h.proto == IPV4_PROTO_ICMP &&
	    (h.total_len <= h.hdr_len || icmp_is_error(dg[h.hdr_len])))
		return HN_EPROTO;
	/* RFC 1122 3.2.2: not when the source does not name one host (0,
	 * limited broadcast, multicast 224/4, class E 240/4). */
	if (h.src == 0 || (h.src >> 28) >= 0xe)
		return HN_EINVAL;

	/* RFC 1812 4.3.2.3: as much of the original as fits in 576 bytes. */
	size_t quote = h.total_len;
	if (quote > ICMP_ERROR_MAX - IPV4_HDR_MIN - ICMP_HDR_LEN)
		quote = ICMP_ERROR_MAX - IPV4_HDR_MIN - ICMP_HDR_LEN;
	size_t total = IPV4_HDR_MIN + ICMP_HDR_LEN + quote;
	if (cap < total)
		return HN_ENOSPC;

	struct ipv4_hdr o = {
		.tos = (uint8_t)((h.tos & TOS_MASK) | TOS_INTERNETCONTROL),
		.total_len = (uint16_t)total,
		.id = id,
		.df = false,
		.ttl = ICMP_DEFAULT_TTL,
		.proto = IPV4_PROTO_ICMP,
		.src = src,
		.dst = h.src,
	};
	rc = ipv4_encode(&o, out, cap);
	if (rc < 0)
		return rc;
	uint8_t *m = out + IPV4_HDR_MIN;
	m[0] = ICMP_DEST_UNREACH;   /* RFC 792 */
	m[1] = ICMP_FRAG_NEEDED;
	net_put16(m + 2, 0);
	net_put16(m + 4, 0);        /* RFC 1191 4: unused, zero */
	net_put16(m + 6, mtu);      /* RFC 1191 4: Next-Hop MTU */
	memcpy(m + ICMP_HDR_LEN, dg, quote);
	/* RFC 792: checksum of the ICMP message, type onward. */
	net_put16(m + 2, ipv4_checksum(m, ICMP_HDR_LEN + quote));
	*out_len = total;
	return HN_OK;
}
