// Evidence uploads end to end: tus 1.0.0 and the files API on a real Server over a real SQLite
// database, real blob store and real libmagic, driven over sockets. Authentication is a test
// header; the policy check is identity's real PolicySet.
#include <gtest/gtest.h>
#include <openssl/sha.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <barrier>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <thread>

#include "../http/test_client.hpp"
#include "../support/api_test_support.hpp"
#include "app/catalog/catalog.hpp"
#include "app/identity/policies.hpp"
#include "app/uploads/uploads.hpp"
#include "blobs/disk_evidence_store.hpp"
#include "core/evidence/evidence.hpp"
#include "http/handlers/catalog_handlers.hpp"
#include "http/handlers/upload_handlers.hpp"
#include "http/openapi.hpp"
#include "http/handlers/identity_middleware.hpp"
#include "http/server.hpp"
#include "storage/database.hpp"
#include "storage/identity_repository.hpp"
#include "storage/sql_unit_of_work.hpp"

namespace cairn::http {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;
using testing::ClientResponse;
using testing::Fetch;
using testing::ParsePrincipal;
using testing::SequentialIds;
using testing::SteppingClock;

class ManualClock final : public core::Clock {
 public:
  // Starts at the real time: blob ages come from file modification times.
  ManualClock() : now_(std::chrono::system_clock::now()) {}
  core::TimePoint Now() const override {
    std::lock_guard lock(mutex_);
    return now_;
  }
  void Advance(std::chrono::seconds by) {
    std::lock_guard lock(mutex_);
    now_ += by;
  }

 private:
  mutable std::mutex mutex_;
  core::TimePoint now_;
};

const std::string kMaria = "usr_maria org_national:issuer_admin";
const std::string kAna = "usr_ana org_district:educator";
const std::string kBen = "usr_ben org_district:educator";
const std::string kRita = "usr_rita org_national:reviewer";

std::string Sha256Hex(std::string_view data) {
  unsigned char digest[SHA256_DIGEST_LENGTH];
  SHA256(reinterpret_cast<const unsigned char*>(data.data()), data.size(), digest);
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  for (unsigned char c : digest) {
    out += kHex[c >> 4];
    out += kHex[c & 0xF];
  }
  return out;
}

std::string Base64(std::string_view in) {
  static constexpr char kChars[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  std::size_t i = 0;
  for (; i + 2 < in.size(); i += 3) {
    unsigned v = (static_cast<unsigned char>(in[i]) << 16) |
                 (static_cast<unsigned char>(in[i + 1]) << 8) |
                 static_cast<unsigned char>(in[i + 2]);
    out += kChars[(v >> 18) & 63];
    out += kChars[(v >> 12) & 63];
    out += kChars[(v >> 6) & 63];
    out += kChars[v & 63];
  }
  if (i + 1 == in.size()) {
    unsigned v = static_cast<unsigned char>(in[i]) << 16;
    out += kChars[(v >> 18) & 63];
    out += kChars[(v >> 12) & 63];
    out += "==";
  } else if (i + 2 == in.size()) {
    unsigned v =
        (static_cast<unsigned char>(in[i]) << 16) | (static_cast<unsigned char>(in[i + 1]) << 8);
    out += kChars[(v >> 18) & 63];
    out += kChars[(v >> 12) & 63];
    out += kChars[(v >> 6) & 63];
    out += '=';
  }
  return out;
}

// A small but real PDF: libmagic calls it application/pdf.
std::string MakePdf(int pages_of_text = 40) {
  std::string content = "BT /F1 12 Tf 72 720 Td (Feedback moments in week three) Tj ET\n";
  for (int i = 0; i < pages_of_text; ++i) content += "% students revised drafts after feedback\n";
  std::string pdf =
      "%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n"
      "2 0 obj << /Type /Pages /Kids [3 0 R] /Count 1 >> endobj\n"
      "3 0 obj << /Type /Page /Parent 2 0 R /Contents 4 0 R >> endobj\n"
      "4 0 obj << /Length " +
      std::to_string(content.size()) + " >> stream\n" + content +
      "endstream endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n";
  return pdf;
}

// A real WAV file (one second of silence): audio, which "annotated student work" does not accept.
std::string MakeWav() {
  std::string data(8000, '\x80');
  auto le32 = [](std::uint32_t v) {
    return std::string{static_cast<char>(v & 0xFF), static_cast<char>((v >> 8) & 0xFF),
                       static_cast<char>((v >> 16) & 0xFF), static_cast<char>((v >> 24) & 0xFF)};
  };
  auto le16 = [](std::uint16_t v) {
    return std::string{static_cast<char>(v & 0xFF), static_cast<char>((v >> 8) & 0xFF)};
  };
  return "RIFF" + le32(36 + static_cast<std::uint32_t>(data.size())) + "WAVEfmt " + le32(16) +
         le16(1) + le16(1) + le32(8000) + le32(8000) + le16(1) + le16(8) + "data" +
         le32(static_cast<std::uint32_t>(data.size())) + data;
}

std::string ReadFile(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

json LoadDemo() {
  std::ifstream in(std::string(CAIRN_SOURCE_DIR) + "/data/demo/microcredentials.json");
  std::stringstream text;
  text << in.rdbuf();
  return json::parse(text.str());
}

class UploadsApi : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("cairn-uploads-api-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    auto db = storage::Database::Open("sqlite:" + (dir_ / "cairn.db").string());
    ASSERT_TRUE(db.ok()) << db.error().message;
    db_ = std::move(db).value();
    ASSERT_TRUE(db_->Migrate().ok());
    SeedIdentity();
    uow_ = std::make_unique<storage::SqlUnitOfWork>(*db_);
    catalog_ = std::make_unique<app::catalog::CatalogContext>(
        app::catalog::CatalogContext{*uow_, clock_, ids_});
    store_ = std::make_unique<blobs::DiskEvidenceStore>(dir_ / "blobs");
    app::uploads::UploadLimits limits;
    limits.max_file_bytes = 1 << 20;
    limits.max_submission_bytes = 3 << 20;
    limits.expiry = std::chrono::hours(72);
    uploads_ = std::make_unique<app::uploads::Uploads>(
        *uow_, clock_, ids_, *store_, limits,
        [this](core::Transaction&, const core::identity::Principal& who,
               const core::evidence::EvidenceFile&) {
          return who.user_id == reviewer_with_access_ ? app::uploads::Access::kReviewer
                                                      : app::uploads::Access::kNone;
        });
    RegisterCatalogRoutes(router_, CatalogHandlerDeps{*catalog_});
    RegisterUploadRoutes(router_, UploadHandlerDeps{*uploads_});
    ServerOptions options = testing::TestServerOptions("uploads-api-test", 4);
    options.body_timeout = std::chrono::seconds(5);
    server_ = std::make_unique<testing::RunningServer>(options, router_, TestMiddleware());
    port_ = server_->port();
    mc_id_ = PublishDemo();
    enrolment_ = Enrol("usr_ana", "enr_ana");
    Enrol("usr_ben", "enr_ben");
  }

  void TearDown() override {
    server_.reset();
    db_.reset();
    fs::remove_all(dir_);
  }

  void SeedIdentity() {
    auto status = db_->Write([](storage::Tx& tx) -> core::Status {
      storage::SqlIdentityRepository identity(tx);
      core::TimePoint t{};
      core::ParseTime("2026-11-01T00:00:00Z", t);
      for (auto [id, kind, issuer] :
           {std::tuple{"org_national", core::identity::OrgKind::kNonprofit, true},
            std::tuple{"org_district", core::identity::OrgKind::kDistrict, false}}) {
        core::identity::Organization org;
        org.id = id;
        org.name = id;
        org.kind = kind;
        org.issuer = issuer;
        org.created_at = t;
        identity.InsertOrganization(org);
      }
      for (const char* id : {"usr_maria", "usr_ana", "usr_ben", "usr_rita"}) {
        core::identity::User u;
        u.id = id;
        u.email = std::string(id).substr(4) + "@example.org";
        u.display_name = id;
        u.password_hash = "x";
        u.created_at = u.updated_at = t;
        identity.InsertUser(u);
      }
      return core::Ok();
    });
    ASSERT_TRUE(status.ok()) << status.error().detail;
  }

  std::string PublishDemo() {
    json entry = LoadDemo()["micro_credentials"][0];
    entry.erase("issuer");
    entry["issuer_id"] = "org_national";
    auto created =
        Fetch(port_, "POST", "/api/v1/micro-credentials",
              {"X-Test-Principal: " + kMaria, "Content-Type: application/json"}, entry.dump());
    EXPECT_EQ(created.status, 201) << created.body;
    std::string id = created.Json()["id"];
    auto published = Fetch(port_, "POST", "/api/v1/micro-credentials/" + id + "/publish",
                           {"X-Test-Principal: " + kMaria, "Content-Type: application/json"},
                           json{{"revision", 1}}.dump());
    EXPECT_EQ(published.status, 200) << published.body;
    return id;
  }

  std::string Enrol(const std::string& user, const std::string& id) {
    auto status = uow_->Write([&](core::Transaction& tx) -> core::Status {
      core::evidence::Enrolment e;
      e.id = id;
      e.user_id = user;
      e.micro_credential_id = mc_id_;
      e.version = 1;
      e.issuer_id = "org_national";
      e.created_at = e.updated_at = clock_.Now();
      tx.Evidence().InsertEnrolment(e);
      return core::Ok();
    });
    EXPECT_TRUE(status.ok()) << status.error().message << status.error().detail;
    return id;
  }

  std::vector<Middleware> TestMiddleware() {
    return {testing::HeaderPrincipal(), PolicyMiddleware(policies_, router_)};
  }

  ClientResponse Tus(std::string_view method, const std::string& target, const std::string& who,
                     std::vector<std::string> headers = {}, std::string_view body = {}) {
    headers.push_back("Tus-Resumable: 1.0.0");
    if (!who.empty()) headers.push_back("X-Test-Principal: " + who);
    return Fetch(port_, method, target, headers, body);
  }

  ClientResponse Create(std::int64_t length, const std::string& who = kAna,
                        const std::string& enrolment = "enr_ana",
                        const std::string& filename = "week3-notes.pdf",
                        std::optional<int> requirement = std::nullopt) {
    std::string md = "enrolment " + Base64(enrolment) + ",filename " + Base64(filename) +
                     ",filetype " + Base64("application/pdf");
    if (requirement) md += ",requirement " + Base64(std::to_string(*requirement));
    return Tus("POST", "/api/v1/uploads", who,
               {"Upload-Length: " + std::to_string(length), "Upload-Metadata: " + md});
  }

  ClientResponse Patch(const std::string& location, std::int64_t offset, std::string_view body,
                       const std::string& who = kAna) {
    return Tus("PATCH", location, who,
               {"Upload-Offset: " + std::to_string(offset),
                "Content-Type: application/offset+octet-stream"},
               body);
  }

  // Uploads bytes in two PATCHes and returns the file id.
  std::string UploadWhole(const std::string& bytes, const std::string& filename = "week3-notes.pdf",
                          std::optional<int> requirement = std::nullopt) {
    auto created =
        Create(static_cast<std::int64_t>(bytes.size()), kAna, "enr_ana", filename, requirement);
    EXPECT_EQ(created.status, 201) << created.body;
    std::string location = created.Header("Location").value_or("");
    std::size_t half = bytes.size() / 2;
    auto first = Patch(location, 0, std::string_view(bytes).substr(0, half));
    EXPECT_EQ(first.status, 204) << first.body;
    auto last =
        Patch(location, static_cast<std::int64_t>(half), std::string_view(bytes).substr(half));
    EXPECT_EQ(last.status, 204) << last.body;
    return last.Header("Cairn-File-Id").value_or("");
  }

  json Documented(const ClientResponse& r, const std::string& method, const std::string& pattern) {
    bool is_json = r.Header("Content-Type").value_or("").find("json") != std::string::npos;
    json body = r.body.empty() || !is_json ? json() : json::parse(r.body);
    for (const auto& problem : ValidateResponse(OpenApiDocument(), method, pattern, r.status, body))
      ADD_FAILURE() << method << " " << pattern << " " << r.status << ": " << problem;
    return body;
  }

  long long Count(const std::string& sql) {
    long long n = -1;
    auto s = db_->Read([&](storage::Tx& tx) -> core::Status {
      tx.sql() << sql, soci::into(n);
      return core::Ok();
    });
    EXPECT_TRUE(s.ok());
    return n;
  }

  std::size_t PartialFiles() {
    fs::path dir = dir_ / "blobs" / "tmp" / "uploads";
    if (!fs::exists(dir)) return 0;
    return static_cast<std::size_t>(
        std::distance(fs::directory_iterator(dir), fs::directory_iterator()));
  }

  fs::path dir_;
  ManualClock clock_;
  SequentialIds ids_;
  std::unique_ptr<storage::Database> db_;
  std::unique_ptr<storage::SqlUnitOfWork> uow_;
  std::unique_ptr<app::catalog::CatalogContext> catalog_;
  std::unique_ptr<blobs::DiskEvidenceStore> store_;
  std::unique_ptr<app::uploads::Uploads> uploads_;
  std::string reviewer_with_access_;
  app::identity::PolicySet policies_ = app::identity::StandardPolicies();
  Router router_;
  std::unique_ptr<testing::RunningServer> server_;
  unsigned short port_ = 0;
  std::string mc_id_;
  std::string enrolment_;
};

TEST_F(UploadsApi, EveryRouteIsDocumented) {
  for (const auto& missing : UndocumentedOperations(router_, OpenApiDocument()))
    ADD_FAILURE() << missing;
}

TEST_F(UploadsApi, OptionsAdvertisesTheProtocol) {
  auto r = Fetch(port_, "OPTIONS", "/api/v1/uploads");
  EXPECT_EQ(r.status, 204);
  EXPECT_EQ(r.Header("Tus-Resumable"), "1.0.0");
  EXPECT_EQ(r.Header("Tus-Version"), "1.0.0");
  EXPECT_EQ(r.Header("Tus-Extension"), "creation,termination,expiration");
  EXPECT_EQ(r.Header("Tus-Max-Size"), std::to_string(1 << 20));
  Documented(r, "OPTIONS", "/api/v1/uploads");
}

TEST_F(UploadsApi, HappyPathStoresTheFileAndServesItWithRanges) {
  const std::string pdf = MakePdf();
  auto created = Create(static_cast<std::int64_t>(pdf.size()));
  ASSERT_EQ(created.status, 201) << created.body;
  EXPECT_EQ(created.Header("Tus-Resumable"), "1.0.0");
  EXPECT_TRUE(created.Header("Upload-Expires"));
  Documented(created, "POST", "/api/v1/uploads");
  const std::string location = created.Header("Location").value_or("");
  ASSERT_TRUE(location.starts_with("/api/v1/uploads/upl_")) << location;

  auto head = Tus("HEAD", location, kAna);
  EXPECT_EQ(head.status, 200);
  EXPECT_EQ(head.Header("Upload-Offset"), "0");
  EXPECT_EQ(head.Header("Upload-Length"), std::to_string(pdf.size()));
  EXPECT_EQ(head.Header("Cache-Control"), "no-store");
  Documented(head, "HEAD", "/api/v1/uploads/{id}");

  auto first = Patch(location, 0, std::string_view(pdf).substr(0, 100));
  EXPECT_EQ(first.status, 204) << first.body;
  EXPECT_EQ(first.Header("Upload-Offset"), "100");
  EXPECT_FALSE(first.Header("Cairn-File-Id"));
  Documented(first, "PATCH", "/api/v1/uploads/{id}");
  EXPECT_EQ(Tus("HEAD", location, kAna).Header("Upload-Offset"), "100");

  auto last = Patch(location, 100, std::string_view(pdf).substr(100));
  ASSERT_EQ(last.status, 204) << last.body;
  EXPECT_EQ(last.Header("Upload-Offset"), std::to_string(pdf.size()));
  const std::string file_id = last.Header("Cairn-File-Id").value_or("");
  ASSERT_TRUE(file_id.starts_with("fil_")) << file_id;
  EXPECT_EQ(PartialFiles(), 0u);

  auto meta = Fetch(port_, "GET", "/api/v1/files/" + file_id, {"X-Test-Principal: " + kAna});
  ASSERT_EQ(meta.status, 200) << meta.body;
  json file = Documented(meta, "GET", "/api/v1/files/{id}");
  EXPECT_EQ(file["media_type"], "application/pdf");
  EXPECT_EQ(file["kind"], "document");
  EXPECT_EQ(file["size"], pdf.size());
  EXPECT_EQ(file["sha256"], Sha256Hex(pdf));
  EXPECT_EQ(file["filename"], "week3-notes.pdf");
  EXPECT_EQ(file["enrolment_id"], "enr_ana");
  EXPECT_EQ(file["transcode_state"], "none");
  EXPECT_EQ(meta.Header("Cache-Control"), "private, no-store");

  const std::string content_url = "/api/v1/files/" + file_id + "/content";
  auto whole = Fetch(port_, "GET", content_url, {"X-Test-Principal: " + kAna});
  ASSERT_EQ(whole.status, 200);
  EXPECT_EQ(whole.body, pdf);
  EXPECT_EQ(whole.Header("Content-Type"), "application/pdf");
  EXPECT_EQ(whole.Header("ETag"), "\"" + Sha256Hex(pdf) + "\"");
  EXPECT_EQ(whole.Header("Accept-Ranges"), "bytes");
  EXPECT_EQ(whole.Header("Cache-Control"), "private, no-store");
  EXPECT_NE(whole.Header("Content-Disposition").value_or("").find("week3-notes.pdf"),
            std::string::npos);

  auto range = Fetch(port_, "GET", content_url, {"X-Test-Principal: " + kAna, "Range: bytes=5-14"});
  EXPECT_EQ(range.status, 206);
  EXPECT_EQ(range.body, pdf.substr(5, 10));
  EXPECT_EQ(range.Header("Content-Range"), "bytes 5-14/" + std::to_string(pdf.size()));
  auto open_end =
      Fetch(port_, "GET", content_url, {"X-Test-Principal: " + kAna, "Range: bytes=100-"});
  EXPECT_EQ(open_end.status, 206);
  EXPECT_EQ(open_end.body, pdf.substr(100));
  auto suffix = Fetch(port_, "GET", content_url, {"X-Test-Principal: " + kAna, "Range: bytes=-6"});
  EXPECT_EQ(suffix.status, 206);
  EXPECT_EQ(suffix.body, pdf.substr(pdf.size() - 6));
  auto outside =
      Fetch(port_, "GET", content_url,
            {"X-Test-Principal: " + kAna, "Range: bytes=" + std::to_string(pdf.size()) + "-"});
  EXPECT_EQ(outside.status, 416);
  EXPECT_EQ(outside.Header("Content-Range"), "bytes */" + std::to_string(pdf.size()));
  Documented(outside, "GET", "/api/v1/files/{id}/content");
  // If-Range with another validator: the whole file, not a fragment of a different version.
  auto stale = Fetch(port_, "GET", content_url,
                     {"X-Test-Principal: " + kAna, "Range: bytes=0-3", "If-Range: \"old\""});
  EXPECT_EQ(stale.status, 200);
  EXPECT_EQ(stale.body, pdf);
  auto fresh = Fetch(
      port_, "GET", content_url,
      {"X-Test-Principal: " + kAna, "Range: bytes=0-3", "If-Range: \"" + Sha256Hex(pdf) + "\""});
  EXPECT_EQ(fresh.status, 206);
  EXPECT_EQ(fresh.body, "%PDF");

  EXPECT_EQ(Count("SELECT count(*) FROM audit_log WHERE action = 'file.create' AND entity_id = '" +
                  file_id + "'"),
            1);
  EXPECT_EQ(Count("SELECT count(*) FROM uploads WHERE state = 'complete' AND file_id = '" +
                  file_id + "'"),
            1);
}

TEST_F(UploadsApi, ProtocolErrorsHaveTheirStatuses) {
  const std::string pdf = MakePdf();
  // Without Tus-Resumable: 412, and the server names the version it speaks.
  auto no_version =
      Fetch(port_, "POST", "/api/v1/uploads", {"X-Test-Principal: " + kAna, "Upload-Length: 10"});
  EXPECT_EQ(no_version.status, 412);
  EXPECT_EQ(no_version.Header("Tus-Version"), "1.0.0");
  auto created = Create(static_cast<std::int64_t>(pdf.size()));
  ASSERT_EQ(created.status, 201);
  const std::string location = created.Header("Location").value_or("");
  EXPECT_EQ(Fetch(port_, "HEAD", location, {"X-Test-Principal: " + kAna}).status, 412);
  EXPECT_EQ(Fetch(port_, "PATCH", location,
                  {"X-Test-Principal: " + kAna, "Upload-Offset: 0",
                   "Content-Type: application/offset+octet-stream"},
                  "abc")
                .status,
            412);
  // Missing or malformed headers: 400.
  EXPECT_EQ(
      Tus("POST", "/api/v1/uploads", kAna, {"Upload-Metadata: enrolment ZW5yX2FuYQ=="}).status,
      400);
  EXPECT_EQ(Tus("POST", "/api/v1/uploads", kAna, {"Upload-Length: -5"}).status, 400);
  EXPECT_EQ(
      Tus("POST", "/api/v1/uploads", kAna, {"Upload-Length: 5", "Upload-Metadata: enrolment !!"})
          .status,
      400);
  EXPECT_EQ(Tus("POST", "/api/v1/uploads", kAna, {"Upload-Length: 5"}).status,
            400);                    // no enrolment
  EXPECT_EQ(Create(0).status, 400);  // an empty file is no evidence
  EXPECT_EQ(
      Tus("PATCH", location, kAna, {"Content-Type: application/offset+octet-stream"}, "abc").status,
      400);
  // Not signed in: 401, refused by the middleware but still a tus answer. Someone else's
  // enrolment: 404.
  auto anonymous = Create(10, "");
  EXPECT_EQ(anonymous.status, 401);
  EXPECT_EQ(anonymous.Header("Tus-Resumable"), "1.0.0");
  EXPECT_EQ(Create(10, kAna, "enr_ben").status, 404);
  // Wrong body type: 415. Wrong offset: 409, and nothing is written.
  auto wrong_type = Tus("PATCH", location, kAna,
                        {"Upload-Offset: 0", "Content-Type: application/octet-stream"}, "abc");
  EXPECT_EQ(wrong_type.status, 415);
  EXPECT_EQ(wrong_type.Header("Tus-Resumable"), "1.0.0");
  auto wrong_offset = Patch(location, 3, "abc");
  EXPECT_EQ(wrong_offset.status, 409);
  Documented(wrong_offset, "PATCH", "/api/v1/uploads/{id}");
  EXPECT_EQ(Tus("HEAD", location, kAna).Header("Upload-Offset"), "0");
  // A body past Upload-Length: 413, nothing kept.
  auto too_long = Patch(location, 0, pdf + "extra");
  EXPECT_EQ(too_long.status, 413);
  EXPECT_EQ(Tus("HEAD", location, kAna).Header("Upload-Offset"), "0");
  // Over the per-file limit (1 MiB here): 413 at creation.
  auto huge = Create((1 << 20) + 1);
  EXPECT_EQ(huge.status, 413);
  Documented(huge, "POST", "/api/v1/uploads");
}

TEST_F(UploadsApi, ChunkedBodyPastTheLengthKeepsNothingBeyondIt) {
  auto created = Create(10);
  ASSERT_EQ(created.status, 201);
  const std::string location = created.Header("Location").value_or("");
  testing::Connection c(port_);
  c.Send("PATCH " + location +
         " HTTP/1.1\r\nHost: x\r\nTus-Resumable: 1.0.0\r\n"
         "X-Test-Principal: " +
         kAna +
         "\r\nUpload-Offset: 0\r\n"
         "Content-Type: application/offset+octet-stream\r\nTransfer-Encoding: chunked\r\n\r\n"
         "f\r\n0123456789ABCDE\r\n0\r\n\r\n");
  auto r = c.Read();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 413);
  // The ten bytes that fit are kept (the upload is then complete but its content is text).
  EXPECT_EQ(Count("SELECT count(*) FROM uploads WHERE upload_offset = 10"), 1);
}

TEST_F(UploadsApi, SubmissionLimitCountsFilesAndOpenUploads) {
  // 3 MiB per enrolment: three uploads of 1 MiB fit, a fourth byte does not.
  for (int i = 0; i < 3; ++i) EXPECT_EQ(Create(1 << 20).status, 201);
  auto over = Create(1);
  EXPECT_EQ(over.status, 413);
  EXPECT_NE(over.Json()["detail"].get<std::string>().find("enrolment"), std::string::npos);
  // Another enrolment has its own allowance.
  EXPECT_EQ(Create(1 << 20, kBen, "enr_ben").status, 201);
}

TEST_F(UploadsApi, OnlyTheCreatorSeesAnUpload) {
  auto created = Create(100);
  ASSERT_EQ(created.status, 201);
  const std::string location = created.Header("Location").value_or("");
  EXPECT_EQ(Tus("HEAD", location, kBen).status, 404);
  EXPECT_EQ(Patch(location, 0, "abc", kBen).status, 404);
  EXPECT_EQ(Tus("DELETE", location, kBen).status, 404);
  EXPECT_EQ(Tus("HEAD", location, kAna).Header("Upload-Offset"), "0");
  EXPECT_EQ(Tus("HEAD", "/api/v1/uploads/upl_nope", kAna).status, 404);
}

TEST_F(UploadsApi, TerminationRemovesThePartialData) {
  auto created = Create(100);
  const std::string location = created.Header("Location").value_or("");
  EXPECT_EQ(Patch(location, 0, "some bytes").status, 204);
  EXPECT_EQ(PartialFiles(), 1u);
  auto gone = Tus("DELETE", location, kAna);
  EXPECT_EQ(gone.status, 204);
  EXPECT_EQ(gone.Header("Tus-Resumable"), "1.0.0");
  Documented(gone, "DELETE", "/api/v1/uploads/{id}");
  EXPECT_EQ(PartialFiles(), 0u);
  EXPECT_EQ(Tus("HEAD", location, kAna).status, 404);
}

TEST_F(UploadsApi, ExpiredUploadsAreGoneAndCleanedUp) {
  auto created = Create(100);
  const std::string location = created.Header("Location").value_or("");
  EXPECT_EQ(Patch(location, 0, "some bytes").status, 204);
  clock_.Advance(std::chrono::hours(73));
  auto head = Tus("HEAD", location, kAna);
  EXPECT_EQ(head.status, 410);
  EXPECT_EQ(head.Header("Tus-Resumable"), "1.0.0");
  EXPECT_EQ(Patch(location, 10, "more").status, 410);
  ASSERT_TRUE(uploads_->Cleanup());
  EXPECT_EQ(PartialFiles(), 0u);
  EXPECT_EQ(Tus("HEAD", location, kAna).status, 404);
  EXPECT_EQ(Count("SELECT count(*) FROM audit_log WHERE action = 'upload.expire'"), 1);
}

TEST_F(UploadsApi, RenamedExecutableIsRefusedAndRemoved) {
  const std::string elf = ReadFile("/bin/true");
  ASSERT_GT(elf.size(), 1000u);
  ASSERT_LT(elf.size(), 1u << 20);
  auto created = Create(static_cast<std::int64_t>(elf.size()), kAna, "enr_ana", "lesson-plan.pdf");
  ASSERT_EQ(created.status, 201);
  const std::string location = created.Header("Location").value_or("");
  auto r = Patch(location, 0, elf);
  EXPECT_EQ(r.status, 415) << r.body;
  EXPECT_FALSE(r.Header("Cairn-File-Id"));
  EXPECT_NE(r.Json()["detail"].get<std::string>().find("program, not a document"),
            std::string::npos)
      << r.body;
  Documented(r, "PATCH", "/api/v1/uploads/{id}");
  EXPECT_EQ(PartialFiles(), 0u);
  EXPECT_TRUE(store_->ListBlobs().empty());
  EXPECT_EQ(Count("SELECT count(*) FROM evidence_files"), 0);
  EXPECT_EQ(Tus("HEAD", location, kAna).status, 404);
}

TEST_F(UploadsApi, KindsTheArtifactDoesNotAcceptAreRefused) {
  // Requirement 0, "annotated student work", accepts documents and images, not audio.
  const std::string wav = MakeWav();
  auto created = Create(static_cast<std::int64_t>(wav.size()), kAna, "enr_ana", "clip.wav", 0);
  ASSERT_EQ(created.status, 201) << created.body;
  auto r = Patch(created.Header("Location").value_or(""), 0, wav);
  EXPECT_EQ(r.status, 415) << r.body;
  EXPECT_NE(r.Json()["detail"].get<std::string>().find("document or image"), std::string::npos)
      << r.body;
  // Requirement 2, the classroom feedback moment, takes audio.
  std::string file_id = UploadWhole(wav, "clip.wav", 2);
  ASSERT_TRUE(file_id.starts_with("fil_"));
  auto meta = Fetch(port_, "GET", "/api/v1/files/" + file_id, {"X-Test-Principal: " + kAna});
  EXPECT_EQ(meta.Json()["kind"], "audio");
  // A requirement the micro-credential does not have: refused at creation.
  EXPECT_EQ(Create(10, kAna, "enr_ana", "x.pdf", 7).status, 400);
}

TEST_F(UploadsApi, ConcurrentPatchesOnOneUploadOneWins) {
  const std::string pdf = MakePdf();
  auto created = Create(static_cast<std::int64_t>(pdf.size()));
  const std::string location = created.Header("Location").value_or("");
  // The first PATCH sends its header and half its body, then stalls while holding the upload.
  testing::Connection slow(port_);
  slow.Send("PATCH " + location +
            " HTTP/1.1\r\nHost: x\r\nTus-Resumable: 1.0.0\r\n"
            "X-Test-Principal: " +
            kAna +
            "\r\nUpload-Offset: 0\r\n"
            "Content-Type: application/offset+octet-stream\r\nContent-Length: " +
            std::to_string(pdf.size()) + "\r\n\r\n" + pdf.substr(0, 50));
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  auto second = Patch(location, 0, pdf);
  EXPECT_EQ(second.status, 409) << second.body;
  slow.Send(pdf.substr(50));
  auto first = slow.Read();
  ASSERT_TRUE(first);
  EXPECT_EQ(first->status, 204);
  EXPECT_TRUE(first->Header("Cairn-File-Id"));
  EXPECT_EQ(Count("SELECT count(*) FROM evidence_files"), 1);
}

TEST_F(UploadsApi, ManySimultaneousPatchesOfOneUploadStoreItExactlyOnce) {
  const std::string pdf = MakePdf();
  constexpr int kRuns = 15;
  constexpr int kClients = 6;
  for (int run = 0; run < kRuns; ++run) {
    std::string bytes = pdf + "% run " + std::to_string(run) + "\n";  // a new blob each run
    auto created = Create(static_cast<std::int64_t>(bytes.size()));
    ASSERT_EQ(created.status, 201) << created.body;
    const std::string location = created.Header("Location").value_or("");
    // Every client has its header and body ready on an open connection; the barrier releases
    // the last bytes together.
    std::vector<std::unique_ptr<testing::Connection>> connections;
    for (int i = 0; i < kClients; ++i) {
      connections.push_back(std::make_unique<testing::Connection>(port_));
      connections.back()->Send("PATCH " + location +
                               " HTTP/1.1\r\nHost: x\r\nTus-Resumable: 1.0.0\r\n"
                               "X-Test-Principal: " +
                               kAna +
                               "\r\nUpload-Offset: 0\r\n"
                               "Content-Type: application/offset+octet-stream\r\nContent-Length: " +
                               std::to_string(bytes.size()) + "\r\n\r\n" +
                               bytes.substr(0, bytes.size() - 1));
    }
    std::barrier start(kClients);
    std::vector<int> statuses(kClients);
    std::vector<std::thread> threads;
    for (int i = 0; i < kClients; ++i)
      threads.emplace_back([&, i] {
        start.arrive_and_wait();
        connections[i]->Send(bytes.substr(bytes.size() - 1));
        auto r = connections[i]->Read(std::chrono::seconds(10));
        statuses[i] = r ? r->status : 0;
      });
    for (auto& t : threads) t.join();
    EXPECT_EQ(std::count(statuses.begin(), statuses.end(), 204), 1) << "run " << run;
    EXPECT_EQ(std::count(statuses.begin(), statuses.end(), 409), kClients - 1) << "run " << run;
  }
  EXPECT_EQ(Count("SELECT count(*) FROM evidence_files"), kRuns);
  EXPECT_EQ(Count("SELECT count(*) FROM uploads WHERE state = 'complete'"), kRuns);
  EXPECT_EQ(store_->ListBlobs().size(), static_cast<std::size_t>(kRuns));
}

TEST_F(UploadsApi, DroppedConnectionKeepsWhatArrivedAndResumes) {
  std::string data = MakePdf(20000);  // ~800 KB
  ASSERT_GT(data.size(), 600000u);
  auto created = Create(static_cast<std::int64_t>(data.size()));
  const std::string location = created.Header("Location").value_or("");
  const std::size_t sent = 400000;
  {
    testing::Connection c(port_);
    c.Send("PATCH " + location +
           " HTTP/1.1\r\nHost: x\r\nTus-Resumable: 1.0.0\r\n"
           "X-Test-Principal: " +
           kAna +
           "\r\nUpload-Offset: 0\r\n"
           "Content-Type: application/offset+octet-stream\r\nContent-Length: " +
           std::to_string(data.size()) + "\r\n\r\n" + data.substr(0, sent));
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
  }  // closed mid-body
  std::string offset;
  for (int i = 0; i < 50; ++i) {
    offset = Tus("HEAD", location, kAna).Header("Upload-Offset").value_or("");
    if (offset == std::to_string(sent)) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  ASSERT_EQ(offset, std::to_string(sent));
  auto rest = Patch(location, static_cast<std::int64_t>(sent), std::string_view(data).substr(sent));
  ASSERT_EQ(rest.status, 204) << rest.body;
  std::string file_id = rest.Header("Cairn-File-Id").value_or("");
  auto content =
      Fetch(port_, "GET", "/api/v1/files/" + file_id + "/content", {"X-Test-Principal: " + kAna});
  EXPECT_EQ(Sha256Hex(content.body), Sha256Hex(data));
  // The hash was carried across the interruption instead of re-reading the file.
  EXPECT_EQ(store_->hashed_while_receiving(), 1u);
}

TEST_F(UploadsApi, ReviewersGetANeutralNameAndNothingThatIdentifiesTheEducator) {
  std::string file_id = UploadWhole(MakePdf(), "Ana Lopez - Lincoln Elementary.pdf");
  ASSERT_FALSE(file_id.empty());
  // Before the review area grants access: 404, as for anyone else.
  EXPECT_EQ(Fetch(port_, "GET", "/api/v1/files/" + file_id, {"X-Test-Principal: " + kRita}).status,
            404);
  EXPECT_EQ(
      Fetch(port_, "GET", "/api/v1/files/" + file_id + "/content", {"X-Test-Principal: " + kRita})
          .status,
      404);
  reviewer_with_access_ = "usr_rita";
  auto meta = Fetch(port_, "GET", "/api/v1/files/" + file_id, {"X-Test-Principal: " + kRita});
  ASSERT_EQ(meta.status, 200);
  json file = Documented(meta, "GET", "/api/v1/files/{id}");
  EXPECT_FALSE(file.contains("filename"));
  EXPECT_FALSE(file.contains("enrolment_id"));
  auto content =
      Fetch(port_, "GET", "/api/v1/files/" + file_id + "/content", {"X-Test-Principal: " + kRita});
  ASSERT_EQ(content.status, 200);
  EXPECT_EQ(content.Header("Content-Disposition").value_or(""),
            "inline; filename=\"evidence-" + file_id + ".pdf\"; filename*=UTF-8''evidence-" +
                file_id + ".pdf");
  for (const auto& [name, value] : content.headers) {
    EXPECT_EQ(value.find("Ana"), std::string::npos) << name << ": " << value;
    EXPECT_EQ(value.find("Lincoln"), std::string::npos) << name << ": " << value;
    EXPECT_EQ(value.find("usr_ana"), std::string::npos) << name << ": " << value;
    EXPECT_EQ(value.find("enr_ana"), std::string::npos) << name << ": " << value;
  }
  EXPECT_EQ(meta.body.find("Ana"), std::string::npos);
  // Reviewers read; only the owner deletes.
  EXPECT_EQ(
      Fetch(port_, "DELETE", "/api/v1/files/" + file_id, {"X-Test-Principal: " + kRita}).status,
      404);
}

TEST_F(UploadsApi, DeleteOnlyWhileNoSubmittedAttemptUsesTheFile) {
  std::string loose = UploadWhole(MakePdf(), "draft-only.pdf");
  std::string submitted = UploadWhole(MakePdf(30), "submitted.pdf");
  auto status = uow_->Write([&](core::Transaction& tx) -> core::Status {
    core::evidence::Submission s;
    s.id = "sub_1";
    s.code = "K7QX-42MB";
    s.enrolment_id = "enr_ana";
    s.user_id = "usr_ana";
    s.micro_credential_id = mc_id_;
    s.version = 1;
    s.issuer_id = "org_national";
    s.content.artifacts.push_back({0, submitted, "", "", false, false});
    s.submitted_at = clock_.Now();
    s.timeline.push_back({"submitted", clock_.Now(), ""});
    tx.Evidence().InsertSubmission(s);
    return core::Ok();
  });
  ASSERT_TRUE(status.ok()) << status.error().message << " " << status.error().detail;
  auto refused =
      Fetch(port_, "DELETE", "/api/v1/files/" + submitted, {"X-Test-Principal: " + kAna});
  EXPECT_EQ(refused.status, 409);
  Documented(refused, "DELETE", "/api/v1/files/{id}");
  EXPECT_EQ(Fetch(port_, "DELETE", "/api/v1/files/" + loose, {"X-Test-Principal: " + kBen}).status,
            404);
  auto deleted = Fetch(port_, "DELETE", "/api/v1/files/" + loose, {"X-Test-Principal: " + kAna});
  EXPECT_EQ(deleted.status, 204);
  EXPECT_EQ(Fetch(port_, "GET", "/api/v1/files/" + loose, {"X-Test-Principal: " + kAna}).status,
            404);
  EXPECT_EQ(Fetch(port_, "GET", "/api/v1/files/" + submitted, {"X-Test-Principal: " + kAna}).status,
            200);
  // The cleanup job removes the deleted file's blob once past the grace period, and keeps the
  // other.
  clock_.Advance(std::chrono::hours(25));
  ASSERT_TRUE(uploads_->Cleanup());
  EXPECT_EQ(store_->ListBlobs().size(), 1u);
}

TEST_F(UploadsApi, PlayableVariantWaitsForTheTranscode) {
  std::string file_id = UploadWhole(MakePdf());
  auto r = Fetch(port_, "GET", "/api/v1/files/" + file_id + "/content?variant=playable",
                 {"X-Test-Principal: " + kAna});
  EXPECT_EQ(r.status, 200);  // a document plays (is shown) as stored
  auto bad = Fetch(port_, "GET", "/api/v1/files/" + file_id + "/content?variant=thumbnail",
                   {"X-Test-Principal: " + kAna});
  EXPECT_EQ(bad.status, 400);
}

TEST_F(UploadsApi, ExpectContinueIsAnsweredOnlyOnceTheRequestIsAccepted) {
  const std::string pdf = MakePdf();
  auto created = Create(static_cast<std::int64_t>(pdf.size()));
  const std::string location = created.Header("Location").value_or("");
  auto head = [&](const std::string& who, std::int64_t offset) {
    return "PATCH " + location +
           " HTTP/1.1\r\nHost: x\r\nTus-Resumable: 1.0.0\r\n"
           "X-Test-Principal: " +
           who + "\r\nUpload-Offset: " + std::to_string(offset) +
           "\r\nContent-Type: application/offset+octet-stream\r\nExpect: 100-continue\r\n"
           "Content-Length: " +
           std::to_string(pdf.size()) + "\r\n\r\n";
  };
  {
    // A refused request gets its answer without the client ever sending the body.
    testing::Connection c(port_);
    c.Send(head(kBen, 0));
    auto refused = c.Read();
    ASSERT_TRUE(refused);
    EXPECT_EQ(refused->status, 404);
  }
  testing::Connection c(port_);
  c.Send(head(kAna, 0));
  auto go_on = c.Read();
  ASSERT_TRUE(go_on);
  EXPECT_EQ(go_on->status, 100);
  c.Send(pdf);
  auto done = c.Read();
  ASSERT_TRUE(done);
  EXPECT_EQ(done->status, 204);
  EXPECT_TRUE(done->Header("Cairn-File-Id"));
}

TEST_F(UploadsApi, PhotosLoseTheirLocationAndAuthorBeforeTheyAreStored) {
  fs::path jpg = dir_ / "photo.jpg";
  std::string make =
      "ffmpeg -loglevel error -y -f lavfi -i testsrc=size=64x48:duration=1 -frames:v 1 '" +
      jpg.string() +
      "' && exiftool -q -overwrite_original -GPSLatitude=40.7128 "
      "-GPSLatitudeRef=N -GPSLongitude=74.0060 -GPSLongitudeRef=W "
      "-Artist='Ana Lopez' '" +
      jpg.string() + "'";
  ASSERT_EQ(std::system(make.c_str()), 0);
  const std::string original = ReadFile(jpg);
  ASSERT_NE(original.find("Ana Lopez"), std::string::npos);
  std::string file_id = UploadWhole(original, "photo.jpg", 0);
  ASSERT_TRUE(file_id.starts_with("fil_"));
  auto meta = Fetch(port_, "GET", "/api/v1/files/" + file_id, {"X-Test-Principal: " + kAna});
  EXPECT_EQ(meta.Json()["media_type"], "image/jpeg");
  EXPECT_EQ(meta.Json()["kind"], "image");
  auto content =
      Fetch(port_, "GET", "/api/v1/files/" + file_id + "/content", {"X-Test-Principal: " + kAna});
  ASSERT_EQ(content.status, 200);
  EXPECT_EQ(content.body.find("Ana Lopez"), std::string::npos);
  EXPECT_EQ(meta.Json()["sha256"], Sha256Hex(content.body));  // the hash is of what is stored
  EXPECT_EQ(meta.Json()["size"], content.body.size());
  fs::path stored = dir_ / "stored.jpg";
  { std::ofstream(stored, std::ios::binary) << content.body; }
  std::string check = "exiftool -q -q -GPSLatitude -Artist '" + stored.string() + "' > '" +
                      (dir_ / "exif.txt").string() + "'";
  ASSERT_EQ(std::system(check.c_str()), 0);
  EXPECT_EQ(ReadFile(dir_ / "exif.txt"), "") << "location or author left in the stored photo";
}

TEST_F(UploadsApi, ReviewersGetRecordingsWithoutWhereAndByWhomTheyWereMade) {
  // A phone video that browsers play as it is, and a voice memo: both name the teacher and the
  // video says where it was filmed.
  fs::path mp4 = dir_ / "phone.mp4";
  fs::path mp3 = dir_ / "memo.mp3";
  ASSERT_EQ(std::system(("ffmpeg -loglevel error -y -f lavfi -i testsrc=size=160x120:rate=10:duration=1 "
                         "-f lavfi -i sine=duration=1 -c:v libx264 -pix_fmt yuv420p -c:a aac -shortest "
                         "-metadata location=+48.8584+002.2945/ -metadata artist='Ana Lopez' '" +
                         mp4.string() + "'")
                            .c_str()),
            0);
  ASSERT_EQ(std::system(("ffmpeg -loglevel error -y -f lavfi -i sine=duration=1 -metadata artist='Ana Lopez' '" +
                         mp3.string() + "'")
                            .c_str()),
            0);
  reviewer_with_access_ = "usr_rita";
  for (const auto& [path, name] : {std::pair{mp4, "phone.mp4"}, std::pair{mp3, "memo.mp3"}}) {
    const std::string original = ReadFile(path);
    ASSERT_NE(original.find("Ana Lopez"), std::string::npos) << "the fixture carries the name";
    const std::string file_id = UploadWhole(original, name, 2);
    ASSERT_TRUE(file_id.starts_with("fil_")) << name;
    const std::string url = "/api/v1/files/" + file_id + "/content";
    // Until the job has made the copy, a reviewer gets nothing rather than the original.
    EXPECT_EQ(Fetch(port_, "GET", url, {"X-Test-Principal: " + kRita}).status, 409) << name;
    ASSERT_TRUE(uploads_->TranscodeFile(file_id));  // what the job worker runs
    auto seen = Fetch(port_, "GET", url, {"X-Test-Principal: " + kRita});
    ASSERT_EQ(seen.status, 200) << name << ": " << seen.body;
    EXPECT_EQ(seen.body.find("Ana Lopez"), std::string::npos) << name;
    EXPECT_EQ(seen.body.find("48.8584"), std::string::npos) << name;
    EXPECT_GT(seen.body.size(), 1000u) << name;
    // The educator still has what they uploaded.
    EXPECT_EQ(Fetch(port_, "GET", url, {"X-Test-Principal: " + kAna}).body, original) << name;
  }
}

TEST_F(UploadsApi, VideosThatNeedItGetAPlayableCopyFromTheTranscodeJob) {
  // MPEG-4 Part 2 in AVI: a video Chromium cannot play as it is.
  fs::path avi = dir_ / "clip.avi";
  std::string command =
      "ffmpeg -loglevel error -y -f lavfi -i testsrc=size=160x120:rate=10:duration=1 "
      "-c:v mpeg4 '" +
      avi.string() + "'";
  ASSERT_EQ(std::system(command.c_str()), 0);
  const std::string video = ReadFile(avi);
  std::string file_id = UploadWhole(video, "clip.avi", 2);
  ASSERT_TRUE(file_id.starts_with("fil_"));
  auto meta = Fetch(port_, "GET", "/api/v1/files/" + file_id, {"X-Test-Principal: " + kAna});
  EXPECT_EQ(meta.Json()["kind"], "video");
  EXPECT_EQ(meta.Json()["transcode_state"], "pending");
  EXPECT_EQ(Count("SELECT count(*) FROM jobs WHERE kind = 'media.transcode' AND payload LIKE '%" +
                  file_id + "%'"),
            1);
  auto waiting = Fetch(port_, "GET", "/api/v1/files/" + file_id + "/content?variant=playable",
                       {"X-Test-Principal: " + kAna});
  EXPECT_EQ(waiting.status, 409);

  ASSERT_TRUE(uploads_->TranscodeFile(file_id));  // what the job worker runs
  meta = Fetch(port_, "GET", "/api/v1/files/" + file_id, {"X-Test-Principal: " + kAna});
  json file = Documented(meta, "GET", "/api/v1/files/{id}");
  EXPECT_EQ(file["transcode_state"], "done");
  EXPECT_EQ(file["playable_url"], "/api/v1/files/" + file_id + "/content?variant=playable");
  auto playable = Fetch(port_, "GET", "/api/v1/files/" + file_id + "/content?variant=playable",
                        {"X-Test-Principal: " + kAna});
  ASSERT_EQ(playable.status, 200);
  EXPECT_EQ(playable.Header("Content-Type"), "video/mp4");
  EXPECT_EQ(playable.body.substr(4, 4), "ftyp");
  EXPECT_NE(Sha256Hex(playable.body), Sha256Hex(video));
  // The original stays available as uploaded.
  auto original =
      Fetch(port_, "GET", "/api/v1/files/" + file_id + "/content", {"X-Test-Principal: " + kAna});
  EXPECT_EQ(original.body, video);
  EXPECT_EQ(store_->ListBlobs().size(), 2u);
}

}  // namespace
}  // namespace cairn::http
