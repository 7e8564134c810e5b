/* hchk_msg.c - the health-check messages' codec and the prober's per-replica
 * state machine; see hchk.h and, for the layout, docs/healthcheck.md.  Pure
 * C (no simulator): the fuzz target links it. */
#include "hydranet/hchk.h"

#include "net/bytes.h"
#include "status.h"

int hchk_encode(const struct hchk_msg *m, uint8_t *buf, size_t len)
{
	if (len < HCHK_LEN || (m->type != HCHK_PROBE && m->type != HCHK_REPLY) || m->port == 0 ||
	    (m->proto != 6 && m->proto != 17) || m->status > HCHK_NOT_BOUND ||
	    (m->type == HCHK_PROBE && m->status != 0))
		return HN_EINVAL;
	buf[0] = HCHK_VERSION;
	buf[1] = m->type;
	net_put16(buf + 2, HCHK_LEN);
	net_put32(buf + 4, m->seq);
	net_put32(buf + 8, m->origin);
	net_put16(buf + 12, m->port);
	buf[14] = m->proto;
	buf[15] = m->status;
	return HCHK_LEN;
}

int hchk_decode(const uint8_t *buf, size_t len, struct hchk_msg *m)
{
	if (len < 4)
		return HCHK_DROP_TRUNCATED;
	if (buf[0] != HCHK_VERSION)
		return HCHK_DROP_VERSION;
	if (buf[1] != HCHK_PROBE && buf[1] != HCHK_REPLY)
		return HCHK_DROP_TYPE;
	if (len < HCHK_LEN)
		return HCHK_DROP_TRUNCATED;
	if (net_get16(buf + 2) != HCHK_LEN || len != HCHK_LEN)
		return HCHK_DROP_LENGTH;
	m->type = buf[1];
	m->seq = net_get32(buf + 4);
	m->origin = net_get32(buf + 8);
	m->port = net_get16(buf + 12);
	m->proto = buf[14];
	m->status = buf[15];
	if (m->port == 0 || (m->proto != 6 && m->proto != 17) || m->status > HCHK_NOT_BOUND ||
	    (m->type == HCHK_PROBE && m->status != 0))
		return HCHK_DROP_FIELD;
	return -1;
}

int hchk_target_result(struct hchk_target *t, bool ok, const struct hchk_config *cfg,
		       struct hchk_stats *st)
{
	t->pending = false;
	if (ok) {
		t->fails = 0;
		t->oks++;
		if (t->down && t->oks >= cfg->rise) {
			t->down = false;
			st->marked_up++;
			return 1;
		}
		return 0;
	}
	t->oks = 0;
	t->fails++;
	if (!t->down && t->fails >= cfg->fall) {
		t->down = true;
		st->marked_down++;
		return -1;
	}
	return 0;
}
