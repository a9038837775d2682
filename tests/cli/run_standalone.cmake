# The executable on its own: a copy alone in an empty folder must run on the rules and data
# embedded in it, say so in --version, let a rules or data folder beside it win, and read a log
# from a folder and file whose names are not ASCII (Müller, 日本語), with the same findings as the
# golden file of the same sample.
#   cmake -DEXE=<built extriage> -DEMULATOR=<wine wrapper or ""> -DSOURCE=<source dir> -DWORK=<dir>
#         -P run_standalone.cmake
cmake_minimum_required(VERSION 3.22)

get_filename_component(exe_name "${EXE}" NAME)
set(tools "${WORK}/Tools Müller")
file(REMOVE_RECURSE "${WORK}")
file(MAKE_DIRECTORY "${tools}")
file(COPY_FILE "${EXE}" "${tools}/${exe_name}")
set(copy "${tools}/${exe_name}")

# run(<out var> <exit code var> ARGS...): runs the copy from its own folder; CRLF folded to LF.
# <out var> gets standard output and error, `json` standard output alone.
function(run out_var rc_var)
  execute_process(COMMAND ${EMULATOR} "${copy}" ${ARGN} WORKING_DIRECTORY "${tools}"
                  OUTPUT_VARIABLE out ERROR_VARIABLE err RESULT_VARIABLE rc)
  string(REPLACE "\r\n" "\n" out "${out}")
  string(REPLACE "\r\n" "\n" err "${err}")
  set(${out_var} "${out}${err}" PARENT_SCOPE)
  set(json "${out}" PARENT_SCOPE)   # standard output alone
  set(${rc_var} "${rc}" PARENT_SCOPE)
endfunction()

function(fail what)
  message(FATAL_ERROR "standalone: ${what}")
endfunction()

# 1. Alone: embedded rules and data.
run(out rc --version)
if(NOT (rc EQUAL 0))
  fail("--version exits 0 (${rc}):\n${out}")
endif()
if(NOT (out MATCHES "\nrules: [1-9][0-9]* \\(embedded in the executable, set [0-9a-f]+\\)\n"))
  fail("--version names the embedded rules:\n${out}")
endif()
if(NOT (out MATCHES "\ndata: embedded in the executable, set [0-9a-f]+"))
  fail("--version names the embedded data:\n${out}")
endif()

run(out rc rules test)
if(NOT (rc EQUAL 0))
  fail("rules test exits 0 (${rc}):\n${out}")
endif()
string(REGEX MATCH "([0-9]+) rules, ([0-9]+) examples: ([0-9]+) passed, 0 failed" summary "${out}")
if(NOT (summary))
  fail("rules test summary with no failure:\n${out}")
endif()
if(NOT (CMAKE_MATCH_1 GREATER 0 AND CMAKE_MATCH_2 GREATER 0 AND CMAKE_MATCH_2 EQUAL CMAKE_MATCH_3))
  fail("some rules and examples: ${summary}")
endif()
set(embedded_rule_count ${CMAKE_MATCH_1})

file(GLOB_RECURSE source_rules "${SOURCE}/rules/*.yaml" "${SOURCE}/rules/*.yml")
list(LENGTH source_rules source_rule_count)
if(NOT (embedded_rule_count EQUAL source_rule_count))
  fail("embedded ${embedded_rule_count} rules, the source tree has ${source_rule_count}")
endif()

# 2. A log in a folder and file with non-ASCII names, given on the command line.
set(logs "${WORK}/Logs Müller")
set(log "${logs}/日本語 ExchangeSetup.log")
file(MAKE_DIRECTORY "${logs}")
file(COPY_FILE "${SOURCE}/samples/exchange-setup/services-disabled.log" "${log}")
run(out rc analyze --format json --fail-on never --color never --today 2026-11-22 "${log}")
if(NOT (rc EQUAL 0))
  fail("analyze of a non-ASCII path exits 0 (${rc}):\n${out}")
endif()
file(READ "${SOURCE}/tests/golden/exchange-setup/services-disabled.findings.json" golden)
string(REPLACE "${log}" "samples/exchange-setup/services-disabled.log" same "${json}")
if(NOT same STREQUAL golden)
  file(WRITE "${WORK}/nonascii.json" "${out}")
  message(FATAL_ERROR "standalone: the analysis of ${log} differs from the golden file "
                      "(paths aside); output in ${WORK}/nonascii.json")
endif()
# The same file found by walking its folder.
run(out rc analyze --format json --fail-on never --today 2026-11-22 "${logs}")
string(FIND "${out}" "日本語 ExchangeSetup.log" at)
if(NOT (rc EQUAL 0 AND at GREATER -1))
  fail("the walked folder's non-ASCII file is reported:\n${out}")
endif()

# 3. Paths longer than 260 characters: a folder walk finds the log and reads it.
set(deep "${WORK}/long")
foreach(i RANGE 1 5)
  string(APPEND deep "/${i}-aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa")
endforeach()
file(MAKE_DIRECTORY "${deep}")
file(COPY_FILE "${SOURCE}/samples/exchange-setup/services-disabled.log" "${deep}/ExchangeSetup.log")
string(LENGTH "${deep}/ExchangeSetup.log" long_length)
run(out rc analyze --format json --fail-on never --today 2026-11-22 "${WORK}/long")
if(NOT (long_length GREATER 300 AND rc EQUAL 0 AND out MATCHES "\"rule\": \"error-service-disabled"))
  fail("a log ${long_length} characters deep is found and analyzed (${rc}):\n${out}")
endif()

# 4. Windows' own path forms, under wine: a drive letter and backslashes (Z:\...) and forward
# slashes (Z:/...), for a file and for a folder walked. (Relative paths: the golden tests.)
if(EMULATOR)
  execute_process(COMMAND ${EMULATOR} winepath.exe -w "${log}" OUTPUT_VARIABLE winlog OUTPUT_STRIP_TRAILING_WHITESPACE)
  if(NOT winlog MATCHES "^[A-Z]:\\\\")
    fail("winepath gave no Windows path for ${log}: '${winlog}'")
  endif()
  string(REPLACE "\\" "/" winlog_slashes "${winlog}")
  foreach(form IN ITEMS "${winlog}" "${winlog_slashes}")
    run(out rc analyze --format json --fail-on never --color never --today 2026-11-22 "${form}")
    string(REPLACE "\\" "\\\\" form_json "${form}")   # as JSON writes it
    string(REPLACE "${form_json}" "samples/exchange-setup/services-disabled.log" same "${json}")
    if(NOT same STREQUAL golden)
      file(WRITE "${WORK}/windows-path.json" "${out}")
      fail("the analysis of ${form} differs from the golden file (paths aside); output in ${WORK}/windows-path.json")
    endif()
  endforeach()
  string(REGEX REPLACE "\\\\[^\\\\]*$" "" winlogs "${winlog}")   # Z:\...\Logs Müller, walked
  run(out rc analyze --format json --fail-on never --today 2026-11-22 "${winlogs}")
  string(REPLACE "\\" "\\\\" walked_json "${winlogs}\\日本語 ExchangeSetup.log")
  string(FIND "${out}" "\"${walked_json}\"" at)
  if(NOT (rc EQUAL 0 AND at GREATER -1))
    fail("walking ${winlogs} reports ${walked_json}:\n${out}")
  endif()
endif()

# 5. A rules folder beside the executable replaces the embedded rules.
file(GLOB one_rule "${SOURCE}/rules/exchange-setup/*.yaml")
list(GET one_rule 0 one_rule)
file(MAKE_DIRECTORY "${tools}/rules")
file(COPY "${one_rule}" DESTINATION "${tools}/rules")
run(out rc --version)
if(NOT (out MATCHES "rules: 1 \\([^\n]*Tools Müller.rules \\(beside the executable\\)\\)"))
  fail("--version names the rules folder beside the executable:\n${out}")
endif()
run(out rc rules test)
if(NOT (rc EQUAL 0 AND out MATCHES "^1 rules, "))
  fail("rules test of the folder beside the executable:\n${out}")
endif()
file(REMOVE_RECURSE "${tools}/rules")

# 6. A data folder beside it supplies its files; the others still come from the embedded copy.
file(MAKE_DIRECTORY "${tools}/data")
file(COPY "${SOURCE}/data/exchange-builds.tsv" DESTINATION "${tools}/data")
run(out rc --version)
if(NOT (out MATCHES "data: [^\n]*Tools Müller.data \\(beside the executable\\)\n[^\n]*embedded copy[^\n]*exchange-build-issues.tsv"))
  fail("--version names the data folder and what still comes from the embedded copy:\n${out}")
endif()
# A broken table beside the executable is used (and reported), not silently replaced.
file(WRITE "${tools}/data/exchange-builds.tsv" "not a table\n")
run(out rc analyze --fail-on never --today 2026-11-22 "${log}")
if(NOT (out MATCHES "warning: build table not loaded[^\n]*Tools Müller.data.exchange-builds.tsv: no builds"))
  fail("a broken exchange-builds.tsv beside the executable is reported:\n${out}")
endif()
# --data names another folder; a missing one is an error.
run(out rc analyze --data "${WORK}/no such folder" "${log}")
if(NOT (rc EQUAL 2))
  fail("--data with a missing folder exits 2 (${rc}):\n${out}")
endif()
file(REMOVE_RECURSE "${tools}/data")

message(STATUS "standalone: ${embedded_rule_count} embedded rules; non-ASCII paths, rules and data folders beside the executable work")
