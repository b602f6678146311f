#include "credentials/nquads.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "credentials/error.hpp"

namespace cairn::credentials {
namespace {

using rdf::Quad;
using rdf::Term;
using rdf::TermKind;

const std::filesystem::path kSuiteDir =
    std::filesystem::path(CAIRN_STANDARDS_DIR) / "rdf-canon" / "tests" / "rdfc10";

std::string ReadFile(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read " + path.string());
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

Term Iri(std::string v) { return {TermKind::kIri, std::move(v), {}, {}}; }
Term Blank(std::string v) { return {TermKind::kBlankNode, std::move(v), {}, {}}; }
Term Literal(std::string v, std::string dt = {}, std::string lang = {}) {
  return {TermKind::kLiteral, std::move(v), std::move(dt), std::move(lang)};
}

TEST(NQuadsParse, ReadsEveryKindOfTerm) {
  auto ds = nquads::Parse(
      "<http://ex/s> <http://ex/p> <http://ex/o> .\n"
      "_:b0 <http://ex/p> \"plain\" <http://ex/g> .\n"
      "<http://ex/s> <http://ex/p> \"5\"^^<http://www.w3.org/2001/XMLSchema#integer> _:g1 .\n"
      "<http://ex/s> <http://ex/p> \"chat\"@fr-BE .\n");
  ASSERT_EQ(ds.size(), 4u);
  EXPECT_EQ(ds[0], (Quad{Iri("http://ex/s"), Iri("http://ex/p"), Iri("http://ex/o"), {}}));
  EXPECT_EQ(ds[1], (Quad{Blank("b0"), Iri("http://ex/p"), Literal("plain"), Iri("http://ex/g")}));
  EXPECT_EQ(ds[2].object, Literal("5", "http://www.w3.org/2001/XMLSchema#integer"));
  EXPECT_EQ(ds[2].graph, Blank("g1"));
  EXPECT_EQ(ds[3].object, Literal("chat", {}, "fr-BE"));
}

TEST(NQuadsParse, DecodesEscapes) {
  auto ds =
      nquads::Parse("<http://ex/\\u00E9> <http://ex/p> \"a\\tb\\\"c\\\\d\\u00e9\\U0001F303\\n\\'\" .\n");
  ASSERT_EQ(ds.size(), 1u);
  EXPECT_EQ(ds[0].subject.value, "http://ex/\xC3\xA9");
  EXPECT_EQ(ds[0].object.value, "a\tb\"c\\d\xC3\xA9\xF0\x9F\x8C\x83\n'");
}

TEST(NQuadsParse, AcceptsCommentsBlankLinesCrlfAndTightSpacing) {
  auto ds = nquads::Parse(
      "# a comment\r\n"
      "\r\n"
      "   \t\n"
      "<http://ex/s><http://ex/p>\"o\"<http://ex/g>. # trailing comment\r"
      "_:a.b <http://ex/p> _:c.\n");
  ASSERT_EQ(ds.size(), 2u);
  EXPECT_EQ(ds[0].graph, Iri("http://ex/g"));
  EXPECT_EQ(ds[1].subject, Blank("a.b"));
  EXPECT_EQ(ds[1].object, Blank("c"));  // the final '.' ends the statement, not the label
}

TEST(NQuadsParse, TreatsTheDatasetAsASet) {
  auto ds = nquads::Parse(
      "<http://ex/s> <http://ex/p> \"x\" .\n"
      "<http://ex/s> <http://ex/p> \"x\"^^<http://www.w3.org/2001/XMLSchema#string> .\n"
      "<http://ex/s> <http://ex/p> \"x\" .\n"
      "<http://ex/s> <http://ex/p> \"x\" <http://ex/g> .\n");
  ASSERT_EQ(ds.size(), 2u);
  EXPECT_EQ(ds[0].object, Literal("x"));
}

struct Malformed {
  std::string input;
  std::string expected_fragment;
};

void PrintTo(const Malformed& m, std::ostream* os) { *os << m.input; }

class NQuadsMalformed : public testing::TestWithParam<Malformed> {};

TEST_P(NQuadsMalformed, IsRefusedWithTheLineNumber) {
  try {
    nquads::Parse(GetParam().input);
    FAIL() << "accepted: " << GetParam().input;
  } catch (const CredentialError& e) {
    EXPECT_NE(std::string(e.what()).find(GetParam().expected_fragment), std::string::npos) << e.what();
  }
}

const std::string kGood = "<http://ex/s> <http://ex/p> <http://ex/o> .\n";

INSTANTIATE_TEST_SUITE_P(
    Cases, NQuadsMalformed,
    testing::Values(Malformed{kGood + "<http://ex/s> <http://ex/p> <http://ex/o>\n", "line 2"},
                    Malformed{kGood + kGood + "\"lit\" <http://ex/p> <http://ex/o> .\n", "line 3"},
                    Malformed{"<http://ex/s> _:p <http://ex/o> .\n", "predicate"},
                    Malformed{"<http://ex/s> <http://ex/p> <http://ex/o> \"g\" .\n", "line 1"},
                    Malformed{"<http://ex/s> <http://ex/p> <http://ex/o .\n", "line 1"},
                    Malformed{"<http://ex/s> <http://ex/p> <http://ex/a b> .\n", "not allowed in an IRI"},
                    Malformed{"<relative> <http://ex/p> <http://ex/o> .\n", "not absolute"},
                    Malformed{"<http://ex/s> <http://ex/p> \"open .\n", "unterminated string"},
                    Malformed{"<http://ex/s> <http://ex/p> \"bad \\q\" .\n", "invalid escape"},
                    Malformed{"<http://ex/s> <http://ex/p> \"\\u12G4\" .\n", "hex digit"},
                    Malformed{"<http://ex/s> <http://ex/p> \"\\uD800\" .\n", "scalar"},
                    Malformed{"<http://ex/s> <http://ex/p> \"\\u12", "truncated"},
                    Malformed{"<http://ex/s> <http://ex/p> \"x\"@ .\n", "language tag"},
                    Malformed{"<http://ex/s> <http://ex/p> \"x\"@en- .\n", "language subtag"},
                    Malformed{"<http://ex/s> <http://ex/p> \"x\"^^\"y\" .\n", "datatype"},
                    Malformed{"_: <http://ex/p> <http://ex/o> .\n", "blank node"},
                    Malformed{"_:-a <http://ex/p> <http://ex/o> .\n", "blank node"},
                    Malformed{"<http://ex/s> <http://ex/p> \"\xC3\x28\" .\n", "UTF-8"},
                    Malformed{"<http://ex/s> <http://ex/p> \"\xED\xA0\x80\" .\n", "UTF-8"},
                    Malformed{"<http://ex/s> <http://ex/p> \"\xE2\x82\" .\n", "UTF-8"},
                    Malformed{"<http://ex/s> <http://ex/p> <http://ex/o> . extra\n", "after '.'"},
                    Malformed{"<http://ex/s> <http://ex/p> <http://ex/o> <http://ex/g> <http://ex/h> .\n",
                              "'.'"}));

TEST(NQuadsSerialize, WritesCanonicalEscapes) {
  Quad q{Iri("http://ex/s"),
         Iri("http://ex/p"),
         Literal(std::string("\"\\\n\r\t\b\f\x01\x1f\x7f\xC2\x80 ok") + std::string(1, '\0')),
         {}};
  EXPECT_EQ(
      nquads::SerializeQuad(q),
      "<http://ex/s> <http://ex/p> \"\\\"\\\\\\n\\r\\t\\b\\f\\u0001\\u001F\\u007F\xC2\x80 ok\\u0000\" .\n");
}

TEST(NQuadsSerialize, WritesDatatypesLanguagesAndGraphs) {
  rdf::Dataset ds = {
      {Blank("x"), Iri("http://ex/p"), Literal("1", "http://ex/int"), Blank("g")},
      {Iri("http://ex/s"), Iri("http://ex/p"), Literal("x", "http://www.w3.org/2001/XMLSchema#string"),
       Iri("http://ex/g")},
      {Iri("http://ex/s"), Iri("http://ex/p"), Literal("hi", {}, "en"), {}},
  };
  EXPECT_EQ(nquads::Serialize(ds),
            "_:x <http://ex/p> \"1\"^^<http://ex/int> _:g .\n"
            "<http://ex/s> <http://ex/p> \"x\" <http://ex/g> .\n"
            "<http://ex/s> <http://ex/p> \"hi\"@en .\n");
}

TEST(NQuadsSerialize, RefusesQuadsThatAreNotRdf) {
  EXPECT_THROW(nquads::SerializeQuad({Literal("s"), Iri("http://ex/p"), Iri("http://ex/o"), {}}),
               CredentialError);
  EXPECT_THROW(nquads::SerializeQuad({Iri("http://ex/s"), Blank("p"), Iri("http://ex/o"), {}}),
               CredentialError);
  EXPECT_THROW(nquads::SerializeQuad({Iri("http://ex/s"), Iri("http://ex/p"), {}, {}}), CredentialError);
  EXPECT_THROW(
      nquads::SerializeQuad({Iri("http://ex/s"), Iri("http://ex/p"), Iri("http://ex/o"), Literal("g")}),
      CredentialError);
}

// test060 is the suite's escaping test: its input spells characters every possible way, and
// its expected output (no blank nodes) is the canonical serialization of those very quads.
TEST(NQuadsRoundTrip, SuiteEscapingInputSerializesToTheExpectedCanonicalForm) {
  auto ds = nquads::Parse(ReadFile(kSuiteDir / "test060-in.nq"));
  std::vector<std::string> lines;
  for (const auto& q : ds) lines.push_back(nquads::SerializeQuad(q));
  std::sort(lines.begin(), lines.end());
  std::string joined;
  for (const auto& l : lines) joined += l;
  EXPECT_EQ(joined, ReadFile(kSuiteDir / "test060-rdfc10.nq"));
}

// Every canonical output of the suite is a fixed point of parse + serialize.
TEST(NQuadsRoundTrip, EverySuiteOutputIsAFixedPoint) {
  int checked = 0;
  for (const auto& entry : std::filesystem::directory_iterator(kSuiteDir)) {
    const auto name = entry.path().filename().string();
    if (name.size() < 10 || name.substr(name.size() - 10) != "-rdfc10.nq") continue;
    const std::string text = ReadFile(entry.path());
    EXPECT_EQ(nquads::Serialize(nquads::Parse(text)), text) << name;
    ++checked;
  }
  EXPECT_GE(checked, 60);
}

TEST(NQuadsRoundTrip, ParsedSerializationParsesBackToTheSameDataset) {
  for (const auto& entry : std::filesystem::directory_iterator(kSuiteDir)) {
    const auto name = entry.path().filename().string();
    if (name.size() < 6 || name.substr(name.size() - 6) != "-in.nq") continue;
    auto ds = nquads::Parse(ReadFile(entry.path()));
    EXPECT_EQ(nquads::Parse(nquads::Serialize(ds)), ds) << name;
  }
}

}  // namespace
}  // namespace cairn::credentials
