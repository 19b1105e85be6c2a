# The test-hook build of mailsetup.exe (docs/security.md, "No test switches
# in what ships").
#
# The switches that let a test redirect the test send or trust its own CA
# (the GUI's --test-server and --ca-file, test-send's --ca-file and
# --resolve), the fault injection of apply (MAILSETUP_TEST_FAULT_WRITE) and
# the test send's pause before exit exist only in code compiled with
# MS_TEST_HOOKS=1. `mailsetup` -- what the README builds, what the installer
# packs and what scripts/build-isp signs -- is never compiled so.
#
# With MAILSETUP_TEST_HOOKS=ON (the win64 preset, which scripts/test builds;
# build-isp sets it OFF) this adds the target `mailsetup-test`: the same
# sources, options and libraries as `mailsetup` plus MS_TEST_HOOKS=1,
# written to <dist>/tests/mailsetup.exe (beside guidriver.exe, a folder the
# installer never packs). The Wine tests run that exe; the import and size
# checks read the shipped one.
#
# Deferred to the end of wizard/CMakeLists.txt, like isp_targets.cmake, so
# that it copies `mailsetup` as it finally is.
option(MAILSETUP_TEST_HOOKS "Also build mailsetup-test: the exe with the test switches" OFF)

function(ms_test_hooks_target)
  if(NOT MAILSETUP_TEST_HOOKS)
    return()
  endif()
  get_target_property(srcs mailsetup SOURCES)
  foreach(prop COMPILE_DEFINITIONS COMPILE_OPTIONS INCLUDE_DIRECTORIES LINK_LIBRARIES LINK_OPTIONS)
    get_target_property(m_${prop} mailsetup ${prop})
    if(NOT m_${prop})
      set(m_${prop})
    endif()
  endforeach()
  list(FILTER m_LINK_OPTIONS EXCLUDE REGEX "-Map=")
  add_executable(mailsetup-test WIN32 ${srcs})
  target_compile_definitions(mailsetup-test PRIVATE ${m_COMPILE_DEFINITIONS} MS_TEST_HOOKS=1)
  target_compile_options(mailsetup-test PRIVATE ${m_COMPILE_OPTIONS})
  target_include_directories(mailsetup-test PRIVATE ${m_INCLUDE_DIRECTORIES})
  target_link_libraries(mailsetup-test PRIVATE ${m_LINK_LIBRARIES})
  target_link_options(mailsetup-test PRIVATE ${m_LINK_OPTIONS})
  set_target_properties(mailsetup-test PROPERTIES C_VISIBILITY_PRESET hidden
    OUTPUT_NAME mailsetup RUNTIME_OUTPUT_DIRECTORY ${CMAKE_CURRENT_BINARY_DIR}/test-hooks)
  if(MAILSETUP_DIST)
    add_custom_command(TARGET mailsetup-test POST_BUILD
      COMMAND ${CMAKE_COMMAND} -E make_directory ${MAILSETUP_DIST}/tests
      COMMAND ${CMAKE_COMMAND} -E copy $<TARGET_FILE:mailsetup-test>
              ${MAILSETUP_DIST}/tests/mailsetup.exe
      VERBATIM)
  endif()
endfunction()

cmake_language(DEFER CALL ms_test_hooks_target)
