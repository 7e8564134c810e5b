/* fragflow.c - verdicts per fragmented datagram; see fragflow.h.
 *
 * A small chained hash table keyed by (src, dst, proto, id).  Entries are
 * created by the first fragment (a verdict) or by an early fragment (a hold);
 * both expire lifetime_ns after they were last touched.  The table is swept
 * on every call, bounded by the number of live entries, which the limits keep
 * small. */
#include "hydranet/fragflow.h"

#include <stdlib.h>
#include <string.h>

#include "status.h"

#define NBUCKETS 256

struct held {
	struct held *next;
	size_t len;
	uint8_t bytes[];
};

struct flow {
	struct flow *next;
	uint32_t src, dst;
	uint16_t id;
	uint8_t proto;
	uint8_t decided;        /* verdict is valid */
	uint32_t verdict;
	uint64_t expires_ns;
	struct held *held;      /* early fragments, in arrival order */
	struct held **held_tail;
};

struct fragflow {
	struct fragflow_limits lim;
	struct fragflow_stats st;
	struct flow *bucket[NBUCKETS];
};

static unsigned hash_key(uint32_t src, uint32_t dst, uint8_t proto, uint16_t id)
{
	uint32_t h = src * 2654435761u ^ dst * 2246822519u ^ ((uint32_t)proto << 16 | id) * 3266489917u;
	return (h ^ (h >> 15)) % NBUCKETS;
}

struct fragflow *fragflow_new(const struct fragflow_limits *lim)
{
	struct fragflow *f = calloc(1, sizeof *f);
	if (f)
		f->lim = *lim;
	return f;
}

static void flow_free(struct fragflow *f, struct flow *fl, int count_drops)
{
	struct held *h = fl->held;
	while (h) {
		struct held *n = h->next;
		f->st.held_bytes -= h->len;
		if (count_drops)
			f->st.drops[FRAGFLOW_DROP_NO_FIRST]++;
		free(h);
		h = n;
	}
	f->st.flows--;
	free(fl);
}

void fragflow_free(struct fragflow *f)
{
	if (!f)
		return;
	for (int b = 0; b < NBUCKETS; b++) {
		struct flow *fl = f->bucket[b];
		while (fl) {
			struct flow *n = fl->next;
			flow_free(f, fl, 0);
			fl = n;
		}
	}
	free(f);
}

static struct flow **find(struct fragflow *f, const struct ipv4_hdr *h)
{
	struct flow **pp = &f->bucket[hash_key(h->src, h->dst, h->proto, h->id)];
	for (; *pp; pp = &(*pp)->next) {
		struct flow *fl = *pp;
		if (fl->src == h->src && fl->dst == h->dst && fl->proto == h->proto &&
		    fl->id == h->id)
			break;
	}
	return pp;
}

static struct flow *create(struct fragflow *f, const struct ipv4_hdr *h, uint64_t now_ns)
{
	if (f->st.flows >= f->lim.max_flows)
		return NULL;
	struct flow *fl = calloc(1, sizeof *fl);
	if (!fl)
		return NULL;
	fl->src = h->src;
	fl->dst = h->dst;
	fl->proto = h->proto;
	fl->id = h->id;
	fl->expires_ns = now_ns + f->lim.lifetime_ns;
	fl->held_tail = &fl->held;
	unsigned b = hash_key(h->src, h->dst, h->proto, h->id);
	fl->next = f->bucket[b];
	f->bucket[b] = fl;
	f->st.flows++;
	return fl;
}

size_t fragflow_expire(struct fragflow *f, uint64_t now_ns)
{
	uint64_t before = f->st.drops[FRAGFLOW_DROP_NO_FIRST];
	if (f->st.flows == 0)
		return 0;
	for (int b = 0; b < NBUCKETS; b++) {
		struct flow **pp = &f->bucket[b];
		while (*pp) {
			struct flow *fl = *pp;
			if (fl->expires_ns <= now_ns) {
				*pp = fl->next;
				flow_free(f, fl, 1);
			} else {
				pp = &fl->next;
			}
		}
	}
	return (size_t)(f->st.drops[FRAGFLOW_DROP_NO_FIRST] - before);
}

uint64_t fragflow_next_expiry(const struct fragflow *f)
{
	uint64_t t = UINT64_MAX;
	if (f->st.flows == 0)
		return t;
	for (int b = 0; b < NBUCKETS; b++)
		for (const struct flow *fl = f->bucket[b]; fl; fl = fl->next)
			if (fl->expires_ns < t)
				t = fl->expires_ns;
	return t;
}

int fragflow_decide(struct fragflow *f, const struct ipv4_hdr *h, uint32_t verdict,
		    uint64_t now_ns, fragflow_release_fn release, void *ctx)
{
	fragflow_expire(f, now_ns);
	struct flow *fl = *find(f, h);
	if (!fl && !(fl = create(f, h, now_ns))) {
		f->st.drops[FRAGFLOW_DROP_FLOW_LIMIT]++;
		return HN_ELIMIT;
	}
	fl->decided = 1;
	fl->verdict = verdict;
	fl->expires_ns = now_ns + f->lim.lifetime_ns;
	f->st.decided++;
	struct held *hd = fl->held;
	fl->held = NULL;
	fl->held_tail = &fl->held;
	while (hd) {
		struct held *n = hd->next;
		f->st.held_bytes -= hd->len;
		f->st.released++;
		release(ctx, hd->bytes, hd->len, verdict);
		free(hd);
		hd = n;
	}
	return HN_OK;
}

int fragflow_lookup(struct fragflow *f, const struct ipv4_hdr *h, uint64_t now_ns,
		    uint32_t *verdict)
{
	fragflow_expire(f, now_ns);
	struct flow *fl = *find(f, h);
	if (!fl || !fl->decided)
		return 0;
	fl->expires_ns = now_ns + f->lim.lifetime_ns;
	f->st.matched++;
	*verdict = fl->verdict;
	return 1;
}

int fragflow_hold(struct fragflow *f, const struct ipv4_hdr *h,
		  const uint8_t *frag, size_t len, uint64_t now_ns)
{
	fragflow_expire(f, now_ns);
	if (f->st.held_bytes + len > f->lim.max_held_bytes) {
		f->st.drops[FRAGFLOW_DROP_HOLD_LIMIT]++;
		return HN_ELIMIT;
	}
	struct flow *fl = *find(f, h);
	if (!fl && !(fl = create(f, h, now_ns))) {
		f->st.drops[FRAGFLOW_DROP_FLOW_LIMIT]++;
		return HN_ELIMIT;
	}
	struct held *hd = malloc(sizeof *hd + len);
	if (!hd) {
		f->st.drops[FRAGFLOW_DROP_HOLD_LIMIT]++;
		return HN_ENOMEM;
	}
	hd->next = NULL;
	hd->len = len;
	memcpy(hd->bytes, frag, len);
	*fl->held_tail = hd;
	fl->held_tail = &hd->next;
	f->st.held_bytes += len;
	f->st.held++;
	return HN_OK;
}

const struct fragflow_stats *fragflow_stats(const struct fragflow *f)
{
	return &f->st;
}

const char *fragflow_drop_name(enum fragflow_drop d)
{
	static const char *const names[FRAGFLOW_NDROP] = { FRAGFLOW_STATS(COUNTER_SKIP, COUNTER_NAME) };
	return (unsigned)d < FRAGFLOW_NDROP ? names[d] : "unknown";
}

#define STAT_C(field, name, doc) COUNTER_DEF(struct fragflow_stats, field, name, doc)
#define STAT_D(e, name, doc) COUNTER_DROP_DEF(struct fragflow_stats, FRAGFLOW_DROP_##e, "" name, doc)
static const struct counter_def counter_defs[] = { FRAGFLOW_STATS(STAT_C, STAT_D) };
const struct counter_set fragflow_counters = COUNTER_SET("fragflow", counter_defs);
