#include "domain/text.h"

namespace qiangji::domain {

int64_t TextLength(std::string_view s, bool allow_line_breaks) {
  int64_t n = 0;
  for (size_t i = 0; i < s.size();) {
    const auto c = static_cast<unsigned char>(s[i]);
    const size_t len = c < 0x80           ? 1
                       : (c >> 5) == 0x6  ? 2
                       : (c >> 4) == 0xE  ? 3
                       : (c >> 3) == 0x1E ? 4
                                          : 0;
    if (len == 0 || i + len > s.size()) return -1;
    if (len == 1 && ((c < 0x20 && !(allow_line_breaks && c == '\n')) || c == 0x7F)) return -1;
    for (size_t k = 1; k < len; ++k) {
      if ((static_cast<unsigned char>(s[i + k]) & 0xC0) != 0x80) return -1;
    }
    // Overlong encodings and surrogates.
    if (len == 2 && c < 0xC2) return -1;
    const auto c1 = static_cast<unsigned char>(s[i + 1 < s.size() ? i + 1 : i]);
    if (len == 3 && ((c == 0xE0 && c1 < 0xA0) || (c == 0xED && c1 >= 0xA0))) return -1;
    if (len == 4 && ((c == 0xF0 && c1 < 0x90) || c > 0xF4 || (c == 0xF4 && c1 >= 0x90))) return -1;
    i += len;
    ++n;
  }
  return n;
}

}  // namespace qiangji::domain
