#include "app/catalog/markdown.hpp"

#include <cmark-gfm-core-extensions.h>
#include <cmark-gfm.h>

#include <cstdlib>
#include <memory>
#include <mutex>

#include "core/catalog/codec.hpp"

namespace cairn::app::catalog {
namespace {

void RegisterExtensionsOnce() {
  static std::once_flag once;
  std::call_once(once, [] { cmark_gfm_core_extensions_ensure_registered(); });
}

void Attach(cmark_parser* parser, const char* name) {
  if (cmark_syntax_extension* ext = cmark_find_syntax_extension(name))
    cmark_parser_attach_syntax_extension(parser, ext);
}

void AddHtml(nlohmann::json& object, const char* key) {
  const auto it = object.find(key);
  if (it != object.end() && it->is_string())
    object[std::string(key) + "_html"] = RenderMarkdown(it->get_ref<const std::string&>());
}

}  // namespace

std::string RenderMarkdown(std::string_view markdown) {
  if (markdown.empty()) return {};
  RegisterExtensionsOnce();
  // CMARK_OPT_DEFAULT is safe: without CMARK_OPT_UNSAFE raw HTML becomes a comment and dangerous
  // URLs are emptied.
  const int options = CMARK_OPT_DEFAULT | CMARK_OPT_VALIDATE_UTF8;
  std::unique_ptr<cmark_parser, decltype(&cmark_parser_free)> parser(cmark_parser_new(options),
                                                                     &cmark_parser_free);
  for (const char* name : {"table", "autolink", "strikethrough"}) Attach(parser.get(), name);
  cmark_parser_feed(parser.get(), markdown.data(), markdown.size());
  std::unique_ptr<cmark_node, decltype(&cmark_node_free)> doc(cmark_parser_finish(parser.get()),
                                                              &cmark_node_free);
  char* html =
      cmark_render_html(doc.get(), options, cmark_parser_get_syntax_extensions(parser.get()));
  std::string out(html ? html : "");
  std::free(html);
  return out;
}

nlohmann::json Present(const core::catalog::MicroCredential& mc) {
  nlohmann::json out = core::catalog::EncodeMicroCredential(mc);
  for (const char* key : {"summary", "competency", "research"}) AddHtml(out, key);
  AddHtml(out["key_method"], "description");
  for (auto& component : out["key_method"]["components"]) AddHtml(component, "description");
  for (auto& q : out["submission"]["overview"]) AddHtml(q, "prompt");
  for (auto& a : out["submission"]["artifacts"]) AddHtml(a, "description");
  for (auto& q : out["submission"]["reflection"]) AddHtml(q, "prompt");
  for (auto& criterion : out["rubric"]["criteria"]) {
    AddHtml(criterion, "description");
    for (auto& level : criterion["levels"]) AddHtml(level, "descriptor");
  }
  return out;
}

}  // namespace cairn::app::catalog
