// sim_demux.cc - a hashed transport demultiplexer carried over ns-3 3.37's
// linear one.
//
// ns-3 3.37's Ipv4EndPointDemux keeps a node's TCP and UDP endpoints in a
// std::list and scans all of them for every received segment (Lookup), for
// every endpoint freed (DeAllocate) and allocated (the duplicate check, and
// each ephemeral port tried).  A server keeps each connection's
// endpoint through TIME_WAIT (2 MSL = 240 s by default), so at a busy
// origin every segment scanned thousands of endpoints: 70 % of the run time
// of scenarios/scale.ini with 10 ISPs (perf, EXPERIMENTS.md "Internet
// scale").  These definitions replace the library's member functions that scan
// and its destructor (the executable's definitions take precedence over
// the shared library's: ELF symbol interposition; libns3-internet calls them
// through its PLT).  They keep the list exactly as ns-3 does (Allocate,
// which appends, is ns-3's own) and index it on the side: fully specified
// endpoints by their 4-tuple in a hash table, the others (listening and
// unconnected sockets, few) in list order.  Lookup returns what ns-3's
// returns: the fully specified match when there is one, else the most
// specific partial matches by ns-3's own rules (the code below follows
// ns-3's case for case).  Endpoints whose addresses change after allocation
// (connect sets the peer and the local address) are re-indexed when seen.
#include "sim/sim_internal.hh"

#include "ns3/ipv4-end-point-demux.h"
#include "ns3/ipv4-end-point.h"
#include "ns3/ipv4-interface.h"
#include "ns3/tcp-l4-protocol.h"
#include "ns3/tcp-socket-base.h"

#include <algorithm>
#include <unordered_map>
#include <unordered_set>
#include <vector>

namespace ns3
{
namespace
{
struct Key
{
    uint32_t local, peer;
    uint16_t lport, pport;
    bool operator==(const Key& o) const
    {
        return local == o.local && peer == o.peer && lport == o.lport && pport == o.pport;
    }
};

struct KeyHash
{
    size_t operator()(const Key& k) const
    {
        uint64_t x = ((uint64_t)k.local << 32 | k.peer) * 0x9e3779b97f4a7c15ull;
        x ^= ((uint64_t)k.lport << 16 | k.pport) * 0xbf58476d1ce4e5b9ull;
        return (size_t)(x ^ (x >> 29));
    }
};

struct Entry
{
    Ipv4EndPointDemux::EndPointsI it; // its place in the demux's list
    bool exact;                       // in the hash table, under key
    Key key;
};

// One demux's side index.
struct Index
{
    std::unordered_map<Key, Ipv4EndPoint*, KeyHash> exact;
    std::vector<Ipv4EndPoint*> partial; // in list order
    std::unordered_map<Ipv4EndPoint*, Entry> where;
    std::unordered_map<uint16_t, size_t> ports; // endpoints per local port
};

std::unordered_map<const Ipv4EndPointDemux*, Index>&
Indices()
{
    static std::unordered_map<const Ipv4EndPointDemux*, Index> m;
    return m;
}

Key
KeyOf(Ipv4EndPoint* e)
{
    return Key{e->GetLocalAddress().Get(),
               e->GetPeerAddress().Get(),
               e->GetLocalPort(),
               e->GetPeerPort()};
}

bool
FullySpecified(const Key& k)
{
    return k.local != 0 && k.peer != 0 && k.pport != 0;
}

void
Unindex(Index& x, Ipv4EndPoint* e, Entry& en)
{
    if (en.exact)
    {
        auto h = x.exact.find(en.key);
        if (h != x.exact.end() && h->second == e)
        {
            x.exact.erase(h);
        }
    }
    else
    {
        for (auto p = x.partial.begin(); p != x.partial.end(); ++p)
        {
            if (*p == e)
            {
                x.partial.erase(p);
                break;
            }
        }
    }
}

// File e (already in where) under its current addresses.
void
Place(Index& x, Ipv4EndPoint* e, Entry& en, bool at_end)
{
    en.key = KeyOf(e);
    en.exact = FullySpecified(en.key) && !x.exact.count(en.key);
    if (en.exact)
    {
        x.exact[en.key] = e;
    }
    else if (at_end)
    {
        x.partial.push_back(e);
    }
}
} // namespace

// Index the endpoints ns-3 appended since the last call (the list's tail),
// and re-file partial ones that connect() has since made fully specified.
static Index&
Sync(const Ipv4EndPointDemux* d, Ipv4EndPointDemux::EndPoints& list)
{
    Index& x = Indices()[d];
    std::vector<Ipv4EndPointDemux::EndPointsI> fresh;
    for (auto r = list.end(); r != list.begin();)
    {
        --r;
        if (x.where.count(*r))
        {
            break;
        }
        fresh.push_back(r);
    }
    for (auto f = fresh.rbegin(); f != fresh.rend(); ++f)
    {
        Entry& en = x.where[**f];
        en.it = *f;
        Place(x, **f, en, true);
        x.ports[(**f)->GetLocalPort()]++;
    }
    for (size_t i = 0; i < x.partial.size();)
    {
        Ipv4EndPoint* e = x.partial[i];
        Key k = KeyOf(e);
        if (FullySpecified(k) && !x.exact.count(k))
        {
            x.partial.erase(x.partial.begin() + (long)i);
            Entry& en = x.where[e];
            en.key = k;
            en.exact = true;
            x.exact[k] = e;
            continue;
        }
        i++;
    }
    return x;
}

Ipv4EndPointDemux::~Ipv4EndPointDemux()
{
    for (auto e : m_endPoints)
    {
        delete e;
    }
    m_endPoints.clear();
    Indices().erase(this);
}

void
Ipv4EndPointDemux::DeAllocate(Ipv4EndPoint* endPoint)
{
    Index& x = Sync(this, m_endPoints);
    auto w = x.where.find(endPoint);
    if (w == x.where.end())
    {
        return; // not ours: ns-3 ignores it too
    }
    Unindex(x, endPoint, w->second);
    auto p = x.ports.find(endPoint->GetLocalPort());
    if (p != x.ports.end() && --p->second == 0)
    {
        x.ports.erase(p);
    }
    auto it = w->second.it;
    x.where.erase(w);
    delete endPoint;
    m_endPoints.erase(it);
}

// ns-3's allocation, with the port and duplicate searches on the index
// (ns-3's scanned the list: once per connection, and per port tried).
bool
Ipv4EndPointDemux::LookupPortLocal(uint16_t port)
{
    return Sync(this, m_endPoints).ports.count(port) != 0;
}

bool
Ipv4EndPointDemux::LookupLocal(Ptr<NetDevice> boundNetDevice, Ipv4Address addr, uint16_t port)
{
    if (!LookupPortLocal(port))
    {
        return false;
    }
    for (auto e : m_endPoints) // binds with a port: configuration, rare
    {
        if (e->GetLocalPort() == port && e->GetLocalAddress() == addr &&
            e->GetBoundNetDevice() == boundNetDevice)
        {
            return true;
        }
    }
    return false;
}

uint16_t
Ipv4EndPointDemux::AllocateEphemeralPort()
{
    // ns-3's: counting up, as netinet/in_pcb.c does
    uint16_t port = m_ephemeral;
    int count = m_portLast - m_portFirst;
    do
    {
        if (count-- < 0)
        {
            return 0;
        }
        ++port;
        if (port < m_portFirst || port > m_portLast)
        {
            port = m_portFirst;
        }
    } while (LookupPortLocal(port));
    m_ephemeral = port;
    return port;
}

Ipv4EndPoint*
Ipv4EndPointDemux::Allocate()
{
    return Allocate(Ipv4Address::GetAny());
}

Ipv4EndPoint*
Ipv4EndPointDemux::Allocate(Ipv4Address address)
{
    uint16_t port = AllocateEphemeralPort();
    if (port == 0)
    {
        return nullptr;
    }
    auto endPoint = new Ipv4EndPoint(address, port);
    m_endPoints.push_back(endPoint);
    Sync(this, m_endPoints);
    return endPoint;
}

Ipv4EndPoint*
Ipv4EndPointDemux::Allocate(Ptr<NetDevice> boundNetDevice, uint16_t port)
{
    return Allocate(boundNetDevice, Ipv4Address::GetAny(), port);
}

Ipv4EndPoint*
Ipv4EndPointDemux::Allocate(Ptr<NetDevice> boundNetDevice, Ipv4Address address, uint16_t port)
{
    if (LookupLocal(boundNetDevice, address, port) || LookupLocal(nullptr, address, port))
    {
        return nullptr; // a duplicate
    }
    auto endPoint = new Ipv4EndPoint(address, port);
    m_endPoints.push_back(endPoint);
    Sync(this, m_endPoints);
    return endPoint;
}

Ipv4EndPoint*
Ipv4EndPointDemux::Allocate(Ptr<NetDevice> boundNetDevice,
                            Ipv4Address localAddress,
                            uint16_t localPort,
                            Ipv4Address peerAddress,
                            uint16_t peerPort)
{
    Index& x = Sync(this, m_endPoints);
    Key k{localAddress.Get(), peerAddress.Get(), localPort, peerPort};
    auto dup = [&](Ipv4EndPoint* e) {
        return KeyOf(e) == k &&
               (e->GetBoundNetDevice() == boundNetDevice || !e->GetBoundNetDevice());
    };
    auto h = x.exact.find(k);
    if (h != x.exact.end() && dup(h->second))
    {
        return nullptr;
    }
    for (auto e : x.partial)
    {
        if (dup(e))
        {
            return nullptr;
        }
    }
    auto endPoint = new Ipv4EndPoint(localAddress, localPort);
    endPoint->SetPeer(peerAddress, peerPort);
    m_endPoints.push_back(endPoint);
    Sync(this, m_endPoints);
    return endPoint;
}

Ipv4EndPointDemux::EndPoints
Ipv4EndPointDemux::Lookup(Ipv4Address daddr,
                          uint16_t dport,
                          Ipv4Address saddr,
                          uint16_t sport,
                          Ptr<Ipv4Interface> incomingInterface)
{
    Index& x = Sync(this, m_endPoints);
    EndPoints retval1, retval2, retval3, retval4;
    Key want{daddr.Get(), saddr.Get(), dport, sport};
    auto usable = [&](Ipv4EndPoint* e) {
        return e->IsRxEnabled() && e->GetLocalPort() == dport &&
               (!e->GetBoundNetDevice() ||
                e->GetBoundNetDevice() == incomingInterface->GetDevice());
    };
    auto h = x.exact.find(want);
    if (h != x.exact.end())
    {
        Ipv4EndPoint* e = h->second;
        if (!(KeyOf(e) == want))
        {
            // its addresses changed: file it again, under what they are now
            Entry& en = x.where[e];
            x.exact.erase(h);
            Place(x, e, en, false);
            if (!en.exact)
            {
                x.partial.push_back(e);
            }
            return Lookup(daddr, dport, saddr, sport, incomingInterface);
        }
        if (usable(e))
        {
            retval4.push_back(e); // all four match: an open connection
            return retval4;
        }
    }
    // ns-3's cases 1-3 over the endpoints that are not fully specified
    for (Ipv4EndPoint* endP : x.partial)
    {
        if (!usable(endP))
        {
            continue;
        }
        bool localAddressMatchesExact = false;
        bool localAddressIsAny = false;
        bool localAddressIsSubnetAny = false;
        if (endP->GetLocalAddress() == daddr)
        {
            localAddressMatchesExact = true;
        }
        else if (endP->GetLocalAddress() == Ipv4Address::GetAny())
        {
            localAddressIsAny = true;
        }
        else
        {
            for (uint32_t i = 0; i < incomingInterface->GetNAddresses(); i++)
            {
                Ipv4InterfaceAddress addr = incomingInterface->GetAddress(i);
                Ipv4Address addrNetpart = addr.GetLocal().CombineMask(addr.GetMask());
                if (endP->GetLocalAddress() == addrNetpart &&
                    addrNetpart == daddr.CombineMask(addr.GetMask()))
                {
                    localAddressIsSubnetAny = true;
                }
            }
            if (!localAddressIsSubnetAny)
            {
                continue;
            }
        }
        bool remotePortMatchesExact = endP->GetPeerPort() == sport;
        bool remotePortMatchesWildCard = endP->GetPeerPort() == 0;
        bool remoteAddressMatchesExact = endP->GetPeerAddress() == saddr;
        bool remoteAddressMatchesWildCard = endP->GetPeerAddress() == Ipv4Address::GetAny();
        if (!(remotePortMatchesExact || remotePortMatchesWildCard) ||
            !(remoteAddressMatchesExact || remoteAddressMatchesWildCard))
        {
            continue;
        }
        bool localAddressMatchesWildCard = localAddressIsAny || localAddressIsSubnetAny;
        if (localAddressMatchesExact && remoteAddressMatchesExact && remotePortMatchesExact)
        {
            retval4.push_back(endP); // a duplicate 4-tuple kept out of the table
        }
        if (localAddressMatchesWildCard && remoteAddressMatchesExact && remotePortMatchesExact)
        {
            retval3.push_back(endP);
        }
        if (localAddressMatchesExact && remoteAddressMatchesWildCard && remotePortMatchesWildCard)
        {
            retval2.push_back(endP);
        }
        if (localAddressMatchesWildCard && remoteAddressMatchesWildCard &&
            remotePortMatchesWildCard)
        {
            retval1.push_back(endP);
        }
    }
    EndPoints retval = !retval4.empty()   ? retval4
                       : !retval3.empty() ? retval3
                       : !retval2.empty() ? retval2
                                          : retval1;
    NS_ABORT_MSG_IF(retval.size() > 1,
                    "Too many endpoints - perhaps you created too many sockets without "
                    "binding them to different NetDevices.");
    return retval;
}
// ---- TcpL4Protocol's socket list ------------------------------------------
//
// ns-3 3.37's TcpL4Protocol keeps every TCP socket of the node in a
// std::vector (m_sockets): CreateSocket appends the new socket, AddSocket
// (called by each Bind and by each connection a listener forks) scans the
// whole vector for it and appends it when absent, RemoveSocket (when a
// socket's endpoint goes: after TIME_WAIT, LAST_ACK, or an RST) scans for
// it and erases it, DoDispose clears the vector.  A server keeps every
// connection's socket through TIME_WAIT (unless sim_timewait.cc moved it
// out), so each accept scanned all the earlier connections of the run:
// quadratic in connections (at 1,000 ISPs the origin accepts 1 M); and each
// removal searched and erased among the connections in progress (11 % of
// the 1,000-ISP run).  These two definitions replace the library's (PLT
// interposition, as above) and find a socket through an index kept beside
// the vector; the vector gets ns-3's appends, and a removed socket's entry
// becomes null (the nulls squeezed out in order later), so the order of the
// sockets in it, which ns-3's SocketList attribute shows (with the nulls),
// is ns-3's.  The index learns the sockets CreateSocket appended (the
// vector's tail past what it has seen) at each call, and starts again when
// the vector shrank by other means (DoDispose); sim_destroy forgets it
// (ForgetTcpSocketLists) with the simulation.
namespace
{
// m_sockets is private: an explicit instantiation may name a private
// member ([temp.spec.general] p6), and the friend carries its address out.
struct SocketsOf
{
    using type = std::vector<Ptr<TcpSocketBase>> TcpL4Protocol::*;
    friend type MemberOf(SocketsOf);
};

template <typename Tag, typename Tag::type M>
struct Expose
{
    friend typename Tag::type MemberOf(Tag) { return M; }
};

template struct Expose<SocketsOf, &TcpL4Protocol::m_sockets>;

struct SocketSet
{
    std::unordered_map<const TcpSocketBase*, size_t> at; // the vector's sockets, by index
    size_t seen = 0;                                     // its length at the last call
    size_t nulls = 0;                                    // removed entries left as null
};

std::unordered_map<const TcpL4Protocol*, SocketSet>&
SocketSets()
{
    static std::unordered_map<const TcpL4Protocol*, SocketSet> m;
    return m;
}

SocketSet&
SyncSockets(const TcpL4Protocol* tcp, const std::vector<Ptr<TcpSocketBase>>& v)
{
    SocketSet& x = SocketSets()[tcp];
    if (v.size() < x.seen) // cleared behind our back: start again
    {
        x = SocketSet{};
    }
    for (size_t i = x.seen; i < v.size(); i++)
    {
        if (v[i])
        {
            x.at[PeekPointer(v[i])] = i;
        }
    }
    x.seen = v.size();
    return x;
}
} // namespace

void
TcpL4Protocol::AddSocket(Ptr<TcpSocketBase> socket)
{
    std::vector<Ptr<TcpSocketBase>>& v = this->*MemberOf(SocketsOf());
    SocketSet& x = SyncSockets(this, v);
    if (x.at.emplace(PeekPointer(socket), v.size()).second)
    {
        v.push_back(socket);
        x.seen = v.size();
    }
}

// The removed socket's entry becomes null rather than being erased (erase
// moves the whole tail: at a busy origin the socket that ends is anywhere
// among thousands); the nulls are squeezed out, in order, once they are
// half the vector.  The sockets that stay keep ns-3's order, and the removed
// one is released at the same moment as by erase.
bool
TcpL4Protocol::RemoveSocket(Ptr<TcpSocketBase> socket)
{
    std::vector<Ptr<TcpSocketBase>>& v = this->*MemberOf(SocketsOf());
    SocketSet& x = SyncSockets(this, v);
    auto w = x.at.find(PeekPointer(socket));
    if (w == x.at.end())
    {
        return false;
    }
    v[w->second] = nullptr;
    x.at.erase(w);
    if (++x.nulls > 64 && 2 * x.nulls > v.size())
    {
        size_t k = 0;
        for (size_t j = 0; j < v.size(); j++)
        {
            if (v[j])
            {
                x.at[PeekPointer(v[j])] = k;
                v[k++] = v[j];
            }
        }
        v.resize(k);
        x.seen = k;
        x.nulls = 0;
    }
    return true;
}
} // namespace ns3

namespace shim
{
void
ForgetTcpSocketLists()
{
    ns3::SocketSets().clear();
}
} // namespace shim

extern "C" size_t
sim_demux_indexed(void)
{
    size_t n = 0;
    for (auto& d : ns3::Indices())
    {
        n += d.second.where.size();
    }
    return n;
}
