# Per-ISP branded executables from one build (docs/distribution.md).
#
# MAILSETUP_ISP_PROFILES is a list of ISP profile files. For each one this
# adds a target `mailsetup-isp-<id>` that writes <build>/isp/<id>/
# <id>-mailsetup.exe: the same code as `mailsetup` (compiled ONCE, as the
# object library ms_wizard_objs), linked with that ISP's resources: the
# profile as RCDATA and the VERSIONINFO (company = the ISP) generated from it.
# So N ISPs cost one compile plus N resource compiles and N links, which is
# what lets scripts/build-isp --all fit in CI.
#
# It runs deferred, at the end of wizard/CMakeLists.txt, so that it copies
# the `mailsetup` target as it finally is (sources, definitions, options,
# libraries), whatever other parts of the file added to it.
set(MAILSETUP_ISP_PROFILES "" CACHE STRING
    "ISP profiles (;-list of files) to build branded mailsetup-isp-<id> exes for")

function(ms_isp_targets)
  if(NOT MAILSETUP_ISP_PROFILES)
    return()
  endif()
  get_target_property(srcs mailsetup SOURCES)
  set(code)
  set(rcs)
  foreach(s IN LISTS srcs)
    if(s MATCHES "\\.rc$")
      list(APPEND rcs ${s})
    else()
      list(APPEND code ${s})
    endif()
  endforeach()
  foreach(prop COMPILE_DEFINITIONS COMPILE_OPTIONS INCLUDE_DIRECTORIES LINK_LIBRARIES LINK_OPTIONS)
    get_target_property(m_${prop} mailsetup ${prop})
    if(NOT m_${prop})
      set(m_${prop})
    endif()
  endforeach()
  # The link map of `mailsetup` is its own; each ISP exe gets one next to it.
  list(FILTER m_LINK_OPTIONS EXCLUDE REGEX "-Map=")

  add_library(ms_wizard_objs OBJECT ${code})
  target_compile_definitions(ms_wizard_objs PRIVATE ${m_COMPILE_DEFINITIONS})
  target_compile_options(ms_wizard_objs PRIVATE ${m_COMPILE_OPTIONS})
  target_include_directories(ms_wizard_objs PRIVATE ${m_INCLUDE_DIRECTORIES})
  target_link_libraries(ms_wizard_objs PRIVATE ${m_LINK_LIBRARIES})
  set_target_properties(ms_wizard_objs PROPERTIES C_VISIBILITY_PRESET hidden)

  set(seen)
  foreach(profile IN LISTS MAILSETUP_ISP_PROFILES)
    get_filename_component(profile "${profile}" ABSOLUTE)
    if(NOT EXISTS "${profile}")
      message(FATAL_ERROR "MAILSETUP_ISP_PROFILES: ${profile} does not exist")
    endif()
    file(READ "${profile}" json)
    string(JSON id ERROR_VARIABLE err GET "${json}" id)
    if(err OR NOT id MATCHES "^[a-z0-9][a-z0-9-]*$")
      message(FATAL_ERROR "${profile}: no usable \"id\" (${err}${id}); "
        "check it with: mailsetup profile check ${profile}")
    endif()
    if(id IN_LIST seen)
      message(FATAL_ERROR "MAILSETUP_ISP_PROFILES: two profiles have the id ${id}")
    endif()
    list(APPEND seen ${id})

    # The two generated resource scripts mailsetup.rc includes by name;
    # this directory comes first on the target's include path.
    set(gen ${CMAKE_BINARY_DIR}/generated/isp/${id})
    file(MAKE_DIRECTORY ${gen})
    file(WRITE ${gen}/embedded_profile.rc.tmp "IDR_PROFILE RCDATA \"${profile}\"\n")
    configure_file(${gen}/embedded_profile.rc.tmp ${gen}/embedded_profile.rc COPYONLY)
    ms_generate_versioninfo(${profile} ${gen}/versioninfo.rc)

    set(t mailsetup-isp-${id})
    add_executable(${t} WIN32 $<TARGET_OBJECTS:ms_wizard_objs> ${rcs})
    target_include_directories(${t} BEFORE PRIVATE ${gen})
    target_include_directories(${t} PRIVATE ${m_INCLUDE_DIRECTORIES})
    target_compile_definitions(${t} PRIVATE ${m_COMPILE_DEFINITIONS})
    target_link_libraries(${t} PRIVATE ${m_LINK_LIBRARIES})
    target_link_options(${t} PRIVATE ${m_LINK_OPTIONS}
      -Wl,-Map=${CMAKE_BINARY_DIR}/isp/${id}/${id}-mailsetup.map)
    set_target_properties(${t} PROPERTIES
      OUTPUT_NAME ${id}-mailsetup
      RUNTIME_OUTPUT_DIRECTORY ${CMAKE_BINARY_DIR}/isp/${id})
    # Rebuild the resources when the profile changes (the rc's own
    # dependency scan does not see an RCDATA file).
    set_property(SOURCE ${rcs} TARGET_DIRECTORY ${t} APPEND PROPERTY
      OBJECT_DEPENDS ${profile} ${gen}/versioninfo.rc ${gen}/embedded_profile.rc)
  endforeach()

  # One target that builds them all, with the licence texts the installer
  # and the CD carry next to them (<build>/isp/).
  list(TRANSFORM seen PREPEND mailsetup-isp- OUTPUT_VARIABLE all)
  add_custom_target(mailsetup-isp-all
    COMMAND ${CMAKE_COMMAND} -E copy_if_different ${MAILSETUP_CURL_DIR}/COPYING.curl.txt
            ${MAILSETUP_CJSON_DIR}/LICENSE.cJSON.txt ${CMAKE_BINARY_DIR}/isp/
    DEPENDS ${all} VERBATIM)
endfunction()

cmake_language(DEFER CALL ms_isp_targets)
