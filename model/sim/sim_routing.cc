// sim_routing.cc - a node's routing and route queries (sim.h:
// sim_routing_populate, sim_route_add, sim_route_mtu, sim_route_src):
// CRouting, the routes C computes (sim_routing_from_c) in place of global
// routing; HookRouting, which wraps the node's static + global (or C)
// routing list so the
// PRE_ROUTING, LOCAL_IN and FORWARD hooks see received datagrams, makes the
// virtual-host decision for datagrams re-injected on the loopback, and
// diverts V4Ping's echo requests to LOCAL_OUT; the per-node route cache.
//
// Does not hold the hooks or build datagram bytes (sim_hooks.cc and the
// Walk in sim_internal.hh), nor match pings (sim_ping.cc): it only calls
// them at the right points.

#include "sim/sim_internal.hh"

using namespace shim;

// ---- HookRouting: the node's routing, with PRE_ROUTING/LOCAL_IN/FORWARD --

namespace ns3
{
TypeId
HookRouting::GetTypeId()
{
    static TypeId tid = TypeId("ns3::HydraNetHookRouting")
                            .SetParent<Ipv4RoutingProtocol>()
                            .SetGroupName("Internet")
                            .AddConstructor<HookRouting>();
    return tid;
}

// A ping's echo request (from V4Ping's raw socket) is sent from here on
// the route found, and the raw socket gets none, so that it does not
// send the request a second time, past LOCAL_OUT (it ignores the error).
// Only a raw socket asks with a packet that starts with an echo request
// header: Icmpv4L4Protocol asks before it adds its header, or for echo
// replies and errors.
Ptr<Ipv4Route>
HookRouting::RouteOutput(Ptr<Packet> p, const Ipv4Header& h, Ptr<NetDevice> oif,
                         Socket::SocketErrno& err)
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

namespace
{
// An ICMP fragmentation needed (p: the ICMP message) quoting the start of a
// TCP segment: its sequence number, kept for the socket the ICMP goes to
// (sim_socket.cc reads it).  Fragments and anything shorter than the quoted
// header + 8 bytes are not looked at.
void
NoteIcmpQuote(sim_node* n, Ptr<const Packet> p)
{
    uint8_t b[8 + 60 + 8];
    uint32_t len = p->CopyData(b, sizeof b);
    if (len < 8 + 20 + 8 || b[0] != 3 || b[1] != 4 || b[8] >> 4 != 4)
    {
        return;
    }
    uint32_t ihl = (uint32_t)(b[8] & 0xf) * 4;
    const uint8_t* q = b + 8;
    if (ihl < 20 || len < 8 + ihl + 8 || q[9] != 6 || (Get16(q + 6) & 0x1fff) != 0)
    {
        return;
    }
    const uint8_t* th = q + ihl;
    uint64_t dst = (uint64_t)Get16(q + 16) << 16 | Get16(q + 18);
    uint64_t key = dst << 32 | (uint64_t)Get16(th) << 16 | Get16(th + 2);
    n->icmpQuotedSeq[key] = (uint32_t)Get16(th + 4) << 16 | Get16(th + 6);
}
} // namespace

bool
HookRouting::RouteInput(Ptr<const Packet> p, const Ipv4Header& h, Ptr<const NetDevice> idev,
                        UnicastForwardCallback ucb, MulticastForwardCallback mcb,
                        LocalDeliverCallback lcb, ErrorCallback ecb)
{
    sim_node* n = m_node;
    if (!n->tcpDf.empty() && h.GetProtocol() == 1)
    {
        NoteIcmpQuote(n, p);
    }
    if (n->hooks[SIM_HOOK_PRE_ROUTING].empty() && n->hooks[SIM_HOOK_LOCAL_IN].empty() &&
        n->hooks[SIM_HOOK_FORWARD].empty())
    {
        return InnerRouteInput(p, h, idev, ucb, mcb, lcb, ecb); // no hooks: no cost
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
bool
HookRouting::Decide(Ptr<const Packet> p, const Ipv4Header& h, Ptr<const NetDevice> idev, int iface,
                    UnicastForwardCallback ucb, MulticastForwardCallback mcb,
                    LocalDeliverCallback lcb, ErrorCallback ecb)
{
    m_node->curIface = iface;
    if (iface == 0 && !m_node->vhosts.empty() && m_node->vhosts.count(h.GetDestination().Get()))
    {
        lcb(p, h, 0);
        return true;
    }
    return InnerRouteInput(p, h, idev, ucb, mcb, lcb, ecb);
}

// The routing list's RouteInput.  With routes from C the list is
// Ipv4StaticRouting (priority 10) then CRouting, and what ns-3 3.37 does
// for a unicast datagram is: Ipv4ListRouting::RouteInput asks
// Ipv4L3Protocol::IsDestinationAddress (local delivery if so), refuses it
// on an interface that does not forward, then asks each protocol in turn;
// Ipv4StaticRouting::RouteInput asks IsDestinationAddress and IsForwarding
// again (the same answers) and forwards on LookupStatic's route if there is
// one; CRouting::RouteInput asks them a third time and forwards on C's
// route.  IsDestinationAddress scans every address of every interface (the
// weak end-system model, ns-3's default), LookupStatic every network route,
// so at a transit router of 1,000 ISPs (about 200 links) the three scans
// were a third of the run.  Here the same decisions are taken once each,
// from caches: the set of every interface's local and broadcast addresses
// (which is what the weak model's scan compares with), and the set of
// destinations for which LookupStatic has no route, and the route it gave
// for each other destination (asked of Ipv4StaticRouting itself the first
// time: RouteOutput, that is LookupStatic with no output device, as
// RouteInput calls it).  The route is ns-3's, built once and handed out again
// instead of an equal copy each time: nothing changes a route once made
// (RouteTo below relies on the same).  The caches are dropped at every notification of an
// address or interface change (which is also what changes ns-3's connected
// static routes) and at every sim_route_add (g.routeGen).  Multicast
// destinations, the strong end-system model and other lists take ns-3's
// own path.
bool
HookRouting::InnerRouteInput(Ptr<const Packet> p, const Ipv4Header& h, Ptr<const NetDevice> idev,
                             UnicastForwardCallback ucb, MulticastForwardCallback mcb,
                             LocalDeliverCallback lcb, ErrorCallback ecb)
{
    if (m_listKind < 0)
    {
        m_listKind = 0;
        Ipv4StaticRouting* st = nullptr;
        CRouting* c = nullptr;
        if (m_inner->GetNRoutingProtocols() == 2)
        {
            int16_t prio;
            st = PeekPointer(DynamicCast<Ipv4StaticRouting>(m_inner->GetRoutingProtocol(0, prio)));
            c = PeekPointer(DynamicCast<CRouting>(m_inner->GetRoutingProtocol(1, prio)));
        }
        if (st && c)
        {
            m_static = st;
            m_c = c;
            m_listKind = 1;
        }
    }
    Ipv4Address dst = h.GetDestination();
    if (m_listKind != 1 || dst.IsMulticast() || !WeakEs())
    {
        return m_inner->RouteInput(p, h, idev, ucb, mcb, lcb, ecb);
    }
    uint32_t iif = m_ipv4->GetInterfaceForDevice(idev);
    if (IsLocal(dst))
    {
        lcb(p, h, iif);
        return true;
    }
    if (!m_ipv4->IsForwarding(iif))
    {
        ecb(p, h, Socket::ERROR_NOROUTETOHOST);
        return true;
    }
    if (m_missAt != m_changes || m_missGen != g.routeGen)
    {
        m_miss.clear();
        m_hit.clear();
        m_missAt = m_changes;
        m_missGen = g.routeGen;
    }
    if (!m_miss.count(dst.Get()))
    {
        auto hit = m_hit.find(dst.Get());
        if (hit != m_hit.end())
        {
            ucb(hit->second, p, h);
            return true;
        }
        Ipv4Header q;
        q.SetDestination(dst);
        Socket::SocketErrno err;
        Ptr<Ipv4Route> r = m_static->RouteOutput(nullptr, q, nullptr, err);
        if (r)
        {
            m_hit.emplace(dst.Get(), r);
            ucb(r, p, h);
            return true;
        }
        m_miss.insert(dst.Get());
    }
    Ptr<Ipv4Route> r = m_c->Lookup(dst);
    if (!r)
    {
        return false;
    }
    ucb(r, p, h);
    return true;
}

// Ipv4L3Protocol's WeakEsModel attribute (its getter is private), read when
// the address set is (re)built: the model sets it only through defaults,
// before the node exists.
bool
HookRouting::WeakEs()
{
    if (m_localAt != m_changes || m_weakEs < 0)
    {
        BooleanValue b;
        m_ipv4->GetAttribute("WeakEsModel", b);
        m_weakEs = b.Get() ? 1 : 0;
    }
    return m_weakEs == 1;
}

// Ipv4L3Protocol::IsDestinationAddress under the weak end-system model for a
// unicast destination: one of the node's addresses or an interface's
// broadcast address, or the limited broadcast.
bool
HookRouting::IsLocal(Ipv4Address dst)
{
    uint32_t nIf = m_ipv4->GetNInterfaces();
    if (m_localAt != m_changes || m_localIfaces != nIf)
    {
        m_local.clear();
        for (uint32_t j = 0; j < nIf; j++)
        {
            for (uint32_t i = 0; i < m_ipv4->GetNAddresses(j); i++)
            {
                Ipv4InterfaceAddress a = m_ipv4->GetAddress(j, i);
                m_local.insert(a.GetLocal().Get());
                m_local.insert(a.GetBroadcast().Get());
            }
        }
        m_localAt = m_changes;
        m_localIfaces = nIf;
    }
    return dst.IsBroadcast() || m_local.count(dst.Get()) > 0;
}

// ---- CRouting: the next hop from C ---------------------------------------

TypeId
CRouting::GetTypeId()
{
    static TypeId tid = TypeId("ns3::HydraNetCRouting")
                            .SetParent<Ipv4RoutingProtocol>()
                            .SetGroupName("Internet")
                            .AddConstructor<CRouting>();
    return tid;
}

// The route to dst on the link C names: out of this node's end of it, via
// the other end's address, from the address of the interface (as
// Ipv4GlobalRouting::LookupGlobal fills it in).  A route on a link that
// does not touch the node is no route.
Ptr<Ipv4Route>
CRouting::Lookup(Ipv4Address dst)
{
    sim_link* l = g.route ? g.route(g.routeCtx, m_node->index, dst.Get()) : nullptr;
    if (!l || (l->node[0] != m_node && l->node[1] != m_node))
    {
        return nullptr;
    }
    int side = l->node[0] == m_node ? 0 : 1;
    Ptr<Ipv4Route> r = Create<Ipv4Route>();
    r->SetDestination(dst);
    r->SetSource(m_ipv4->GetAddress(l->iface[side], 0).GetLocal());
    r->SetGateway(Ipv4Address(l->addr[1 - side]));
    r->SetOutputDevice(l->dev[side]);
    return r;
}

// As Ipv4GlobalRouting::RouteOutput: no multicast; a route out of another
// device than oif (when given) is no route.
Ptr<Ipv4Route>
CRouting::RouteOutput(Ptr<Packet>, const Ipv4Header& h, Ptr<NetDevice> oif,
                      Socket::SocketErrno& err)
{
    Ptr<Ipv4Route> r;
    if (!h.GetDestination().IsMulticast())
    {
        r = Lookup(h.GetDestination());
        if (r && oif && r->GetOutputDevice() != oif)
        {
            r = nullptr;
        }
    }
    err = r ? Socket::ERROR_NOTERROR : Socket::ERROR_NOROUTETOHOST;
    return r;
}

// As Ipv4GlobalRouting::RouteInput: local delivery, no forwarding on an
// interface that does not forward, else forward on the route or decline.
bool
CRouting::RouteInput(Ptr<const Packet> p, const Ipv4Header& h, Ptr<const NetDevice> idev,
                     UnicastForwardCallback ucb, MulticastForwardCallback,
                     LocalDeliverCallback lcb, ErrorCallback ecb)
{
    uint32_t iif = m_ipv4->GetInterfaceForDevice(idev);
    if (m_ipv4->IsDestinationAddress(h.GetDestination(), iif))
    {
        if (lcb.IsNull())
        {
            return false;
        }
        lcb(p, h, iif);
        return true;
    }
    if (!m_ipv4->IsForwarding(iif))
    {
        ecb(p, h, Socket::ERROR_NOROUTETOHOST);
        return true;
    }
    Ptr<Ipv4Route> r = Lookup(h.GetDestination());
    if (!r)
    {
        return false;
    }
    ucb(r, p, h);
    return true;
}

void
CRouting::PrintRoutingTable(Ptr<OutputStreamWrapper> s, Time::Unit) const
{
    *s->GetStream() << "Node: " << (m_node ? m_node->name : std::string("?"))
                    << ", routes computed by the model (next hop per destination)" << std::endl;
}

namespace
{
class CRoutingHelper : public Ipv4RoutingHelper
{
  public:
    CRoutingHelper* Copy() const override { return new CRoutingHelper(*this); }
    Ptr<Ipv4RoutingProtocol> Create(Ptr<Node>) const override { return CreateObject<CRouting>(); }
};
} // namespace

HookRoutingHelper::HookRoutingHelper(bool cRoutes)
{
    m_list.Add(Ipv4StaticRoutingHelper(), 10);
    if (cRoutes)
    {
        m_list.Add(CRoutingHelper(), 0);
    }
    else
    {
        m_list.Add(Ipv4GlobalRoutingHelper(), 0);
    }
}

HookRoutingHelper*
HookRoutingHelper::Copy() const
{
    return new HookRoutingHelper(*this);
}

Ptr<Ipv4RoutingProtocol>
HookRoutingHelper::Create(Ptr<Node> node) const
{
    Ptr<HookRouting> h = CreateObject<HookRouting>();
    h->SetInner(DynamicCast<Ipv4ListRouting>(m_list.Create(node)));
    return h;
}
} // namespace ns3

// ---- route queries ------------------------------------------------------

namespace shim
{
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
} // namespace shim

namespace
{
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
} // namespace

// ---- the C API ----------------------------------------------------------

extern "C" {

// Recompute = delete old global routes, rebuild the database, install: also
// right on the first call.
int
sim_routing_populate(void)
{
    if (!g.up)
    {
        return HN_ESTATE;
    }
    if (!g.route)
    {
        Ipv4GlobalRoutingHelper::RecomputeRoutingTables();
    }
    g.routeGen++;
    return HN_OK;
}

int
sim_routing_from_c(sim_route_fn fn, void* ctx)
{
    if (!g.up || !g.nodes.empty())
    {
        return HN_ESTATE;
    }
    if (!fn)
    {
        return HN_EINVAL;
    }
    g.route = fn;
    g.routeCtx = ctx;
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

} // extern "C"
