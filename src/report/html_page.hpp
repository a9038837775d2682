// The frame of every HTML report (analyze, timeline, batch): one self-contained file with its
// style sheet and one script inline, under a Content-Security-Policy that allows only those two
// blocks (by their SHA-256), so the page can load nothing from the network and runs no inline
// event handler or injected script even if some text were not escaped.
#pragma once

#include <string>
#include <string_view>

namespace extriage {

// The policy the page carries (exposed for tests): default-src 'none', the style and script
// blocks by hash, no base URI, no form targets.
std::string html_csp();

// <!DOCTYPE html> ... <body>: title (escaped here), CSP, style. `kind` is "analyze", "timeline" or
// "batch" (the body's data-report attribute, which the script and the tests read).
std::string html_page_begin(std::string_view title, std::string_view kind);

// The script block and </body></html>.
std::string html_page_end();

}  // namespace extriage
