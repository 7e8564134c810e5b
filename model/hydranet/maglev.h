/* maglev.h - Maglev consistent hashing (Eisenbud et al., "Maglev: A Fast
 * and Reliable Software Network Load Balancer", NSDI 2016, section 3.4).
 *
 * A lookup table of prime size M maps a flow's hash to a backend.  Each
 * backend i has a permutation of 0..M-1, permutation[i][j] = (offset_i +
 * j * skip_i) mod M, with offset_i = h1(name_i) mod M and skip_i =
 * h2(name_i) mod (M - 1) + 1 (so skip_i is coprime with the prime M and the
 * sequence visits every slot).  Population (the paper's Pseudocode 1): the
 * backends take turns; on its turn a backend takes the first slot of its
 * permutation not yet taken, until all M are.  Every backend gets M/N
 * slots, give or take one, and removing a backend moves few slots of the
 * others.  Backends here are host-server IPv4 addresses, given in ascending
 * order (so two redirectors with the same set build the same table); the
 * name hashed is the address's 4 bytes in network order. */
#ifndef HN_MAGLEV_H
#define HN_MAGLEV_H
#include <stddef.h>
#include <stdint.h>

#define MAGLEV_MAX_SIZE 65537u   /* the paper's example size (section 3.4) */

/* 1 when m is prime, else 0. */
int maglev_is_prime(uint64_t m);

/* Fill entry[0..m) with backend indices 0..n-1 from each backend's offset
 * and skip, as Pseudocode 1 does.  n >= 1, m prime, offset[i] < m, 1 <=
 * skip[i] < m.  HN_OK or HN_EINVAL. */
int maglev_populate(const uint32_t *offset, const uint32_t *skip, size_t n, uint32_t m,
		    int32_t *entry);

/* Offset and skip of a backend address for table size m. */
void maglev_offset_skip(uint32_t addr, uint32_t m, uint32_t *offset, uint32_t *skip);

/* maglev_populate over backends addr[0..n) with their hashes' offsets and
 * skips.  n <= 64.  HN_OK or HN_EINVAL. */
int maglev_build(const uint32_t *addr, size_t n, uint32_t m, int32_t *entry);

/* The hash of a flow's 5-tuple that indexes the table (mod m). */
uint32_t maglev_flow_hash(uint32_t src, uint32_t dst, uint16_t sport, uint16_t dport,
			  uint8_t proto);
#endif
