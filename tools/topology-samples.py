#!/usr/bin/env python3
"""topology-samples.py - writes the sample topology files of
scenarios/topologies/ (made for HydraNet, not measured Internet data):

  inet-30.txt        Inet 3.0 format: 30 nodes on a 10000 x 10000 plane
                     (Inet's), a core of 6 in a ring with 2 chords, 24 more
                     each joined to a random earlier node; weight = the
                     link's Euclidean length / 100, rounded (so with
                     delay_from = weight and delay_unit = 0.1ms a link's
                     delay is 1 ms per 1000 plane units).
  rocketfuel-24.weights  Rocketfuel weights format: 24 routers named like
                     Rocketfuel's ("City,+ST<uid>"), every link in both
                     directions with OSPF-like weights (random 1..20).
  rocketfuel-12.cch  Rocketfuel maps format: 12 routers, each listing its
                     neighbours (every link from both ends).

One seed, the same files: python3 tools/topology-samples.py DIR"""
import math
import random
import sys

out = sys.argv[1] if len(sys.argv) > 1 else "scenarios/topologies"
rng = random.Random(1998)

# Inet
n = 30
pos = [(rng.randrange(10000), rng.randrange(10000)) for _ in range(n)]
links = [(k, (k + 1) % 6) for k in range(6)] + [(0, 3), (1, 4)]
for k in range(6, n):
    links.append((rng.randrange(k), k))
def w(a, b):
    return round(math.dist(pos[a], pos[b]) / 100)
with open(f"{out}/inet-30.txt", "w") as f:
    f.write(f"{n} {len(links)}\n")
    for k, (x, y) in enumerate(pos):
        f.write(f"{k}\t{x}\t{y}\n")
    for a, b in links:
        f.write(f"{a}\t{b}\t{w(a, b)}\n")

# Rocketfuel weights
cities = ["Seattle,+WA", "Chicago,+IL", "New+York,+NY", "Atlanta,+GA", "Dallas,+TX",
          "Denver,+CO", "San+Jose,+CA", "Washington,+DC"]
names = [f"{cities[k % 8]}{1000 + 37 * k}" for k in range(24)]
rl = [(k, (k + 1) % 8) for k in range(8)] + [(0, 4), (2, 6)]
for k in range(8, 24):
    rl.append((k % 8, k))
    if k % 3 == 0:
        rl.append(((k + 3) % 8, k))
with open(f"{out}/rocketfuel-24.weights", "w") as f:
    for a, b in rl:
        wt = rng.randint(1, 20)
        f.write(f"{names[a]}\t{names[b]}\t{wt}\n")
        f.write(f"{names[b]}\t{names[a]}\t{wt}\n")

# Rocketfuel maps (.cch)
m = 12
ml = [(k, (k + 1) % 4) for k in range(4)] + [(k % 4, k) for k in range(4, 12)] + [(4, 5)]
nb = {k: [] for k in range(m)}
for a, b in ml:
    nb[a].append(b)
    nb[b].append(a)
uid = [200 + 3 * k for k in range(m)]
with open(f"{out}/rocketfuel-12.cch", "w") as f:
    for k in range(m):
        city = cities[k % 4].replace(",", ",").rstrip()
        bb = " bb" if k < 4 else ""
        ngh = " ".join(f"<{uid[j]}>" for j in sorted(nb[k]))
        f.write(f"{uid[k]} @{city} +{bb}\t({len(nb[k])}) &{k % 3} -> {ngh}  "
                f"=r{k}.{city.split(',')[0].lower().replace('+', '')}.example.net r0\n")
