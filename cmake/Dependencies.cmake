# Every dependency comes from Debian 12's packages (scripts/install-deps.sh installs them).

# Boost 1.81 exactly. Debian's unversioned Boost packages are 1.74, which conflicts with 1.81 and
# has bugs we hit (ARCHITECTURE.md), so say so plainly instead of failing later in a header.
find_package(Boost 1.81.0 EXACT CONFIG QUIET COMPONENTS url)
if(NOT Boost_FOUND)
  if(EXISTS /usr/include/boost/version.hpp)
    file(STRINGS /usr/include/boost/version.hpp _boost_ver REGEX "define BOOST_LIB_VERSION")
  endif()
  if(_boost_ver MATCHES "1_74")
    message(FATAL_ERROR
      "Boost 1.74 development packages are installed, and they conflict with Boost 1.81, which "
      "Cairn needs. Remove them and install 1.81:\n"
      "  sudo apt-get remove 'libboost*1.74-dev' libboost-dev\n"
      "  sudo apt-get install libboost1.81-dev libboost-url1.81-dev")
  endif()
  message(FATAL_ERROR "Boost 1.81 not found: run scripts/install-deps.sh (libboost1.81-dev, libboost-url1.81-dev)")
endif()

find_package(Threads REQUIRED)
find_package(nlohmann_json 3.11 REQUIRED)
find_package(CLI11 REQUIRED)
find_package(fmt REQUIRED)
find_package(spdlog REQUIRED)
find_package(OpenSSL 3 REQUIRED)
find_package(SQLite3 REQUIRED)
find_package(PostgreSQL REQUIRED)
find_package(CURL REQUIRED)
find_package(ZLIB REQUIRED)
find_package(prometheus-cpp CONFIG REQUIRED)
find_package(GTest REQUIRED)
find_package(benchmark REQUIRED)
include(GoogleTest)

find_package(PkgConfig REQUIRED)
pkg_check_modules(SODIUM REQUIRED IMPORTED_TARGET libsodium)
pkg_check_modules(CMARK REQUIRED IMPORTED_TARGET libcmark-gfm)
pkg_check_modules(PNG REQUIRED IMPORTED_TARGET libpng)
pkg_check_modules(RSVG REQUIRED IMPORTED_TARGET librsvg-2.0)
pkg_check_modules(CAIRO REQUIRED IMPORTED_TARGET cairo)
pkg_check_modules(MAGIC REQUIRED IMPORTED_TARGET libmagic)

# SOCI and cmark-gfm-extensions ship no CMake or pkg-config files.
find_path(SOCI_INCLUDE_DIR soci/soci.h REQUIRED)
find_library(SOCI_CORE soci_core REQUIRED)
find_library(SOCI_SQLITE3 soci_sqlite3 REQUIRED)
find_library(SOCI_POSTGRESQL soci_postgresql REQUIRED)
add_library(cairn_soci INTERFACE)
target_include_directories(cairn_soci INTERFACE ${SOCI_INCLUDE_DIR} ${PostgreSQL_INCLUDE_DIRS})
target_link_libraries(cairn_soci INTERFACE ${SOCI_SQLITE3} ${SOCI_POSTGRESQL} ${SOCI_CORE}
  SQLite::SQLite3 PostgreSQL::PostgreSQL ${CMAKE_DL_LIBS})
find_library(CMARK_EXTENSIONS cmark-gfm-extensions REQUIRED)
