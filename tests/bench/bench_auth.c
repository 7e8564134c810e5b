/* bench_auth.c - the cost of authenticated routing.
 *
 * Prints the model's Ed25519 cost per install and per announcement on the
 * testbed machines (auth_cost_ns: the Ed25519 paper's cycle counts scaled
 * to the 1998 CPUs, assumed; auth.c states it), and the median wall time of
 * one libsodium sign and one verify on the machine running this, for
 * comparison with the paper's figures.  Per install: the origin's replica
 * manager signs one authorisation.  Per announcement: the host server signs
 * once; each redirector verifies twice (the origin's signature and the host
 * server's).  Not part of make test. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "hydranet/auth.h"
#include "status.h"

#define N 2000

static double now_s(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

static int cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

int main(void)
{
	struct auth_keypair o, h;
	if (auth_keypair(1, "origin", 0xc014e114u, 1, &o) != HN_OK ||
	    auth_keypair(1, "hostserver", 0x808ede50u, 0, &h) != HN_OK)
		return 1;
	struct rmp_msg m = { .type = RMP_SANNOUNCE, .origin = 0xc014e114u, .service = 1, .proto = 6,
			     .nports = 1, .ports = { 80 }, .host_server = 0x808ede50u,
			     .not_after_s = 3600, .seq = 1, .lifetime_s = 30, .nann = 1,
			     .ann_ports = { 80 } };
	memcpy(m.hs_key, h.pk, RMP_KEY_LEN);
	static double sign[N], verify[N];
	uint8_t buf[RMP_MAX_LEN];
	int n = 0;
	for (int i = 0; i < N; i++) {
		double t0 = now_s();
		auth_sign_install(&m, &o);
		sign[i] = now_s() - t0;
		n = auth_sign_announce(&m, &h, buf, sizeof buf);
	}
	struct auth_config ac;
	auth_config_default(&ac);
	ac.enabled = true;
	ac.hs_rate = ac.hs_burst = 100000;
	struct auth_verifier *v = auth_verifier_new(&ac);
	struct auth_service s = { m.origin, 1, 6, 1, { 80 }, { 0 } };
	memcpy(s.pk, o.pk, RMP_KEY_LEN);
	auth_verifier_add(v, &s);
	for (int i = 0; i < N; i++) {
		m.seq = (uint32_t)i + 2;
		n = auth_sign_announce(&m, &h, buf, sizeof buf);
		struct rmp_msg d;
		rmp_decode(buf, (size_t)n, &d);
		double t0 = now_s();
		if (auth_verify(v, &d, buf, (size_t)n, 1000000000ull + (uint64_t)i * 1000000u, NULL) != HN_OK)
			return 1;
		verify[i] = (now_s() - t0) / 2;   /* two signatures per message */
	}
	auth_verifier_free(v);
	qsort(sign, N, sizeof sign[0], cmp);
	qsort(verify, N, sizeof verify[0], cmp);
	printf("SANNOUNCE of 1 port: %d bytes (ANNOUNCE: 16)\n", n);
	printf("this machine (libsodium, median of %d): sign %.1f us, verify %.1f us\n", N,
	       sign[N / 2] * 1e6, verify[N / 2] * 1e6);
	printf("| machine | sign (ms) | verify (ms) | per install: origin (ms) | per announcement: host server (ms) | per announcement: each redirector (ms) |\n|---|---|---|---|---|---|\n");
	const char *prof[] = { "pentium-120", "i486sx-33" };
	for (int i = 0; i < 2; i++) {
		double sg = (double)auth_cost_ns(prof[i], AUTH_OP_SIGN) / 1e6;
		double vf = (double)auth_cost_ns(prof[i], AUTH_OP_VERIFY) / 1e6;
		printf("| %s | %.3f | %.3f | %.3f | %.3f | %.3f |\n", prof[i], sg, vf, sg, sg, 2 * vf);
	}
	return 0;
}
