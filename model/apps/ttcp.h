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
struct hsrv;
struct cpu;

struct ttcp_config {
	uint32_t buflen;          /* bytes per write and per read (-l) */
	uint32_t nbuf;            /* buffers written (-n) */
	bool udp;                 /* -u */
	uint32_t addr;            /* receiver address (sender: where to; receiver: bind) */
	uint16_t port;            /* -p, 5001 by default in ttcp */
	uint64_t start_ns;        /* sender start */
};

struct ttcp_receiver;
/* With hs set, the receiver binds through the host server (a replica). */
struct ttcp_receiver *ttcp_receiver_new(struct sim_node *node, struct hsrv *hs, struct cpu *cpu,
					const struct ttcp_config *cfg);
void ttcp_receiver_free(struct ttcp_receiver *r);

struct ttcp_result {
	uint64_t bytes;           /* received */
	uint64_t start_ns;        /* accept (TCP) or first datagram (UDP) */
	uint64_t end_ns;          /* last byte */
	uint64_t reads;           /* read system calls */
	bool complete;            /* all nbuf*buflen bytes arrived */
};
const struct ttcp_result *ttcp_receiver_result(const struct ttcp_receiver *r);

struct ttcp_sender;
struct ttcp_sender *ttcp_sender_new(struct sim_node *node, struct cpu *cpu,
				    const struct ttcp_config *cfg);
void ttcp_sender_free(struct ttcp_sender *s);
uint64_t ttcp_sender_written(const struct ttcp_sender *s);
/* The sender socket's IP options (sim_sock_set_df/tos/ttl), set when it is
 * made: df for UDP only (IP_MTU_DISCOVER), tos, ttl (0: the default). */
void ttcp_sender_set_ip(struct ttcp_sender *s, bool df, uint8_t tos, uint8_t ttl);
#endif
