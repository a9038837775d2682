// The HTML and Markdown reporters: escaping of every input value (markup, attribute break-outs,
// javascript: links, control characters, bidi overrides), the CSP hashes matching the page's own
// style and script, commands found in remediation prose, the time chart's broken axis, and the
// batch table linking each row to its bundle's section.
#include <doctest/doctest.h>

#include <string>

#include "report/commands.hpp"
#include "report/csp_hash.hpp"
#include "report/html_chart.hpp"
#include "report/html_page.hpp"
#include "report/markup.hpp"
#include "model/timeline.hpp"
#include "report/report.hpp"

using namespace extriage;

namespace {

size_t count(const std::string& s, const std::string& what) {
    size_t n = 0;
    for (size_t i = s.find(what); i != std::string::npos; i = s.find(what, i + 1)) ++n;
    return n;
}

std::string between(const std::string& s, const std::string& open, const std::string& close) {
    const size_t a = s.find(open);
    REQUIRE(a != std::string::npos);
    const size_t b = s.find(close, a + open.size());
    REQUIRE(b != std::string::npos);
    return s.substr(a + open.size(), b - a - open.size());
}

// Markdown with its code spans and fenced blocks cut out.
std::string without_code(const std::string& md) {
    std::string out;
    bool fenced = false;
    size_t start = 0;
    while (start < md.size()) {
        size_t end = md.find('\n', start);
        if (end == std::string::npos) end = md.size();
        const std::string line = md.substr(start, end - start);
        start = end + 1;
        if (line.starts_with("```")) {
            fenced = !fenced;
            continue;
        }
        if (fenced) continue;
        bool code = false;
        for (size_t i = 0; i < line.size(); ++i) {
            if (line[i] == '\\') {
                if (!code) out += line.substr(i, 2);
                ++i;
                continue;
            }
            if (line[i] == '`') {
                size_t n = 1;
                while (i + n < line.size() && line[i + n] == '`') ++n;
                code = !code;
                i += n - 1;
                continue;
            }
            if (!code) out += line[i];
        }
        out += '\n';
    }
    return out;
}

const std::string kHostile = "<script>alert(1)</script> \"><img src=x onerror=\"alert(2)\"> 'x' & \x1b[31m\x07 \xe2\x80\xae end";

AnalysisResult hostile_result() {
    AnalysisResult r;
    const std::string path = "C:\\logs\\\"><svg onload=alert(3)>\\ExchangeSetup.log";
    r.files.push_back({path, "exchange-setup", 10, 0, "EX<b>01", "", kNoTime, false, -1});
    Segment run;
    run.path = path;
    run.parser = "exchange-setup";
    run.kind = "setup-run";
    run.start_ms = 1730837642000;
    run.end_ms = 1730837675000;
    run.time_is_utc = true;
    run.outcome = "failed";
    run.facts = {{"mode", kHostile}, {"user", "CONTOSO\\<admin>"}};
    run.last_error = ContextLine{9, kHostile};
    r.runs.push_back(run);
    Finding f;
    f.rule_id = "t-hostile";
    f.title = "Title " + kHostile;
    f.severity = Level::error;
    f.path = path;
    f.segment = 0;
    f.facts = {{"detail", kHostile}, {"example_command", "Get-Service " + kHostile}};
    f.evidence.push_back({path, 9, 0, kHostile, 1730837670000, true, ""});
    f.message = "Message " + kHostile;
    f.remediation = {"Run Get-Service " + kHostile, "Then " + kHostile};
    f.links = {{"ok " + kHostile, "https://learn.microsoft.com/x?a=1&b=2"},
               {"js", "javascript:alert(4)"},
               {"js upper", "JaVaScRiPt:alert(5)"},
               {"data", "data:text/html,<script>alert(6)</script>"},
               {"quote", "https://x.example/\"onmouseover=alert(7)"}};
    r.findings.push_back(f);
    return r;
}

}  // namespace

TEST_CASE("html: SHA-256 and base64 match the standard test vectors") {
    const auto abc = sha256("abc");
    CHECK(base64(abc.data(), abc.size()) == "ungWv48Bz+pBQUDeXa4iI7ADYaOWF3qctBD/YfIAFa0=");
    const auto empty = sha256("");
    CHECK(base64(empty.data(), empty.size()) == "47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=");
    // Two blocks of padding (56..63 bytes in the last block).
    const auto two = sha256("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq");
    CHECK(base64(two.data(), two.size()) == "JI1qYdIGOLjlwCaTDD5gOaM85Flk/yFn9uzt1BnbBsE=");
    CHECK(csp_hash("") == "'sha256-47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU='");
}

TEST_CASE("html: escaping for text and attributes") {
    CHECK(html_escape("<a href=\"x\">'&'</a>") == "&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;");
    CHECK(html_escape("a\x1b[31mb\x07") == "a\\x1b[31mb\\x07");
    CHECK(html_escape("x\xe2\x80\xaey\xe2\x81\xa6z") == "x\\u202ey\\u2066z");
    CHECK(html_escape("caf\xc3\xa9 \xe2\x80\x94") == "caf\xc3\xa9 \xe2\x80\x94");   // other UTF-8 stays
    CHECK(html_escape("bad \xff byte") == "bad \\xff byte");
}

TEST_CASE("html: only http and https links are clickable") {
    CHECK(safe_link("https://learn.microsoft.com/a?b=1&c=2") == "https://learn.microsoft.com/a?b=1&c=2");
    CHECK(safe_link("HTTP://example.com/") == "HTTP://example.com/");
    CHECK(safe_link("javascript:alert(1)").empty());
    CHECK(safe_link(" https://x").empty());
    CHECK(safe_link("https://x y").empty());
    CHECK(safe_link("https://x\"onmouseover=1").empty());
    CHECK(safe_link("data:text/html,x").empty());
    CHECK(safe_link("//example.com").empty());
    CHECK(safe_link("https://").empty());
}

TEST_CASE("markdown: escaping, code spans and blocks") {
    CHECK(md_escape("*bold* _x_ [l](u) <b> | `c` ~s~ !") == "\\*bold\\* \\_x\\_ \\[l\\](u) &lt;b&gt; \\| \\`c\\` \\~s\\~ \\!");
    CHECK(md_escape("# not a heading") == "\\# not a heading");
    CHECK(md_escape("- not a list") == "\\- not a list");
    CHECK(md_escape("12. not a list") == "12\\. not a list");
    CHECK(md_escape("version 15.2") == "version 15.2");
    CHECK(md_escape("a\x1b" "b") == "a\\\\x1bb");
    CHECK(md_code_span("Get-Service x") == "`Get-Service x`");
    CHECK(md_code_span("a `b` c") == "``a `b` c``");
    CHECK(md_code_span("`x") == "`` `x ``");
    CHECK(md_code_block("line ```\nnext\x07") == "````\nline ```\nnext\\x07\n````\n");
}

TEST_CASE("commands: found in remediation prose") {
    auto commands = [](std::string_view step) {
        std::vector<std::string> out;
        std::string joined;
        for (const auto& p : split_commands(step)) {
            joined += p.text;
            if (p.command) out.push_back(p.text);
        }
        CHECK(joined == step);   // nothing lost or added
        return out;
    };
    CHECK(commands("rename C:\\ExchangeSetupLogs (e.g. Rename-Item C:\\ExchangeSetupLogs ExchangeSetupLogs.old) or delete it.") ==
          std::vector<std::string>{"Rename-Item C:\\ExchangeSetupLogs ExchangeSetupLogs.old"});
    CHECK(commands("Check: Get-Service A -RequiredServices; Get-Service MSExchange*, FMS | Format-Table Name,Status") ==
          std::vector<std::string>{"Get-Service A -RequiredServices; Get-Service MSExchange*, FMS | Format-Table Name,Status"});
    CHECK(commands("Start the failed service: Start-Service MSExchangeServiceHost. If it stops again, read the log.") ==
          std::vector<std::string>{"Start-Service MSExchangeServiceHost"});
    CHECK(commands("Run setup again (.\\Setup.exe /Mode:Upgrade /IAcceptExchangeServerLicenseTerms_DiagnosticDataOFF). NOTE") ==
          std::vector<std::string>{".\\Setup.exe /Mode:Upgrade /IAcceptExchangeServerLicenseTerms_DiagnosticDataOFF"});
    CHECK(commands("Enable them: Get-Service MSExchange* | Set-Service -StartupType Automatic (and Set-Service -StartupType Automatic for any dependency)") ==
          std::vector<std::string>{"Get-Service MSExchange* | Set-Service -StartupType Automatic", "Set-Service -StartupType Automatic"});
    CHECK(commands("repeat the Set-Service step while setup runs") == std::vector<std::string>{"Set-Service"});
    CHECK(commands("Run Setup.exe again from an elevated prompt.").empty());   // a program named, no arguments
    CHECK(commands("Read the Application log and fix what it names.").empty());
    CHECK(commands("Gets-Item is no cmdlet, Get-item neither.").empty());
}

TEST_CASE("html: hostile values appear only escaped") {
    const AnalysisResult r = hostile_result();
    const std::string html = render_html(r, {}, ReportOptions{});
    CHECK(count(html, "<script") == 1);                    // the report's own
    CHECK(count(html, "<img") == 0);
    CHECK(count(html, "<svg ") == 1);                      // the chart's own
    CHECK(count(html, "<b>") == 0);
    CHECK(html.find("onerror=\"") == std::string::npos);  // the quote is escaped
    CHECK(html.find("onload=alert") != std::string::npos);   // shown as text...
    CHECK(html.find("&lt;svg onload=alert(3)&gt;") != std::string::npos);   // ...escaped
    CHECK(html.find("&lt;script&gt;alert(1)&lt;/script&gt;") != std::string::npos);
    CHECK(html.find("&quot;&gt;&lt;img src=x onerror=&quot;alert(2)&quot;&gt;") != std::string::npos);
    CHECK(html.find("href=\"javascript") == std::string::npos);
    CHECK(html.find("href=\"JaVaScRiPt") == std::string::npos);
    CHECK(html.find("href=\"data:") == std::string::npos);
    CHECK(html.find("onmouseover=alert(7)\"") == std::string::npos);
    CHECK(html.find("href=\"https://learn.microsoft.com/x?a=1&amp;b=2\"") != std::string::npos);
    CHECK(html.find("\\x1b[31m\\x07") != std::string::npos);
    CHECK(html.find("\\u202e") != std::string::npos);
    for (char c : html) CHECK_MESSAGE((static_cast<unsigned char>(c) >= 0x20 || c == '\n'), "raw control byte in the page");
    CHECK(html.find("\xe2\x80\xae") == std::string::npos);

    const std::string md = render_markdown(r, {}, ReportOptions{});
    // Raw text is allowed only inside code (spans and fenced blocks show it verbatim, as text).
    const std::string prose = without_code(md);
    CHECK(prose.find("<script") == std::string::npos);
    CHECK(prose.find("<img") == std::string::npos);
    CHECK(prose.find("<b>") == std::string::npos);
    CHECK(md.find("Message &lt;script&gt;alert(1)&lt;/script&gt;") != std::string::npos);
    CHECK(md.find("`Get-Service <script>alert(1)</script>") != std::string::npos);
    CHECK(md.find("](<javascript") == std::string::npos);
    CHECK(md.find("](<data:") == std::string::npos);
    CHECK(md.find("[ok ") != std::string::npos);
    CHECK(md.find("](<https://learn.microsoft.com/x?a=1&b=2>)") != std::string::npos);
    for (char c : md) CHECK_MESSAGE((static_cast<unsigned char>(c) >= 0x20 || c == '\n'), "raw control byte in the Markdown");
}

TEST_CASE("html: the CSP allows exactly the page's own style and script") {
    const std::string html = render_html(hostile_result(), {}, ReportOptions{});
    const std::string csp = between(html, "http-equiv=\"Content-Security-Policy\" content=\"", "\"");
    CHECK(csp.starts_with("default-src 'none';"));
    CHECK(csp.find("unsafe-inline") == std::string::npos);
    CHECK(csp.find("unsafe-hashes") == std::string::npos);
    CHECK(csp.find("script-src " + csp_hash(between(html, "<script>", "</script>")) + ";") != std::string::npos);
    CHECK(csp.find("style-src " + csp_hash(between(html, "<style>", "</style>")) + ";") != std::string::npos);
    CHECK(csp == html_csp());
    // No inline handler anywhere: the script attaches them.
    CHECK(html.find(" onclick=") == std::string::npos);
    CHECK(html.find(" onchange=") == std::string::npos);
}

TEST_CASE("html: the chart breaks the axis between stretches far apart") {
    CHECK(render_chart({}).empty());
    ChartItem untimed;
    untimed.lane = "Events";
    CHECK(render_chart({untimed}).empty());
    const int64_t day = 86400000;
    ChartItem run;
    run.lane = "Setup runs";
    run.start_ms = 1000 * day;
    run.end_ms = 1000 * day + 1800000;
    run.bar = true;
    run.css = "r-failed";
    run.tooltip = "setup run <1>";
    ChartItem event;
    event.lane = "Events";
    event.start_ms = 334 * day;
    event.css = "p-error";
    event.tooltip = "old event";
    event.href = "#f-1";
    ChartItem near = event;
    near.start_ms = 1000 * day + 1800000 + 12 * 60000;   // 12 minutes after the run
    const std::string svg = render_chart({run, event, near});
    CHECK(count(svg, "<rect class=\"gap\"") == 1);
    CHECK(svg.find("+666 days") != std::string::npos);
    CHECK(count(svg, "<circle") == 2);
    CHECK(count(svg, "<rect class=\"r-failed\"") == 1);
    CHECK(svg.find("setup run &lt;1&gt;") != std::string::npos);
    CHECK(svg.find("<a href=\"#f-1\">") != std::string::npos);
    // A cap on points per lane, said in the caption.
    std::vector<ChartItem> many(5, event);
    const std::string capped = render_chart(many, 3);
    CHECK(count(capped, "<circle") == 3);
    CHECK(capped.find("2 more in Events not drawn.") != std::string::npos);
}

TEST_CASE("html: batch rows link to their bundle sections") {
    BatchResult b;
    for (const char* name : {"b/EX01.zip", "b/<EX02>.zip"}) {
        BundleResult bundle;
        bundle.path = name;
        bundle.servers = {"EX01"};
        bundle.analysis = hostile_result();
        b.bundles.push_back(std::move(bundle));
    }
    b.bundles[1].analysis.findings.clear();
    const std::string html = render_batch_html(b, ReportOptions{});
    CHECK(count(html, "<tr class=\"sev-row-") == 2);
    CHECK(html.find("<a href=\"#b-0\">b/EX01.zip</a>") != std::string::npos);
    CHECK(html.find("<a href=\"#b-1\">b/&lt;EX02&gt;.zip</a>") != std::string::npos);
    CHECK(html.find("<section class=\"bundle\" id=\"b-0\">") != std::string::npos);
    CHECK(html.find("<section class=\"bundle\" id=\"b-1\">") != std::string::npos);
    CHECK(html.find("data-rank=\"3\"") != std::string::npos);   // error
    CHECK(html.find("data-rank=\"0\"") != std::string::npos);   // nothing found
    CHECK(html.find("id=\"footer\"") == std::string::npos);
    CHECK(html.find("data-findings=\"1\"") != std::string::npos);
    CHECK(count(html, "<li class=\"finding\"") == 1);
    CHECK(count(html, "<script") == 1);
    const std::string md = render_batch_markdown(b, ReportOptions{});
    CHECK(md.find("| b/&lt;EX02&gt;.zip |") != std::string::npos);
}

TEST_CASE("html: hostile timeline entries appear only escaped") {
    Timeline tl;
    tl.analysis = hostile_result();
    TimelineEntry e;
    e.kind = TimelineEntry::Kind::error;
    e.time_ms = 1730837670000;
    e.level = Level::error;
    e.path = tl.analysis.files.front().path;
    e.line = 9;
    e.text = kHostile;
    tl.entries.push_back(e);
    e.kind = TimelineEntry::Kind::finding;
    e.rule_id = "t-hostile";
    tl.entries.push_back(e);
    const std::string html = render_timeline_html(tl, {});
    CHECK(count(html, "<script") == 1);
    CHECK(count(html, "<img") == 0);
    CHECK(count(html, "<tr id=\"e-") == 2);
    CHECK(count(html, "class=\"k-finding finding\"") == 1);
    CHECK(html.find("&lt;script&gt;alert(1)&lt;/script&gt;") != std::string::npos);
    CHECK(html.find("data-findings=\"1\"") != std::string::npos);
    for (char c : html) CHECK_MESSAGE((static_cast<unsigned char>(c) >= 0x20 || c == '\n'), "raw control byte in the page");
    const std::string md = render_timeline_markdown(tl, {});
    CHECK(without_code(md).find("<script") == std::string::npos);
    CHECK(md.find("&lt;script&gt;alert(1)&lt;/script&gt;") != std::string::npos);
    for (char c : md) CHECK_MESSAGE((static_cast<unsigned char>(c) >= 0x20 || c == '\n'), "raw control byte in the Markdown");
}
