// sim.cc - the C face of ns-3.37 (sim.h): the only C++ in the project.
//
// Everything here translates between the C handles of sim.h and ns-3 objects;
// no HydraNet logic lives here.  The one piece of global state is the
// simulator singleton `g` (handles, hooks, events, scratch buffers), emptied
// by sim_destroy() so that sim_init() can start afresh in the same process.
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

#include "sim/sim.h"

#include "status.h"

#include <ns3/core-module.h>
#include <ns3/internet-module.h>
#include <ns3/network-module.h>
#include <ns3/point-to-point-module.h>
#include <ns3/v4ping.h>

#include <algorithm>
#include <cerrno>
#include <climits>
#include <cstdio>
#include <memory>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include <fcntl.h>    // open: ValueParses silences its child's stderr
#include <sys/wait.h> // waitpid
#include <unistd.h>   // fork, dup2, _exit

using namespace ns3;

// ---- handles ------------------------------------------------------------

namespace
{
struct Hook
{
    sim_hook_fn fn; // the C function
    void* ctx;      // its first argument
};
} // namespace

struct sim_node
{
    Ptr<Node> node;
    Ptr<Ipv4L3Protocol> ip;
    std::string name;                          // names pcap files
    std::vector<Hook> hooks[SIM_HOOK_NPOINTS]; // per point, registration order
    bool localOutWrapped = false;              // L4 down targets wrapped yet
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
};

struct sim_link
{
    sim_node* node[2];                    // side 0 = a, side 1 = b
    Ptr<PointToPointNetDevice> dev[2];    // the device at each end
    uint32_t iface[2];                    // its IPv4 interface index
    uint32_t addr[2];                     // its address, host order
    bool pcap[2] = {false, false};        // a pcap writer is attached
    uint64_t txBytes[2] = {0, 0};         // bytes each end put on the wire (PPP frames)
    uint64_t txPackets[2] = {0, 0};
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
};

// ---- the simulator singleton --------------------------------------------

namespace
{
struct Sim
{
    bool up = false; // between sim_init and sim_destroy
    std::vector<std::unique_ptr<sim_node>> nodes;
    std::vector<std::unique_ptr<sim_link>> links;
    std::vector<std::unique_ptr<sim_sock>> socks; // including accepted ones
    std::vector<std::unique_ptr<sim_ping>> pings;
    std::unordered_map<sim_event_id, EventId> events; // pending sim_schedule events
    sim_event_id lastEvent = 0;
    // Scratch buffers for datagrams handed to C, one per nesting depth (a
    // hook that sends may run another hook before it returns); they only
    // grow, so the per-packet path allocates nothing of ours.
    std::vector<std::vector<uint8_t>> scratch;
    size_t depth = 0;
    uint64_t routeGen = 1; // bumped by every change that can change a route
};

Sim g;

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

// ---- IPv4 header bytes ------------------------------------------------------

constexpr size_t kHdrLen = 20;     // no options, ever (ns-3 neither sends nor keeps them)
constexpr uint8_t kLocalOutTtl = 64; // Ipv4L3Protocol's DefaultTtl

uint16_t
Get16(const uint8_t* b)
{
    return (uint16_t)(b[0] << 8 | b[1]);
}

void
Put16(uint8_t* b, uint32_t v)
{
    b[0] = (uint8_t)(v >> 8);
    b[1] = (uint8_t)v;
}

void
Put32(uint8_t* b, uint32_t v)
{
    Put16(b, v >> 16);
    Put16(b + 2, v);
}

// RFC 1071 one's-complement sum of the 20-byte header, folded and inverted.
uint16_t
HeaderChecksum(const uint8_t* h)
{
    uint32_t sum = 0;
    for (size_t i = 0; i < kHdrLen; i += 2)
    {
        sum += Get16(h + i);
    }
    while (sum >> 16)
    {
        sum = (sum & 0xffff) + (sum >> 16);
    }
    return (uint16_t)~sum;
}

// Writes h (20 bytes, valid checksum, ns-3's own id/flags/offset/TTL/TOS)
// followed by p's bytes into out, which holds kHdrLen + p's size; returns
// the total length.  Written by hand: cheaper than a Buffer round trip, and
// the checksum is valid whatever the header's own checksum setting.
size_t
WriteDatagram(uint8_t* out, const Ipv4Header& h, Ptr<const Packet> p)
{
    size_t total = kHdrLen + p->GetSize();
    uint32_t flagsOffset = h.GetFragmentOffset() / 8 | (h.IsDontFragment() ? 0x4000 : 0) |
                           (h.IsLastFragment() ? 0 : 0x2000);
    out[0] = 0x45;
    out[1] = h.GetTos();
    Put16(out + 2, (uint32_t)total);
    Put16(out + 4, h.GetIdentification());
    Put16(out + 6, flagsOffset);
    out[8] = h.GetTtl();
    out[9] = h.GetProtocol();
    Put16(out + 10, 0);
    Put32(out + 12, h.GetSource().Get());
    Put32(out + 16, h.GetDestination().Get());
    Put16(out + 10, HeaderChecksum(out));
    p->CopyData(out + kHdrLen, p->GetSize());
    return total;
}

// Checks C's datagram bytes: HN_OK, or the first malformation found.  Only
// 20-byte headers are accepted (HN_EIHL for options): ns-3's Ipv4Header
// cannot carry options, so they would be lost silently.
int
CheckDatagram(const uint8_t* dg, size_t len)
{
    if (!dg)
    {
        return HN_EINVAL;
    }
    if (len < kHdrLen || len > 65535)
    {
        return HN_ELEN;
    }
    if (dg[0] >> 4 != 4)
    {
        return HN_EVERSION;
    }
    if ((dg[0] & 0xf) != 5)
    {
        return HN_EIHL;
    }
    if (Get16(dg + 2) != len)
    {
        return HN_ELEN;
    }
    return HeaderChecksum(dg) == 0 ? HN_OK : HN_ECKSUM;
}

// A checked datagram as ns-3 objects: the payload packet and its header,
// which keeps computing its checksum when ns-3 serializes it again.
void
ParseDatagram(const uint8_t* dg, size_t len, Ptr<Packet>& p, Ipv4Header& h)
{
    p = Create<Packet>(dg, (uint32_t)len);
    h.EnableChecksum();
    p->RemoveHeader(h);
}

// ---- hook walk ----------------------------------------------------------

// Runs the hooks of point `at` at node n from index `from` on datagram
// (h, p).  Returns true when every hook accepted at once: the caller then
// continues itself.  Returns false when a hook dropped or stole the
// datagram (any negative verdict ends the walk), or asked for a delay: then
// the walk resumes at the next hook after the delay, and `resume` runs if
// that later walk accepts.
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

// The header LOCAL_OUT shows for a segment: ns-3 has not built one yet.
Ipv4Header
LocalOutHeader(Ipv4Address src, Ipv4Address dst, uint8_t proto, uint32_t segLen)
{
    Ipv4Header h;
    h.SetSource(src);
    h.SetDestination(dst);
    h.SetProtocol(proto);
    h.SetTtl(kLocalOutTtl);
    h.SetIdentification(0);
    h.SetPayloadSize((uint16_t)segLen);
    return h;
}

// Wraps the down targets of n's TCP, UDP and ICMP so LOCAL_OUT hooks see
// each segment before Ipv4L3Protocol::Send.
void
WrapLocalOut(sim_node* n)
{
    for (int proto : {1, 6, 17})
    {
        Ptr<IpL4Protocol> l4 = n->ip->GetProtocol(proto);
        if (!l4)
        {
            continue;
        }
        IpL4Protocol::DownTargetCallback down = l4->GetDownTarget();
        l4->SetDownTarget(IpL4Protocol::DownTargetCallback(
            [n, down](Ptr<Packet> p, Ipv4Address s, Ipv4Address d, uint8_t pr, Ptr<Ipv4Route> r) {
                Ipv4Header h = LocalOutHeader(s, d, pr, p->GetSize());
                if (Walk(n, SIM_HOOK_LOCAL_OUT, 0, -1, h, p, [=]() { down(p, s, d, pr, r); }))
                {
                    down(p, s, d, pr, r);
                }
            }));
    }
    n->localOutWrapped = true;
}

// ---- ping requests ------------------------------------------------------

uint32_t
Get32Le(const uint8_t* b)
{
    return (uint32_t)b[0] | (uint32_t)b[1] << 8 | (uint32_t)b[2] << 16 | (uint32_t)b[3] << 24;
}

// The ping of n that ICMP message p, of echo type `type` (8 request, 0
// reply), between n and peer belongs to, or null; *seq is its sequence
// number.
sim_ping*
PingOf(sim_node* n, Ptr<const Packet> p, uint8_t type, uint32_t peer, uint16_t* seq)
{
    uint8_t b[16]; // type, code, checksum, identifier, sequence, node id, app index
    if (p->GetSize() < sizeof b)
    {
        return nullptr;
    }
    p->CopyData(b, sizeof b);
    if (b[0] != type || b[1] != 0 || b[4] != 0 || b[5] != 0 || Get32Le(b + 8) != n->node->GetId())
    {
        return nullptr;
    }
    for (sim_ping* ping : n->pings)
    {
        if (ping->appIndex == Get32Le(b + 12) && ping->dst == peer && ping->bytes == p->GetSize())
        {
            *seq = Get16(b + 6);
            return ping;
        }
    }
    return nullptr;
}

// Sends echo request p of ping as the ICMP protocol sends its own messages,
// through its down target (LOCAL_OUT, when wrapped), on route r: what the
// raw socket would have done with r, minus the hooks.  Requests at or after
// the stop time are not sent (V4Ping stops itself then; this makes the
// bound exact whatever the order of same-time events).
void
SendPingRequest(sim_ping* ping, uint16_t seq, Ptr<Packet> p, const Ipv4Header& h, Ptr<Ipv4Route> r)
{
    uint64_t now = (uint64_t)Simulator::Now().GetNanoSeconds();
    if (now >= ping->stopNs)
    {
        return;
    }
    ping->sent++;
    ping->sentAt[seq] = now;
    IpL4Protocol::DownTargetCallback down = ping->node->ip->GetProtocol(1)->GetDownTarget();
    down(p, r->GetSource(), h.GetDestination(), 1, r);
}

// Ipv4L3Protocol's LocalDeliver trace of a node with pings: a datagram
// delivered locally, after the hooks and reassembly.  An echo reply to one
// of its pings' outstanding requests ends that request's round trip; a
// duplicate finds none.
void
OnLocalDeliver(sim_node* n, const Ipv4Header& h, Ptr<const Packet> p)
{
    uint16_t seq;
    sim_ping* ping;
    if (h.GetProtocol() != 1 || !(ping = PingOf(n, p, 0, h.GetSource().Get(), &seq)))
    {
        return;
    }
    auto it = ping->sentAt.find(seq);
    if (it == ping->sentAt.end())
    {
        return;
    }
    uint64_t sent = it->second;
    ping->sentAt.erase(it);
    if (!ping->dead && ping->fn)
    {
        ping->fn(ping->ctx, sent, sim_now_ns() - sent);
    }
}
} // namespace

// ---- HookRouting: the node's routing, with PRE_ROUTING/LOCAL_IN/FORWARD --

namespace ns3
{
// Wraps the node's whole routing list (static first, then global), so its
// RouteInput sees every datagram the node receives, and wraps the deliver
// and forward callbacks it hands down.  RouteOutput and the notifications
// pass straight through.
class HookRouting : public Ipv4RoutingProtocol
{
  public:
    static TypeId GetTypeId()
    {
        static TypeId tid = TypeId("ns3::HydraNetHookRouting")
                                .SetParent<Ipv4RoutingProtocol>()
                                .SetGroupName("Internet")
                                .AddConstructor<HookRouting>();
        return tid;
    }

    void SetInner(Ptr<Ipv4ListRouting> r) { m_inner = r; }
    Ptr<Ipv4ListRouting> GetInner() const { return m_inner; }
    void SetSimNode(sim_node* n) { m_node = n; }

    // A ping's echo request (from V4Ping's raw socket) is sent from here on
    // the route found, and the raw socket gets none, so that it does not
    // send the request a second time, past LOCAL_OUT (it ignores the error).
    // Only a raw socket asks with a packet that starts with an echo request
    // header: Icmpv4L4Protocol asks before it adds its header, or for echo
    // replies and errors.
    Ptr<Ipv4Route> RouteOutput(Ptr<Packet> p, const Ipv4Header& h, Ptr<NetDevice> oif,
                               Socket::SocketErrno& err) override
    {
        Ptr<Ipv4Route> r = m_inner->RouteOutput(p, h, oif, err);
        uint16_t seq;
        sim_ping* ping;
        if (r && p && h.GetProtocol() == 1 && m_node && !m_node->pings.empty() &&
            (ping = PingOf(m_node, p, 8, h.GetDestination().Get(), &seq)))
        {
            SendPingRequest(ping, seq, p, h, r);
            return nullptr;
        }
        return r;
    }

    bool RouteInput(Ptr<const Packet> p, const Ipv4Header& h, Ptr<const NetDevice> idev,
                    UnicastForwardCallback ucb, MulticastForwardCallback mcb,
                    LocalDeliverCallback lcb, ErrorCallback ecb) override
    {
        sim_node* n = m_node;
        if (n->hooks[SIM_HOOK_PRE_ROUTING].empty() && n->hooks[SIM_HOOK_LOCAL_IN].empty() &&
            n->hooks[SIM_HOOK_FORWARD].empty())
        {
            return m_inner->RouteInput(p, h, idev, ucb, mcb, lcb, ecb); // no hooks: no cost
        }
        int iface = m_ipv4->GetInterfaceForDevice(idev);
        if (!n->hooks[SIM_HOOK_LOCAL_IN].empty())
        {
            if (lcb.GetImpl() != n->lcbOrig.GetImpl())
            {
                LocalDeliverCallback orig = lcb;
                n->lcbOrig = lcb;
                n->lcbWrap = LocalDeliverCallback(
                    [n, orig](Ptr<const Packet> q, const Ipv4Header& hq, uint32_t iif) {
                        if (Walk(n, SIM_HOOK_LOCAL_IN, 0, (int)iif, hq, q,
                                 [=]() { orig(q, hq, iif); }))
                        {
                            orig(q, hq, iif);
                        }
                    });
            }
            lcb = n->lcbWrap;
        }
        if (!n->hooks[SIM_HOOK_FORWARD].empty())
        {
            if (ucb.GetImpl() != n->ucbOrig.GetImpl())
            {
                UnicastForwardCallback orig = ucb;
                n->ucbOrig = ucb;
                n->ucbWrap = UnicastForwardCallback(
                    [n, orig](Ptr<Ipv4Route> r, Ptr<const Packet> q, const Ipv4Header& hq) {
                        if (Walk(n, SIM_HOOK_FORWARD, 0, n->curIface, hq, q,
                                 [=]() { orig(r, q, hq); }))
                        {
                            orig(r, q, hq);
                        }
                    });
            }
            ucb = n->ucbWrap;
        }
        Ptr<HookRouting> self = this;
        // A deferred datagram's "no route" answer is lost: it is dropped
        // without Ipv4L3Protocol's drop trace.
        if (!Walk(n, SIM_HOOK_PRE_ROUTING, 0, iface, h, p, [=]() {
                self->Decide(p, h, idev, iface, ucb, mcb, lcb, ecb);
            }))
        {
            return true;
        }
        return Decide(p, h, idev, iface, ucb, mcb, lcb, ecb);
    }

    // The routing decision after PRE_ROUTING: a datagram re-injected on the
    // loopback (interface 0) for one of the node's virtual-host addresses is
    // delivered locally; everything else goes to the node's routing list.
    bool Decide(Ptr<const Packet> p, const Ipv4Header& h, Ptr<const NetDevice> idev, int iface,
                UnicastForwardCallback ucb, MulticastForwardCallback mcb,
                LocalDeliverCallback lcb, ErrorCallback ecb)
    {
        m_node->curIface = iface;
        if (iface == 0 && !m_node->vhosts.empty() && m_node->vhosts.count(h.GetDestination().Get()))
        {
            lcb(p, h, 0);
            return true;
        }
        return m_inner->RouteInput(p, h, idev, ucb, mcb, lcb, ecb);
    }

    void NotifyInterfaceUp(uint32_t i) override { m_inner->NotifyInterfaceUp(i); }
    void NotifyInterfaceDown(uint32_t i) override { m_inner->NotifyInterfaceDown(i); }
    void NotifyAddAddress(uint32_t i, Ipv4InterfaceAddress a) override
    {
        m_inner->NotifyAddAddress(i, a);
    }
    void NotifyRemoveAddress(uint32_t i, Ipv4InterfaceAddress a) override
    {
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
        Ipv4RoutingProtocol::DoDispose();
    }

  private:
    Ptr<Ipv4ListRouting> m_inner;
    Ptr<Ipv4> m_ipv4;
    sim_node* m_node = nullptr; // set right after the stack is installed
};

// Installs HookRouting over a list of static (priority 10: wins) and global
// (priority 0) routing.
class HookRoutingHelper : public Ipv4RoutingHelper
{
  public:
    HookRoutingHelper()
    {
        m_list.Add(Ipv4StaticRoutingHelper(), 10);
        m_list.Add(Ipv4GlobalRoutingHelper(), 0);
    }
    HookRoutingHelper* Copy() const override { return new HookRoutingHelper(*this); }
    Ptr<Ipv4RoutingProtocol> Create(Ptr<Node> node) const override
    {
        Ptr<HookRouting> h = CreateObject<HookRouting>();
        h->SetInner(DynamicCast<Ipv4ListRouting>(m_list.Create(node)));
        return h;
    }

  private:
    Ipv4ListRoutingHelper m_list;
};

// A point-to-point channel whose one-way delay varies per packet: C adds an
// extra to each packet as its transmission starts (sim_link_config's
// extra_delay), as a queue somewhere on a wide-area path would.  As
// PointToPointChannel::TransmitStart (Receive on the peer after txTime +
// Delay, in the peer node's context), plus the extra, and never before the
// previous packet of the same direction: a queue does not reorder.  The
// base's TxRxPointToPoint trace is private and does not fire (NetAnim only).
class VaryingDelayChannel : public PointToPointChannel
{
  public:
    using ExtraFn = uint64_t (*)(void* ctx, int side, uint64_t nowNs, size_t bytes);

    static TypeId GetTypeId()
    {
        static TypeId tid = TypeId("ns3::HydraNetVaryingDelayChannel")
                                .SetParent<PointToPointChannel>()
                                .SetGroupName("PointToPoint")
                                .AddConstructor<VaryingDelayChannel>();
        return tid;
    }

    void SetExtra(ExtraFn fn, void* ctx)
    {
        m_fn = fn;
        m_ctx = ctx;
    }

    // Side 0 is the device attached first (a).  Times are whole ns (ns-3's
    // default resolution); the sum saturates rather than overflow.
    bool TransmitStart(Ptr<const Packet> p, Ptr<PointToPointNetDevice> src, Time txTime) override
    {
        int side = src == GetSource(0) ? 0 : 1;
        Ptr<PointToPointNetDevice> dst = GetDestination(side);
        int64_t now = Simulator::Now().GetNanoSeconds();
        uint64_t extra = m_fn ? m_fn(m_ctx, side, (uint64_t)now, p->GetSize()) : 0;
        uint64_t base = (uint64_t)now + (uint64_t)txTime.GetNanoSeconds() +
                        (uint64_t)GetDelay().GetNanoSeconds();
        uint64_t limit = (uint64_t)INT64_MAX;
        int64_t at = (int64_t)(base >= limit || extra >= limit - base ? limit : base + extra);
        at = std::max(at, m_lastArrival[side]);
        m_lastArrival[side] = at;
        Simulator::ScheduleWithContext(dst->GetNode()->GetId(),
                                       NanoSeconds(at - now),
                                       &PointToPointNetDevice::Receive,
                                       dst,
                                       p->Copy());
        return true;
    }

  private:
    ExtraFn m_fn = nullptr;
    void* m_ctx = nullptr;
    int64_t m_lastArrival[2] = {0, 0}; // per direction, ns
};
} // namespace ns3

namespace
{
// ---- small conversions --------------------------------------------------

Time
Ns(uint64_t ns)
{
    return NanoSeconds((int64_t)(ns > (uint64_t)INT64_MAX ? (uint64_t)INT64_MAX : ns));
}

Ipv4Mask
PrefixMask(uint8_t prefixLen)
{
    return Ipv4Mask(prefixLen == 0 ? 0 : 0xffffffffu << (32 - prefixLen));
}

// What PointToPointHelper::Install makes (devices of the link's rate and MTU
// with fresh MAC addresses, DropTail queues, the flow-control interface
// traffic control looks for; a attached first), but on a
// VaryingDelayChannel: the helper cannot be told which channel to make.
NetDeviceContainer
InstallVaryingDelay(Ptr<Node> a, Ptr<Node> b, const sim_link_config* cfg)
{
    NetDeviceContainer devs;
    for (Ptr<Node> node : {a, b})
    {
        Ptr<PointToPointNetDevice> dev = CreateObject<PointToPointNetDevice>();
        dev->SetAttribute("DataRate", DataRateValue(DataRate(cfg->rate_bps)));
        dev->SetAttribute("Mtu", UintegerValue(cfg->mtu_bytes));
        dev->SetAddress(Mac48Address::Allocate());
        node->AddDevice(dev);
        Ptr<Queue<Packet>> q = CreateObject<DropTailQueue<Packet>>();
        q->SetAttribute("MaxSize",
                        QueueSizeValue(QueueSize(QueueSizeUnit::PACKETS, cfg->queue_packets)));
        dev->SetQueue(q);
        Ptr<NetDeviceQueueInterface> ndqi = CreateObject<NetDeviceQueueInterface>();
        ndqi->GetTxQueue(0)->ConnectQueueTraces(q);
        dev->AggregateObject(ndqi);
        devs.Add(dev);
    }
    Ptr<VaryingDelayChannel> ch = CreateObject<VaryingDelayChannel>();
    ch->SetAttribute("Delay", TimeValue(Ns(cfg->delay_ns)));
    ch->SetExtra(cfg->extra_delay, cfg->extra_delay_ctx);
    for (uint32_t side = 0; side < 2; side++)
    {
        DynamicCast<PointToPointNetDevice>(devs.Get(side))->Attach(ch);
    }
    return devs;
}

// The route n would use towards dst, or null; cached until the next change
// of topology or routing (routes are immutable once made).
Ptr<Ipv4Route>
RouteTo(sim_node* n, uint32_t dst)
{
    if (n->routeGen != g.routeGen)
    {
        n->routes.clear();
        n->routeGen = g.routeGen;
    }
    auto it = n->routes.find(dst);
    if (it != n->routes.end())
    {
        return it->second;
    }
    Ipv4Header h;
    h.SetDestination(Ipv4Address(dst));
    Socket::SocketErrno err;
    Ptr<Ipv4Route> r = n->ip->GetRoutingProtocol()->RouteOutput(nullptr, h, nullptr, err);
    if (r)
    {
        n->routes.emplace(dst, r);
    }
    return r;
}

// n's Ipv4StaticRouting, found in the list under its HookRouting.
Ptr<Ipv4StaticRouting>
StaticRoutingOf(sim_node* n)
{
    Ptr<Ipv4ListRouting> list = DynamicCast<HookRouting>(n->ip->GetRoutingProtocol())->GetInner();
    for (uint32_t i = 0; i < list->GetNRoutingProtocols(); i++)
    {
        int16_t prio;
        Ptr<Ipv4RoutingProtocol> r = list->GetRoutingProtocol(i, prio);
        if (Ptr<Ipv4StaticRouting> s = DynamicCast<Ipv4StaticRouting>(r))
        {
            return s;
        }
    }
    return nullptr;
}

// The interface of n whose subnet holds addr, or -1.
int
IfaceReaching(sim_node* n, uint32_t addr)
{
    for (uint32_t i = 1; i < n->ip->GetNInterfaces(); i++)
    {
        for (uint32_t j = 0; j < n->ip->GetNAddresses(i); j++)
        {
            Ipv4InterfaceAddress a = n->ip->GetAddress(i, j);
            if (a.GetMask().IsMatch(a.GetLocal(), Ipv4Address(addr)))
            {
                return (int)i;
            }
        }
    }
    return -1;
}

// ns-3's socket errno as a status.
int
SockStatus(const sim_sock* s)
{
    switch (s->so->GetErrno())
    {
    case Socket::ERROR_ADDRINUSE:
        return HN_EEXIST;
    case Socket::ERROR_NOROUTETOHOST:
        return HN_ENOROUTE;
    case Socket::ERROR_MSGSIZE:
        return HN_EMSGSIZE;
    case Socket::ERROR_AGAIN:
        return HN_ELIMIT;
    case Socket::ERROR_INVAL:
    case Socket::ERROR_ADDRNOTAVAIL:
    case Socket::ERROR_AFNOSUPPORT:
        return HN_EINVAL;
    default:
        return HN_ESTATE; // NOTCONN, ISCONN, SHUTDOWN, OPNOTSUPP, ...
    }
}

// True when the attribute's checker accepts value.  Many ns-3 parsers
// (Uinteger, Integer, Double, Time, QueueSize: "not properly formatted")
// abort the process on bad text instead of failing, so the trial parse runs
// in a child process with stderr silenced; only the verdict comes back.
bool
ValueParses(Ptr<const AttributeChecker> checker, const std::string& value)
{
    std::fflush(nullptr); // the child must not write our buffered output again
    pid_t pid = fork();
    if (pid < 0)
    {
        return false;
    }
    if (pid == 0)
    {
        int devnull = open("/dev/null", O_WRONLY);
        if (devnull >= 0)
        {
            dup2(devnull, 2);
        }
        _exit(checker->CreateValidValue(StringValue(value)) ? 0 : 1);
    }
    int status = 0;
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
    {
    }
    return WIFEXITED(status) && WEXITSTATUS(status) == 0;
}

// ---- socket callbacks ---------------------------------------------------

// True when s may still call into C: not closed, and `so` is really s's
// socket (a forked TCP socket carries its listener's close callbacks
// until its own are set).
bool
Live(const sim_sock* s, Ptr<Socket> so)
{
    return !s->closed && s->so == so;
}

void SetCallbacks(sim_sock* s);

// A new handle for ns-3 socket so, owned by the singleton.
sim_sock*
AddSock(Ptr<Socket> so, sim_node* n, const sim_sock_ops& ops, void* ctx, bool tcp)
{
    g.socks.push_back(std::make_unique<sim_sock>(sim_sock{so, n, ops, ctx, tcp}));
    sim_sock* s = g.socks.back().get();
    SetCallbacks(s);
    return s;
}

// Hands every queued chunk to on_recv with its sender.
void
OnRecv(sim_sock* s, Ptr<Socket> so)
{
    Address from;
    Ptr<Packet> p;
    while (Live(s, so) && (p = so->RecvFrom(from)) && p->GetSize() > 0)
    {
        if (!s->ops.on_recv || !InetSocketAddress::IsMatchingType(from))
        {
            continue;
        }
        InetSocketAddress a = InetSocketAddress::ConvertFrom(from);
        Scratch buf(p->GetSize());
        p->CopyData(buf.data(), p->GetSize());
        s->ops.on_recv(s->ctx, s, buf.data(), p->GetSize(), a.GetIpv4().Get(), a.GetPort());
    }
}

void
OnConnect(sim_sock* s, Ptr<Socket> so, bool ok)
{
    if (Live(s, so) && s->ops.on_connect)
    {
        s->ops.on_connect(s->ctx, s, ok);
    }
}

void
OnClose(sim_sock* s, Ptr<Socket> so, bool error)
{
    if (Live(s, so) && s->ops.on_close)
    {
        s->ops.on_close(s->ctx, s, error);
    }
}

// A connection accepted on listener l: a new handle with l's ops and ctx
// (closed at once if l has been closed: nobody could see it).
void
OnAccept(sim_sock* l, Ptr<Socket> so, const Address& from)
{
    sim_sock* s = AddSock(so, l->node, l->ops, l->ctx, l->tcp);
    if (l->closed)
    {
        sim_sock_close(s);
        return;
    }
    if (!l->ops.on_accept || !InetSocketAddress::IsMatchingType(from))
    {
        return;
    }
    InetSocketAddress a = InetSocketAddress::ConvertFrom(from);
    l->ops.on_accept(l->ctx, l, s, a.GetIpv4().Get(), a.GetPort());
}

// Points every ns-3 callback of s's socket at the trampolines above.
void
SetCallbacks(sim_sock* s)
{
    using SockCb = Callback<void, Ptr<Socket>>;
    s->so->SetRecvCallback(SockCb([s](Ptr<Socket> so) { OnRecv(s, so); }));
    s->so->SetSendCallback(Callback<void, Ptr<Socket>, uint32_t>([s](Ptr<Socket> so, uint32_t n) {
        if (Live(s, so) && s->ops.on_send_space)
        {
            s->ops.on_send_space(s->ctx, s, n);
        }
    }));
    s->so->SetConnectCallback(SockCb([s](Ptr<Socket> so) { OnConnect(s, so, true); }),
                              SockCb([s](Ptr<Socket> so) { OnConnect(s, so, false); }));
    s->so->SetAcceptCallback(
        MakeNullCallback<bool, Ptr<Socket>, const Address&>(), // accept every request
        Callback<void, Ptr<Socket>, const Address&>(
            [s](Ptr<Socket> so, const Address& from) { OnAccept(s, so, from); }));
    s->so->SetCloseCallbacks(SockCb([s](Ptr<Socket> so) { OnClose(s, so, false); }),
                             SockCb([s](Ptr<Socket> so) { OnClose(s, so, true); }));
}

sim_sock*
NewSocket(sim_node* n, const sim_sock_ops* ops, void* ctx, bool tcp)
{
    if (!g.up || !n)
    {
        return nullptr;
    }
    TypeId f = tcp ? TcpSocketFactory::GetTypeId() : UdpSocketFactory::GetTypeId();
    return AddSock(Socket::CreateSocket(n->node, f), n, ops ? *ops : sim_sock_ops{}, ctx, tcp);
}
} // namespace

// ---- the C API ----------------------------------------------------------

extern "C" {

int
sim_init(const struct sim_config* cfg)
{
    if (g.up)
    {
        return HN_ESTATE;
    }
    if (!cfg || cfg->seed == 0)
    {
        return HN_EINVAL;
    }
    GlobalValue::Bind("ChecksumEnabled", BooleanValue(true)); // before any node
    RngSeedManager::SetSeed(cfg->seed);
    RngSeedManager::SetRun(cfg->run);
    g.up = true;
    return HN_OK;
}

// The attribute is looked up and the value checked by the attribute's own
// checker first (in a child: see ValueParses): Config::SetDefault would abort
// on either.  Costs a fork per call: configuration time only.
int
sim_set_default(const char* attr, const char* value)
{
    if (!attr || !value)
    {
        return HN_EINVAL;
    }
    std::string full(attr);
    std::string::size_type sep = full.rfind("::");
    TypeId tid;
    TypeId::AttributeInformation info;
    if (sep == std::string::npos || !TypeId::LookupByNameFailSafe(full.substr(0, sep), &tid) ||
        !tid.LookupAttributeByName(full.substr(sep + 2), &info) ||
        !ValueParses(info.checker, value))
    {
        return HN_EINVAL;
    }
    return Config::SetDefaultFailSafe(full, StringValue(value)) ? HN_OK : HN_EINVAL;
}

// Callbacks are silenced before ns-3 disposes the sockets and applications
// (V4Ping stops when disposed); handles are freed after, when nothing can
// call into them any more.  Config::Reset undoes every sim_set_default.
void
sim_destroy(void)
{
    for (auto& s : g.socks)
    {
        s->closed = true;
    }
    for (auto& p : g.pings)
    {
        p->dead = true;
    }
    Simulator::Destroy();
    Config::Reset();
    g.pings.clear();
    g.socks.clear();
    g.links.clear();
    g.nodes.clear();
    g.events.clear();
    g.lastEvent = 0;
    g.up = false;
}

uint64_t
sim_now_ns(void)
{
    return (uint64_t)Simulator::Now().GetNanoSeconds();
}

// Ids start at 1 (0: no fn, nothing scheduled); the map holds pending
// events only.
sim_event_id
sim_schedule(uint64_t delay_ns, sim_event_fn fn, void* arg)
{
    if (!fn)
    {
        return 0;
    }
    sim_event_id id = ++g.lastEvent;
    g.events[id] = Simulator::Schedule(Ns(delay_ns), [id, fn, arg]() {
        g.events.erase(id);
        fn(arg);
    });
    return id;
}

void
sim_cancel(sim_event_id id)
{
    auto it = g.events.find(id);
    if (it != g.events.end())
    {
        it->second.Cancel();
        g.events.erase(it);
    }
}

// The stop event is our own (Simulator::Stop(delay) returns no id), so an
// early sim_stop leaves no stale stop behind for the next sim_run.
void
sim_run(uint64_t stop_ns)
{
    EventId stop;
    if (stop_ns > 0)
    {
        uint64_t now = sim_now_ns();
        stop = Simulator::Schedule(Ns(stop_ns > now ? stop_ns - now : 0),
                                   []() { Simulator::Stop(); });
    }
    Simulator::Run();
    stop.Cancel();
}

void
sim_stop(void)
{
    Simulator::Stop();
}

uint64_t
sim_event_count(void)
{
    return Simulator::GetEventCount();
}

// IPv4 only, routing = HookRouting over static + global.  The name must be
// usable in a file name (no '/').
sim_node*
sim_node_create(const char* name)
{
    if (!g.up || !name || !*name || std::string(name).find('/') != std::string::npos)
    {
        return nullptr;
    }
    auto n = std::make_unique<sim_node>();
    n->node = CreateObject<Node>();
    n->name = name;
    InternetStackHelper stack;
    stack.SetIpv6StackInstall(false);
    stack.SetRoutingHelper(HookRoutingHelper());
    stack.Install(n->node);
    n->ip = n->node->GetObject<Ipv4L3Protocol>();
    DynamicCast<HookRouting>(n->ip->GetRoutingProtocol())->SetSimNode(n.get());
    g.nodes.push_back(std::move(n));
    return g.nodes.back().get();
}

const char*
sim_node_name(const sim_node* n)
{
    return n->name.c_str();
}

uint32_t
sim_node_id(const sim_node* n)
{
    return n->node->GetId();
}

// Loss uses fixed random streams (2 * link index + side), so a link's losses
// do not depend on what else was simulated earlier in the process.  Only a
// link with an extra delay gets the VaryingDelayChannel; the others are the
// helper's, as they always were.
sim_link*
sim_link_create(sim_node* a, sim_node* b, const struct sim_link_config* cfg, uint32_t addr_a,
                uint32_t addr_b, uint8_t prefix_len)
{
    bool cfgOk = cfg && cfg->rate_bps > 0 && cfg->mtu_bytes >= 68 && cfg->mtu_bytes <= 65535 &&
                 cfg->queue_packets > 0 && cfg->loss_rate >= 0.0 && cfg->loss_rate <= 1.0;
    bool addrOk = prefix_len >= 1 && prefix_len <= 32 && addr_a && addr_b && addr_a != addr_b;
    if (!g.up || !a || !b || a == b || !cfgOk || !addrOk)
    {
        return nullptr;
    }
    NetDeviceContainer devs;
    if (cfg->extra_delay)
    {
        devs = InstallVaryingDelay(a->node, b->node, cfg);
    }
    else
    {
        PointToPointHelper p2p;
        p2p.SetDeviceAttribute("DataRate", DataRateValue(DataRate(cfg->rate_bps)));
        p2p.SetDeviceAttribute("Mtu", UintegerValue(cfg->mtu_bytes));
        p2p.SetChannelAttribute("Delay", TimeValue(Ns(cfg->delay_ns)));
        p2p.SetQueue("ns3::DropTailQueue<Packet>",
                     "MaxSize",
                     QueueSizeValue(QueueSize(QueueSizeUnit::PACKETS, cfg->queue_packets)));
        devs = p2p.Install(a->node, b->node);
    }

    auto l = std::make_unique<sim_link>();
    sim_node* ends[2] = {a, b};
    uint32_t addrs[2] = {addr_a, addr_b};
    for (int side = 0; side < 2; side++)
    {
        Ptr<Ipv4L3Protocol> ip = ends[side]->ip;
        l->node[side] = ends[side];
        l->dev[side] = DynamicCast<PointToPointNetDevice>(devs.Get(side));
        l->addr[side] = addrs[side];
        l->iface[side] = ip->AddInterface(l->dev[side]);
        ip->AddAddress(l->iface[side],
                       Ipv4InterfaceAddress(Ipv4Address(addrs[side]), PrefixMask(prefix_len)));
        ip->SetMetric(l->iface[side], 1);
        ip->SetUp(l->iface[side]);
        sim_link* lp = l.get();
        l->dev[side]->TraceConnectWithoutContext(
            "PhyTxEnd",
            Callback<void, Ptr<const Packet>>([lp, side](Ptr<const Packet> p) {
                lp->txBytes[side] += p->GetSize();
                lp->txPackets[side]++;
            }));
        if (cfg->loss_rate > 0)
        {
            Ptr<RateErrorModel> em = CreateObject<RateErrorModel>();
            em->SetUnit(RateErrorModel::ERROR_UNIT_PACKET);
            em->SetRate(cfg->loss_rate);
            em->AssignStreams((int64_t)(2 * g.links.size() + side));
            l->dev[side]->SetReceiveErrorModel(em);
        }
    }
    g.links.push_back(std::move(l));
    g.routeGen++;
    return g.links.back().get();
}

uint64_t
sim_link_tx_bytes(const sim_link* l, int side)
{
    return l && (side == 0 || side == 1) ? l->txBytes[side] : 0;
}

uint64_t
sim_link_tx_packets(const sim_link* l, int side)
{
    return l && (side == 0 || side == 1) ? l->txPackets[side] : 0;
}

int
sim_link_iface(const sim_link* l, int side)
{
    return side == 0 || side == 1 ? (int)l->iface[side] : HN_EINVAL;
}

uint32_t
sim_link_addr(const sim_link* l, int side)
{
    return side == 0 || side == 1 ? l->addr[side] : 0;
}

int
sim_node_add_vhost_addr(sim_node* n, uint32_t addr)
{
    if (!n || addr == 0)
    {
        return HN_EINVAL;
    }
    if (!n->vhosts.insert(addr).second)
    {
        return HN_EEXIST;
    }
    return HN_OK;
}

int
sim_node_add_local_addr(sim_node* n, uint32_t addr)
{
    if (!n || addr == 0)
    {
        return HN_EINVAL;
    }
    if (sim_node_has_addr(n, addr))
    {
        return HN_EEXIST;
    }
    n->ip->AddAddress(0, Ipv4InterfaceAddress(Ipv4Address(addr), Ipv4Mask::GetOnes()));
    g.routeGen++;
    return HN_OK;
}

// Recompute = delete old global routes, rebuild the database, install: also
// right on the first call.
int
sim_routing_populate(void)
{
    if (!g.up)
    {
        return HN_ESTATE;
    }
    Ipv4GlobalRoutingHelper::RecomputeRoutingTables();
    g.routeGen++;
    return HN_OK;
}

int
sim_route_add(sim_node* n, uint32_t dst, uint8_t prefix_len, uint32_t next_hop)
{
    if (!n || prefix_len > 32)
    {
        return HN_EINVAL;
    }
    int iface = IfaceReaching(n, next_hop);
    if (iface < 0)
    {
        return HN_ENOROUTE;
    }
    Ipv4Mask mask = PrefixMask(prefix_len);
    StaticRoutingOf(n)->AddNetworkRouteTo(Ipv4Address(dst).CombineMask(mask), mask,
                                          Ipv4Address(next_hop), (uint32_t)iface);
    g.routeGen++;
    return HN_OK;
}

uint32_t
sim_route_mtu(sim_node* n, uint32_t dst)
{
    Ptr<Ipv4Route> r = RouteTo(n, dst);
    return r ? r->GetOutputDevice()->GetMtu() : 0;
}

uint32_t
sim_route_src(sim_node* n, uint32_t dst)
{
    Ptr<Ipv4Route> r = RouteTo(n, dst);
    return r ? r->GetSource().Get() : 0;
}

bool
sim_node_has_addr(sim_node* n, uint32_t addr)
{
    for (uint32_t i = 0; i < n->ip->GetNInterfaces(); i++)
    {
        for (uint32_t j = 0; j < n->ip->GetNAddresses(i); j++)
        {
            if (n->ip->GetAddress(i, j).GetLocal().Get() == addr)
            {
                return true;
            }
        }
    }
    return false;
}

// Covers the links that exist at the call; later links are not traced.
// Each file is opened here first, because ns-3 aborts when it cannot open
// one (HN_EIO instead).  The files are complete once sim_destroy has run.
int
sim_pcap_enable(const char* dir)
{
    if (!g.up || !dir)
    {
        return HN_EINVAL;
    }
    PointToPointHelper p2p;
    for (auto& l : g.links)
    {
        for (int side = 0; side < 2; side++)
        {
            if (l->pcap[side])
            {
                continue;
            }
            std::string file = std::string(dir) + "/" + l->node[side]->name + "-" +
                               std::to_string(l->iface[side]) + ".pcap";
            FILE* f = std::fopen(file.c_str(), "wb");
            if (!f)
            {
                return HN_EIO;
            }
            std::fclose(f);
            p2p.EnablePcap(file, l->dev[side], false, true);
            l->pcap[side] = true;
        }
    }
    return HN_OK;
}

int
sim_hook_register(sim_node* n, enum sim_hook_point at, sim_hook_fn fn, void* ctx)
{
    if (!n || !fn || at < 0 || at >= SIM_HOOK_NPOINTS)
    {
        return HN_EINVAL;
    }
    if (at == SIM_HOOK_LOCAL_OUT && !n->localOutWrapped)
    {
        WrapLocalOut(n);
    }
    n->hooks[at].push_back(Hook{fn, ctx});
    return HN_OK;
}

// Refuses what ns-3 would fragment (it ignores DF): C fragments, not ns-3.
int
sim_ip_output(sim_node* n, const uint8_t* dg, size_t len)
{
    int rc = n ? CheckDatagram(dg, len) : HN_EINVAL;
    if (rc != HN_OK)
    {
        return rc;
    }
    Ptr<Packet> p;
    Ipv4Header h;
    ParseDatagram(dg, len, p, h);
    Ptr<Ipv4Route> r = RouteTo(n, h.GetDestination().Get());
    if (!r)
    {
        return HN_ENOROUTE;
    }
    if (len > r->GetOutputDevice()->GetMtu())
    {
        return HN_EMSGSIZE;
    }
    n->ip->SendWithHeader(p, h, r);
    return HN_OK;
}

int
sim_ip_input(sim_node* n, const uint8_t* dg, size_t len)
{
    int rc = n ? CheckDatagram(dg, len) : HN_EINVAL;
    if (rc != HN_OK)
    {
        return rc;
    }
    Ptr<Packet> p = Create<Packet>(dg, (uint32_t)len); // Receive parses the header itself
    Ptr<Ipv4L3Protocol> ip = n->ip;
    Ptr<NetDevice> lo = ip->GetNetDevice(0); // the LoopbackNetDevice, interface 0
    Simulator::ScheduleNow([ip, lo, p]() {
        ip->Receive(lo, p, Ipv4L3Protocol::PROT_NUMBER, lo->GetAddress(), lo->GetAddress(),
                    NetDevice::PACKET_HOST);
    });
    return HN_OK;
}

sim_sock*
sim_tcp_socket(sim_node* n, const struct sim_sock_ops* ops, void* ctx)
{
    return NewSocket(n, ops, ctx, true);
}

sim_sock*
sim_udp_socket(sim_node* n, const struct sim_sock_ops* ops, void* ctx)
{
    return NewSocket(n, ops, ctx, false);
}

int
sim_sock_bind(sim_sock* s, uint32_t addr, uint16_t port)
{
    if (!s || s->closed)
    {
        return HN_ESTATE;
    }
    return s->so->Bind(InetSocketAddress(Ipv4Address(addr), port)) == 0 ? HN_OK : SockStatus(s);
}

int
sim_sock_listen(sim_sock* s)
{
    if (!s || s->closed)
    {
        return HN_ESTATE;
    }
    return s->so->Listen() == 0 ? HN_OK : SockStatus(s);
}

// UDP: on_connect runs before this returns (ns-3 connects UDP at once).
int
sim_sock_connect(sim_sock* s, uint32_t addr, uint16_t port)
{
    if (!s || s->closed)
    {
        return HN_ESTATE;
    }
    return s->so->Connect(InetSocketAddress(Ipv4Address(addr), port)) == 0 ? HN_OK
                                                                            : SockStatus(s);
}

// TCP takes what fits in the send buffer.  UDP sends one datagram, whole or
// not at all (HN_EMSGSIZE when len exceeds the largest UDP datagram).
int
sim_sock_send(sim_sock* s, const uint8_t* buf, size_t len)
{
    if (!s || s->closed)
    {
        return HN_ESTATE;
    }
    if (!buf && len > 0)
    {
        return HN_EINVAL;
    }
    size_t avail = s->so->GetTxAvailable();
    if (!s->tcp && len > avail)
    {
        return HN_EMSGSIZE;
    }
    size_t n = len < avail ? len : avail;
    n = n < (size_t)INT_MAX ? n : (size_t)INT_MAX;
    if (n == 0 && s->tcp)
    {
        return 0;
    }
    int sent = s->so->Send(Create<Packet>(buf, (uint32_t)n));
    return sent >= 0 ? sent : SockStatus(s);
}

int
sim_sock_sendto(sim_sock* s, const uint8_t* buf, size_t len, uint32_t addr, uint16_t port)
{
    if (!s || s->closed)
    {
        return HN_ESTATE;
    }
    if (s->tcp)
    {
        return HN_EPROTO;
    }
    if (!buf && len > 0)
    {
        return HN_EINVAL;
    }
    if (len > s->so->GetTxAvailable())
    {
        return HN_EMSGSIZE;
    }
    int sent = s->so->SendTo(Create<Packet>(buf, (uint32_t)len), 0,
                             InetSocketAddress(Ipv4Address(addr), port));
    return sent >= 0 ? sent : SockStatus(s);
}

size_t
sim_sock_tx_avail(const sim_sock* s)
{
    return s && !s->closed ? s->so->GetTxAvailable() : 0;
}

// After this no callback of s fires (ns-3 keeps closing the connection in
// the background: queued data, FIN, TIME_WAIT).  The handle stays valid
// until sim_destroy.
int
sim_sock_close(sim_sock* s)
{
    if (!s || s->closed)
    {
        return HN_ESTATE;
    }
    s->closed = true;
    return s->so->Close() == 0 ? HN_OK : SockStatus(s);
}

int
sim_sock_set_nodelay(sim_sock* s, bool nodelay)
{
    if (!s || !s->tcp)
    {
        return HN_EINVAL;
    }
    return s->so->SetAttributeFailSafe("TcpNoDelay", BooleanValue(nodelay)) ? HN_OK : HN_EINVAL;
}

sim_node*
sim_sock_node(const sim_sock* s)
{
    return s->node;
}

int
sim_sock_local(const sim_sock* s, uint32_t* addr, uint16_t* port)
{
    Address a;
    if (!s || s->so->GetSockName(a) != 0 || !InetSocketAddress::IsMatchingType(a))
    {
        return HN_ESTATE;
    }
    InetSocketAddress ia = InetSocketAddress::ConvertFrom(a);
    if (addr)
    {
        *addr = ia.GetIpv4().Get();
    }
    if (port)
    {
        *port = ia.GetPort();
    }
    return HN_OK;
}

// V4Ping's start and stop times count from its Initialize, which AddApplication
// schedules for now: hence relative to now.  V4Ping sends at start and then
// every interval until its stop (when it also closes its socket, which only
// it reads).  Its "Size" is the data after the 8-byte ICMP header, at least
// 16 (its node id and application index, then zeros).
sim_ping*
sim_ping_start(sim_node* n, uint32_t dst, uint32_t bytes, uint64_t interval_ns, uint64_t start_ns,
               uint64_t stop_ns, sim_ping_fn fn, void* ctx)
{
    if (!g.up || !n || dst == 0 || bytes < 8 + 16 || bytes > 65507 || interval_ns == 0 ||
        interval_ns > (uint64_t)INT64_MAX || stop_ns > (uint64_t)INT64_MAX)
    {
        return nullptr;
    }
    uint64_t now = sim_now_ns();
    uint64_t start = std::max(start_ns, now);
    if (stop_ns <= start)
    {
        return nullptr;
    }
    if (!n->pingTraced)
    {
        n->pingTraced = n->ip->TraceConnectWithoutContext(
            "LocalDeliver",
            Callback<void, const Ipv4Header&, Ptr<const Packet>, uint32_t>(
                [n](const Ipv4Header& h, Ptr<const Packet> p, uint32_t) {
                    OnLocalDeliver(n, h, p);
                }));
        if (!n->pingTraced)
        {
            return nullptr;
        }
    }
    auto p = std::make_unique<sim_ping>();
    p->node = n;
    p->app = CreateObject<V4Ping>();
    p->app->SetAttribute("Remote", Ipv4AddressValue(Ipv4Address(dst)));
    p->app->SetAttribute("Interval", TimeValue(Ns(interval_ns)));
    p->app->SetAttribute("Size", UintegerValue(bytes - 8));
    p->app->SetAttribute("Verbose", BooleanValue(false));
    p->app->SetStartTime(Ns(start - now));
    p->app->SetStopTime(Ns(stop_ns - now));
    p->dst = dst;
    p->bytes = bytes;
    p->stopNs = stop_ns;
    p->fn = fn;
    p->ctx = ctx;
    sim_ping* ping = p.get();
    p->appIndex = n->node->AddApplication(p->app);
    n->pings.push_back(ping);
    g.pings.push_back(std::move(p));
    return ping;
}

uint64_t
sim_ping_sent(const sim_ping* p)
{
    return p ? p->sent : 0;
}

} // extern "C"
