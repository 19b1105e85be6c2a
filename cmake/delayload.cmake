# Delay-loading of DLLs that are not Known DLLs (docs/distribution.md, "Safe
# loading"). The loader resolves an exe's ordinary imports before any of its
# code runs, searching the exe's own folder first: a crypt32.dll planted in
# the Downloads folder would be loaded. A delay import is resolved on the
# first call instead (mingw-w64's __delayLoadHelper2 in libmingwex), after
# main.c's harden_dll_search has limited the search to System32.
#
# ms_delay_import(TARGET DLLNAME): links TARGET with a delay-import library
# for DLLNAME (e.g. crypt32), made at configure time by the toolchain's
# dlltool --output-delaylib from every export of MinGW's import library.
# It must be linked before the ordinary import library: target_link_libraries
# puts a target's own items before its libraries' dependencies (libcurl's
# -lcrypt32), so the delay library wins.
function(ms_delay_import target dll)
  set(dir ${CMAKE_BINARY_DIR}/delayload)
  set(lib ${dir}/lib${dll}_delay.a)
  if(NOT EXISTS ${lib})
    execute_process(COMMAND ${CMAKE_C_COMPILER} -print-file-name=lib${dll}.a
      OUTPUT_VARIABLE implib OUTPUT_STRIP_TRAILING_WHITESPACE)
    if(NOT EXISTS "${implib}")
      message(FATAL_ERROR "delayload: no import library lib${dll}.a for ${MAILSETUP_TRIPLET}")
    endif()
    find_program(MS_DLLTOOL ${MAILSETUP_TRIPLET}-dlltool REQUIRED)
    find_program(MS_NM ${MAILSETUP_TRIPLET}-nm REQUIRED)
    execute_process(COMMAND ${MS_NM} -g --defined-only ${implib}
      OUTPUT_VARIABLE syms RESULT_VARIABLE rc)
    if(NOT rc EQUAL 0)
      message(FATAL_ERROR "delayload: ${MS_NM} ${implib} failed")
    endif()
    # "__imp_CertOpenStore" (x64) / "__imp__CertOpenStore@20" (x86): the
    # .def names are without the __imp_ and, on x86, the leading _; -k
    # imports them by the undecorated name the DLL exports.
    string(REGEX MATCHALL "__imp_[A-Za-z0-9_@]+" imps "${syms}")
    list(REMOVE_DUPLICATES imps)
    set(def "LIBRARY ${dll}.dll\nEXPORTS\n")
    foreach(s IN LISTS imps)
      string(REGEX REPLACE "^__imp_" "" s "${s}")
      # (One underscore only: REGEX REPLACE "^_" would strip them all,
      # ws2_32's ___WSAFDIsSet@8 becoming WSAFDIsSet.)
      if(CMAKE_SIZEOF_VOID_P EQUAL 4 AND s MATCHES "^_")
        string(SUBSTRING "${s}" 1 -1 s)
      endif()
      string(APPEND def "${s}\n")
    endforeach()
    file(MAKE_DIRECTORY ${dir})
    file(WRITE ${dir}/${dll}.def "${def}")
    set(kill_at)
    if(CMAKE_SIZEOF_VOID_P EQUAL 4)
      set(kill_at -k)
    endif()
    execute_process(COMMAND ${MS_DLLTOOL} ${kill_at} --input-def ${dir}/${dll}.def
      --dllname ${dll}.dll --output-delaylib ${lib}.tmp RESULT_VARIABLE rc)
    if(NOT rc EQUAL 0)
      message(FATAL_ERROR "delayload: ${MS_DLLTOOL} --output-delaylib for ${dll} failed")
    endif()
    file(RENAME ${lib}.tmp ${lib})
  endif()
  target_link_libraries(${target} PRIVATE ${lib})
endfunction()
