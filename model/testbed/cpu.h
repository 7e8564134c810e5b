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

#include "counter.h"

#include "hydranet/hsrv.h"
#include "hydranet/redir.h"

struct sim_node;

/* The operations charged: X(OP, name, doc); stored as metric cpu.n_NAME. */
#define CPU_OPS(X) \
	X(INTR, "intr", "per received frame: interrupt, driver rx, mbufs") \
	X(XMIT, "xmit", "per transmitted frame: driver tx") \
	X(IP_IN, "ip_in", "ip_input (and the forwarding decision)") \
	X(IP_OUT, "ip_out", "ip_output") \
	X(TCP_IN, "tcp_in", "tcp_input") \
	X(TCP_OUT, "tcp_out", "tcp_output") \
	X(UDP_IN, "udp_in", "udp_input") \
	X(UDP_OUT, "udp_out", "udp_output") \
	X(SYSCALL, "syscall", "entering and leaving the kernel") \
	X(LOOKUP, "lookup", "a HydraNet table lookup (redirector or virtual host)") \
	X(ENCAP, "encap", "building the outer header") \
	X(FRAG, "frag", "per fragment made") \
	X(REASS, "reass", "per fragment reassembled") \
	X(DECAP, "decap", "stripping the outer header, requeueing")

#define CPU_OP_ENUM(e, name, doc) CPU_OP_##e,
enum cpu_op { CPU_OPS(CPU_OP_ENUM) CPU_NOPS };

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
/* A node's `cpu` key: "none" (index 0: no cost model), then every profile
 * cpu_profile_make knows; NULL-terminated (cpu_params.c, data only). */
extern const char *const cpu_choices[];

struct cpu_config {
	struct cpu_profile profile;   /* copied: scenarios may scale it */
	bool hydranet_kernel;         /* modified software: lookups on every datagram */
	double jitter;                /* each charge x (1 + U(-jitter, +jitter)) */
	void *rng;                    /* gsl_rng * for the jitter (NULL: none) */
};

/* Counters: C(field, metric, divisor, unit, doc); busy and backlog are
 * kept in ns and stored in s and ms. */
#define CPU_STATS(C) \
	C(busy_ns, "cpu.busy_s", 1e9, "s", "total CPU time charged") \
	C(max_backlog_ns, "cpu.max_backlog_ms", 1e6, "ms", "longest wait of a datagram for the CPU") \
	C(copied_bytes, "cpu.copied_bytes", 1.0, "bytes", "bytes charged as copies") \
	C(emit_failed, "drop.cpu_emit_failed", 1.0, "", "deferred datagrams the stack then refused")

#define CPU_STAT_FIELD(field, name, divisor, unit, doc) uint64_t field;
struct cpu_stats {
	CPU_STATS(CPU_STAT_FIELD)
	uint64_t charges[CPU_NOPS];   /* operations charged, by enum cpu_op */
};

/* The descriptors of every counter above, charges included. */
extern const struct counter_set cpu_counters;

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
