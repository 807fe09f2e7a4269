# Project-wide compile settings as INTERFACE targets that every module links.
set(CMAKE_CXX_STANDARD 20)
set(CMAKE_CXX_STANDARD_REQUIRED ON)
set(CMAKE_CXX_EXTENSIONS OFF)

# Linker: lld when the compiler can use it. A build links about fifty programs (the unit test
# programs, the fuzz targets, the tools); lld links each several times faster than GNU ld.
# VOLBACK_LINKER=default keeps the toolchain's own linker.
set(VOLBACK_LINKER "lld" CACHE STRING "Linker for -fuse-ld= when the compiler supports it (lld, gold, default)")
if(NOT VOLBACK_LINKER STREQUAL "default")
  include(CheckLinkerFlag)
  check_linker_flag(CXX "-fuse-ld=${VOLBACK_LINKER}" volback_linker_works_${VOLBACK_LINKER})
  if(volback_linker_works_${VOLBACK_LINKER})
    add_link_options("-fuse-ld=${VOLBACK_LINKER}")
  else()
    message(STATUS "volback: no ${VOLBACK_LINKER} linker; using the toolchain's default")
  endif()
endif()

add_library(volback_standard_settings INTERFACE)
target_compile_features(volback_standard_settings INTERFACE cxx_std_20)
target_compile_definitions(volback_standard_settings INTERFACE _FILE_OFFSET_BITS=64 _GNU_SOURCE)

add_library(volback_standard_warnings INTERFACE)
target_compile_options(volback_standard_warnings INTERFACE
  -Wall -Wextra -Wpedantic -Wshadow -Wnon-virtual-dtor -Wold-style-cast -Wcast-align
  -Woverloaded-virtual -Wnull-dereference -Wimplicit-fallthrough
  # Designated initializers that rely on member defaults are idiomatic C++20.
  -Wno-missing-field-initializers)
if(VOLBACK_WERROR)
  target_compile_options(volback_standard_warnings INTERFACE -Werror)
endif()

# Sanitizers: VOLBACK_SANITIZE is a comma- or semicolon-separated list of address, undefined,
# leak and thread (thread excludes address and leak). They apply to every volback library,
# executable and test through volback_standard_settings, which every module links publicly.
# A UBSan report aborts (-fno-sanitize-recover), so it fails the test that triggered it, and
# libstdc++'s assertions (_GLIBCXX_ASSERTIONS: bounds of operator[], front() of an empty
# container, ...) are on too. The runtime options (ASAN_OPTIONS, ...) are the caller's; see
# scripts/test.sh.
string(REPLACE "," ";" volback_sanitizers "${VOLBACK_SANITIZE}")
list(REMOVE_DUPLICATES volback_sanitizers)
if(VOLBACK_FUZZ AND NOT volback_sanitizers)
  set(volback_sanitizers address undefined)
endif()
foreach(s IN LISTS volback_sanitizers)
  if(NOT s MATCHES "^(address|undefined|leak|thread)$")
    message(FATAL_ERROR "VOLBACK_SANITIZE: unknown sanitizer '${s}' "
      "(use address, undefined, leak or thread)")
  endif()
endforeach()
if("thread" IN_LIST volback_sanitizers AND
   ("address" IN_LIST volback_sanitizers OR "leak" IN_LIST volback_sanitizers))
  message(FATAL_ERROR "VOLBACK_SANITIZE: thread cannot be combined with address or leak")
endif()

if(volback_sanitizers)
  list(JOIN volback_sanitizers "," volback_sanitize_flag)
  message(STATUS "volback: sanitizers ${volback_sanitize_flag}")
  target_compile_options(volback_standard_settings INTERFACE
    -fsanitize=${volback_sanitize_flag} -fno-sanitize-recover=all -fno-omit-frame-pointer)
  target_compile_definitions(volback_standard_settings INTERFACE _GLIBCXX_ASSERTIONS)
  target_link_options(volback_standard_settings INTERFACE -fsanitize=${volback_sanitize_flag})
endif()

# Fuzzing (fuzz/): every library gets libFuzzer's coverage instrumentation
# (-fsanitize=fuzzer-no-link); the fuzz targets alone link libFuzzer (-fsanitize=fuzzer). The
# instrumented libraries still link into ordinary programs such as the unit tests, since the
# sanitizer runtime provides the coverage callbacks.
if(VOLBACK_FUZZ)
  if(NOT CMAKE_CXX_COMPILER_ID STREQUAL "Clang")
    message(FATAL_ERROR "VOLBACK_FUZZ needs clang (libFuzzer), e.g."
      " -DCMAKE_CXX_COMPILER=clang++-14 or the 'fuzz' preset; this is ${CMAKE_CXX_COMPILER_ID}")
  endif()
  target_compile_options(volback_standard_settings INTERFACE -fsanitize=fuzzer-no-link)
endif()
