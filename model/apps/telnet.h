/* telnet.h - a telnet-like interactive service over simulated TCP.
 *
 * The server greets each connection with a banner naming its node, then
 * echoes every byte, as a remote shell echoes keystrokes.  The client reads
 * the banner, types its bytes in small writes, checks the echo byte for byte,
 * then closes.  It stands for the paper's Figure 2 telnet service (port 23),
 * which is not replicated: its traffic must reach the origin.  Not here: the
 * TELNET option negotiation of RFC 854. */
#ifndef HN_TELNET_H
#define HN_TELNET_H
#include <stddef.h>
#include <stdint.h>

#include "apps/app.h"

struct sim_node;
struct hsrv;

struct telnet_server;
struct telnet_server *telnet_server_new(struct sim_node *node, struct hsrv *hs,
					const char *name, uint32_t addr, uint16_t port);
void telnet_server_free(struct telnet_server *s);

struct telnet_client_config {
	uint32_t server_addr;
	uint16_t server_port;
	uint32_t bytes;            /* bytes typed per session */
	uint32_t write_bytes;      /* bytes per write ("keystrokes" per packet) */
	uint64_t write_gap_ns;     /* pause between writes */
	uint32_t sessions;         /* one after another */
	uint64_t start_ns;
	struct app_think think;     /* pause between sessions */
};

struct telnet_client;
struct telnet_client *telnet_client_new(struct sim_node *node,
					const struct telnet_client_config *cfg);
void telnet_client_free(struct telnet_client *c);
/* All cfg.sessions results; unfinished ones have ok false. */
size_t telnet_client_results(const struct telnet_client *c, const struct app_result **out);
#endif
