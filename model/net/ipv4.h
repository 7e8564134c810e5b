/* ipv4.h - IPv4 header encode/decode, the Internet checksum, validation.
 *
 * Governs: RFC 791 section 3.1 (header format), RFC 1071 (checksum).
 * All addresses are host byte order (10.0.1.2 == 0x0A000102).  Functions
 * borrow the caller's buffers and never allocate.  Not here: fragmentation
 * (frag.h), reassembly (reass.h), tunnelling (ipip.h). */
#ifndef NET_IPV4_H
#define NET_IPV4_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define IPV4_HDR_MIN 20      /* bytes, IHL = 5 */
#define IPV4_HDR_MAX 60      /* bytes, IHL = 15 */
#define IPV4_MAX_LEN 65535   /* largest total length */
#define IPV4_PROTO_ICMP 1
#define IPV4_PROTO_IPIP 4    /* RFC 2003 */
#define IPV4_PROTO_TCP 6
#define IPV4_PROTO_UDP 17

/* A decoded IPv4 header, host order.  Options stay in the buffer. */
struct ipv4_hdr {
	uint8_t hdr_len;     /* header length in bytes: IHL * 4, 20..60 */
	uint8_t tos;         /* type of service / DSCP+ECN byte */
	uint16_t total_len;  /* header + payload, bytes */
	uint16_t id;         /* identification */
	bool df;             /* don't fragment */
	bool mf;             /* more fragments */
	uint16_t frag_off;   /* fragment offset in 8-byte units, 0..8191 */
	uint8_t ttl;
	uint8_t proto;
	uint16_t checksum;   /* as found on the wire; encode computes its own */
	uint32_t src;
	uint32_t dst;
};

/* RFC 1071 Internet checksum over len bytes: the value to store in a
 * checksum field (a buffer that includes a correct checksum sums to 0). */
uint16_t ipv4_checksum(const uint8_t *buf, size_t len);
/* RFC 1624 section 3, eqn. 3: the Internet checksum after one 16-bit word of
 * the summed data changes from old_word to new_word (any checksum of RFC
 * 1071's kind: IP header, TCP, UDP), without summing the data again. */
uint16_t ipv4_checksum_adjust(uint16_t checksum, uint16_t old_word, uint16_t new_word);

/* Decode and validate the header at buf[0..len).  Rejects a buffer shorter
 * than 20 bytes (HN_ETRUNC), version != 4 (HN_EVERSION), IHL < 5 or past len
 * (HN_EIHL), total length < IHL*4 or > len (HN_ELEN), and a header checksum
 * that does not verify (HN_ECKSUM).  Bytes past total_len are ignored
 * (link-layer padding).  Returns HN_OK and fills *h. */
int ipv4_decode(const uint8_t *buf, size_t len, struct ipv4_hdr *h);

/* Encode h as a 20-byte header (IHL 5, no options) at buf, computing the
 * checksum; h->hdr_len and h->checksum are ignored.  Returns 20, HN_ENOSPC,
 * or HN_EINVAL (NULL argument, or frag_off > 8191: it would not fit the
 * 13-bit field). */
int ipv4_encode(const struct ipv4_hdr *h, uint8_t *buf, size_t cap);

/* Recompute the header checksum of the header at buf in place (IHL taken
 * from buf[0]; the caller guarantees the header fits). */
void ipv4_update_checksum(uint8_t *buf);

/* True when the datagram is a fragment (MF set or offset non-zero). */
static inline bool ipv4_is_fragment(const struct ipv4_hdr *h)
{
	return h->mf || h->frag_off != 0;
}

/* Transport ports of a TCP or UDP datagram whose header h was decoded from
 * buf.  Returns HN_OK, HN_EPROTO (not TCP/UDP), HN_EFRAG (not the first
 * fragment: no ports in it) or HN_ETRUNC (ports not in the buffer). */
int ipv4_ports(const uint8_t *buf, size_t len, const struct ipv4_hdr *h,
	       uint16_t *sport, uint16_t *dport);

/* Formats addr as dotted quad into out (at least 16 bytes); returns out. */
char *ipv4_ntoa(uint32_t addr, char *out);

/* Parses a dotted quad; returns HN_OK or HN_EINVAL. */
int ipv4_aton(const char *s, uint32_t *addr);
#endif
