#pragma once
// Reads the published test vectors under tests/data/standards.
#include <nlohmann/json.hpp>

#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>

namespace cairn::credentials::testing {

inline std::string ReadStandardsFile(const std::string& relative_path) {
  const std::string path = std::string(CAIRN_STANDARDS_DIR) + "/" + relative_path;
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot open test vector " + path);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

inline nlohmann::json ReadStandardsJson(const std::string& relative_path) {
  return nlohmann::json::parse(ReadStandardsFile(relative_path));
}

// Vector files of hashes and signatures end in a newline or not; compare their trimmed text.
inline std::string Trimmed(std::string text) {
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r' || text.back() == ' '))
    text.pop_back();
  return text;
}

}  // namespace cairn::credentials::testing
