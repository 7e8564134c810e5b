// sim_ping.cc - ICMP echo from a node (sim.h: sim_ping_start, sim_ping_sent)
// on ns-3's V4Ping, bent so its requests pass LOCAL_OUT and its replies are
// timed after the hooks and reassembly: requests are recognised (PingOf) in
// HookRouting::RouteOutput (sim_routing.cc) and sent here
// (SendPingRequest); replies are matched at the node's LocalDeliver trace.
//
// Does not answer echo requests (ns-3's ICMP does) and does not use
// V4Ping's own round trips (its raw socket sees datagrams before the hooks).

#include "sim/sim_internal.hh"

#include <algorithm>
#include <climits>
#include <memory>

using namespace shim;

namespace
{
uint32_t
Get32Le(const uint8_t* b)
{
    return (uint32_t)b[0] | (uint32_t)b[1] << 8 | (uint32_t)b[2] << 16 | (uint32_t)b[3] << 24;
}
} // namespace

namespace shim
{
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
} // namespace shim

namespace
{
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

// ---- the C API ----------------------------------------------------------

extern "C" {

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
