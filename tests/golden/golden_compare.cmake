# Helpers of the golden tests (run_golden.cmake, run_report_golden.cmake).
# Inputs from the caller's -D: EXE, WORKDIR, CRLF, and for HTML: OUTLINE, SCRATCH.

# Runs extriage with `args` in WORKDIR; its standard output goes to `out_var`. Exit codes 0-2
# are results (2: dirty samples give input diagnostics); anything else is a failure.
function(golden_run args out_var)
  execute_process(COMMAND ${EXE} ${args} WORKING_DIRECTORY ${WORKDIR}
                  OUTPUT_VARIABLE out ERROR_VARIABLE err RESULT_VARIABLE rc)
  if(CRLF)
    string(REPLACE "\r\n" "\n" out "${out}")
  endif()
  if(NOT rc MATCHES "^[012]$")
    message(FATAL_ERROR "${EXE} ${args} crashed or failed (${rc}):\n${err}")
  endif()
  set(${out_var} "${out}" PARENT_SCOPE)
endfunction()

# The structure of an HTML page (tests/tools/html_outline.cpp), after checking its size.
function(golden_html_outline html max_bytes out_var)
  string(LENGTH "${html}" size)
  if(size GREATER max_bytes)
    message(FATAL_ERROR "the HTML report is ${size} bytes, more than ${max_bytes}")
  endif()
  string(MD5 name "${EXPECTED_PREFIX}${ARGS}")
  file(MAKE_DIRECTORY "${SCRATCH}")
  set(page "${SCRATCH}/${name}.html")
  file(WRITE "${page}" "${html}")
  # A relative name: under wine (the Windows build) a Unix absolute path would not resolve.
  execute_process(COMMAND ${OUTLINE} ${name}.html WORKING_DIRECTORY "${SCRATCH}" OUTPUT_VARIABLE out ERROR_VARIABLE err
                  RESULT_VARIABLE rc)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "the HTML report is not well-formed (${page}):\n${err}")
  endif()
  if(CRLF)
    string(REPLACE "\r\n" "\n" out "${out}")
  endif()
  set(${out_var} "${out}" PARENT_SCOPE)
endfunction()

# Compares `out` with the file `expected`, or rewrites it when UPDATE_GOLDEN=1.
function(golden_compare out expected label)
  if(DEFINED ENV{UPDATE_GOLDEN} AND "$ENV{UPDATE_GOLDEN}" STREQUAL "1")
    get_filename_component(dir "${expected}" DIRECTORY)
    file(MAKE_DIRECTORY "${dir}")
    file(WRITE "${expected}" "${out}")
    message(STATUS "updated ${expected}")
    return()
  endif()
  if(NOT EXISTS "${expected}")
    message(FATAL_ERROR "missing golden file ${expected}; run with UPDATE_GOLDEN=1 and review it")
  endif()
  file(READ "${expected}" want)
  if(NOT want STREQUAL out)
    set(actual "${CMAKE_CURRENT_BINARY_DIR}/golden-actual")
    file(MAKE_DIRECTORY "${actual}")
    get_filename_component(name "${expected}" NAME)
    file(WRITE "${actual}/${name}" "${out}")
    execute_process(COMMAND diff -u "${expected}" "${actual}/${name}" OUTPUT_VARIABLE d)
    message(FATAL_ERROR "golden mismatch for ${label}:\n${d}\n(UPDATE_GOLDEN=1 ctest -R golden rewrites it)")
  endif()
endfunction()
