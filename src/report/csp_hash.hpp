// The Content-Security-Policy source expression of an inline script or style block:
// "'sha256-<base64 of its SHA-256>'". A hash (not a nonce) because the report is a static file
// that must come out the same on every run.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

namespace extriage {

std::array<uint8_t, 32> sha256(std::string_view data);
std::string base64(const uint8_t* data, size_t size);
std::string csp_hash(std::string_view block);   // "'sha256-...'"

}  // namespace extriage
