/* ttcp.h - ttcp, the era's throughput test (paper, section 4.3).
 *
 * Like `ttcp -t -D -l buflen -n nbuf host` and `ttcp -r -l buflen`: the
 * sender writes nbuf buffers of buflen bytes (TCP with Nagle off, as the
 * paper's measurements turned it off, or UDP datagrams with -u), then
 * closes; the receiver reads buflen bytes at a time.  Throughput is what the
 * receiver reports: bytes over the time from the connection (TCP) or the
 * first datagram (UDP) to the last byte.  On a node with a CPU (cpu.h)
 * every write and read is a system call that copies the data, and the
 * sender writes again only when the CPU has done the previous write.
 * Not here: ttcp's sink and source modes, its UDP start/end markers. */
#ifndef HN_TTCP_H
#define HN_TTCP_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct sim_node;
struct sim_sock;
struct hsrv;
struct cpu;

struct ttcp_config {
	uint32_t buflen;          /* bytes per write and per read (-l) */
	uint32_t nbuf;            /* buffers written (-n) */
	bool udp;                 /* -u */
	uint32_t addr;            /* receiver address (sender: where to; receiver: bind) */
	uint16_t port;            /* -p, 5001 by default in ttcp */
	uint64_t start_ns;        /* sender start */
	uint16_t src_port;        /* sender: its source port (0: an ephemeral one) */
};

/* One receiver serves every sender of its address and port at once (a
 * TCP connection or a UDP source per sender), each as its own `ttcp -r`:
 * a flow, keyed by the sender's address and port, with its own reads of
 * its own buflen and its own result. */
struct ttcp_receiver;
/* With hs set, the receiver binds through the host server (a replica).
 * cfg's buflen and nbuf are those of a flow nobody announced. */
struct ttcp_receiver *ttcp_receiver_new(struct sim_node *node, struct hsrv *hs, struct cpu *cpu,
					const struct ttcp_config *cfg);
void ttcp_receiver_free(struct ttcp_receiver *r);
/* Announce the flow of sender (addr, port): it writes nbuf buffers of
 * buflen bytes, read buflen at a time.  HN_OK, HN_EINVAL, HN_ENOMEM, or
 * HN_ESTATE when the flow has delivered data already. */
int ttcp_receiver_expect(struct ttcp_receiver *r, uint32_t addr, uint16_t port, uint32_t buflen,
			 uint32_t nbuf);

struct ttcp_result {
	uint64_t bytes;           /* received */
	uint64_t start_ns;        /* accept (TCP) or first datagram (UDP) */
	uint64_t first_data_ns;   /* the first data byte */
	uint64_t end_ns;          /* last byte */
	uint64_t reads;           /* read system calls */
	bool complete;            /* all nbuf*buflen bytes arrived */
};
/* One flow's result (NULL: that sender never reached this receiver). */
const struct ttcp_result *ttcp_receiver_flow(const struct ttcp_receiver *r, uint32_t addr,
					     uint16_t port);
size_t ttcp_receiver_nflows(const struct ttcp_receiver *r);
/* Every flow together: bytes and reads summed, the earliest start, the
 * latest end; complete when every flow is. */
const struct ttcp_result *ttcp_receiver_result(const struct ttcp_receiver *r);

struct ttcp_sender;
struct ttcp_sender *ttcp_sender_new(struct sim_node *node, struct cpu *cpu,
				    const struct ttcp_config *cfg);
void ttcp_sender_free(struct ttcp_sender *s);
uint64_t ttcp_sender_written(const struct ttcp_sender *s);
/* The sender's flow: its socket's address and port (bound when made). */
void ttcp_sender_flow(const struct ttcp_sender *s, uint32_t *addr, uint16_t *port);
/* The sender socket's IP options (sim_sock_set_df/tos/ttl), set when it
 * starts: df (IP_MTU_DISCOVER; over TCP also path MTU discovery), tos, ttl
 * (0: the default). */
void ttcp_sender_set_ip(struct ttcp_sender *s, bool df, uint8_t tos, uint8_t ttl);
/* TCP with df: black-hole detection (sim_sock_set_mtu_probing: mode, an
 * enum sim_mtu_probing) with that tcp_base_mss; set before it starts. */
void ttcp_sender_set_mtu_probing(struct ttcp_sender *s, int mode, uint32_t base_mss);
/* The sender's socket (for its counters: sim_sock_mss, ...). */
const struct sim_sock *ttcp_sender_socket(const struct ttcp_sender *s);
#endif
