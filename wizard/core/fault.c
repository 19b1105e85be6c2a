/* fault: the write counter behind fault injection; see fault.h. */
#include "fault.h"

static unsigned long armed_at;  /* 0: disarmed */
static unsigned long count;     /* writes since fault_arm() */
static bool persistent_fault, fired;
static bool free_faked;
static unsigned long long free_bytes;

void fault_arm(unsigned long nth, bool persistent)
{
    armed_at = nth;
    persistent_fault = persistent;
    count = 0;
    fired = false;
}

bool fault_should_fail(void)
{
    count++;
    if (!armed_at)
        return false;
    if (count == armed_at || (persistent_fault && count > armed_at)) {
        fired = true;
        return true;
    }
    return false;
}

unsigned long fault_writes(void)
{
    return count;
}

bool fault_fired(void)
{
    return fired;
}

void fault_fake_free(unsigned long long bytes)
{
    free_faked = true;
    free_bytes = bytes;
}

void fault_fake_free_off(void)
{
    free_faked = false;
}

bool fault_free_override(unsigned long long *bytes)
{
    if (free_faked)
        *bytes = free_bytes;
    return free_faked;
}
