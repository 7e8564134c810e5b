// sim_core.cc - the simulator's lifetime, ns-3 defaults, clock and events
// (sim.h: sim_init .. sim_event_count), and the singleton `g` they set up
// and tear down.  See sim_internal.hh for how the shim's files divide the work.
//
// Does not build topology, route, trace or carry datagrams: sim_destroy only
// frees what the other files put into g, after ns-3 has disposed of it.

#include "sim/sim_internal.hh"

#include <cerrno>
#include <cstdio>
#include <string>

#include <fcntl.h>    // open: ValueParses silences its child's stderr
#include <sys/wait.h> // waitpid
#include <unistd.h>   // fork, dup2, _exit

using namespace shim;

namespace shim
{
Sim g;

// ---- small conversions --------------------------------------------------

Time
Ns(uint64_t ns)
{
    return NanoSeconds((int64_t)(ns > (uint64_t)INT64_MAX ? (uint64_t)INT64_MAX : ns));
}

Ipv4Mask
PrefixMask(uint8_t prefixLen)
{
    return Ipv4Mask(prefixLen == 0 ? 0 : 0xffffffffu << (32 - prefixLen));
}
} // namespace shim

namespace
{
// True when the attribute's checker accepts value.  Many ns-3 parsers
// (Uinteger, Integer, Double, Time, QueueSize: "not properly formatted")
// abort the process on bad text instead of failing, so the trial parse runs
// in a child process with stderr silenced; only the verdict comes back.
bool
ValueParses(Ptr<const AttributeChecker> checker, const std::string& value)
{
    std::fflush(nullptr); // the child must not write our buffered output again
    pid_t pid = fork();
    if (pid < 0)
    {
        return false;
    }
    if (pid == 0)
    {
        int devnull = open("/dev/null", O_WRONLY);
        if (devnull >= 0)
        {
            dup2(devnull, 2);
        }
        _exit(checker->CreateValidValue(StringValue(value)) ? 0 : 1);
    }
    int status = 0;
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
    {
    }
    return WIFEXITED(status) && WEXITSTATUS(status) == 0;
}
} // namespace

// ---- the C API ----------------------------------------------------------

extern "C" {

int
sim_init(const struct sim_config* cfg)
{
    if (g.up)
    {
        return HN_ESTATE;
    }
    if (!cfg || cfg->seed == 0)
    {
        return HN_EINVAL;
    }
    GlobalValue::Bind("ChecksumEnabled", BooleanValue(true)); // before any node
    GlobalValue::Bind("SchedulerType", TypeIdValue(SchedulerType())); // before any event
    // Referenced here so that every program links sim_demux.cc, whose
    // definitions replace ns-3's linear endpoint demultiplexer.
    (void)sim_demux_indexed();
    RngSeedManager::SetSeed(cfg->seed);
    RngSeedManager::SetRun(cfg->run);
    g.up = true;
    return HN_OK;
}

// The attribute is looked up and the value checked by the attribute's own
// checker first (in a child: see ValueParses): Config::SetDefault would abort
// on either.  Costs a fork per call: configuration time only.
int
sim_set_default(const char* attr, const char* value)
{
    if (!attr || !value)
    {
        return HN_EINVAL;
    }
    std::string full(attr);
    std::string::size_type sep = full.rfind("::");
    TypeId tid;
    TypeId::AttributeInformation info;
    if (sep == std::string::npos || !TypeId::LookupByNameFailSafe(full.substr(0, sep), &tid) ||
        !tid.LookupAttributeByName(full.substr(sep + 2), &info) ||
        !ValueParses(info.checker, value))
    {
        return HN_EINVAL;
    }
    return Config::SetDefaultFailSafe(full, StringValue(value)) ? HN_OK : HN_EINVAL;
}

// Callbacks are silenced before ns-3 disposes the sockets and applications
// (V4Ping stops when disposed); handles are freed after, when nothing can
// call into them any more.  Config::Reset undoes every sim_set_default.
void
sim_destroy(void)
{
    for (auto& s : g.socks)
    {
        s->closed = true;
    }
    for (auto& p : g.pings)
    {
        p->dead = true;
    }
    Simulator::Destroy();
    TimeWaitReset();
    ForgetTcpSocketLists();
    Config::Reset();
    g.pings.clear();
    g.socks.clear();
    g.released.clear();
    g.socksFreed = 0;
    g.links.clear();
    g.nodes.clear();
    g.events.clear();
    g.lastEvent = 0;
    g.route = nullptr;
    g.routeCtx = nullptr;
    g.up = false;
}

uint64_t
sim_now_ns(void)
{
    return (uint64_t)Simulator::Now().GetNanoSeconds();
}

// Ids start at 1 (0: no fn, nothing scheduled); the map holds pending
// events only.
sim_event_id
sim_schedule(uint64_t delay_ns, sim_event_fn fn, void* arg)
{
    if (!fn)
    {
        return 0;
    }
    sim_event_id id = ++g.lastEvent;
    g.events[id] = Simulator::Schedule(Ns(delay_ns), [id, fn, arg]() {
        g.events.erase(id);
        if (!g.released.empty())
        {
            FreeReleased();
        }
        if (!g.twReady.empty())
        {
            TimeWaitConvert();
        }
        fn(arg);
    });
    return id;
}

void
sim_cancel(sim_event_id id)
{
    auto it = g.events.find(id);
    if (it != g.events.end())
    {
        it->second.Cancel();
        g.events.erase(it);
    }
}

void
sim_remove(sim_event_id id)
{
    auto it = g.events.find(id);
    if (it != g.events.end())
    {
        Simulator::Remove(it->second);
        g.events.erase(it);
    }
}

// The stop event is our own (Simulator::Stop(delay) returns no id), so an
// early sim_stop leaves no stale stop behind for the next sim_run.
void
sim_run(uint64_t stop_ns)
{
    EventId stop;
    if (stop_ns > 0)
    {
        uint64_t now = sim_now_ns();
        stop = Simulator::Schedule(Ns(stop_ns > now ? stop_ns - now : 0),
                                   []() { Simulator::Stop(); });
    }
    Simulator::Run();
    stop.Cancel();
}

void
sim_stop(void)
{
    Simulator::Stop();
}

uint64_t
sim_event_count(void)
{
    return Simulator::GetEventCount();
}

} // extern "C"
