// sim_fail.cc - failures (sim.h: sim_node_set_down, sim_link_set_down,
// sim_node_is_down): a crashed node and a link that went silent.
//
// A link end that is down is an IPv4 interface set down
// (Ipv4L3Protocol::SetDown): ns-3 drops every datagram it would send on it
// and every datagram that arrives on it ("Interface down" in
// Ipv4L3Protocol::Receive and Send).  Global routing is not told
// (GlobalRouter's RespondToInterfaceEvents stays false): the rest of the
// network keeps routing to the node, as a network does to a host server
// that crashed; nothing recomputes routes around a failed link either (the
// model has no dynamic routing protocol).  A crashed node has every
// interface down and its TCP connections are gone: their sockets are
// closed and detached from C (no callback fires), so nothing of them is
// left when the node comes back.  Listening sockets and UDP sockets stay:
// the daemons and servers of the node are the world's to stop and start
// (model/world/failures.c).

#include "sim/sim_internal.hh"

using namespace shim;

namespace
{
void
SetIface(sim_node* n, uint32_t iface, bool down)
{
    if (iface == 0 || iface >= n->ip->GetNInterfaces())
    {
        return; // never the loopback
    }
    if (down)
    {
        n->ip->SetDown(iface);
    }
    else
    {
        n->ip->SetUp(iface);
    }
}
} // namespace

extern "C" {

int
sim_link_set_down(sim_link* l, bool down)
{
    if (!g.up || !l)
    {
        return HN_EINVAL;
    }
    if (l->down == down)
    {
        return HN_ESTATE;
    }
    for (int side = 0; side < 2; side++)
    {
        // An end of a crashed node stays down until the node restarts.
        if (!down && l->node[side]->down)
        {
            continue;
        }
        SetIface(l->node[side], l->iface[side], down);
    }
    l->down = down;
    g.routeGen++;
    return HN_OK;
}

int
sim_node_set_down(sim_node* n, bool down, size_t* closed)
{
    size_t lost = 0;
    if (!g.up || !n)
    {
        return HN_EINVAL;
    }
    if (n->down == down)
    {
        return HN_ESTATE;
    }
    n->down = down;
    for (auto& l : g.links)
    {
        for (int side = 0; side < 2; side++)
        {
            if (l->node[side] == n && (down || !l->down))
            {
                SetIface(n, l->iface[side], down);
            }
        }
    }
    if (down)
    {
        for (auto& s : g.socks)
        {
            if (s->node == n && s->tcp && !s->closed && !s->listening)
            {
                sim_sock_close(s.get());
                lost++;
            }
        }
    }
    g.routeGen++;
    if (closed)
    {
        *closed = lost;
    }
    return HN_OK;
}

bool
sim_node_is_down(const sim_node* n)
{
    return n && n->down;
}

} // extern "C"
