// HTML page frame (see the header).
#include "report/html_page.hpp"

#include <fmt/format.h>

#include "report/csp_hash.hpp"
#include "report/html_assets.hpp"
#include "report/markup.hpp"

namespace extriage {

std::string html_csp() {
    return fmt::format("default-src 'none'; style-src {}; script-src {}; img-src 'none'; connect-src 'none'; "
                       "font-src 'none'; base-uri 'none'; form-action 'none'",
                       csp_hash(kReportCss), csp_hash(kReportJs));
}

std::string html_page_begin(std::string_view title, std::string_view kind) {
    return fmt::format("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
                       "<meta http-equiv=\"Content-Security-Policy\" content=\"{}\">\n"
                       "<meta name=\"referrer\" content=\"no-referrer\">\n"
                       "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
                       "<title>{}</title>\n<style>{}</style>\n</head>\n<body data-report=\"{}\">\n",
                       html_csp(), html_escape(title), kReportCss, html_escape(kind));
}

std::string html_page_end() { return fmt::format("<script>{}</script>\n</body>\n</html>\n", kReportJs); }

}  // namespace extriage
