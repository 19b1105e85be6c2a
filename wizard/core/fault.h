/* fault: failure injection for tests (after SQLite's I/O fault tests).
 * Every write the platform layer makes (file write, delete, folder create)
 * and every registry write a test's wrapper makes asks fault_should_fail()
 * first. A test arms the n-th write to fail and checks that whatever
 * happened, each account is fully old or fully new and undo still works.
 * Disarmed (the default), it only counts. Not thread-safe: the wizard
 * changes settings from one thread. */
#ifndef MS_FAULT_H
#define MS_FAULT_H

#include <stdbool.h>

/* The nth write from now (1 = the next one) fails; 0 disarms. With
 * persistent, that write and every later one fail (a disk that stays
 * full), otherwise only that one (a transient error). Resets the count. */
void fault_arm(unsigned long nth, bool persistent);
/* Called before each write: true when this write must fail. */
bool fault_should_fail(void);
/* Writes asked about since the last fault_arm(). */
unsigned long fault_writes(void);
/* Whether the armed fault has fired since the last fault_arm(). */
bool fault_fired(void);

/* Makes ms_disk_free() report `bytes` (tests of the free-space check);
 * fault_fake_free_off() returns to the real value. */
void fault_fake_free(unsigned long long bytes);
/* ms_disk_free() reports the real free space again. */
void fault_fake_free_off(void);
/* The faked free space, when faked. */
bool fault_free_override(unsigned long long *bytes);

#endif
