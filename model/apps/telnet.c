/* telnet.c - banner-and-echo interactive service; see telnet.h. */
#include "apps/telnet.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hydranet/hsrv.h"
#include "net/ipv4.h"
#include "sim/sim.h"
#include "status.h"

#define BANNER_PREFIX "hydranet-telnetd on "

/* What the client types: printable text, as a person at a terminal would
 * (and so never a TELNET IAC byte, 255). */
static uint8_t typed_char(uint64_t i)
{
	return (uint8_t)('a' + i % 26);
}

struct telnet_server {
	char banner[APP_NAME_MAX + 32];
	sim_sock *listener;
};

static void srv_accept(void *ctx, sim_sock *l, sim_sock *s, uint32_t peer, uint16_t pport)
{
	struct telnet_server *srv = ctx;
	(void)l;
	(void)peer;
	(void)pport;
	sim_sock_send(s, (const uint8_t *)srv->banner, strlen(srv->banner));
}

static void srv_recv(void *ctx, sim_sock *s, const uint8_t *data, size_t len,
		     uint32_t from, uint16_t fport)
{
	(void)ctx;
	(void)from;
	(void)fport;
	sim_sock_send(s, data, len);   /* typed bytes are small; the buffer has room */
}

static void srv_close(void *ctx, sim_sock *s, bool error)
{
	(void)ctx;
	(void)error;
	sim_sock_close(s);
}

static const struct sim_sock_ops server_ops = {
	.on_accept = srv_accept,
	.on_recv = srv_recv,
	.on_close = srv_close,
};

struct telnet_server *telnet_server_new(struct sim_node *node, struct hsrv *hs,
					const char *name, uint32_t addr, uint16_t port)
{
	struct telnet_server *srv = calloc(1, sizeof *srv);
	if (!srv)
		return NULL;
	snprintf(srv->banner, sizeof srv->banner, BANNER_PREFIX "%s\r\n", name);
	srv->listener = sim_tcp_socket(node, &server_ops, srv);
	int rc = !srv->listener ? HN_ENOMEM
		 : hs ? hsrv_bind(hs, srv->listener, addr, IPV4_PROTO_TCP, port)
		      : sim_sock_bind(srv->listener, addr, port);
	if (rc == HN_OK)
		rc = sim_sock_listen(srv->listener);
	if (rc != HN_OK) {
		free(srv);
		return NULL;
	}
	return srv;
}

void telnet_server_free(struct telnet_server *srv)
{
	free(srv);
}

struct telnet_client {
	struct telnet_client_config cfg;
	struct sim_node *node;
	struct app_result *res;
	uint32_t cur;
	sim_sock *sock;
	char banner[APP_NAME_MAX + 32];
	size_t banner_len;
	int banner_done;
	uint64_t typed, echoed;
	int bad, done;
};

static void cli_start(void *arg);

static void cli_finish(struct telnet_client *c, int ok)
{
	if (c->done)
		return;
	struct app_result *r = &c->res[c->cur];
	c->done = 1;
	r->ok = ok && !c->bad && c->echoed == c->cfg.bytes && r->served_by[0];
	if (ok)
		r->end_ns = sim_now_ns();
	sim_sock_close(c->sock);
	if (++c->cur < c->cfg.sessions)
		sim_schedule(app_think_next(&c->cfg.think), cli_start, c);
}

static void cli_type(void *arg)
{
	struct telnet_client *c = arg;
	if (c->done || c->typed >= c->cfg.bytes)
		return;
	uint8_t buf[1500];
	size_t n = c->cfg.bytes - c->typed;
	if (n > c->cfg.write_bytes)
		n = c->cfg.write_bytes;
	if (n > sizeof buf)
		n = sizeof buf;
	for (size_t i = 0; i < n; i++)
		buf[i] = typed_char(c->typed + i);
	int sent = sim_sock_send(c->sock, buf, n);
	if (sent > 0) {
		c->typed += (uint64_t)sent;
		c->res[c->cur].bytes_sent += (uint64_t)sent;
	}
	if (c->typed < c->cfg.bytes)
		sim_schedule(c->cfg.write_gap_ns, cli_type, c);
}

static void cli_recv(void *ctx, sim_sock *s, const uint8_t *data, size_t len,
		     uint32_t from, uint16_t fport)
{
	struct telnet_client *c = ctx;
	struct app_result *r = &c->res[c->cur];
	(void)from;
	(void)fport;
	if (s != c->sock || c->done)
		return;
	r->bytes_received += len;
	while (len > 0 && !c->banner_done) {
		if (c->banner_len + 1 >= sizeof c->banner) {
			cli_finish(c, 0);
			return;
		}
		c->banner[c->banner_len++] = (char)*data++;
		len--;
		c->banner[c->banner_len] = 0;
		if (c->banner_len >= 2 && !strcmp(c->banner + c->banner_len - 2, "\r\n")) {
			c->banner_done = 1;
			if (!strncmp(c->banner, BANNER_PREFIX, strlen(BANNER_PREFIX)))
				sscanf(c->banner + strlen(BANNER_PREFIX), "%47[^\r\n]", r->served_by);
			cli_type(c);
		}
	}
	for (size_t i = 0; i < len; i++)
		if (data[i] != typed_char(c->echoed + i))
			c->bad = 1;
	c->echoed += len;
	if (c->banner_done && c->echoed >= c->cfg.bytes)
		cli_finish(c, 1);
}

static void cli_connect(void *ctx, sim_sock *s, bool ok)
{
	struct telnet_client *c = ctx;
	(void)s;
	if (!ok)
		cli_finish(c, 0);
	else
		c->res[c->cur].connected_ns = sim_now_ns();
}

static void cli_close(void *ctx, sim_sock *s, bool error)
{
	struct telnet_client *c = ctx;
	(void)error;
	if (s == c->sock)
		cli_finish(c, 0);
}

static const struct sim_sock_ops client_ops = {
	.on_connect = cli_connect,
	.on_recv = cli_recv,
	.on_close = cli_close,
};

static void cli_start(void *arg)
{
	struct telnet_client *c = arg;
	c->res[c->cur].start_ns = sim_now_ns();
	c->res[c->cur].started = true;
	c->banner_len = 0;
	c->banner_done = 0;
	c->typed = c->echoed = 0;
	c->bad = c->done = 0;
	c->sock = sim_tcp_socket(c->node, &client_ops, c);
	if (!c->sock || sim_sock_connect(c->sock, c->cfg.server_addr, c->cfg.server_port) != HN_OK) {
		c->done = 1;
		if (++c->cur < c->cfg.sessions)
			sim_schedule(app_think_next(&c->cfg.think), cli_start, c);
	}
}

struct telnet_client *telnet_client_new(struct sim_node *node,
					const struct telnet_client_config *cfg)
{
	if (cfg->sessions == 0 || cfg->write_bytes == 0)
		return NULL;
	struct telnet_client *c = calloc(1, sizeof *c);
	if (!c)
		return NULL;
	c->res = calloc(cfg->sessions, sizeof *c->res);
	if (!c->res) {
		free(c);
		return NULL;
	}
	c->cfg = *cfg;
	c->node = node;
	sim_schedule(cfg->start_ns, cli_start, c);
	return c;
}

void telnet_client_free(struct telnet_client *c)
{
	if (!c)
		return;
	free(c->res);
	free(c);
}

size_t telnet_client_results(const struct telnet_client *c, const struct app_result **out)
{
	*out = c->res;
	return c->cfg.sessions;
}
