/* testutil.h - datagram builders shared by the unit tests. */
#ifndef HN_TESTUTIL_H
#define HN_TESTUTIL_H
#include <stdint.h>
#include <string.h>

#include "net/bytes.h"
#include "net/ipv4.h"

#define IP4(a, b, c, d) (((uint32_t)(a) << 24) | ((uint32_t)(b) << 16) | ((uint32_t)(c) << 8) | (uint32_t)(d))

/* Build a TCP or UDP datagram of total length len into buf: 20-byte IP
 * header, ports, then pattern bytes.  Returns len. */
static inline size_t tu_datagram(uint8_t *buf, size_t len, uint8_t proto, uint32_t src,
				 uint32_t dst, uint16_t sport, uint16_t dport, uint16_t id,
				 uint8_t ttl, int df)
{
	struct ipv4_hdr h = { .tos = 0x10, .total_len = (uint16_t)len, .id = id, .df = df != 0,
			      .ttl = ttl, .proto = proto, .src = src, .dst = dst };
	ipv4_encode(&h, buf, len);
	net_put16(buf + 20, sport);
	net_put16(buf + 22, dport);
	for (size_t i = 24; i < len; i++)
		buf[i] = (uint8_t)(i * 13 + 5);
	return len;
}

/* The TCP or UDP checksum of dg's segment from scratch: RFC 1071 over the
 * pseudo-header (source, destination, zero, protocol, segment length: RFC
 * 9293 section 3.1, RFC 768) and the segment (total length - IHL bytes),
 * with the checksum field at segment offset ck (16: TCP, 6: UDP) taken as
 * zero, or as it is when ck is TU_SUM_AS_IS (then 0 means it verifies). */
#define TU_SUM_AS_IS ((size_t)-1)
static inline uint16_t tu_transport_sum(const uint8_t *dg, size_t ck)
{
	static uint8_t b[12 + IPV4_MAX_LEN];
	size_t ihl = (size_t)(dg[0] & 0x0f) * 4, seg = net_get16(dg + 2) - ihl;
	memcpy(b, dg + 12, 8);
	b[8] = 0;
	b[9] = dg[9];
	net_put16(b + 10, (uint16_t)seg);
	memcpy(b + 12, dg + ihl, seg);
	if (ck != TU_SUM_AS_IS)
		b[12 + ck] = b[12 + ck + 1] = 0;
	return ipv4_checksum(b, 12 + seg);
}

/* Collects what a module under test sent, by datagram. */
struct tu_sink {
	int count;
	size_t len[64];
	uint8_t dg[64][2048];
};

static inline int tu_sink_put(struct tu_sink *s, const uint8_t *dg, size_t len)
{
	if (s->count == 64 || len > sizeof s->dg[0])
		return -1;
	memcpy(s->dg[s->count], dg, len);
	s->len[s->count++] = len;
	return 0;
}
#endif
