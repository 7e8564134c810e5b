/* http.c - HTTP/1.0 server and client; see http.h. */
#include "apps/http.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hydranet/hsrv.h"
#include "net/ipv4.h"
#include "sim/sim.h"
#include "status.h"
#include "testbed/cpu.h"

#define HDR_MAX 2048   /* request or response header bytes */

/* ---- server ------------------------------------------------------------- */

struct http_conn {
	struct http_server *srv;
	sim_sock *sock;
	char hdr[HDR_MAX];
	size_t hdr_len;
	int hdr_done;
	uint64_t body_left;        /* request body still to read */
	char reply_hdr[256];
	size_t reply_hdr_len, reply_hdr_sent;
	uint64_t body_len, body_sent;
	int replying;              /* reply started (after processing time) */
	uint64_t request_ns;       /* when the request was complete */
	int closed;
};

struct http_server {
	struct http_server_config cfg;
	char name[APP_NAME_MAX];
	sim_sock *listener;
	struct hsrv *hs;           /* the virtual host's host server, or NULL */
	int stopped;               /* takes no new connections */
	uint64_t requests;
	uint64_t service_ns, answered;   /* request complete -> reply started */
	struct http_conn **conns;  /* owned, freed with the server */
	size_t nconns, capconns;
};

static void srv_pump(struct http_conn *c)
{
	uint8_t chunk[4096];
	while (!c->closed && c->reply_hdr_sent < c->reply_hdr_len) {
		int n = sim_sock_send(c->sock, (const uint8_t *)c->reply_hdr + c->reply_hdr_sent,
				      c->reply_hdr_len - c->reply_hdr_sent);
		if (n <= 0)
			return;
		c->reply_hdr_sent += (size_t)n;
	}
	while (!c->closed && c->body_sent < c->body_len) {
		size_t want = c->body_len - c->body_sent;
		if (want > sizeof chunk)
			want = sizeof chunk;
		for (size_t i = 0; i < want; i++)
			chunk[i] = app_pattern(c->body_sent + i);
		int n = sim_sock_send(c->sock, chunk, want);
		if (n <= 0)
			return;
		c->body_sent += (uint64_t)n;
	}
	if (!c->closed) {
		c->closed = 1;   /* server closes first; ns-3 sends FIN when drained */
		sim_sock_close(c->sock);
	}
}

static void srv_reply(void *arg)
{
	struct http_conn *c = arg;
	c->replying = 1;
	c->srv->service_ns += sim_now_ns() - c->request_ns;
	c->srv->answered++;
	srv_pump(c);
}

/* Parse the request header; set up the reply.  Unknown requests get 400. */
static void srv_request_done(struct http_conn *c)
{
	unsigned long long want = 0;
	int status = 400;
	if ((sscanf(c->hdr, "GET /obj/%llu HTTP/1.0", &want) == 1 ||
	     sscanf(c->hdr, "POST /obj/%llu HTTP/1.0", &want) == 1) &&
	    want <= 100ull * 1000 * 1000)
		status = 200;
	c->body_len = status == 200 ? want : 0;
	c->reply_hdr_len = (size_t)snprintf(c->reply_hdr, sizeof c->reply_hdr,
		"HTTP/1.0 %d %s\r\nServer: hydranet-httpd/%s\r\nContent-Length: %llu\r\n\r\n",
		status, status == 200 ? "OK" : "Bad Request", c->srv->name,
		(unsigned long long)c->body_len);
	c->srv->requests++;
	c->request_ns = sim_now_ns();
	/* On a node with a CPU the processing waits its turn: a busy server
	 * answers later (the server load of the Figure 1 experiments). */
	uint64_t d = c->srv->cfg.cpu ? cpu_charge(c->srv->cfg.cpu, sim_now_ns(), c->srv->cfg.processing_ns)
				     : c->srv->cfg.processing_ns;
	if (d)
		sim_schedule(d, srv_reply, c);
	else
		srv_reply(c);
}

static void srv_recv(void *ctx, sim_sock *s, const uint8_t *data, size_t len,
		     uint32_t from, uint16_t fport)
{
	struct http_server *srv = ctx;
	(void)from;
	(void)fport;
	struct http_conn *c = NULL;
	for (size_t i = 0; i < srv->nconns; i++)
		if (srv->conns[i]->sock == s)
			c = srv->conns[i];
	if (!c || c->hdr_done == 2)
		return;
	while (len > 0 && !c->hdr_done) {
		if (c->hdr_len + 1 >= HDR_MAX) {   /* header too long: answer 400 */
			c->hdr_done = 1;
			break;
		}
		c->hdr[c->hdr_len++] = (char)*data++;
		len--;
		c->hdr[c->hdr_len] = 0;
		if (c->hdr_len >= 4 && !memcmp(c->hdr + c->hdr_len - 4, "\r\n\r\n", 4)) {
			c->hdr_done = 1;
			const char *cl = strstr(c->hdr, "Content-Length: ");
			if (cl)
				c->body_left = strtoull(cl + 16, NULL, 10);
		}
	}
	if (!c->hdr_done)
		return;
	c->body_left -= len < c->body_left ? len : c->body_left;
	if (c->body_left == 0) {
		c->hdr_done = 2;
		srv_request_done(c);
	}
}

static void srv_accept(void *ctx, sim_sock *l, sim_sock *s, uint32_t peer, uint16_t pport)
{
	struct http_server *srv = ctx;
	(void)l;
	(void)peer;
	(void)pport;
	if (srv->stopped) {
		sim_sock_close(s);
		return;
	}
	if (srv->nconns == srv->capconns) {
		size_t cap = srv->capconns ? 2 * srv->capconns : 16;
		struct http_conn **nc = realloc(srv->conns, cap * sizeof *nc);
		if (!nc) {
			sim_sock_close(s);
			return;
		}
		srv->conns = nc;
		srv->capconns = cap;
	}
	struct http_conn *c = calloc(1, sizeof *c);
	if (!c) {
		sim_sock_close(s);
		return;
	}
	c->srv = srv;
	c->sock = s;
	srv->conns[srv->nconns++] = c;
}

static void srv_space(void *ctx, sim_sock *s, size_t avail)
{
	struct http_server *srv = ctx;
	(void)avail;
	for (size_t i = 0; i < srv->nconns; i++)
		if (srv->conns[i]->sock == s && srv->conns[i]->replying)
			srv_pump(srv->conns[i]);
}

static const struct sim_sock_ops server_ops = {
	.on_accept = srv_accept,
	.on_recv = srv_recv,
	.on_send_space = srv_space,
};

struct http_server *http_server_new(struct sim_node *node, struct hsrv *hs,
				    const struct http_server_config *cfg)
{
	struct http_server *srv = calloc(1, sizeof *srv);
	if (!srv)
		return NULL;
	srv->cfg = *cfg;
	snprintf(srv->name, sizeof srv->name, "%s", cfg->name);
	srv->listener = sim_tcp_socket(node, &server_ops, srv);
	int rc = !srv->listener ? HN_ENOMEM
		 : hs ? hsrv_bind(hs, srv->listener, cfg->addr, IPV4_PROTO_TCP, cfg->port)
		      : sim_sock_bind(srv->listener, cfg->addr, cfg->port);
	if (rc == HN_OK)
		rc = sim_sock_listen(srv->listener);
	if (rc != HN_OK) {
		free(srv);
		return NULL;
	}
	srv->hs = hs;
	return srv;
}

/* The listening socket stays open while stopped (ns-3 keeps a closed
 * listener's endpoint, so a new one could not bind the port again); the
 * host server drops datagrams for the unbound port before they reach it. */
void http_server_stop(struct http_server *srv)
{
	if (srv->stopped)
		return;
	srv->stopped = 1;
	if (srv->hs)
		hsrv_vhost_unbind(srv->hs, srv->cfg.addr, IPV4_PROTO_TCP, srv->cfg.port);
}

int http_server_restart(struct http_server *srv)
{
	if (!srv->stopped)
		return HN_OK;
	srv->stopped = 0;
	return srv->hs ? hsrv_vhost_bind(srv->hs, srv->cfg.addr, IPV4_PROTO_TCP, srv->cfg.port) : HN_OK;
}

void http_server_free(struct http_server *srv)
{
	if (!srv)
		return;
	for (size_t i = 0; i < srv->nconns; i++)
		free(srv->conns[i]);
	free(srv->conns);
	free(srv);
}

uint64_t http_server_requests(const struct http_server *srv)
{
	return srv->requests;
}

void http_server_service(const struct http_server *srv, uint64_t *sum_ns, uint64_t *count)
{
	*sum_ns = srv->service_ns;
	*count = srv->answered;
}

/* ---- client ------------------------------------------------------------- */

/* One user: requests one after another.  A client runs cfg.clients of them. */
struct http_session {
	struct http_client *cl;
	struct app_result *res;     /* this user's cfg.requests results */
	uint32_t cur;               /* request in progress */
	sim_sock *sock;
	char req[HDR_MAX];
	size_t req_hdr_len;
	uint64_t req_sent, req_total;
	char hdr[HDR_MAX];
	size_t hdr_len;
	int hdr_done, status;
	uint64_t content_length, body_got;
	int body_bad;
	int done;                   /* current request finished */
};

struct http_client {
	struct http_client_config cfg;
	struct sim_node *node;
	struct app_result *res;     /* clients x requests */
	struct http_session *sess;
};

static void cli_start(void *arg);

/* Schedule the session's next request, unless it is done or past stop. */
static void cli_next(struct http_session *c)
{
	if (++c->cur >= c->cl->cfg.requests)
		return;
	uint64_t think = app_think_next(&c->cl->cfg.think);
	if (c->cl->cfg.stop_ns && sim_now_ns() + think >= c->cl->cfg.stop_ns) {
		c->cur = c->cl->cfg.requests;   /* the user leaves */
		return;
	}
	sim_schedule(think, cli_start, c);
}

static void cli_finish(struct http_session *c, int ok)
{
	struct app_result *r = &c->res[c->cur];
	if (c->done)
		return;
	c->done = 1;
	r->ok = ok && c->status == 200 && c->body_got == c->content_length &&
		c->content_length == c->cl->cfg.object_bytes && !c->body_bad;
	if (ok)
		r->end_ns = sim_now_ns();
	sim_sock_close(c->sock);
	cli_next(c);
}

static void cli_pump(struct http_session *c)
{
	uint8_t chunk[4096];
	while (c->req_sent < c->req_total) {
		size_t want;
		const uint8_t *p;
		if (c->req_sent < c->req_hdr_len) {
			p = (const uint8_t *)c->req + c->req_sent;
			want = c->req_hdr_len - c->req_sent;
		} else {
			uint64_t off = c->req_sent - c->req_hdr_len;
			want = c->req_total - c->req_sent;
			if (want > sizeof chunk)
				want = sizeof chunk;
			for (size_t i = 0; i < want; i++)
				chunk[i] = app_pattern(off + i);
			p = chunk;
		}
		int n = sim_sock_send(c->sock, p, want);
		if (n <= 0)
			return;
		c->req_sent += (uint64_t)n;
		c->res[c->cur].bytes_sent += (uint64_t)n;
	}
}

static void cli_connect(void *ctx, sim_sock *s, bool ok)
{
	struct http_session *c = ctx;
	(void)s;
	if (!ok) {
		cli_finish(c, 0);
		return;
	}
	c->res[c->cur].connected_ns = sim_now_ns();
	cli_pump(c);
}

static void cli_recv(void *ctx, sim_sock *s, const uint8_t *data, size_t len,
		     uint32_t from, uint16_t fport)
{
	struct http_session *c = ctx;
	struct app_result *r = &c->res[c->cur];
	(void)from;
	(void)fport;
	if (s != c->sock || c->done)
		return;
	r->bytes_received += len;
	while (len > 0 && !c->hdr_done) {
		if (c->hdr_len + 1 >= HDR_MAX) {
			cli_finish(c, 0);
			return;
		}
		c->hdr[c->hdr_len++] = (char)*data++;
		len--;
		c->hdr[c->hdr_len] = 0;
		if (c->hdr_len >= 4 && !memcmp(c->hdr + c->hdr_len - 4, "\r\n\r\n", 4)) {
			c->hdr_done = 1;
			sscanf(c->hdr, "HTTP/1.0 %d", &c->status);
			const char *cl = strstr(c->hdr, "Content-Length: ");
			c->content_length = cl ? strtoull(cl + 16, NULL, 10) : 0;
			const char *sv = strstr(c->hdr, "Server: hydranet-httpd/");
			if (sv)
				sscanf(sv + 23, "%47[^\r\n]", r->served_by);
		}
	}
	for (size_t i = 0; i < len; i++)
		if (data[i] != app_pattern(c->body_got + i))
			c->body_bad = 1;
	c->body_got += len;
	if (c->hdr_done && c->body_got >= c->content_length)
		cli_finish(c, 1);
}

static void cli_close(void *ctx, sim_sock *s, bool error)
{
	struct http_session *c = ctx;
	(void)error;
	if (s == c->sock)
		cli_finish(c, c->hdr_done && c->body_got >= c->content_length);
}

static void cli_space(void *ctx, sim_sock *s, size_t avail)
{
	struct http_session *c = ctx;
	(void)avail;
	if (s == c->sock && !c->done)
		cli_pump(c);
}

static const struct sim_sock_ops client_ops = {
	.on_connect = cli_connect,
	.on_recv = cli_recv,
	.on_send_space = cli_space,
	.on_close = cli_close,
};

static void cli_start(void *arg)
{
	struct http_session *c = arg;
	const struct http_client_config *cfg = &c->cl->cfg;
	struct app_result *r = &c->res[c->cur];
	r->start_ns = sim_now_ns();
	r->started = true;
	c->hdr_len = 0;
	c->hdr_done = 0;
	c->status = 0;
	c->content_length = c->body_got = 0;
	c->body_bad = 0;
	c->done = 0;
	c->req_sent = 0;
	/* A request with a body is a POST whose Content-Length pads it to
	 * request_bytes in total. */
	int n = snprintf(c->req, sizeof c->req, "GET /obj/%u HTTP/1.0\r\n\r\n", cfg->object_bytes);
	uint64_t body = 0;
	if ((uint64_t)n < cfg->request_bytes) {
		char tmp[128];
		int m = snprintf(tmp, sizeof tmp, "POST /obj/%u HTTP/1.0\r\nContent-Length: 0000000000\r\n\r\n",
				 cfg->object_bytes);
		body = cfg->request_bytes > (uint32_t)m ? cfg->request_bytes - (uint32_t)m : 0;
		n = snprintf(c->req, sizeof c->req, "POST /obj/%u HTTP/1.0\r\nContent-Length: %010llu\r\n\r\n",
			     cfg->object_bytes, (unsigned long long)body);
	}
	c->req_hdr_len = (size_t)n;
	c->req_total = (uint64_t)n + body;
	c->sock = sim_tcp_socket(c->cl->node, &client_ops, c);
	if (!c->sock || sim_sock_connect(c->sock, cfg->server_addr, cfg->server_port) != HN_OK) {
		c->done = 1;
		cli_next(c);
	}
}

struct http_client *http_client_new(struct sim_node *node, const struct http_client_config *cfg)
{
	uint32_t users = cfg->clients ? cfg->clients : 1;
	if (cfg->requests == 0 || users > 100000)
		return NULL;
	struct http_client *c = calloc(1, sizeof *c);
	if (!c)
		return NULL;
	c->res = calloc((size_t)users * cfg->requests, sizeof *c->res);
	c->sess = calloc(users, sizeof *c->sess);
	if (!c->res || !c->sess) {
		http_client_free(c);
		return NULL;
	}
	c->cfg = *cfg;
	c->cfg.clients = users;
	c->node = node;
	/* Users arrive spread over one think time, not all in one instant. */
	for (uint32_t k = 0; k < users; k++) {
		c->sess[k] = (struct http_session){ .cl = c, .res = c->res + (size_t)k * cfg->requests };
		sim_schedule(cfg->start_ns + cfg->think.mean_ns * k / users, cli_start, &c->sess[k]);
	}
	return c;
}

void http_client_free(struct http_client *c)
{
	if (!c)
		return;
	free(c->res);
	free(c->sess);
	free(c);
}

size_t http_client_results(const struct http_client *c, const struct app_result **out)
{
	*out = c->res;
	return (size_t)c->cfg.clients * c->cfg.requests;   /* unfinished ones have ok == false */
}
