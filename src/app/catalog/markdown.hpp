#pragma once
// Issuers write Markdown; browsers get HTML that cannot carry script. cmark-gfm's safe mode drops
// raw HTML and javascript:/vbscript:/file:/data: (except images) link targets.
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "core/catalog/micro_credential.hpp"

namespace cairn::app::catalog {

// GitHub-flavoured Markdown (tables, autolinks, strikethrough) to HTML, raw HTML omitted.
std::string RenderMarkdown(std::string_view markdown);

// The API representation of a version: the stored fields, and beside every Markdown field "x" its
// rendering "x_html".
nlohmann::json Present(const core::catalog::MicroCredential& mc);

}  // namespace cairn::app::catalog
