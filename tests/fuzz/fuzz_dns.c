/* fuzz_dns.c - libFuzzer target for dns.c (RFC 1035 messages).
 *
 * Decode arbitrary bytes.  A refusal must name a reason and return the
 * status dns.h gives for it.  When decoding succeeds: encode the decoded
 * message again (it must fit: the question's name cannot be compressed,
 * and a kept answer was at least as long in the input, but for a root
 * owner written as one zero octet where the encoder puts a two-octet
 * pointer), decode that,
 * and check that every field comes back equal and that encoding a second
 * time gives the same bytes.  Any mismatch aborts. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "net/dns.h"
#include "status.h"

static void check(int ok)
{
	if (!ok)
		abort();
}

/* libFuzzer's entry point. */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct dns_msg m, d;
	enum dns_refusal why;
	int rc = dns_decode(data, size, &m, &why);
	if (rc != HN_OK) {
		check(why > DNS_REFUSE_NONE && why < DNS_NREFUSALS);
		check(rc == (why == DNS_REFUSE_TRUNC ? HN_ETRUNC :
			     why == DNS_REFUSE_OVERSIZE || why == DNS_REFUSE_TRAILING ? HN_ELEN :
			     HN_EPROTO));
		return 0;
	}
	check(why == DNS_REFUSE_NONE);
	check(m.nanswers <= DNS_MAX_ANSWERS && strlen(m.qname) < DNS_MAX_NAME);
	uint8_t a[DNS_MAX_UDP], b[DNS_MAX_UDP];
	int n = dns_encode(&m, a, sizeof a);
	check(n >= DNS_HDR_LEN && (size_t)n <= size + (m.qname[0] ? 0 : m.nanswers));
	check(dns_decode(a, (size_t)n, &d, &why) == HN_OK);
	check(d.id == m.id && d.qr == m.qr && d.opcode == m.opcode && d.aa == m.aa &&
	      d.tc == m.tc && d.rd == m.rd && d.ra == m.ra && d.z == m.z && d.rcode == m.rcode);
	check(strcmp(d.qname, m.qname) == 0 && d.qtype == m.qtype && d.qclass == m.qclass);
	check(d.nanswers == m.nanswers && d.skipped == 0);
	check(memcmp(d.an, m.an, sizeof m.an[0] * m.nanswers) == 0);
	check(dns_encode(&d, b, sizeof b) == n && memcmp(a, b, (size_t)n) == 0);
	return 0;
}
