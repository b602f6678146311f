#include "credentials/rdfc.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
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

namespace cairn::credentials {
namespace {

const std::filesystem::path kSuiteRoot = std::filesystem::path(CAIRN_STANDARDS_DIR) / "rdf-canon" / "tests";

std::string ReadFile(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read " + path.string());
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

enum class Kind { kEval, kMap, kNegative };

struct SuiteCase {
  std::string id;  // "test001c"
  Kind kind;
  std::string action;
  std::string result;
  HashAlgorithm hash;
};

std::vector<SuiteCase> LoadManifest() {
  auto manifest = nlohmann::json::parse(ReadFile(kSuiteRoot / "manifest.jsonld"));
  std::vector<SuiteCase> cases;
  for (const auto& e : manifest.at("entries")) {
    SuiteCase c;
    c.id = e.at("id").get<std::string>().substr(1);
    const auto type = e.at("type").get<std::string>();
    if (type == "rdfc:RDFC10EvalTest") {
      c.kind = Kind::kEval;
    } else if (type == "rdfc:RDFC10MapTest") {
      c.kind = Kind::kMap;
    } else if (type == "rdfc:RDFC10NegativeEvalTest") {
      c.kind = Kind::kNegative;
    } else {
      throw std::runtime_error("unknown test type " + type);
    }
    c.action = e.at("action").get<std::string>();
    c.result = e.value("result", "");
    const auto hash = e.value("hashAlgorithm", "SHA256");
    if (hash != "SHA256" && hash != "SHA384") throw std::runtime_error("unknown hash " + hash);
    c.hash = hash == "SHA384" ? HashAlgorithm::kSha384 : HashAlgorithm::kSha256;
    cases.push_back(std::move(c));
  }
  return cases;
}

const std::vector<SuiteCase>& Manifest() {
  static const std::vector<SuiteCase> cases = LoadManifest();
  return cases;
}

TEST(RdfcManifest, HoldsTheWholeW3cSuite) {
  std::map<Kind, int> counts;
  for (const auto& c : Manifest()) ++counts[c.kind];
  EXPECT_EQ(counts[Kind::kEval], 64);
  EXPECT_EQ(counts[Kind::kMap], 21);
  EXPECT_EQ(counts[Kind::kNegative], 1);
}

class RdfcW3cSuite : public testing::TestWithParam<SuiteCase> {};

TEST_P(RdfcW3cSuite, Passes) {
  const SuiteCase& c = GetParam();
  const auto dataset = nquads::Parse(ReadFile(kSuiteRoot / c.action));
  rdfc::Options options;
  options.hash = c.hash;
  switch (c.kind) {
    case Kind::kEval:
      EXPECT_EQ(rdfc::Canonicalize(dataset, options).nquads, ReadFile(kSuiteRoot / c.result));
      break;
    case Kind::kMap: {
      auto expected =
          nlohmann::json::parse(ReadFile(kSuiteRoot / c.result)).get<std::map<std::string, std::string>>();
      EXPECT_EQ(rdfc::Canonicalize(dataset, options).issued, expected);
      break;
    }
    case Kind::kNegative: {
      const auto start = std::chrono::steady_clock::now();
      EXPECT_THROW(rdfc::Canonicalize(dataset, options), CredentialError);
      // Refusing must be cheap, or the limit protects nothing. Generous for a shared machine.
      EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(2));
      break;
    }
  }
}

INSTANTIATE_TEST_SUITE_P(Manifest, RdfcW3cSuite, testing::ValuesIn(Manifest()),
                         [](const testing::TestParamInfo<SuiteCase>& info) { return info.param.id; });

// Relabels every blank node and shuffles the quads: an isomorphic copy of the dataset.
rdf::Dataset Scramble(rdf::Dataset ds, std::mt19937& rng) {
  std::map<std::string, std::string> relabel;
  std::vector<int> numbers(1000);
  for (int k = 0; k < 1000; ++k) numbers[k] = k;
  std::shuffle(numbers.begin(), numbers.end(), rng);
  auto fix = [&](rdf::Term& t) {
    if (t.kind != rdf::TermKind::kBlankNode) return;
    auto [it, inserted] = relabel.try_emplace(t.value, "");
    if (inserted) it->second = "n" + std::to_string(numbers[relabel.size()]);
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

TEST(RdfcIsomorphism, ScrambledSuiteInputsCanonicalizeToTheExpectedOutput) {
  std::mt19937 rng(20240601);
  int checked = 0;
  for (const auto& c : Manifest()) {
    if (c.kind != Kind::kEval) continue;
    const auto dataset = nquads::Parse(ReadFile(kSuiteRoot / c.action));
    const auto expected = ReadFile(kSuiteRoot / c.result);
    rdfc::Options options;
    options.hash = c.hash;
    for (int round = 0; round < 3; ++round) {
      EXPECT_EQ(rdfc::Canonicalize(Scramble(dataset, rng), options).nquads, expected) << c.id;
      ++checked;
    }
  }
  EXPECT_EQ(checked, 64 * 3);
}

TEST(RdfcIsomorphism, DifferentGraphsGetDifferentCanonicalForms) {
  // A flipped edge direction in a blank node cycle must show in the output.
  auto a = nquads::Parse("_:a <http://ex/p> _:b .\n_:b <http://ex/p> _:c .\n_:c <http://ex/p> _:a .\n");
  auto b = nquads::Parse("_:a <http://ex/p> _:b .\n_:b <http://ex/p> _:c .\n_:a <http://ex/p> _:c .\n");
  EXPECT_NE(rdfc::Canonicalize(a).nquads, rdfc::Canonicalize(b).nquads);
}

TEST(Rdfc, DuplicateQuadsCountOnce) {
  const auto q = nquads::Parse("_:x <http://ex/p> \"v\" .\n_:x <http://ex/q> _:y .\n");
  rdf::Dataset doubled = q;
  doubled.insert(doubled.end(), q.begin(), q.end());
  EXPECT_EQ(rdfc::Canonicalize(doubled).nquads, rdfc::Canonicalize(q).nquads);
  EXPECT_EQ(rdfc::Canonicalize(q).nquads, "_:c14n0 <http://ex/p> \"v\" .\n_:c14n0 <http://ex/q> _:c14n1 .\n");
}

TEST(Rdfc, Sha384ChangesTheLabelsOnlyWhereHashesDecide) {
  const auto ds = nquads::Parse(ReadFile(kSuiteRoot / "rdfc10" / "test020-in.nq"));
  rdfc::Options sha384;
  sha384.hash = HashAlgorithm::kSha384;
  EXPECT_EQ(rdfc::Canonicalize(ds).nquads, ReadFile(kSuiteRoot / "rdfc10" / "test020-rdfc10.nq"));
  EXPECT_EQ(rdfc::Canonicalize(ds, sha384).nquads, ReadFile(kSuiteRoot / "rdfc10" / "test075-rdfc10.nq"));
}

TEST(RdfcWorkLimit, FactorZeroRefusesGraphsThatNeedNDegreeHashing) {
  const auto symmetric = nquads::Parse("_:a <http://ex/p> _:b .\n_:b <http://ex/p> _:a .\n");
  const auto simple = nquads::Parse("_:a <http://ex/p> \"1\" .\n_:b <http://ex/p> \"2\" .\n");
  rdfc::Options zero;
  zero.max_work_factor = 0;
  EXPECT_THROW(rdfc::Canonicalize(symmetric, zero), CredentialError);
  EXPECT_EQ(rdfc::Canonicalize(simple, zero).issued.size(), 2u);
  EXPECT_EQ(rdfc::Canonicalize(symmetric).nquads,
            "_:c14n0 <http://ex/p> _:c14n1 .\n_:c14n1 <http://ex/p> _:c14n0 .\n");
}

TEST(RdfcWorkLimit, NegativeFactorIsRefused) {
  rdfc::Options bad;
  bad.max_work_factor = -1;
  EXPECT_THROW(rdfc::Canonicalize({}, bad), CredentialError);
}

TEST(RdfcWorkLimit, PoisonGraphPassesWithALargerLimitButIsRefusedByDefault) {
  // A 4-clique is small enough to finish with factor 6, and still needs more than factor 1.
  std::string text;
  for (char a = 'a'; a <= 'd'; ++a)
    for (char b = 'a'; b <= 'd'; ++b)
      if (a != b) text += std::string("_:") + a + " <http://ex/p> _:" + b + " .\n";
  const auto clique = nquads::Parse(text);
  rdfc::Options one, six;
  one.max_work_factor = 1;
  six.max_work_factor = 6;
  EXPECT_THROW(rdfc::Canonicalize(clique, one), CredentialError);
  EXPECT_EQ(rdfc::Canonicalize(clique, six).issued.size(), 4u);
}

// The factor limit grows with the number of look-alike blank nodes, so padding a poison graph with
// hundreds of identical, unconnected blank nodes would raise it to millions of calls. The fixed step
// budget must still refuse such graphs promptly.
std::string PaddedWithLookAlikes(std::string text, int count) {
  for (int k = 0; k < count; ++k) text += "_:pad" + std::to_string(k) + " <http://ex/q> \"x\" .\n";
  return text;
}

TEST(RdfcLimits, PaddedCliqueIsRefusedPromptly) {
  std::string clique;
  for (int a = 0; a < 10; ++a)
    for (int b = 0; b < 10; ++b)
      if (a != b) clique += "_:n" + std::to_string(a) + " <http://ex/p> _:n" + std::to_string(b) + " .\n";
  const auto dataset = nquads::Parse(PaddedWithLookAlikes(clique, 300));
  const auto start = std::chrono::steady_clock::now();
  EXPECT_THROW(rdfc::Canonicalize(dataset), CredentialError);
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(5));
}

TEST(RdfcLimits, PaddedMultiEdgeStarsAreRefusedPromptly) {
  // Each leaf hangs off its star twice (two graphs), so the star centre's related list is a
  // multiset whose 14!/2^7 arrangements are mostly pruned before any recursion: they must still
  // count as work.
  std::string stars;
  for (int c = 0; c < 2; ++c)
    for (int l = 0; l < 7; ++l)
      for (const char* g : {"g1", "g2"})
        stars += "_:c" + std::to_string(c) + " <http://ex/p> _:l" + std::to_string(c) + "x" +
                 std::to_string(l) + " <http://ex/" + g + "> .\n";
  const auto dataset = nquads::Parse(PaddedWithLookAlikes(stars, 200));
  const auto start = std::chrono::steady_clock::now();
  EXPECT_THROW(rdfc::Canonicalize(dataset), CredentialError);
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(5));
}

TEST(RdfcLimits, ManyLookAlikeBlankNodesAreStillCanonicalized) {
  // Padding alone is legitimate data: 300 identical nodes cost one call each.
  const auto result = rdfc::Canonicalize(nquads::Parse(PaddedWithLookAlikes("", 300)));
  EXPECT_EQ(result.issued.size(), 300u);
  EXPECT_EQ(result.nquads.substr(0, 30), "_:c14n0 <http://ex/q> \"x\" .\n_:");
}

TEST(RdfcLimits, LongSymmetricChainIsRefusedNotCrashed) {
  // A ring of 3000 look-alike blank nodes: recursion would run 3000 deep.
  std::string text;
  for (int k = 0; k < 3000; ++k)
    text += "_:n" + std::to_string(k) + " <http://ex/next> _:n" + std::to_string((k + 1) % 3000) + " .\n";
  EXPECT_THROW(rdfc::Canonicalize(nquads::Parse(text)), CredentialError);
}

TEST(Rdfc, RefusesQuadsThatAreNotRdf) {
  rdf::Dataset ds = {{{rdf::TermKind::kLiteral, "s", {}, {}},
                      {rdf::TermKind::kIri, "http://ex/p", {}, {}},
                      {rdf::TermKind::kIri, "http://ex/o", {}, {}},
                      {}}};
  EXPECT_THROW(rdfc::Canonicalize(ds), CredentialError);
}

// RDFC-1.0 sorts in Unicode code point order (bytewise on UTF-8). rdf-canonize sorts JavaScript
// strings by UTF-16 code unit and puts U+1F303 (a surrogate pair) before U+FF00: we follow the spec.
TEST(Rdfc, SortsLinesInCodePointOrder) {
  const auto ds = nquads::Parse(
      "<http://ex/s> <http://ex/p> \"\\U0001F303\" .\n"
      "<http://ex/s> <http://ex/p> \"\\uFF00\" .\n");
  EXPECT_EQ(rdfc::Canonicalize(ds).nquads,
            "<http://ex/s> <http://ex/p> \"\xEF\xBC\x80\" .\n"
            "<http://ex/s> <http://ex/p> \"\xF0\x9F\x8C\x83\" .\n");
}

TEST(Rdfc, EmptyDatasetIsEmpty) {
  auto result = rdfc::Canonicalize({});
  EXPECT_EQ(result.nquads, "");
  EXPECT_TRUE(result.issued.empty());
}

}  // namespace
}  // namespace cairn::credentials
