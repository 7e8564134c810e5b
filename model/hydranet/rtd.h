/* rtd.h - HydraNet routing daemons (paper, section 4.2).
 *
 * "The redirector tables are maintained on the redirectors by HydraNet
 * routing daemons ... The communication among redirectors and between
 * redirectors and host servers happens via well-known UDP ports."  On a host
 * server, the daemon hears every port a virtual host binds or gives up
 * (hsrv_set_bind_listener) and tells its redirectors: ANNOUNCE with a
 * lifetime, repeated before it runs out so a lost message heals, and
 * WITHDRAW on removal.  On a redirector, the daemon listens on
 * RMP_PORT_ROUTING and applies what it hears to the redirector table; a
 * malformed or unexpected message is dropped and counted by reason, never
 * trusted.  Wire format: rmp.h, docs/rmp.md.  Not here: replica installation
 * (the replica manager), redirector-to-redirector exchange. */
#ifndef HN_RTD_H
#define HN_RTD_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct sim_node;
struct hsrv;
struct redir;

struct rtd_config {
	uint64_t lifetime_ns;         /* ANNOUNCE lifetime (1 s .. RMP_MAX_LIFETIME) */
	uint64_t refresh_ns;          /* ANNOUNCE repeated this often (< lifetime) */
	bool withdraw;                /* send WITHDRAW when a port is given up */
};

enum rtd_drop {
	RTD_DROP_TRUNCATED,           /* shorter than its header says */
	RTD_DROP_VERSION,
	RTD_DROP_TYPE,                /* unknown message type or protocol */
	RTD_DROP_LENGTH,              /* length field inconsistent */
	RTD_DROP_FIELD,               /* a field out of range */
	RTD_DROP_UNEXPECTED,          /* a valid message a routing daemon does not take */
	RTD_DROP_TABLE,               /* the redirector table refused the entry */
	RTD_NDROP
};

struct rtd_stats {
	uint64_t announces_sent, withdraws_sent, bytes_sent;
	uint64_t announces_received, withdraws_received, bytes_received;
	uint64_t entries_applied;     /* access points installed, refreshed or withdrawn */
	uint64_t drops[RTD_NDROP];
};

struct rtd;

/* The daemon of a host server at address self, telling redirectors[n]. */
struct rtd *rtd_host_new(struct sim_node *node, struct hsrv *hs, uint32_t self,
			 const uint32_t *redirectors, size_t n, const struct rtd_config *cfg);
/* The daemon of a redirector. */
struct rtd *rtd_redir_new(struct sim_node *node, struct redir *r);
void rtd_free(struct rtd *d);

/* Apply one received message (borrowed) at a redirector daemon; also what
 * its socket calls.  Returns HN_OK or the refusal (counted). */
int rtd_receive(struct rtd *d, const uint8_t *msg, size_t len, uint64_t now_ns);

const struct rtd_stats *rtd_stats(const struct rtd *d);
const char *rtd_drop_name(enum rtd_drop d);
#endif
