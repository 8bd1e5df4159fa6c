// Text checks shared by the records' validators: every name, note and finding is counted in
// code points of valid UTF-8, so a limit of 500 means 500 characters in Chinese as in English.
#pragma once

#include <cstdint>
#include <string_view>

namespace qiangji::domain {

// Code points of valid UTF-8 (no overlong forms or surrogates) without control characters;
// -1 when it is not. `allow_line_breaks` admits '\n' (findings and notes run over lines).
int64_t TextLength(std::string_view s, bool allow_line_breaks = false);

}  // namespace qiangji::domain
