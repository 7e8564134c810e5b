/* maglev.c - Maglev lookup tables; see maglev.h. */
#include "hydranet/maglev.h"

#include "status.h"

int maglev_is_prime(uint64_t m)
{
	if (m < 2)
		return 0;
	for (uint64_t d = 2; d * d <= m; d++)
		if (m % d == 0)
			return 0;
	return 1;
}

int maglev_populate(const uint32_t *offset, const uint32_t *skip, size_t n, uint32_t m,
		    int32_t *entry)
{
	if (n == 0 || n > 64 || m < 2 || m > MAGLEV_MAX_SIZE || !maglev_is_prime(m))
		return HN_EINVAL;
	uint32_t next[64];
	for (size_t i = 0; i < n; i++) {
		if (offset[i] >= m || skip[i] == 0 || skip[i] >= m)
			return HN_EINVAL;
		next[i] = 0;
	}
	for (uint32_t j = 0; j < m; j++)
		entry[j] = -1;
	uint32_t filled = 0;
	for (;;) {
		for (size_t i = 0; i < n; i++) {
			uint32_t c = (uint32_t)(((uint64_t)offset[i] + (uint64_t)next[i] * skip[i]) % m);
			while (entry[c] >= 0) {
				next[i]++;
				c = (uint32_t)(((uint64_t)offset[i] + (uint64_t)next[i] * skip[i]) % m);
			}
			entry[c] = (int32_t)i;
			next[i]++;
			if (++filled == m)
				return HN_OK;
		}
	}
}

/* SplitMix64's finaliser (Steele, Lea, Flood 2014): a well-mixed 64-bit hash. */
static uint64_t mix64(uint64_t z)
{
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

void maglev_offset_skip(uint32_t addr, uint32_t m, uint32_t *offset, uint32_t *skip)
{
	/* h1 and h2: two independent hashes of the name (the paper uses two
	 * different hash functions); here one mixer with two seeds. */
	uint64_t h1 = mix64((uint64_t)addr ^ 0x6d61676c65763031ull);
	uint64_t h2 = mix64((uint64_t)addr ^ 0x6d61676c65763032ull);
	*offset = (uint32_t)(h1 % m);
	*skip = (uint32_t)(h2 % (m - 1)) + 1;
}

int maglev_build(const uint32_t *addr, size_t n, uint32_t m, int32_t *entry)
{
	uint32_t off[64], sk[64];
	if (n == 0 || n > 64 || m < 2)
		return HN_EINVAL;
	for (size_t i = 0; i < n; i++)
		maglev_offset_skip(addr[i], m, &off[i], &sk[i]);
	return maglev_populate(off, sk, n, m, entry);
}

uint32_t maglev_flow_hash(uint32_t src, uint32_t dst, uint16_t sport, uint16_t dport,
			  uint8_t proto)
{
	uint64_t a = (uint64_t)src << 32 | dst;
	uint64_t b = (uint64_t)sport << 24 | (uint64_t)dport << 8 | proto;
	return (uint32_t)(mix64(a ^ mix64(b)) >> 32);
}
