/* ssp: the stack protector's runtime for mailsetup.exe, instead of GCC's
 * libssp.a (docs/security.md, "Hardening"; docs/performance.md, start-up).
 *
 * -fstack-protector-strong makes the compiler check a canary,
 * __stack_chk_guard, before a protected function returns, and call
 * __stack_chk_fail when it was overwritten; _FORTIFY_SOURCE's checked
 * memcpy and friends (libssp's *_chk) call __chk_fail on an overflow.
 * libssp sets the canary in a constructor with CryptAcquireContextA and
 * CryptGenRandom: under Wine that loads rsaenh, crypt32 and bcrypt by name
 * before main() — before harden_dll_search() — and it was a sixth of the
 * time to the first window. Defining the four symbols here keeps libssp's
 * ssp.o out of the link (an archive member is linked only for a symbol
 * nobody defined), while the fortified functions still come from libssp.a.
 *
 * The canary comes from RtlGenRandom (advapi32's SystemFunction036,
 * Windows XP on; advapi32 is imported anyway), before any of our code runs:
 * a constructor of the highest priority. It is never logged. */
#include <windows.h>

#include <ntsecapi.h>
#include <stdint.h>

/* The compiler reads this before and after every protected frame. Set once,
 * before main(); Windows forces it to be a global (the ABI names it). */
uintptr_t __stack_chk_guard;

/* These functions must not be protected themselves: the first sets the
 * canary a protected frame would compare, the others run with a smashed
 * stack. */
#define MS_UNGUARDED __attribute__((no_stack_protector, used))

/* Hardware and timing values: only if RtlGenRandom failed (it does not on
 * any supported Windows); still differs per process and per run. */
MS_UNGUARDED static uintptr_t weak_entropy(void)
{
    LARGE_INTEGER qpc;
    QueryPerformanceCounter(&qpc);
    uintptr_t v = (uintptr_t)qpc.QuadPart;
    v ^= (uintptr_t)GetCurrentProcessId() << 16;
    v ^= (uintptr_t)GetCurrentThreadId() << 8;
    v ^= (uintptr_t)GetTickCount();
    v ^= (uintptr_t)&qpc; /* the stack's address, randomised by ASLR */
    return v;
}

MS_UNGUARDED __attribute__((constructor(101))) static void ms_guard_setup(void)
{
    uintptr_t v = 0;
    if (!RtlGenRandom(&v, sizeof v) || v == 0)
        v = weak_entropy();
    /* A zero byte at the bottom stops string overflows from copying the
     * canary through (as glibc does); the rest stays random. */
    __stack_chk_guard = v & ~(uintptr_t)0xff;
}

/* The compiler's and libssp's names, declared for -Wmissing-prototypes. */
void __stack_chk_fail(void) __attribute__((noreturn));
void __stack_chk_fail_local(void) __attribute__((noreturn));
void __chk_fail(void) __attribute__((noreturn));

/* A smashed stack: nothing of this process can be trusted any more, not
 * even its heap or its message functions, so it ends at once with the
 * status Windows gives a /GS failure (STATUS_STACK_BUFFER_OVERRUN), which
 * is what Windows Error Reporting and a helpdesk see. */
MS_UNGUARDED void __stack_chk_fail(void)
{
    TerminateProcess(GetCurrentProcess(), (UINT)0xC0000409);
    for (;;)
        ;
}

/* GCC's name for the same check in code built with -fPIC on some targets. */
MS_UNGUARDED void __stack_chk_fail_local(void)
{
    __stack_chk_fail();
}

/* _FORTIFY_SOURCE: a copy that would run past its destination. */
MS_UNGUARDED void __chk_fail(void)
{
    __stack_chk_fail();
}

#ifdef MS_TEST_HOOKS
#include <string.h>

#include "platform.h"

void ms_test_smash_stack(const char *with);

/* The test-hook exe only (tests/wine/test_stack_guard.py): overruns a
 * protected frame on purpose; the process must end with
 * STATUS_STACK_BUFFER_OVERRUN before this function returns. */
__attribute__((noinline)) void ms_test_smash_stack(const char *with)
{
    char frame[8];
    volatile size_t n = strlen(with); /* unknown to the compiler */
    char *volatile dst = frame;       /* so no fortify check at build time */
    memcpy(dst, with, n);
    ms_platform_write(MS_STDOUT, frame, 1);
}
#endif
