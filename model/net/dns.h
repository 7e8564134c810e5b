/* dns.h - the DNS message format (RFC 1035) for A-record queries and answers.
 *
 * Governs: RFC 1035 sections 2.3.4 (size limits), 3.1 (names as labels),
 * 4.1.1 (header), 4.1.2 (question), 4.1.3 (resource records), 4.1.4
 * (message compression) and 4.2.1 (UDP: at most 512 bytes); RFC 2181
 * section 8 (a TTL with its top bit set is read as zero).  Each rule is
 * cited where it is applied in dns.c.  One question per message (what every
 * resolver sends in practice).  The decoder keeps the answers that are A
 * records of class IN owned by the question's name and skips other records
 * after checking their bounds; every field is bounds-checked and a message
 * that fails a check is refused with a reason the receiver counts as a drop
 * (DNS_REFUSALS).  Names are held as dotted text without the final dot; a
 * label holding a '.' or a zero octet, which dotted text cannot carry, is
 * refused.  Caller-owned buffers only.  Not here: servers, resolvers and
 * caches (model/apps/dns*.c). */
#ifndef NET_DNS_H
#define NET_DNS_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define DNS_PORT 53               /* RFC 1035 4.2.1 */
#define DNS_HDR_LEN 12            /* RFC 1035 4.1.1 */
#define DNS_MAX_UDP 512           /* RFC 1035 2.3.4 and 4.2.1: UDP messages */
#define DNS_MAX_NAME 255          /* RFC 1035 2.3.4: octets of a name on the wire */
#define DNS_MAX_LABEL 63          /* RFC 1035 2.3.4 */
#define DNS_MAX_ANSWERS 16        /* A records kept from one answer (a model limit) */
#define DNS_TYPE_A 1              /* RFC 1035 3.2.2 */
#define DNS_TYPE_CNAME 5
#define DNS_CLASS_IN 1            /* RFC 1035 3.2.4 */
#define DNS_OPCODE_QUERY 0        /* RFC 1035 4.1.1 */
#define DNS_RCODE_OK 0            /* RFC 1035 4.1.1: no error */
#define DNS_RCODE_FORMERR 1
#define DNS_RCODE_SERVFAIL 2
#define DNS_RCODE_NXDOMAIN 3
#define DNS_RCODE_NOTIMP 4
#define DNS_RCODE_REFUSED 5

/* Why a message was refused: D(REASON, "drop name", "doc"), one row each;
 * the servers and resolvers count them as drop.NAME. */
#define DNS_REFUSALS(D) \
	D(TRUNC, "dns_truncated", "DNS message shorter than its header or than a name, count or RDLENGTH says (RFC 1035 4.1)") \
	D(OVERSIZE, "dns_oversize", "DNS message over UDP longer than 512 bytes (RFC 1035 4.2.1)") \
	D(LABEL_TYPE, "dns_label_type", "DNS name label with reserved type bits 01 or 10 (RFC 1035 4.1.4)") \
	D(LABEL_OCTET, "dns_label_octet", "DNS label holding '.' or a zero octet (not representable as a dotted name here)") \
	D(NAME_LONG, "dns_name_too_long", "DNS name longer than 255 octets (RFC 1035 2.3.4)") \
	D(POINTER, "dns_bad_pointer", "DNS compression pointer not pointing backwards to an earlier name (RFC 1035 4.1.4)") \
	D(QDCOUNT, "dns_qdcount", "DNS message with a question count other than 1") \
	D(OPCODE, "dns_opcode", "DNS message whose opcode is not QUERY (RFC 1035 4.1.1)") \
	D(ANCOUNT, "dns_too_many_answers", "DNS response with more A answers than the model keeps (16)") \
	D(RDLENGTH, "dns_rdlength", "DNS A record whose RDLENGTH is not 4 (RFC 1035 3.4.1)") \
	D(TRAILING, "dns_trailing", "DNS message with bytes after its last record")

#define DNS_REFUSAL_ENUM(e, name, doc) DNS_REFUSE_##e,
enum dns_refusal { DNS_REFUSE_NONE = -1, DNS_REFUSALS(DNS_REFUSAL_ENUM) DNS_NREFUSALS };

struct dns_a {
	uint32_t addr;            /* IPv4 address, host order */
	uint32_t ttl_s;           /* seconds (RFC 2181 8: top bit set reads as 0) */
};

/* One DNS message: header, one question, the A answers. */
struct dns_msg {
	uint16_t id;              /* RFC 1035 4.1.1: copied from query to response */
	bool qr;                  /* response */
	uint8_t opcode;           /* 0..15; the decoder accepts only QUERY */
	bool aa, tc, rd, ra;      /* authoritative, truncated, recursion desired / available */
	uint8_t z;                /* the 3 reserved bits, as sent (RFC 1035: zero) */
	uint8_t rcode;            /* 0..15 */
	char qname[DNS_MAX_NAME + 1]; /* dotted, no final dot; "" is the root */
	uint16_t qtype, qclass;
	uint8_t nanswers;         /* A records of class IN owned by qname, in order */
	struct dns_a an[DNS_MAX_ANSWERS];
	uint16_t skipped;         /* decode: other records checked and not kept */
};

/* Encode m into buf: the header from m's fields (QDCOUNT 1, ANCOUNT
 * m->nanswers, NSCOUNT and ARCOUNT 0), the question, then each answer as an
 * A record of class IN whose name is a compression pointer to the question's
 * name (RFC 1035 4.1.4).  Returns the length, or HN_EINVAL (a name not
 * encodable: an empty label, a label over 63 octets, over 255 in all; a
 * field out of its range; more than DNS_MAX_ANSWERS), HN_ENOSPC (cap), or
 * HN_ELEN (longer than 512 bytes).  Borrows m. */
int dns_encode(const struct dns_msg *m, uint8_t *buf, size_t cap);

/* Decode the UDP message buf[0..len) into m.  Returns HN_OK, or a negative
 * status with *why set to the refusal (HN_ETRUNC for DNS_REFUSE_TRUNC,
 * HN_ELEN for OVERSIZE and TRAILING, HN_EPROTO for the rest).  why may be
 * NULL.  Borrows buf. */
int dns_decode(const uint8_t *buf, size_t len, struct dns_msg *m, enum dns_refusal *why);

/* Encode the name text (dotted, an optional final dot) at buf as labels.
 * Returns the octets written, or HN_EINVAL / HN_ENOSPC. */
int dns_name_encode(const char *name, uint8_t *buf, size_t cap);

/* Whether two dotted names are equal, ASCII case ignored (RFC 1035 2.3.3). */
bool dns_name_eq(const char *a, const char *b);

/* The drop name of a refusal ("dns_truncated"...), "unknown" out of range. */
const char *dns_refusal_name(enum dns_refusal r);
#endif
