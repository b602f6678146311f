#include "credentials/nquads.hpp"

#include <algorithm>
#include <array>
#include <string>
#include <unordered_map>

#include "credentials/error.hpp"
#include "credentials/utf8.hpp"

namespace cairn::credentials::nquads {
namespace {

constexpr std::string_view kXsdString = "http://www.w3.org/2001/XMLSchema#string";
constexpr char kHexUpper[] = "0123456789ABCDEF";

void AppendUchar(std::string& out, unsigned char c) {
  out += "\\u00";
  out.push_back(kHexUpper[c >> 4]);
  out.push_back(kHexUpper[c & 15]);
}

// IRIs cannot hold these characters raw. They only reach us escaped (\u0020) or from a producer,
// and rdf-canonize writes them back as UCHARs, so we do the same to hash identical bytes.
constexpr bool IsIriEscaped(unsigned char c) {
  return c <= 0x20 || std::string_view("<>\"{}|^`\\").find(static_cast<char>(c)) != std::string_view::npos;
}

// Canonical N-Triples: ECHARs for \b \t \n \f \r \" \\, UCHARs for the other controls, the rest
// raw (RDFC-1.0 test060 pins this down). The table gives the ECHAR letter, 'u' for a UCHAR, or 0.
constexpr char LiteralEscape(unsigned char c) {
  switch (c) {
    case '\b': return 'b';
    case '\t': return 't';
    case '\n': return 'n';
    case '\f': return 'f';
    case '\r': return 'r';
    case '"': return '"';
    case '\\': return '\\';
    default: return c < 0x20 || c == 0x7f ? 'u' : 0;
  }
}

template <typename F>
constexpr std::array<char, 256> MakeTable(F f) {
  std::array<char, 256> table{};
  for (int c = 0; c < 256; ++c) table[c] = static_cast<char>(f(static_cast<unsigned char>(c)));
  return table;
}
constexpr auto kIriEscapes = MakeTable(IsIriEscaped);
constexpr auto kLiteralEscapes = MakeTable(LiteralEscape);

// Serialization is on the signing and verification path, so runs of plain bytes are copied at
// once rather than byte by byte.
void AppendIri(std::string& out, std::string_view iri) {
  out.push_back('<');
  // Almost no IRI needs escaping: check without branching per byte, then copy it whole.
  char any = 0;
  for (char c : iri) any |= kIriEscapes[static_cast<unsigned char>(c)];
  if (!any) {
    out += iri;
    out.push_back('>');
    return;
  }
  std::size_t run = 0;
  for (std::size_t k = 0; k < iri.size(); ++k) {
    const auto c = static_cast<unsigned char>(iri[k]);
    if (!kIriEscapes[c]) continue;
    out.append(iri.data() + run, k - run);
    AppendUchar(out, c);
    run = k + 1;
  }
  out.append(iri.data() + run, iri.size() - run);
  out.push_back('>');
}

void AppendLiteralText(std::string& out, std::string_view text) {
  std::size_t run = 0;
  for (std::size_t k = 0; k < text.size(); ++k) {
    const auto c = static_cast<unsigned char>(text[k]);
    const char escape = kLiteralEscapes[c];
    if (!escape) continue;
    out.append(text.data() + run, k - run);
    if (escape == 'u') {
      AppendUchar(out, c);
    } else {
      out.push_back('\\');
      out.push_back(escape);
    }
    run = k + 1;
  }
  out.append(text.data() + run, text.size() - run);
}

void CheckQuad(const rdf::Quad& q) {
  using rdf::TermKind;
  if (q.subject.kind != TermKind::kIri && q.subject.kind != TermKind::kBlankNode)
    throw CredentialError("N-Quads: subject must be an IRI or a blank node");
  if (q.predicate.kind != TermKind::kIri) throw CredentialError("N-Quads: predicate must be an IRI");
  if (q.object.kind == TermKind::kDefaultGraph)
    throw CredentialError("N-Quads: object must be an IRI, blank node or literal");
  if (q.graph.kind == TermKind::kLiteral) throw CredentialError("N-Quads: graph name cannot be a literal");
}


bool IsScalar(char32_t cp) { return cp <= 0x10FFFF && (cp < 0xD800 || cp > 0xDFFF); }

// https://www.w3.org/TR/n-quads/#grammar-production-PN_CHARS_BASE
bool IsPnCharsBase(char32_t c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= 0xC0 && c <= 0xD6) ||
         (c >= 0xD8 && c <= 0xF6) || (c >= 0xF8 && c <= 0x2FF) || (c >= 0x370 && c <= 0x37D) ||
         (c >= 0x37F && c <= 0x1FFF) || (c >= 0x200C && c <= 0x200D) || (c >= 0x2070 && c <= 0x218F) ||
         (c >= 0x2C00 && c <= 0x2FEF) || (c >= 0x3001 && c <= 0xD7FF) || (c >= 0xF900 && c <= 0xFDCF) ||
         (c >= 0xFDF0 && c <= 0xFFFD) || (c >= 0x10000 && c <= 0xEFFFF);
}
bool IsPnCharsU(char32_t c) { return IsPnCharsBase(c) || c == '_' || c == ':'; }
bool IsPnChars(char32_t c) {
  return IsPnCharsU(c) || c == '-' || (c >= '0' && c <= '9') || c == 0xB7 || (c >= 0x300 && c <= 0x36F) ||
         (c >= 0x203F && c <= 0x2040);
}
bool IsAlpha(char c) { return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z'); }
bool IsDigit(char c) { return c >= '0' && c <= '9'; }

// Parses one line of N-Quads. Errors name the line, so a user can find the bad statement.
class LineParser {
 public:
  LineParser(std::string_view line, std::size_t number) : line_(line), number_(number) {}

  // Returns false for a blank or comment-only line.
  bool Parse(rdf::Quad& quad) {
    SkipSpace();
    if (AtEnd() || Peek() == '#') return false;
    quad.subject = ReadSubjectOrGraph("subject");
    SkipSpace();
    if (AtEnd() || Peek() != '<') Fail("expected a predicate IRI");
    quad.predicate = ReadIri();
    SkipSpace();
    quad.object = ReadObject();
    SkipSpace();
    quad.graph = rdf::Term{};
    if (!AtEnd() && (Peek() == '<' || Peek() == '_')) {
      quad.graph = ReadSubjectOrGraph("graph name");
      SkipSpace();
    }
    if (AtEnd() || Peek() != '.') Fail("expected '.' at the end of the statement");
    ++pos_;
    SkipSpace();
    if (!AtEnd() && Peek() != '#') Fail("unexpected text after '.'");
    return true;
  }

 private:
  [[noreturn]] void Fail(std::string_view what) const {
    throw CredentialError("N-Quads parse error on line " + std::to_string(number_) + ", column " +
                          std::to_string(pos_ + 1) + ": " + std::string(what));
  }
  bool AtEnd() const { return pos_ >= line_.size(); }
  char Peek() const { return line_[pos_]; }
  void SkipSpace() {
    while (!AtEnd() && (Peek() == ' ' || Peek() == '\t')) ++pos_;
  }

  char32_t NextCodePoint() {
    auto b0 = static_cast<unsigned char>(line_[pos_]);
    if (b0 < 0x80) {
      ++pos_;
      return b0;
    }
    int extra = b0 >= 0xF0 ? 3 : b0 >= 0xE0 ? 2 : b0 >= 0xC0 ? 1 : -1;
    if (extra < 0 || b0 > 0xF4 || pos_ + extra >= line_.size()) Fail("invalid UTF-8");
    char32_t cp = b0 & (0x3F >> extra);
    for (int k = 1; k <= extra; ++k) {
      auto b = static_cast<unsigned char>(line_[pos_ + k]);
      if ((b & 0xC0) != 0x80) Fail("invalid UTF-8");
      cp = (cp << 6) | (b & 0x3F);
    }
    static constexpr char32_t kMin[] = {0, 0x80, 0x800, 0x10000};
    if (cp < kMin[extra] || !IsScalar(cp)) Fail("invalid UTF-8");
    pos_ += extra + 1;
    return cp;
  }

  // After the backslash of \uXXXX or \UXXXXXXXX.
  char32_t ReadUchar() {
    int digits = Peek() == 'u' ? 4 : 8;
    ++pos_;
    if (pos_ + digits > line_.size()) Fail("truncated \\u escape");
    char32_t cp = 0;
    for (int k = 0; k < digits; ++k) {
      char c = line_[pos_ + k];
      int v = IsDigit(c)               ? c - '0'
              : (c >= 'a' && c <= 'f') ? c - 'a' + 10
              : (c >= 'A' && c <= 'F') ? c - 'A' + 10
                                       : -1;
      if (v < 0) Fail("invalid hex digit in \\u escape");
      cp = (cp << 4) | static_cast<char32_t>(v);
    }
    if (!IsScalar(cp)) Fail("\\u escape is not a Unicode scalar value");
    pos_ += digits;
    return cp;
  }

  rdf::Term ReadIri() {
    ++pos_;  // '<'
    rdf::Term term{rdf::TermKind::kIri, {}, {}, {}};
    for (;;) {
      std::size_t run = pos_;
      while (!AtEnd() && static_cast<unsigned char>(Peek()) < 0x80 &&
             !kIriEscapes[static_cast<unsigned char>(Peek())])
        ++pos_;
      term.value.append(line_.substr(run, pos_ - run));
      if (AtEnd()) Fail("unterminated IRI");
      char c = Peek();
      if (c == '>') break;
      if (c == '\\') {
        ++pos_;
        if (AtEnd() || (Peek() != 'u' && Peek() != 'U')) Fail("only \\u and \\U escapes are allowed in IRIs");
        AppendUtf8(term.value, ReadUchar());
        continue;
      }
      std::size_t at = pos_;
      char32_t cp = NextCodePoint();
      if (cp < 0x80 && IsIriEscaped(static_cast<unsigned char>(cp))) {
        pos_ = at;
        Fail("character not allowed in an IRI");
      }
      term.value.append(line_.substr(at, pos_ - at));
    }
    ++pos_;  // '>'
    if (!HasScheme(term.value)) Fail("IRI is not absolute");
    return term;
  }

  static bool HasScheme(std::string_view iri) {
    if (iri.empty() || !IsAlpha(iri[0])) return false;
    for (std::size_t k = 1; k < iri.size(); ++k) {
      char c = iri[k];
      if (c == ':') return true;
      if (!IsAlpha(c) && !IsDigit(c) && c != '+' && c != '-' && c != '.') return false;
    }
    return false;
  }

  rdf::Term ReadBlankNode() {
    if (line_.substr(pos_, 2) != "_:") Fail("expected a blank node '_:'");
    pos_ += 2;
    std::size_t start = pos_;
    if (AtEnd()) Fail("empty blank node label");
    char32_t first = NextCodePoint();
    if (!IsPnCharsU(first) && !(first >= '0' && first <= '9')) {
      pos_ = start;
      Fail("invalid blank node label");
    }
    std::size_t end = pos_;  // end of the label without trailing dots
    while (!AtEnd()) {
      std::size_t at = pos_;
      char32_t cp = NextCodePoint();
      if (cp == '.') continue;
      if (!IsPnChars(cp)) {
        pos_ = at;
        break;
      }
      end = pos_;
    }
    pos_ = end;  // a label cannot end in '.', so trailing dots belong to the statement
    return rdf::Term{rdf::TermKind::kBlankNode, std::string(line_.substr(start, end - start)), {}, {}};
  }

  rdf::Term ReadSubjectOrGraph(std::string_view what) {
    if (!AtEnd() && Peek() == '<') return ReadIri();
    if (!AtEnd() && Peek() == '_') return ReadBlankNode();
    Fail("expected an IRI or blank node as " + std::string(what));
  }

  rdf::Term ReadObject() {
    if (AtEnd()) Fail("expected an object");
    if (Peek() == '<') return ReadIri();
    if (Peek() == '_') return ReadBlankNode();
    if (Peek() == '"') return ReadLiteral();
    Fail("expected an IRI, blank node or literal as object");
  }

  rdf::Term ReadLiteral() {
    ++pos_;  // '"'
    rdf::Term term{rdf::TermKind::kLiteral, {}, {}, {}};
    for (;;) {
      std::size_t run = pos_;
      while (!AtEnd() && static_cast<unsigned char>(Peek()) < 0x80 && Peek() != '"' && Peek() != '\\') ++pos_;
      term.value.append(line_.substr(run, pos_ - run));
      if (AtEnd()) Fail("unterminated string literal");
      char c = Peek();
      if (c == '"') break;
      if (c == '\\') {
        ++pos_;
        if (AtEnd()) Fail("unterminated escape");
        switch (Peek()) {
          case 't': term.value.push_back('\t'); break;
          case 'b': term.value.push_back('\b'); break;
          case 'n': term.value.push_back('\n'); break;
          case 'r': term.value.push_back('\r'); break;
          case 'f': term.value.push_back('\f'); break;
          case '"': term.value.push_back('"'); break;
          case '\'': term.value.push_back('\''); break;
          case '\\': term.value.push_back('\\'); break;
          case 'u':
          case 'U': AppendUtf8(term.value, ReadUchar()); continue;
          default: Fail("invalid escape in string literal");
        }
        ++pos_;
        continue;
      }
      std::size_t at = pos_;
      NextCodePoint();
      term.value.append(line_.substr(at, pos_ - at));
    }
    ++pos_;  // '"'
    if (line_.substr(pos_, 2) == "^^") {
      pos_ += 2;
      if (AtEnd() || Peek() != '<') Fail("expected a datatype IRI after '^^'");
      term.datatype = ReadIri().value;
      if (term.datatype == kXsdString) term.datatype.clear();  // the same literal, written short
    } else if (!AtEnd() && Peek() == '@') {
      ++pos_;
      std::size_t start = pos_;
      while (!AtEnd() && IsAlpha(Peek())) ++pos_;
      if (pos_ == start) Fail("empty language tag");
      while (!AtEnd() && Peek() == '-') {
        std::size_t sub = ++pos_;
        while (!AtEnd() && (IsAlpha(Peek()) || IsDigit(Peek()))) ++pos_;
        if (pos_ == sub) Fail("empty language subtag");
      }
      term.language = std::string(line_.substr(start, pos_ - start));
    }
    return term;
  }

  std::string_view line_;
  std::size_t number_;
  std::size_t pos_ = 0;
};

}  // namespace

void AppendTerm(std::string& out, const rdf::Term& term) {
  switch (term.kind) {
    case rdf::TermKind::kIri: AppendIri(out, term.value); break;
    case rdf::TermKind::kBlankNode:
      out += "_:";
      out += term.value;
      break;
    case rdf::TermKind::kLiteral:
      out.push_back('"');
      AppendLiteralText(out, term.value);
      out.push_back('"');
      if (!term.language.empty()) {
        out.push_back('@');
        out += term.language;
      } else if (!term.datatype.empty() && term.datatype != kXsdString) {
        out += "^^";
        AppendIri(out, term.datatype);
      }
      break;
    case rdf::TermKind::kDefaultGraph: break;
  }
}

std::string SerializeQuad(const rdf::Quad& quad) {
  CheckQuad(quad);
  std::string out;
  AppendTerm(out, quad.subject);
  out.push_back(' ');
  AppendTerm(out, quad.predicate);
  out.push_back(' ');
  AppendTerm(out, quad.object);
  if (quad.graph.kind != rdf::TermKind::kDefaultGraph) {
    out.push_back(' ');
    AppendTerm(out, quad.graph);
  }
  out += " .\n";
  return out;
}

std::string Serialize(const rdf::Dataset& dataset) {
  std::string out;
  for (const auto& quad : dataset) out += SerializeQuad(quad);
  return out;
}

namespace {

std::size_t HashQuad(const rdf::Quad& q) {
  std::size_t h = 0;
  for (const auto* t : {&q.subject, &q.predicate, &q.object, &q.graph}) {
    for (const auto* part : {&t->value, &t->datatype, &t->language})
      h = h * 1000003 ^ std::hash<std::string_view>{}(*part);
    h = h * 31 + static_cast<std::size_t>(t->kind);
  }
  return h;
}

}  // namespace

rdf::Dataset Parse(std::string_view text) {
  rdf::Dataset dataset;
  std::unordered_multimap<std::size_t, std::size_t> seen;  // a dataset is a set: repeats count once
  std::size_t number = 0;
  std::size_t pos = 0;
  while (pos <= text.size()) {
    std::size_t end = text.find_first_of("\r\n", pos);
    if (end == std::string_view::npos) end = text.size();
    ++number;
    rdf::Quad quad;
    if (LineParser(text.substr(pos, end - pos), number).Parse(quad)) {
      const std::size_t hash = HashQuad(quad);
      auto [first, last] = seen.equal_range(hash);
      if (std::none_of(first, last, [&](const auto& entry) { return dataset[entry.second] == quad; })) {
        seen.emplace(hash, dataset.size());
        dataset.push_back(std::move(quad));
      }
    }
    if (end == text.size()) break;
    pos = end + (text.compare(end, 2, "\r\n") == 0 ? 2 : 1);
  }
  return dataset;
}

}  // namespace cairn::credentials::nquads
