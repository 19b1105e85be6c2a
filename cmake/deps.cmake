# libcurl and cJSON come from Debian's source packages, built by
# scripts/build-deps into a cache outside the checkout (MAILSETUP_CACHE,
# default ~/.cache/mailsetup), keyed by package version and target. The first
# configure builds them; every later one, and CI's fresh clone, reuses them.
if(WIN32)
  set(_deps_target ${MAILSETUP_TRIPLET})
else()
  set(_deps_target host)
endif()
execute_process(
  COMMAND ${CMAKE_SOURCE_DIR}/scripts/build-deps ${_deps_target}
  OUTPUT_VARIABLE _deps_out
  RESULT_VARIABLE _deps_rc
  OUTPUT_STRIP_TRAILING_WHITESPACE)
if(NOT _deps_rc EQUAL 0)
  message(FATAL_ERROR "scripts/build-deps ${_deps_target} failed (${_deps_rc})")
endif()
string(REGEX MATCH "cjson=([^\n]*)" _m "${_deps_out}")
set(MAILSETUP_CJSON_DIR ${CMAKE_MATCH_1})
string(REGEX MATCH "curl=([^\n]*)" _m "${_deps_out}")
set(MAILSETUP_CURL_DIR ${CMAKE_MATCH_1})
message(STATUS "cJSON from ${MAILSETUP_CJSON_DIR}")

add_library(ms_cjson STATIC IMPORTED GLOBAL)
set_target_properties(ms_cjson PROPERTIES
  IMPORTED_LOCATION ${MAILSETUP_CJSON_DIR}/lib/libcjson.a
  INTERFACE_INCLUDE_DIRECTORIES ${MAILSETUP_CJSON_DIR}/include)

if(MAILSETUP_CURL_DIR)
  message(STATUS "libcurl from ${MAILSETUP_CURL_DIR}")
  add_library(ms_curl STATIC IMPORTED GLOBAL)
  set_target_properties(ms_curl PROPERTIES
    IMPORTED_LOCATION ${MAILSETUP_CURL_DIR}/lib/libcurl.a
    INTERFACE_INCLUDE_DIRECTORIES ${MAILSETUP_CURL_DIR}/include
    INTERFACE_COMPILE_DEFINITIONS CURL_STATICLIB
    INTERFACE_LINK_LIBRARIES "bcrypt;secur32;crypt32;ws2_32;wldap32;advapi32")
endif()
