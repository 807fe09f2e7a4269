# volback_module(NAME <name> SOURCES ... [DEPS ...] [PRIVATE_DEPS ...] [TESTS ...] [TEST_DEPS ...])
#
# Creates the static library volback_<name> (slashes become underscores) with the
# rooted include directory src/, so code includes <volback/<module>/x.hpp>. Its unit
# tests (files beside the code) build into volback_<name>_test, registered with CTest.
# Which module may include which is checked by scripts/check-layering.sh.
# VOLBACK_TEST_FLAGS: extra compile options for the unit test programs only. The sanitizer
# presets build the tests at -O0 and the libraries at -O1: the libraries are what the tests
# and the fuzz targets exercise, and -O0 compiles the tests' GoogleTest code a third faster.
set(VOLBACK_TEST_FLAGS "" CACHE STRING "Extra compile options for the unit tests, e.g. -O0")
separate_arguments(volback_test_flags UNIX_COMMAND "${VOLBACK_TEST_FLAGS}")

function(volback_module)
  cmake_parse_arguments(M "" "NAME" "SOURCES;DEPS;PRIVATE_DEPS;TESTS;TEST_DEPS" ${ARGN})
  string(REPLACE "/" "_" target "volback_${M_NAME}")
  add_library(${target} STATIC ${M_SOURCES})
  target_include_directories(${target} PUBLIC ${PROJECT_SOURCE_DIR}/src)
  target_link_libraries(${target}
    PUBLIC volback_standard_settings ${M_DEPS}
    PRIVATE volback_standard_warnings ${M_PRIVATE_DEPS})
  if(VOLBACK_BUILD_TESTS AND M_TESTS)
    add_executable(${target}_test ${M_TESTS})
    target_link_libraries(${target}_test PRIVATE ${target} ${M_TEST_DEPS}
      volback_standard_warnings GTest::gtest GTest::gtest_main)
    target_compile_options(${target}_test PRIVATE ${volback_test_flags})
    gtest_discover_tests(${target}_test DISCOVERY_TIMEOUT 60)
  endif()
endfunction()

# volback_test_tool(NAME <output name> SOURCE <file> DEPS <libs...>)
# A helper program for the integration tests and benchmarks, built next to the volback
# binary (only with the tests) and never installed.
function(volback_test_tool)
  cmake_parse_arguments(T "" "NAME;SOURCE" "DEPS" ${ARGN})
  if(NOT VOLBACK_BUILD_TESTS)
    return()
  endif()
  string(REPLACE "-" "_" target "${T_NAME}")
  add_executable(${target} ${T_SOURCE})
  target_link_libraries(${target} PRIVATE ${T_DEPS} volback_standard_warnings)
  set_target_properties(${target} PROPERTIES OUTPUT_NAME ${T_NAME} RUNTIME_OUTPUT_DIRECTORY ${PROJECT_BINARY_DIR})
endfunction()
