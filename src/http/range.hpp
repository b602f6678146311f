#pragma once
// HTTP Range (RFC 9110 §14.2) for one byte range: "bytes=a-b", "bytes=a-", "bytes=-n". Pure, so
// the file responses and the fuzzer share it. Multiple ranges and anything malformed are kNone,
// which means "ignore the header and send the whole representation", as RFC 9110 permits.
#include <cstdint>
#include <string_view>

namespace cairn::http {

struct ByteRange {
  std::uint64_t first = 0, last = 0;  // inclusive
};

enum class RangeResult { kNone, kSatisfiable, kUnsatisfiable };

namespace range_detail {
inline std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}
inline bool ParseDigits(std::string_view digits, std::uint64_t& value) {
  digits = Trim(digits);
  if (digits.empty() || digits.size() > 19) return false;
  value = 0;
  for (char c : digits) {
    if (c < '0' || c > '9') return false;
    value = value * 10 + static_cast<std::uint64_t>(c - '0');
  }
  return true;
}
}  // namespace range_detail

inline RangeResult ParseRange(std::string_view header, std::uint64_t size, ByteRange& out) {
  using range_detail::ParseDigits;
  using range_detail::Trim;
  header = Trim(header);
  if (!header.starts_with("bytes=")) return RangeResult::kNone;
  header.remove_prefix(6);
  if (header.find(',') != std::string_view::npos) return RangeResult::kNone;
  auto dash = header.find('-');
  if (dash == std::string_view::npos) return RangeResult::kNone;
  std::string_view first_text = Trim(header.substr(0, dash));
  std::string_view last_text = Trim(header.substr(dash + 1));
  std::uint64_t first = 0, last = 0;
  if (first_text.empty()) {  // suffix: the last n bytes
    if (!ParseDigits(last_text, last)) return RangeResult::kNone;
    if (last == 0 || size == 0) return RangeResult::kUnsatisfiable;
    out.first = last >= size ? 0 : size - last;
    out.last = size - 1;
    return RangeResult::kSatisfiable;
  }
  if (!ParseDigits(first_text, first)) return RangeResult::kNone;
  if (last_text.empty()) {
    last = size == 0 ? 0 : size - 1;
  } else {
    if (!ParseDigits(last_text, last) || last < first) return RangeResult::kNone;
    if (last >= size) last = size == 0 ? 0 : size - 1;
  }
  if (first >= size) return RangeResult::kUnsatisfiable;
  out.first = first;
  out.last = last;
  return RangeResult::kSatisfiable;
}

}  // namespace cairn::http
