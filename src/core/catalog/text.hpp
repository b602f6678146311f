#pragma once
// Counting words and characters the way a teacher would: word limits in the submission form are
// checked with the same function that the catalog uses to validate them.
#include <cstddef>
#include <string_view>

namespace cairn::core::catalog {

// A word is a run of non-space characters that holds at least one letter or digit (any non-ASCII
// code point counts as a letter), so "—" or a Markdown "*" bullet alone is not a word.
std::size_t CountWords(std::string_view text);

// Code points in valid UTF-8 (limits are in characters, not bytes).
std::size_t CountCharacters(std::string_view utf8);

bool IsValidUtf8(std::string_view text);

}  // namespace cairn::core::catalog
