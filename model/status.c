/* status.c - names for enum hn_status. */
#include "status.h"

const char *hn_strerror(int status)
{
	static const char *const names[] = {
		[0] = "ok",
		[-HN_ETRUNC] = "truncated buffer",
		[-HN_EVERSION] = "IP version is not 4",
		[-HN_EIHL] = "bad IP header length",
		[-HN_ELEN] = "bad IP total length",
		[-HN_ECKSUM] = "bad header checksum",
		[-HN_EDF] = "fragmentation needed but DF set",
		[-HN_EMTU] = "MTU too small",
		[-HN_ENOSPC] = "output buffer too small",
		[-HN_EOFFSET] = "fragment offset past 65535",
		[-HN_ENOMEM] = "out of memory",
		[-HN_ELIMIT] = "limit reached",
		[-HN_EPROTO] = "wrong protocol",
		[-HN_ETTL] = "TTL expired",
		[-HN_ELOOP] = "tunnel loop",
		[-HN_EINVAL] = "invalid argument",
		[-HN_ENOROUTE] = "no route to host",
		[-HN_EMSGSIZE] = "datagram larger than route MTU",
		[-HN_EEXIST] = "already exists",
		[-HN_ENOENT] = "no such entry",
		[-HN_EFRAG] = "fragment where a whole datagram is needed",
		[-HN_EIO] = "I/O error",
		[-HN_ECONFIG] = "bad configuration",
		[-HN_ESTATE] = "invalid in current state",
	};
	if (status > 0 || status < HN_STATUS_MIN || !names[-status])
		return "unknown status";
	return names[-status];
}
