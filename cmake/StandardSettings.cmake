# Project-wide compile settings as INTERFACE targets that every module links.
set(CMAKE_CXX_STANDARD 20)
set(CMAKE_CXX_STANDARD_REQUIRED ON)
set(CMAKE_CXX_EXTENSIONS OFF)

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

if(VOLBACK_SANITIZE)
  target_compile_options(volback_standard_settings INTERFACE
    -fsanitize=${VOLBACK_SANITIZE} -fno-omit-frame-pointer)
  target_link_options(volback_standard_settings INTERFACE -fsanitize=${VOLBACK_SANITIZE})
endif()
