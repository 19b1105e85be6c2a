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

#endif
