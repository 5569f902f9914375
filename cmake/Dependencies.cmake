# Every third-party dependency, from Debian 12 packages (tools/setup installs them).
find_package(Boost 1.81.0 EXACT REQUIRED CONFIG COMPONENTS json program_options unit_test_framework)
find_package(yaml-cpp REQUIRED)
find_package(SQLiteCpp REQUIRED)
find_package(spdlog REQUIRED)
find_package(fmt REQUIRED)
find_package(ZLIB REQUIRED)
find_package(OpenSSL REQUIRED COMPONENTS Crypto)
find_package(Threads REQUIRED)
find_package(PkgConfig REQUIRED)
pkg_check_modules(RE2 REQUIRED IMPORTED_TARGET re2)
pkg_check_modules(SYSTEMD REQUIRED IMPORTED_TARGET libsystemd)
pkg_check_modules(ZSTD REQUIRED IMPORTED_TARGET libzstd)

# yaml-cpp 0.7 on Debian exports the target "yaml-cpp" without a namespace.
if(NOT TARGET yaml-cpp::yaml-cpp)
  add_library(yaml-cpp::yaml-cpp INTERFACE IMPORTED)
  target_link_libraries(yaml-cpp::yaml-cpp INTERFACE yaml-cpp)
endif()
