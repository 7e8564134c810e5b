/* http.c - HTTP/1.0 server and client; see http.h. */
#include "apps/http.h"
#include "apps/redirect.h"

#include <gsl/gsl_rng.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hydranet/hsrv.h"
#include "net/ipv4.h"
#include "sim/sim.h"
#include "status.h"
#include "testbed/cpu.h"

#define HDR_MAX 2048   /* request or response header bytes */
#define HTTP_MAX_FETCH (16u << 20)   /* body bytes a fetch holds */

/* Move header bytes from *data into hdr (NUL-terminated) until the blank
 * line that ends it: HDR_DONE, the rest of *data is body; HDR_MORE, all of
 * it was header; HDR_LONG, the header does not fit HDR_MAX. */
enum { HDR_MORE, HDR_DONE, HDR_LONG };
static int hdr_take(char *hdr, size_t *hlen, const uint8_t **data, size_t *len)
{
	while (*len > 0) {
		if (*hlen + 1 >= HDR_MAX)
			return HDR_LONG;
		hdr[(*hlen)++] = (char)*(*data)++;
		(*len)--;
		hdr[*hlen] = 0;
		if (*hlen >= 4 && !memcmp(hdr + *hlen - 4, "\r\n\r\n", 4))
			return HDR_DONE;
	}
	return HDR_MORE;
}

/* ---- server ------------------------------------------------------------- */

struct http_conn {
	struct http_server *srv;
	sim_sock *sock;
	char hdr[HDR_MAX];
	size_t hdr_len;
	int hdr_done;
	uint64_t body_left;        /* request body still to read */
	char reply_hdr[512];
	size_t reply_hdr_len, reply_hdr_sent;
	uint64_t body_len, body_sent;
	uint32_t object;           /* object asked for (its content) */
	uint8_t *body;             /* a handler's body (owned), or NULL: generated */
	int replying;              /* reply started (after processing time) */
	int too_long;              /* the request header did not fit HDR_MAX */
	uint64_t request_ns;       /* when the request was complete */
	int closed;
	uint32_t peer;             /* the client's address (redirection) */
	size_t idx;                /* its place in srv->conns */
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

/* The reply is all in the socket and the socket closed: the connection
 * needs nothing of the server any more.  Its socket handle goes back to the
 * simulator and the connection's record is freed (the server's counters
 * already have it), so that a long run keeps no record per finished
 * connection.  Nothing refers to c after: no callback of a closed socket
 * fires, the reply timer has run, and a handler's pending request was
 * answered (http_reply) before the close. */
static void srv_conn_done(struct http_conn *c)
{
	struct http_server *srv = c->srv;
	sim_sock_release(c->sock);
	srv->conns[c->idx] = srv->conns[--srv->nconns];
	srv->conns[c->idx]->idx = c->idx;
	free(c->body);
	free(c);
}

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
		const uint8_t *p = chunk;
		if (c->body)
			p = c->body + c->body_sent;
		else
			for (size_t i = 0; i < want; i++)
				chunk[i] = app_object_byte(c->object, c->body_sent + i);
		int n = sim_sock_send(c->sock, p, want);
		if (n <= 0)
			return;
		c->body_sent += (uint64_t)n;
	}
	if (!c->closed) {
		c->closed = 1;   /* server closes first; ns-3 sends FIN when drained */
		srv_conn_done(c);
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

/* The object a request path names: /obj/<bytes> (object 0) or
 * /obj/<bytes>/<id>.  0 when it names none. */
int http_parse_path(const char *path, uint64_t *bytes, uint32_t *id)
{
	unsigned long long b = 0, o = 0;
	char tail;
	if (sscanf(path, "/obj/%llu/%llu%c", &b, &o, &tail) == 2 && o <= UINT32_MAX)
		;
	else if (sscanf(path, "/obj/%llu%c", &b, &tail) == 1)
		o = 0;
	else
		return 0;
	if (b > HTTP_MAX_OBJECT)
		return 0;
	*bytes = b;
	*id = (uint32_t)o;
	return 1;
}

static void set_reply_header(struct http_conn *c, int status, const char *extra)
{
	const char *reason = status == 200 ? "OK" : status == 404 ? "Not Found"
			     : status == 302 ? "Moved Temporarily"   /* RFC 1945 9.3 */
			     : status == 502 ? "Bad Gateway" : "Bad Request";
	c->reply_hdr_len = (size_t)snprintf(c->reply_hdr, sizeof c->reply_hdr,
		"HTTP/1.0 %d %s\r\nServer: hydranet-httpd/%s\r\n%sContent-Length: %llu\r\n\r\n",
		status, reason, c->srv->name, extra ? extra : "", (unsigned long long)c->body_len);
	if (c->reply_hdr_len >= sizeof c->reply_hdr)
		c->reply_hdr_len = sizeof c->reply_hdr - 1;
}

int http_reply(struct http_conn *c, int status, const char *extra, const uint8_t *body, size_t len)
{
	if (c->replying)
		return HN_ESTATE;
	if (len) {
		c->body = malloc(len);
		if (!c->body)
			return HN_ENOMEM;
		memcpy(c->body, body, len);
	}
	c->body_len = len;
	set_reply_header(c, status, extra);
	srv_reply(c);
	return HN_OK;
}

/* Parse the request line; a handler takes it from here, or the server
 * answers with the object's generated content.  Unknown requests get 400. */
static void srv_request_done(struct http_conn *c)
{
	char method[8] = "", path[256] = "";
	uint64_t want = 0;
	uint32_t id = 0;
	int status = 400;
	if (!c->too_long && sscanf(c->hdr, "%7s %255s HTTP/1.0", method, path) == 2 &&
	    (!strcmp(method, "GET") || !strcmp(method, "POST")) && http_parse_path(path, &want, &id))
		status = 200;
	c->srv->requests++;
	if (c->srv->cfg.observe)
		c->srv->cfg.observe(c->srv->cfg.observe_ctx, c->peer);
	c->request_ns = sim_now_ns();
	if (c->srv->cfg.handler && status == 200) {
		c->srv->cfg.handler(c->srv->cfg.handler_ctx, c, path);
		return;
	}
	c->object = id;
	c->body_len = status == 200 ? want : 0;
	uint32_t to = status == 200 && c->srv->cfg.redirect
		      ? c->srv->cfg.redirect(c->srv->cfg.redirect_ctx, c->peer) : 0;
	char loc[320];
	if (to && redirect_location_format(loc, sizeof loc, to, c->srv->cfg.port, path) > 0) {
		c->body_len = 0;
		set_reply_header(c, REDIRECT_STATUS, loc);
	} else {
		set_reply_header(c, status, NULL);
	}
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
	struct http_conn *c = sim_sock_user(s);   /* set at accept: no search */
	(void)srv;
	if (!c || c->hdr_done == 2)
		return;
	if (!c->hdr_done) {
		int h = hdr_take(c->hdr, &c->hdr_len, &data, &len);
		c->hdr_done = h != HDR_MORE;
		c->too_long = h == HDR_LONG;   /* answered 400 */
		const char *cl = h == HDR_DONE ? strstr(c->hdr, "Content-Length: ") : NULL;
		if (cl)
			c->body_left = strtoull(cl + 16, NULL, 10);
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
	c->peer = peer;
	c->idx = srv->nconns;
	srv->conns[srv->nconns++] = c;
	sim_sock_set_user(s, c);
}

static void srv_space(void *ctx, sim_sock *s, size_t avail)
{
	struct http_conn *c = sim_sock_user(s);   /* set at accept (sockets are never reused) */
	(void)ctx;
	(void)avail;
	if (c && c->replying)
		srv_pump(c);
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
	for (size_t i = 0; i < srv->nconns; i++) {
		free(srv->conns[i]->body);
		free(srv->conns[i]);
	}
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
/* One name lookup in flight: the request that asked it. */
struct lookup {
	struct lookup *next;
	struct http_session *c;
	uint32_t cur;
};

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
	uint32_t object;            /* object of the current request */
	sim_event_id timer;         /* its timeout, when cfg.timeout_ns */
	int timer_set;
	struct lookup *lookups;     /* name lookups not answered yet */
	uint32_t follows;           /* redirects followed for the current request */
	uint32_t cached_addr;       /* cache_redirect: where this user was sent */
	uint16_t cached_port;
};

struct http_client {
	struct http_client_config cfg;
	struct sim_node *node;
	struct app_result *res;     /* clients x requests */
	struct http_session *sess;
	uint64_t redirects;         /* 302 replies followed */
	uint64_t refused[REDIRECT_NREFUSALS];   /* 302 replies not followed */
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

/* End the current request: ok (the reply came whole), or how it failed
 * (enum app_outcome; used when ok is 0 or the reply is wrong). */
static void cli_finish(struct http_session *c, int ok, int failure)
{
	struct app_result *r = &c->res[c->cur];
	if (c->done)
		return;
	c->done = 1;
	if (c->timer_set) {
		sim_cancel(c->timer);
		c->timer_set = 0;
	}
	r->ok = ok && c->status == 200 && c->body_got == c->content_length &&
		c->content_length == c->cl->cfg.object_bytes && !c->body_bad;
	r->outcome = r->ok ? APP_OK : ok ? APP_FAILED : (uint8_t)failure;
	r->done_ns = sim_now_ns();
	if (ok)
		r->end_ns = sim_now_ns();
	sim_sock_release(c->sock);   /* the result has what the connection told */
	c->sock = NULL;
	cli_next(c);
}

/* The client's patience ran out: the connection is abandoned. */
static void cli_timeout(void *arg)
{
	struct http_session *c = arg;
	c->timer_set = 0;
	cli_finish(c, 0, APP_TIMED_OUT);
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
		cli_finish(c, 0, APP_RESET);
		return;
	}
	c->res[c->cur].connected_ns = sim_now_ns();
	cli_pump(c);
}

static void cli_connect_port(struct http_session *c, uint32_t addr, uint16_t port);

/* A 302: one more connection, to the Location, asking the same request
 * (RFC 1945 9.3); the request fails when the Location is refused or after
 * HTTP_MAX_REDIRECTS. */
static void cli_follow(struct http_session *c)
{
	uint32_t addr;
	uint16_t port;
	char path[REDIRECT_PATH_MAX];
	enum redirect_refusal why;
	if (redirect_location_parse(c->hdr, &addr, &port, path, sizeof path, &why) != HN_OK) {
		c->cl->refused[why]++;
		cli_finish(c, 0, APP_FAILED);
		return;
	}
	if (++c->follows > HTTP_MAX_REDIRECTS) {
		cli_finish(c, 0, APP_FAILED);
		return;
	}
	c->cl->redirects++;
	/* the same request bytes: the Location names the same path here;
	 * another path is asked with a GET of it */
	char line[300], asked[REDIRECT_PATH_MAX] = "";
	int n = snprintf(line, sizeof line, "GET %s HTTP/1.0\r\n\r\n", path);
	sscanf(c->req, "%*s %255s", asked);
	if (strcmp(asked, path) && n > 0 && (size_t)n < sizeof c->req) {
		memcpy(c->req, line, (size_t)n + 1);
		c->req_hdr_len = (size_t)n;
		c->req_total = (uint64_t)n;
	}
	sim_sock_release(c->sock);
	c->hdr_len = 0;
	c->hdr_done = 0;
	c->status = 0;
	c->content_length = c->body_got = 0;
	c->body_bad = 0;
	c->req_sent = 0;
	if (c->cl->cfg.cache_redirect) {
		c->cached_addr = addr;
		c->cached_port = port;
	}
	cli_connect_port(c, addr, port);
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
	if (!c->hdr_done) {
		int h = hdr_take(c->hdr, &c->hdr_len, &data, &len);
		if (h == HDR_LONG) {
			cli_finish(c, 0, APP_FAILED);
			return;
		}
		if (h == HDR_DONE) {
			c->hdr_done = 1;
			sscanf(c->hdr, "HTTP/1.0 %d", &c->status);
			if (c->status == REDIRECT_STATUS) {
				cli_follow(c);
				return;
			}
			const char *cl = strstr(c->hdr, "Content-Length: ");
			c->content_length = cl ? strtoull(cl + 16, NULL, 10) : 0;
			const char *sv = strstr(c->hdr, "Server: hydranet-httpd/");
			if (sv)
				sscanf(sv + 23, "%47[^\r\n]", r->served_by);
			const char *xc = strstr(c->hdr, "\r\nX-Cache: ");
			if (xc)
				r->cache = !strncmp(xc + 11, "HIT", 3) ? APP_CACHE_HIT
					 : !strncmp(xc + 11, "MISS", 4) ? APP_CACHE_MISS : APP_CACHE_NONE;
		}
	}
	for (size_t i = 0; i < len; i++)
		if (data[i] != app_object_byte(c->object, c->body_got + i))
			c->body_bad = 1;
	c->body_got += len;
	if (c->hdr_done && c->body_got >= c->content_length)
		cli_finish(c, 1, APP_OK);
}

static void cli_close(void *ctx, sim_sock *s, bool error)
{
	struct http_session *c = ctx;
	if (s == c->sock)
		cli_finish(c, c->hdr_done && c->body_got >= c->content_length,
			   error ? APP_RESET : APP_FAILED);
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

/* Connect for the current request; one that cannot even start (no address:
 * the name lookup failed; or the stack refused the socket) fails now. */
static void cli_connect_port(struct http_session *c, uint32_t addr, uint16_t port)
{
	c->sock = addr ? sim_tcp_socket(c->cl->node, &client_ops, c) : NULL;
	if (!c->sock || sim_sock_connect(c->sock, addr, port) != HN_OK)
		cli_finish(c, 0, APP_FAILED);
}

static void cli_connect_to(struct http_session *c, uint32_t addr)
{
	cli_connect_port(c, addr, c->cl->cfg.server_port);
}

/* The name lookup's answer (http_client_config's resolve).  A request that
 * ended meanwhile (its timeout) is not connected for. */
static void cli_resolved(void *arg, uint32_t addr)
{
	struct lookup *l = arg, **pp = &l->c->lookups;
	while (*pp != l)
		pp = &(*pp)->next;
	*pp = l->next;
	struct http_session *c = l->c;
	uint32_t cur = l->cur;
	free(l);
	if (c->cur != cur || c->done)
		return;
	cli_connect_to(c, addr);
}

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
	if (cfg->timeout_ns) {
		c->timer = sim_schedule(cfg->timeout_ns, cli_timeout, c);
		c->timer_set = 1;
	}
	/* With objects, each request asks for one drawn uniformly from the
	 * workload's stream: /obj/<bytes>/<id>. */
	char path[64];
	c->object = 0;
	if (cfg->objects) {
		c->object = (uint32_t)gsl_rng_uniform_int(cfg->object_rng, cfg->objects);
		snprintf(path, sizeof path, "/obj/%u/%u", cfg->object_bytes, c->object);
	} else {
		snprintf(path, sizeof path, "/obj/%u", cfg->object_bytes);
	}
	r->object = c->object;
	/* A request with a body is a POST whose Content-Length pads it to
	 * request_bytes in total. */
	int n = snprintf(c->req, sizeof c->req, "GET %s HTTP/1.0\r\n\r\n", path);
	uint64_t body = 0;
	if ((uint64_t)n < cfg->request_bytes) {
		char tmp[128];
		int m = snprintf(tmp, sizeof tmp, "POST %s HTTP/1.0\r\nContent-Length: 0000000000\r\n\r\n",
				 path);
		body = cfg->request_bytes > (uint32_t)m ? cfg->request_bytes - (uint32_t)m : 0;
		n = snprintf(c->req, sizeof c->req, "POST %s HTTP/1.0\r\nContent-Length: %010llu\r\n\r\n",
			     path, (unsigned long long)body);
	}
	c->req_hdr_len = (size_t)n;
	c->req_total = (uint64_t)n + body;
	c->sock = NULL;   /* the last request's socket may still report its close */
	c->follows = 0;
	if (c->cached_addr) {
		cli_connect_port(c, c->cached_addr, c->cached_port);   /* the remembered redirect */
	} else if (!cfg->resolve) {
		cli_connect_to(c, cfg->server_addr);
	} else {
		struct lookup *l = malloc(sizeof *l);
		if (l) {
			*l = (struct lookup){ c->lookups, c, c->cur };
			c->lookups = l;
		}
		if (!l || cfg->resolve(cfg->resolve_ctx, cli_resolved, l) != HN_OK) {
			if (l) {
				c->lookups = l->next;
				free(l);
			}
			cli_finish(c, 0, APP_FAILED);   /* the lookup could not be asked */
		}
	}
}

struct http_client *http_client_new(struct sim_node *node, const struct http_client_config *cfg)
{
	uint32_t users = cfg->clients ? cfg->clients : 1;
	if (cfg->requests == 0 || users > 100000 || (cfg->objects && !cfg->object_rng))
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
	for (uint32_t i = 0; c->sess && i < c->cfg.clients; i++)
		while (c->sess[i].lookups) {
			struct lookup *l = c->sess[i].lookups;
			c->sess[i].lookups = l->next;
			free(l);
		}
	free(c->res);
	free(c->sess);
	free(c);
}

size_t http_client_results(const struct http_client *c, const struct app_result **out)
{
	*out = c->res;
	return (size_t)c->cfg.clients * c->cfg.requests;   /* unfinished ones have ok == false */
}

/* ---- fetch ------------------------------------------------------------- */

struct http_fetch {
	struct http_fetcher *owner;
	struct http_fetch *prev, *next;   /* the owner's fetches in flight */
	sim_sock *sock;
	char req[300];
	size_t req_len, req_sent;
	char hdr[HDR_MAX];
	size_t hdr_len;
	int hdr_done, status;
	uint8_t *body;
	uint64_t content_length, body_got;
	http_fetch_fn done;
	void *ctx;
};

struct http_fetcher {
	struct sim_node *node;
	struct http_fetch *head;
};

static void fetch_unlink_free(struct http_fetch *f)
{
	if (f->prev)
		f->prev->next = f->next;
	else
		f->owner->head = f->next;
	if (f->next)
		f->next->prev = f->prev;
	free(f->body);
	free(f);
}

/* The caller hears of the reply first (a relay passes it on at once), then
 * the connection is closed; no callback fires after the close. */
static void fetch_finish(struct http_fetch *f, int complete)
{
	int status = complete && f->hdr_done && f->body_got == f->content_length ? f->status : 0;
	f->done(f->ctx, status, f->body, status ? (size_t)f->body_got : 0);
	sim_sock_release(f->sock);
	fetch_unlink_free(f);
}

static void fetch_pump(struct http_fetch *f)
{
	while (f->req_sent < f->req_len) {
		int n = sim_sock_send(f->sock, (const uint8_t *)f->req + f->req_sent, f->req_len - f->req_sent);
		if (n <= 0)
			return;
		f->req_sent += (size_t)n;
	}
}

static void fetch_connect(void *ctx, sim_sock *s, bool ok)
{
	(void)s;
	if (!ok)
		fetch_finish(ctx, 0);
	else
		fetch_pump(ctx);
}

static void fetch_recv(void *ctx, sim_sock *s, const uint8_t *data, size_t len, uint32_t from,
		       uint16_t fport)
{
	struct http_fetch *f = ctx;
	(void)s;
	(void)from;
	(void)fport;
	if (!f->hdr_done) {
		int h = hdr_take(f->hdr, &f->hdr_len, &data, &len);
		if (h == HDR_LONG) {
			fetch_finish(f, 0);
			return;
		}
		if (h == HDR_DONE) {
			f->hdr_done = 1;
			if (sscanf(f->hdr, "HTTP/1.0 %d", &f->status) != 1)
				f->status = 0;
			const char *cl = strstr(f->hdr, "Content-Length: ");
			f->content_length = cl ? strtoull(cl + 16, NULL, 10) : 0;
			/* A relay holds the whole body: a reply announcing more
			 * than a pushed object may be (16 MiB) is refused. */
			if (f->content_length > HTTP_MAX_FETCH ||
			    !(f->body = malloc(f->content_length ? f->content_length : 1))) {
				fetch_finish(f, 0);
				return;
			}
		}
	}
	if (!f->hdr_done)
		return;
	if (len > f->content_length - f->body_got)
		len = (size_t)(f->content_length - f->body_got);   /* bytes past the body are ignored */
	memcpy(f->body + f->body_got, data, len);
	f->body_got += len;
	if (f->body_got == f->content_length)
		fetch_finish(f, 1);
}

static void fetch_close(void *ctx, sim_sock *s, bool error)
{
	(void)s;
	(void)error;
	fetch_finish(ctx, 1);   /* complete only if the whole body came */
}

static void fetch_space(void *ctx, sim_sock *s, size_t avail)
{
	(void)s;
	(void)avail;
	fetch_pump(ctx);
}

struct http_fetcher *http_fetcher_new(struct sim_node *node)
{
	struct http_fetcher *f = calloc(1, sizeof *f);
	if (f)
		f->node = node;
	return f;
}

void http_fetcher_free(struct http_fetcher *fr)
{
	if (!fr)
		return;
	while (fr->head)
		fetch_unlink_free(fr->head);   /* the simulator is gone: no callbacks */
	free(fr);
}

int http_fetch(struct http_fetcher *fr, uint32_t addr, uint16_t port, const char *path,
	       http_fetch_fn done, void *ctx)
{
	static const struct sim_sock_ops ops = { .on_connect = fetch_connect, .on_recv = fetch_recv,
						 .on_send_space = fetch_space, .on_close = fetch_close };
	if (!fr || !done || strlen(path) > 255)
		return HN_EINVAL;
	struct http_fetch *f = calloc(1, sizeof *f);
	if (!f)
		return HN_ENOMEM;
	f->owner = fr;
	f->done = done;
	f->ctx = ctx;
	f->req_len = (size_t)snprintf(f->req, sizeof f->req, "GET %s HTTP/1.0\r\n\r\n", path);
	f->sock = sim_tcp_socket(fr->node, &ops, f);
	int rc = f->sock ? sim_sock_connect(f->sock, addr, port) : HN_ENOMEM;
	if (rc != HN_OK) {
		if (f->sock)
			sim_sock_release(f->sock);
		free(f);
		return rc;
	}
	f->next = fr->head;
	if (fr->head)
		fr->head->prev = f;
	fr->head = f;
	return HN_OK;
}

uint32_t http_client_objects(const struct http_client *c)
{
	return c->cfg.objects;
}

uint64_t http_client_redirects(const struct http_client *c)
{
	return c->redirects;
}

const uint64_t *http_client_redirect_refusals(const struct http_client *c)
{
	return c->refused;
}
