// The process's own command line and location.
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace extriage::platform {

// The command-line arguments in UTF-8, as argc/argv for a parser. On Windows they are read
// again from the UTF-16 command line (main's argv holds the ANSI code page, in which a name
// such as 日本語.log cannot even be written); elsewhere they are main's own.
class Utf8Arguments {
public:
    Utf8Arguments(int argc, char** argv);
    int argc() const { return static_cast<int>(pointers_.size()) - 1; }
    char** argv() { return pointers_.data(); }

private:
    std::vector<std::string> args_;
    std::vector<char*> pointers_;   // into args_, then a null pointer as argv[argc]
};

// An environment variable in UTF-8 (_wgetenv on Windows); nullopt when unset or empty.
std::optional<std::string> environment_variable(const char* name);

// The running executable's full path in UTF-8, when the system tells it.
std::optional<std::string> executable_path();

}  // namespace extriage::platform
