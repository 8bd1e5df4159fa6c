// Text checks shared by the records' validators: every name, note and finding is counted in
// code points of valid UTF-8, so a limit of 500 means 500 characters in Chinese as in English.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>

#include "common/status.h"

namespace qiangji::domain {

// Code points of valid UTF-8 (no overlong forms or surrogates) without control characters;
// -1 when it is not. `allow_line_breaks` admits '\n' (findings and notes run over lines).
int64_t TextLength(std::string_view s, bool allow_line_breaks = false);

// Free text of a record: valid UTF-8, no control characters (line breaks only when allowed), no
// leading or trailing space, at most `max` characters, and non-empty when `required`. Adds one
// error on `field` when broken.
void CheckText(FieldErrors& errors, std::string_view field, std::string_view value, bool required,
               int64_t max, bool allow_line_breaks = false);

// Mainland mobile numbers: 11 digits, 1 then 3-9.
bool ValidMobile(std::string_view phone);

// "a, b, c": a closed vocabulary for an error message.
std::string Listing(std::span<const std::string_view> vocabulary);

}  // namespace qiangji::domain
