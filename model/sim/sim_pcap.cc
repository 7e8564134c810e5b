// sim_pcap.cc - pcap traces of link ends (sim.h: sim_pcap_enable), one
// file per end, written by ns-3's PointToPointHelper.
//
// Does not decide what is on the wire, and traces only links that exist at
// the call.

#include "sim/sim_internal.hh"

#include <cstdio>
#include <string>

using namespace shim;

extern "C" {

// Covers the links that exist at the call; later links are not traced.
// Each file is opened here first, because ns-3 aborts when it cannot open
// one (HN_EIO instead).  The files are complete once sim_destroy has run.
int
sim_pcap_enable(const char* dir)
{
    if (!g.up || !dir)
    {
        return HN_EINVAL;
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
            std::string file = std::string(dir) + "/" + l->node[side]->name + "-" +
                               std::to_string(l->iface[side]) + ".pcap";
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
