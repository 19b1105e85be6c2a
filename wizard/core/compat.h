/* compat: the few compiler differences the core cares about. */
#ifndef MS_COMPAT_H
#define MS_COMPAT_H

/* printf-style checking; MinGW's C99 stdio is GNU-format, not MS-format. */
#if defined(__MINGW32__)
#define MS_PRINTF(fmt, args) __attribute__((format(gnu_printf, fmt, args)))
#elif defined(__GNUC__)
#define MS_PRINTF(fmt, args) __attribute__((format(printf, fmt, args)))
#else
#define MS_PRINTF(fmt, args)
#endif

/* A result the caller must look at (curl's WARN_UNUSED_RESULT): every
 * function that returns an ms_code is declared with it, so a dropped error
 * is a compiler warning, and the build is warning-free (docs/CODE_STYLE.md).
 * A call whose result is deliberately not wanted says so: (void)!f(...). */
#if defined(__GNUC__)
#define MS_NODISCARD __attribute__((warn_unused_result))
#else
#define MS_NODISCARD
#endif

#endif
