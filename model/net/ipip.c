/* ipip.c - RFC 2003 IP-in-IP encapsulation and decapsulation.
 *
 * Governs: RFC 2003 section 3 (the outer header is inserted in front of the
 * unchanged inner datagram), 3.1 (outer header fields, TTL rules), 4
 * (routing failures: no tunnelling back to the source) and 5.1 (tunnel MTU
 * and DF: the outer DF copies the inner one, fragmenting is frag.c's job).
 * Each rule is cited where it is applied.  Caller-owned buffers only.
 * Not here: fragmenting the outer datagram (frag.c), reassembling it
 * (reass.c), ICMP messages back to the source. */
#include "net/ipip.h"

#include <string.h>

#include "net/bytes.h"
#include "net/ipv4.h"
#include "status.h"

int ipip_encap(const uint8_t *inner, size_t ilen,
	       const struct ipip_encap_params *p,
	       uint8_t *out, size_t cap, size_t *out_len)
{
	if (!inner || !p || !out || !out_len)
		return HN_EINVAL;
	struct ipv4_hdr in;
	int rc = ipv4_decode(inner, ilen, &in);
	if (rc < 0)
		return rc;

	/* RFC 2003 3.1: a datagram whose inner TTL is 0 is never
	 * encapsulated; when tunnelling is part of forwarding the inner TTL
	 * is decremented first, and a result of 0 means discard (the caller
	 * may send ICMP Time Exceeded). */
	if (in.ttl == 0 || (p->forwarding && in.ttl == 1))
		return HN_ETTL;
	/* RFC 2003 section 4: an encapsulator must not tunnel a datagram back
	 * to the node it came from (inner source == tunnel exit): that would
	 * loop. */
	if (in.src == p->dst)
		return HN_ELOOP;

	size_t total = IPIP_OUTER_LEN + (size_t)in.total_len;
	if (total > IPV4_MAX_LEN)
		return HN_ELEN;
	if (cap < total)
		return HN_ENOSPC;

	/* RFC 2003 3: the inner datagram follows the outer header unchanged
	 * (memmove: the caller may have placed it at out + 20 already). */
	memmove(out + IPIP_OUTER_LEN, inner, in.total_len);
	if (p->forwarding) {
		/* RFC 2003 3.1: inner TTL decremented by one when tunnelling
		 * is part of forwarding; its checksum follows (RFC 791 3.1). */
		out[IPIP_OUTER_LEN + 8] = (uint8_t)(in.ttl - 1);
		ipv4_update_checksum(out + IPIP_OUTER_LEN);
	}

	struct ipv4_hdr o = {
		.tos = in.tos,                 /* RFC 2003 3.1: TOS copied */
		.total_len = (uint16_t)total,  /* RFC 2003 3.1: outer + inner */
		.id = p->id,                   /* RFC 2003 3.1 / RFC 791 */
		.df = in.df,                   /* RFC 2003 3.1 and 5.1: DF copied */
		.mf = false,
		.frag_off = 0,
		/* RFC 2003 3.1: TTL "appropriate for delivery to the tunnel
		 * exit"; default from RFC 1700 (64). */
		.ttl = p->ttl ? p->ttl : IPIP_DEFAULT_TTL,
		.proto = IPV4_PROTO_IPIP,      /* RFC 2003 3.1: protocol 4 */
		.src = p->src,                 /* RFC 2003 3.1: tunnel entry */
		.dst = p->dst,                 /* RFC 2003 3.1: tunnel exit */
	};
	rc = ipv4_encode(&o, out, cap);
	if (rc < 0)
		return rc;
	*out_len = total;
	return HN_OK;
}

int ipip_decap(const uint8_t *buf, size_t len,
	       size_t *inner_off, size_t *inner_len)
{
	if (!buf || !inner_off || !inner_len)
		return HN_EINVAL;
	struct ipv4_hdr o, in;
	int rc = ipv4_decode(buf, len, &o);
	if (rc < 0)
		return rc;
	/* RFC 2003 3.1: the outer Protocol field is 4 for IP in IP. */
	if (o.proto != IPV4_PROTO_IPIP)
		return HN_EPROTO;
	/* RFC 791 3.2: a fragment must be reassembled before its payload is
	 * interpreted. */
	if (ipv4_is_fragment(&o))
		return HN_EFRAG;

	size_t ioff = o.hdr_len;
	size_t avail = (size_t)o.total_len - ioff;
	rc = ipv4_decode(buf + ioff, avail, &in);
	if (rc < 0)
		return rc;
	/* RFC 2003 3: the outer payload is exactly the inner datagram; a
	 * shorter inner total length would leave unexplained bytes. */
	if (in.total_len != avail)
		return HN_ELEN;
	/* RFC 2003 3.1: the inner TTL is not changed on decapsulation, and
	 * an inner datagram whose TTL is 0 is discarded (MUST). */
	if (in.ttl == 0)
		return HN_ETTL;
	*inner_off = ioff;
	*inner_len = in.total_len;
	return HN_OK;
}
