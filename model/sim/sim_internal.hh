// sim_internal.hh - what the shim's files (model/sim/sim_*.cc) share behind
// sim.h: the handle structs, the simulator singleton `g`, and the helpers
// and ns-3 classes one concept's file lends another.  Private: only
// model/sim/*.cc include it, and nothing here is part of the C API.
//
// Everything in the shim translates between the C handles of sim.h and
// ns-3 objects; no HydraNet logic lives here.  The one piece of global
// state is the simulator singleton `g` (handles, hooks, events, scratch
// buffers), emptied by sim_destroy() so that sim_init() can start afresh in
// the same process.  The files, one concept each:
//   sim_core.cc      simulator lifetime, defaults, clock and events; owns g
//   sim_topology.cc  nodes, point-to-point links, local and vhost addresses
//   sim_channel.cc   VaryingDelayChannel: the per-packet extra delay
//   sim_routing.cc   HookRouting (the node's routing with PRE_ROUTING,
//                    LOCAL_IN, FORWARD and the vhost decision), CRouting
//                    (routes from C instead of global routing), routes
//   sim_hooks.cc     datagram bytes, LOCAL_OUT, hook registration, inject
//   sim_pcap.cc      pcap tracing
//   sim_socket.cc    TCP/UDP sockets and their callbacks
//   sim_timewait.cc  TIME_WAIT in a compact record
//   sim_ping.cc      ICMP echo (V4Ping) and reply matching
//   sim_fail.cc      crashed nodes and silent links
//   sim_demux.cc     ns-3's TCP/UDP demultiplexer and TcpL4Protocol's socket
//                    list, indexed (carried ns-3 3.37 member functions)
//   sim_sched.cc     the event scheduler (MapScheduler's order, two heaps)
//
// How the four hook points reach into ns-3 (measured in
// shared/probes/ns3-shim/README.md):
//   PRE_ROUTING  HookRouting wraps the node's whole routing list; ns-3's
//                Ipv4L3Protocol::Receive calls its RouteInput for every
//                received datagram, each fragment before reassembly.
//   LOCAL_IN     the local-deliver callback (lcb) HookRouting hands to the
//                inner RouteInput is wrapped.
//   FORWARD      likewise the unicast-forward callback (ucb); Ipv4L3Protocol
//                decrements the TTL only inside it.
//   LOCAL_OUT    the down target of the node's TCP, UDP and ICMP protocols
//                (IpL4Protocol::SetDownTarget) is wrapped.
// Re-entry: sim_ip_output builds a Packet and Ipv4Header from C's bytes and
// calls Ipv4L3Protocol::SendWithHeader (header verbatim); sim_ip_input
// schedules Ipv4L3Protocol::Receive on the loopback device.
//
// Two ns-3 parts are bent a little:
//   links with a per-packet extra delay use VaryingDelayChannel, a
//   PointToPointChannel whose TransmitStart asks C for each packet's extra;
//   pings are ns-3's V4Ping, whose raw socket would hand its echo requests
//   straight to Ipv4L3Protocol::Send, past LOCAL_OUT: HookRouting::RouteOutput
//   recognises them and sends them down the node's (wrapped) ICMP down target
//   instead, where they are counted and timed.  V4Ping's own round trips are
//   not used: raw sockets get each datagram in Ipv4L3Protocol::Receive,
//   before PRE_ROUTING and reassembly.  Replies are matched at the node's
//   LocalDeliver trace instead, after the hooks, reassembled.
//
// Shared helpers live in namespace `shim` (external linkage, one definition
// each, in the file named next to its declaration); helpers used by one
// file only stay in that file's anonymous namespace.

#ifndef SIM_SIM_INTERNAL_HH
#define SIM_SIM_INTERNAL_HH

#include "sim/sim.h"

#include "status.h"

#include <ns3/core-module.h>
#include <ns3/internet-module.h>
#include <ns3/network-module.h>
#include <ns3/point-to-point-module.h>
#include <ns3/v4ping.h>

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <list>
#include <map>
#include <unordered_map>
#include <unordered_set>
#include <vector>

using namespace ns3;

// ---- handles ------------------------------------------------------------

namespace shim
{
struct Hook
{
    sim_hook_fn fn; // the C function
    void* ctx;      // its first argument
};
} // namespace shim

struct sim_node
{
    Ptr<Node> node;
    Ptr<Ipv4L3Protocol> ip;
    std::string name;                                // names pcap files
    size_t index = 0;                                // creation order (sim_route_fn's node)
    std::vector<shim::Hook> hooks[SIM_HOOK_NPOINTS]; // per point, registration order
    bool localOutWrapped = false;                    // L4 down targets wrapped yet
    // Routes by destination, valid while routeGen equals the singleton's
    // (any topology or routing change bumps it).  A redirector asks for the
    // route to its host server several times per datagram.
    std::unordered_map<uint32_t, Ptr<Ipv4Route>> routes;
    uint64_t routeGen = 0;
    // The LOCAL_IN / FORWARD wrappers around Ipv4L3Protocol's deliver and
    // forward callbacks, built once (ns-3 hands the same ones every time)
    // rather than per datagram.  curIface is the receiving interface of the
    // datagram being routed; ns-3 calls ucb synchronously inside RouteInput.
    Ipv4RoutingProtocol::LocalDeliverCallback lcbOrig, lcbWrap;
    Ipv4RoutingProtocol::UnicastForwardCallback ucbOrig, ucbWrap;
    int curIface = -1;
    // Virtual-host addresses (sim_node_add_vhost_addr): datagrams re-injected
    // on the loopback for one of them are delivered locally, while the node's
    // own traffic to that address is still routed out to its real owner.
    std::unordered_set<uint32_t> vhosts;
    std::vector<sim_ping*> pings; // sim_ping_start'ed here
    bool pingTraced = false;      // LocalDeliver trace connected
    bool down = false;            // crashed (sim_node_set_down)
    // IP identification of the datagrams the shim sends with DF set (ns-3
    // would not): a counter per (source, destination, protocol), as
    // Ipv4L3Protocol::BuildHeader keeps its own.
    std::map<std::pair<uint64_t, uint8_t>, uint16_t> dfIds;
    std::vector<sim_sock*> tcpDf; // TCP sockets with DF on (sim_sock_set_df)
    // The TCP sequence number quoted by the latest ICMP fragmentation
    // needed received for each flow, by (quoted destination << 32 |
    // source port << 16 | destination port), read when ns-3 hands the ICMP
    // to the socket (its callback carries no quote); only nodes with a DF
    // TCP socket keep it.
    std::unordered_map<uint64_t, uint32_t> icmpQuotedSeq;
    struct sim_stack_stats stats = {}; // sim_node_stack_stats
};

struct sim_link
{
    sim_node* node[2];                    // side 0 = a, side 1 = b
    Ptr<PointToPointNetDevice> dev[2];    // the device at each end
    uint32_t iface[2];                    // its IPv4 interface index
    uint32_t addr[2];                     // its address, host order
    std::string name;                     // sim_link_config.name ("" = none): names pcap files
    bool pcap[2] = {false, false};        // a pcap writer is attached
    uint64_t txBytes[2] = {0, 0};         // bytes each end put on the wire (PPP frames)
    uint64_t txPackets[2] = {0, 0};
    bool down = false;                    // silent (sim_link_set_down)
};

// A V4Ping application and what its echo requests look like: V4Ping writes
// its node id and application index (little-endian) into the first 8 data
// bytes of each, and always uses identifier 0; replies echo all of it.
struct sim_ping
{
    sim_node* node;
    Ptr<V4Ping> app;
    uint32_t appIndex; // in the node's application list
    uint32_t dst;      // host order
    uint32_t bytes;    // ICMP message: 8-byte header + data
    uint64_t stopNs;   // no request leaves at or after it
    sim_ping_fn fn;
    void* ctx;
    uint64_t sent = 0;
    // Send times of the requests not answered yet, by sequence number.  A
    // request overwrites a lost one of the same number 65536 requests
    // earlier (V4Ping's own table would keep the old time).
    std::unordered_map<uint16_t, uint64_t> sentAt;
    bool dead = false; // sim_destroy is under way: no callback fires
};

struct sim_sock
{
    Ptr<Socket> so;
    sim_node* node;
    sim_sock_ops ops;
    void* ctx;
    bool tcp;
    bool closed = false; // sim_sock_close called: no callback fires any more
    bool listening = false; // sim_sock_listen called
    uint32_t pmtuLowered = 0; // TCP: segment size lowered on ICMP (sim_sock_set_df)
    bool df = false;          // sim_sock_set_df(s, true)
    void* user = nullptr;     // sim_sock_set_user
    // Black-hole detection (sim_sock_set_mtu_probing), Linux's names:
    int mtuProbing = SIM_MTU_PROBING_OFF;
    uint32_t baseMss = 1024;          // tcp_base_mss
    bool mtupEnabled = false;         // icsk_mtup.enabled
    uint32_t searchLowMss = 0;        // tcp_mtu_to_mss(icsk_mtup.search_low)
    uint32_t retransmits = 0;         // icsk_retransmits: RTOs since snd_una moved
    uint64_t retransStampNs = 0;      // retrans_stamp: the first of them
    uint32_t rtoHead = 0;             // snd_una at the last RTO
    bool rtoTraced = false;           // the RTO trace is connected
    uint32_t blackholeLowered = 0;    // MSS lowered by it
    // Upward probing (SIM_MTU_PROBING_PROBE; tcp_output.c tcp_mtu_probe):
    uint32_t searchHighMss = 0;       // tcp_mtu_to_mss(icsk_mtup.search_high)
    uint32_t probeMss = 0;            // a probe in flight (icsk_mtup.probe_size), 0: none
    uint32_t probeSeqStart = 0, probeSeqEnd = 0; // tp->mtu_probe
    uint32_t probeDupAcks = 0;        // ACKs of probeSeqStart seen
    bool probeArmed = false;          // the next new segment is the probe
    uint32_t armedFromMss = 0;        // the MSS to go back to after it
    uint32_t probesSent = 0, probesOk = 0, probesFailed = 0;
    // sim_sock_release: the caller is done with the handle; the shim frees
    // it at the next C event (shim::FreeReleased) unless it still acts
    // after the close (a listener, DF or MTU probing): those stay.
    bool released = false;
    std::list<std::unique_ptr<sim_sock>>::iterator self{}; // its place in g.socks
};

// ---- the simulator singleton --------------------------------------------

namespace shim
{
struct TwRecord; // sim_timewait.cc

// A released socket that entered TIME_WAIT at `since` (time steps).
struct TwReady
{
    Ptr<TcpSocketBase> sock;
    sim_node* node;
    int64_t since;
};

struct Sim
{
    bool up = false; // between sim_init and sim_destroy
    std::vector<std::unique_ptr<sim_node>> nodes;
    std::vector<std::unique_ptr<sim_link>> links;
    // Every handle not freed yet, in creation order (including accepted
    // ones); released handles wait in `released` for FreeReleased.
    std::list<std::unique_ptr<sim_sock>> socks;
    std::vector<sim_sock*> released;
    uint64_t socksFreed = 0; // handles freed by FreeReleased (sim_sock_stats)
    std::vector<std::unique_ptr<sim_ping>> pings;
    std::unordered_map<sim_event_id, EventId> events; // pending sim_schedule events
    sim_event_id lastEvent = 0;
    // Scratch buffers for datagrams handed to C, one per nesting depth (a
    // hook that sends may run another hook before it returns); they only
    // grow, so the per-packet path allocates nothing of ours.
    std::vector<std::vector<uint8_t>> scratch;
    size_t depth = 0;
    uint64_t routeGen = 1; // bumped by every change that can change a route
    sim_route_fn route = nullptr; // sim_routing_from_c: C routes instead of global routing
    void* routeCtx = nullptr;
    // TIME_WAIT in compact records (sim_timewait.cc): sockets waiting for the
    // move, and the records (a list: each one leaves at its own expiry).
    bool twCompact = true;
    std::vector<TwReady> twReady;
    TwRecord* twHead = nullptr;
    uint64_t twLive = 0;
};

extern Sim g; // sim_core.cc

// A scratch buffer of at least `len` bytes, held for one call into C.
class Scratch
{
  public:
    explicit Scratch(size_t len)
    {
        if (g.scratch.size() <= g.depth)
        {
            g.scratch.resize(g.depth + 1);
        }
        std::vector<uint8_t>& b = g.scratch[g.depth++];
        if (b.size() < len)
        {
            b.resize(len);
        }
        m_data = b.data();
    }
    ~Scratch() { g.depth--; }
    Scratch(const Scratch&) = delete;
    Scratch& operator=(const Scratch&) = delete;
    uint8_t* data() const { return m_data; }

  private:
    uint8_t* m_data;
};

// ---- released sockets (sim_socket.cc) ------------------------------------

// Frees the handles given back with sim_sock_release: their ns-3 callbacks
// become null callbacks (the handle is closed: its trampolines did nothing
// any more) and the shim's reference to the ns-3 socket goes, so ns-3 frees
// the socket once its own protocol is done with it.  Run at the start of each
// C event (sim_schedule), where no socket callback is on the stack.
void FreeReleased();

// ---- TcpSocketBase's protected members ---------------------------------------

// Pointers to TcpSocketBase's protected members, taken in a class derived
// from it (legal C++: no object is ever cast to it).  sim_socket.cc lowers a
// socket's segment size on ICMP (path MTU discovery, black-hole detection);
// sim_timewait.cc moves a connection in TIME_WAIT into a compact record.
struct TcpAccess : TcpSocketBase
{
    static Ptr<TcpSocketState> TcpSocketBase::*Tcb() { return &TcpAccess::m_tcb; }
    static Ptr<TcpTxBuffer> TcpSocketBase::*TxBuffer() { return &TcpAccess::m_txBuffer; }
    static Callback<void, Ipv4Address, uint8_t, uint8_t, uint8_t, uint32_t> TcpSocketBase::*Icmp()
    {
        return &TcpAccess::m_icmpCallback;
    }
    static void (TcpSocketBase::*Retransmit())() { return &TcpAccess::DoRetransmit; }
    static EventId TcpSocketBase::*RetxEvent() { return &TcpAccess::m_retxEvent; }
    static TracedValue<TcpStates_t> TcpSocketBase::*State() { return &TcpAccess::m_state; }
    // TIME_WAIT (sim_timewait.cc)
    static Ipv4EndPoint* TcpSocketBase::*EndPoint() { return &TcpAccess::m_endPoint; }
    static Ipv6EndPoint* TcpSocketBase::*EndPoint6() { return &TcpAccess::m_endPoint6; }
    static Ptr<TcpL4Protocol> TcpSocketBase::*Tcp() { return &TcpAccess::m_tcp; }
    static EventId TcpSocketBase::*PersistEvent() { return &TcpAccess::m_persistEvent; }
    static EventId TcpSocketBase::*DelAckEvent() { return &TcpAccess::m_delAckEvent; }
    static EventId TcpSocketBase::*LastAckEvent() { return &TcpAccess::m_lastAckEvent; }
    static EventId TcpSocketBase::*TimewaitEvent() { return &TcpAccess::m_timewaitEvent; }
    static EventId TcpSocketBase::*SendPendingEvent() { return &TcpAccess::m_sendPendingDataEvent; }
    static TracedValue<uint32_t> TcpSocketBase::*RWnd() { return &TcpAccess::m_rWnd; }
    static TracedValue<SequenceNumber32> TcpSocketBase::*HighRxMark() { return &TcpAccess::m_highRxMark; }
    static TracedValue<SequenceNumber32> TcpSocketBase::*HighRxAckMark()
    {
        return &TcpAccess::m_highRxAckMark;
    }
    static uint8_t TcpSocketBase::*SndWindShift() { return &TcpAccess::m_sndWindShift; }
    static bool TcpSocketBase::*TimestampEnabled() { return &TcpAccess::m_timestampEnabled; }
    static uint32_t TcpSocketBase::*TimestampToEcho() { return &TcpAccess::m_timestampToEcho; }
    static SequenceNumber32 TcpSocketBase::*HighTxAck() { return &TcpAccess::m_highTxAck; }
    static bool TcpSocketBase::*SackEnabled() { return &TcpAccess::m_sackEnabled; }
    static uint16_t (TcpSocketBase::*AdvWnd())(bool) const
    {
        return &TcpAccess::AdvertisedWindowSize;
    }
    static Ptr<NetDevice> Socket::*BoundDevice() { return &TcpAccess::m_boundnetdevice; }
    static bool (Socket::*ManualTtl())() const { return &TcpAccess::IsManualIpTtl; }
    static bool (Socket::*ManualTclass())() const { return &TcpAccess::IsManualIpv6Tclass; }
    static bool (Socket::*ManualHopLimit())() const { return &TcpAccess::IsManualIpv6HopLimit; }
    static TracedCallback<Ptr<const Packet>, const TcpHeader&, Ptr<const TcpSocketBase>>
        TcpSocketBase::*TxTrace()
    {
        return &TcpAccess::m_txTrace;
    }
    static TracedCallback<Ptr<const Packet>, const TcpHeader&, Ptr<const TcpSocketBase>>
        TcpSocketBase::*RxTrace()
    {
        return &TcpAccess::m_rxTrace;
    }
};

// ---- TIME_WAIT in a compact record (sim_timewait.cc) -----------------------

// A released TCP socket (FreeReleased) is watched until it is in TIME_WAIT;
// TimeWaitConvert, run at the start of each C event, then moves it into a
// compact record and lets ns-3 free the socket.
void TimeWaitWatch(Ptr<TcpSocketBase> t, sim_node* n);
void TimeWaitConvert();
// Frees the records (sim_destroy, after Simulator::Destroy).
void TimeWaitReset();

// Forgets the indexes kept beside each TcpL4Protocol's socket list
// (sim_demux.cc); sim_destroy calls it once ns-3 has disposed of the nodes.
void ForgetTcpSocketLists();

// The event scheduler every simulation runs on (sim_sched.cc): the order of
// ns-3's default, MapScheduler, at less cost when many events are pending.
TypeId SchedulerType();

// ---- small conversions (sim_core.cc) --------------------------------------

// ns as an ns-3 Time, saturating at INT64_MAX.
Time Ns(uint64_t ns);

// The mask of a /prefixLen (0..32).
Ipv4Mask PrefixMask(uint8_t prefixLen);

// ---- IPv4 header bytes (sim_hooks.cc) ---------------------------------------

constexpr size_t kHdrLen = 20; // no options, ever (ns-3 neither sends nor keeps them)

uint16_t Get16(const uint8_t* b);

// Writes h (20 bytes, valid checksum, ns-3's own id/flags/offset/TTL/TOS)
// followed by p's bytes into out, which holds kHdrLen + p's size; returns
// the total length.
size_t WriteDatagram(uint8_t* out, const Ipv4Header& h, Ptr<const Packet> p);

// ---- hook walk ----------------------------------------------------------

// Runs the hooks of point `at` at node n from index `from` on datagram
// (h, p).  Returns true when every hook accepted at once: the caller then
// continues itself.  Returns false when a hook dropped or stole the
// datagram (any negative verdict ends the walk), or asked for a delay: then
// the walk resumes at the next hook after the delay, and `resume` runs if
// that later walk accepts.  A template (sim_hooks.cc and sim_routing.cc
// both walk), hence here.
template <typename Resume>
bool
Walk(sim_node* n, sim_hook_point at, size_t from, int iface, const Ipv4Header& h,
     Ptr<const Packet> p, Resume resume)
{
    const std::vector<Hook>& hooks = n->hooks[at];
    if (from >= hooks.size())
    {
        return true;
    }
    Scratch buf(kHdrLen + p->GetSize());
    size_t len = WriteDatagram(buf.data(), h, p);
    for (size_t i = from; i < hooks.size(); i++)
    {
        Hook hk = hooks[i]; // copied: the hook may register another one
        int64_t v = hk.fn(hk.ctx, n, at, iface, buf.data(), len);
        if (v == SIM_ACCEPT)
        {
            continue;
        }
        if (v > 0)
        {
            Ipv4Header hc = h;
            Simulator::Schedule(NanoSeconds(v), [=]() {
                if (Walk(n, at, i + 1, iface, hc, p, resume))
                {
                    resume();
                }
            });
        }
        return false;
    }
    return true;
}

// ---- pings (sim_ping.cc) ------------------------------------------------------

// The ping of n that ICMP message p, of echo type `type` (8 request, 0
// reply), between n and peer belongs to, or null; *seq is its sequence
// number.
sim_ping* PingOf(sim_node* n, Ptr<const Packet> p, uint8_t type, uint32_t peer, uint16_t* seq);

// Sends echo request p of ping through the node's ICMP down target
// (LOCAL_OUT, when wrapped) on route r, unless the ping has stopped.
void SendPingRequest(sim_ping* ping, uint16_t seq, Ptr<Packet> p, const Ipv4Header& h,
                     Ptr<Ipv4Route> r);

// ---- links (sim_channel.cc) -------------------------------------------------

// The devices of a link a <-> b (a first) on a VaryingDelayChannel that
// asks cfg->extra_delay for each packet's extra delay.
NetDeviceContainer InstallVaryingDelay(Ptr<Node> a, Ptr<Node> b, const sim_link_config* cfg);

// ---- routes (sim_routing.cc) ------------------------------------------------

// The route n would use towards dst, or null; cached until g.routeGen moves.
Ptr<Ipv4Route> RouteTo(sim_node* n, uint32_t dst);

// ---- LOCAL_OUT (sim_hooks.cc) ---------------------------------------------

// Wraps n's L4 down targets (once): LOCAL_OUT hooks, and DF for datagrams
// of sockets that asked for it (sim_sock_set_df).
void EnsureLocalOut(sim_node* n);
} // namespace shim

// ---- HookRouting: the node's routing, with PRE_ROUTING/LOCAL_IN/FORWARD --

namespace ns3
{
class CRouting;

// Wraps the node's whole routing list (static first, then global), so its
// RouteInput sees every datagram the node receives, and wraps the deliver
// and forward callbacks it hands down.  RouteOutput and the notifications
// pass straight through.  Defined in sim_routing.cc.
class HookRouting : public Ipv4RoutingProtocol
{
  public:
    static TypeId GetTypeId();

    void SetInner(Ptr<Ipv4ListRouting> r) { m_inner = r; }
    Ptr<Ipv4ListRouting> GetInner() const { return m_inner; }
    void SetSimNode(sim_node* n) { m_node = n; }

    Ptr<Ipv4Route> RouteOutput(Ptr<Packet> p, const Ipv4Header& h, Ptr<NetDevice> oif,
                               Socket::SocketErrno& err) override;
    bool RouteInput(Ptr<const Packet> p, const Ipv4Header& h, Ptr<const NetDevice> idev,
                    UnicastForwardCallback ucb, MulticastForwardCallback mcb,
                    LocalDeliverCallback lcb, ErrorCallback ecb) override;
    bool Decide(Ptr<const Packet> p, const Ipv4Header& h, Ptr<const NetDevice> idev, int iface,
                UnicastForwardCallback ucb, MulticastForwardCallback mcb,
                LocalDeliverCallback lcb, ErrorCallback ecb);

    // Every change of the node's addresses and of its static routes comes
    // through these (Ipv4L3Protocol calls them): they date InnerRouteInput's
    // caches.
    void NotifyInterfaceUp(uint32_t i) override
    {
        m_changes++;
        m_inner->NotifyInterfaceUp(i);
    }
    void NotifyInterfaceDown(uint32_t i) override
    {
        m_changes++;
        m_inner->NotifyInterfaceDown(i);
    }
    void NotifyAddAddress(uint32_t i, Ipv4InterfaceAddress a) override
    {
        m_changes++;
        m_inner->NotifyAddAddress(i, a);
    }
    void NotifyRemoveAddress(uint32_t i, Ipv4InterfaceAddress a) override
    {
        m_changes++;
        m_inner->NotifyRemoveAddress(i, a);
    }
    void SetIpv4(Ptr<Ipv4> ipv4) override
    {
        m_ipv4 = ipv4;
        m_inner->SetIpv4(ipv4);
    }
    void PrintRoutingTable(Ptr<OutputStreamWrapper> s, Time::Unit u) const override
    {
        m_inner->PrintRoutingTable(s, u);
    }

  protected:
    void DoDispose() override
    {
        m_inner = nullptr;
        m_ipv4 = nullptr;
        m_node = nullptr;
        m_static = nullptr;
        m_c = nullptr;
        m_hit.clear();
        m_listKind = 0;
        Ipv4RoutingProtocol::DoDispose();
    }

  private:
    bool InnerRouteInput(Ptr<const Packet> p, const Ipv4Header& h, Ptr<const NetDevice> idev,
                         UnicastForwardCallback ucb, MulticastForwardCallback mcb,
                         LocalDeliverCallback lcb, ErrorCallback ecb);
    bool IsLocal(Ipv4Address dst);
    bool WeakEs();

    Ptr<Ipv4ListRouting> m_inner;
    Ptr<Ipv4> m_ipv4;
    sim_node* m_node = nullptr; // set right after the stack is installed
    // InnerRouteInput's state (sim_routing.cc): the list when it is static
    // then CRouting (held by m_inner), and what it caches.
    int m_listKind = -1; // -1: not looked at yet; 0: another list; 1: static + CRouting
    Ipv4StaticRouting* m_static = nullptr;
    CRouting* m_c = nullptr;
    uint64_t m_changes = 1;                 // bumped by each notification
    uint64_t m_localAt = 0;                 // m_changes when m_local was built
    uint32_t m_localIfaces = 0;             // interfaces then
    int m_weakEs = -1;                      // the WeakEsModel attribute; -1: not read yet
    std::unordered_set<uint32_t> m_local;   // every interface's local and broadcast addresses
    uint64_t m_missAt = 0, m_missGen = 0;   // m_changes and g.routeGen when m_miss was begun
    std::unordered_set<uint32_t> m_miss;    // destinations the static routes do not reach
    std::unordered_map<uint32_t, Ptr<Ipv4Route>> m_hit; // the static routes' route to the others
};

// The routes C computes (sim_routing_from_c), as a routing protocol: what
// Ipv4GlobalRouting does with its tables (RouteOutput, RouteInput), but the
// next hop comes from one call into C.  No state of its own but the node.
// Defined in sim_routing.cc.
class CRouting : public Ipv4RoutingProtocol
{
  public:
    static TypeId GetTypeId();

    void SetSimNode(sim_node* n) { m_node = n; }

    Ptr<Ipv4Route> RouteOutput(Ptr<Packet> p, const Ipv4Header& h, Ptr<NetDevice> oif,
                               Socket::SocketErrno& err) override;
    bool RouteInput(Ptr<const Packet> p, const Ipv4Header& h, Ptr<const NetDevice> idev,
                    UnicastForwardCallback ucb, MulticastForwardCallback mcb,
                    LocalDeliverCallback lcb, ErrorCallback ecb) override;
    void NotifyInterfaceUp(uint32_t) override {}
    void NotifyInterfaceDown(uint32_t) override {}
    void NotifyAddAddress(uint32_t, Ipv4InterfaceAddress) override {}
    void NotifyRemoveAddress(uint32_t, Ipv4InterfaceAddress) override {}
    void SetIpv4(Ptr<Ipv4> ipv4) override { m_ipv4 = ipv4; }
    void PrintRoutingTable(Ptr<OutputStreamWrapper> s, Time::Unit u) const override;
    // The route to dst C gives, or null (also HookRouting's InnerRouteInput).
    Ptr<Ipv4Route> Lookup(Ipv4Address dst);

  protected:
    void DoDispose() override
    {
        m_ipv4 = nullptr;
        m_node = nullptr;
        Ipv4RoutingProtocol::DoDispose();
    }

  private:
    Ptr<Ipv4> m_ipv4;
    sim_node* m_node = nullptr; // set right after the stack is installed
};

// Installs HookRouting over a list of static (priority 10: wins) and global
// (priority 0) routing, or with cRoutes static and CRouting (priority 0).
// Defined in sim_routing.cc.
class HookRoutingHelper : public Ipv4RoutingHelper
{
  public:
    explicit HookRoutingHelper(bool cRoutes = false);
    HookRoutingHelper* Copy() const override;
    Ptr<Ipv4RoutingProtocol> Create(Ptr<Node> node) const override;

  private:
    Ipv4ListRoutingHelper m_list;
};
} // namespace ns3

#endif
