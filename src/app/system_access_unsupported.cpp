// make_local_system_access() where there is no live Exchange server to read: every platform but
// Windows. The Windows build replaces this file with the Win32 implementation (registry, service
// control manager, EvtExportLog).
#include "app/system_access.hpp"

#ifndef _WIN32
namespace extriage {

std::unique_ptr<SystemAccess> make_local_system_access() { return nullptr; }

}  // namespace extriage
#endif
