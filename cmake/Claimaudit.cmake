# Helpers shared by daemon/, tools/ and tests/.

# Warnings belong to a target (STYLE.md 7.4).
add_library(claimaudit_warnings INTERFACE)
target_compile_options(claimaudit_warnings INTERFACE
  -Wall -Wextra -Wpedantic -Wshadow -Wnon-virtual-dtor -Wold-style-cast
  $<$<BOOL:${CLAIMAUDIT_WERROR}>:-Werror>)
# GCC 12's middle-end reports libstdc++'s own std::string code at -O2/-O3 as overlapping memcpy
# (-Wrestrict, GCC PR 105329 / 105651) and moved-from aggregate strings as maybe-uninitialized
# (GCC PR 107919), plus stringop-overflow/array-bounds at -O3 (GCC PR 105580): false positives
# inside libstdc++, not in our code. Off for GCC only.
if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU")
  target_compile_options(claimaudit_warnings INTERFACE -Wno-restrict -Wno-maybe-uninitialized
                         -Wno-stringop-overflow -Wno-array-bounds)
endif()

add_library(claimaudit_sanitize INTERFACE)
if(CLAIMAUDIT_SANITIZE)
  target_compile_options(claimaudit_sanitize INTERFACE
    -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer)
  target_link_options(claimaudit_sanitize INTERFACE -fsanitize=address,undefined)
endif()
# The `fuzz` preset: our libraries carry libFuzzer's coverage instrumentation (and ASan+UBSan),
# so the fuzzers are guided by the parsers' code, not only by the fuzz target's own file.
if(CLAIMAUDIT_FUZZ)
  target_compile_options(claimaudit_sanitize INTERFACE
    -fsanitize=fuzzer-no-link,address,undefined -fno-omit-frame-pointer)
  target_link_options(claimaudit_sanitize INTERFACE -fsanitize=address,undefined)
endif()

# claimaudit_add_library(NAME name SOURCES ... DEPENDS ...): one static library per module folder.
function(claimaudit_add_library name)
  cmake_parse_arguments(ARG "" "" "SOURCES;DEPENDS;PRIVATE_DEPENDS" ${ARGN})
  add_library(${name} STATIC ${ARG_SOURCES})
  target_include_directories(${name} PUBLIC "${PROJECT_SOURCE_DIR}/daemon")
  target_link_libraries(${name} PUBLIC ${ARG_DEPENDS} claimaudit_sanitize
                        PRIVATE ${ARG_PRIVATE_DEPENDS} claimaudit_warnings)
endfunction()

# claimaudit_add_executable(name SOURCES ... DEPENDS ...)
function(claimaudit_add_executable name)
  cmake_parse_arguments(ARG "" "" "SOURCES;DEPENDS" ${ARGN})
  add_executable(${name} ${ARG_SOURCES})
  target_link_libraries(${name} PRIVATE ${ARG_DEPENDS} claimaudit_warnings claimaudit_sanitize)
endfunction()
