// sim_sched.cc - the event scheduler the simulator runs on: the same order
// as ns-3's default (MapScheduler), in less time when many events are
// pending.
//
// Every ns-3 scheduler hands out events in the order of their key, the
// time stamp and then the uid the simulator gives each event as it is
// scheduled (Scheduler::EventKey's operator<; uids are unique), so any
// correct priority queue over that key runs the same events in the same
// order: the choice changes the cost, never a result.  ns-3 3.37's default,
// MapScheduler, is a std::map (one allocation and a red-black tree walk per
// event).  A run of many connections keeps far more events pending than it
// runs soon: each finished connection's two TIME_WAIT timers (240 s ahead),
// every retransmission timer ns-3 cancels but leaves in the queue until its
// time, think times.  Here the events within a window of simulated time
// (kWindow) sit in a small 4-ary heap that stays in the cache, the rest in a
// second one; when the first runs dry the window moves to the earliest
// pending event and the events now inside it move over, in key order.
// Invariant: every event of `m_near` is earlier than every event of
// `m_far` (all near events have ts < m_edge <= all far ones), and m_near is
// empty only when m_far is too.
//
// Simulator::Remove (the TIME_WAIT records take ns-3's 2 MSL event out of
// the queue, one per closed connection) must not search the heaps: a scan
// of the far heap, which holds every pending TIME_WAIT event, made the cost
// per connection grow with the number of connections.  A removed event is
// left in place and its uid marked in a bit set (a tombstone); it is
// dropped, never run or touched (its EventImpl may be freed), when it
// reaches the top of m_near.  A bit set, not a hash set: every event run is
// tested, and a hash lookup per event cost 6 % of a run.  It takes one bit
// per uid the simulator has handed out (ns-3's uids count up from 4): 15 MB
// for 120 M events.  When the tombstones are more than half the pending
// entries, both heaps are rebuilt without them, so that they take at most
// twice the memory of the live events.  Second invariant: the top of m_near
// is live.
#include "sim/sim_internal.hh"

#include <ns3/scheduler.h>

#include <algorithm>
#include <vector>

namespace ns3
{
namespace
{
// The window: about the longest link propagation delay of the scenarios
// (25 ms backbone links), so that most packets' events are scheduled into
// the near heap.  A cost knob only.
constexpr uint64_t kWindow = 50000000; // time steps: 50 ms at ns-3's default resolution (ns)

bool
Before(const Scheduler::Event& a, const Scheduler::Event& b)
{
    return a.key.m_ts < b.key.m_ts || (a.key.m_ts == b.key.m_ts && a.key.m_uid < b.key.m_uid);
}

// An implicit 4-ary min-heap of events by key.
class Heap
{
  public:
    bool Empty() const { return m_v.empty(); }
    size_t Size() const { return m_v.size(); }
    const Scheduler::Event& Top() const { return m_v.front(); }

    void Push(const Scheduler::Event& ev)
    {
        m_v.push_back(ev);
        Up(m_v.size() - 1);
    }

    Scheduler::Event Pop()
    {
        Scheduler::Event top = m_v.front();
        EraseAt(0);
        return top;
    }

    // Drop the events `dead` is true for, and restore the heap order
    // bottom-up (Floyd).
    template <typename Pred>
    void Filter(Pred dead)
    {
        m_v.erase(std::remove_if(m_v.begin(), m_v.end(), dead), m_v.end());
        for (size_t i = m_v.size() / 4 + 1; i-- > 0;)
        {
            if (i < m_v.size())
            {
                Down(i);
            }
        }
    }

    void EraseAt(size_t i)
    {
        Scheduler::Event last = m_v.back();
        m_v.pop_back();
        if (i == m_v.size())
        {
            return;
        }
        m_v[i] = last;
        Down(i);
        Up(i);
    }

  private:
    void Up(size_t i)
    {
        Scheduler::Event ev = m_v[i];
        while (i > 0)
        {
            size_t parent = (i - 1) / 4;
            if (!Before(ev, m_v[parent]))
            {
                break;
            }
            m_v[i] = m_v[parent];
            i = parent;
        }
        m_v[i] = ev;
    }

    void Down(size_t i)
    {
        Scheduler::Event ev = m_v[i];
        size_t n = m_v.size();
        for (;;)
        {
            size_t first = 4 * i + 1;
            if (first >= n)
            {
                break;
            }
            size_t best = first;
            size_t end = first + 4 < n ? first + 4 : n;
            for (size_t c = first + 1; c < end; c++)
            {
                if (Before(m_v[c], m_v[best]))
                {
                    best = c;
                }
            }
            if (!Before(m_v[best], ev))
            {
                break;
            }
            m_v[i] = m_v[best];
            i = best;
        }
        m_v[i] = ev;
    }

    std::vector<Scheduler::Event> m_v;
};
} // namespace

class WindowScheduler : public Scheduler
{
  public:
    static TypeId GetTypeId()
    {
        static TypeId tid = TypeId("ns3::HydraNetWindowScheduler")
                                .SetParent<Scheduler>()
                                .SetGroupName("Core")
                                .AddConstructor<WindowScheduler>();
        return tid;
    }

    void Insert(const Event& ev) override
    {
        if (ev.key.m_ts < m_edge)
        {
            m_near.Push(ev);
        }
        else
        {
            m_far.Push(ev);
            if (m_near.Empty())
            {
                Refill();
            }
        }
    }

    bool IsEmpty() const override { return m_near.Empty(); }

    Event PeekNext() const override { return m_near.Top(); }

    Event RemoveNext() override
    {
        Event ev = m_near.Pop();
        Settle();
        return ev;
    }

    // Only pending events are removed (DefaultSimulatorImpl::Remove checks
    // IsExpired first), and each uid once.
    void Remove(const Event& ev) override
    {
        uint32_t uid = ev.key.m_uid;
        if (uid / 64 >= m_gone.size())
        {
            m_gone.resize(uid / 64 + 1 + m_gone.size() / 2);
        }
        m_gone[uid / 64] |= uint64_t(1) << (uid % 64);
        m_ngone++;
        if (m_ngone > 1024 && 2 * m_ngone > m_near.Size() + m_far.Size())
        {
            auto dead = [this](const Event& e) { return Drop(e.key.m_uid); };
            m_near.Filter(dead);
            m_far.Filter(dead);
            NS_ASSERT(m_ngone == 0);
            if (m_near.Empty())
            {
                Refill();
            }
        }
        Settle();
    }

  private:
    // Drop removed events from the top of m_near, moving the window on
    // whenever m_near runs dry: afterwards its top is live, or both heaps
    // are empty.
    void Settle()
    {
        for (;;)
        {
            if (m_near.Empty())
            {
                Refill();
            }
            if (m_near.Empty() || m_ngone == 0 || !Drop(m_near.Top().key.m_uid))
            {
                return;
            }
            m_near.Pop();
        }
    }

    // Whether the event of this uid was removed; if so its tombstone goes.
    bool Drop(uint32_t uid)
    {
        size_t w = uid / 64;
        uint64_t bit = uint64_t(1) << (uid % 64);
        if (w >= m_gone.size() || !(m_gone[w] & bit))
        {
            return false;
        }
        m_gone[w] &= ~bit;
        m_ngone--;
        return true;
    }

    // m_near is empty: the window moves to start at the earliest pending
    // event, and the events inside it come over.
    void Refill()
    {
        if (m_far.Empty())
        {
            return;
        }
        uint64_t ts = m_far.Top().key.m_ts;
        m_edge = ts + kWindow > ts ? ts + kWindow : UINT64_MAX;
        while (!m_far.Empty() && m_far.Top().key.m_ts < m_edge)
        {
            m_near.Push(m_far.Pop());
        }
    }

    Heap m_near, m_far;
    uint64_t m_edge = 0;                // m_near holds the events before it, m_far the rest
    std::vector<uint64_t> m_gone; // bit uid set: that event was removed, is still in a heap
    size_t m_ngone = 0;           // bits set in m_gone
};

NS_OBJECT_ENSURE_REGISTERED(WindowScheduler);
} // namespace ns3

namespace shim
{
TypeId
SchedulerType()
{
    return ns3::WindowScheduler::GetTypeId();
}
} // namespace shim
