/* scenario.h - a HydraNet experiment described in an INI file (DESIGN.md).
 *
 * Sections: [simulation], [node NAME], [link NAME], [service NAME],
 * [replica NAME], [workload NAME], [failure NAME], [output].  Every key of every section is
 * declared in a parameter table (param.h) with default, unit, range and doc.
 * source.h reads the file (libinih), applies overrides and expands sweeps;
 * this module builds one point's objects and checks them whole before
 * anything is simulated:
 * unknown sections and keys, bad values, duplicate names, references to
 * missing nodes or services, roles that do not fit and disconnected
 * topologies are refused with "file:line: message".  Not here: building the
 * simulation (build.h). */
#ifndef HN_SCENARIO_H
#define HN_SCENARIO_H
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "param.h"
#include "apps/hweb.h"
#include "hydranet/rmgr.h"
#include "roles.h"
#include "testbed/wan.h"
#include "scenario/source.h"

#define SCN_NAME_MAX 48
#define SCN_MAX_OBJECTS 1000000   /* of each kind: the arrays grow, this bounds a typo */

#define SCN_ROLE_ENUM(e, member, name, type, params, comp) SCN_##e,
enum scn_role { HN_ROLES(SCN_ROLE_ENUM) SCN_NROLES };
enum scn_tcp_profile { SCN_TCP_BSD1998, SCN_TCP_MODERN };
enum scn_routing { SCN_ROUTING_GLOBAL, SCN_ROUTING_STATIC };
enum scn_timewait { SCN_TIMEWAIT_COMPACT, SCN_TIMEWAIT_WHOLE };
enum scn_proto { SCN_TCP, SCN_UDP };
enum scn_app { SCN_APP_HTTP, SCN_APP_TELNET, SCN_APP_TTCP, SCN_APP_HYDRAWEB };
enum scn_series { SCN_SERIES_CLEAN, SCN_SERIES_REALHOST, SCN_SERIES_VIRTUALHOST };
enum scn_dist { SCN_DIST_FIXED, SCN_DIST_EXPONENTIAL };
/* What the host server really has for a replica the redirectors point to. */
enum scn_replica_state { SCN_REPLICA_RUNNING, SCN_REPLICA_UNBOUND, SCN_REPLICA_ABSENT };

struct scn_simulation {
	uint64_t seed;
	uint64_t runs;
	uint64_t stop_ns;
	int tcp_profile;              /* enum scn_tcp_profile */
	uint64_t mss;                 /* TCP segment size; 0: from the smallest MTU */
	int routing;                  /* enum scn_routing */
	int tcp_timewait;             /* enum scn_timewait */
};

#define SCN_ROLE_CFG(e, member, name, type, params, comp) type member;

struct scn_node {
	char name[SCN_NAME_MAX];
	int role;                     /* enum scn_role */
	int cpu;                      /* index in cpu_choices (0: no cost model) */
	struct { HN_ROLES(SCN_ROLE_CFG) } cfg;   /* each role's configuration (roles.h) */
};
struct scn_link {
	char name[SCN_NAME_MAX];
	char a[SCN_NAME_MAX], b[SCN_NAME_MAX];   /* node names */
	uint32_t a_addr, b_addr;
	uint64_t prefix;
	uint64_t rate_bps;
	uint64_t delay_ns;
	uint64_t mtu;
	uint64_t queue;
	double loss;
	struct wan_config wan;        /* delay variation (wan.h) */
};

struct scn_service {
	char name[SCN_NAME_MAX];
	char origin[SCN_NAME_MAX];    /* origin host node */
	uint32_t address;             /* origin IP: an address of the origin node */
	uint64_t port;
	int protocol;                 /* enum scn_proto */
	int app;                      /* enum scn_app */
	uint64_t processing_ns;
	int manager;                  /* index in rmgr_manager_names: 0 none, else 1 + enum rmgr_policy */
	char candidates[8192];        /* host servers the manager may install on, in order */
	struct rmgr_config mgr;       /* the replica manager's keys (rmgr.h) */
	/* HydraWeb (app = hydraweb) */
	struct hweb_replica_config hweb_rep;   /* its replicas' keys (hweb.h) */
	struct hweb_manager_config hweb_mgr;   /* its manager's keys */
	uint64_t object_ttl_ns;       /* freshness of pushed objects; 0: none */
	int redirect;                 /* http: 0 serve, 1 answer 302 to the nearest replica (redirect.h) */
};

struct scn_replica {
	char name[SCN_NAME_MAX];
	char service[SCN_NAME_MAX];
	char host_server[SCN_NAME_MAX];
	char redirectors[256];        /* node names, space separated */
	int state;                    /* enum scn_replica_state */
	int announce;                 /* 0: static table entry, 1: routing daemon */
	uint64_t stop_ns;             /* the replica stops (gives up its port); 0: never */
	uint64_t start_ns;            /* the replica starts (binds its port) then; 0: from the beginning */
};

/* A failure event (model/world/failures.c): what happens to which object when. */
#define SCN_FAILURE_ACTIONS(X) \
	X(NODE_DOWN, "node_down", "node", "the node crashes: its interfaces go silent, its TCP connections are lost without a FIN or RST, a redirector loses its flow table, announced entries and health state") \
	X(NODE_UP, "node_up", "node", "the node restarts: its interfaces come back (a link still down stays silent); its servers and daemons listen again") \
	X(LINK_DOWN, "link_down", "link", "the link goes silent both ways; routes are not recomputed") \
	X(LINK_UP, "link_up", "link", "the link carries traffic again") \
	X(REPLICA_STOP, "replica_stop", "replica", "the replica's application gives up its port (connections in progress finish); its routing daemon withdraws it") \
	X(REPLICA_START, "replica_start", "replica", "the replica binds its port again")
#define SCN_FAILURE_ENUM(e, name, target, doc) SCN_FAIL_##e,
enum scn_failure_action { SCN_FAILURE_ACTIONS(SCN_FAILURE_ENUM) SCN_NFAILURE_ACTIONS };
/* The actions' names in enum order, NULL-terminated. */
extern const char *const scn_failure_action_names[];

struct scn_failure {
	char name[SCN_NAME_MAX];
	int action;                   /* enum scn_failure_action */
	char target[SCN_NAME_MAX];    /* a node, link or replica, by the action */
	uint64_t at_ns;               /* when (0 < at < stop_time) */
};

struct scn_workload {
	char name[SCN_NAME_MAX];
	char client[SCN_NAME_MAX];
	char service[SCN_NAME_MAX];
	uint64_t requests;            /* HTTP requests or telnet sessions */
	uint64_t object_bytes;        /* HTTP reply body */
	uint64_t request_bytes;       /* HTTP request size (POST body pads) */
	uint64_t typed_bytes;         /* telnet bytes per session */
	uint64_t write_bytes;         /* telnet bytes per write */
	uint64_t write_gap_ns;
	uint64_t start_ns;
	uint64_t think_ns;
	int think_dist;               /* enum scn_dist */
	uint64_t clients;             /* http: users requesting independently */
	uint64_t stop_ns;             /* http: no request starts after this; 0: none */
	uint64_t buflen;              /* ttcp: bytes per write/read */
	uint64_t nbuf;                /* ttcp: buffers written */
	uint64_t objects;             /* http: objects requested uniformly; 0: one (or the site's) */
	uint64_t ping_ns;             /* ICMP echo interval to the service address; 0: none */
	uint64_t ping_bytes;          /* ICMP message size */
	uint64_t timeout_ns;          /* http: a request not done this long after connect() is abandoned; 0: none */
	bool df;                      /* ttcp udp: IP_MTU_DISCOVER, DF on */
	uint64_t tos;                 /* ttcp: IP_TOS */
	uint64_t ttl;                 /* ttcp: IP_TTL; 0: the stack's 64 */
	char resolver[SCN_NAME_MAX];  /* http: resolve the service's name through this resolver node */
	uint64_t min_ttl_ns;          /* http with a resolver: keep answers at least this long */
	bool cache_redirect;          /* http: each user remembers a 302's Location */
	uint64_t source_port;         /* ttcp: the sender's source port; 0: ephemeral */
	int mtu_probing;              /* ttcp tcp with df: enum scn_mtu_probing */
	uint64_t base_mss;            /* ttcp: tcp_base_mss, the black-hole fallback's MSS */
};

/* A generated ISP topology (topogen.h) or one read from a file
 * (topofile.h): its nodes and links are added to the scenario's before the
 * checks, named NAME-tK, NAME-sJ-rK, NAME-sJ-hK (generated) or NAME-nK
 * (read), and NAME-lK. */
enum scn_topo_model { SCN_TOPO_TRANSIT_STUB, SCN_TOPO_INET, SCN_TOPO_ROCKETFUEL };
enum scn_topo_delay { SCN_TOPO_DELAY_FIXED, SCN_TOPO_DELAY_WEIGHT, SCN_TOPO_DELAY_DISTANCE };
struct scn_topology {
	char name[SCN_NAME_MAX];
	int model;                    /* enum scn_topo_model */
	char file[512];               /* inet, rocketfuel: relative to the scenario's directory */
	int node_role;                /* read: every node's role */
	uint64_t rate;                /* read: every link's rate */
	uint64_t delay;               /* read, delay_from = fixed: every link's delay */
	int delay_from;               /* enum scn_topo_delay */
	uint64_t delay_unit;          /* ns per unit of weight or distance */
	uint64_t leaf_hosts;          /* read: hosts on each node of degree 1 */
	uint64_t seed;
	uint64_t transit, stubs, stub_routers, hosts;
	double extra;
	uint64_t transit_delay_min, transit_delay_max, stub_delay_min, stub_delay_max;
	uint64_t host_delay_min, host_delay_max;
	uint64_t transit_rate, stub_rate, host_rate;
	uint32_t pool;
	uint64_t pool_prefix;
	int transit_role, stub_role, host_role;   /* enum scn_role */
};

/* The sender's reaction to a PMTUD black hole (Linux's tcp_mtu_probing). */
enum scn_mtu_probing { SCN_MTU_PROBING_OFF, SCN_MTU_PROBING_BLACKHOLE, SCN_MTU_PROBING_PROBE };

/* The paper's testbed experiments (section 4.3). */
struct scn_testbed {
	int series;                   /* enum scn_series */
	double jitter;                /* per-charge cost noise, fraction */
	double cpu_scale;             /* multiplies every fixed CPU cost */
	uint64_t decap_copies;        /* copies on decapsulation (profile: 2) */
	uint64_t link_rate_bps;       /* when > 0, the rate of every link */
	double ip_share;              /* IP's share of the per-packet path */
};

/* Replication across all services (the Figure 1 cases). */
struct scn_replication {
	int mode;                     /* 0: per service; 1 none; 2 static; 3 dynamic */
};

struct scn_output {
	char pcap_dir[256];           /* "" = no pcap */
	uint64_t sample_ns;           /* counter time series interval; 0: none */
	uint64_t hist_bin_ns;         /* latency histogram bin width */
};

/* Where in the file each object and each of its keys came from. */
struct scn_origin {
	int line;                     /* line of the section header */
	int key_line[128];             /* per param index; 0 = default */
};

struct scenario {
	char path[512];
	struct scn_simulation sim;
	struct scn_testbed testbed;
	struct scn_replication replication;
	struct scn_output out;
	/* Each kind's objects in file order (a section with count = N stands
	 * for N of them); the arrays grow as sections come. */
	struct scn_node *node;
	struct scn_origin *node_at;
	size_t nnodes, capnodes;
	struct scn_link *link;
	struct scn_origin *link_at;
	size_t nlinks, caplinks;
	struct scn_service *service;
	struct scn_origin *service_at;
	size_t nservices, capservices;
	struct scn_replica *replica;
	struct scn_origin *replica_at;
	size_t nreplicas, capreplicas;
	struct scn_workload *workload;
	struct scn_origin *workload_at;
	size_t nworkloads, capworkloads;
	struct scn_failure *failure;
	struct scn_origin *failure_at;
	size_t nfailures, capfailures;
	struct scn_topology *topology;
	struct scn_origin *topology_at;
	size_t ntopologies, captopologies;
	/* Node names hashed (open addressing, indices + 1; 0 empty), built
	 * once the nodes are known: scenario_node and the checks look up here. */
	size_t *node_hash;
	size_t node_hash_cap;
	/* The topology files read ([topology] model = inet, rocketfuel): a
	 * hash of their bytes in order (FNV-1a 64 of each, combined), 0 when
	 * none; a run's identity includes it (hydranet.c). */
	uint64_t files_hash;
};

/* The typed, checked scenario at point `point` of an expanded source.
 * NULL with "file:line: message" (or "--set '...': message") in err. */
struct scenario *scenario_build(const struct scn_source *src, size_t point, char *err,
				size_t errlen);

/* Open, expand and build point 0 of path (a scenario without sweeps). */
struct scenario *scenario_load(const char *path, char *err, size_t errlen);
void scenario_free(struct scenario *s);

/* Lookups by name; NULL when absent. */
const struct scn_node *scenario_node(const struct scenario *s, const char *name);
const struct scn_service *scenario_service(const struct scenario *s, const char *name);
/* The index of node name in s->node, or -1. */
long scenario_node_index(const struct scenario *s, const char *name);

/* Print the parameter table of section kind `section` ("node", "link", ...),
 * or every table when section is NULL (`hydranet params [SECTION]`).
 * HN_OK, or HN_ENOENT (nothing printed) for an unknown section kind. */
int scenario_print_params(FILE *out, const char *section);
/* Whether values a and b of key in section (as written in a header, e.g.
 * "link ab") mean the same value (parsed: "1ms" equals "1000us"); b NULL
 * stands for the key's default.  1 equal, 0 not (or a value does not
 * parse), HN_ENOENT for an unknown section kind or key. */
int scenario_value_equal(const char *section, const char *key, const char *a, const char *b);
/* The section kinds, space separated, on one line. */
void scenario_print_sections(FILE *out);
/* Whether name is one of the names in list (separated by spaces, tabs or
 * commas). */
int scn_name_listed(const char *list, const char *name);

#endif
