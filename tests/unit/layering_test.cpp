// Each folder of src/ is one stage of the data flow, and the printing layer does not depend on
// the orchestration layer (issue 9): report/ and model/ include neither app/, advice/, inputs/
// nor cli/; advice/ and inputs/ include neither app/, report/ nor cli/; resources/ (where rules
// and tables come from) only the engine; nothing includes cli/.
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <string>
#include <vector>

namespace fs = std::filesystem;

TEST_CASE("layering: folders include only the stages below them") {
    const fs::path src = fs::path(EXTRIAGE_TEST_SOURCE_DIR) / "src";
    const std::map<std::string, std::vector<std::string>> forbidden = {
        {"model", {"app/", "advice/", "inputs/", "report/", "cli/"}},
        {"report", {"app/", "advice/", "inputs/", "cli/"}},
        {"advice", {"app/", "report/", "cli/"}},
        {"inputs", {"app/", "advice/", "report/", "cli/"}},
        {"engine", {"app/", "advice/", "inputs/", "report/", "model/", "cli/"}},
        {"app", {"cli/"}},
        {"resources", {"app/", "advice/", "inputs/", "report/", "model/", "cli/"}},
    };
    size_t files = 0;
    for (const auto& [folder, banned] : forbidden) {
        REQUIRE(fs::is_directory(src / folder));
        for (const auto& entry : fs::directory_iterator(src / folder)) {
            std::ifstream in(entry.path());
            ++files;
            for (std::string line; std::getline(in, line);) {
                if (!line.starts_with("#include \"")) continue;
                for (const auto& b : banned) {
                    CAPTURE(entry.path().string());
                    CAPTURE(line);
                    CHECK(line.find("\"" + b) == std::string::npos);
                }
            }
        }
    }
    CHECK(files > 40);
}
