/* auth.c - signed replica authorisations and announcements; see auth.h and
 * docs/threat-model.md. */
#include "hydranet/auth.h"

#include <sodium.h>
#include <stdlib.h>
#include <string.h>

#include "net/bytes.h"
#include "status.h"

static const char AUTH_TAG[] = "hydranet-auth-v1";   /* domain of the origin's signature */
static const char ANN_TAG[] = "hydranet-ann-v1";     /* domain of the host server's */

static int started(void)
{
	static int ok;
	if (!ok)
		ok = sodium_init() >= 0;
	return ok;
}

int auth_keypair(uint64_t seed, const char *who, uint32_t addr, uint16_t service,
		 struct auth_keypair *out)
{
	if (!started())
		return HN_EIO;
	crypto_hash_sha256_state st;
	uint8_t b[8], s32[crypto_hash_sha256_BYTES];
	crypto_hash_sha256_init(&st);
	crypto_hash_sha256_update(&st, (const uint8_t *)"hydranet-key-v1", 15);
	net_put32(b, (uint32_t)(seed >> 32));
	net_put32(b + 4, (uint32_t)seed);
	crypto_hash_sha256_update(&st, b, 8);
	crypto_hash_sha256_update(&st, (const uint8_t *)who, strlen(who));
	net_put32(b, addr);
	net_put16(b + 4, service);
	crypto_hash_sha256_update(&st, b, 6);
	crypto_hash_sha256_final(&st, s32);
	return crypto_sign_seed_keypair(out->pk, out->sk, s32) == 0 ? HN_OK : HN_EIO;
}

void auth_image_hash(uint32_t origin, uint16_t service, uint32_t image_bytes,
		     uint8_t out[RMP_HASH_LEN])
{
	uint8_t b[17 + 10];
	memcpy(b, "hydranet-image-v1", 17);
	net_put32(b + 17, origin);
	net_put16(b + 21, service);
	net_put32(b + 23, image_bytes);
	crypto_hash_sha256(out, b, sizeof b);
}

/* tag || data, signed or verified; data at most RMP_MAX_LEN bytes. */
static size_t tagged(const char *tag, const uint8_t *data, size_t len, uint8_t *out)
{
	size_t t = strlen(tag);
	memcpy(out, tag, t);
	memcpy(out + t, data, len);
	return t + len;
}

static size_t auth_len(unsigned nports)
{
	return RMP_AUTH_FIXED + 2u * nports;
}

int auth_sign_install(struct rmp_msg *m, const struct auth_keypair *origin_key)
{
	if (!started())
		return HN_EIO;
	/* The authorisation's bytes are exactly what the one encoder writes
	 * for them: an AUTHORISE's body before its signature (docs/rmp.md). */
	struct rmp_msg t = *m;
	t.type = RMP_AUTHORISE;
	uint8_t buf[RMP_MAX_LEN], msg[RMP_MAX_LEN + 32];
	int n = rmp_encode(&t, buf, sizeof buf);
	if (n < 0)
		return n;
	size_t ml = tagged(AUTH_TAG, buf + RMP_HDR_LEN, auth_len(m->nports), msg);
	crypto_sign_detached(m->origin_sig, NULL, msg, ml, origin_key->sk);
	return HN_OK;
}

int auth_authorise(struct rmp_msg *m, const struct auth_keypair *origin_key, uint32_t origin,
		   uint16_t service, uint8_t proto, const uint16_t *ports, unsigned nports,
		   uint32_t hs, const uint8_t hs_pk[RMP_KEY_LEN], uint32_t not_before_s,
		   uint32_t not_after_s, uint32_t image_bytes)
{
	if (nports < 1 || nports > RMP_MAX_PORTS)
		return HN_EINVAL;
	memset(m, 0, sizeof *m);
	m->type = RMP_AUTHORISE;
	m->origin = origin;
	m->service = service;
	m->proto = proto;
	m->nports = (uint8_t)nports;
	memcpy(m->ports, ports, nports * sizeof *ports);
	m->host_server = hs;
	m->not_before_s = not_before_s;
	m->not_after_s = not_after_s;
	memcpy(m->hs_key, hs_pk, RMP_KEY_LEN);
	auth_image_hash(origin, service, image_bytes, m->image_hash);
	return auth_sign_install(m, origin_key);
}

int auth_sign_announce(struct rmp_msg *m, const struct auth_keypair *hs_key, uint8_t *buf,
		       size_t cap)
{
	if (!started())
		return HN_EIO;
	m->type = RMP_SANNOUNCE;
	memset(m->hs_sig, 0, sizeof m->hs_sig);
	int n = rmp_encode(m, buf, cap);
	if (n < 0)
		return n;
	uint8_t msg[RMP_MAX_LEN + 32];
	size_t ml = tagged(ANN_TAG, buf, (size_t)n - RMP_SIG_LEN, msg);
	crypto_sign_detached(m->hs_sig, NULL, msg, ml, hs_key->sk);
	memcpy(buf + n - RMP_SIG_LEN, m->hs_sig, RMP_SIG_LEN);
	return n;
}

/* ---- the redirector's verifier ------------------------------------------ */

struct replay_slot {
	uint32_t host_server, origin;
	uint16_t service;
	uint8_t used;
	uint32_t last_seq;
	uint32_t not_after_s;     /* the slot is free again once this has passed */
};

struct rate_slot {
	uint32_t host_server;
	uint8_t used;
	double tokens;
	uint64_t last_ns;
};

struct auth_verifier {
	struct auth_config cfg;
	struct auth_stats st;
	struct auth_service *svc;
	size_t nsvc;
	struct replay_slot *replay;
	struct rate_slot *rate;
};

struct auth_verifier *auth_verifier_new(const struct auth_config *cfg)
{
	if (!cfg || !cfg->max_services || !cfg->replay_entries || !cfg->rate_entries ||
	    !cfg->hs_rate || !cfg->hs_burst || !started())
		return NULL;
	struct auth_verifier *v = calloc(1, sizeof *v);
	if (!v)
		return NULL;
	v->cfg = *cfg;
	v->svc = calloc(cfg->max_services, sizeof *v->svc);
	v->replay = calloc(cfg->replay_entries, sizeof *v->replay);
	v->rate = calloc(cfg->rate_entries, sizeof *v->rate);
	if (!v->svc || !v->replay || !v->rate) {
		auth_verifier_free(v);
		return NULL;
	}
	return v;
}

void auth_verifier_free(struct auth_verifier *v)
{
	if (!v)
		return;
	free(v->svc);
	free(v->replay);
	free(v->rate);
	free(v);
}

int auth_verifier_add(struct auth_verifier *v, const struct auth_service *s)
{
	if (!s->origin || !s->nports || s->nports > RMP_MAX_PORTS)
		return HN_EINVAL;
	if (v->nsvc == v->cfg.max_services)
		return HN_ELIMIT;
	v->svc[v->nsvc++] = *s;
	return HN_OK;
}

static int has_port(const uint16_t *ports, unsigned n, uint16_t p)
{
	for (unsigned i = 0; i < n; i++)
		if (ports[i] == p)
			return 1;
	return 0;
}

/* Token bucket of the host server; 0 when it must wait or no bucket is free. */
static int rate_ok(struct auth_verifier *v, uint32_t hs, uint64_t now_ns, enum auth_drop *why)
{
	struct rate_slot *free_slot = NULL;
	double per_ns = (double)v->cfg.hs_rate / 1e9, burst = (double)v->cfg.hs_burst;
	for (uint64_t i = 0; i < v->cfg.rate_entries; i++) {
		struct rate_slot *r = &v->rate[i];
		if (r->used && r->host_server == hs) {
			r->tokens += (double)(now_ns - r->last_ns) * per_ns;
			if (r->tokens > burst)
				r->tokens = burst;
			r->last_ns = now_ns;
			if (r->tokens < 1.0) {
				*why = AUTH_DROP_RATE;
				return 0;
			}
			r->tokens -= 1.0;
			return 1;
		}
		/* a bucket that has refilled completely holds nothing to remember */
		if (!free_slot && (!r->used || (double)(now_ns - r->last_ns) * per_ns + r->tokens >= burst))
			free_slot = r;
	}
	if (!free_slot) {
		*why = AUTH_DROP_RATE_FULL;
		return 0;
	}
	*free_slot = (struct rate_slot){ hs, 1, burst - 1.0, now_ns };
	return 1;
}

int auth_verify(struct auth_verifier *v, const struct rmp_msg *m, const uint8_t *msg,
		size_t len, uint64_t now_ns, enum auth_drop *why)
{
	enum auth_drop d;
	uint32_t now_s = (uint32_t)(now_ns / 1000000000ull);
	if (m->type != RMP_SANNOUNCE) {
		d = AUTH_DROP_UNSIGNED;
		goto drop;
	}
	/* Cheap checks first, so a flood costs no signature verifications. */
	if (!rate_ok(v, m->host_server, now_ns, &d))
		goto drop;
	const struct auth_service *s = NULL;
	for (size_t i = 0; i < v->nsvc; i++)
		if (v->svc[i].origin == m->origin && v->svc[i].service == m->service)
			s = &v->svc[i];
	if (!s) {
		d = AUTH_DROP_UNKNOWN;
		goto drop;
	}
	int fits = s->proto == m->proto;
	for (unsigned i = 0; fits && i < m->nports; i++)
		fits = has_port(s->ports, s->nports, m->ports[i]);
	for (unsigned i = 0; fits && i < m->nann; i++)
		fits = has_port(m->ports, m->nports, m->ann_ports[i]);
	if (!fits) {
		d = AUTH_DROP_WRONG_SERVICE;
		goto drop;
	}
	if (now_s < m->not_before_s || now_s > m->not_after_s) {
		d = AUTH_DROP_EXPIRED;
		goto drop;
	}
	struct replay_slot *slot = NULL, *free_slot = NULL;
	for (uint64_t i = 0; i < v->cfg.replay_entries; i++) {
		struct replay_slot *r = &v->replay[i];
		if (r->used && r->host_server == m->host_server && r->origin == m->origin &&
		    r->service == m->service)
			slot = r;
		else if (!free_slot && (!r->used || r->not_after_s < now_s))
			free_slot = r;
	}
	if (slot && m->seq <= slot->last_seq) {
		d = AUTH_DROP_REPLAY;
		goto drop;
	}
	if (!slot && !free_slot) {
		d = AUTH_DROP_REPLAY_FULL;
		goto drop;
	}
	uint8_t buf[RMP_MAX_LEN + 32];
	size_t bl = tagged(AUTH_TAG, msg + RMP_HDR_LEN, auth_len(m->nports), buf);
	v->st.signatures_checked++;
	if (crypto_sign_verify_detached(m->origin_sig, buf, bl, s->pk) != 0) {
		d = AUTH_DROP_FORGED_AUTH;
		goto drop;
	}
	bl = tagged(ANN_TAG, msg, len - RMP_SIG_LEN, buf);
	v->st.signatures_checked++;
	if (crypto_sign_verify_detached(m->hs_sig, buf, bl, m->hs_key) != 0) {
		d = AUTH_DROP_FORGED_ANN;
		goto drop;
	}
	if (!slot) {
		slot = free_slot;
		*slot = (struct replay_slot){ m->host_server, m->origin, m->service, 1, 0, 0 };
	}
	slot->last_seq = m->seq;
	slot->not_after_s = m->not_after_s;
	v->st.verified++;
	return HN_OK;
drop:
	v->st.drops[d]++;
	if (why)
		*why = d;
	return HN_EPROTO;
}

const struct auth_stats *auth_stats(const struct auth_verifier *v)
{
	return &v->st;
}

const char *auth_drop_name(enum auth_drop d)
{
	static const char *const names[AUTH_NDROP] = { AUTH_STATS(COUNTER_SKIP, COUNTER_NAME) };
	return (unsigned)d < AUTH_NDROP ? names[d] : "unknown";
}

/* Cost of Ed25519 on the testbed machines.
 * Source: D. J. Bernstein, N. Duif, T. Lange, P. Schwabe, B.-Y. Yang,
 * "High-speed high-security signatures", J. Cryptographic Engineering 2(2),
 * 2012, sec. 1: 87548 cycles to sign and 273364 cycles to verify one
 * signature on an Intel Westmere (Xeon E5620), amd64 code.
 * ASSUMED (no measurement on 1998 hardware exists): a Pentium (P5) running
 * 32-bit code with 32x32-bit multiplies needs 4 times those cycles; an
 * i486 another 2 times (slower integer multiply, no pairing).  At the
 * testbed clocks (profile.c: Pentium 120 MHz, i486SX 33 MHz):
 *   pentium-120: sign 87548*4/120e6 = 2.918 ms, verify 273364*4/120e6 = 9.112 ms
 *   i486sx-33:   sign 87548*8/33e6 = 21.224 ms, verify 273364*8/33e6 = 66.270 ms */
uint64_t auth_cost_ns(const char *profile, enum auth_op op)
{
	double cycles = op == AUTH_OP_SIGN ? 87548.0 : 273364.0;
	double factor = 4.0, hz = 120e6;
	if (profile && strcmp(profile, "i486sx-33") == 0) {
		factor = 8.0;
		hz = 33e6;
	}
	return (uint64_t)(cycles * factor / hz * 1e9 + 0.5);
}

#define STAT_C(field, name, doc) COUNTER_DEF(struct auth_stats, field, name, doc)
#define STAT_D(e, name, doc) COUNTER_DROP_DEF(struct auth_stats, AUTH_DROP_##e, "" name, doc)
static const struct counter_def counter_defs[] = { AUTH_STATS(STAT_C, STAT_D) };
const struct counter_set auth_counters = COUNTER_SET("auth", counter_defs);
