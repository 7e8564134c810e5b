// sim_socklist.cc - TcpL4Protocol::RemoveSocket in constant time, carried
// over ns-3 3.37's linear one.
//
// ns-3 3.37's TcpL4Protocol keeps every socket it created or forked in a
// std::vector (m_sockets) until the connection is over, and RemoveSocket
// (TcpSocketBase::DeallocateEndPoint, and the move of a TIME_WAIT into a
// compact record, sim_timewait.cc) searches it from the front and erases.
// At a busy origin the vector holds every connection in progress, and the
// one that ends is anywhere in it: with 1,000 ISPs this search was 11 % of
// the run (perf, EXPERIMENTS.md "Internet scale").  This definition replaces
// the library's (symbol interposition, as sim_demux.cc: libns3-internet calls
// it through its PLT).  It finds the socket through an index on the side and
// leaves a null reference in its place, so the sockets that stay keep ns-3's
// order and the removed one is released at the same moment as by erase();
// the nulls are squeezed out, in order, once they are half the vector.  Who
// reads m_sockets: TcpL4Protocol::DoDispose (clear) and the SocketList
// attribute (nothing in HydraNet reads it).

#include "sim/sim_internal.hh"

#include <unordered_map>

namespace ns3
{
namespace
{
// One protocol's index: where each socket is, for the entries seen so far.
struct SockIndex
{
    std::unordered_map<const TcpSocketBase*, size_t> at;
    size_t seen = 0;  // entries of m_sockets indexed (appends come after)
    size_t nulls = 0; // removed entries left as null
};

std::unordered_map<const TcpL4Protocol*, SockIndex>&
SockIndices()
{
    static std::unordered_map<const TcpL4Protocol*, SockIndex> m;
    return m;
}
} // namespace

bool
TcpL4Protocol::RemoveSocket(Ptr<TcpSocketBase> socket)
{
    SockIndex& x = SockIndices()[this];
    if (m_sockets.size() < x.seen)
    {
        x = SockIndex{}; // cleared (DoDispose): start over
    }
    for (size_t i = x.seen; i < m_sockets.size(); i++)
    {
        if (m_sockets[i])
        {
            x.at[PeekPointer(m_sockets[i])] = i;
        }
    }
    x.seen = m_sockets.size();
    auto w = x.at.find(PeekPointer(socket));
    if (w == x.at.end())
    {
        return false;
    }
    size_t i = w->second;
    x.at.erase(w);
    m_sockets[i] = nullptr;
    if (++x.nulls > 64 && 2 * x.nulls > m_sockets.size())
    {
        size_t k = 0;
        for (size_t j = 0; j < m_sockets.size(); j++)
        {
            if (m_sockets[j])
            {
                x.at[PeekPointer(m_sockets[j])] = k;
                m_sockets[k++] = m_sockets[j];
            }
        }
        m_sockets.resize(k);
        x.seen = k;
        x.nulls = 0;
    }
    return true;
}
} // namespace ns3

void
shim::SockListReset()
{
    ns3::SockIndices().clear();
}

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
