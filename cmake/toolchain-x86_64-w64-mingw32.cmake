# Cross toolchain: 64-bit Windows with Debian's MinGW-w64 (posix flavour; we
# link everything statically and use no pthreads, so no DLL comes along).
set(CMAKE_SYSTEM_NAME Windows)
set(CMAKE_SYSTEM_PROCESSOR x86_64)
set(MAILSETUP_TRIPLET x86_64-w64-mingw32)
set(CMAKE_C_COMPILER   ${MAILSETUP_TRIPLET}-gcc)
set(CMAKE_RC_COMPILER  ${MAILSETUP_TRIPLET}-windres)
set(CMAKE_FIND_ROOT_PATH /usr/${MAILSETUP_TRIPLET})
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)
# Windows XP x64 / Server 2003 is the oldest 64-bit Windows we build for.
set(MAILSETUP_WINNT 0x0502)
