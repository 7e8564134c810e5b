/* dns.c - the DNS message format (RFC 1035) for A-record queries and
 * answers; see dns.h for what is kept and what is refused.  Each rule is
 * cited where it is applied.  Caller-owned buffers only.  Not here: servers,
 * resolvers, caches. */
#include "net/dns.h"

#include <string.h>

#include "net/bytes.h"
#include "status.h"

#define RR_FIXED 10   /* RFC 1035 4.1.3: TYPE, CLASS, TTL, RDLENGTH after the name */
#define PTR_MASK 0xc0 /* RFC 1035 4.1.4: the top two bits 11 mark a pointer */

static int refuse(enum dns_refusal r, enum dns_refusal *why)
{
	if (why)
		*why = r;
	switch (r) {
	case DNS_REFUSE_TRUNC:
		return HN_ETRUNC;
	case DNS_REFUSE_OVERSIZE:
	case DNS_REFUSE_TRAILING:
		return HN_ELEN;
	default:
		return HN_EPROTO;
	}
}

int dns_name_encode(const char *name, uint8_t *buf, size_t cap)
{
	if (!name || !buf)
		return HN_EINVAL;
	size_t n = strlen(name);
	if (n && name[n - 1] == '.')
		n--;   /* the final dot of a fully qualified name */
	size_t w = 0;
	size_t i = 0;
	while (i < n) {
		size_t j = i;
		while (j < n && name[j] != '.')
			j++;
		size_t l = j - i;
		/* RFC 1035 3.1: only the root has an empty label; 2.3.4: a
		 * label is at most 63 octets. */
		if (l == 0 || l > DNS_MAX_LABEL)
			return HN_EINVAL;
		if (w + 1 + l + 1 > DNS_MAX_NAME)   /* 2.3.4: 255 octets with the root */
			return HN_EINVAL;
		if (w + 1 + l > cap)
			return HN_ENOSPC;
		buf[w++] = (uint8_t)l;
		memcpy(buf + w, name + i, l);
		w += l;
		i = j + 1;
		if (j + 1 == n)   /* "a..": a trailing empty label */
			return HN_EINVAL;
	}
	if (w + 1 > cap)
		return HN_ENOSPC;
	buf[w++] = 0;   /* RFC 1035 3.1: the null label of the root ends every name */
	return (int)w;
}

/* Read the name at buf[off] into out (dotted text, NUL-terminated, at most
 * DNS_MAX_NAME + 1 bytes) and set *next to the offset after it in the
 * record (after its first pointer, or its final zero octet). */
static int read_name(const uint8_t *buf, size_t len, size_t off, char *out, size_t *next,
		     enum dns_refusal *why)
{
	size_t pos = off;
	size_t limit = off;   /* a pointer must point before this: strictly backwards */
	size_t wire = 0;      /* octets of the uncompressed name so far */
	size_t o = 0;
	int jumped = 0;
	for (;;) {
		if (pos >= len)
			return refuse(DNS_REFUSE_TRUNC, why);
		uint8_t l = buf[pos];
		if ((l & PTR_MASK) == PTR_MASK) {
			if (pos + 2 > len)
				return refuse(DNS_REFUSE_TRUNC, why);
			size_t target = net_get16(buf + pos) & 0x3fffu;
			/* RFC 1035 4.1.4: a pointer names a prior occurrence of a
			 * name.  Each jump must land before the start of the run
			 * of labels it ends, and after the header: offsets then
			 * strictly decrease, so no pointer chain can loop. */
			if (target >= limit || target < DNS_HDR_LEN)
				return refuse(DNS_REFUSE_POINTER, why);
			if (!jumped)
				*next = pos + 2;
			jumped = 1;
			pos = target;
			limit = target;
			continue;
		}
		/* RFC 1035 4.1.4: 01 and 10 are reserved label types (RFC 6891
		 * later took 01 for extended labels, which are not spoken). */
		if (l & PTR_MASK)
			return refuse(DNS_REFUSE_LABEL_TYPE, why);
		/* RFC 1035 2.3.4: 255 octets in all, with the root's zero */
		wire += (size_t)l + 1;
		if (wire > DNS_MAX_NAME)
			return refuse(DNS_REFUSE_NAME_LONG, why);
		if (l == 0) {
			if (!jumped)
				*next = pos + 1;
			out[o] = '\0';
			return HN_OK;
		}
		if (pos + 1 + l > len)
			return refuse(DNS_REFUSE_TRUNC, why);
		if (o)
			out[o++] = '.';
		for (size_t k = 0; k < l; k++) {
			uint8_t c = buf[pos + 1 + k];
			if (c == '.' || c == 0)
				return refuse(DNS_REFUSE_LABEL_OCTET, why);
			out[o++] = (char)c;
		}
		pos += 1 + (size_t)l;
	}
}

bool dns_name_eq(const char *a, const char *b)
{
	/* RFC 1035 2.3.3: comparisons ignore ASCII case. */
	for (;; a++, b++) {
		unsigned char x = (unsigned char)*a, y = (unsigned char)*b;
		if (x >= 'A' && x <= 'Z')
			x = (unsigned char)(x - 'A' + 'a');
		if (y >= 'A' && y <= 'Z')
			y = (unsigned char)(y - 'A' + 'a');
		if (x != y)
			return false;
		if (!x)
			return true;
	}
}

int dns_encode(const struct dns_msg *m, uint8_t *buf, size_t cap)
{
	if (!m || !buf)
		return HN_EINVAL;
	if (m->opcode > 15 || m->rcode > 15 || m->z > 7 || m->nanswers > DNS_MAX_ANSWERS)
		return HN_EINVAL;
	if (cap < DNS_HDR_LEN)
		return HN_ENOSPC;
	/* RFC 1035 4.1.1: ID, then QR|Opcode|AA|TC|RD and RA|Z|RCODE, then
	 * the four counts. */
	net_put16(buf, m->id);
	buf[2] = (uint8_t)((m->qr ? 0x80 : 0) | m->opcode << 3 | (m->aa ? 0x04 : 0) |
			   (m->tc ? 0x02 : 0) | (m->rd ? 0x01 : 0));
	buf[3] = (uint8_t)((m->ra ? 0x80 : 0) | m->z << 4 | m->rcode);
	net_put16(buf + 4, 1);
	net_put16(buf + 6, m->nanswers);
	net_put16(buf + 8, 0);
	net_put16(buf + 10, 0);
	size_t w = DNS_HDR_LEN;
	/* RFC 1035 4.1.2: QNAME, QTYPE, QCLASS */
	int n = dns_name_encode(m->qname, buf + w, cap - w);
	if (n < 0)
		return n;
	w += (size_t)n;
	if (w + 4 > cap)
		return HN_ENOSPC;
	net_put16(buf + w, m->qtype);
	net_put16(buf + w + 2, m->qclass);
	w += 4;
	for (size_t i = 0; i < m->nanswers; i++) {
		/* RFC 2181 8: a TTL is 0 .. 2^31 - 1 */
		if (m->an[i].ttl_s > 0x7fffffffu)
			return HN_EINVAL;
		if (w + 2 + RR_FIXED + 4 > cap)
			return HN_ENOSPC;
		/* RFC 1035 4.1.4: the owner is the question's name at offset
		 * 12, as the pointer 0xc00c. */
		net_put16(buf + w, 0xc000 | DNS_HDR_LEN);
		net_put16(buf + w + 2, DNS_TYPE_A);    /* 4.1.3 TYPE */
		net_put16(buf + w + 4, DNS_CLASS_IN);  /* CLASS */
		net_put32(buf + w + 6, m->an[i].ttl_s); /* TTL */
		net_put16(buf + w + 10, 4);            /* RDLENGTH (3.4.1: A is 4 octets) */
		net_put32(buf + w + 12, m->an[i].addr); /* RDATA */
		w += 2 + RR_FIXED + 4;
	}
	/* RFC 1035 4.2.1: a UDP message is at most 512 octets */
	if (w > DNS_MAX_UDP)
		return HN_ELEN;
	return (int)w;
}

int dns_decode(const uint8_t *buf, size_t len, struct dns_msg *m, enum dns_refusal *why)
{
	if (!buf || !m)
		return HN_EINVAL;
	if (why)
		*why = DNS_REFUSE_NONE;
	memset(m, 0, sizeof *m);
	/* RFC 1035 4.2.1: longer messages are not carried over UDP */
	if (len > DNS_MAX_UDP)
		return refuse(DNS_REFUSE_OVERSIZE, why);
	if (len < DNS_HDR_LEN)
		return refuse(DNS_REFUSE_TRUNC, why);
	/* RFC 1035 4.1.1 */
	m->id = net_get16(buf);
	m->qr = buf[2] & 0x80;
	m->opcode = (buf[2] >> 3) & 0x0f;
	m->aa = buf[2] & 0x04;
	m->tc = buf[2] & 0x02;
	m->rd = buf[2] & 0x01;
	m->ra = buf[3] & 0x80;
	m->z = (buf[3] >> 4) & 0x07;
	m->rcode = buf[3] & 0x0f;
	uint16_t qd = net_get16(buf + 4);
	size_t nrr = (size_t)net_get16(buf + 6) + net_get16(buf + 8) + net_get16(buf + 10);
	size_t nan = net_get16(buf + 6);
	if (m->opcode != DNS_OPCODE_QUERY)
		return refuse(DNS_REFUSE_OPCODE, why);
	if (qd != 1)
		return refuse(DNS_REFUSE_QDCOUNT, why);
	size_t off = DNS_HDR_LEN;
	int rc = read_name(buf, len, off, m->qname, &off, why);
	if (rc < 0)
		return rc;
	if (off + 4 > len)   /* 4.1.2: QTYPE, QCLASS */
		return refuse(DNS_REFUSE_TRUNC, why);
	m->qtype = net_get16(buf + off);
	m->qclass = net_get16(buf + off + 2);
	off += 4;
	/* 4.1.3: answer, authority and additional records, in order */
	for (size_t i = 0; i < nrr; i++) {
		char owner[DNS_MAX_NAME + 1];
		rc = read_name(buf, len, off, owner, &off, why);
		if (rc < 0)
			return rc;
		if (off + RR_FIXED > len)
			return refuse(DNS_REFUSE_TRUNC, why);
		uint16_t type = net_get16(buf + off);
		uint16_t cls = net_get16(buf + off + 2);
		uint32_t ttl = net_get32(buf + off + 4);
		size_t rdlen = net_get16(buf + off + 8);
		off += RR_FIXED;
		if (off + rdlen > len)
			return refuse(DNS_REFUSE_TRUNC, why);
		int is_a = type == DNS_TYPE_A && cls == DNS_CLASS_IN;
		/* RFC 1035 3.4.1: an A record's RDATA is one 32-bit address */
		if (is_a && rdlen != 4)
			return refuse(DNS_REFUSE_RDLENGTH, why);
		if (is_a && i < nan && dns_name_eq(owner, m->qname)) {
			if (m->nanswers == DNS_MAX_ANSWERS)
				return refuse(DNS_REFUSE_ANCOUNT, why);
			/* RFC 2181 8: a TTL with its top bit set is read as 0 */
			m->an[m->nanswers].ttl_s = ttl & 0x80000000u ? 0 : ttl;
			m->an[m->nanswers].addr = net_get32(buf + off);
			m->nanswers++;
		} else {
			m->skipped++;
		}
		off += rdlen;
	}
	if (off != len)
		return refuse(DNS_REFUSE_TRAILING, why);
	return HN_OK;
}

const char *dns_refusal_name(enum dns_refusal r)
{
	static const char *const names[DNS_NREFUSALS] = {
#define DNS_REFUSAL_NAME(e, name, doc) name,
		DNS_REFUSALS(DNS_REFUSAL_NAME)
#undef DNS_REFUSAL_NAME
	};
	return (int)r >= 0 && r < DNS_NREFUSALS ? names[r] : "unknown";
}
