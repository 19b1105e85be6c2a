# The exe's VERSIONINFO resource, filled at configure time from the ISP
# profile that is embedded (MAILSETUP_PROFILE): CompanyName is the ISP,
# ProductName/FileDescription name the ISP's mail setup tool, the versions
# are the project's, and Comments carries the profile id. Explorer shows it
# under Properties > Details, and Windows' UAC/SmartScreen prompts show the
# description. Editing the profile re-runs configure (CMAKE_CONFIGURE_DEPENDS).

# ms_rc_escape(OUT STR): STR as the inside of a .rc string literal: windres
# reads C escapes, and a quote is doubled. Control characters are refused
# (a name never has them; `mailsetup profile check` refuses them too).
function(ms_rc_escape out str)
  if(str MATCHES "[\n\r\t]")
    message(FATAL_ERROR "versioninfo: control character in \"${str}\"")
  endif()
  string(REPLACE "\\" "\\\\" str "${str}")
  string(REPLACE "\"" "\"\"" str "${str}")
  set(${out} "${str}" PARENT_SCOPE)
endfunction()

# ms_profile_get(OUT JSON KEY...): one string member, or a clear configure
# error naming the profile file when it is missing.
function(ms_profile_get out json profile)
  string(JSON value ERROR_VARIABLE err GET "${json}" ${ARGN})
  if(err)
    message(FATAL_ERROR "${profile}: cannot read ${ARGN}: ${err}\n"
      "(check it with: mailsetup profile check ${profile})")
  endif()
  set(${out} "${value}" PARENT_SCOPE)
endfunction()

# ms_generate_versioninfo(PROFILE OUT_RC): writes OUT_RC from
# resources/versioninfo.rc.in.
function(ms_generate_versioninfo profile out_rc)
  if(NOT EXISTS "${profile}")
    message(FATAL_ERROR "MAILSETUP_PROFILE ${profile} does not exist")
  endif()
  set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS "${profile}")
  file(READ "${profile}" json)
  ms_profile_get(id "${json}" "${profile}" id)
  ms_profile_get(name_ja "${json}" "${profile}" name ja)
  # name.en is optional in the format: the Japanese name stands in.
  string(JSON name_en ERROR_VARIABLE err GET "${json}" name en)
  if(err OR name_en STREQUAL "")
    set(name_en "${name_ja}")
  endif()
  ms_rc_escape(MS_VI_ID "${id}")
  ms_rc_escape(MS_VI_NAME_JA "${name_ja}")
  ms_rc_escape(MS_VI_NAME_EN "${name_en}")
  set(MS_VI_VERSION "${PROJECT_VERSION}")
  set(MS_VI_VERSION_COMMA
    "${PROJECT_VERSION_MAJOR},${PROJECT_VERSION_MINOR},${PROJECT_VERSION_PATCH},0")
  configure_file(${CMAKE_SOURCE_DIR}/resources/versioninfo.rc.in "${out_rc}" @ONLY)
endfunction()
