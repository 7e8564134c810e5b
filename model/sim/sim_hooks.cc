// sim_hooks.cc - the netfilter-style datagram hooks and re-entry (sim.h:
// sim_hook_register, sim_ip_output, sim_ip_output_via, sim_ip_input): C's bytes <-> ns-3's
// Ipv4Header + Packet, the LOCAL_OUT wrapper around the L4 down targets,
// and putting C's datagrams back into a node's IP output or input.
//
// Does not route (RouteTo is sim_routing.cc's) and does not itself place
// the receive-side hooks: PRE_ROUTING, LOCAL_IN and FORWARD are walked from
// HookRouting (sim_routing.cc); the walk (Walk) is in sim_internal.hh.
// Never fragments: C does.

#include "sim/sim_internal.hh"

using namespace shim;

// ---- IPv4 header bytes ------------------------------------------------------

namespace shim
{
uint16_t
Get16(const uint8_t* b)
{
    return (uint16_t)(b[0] << 8 | b[1]);
}
} // namespace shim

namespace
{
constexpr uint8_t kLocalOutTtl = 64; // Ipv4L3Protocol's DefaultTtl

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
} // namespace

namespace shim
{
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
} // namespace shim

namespace
{
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

// ---- LOCAL_OUT ------------------------------------------------------------

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

// True when the segment's socket asked for DF (ns-3's UdpSocketImpl tags it
// from IP_MTU_DISCOVER, its MtuDiscover attribute).
bool
WantsDf(Ptr<const Packet> p)
{
    SocketSetDontFragmentTag t;
    return p->PeekPacketTag(t) && t.IsEnabled();
}

// A TCP segment (p starts with its TCP header) of a socket with DF on: its
// source port is that socket's local port.  Only nodes with such a socket
// look, and they hold few.
bool
TcpSegmentWantsDf(sim_node* n, Ptr<Packet> p)
{
    if (n->tcpDf.empty())
    {
        return false;
    }
    TcpHeader th;
    if (p->PeekHeader(th) == 0)
    {
        return false;
    }
    for (sim_sock* s : n->tcpDf)
    {
        Address a;
        // Also after sim_sock_close, while ns-3 still sends what is queued.
        if (s->so->GetSockName(a) == 0 && InetSocketAddress::IsMatchingType(a) &&
            InetSocketAddress::ConvertFrom(a).GetPort() == th.GetSourcePort())
        {
            return true;
        }
    }
    return false;
}

// Hands a segment to the IP layer: Ipv4L3Protocol::Send (down), or, for a
// DF segment, the header ns-3's Send would build (TTL and TOS from the
// socket's tags, the identification from a counter per (source,
// destination, protocol)) with DF set, which ns-3 3.37's Send never sets
// (BuildHeader's mayFragment is always true there).  A DF datagram too big
// for the route is dropped here (sim_sock_sendto refuses such a UDP datagram
// before, EMSGSIZE; a TCP segment is only this big when [simulation] mss is
// set past the link MTU), counted as drop.host_df_too_big.
void
SendDown(sim_node* n, const IpL4Protocol::DownTargetCallback& down, Ptr<Packet> p, Ipv4Address s,
         Ipv4Address d, uint8_t pr, Ptr<Ipv4Route> r)
{
    if (!r || !(WantsDf(p) || (pr == 6 && TcpSegmentWantsDf(n, p))))
    {
        down(p, s, d, pr, r);
        return;
    }
    uint8_t ttl = kLocalOutTtl;
    SocketIpTtlTag ttlTag;
    if (p->RemovePacketTag(ttlTag))
    {
        ttl = ttlTag.GetTtl();
    }
    uint8_t tos = 0;
    SocketIpTosTag tosTag;
    if (p->RemovePacketTag(tosTag))
    {
        tos = tosTag.GetTos();
    }
    SocketSetDontFragmentTag dfTag;
    p->RemovePacketTag(dfTag);
    if (s == Ipv4Address::GetAny())
    {
        s = r->GetSource();
    }
    if (kHdrLen + p->GetSize() > r->GetOutputDevice()->GetMtu())
    {
        n->stats.drops[SIM_STACK_DROP_DF_TOO_BIG]++;
        return;
    }
    Ipv4Header h;
    h.SetSource(s);
    h.SetDestination(d);
    h.SetProtocol(pr);
    h.SetPayloadSize((uint16_t)p->GetSize());
    h.SetTtl(ttl);
    h.SetTos(tos);
    h.SetDontFragment();
    uint16_t& id = n->dfIds[std::make_pair((uint64_t)s.Get() << 32 | d.Get(), pr)];
    h.SetIdentification(id++);
    if (Node::ChecksumEnabled())
    {
        h.EnableChecksum();
    }
    n->ip->SendWithHeader(p, h, r);
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
                if (WantsDf(p) || (pr == 6 && TcpSegmentWantsDf(n, p)))
                {
                    h.SetDontFragment();
                }
                if (Walk(n, SIM_HOOK_LOCAL_OUT, 0, -1, h, p,
                         [=]() { SendDown(n, down, p, s, d, pr, r); }))
                {
                    SendDown(n, down, p, s, d, pr, r);
                }
            }));
    }
    n->localOutWrapped = true;
}
} // namespace

namespace shim
{
void
EnsureLocalOut(sim_node* n)
{
    if (!n->localOutWrapped)
    {
        WrapLocalOut(n);
    }
}
} // namespace shim

// ---- the C API ----------------------------------------------------------

extern "C" {

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
sim_ip_output_via(sim_node* n, const uint8_t* dg, size_t len, uint32_t next_hop)
{
    int rc = n ? CheckDatagram(dg, len) : HN_EINVAL;
    if (rc != HN_OK)
    {
        return rc;
    }
    Ptr<Ipv4Route> r = RouteTo(n, next_hop);
    // A neighbour: the route to it is its link's own (no gateway, or itself).
    if (!r || (r->GetGateway() != Ipv4Address::GetAny() &&
               r->GetGateway() != Ipv4Address(next_hop)))
    {
        return HN_ENOROUTE;
    }
    Ptr<Packet> p;
    Ipv4Header h;
    ParseDatagram(dg, len, p, h);
    if (len > r->GetOutputDevice()->GetMtu())
    {
        return HN_EMSGSIZE;
    }
    Ptr<Ipv4Route> via = Create<Ipv4Route>();
    via->SetDestination(h.GetDestination());
    via->SetSource(h.GetSource());
    via->SetGateway(Ipv4Address(next_hop));
    via->SetOutputDevice(r->GetOutputDevice());
    n->ip->SendWithHeader(p, h, via);
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

} // extern "C"
