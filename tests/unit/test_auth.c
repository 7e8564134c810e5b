/* test_auth.c - authenticated routing: every attack of docs/threat-model.md
 * run against a real redirector table, routing daemon and datapath, once
 * with authentication off (the paper's protocol) and once on.
 *
 * Each attack: the legitimate host server H announces the origin's port 80
 * at t = 1 s; the attacker sends its messages at t = 2 s (encoded bytes fed
 * to the redirector's routing daemon, as its socket would); at t = 3 s 1000
 * clients open connections to the origin's port 80 (TCP SYN datagrams
 * offered to redir_input) and the tunnelled datagrams are counted by the
 * host server they were sent to.  With authentication off the attacker
 * sends the same claim as a plain ANNOUNCE/WITHDRAW, the only form that
 * redirector takes.  The test checks: off, every hijack attack draws
 * requests to the attacker; on, none does, H serves all 1000, every refusal
 * is under its own drop reason and the table holds H's one entry.  With
 * HN_AUTH_TABLE=FILE it writes the attack table (EXPERIMENTS.md). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hydranet/auth.h"
#include "hydranet/redir.h"
#include "hydranet/rmp.h"
#include "hydranet/rtd.h"
#include "status.h"
#include "testutil.h"

#define ORIGIN IP4(192, 20, 225, 20)
#define HS IP4(128, 142, 222, 80)      /* the legitimate host server */
#define ROGUE IP4(10, 66, 6, 6)        /* a rogue host server */
#define RCLIENT IP4(10, 0, 1, 2)       /* a rogue client */
#define CLIENT IP4(10, 0, 3, 2)
#define SEED 1u
#define S(x) ((uint64_t)(x) * 1000000000ull)
#define NREQ 1000

struct tally {
	int to_hs, to_attacker, to_other;
	uint32_t attacker;
};

static int out(void *ctx, const uint8_t *dg, size_t len)
{
	struct tally *t = ctx;
	(void)len;
	uint32_t dst = net_get32(dg + 16);
	if (dst == HS)
		t->to_hs++;
	else if (dst == t->attacker)
		t->to_attacker++;
	else
		t->to_other++;
	return HN_OK;
}
static uint32_t mtu(void *ctx, uint32_t dst)
{
	(void)ctx;
	(void)dst;
	return 1500;
}
static uint32_t src(void *ctx, uint32_t dst)
{
	(void)ctx;
	(void)dst;
	return IP4(10, 0, 0, 1);
}

struct bed {
	struct tally t;
	struct redir *r;
	struct rtd *d;
	struct auth_verifier *v;
	struct auth_keypair o1, o2, hs, rogue;   /* origin's keys for services 1, 2 */
	uint32_t hs_seq;
};

static void bed_open(struct bed *b, int auth, uint32_t attacker)
{
	memset(b, 0, sizeof *b);
	b->t.attacker = attacker;
	struct redir_config cfg = { .frag = { 4, 4096, 1000000000ull } };
	struct redir_io io = { out, mtu, src, &b->t };
	b->r = redir_new(&cfg, &io);
	b->d = rtd_redir_new(NULL, b->r);
	assert_non_null(b->r);
	assert_non_null(b->d);
	assert_int_equal(auth_keypair(SEED, "origin", ORIGIN, 1, &b->o1), HN_OK);
	assert_int_equal(auth_keypair(SEED, "origin", ORIGIN, 2, &b->o2), HN_OK);
	assert_int_equal(auth_keypair(SEED, "hostserver", HS, 0, &b->hs), HN_OK);
	assert_int_equal(auth_keypair(SEED, "hostserver", ROGUE, 0, &b->rogue), HN_OK);
	if (!auth)
		return;
	struct auth_config ac;
	auth_config_default(&ac);
	ac.enabled = true;
	b->v = auth_verifier_new(&ac);
	assert_non_null(b->v);
	struct auth_service s1 = { ORIGIN, 1, 6, 1, { 80 }, { 0 } };
	struct auth_service s2 = { ORIGIN, 2, 6, 1, { 8080 }, { 0 } };
	memcpy(s1.pk, b->o1.pk, RMP_KEY_LEN);
	memcpy(s2.pk, b->o2.pk, RMP_KEY_LEN);
	assert_int_equal(auth_verifier_add(b->v, &s1), HN_OK);
	assert_int_equal(auth_verifier_add(b->v, &s2), HN_OK);
	rtd_redir_set_auth(b->d, b->v);
}

static void bed_close(struct bed *b)
{
	rtd_free(b->d);
	redir_free(b->r);
	auth_verifier_free(b->v);
}

/* An authorisation of service svc (port) for host server hs (key hk),
 * valid [nb, na] s, signed with the key `by`. */
static struct rmp_msg authorisation(uint16_t svc, uint16_t port, uint32_t hs,
				    const struct auth_keypair *hk, uint32_t nb, uint32_t na,
				    const struct auth_keypair *by)
{
	struct rmp_msg m = { .type = RMP_SANNOUNCE, .origin = ORIGIN, .service = svc, .proto = 6,
			     .nports = 1, .ports = { port }, .host_server = hs,
			     .not_before_s = nb, .not_after_s = na };
	memcpy(m.hs_key, hk->pk, RMP_KEY_LEN);
	auth_image_hash(ORIGIN, svc, 1u << 20, m.image_hash);
	assert_int_equal(auth_sign_install(&m, by), HN_OK);
	return m;
}

/* A signed announcement of a (port, lifetime) under authorisation a. */
static int signed_ann(struct rmp_msg a, uint16_t port, uint16_t life, uint32_t seq,
		      const struct auth_keypair *k, uint8_t *buf)
{
	a.seq = seq;
	a.lifetime_s = life;
	a.nann = 1;
	a.ann_ports[0] = port;
	int n = auth_sign_announce(&a, k, buf, RMP_MAX_LEN);
	assert_true(n > 0);
	return n;
}

static int plain(uint8_t type, uint32_t hs, uint16_t port, uint16_t life, uint32_t seq, uint8_t *buf)
{
	struct rmp_msg m = { .type = type, .seq = seq, .host_server = hs, .lifetime_s = life,
			     .nsaps = 1, .saps = { { ORIGIN, port, 6 } } };
	int n = rmp_encode(&m, buf, RMP_MAX_LEN);
	assert_true(n > 0);
	return n;
}

/* H's legitimate announcement (signed when authentication is on). */
static void legit(struct bed *b, uint16_t life, uint64_t now)
{
	uint8_t buf[RMP_MAX_LEN];
	int n = b->v ? signed_ann(authorisation(1, 80, HS, &b->hs, 0, 3600, &b->o1), 80, life,
				  ++b->hs_seq, &b->hs, buf)
		     : plain(life ? RMP_ANNOUNCE : RMP_WITHDRAW, HS, 80, life, ++b->hs_seq, buf);
	assert_int_equal(rtd_receive(b->d, buf, (size_t)n, now), HN_OK);
}

static void requests(struct bed *b)
{
	uint8_t dg[60];
	for (int i = 0; i < NREQ; i++) {
		tu_datagram(dg, sizeof dg, 6, CLIENT, ORIGIN, (uint16_t)(10000 + i), 80, (uint16_t)i, 64, 0);
		redir_input(b->r, dg, sizeof dg, S(3));
	}
}

enum attack {
	A_NONE, A_ROGUE_UNSIGNED, A_CLIENT_UNSIGNED, A_FORGED_AUTH, A_TAMPERED, A_FORGED_WITHDRAW,
	A_REPLAY_WITHDRAW, A_STALE, A_OTHER_SERVICE, A_FLOOD_UNSIGNED, A_FLOOD_SIGNED, A_N
};
static const char *const attack_name[A_N] = {
	"none (baseline)",
	"rogue host server: ANNOUNCE of the origin's port",
	"rogue client: ANNOUNCE of the origin's port",
	"rogue host server: authorisation signed with its own key",
	"rogue host server: H's authorisation, host server changed to itself",
	"rogue host server: WITHDRAW of H's entry, signed with its own key",
	"replay of H's earlier WITHDRAW",
	"rogue host server: its expired authorisation for the service",
	"rogue host server: its authorisation for another service (port 8080)",
	"flood: 10000 ANNOUNCEs, 10000 ports, unsigned",
	"flood: 10000 SANNOUNCEs of port 80, forged, in 1 s",
};
/* Attacks meant to draw the service's requests to the attacker. */
static const int hijack[A_N] = { 0, 1, 1, 1, 1, 0, 0, 1, 1, 1, 1 };

struct result {
	struct tally t;
	size_t table;
	uint64_t drops[AUTH_NDROP];
	uint64_t rtd_table_refused;
};

static void run(enum attack a, int auth, struct result *res)
{
	struct bed b;
	uint32_t attacker = a == A_CLIENT_UNSIGNED ? RCLIENT : ROGUE;
	bed_open(&b, auth, attacker);
	uint8_t buf[RMP_MAX_LEN], captured[RMP_MAX_LEN];
	int n = 0, cn = 0;
	if (a == A_REPLAY_WITHDRAW) {   /* H withdrew once earlier; the attacker kept it */
		legit(&b, 30, S(0));
		cn = b.v ? signed_ann(authorisation(1, 80, HS, &b.hs, 0, 3600, &b.o1), 80, 0, ++b.hs_seq,
				      &b.hs, captured)
			 : plain(RMP_WITHDRAW, HS, 80, 0, ++b.hs_seq, captured);
		assert_int_equal(rtd_receive(b.d, captured, (size_t)cn, S(0) + 1), HN_OK);
	}
	legit(&b, 30, S(1));
	uint64_t t2 = S(2);
	/* Each attack but the floods is one message, buf[0..n), sent at t2. */
	switch (a) {
	case A_NONE:
		break;
	case A_ROGUE_UNSIGNED:
	case A_CLIENT_UNSIGNED:
		n = plain(RMP_ANNOUNCE, attacker, 80, 30, 1, buf);
		break;
	case A_FORGED_AUTH:
		n = b.v ? signed_ann(authorisation(1, 80, ROGUE, &b.rogue, 0, 3600, &b.rogue), 80, 30, 1,
				     &b.rogue, buf)
			: plain(RMP_ANNOUNCE, ROGUE, 80, 30, 1, buf);
		break;
	case A_TAMPERED:
		if (b.v) {
			struct rmp_msg m = authorisation(1, 80, HS, &b.hs, 0, 3600, &b.o1);
			m.host_server = ROGUE;
			memcpy(m.hs_key, b.rogue.pk, RMP_KEY_LEN);
			n = signed_ann(m, 80, 30, 1, &b.rogue, buf);
		} else {
			n = plain(RMP_ANNOUNCE, ROGUE, 80, 30, 1, buf);
		}
		break;
	case A_FORGED_WITHDRAW:
		n = b.v ? signed_ann(authorisation(1, 80, HS, &b.hs, 0, 3600, &b.o1), 80, 0, 1000,
				     &b.rogue, buf)
			: plain(RMP_WITHDRAW, HS, 80, 0, 1000, buf);
		break;
	case A_REPLAY_WITHDRAW:
		memcpy(buf, captured, (size_t)cn);
		n = cn;
		break;
	case A_STALE:
		/* once authorised for [0, 1] s; it is now 2 s */
		n = b.v ? signed_ann(authorisation(1, 80, ROGUE, &b.rogue, 0, 1, &b.o1), 80, 30, 1,
				     &b.rogue, buf)
			: plain(RMP_ANNOUNCE, ROGUE, 80, 30, 1, buf);
		break;
	case A_OTHER_SERVICE:
		n = b.v ? signed_ann(authorisation(2, 8080, ROGUE, &b.rogue, 0, 3600, &b.o2), 80, 30, 1,
				     &b.rogue, buf)   /* announces 80 under it */
			: plain(RMP_ANNOUNCE, ROGUE, 80, 30, 1, buf);
		break;
	case A_FLOOD_UNSIGNED:
		for (int i = 0; i < 10000; i++) {
			int k = plain(RMP_ANNOUNCE, ROGUE, (uint16_t)(80 + i), 30, (uint32_t)i + 1, buf);
			rtd_receive(b.d, buf, (size_t)k, t2 + (uint64_t)i * 100000u);
		}
		break;
	case A_FLOOD_SIGNED: {
		struct rmp_msg m = authorisation(1, 80, ROGUE, &b.rogue, 0, 3600, &b.rogue);
		for (int i = 0; i < 10000; i++) {
			int k = b.v ? signed_ann(m, 80, 30, (uint32_t)i + 1, &b.rogue, buf)
				    : plain(RMP_ANNOUNCE, ROGUE, 80, 30, (uint32_t)i + 1, buf);
			rtd_receive(b.d, buf, (size_t)k, t2 + (uint64_t)i * 100000u);
		}
		break;
	}
	default:
		break;
	}
	if (n)
		rtd_receive(b.d, buf, (size_t)n, t2);
	requests(&b);
	res->t = b.t;
	res->table = redir_table_size(b.r);
	memset(res->drops, 0, sizeof res->drops);
	if (b.v)
		memcpy(res->drops, auth_stats(b.v)->drops, sizeof res->drops);
	res->rtd_table_refused = rtd_stats(b.d)->drops[RTD_DROP_TABLE];
	bed_close(&b);
}

static void auth__attacks_hijack_without_and_fail_with_authentication(void **state)
{
	(void)state;
	const char *path = getenv("HN_AUTH_TABLE");
	FILE *f = path ? fopen(path, "w") : NULL;
	if (f)
		fprintf(f, "| attack | auth off: to attacker / to H | auth on: to attacker / to H | auth on: drops by reason | table entries off / on |\n|---|---|---|---|---|\n");
	for (int a = 0; a < A_N; a++) {
		struct result off, on;
		run((enum attack)a, 0, &off);
		run((enum attack)a, 1, &on);
		/* the numbers the table reports are the ones checked */
		if (hijack[a])
			assert_true(off.t.to_attacker > 0);
		assert_int_equal(on.t.to_attacker, 0);
		assert_int_equal(on.t.to_hs, NREQ);          /* the legitimate replica unaffected */
		assert_int_equal(on.t.to_other, 0);
		assert_int_equal(on.table, 1);               /* bounded: H's entry only */
		if (a == A_FORGED_WITHDRAW || a == A_REPLAY_WITHDRAW)
			assert_int_equal(off.t.to_hs, 0);    /* off: H's entry removed */
		if (f) {
			fprintf(f, "| %s | %d / %d | %d / %d | ", attack_name[a], off.t.to_attacker, off.t.to_hs,
				on.t.to_attacker, on.t.to_hs);
			int any = 0;
			for (int d = 0; d < AUTH_NDROP; d++)
				if (on.drops[d]) {
					fprintf(f, "%sdrop.%s %llu", any ? ", " : "", auth_drop_name((enum auth_drop)d),
						(unsigned long long)on.drops[d]);
					any = 1;
				}
			fprintf(f, "%s | %zu / %zu |\n", any ? "" : "-", off.table, on.table);
		}
		/* each refusal under its own reason */
		switch (a) {
		case A_ROGUE_UNSIGNED:
		case A_CLIENT_UNSIGNED: assert_int_equal(on.drops[AUTH_DROP_UNSIGNED], 1); break;
		case A_FORGED_AUTH:
		case A_TAMPERED: assert_int_equal(on.drops[AUTH_DROP_FORGED_AUTH], 1); break;
		case A_FORGED_WITHDRAW: assert_int_equal(on.drops[AUTH_DROP_FORGED_ANN], 1); break;
		case A_REPLAY_WITHDRAW: assert_int_equal(on.drops[AUTH_DROP_REPLAY], 1); break;
		case A_STALE: assert_int_equal(on.drops[AUTH_DROP_EXPIRED], 1); break;
		case A_OTHER_SERVICE: assert_int_equal(on.drops[AUTH_DROP_WRONG_SERVICE], 1); break;
		case A_FLOOD_UNSIGNED:
			assert_int_equal(on.drops[AUTH_DROP_UNSIGNED], 10000);
			assert_int_equal(off.table, REDIR_MAX_ENTRIES);   /* off: only the table's own bound */
			assert_true(off.rtd_table_refused > 0);
			break;
		case A_FLOOD_SIGNED:
			/* rate-limited before any signature is checked: burst 20, then 10/s for 1 s */
			assert_int_equal(on.drops[AUTH_DROP_RATE] + on.drops[AUTH_DROP_FORGED_AUTH], 10000);
			/* 10000 messages 0.1 ms apart last 0.9999 s: the burst of 20,
			 * then floor(0.9999 s x 10/s) = 9 refilled tokens */
			assert_int_equal(on.drops[AUTH_DROP_FORGED_AUTH], 20 + 9);
			break;
		default: break;
		}
	}
	if (f)
		fclose(f);
}

/* Bounds: a new sender past the replay table, a new host server past the
 * rate table, each a counted drop; a slot is reused once its authorisation
 * has expired, a bucket once it has refilled. */
static void auth__tables_are_bounded_and_overflow_is_counted(void **state)
{
	(void)state;
	struct auth_config ac;
	auth_config_default(&ac);
	assert_false(ac.enabled);   /* off by default: the paper's protocol */
	assert_int_equal(ac.replay_entries, 256);
	ac.enabled = true;
	ac.replay_entries = 1;
	ac.rate_entries = 1;
	ac.hs_rate = 1;   /* a bucket refills one token a second */
	struct auth_verifier *v = auth_verifier_new(&ac);
	struct auth_keypair o, h1, h2;
	assert_int_equal(auth_keypair(SEED, "origin", ORIGIN, 1, &o), HN_OK);
	assert_int_equal(auth_keypair(SEED, "hostserver", HS, 0, &h1), HN_OK);
	assert_int_equal(auth_keypair(SEED, "hostserver", ROGUE, 0, &h2), HN_OK);
	struct auth_service s = { ORIGIN, 1, 6, 1, { 80 }, { 0 } };
	memcpy(s.pk, o.pk, RMP_KEY_LEN);
	assert_int_equal(auth_verifier_add(v, &s), HN_OK);
	uint8_t buf[RMP_MAX_LEN];
	struct rmp_msg m;
	int n = signed_ann(authorisation(1, 80, HS, &h1, 0, 10, &o), 80, 30, 1, &h1, buf);
	assert_int_equal(rmp_decode(buf, (size_t)n, &m), n);
	assert_int_equal(auth_verify(v, &m, buf, (size_t)n, S(1), NULL), HN_OK);
	/* a second, legitimate host server while the first's bucket is not refilled */
	n = signed_ann(authorisation(1, 80, ROGUE, &h2, 0, 3600, &o), 80, 30, 1, &h2, buf);
	assert_int_equal(rmp_decode(buf, (size_t)n, &m), n);
	enum auth_drop why;
	assert_int_equal(auth_verify(v, &m, buf, (size_t)n, S(1) + S(1) / 2, &why), HN_EPROTO);
	assert_int_equal(why, AUTH_DROP_RATE_FULL);
	/* refilled after 1 s: the bucket is reused, but no replay slot is free */
	assert_int_equal(auth_verify(v, &m, buf, (size_t)n, S(2) + S(1) / 2, &why), HN_EPROTO);
	assert_int_equal(why, AUTH_DROP_REPLAY_FULL);
	/* after the first one's authorisation ran out (10 s), its slot is reused */
	assert_int_equal(auth_verify(v, &m, buf, (size_t)n, S(12), NULL), HN_OK);
	assert_int_equal(auth_stats(v)->drops[AUTH_DROP_RATE_FULL], 1);
	assert_int_equal(auth_stats(v)->drops[AUTH_DROP_REPLAY_FULL], 1);
	/* more services than it may hold */
	ac.max_services = 1;
	struct auth_verifier *v1 = auth_verifier_new(&ac);
	assert_int_equal(auth_verifier_add(v1, &s), HN_OK);
	assert_int_equal(auth_verifier_add(v1, &s), HN_ELIMIT);
	auth_verifier_free(v1);
	auth_verifier_free(v);
}

/* Keys are a function of the seed; the wire carries what was signed. */
static void auth__keys_follow_the_seed_and_layout_round_trips(void **state)
{
	(void)state;
	struct auth_keypair a, b, c;
	assert_int_equal(auth_keypair(1, "origin", ORIGIN, 1, &a), HN_OK);
	assert_int_equal(auth_keypair(1, "origin", ORIGIN, 1, &b), HN_OK);
	assert_int_equal(auth_keypair(2, "origin", ORIGIN, 1, &c), HN_OK);
	assert_memory_equal(a.pk, b.pk, RMP_KEY_LEN);
	assert_memory_not_equal(a.pk, c.pk, RMP_KEY_LEN);
	uint8_t buf[RMP_MAX_LEN];
	int n = signed_ann(authorisation(1, 80, HS, &b, 5, 3600, &a), 80, 30, 7, &b, buf);
	assert_int_equal(n, RMP_HDR_LEN + RMP_SANN_BODY(1, 1));   /* 8 + 220 */
	assert_int_equal(n, 228);
	assert_int_equal(buf[1], RMP_SANNOUNCE);
	assert_int_equal(net_get32(buf + 4), 7);        /* sequence */
	assert_int_equal(net_get32(buf + 8), ORIGIN);
	assert_int_equal(net_get32(buf + 16), HS);
	assert_int_equal(net_get32(buf + 20), 5);       /* not before */
	assert_int_equal(net_get16(buf + 92), 80);      /* authorised port */
	assert_int_equal(net_get16(buf + 158), 30);     /* lifetime, after the origin's signature */
	assert_int_equal(buf[160], 1);
	assert_int_equal(net_get16(buf + 162), 80);     /* announced port */
	struct rmp_msg m;
	assert_int_equal(rmp_decode(buf, (size_t)n, &m), n);
	uint8_t again[RMP_MAX_LEN];
	assert_int_equal(rmp_encode(&m, again, sizeof again), n);
	assert_memory_equal(again, buf, (size_t)n);
	/* a port announced beyond what the length field holds is refused */
	buf[160] = 2;
	assert_int_equal(rmp_decode(buf, (size_t)n, &m), HN_ELEN);
}

/* The origin's AUTHORISE (docs/rmp.md, type 8): 158 bytes for one port,
 * exactly the header and the first 150 body bytes of a SANNOUNCE carrying
 * it; a host server that puts it in its SANNOUNCE is verified, and one
 * naming another host server, or signed by another key, is not. */
static void auth__authorise_carries_what_the_announcement_needs(void **state)
{
	(void)state;
	struct auth_keypair o, h, other;
	assert_int_equal(auth_keypair(3, "origin", ORIGIN, 1, &o), HN_OK);
	assert_int_equal(auth_keypair(3, "hostserver", HS, 0, &h), HN_OK);
	assert_int_equal(auth_keypair(3, "hostserver", ROGUE, 0, &other), HN_OK);
	uint16_t port = 80;
	struct rmp_msg a;
	assert_int_equal(auth_authorise(&a, &o, ORIGIN, 1, 6, &port, 1, HS, h.pk, 10, 3610, 1u << 20),
			 HN_OK);
	a.seq = 9;
	uint8_t buf[RMP_MAX_LEN];
	int n = rmp_encode(&a, buf, sizeof buf);
	assert_int_equal(n, 158);
	static const uint8_t head[] = { 1, 8, 0, 158, 0, 0, 0, 9 };
	assert_memory_equal(buf, head, sizeof head);
	assert_int_equal(net_get32(buf + 8), ORIGIN);
	assert_int_equal(net_get16(buf + 12), 1);       /* service */
	assert_int_equal(buf[14], 6);
	assert_int_equal(buf[15], 1);                   /* one port */
	assert_int_equal(net_get32(buf + 16), HS);
	assert_int_equal(net_get32(buf + 20), 10);
	assert_int_equal(net_get32(buf + 24), 3610);
	assert_memory_equal(buf + 28, h.pk, RMP_KEY_LEN);
	assert_memory_equal(buf + 60, a.image_hash, RMP_HASH_LEN);
	assert_int_equal(net_get16(buf + 92), 80);
	assert_memory_equal(buf + 94, a.origin_sig, RMP_SIG_LEN);
	struct rmp_msg d;
	assert_int_equal(rmp_decode(buf, (size_t)n, &d), n);
	assert_int_equal(d.type, RMP_AUTHORISE);
	assert_memory_equal(d.origin_sig, a.origin_sig, RMP_SIG_LEN);
	/* truncated, a port count past 16 or a lying length are refused */
	assert_int_equal(rmp_decode(buf, (size_t)n - 1, &d), 0);
	buf[15] = 17;
	assert_int_equal(rmp_decode(buf, (size_t)n, &d), HN_EINVAL);
	buf[15] = 2;
	assert_int_equal(rmp_decode(buf, (size_t)n, &d), HN_ELEN);
	buf[15] = 1;
	assert_int_equal(rmp_decode(buf, (size_t)n, &d), n);
	/* The same bytes open the SANNOUNCE the host server signs with it. */
	uint8_t ann[RMP_MAX_LEN];
	int an = signed_ann(d, 80, 30, 10, &h, ann);
	assert_memory_equal(ann + RMP_HDR_LEN, buf + RMP_HDR_LEN, 150);
	struct auth_config cfg;
	auth_config_default(&cfg);
	cfg.enabled = true;
	struct auth_verifier *v = auth_verifier_new(&cfg);
	struct auth_service svc = { .origin = ORIGIN, .service = 1, .proto = 6, .nports = 1,
				    .ports = { 80 } };
	memcpy(svc.pk, o.pk, RMP_KEY_LEN);
	assert_int_equal(auth_verifier_add(v, &svc), HN_OK);
	struct rmp_msg m;
	assert_int_equal(rmp_decode(ann, (size_t)an, &m), an);
	assert_int_equal(auth_verify(v, &m, ann, (size_t)an, S(20), NULL), HN_OK);
	/* signed by the wrong key: the origin's signature does not verify */
	assert_int_equal(auth_authorise(&a, &other, ORIGIN, 1, 6, &port, 1, HS, h.pk, 10, 3610, 1u << 20),
			 HN_OK);
	an = signed_ann(a, 80, 30, 11, &h, ann);
	assert_int_equal(rmp_decode(ann, (size_t)an, &m), an);
	enum auth_drop why;
	assert_int_equal(auth_verify(v, &m, ann, (size_t)an, S(20), &why), HN_EPROTO);
	assert_int_equal(why, AUTH_DROP_FORGED_AUTH);
	auth_verifier_free(v);
}

/* What a redirector's daemon refuses, and under which reason: a message no
 * redirector takes is unexpected whether or not authentication is on; an
 * unsigned ANNOUNCE is refused as unsigned only when it is on; a SANNOUNCE
 * with authentication off is unexpected. */
static void auth__refusal_reasons_at_the_daemon(void **state)
{
	(void)state;
	uint8_t buf[RMP_MAX_LEN];
	struct rmp_msg remove = { .type = RMP_REMOVE, .seq = 1, .origin = ORIGIN };
	int rn = rmp_encode(&remove, buf, sizeof buf);
	assert_true(rn > 0);
	for (int auth = 0; auth <= 1; auth++) {
		struct bed b;
		bed_open(&b, auth, ROGUE);
		assert_int_equal(rtd_receive(b.d, buf, (size_t)rn, S(1)), HN_EPROTO);
		assert_int_equal(rtd_stats(b.d)->drops[RTD_DROP_UNEXPECTED], 1);
		if (b.v)
			assert_int_equal(auth_stats(b.v)->drops[AUTH_DROP_UNSIGNED], 0);
		uint8_t ann[RMP_MAX_LEN];
		int n = plain(RMP_ANNOUNCE, ROGUE, 80, 30, 1, ann);
		assert_int_equal(rtd_receive(b.d, ann, (size_t)n, S(1)), auth ? HN_EPROTO : HN_OK);
		assert_int_equal(redir_table_size(b.r), auth ? 0 : 1);
		if (b.v)
			assert_int_equal(auth_stats(b.v)->drops[AUTH_DROP_UNSIGNED], 1);
		n = signed_ann(authorisation(1, 80, HS, &b.hs, 0, 3600, &b.o1), 80, 30, 2, &b.hs, ann);
		assert_int_equal(rtd_receive(b.d, ann, (size_t)n, S(1)), auth ? HN_OK : HN_EPROTO);
		assert_int_equal(rtd_stats(b.d)->drops[RTD_DROP_UNEXPECTED], auth ? 1 : 2);
		assert_int_equal(redir_table_replicas(b.r, ORIGIN, 80, 6, S(1)), 1);
		bed_close(&b);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(auth__attacks_hijack_without_and_fail_with_authentication),
		cmocka_unit_test(auth__tables_are_bounded_and_overflow_is_counted),
		cmocka_unit_test(auth__keys_follow_the_seed_and_layout_round_trips),
		cmocka_unit_test(auth__refusal_reasons_at_the_daemon),
		cmocka_unit_test(auth__authorise_carries_what_the_announcement_needs),
	};
	return cmocka_run_group_tests_name("auth", tests, NULL, NULL);
}
