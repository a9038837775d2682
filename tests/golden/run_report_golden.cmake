# A golden test of one report over several inputs (batch and timeline reports of samples/bundles):
# runs `extriage ${ARGS}` and compares its output, or for HTML its outline (html_outline), with
# EXPECTED. Inputs: EXE, ARGS (joined with |), EXPECTED, WORKDIR, CRLF, HTML (ON: compare the outline;
# then also OUTLINE, SCRATCH and MAX_BYTES).
include(${CMAKE_CURRENT_LIST_DIR}/golden_compare.cmake)
string(REPLACE "|" ";" ARGS "${ARGS}")   # the arguments come joined with "|" (tests/CMakeLists.txt)
set(EXPECTED_PREFIX "${EXPECTED}")
golden_run("${ARGS}" out)
if(CRLF)
  # The Windows build joins the bundles it finds in a folder with "\" (Markdown shows it as "\\"):
  # compare with the same golden file as Linux.
  string(REPLACE "samples/bundles\\\\" "samples/bundles/" out "${out}")
  string(REPLACE "samples/bundles\\" "samples/bundles/" out "${out}")
endif()
if(HTML)
  golden_html_outline("${out}" ${MAX_BYTES} out)
endif()
golden_compare("${out}" "${EXPECTED}" "extriage ${ARGS}")
