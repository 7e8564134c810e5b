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
#include "sim/sim_internal.hh"

#include <ns3/scheduler.h>

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

    // The position of the event with this key, or Size().
    size_t Find(const Scheduler::EventKey& k) const
    {
        for (size_t i = 0; i < m_v.size(); i++)
        {
            if (m_v[i].key.m_uid == k.m_uid && m_v[i].key.m_ts == k.m_ts)
            {
                return i;
            }
        }
        return m_v.size();
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
        if (m_near.Empty())
        {
            Refill();
        }
        return ev;
    }

    void Remove(const Event& ev) override
    {
        size_t i = m_near.Find(ev.key);
        if (i < m_near.Size())
        {
            m_near.EraseAt(i);
        }
        else
        {
            i = m_far.Find(ev.key);
            NS_ASSERT(i < m_far.Size());
            if (i < m_far.Size())
            {
                m_far.EraseAt(i);
            }
        }
        if (m_near.Empty())
        {
            Refill();
        }
    }

  private:
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
    uint64_t m_edge = 0; // m_near holds the events before it, m_far the rest
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
