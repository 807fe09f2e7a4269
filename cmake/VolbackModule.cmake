# volback_module(NAME <name> SOURCES ... [DEPS ...] [PRIVATE_DEPS ...] [TESTS ...] [TEST_DEPS ...])
#
# Creates the static library volback_<name> (slashes become underscores) with the
# rooted include directory src/, so code includes <volback/<module>/x.hpp>. Its unit
# tests (files beside the code) build into volback_<name>_test, registered with CTest.
# Which module may include which is checked by scripts/check-layering.sh.
# VOLBACK_TEST_FLAGS: extra compile options for the unit test programs only; -O0 by default
# (after the build type's flags, so it wins). The libraries are built as the build type says:
# they are what the tests and the fuzz targets exercise, and the tests' own GoogleTest code
# compiles at -O0 in less than half the time it takes at -O3.
set(VOLBACK_TEST_FLAGS "-O0" CACHE STRING "Extra compile options for the unit tests")
separate_arguments(volback_test_flags UNIX_COMMAND "${VOLBACK_TEST_FLAGS}")

# VOLBACK_UNITY_BUILD: compile each library and test program in batches of files (CMake's
# unity build): most of a file's compile time is parsing the same standard, fmt and GoogleTest
# headers, so a batch costs little more than one file; a clean build takes half the time. The
# files of a module therefore must not define the same name twice, even in unnamed namespaces.
# -DVOLBACK_UNITY_BUILD=OFF compiles file by file (quicker rebuilds after a one-file change).
option(VOLBACK_UNITY_BUILD "Compile each module in batches of files (CMake unity build)" ON)
set(VOLBACK_UNITY_BATCH_SIZE 8 CACHE STRING "Files per batch of the unity build")

# volback_unity(TARGET) — applies VOLBACK_UNITY_BUILD to TARGET.
function(volback_unity target)
  if(VOLBACK_UNITY_BUILD)
    set_target_properties(${target} PROPERTIES UNITY_BUILD ON UNITY_BUILD_BATCH_SIZE ${VOLBACK_UNITY_BATCH_SIZE})
  endif()
endfunction()

function(volback_module)
  cmake_parse_arguments(M "" "NAME" "SOURCES;DEPS;PRIVATE_DEPS;TESTS;TEST_DEPS" ${ARGN})
  string(REPLACE "/" "_" target "volback_${M_NAME}")
  add_library(${target} STATIC ${M_SOURCES})
  target_include_directories(${target} PUBLIC ${PROJECT_SOURCE_DIR}/src)
  target_link_libraries(${target}
    PUBLIC volback_standard_settings ${M_DEPS}
    PRIVATE volback_standard_warnings ${M_PRIVATE_DEPS})
  volback_unity(${target})
  if(VOLBACK_BUILD_TESTS AND M_TESTS)
    add_executable(${target}_test ${M_TESTS})
    target_link_libraries(${target}_test PRIVATE ${target} ${M_TEST_DEPS}
      volback_standard_warnings GTest::gtest GTest::gtest_main)
    target_compile_options(${target}_test PRIVATE ${volback_test_flags})
    volback_unity(${target}_test)
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
