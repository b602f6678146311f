// The demo catalog must be what a newcomer can publish as is: every entry decodes in the shape the
// create endpoint accepts and passes the publishing checks.
#include <gtest/gtest.h>

#include <fstream>
#include <set>
#include <sstream>

#include "core/catalog/codec.hpp"
#include "core/catalog/validation.hpp"

namespace cairn::core::catalog {
namespace {

nlohmann::json LoadDemo() {
  std::ifstream in(std::string(CAIRN_SOURCE_DIR) + "/data/demo/microcredentials.json");
  std::stringstream text;
  text << in.rdbuf();
  return nlohmann::json::parse(text.str());
}

TEST(DemoCatalog, EveryEntryDecodesAndIsPublishable) {
  const auto demo = LoadDemo();
  const auto& entries = demo.at("micro_credentials");
  ASSERT_GE(entries.size(), 14u);
  std::set<std::string> issuers;
  for (std::size_t i = 0; i < entries.size(); ++i) {
    const auto& entry = entries[i];
    ASSERT_TRUE(entry.contains("issuer")) << i;
    issuers.insert(entry["issuer"].get<std::string>());
    auto content = DecodeContent(entry, {"issuer"});
    ASSERT_TRUE(content.ok()) << i << ": " << content.error().fields.at(0).pointer << " "
                              << content.error().fields.at(0).message;
    for (const auto& e : Validate(*content, Completeness::kPublishable))
      ADD_FAILURE() << content->title << ": " << e.pointer << " " << e.message;
    EXPECT_GE(content->rubric.criteria.size(), 3u) << content->title;
    EXPECT_GE(content->resources.size(), 3u) << content->title;
    EXPECT_FALSE(content->alignments.empty()) << content->title;
  }
  EXPECT_EQ(issuers, (std::set<std::string>{"national", "district"}));
}

}  // namespace
}  // namespace cairn::core::catalog
