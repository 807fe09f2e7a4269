# volback_module(NAME <name> SOURCES ... [DEPS ...] [PRIVATE_DEPS ...] [TESTS ...] [TEST_DEPS ...])
#
# Creates the static library volback_<name> (slashes become underscores) with the
# rooted include directory src/, so code includes <volback/<module>/x.hpp>. Its unit
# tests (files beside the code) build into volback_<name>_test, registered with CTest.
# Which module may include which is checked by scripts/check-layering.sh.
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
    gtest_discover_tests(${target}_test DISCOVERY_TIMEOUT 60)
  endif()
endfunction()
