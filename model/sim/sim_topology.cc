// sim_topology.cc - nodes and point-to-point links (sim.h: sim_node_create
// .. sim_link_tx_packets, sim_node_add_local_addr, sim_node_add_vhost_addr,
// sim_node_has_addr): the IPv4-only stack with HookRouting, the devices,
// their addresses and counters, and a node's extra local and virtual-host
// addresses.
//
// Does not route (sim_routing.cc decides what a vhost address means to a
// datagram), vary a link's delay (sim_channel.cc) or trace (sim_pcap.cc).

#include "sim/sim_internal.hh"

#include <cstring>
#include <string>

using namespace shim;

namespace
{
// A received frame's way up, without ns-3's two scans of every protocol
// handler of the node.  ns-3 hands it to Node::ReceiveFromDevice, which
// walks the node's handler list (two entries per interface: ARP's and
// IPv4's, both to TrafficControlLayer::Receive) and calls each that matches
// the device and protocol, and TrafficControlLayer::Receive walks its own
// list (two per interface: Ipv4L3Protocol::Receive, ArpL3Protocol::Receive)
// the same way.  Both scans grow with the node's interfaces: a transit
// router of a 70,000-ISP world has some 7,000, and the scans took 30 % of
// that run (EXPERIMENTS.md, "The largest run on one machine").  Neither
// function can be replaced by interposition (the first is called directly
// inside libns3-network, the second is virtual), so the device's receive
// callback, which Node::AddDevice set, is replaced: on these nodes the
// scans find exactly one handler for an IPv4 frame, this device's
// Ipv4L3Protocol::Receive, and none for anything else (a point-to-point
// device delivers IPv4 or IPv6 only, PPP's two protocols, and no IPv6 stack
// is installed; the shim registers no handler of its own).  The call and
// its arguments are those the scans would make (PACKET_HOST is the
// PacketType(0) of Node::NonPromiscReceiveFromDevice); no event differs.
void
SetDirectReceive(Ptr<PointToPointNetDevice> dev, Ipv4L3Protocol* ip)
{
    dev->SetReceiveCallback(NetDevice::ReceiveCallback(
        [ip](Ptr<NetDevice> d, Ptr<const Packet> p, uint16_t protocol, const Address& from) {
            if (protocol != Ipv4L3Protocol::PROT_NUMBER)
            {
                return false;
            }
            ip->Receive(d, p, protocol, from, d->GetAddress(), NetDevice::PACKET_HOST);
            return true;
        }));
}
} // namespace

extern "C" {

// IPv4 only, routing = HookRouting over static + global (or, with
// sim_routing_from_c, static + CRouting).  The name must be usable in a file
// name (no '/').
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
    n->index = g.nodes.size();
    InternetStackHelper stack;
    stack.SetIpv6StackInstall(false);
    stack.SetRoutingHelper(HookRoutingHelper(g.route != nullptr));
    stack.Install(n->node);
    n->ip = n->node->GetObject<Ipv4L3Protocol>();
    Ptr<HookRouting> hook = DynamicCast<HookRouting>(n->ip->GetRoutingProtocol());
    hook->SetSimNode(n.get());
    Ptr<Ipv4ListRouting> list = hook->GetInner();
    for (uint32_t i = 0; i < list->GetNRoutingProtocols(); i++)
    {
        int16_t prio;
        if (Ptr<CRouting> c = DynamicCast<CRouting>(list->GetRoutingProtocol(i, prio)))
        {
            c->SetSimNode(n.get());
        }
    }
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
// helper's, as they always were.  The name only names pcap files.
sim_link*
sim_link_create(sim_node* a, sim_node* b, const struct sim_link_config* cfg, uint32_t addr_a,
                uint32_t addr_b, uint8_t prefix_len)
{
    bool cfgOk = cfg && cfg->rate_bps > 0 && cfg->mtu_bytes >= 68 && cfg->mtu_bytes <= 65535 &&
                 cfg->queue_packets > 0 && cfg->loss_rate >= 0.0 && cfg->loss_rate <= 1.0 &&
                 (!cfg->name || !std::strchr(cfg->name, '/'));
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
    l->name = cfg->name ? cfg->name : "";
    sim_node* ends[2] = {a, b};
    uint32_t addrs[2] = {addr_a, addr_b};
    for (int side = 0; side < 2; side++)
    {
        Ptr<Ipv4L3Protocol> ip = ends[side]->ip;
        l->node[side] = ends[side];
        l->dev[side] = DynamicCast<PointToPointNetDevice>(devs.Get(side));
        l->addr[side] = addrs[side];
        l->iface[side] = ip->AddInterface(l->dev[side]);
        SetDirectReceive(l->dev[side], PeekPointer(ip));
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

} // extern "C"
