// NeedleSet: packed-pair search, SSE2 where the compiler has it, a scalar loop elsewhere.
#include "engine/needle_set.hpp"

#include <cstdint>
#include <cstring>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace extriage {

namespace {

bool is_lower_letter(unsigned char c) { return c >= 'a' && c <= 'z'; }

// ASCII case folding of one byte, exact for letters: c | 0x20 equals a lowercase letter only
// when c is that letter in either case.
unsigned char fold(unsigned char c, bool letter) { return letter ? static_cast<unsigned char>(c | 0x20) : c; }

// How common a byte is in log text, higher = more common. Log lines are full of spaces,
// digits, brackets and punctuation from timestamps and paths, and of the common English
// letters; the pair is picked from the least common bytes of the needle.
int commonness(unsigned char c) {
    if (c == ' ' || (c >= '0' && c <= '9')) return 100;
    if (c == '[' || c == ']' || c == '.' || c == ':' || c == '/' || c == '\\' || c == '-' || c == ',') return 90;
    static const char by_frequency[] = "etaoinsrhldcumfpgwybvkxjqz";   // English letter order
    if (is_lower_letter(c)) return 80 - static_cast<int>(std::strchr(by_frequency, c) - by_frequency) * 3;
    return 10;   // other punctuation: rare
}

bool equal_folded(const unsigned char* text, const std::string& needle) {
    for (size_t i = 0; i < needle.size(); ++i) {
        const unsigned char n = static_cast<unsigned char>(needle[i]);
        if (fold(text[i], is_lower_letter(n)) != n) return false;
    }
    return true;
}

bool has_non_ascii(std::string_view value) {
    size_t i = 0;
    uint64_t high = 0;
    for (; i + 8 <= value.size(); i += 8) {
        uint64_t word;
        std::memcpy(&word, value.data() + i, 8);
        high |= word;
    }
    for (; i < value.size(); ++i) high |= static_cast<unsigned char>(value[i]);
    return (high & 0x8080808080808080ULL) != 0;
}

}  // namespace

NeedleSet::NeedleSet(std::vector<std::string> needles) : needles_(std::move(needles)) {
    for (const std::string& text : needles_) {
        Needle n;
        n.text = text;
        for (size_t i = 0; i < text.size(); ++i) {
            const auto c = static_cast<unsigned char>(text[i]);
            if (c == 'k' || c == 's') n.folds_from_non_ascii = true;
            if (commonness(c) < commonness(static_cast<unsigned char>(text[n.first]))) n.first = i;
        }
        n.second = n.first == 0 ? text.size() - 1 : 0;
        for (size_t i = 0; i < text.size(); ++i) {
            if (i == n.first || text[i] == text[n.first]) continue;
            if (n.second == n.first || commonness(static_cast<unsigned char>(text[i])) <
                                           commonness(static_cast<unsigned char>(text[n.second])))
                n.second = i;
        }
        any_folds_from_non_ascii_ = any_folds_from_non_ascii_ || n.folds_from_non_ascii;
        prepared_.push_back(std::move(n));
    }
}

bool NeedleSet::may_occur_in(std::string_view value) const {
    if (any_folds_from_non_ascii_ && has_non_ascii(value)) {
        for (const Needle& n : prepared_)
            if (n.folds_from_non_ascii) return true;
    }
    for (const Needle& n : prepared_)
        if (occurs_in(n, value)) return true;
    return false;
}

bool NeedleSet::occurs_in(const Needle& n, std::string_view value) {
    const size_t len = n.text.size();
    if (value.size() < len) return false;
    const auto* text = reinterpret_cast<const unsigned char*>(value.data());
    const size_t last_start = value.size() - len;   // the last position the needle can start at
    const auto b1 = static_cast<unsigned char>(n.text[n.first]);
    const auto b2 = static_cast<unsigned char>(n.text[n.second]);
    const bool l1 = is_lower_letter(b1), l2 = is_lower_letter(b2);
    size_t start = 0;
#if defined(__SSE2__)
    const __m128i want1 = _mm_set1_epi8(static_cast<char>(b1)), want2 = _mm_set1_epi8(static_cast<char>(b2));
    const __m128i or1 = _mm_set1_epi8(l1 ? 0x20 : 0), or2 = _mm_set1_epi8(l2 ? 0x20 : 0);
    for (; start + 16 <= last_start + 1; start += 16) {
        const __m128i c1 = _mm_or_si128(_mm_loadu_si128(reinterpret_cast<const __m128i*>(text + start + n.first)), or1);
        const __m128i c2 = _mm_or_si128(_mm_loadu_si128(reinterpret_cast<const __m128i*>(text + start + n.second)), or2);
        auto mask = static_cast<unsigned>(_mm_movemask_epi8(_mm_and_si128(_mm_cmpeq_epi8(c1, want1), _mm_cmpeq_epi8(c2, want2))));
        while (mask) {
            const size_t at = start + static_cast<size_t>(__builtin_ctz(mask));
            if (equal_folded(text + at, n.text)) return true;
            mask &= mask - 1;
        }
    }
#endif
    for (; start <= last_start; ++start)
        if (fold(text[start + n.first], l1) == b1 && fold(text[start + n.second], l2) == b2 &&
            equal_folded(text + start, n.text))
            return true;
    return false;
}

}  // namespace extriage
