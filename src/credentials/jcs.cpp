#include "credentials/jcs.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <vector>

#include "credentials/error.hpp"

namespace cairn::credentials::jcs {
namespace {

constexpr std::uint64_t kMaxExactInteger = 9007199254740992ULL;  // 2^53
// nlohmann's parser is iterative and accepts any nesting; writing is recursive, so a hostile
// "[[[[…" must be refused before it overflows the stack.
constexpr int kMaxDepth = 1000;

// Decodes one UTF-8 sequence starting at s[i]; returns its code point and advances i.
// Rejects overlong forms, surrogates and values above U+10FFFF, as RFC 3629 requires.
char32_t DecodeUtf8(std::string_view s, std::size_t& i) {
  const auto byte = [&](std::size_t k) { return static_cast<unsigned char>(s[k]); };
  const unsigned char lead = byte(i);
  if (lead < 0x80) {
    ++i;
    return lead;
  }
  std::size_t len = 0;
  char32_t cp = 0;
  char32_t min = 0;
  if ((lead & 0xE0) == 0xC0) {
    len = 2, cp = lead & 0x1F, min = 0x80;
  } else if ((lead & 0xF0) == 0xE0) {
    len = 3, cp = lead & 0x0F, min = 0x800;
  } else if ((lead & 0xF8) == 0xF0) {
    len = 4, cp = lead & 0x07, min = 0x10000;
  } else {
    throw CredentialError("JCS: invalid UTF-8 in string");
  }
  if (i + len > s.size()) throw CredentialError("JCS: truncated UTF-8 in string");
  for (std::size_t k = 1; k < len; ++k) {
    const unsigned char c = byte(i + k);
    if ((c & 0xC0) != 0x80) throw CredentialError("JCS: invalid UTF-8 in string");
    cp = (cp << 6) | (c & 0x3F);
  }
  if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
    throw CredentialError("JCS: invalid UTF-8 in string");
  i += len;
  return cp;
}

// A key that orders code points as their UTF-16 encodings do: supplementary characters
// (surrogate pairs, D800-DFFF) sort before U+E000-U+FFFF, unlike in UTF-8 byte order.
std::uint32_t Utf16OrderKey(char32_t cp) {
  return cp >= 0xE000 && cp <= 0xFFFF ? cp + 0x110000 : cp;
}

void AppendString(std::string_view s, std::string& out) {
  static constexpr char kHex[] = "0123456789abcdef";
  out.push_back('"');
  std::size_t run = 0;  // start of the pending run copied verbatim
  std::size_t i = 0;
  while (i < s.size()) {
    const unsigned char c = static_cast<unsigned char>(s[i]);
    if (c >= 0x80) {
      DecodeUtf8(s, i);  // validates; the bytes themselves are copied verbatim
      continue;
    }
    if (c >= 0x20 && c != '"' && c != '\\') {
      ++i;
      continue;
    }
    out.append(s.data() + run, i - run);
    out.push_back('\\');
    switch (c) {
      case '"': out.push_back('"'); break;
      case '\\': out.push_back('\\'); break;
      case '\b': out.push_back('b'); break;
      case '\f': out.push_back('f'); break;
      case '\n': out.push_back('n'); break;
      case '\r': out.push_back('r'); break;
      case '\t': out.push_back('t'); break;
      default:
        out.append("u00");
        out.push_back(kHex[c >> 4]);
        out.push_back(kHex[c & 15]);
    }
    run = ++i;
  }
  out.append(s.data() + run, s.size() - run);
  out.push_back('"');
}

void AppendInteger(std::uint64_t magnitude, bool negative, std::string& out) {
  if (magnitude > kMaxExactInteger)
    throw CredentialError("JCS: integer " + std::string(negative ? "-" : "") +
                          std::to_string(magnitude) + " exceeds 2^53 and cannot be canonicalized");
  if (negative && magnitude != 0) out.push_back('-');
  char buf[24];
  auto r = std::to_chars(buf, buf + sizeof buf, magnitude);
  out.append(buf, r.ptr);
}

// True when UTF-8 byte order may differ from UTF-16 order for this key: only lead bytes of
// U+E000..U+FFFF (EE, EF) and of supplementary characters (F0..F4) are affected.
bool NeedsUtf16Sort(std::string_view key) {
  return std::any_of(key.begin(), key.end(),
                     [](char c) { return static_cast<unsigned char>(c) >= 0xEE; });
}

void AppendValue(const nlohmann::json& value, std::string& out, int depth);
void AppendMembers(std::vector<Member> members, std::string& out, int depth);

void AppendObject(const nlohmann::json& object, std::string& out, int depth) {
  // nlohmann::json keeps members in a std::map ordered by bytes, which is already the UTF-16
  // order unless some key holds a character at or above U+E000.
  bool resort = false;
  for (const auto& [key, member] : object.items()) {
    if (NeedsUtf16Sort(key)) {
      resort = true;
      break;
    }
  }
  if (!resort) {
    out.push_back('{');
    bool first = true;
    for (const auto& [key, member] : object.items()) {
      if (!first) out.push_back(',');
      first = false;
      AppendString(key, out);
      out.push_back(':');
      AppendValue(member, out, depth);
    }
    out.push_back('}');
    return;
  }
  std::vector<Member> members;
  members.reserve(object.size());
  for (const auto& [key, member] : object.items()) members.push_back({key, &member});
  AppendMembers(std::move(members), out, depth);
}

void AppendValue(const nlohmann::json& value, std::string& out, int depth) {
  using Type = nlohmann::json::value_t;
  if (++depth > kMaxDepth)
    throw CredentialError("JCS: nesting deeper than " + std::to_string(kMaxDepth) + " levels");
  switch (value.type()) {
    case Type::null: out.append("null"); break;
    case Type::boolean: out.append(value.get<bool>() ? "true" : "false"); break;
    case Type::string: AppendString(value.get_ref<const std::string&>(), out); break;
    case Type::number_unsigned: AppendInteger(value.get<std::uint64_t>(), false, out); break;
    case Type::number_integer: {
      const std::int64_t v = value.get<std::int64_t>();
      const std::uint64_t magnitude =
          v < 0 ? ~static_cast<std::uint64_t>(v) + 1 : static_cast<std::uint64_t>(v);
      AppendInteger(magnitude, v < 0, out);
      break;
    }
    case Type::number_float: out.append(FormatNumber(value.get<double>())); break;
    case Type::array: {
      out.push_back('[');
      bool first = true;
      for (const auto& element : value) {
        if (!first) out.push_back(',');
        first = false;
        AppendValue(element, out, depth);
      }
      out.push_back(']');
      break;
    }
    case Type::object: AppendObject(value, out, depth); break;
    default: throw CredentialError("JCS: binary or discarded values have no JSON text");
  }
}

void AppendMembers(std::vector<Member> members, std::string& out, int depth) {
  std::sort(members.begin(), members.end(),
            [](const Member& a, const Member& b) { return Utf16Less(a.key, b.key); });
  out.push_back('{');
  for (std::size_t i = 0; i < members.size(); ++i) {
    if (i > 0) out.push_back(',');
    AppendString(members[i].key, out);
    out.push_back(':');
    AppendValue(*members[i].value, out, depth);
  }
  out.push_back('}');
}

}  // namespace

bool Utf16Less(std::string_view a, std::string_view b) {
  const auto [pa, pb] = std::mismatch(a.begin(), a.end(), b.begin(), b.end());
  if (pb == b.end()) return false;  // b is a prefix of a, or equal
  if (pa == a.end()) return true;   // a is a proper prefix of b
  // Back up to the start of the code point that differs, then compare by UTF-16 order.
  std::size_t i = static_cast<std::size_t>(pa - a.begin());
  while (i > 0 && (static_cast<unsigned char>(a[i]) & 0xC0) == 0x80) --i;
  std::size_t ia = i;
  std::size_t ib = i;
  return Utf16OrderKey(DecodeUtf8(a, ia)) < Utf16OrderKey(DecodeUtf8(b, ib));
}

std::string FormatNumber(double value) {
  if (!std::isfinite(value)) throw CredentialError("JCS: NaN and Infinity are not valid JSON");
  if (value == 0) return "0";  // also -0, as ECMAScript prints it
  // Shortest round-trip digits in scientific form, e.g. "-1.2345e+30", then laid out the way
  // ECMAScript's Number::toString does (ECMA-262 §6.1.6.1.20).
  char buf[40];
  auto r = std::to_chars(buf, buf + sizeof buf, value, std::chars_format::scientific);
  std::string_view sci(buf, static_cast<std::size_t>(r.ptr - buf));
  std::string out;
  if (sci.front() == '-') {
    out.push_back('-');
    sci.remove_prefix(1);
  }
  const std::size_t e_pos = sci.find('e');
  std::string digits;
  for (char c : sci.substr(0, e_pos))
    if (c != '.') digits.push_back(c);
  int exponent = 0;
  std::from_chars(sci.data() + e_pos + 1 + (sci[e_pos + 1] == '+'), sci.data() + sci.size(),
                  exponent);
  const int k = static_cast<int>(digits.size());
  const int n = exponent + 1;  // position of the decimal point relative to the digits
  if (k <= n && n <= 21) {
    out += digits;
    out.append(static_cast<std::size_t>(n - k), '0');
  } else if (0 < n && n <= 21) {
    out.append(digits, 0, static_cast<std::size_t>(n));
    out.push_back('.');
    out.append(digits, static_cast<std::size_t>(n));
  } else if (-6 < n && n <= 0) {
    out.append("0.");
    out.append(static_cast<std::size_t>(-n), '0');
    out += digits;
  } else {
    out.push_back(digits[0]);
    if (k > 1) {
      out.push_back('.');
      out.append(digits, 1);
    }
    out.push_back('e');
    out.push_back(n - 1 >= 0 ? '+' : '-');
    out += std::to_string(std::abs(n - 1));
  }
  return out;
}

void AppendCanonicalMembers(std::vector<Member> members, std::string& out) {
  AppendMembers(std::move(members), out, 1);
}

void AppendCanonical(const nlohmann::json& value, std::string& out) { AppendValue(value, out, 0); }

std::string Canonicalize(const nlohmann::json& value) {
  std::string out;
  out.reserve(256);
  AppendValue(value, out, 0);
  return out;
}

}  // namespace cairn::credentials::jcs
