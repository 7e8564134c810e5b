/* log.h - an NS_LOG-like decision trace: one line per decision a model makes.
 *
 * Off by default.  hn_log_enable("redir,hsrv", stderr) (or "all") turns on
 * the components named; each then writes, at every decision it takes, one
 * line
 *
 *   1.234567890 redir r1: redirect 10.0.0.5:1234 > 10.1.0.1:80 tcp to 10.2.0.2 (nearest, new flow)
 *
 * the simulated time in seconds (9 decimals), the component, the node, what
 * it did and why.  Every drop is logged with the reason name that its
 * counter has in the results database (drop.NAME).  The trace is for
 * reading, not for parsing into results: the counters are the data.
 *
 * Components: redir (redirector, with its held inner fragments), hsrv (host
 * server), rtd (routing daemons), rmgr (replica manager and replication
 * servers), hweb (HydraWeb hit, miss and relay decisions), cpu (reserved for
 * the testbed's cost model; accepted, nothing logs under it yet).
 *
 * Cost when off: every call site is written HN_LOG(comp, ...), which expands
 * to `if (hn_log_state.mask & bit) hn_log_line(...)`: one load and one bit
 * test, and neither the arguments (node names, addresses) are evaluated nor
 * a function called.
 *
 * Global state: hn_log_state is the one mutable global of the model outside
 * the simulator shim, on purpose.  Like ns-3's NS_LOG it is a process-wide
 * debugging switch set once from the command line or the environment, not
 * model state: nothing a model computes depends on it, and results are the
 * same with the trace on or off.  log.c does not know the simulator: callers
 * pass the time. */
#ifndef HN_LOG_H
#define HN_LOG_H
#include <stdint.h>
#include <stdio.h>

/* X(COMP, "name") */
#define HN_LOG_COMPONENTS(X) \
	X(REDIR, "redir") \
	X(HSRV, "hsrv") \
	X(RTD, "rtd") \
	X(RMGR, "rmgr") \
	X(HWEB, "hweb") \
	X(CPU, "cpu")

#define HN_LOG_ENUM(c, name) HN_LOG_##c,
enum hn_log_comp { HN_LOG_COMPONENTS(HN_LOG_ENUM) HN_LOG_NCOMP };
#undef HN_LOG_ENUM

struct hn_log_state {
	unsigned mask;      /* bit (1u << enum hn_log_comp) set: that component logs */
	FILE *out;          /* where lines go; non-NULL whenever mask != 0 */
};
extern struct hn_log_state hn_log_state;

/* Is component comp (an enum hn_log_comp) logging?  A bit test, no call. */
#define HN_LOG_ON(comp) ((hn_log_state.mask >> (comp)) & 1u)

/* Log one decision of component comp at node at now_ns; the arguments are
 * evaluated only when comp is on.  fmt has no trailing newline. */
#define HN_LOG(comp, now_ns, node, ...) \
	do { \
		if (HN_LOG_ON(comp)) \
			hn_log_line((comp), (now_ns), (node), __VA_ARGS__); \
	} while (0)

/* An IPv4 address (host order) for printf: HN_LOG_IPF with HN_LOG_IP(a). */
#define HN_LOG_IPF "%u.%u.%u.%u"
#define HN_LOG_IP(a) (unsigned)((a) >> 24 & 255u), (unsigned)((a) >> 16 & 255u), \
		     (unsigned)((a) >> 8 & 255u), (unsigned)((a) & 255u)

/* Turn on exactly the components of spec: names separated by commas
 * ("redir,hsrv,rmgr"), "all", or "" (none); lines go to out (borrowed, kept
 * until disabled).  HN_EINVAL for an unknown name or a NULL out, with
 * nothing changed. */
int hn_log_enable(const char *spec, FILE *out);
/* Turn every component off. */
void hn_log_disable(void);

/* hn_log_enable(spec, stderr); on error writes "hydranet: WHAT: unknown log
 * component 'x' (names: redir, hsrv, ...)" to stderr.  Returns the status. */
int hn_log_enable_checked(const char *what, const char *spec);
/* Enable from the environment variable HYDRANET_LOG when it is set
 * (hn_log_enable_checked("HYDRANET_LOG", value)).  Returns the status. */
int hn_log_from_env(void);

/* The names hn_log_enable takes, e.g. "redir, hsrv, rtd, rmgr, hweb, cpu, all". */
const char *hn_log_names(void);
const char *hn_log_comp_name(enum hn_log_comp c);
/* "tcp", "udp", "icmp", "ipip" or "ip" for an IP protocol number. */
const char *hn_log_proto(uint8_t proto);
/* A datagram as the trace shows it, into buf: "10.0.0.5:1234 > 10.1.0.1:80
 * tcp" (" first fragment" when more follow), or without ports (a fragment
 * after the first, another protocol) "10.0.0.5 > 10.1.0.1 tcp fragment id
 * 77", or "N bytes" when it does not decode.  Returns buf. */
const char *hn_log_dg_text(char *buf, size_t n, const uint8_t *dg, size_t len);

/* Write one line: "S.NNNNNNNNN COMP NODE: " then fmt, then a newline, in
 * one write.  node NULL is written "-".  Use HN_LOG, which tests first. */
void hn_log_line(enum hn_log_comp comp, uint64_t now_ns, const char *node, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
#endif
