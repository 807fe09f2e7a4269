# Every third-party library comes from Debian 12 packages (see scripts/install-deps.sh).
find_package(PkgConfig REQUIRED)
find_package(Threads REQUIRED)
find_package(fmt REQUIRED)
find_package(tl-expected REQUIRED)
find_package(CLI11 REQUIRED)
find_package(date REQUIRED)
find_package(ZLIB REQUIRED)
pkg_check_modules(LIBARCHIVE REQUIRED IMPORTED_TARGET libarchive)
# volback::libarchive: the shared library, or with VOLBACK_STATIC_LIBARCHIVE the static one.
# volback writes and reads only tar formats, but libarchive's format table links its xar
# writer, and with it libxml2, which brings ICU: about 35 MB that the image would carry for
# nothing. The static library takes stubs for those libxml2 functions instead
# (cmake/libarchive_xml_stubs.cpp; they fail, and nothing calls them), its other
# dependencies as shared libraries, linked only where needed.
add_library(volback_libarchive INTERFACE)
add_library(volback::libarchive ALIAS volback_libarchive)
if(VOLBACK_STATIC_LIBARCHIVE)
  find_library(VOLBACK_LIBARCHIVE_STATIC NAMES libarchive.a HINTS ${LIBARCHIVE_LIBRARY_DIRS} REQUIRED)
  find_package(PkgConfig REQUIRED)
  pkg_check_modules(LIBARCHIVE_DEPS REQUIRED IMPORTED_TARGET nettle liblzma libacl)
  find_package(BZip2 REQUIRED)
  add_library(volback_libarchive_xml_stubs OBJECT ${CMAKE_CURRENT_LIST_DIR}/libarchive_xml_stubs.cpp)
  target_link_libraries(volback_libarchive INTERFACE
    $<TARGET_OBJECTS:volback_libarchive_xml_stubs> ${VOLBACK_LIBARCHIVE_STATIC}
    PkgConfig::LIBARCHIVE_DEPS PkgConfig::LIBZSTD BZip2::BZip2 ZLIB::ZLIB)
  target_include_directories(volback_libarchive INTERFACE ${LIBARCHIVE_INCLUDE_DIRS})
  target_link_options(volback_libarchive INTERFACE -Wl,--as-needed)
else()
  target_link_libraries(volback_libarchive INTERFACE PkgConfig::LIBARCHIVE)
endif()
pkg_check_modules(LIBZSTD REQUIRED IMPORTED_TARGET libzstd)
pkg_check_modules(RE2 REQUIRED IMPORTED_TARGET re2)
pkg_check_modules(LIBCURL REQUIRED IMPORTED_TARGET libcurl)
pkg_check_modules(LIBSSH2 REQUIRED IMPORTED_TARGET libssh2)
find_package(nlohmann_json REQUIRED)
find_package(OpenSSL REQUIRED COMPONENTS Crypto)
find_package(EXPAT REQUIRED)
if(VOLBACK_BUILD_TESTS)
  find_package(GTest REQUIRED)
endif()
