// sim_socket.cc - TCP and UDP sockets with C callbacks (sim.h: sim_tcp_socket
// .. sim_sock_local): ns-3 sockets behind sim_sock handles, their callbacks
// turned into sim_sock_ops calls, ns-3's socket errno into statuses.
//
// Does not touch datagrams (the sockets' segments pass the hooks of
// sim_hooks.cc and sim_routing.cc like any other) and does not ping.

#include "sim/sim_internal.hh"

#include <algorithm>

#include <climits>

using namespace shim;

namespace
{
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
    s->self = std::prev(g.socks.end());
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

// ---- path MTU discovery for ns-3's TCP ----------------------------------
//
// ns-3 3.37's TCP does nothing on ICMP fragmentation needed: TcpSocketBase::
// ForwardIcmp only calls its m_icmpCallback (no public setter), and
// SetSegSize aborts unless the socket is CLOSED ("Cannot change segment
// size dynamically").  RFC 1191 section 6 wants the sender to lower its
// segment size to the reported next-hop MTU - 40 and retransmit.  The shim
// does that through pointers to TcpSocketBase's protected members
// (TcpAccess, sim_internal.hh).

constexpr uint32_t kIpTcpHeaders = 40; // RFC 879: 20 IP + 20 TCP bytes
// Linux 6.1 net/ipv4/route.c: ip_rt_min_pmtu = DEFAULT_MIN_PMTU = 512 + 20 +
// 20; __ip_rt_update_pmtu takes a smaller reported MTU as 552 and locks it.
constexpr uint32_t kMinPmtu = 552;
// Linux 6.1 include/net/tcp.h: TCP_RTO_MIN (HZ / 5) and sysctl tcp_retries1
// (TCP_RETR1, 3): retransmits_timed_out(sk, tcp_retries1, 0) in
// tcp_write_timeout is true tcp_model_timeout(3, TCP_RTO_MIN) =
// ((2 << 3) - 1) * 200 ms = 3 s after the first retransmission (retrans_stamp,
// tcp_output.c tcp_retransmit_skb).
constexpr uint64_t kBlackholeTimeoutNs = 15ull * 200000000ull;
// Linux 6.1 sysctls tcp_mtu_probe_floor and tcp_min_snd_mss (TCP_MIN_SND_MSS
// and TCP_MIN_SND_MSS): 48 bytes.
constexpr uint32_t kMinSndMss = 48;
// Linux 6.1 sysctl tcp_probe_threshold: stop searching when search_high -
// search_low is below 8 bytes.
constexpr uint32_t kProbeThreshold = 8;

// The socket's flow as ICMP quotes it: (peer << 32 | local port << 16 |
// peer port), or 0 when it has no peer yet.
uint64_t
FlowKey(Ptr<Socket> so)
{
    Address l, r;
    if (so->GetSockName(l) != 0 || so->GetPeerName(r) != 0 ||
        !InetSocketAddress::IsMatchingType(l) || !InetSocketAddress::IsMatchingType(r))
    {
        return 0;
    }
    InetSocketAddress a = InetSocketAddress::ConvertFrom(l), b = InetSocketAddress::ConvertFrom(r);
    return (uint64_t)b.GetIpv4().Get() << 32 | (uint64_t)a.GetPort() << 16 | b.GetPort();
}

// The segment size becomes mss (smaller than it is): ns-3's socket state and
// its send buffer, whose items are cut to it from now on.
void
SetMss(Ptr<TcpSocketBase> t, uint32_t mss)
{
    Ptr<TcpSocketState> tcb = (*t).*TcpAccess::Tcb();
    tcb->m_segmentSize = mss;
    Ptr<TcpTxBuffer> tx = (*t).*TcpAccess::TxBuffer();
    tx->SetSegmentSize(mss);
}

// ICMP to the TCP socket s: on fragmentation needed (type 3, code 4) whose
// quoted sequence number lies in [snd_una, snd_max] (Linux tcp_v4_err; else
// counted and ignored) with a next-hop MTU below the current segment size +
// 40, the segment size becomes MTU - 40 and the oldest unacknowledged
// segment is sent again at once (RFC 1191 section 6; Linux
// tcp_v4_mtu_reduced), the others in flight as the window allows.  An MTU
// below 552 is taken as 552 and DF goes off for the socket, as Linux's
// locked route MTU does (ip_dont_fragment with IP_PMTUDISC_WANT).  An ICMP
// without an MTU (RFC 1191 section 5, old routers) counts as one below 552.
void
OnTcpIcmp(sim_sock* s, uint8_t type, uint8_t code, uint32_t info)
{
    // Also after sim_sock_close: the connection still sends what is queued.
    Ptr<TcpSocketBase> t = DynamicCast<TcpSocketBase>(s->so);
    if (!t || type != Icmpv4Header::ICMPV4_DEST_UNREACH ||
        code != Icmpv4DestinationUnreachable::ICMPV4_FRAG_NEEDED)
    {
        return;
    }
    sim_stack_stats& st = s->node->stats;
    auto q = s->node->icmpQuotedSeq.find(FlowKey(s->so));
    if (q == s->node->icmpQuotedSeq.end())
    {
        st.drops[SIM_STACK_DROP_ICMP_NO_QUOTE]++;
        return;
    }
    SequenceNumber32 seq(q->second);
    s->node->icmpQuotedSeq.erase(q);
    Ptr<TcpSocketState> tcb = (*t).*TcpAccess::Tcb();
    Ptr<TcpTxBuffer> tx = (*t).*TcpAccess::TxBuffer();
    if (seq < tx->HeadSequence() || seq > tcb->m_highTxMark.Get())
    {
        st.drops[SIM_STACK_DROP_ICMP_OUT_OF_WINDOW]++;
        return;
    }
    bool floored = info < kMinPmtu;
    uint32_t mss = (floored ? kMinPmtu : info) - kIpTcpHeaders;
    if (floored)
    {
        st.pmtu_floored++;
        s->df = false; // the route's MTU is locked: DF off
        auto& v = s->node->tcpDf;
        v.erase(std::remove(v.begin(), v.end(), s), v.end());
    }
    if (mss >= tcb->m_segmentSize)
    {
        st.icmp_not_lower++;
        return;
    }
    SetMss(t, mss);
    s->pmtuLowered++;
    st.pmtu_lowered++;
    // Linux's tcp_simple_retransmit marks lost the segments in flight longer
    // than the new MSS and sends them again; ns-3's buffer can only mark the
    // whole sent list lost (as its RTO does).  Every segment in flight here
    // was cut to the old size, so that is nearly the same.  DoRetransmit then
    // sends the head again at the new size (without that, RFC 6675's NextSeg
    // would send new data and the head would wait for the RTO).
    tx->SetSentListLost();
    ((*t).*(TcpAccess::Retransmit()))();
}

// tcp_mtup_probe_failed: the probe's size - 1 is the new search_high; the
// probe's data goes again at the MSS (ns-3 cuts it to m_segmentSize).
void
ProbeFailed(sim_sock* s, Ptr<TcpSocketState> tcb)
{
    s->searchHighMss = s->probeMss - 1;
    s->probeMss = 0;
    s->probesFailed++;
    (void)tcb;
}

// Tcp "Tx" trace (SendDataPacket, before the segment goes to IP): the armed
// probe leaves; the segment size goes back to the MSS at once, so the rest
// of SendPendingData's loop sends MSS segments.
void
OnTcpTx(sim_sock* s, Ptr<const Packet> p, const TcpHeader& h)
{
    if (!s->probeArmed)
    {
        return;
    }
    Ptr<TcpSocketBase> t = DynamicCast<TcpSocketBase>(s->so);
    Ptr<TcpSocketState> tcb = (*t).*TcpAccess::Tcb();
    s->probeArmed = false;
    uint32_t probe = tcb->m_segmentSize;
    tcb->m_segmentSize = s->armedFromMss;
    ((*t).*TcpAccess::TxBuffer())->SetSegmentSize(s->armedFromMss);
    if (p->GetSize() == probe)
    {
        s->probeMss = probe;
        s->probeSeqStart = h.GetSequenceNumber().GetValue();
        s->probeSeqEnd = s->probeSeqStart + probe;
        s->probeDupAcks = 0;
        s->probesSent++;
    }
}

// Tcp "Rx" trace (DoForwardUp, before the segment is processed): the ACK
// decides a probe in flight (tcp_mtup_probe_success when it covers the
// probe; failed at the third duplicate ACK of its start, when ns-3's fast
// retransmit sends it again), and, with none in flight, whether the next new
// segment is a probe (tcp_mtu_probe's conditions).
void
OnTcpRx(sim_sock* s, const TcpHeader& h)
{
    Ptr<TcpSocketBase> t = DynamicCast<TcpSocketBase>(s->so);
    if (!t || !s->mtupEnabled || !(h.GetFlags() & TcpHeader::ACK))
    {
        return;
    }
    Ptr<TcpSocketState> tcb = (*t).*TcpAccess::Tcb();
    Ptr<TcpTxBuffer> tx = (*t).*TcpAccess::TxBuffer();
    SequenceNumber32 ack = h.GetAckNumber();
    if (s->probeMss)
    {
        if (ack >= SequenceNumber32(s->probeSeqEnd))
        {
            s->searchLowMss = s->probeMss; // search_low = probe_size
            s->probeMss = 0;
            s->probesOk++;
            SetMss(t, s->searchLowMss); // tcp_sync_mss
        }
        else if (ack == SequenceNumber32(s->probeSeqStart) && ++s->probeDupAcks > 3)
        {
            ProbeFailed(s, tcb);
        }
        return;
    }
    uint32_t mss = tcb->m_segmentSize;
    uint32_t probe = (s->searchLowMss + s->searchHighMss) / 2; // MTUs halved, - 40
    if (s->probeArmed || s->searchHighMss < s->searchLowMss + kProbeThreshold ||
        probe <= mss || tcb->m_congState != TcpSocketState::CA_OPEN || tcb->m_cWnd < 11 * mss ||
        tx->SizeFromSequence(tcb->m_nextTxSequence) < probe + 4 * mss)
    {
        return;
    }
    // ns-3 cuts a new segment to the smaller of the socket's and its send
    // buffer's segment size (TcpTxBuffer::NextSeg): both, for one segment.
    s->probeArmed = true;
    s->armedFromMss = mss;
    tcb->m_segmentSize = probe;
    tx->SetSegmentSize(probe);
}

// The RTO trace of a socket with black-hole detection: ns-3's ReTxTimeout
// doubles m_rto (min(2 rto, 60 s)) after marking the segments in flight
// lost and before it sets cwnd to one segment and sends the head again, so
// a segment size lowered here is what that retransmission uses.  Linux's
// tcp_retransmit_timer runs tcp_write_timeout (and its black-hole check)
// at the same point, before tcp_retransmit_skb.  Only a doubling inside
// the retransmission event itself counts (an RTT sample sets m_rto too).
void
OnRto(sim_sock* s, Time oldRto, Time newRto)
{
    Ptr<TcpSocketBase> t = DynamicCast<TcpSocketBase>(s->so);
    if (!t || s->mtuProbing == SIM_MTU_PROBING_OFF || !s->df)
    {
        return;
    }
    const EventId& ev = (*t).*TcpAccess::RetxEvent();
    Time doubled = Min(oldRto + oldRto, Seconds(60));
    if (newRto != doubled || ev.GetTs() != (uint64_t)Simulator::Now().GetTimeStep() ||
        !ev.IsExpired() || ((*t).*TcpAccess::State()).Get() < TcpSocket::ESTABLISHED)
    {
        return;
    }
    Ptr<TcpSocketState> tcb = (*t).*TcpAccess::Tcb();
    Ptr<TcpTxBuffer> tx = (*t).*TcpAccess::TxBuffer();
    uint64_t now = (uint64_t)Simulator::Now().GetNanoSeconds();
    uint32_t head = tx->HeadSequence().GetValue();
    if (s->probeMss && head == s->probeSeqStart)
    {
        ProbeFailed(s, tcb);
    }
    if (head != s->rtoHead)
    {
        // snd_una moved since the last RTO: Linux's tcp_ack zeroes
        // icsk_retransmits and the recovery clears retrans_stamp.
        s->rtoHead = head;
        s->retransmits = 0;
        s->retransStampNs = 0;
    }
    if (s->retransmits > 0 && now - s->retransStampNs >= kBlackholeTimeoutNs)
    {
        // tcp_mtu_probing(): the first time, enable (the MSS falls to
        // search_low's, base_mss); after, halve search_low's MSS.
        uint32_t mss;
        if (!s->mtupEnabled)
        {
            s->mtupEnabled = true;
            s->searchLowMss = s->baseMss;
            s->searchHighMss = tcb->m_segmentSize; // tcp_mtup_init: mss_clamp + 40
            mss = s->baseMss;
        }
        else
        {
            mss = std::min(s->baseMss, s->searchLowMss >> 1);
            mss = std::max(mss, kMinSndMss);
            s->searchLowMss = mss;
        }
        // tcp_sync_mss: the smaller of the path MTU's MSS and search_low's.
        if (mss < tcb->m_segmentSize)
        {
            SetMss(t, mss);
            s->blackholeLowered++;
            s->node->stats.blackhole_lowered++;
        }
    }
    s->retransmits++;
    if (!s->retransStampNs)
    {
        s->retransStampNs = now;
    }
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

void
shim::FreeReleased()
{
    using SockCb = Callback<void, Ptr<Socket>>;
    for (sim_sock* s : g.released)
    {
        Ptr<Socket> so = s->so;
        so->SetRecvCallback(MakeNullCallback<void, Ptr<Socket>>());
        so->SetSendCallback(MakeNullCallback<void, Ptr<Socket>, uint32_t>());
        so->SetConnectCallback(SockCb(), SockCb());
        so->SetAcceptCallback(MakeNullCallback<bool, Ptr<Socket>, const Address&>(),
                              MakeNullCallback<void, Ptr<Socket>, const Address&>());
        so->SetCloseCallbacks(SockCb(), SockCb());
        if (s->tcp)
        {
            TimeWaitWatch(DynamicCast<TcpSocketBase>(so), s->node);
        }
        g.socks.erase(s->self); // frees s; ns-3 keeps `so` while its protocol needs it
        g.socksFreed++;
    }
    g.released.clear();
}

// ---- the C API ----------------------------------------------------------

extern "C" {

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
    s->listening = true; // sim_node_set_down keeps it
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
    // IP_MTU_DISCOVER: a datagram that cannot leave whole is refused, as
    // Linux's ip_output refuses it (EMSGSIZE), not cut.
    Ptr<Ipv4Route> r = s->df ? RouteTo(s->node, addr) : nullptr;
    if (r && kHdrLen + 8 + len > r->GetOutputDevice()->GetMtu()) // + 8: the UDP header
    {
        return HN_EMSGSIZE;
    }
    // ns-3 3.37's UdpSocketImpl::SendTo takes the TOS from the address,
    // not from the socket's IP_TOS: carry the socket's there.
    InetSocketAddress to(Ipv4Address(addr), port);
    to.SetTos(s->so->GetIpTos());
    int sent = s->so->SendTo(Create<Packet>(buf, (uint32_t)len), 0, to);
    return sent >= 0 ? sent : SockStatus(s);
}

size_t
sim_sock_tx_avail(const sim_sock* s)
{
    return s && !s->closed ? s->so->GetTxAvailable() : 0;
}

// After this no callback of s fires (ns-3 keeps closing the connection in
// the background: queued data, FIN, TIME_WAIT).  The handle stays valid
// until sim_destroy (sim_sock_release gives it back earlier).
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

// Closes s (when still open) and gives the handle back.  A handle whose
// wrapper still acts after the close stays until sim_destroy: a listener
// (accepts after close are closed by OnAccept), DF (ICMP fragmentation
// needed lowers the segment size while queued data drains) and MTU probing
// (the RTO and segment traces).
int
sim_sock_release(sim_sock* s)
{
    if (!s || s->released)
    {
        return HN_ESTATE;
    }
    int rc = s->closed ? HN_OK : sim_sock_close(s);
    s->released = true;
    if (!s->listening && !s->df && s->mtuProbing == SIM_MTU_PROBING_OFF && !s->rtoTraced)
    {
        g.released.push_back(s);
    }
    return rc;
}

void
sim_sock_stats(uint64_t* live, uint64_t* freed)
{
    if (live)
    {
        *live = g.socks.size();
    }
    if (freed)
    {
        *freed = g.socksFreed;
    }
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

// IP_MTU_DISCOVER: ns-3's UdpSocketImpl tags each datagram with
// SocketSetDontFragmentTag from its MtuDiscover attribute, but ns-3 3.37's
// Ipv4L3Protocol::Send builds every header with mayFragment = true and never
// reads the tag; so the shim records the wish and sets DF itself
// (sim_hooks.cc, on the node's way out).
int
sim_sock_set_df(sim_sock* s, bool df)
{
    if (!s || s->closed)
    {
        return HN_ESTATE;
    }
    s->df = df;
    if (df)
    {
        EnsureLocalOut(s->node);
    }
    if (s->tcp)
    {
        // ns-3's TCP tags no DF: the node's LOCAL_OUT wrapper sets DF on the
        // segments whose source port is this socket's (TcpSegmentWantsDf),
        // and this socket reacts to ICMP.
        auto& v = s->node->tcpDf;
        v.erase(std::remove(v.begin(), v.end(), s), v.end());
        if (df)
        {
            v.push_back(s);
            Ptr<TcpSocketBase> t = DynamicCast<TcpSocketBase>(s->so);
            if (!t)
            {
                return HN_EINVAL;
            }
            (*t).*TcpAccess::Icmp() =
                Callback<void, Ipv4Address, uint8_t, uint8_t, uint8_t, uint32_t>(
                    [s](Ipv4Address, uint8_t, uint8_t type, uint8_t code, uint32_t info) {
                        OnTcpIcmp(s, type, code, info);
                    });
        }
        return HN_OK;
    }
    return s->so->SetAttributeFailSafe("MtuDiscover", BooleanValue(df)) ? HN_OK : HN_EINVAL;
}

// IP_TOS: SocketIpTosTag on each datagram (UDP and TCP alike).
int
sim_sock_set_tos(sim_sock* s, uint8_t tos)
{
    if (!s || s->closed)
    {
        return HN_ESTATE;
    }
    s->so->SetIpTos(tos);
    return HN_OK;
}

// IP_TTL: SocketIpTtlTag on each unicast datagram; 0 leaves the default.
int
sim_sock_set_ttl(sim_sock* s, uint8_t ttl)
{
    if (!s || s->closed)
    {
        return HN_ESTATE;
    }
    if (ttl)
    {
        s->so->SetIpTtl(ttl);
    }
    return HN_OK;
}

unsigned
sim_sock_pmtu_lowered(const sim_sock* s)
{
    return s ? s->pmtuLowered : 0;
}

unsigned
sim_sock_blackhole_lowered(const sim_sock* s)
{
    return s ? s->blackholeLowered : 0;
}

unsigned
sim_sock_mss(const sim_sock* s)
{
    Ptr<TcpSocketBase> t = s ? DynamicCast<TcpSocketBase>(s->so) : nullptr;
    return t ? ((*t).*TcpAccess::Tcb())->m_segmentSize : 0;
}

int
sim_sock_set_mtu_probing(sim_sock* s, int mode, uint32_t base_mss)
{
    if (!s || s->closed)
    {
        return HN_ESTATE;
    }
    Ptr<TcpSocketBase> t = DynamicCast<TcpSocketBase>(s->so);
    if (!t || mode < SIM_MTU_PROBING_OFF || mode > SIM_MTU_PROBING_PROBE ||
        base_mss < kMinSndMss)
    {
        return HN_EINVAL;
    }
    s->mtuProbing = mode;
    s->baseMss = base_mss;
    if (mode != SIM_MTU_PROBING_OFF && !s->rtoTraced)
    {
        s->rtoTraced = t->TraceConnectWithoutContext(
            "RTO", Callback<void, Time, Time>([s](Time o, Time v) { OnRto(s, o, v); }));
        if (!s->rtoTraced)
        {
            return HN_EINVAL;
        }
    }
    if (mode == SIM_MTU_PROBING_PROBE &&
        (!t->TraceConnectWithoutContext(
             "Tx", Callback<void, Ptr<const Packet>, const TcpHeader&, Ptr<const TcpSocketBase>>(
                       [s](Ptr<const Packet> p, const TcpHeader& h, Ptr<const TcpSocketBase>) {
                           OnTcpTx(s, p, h);
                       })) ||
         !t->TraceConnectWithoutContext(
             "Rx", Callback<void, Ptr<const Packet>, const TcpHeader&, Ptr<const TcpSocketBase>>(
                       [s](Ptr<const Packet>, const TcpHeader& h, Ptr<const TcpSocketBase>) {
                           OnTcpRx(s, h);
                       }))))
    {
        return HN_EINVAL;
    }
    return HN_OK;
}

void
sim_sock_mtu_probes(const sim_sock* s, unsigned* sent, unsigned* ok, unsigned* failed)
{
    *sent = s ? s->probesSent : 0;
    *ok = s ? s->probesOk : 0;
    *failed = s ? s->probesFailed : 0;
}

const struct sim_stack_stats*
sim_node_stack_stats(const sim_node* n)
{
    return &n->stats;
}

sim_node*
sim_sock_node(const sim_sock* s)
{
    return s->node;
}

void
sim_sock_set_user(sim_sock* s, void* user)
{
    s->user = user;
}

void*
sim_sock_user(const sim_sock* s)
{
    return s->user;
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

} // extern "C"

// Counts the non-null entries of TcpL4Protocol's socket list (sim_demux.cc
// leaves removed ones as null until it squeezes them out).
extern "C" size_t
sim_node_tcp_sockets(const sim_node* n)
{
    Ptr<TcpL4Protocol> tcp = n ? n->node->GetObject<TcpL4Protocol>() : nullptr;
    if (!tcp)
    {
        return 0;
    }
    ObjectPtrContainerValue v;
    tcp->GetAttribute("SocketList", v);
    size_t live = 0;
    for (auto it = v.Begin(); it != v.End(); ++it)
    {
        live += it->second != nullptr;
    }
    return live;
}
