/* fuzz_tunnel.c - libFuzzer target for tunnel.c (RFC 2003 with the Linux
 * tunnel rule of net/tunnel.h) and icmp.c (RFC 792 / 1191).
 *
 * The first 4 input bytes choose the mode (TTL, TOS, DF, fragmentation) and
 * the link MTU (68 .. 9000), the rest is the datagram.  When tunnel_xmit
 * accepts it: every frame fits the link, is a valid IPv4 datagram of
 * protocol 4 from the entry to the exit, and the outer frames reassemble
 * and decapsulate to pieces whose data, in order, is the inner datagram's.
 * When it refuses with a next-hop MTU: the ICMP built about the datagram
 * is at most 576 bytes, valid, and its checksum verifies.  Any mismatch
 * aborts. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "net/bytes.h"
#include "net/icmp.h"
#include "net/ipip.h"
#include "net/ipv4.h"
#include "net/reass.h"
#include "net/tunnel.h"
#include "status.h"

#define ENTRY 0x808ede01u
#define EXIT 0x808ede50u

static void check(int ok)
{
	if (!ok)
		abort();
}

struct sink {
	size_t link;
	struct ipv4_reass *ro;
	uint8_t whole[65536];
	size_t data;       /* inner data bytes seen after decapsulation */
	int bad;
};

static int frame(void *ctx, const uint8_t *f, size_t len)
{
	struct sink *s = ctx;
	struct ipv4_hdr h;
	check(len <= s->link);
	check(ipv4_decode(f, len, &h) == HN_OK && h.total_len == len);
	check(h.proto == IPV4_PROTO_IPIP && h.src == ENTRY && h.dst == EXIT);
	size_t wlen, off, ilen;
	int rc = ipv4_reass_input(s->ro, f, len, 0, s->whole, sizeof s->whole, &wlen);
	check(rc >= 0);
	if (rc == 1) {
		check(ipip_decap(s->whole, wlen, &off, &ilen) == HN_OK);
		struct ipv4_hdr ih;
		check(ipv4_decode(s->whole + off, ilen, &ih) == HN_OK);
		s->data += ih.total_len - ih.hdr_len;
	}
	return HN_OK;
}

/* libFuzzer's entry point. */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct tunnel_buf tb;
	static struct sink s;
	static uint8_t icmp[ICMP_ERROR_MAX];
	if (size < 4)
		return 0;
	struct tunnel_mode m = {
		.ttl_mode = data[0] & 1 ? TUNNEL_TTL_INHERIT : TUNNEL_TTL_FIXED,
		.ttl = data[1],
		.tos_mode = data[0] & 2 ? TUNNEL_TOS_FIXED : TUNNEL_TOS_COPY,
		.tos = data[1],
		.df_mode = data[0] & 4 ? TUNNEL_DF_SET : TUNNEL_DF_COPY,
		.frag = data[0] & 8 ? TUNNEL_FRAG_INNER : TUNNEL_FRAG_OUTER,
	};
	size_t link = 68 + (((size_t)data[2] << 8 | data[3]) % (9000 - 68 + 1));
	const uint8_t *dg = data + 4;
	size_t len = size - 4;
	struct ipv4_hdr h;
	if (ipv4_decode(dg, len, &h) != HN_OK)
		return 0;
	s.link = link;
	s.data = 0;
	s.ro = ipv4_reass_new(NULL);
	check(s.ro != NULL);
	uint16_t id = data[1];
	struct tunnel_result res;
	int rc = tunnel_xmit(dg, len, &m, ENTRY, EXIT, link, &id, &tb, frame, &s, NULL, &res);
	if (rc == HN_OK) {
		check(res.emitted >= 1 && res.encapsulated >= 1);
		/* Every data byte of the inner datagram came out once. */
		check(s.data == (size_t)h.total_len - h.hdr_len);
	} else if (rc == HN_EDF && res.frag_needed) {
		check(res.frag_needed == link - 20 && h.df && h.total_len > link - 20);
		size_t olen;
		if (icmp_frag_needed(tb.inner, h.total_len, ENTRY, res.frag_needed, 1, icmp, sizeof icmp,
				     &olen) == HN_OK) {
			struct ipv4_hdr ih;
			check(olen <= ICMP_ERROR_MAX);
			check(ipv4_decode(icmp, olen, &ih) == HN_OK && ih.proto == IPV4_PROTO_ICMP);
			check(ipv4_checksum(icmp + 20, olen - 20) == 0);
			check(net_get16(icmp + 26) == res.frag_needed);
		}
	}
	ipv4_reass_free(s.ro);
	return 0;
}
