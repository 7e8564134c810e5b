/* log.c - the decision trace; see log.h.  No simulator here: callers pass
 * the time and the node's name. */
#include "log.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "net/ipv4.h"
#include "status.h"

struct hn_log_state hn_log_state;   /* off: mask 0 (see log.h on why a global) */

#define NAME(c, name) name,
static const char *const comp_names[HN_LOG_NCOMP] = { HN_LOG_COMPONENTS(NAME) };
#undef NAME

#define LIST(c, name) name ", "
static const char names_list[] = HN_LOG_COMPONENTS(LIST) "all";
#undef LIST

const char *hn_log_names(void)
{
	return names_list;
}

const char *hn_log_comp_name(enum hn_log_comp c)
{
	return (unsigned)c < HN_LOG_NCOMP ? comp_names[c] : "?";
}

const char *hn_log_proto(uint8_t proto)
{
	switch (proto) {
	case 1: return "icmp";
	case 4: return "ipip";
	case 6: return "tcp";
	case 17: return "udp";
	default: return "ip";
	}
}

/* The mask of spec, or HN_EINVAL with the first unknown name (its length in
 * *bad_len) at *bad. */
static int parse(const char *spec, unsigned *mask, const char **bad, size_t *bad_len)
{
	unsigned m = 0;
	const char *p = spec;
	while (*p) {
		size_t n = strcspn(p, ",");
		int found = 0;
		if (n == 3 && !strncmp(p, "all", 3)) {
			m |= (1u << HN_LOG_NCOMP) - 1;
			found = 1;
		}
		for (int c = 0; c < HN_LOG_NCOMP && !found; c++)
			if (strlen(comp_names[c]) == n && !strncmp(p, comp_names[c], n)) {
				m |= 1u << c;
				found = 1;
			}
		if (!found && n > 0) {   /* empty items ("redir,,hsrv") are ignored */
			*bad = p;
			*bad_len = n;
			return HN_EINVAL;
		}
		p += n;
		if (*p == ',')
			p++;
	}
	*mask = m;
	return HN_OK;
}

int hn_log_enable(const char *spec, FILE *out)
{
	unsigned m;
	const char *bad;
	size_t bad_len;
	if (!spec || !out || parse(spec, &m, &bad, &bad_len) != HN_OK)
		return HN_EINVAL;
	hn_log_state.out = out;
	hn_log_state.mask = m;
	return HN_OK;
}

void hn_log_disable(void)
{
	hn_log_state.mask = 0;
	hn_log_state.out = NULL;
}

int hn_log_enable_checked(const char *what, const char *spec)
{
	unsigned m;
	const char *bad = "";
	size_t bad_len = 0;
	if (!spec || parse(spec, &m, &bad, &bad_len) != HN_OK) {
		fprintf(stderr, "hydranet: %s: unknown log component '%.*s' (names: %s)\n", what,
			(int)bad_len, bad, names_list);
		return HN_EINVAL;
	}
	return hn_log_enable(spec, stderr);
}

int hn_log_from_env(void)
{
	const char *spec = getenv("HYDRANET_LOG");
	return spec ? hn_log_enable_checked("HYDRANET_LOG", spec) : HN_OK;
}

void hn_log_line(enum hn_log_comp comp, uint64_t now_ns, const char *node, const char *fmt, ...)
{
	char line[512];
	FILE *out = hn_log_state.out;
	if (!out)
		return;
	int n = snprintf(line, sizeof line, "%llu.%09llu %s %s: ",
			 (unsigned long long)(now_ns / 1000000000u),
			 (unsigned long long)(now_ns % 1000000000u), hn_log_comp_name(comp),
			 node ? node : "-");
	if (n < 0)
		return;
	size_t len = (size_t)n < sizeof line ? (size_t)n : sizeof line - 1;
	va_list ap;
	va_start(ap, fmt);
	int k = vsnprintf(line + len, sizeof line - len, fmt, ap);
	va_end(ap);
	if (k > 0)
		len += (size_t)k < sizeof line - len ? (size_t)k : sizeof line - len - 1;
	/* One write per line (stderr is unbuffered), so that the lines of the
	 * processes of a -j run do not interleave within a line; a line that
	 * did not fit is cut, and still ends. */
	if (len > sizeof line - 2)
		len = sizeof line - 2;
	line[len++] = '\n';
	fwrite(line, 1, len, out);
}

const char *hn_log_dg_text(char *buf, size_t n, const uint8_t *dg, size_t len)
{
	struct ipv4_hdr h;
	uint16_t sport, dport;
	if (ipv4_decode(dg, len, &h) != HN_OK) {
		snprintf(buf, n, "%zu bytes", len);
	} else if (h.frag_off == 0 && (h.proto == IPV4_PROTO_TCP || h.proto == IPV4_PROTO_UDP) &&
		   ipv4_ports(dg, h.total_len, &h, &sport, &dport) == HN_OK) {
		snprintf(buf, n, HN_LOG_IPF ":%u > " HN_LOG_IPF ":%u %s%s", HN_LOG_IP(h.src),
			 (unsigned)sport, HN_LOG_IP(h.dst), (unsigned)dport, hn_log_proto(h.proto),
			 h.mf ? " first fragment" : "");
	} else {
		snprintf(buf, n, HN_LOG_IPF " > " HN_LOG_IPF " %s", HN_LOG_IP(h.src), HN_LOG_IP(h.dst),
			 hn_log_proto(h.proto));
		if (ipv4_is_fragment(&h))
			snprintf(buf + strlen(buf), n - strlen(buf), " fragment id %u", (unsigned)h.id);
	}
	return buf;
}
