// make_local_system_access() where there is no live Exchange server to read: every platform but
// Windows. The Windows build replaces this file with the Win32 implementation (registry, service
// control manager, EvtExportLog). Until that implementation exists the Windows build uses this
// one too, so that extriage.exe links (collect and check then say they cannot read the server);
// the file with the Win32 implementation brings back `#ifndef _WIN32` here.
#include "app/system_access.hpp"

namespace extriage {

std::unique_ptr<SystemAccess> make_local_system_access() { return nullptr; }

}  // namespace extriage
