// sim_channel.cc - links whose one-way delay varies per packet
// (sim_link_config.extra_delay): VaryingDelayChannel, and the devices a
// link gets on it (InstallVaryingDelay).
//
// Does not make links without an extra delay (sim_topology.cc gives those
// PointToPointHelper's channel) and does not address, trace or count them.

#include "sim/sim_internal.hh"

#include <algorithm>
#include <climits>

using namespace shim;

namespace ns3
{
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

namespace shim
{
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
} // namespace shim
