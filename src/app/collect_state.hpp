// Builds the server's SystemState (the snapshot `extriage collect` writes and `extriage check`
// judges) from a SystemAccess: the registry values, services and files SetupAssist's local checks
// and HealthChecker read. What cannot be read is listed in SystemState::unreadable, never guessed.
#pragma once

#include <string>
#include <string_view>

#include "app/system_access.hpp"
#include "system_state_model.hpp"

namespace extriage {

SystemState collect_state(SystemAccess& sys);

// Windows Installer writes product and patch codes in the registry "packed": each of the first
// three GUID groups reversed, then each byte's two hex digits swapped. Returns "{GUID}" in upper
// case, or "" when `packed` is not 32 hex digits.
std::string unpack_installer_guid(std::string_view packed);

}  // namespace extriage
