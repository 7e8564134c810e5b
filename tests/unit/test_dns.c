/* test_dns.c - unit tests of dns.c against hand-assembled RFC 1035 bytes:
 * the header (4.1.1), the question (4.1.2), A records (3.4.1, 4.1.3),
 * compression (4.1.4), the limits (2.3.4, 4.2.1), RFC 2181 8 TTLs, and
 * every refusal. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "net/dns.h"
#include "status.h"

/* A query for www.example.com, type A, class IN, ID 0x1234, RD set. */
static const uint8_t QUERY[] = {
	0x12, 0x34,             /* 4.1.1 ID */
	0x01, 0x00,             /* QR 0, opcode 0, AA 0, TC 0, RD 1; RA 0, Z 0, RCODE 0 */
	0x00, 0x01,             /* QDCOUNT 1 */
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, /* AN, NS, AR counts 0 */
	3, 'w', 'w', 'w', 7, 'e', 'x', 'a', 'm', 'p', 'l', 'e', 3, 'c', 'o', 'm', 0, /* 4.1.2 QNAME */
	0x00, 0x01,             /* QTYPE A */
	0x00, 0x01,             /* QCLASS IN */
};

/* The authoritative answer: two A records, TTL 60 and 30, owners as the
 * pointer 0xc00c to the question's name (4.1.4). */
static const uint8_t RESPONSE[] = {
	0x12, 0x34,
	0x85, 0x80,             /* QR 1, opcode 0, AA 1, TC 0, RD 1; RA 1, Z 0, RCODE 0 */
	0x00, 0x01, 0x00, 0x02, 0x00, 0x00, 0x00, 0x00,
	3, 'w', 'w', 'w', 7, 'e', 'x', 'a', 'm', 'p', 'l', 'e', 3, 'c', 'o', 'm', 0,
	0x00, 0x01, 0x00, 0x01,
	0xc0, 0x0c,             /* NAME: pointer to offset 12 */
	0x00, 0x01, 0x00, 0x01, /* TYPE A, CLASS IN */
	0x00, 0x00, 0x00, 0x3c, /* TTL 60 */
	0x00, 0x04,             /* RDLENGTH 4 */
	10, 0, 2, 1,            /* RDATA 10.0.2.1 */
	0xc0, 0x0c, 0x00, 0x01, 0x00, 0x01,
	0x00, 0x00, 0x00, 0x1e, 0x00, 0x04,
	10, 0, 5, 9,            /* 10.0.5.9, TTL 30 */
};

static void dns__query_bytes(void **state)
{
	(void)state;
	struct dns_msg m;
	memset(&m, 0, sizeof m);
	m.id = 0x1234;
	m.rd = true;
	strcpy(m.qname, "www.example.com");
	m.qtype = DNS_TYPE_A;
	m.qclass = DNS_CLASS_IN;
	uint8_t buf[DNS_MAX_UDP];
	assert_int_equal(dns_encode(&m, buf, sizeof buf), sizeof QUERY);
	assert_memory_equal(buf, QUERY, sizeof QUERY);
	/* the final dot of a fully qualified name changes nothing */
	strcpy(m.qname, "www.example.com.");
	assert_int_equal(dns_encode(&m, buf, sizeof buf), sizeof QUERY);
	assert_memory_equal(buf, QUERY, sizeof QUERY);

	struct dns_msg d;
	enum dns_refusal why;
	assert_int_equal(dns_decode(QUERY, sizeof QUERY, &d, &why), HN_OK);
	assert_int_equal(why, DNS_REFUSE_NONE);
	assert_int_equal(d.id, 0x1234);
	assert_false(d.qr);
	assert_true(d.rd);
	assert_false(d.aa);
	assert_int_equal(d.opcode, 0);
	assert_string_equal(d.qname, "www.example.com");
	assert_int_equal(d.qtype, DNS_TYPE_A);
	assert_int_equal(d.qclass, DNS_CLASS_IN);
	assert_int_equal(d.nanswers, 0);
	assert_int_equal(d.skipped, 0);
}

static void dns__response_bytes(void **state)
{
	(void)state;
	struct dns_msg m;
	memset(&m, 0, sizeof m);
	m.id = 0x1234;
	m.qr = m.aa = m.rd = m.ra = true;
	strcpy(m.qname, "www.example.com");
	m.qtype = DNS_TYPE_A;
	m.qclass = DNS_CLASS_IN;
	m.nanswers = 2;
	m.an[0] = (struct dns_a){ 0x0a000201u, 60 };
	m.an[1] = (struct dns_a){ 0x0a000509u, 30 };
	uint8_t buf[DNS_MAX_UDP];
	assert_int_equal(dns_encode(&m, buf, sizeof buf), sizeof RESPONSE);
	assert_memory_equal(buf, RESPONSE, sizeof RESPONSE);

	struct dns_msg d;
	assert_int_equal(dns_decode(RESPONSE, sizeof RESPONSE, &d, NULL), HN_OK);
	assert_true(d.qr && d.aa && d.rd && d.ra);
	assert_int_equal(d.rcode, 0);
	assert_int_equal(d.nanswers, 2);
	assert_int_equal(d.an[0].addr, 0x0a000201u);
	assert_int_equal(d.an[0].ttl_s, 60);
	assert_int_equal(d.an[1].addr, 0x0a000509u);
	assert_int_equal(d.an[1].ttl_s, 30);

	/* NXDOMAIN: flags 0x85 0x83, no answers */
	memset(&m.an, 0, sizeof m.an);
	m.nanswers = 0;
	m.rcode = DNS_RCODE_NXDOMAIN;
	assert_int_equal(dns_encode(&m, buf, sizeof buf), sizeof QUERY);
	assert_int_equal(buf[2], 0x85);
	assert_int_equal(buf[3], 0x83);
	assert_int_equal(buf[7], 0);
	assert_memory_equal(buf + 12, QUERY + 12, sizeof QUERY - 12);
}

static void dns__encode_refusals(void **state)
{
	(void)state;
	struct dns_msg m;
	memset(&m, 0, sizeof m);
	uint8_t buf[DNS_MAX_UDP + 64];
	strcpy(m.qname, "a..b");
	assert_int_equal(dns_encode(&m, buf, sizeof buf), HN_EINVAL);   /* empty label */
	strcpy(m.qname, ".a");
	assert_int_equal(dns_encode(&m, buf, sizeof buf), HN_EINVAL);
	/* a 64-octet label (2.3.4: 63 at most) */
	memset(m.qname, 'x', 64);
	m.qname[64] = 0;
	assert_int_equal(dns_encode(&m, buf, sizeof buf), HN_EINVAL);
	m.qname[63] = 0;
	assert_int_equal(dns_encode(&m, buf, sizeof buf), 12 + 65 + 4);
	/* 255 octets on the wire is the most: four labels of 63 = 4 * 64 + 1 = 257 */
	char *q = m.qname;
	for (int i = 0; i < 4; i++) {
		memset(q, 'y', 63);
		q[63] = '.';
		q += 64;
	}
	q[-1] = 0;
	assert_int_equal(dns_encode(&m, buf, sizeof buf), HN_EINVAL);
	/* three of 63 and one of 61: 3 * 64 + 62 + 1 = 255, accepted */
	m.qname[3 * 64 + 61] = 0;
	assert_int_equal(dns_encode(&m, buf, sizeof buf), 12 + 255 + 4);
	/* the root */
	strcpy(m.qname, "");
	assert_int_equal(dns_encode(&m, buf, sizeof buf), 12 + 1 + 4);
	strcpy(m.qname, ".");
	assert_int_equal(dns_encode(&m, buf, sizeof buf), 12 + 1 + 4);
	assert_int_equal(buf[12], 0);
	/* fields out of range, too many answers, TTL over 2^31 - 1 */
	m.opcode = 16;
	assert_int_equal(dns_encode(&m, buf, sizeof buf), HN_EINVAL);
	m.opcode = 0;
	m.nanswers = DNS_MAX_ANSWERS + 1;
	assert_int_equal(dns_encode(&m, buf, sizeof buf), HN_EINVAL);
	m.nanswers = 1;
	m.an[0].ttl_s = 0x80000000u;
	assert_int_equal(dns_encode(&m, buf, sizeof buf), HN_EINVAL);
	m.an[0].ttl_s = 0x7fffffffu;
	assert_int_equal(dns_encode(&m, buf, sizeof buf), 12 + 1 + 4 + 16);
	/* the buffer: every cap short of the message is refused */
	for (size_t cap = 0; cap < 12 + 1 + 4 + 16; cap++)
		assert_int_equal(dns_encode(&m, buf, cap), HN_ENOSPC);
	/* over 512 bytes (4.2.1): a 243-octet name (labels 63, 63, 63, 49)
	 * and 16 answers make 12 + 243 + 4 + 16 * 16 = 515 */
	memset(m.qname, 'z', 3 * 64 + 49);
	m.qname[63] = m.qname[127] = m.qname[191] = '.';
	m.qname[3 * 64 + 49] = 0;
	m.nanswers = DNS_MAX_ANSWERS;
	assert_int_equal(dns_encode(&m, buf, sizeof buf), HN_ELEN);
	m.qname[3 * 64 + 46] = 0;   /* 3 octets fewer: 512 exactly */
	assert_int_equal(dns_encode(&m, buf, sizeof buf), DNS_MAX_UDP);
}

static void expect_refused(const uint8_t *b, size_t len, int status, enum dns_refusal r)
{
	struct dns_msg d;
	enum dns_refusal why = DNS_REFUSE_NONE;
	assert_int_equal(dns_decode(b, len, &d, &why), status);
	assert_int_equal(why, r);
}

static void dns__decode_every_truncation(void **state)
{
	(void)state;
	/* every proper prefix of the response is refused as truncated */
	for (size_t n = 0; n < sizeof RESPONSE; n++) {
		uint8_t b[sizeof RESPONSE];
		memcpy(b, RESPONSE, n);
		expect_refused(b, n, HN_ETRUNC, DNS_REFUSE_TRUNC);
	}
	/* one byte more is trailing */
	uint8_t b[sizeof RESPONSE + 1];
	memcpy(b, RESPONSE, sizeof RESPONSE);
	b[sizeof RESPONSE] = 0;
	expect_refused(b, sizeof b, HN_ELEN, DNS_REFUSE_TRAILING);
	/* over 512 bytes (4.2.1) */
	uint8_t big[DNS_MAX_UDP + 1];
	memset(big, 0, sizeof big);
	expect_refused(big, sizeof big, HN_ELEN, DNS_REFUSE_OVERSIZE);
}

static void dns__decode_header_refusals(void **state)
{
	(void)state;
	uint8_t b[sizeof QUERY];
	memcpy(b, QUERY, sizeof b);
	b[2] = 0x01 | (2 << 3);   /* opcode STATUS */
	expect_refused(b, sizeof b, HN_EPROTO, DNS_REFUSE_OPCODE);
	memcpy(b, QUERY, sizeof b);
	b[5] = 0;                 /* QDCOUNT 0 */
	expect_refused(b, sizeof b, HN_EPROTO, DNS_REFUSE_QDCOUNT);
	b[5] = 2;                 /* QDCOUNT 2 */
	expect_refused(b, sizeof b, HN_EPROTO, DNS_REFUSE_QDCOUNT);
	memcpy(b, QUERY, sizeof b);
	b[7] = 1;                 /* ANCOUNT 1 with no record: truncated */
	expect_refused(b, sizeof b, HN_ETRUNC, DNS_REFUSE_TRUNC);
	/* Z bits are carried, not refused */
	memcpy(b, QUERY, sizeof b);
	b[3] = 0x70;
	struct dns_msg d;
	assert_int_equal(dns_decode(b, sizeof b, &d, NULL), HN_OK);
	assert_int_equal(d.z, 7);
}

static void dns__decode_names(void **state)
{
	(void)state;
	uint8_t b[sizeof QUERY];
	/* label types 01 and 10 (4.1.4) */
	memcpy(b, QUERY, sizeof b);
	b[12] = 0x43;
	expect_refused(b, sizeof b, HN_EPROTO, DNS_REFUSE_LABEL_TYPE);
	b[12] = 0x83;
	expect_refused(b, sizeof b, HN_EPROTO, DNS_REFUSE_LABEL_TYPE);
	/* a '.' or a zero octet inside a label */
	memcpy(b, QUERY, sizeof b);
	b[14] = '.';
	expect_refused(b, sizeof b, HN_EPROTO, DNS_REFUSE_LABEL_OCTET);
	b[14] = 0;
	expect_refused(b, sizeof b, HN_EPROTO, DNS_REFUSE_LABEL_OCTET);
	/* the question's name as a pointer: nothing before it but the header */
	const uint8_t selfp[] = { 0, 1, 1, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0xc0, 0x0c, 0, 1, 0, 1 };
	expect_refused(selfp, sizeof selfp, HN_EPROTO, DNS_REFUSE_POINTER);
	const uint8_t hdrp[] = { 0, 1, 1, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0xc0, 0x02, 0, 1, 0, 1 };
	expect_refused(hdrp, sizeof hdrp, HN_EPROTO, DNS_REFUSE_POINTER);
	/* a name over 255 octets: five labels of 63 */
	uint8_t lng[12 + 5 * 64 + 1 + 4];
	memset(lng, 0, sizeof lng);
	lng[5] = 1;
	for (int i = 0; i < 5; i++) {
		lng[12 + i * 64] = 63;
		memset(lng + 13 + i * 64, 'q', 63);
	}
	lng[12 + 5 * 64 + 2] = 1;
	lng[12 + 5 * 64 + 4] = 1;
	expect_refused(lng, sizeof lng, HN_EPROTO, DNS_REFUSE_NAME_LONG);
}

/* A response whose second answer's owner is "ns.example.com" as the label
 * "ns" and a pointer to offset 16 ("example.com" inside the question), and
 * whose third is a CNAME (skipped); 4.1.4's own example of a pointer into
 * the middle of an earlier name. */
static void dns__decode_compression(void **state)
{
	(void)state;
	uint8_t b[DNS_MAX_UDP];
	size_t n = 0;
	memcpy(b, RESPONSE, 33);   /* header, question */
	b[7] = 3;                  /* ANCOUNT 3 */
	n = 33;
	const uint8_t rr1[] = { 0xc0, 0x0c, 0, 1, 0, 1, 0, 0, 0, 60, 0, 4, 10, 0, 2, 1 };
	memcpy(b + n, rr1, sizeof rr1);
	n += sizeof rr1;
	size_t ns_at = n;   /* 49 */
	const uint8_t rr2[] = { 2, 'n', 's', 0xc0, 0x10, 0, 1, 0, 1, 0, 0, 0, 60, 0, 4, 10, 0, 3, 3 };
	memcpy(b + n, rr2, sizeof rr2);
	n += sizeof rr2;
	/* a CNAME owned by the question's name pointing to ns.example.com */
	const uint8_t rr3[] = { 0xc0, 0x0c, 0, 5, 0, 1, 0, 0, 0, 60, 0, 2, 0xc0, (uint8_t)ns_at };
	memcpy(b + n, rr3, sizeof rr3);
	n += sizeof rr3;
	struct dns_msg d;
	assert_int_equal(dns_decode(b, n, &d, NULL), HN_OK);
	assert_int_equal(d.nanswers, 1);   /* only the A record owned by www.example.com */
	assert_int_equal(d.an[0].addr, 0x0a000201u);
	assert_int_equal(d.skipped, 2);
	/* a capital in the question is kept as sent */
	uint8_t c[sizeof RESPONSE];
	memcpy(c, RESPONSE, sizeof c);
	c[13] = 'W';
	assert_int_equal(dns_decode(c, sizeof c, &d, NULL), HN_OK);
	assert_string_equal(d.qname, "Www.example.com");
	assert_int_equal(d.nanswers, 2);

	/* a forward pointer is refused */
	memcpy(b + ns_at + 3, (const uint8_t[]){ 0xc0, 0x50 }, 2);
	expect_refused(b, n, HN_EPROTO, DNS_REFUSE_POINTER);
	/* a pointer to itself */
	b[ns_at + 3] = 0xc0;
	b[ns_at + 4] = (uint8_t)(ns_at + 3);
	expect_refused(b, n, HN_EPROTO, DNS_REFUSE_POINTER);
	/* a loop: the CNAME's owner points to ns_at, whose pointer points
	 * into the run it ends (ns_at + 0 < ns_at + 3, yet not before ns_at) */
	b[ns_at + 4] = (uint8_t)ns_at;
	expect_refused(b, n, HN_EPROTO, DNS_REFUSE_POINTER);
	/* a pointer cut short */
	expect_refused(b, ns_at + 4, HN_ETRUNC, DNS_REFUSE_TRUNC);
}

static void dns__decode_records(void **state)
{
	(void)state;
	uint8_t b[sizeof RESPONSE];
	/* RFC 2181 8: TTL with the top bit set reads as 0 */
	memcpy(b, RESPONSE, sizeof b);
	b[39] = 0x80;
	struct dns_msg d;
	assert_int_equal(dns_decode(b, sizeof b, &d, NULL), HN_OK);
	assert_int_equal(d.an[0].ttl_s, 0);
	assert_int_equal(d.an[1].ttl_s, 30);
	/* an A record with RDLENGTH 5 (and one more byte) */
	uint8_t r[sizeof RESPONSE + 1];
	memcpy(r, RESPONSE, 49);
	r[44] = 5;
	memcpy(r + 49, RESPONSE + 48, sizeof RESPONSE - 48);
	expect_refused(r, sizeof r, HN_EPROTO, DNS_REFUSE_RDLENGTH);
	/* an A record of class CH is skipped, whatever its length */
	memcpy(b, RESPONSE, sizeof b);
	b[38] = 3;
	assert_int_equal(dns_decode(b, sizeof b, &d, NULL), HN_OK);
	assert_int_equal(d.nanswers, 1);
	assert_int_equal(d.an[0].addr, 0x0a000509u);
	assert_int_equal(d.skipped, 1);
	/* an A record in the additional section is checked but not kept */
	memcpy(b, RESPONSE, sizeof b);
	b[7] = 1;
	b[11] = 1;
	assert_int_equal(dns_decode(b, sizeof b, &d, NULL), HN_OK);
	assert_int_equal(d.nanswers, 1);
	assert_int_equal(d.skipped, 1);
	/* 17 answers: past the model's 16 */
	struct dns_msg m;
	memset(&m, 0, sizeof m);
	strcpy(m.qname, "w");
	m.qr = true;
	m.nanswers = DNS_MAX_ANSWERS;
	uint8_t big[DNS_MAX_UDP];
	int n = dns_encode(&m, big, sizeof big);
	assert_int_equal(n, 12 + 3 + 4 + 16 * 16);
	memcpy(big + n, big + n - 16, 16);
	big[7] = 17;
	expect_refused(big, (size_t)n + 16, HN_EPROTO, DNS_REFUSE_ANCOUNT);
	big[7] = 16;
	assert_int_equal(dns_decode(big, (size_t)n, &d, NULL), HN_OK);
	assert_int_equal(d.nanswers, 16);
}

static void dns__names_and_refusal_names(void **state)
{
	(void)state;
	assert_true(dns_name_eq("WWW.Example.COM", "www.example.com"));
	assert_false(dns_name_eq("www.example.co", "www.example.com"));
	assert_false(dns_name_eq("www-example.com", "www.example.com"));
	assert_string_equal(dns_refusal_name(DNS_REFUSE_TRUNC), "dns_truncated");
	assert_string_equal(dns_refusal_name(DNS_REFUSE_TRAILING), "dns_trailing");
	assert_string_equal(dns_refusal_name(DNS_NREFUSALS), "unknown");
	assert_string_equal(dns_refusal_name(DNS_REFUSE_NONE), "unknown");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(dns__query_bytes),
		cmocka_unit_test(dns__response_bytes),
		cmocka_unit_test(dns__encode_refusals),
		cmocka_unit_test(dns__decode_every_truncation),
		cmocka_unit_test(dns__decode_header_refusals),
		cmocka_unit_test(dns__decode_names),
		cmocka_unit_test(dns__decode_compression),
		cmocka_unit_test(dns__decode_records),
		cmocka_unit_test(dns__names_and_refusal_names),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
