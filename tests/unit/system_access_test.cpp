// make_local_system_access(): the live-server reader. On Windows (under wine in CI) it reads the
// real registry, services, files and Windows Installer, and every failure comes back with its
// reason; elsewhere there is none and collect/check say they need Windows.
#include <doctest/doctest.h>

#include <algorithm>
#include <string>

#include "app/system_access.hpp"

using namespace extriage;

#ifdef _WIN32

TEST_CASE("the Windows system access reads this machine, and says why when it cannot") {
    auto sys = make_local_system_access();
    REQUIRE(sys);
    CHECK_FALSE(sys->computer_name().empty());
    CHECK(sys->now_utc_iso().size() == 20);

    // The registry: a value every Windows has, a missing value and a missing key, a number.
    AccessResult product = sys->reg_value(R"(HKLM\SOFTWARE\Microsoft\Windows NT\CurrentVersion)", "ProductName");
    CHECK(product.ok());
    CHECK_FALSE(product.value.empty());
    AccessResult build = sys->reg_value(R"(HKLM\SOFTWARE\Microsoft\Windows NT\CurrentVersion)", "CurrentBuildNumber");
    CHECK(build.ok());
    AccessResult nothing = sys->reg_value(R"(HKLM\SOFTWARE\Microsoft\Windows NT\CurrentVersion)", "extriage-no-such-value");
    CHECK(nothing.status == AccessStatus::missing);
    CHECK_FALSE(nothing.error.empty());
    CHECK(sys->reg_value(R"(HKLM\SOFTWARE\extriage-no-such-key)", "x").status == AccessStatus::missing);
    CHECK(sys->reg_value(R"(HKXX\SOFTWARE)", "x").status == AccessStatus::error);
    CHECK(sys->reg_key_exists(R"(HKLM\SOFTWARE\Microsoft)"));
    CHECK_FALSE(sys->reg_key_exists(R"(HKLM\SOFTWARE\extriage-no-such-key)"));
    AccessStatus status = AccessStatus::error;
    auto subkeys = sys->reg_subkeys(R"(HKLM\SOFTWARE\Microsoft)", status);
    CHECK(status == AccessStatus::ok);
    CHECK(std::find(subkeys.begin(), subkeys.end(), "Windows NT") != subkeys.end());

    // Services, with start types.
    auto services = sys->services(status);
    CHECK(status != AccessStatus::missing);
    REQUIRE_FALSE(services.empty());
    CHECK(std::any_of(services.begin(), services.end(), [](const ServiceInfo& s) { return !s.start_type.empty() && !s.status.empty(); }));

    // Files through the platform layer, a version resource, free space.
    CHECK(sys->file_exists(R"(C:\Windows\System32\kernel32.dll)"));
    CHECK_FALSE(sys->file_exists(R"(C:\extriage-no-such-file.msi)"));
    AccessResult version = sys->file_version(R"(C:\Windows\System32\kernel32.dll)");
    CHECK(version.ok());
    CHECK(std::count(version.value.begin(), version.value.end(), '.') == 3);
    CHECK(sys->file_version(R"(C:\extriage-no-such-file.exe)").status == AccessStatus::missing);
    CHECK(sys->free_bytes(R"(C:\)").has_value());
    sys->list_dir(R"(C:\extriage-no-such-folder)", status);
    CHECK(status == AccessStatus::missing);

    // Windows Installer answers (with whatever is registered), and a channel that does not exist
    // is a failure with a reason, not a crash.
    std::string error;
    sys->installer_packages(status, error);
    CHECK(status == AccessStatus::ok);
    AccessResult exported = sys->export_event_log("extriage-no-such-channel");
    CHECK_FALSE(exported.ok());
    CHECK_FALSE(exported.error.empty());
}

#else

TEST_CASE("no live-server reader outside Windows") { CHECK_FALSE(make_local_system_access()); }

#endif
