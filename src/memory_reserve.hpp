// An emergency reserve of memory, so running out of it ends a report with a clear error instead
// of an abort. nlohmann::json's destructors allocate (they flatten the tree onto a heap stack) and
// are noexcept: a std::bad_alloc thrown while one unwinds calls std::terminate. With the reserve, a
// failed allocation hands the reserve back and succeeds; the failure is raised at the next
// check_memory_reserve(), a point where unwinding allocates nothing large.
#pragma once

#include <cstddef>

namespace extriage {

constexpr size_t kMemoryReserveBytes = size_t{32} << 20;

// Sets the reserve aside and installs the new-handler that releases it. Idempotent.
void install_memory_reserve(size_t bytes = kMemoryReserveBytes);

// Throws std::bad_alloc when the reserve has been released since it was last armed.
void check_memory_reserve();

// After the work that ran out of memory has been unwound and freed: sets the reserve aside again.
// False when that memory cannot be had (nothing was freed), the reserve stays spent.
bool rearm_memory_reserve();

bool memory_reserve_spent();

}  // namespace extriage
