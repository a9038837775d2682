// make_local_system_access() where there is no live Exchange server to read: every platform but
// Windows, whose implementation is system_access_windows.cpp.
#ifndef _WIN32
#include "app/system_access.hpp"

namespace extriage {

std::unique_ptr<SystemAccess> make_local_system_access() { return nullptr; }

}  // namespace extriage
#endif
