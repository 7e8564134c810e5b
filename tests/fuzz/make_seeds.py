#!/usr/bin/env python3
"""make_seeds.py - write the tiny seed inputs of tests/fuzz/corpus/.

Run from anywhere: python3 tests/fuzz/make_seeds.py.  Formats are described
at the top of fuzz_reass.c and fuzz_ipip.c."""
import os
import struct

HERE = os.path.dirname(os.path.abspath(__file__))


def csum(b):
    if len(b) % 2:
        b += b"\0"
    s = sum(struct.unpack("!%dH" % (len(b) // 2), b))
    while s >> 16:
        s = (s & 0xFFFF) + (s >> 16)
    return (~s) & 0xFFFF


def ip(payload, proto=17, ident=1, mf=False, off8=0, df=False, ttl=9,
       src=0x0A000001, dst=0x0A000002, tos=0, opts=b""):
    hl = 20 + len(opts)
    ff = (0x4000 if df else 0) | (0x2000 if mf else 0) | off8
    h = struct.pack("!BBHHHBBHII", 0x40 | hl // 4, tos, hl + len(payload),
                    ident, ff, ttl, proto, 0, src, dst) + opts
    h = h[:10] + struct.pack("!H", csum(h)) + h[12:]
    return h + payload


def rec(frag, repair=1, adv=0):
    return bytes([(adv << 1) | repair]) + struct.pack("!H", len(frag)) + frag


def write(d, name, data):
    os.makedirs(os.path.join(HERE, "corpus", d), exist_ok=True)
    with open(os.path.join(HERE, "corpus", d, name), "wb") as f:
        f.write(data)


P = bytes(range(40))
a = ip(P[:16], mf=True)
b = ip(P[16:32], mf=True, off8=2)
c = ip(P[32:37], off8=4)
write("fuzz_reass", "in_order", rec(a) + rec(b) + rec(c))
write("fuzz_reass", "reversed", rec(c, adv=1) + rec(b, adv=2) + rec(a, adv=3))
write("fuzz_reass", "overlap_dup",
      rec(ip(P[8:24], mf=True, off8=1)) + rec(a) + rec(a) + rec(c) + rec(b))
write("fuzz_reass", "timeout",
      rec(a) + rec(ip(P[:8], ident=2, mf=True), adv=20) + rec(b, adv=70) + rec(c))
write("fuzz_reass", "options",
      rec(ip(P[:16], mf=True, opts=bytes([0x83, 7, 4, 1, 2, 3, 4, 0]))) + rec(c)
      + rec(ip(P[16:32], mf=True, off8=2, opts=bytes([0x83, 7, 4, 1, 2, 3, 4, 0]))))

inner = ip(bytes(range(60)), proto=6, ident=0x1111, ttl=30, df=True, tos=0xB8,
           src=0xC0A80105, dst=0x0A0000FE)
write("fuzz_ipip", "plain", ip(inner, proto=4, ident=7, ttl=64,
                               src=0x0A000001, dst=0x0A000063, df=True, tos=0xB8))
write("fuzz_ipip", "outer_opts", ip(inner, proto=4, ident=8, ttl=1,
                                    src=0x0A000001, dst=0x0A000063,
                                    opts=bytes([1, 1, 1, 0])))
write("fuzz_ipip", "inner_opts",
      ip(ip(bytes(range(200)), opts=bytes([0x83, 7, 4, 1, 2, 3, 4, 0x07, 3, 4, 0, 0]),
            src=0xC0A80105, dst=0x0A0000FE),
         proto=4, src=0x0A000001, dst=0x0A000063) + b"\0\0")

# DNS (RFC 1035): a query, an answer with compression, a CNAME, NXDOMAIN.
def dname(s):
    return b"".join(bytes([len(x)]) + x.encode() for x in s.split(".") if x) + b"\0"


def dhdr(ident, f1, f2, qd=1, an=0, ns=0, ar=0):
    return struct.pack("!HBBHHHH", ident, f1, f2, qd, an, ns, ar)


Q = dname("www.example.com") + struct.pack("!HH", 1, 1)
A1 = b"\xc0\x0c" + struct.pack("!HHIH", 1, 1, 60, 4) + bytes([10, 0, 2, 1])
A2 = b"\xc0\x0c" + struct.pack("!HHIH", 1, 1, 30, 4) + bytes([10, 0, 5, 9])
NS = b"\x02ns\xc0\x10" + struct.pack("!HHIH", 1, 1, 60, 4) + bytes([10, 0, 3, 3])
CN = b"\xc0\x0c" + struct.pack("!HHIH", 5, 1, 60, 2) + b"\xc0\x31"
write("fuzz_dns", "query", dhdr(0x1234, 0x01, 0x00) + Q)
write("fuzz_dns", "answer", dhdr(0x1234, 0x85, 0x80, an=2) + Q + A1 + A2)
write("fuzz_dns", "compressed", dhdr(7, 0x85, 0x80, an=3) + Q + A1 + NS + CN)
write("fuzz_dns", "nxdomain", dhdr(9, 0x85, 0x83) + Q)
write("fuzz_dns", "additional", dhdr(9, 0x81, 0x80, an=1, ar=1) + Q + A1 + A2)
