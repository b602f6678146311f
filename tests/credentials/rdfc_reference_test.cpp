// Byte-for-byte comparison with the npm package rdf-canonize 5.0.0 (test-only reference, run by
// node/rdfc_canonize.mjs): the W3C suite inputs, scrambled copies, and random datasets.
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "credentials/error.hpp"
#include "credentials/nquads.hpp"
#include "credentials/rdfc.hpp"

namespace cairn::credentials {
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

struct Input {
  std::string name;
  std::string nquads;
  HashAlgorithm hash = HashAlgorithm::kSha256;
};

bool NodeAvailable() { return std::system("node --version > /dev/null 2>&1") == 0; }

// Runs every input through rdf-canonize in one node process.
std::vector<nlohmann::json> RunReference(const std::vector<Input>& inputs) {
  nlohmann::json request = nlohmann::json::array();
  for (const auto& in : inputs)
    request.push_back(
        {{"nquads", in.nquads}, {"hash", in.hash == HashAlgorithm::kSha384 ? "sha384" : "sha256"}});
  const fs::path dir = fs::temp_directory_path();
  const std::string stem = "cairn_rdfc_ref_" + std::to_string(::getpid()) + "_" +
                           testing::UnitTest::GetInstance()->current_test_info()->name();
  const fs::path in_path = dir / (stem + ".in.json");
  const fs::path out_path = dir / (stem + ".out.json");
  std::ofstream(in_path, std::ios::binary) << request.dump();
  const std::string command = "cd '" + kNodeDir.string() + "' && node rdfc_canonize.mjs < '" +
                              in_path.string() + "' > '" + out_path.string() + "'";
  const int status = std::system(command.c_str());
  auto response = status == 0 ? nlohmann::json::parse(ReadFile(out_path)) : nlohmann::json();
  fs::remove(in_path);
  fs::remove(out_path);
  if (status != 0) throw std::runtime_error("rdf-canonize reference failed: " + command);
  return response.get<std::vector<nlohmann::json>>();
}

// Returns how many inputs both refused, so a caller can check the comparison was not vacuous.
int CompareWithReference(const std::vector<Input>& inputs) {
  const auto reference = RunReference(inputs);
  EXPECT_EQ(reference.size(), inputs.size());
  if (reference.size() != inputs.size()) return -1;
  int refusals = 0;
  for (std::size_t k = 0; k < inputs.size(); ++k) {
    SCOPED_TRACE(inputs[k].name);
    rdfc::Options options;
    options.hash = inputs[k].hash;
    std::string ours;
    bool refused = false;
    try {
      ours = rdfc::Canonicalize(nquads::Parse(inputs[k].nquads), options).nquads;
    } catch (const CredentialError&) {
      refused = true;
    }
    if (reference[k].contains("error")) {
      EXPECT_TRUE(refused) << "rdf-canonize refused: " << reference[k]["error"];
      ++refusals;
    } else {
      EXPECT_FALSE(refused);
      EXPECT_EQ(ours, reference[k]["canonical"].get<std::string>());
    }
  }
  return refusals;
}

rdf::Dataset Scramble(rdf::Dataset ds, std::mt19937& rng) {
  std::map<std::string, std::string> relabel;
  auto fix = [&](rdf::Term& t) {
    if (t.kind != rdf::TermKind::kBlankNode) return;
    auto [it, inserted] = relabel.try_emplace(t.value, "");
    if (inserted) it->second = "r" + std::to_string(rng() % 100000) + "x" + std::to_string(relabel.size());
    t.value = it->second;
  };
  for (auto& q : ds) {
    fix(q.subject);
    fix(q.object);
    fix(q.graph);
  }
  std::shuffle(ds.begin(), ds.end(), rng);
  return ds;
}

// A random dataset over few predicates and look-alike blank nodes, so N-degree hashing and its
// tie-breaking get exercised, with literals that need every kind of escaping.
std::string RandomDataset(std::mt19937& rng) {
  static const std::vector<std::string> kPredicates = {"<http://ex/p>", "<http://ex/q>",
                                                       "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>"};
  static const std::vector<std::string> kLiterals = {"\"v\"",
                                                     "\"\"",
                                                     "\"caf\xC3\xA9\"",
                                                     "\"a\\\"b\\\\c\\n\\r\\t\"",
                                                     "\"\\u0001\\u007F\"",
                                                     "\"1\"^^<http://ex/int>",
                                                     "\"x\"@en",
                                                     "\"x\"@EN-gb",
                                                     "\"\xF0\x9F\x8C\x83\""};
  const int nodes = 2 + static_cast<int>(rng() % 7);
  const int quads = 2 + static_cast<int>(rng() % 16);
  auto node = [&] { return "_:n" + std::to_string(rng() % nodes); };
  std::string text;
  for (int k = 0; k < quads; ++k) {
    std::string s = rng() % 5 ? node() : "<http://ex/s" + std::to_string(rng() % 2) + ">";
    std::string o;
    switch (rng() % 4) {
      case 0:
      case 1: o = node(); break;
      case 2: o = kLiterals[rng() % kLiterals.size()]; break;
      default: o = "<http://ex/o" + std::to_string(rng() % 2) + ">";
    }
    std::string g;
    switch (rng() % 6) {
      case 0: g = " <http://ex/g>"; break;
      case 1: g = " " + node(); break;
      default: break;
    }
    text += s + " " + kPredicates[rng() % kPredicates.size()] + " " + o + g + " .\n";
  }
  return text;
}

class RdfcReference : public testing::Test {
 protected:
  void SetUp() override {
    if (!NodeAvailable()) GTEST_SKIP() << "node is not on PATH; the rdf-canonize comparison needs it";
  }
};

TEST_F(RdfcReference, MatchesRdfCanonizeOnEveryW3cSuiteInput) {
  auto manifest = nlohmann::json::parse(ReadFile(kStandards / "rdf-canon" / "tests" / "manifest.jsonld"));
  std::vector<Input> inputs;
  for (const auto& e : manifest.at("entries")) {
    if (e.at("type") == "rdfc:RDFC10MapTest") continue;  // same inputs as the eval tests
    Input in{e.at("id").get<std::string>(),
             ReadFile(kStandards / "rdf-canon" / "tests" / e.at("action").get<std::string>())};
    if (e.value("hashAlgorithm", "") == "SHA384") in.hash = HashAlgorithm::kSha384;
    inputs.push_back(std::move(in));
  }
  ASSERT_EQ(inputs.size(), 65u);  // 64 eval tests and the poison graph, which both must refuse
  EXPECT_EQ(CompareWithReference(inputs), 1);
}

TEST_F(RdfcReference, MatchesRdfCanonizeOnScrambledCopies) {
  std::mt19937 rng(7);
  std::vector<Input> inputs;
  const fs::path suite = kStandards / "rdf-canon" / "tests" / "rdfc10";
  for (const char* name :
       {"test020", "test021", "test044", "test045", "test046", "test047", "test048", "test053", "test055",
        "test056", "test057", "test070", "test071", "test072", "test073"}) {
    auto ds = nquads::Parse(ReadFile(suite / (std::string(name) + "-in.nq")));
    for (int round = 0; round < 3; ++round)
      inputs.push_back(
          {std::string(name) + " scrambled #" + std::to_string(round), nquads::Serialize(Scramble(ds, rng))});
  }
  // The 1EdTech OB 3.0 test vector's credential and proof options, relabelled and shuffled.
  const fs::path ob = kStandards / "ob-v3p0" / "test-vectors" / "eddsa-rdfc-2022";
  for (const char* file : {"document-canon.txt", "proof-canon.txt"}) {
    auto ds = nquads::Parse(ReadFile(ob / file));
    for (int round = 0; round < 3; ++round)
      inputs.push_back(
          {std::string(file) + " scrambled #" + std::to_string(round), nquads::Serialize(Scramble(ds, rng))});
  }
  EXPECT_EQ(CompareWithReference(inputs), 0);
}

TEST_F(RdfcReference, MatchesRdfCanonizeOnRandomDatasets) {
  std::mt19937 rng(12345);
  std::vector<Input> inputs;
  for (int k = 0; k < 300; ++k) {
    Input in{"random #" + std::to_string(k), RandomDataset(rng)};
    if (k % 10 == 0) in.hash = HashAlgorithm::kSha384;
    inputs.push_back(std::move(in));
  }
  const int refusals = CompareWithReference(inputs);
  EXPECT_GE(refusals, 0);
  EXPECT_LT(refusals, 30) << "most random datasets must be canonicalized, not refused";
}

}  // namespace
}  // namespace cairn::credentials
