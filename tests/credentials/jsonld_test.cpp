// JSON-LD expansion and toRdf: published vectors, hand-checked RDF, errors and limits.
#include "credentials/jsonld.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <ctime>
#include <cstdio>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>
#include <vector>

#include "credentials/error.hpp"
#include "credentials/jsonld_context.hpp"
#include "credentials/nquads.hpp"
#include "credentials/rdfc.hpp"
#include "vector_files.hpp"

namespace cairn::credentials::jsonld {
namespace {

using nlohmann::json;
using testing::ReadStandardsFile;
using testing::ReadStandardsJson;

constexpr const char* kVcV2 = "https://www.w3.org/ns/credentials/v2";
constexpr const char* kOb303 = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json";
constexpr const char* kOb = "https://purl.imsglobal.org/spec/vc/ob/vocab.html#";
constexpr const char* kCred = "https://www.w3.org/2018/credentials#";
constexpr const char* kXsd = "http://www.w3.org/2001/XMLSchema#";
constexpr const char* kRdf = "http://www.w3.org/1999/02/22-rdf-syntax-ns#";

std::string Canonical(const json& document, const Options& options = {}) {
  return rdfc::Canonicalize(ToRdf(document, options)).nquads;
}

// The sorted N-Quads lines of a document without canonical relabelling, for small hand-made
// documents whose blank nodes do not matter.
std::vector<std::string> Lines(const json& document, const Options& options = {}) {
  std::vector<std::string> lines;
  for (const auto& quad : ToRdf(document, options)) lines.push_back(nquads::SerializeQuad(quad));
  std::sort(lines.begin(), lines.end());
  return lines;
}

bool HasLine(const std::vector<std::string>& lines, const std::string& line) {
  return std::find(lines.begin(), lines.end(), line + " .\n") != lines.end();
}

json WithVocab(json body) {
  body["@context"] = json{{"@vocab", "https://example.org/v#"}};
  return body;
}

TEST(JsonLdBundleTest, ServesEveryIndexedContextAndNothingElse) {
  const json index = json::parse(ReadStandardsFile("../../../src/credentials/contexts/index.json"));
  for (const auto& [url, file] : index["contexts"].items()) {
    SCOPED_TRACE(url);
    const json* context = BundledContext(url);
    ASSERT_NE(context, nullptr);
    EXPECT_TRUE(context->contains("@context"));
    EXPECT_EQ(*context, json::parse(ReadStandardsFile("../../../src/credentials/contexts/" +
                                                      file.get<std::string>())));
  }
  EXPECT_EQ(BundledContext("https://example.com/context.json"), nullptr);
  EXPECT_EQ(BundledContext("https://www.w3.org/ns/credentials/v2/"), nullptr);
}

TEST(JsonLdVectorTest, OpenBadgeCredentialCanonicalFormMatchesOneEdTechVector) {
  const json credential =
      ReadStandardsJson("ob-v3p0/test-vectors/eddsa-rdfc-2022/unsigned-credential.json");
  EXPECT_EQ(Canonical(credential),
            ReadStandardsFile("ob-v3p0/test-vectors/eddsa-rdfc-2022/document-canon.txt"));
}

TEST(JsonLdVectorTest, OpenBadgeProofConfigCanonicalFormMatchesOneEdTechVector) {
  const std::string dir = "ob-v3p0/test-vectors/eddsa-rdfc-2022/";
  json proof = ReadStandardsJson(dir + "proof-options.json");
  proof["@context"] = ReadStandardsJson(dir + "unsigned-credential.json")["@context"];
  EXPECT_EQ(Canonical(proof), ReadStandardsFile(dir + "proof-canon.txt"));
}

TEST(JsonLdVectorTest, ClrCredentialCanonicalFormMatchesOneEdTechVector) {
  const std::string dir = "clr-v2p0/test-vectors/eddsa-rdfc-2022/";
  EXPECT_EQ(Canonical(ReadStandardsJson(dir + "unsigned-credential.json")),
            ReadStandardsFile(dir + "document-canon.txt"));
  json proof = ReadStandardsJson(dir + "proof-options.json");
  proof["@context"] = ReadStandardsJson(dir + "unsigned-credential.json")["@context"];
  EXPECT_EQ(Canonical(proof), ReadStandardsFile(dir + "proof-canon.txt"));
}

TEST(JsonLdVectorTest, W3cEddsaRdfcVectorsMatch) {
  const std::string dir = "vc-di-eddsa/TestVectors/eddsa-rdfc-2022/";
  EXPECT_EQ(Canonical(ReadStandardsJson("vc-di-eddsa/TestVectors/unsigned.json")),
            ReadStandardsFile(dir + "canonDocDataInt.txt"));
  EXPECT_EQ(Canonical(ReadStandardsJson(dir + "proofConfigDataInt.json")),
            ReadStandardsFile(dir + "proofCanonDataInt.txt"));
}

TEST(JsonLdVectorTest, SignedCredentialKeepsItsProofInItsOwnGraph) {
  const json signed_credential =
      ReadStandardsJson("ob-v3p0/test-vectors/eddsa-rdfc-2022/signed-credential.json");
  const rdf::Dataset dataset = ToRdf(signed_credential);
  int proof_links = 0;
  int in_named_graph = 0;
  for (const auto& quad : dataset) {
    if (quad.predicate.value == "https://w3id.org/security#proof") {
      ++proof_links;
      EXPECT_EQ(quad.object.kind, rdf::TermKind::kBlankNode);
    }
    if (quad.graph.kind == rdf::TermKind::kBlankNode) ++in_named_graph;
  }
  EXPECT_EQ(proof_links, 1);
  EXPECT_EQ(in_named_graph, 6);  // type, created, verificationMethod, cryptosuite, purpose, value
}

TEST(JsonLdExpandTest, ExpandsTheBasicOpenBadgeExample) {
  const json expanded = Expand(ReadStandardsJson("ob-v3p0/examples/basic-openbadgecredential.json"));
  ASSERT_TRUE(expanded.is_array());
  ASSERT_EQ(expanded.size(), 1u);
  const json& node = expanded[0];
  EXPECT_EQ(node["@id"], "http://example.com/credentials/3527");
  EXPECT_EQ(node["@type"],
            json::array({std::string(kCred) + "VerifiableCredential", std::string(kOb) + "OpenBadgeCredential"}));
  const json& subject = node["https://www.w3.org/2018/credentials#credentialSubject"][0];
  EXPECT_EQ(subject["@type"], json::array({std::string(kOb) + "AchievementSubject"}));
  const json& achievement = subject[std::string(kOb) + "achievement"][0];
  EXPECT_EQ(achievement["@type"], json::array({std::string(kOb) + "Achievement"}));
  // The OB context types `name` as a plain string inside Achievement (type-scoped context).
  EXPECT_EQ(achievement["https://schema.org/name"],
            json::parse(R"([{"@value": "Teamwork"}])"));
  // validFrom is typed by the VC 2.0 context.
  EXPECT_EQ(node["https://www.w3.org/2018/credentials#validFrom"][0]["@type"],
            std::string(kXsd) + "dateTime");
}

TEST(JsonLdExpandTest, ExpandsEveryOfficialExampleWithoutLosingTerms) {
  for (const char* name :
       {"basic-openbadgecredential.json", "complete-openbadgecredential.json",
        "endorsementcredential.json", "achievement-alignment-case.json",
        "achievement-alignment-credential-engine.json", "skill-assertion-case.json",
        "skill-assertion-ctdl.json"}) {
    SCOPED_TRACE(name);
    const json document = ReadStandardsJson(std::string("ob-v3p0/examples/") + name);
    json expanded;
    ASSERT_NO_THROW(expanded = Expand(document));  // safe mode: nothing was dropped
    ASSERT_EQ(expanded.size(), 1u);
    EXPECT_FALSE(ToRdf(document).empty());
  }
}

TEST(JsonLdRdfTest, LiteralsFollowTheCanonicalForms) {
  const json document = WithVocab(json::parse(R"({
    "@id": "https://example.org/n",
    "int": 42, "neg": -7, "integral_float": 5.0, "double": 1.1, "tiny": 1.5e-7, "huge": 1e21,
    "yes": true, "text": "plain",
    "typed": {"@value": "2020-01-01", "@type": "http://www.w3.org/2001/XMLSchema#date"},
    "tagged": {"@value": "Hallo", "@language": "DE"}
  })"));
  const auto lines = Lines(document);
  const std::string s = "<https://example.org/n> <https://example.org/v#";
  EXPECT_TRUE(HasLine(lines, s + "int> \"42\"^^<" + kXsd + "integer>"));
  EXPECT_TRUE(HasLine(lines, s + "neg> \"-7\"^^<" + kXsd + "integer>"));
  EXPECT_TRUE(HasLine(lines, s + "integral_float> \"5\"^^<" + kXsd + "integer>"));
  EXPECT_TRUE(HasLine(lines, s + "double> \"1.1E0\"^^<" + kXsd + "double>"));
  EXPECT_TRUE(HasLine(lines, s + "tiny> \"1.5E-7\"^^<" + kXsd + "double>"));
  EXPECT_TRUE(HasLine(lines, s + "huge> \"1.0E21\"^^<" + kXsd + "double>"));
  EXPECT_TRUE(HasLine(lines, s + "yes> \"true\"^^<" + kXsd + "boolean>"));
  EXPECT_TRUE(HasLine(lines, s + "text> \"plain\""));
  EXPECT_TRUE(HasLine(lines, s + "typed> \"2020-01-01\"^^<" + kXsd + "date>"));
  EXPECT_TRUE(HasLine(lines, s + "tagged> \"Hallo\"@de"));
  EXPECT_EQ(lines.size(), 10u);
}

TEST(JsonLdRdfTest, JsonLiteralsAreCanonicalJson) {
  const json document = json::parse(R"({
    "@context": {"data": {"@id": "https://example.org/data", "@type": "@json"}},
    "@id": "https://example.org/n",
    "data": {"b": [1, 2.50, "x"], "a": null}
  })");
  const auto lines = Lines(document);
  ASSERT_EQ(lines.size(), 1u);
  EXPECT_EQ(lines[0], std::string("<https://example.org/n> <https://example.org/data> ") +
                          "\"{\\\"a\\\":null,\\\"b\\\":[1,2.5,\\\"x\\\"]}\"^^<" + kRdf +
                          "JSON> .\n");
}

TEST(JsonLdRdfTest, ListsBecomeFirstRestChains) {
  const json document = json::parse(R"({
    "@context": {"items": {"@id": "https://example.org/items", "@container": "@list"},
                 "none": {"@id": "https://example.org/none", "@container": "@list"}},
    "@id": "https://example.org/n", "items": ["a", "b"], "none": []
  })");
  const std::string canonical = Canonical(document);
  EXPECT_EQ(canonical,
            "<https://example.org/n> <https://example.org/items> _:c14n0 .\n"
            "<https://example.org/n> <https://example.org/none> "
            "<http://www.w3.org/1999/02/22-rdf-syntax-ns#nil> .\n"
            "_:c14n0 <http://www.w3.org/1999/02/22-rdf-syntax-ns#first> \"a\" .\n"
            "_:c14n0 <http://www.w3.org/1999/02/22-rdf-syntax-ns#rest> _:c14n1 .\n"
            "_:c14n1 <http://www.w3.org/1999/02/22-rdf-syntax-ns#first> \"b\" .\n"
            "_:c14n1 <http://www.w3.org/1999/02/22-rdf-syntax-ns#rest> "
            "<http://www.w3.org/1999/02/22-rdf-syntax-ns#nil> .\n");
}

TEST(JsonLdRdfTest, ReverseIncludedAndCompactIris) {
  const json document = json::parse(R"({
    "@context": {"ex": "https://example.org/", "parent": {"@reverse": "ex:child"}},
    "@id": "ex:kid",
    "parent": {"@id": "ex:mum"},
    "@included": [{"@id": "ex:other", "ex:p": "v"}]
  })");
  const auto lines = Lines(document);
  EXPECT_TRUE(HasLine(lines, "<https://example.org/mum> <https://example.org/child> <https://example.org/kid>"));
  EXPECT_TRUE(HasLine(lines, "<https://example.org/other> <https://example.org/p> \"v\""));
  EXPECT_EQ(lines.size(), 2u);
}

TEST(JsonLdRdfTest, LanguageAndIndexMaps) {
  const json document = json::parse(R"({
    "@context": {"ex": "https://example.org/",
                 "label": {"@id": "ex:label", "@container": "@language"},
                 "byKey": {"@id": "ex:byKey", "@container": "@index"}},
    "@id": "ex:n",
    "label": {"en": "Teamwork", "fr": ["Travail d'équipe"]},
    "byKey": {"k1": {"@id": "ex:a"}}
  })");
  const auto lines = Lines(document);
  EXPECT_TRUE(HasLine(lines, "<https://example.org/n> <https://example.org/label> \"Teamwork\"@en"));
  EXPECT_TRUE(HasLine(lines, "<https://example.org/n> <https://example.org/label> \"Travail d'équipe\"@fr"));
  EXPECT_TRUE(HasLine(lines, "<https://example.org/n> <https://example.org/byKey> <https://example.org/a>"));
}

// npm jsonld 9 refuses @import of any context with keywords (it re-reads the imported @vocab as a
// term), so @import is checked here against the spec instead of in the npm comparison.
TEST(JsonLdRdfTest, ImportMergesABundledContext) {
  const json document = json::parse(R"({
    "@context": {"@import": "https://www.w3.org/ns/credentials/examples/v2",
                 "extra": "https://example.org/extra"},
    "@id": "https://example.org/n", "anything": 1, "extra": 2})");
  const auto lines = Lines(document);
  EXPECT_TRUE(HasLine(lines, std::string("<https://example.org/n> ") +
                                 "<https://www.w3.org/ns/credentials/examples#anything> \"1\"^^<" +
                                 kXsd + "integer>"));
  EXPECT_TRUE(HasLine(lines, std::string("<https://example.org/n> <https://example.org/extra> ") +
                                 "\"2\"^^<" + kXsd + "integer>"));
  EXPECT_THROW(ToRdf(json::parse(R"({"@context": {"@import": "https://example.org/ctx"}})")),
               CredentialError);
}

TEST(JsonLdRdfTest, DuplicateValuesCollapse) {
  const json document = WithVocab(json::parse(R"({"@id": "https://example.org/n",
      "p": ["x", "x", {"@id": "https://example.org/o"}, {"@id": "https://example.org/o"}]})"));
  EXPECT_EQ(Lines(document).size(), 2u);
}

TEST(JsonLdErrorTest, UnbundledContextIsRefusedNotFetched) {
  const json document = json::parse(R"({"@context": "https://evil.example/context.jsonld",
                                       "@id": "https://example.org/n"})");
  try {
    Expand(document);
    FAIL() << "expected CredentialError";
  } catch (const CredentialError& e) {
    EXPECT_NE(std::string(e.what()).find("not bundled"), std::string::npos) << e.what();
  }
}

TEST(JsonLdErrorTest, UndefinedTermIsAnErrorInSafeModeAndDroppedOtherwise) {
  json credential = ReadStandardsJson("ob-v3p0/test-vectors/eddsa-rdfc-2022/unsigned-credential.json");
  const std::string original = Canonical(credential);
  credential["favouriteColour"] = "green";
  EXPECT_THROW(ToRdf(credential), CredentialError);
  Options lenient;
  lenient.safe_mode = false;
  EXPECT_EQ(Canonical(credential, lenient), original);
}

TEST(JsonLdErrorTest, RelativeIdAndUnknownTypeAreErrorsInSafeMode) {
  json credential = ReadStandardsJson("ob-v3p0/test-vectors/eddsa-rdfc-2022/unsigned-credential.json");
  json relative = credential;
  relative["id"] = "credentials/3527";
  EXPECT_THROW(ToRdf(relative), CredentialError);
  for (const char* spaced : {"https://example.com/a b", "https://example.com/credentials/35\t27",
                             "urn:x\n"}) {
    json with_space = credential;
    with_space["id"] = spaced;
    EXPECT_THROW(ToRdf(with_space), CredentialError) << spaced;
  }
  json unknown_type = credential;
  unknown_type["type"].push_back("MadeUpCredential");
  EXPECT_THROW(ToRdf(unknown_type), CredentialError);
  Options lenient;
  lenient.safe_mode = false;
  EXPECT_EQ(Canonical(relative, lenient).find("credentials/3527"), std::string::npos);
}

TEST(JsonLdErrorTest, ProtectedTermsCannotBeRedefined) {
  json credential = ReadStandardsJson("ob-v3p0/test-vectors/eddsa-rdfc-2022/unsigned-credential.json");
  credential["@context"].push_back(
      json{{"VerifiableCredential", "https://attacker.example/Credential"}});
  EXPECT_THROW(ToRdf(credential), CredentialError);
  // Redefining with an identical definition is allowed.
  json same = ReadStandardsJson("ob-v3p0/test-vectors/eddsa-rdfc-2022/unsigned-credential.json");
  same["@context"].push_back(json{{"@protected", true}, {"id", "@id"}});
  EXPECT_NO_THROW(ToRdf(same));
  // Nullifying a context with protected terms is refused.
  json nulled = ReadStandardsJson("ob-v3p0/test-vectors/eddsa-rdfc-2022/unsigned-credential.json");
  nulled["@context"].push_back(nullptr);
  EXPECT_THROW(ToRdf(nulled), CredentialError);
}

TEST(JsonLdErrorTest, MalformedStructuresAreErrors) {
  for (const char* text : {
           R"({"@context": 5, "@id": "https://example.org/n"})",
           R"({"@context": {"@version": 1.0}})",
           R"({"@context": {"p": {"@id": 5}}, "p": 1})",
           R"({"@context": {"p": {"@container": "@bogus", "@id": "https://e.org/p"}}})",
           R"({"@context": {"a": "b:x", "b": "a:y"}, "@id": "https://e.org/n", "a": 1})",
           R"({"@context": {"@vocab": "https://e.org/"}, "@id": 5})",
           R"({"@context": {"@vocab": "https://e.org/"}, "@type": {"a": 1}})",
           R"({"@context": {"@vocab": "https://e.org/"}, "@id": "https://e.org/n", "p": {"@value": [1]}})",
           R"({"@context": {"@vocab": "https://e.org/"}, "@id": "https://e.org/n", "p": {"@value": 1, "@language": "en"}})",
           R"({"@context": {"@vocab": "https://e.org/"}, "@id": "https://e.org/n", "p": {"@value": "x", "q": 1}})",
           R"({"@context": {"@vocab": "https://e.org/"}, "@id": "https://e.org/n", "@reverse": 1})",
           R"({"@context": {"@import": "https://unbundled.example/"}})",
           R"([1, 2, 3])",
       }) {
    SCOPED_TRACE(text);
    EXPECT_THROW(ToRdf(json::parse(text)), CredentialError);
  }
}

json Nested(std::size_t depth) {
  json leaf = json{{"@id", "https://example.org/leaf"}, {"p", "x"}};
  for (std::size_t i = 0; i < depth; ++i) leaf = json{{"p", std::move(leaf)}};
  leaf["@context"] = json{{"@vocab", "https://example.org/v#"}};
  leaf["@id"] = "https://example.org/root";
  return leaf;
}

TEST(JsonLdLimitTest, DeepNestingIsRefused) {
  EXPECT_NO_THROW(ToRdf(Nested(20)));
  EXPECT_THROW(ToRdf(Nested(200)), CredentialError);
  // Far beyond the stack: refused by the limit, not by a crash.
  EXPECT_THROW(ToRdf(Nested(100000)), CredentialError);
  Options deep;
  deep.max_depth = 300;
  EXPECT_NO_THROW(ToRdf(Nested(200), deep));
}

TEST(JsonLdLimitTest, DeepJsonLiteralsAreRefused) {
  // Built as text: copying a json this deep would itself overflow the stack (nlohmann copies
  // recursively), which is why Cairn must refuse it before anything recurses over it.
  const json document = json::parse(
      R"({"@context": {"data": {"@id": "https://example.org/data", "@type": "@json"}},
          "@id": "https://example.org/n", "data": )" +
      std::string(100000, '[') + std::string(100000, ']') + "}");
  EXPECT_THROW(ToRdf(document), CredentialError);
}

TEST(JsonLdLimitTest, HugeArraysAreRefused) {
  json document = WithVocab(json{{"@id", "https://example.org/n"}});
  document["p"] = json::array();
  for (int i = 0; i < 200000; ++i) document["p"].push_back(i);
  EXPECT_THROW(ToRdf(document), CredentialError);
  Options small;
  small.max_nodes = 50;
  json few = WithVocab(json{{"@id", "https://example.org/n"}, {"p", json::array({1, 2, 3})}});
  EXPECT_NO_THROW(ToRdf(few, small));
  for (int i = 0; i < 100; ++i) few["p"].push_back(i);
  EXPECT_THROW(ToRdf(few, small), CredentialError);
}

TEST(JsonLdLimitTest, DeepOrCyclicContextsAreRefused) {
  // A scoped context nested far deeper than max_context_depth.
  json context = json{{"@vocab", "https://example.org/v#"}};
  for (int i = 0; i < 60; ++i) {
    context = json{{"@vocab", "https://example.org/v#"}, {"p", json{{"@context", context}}}};
  }
  EXPECT_THROW(ToRdf(json{{"@context", context}, {"@id", "https://example.org/n"}}),
               CredentialError);
  // Term definitions that refer to each other.
  EXPECT_THROW(ToRdf(json::parse(R"({"@context": {"a": "b", "b": "a"}, "a": 1})")),
               CredentialError);
}

TEST(JsonLdLimitTest, ManyEmbeddedContextsAreRefused) {
  json document = json::parse(R"({"@context": "https://www.w3.org/ns/credentials/v2",
                                 "@id": "https://example.org/n"})");
  document["https://example.org/p"] = json::array();
  for (int i = 0; i < 5000; ++i) {
    document["https://example.org/p"].push_back(
        json{{"@context", json{{"t" + std::to_string(i), "https://example.org/t"}}},
             {"@id", "https://example.org/m" + std::to_string(i)},
             {"https://example.org/q", i}});
  }
  const auto start = std::chrono::steady_clock::now();
  EXPECT_THROW(ToRdf(document), CredentialError);
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(5));
}

TEST(JsonLdCacheTest, RepeatedAndConcurrentDocumentsGiveTheSameResult) {
  const json credential =
      ReadStandardsJson("ob-v3p0/test-vectors/eddsa-rdfc-2022/unsigned-credential.json");
  const std::string expected =
      ReadStandardsFile("ob-v3p0/test-vectors/eddsa-rdfc-2022/document-canon.txt");
  std::vector<std::thread> threads;
  std::vector<int> failures(4, 0);
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 50; ++i) failures[t] += Canonical(credential) != expected;
    });
  }
  for (auto& thread : threads) thread.join();
  for (int f : failures) EXPECT_EQ(f, 0);
  // Processing the contexts again from scratch gives the same result.
  ClearContextCache();
  EXPECT_EQ(Canonical(credential), expected);
}

double ThreadCpuMicros() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return ts.tv_sec * 1e6 + ts.tv_nsec / 1e3;
}

// CPU time rather than wall time: the build machine is shared, and the figure is per core.
TEST(JsonLdPerformanceTest, ToRdfOfCredentialsIsFast) {
  for (const char* name : {"ob-v3p0/test-vectors/eddsa-rdfc-2022/signed-credential.json",
                           "clr-v2p0/test-vectors/eddsa-rdfc-2022/signed-credential.json"}) {
    const json credential = ReadStandardsJson(name);
    ClearContextCache();
    const double cold_start = ThreadCpuMicros();
    ToRdf(credential);  // processes (and caches) the contexts
    const double cold = ThreadCpuMicros() - cold_start;
    constexpr int kRounds = 1000;
    std::size_t quads = 0;
    const double start = ThreadCpuMicros();
    for (int i = 0; i < kRounds; ++i) quads += ToRdf(credential).size();
    const double micros = (ThreadCpuMicros() - start) / kRounds;
    std::printf("ToRdf of %s (%zu bytes, %zu quads): %.1f us CPU per call, %.0f us cold\n",
                name, credential.dump().size(), quads / kRounds, micros, cold);
    // Generous bound for sanitized or debug builds; the printed figure is the point.
    EXPECT_LT(micros, 5000.0);
  }
}

}  // namespace
}  // namespace cairn::credentials::jsonld
