/* nat.c - rewriting an IPv4 address in place, checksums fixed; see nat.h. */
#include "net/nat.h"

#include "net/bytes.h"
#include "net/ipv4.h"
#include "status.h"

int nat_rewrite(uint8_t *dg, size_t len, enum nat_field which, uint32_t addr)
{
	if (!dg)
		return HN_EINVAL;
	struct ipv4_hdr h;
	int rc = ipv4_decode(dg, len, &h);
	if (rc < 0)
		return rc;
	size_t at = which == NAT_SRC ? 12 : 16;
	/* the transport checksum's offset in the first fragment: TCP 16,
	 * UDP 6 (RFC 9293 3.1, RFC 768) */
	size_t ck = 0;
	if (h.frag_off == 0 && (h.proto == 6 || h.proto == 17)) {
		ck = h.hdr_len + (h.proto == 6 ? 16 : 6);
		if (ck + 2 > h.total_len)
			return HN_ETRUNC;
	}
	uint16_t old_hi = net_get16(dg + at), old_lo = net_get16(dg + at + 2);
	uint16_t new_hi = (uint16_t)(addr >> 16), new_lo = (uint16_t)addr;
	/* RFC 3022 4.1 with RFC 1624 3: both 16-bit words of the address */
	uint16_t c = net_get16(dg + 10);
	c = ipv4_checksum_adjust(c, old_hi, new_hi);
	c = ipv4_checksum_adjust(c, old_lo, new_lo);
	net_put16(dg + 10, c);
	if (ck) {
		uint16_t t = net_get16(dg + ck);
		if (!(h.proto == 17 && t == 0)) {   /* RFC 768: 0 is "no checksum" */
			t = ipv4_checksum_adjust(t, old_hi, new_hi);
			t = ipv4_checksum_adjust(t, old_lo, new_lo);
			if (h.proto == 17 && t == 0)
				t = 0xffff;   /* RFC 768: a computed 0 is sent as all ones */
			net_put16(dg + ck, t);
		}
	}
	net_put32(dg + at, addr);
	return HN_OK;
}
