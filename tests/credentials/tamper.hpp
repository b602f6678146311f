#pragma once
// Every small change to a signed document: each value altered or given another JSON type, each
// key renamed, each array member removed (and, where order matters, reordered). A proof must
// fail for every one of them.
#include <nlohmann/json.hpp>

#include <string>
#include <utility>
#include <vector>

namespace cairn::credentials::testing {

struct Tampered {
  std::string description;
  nlohmann::json document;
};

namespace detail {

inline void Collect(const nlohmann::json& root, const nlohmann::json::json_pointer& at,
                    bool reorder_arrays, std::vector<Tampered>& out) {
  const nlohmann::json& node = root.at(at);
  const auto add = [&](std::string what, auto&& edit) {
    nlohmann::json copy = root;
    edit(copy.at(at));
    out.push_back({at.to_string() + ": " + std::move(what), std::move(copy)});
  };
  switch (node.type()) {
    case nlohmann::json::value_t::object:
      // A named copy, not a structured binding: clang 14 cannot capture bindings in lambdas.
      for (const auto& item : node.items()) {
        const std::string key = item.key();
        add("rename key " + key, [&](nlohmann::json& n) {
          nlohmann::json moved = std::move(n[key]);
          n.erase(key);
          n[key + "x"] = std::move(moved);
        });
        Collect(root, at / key, reorder_arrays, out);
      }
      add("make it a string", [](nlohmann::json& n) { n = "x"; });
      break;
    case nlohmann::json::value_t::array:
      for (std::size_t i = 0; i < node.size(); ++i) {
        add("remove member " + std::to_string(i),
            [&](nlohmann::json& n) { n.erase(n.begin() + static_cast<std::ptrdiff_t>(i)); });
        Collect(root, at / i, reorder_arrays, out);
      }
      if (reorder_arrays && node.size() > 1 && node[0] != node[1])
        add("swap members 0 and 1", [](nlohmann::json& n) { std::swap(n[0], n[1]); });
      break;
    case nlohmann::json::value_t::string:
      add("change the string", [](nlohmann::json& n) { n = n.get<std::string>() + "x"; });
      add("make it a number", [](nlohmann::json& n) { n = 1; });
      break;
    case nlohmann::json::value_t::boolean:
      add("flip", [](nlohmann::json& n) { n = !n.get<bool>(); });
      break;
    case nlohmann::json::value_t::null:
      add("make it a string", [](nlohmann::json& n) { n = "x"; });
      break;
    default:  // numbers
      add("add one", [](nlohmann::json& n) { n = n.get<double>() + 1; });
      add("make it a string", [](nlohmann::json& n) { n = "1"; });
  }
}

}  // namespace detail

// Array order is significant in JSON (JCS) but not, for most arrays, in RDF (rdfc).
inline std::vector<Tampered> TamperedCopies(const nlohmann::json& document, bool reorder_arrays) {
  std::vector<Tampered> out;
  for (const auto& [key, value] : document.items()) {
    const auto at = nlohmann::json::json_pointer() / key;
    nlohmann::json renamed = document;
    renamed[key + "x"] = renamed[key];
    renamed.erase(key);
    out.push_back({"rename top-level key " + key, std::move(renamed)});
    detail::Collect(document, at, reorder_arrays, out);
  }
  nlohmann::json added = document;
  added["name"] = document.contains("name") ? nlohmann::json("other") : nlohmann::json("added");
  out.push_back({"add or change name", std::move(added)});
  return out;
}

}  // namespace cairn::credentials::testing
