# Runs `claimctl check --json [ARGS] INPUT` in WORKDIR (so the "file" field is the relative
# INPUT), checks the exit status, and compares stdout with EXPECTED byte for byte; with
# CLAIMAUDIT_UPDATE_GOLDEN=1 in the environment it rewrites EXPECTED instead.
string(REPLACE "," ";" args "${ARGS}")
execute_process(COMMAND "${CLAIMCTL}" check --json ${args} "${INPUT}"
                WORKING_DIRECTORY "${WORKDIR}"
                OUTPUT_FILE "${ACTUAL}"
                ERROR_VARIABLE stderr_text
                RESULT_VARIABLE status)
if(NOT status STREQUAL EXIT_CODE)
  message(FATAL_ERROR "claimctl check exited ${status}, expected ${EXIT_CODE}\n${stderr_text}")
endif()
if("$ENV{CLAIMAUDIT_UPDATE_GOLDEN}" STREQUAL "1")
  file(COPY_FILE "${ACTUAL}" "${EXPECTED}")
  message(STATUS "rewrote ${EXPECTED}")
  return()
endif()
if(NOT EXISTS "${EXPECTED}")
  message(FATAL_ERROR "missing ${EXPECTED}: run CLAIMAUDIT_UPDATE_GOLDEN=1 ctest -L golden")
endif()
execute_process(COMMAND "${CMAKE_COMMAND}" -E compare_files "${EXPECTED}" "${ACTUAL}"
                RESULT_VARIABLE different)
if(different)
  # Show the difference itself, so a CI log is enough to see what changed.
  execute_process(COMMAND diff -u "${EXPECTED}" "${ACTUAL}" OUTPUT_VARIABLE difference)
  string(LENGTH "${difference}" length)
  if(length GREATER 8000)
    string(SUBSTRING "${difference}" 0 8000 difference)
    string(APPEND difference "\n[... cut at 8000 characters]")
  endif()
  message(FATAL_ERROR "output differs from the golden file:\n  diff -u ${EXPECTED} ${ACTUAL}\n"
                      "${difference}")
endif()
