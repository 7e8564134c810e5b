/* test_auth_sim.c - authenticated routing on the simulator, with real
 * packets: a redirector R (HydraNet redirector and routing daemon) between a
 * client C, the origin O, the legitimate host server H and a rogue host
 * server X.  H announces O's port 80 over UDP at t = 1 s; X announces the
 * same port at t = 2 s (an unsigned ANNOUNCE, then 200 SANNOUNCEs under an
 * authorisation it signed itself); from t = 3 s C opens 20 TCP connections
 * to O:80.  Tunnelled datagrams are counted where they arrive, by the inner
 * source port (one per connection).  Authentication off: X gets
 * connections (hijack).  On: X gets none, H gets all 20, the redirector's
 * table holds H's one entry and every refusal is counted by reason. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "hydranet/auth.h"
#include "hydranet/hsrv.h"
#include "hydranet/redir.h"
#include "hydranet/rmp.h"
#include "hydranet/rtd.h"
#include "sim/sim.h"
#include "status.h"
#include "testutil.h"

#define ORIGIN IP4(192, 20, 225, 20)
#define HS IP4(128, 142, 222, 80)
#define ROGUE IP4(10, 66, 6, 6)
#define CLIENT IP4(10, 0, 1, 2)
#define NCONN 20
#define S(x) ((uint64_t)(x) * 1000000000ull)

struct seen {
	uint32_t self;
	uint8_t port_seen[65536 / 8];
	int conns;   /* distinct inner source ports tunnelled here */
};

static int64_t tunnel_in(void *ctx, sim_node *n, enum sim_hook_point at, int iface,
			 const uint8_t *dg, size_t len)
{
	struct seen *s = ctx;
	(void)n;
	(void)at;
	(void)iface;
	if (len < 44 || dg[9] != 4 || net_get32(dg + 16) != s->self)
		return SIM_ACCEPT;
	uint16_t sport = net_get16(dg + 40);
	if (!(s->port_seen[sport / 8] & (1u << (sport % 8)))) {
		s->port_seen[sport / 8] |= (uint8_t)(1u << (sport % 8));
		s->conns++;
	}
	return SIM_DROP;   /* no decapsulator here: the count is the point */
}

struct bed {
	sim_node *c, *r, *o, *h, *x;
	struct redir *redir;
	struct rtd *rtd;
	struct auth_verifier *v;
	sim_sock *hsock, *xsock;
	struct seen at_h, at_x;
	struct auth_keypair korigin, kh, kx;
	int auth;
};

struct send {
	sim_sock *s;
	uint8_t buf[RMP_MAX_LEN];
	int n;
};

static void do_send(void *arg)
{
	struct send *m = arg;
	sim_sock_sendto(m->s, m->buf, (size_t)m->n, IP4(10, 0, 1, 1), RMP_PORT_ROUTING);
}

static void do_connect(void *arg)
{
	static const struct sim_sock_ops ops = { 0 };
	sim_sock *s = sim_tcp_socket(arg, &ops, NULL);
	if (s)
		sim_sock_connect(s, ORIGIN, 80);
}

static struct rmp_msg authorisation(uint32_t hs, const struct auth_keypair *hk,
				    const struct auth_keypair *by)
{
	struct rmp_msg m = { .type = RMP_SANNOUNCE, .origin = ORIGIN, .service = 1, .proto = 6,
			     .nports = 1, .ports = { 80 }, .host_server = hs, .not_after_s = 3600 };
	memcpy(m.hs_key, hk->pk, RMP_KEY_LEN);
	auth_image_hash(ORIGIN, 1, 1u << 20, m.image_hash);
	assert_int_equal(auth_sign_install(&m, by), HN_OK);
	return m;
}

static void sign_into(struct send *s, struct rmp_msg a, uint32_t seq, const struct auth_keypair *k)
{
	a.seq = seq;
	a.lifetime_s = 30;
	a.nann = 1;
	a.ann_ports[0] = 80;
	s->n = auth_sign_announce(&a, k, s->buf, sizeof s->buf);
	assert_true(s->n > 0);
}

static void plain_into(struct send *s, uint32_t hs)
{
	struct rmp_msg m = { .type = RMP_ANNOUNCE, .seq = 1, .host_server = hs, .lifetime_s = 30,
			     .nsaps = 1, .saps = { { ORIGIN, 80, 6 } } };
	s->n = rmp_encode(&m, s->buf, sizeof s->buf);
	assert_true(s->n > 0);
}

#define NFLOOD 200
static struct send msgs[2 + NFLOOD];

static void run(struct bed *b, int auth)
{
	memset(b, 0, sizeof *b);
	b->auth = auth;
	const struct sim_config cfg = { 1, 1 };
	assert_int_equal(sim_init(&cfg), HN_OK);
	struct sim_link_config lc = { .rate_bps = 10000000, .delay_ns = 100000, .mtu_bytes = 1500,
				      .queue_packets = 1000 };
	b->c = sim_node_create("C");
	b->r = sim_node_create("R");
	b->o = sim_node_create("O");
	b->h = sim_node_create("H");
	b->x = sim_node_create("X");
	assert_non_null(sim_link_create(b->c, b->r, &lc, CLIENT, IP4(10, 0, 1, 1), 24));
	assert_non_null(sim_link_create(b->r, b->o, &lc, IP4(192, 20, 225, 1), ORIGIN, 24));
	assert_non_null(sim_link_create(b->r, b->h, &lc, IP4(128, 142, 222, 1), HS, 24));
	assert_non_null(sim_link_create(b->r, b->x, &lc, IP4(10, 66, 6, 1), ROGUE, 24));
	assert_int_equal(sim_routing_populate(), HN_OK);
	struct redir_config rc = { .frag = { 4, 4096, 1000000000ull } };
	b->redir = redir_new(&rc, NULL);
	assert_non_null(b->redir);
	assert_int_equal(redir_attach(b->redir, b->r), HN_OK);
	b->rtd = rtd_redir_new(b->r, b->redir);
	assert_non_null(b->rtd);
	assert_int_equal(auth_keypair(1, "origin", ORIGIN, 1, &b->korigin), HN_OK);
	assert_int_equal(auth_keypair(1, "hostserver", HS, 0, &b->kh), HN_OK);
	assert_int_equal(auth_keypair(1, "hostserver", ROGUE, 0, &b->kx), HN_OK);
	if (auth) {
		struct auth_config ac;
		auth_config_default(&ac);
		ac.enabled = true;
		b->v = auth_verifier_new(&ac);
		struct auth_service s = { ORIGIN, 1, 6, 1, { 80 }, { 0 } };
		memcpy(s.pk, b->korigin.pk, RMP_KEY_LEN);
		assert_int_equal(auth_verifier_add(b->v, &s), HN_OK);
		rtd_redir_set_auth(b->rtd, b->v);
	}
	b->at_h.self = HS;
	b->at_x.self = ROGUE;
	assert_int_equal(sim_hook_register(b->h, SIM_HOOK_PRE_ROUTING, tunnel_in, &b->at_h), HN_OK);
	assert_int_equal(sim_hook_register(b->x, SIM_HOOK_PRE_ROUTING, tunnel_in, &b->at_x), HN_OK);
	static const struct sim_sock_ops ops = { 0 };
	b->hsock = sim_udp_socket(b->h, &ops, NULL);
	b->xsock = sim_udp_socket(b->x, &ops, NULL);
	assert_int_equal(sim_sock_bind(b->hsock, HS, 0), HN_OK);
	assert_int_equal(sim_sock_bind(b->xsock, ROGUE, 0), HN_OK);
	/* H: its announcement, signed under the origin's authorisation when on */
	msgs[0].s = b->hsock;
	if (auth)
		sign_into(&msgs[0], authorisation(HS, &b->kh, &b->korigin), 1, &b->kh);
	else
		plain_into(&msgs[0], HS);
	sim_schedule(S(1), do_send, &msgs[0]);
	/* X: an unsigned ANNOUNCE, then a flood under a self-signed authorisation */
	msgs[1].s = b->xsock;
	plain_into(&msgs[1], ROGUE);
	sim_schedule(S(2), do_send, &msgs[1]);
	struct rmp_msg forged = authorisation(ROGUE, &b->kx, &b->kx);
	for (int i = 0; i < NFLOOD; i++) {
		struct send *m = &msgs[2 + i];
		m->s = b->xsock;
		if (auth)
			sign_into(m, forged, (uint32_t)i + 1, &b->kx);
		else
			plain_into(m, ROGUE);
		sim_schedule(S(2) + (uint64_t)i * 5000000u, do_send, m);   /* 200 in 1 s */
	}
	for (int i = 0; i < NCONN; i++)
		sim_schedule(S(4) + (uint64_t)i * 10000000u, do_connect, b->c);
	sim_run(S(6));
}

static void finish(struct bed *b)
{
	rtd_free(b->rtd);
	auth_verifier_free(b->v);
	sim_destroy();
	redir_free(b->redir);
}

static void auth_sim__rogue_hijacks_without_authentication(void **state)
{
	(void)state;
	struct bed b;
	run(&b, 0);
	print_message("auth off: connections tunnelled to X %d, to H %d\n", b.at_x.conns, b.at_h.conns);
	assert_true(b.at_x.conns > 0);   /* hijacked */
	assert_int_equal(b.at_x.conns + b.at_h.conns, NCONN);
	assert_int_equal(redir_table_replicas(b.redir, ORIGIN, 80, 6, S(6)), 2);
	finish(&b);
}

static void auth_sim__rogue_gets_nothing_with_authentication(void **state)
{
	(void)state;
	struct bed b;
	run(&b, 1);
	const struct auth_stats *st = auth_stats(b.v);
	print_message("auth on: connections tunnelled to X %d, to H %d; verified %llu, unsigned %llu, "
		      "rate_limited %llu, forged_authorisation %llu\n", b.at_x.conns, b.at_h.conns,
		      (unsigned long long)st->verified, (unsigned long long)st->drops[AUTH_DROP_UNSIGNED],
		      (unsigned long long)st->drops[AUTH_DROP_RATE],
		      (unsigned long long)st->drops[AUTH_DROP_FORGED_AUTH]);
	assert_int_equal(b.at_x.conns, 0);
	assert_int_equal(b.at_h.conns, NCONN);
	assert_int_equal(redir_table_size(b.redir), 1);
	assert_int_equal(redir_table_replicas(b.redir, ORIGIN, 80, 6, S(6)), 1);
	assert_int_equal(st->verified, 1);
	assert_int_equal(st->drops[AUTH_DROP_UNSIGNED], 1);
	/* burst 20 (one token taken by the unsigned message), 10/s refill over 1 s */
	assert_int_equal(st->drops[AUTH_DROP_RATE] + st->drops[AUTH_DROP_FORGED_AUTH], NFLOOD);
	assert_true(st->drops[AUTH_DROP_FORGED_AUTH] > 0);
	assert_true(st->drops[AUTH_DROP_RATE] > 0);
	finish(&b);
}

/* The host server's own daemon signs: under one authorisation of ports 80
 * and 443, a virtual host binds both at 1 s and gives up 443 at 2 s.  The
 * redirector takes a SANNOUNCE per bind (each naming the ports bound so far),
 * then a signed withdrawal naming 443 only: 80 stays, 443 goes.  A port
 * bound with no authorisation covering it (8080) is not announced, and
 * counted. */
static void vhost_bind(void *arg)
{
	struct hsrv *h = arg;
	assert_int_equal(hsrv_vhost_bind(h, ORIGIN, 6, 80), HN_OK);
	assert_int_equal(hsrv_vhost_bind(h, ORIGIN, 6, 443), HN_OK);
	assert_int_equal(hsrv_vhost_bind(h, ORIGIN, 6, 8080), HN_OK);
}

static void vhost_unbind(void *arg)
{
	assert_int_equal(hsrv_vhost_unbind(arg, ORIGIN, 6, 443), HN_OK);
}

static void auth_sim__host_daemon_signs_and_withdraws_one_port(void **state)
{
	(void)state;
	const struct sim_config cfg = { 1, 1 };
	assert_int_equal(sim_init(&cfg), HN_OK);
	struct sim_link_config lc = { .rate_bps = 10000000, .delay_ns = 100000, .mtu_bytes = 1500,
				      .queue_packets = 1000 };
	sim_node *r = sim_node_create("R"), *h = sim_node_create("H");
	assert_non_null(sim_link_create(r, h, &lc, IP4(128, 142, 222, 1), HS, 24));
	assert_int_equal(sim_routing_populate(), HN_OK);
	struct redir_config rc = { .frag = { 4, 4096, 1000000000ull } };
	struct redir *redir = redir_new(&rc, NULL);
	struct rtd *rd = rtd_redir_new(r, redir);
	struct auth_keypair ko, kh;
	assert_int_equal(auth_keypair(1, "origin", ORIGIN, 1, &ko), HN_OK);
	assert_int_equal(auth_keypair(1, "hostserver", HS, 0, &kh), HN_OK);
	struct auth_config ac;
	auth_config_default(&ac);
	ac.enabled = true;
	struct auth_verifier *v = auth_verifier_new(&ac);
	struct auth_service svc = { ORIGIN, 1, 6, 2, { 80, 443 }, { 0 } };
	memcpy(svc.pk, ko.pk, RMP_KEY_LEN);
	assert_int_equal(auth_verifier_add(v, &svc), HN_OK);
	rtd_redir_set_auth(rd, v);
	struct hsrv_config hc = { .frag = { 4, 4096, 1000000000ull },
				  .reass = { 64, 1u << 20, 30000000000ull } };
	struct hsrv *hs = hsrv_new(&hc, NULL);
	assert_non_null(hs);
	assert_int_equal(hsrv_vhost_create(hs, ORIGIN, "test"), HN_OK);
	uint32_t reds[] = { IP4(128, 142, 222, 1) };
	struct rtd_config dc = { .lifetime_ns = S(30), .refresh_ns = S(10), .withdraw = true,
				 .auth = true };
	struct rtd *hd = rtd_host_new(h, hs, HS, reds, 1, &dc);
	assert_non_null(hd);
	assert_int_equal(rtd_host_set_key(hd, &kh), HN_OK);
	uint16_t ports[] = { 80, 443 };
	struct rmp_msg a;
	assert_int_equal(auth_authorise(&a, &ko, ORIGIN, 1, 6, ports, 2, HS, kh.pk, 0, 3600, 0), HN_OK);
	assert_int_equal(rtd_host_authorise(hd, &a), HN_OK);
	/* one naming another host server is refused */
	struct rmp_msg other = a;
	other.host_server = ROGUE;
	assert_int_equal(rtd_host_authorise(hd, &other), HN_EINVAL);
	sim_schedule(S(1), vhost_bind, hs);
	sim_schedule(S(2), vhost_unbind, hs);
	sim_run(S(3));
	const struct rtd_stats *hst = rtd_stats(hd), *rst = rtd_stats(rd);
	assert_int_equal(hst->sannounces_sent, 3);        /* bind 80, bind 443, withdraw 443 */
	assert_int_equal(hst->drops[RTD_DROP_NO_AUTH], 1);   /* 8080 */
	assert_int_equal(hst->drops[RTD_DROP_AUTH_FULL], 1); /* the one naming another */
	assert_int_equal(hst->announces_sent + hst->withdraws_sent, 0);
	assert_int_equal(auth_stats(v)->verified, 3);
	assert_int_equal(rst->withdraws_received, 1);
	assert_int_equal(redir_table_replicas(redir, ORIGIN, 80, 6, S(3)), 1);
	assert_int_equal(redir_table_replicas(redir, ORIGIN, 443, 6, S(3)), 0);
	assert_int_equal(redir_table_replicas(redir, ORIGIN, 8080, 6, S(3)), 0);
	rtd_free(hd);
	rtd_free(rd);
	sim_destroy();
	hsrv_free(hs);
	auth_verifier_free(v);
	redir_free(redir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(auth_sim__rogue_hijacks_without_authentication),
		cmocka_unit_test(auth_sim__rogue_gets_nothing_with_authentication),
		cmocka_unit_test(auth_sim__host_daemon_signs_and_withdraws_one_port),
	};
	return cmocka_run_group_tests_name("auth_sim", tests, NULL, NULL);
}
