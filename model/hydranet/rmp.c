/* rmp.c - encode and decode replica-management messages; see rmp.h and
 * docs/rmp.md for the layout. */
#include "hydranet/rmp.h"

#include <string.h>

#include "net/bytes.h"
#include "status.h"

/* Body length of a message of type t, given its count field (nports or
 * nsaps); -1 for an unknown type. */
static int body_len(uint8_t t, unsigned count)
{
	switch (t) {
	case RMP_INSTALL: return 12 + 2 * (int)count;     /* origin svc proto n image ports */
	case RMP_INSTALL_ACK:
	case RMP_REMOVE_ACK: return 8;                    /* origin svc status pad */
	case RMP_REMOVE: return 8;                        /* origin svc pad */
	case RMP_LOAD: return 24;                         /* origin svc pad req ivl bytes */
	case RMP_PUSH: return 24;                         /* origin svc pad obj ver exp len */
	case RMP_METER: return 20;                        /* origin svc pad hits misses ivl */
	case RMP_ANNOUNCE:
	case RMP_WITHDRAW: return 8 + 8 * (int)count;     /* hs lifetime n pad saps */
	case RMP_SANNOUNCE: return RMP_SANN_BODY(count & 0xff, count >> 8);   /* see docs/rmp.md */
	case RMP_AUTHORISE: return RMP_AUTH_FIXED + 2 * (int)count + RMP_SIG_LEN;
	default: return -1;
	}
}

static int valid_proto(uint8_t p)
{
	return p == 6 || p == 17;
}

/* The checks both directions share. */
static int check(const struct rmp_msg *m)
{
	switch (m->type) {
	case RMP_INSTALL:
		if (!m->origin || !valid_proto(m->proto) || m->nports < 1 || m->nports > RMP_MAX_PORTS)
			return HN_EINVAL;
		for (unsigned i = 0; i < m->nports; i++)
			if (!m->ports[i])
				return HN_EINVAL;
		return HN_OK;
	case RMP_INSTALL_ACK:
	case RMP_REMOVE_ACK:
	case RMP_REMOVE:
	case RMP_LOAD:
	case RMP_METER:
		return m->origin ? HN_OK : HN_EINVAL;
	case RMP_PUSH:
		return m->origin && m->object_bytes <= RMP_MAX_OBJECT ? HN_OK : HN_EINVAL;
	case RMP_ANNOUNCE:
	case RMP_WITHDRAW:
		if (!m->host_server || m->nsaps < 1 || m->nsaps > RMP_MAX_ENTRIES)
			return HN_EINVAL;
		if ((m->type == RMP_ANNOUNCE) != (m->lifetime_s > 0) || m->lifetime_s > RMP_MAX_LIFETIME)
			return HN_EINVAL;
		for (unsigned i = 0; i < m->nsaps; i++)
			if (!m->saps[i].origin || !m->saps[i].port || !valid_proto(m->saps[i].proto))
				return HN_EINVAL;
		return HN_OK;
	case RMP_SANNOUNCE:
	case RMP_AUTHORISE:
		if (!m->origin || !valid_proto(m->proto) || m->nports < 1 || m->nports > RMP_MAX_PORTS ||
		    !m->host_server || m->not_before_s > m->not_after_s)
			return HN_EINVAL;
		if (m->type == RMP_SANNOUNCE &&
		    (m->nann < 1 || m->nann > RMP_MAX_PORTS || m->lifetime_s > RMP_MAX_LIFETIME))
			return HN_EINVAL;
		for (unsigned i = 0; i < m->nports; i++)
			if (!m->ports[i])
				return HN_EINVAL;
		for (unsigned i = 0; i < m->nann; i++)
			if (!m->ann_ports[i])
				return HN_EINVAL;
		return HN_OK;
	default:
		return HN_EPROTO;
	}
}

/* The authorisation and the origin's signature, as AUTHORISE and SANNOUNCE
 * both carry them at the start of their body; returns the byte after. */
static uint8_t *put_authorisation(uint8_t *b, const struct rmp_msg *m)
{
	net_put32(b, m->origin);
	net_put16(b + 4, m->service);
	b[6] = m->proto;
	b[7] = m->nports;
	net_put32(b + 8, m->host_server);
	net_put32(b + 12, m->not_before_s);
	net_put32(b + 16, m->not_after_s);
	memcpy(b + 20, m->hs_key, RMP_KEY_LEN);
	memcpy(b + 52, m->image_hash, RMP_HASH_LEN);
	for (unsigned i = 0; i < m->nports; i++)
		net_put16(b + RMP_AUTH_FIXED + 2 * i, m->ports[i]);
	uint8_t *a = b + RMP_AUTH_FIXED + 2 * m->nports;
	memcpy(a, m->origin_sig, RMP_SIG_LEN);
	return a + RMP_SIG_LEN;
}

/* Its inverse, after the length has been checked. */
static const uint8_t *get_authorisation(const uint8_t *b, struct rmp_msg *m)
{
	m->host_server = net_get32(b + 8);
	m->not_before_s = net_get32(b + 12);
	m->not_after_s = net_get32(b + 16);
	memcpy(m->hs_key, b + 20, RMP_KEY_LEN);
	memcpy(m->image_hash, b + 52, RMP_HASH_LEN);
	for (unsigned i = 0; i < m->nports; i++)
		m->ports[i] = net_get16(b + RMP_AUTH_FIXED + 2 * i);
	const uint8_t *a = b + RMP_AUTH_FIXED + 2 * m->nports;
	memcpy(m->origin_sig, a, RMP_SIG_LEN);
	return a + RMP_SIG_LEN;
}

int rmp_encode(const struct rmp_msg *m, uint8_t *buf, size_t cap)
{
	int rc = check(m);
	if (rc != HN_OK)
		return rc;
	unsigned count = m->type == RMP_INSTALL || m->type == RMP_AUTHORISE ? m->nports
		       : (m->type == RMP_ANNOUNCE || m->type == RMP_WITHDRAW) ? m->nsaps
		       : m->type == RMP_SANNOUNCE ? (unsigned)m->nports | (unsigned)m->nann << 8 : 0;
	size_t len = RMP_HDR_LEN + (size_t)body_len(m->type, count);
	if (cap < len)
		return HN_ENOSPC;
	memset(buf, 0, len);
	buf[0] = RMP_VERSION;
	buf[1] = m->type;
	net_put16(buf + 2, (uint16_t)len);
	net_put32(buf + 4, m->seq);
	uint8_t *b = buf + RMP_HDR_LEN;
	switch (m->type) {
	case RMP_INSTALL:
		net_put32(b, m->origin);
		net_put16(b + 4, m->service);
		b[6] = m->proto;
		b[7] = m->nports;
		net_put32(b + 8, m->image_bytes);
		for (unsigned i = 0; i < m->nports; i++)
			net_put16(b + 12 + 2 * i, m->ports[i]);
		break;
	case RMP_INSTALL_ACK:
	case RMP_REMOVE_ACK:
	case RMP_REMOVE:
		net_put32(b, m->origin);
		net_put16(b + 4, m->service);
		b[6] = m->type == RMP_REMOVE ? 0 : m->status;
		break;
	case RMP_LOAD:
		net_put32(b, m->origin);
		net_put16(b + 4, m->service);
		net_put32(b + 8, m->requests);
		net_put32(b + 12, m->interval_ms);
		net_put32(b + 16, (uint32_t)(m->bytes >> 32));
		net_put32(b + 20, (uint32_t)m->bytes);
		break;
	case RMP_PUSH:
		net_put32(b, m->origin);
		net_put16(b + 4, m->service);
		net_put32(b + 8, m->object);
		net_put32(b + 12, m->version);
		net_put32(b + 16, m->expires_s);
		net_put32(b + 20, m->object_bytes);
		break;
	case RMP_METER:
		net_put32(b, m->origin);
		net_put16(b + 4, m->service);
		net_put32(b + 8, m->hits);
		net_put32(b + 12, m->misses);
		net_put32(b + 16, m->interval_ms);
		break;
	case RMP_AUTHORISE:
		put_authorisation(b, m);
		break;
	case RMP_SANNOUNCE: {
		uint8_t *a = put_authorisation(b, m);
		net_put16(a, m->lifetime_s);
		a[2] = m->nann;
		for (unsigned i = 0; i < m->nann; i++)
			net_put16(a + 4 + 2 * i, m->ann_ports[i]);
		memcpy(a + 4 + 2 * m->nann, m->hs_sig, RMP_SIG_LEN);
		break;
	}
	default:   /* ANNOUNCE, WITHDRAW */
		net_put32(b, m->host_server);
		net_put16(b + 4, m->lifetime_s);
		b[6] = m->nsaps;
		for (unsigned i = 0; i < m->nsaps; i++) {
			uint8_t *e = b + 8 + 8 * i;
			net_put32(e, m->saps[i].origin);
			net_put16(e + 4, m->saps[i].port);
			e[6] = m->saps[i].proto;
		}
		break;
	}
	return (int)len;
}

int rmp_decode(const uint8_t *buf, size_t len, struct rmp_msg *m)
{
	if (len < RMP_HDR_LEN)
		return 0;   /* a stream may still bring the rest */
	if (buf[0] != RMP_VERSION)
		return HN_EVERSION;
	uint8_t t = buf[1];
	size_t mlen = net_get16(buf + 2);
	if (body_len(t, 0) < 0)
		return HN_EPROTO;
	if (mlen < RMP_HDR_LEN + (size_t)body_len(t, 0) || mlen > RMP_MAX_LEN)
		return HN_ELEN;
	if (len < mlen)
		return 0;
	memset(m, 0, sizeof *m);
	m->type = t;
	m->seq = net_get32(buf + 4);
	const uint8_t *b = buf + RMP_HDR_LEN;
	unsigned count = 0;
	switch (t) {
	case RMP_INSTALL:
		m->origin = net_get32(b);
		m->service = net_get16(b + 4);
		m->proto = b[6];
		count = m->nports = b[7];
		m->image_bytes = net_get32(b + 8);
		if (count > RMP_MAX_PORTS)
			return HN_EINVAL;
		break;
	case RMP_INSTALL_ACK:
	case RMP_REMOVE_ACK:
	case RMP_REMOVE:
		m->origin = net_get32(b);
		m->service = net_get16(b + 4);
		m->status = b[6];
		break;
	case RMP_LOAD:
		m->origin = net_get32(b);
		m->service = net_get16(b + 4);
		m->requests = net_get32(b + 8);
		m->interval_ms = net_get32(b + 12);
		m->bytes = (uint64_t)net_get32(b + 16) << 32 | net_get32(b + 20);
		break;
	case RMP_PUSH:
		m->origin = net_get32(b);
		m->service = net_get16(b + 4);
		m->object = net_get32(b + 8);
		m->version = net_get32(b + 12);
		m->expires_s = net_get32(b + 16);
		m->object_bytes = net_get32(b + 20);
		break;
	case RMP_METER:
		m->origin = net_get32(b);
		m->service = net_get16(b + 4);
		m->hits = net_get32(b + 8);
		m->misses = net_get32(b + 12);
		m->interval_ms = net_get32(b + 16);
		break;
	case RMP_AUTHORISE:
		m->origin = net_get32(b);
		m->service = net_get16(b + 4);
		m->proto = b[6];
		count = m->nports = b[7];
		if (count > RMP_MAX_PORTS)
			return HN_EINVAL;
		break;
	case RMP_SANNOUNCE: {
		m->origin = net_get32(b);
		m->service = net_get16(b + 4);
		m->proto = b[6];
		m->nports = b[7];
		if (m->nports > RMP_MAX_PORTS)
			return HN_EINVAL;
		/* the announced-port count sits after the authorisation: read it
		 * only where the length field says the message reaches */
		size_t at = RMP_HDR_LEN + RMP_AUTH_FIXED + 2u * m->nports + RMP_SIG_LEN + 2;
		if (mlen < at + 1)
			return HN_ELEN;
		m->nann = buf[at];
		if (m->nann > RMP_MAX_PORTS)
			return HN_EINVAL;
		count = (unsigned)m->nports | (unsigned)m->nann << 8;
		break;
	}
	default:   /* ANNOUNCE, WITHDRAW */
		m->host_server = net_get32(b);
		m->lifetime_s = net_get16(b + 4);
		count = m->nsaps = b[6];
		if (count > RMP_MAX_ENTRIES)
			return HN_EINVAL;
		break;
	}
	/* The length field must be exactly what the counts say: no trailing
	 * bytes to smuggle, no entries cut short. */
	if (mlen != RMP_HDR_LEN + (size_t)body_len(t, count))
		return HN_ELEN;
	if (t == RMP_INSTALL)
		for (unsigned i = 0; i < count; i++)
			m->ports[i] = net_get16(b + 12 + 2 * i);
	if (t == RMP_AUTHORISE)
		get_authorisation(b, m);
	if (t == RMP_SANNOUNCE) {
		const uint8_t *a = get_authorisation(b, m);
		m->lifetime_s = net_get16(a);
		for (unsigned i = 0; i < m->nann; i++)
			m->ann_ports[i] = net_get16(a + 4 + 2 * i);
		memcpy(m->hs_sig, a + 4 + 2 * m->nann, RMP_SIG_LEN);
	}
	if (t == RMP_ANNOUNCE || t == RMP_WITHDRAW)
		for (unsigned i = 0; i < count; i++) {
			const uint8_t *e = b + 8 + 8 * i;
			m->saps[i] = (struct rmp_sap){ net_get32(e), net_get16(e + 4), e[6] };
		}
	int rc = check(m);
	return rc == HN_OK ? (int)mlen : rc;
}

const char *rmp_type_name(uint8_t type)
{
	switch (type) {
	case RMP_INSTALL: return "install";
	case RMP_INSTALL_ACK: return "install_ack";
	case RMP_REMOVE: return "remove";
	case RMP_REMOVE_ACK: return "remove_ack";
	case RMP_LOAD: return "load";
	case RMP_PUSH: return "push";
	case RMP_METER: return "meter";
	case RMP_ANNOUNCE: return "announce";
	case RMP_WITHDRAW: return "withdraw";
	case RMP_SANNOUNCE: return "sannounce";
	case RMP_AUTHORISE: return "authorise";
	default: return "unknown";
	}
}
