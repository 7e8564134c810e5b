/* cpu.h - the cost model of the paper's 1998 testbed (section 4.3).
 *
 * One FIFO processor per node.  Every datagram that a node handles is
 * charged for the operations that happen to it, on the path it takes:
 *   received frame      interrupt + driver (+ driver copies) + ip_input
 *   re-injected (decap) ip_input only (the paper's pseudo stack puts the
 *                       datagram back on the IP input queue)
 *   forwarded           ip_output + transmit (+ driver copies)
 *                       (+ redirector-table lookup on a HydraNet kernel)
 *   delivered locally   tcp_input/udp_input + checksum over the data
 *                       (+ virtual-host lookup on a HydraNet kernel)
 *   sent locally        tcp_output/udp_output + checksum + ip_output + transmit
 *   tunnelled           encapsulation (+ copies), fragmentation per fragment
 *   decapsulated        reassembly per fragment (+ copies), decapsulation
 *                       (+ its extra copies)
 * and applications pay for their system calls and the copy across the
 * user/kernel boundary (cpu_charge_syscall).  A datagram waits while the CPU
 * is busy with earlier work (FIFO), so a slow node becomes the bottleneck by
 * itself.  Profiles and the source of every constant are in profile.c.
 *
 * Hooks: cpu_attach() registers at all four hook points of the node.  Order
 * matters: on a host server, attach the CPU before the host server (its
 * PRE_ROUTING hook must charge the frame before the host server takes it);
 * on a redirector, attach it after the redirector (its FORWARD hook must see
 * only what the redirector left to ordinary forwarding, or a redirected
 * datagram would be charged twice).  The HydraNet modules' outputs pass
 * through cpu_redir_io()/cpu_hsrv_io(), which charge the tunnel work and
 * emit after it.  A fragment after the first pays FRAG (cutting it) besides
 * its own transmission, on every path.  Not here: contention for the bus or
 * the NIC beyond the copies the driver makes. */
#ifndef HN_CPU_H
#define HN_CPU_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "hydranet/hsrv.h"
#include "hydranet/redir.h"

struct sim_node;

enum cpu_op {
	CPU_OP_INTR,      /* per received frame: interrupt, driver rx, mbufs */
	CPU_OP_XMIT,      /* per transmitted frame: driver tx */
	CPU_OP_IP_IN,     /* ip_input (and the forwarding decision) */
	CPU_OP_IP_OUT,    /* ip_output */
	CPU_OP_TCP_IN,
	CPU_OP_TCP_OUT,
	CPU_OP_UDP_IN,
	CPU_OP_UDP_OUT,
	CPU_OP_SYSCALL,   /* entering and leaving the kernel */
	CPU_OP_LOOKUP,    /* a HydraNet table lookup (redirector or virtual host) */
	CPU_OP_ENCAP,     /* building the outer header */
	CPU_OP_FRAG,      /* per fragment made */
	CPU_OP_REASS,     /* per fragment reassembled */
	CPU_OP_DECAP,     /* stripping the outer header, requeueing */
	CPU_NOPS
};

struct cpu_profile {
	const char *name;
	uint64_t op_ns[CPU_NOPS];     /* fixed cost of each operation */
	double copy_ns_per_byte;      /* bcopy */
	double cksum_ns_per_byte;     /* Internet checksum over data */
	unsigned driver_copies;       /* copies of a frame by the driver, rx and tx */
	unsigned encap_copies;        /* copies of the inner datagram to encapsulate */
	unsigned reass_copies;        /* copies of a fragment's data to reassemble */
	unsigned decap_copies;        /* copies of the inner datagram to decapsulate */
};

/* Build the profile of machine `name` ("i486sx-33", "pentium-120") with IP
 * taking ip_share of the measured per-packet path (profile.c explains);
 * 0, or -1 for an unknown name or a share outside (0, 0.5). */
int cpu_profile_make(const char *name, double ip_share, struct cpu_profile *out);
/* All profile names, separated by '|', for parameter tables. */
const char *cpu_profile_names(void);

struct cpu_config {
	struct cpu_profile profile;   /* copied: scenarios may scale it */
	bool hydranet_kernel;         /* modified software: lookups on every datagram */
	double jitter;                /* each charge x (1 + U(-jitter, +jitter)) */
	void *rng;                    /* gsl_rng * for the jitter (NULL: none) */
};

struct cpu_stats {
	uint64_t busy_ns;             /* total time charged */
	uint64_t charges[CPU_NOPS];   /* operations charged, by kind */
	uint64_t copied_bytes;        /* bytes charged as copies */
	uint64_t max_backlog_ns;      /* longest wait for the CPU */
	uint64_t emit_failed;         /* deferred datagrams the stack then refused */
};

struct cpu;

struct cpu *cpu_new(const struct cpu_config *cfg);
void cpu_free(struct cpu *c);

/* Queue cost_ns of work at time now_ns; returns the delay from now until it
 * is done (FIFO after the work already queued). */
uint64_t cpu_charge(struct cpu *c, uint64_t now_ns, uint64_t cost_ns);

/* An application's system call moving len bytes across the user/kernel
 * boundary (write or read): returns the delay until it completes. */
uint64_t cpu_charge_syscall(struct cpu *c, uint64_t now_ns, size_t len);

/* Register the node's hooks (before any HydraNet module's). */
int cpu_attach(struct cpu *c, struct sim_node *node);

/* io for a redirector / host server on this CPU's node: the tunnel work is
 * charged and the datagram emitted when it is done.  Valid after attach. */
struct redir_io cpu_redir_io(struct cpu *c);
struct hsrv_io cpu_hsrv_io(struct cpu *c);

const struct cpu_stats *cpu_stats(const struct cpu *c);
const char *cpu_op_name(enum cpu_op op);
#endif
