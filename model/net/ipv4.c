/* ipv4.c - IPv4 header encode/decode, the Internet checksum, validation.
 *
 * Governs: RFC 791 section 3.1 (header format), RFC 1071 (checksum),
 * RFC 1122 section 3.2.1 (what a receiver must check).  Header fields are
 * read and written only through net_get / net_put (bytes.h) at the point of
 * use; no struct is ever cast over a buffer (STYLE.md rule 3).  Not here:
 * fragmentation (frag.c), reassembly (reass.c), tunnelling (ipip.c). */
#include "net/ipv4.h"

#include <stdio.h>
#include <string.h>

#include "net/bytes.h"
#include "status.h"

/* Wire layout of the fixed header (RFC 791 section 3.1, figure 4). */
enum {
	OFF_VER_IHL = 0,
	OFF_TOS = 1,
	OFF_TOTAL_LEN = 2,
	OFF_ID = 4,
	OFF_FLAGS_FRAG = 6,
	OFF_TTL = 8,
	OFF_PROTO = 9,
	OFF_CHECKSUM = 10,
	OFF_SRC = 12,
	OFF_DST = 16,
};
#define FLAG_DF 0x4000u   /* RFC 791 3.1: bit 1 of Flags, Don't Fragment */
#define FLAG_MF 0x2000u   /* RFC 791 3.1: bit 2 of Flags, More Fragments */
#define FRAG_MASK 0x1fffu /* RFC 791 3.1: 13-bit Fragment Offset */

uint16_t ipv4_checksum(const uint8_t *buf, size_t len)
{
	/* RFC 1071 section 4.1: 16-bit one's complement sum of 16-bit words,
	 * an odd trailing byte padded with a zero byte on the right. */
	uint32_t sum = 0;
	size_t i;
	for (i = 0; i + 1 < len; i += 2) {
		sum += net_get16(buf + i);
		if (sum & 0x80000000u) /* fold early: no overflow for any len */
			sum = (sum & 0xffffu) + (sum >> 16);
	}
	if (len & 1)
		sum += (uint32_t)buf[len - 1] << 8;
	while (sum >> 16)
		sum = (sum & 0xffffu) + (sum >> 16);
	return (uint16_t)~sum;
}

uint16_t ipv4_checksum_adjust(uint16_t checksum, uint16_t old_word, uint16_t new_word)
{
	/* RFC 1624 section 3, eqn. 3: HC' = ~(~HC + ~m + m'), one's
	 * complement sums with end-around carry. */
	uint32_t sum = (uint16_t)~checksum;
	sum += (uint16_t)~old_word;
	sum += new_word;
	sum = (sum & 0xffff) + (sum >> 16);
	sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~sum;
}

int ipv4_decode(const uint8_t *buf, size_t len, struct ipv4_hdr *h)
{
	if (!buf || !h)
		return HN_EINVAL;
	/* RFC 1122 3.2.1.8 / RFC 791 3.1: a header is at least 20 bytes. */
	if (len < IPV4_HDR_MIN)
		return HN_ETRUNC;
	/* RFC 1122 3.2.1.1: a datagram whose version is not 4 is discarded. */
	if ((buf[OFF_VER_IHL] >> 4) != 4)
		return HN_EVERSION;
	/* RFC 791 3.1: IHL counts 32-bit words, minimum value 5. */
	size_t hlen = (size_t)(buf[OFF_VER_IHL] & 0x0f) * 4;
	if (hlen < IPV4_HDR_MIN || hlen > len)
		return HN_EIHL;
	/* RFC 791 3.1: Total Length covers header and data. */
	uint16_t total = net_get16(buf + OFF_TOTAL_LEN);
	if (total < hlen || total > len)
		return HN_ELEN;
	/* RFC 1122 3.2.1.2: a datagram whose checksum fails is discarded. */
	if (ipv4_checksum(buf, hlen) != 0)
		return HN_ECKSUM;

	uint16_t ff = net_get16(buf + OFF_FLAGS_FRAG);
	h->hdr_len = (uint8_t)hlen;
	h->tos = buf[OFF_TOS];
	h->total_len = total;
	h->id = net_get16(buf + OFF_ID);
	h->df = (ff & FLAG_DF) != 0;
	h->mf = (ff & FLAG_MF) != 0;
	h->frag_off = (uint16_t)(ff & FRAG_MASK);
	h->ttl = buf[OFF_TTL];
	h->proto = buf[OFF_PROTO];
	h->checksum = net_get16(buf + OFF_CHECKSUM);
	h->src = net_get32(buf + OFF_SRC);
	h->dst = net_get32(buf + OFF_DST);
	return HN_OK;
}

int ipv4_encode(const struct ipv4_hdr *h, uint8_t *buf, size_t cap)
{
	if (!h || !buf)
		return HN_EINVAL;
	if (cap < IPV4_HDR_MIN)
		return HN_ENOSPC;
	/* The offset field has 13 bits (RFC 791 3.1); refuse rather than
	 * silently truncate a value that cannot be encoded. */
	if (h->frag_off > FRAG_MASK)
		return HN_EINVAL;
	uint16_t ff = (uint16_t)((h->df ? FLAG_DF : 0) | (h->mf ? FLAG_MF : 0) |
				 h->frag_off);
	buf[OFF_VER_IHL] = 0x45; /* version 4, IHL 5 */
	buf[OFF_TOS] = h->tos;
	net_put16(buf + OFF_TOTAL_LEN, h->total_len);
	net_put16(buf + OFF_ID, h->id);
	net_put16(buf + OFF_FLAGS_FRAG, ff);
	buf[OFF_TTL] = h->ttl;
	buf[OFF_PROTO] = h->proto;
	net_put32(buf + OFF_SRC, h->src);
	net_put32(buf + OFF_DST, h->dst);
	ipv4_update_checksum(buf);
	return IPV4_HDR_MIN;
}

void ipv4_update_checksum(uint8_t *buf)
{
	/* RFC 791 3.1: the checksum field is zero while computing it. */
	size_t hlen = (size_t)(buf[OFF_VER_IHL] & 0x0f) * 4;
	net_put16(buf + OFF_CHECKSUM, 0);
	net_put16(buf + OFF_CHECKSUM, ipv4_checksum(buf, hlen));
}

int ipv4_ports(const uint8_t *buf, size_t len, const struct ipv4_hdr *h,
	       uint16_t *sport, uint16_t *dport)
{
	if (!buf || !h || !sport || !dport)
		return HN_EINVAL;
	if (h->proto != IPV4_PROTO_TCP && h->proto != IPV4_PROTO_UDP)
		return HN_EPROTO;
	/* RFC 791 3.2: only the offset-0 fragment carries the transport
	 * header. */
	if (h->frag_off != 0)
		return HN_EFRAG;
	/* Both TCP (RFC 793 3.1) and UDP (RFC 768) start with source port,
	 * destination port: 4 bytes right after the IP header, which must lie
	 * inside both the buffer and the datagram's total length. */
	size_t end = (size_t)h->hdr_len + 4;
	if (end > len || end > h->total_len)
		return HN_ETRUNC;
	*sport = net_get16(buf + h->hdr_len);
	*dport = net_get16(buf + h->hdr_len + 2);
	return HN_OK;
}

char *ipv4_ntoa(uint32_t addr, char *out)
{
	snprintf(out, 16, "%u.%u.%u.%u", (unsigned)(addr >> 24) & 0xffu,
		 (unsigned)(addr >> 16) & 0xffu, (unsigned)(addr >> 8) & 0xffu,
		 (unsigned)addr & 0xffu);
	return out;
}

int ipv4_aton(const char *s, uint32_t *addr)
{
	/* Strict dotted quad: exactly four decimal parts 0..255, no sign, no
	 * spaces, no leading zeros (which some parsers read as octal). */
	if (!s || !addr)
		return HN_EINVAL;
	uint32_t a = 0;
	for (int part = 0; part < 4; part++) {
		if (part > 0) {
			if (*s != '.')
				return HN_EINVAL;
			s++;
		}
		if (*s < '0' || *s > '9')
			return HN_EINVAL;
		if (s[0] == '0' && s[1] >= '0' && s[1] <= '9')
			return HN_EINVAL;
		unsigned v = 0;
		int digits = 0;
		while (*s >= '0' && *s <= '9') {
			if (++digits > 3)
				return HN_EINVAL;
			v = v * 10 + (unsigned)(*s - '0');
			s++;
		}
		if (v > 255)
			return HN_EINVAL;
		a = (a << 8) | v;
	}
	if (*s != '\0')
		return HN_EINVAL;
	*addr = a;
	return HN_OK;
}
