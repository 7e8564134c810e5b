/* tunnel.c - an IP-in-IP tunnel's transmit rule; see tunnel.h for the rule
 * and its sources (Linux 6.1 ip_tunnel_xmit / tnl_update_pmtu /
 * ip_fragment, RFC 2003 3.1 and 5.1, RFC 791 3.2, RFC 6040 4.1). */
#include "net/tunnel.h"

#include <string.h>

#include "net/bytes.h"
#include "net/ipip.h"
#include "status.h"

#define ECN_MASK 0x03u   /* RFC 3168 section 5: the low two bits of TOS */
#define ECN_ECT0 0x02u
#define ECN_CE 0x03u
#define FLAG_DF 0x4000u

uint8_t tunnel_ecn_encap(uint8_t outer_tos, uint8_t inner_tos)
{
	/* RFC 6040 4.1 normal mode / INET_ECN_encapsulate: the inner ECN
	 * field is copied, except CE, which is sent as ECT(0). */
	uint8_t ecn = (inner_tos & ECN_MASK) == ECN_CE ? ECN_ECT0 : (uint8_t)(inner_tos & ECN_MASK);
	return (uint8_t)((outer_tos & ~ECN_MASK) | ecn);
}

struct xmit {
	const struct tunnel_mode *m;
	uint32_t src, dst;
	size_t link_mtu;
	uint16_t *next_id;
	struct tunnel_buf *buf;
	ipv4_emit_fn emit;
	void *ctx;
	struct ipv4_frag_stats *fst;
	struct tunnel_result *res;
};

/* Encapsulate dg (the inner datagram or one of its pieces, TTL already
 * decremented) into buf->outer and set the outer fields by rule 4. */
static int encap(struct xmit *x, const uint8_t *dg, size_t len, bool forwarding, size_t *olen)
{
	struct ipip_encap_params p = {
		.src = x->src,
		.dst = x->dst,
		.id = (*x->next_id)++,
		.ttl = x->m->ttl,
		.forwarding = forwarding,   /* decrement here, or already done */
	};
	int rc = ipip_encap(dg, len, &p, x->buf->outer, sizeof x->buf->outer, olen);
	if (rc != HN_OK)
		return rc;
	uint8_t *o = x->buf->outer;
	const uint8_t *in = o + IPIP_OUTER_LEN;
	if (x->m->ttl_mode == TUNNEL_TTL_INHERIT)
		o[8] = in[8];   /* Linux ip_tunnel_xmit: ttl = inner_iph->ttl */
	uint8_t tos = x->m->tos_mode == TUNNEL_TOS_FIXED ? x->m->tos : in[1];
	o[1] = tunnel_ecn_encap(tos, in[1]);
	if (x->m->df_mode == TUNNEL_DF_SET)
		net_put16(o + 6, (uint16_t)(net_get16(o + 6) | FLAG_DF));
	ipv4_update_checksum(o);
	x->res->encapsulated++;
	return HN_OK;
}

static int emit_counted(struct xmit *x, const uint8_t *dg, size_t len)
{
	int rc = x->emit(x->ctx, dg, len);
	if (rc >= 0)
		x->res->emitted++;
	return rc < 0 ? rc : HN_OK;
}

/* fragment = inner: each piece of the inner datagram, encapsulated whole. */
static int piece_out(void *ctx, const uint8_t *piece, size_t len)
{
	struct xmit *x = ctx;
	size_t olen;
	int rc = encap(x, piece, len, false, &olen);   /* decremented before cutting */
	if (rc != HN_OK)
		return rc;
	x->res->inner_pieces++;
	return emit_counted(x, x->buf->outer, olen);
}

/* fragment = outer: each outer fragment as it is. */
static int outer_out(void *ctx, const uint8_t *frag, size_t len)
{
	struct xmit *x = ctx;
	x->res->outer_pieces++;
	return emit_counted(x, frag, len);
}

int tunnel_xmit(const uint8_t *inner, size_t ilen, const struct tunnel_mode *m, uint32_t src,
		uint32_t dst, size_t link_mtu, uint16_t *next_id, struct tunnel_buf *buf,
		ipv4_emit_fn emit, void *ctx, struct ipv4_frag_stats *fst,
		struct tunnel_result *res)
{
	if (!inner || !m || !next_id || !buf || !emit || !res)
		return HN_EINVAL;
	memset(res, 0, sizeof *res);
	struct ipv4_hdr h;
	int rc = ipv4_decode(inner, ilen, &h);
	if (rc < 0)
		return rc;
	/* The tunnel MTU T must leave a header and 8 data bytes (RFC 791 3.2)
	 * after the 20-byte tunnel header. */
	if (link_mtu < IPIP_OUTER_LEN + IPV4_HDR_MIN + 8)
		return HN_EMTU;
	size_t tmtu = link_mtu - IPIP_OUTER_LEN;
	if (tmtu > IPV4_MAX_LEN)
		tmtu = IPV4_MAX_LEN;

	/* Rule 1: RFC 2003 3.1, the inner TTL is decremented when tunnelling
	 * is part of forwarding; a result of 0 is a discard. */
	if (h.ttl <= 1)
		return HN_ETTL;
	if (h.src == dst)   /* RFC 2003 section 4: never back to the source */
		return HN_ELOOP;
	/* The decremented copy in buf->inner is needed to cut the inner
	 * datagram and to quote it in an ICMP; otherwise ipip_encap decrements
	 * while it encapsulates (one copy fewer per datagram). */
	int need_copy = m->frag == TUNNEL_FRAG_INNER || (h.total_len > tmtu && h.df);
	if (need_copy) {
		memcpy(buf->inner, inner, h.total_len);
		buf->inner[8] = (uint8_t)(h.ttl - 1);
		ipv4_update_checksum(buf->inner);
	}

	/* Rule 2: too big for the tunnel and DF: fragmentation needed, next
	 * hop MTU T (tnl_update_pmtu). */
	if (h.total_len > tmtu && h.df) {
		res->frag_needed = (uint16_t)tmtu;
		return HN_EDF;
	}

	struct xmit x = { m, src, dst, link_mtu, next_id, buf, emit, ctx, fst, res };
	if (m->frag == TUNNEL_FRAG_INNER) {
		/* Rule 3, inner: RFC 791 cutting to T (a datagram that fits
		 * is emitted whole), each piece through piece_out. */
		rc = ipv4_fragment(buf->inner, h.total_len, tmtu, buf->piece, sizeof buf->piece,
				   piece_out, &x, fst);
		return rc < 0 ? rc : HN_OK;
	}
	/* Rule 3, outer: encapsulate whole, then RFC 791 cutting to the link
	 * MTU (refused, HN_EDF, when the outer DF is set). */
	size_t olen;
	rc = encap(&x, inner, h.total_len, true, &olen);
	if (rc != HN_OK)
		return rc;
	rc = ipv4_fragment(buf->outer, olen, link_mtu, buf->frag, sizeof buf->frag, outer_out, &x,
			   fst);
	return rc < 0 ? rc : HN_OK;
}
