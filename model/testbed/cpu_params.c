/* cpu_params.c - the names a node's `cpu` key takes (cpu.h), as data: the
 * scenario checker links this without the simulator.  Index 0 is no cost
 * model; the others are the profiles of profile.c. */
#include "testbed/cpu.h"

const char *const cpu_choices[] = { "none", "pentium-120", "i486sx-33", NULL };
