// sim_timewait.cc - TIME_WAIT kept in a compact record instead of ns-3's
// whole socket (sim.h: sim_tcp_timewait_compact, sim_tcp_timewait_live).
//
// ns-3 3.37 keeps a connection in TIME_WAIT as the whole TcpSocketBase
// (about 7 KB with its buffers, congestion state and some 40 callbacks) for
// 2 MSL = 240 s, longer than most runs: at Internet scale that is most of a
// run's memory (EXPERIMENTS.md, "Memory per finished connection").  Linux
// keeps an inet_timewait_sock instead (net/ipv4/inet_timewait_sock.c), and
// FreeBSD a struct tcptw (netinet/tcp_timewait.c): the 4-tuple and the few
// numbers TIME_WAIT still needs.  This file does the same for ns-3's socket
// and keeps ns-3 3.37's behaviour in TIME_WAIT exactly, which is:
//   - the endpoint stays allocated (the 4-tuple and local port stay taken)
//     until 2 MSL after the socket entered TIME_WAIT;
//   - a segment with data out of the receive window is answered with an ACK
//     (TcpSocketBase::ForwardUp -> IsValidTcpSegment -> SendEmptyPacket(ACK):
//     in TIME_WAIT every segment with data is out of the window, as the
//     window ends at the peer's FIN);
//   - every other segment runs DoForwardUp's processing before its
//     `case TIME_WAIT: // Do nothing`: the RTT estimate and the peer's
//     window (UpdateWindowSize), which nothing reads again, except that a
//     peer window of 0 makes ns-3 start zero-window probes from TIME_WAIT.
//     The record tracks the window as UpdateWindowSize does and counts that
//     case (tcp.timewait_zero_window) instead of probing, as Linux and
//     FreeBSD do not probe from TIME_WAIT either;
//   - ICMP for the connection goes to the socket's ICMP callback, null for
//     the sockets moved here.
// Only sockets whose TIME_WAIT this reproduces byte for byte are moved:
// released ones (sim_sock_release: nothing outside ns-3 holds them) without
// SACK blocks to send, ECN, an IP TOS, IPv6 options, an ICMP callback or
// connected Tx/Rx traces, with no timer but TIME_WAIT's running and a peer
// window above 0.  RFC 1323 timestamps are kept as ns-3 keeps them (a
// segment without one is dropped, the ACK echoes the latest in-order one).  The others keep ns-3's socket (counted,
// tcp.timewait_whole).
//
// When: the State trace tells when a watched socket enters TIME_WAIT, inside
// its own TcpSocketBase::TimeWait, with the socket's code still on the stack
// and, possibly, its ScheduleNow'd notifications pending.  The move waits
// for the start of a C event (sim_schedule's trampoline) at a later
// simulated time, where neither can be.
//
// What differs: the expiry is the record's event, at the instant ns-3's
// would have fired (the socket's is removed from the queue, so the event
// count stays the same); among events at that very nanosecond it now comes
// after those scheduled before the move.  The
// `tcp_timewait = whole` key ([simulation]) keeps every socket whole, to
// compare; tests/scenario/test_timewait.sh compares runs byte for byte.

#include "sim/sim_internal.hh"

using namespace shim;

namespace shim
{
// One connection in TIME_WAIT: what ns-3's socket would still use.
struct TwRecord
{
    TwRecord* prev;
    TwRecord* next;
    Ipv4EndPoint* ep; // still allocated in the node's TCP demux; null once ns-3 freed it
    Ptr<TcpL4Protocol> tcp;
    Ptr<NetDevice> dev; // the socket's bound device (SendPacket's oif), usually null
    sim_node* node;
    EventId expiry;
    SequenceNumber32 nextTx;     // the ACK's sequence number (m_nextTxSequence)
    SequenceNumber32 nextRx;     // rx buffer's NextRxSequence: the ACK's number
    SequenceNumber32 maxRx;      // rx buffer's MaxRxSequence (the peer's FIN)
    SequenceNumber32 highRxMark; // UpdateWindowSize's state
    SequenceNumber32 highRxAck;
    uint32_t rWnd;
    uint16_t advWnd; // AdvertisedWindowSize(): constant once the FIN is in
    uint8_t sndWindShift;
    uint8_t ttl; // SocketIpTtlTag, when manualTtl
    uint8_t priority; // SocketPriorityTag, when not 0
    bool manualTtl;
    bool zeroWindow; // counted once
    // RFC 1323 timestamps (the modern profile): ProcessOptionTimestamp's
    // state and what AddOptionTimestamp echoes.
    bool tsOn;
    uint32_t tsRecent;          // m_tcb->m_rcvTimestampValue
    uint32_t tsToEcho;          // m_timestampToEcho
    SequenceNumber32 highTxAck; // m_highTxAck: the highest ACK sent
};
} // namespace shim

namespace
{
void
Unlink(TwRecord* r)
{
    (r->prev ? r->prev->next : g.twHead) = r->next;
    if (r->next)
    {
        r->next->prev = r->prev;
    }
    g.twLive--;
}

// 2 MSL after TIME_WAIT began: CloseAndNotify's DeallocateEndPoint.
void
Expire(TwRecord* r)
{
    if (r->ep)
    {
        r->ep->SetDestroyCallback(MakeNullCallback<void>());
        r->tcp->DeAllocate(r->ep);
    }
    Unlink(r);
    delete r;
}

// The demux was destroyed with its node (sim_destroy): the endpoint is gone.
void
EndPointGone(TwRecord* r)
{
    r->ep = nullptr;
}

// TcpSocketBase::SendEmptyPacket(TcpHeader::ACK) in TIME_WAIT, with the
// socket's tags (AddSocketTags) and options (AddOptions: none without
// timestamps).
void
SendAck(TwRecord* r)
{
    Ptr<Packet> p = Create<Packet>();
    if (r->manualTtl)
    {
        SocketIpTtlTag tag;
        tag.SetTtl(r->ttl);
        p->AddPacketTag(tag);
    }
    if (r->priority)
    {
        SocketPriorityTag tag;
        tag.SetPriority(r->priority);
        p->ReplacePacketTag(tag);
    }
    TcpHeader h;
    h.SetFlags(TcpHeader::ACK);
    h.SetSequenceNumber(r->nextTx);
    h.SetAckNumber(r->nextRx);
    h.SetSourcePort(r->ep->GetLocalPort());
    h.SetDestinationPort(r->ep->GetPeerPort());
    if (r->tsOn)
    {
        Ptr<TcpOptionTS> ts = CreateObject<TcpOptionTS>();
        ts->SetTimestamp(TcpOptionTS::NowToTsValue());
        ts->SetEcho(r->tsToEcho);
        h.AppendOption(ts);
    }
    h.SetWindowSize(r->advWnd);
    if (r->highTxAck < r->nextRx)
    {
        r->highTxAck = r->nextRx;
    }
    r->tcp->SendPacket(p, h, r->ep->GetLocalAddress(), r->ep->GetPeerAddress(), r->dev);
    r->node->stats.tw_acks++;
}

// ProcessOptionTimestamp.
void
Timestamp(TwRecord* r, const TcpHeader& th)
{
    Ptr<const TcpOptionTS> ts = DynamicCast<const TcpOptionTS>(th.GetOption(TcpOption::TS));
    if (r->tsRecent > ts->GetTimestamp())
    {
        return; // not a smaller one (reordering)
    }
    r->tsRecent = ts->GetTimestamp();
    if (th.GetSequenceNumber() == r->nextRx && th.GetSequenceNumber() <= r->highTxAck)
    {
        r->tsToEcho = ts->GetTimestamp();
    }
}

// The endpoint's receive callback: TcpSocketBase::ForwardUp and DoForwardUp
// for a socket in TIME_WAIT (see the top of the file).
void
Receive(TwRecord* r, Ptr<Packet> packet, Ipv4Header, uint16_t, Ptr<Ipv4Interface>)
{
    TcpHeader th;
    uint32_t hlen = packet->PeekHeader(th);
    if (hlen == 0 || hlen > 60)
    {
        return; // IsValidTcpSegment
    }
    uint32_t data = packet->GetSize() - hlen;
    if (data > 0)
    {
        // OutOfRange() in TIME_WAIT (neither LISTEN, SYN_*, LAST_ACK,
        // CLOSING nor CLOSE_WAIT).
        SequenceNumber32 head = th.GetSequenceNumber();
        SequenceNumber32 tail = head + data;
        if (tail < r->nextRx || r->maxRx <= head)
        {
            SendAck(r);
            return;
        }
    }
    uint8_t f = th.GetFlags();
    if (f & TcpHeader::SYN)
    {
        r->rWnd = th.GetWindowSize(); // not scaled on a SYN (RFC 7323)
        if (th.HasOption(TcpOption::TS) && r->tsOn)
        {
            Timestamp(r, th);
        }
        else
        {
            r->tsOn = false;
        }
        if (f & TcpHeader::ACK)
        {
            r->highRxAck = th.GetAckNumber();
        }
    }
    else if (f & TcpHeader::ACK)
    {
        if (r->tsOn)
        {
            if (!th.HasOption(TcpOption::TS))
            {
                return; // RFC 7323: a segment without TS is dropped
            }
            Timestamp(r, th);
        }
        // UpdateWindowSize, state past ESTABLISHED.
        uint32_t w = (uint32_t)th.GetWindowSize() << r->sndWindShift;
        bool update = th.GetAckNumber() == r->highRxAck && w > r->rWnd;
        if (th.GetAckNumber() > r->highRxAck)
        {
            r->highRxAck = th.GetAckNumber();
            update = true;
        }
        if (th.GetSequenceNumber() > r->highRxMark)
        {
            r->highRxMark = th.GetSequenceNumber();
            update = true;
        }
        if (update)
        {
            r->rWnd = w;
        }
    }
    if (r->rWnd == 0 && !r->zeroWindow)
    {
        r->zeroWindow = true; // ns-3 would start its persist timer here
        r->node->stats.tw_zero_window++;
    }
}

// Whether the record reproduces t's TIME_WAIT exactly (top of the file).
bool
Movable(TcpSocketBase& t)
{
    Ptr<TcpSocketState> tcb = t.*TcpAccess::Tcb();
    return (t.*TcpAccess::State()).Get() == TcpSocket::TIME_WAIT &&
           t.*TcpAccess::EndPoint() != nullptr && t.*TcpAccess::EndPoint6() == nullptr &&
           tcb->m_rxBuffer->GotFin() &&
           tcb->m_rxBuffer->GetSackListSize() == 0 &&
           tcb->m_ecnState.Get() == TcpSocketState::ECN_DISABLED &&
           tcb->m_ecnMode != TcpSocketState::DctcpEcn && t.GetIpTos() == 0 &&
           !(t.*TcpAccess::ManualTclass())() && !(t.*TcpAccess::ManualHopLimit())() &&
           (t.*TcpAccess::Icmp()).IsNull() && (t.*TcpAccess::TxTrace()).IsEmpty() &&
           (t.*TcpAccess::RxTrace()).IsEmpty() && (t.*TcpAccess::RWnd()).Get() != 0 &&
           !(t.*TcpAccess::RetxEvent()).IsRunning() &&
           !(t.*TcpAccess::PersistEvent()).IsRunning() &&
           !(t.*TcpAccess::DelAckEvent()).IsRunning() &&
           !(t.*TcpAccess::LastAckEvent()).IsRunning() &&
           !(t.*TcpAccess::SendPendingEvent()).IsRunning() &&
           (t.*TcpAccess::TimewaitEvent()).IsRunning();
}

void
Move(const Ptr<TcpSocketBase>& sock, sim_node* n)
{
    TcpSocketBase& t = *sock;
    if (!g.twCompact || !Movable(t))
    {
        n->stats.tw_whole++;
        return;
    }
    Ptr<TcpSocketState> tcb = t.*TcpAccess::Tcb();
    Ipv4EndPoint* ep = t.*TcpAccess::EndPoint();
    auto* r = new TwRecord{};
    r->ep = ep;
    r->tcp = t.*TcpAccess::Tcp();
    r->dev = t.*TcpAccess::BoundDevice();
    r->node = n;
    r->nextTx = tcb->m_nextTxSequence.Get();
    r->nextRx = tcb->m_rxBuffer->NextRxSequence();
    r->maxRx = tcb->m_rxBuffer->MaxRxSequence();
    r->highRxMark = (t.*TcpAccess::HighRxMark()).Get();
    r->highRxAck = (t.*TcpAccess::HighRxAckMark()).Get();
    r->rWnd = (t.*TcpAccess::RWnd()).Get();
    r->advWnd = (t.*TcpAccess::AdvWnd())(true);
    r->sndWindShift = t.*TcpAccess::SndWindShift();
    r->manualTtl = (t.*TcpAccess::ManualTtl())();
    r->ttl = t.GetIpTtl();
    r->priority = t.GetPriority();
    r->tsOn = t.*TcpAccess::TimestampEnabled();
    r->tsRecent = tcb->m_rcvTimestampValue;
    r->tsToEcho = t.*TcpAccess::TimestampToEcho();
    r->highTxAck = t.*TcpAccess::HighTxAck();

    // The endpoint now belongs to the record: its callbacks drop their
    // references to the socket, and the socket forgets it (its destructor
    // would free it).
    ep->SetRxCallback(MakeBoundCallback(&Receive, r));
    ep->SetIcmpCallback(
        MakeNullCallback<void, Ipv4Address, uint8_t, uint8_t, uint8_t, uint32_t>());
    ep->SetDestroyCallback(MakeBoundCallback(&EndPointGone, r));
    t.*TcpAccess::EndPoint() = nullptr;
    // Removed, not cancelled: a cancelled event still counts as run when its
    // time comes (DefaultSimulatorImpl::ProcessOneEvent), and the record's
    // takes its place one for one.
    EventId& tw = t.*TcpAccess::TimewaitEvent();
    r->expiry = Simulator::Schedule(Simulator::GetDelayLeft(tw), &Expire, r);
    Simulator::Remove(tw);
    r->tcp->RemoveSocket(sock); // ns-3's last reference but `sock`

    r->next = g.twHead;
    if (g.twHead)
    {
        g.twHead->prev = r;
    }
    g.twHead = r;
    g.twLive++;
    n->stats.tw_compact++;
}
} // namespace

void
shim::TimeWaitWatch(Ptr<TcpSocketBase> t, sim_node* n)
{
    if (((*t).*TcpAccess::State()).Get() == TcpSocket::TIME_WAIT)
    {
        g.twReady.push_back({t, n, Simulator::Now().GetTimeStep()});
        return;
    }
    TcpSocketBase* raw = PeekPointer(t); // the callback lives inside *raw
    t->TraceConnectWithoutContext(
        "State",
        Callback<void, TcpSocket::TcpStates_t, TcpSocket::TcpStates_t>(
            [raw, n](TcpSocket::TcpStates_t, TcpSocket::TcpStates_t now) {
                if (now == TcpSocket::TIME_WAIT)
                {
                    g.twReady.push_back({Ptr<TcpSocketBase>(raw), n,
                                         Simulator::Now().GetTimeStep()});
                }
            }));
}

void
shim::TimeWaitConvert()
{
    int64_t now = Simulator::Now().GetTimeStep();
    size_t keep = 0;
    for (size_t i = 0; i < g.twReady.size(); i++)
    {
        TwReady& w = g.twReady[i];
        if (w.since < now)
        {
            Move(w.sock, w.node);
            w.sock = nullptr;
        }
        else
        {
            g.twReady[keep++] = w; // entered at this instant: next time
        }
    }
    g.twReady.resize(keep);
}

void
shim::TimeWaitReset()
{
    g.twReady.clear();
    while (g.twHead)
    {
        TwRecord* r = g.twHead;
        Unlink(r);
        delete r;
    }
    g.twCompact = true;
}

extern "C" {

void
sim_tcp_timewait_compact(bool on)
{
    g.twCompact = on;
}

uint64_t
sim_tcp_timewait_live(void)
{
    return g.twLive;
}

} // extern "C"
