#include "platform/system.hpp"

#include <gtest/gtest.h>

#include <set>

namespace cairn::platform {
namespace {

TEST(RandomIdGenerator, PrefixedOpaqueAndUnique) {
  RandomIdGenerator ids;
  std::set<std::string> seen;
  for (int i = 0; i < 10000; ++i) {
    auto id = ids.NewId("mc");
    ASSERT_EQ(id.size(), 25u);
    ASSERT_EQ(id.substr(0, 3), "mc_");
    for (char ch : id.substr(3)) ASSERT_TRUE(std::isalnum(static_cast<unsigned char>(ch)));
    ASSERT_TRUE(seen.insert(id).second);
  }
}

}  // namespace
}  // namespace cairn::platform
