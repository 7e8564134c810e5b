// sim_pcap.cc - pcap traces of link ends (sim.h: sim_pcap_enable), one
// file per end, NODE-LINK.pcap or NODE-IFACE.pcap, written by ns-3's
// PointToPointHelper.
//
// Does not decide what is on the wire, and traces only links that exist at
// the call.

#include "sim/sim_internal.hh"

#include <cstdio>
#include <string>
#include <unordered_set>

using namespace shim;

namespace
{
// The file of link l's end on side, without the directory: NODE-LINK.pcap
// for a named link, NODE-IFACE.pcap for the others.
std::string
PcapName(const sim_link& l, int side)
{
    return l.node[side]->name + "-" + (l.name.empty() ? std::to_string(l.iface[side]) : l.name) +
           ".pcap";
}
} // namespace

extern "C" {

// Covers the links that exist at the call; later links are not traced.
// Each file is opened here first, because ns-3 aborts when it cannot open
// one (HN_EIO instead).  The files are complete once sim_destroy has run.
// Every end's name, traced already or not, is checked for a clash before
// any file is made: two ns-3 writers on one file would garble it.
int
sim_pcap_enable(const char* dir)
{
    if (!g.up || !dir)
    {
        return HN_EINVAL;
    }
    std::unordered_set<std::string> names;
    for (auto& l : g.links)
    {
        for (int side = 0; side < 2; side++)
        {
            if (!names.insert(PcapName(*l, side)).second)
            {
                return HN_EEXIST;
            }
        }
    }
    PointToPointHelper p2p;
    for (auto& l : g.links)
    {
        for (int side = 0; side < 2; side++)
        {
            if (l->pcap[side])
            {
                continue;
            }
            std::string file = std::string(dir) + "/" + PcapName(*l, side);
            FILE* f = std::fopen(file.c_str(), "wb");
            if (!f)
            {
                return HN_EIO;
            }
            std::fclose(f);
            p2p.EnablePcap(file, l->dev[side], false, true);
            l->pcap[side] = true;
        }
    }
    return HN_OK;
}

} // extern "C"
