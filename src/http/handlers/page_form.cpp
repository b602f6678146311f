#include "http/handlers/page_form.hpp"

#include <algorithm>
#include <cctype>

#include "http/request.hpp"

namespace cairn::http {
namespace {

std::string Lower(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

std::string_view Trim(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  return text;
}

// A parameter of a header value (`name="value"` or `name=value`, after the first ';'); quoted
// values may hold ';' and backslash escapes (RFC 9110 §5.6.4).
std::string Parameter(std::string_view header, std::string_view name) {
  std::size_t i = header.find(';');
  while (i != std::string_view::npos && i < header.size()) {
    ++i;  // past ';'
    while (i < header.size() && (header[i] == ' ' || header[i] == '\t')) ++i;
    const std::size_t key_start = i;
    while (i < header.size() && header[i] != '=' && header[i] != ';') ++i;
    const std::string key = Lower(Trim(header.substr(key_start, i - key_start)));
    std::string value;
    if (i < header.size() && header[i] == '=') {
      ++i;
      if (i < header.size() && header[i] == '"') {
        ++i;
        while (i < header.size() && header[i] != '"') {
          if (header[i] == '\\' && i + 1 < header.size()) ++i;
          value += header[i++];
        }
        if (i < header.size()) ++i;  // closing quote
      } else {
        const std::size_t value_start = i;
        while (i < header.size() && header[i] != ';') ++i;
        value = std::string(Trim(header.substr(value_start, i - value_start)));
      }
    }
    if (key == name) return value;
    i = header.find(';', i);
  }
  return {};
}

core::Error Malformed(std::string why) { return core::Error::InvalidInput("the form is malformed: " + why); }

core::Result<std::map<std::string, FormField>> ParseMultipart(std::string_view content_type, std::string_view body) {
  const std::string boundary = Parameter(content_type, "boundary");
  if (boundary.empty() || boundary.size() > 70) return Malformed("no valid multipart boundary");
  const std::string delimiter = "--" + boundary;
  std::map<std::string, FormField> fields;
  std::size_t pos = body.find(delimiter);
  if (pos == std::string_view::npos) return Malformed("the boundary never appears");
  std::size_t parts = 0;
  while (true) {
    pos += delimiter.size();
    if (body.substr(pos, 2) == "--") return fields;  // the closing delimiter
    if (body.substr(pos, 2) != "\r\n") return Malformed("a boundary line is not followed by CRLF");
    pos += 2;
    const std::size_t head_end = body.find("\r\n\r\n", pos);
    if (head_end == std::string_view::npos) return Malformed("a part has no header end");
    const std::string_view head = body.substr(pos, head_end - pos);
    const std::size_t content_start = head_end + 4;
    const std::size_t next = body.find("\r\n" + delimiter, content_start);
    if (next == std::string_view::npos) return Malformed("the closing boundary is missing");
    if (++parts > kMaxFormParts) return Malformed("too many parts");

    FormField field;
    std::string name;
    std::size_t line_start = 0;
    while (line_start <= head.size()) {
      const std::size_t line_end = std::min(head.find("\r\n", line_start), head.size());
      const std::string_view line = head.substr(line_start, line_end - line_start);
      const std::size_t colon = line.find(':');
      if (colon != std::string_view::npos) {
        const std::string header_name = Lower(Trim(line.substr(0, colon)));
        const std::string_view value = Trim(line.substr(colon + 1));
        if (header_name == "content-disposition") {
          name = Parameter(value, "name");
          field.filename = Parameter(value, "filename");
        } else if (header_name == "content-type") {
          field.content_type = std::string(value);
        }
      }
      line_start = line_end + 2;
    }
    if (name.empty()) return Malformed("a part has no name");
    field.value = std::string(body.substr(content_start, next - content_start));
    fields.emplace(std::move(name), std::move(field));
    pos = next + 2;
  }
}

core::Result<std::map<std::string, FormField>> ParseUrlEncoded(std::string_view body) {
  std::map<std::string, FormField> fields;
  std::size_t parts = 0;
  while (!body.empty()) {
    const std::size_t amp = body.find('&');
    const std::string_view pair = body.substr(0, amp);
    body = amp == std::string_view::npos ? std::string_view() : body.substr(amp + 1);
    if (pair.empty()) continue;
    if (++parts > kMaxFormParts) return Malformed("too many fields");
    const std::size_t eq = pair.find('=');
    auto name = PercentDecode(pair.substr(0, eq), true);
    auto value = PercentDecode(eq == std::string_view::npos ? std::string_view() : pair.substr(eq + 1), true);
    if (!name || !value) return Malformed("a bad percent-escape");
    fields.emplace(std::move(*name), FormField{std::move(*value), {}, {}});
  }
  return fields;
}

}  // namespace

core::Result<std::map<std::string, FormField>> ParseForm(std::string_view content_type, std::string_view body) {
  const std::string type = Lower(Trim(content_type.substr(0, content_type.find(';'))));
  if (type == "multipart/form-data") return ParseMultipart(content_type, body);
  if (type == "application/x-www-form-urlencoded") return ParseUrlEncoded(body);
  return core::Error{core::ErrorCode::kUnsupportedMedia,
                     "send the form as multipart/form-data or application/x-www-form-urlencoded", {}, {}};
}

}  // namespace cairn::http
