// Every JSON document under tests/data/standards, canonicalized by Cairn (ToRdf + RDFC-1.0) and
// by the npm `jsonld` package (node/jsonld_canonize.mjs, safe mode, same bundled contexts), must
// give the same N-Quads byte for byte, or be refused by both.
#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "credentials/error.hpp"
#include "credentials/jsonld.hpp"
#include "credentials/rdfc.hpp"

namespace cairn::credentials::jsonld {
namespace {

namespace fs = std::filesystem;

const fs::path kStandards = CAIRN_STANDARDS_DIR;
const fs::path kNodeDir = fs::path(CAIRN_SOURCE_DIR) / "tests" / "credentials" / "node";

std::string ReadFile(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read " + path.string());
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

const fs::path kCases = fs::path(CAIRN_SOURCE_DIR) / "tests" / "credentials" / "jsonld_cases";

// All JSON documents under `root`, except the RDFC-1.0 suite's manifests (not credentials, and not
// JSON-LD that the bundle can serve).
std::vector<fs::path> Documents(const fs::path& root) {
  std::vector<fs::path> files;
  for (const auto& entry : fs::recursive_directory_iterator(root)) {
    if (!entry.is_regular_file() || entry.path().extension() != ".json") continue;
    const std::string relative = fs::relative(entry.path(), root).string();
    if (relative.rfind("rdf-canon/", 0) == 0) continue;
    files.push_back(entry.path());
  }
  std::sort(files.begin(), files.end());
  return files;
}

std::vector<nlohmann::json> RunReference(const std::vector<fs::path>& files) {
  const fs::path out_path =
      fs::temp_directory_path() / ("cairn_jsonld_ref_" + std::to_string(::getpid()) + ".json");
  std::string command = "cd '" + kNodeDir.string() + "' && node jsonld_canonize.mjs";
  for (const auto& file : files) command += " '" + file.string() + "'";
  command += " > '" + out_path.string() + "'";
  const int status = std::system(command.c_str());
  auto response = status == 0 ? nlohmann::json::parse(ReadFile(out_path)) : nlohmann::json();
  fs::remove(out_path);
  if (status != 0) throw std::runtime_error("jsonld reference failed: " + command);
  return response.get<std::vector<nlohmann::json>>();
}

// Returns how many documents gave identical canonical N-Quads.
int CompareWithNpm(const fs::path& root, const std::vector<fs::path>& files) {
  const auto reference = RunReference(files);
  EXPECT_EQ(reference.size(), files.size());
  if (reference.size() != files.size()) return 0;
  int matched = 0;
  int both_refused = 0;
  for (std::size_t k = 0; k < files.size(); ++k) {
    const std::string name = fs::relative(files[k], root).string();
    SCOPED_TRACE(name);
    std::string ours;
    std::string our_error;
    try {
      ours = rdfc::Canonicalize(ToRdf(nlohmann::json::parse(ReadFile(files[k])))).nquads;
    } catch (const CredentialError& e) {
      our_error = e.what();
    }
    if (reference[k].contains("error")) {
      const std::string theirs = reference[k]["error"].get<std::string>();
      // A document npm jsonld refuses must be refused by Cairn too.
      EXPECT_FALSE(our_error.empty()) << "npm jsonld refused it (" << theirs << ") but Cairn accepted";
      if (!our_error.empty()) {
        ++both_refused;
        std::printf("  both refuse %s\n    npm:   %.160s\n    cairn: %.160s\n", name.c_str(),
                    theirs.c_str(), our_error.c_str());
      }
      continue;
    }
    EXPECT_EQ(our_error, "") << "Cairn refused a document npm jsonld accepts";
    if (!our_error.empty()) continue;
    EXPECT_EQ(ours, reference[k]["canonical"].get<std::string>());
    matched += ours == reference[k]["canonical"].get<std::string>();
  }
  std::printf("%zu documents: %d identical canonical N-Quads, %d refused by both\n", files.size(),
              matched, both_refused);
  return matched;
}

bool NodeAvailable() { return std::system("node --version > /dev/null 2>&1") == 0; }

TEST(JsonLdReferenceTest, EveryStandardsDocumentMatchesNpmJsonld) {
  if (!NodeAvailable()) GTEST_SKIP() << "node is not on PATH";
  const auto files = Documents(kStandards);
  ASSERT_GE(files.size(), 40u);
  EXPECT_GE(CompareWithNpm(kStandards, files), 30);  // the comparison must not be vacuous
}

// Hand-written documents for the corners the credentials do not reach: scoped-context
// propagation, protected terms, @nest, @base, maps, lists, numbers, @json, @reverse, graphs.
TEST(JsonLdReferenceTest, EdgeCaseDocumentsMatchNpmJsonld) {
  if (!NodeAvailable()) GTEST_SKIP() << "node is not on PATH";
  const auto files = Documents(kCases);
  ASSERT_GE(files.size(), 20u);
  EXPECT_GE(CompareWithNpm(kCases, files), 15);
}

}  // namespace
}  // namespace cairn::credentials::jsonld
