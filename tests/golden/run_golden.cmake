# One golden test: runs `extriage dump-records`, `extriage analyze --format json`, the text report
# (`extriage analyze --color never`), the Markdown report and the HTML report on a sample and
# compares the output with <case>.records.txt, <case>.findings.json, <case>.report.txt,
# <case>.report.md and <case>.report.html.txt (the HTML's structure as html_outline prints it,
# which also checks that every element is closed and that no event handler or foreign link got
# in). The HTML report of one sample must stay under 300 KB.
# Set UPDATE_GOLDEN=1 in the environment to rewrite the expected files (then review the diff).
# Inputs: EXE, SAMPLE (relative to WORKDIR), EXPECTED_PREFIX, WORKDIR, OUTLINE (html_outline),
# SCRATCH (a folder for the HTML); CRLF=ON folds the CRLF line ends of a Windows build's output
# to LF, so that both builds compare with the same golden files.
include(${CMAKE_CURRENT_LIST_DIR}/golden_compare.cmake)
set(common --fail-on never --color never --today 2026-11-22)
foreach(kind records findings report md html)
  set(outline OFF)
  if(kind STREQUAL "records")
    set(args dump-records ${SAMPLE})
    set(expected "${EXPECTED_PREFIX}.records.txt")
  elseif(kind STREQUAL "findings")
    set(args analyze --format json ${common} ${SAMPLE})
    set(expected "${EXPECTED_PREFIX}.findings.json")
  elseif(kind STREQUAL "report")
    set(args analyze ${common} ${SAMPLE})
    set(expected "${EXPECTED_PREFIX}.report.txt")
  elseif(kind STREQUAL "md")
    set(args analyze --format md ${common} ${SAMPLE})
    set(expected "${EXPECTED_PREFIX}.report.md")
  else()
    set(args analyze --format html ${common} ${SAMPLE})
    set(expected "${EXPECTED_PREFIX}.report.html.txt")
    set(outline ON)
  endif()
  golden_run("${args}" out)
  if(outline)
    golden_html_outline("${out}" 307200 out)
  endif()
  golden_compare("${out}" "${expected}" "${SAMPLE} (${kind})")
endforeach()
