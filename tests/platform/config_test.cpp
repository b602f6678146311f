#include "platform/config.hpp"

#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>

namespace cairn::platform {
namespace {

TEST(Config, DefaultsPutEverythingUnderTheDataDirectory) {
  auto c = LoadConfig(std::nullopt, {{"CAIRN_DATA_DIR", "/srv/cairn/"}});
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(c->database_url, "sqlite:/srv/cairn/cairn.db");
  EXPECT_EQ(c->SqlitePath(), "/srv/cairn/cairn.db");
  EXPECT_EQ(c->kek_file, "/srv/cairn/kek.key");
  EXPECT_EQ(c->public_url, "http://127.0.0.1:8080");
}

TEST(Config, EnvironmentOverridesTheFile) {
  const std::string path = ::testing::TempDir() + "/cairn-config.json";
  std::ofstream(path) << R"({"listen": "0.0.0.0:9000", "public_url": "https://mc.example.org/", "smtp_port": 2525})";
  auto c = LoadConfig(path, {{"CAIRN_LISTEN", "127.0.0.1:9100"}});
  ASSERT_TRUE(c.ok()) << c.error().message;
  EXPECT_EQ(c->listen_port, 9100);
  EXPECT_EQ(c->public_url, "https://mc.example.org");
  EXPECT_TRUE(c->PublicUrlIsHttps());
  EXPECT_EQ(c->smtp.port, 2525);
}

TEST(Config, NamesEveryWrongValue) {
  auto c = LoadConfig(std::nullopt, {{"CAIRN_LISTEN", "localhost"},
                                     {"CAIRN_DATABASE_URL", "mysql://x"},
                                     {"CAIRN_WORKER_THREADS", "lots"},
                                     {"CAIRN_PUBLIC_URL", "ftp://x"}});
  ASSERT_FALSE(c.ok());
  std::vector<std::string> named;
  for (const auto& f : c.error().fields) named.push_back(f.pointer);
  EXPECT_EQ(named, (std::vector<std::string>{"CAIRN_LISTEN", "CAIRN_DATABASE_URL", "CAIRN_PUBLIC_URL",
                                             "CAIRN_WORKER_THREADS"}));
}

TEST(Config, RejectsUnknownFileKeysAndWrongTypes) {
  const std::string path = ::testing::TempDir() + "/cairn-config-bad.json";
  std::ofstream(path) << R"({"listne": "x", "io_threads": [2], "migrate_on_start": "maybe"})";
  auto c = LoadConfig(path, {});
  ASSERT_FALSE(c.ok());
  ASSERT_EQ(c.error().fields.size(), 3u);
  EXPECT_EQ(c.error().fields[0].pointer, "/io_threads");
  EXPECT_EQ(c.error().fields[1].pointer, "/listne");
  EXPECT_EQ(c.error().fields[1].message, "unknown setting");
  EXPECT_EQ(c.error().fields[2].pointer, "/migrate_on_start");
}

TEST(Config, UnreadableOrMalformedFileIsAnError) {
  EXPECT_FALSE(LoadConfig(std::string("/nonexistent/cairn.json"), {}).ok());
  const std::string path = ::testing::TempDir() + "/cairn-config-malformed.json";
  std::ofstream(path) << "{ not json";
  EXPECT_FALSE(LoadConfig(path, {}).ok());
}

TEST(Config, UnknownVariablesAreWarnedAboutNotFatal) {
  auto c = LoadConfig(std::nullopt, {{"CAIRN_LISTN", "x"}});
  ASSERT_TRUE(c.ok());
  ASSERT_EQ(c->warnings.size(), 1u);
  EXPECT_NE(c->warnings[0].find("CAIRN_LISTN"), std::string::npos);
}

}  // namespace
}  // namespace cairn::platform
