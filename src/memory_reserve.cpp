#include "memory_reserve.hpp"

#include <atomic>
#include <cstdlib>
#include <mutex>
#include <new>

namespace extriage {

namespace {

std::mutex reserve_mutex;
void* reserve = nullptr;             // guarded by reserve_mutex
size_t reserve_bytes = 0;            // guarded by reserve_mutex
std::atomic<bool> spent{false};

// Called by operator new when malloc fails. Releasing the reserve lets the allocation be retried;
// with nothing left to release, removing the handler makes operator new throw std::bad_alloc.
void release_reserve() {
    std::lock_guard lock(reserve_mutex);
    if (reserve) {
        std::free(reserve);
        reserve = nullptr;
        spent = true;
        return;
    }
    spent = true;
    std::set_new_handler(nullptr);
}

}  // namespace

void install_memory_reserve(size_t bytes) {
    {
        std::lock_guard lock(reserve_mutex);
        reserve_bytes = bytes;
    }
    rearm_memory_reserve();
}

bool rearm_memory_reserve() {
    std::lock_guard lock(reserve_mutex);
    if (!reserve) {
        // Address space only: the pages are never touched, so the reserve costs no resident memory.
        reserve = std::malloc(reserve_bytes);
        if (!reserve) return false;
    }
    spent = false;
    std::set_new_handler(release_reserve);
    return true;
}

void check_memory_reserve() {
    if (spent.load(std::memory_order_relaxed)) throw std::bad_alloc();
}

bool memory_reserve_spent() { return spent.load(std::memory_order_relaxed); }

}  // namespace extriage
