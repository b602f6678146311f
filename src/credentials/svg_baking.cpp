// SVG baking with a small XML scanner instead of an XML library: we only need the root start tag
// and its direct children, and a scanner that never expands entities cannot be led into a
// billion-laughs expansion or an external fetch. DOCTYPE internal subsets are refused outright.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "credentials/baking.hpp"
#include "credentials/baking_text.hpp"
#include "credentials/error.hpp"
#include "credentials/utf8.hpp"

namespace cairn::credentials {
namespace {

using baking_text::IsXmlSpace;

constexpr std::string_view kCredentialElement = "openbadges:credential";
constexpr std::string_view kNamespaceAttribute = "xmlns:openbadges";
constexpr std::size_t kMaxDepth = 512;

struct Attribute {
  std::string_view name;
  std::string_view raw_value;  // between the quotes, entities not yet decoded
};

struct StartTag {
  std::size_t begin = 0;     // the '<'
  std::size_t name_end = 0;  // just after the element name
  std::size_t end = 0;       // just after the closing '>'
  std::string_view name;
  std::vector<Attribute> attributes;
  bool self_closing = false;
};

struct CredentialElement {
  StartTag tag;
  std::size_t content_begin = 0;
  std::size_t content_end = 0;
  std::size_t end = 0;  // just after </openbadges:credential>
};

struct SvgDocument {
  StartTag root;
  std::size_t root_close_begin = 0;  // the '<' of </svg>, or root.end when self-closing
  std::vector<CredentialElement> credentials;
};

bool IsNameChar(char c) {
  return !IsXmlSpace(c) && c != '>' && c != '/' && c != '=' && c != '<' && c != '"' && c != '\'';
}

std::size_t FindOrThrow(std::string_view svg, std::string_view what, std::size_t from,
                        const char* construct) {
  const auto at = svg.find(what, from);
  if (at == std::string_view::npos) {
    throw CredentialError(std::string("SVG has an unterminated ") + construct);
  }
  return at;
}

std::size_t SkipSpace(std::string_view svg, std::size_t pos) {
  while (pos < svg.size() && IsXmlSpace(svg[pos])) ++pos;
  return pos;
}

// Parses the start tag at `pos` (which holds '<'). Quoted attribute values may contain '>'.
StartTag ParseStartTag(std::string_view svg, std::size_t pos) {
  StartTag tag;
  tag.begin = pos;
  std::size_t i = pos + 1;
  while (i < svg.size() && IsNameChar(svg[i])) ++i;
  if (i == pos + 1) throw CredentialError("SVG has a malformed tag");
  tag.name = svg.substr(pos + 1, i - pos - 1);
  tag.name_end = i;
  while (true) {
    const std::size_t after_space = SkipSpace(svg, i);
    if (after_space >= svg.size()) throw CredentialError("SVG has an unterminated tag");
    const char c = svg[after_space];
    if (c == '>') {
      tag.end = after_space + 1;
      return tag;
    }
    if (c == '/') {
      if (after_space + 1 >= svg.size() || svg[after_space + 1] != '>') {
        throw CredentialError("SVG has a malformed tag");
      }
      tag.self_closing = true;
      tag.end = after_space + 2;
      return tag;
    }
    if (after_space == i) throw CredentialError("SVG attributes must be separated by space");
    std::size_t name_end = after_space;
    while (name_end < svg.size() && IsNameChar(svg[name_end])) ++name_end;
    if (name_end == after_space) throw CredentialError("SVG has a malformed attribute");
    std::size_t eq = SkipSpace(svg, name_end);
    if (eq >= svg.size() || svg[eq] != '=') throw CredentialError("SVG attribute has no value");
    const std::size_t quote_at = SkipSpace(svg, eq + 1);
    if (quote_at >= svg.size() || (svg[quote_at] != '"' && svg[quote_at] != '\'')) {
      throw CredentialError("SVG attribute value is not quoted");
    }
    const std::size_t close = svg.find(svg[quote_at], quote_at + 1);
    if (close == std::string_view::npos) throw CredentialError("SVG has an unterminated attribute");
    const std::string_view value = svg.substr(quote_at + 1, close - quote_at - 1);
    if (value.find('<') != std::string_view::npos) {
      throw CredentialError("SVG attribute value contains '<'");
    }
    for (const Attribute& seen : tag.attributes) {
      if (seen.name == svg.substr(after_space, name_end - after_space)) {
        throw CredentialError("SVG element has a duplicate attribute");
      }
    }
    tag.attributes.push_back({svg.substr(after_space, name_end - after_space), value});
    i = close + 1;
  }
}

// Skips the comment, CDATA section or processing instruction at `pos`, if there is one there.
// Returns the position after it, or npos when `pos` starts none of them.
std::size_t SkipMarkup(std::string_view svg, std::size_t pos) {
  const std::string_view rest = svg.substr(pos);
  if (rest.starts_with("<!--")) return FindOrThrow(svg, "-->", pos + 4, "comment") + 3;
  if (rest.starts_with("<![CDATA[")) return FindOrThrow(svg, "]]>", pos + 9, "CDATA section") + 3;
  if (rest.starts_with("<?")) return FindOrThrow(svg, "?>", pos + 2, "processing instruction") + 2;
  return std::string_view::npos;
}

// Finds the root element: skips the XML declaration, comments, PIs and a plain DOCTYPE.
std::size_t FindRoot(std::string_view svg) {
  std::size_t pos = 0;
  if (svg.starts_with("\xEF\xBB\xBF")) pos = 3;
  while (true) {
    pos = SkipSpace(svg, pos);
    if (pos >= svg.size()) throw CredentialError("SVG has no root element");
    if (svg[pos] != '<') throw CredentialError("SVG has text before the root element");
    const std::size_t skipped = SkipMarkup(svg, pos);
    if (skipped != std::string_view::npos) {
      pos = skipped;
      continue;
    }
    if (svg.substr(pos).starts_with("<!DOCTYPE")) {
      const std::size_t end = FindOrThrow(svg, ">", pos, "DOCTYPE");
      // An internal subset is where entity declarations live (billion laughs, external entities).
      if (svg.substr(pos, end - pos).find('[') != std::string_view::npos) {
        throw CredentialError("SVG DOCTYPE with an internal subset (entity declarations) is refused");
      }
      pos = end + 1;
      continue;
    }
    if (svg.substr(pos).starts_with("<!")) throw CredentialError("SVG has a malformed declaration");
    return pos;
  }
}

bool IsSvgName(std::string_view name) {
  return name == "svg" || (name.size() > 4 && name.ends_with(":svg"));
}

// Walks the whole document once, recording the root tag and its <openbadges:credential> children.
SvgDocument ParseSvg(std::string_view svg) {
  if (svg.size() > kMaxBadgeImageBytes) throw CredentialError("SVG is larger than the 16 MiB limit");
  if (!baking_text::IsValidUtf8(svg)) throw CredentialError("SVG is not valid UTF-8");
  SvgDocument doc;
  doc.root = ParseStartTag(svg, FindRoot(svg));
  if (!IsSvgName(doc.root.name)) throw CredentialError("root element is not <svg>");
  if (doc.root.self_closing) {
    doc.root_close_begin = doc.root.end;
    return doc;
  }
  std::vector<std::string_view> open;  // element names below the root
  std::optional<CredentialElement> current;
  std::size_t pos = doc.root.end;
  while (true) {
    pos = svg.find('<', pos);
    if (pos == std::string_view::npos) throw CredentialError("SVG root element is not closed");
    const std::size_t skipped = SkipMarkup(svg, pos);
    if (skipped != std::string_view::npos) {
      pos = skipped;
      continue;
    }
    if (svg.substr(pos).starts_with("<!")) {
      throw CredentialError("SVG has a declaration inside the root element");
    }
    if (svg.substr(pos).starts_with("</")) {
      const std::size_t close = FindOrThrow(svg, ">", pos, "end tag");
      const std::string_view name = baking_text::TrimSpace(svg.substr(pos + 2, close - pos - 2));
      if (open.empty()) {
        if (name != doc.root.name) throw CredentialError("SVG end tag does not match <svg>");
        doc.root_close_begin = pos;
        return doc;
      }
      if (name != open.back()) throw CredentialError("SVG has mismatched tags");
      open.pop_back();
      if (open.empty() && current) {
        current->content_end = pos;
        current->end = close + 1;
        doc.credentials.push_back(*current);
        current.reset();
      }
      pos = close + 1;
      continue;
    }
    StartTag tag = ParseStartTag(svg, pos);
    pos = tag.end;
    if (open.empty() && tag.name == kCredentialElement) {
      CredentialElement element{tag, tag.end, tag.end, tag.end};
      if (tag.self_closing) {
        doc.credentials.push_back(element);
      } else {
        current = element;
      }
    }
    if (!tag.self_closing) {
      if (open.size() >= kMaxDepth) throw CredentialError("SVG elements are nested too deeply");
      open.push_back(tag.name);
    }
  }
}

// Decodes the five predefined entities and character references; any other entity is refused,
// since without a DOCTYPE none can be defined.
void AppendDecodedText(std::string& out, std::string_view text) {
  std::size_t pos = 0;
  while (pos < text.size()) {
    const auto amp = text.find('&', pos);
    out.append(text.substr(pos, amp - pos));
    if (amp == std::string_view::npos) return;
    const auto semi = text.find(';', amp);
    if (semi == std::string_view::npos || semi - amp > 12) {
      throw CredentialError("SVG has a malformed entity reference");
    }
    const std::string_view entity = text.substr(amp + 1, semi - amp - 1);
    if (entity == "lt") {
      out.push_back('<');
    } else if (entity == "gt") {
      out.push_back('>');
    } else if (entity == "amp") {
      out.push_back('&');
    } else if (entity == "quot") {
      out.push_back('"');
    } else if (entity == "apos") {
      out.push_back('\'');
    } else if (entity.size() >= 2 && entity[0] == '#') {
      const bool hex = entity[1] == 'x';
      const std::string_view digits = entity.substr(hex ? 2 : 1);
      if (digits.empty()) throw CredentialError("SVG has a malformed character reference");
      std::uint32_t cp = 0;
      for (char c : digits) {
        int digit = -1;
        if (c >= '0' && c <= '9') digit = c - '0';
        if (hex && c >= 'a' && c <= 'f') digit = c - 'a' + 10;
        if (hex && c >= 'A' && c <= 'F') digit = c - 'A' + 10;
        if (digit < 0) throw CredentialError("SVG has a malformed character reference");
        cp = cp * (hex ? 16 : 10) + static_cast<std::uint32_t>(digit);
        if (cp > 0x10FFFF) throw CredentialError("SVG character reference is out of range");
      }
      if (cp == 0 || (cp >= 0xD800 && cp <= 0xDFFF)) {
        throw CredentialError("SVG character reference is not a character");
      }
      AppendUtf8(out, cp);
    } else {
      throw CredentialError("SVG uses an undefined entity &" + std::string(entity) + ";");
    }
    pos = semi + 1;
  }
}

// The element's text: CDATA sections verbatim, other text with entities decoded. Whitespace
// outside CDATA at either end is indentation, not credential, and is dropped.
std::string CredentialText(std::string_view svg, const CredentialElement& element) {
  struct Piece {
    std::string text;
    bool cdata;
  };
  std::vector<Piece> pieces;
  std::size_t total = 0;
  const std::string_view content =
      svg.substr(element.content_begin, element.content_end - element.content_begin);
  std::size_t pos = 0;
  while (pos < content.size()) {
    const auto lt = content.find('<', pos);
    Piece text{"", false};
    AppendDecodedText(text.text, content.substr(pos, lt - pos));
    total += text.text.size();
    pieces.push_back(std::move(text));
    if (lt == std::string_view::npos) break;
    if (content.substr(lt).starts_with("<![CDATA[")) {
      const auto end = content.find("]]>", lt + 9);  // ParseSvg proved it is terminated
      pieces.push_back({std::string(content.substr(lt + 9, end - lt - 9)), true});
      total += pieces.back().text.size();
      pos = end + 3;
    } else if (content.substr(lt).starts_with("<!--")) {
      pos = content.find("-->", lt + 4) + 3;
    } else {
      throw CredentialError("<openbadges:credential> must hold only text");
    }
    if (total > kMaxBakedCredentialBytes) {
      throw CredentialError("baked credential is larger than the 1 MiB limit");
    }
  }
  for (auto it = pieces.begin(); it != pieces.end() && !it->cdata; ++it) {
    it->text = std::string(baking_text::TrimSpace(it->text));
    if (!it->text.empty()) break;
  }
  for (auto it = pieces.rbegin(); it != pieces.rend() && !it->cdata; ++it) {
    it->text = std::string(baking_text::TrimSpace(it->text));
    if (!it->text.empty()) break;
  }
  std::string result;
  for (const Piece& piece : pieces) result += piece.text;
  if (baking_text::TrimSpace(result).empty()) {
    result.clear();
    for (const Attribute& attribute : element.tag.attributes) {
      if (attribute.name == "verify") {
        AppendDecodedText(result, attribute.raw_value);
        result = std::string(baking_text::TrimSpace(result));
      }
    }
  }
  if (result.empty()) throw CredentialError("<openbadges:credential> in SVG is empty");
  if (result.size() > kMaxBakedCredentialBytes) {
    throw CredentialError("baked credential is larger than the 1 MiB limit");
  }
  return result;
}

// CDATA cannot contain "]]>", so the JSON is split there into two adjacent sections.
std::string CdataEscaped(std::string_view text) {
  std::string out = "<![CDATA[";
  std::size_t pos = 0;
  while (true) {
    const auto at = text.find("]]>", pos);
    if (at == std::string_view::npos) break;
    out.append(text.substr(pos, at + 2 - pos));
    out.append("]]><![CDATA[");
    pos = at + 2;
  }
  out.append(text.substr(pos));
  out.append("]]>");
  return out;
}

}  // namespace

std::string BakeSvg(std::string_view svg, std::string_view credential) {
  baking_text::CheckBakeableCredential(credential);
  const SvgDocument doc = ParseSvg(svg);

  bool has_namespace = false;
  for (const Attribute& attribute : doc.root.attributes) {
    if (attribute.name != kNamespaceAttribute) continue;
    std::string value;
    AppendDecodedText(value, attribute.raw_value);
    if (value != kOpenBadgesNamespace) {
      throw CredentialError("SVG binds the openbadges prefix to another namespace");
    }
    has_namespace = true;
  }

  std::string element;
  if (LooksLikeCompactJws(credential)) {
    // base64url and dots never need escaping inside a quoted attribute.
    element = "<openbadges:credential verify=\"" + std::string(credential) +
              "\"></openbadges:credential>";
  } else {
    element = "<openbadges:credential>" + CdataEscaped(credential) + "</openbadges:credential>";
  }

  std::string out;
  out.reserve(svg.size() + element.size() + 64);
  out.append(svg.substr(0, doc.root.name_end));
  if (!has_namespace) {
    out.append(" ").append(kNamespaceAttribute).append("=\"").append(kOpenBadgesNamespace);
    out.append("\"");
  }
  if (doc.root.self_closing) {
    // "<svg .../>" becomes "<svg ...>" + credential + "</svg>".
    const std::size_t slash = svg.rfind('/', doc.root.end - 1);
    out.append(svg.substr(doc.root.name_end, slash - doc.root.name_end));
    out.append(">").append(element).append("</").append(doc.root.name).append(">");
    out.append(svg.substr(doc.root.end));
    return out;
  }
  out.append(svg.substr(doc.root.name_end, doc.root.end - doc.root.name_end));
  out.append(element);
  std::size_t pos = doc.root.end;
  for (const CredentialElement& old : doc.credentials) {  // baking replaces an earlier credential
    out.append(svg.substr(pos, old.tag.begin - pos));
    pos = old.end;
  }
  out.append(svg.substr(pos));
  return out;
}

std::optional<std::string> ExtractSvg(std::string_view svg) {
  const SvgDocument doc = ParseSvg(svg);
  if (doc.credentials.empty()) return std::nullopt;
  if (doc.credentials.size() > 1) {
    throw CredentialError("SVG carries more than one <openbadges:credential>");
  }
  return CredentialText(svg, doc.credentials.front());
}

}  // namespace cairn::credentials
