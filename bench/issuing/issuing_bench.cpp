// Bulk issuing: N awards end to end through the real Awarder (serialize the OB 3.0 credential,
// sign it with eddsa-rdfc-2022, allocate a random status index, store it with its audit record),
// committed in batches on a fresh SQLite database. The baseline, measured in the same run, is raw
// libsodium Ed25519 signing of the same credential's bytes on one core.
//
//   issuing_bench [N=100000] [BATCH=1000] [THREADS=2] [SUITE=eddsa-rdfc-2022|eddsa-jcs-2022]
#include <sodium.h>

#include <chrono>
#include <ctime>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "app/credentials/credentials.hpp"
#include "core/catalog/codec.hpp"
#include "core/catalog/repository.hpp"
#include "core/identity/repository.hpp"
#include "credentials/data_integrity.hpp"
#include "credentials/multikey.hpp"
#include "platform/credential_signer.hpp"
#include "storage/database.hpp"
#include "storage/sql_unit_of_work.hpp"

namespace {

using namespace cairn;
using Clock = std::chrono::steady_clock;

class WallClock final : public core::Clock {
 public:
  core::TimePoint Now() const override { return std::chrono::system_clock::now(); }
};

// Unique, cheap ids: the benchmark measures issuing, not id generation.
class CountingIds final : public core::IdGenerator {
 public:
  std::string NewId(std::string_view prefix) override {
    return std::string(prefix) + "_b" + std::to_string(next_.fetch_add(1));
  }

 private:
  std::atomic<long> next_{1};
};

void Check(const core::Status& s, const char* what) {
  if (!s.ok()) {
    std::fprintf(stderr, "%s: %s %s\n", what, s.error().message.c_str(), s.error().detail.c_str());
    std::exit(1);
  }
}

double Seconds(Clock::time_point from) {
  return std::chrono::duration<double>(Clock::now() - from).count();
}

}  // namespace

int main(int argc, char** argv) {
  const int total = argc > 1 ? std::atoi(argv[1]) : 100000;
  const int batch = argc > 2 ? std::atoi(argv[2]) : 1000;
  const int threads = argc > 3 ? std::atoi(argv[3]) : 2;
  const std::string suite = argc > 4 ? argv[4] : "eddsa-rdfc-2022";
  if (sodium_init() < 0 || total < 1 || batch < 1 || threads < 1) return 2;

  char tmpl[] = "/tmp/cairn-issuing-bench-XXXXXX";
  if (!mkdtemp(tmpl)) return 1;
  const std::string dir = tmpl;
  auto db = storage::Database::Open("sqlite:" + dir + "/cairn.db");
  if (!db.ok()) return 1;
  Check((*db)->Migrate(), "migrate");
  storage::SqlUnitOfWork uow(**db);
  WallClock clock;
  CountingIds ids;
  auto signer = platform::MakeCredentialSigner();
  std::array<unsigned char, 32> kek{};
  randombytes_buf(kek.data(), kek.size());
  app::credentials::KeyVault vault(kek);
  app::credentials::CredentialsContext ctx{uow, clock, ids, *signer, vault, "https://cairn.example"};
  app::credentials::CredentialAwarder awarder(ctx);

  // One issuer, one published micro-credential (the first demo one: 4 criteria, 3 alignments),
  // 1,000 educators who each earn many submissions' worth of credentials.
  std::ifstream in(std::string(CAIRN_SOURCE_DIR) + "/data/demo/microcredentials.json");
  std::stringstream text;
  text << in.rdbuf();
  nlohmann::json demo = nlohmann::json::parse(text.str())["micro_credentials"][0];
  demo.erase("issuer");
  auto content = core::catalog::DecodeContent(demo);
  if (!content.ok()) return 1;
  constexpr int kUsers = 1000;
  Check(uow.Write([&](core::Transaction& tx) -> core::Status {
          core::identity::Organization org{"org_issuer", "National Center for Teaching",
                                           core::identity::OrgKind::kNonprofit, "", true, clock.Now()};
          tx.Identity().InsertOrganization(org);
          core::awards::IssuerSettings settings;
          settings.issuer_id = org.id;
          settings.suite = suite;
          tx.Awards().PutSettings(settings);
          for (int i = 0; i < kUsers; ++i) {
            core::identity::User u;
            u.id = "usr_" + std::to_string(i);
            u.email = "educator" + std::to_string(i) + "@school.example";
            u.display_name = "Educator " + std::to_string(i);
            u.password_hash = "x";
            u.created_at = u.updated_at = clock.Now();
            tx.Identity().InsertUser(u);
          }
          core::catalog::MicroCredential mc;
          mc.id = "mc_bench";
          mc.issuer_id = "org_issuer";
          mc.issuer_name = "National Center for Teaching";
          mc.state = core::catalog::State::kPublished;
          mc.content = content.value();
          mc.created_at = mc.updated_at = clock.Now();
          mc.published_at = clock.Now();
          mc.created_by = "usr_0";
          return tx.Catalog().InsertVersion(mc, core::catalog::EncodeMicroCredential(mc).dump());
        }),
        "seed");

  std::vector<core::catalog::CriterionRating> ratings;
  for (const auto& c : content->rubric.criteria) ratings.push_back({c.id, c.levels.back().id});
  const auto request = [&](int i) {
    core::AwardRequest r;
    r.submission_id = "sub_" + std::to_string(i);
    r.enrolment_id = "enr_" + std::to_string(i);
    r.user_id = "usr_" + std::to_string(i % kUsers);
    r.issuer_id = "org_issuer";
    r.micro_credential_id = "mc_bench";
    r.version = 1;
    r.final_ratings = ratings;
    r.awarded_at = clock.Now();
    return r;
  };

  const auto start = Clock::now();
  const std::clock_t cpu_start = std::clock();
  for (int done = 0; done < total; done += batch) {
    const int n = std::min(batch, total - done);
    std::vector<core::AwardRequest> requests;
    for (int i = 0; i < n; ++i) requests.push_back(request(done + i));
    Check(uow.Write([&](core::Transaction& tx) -> core::Status {
            auto issued = awarder.AwardBatch(tx, requests, threads);
            if (!issued.ok()) return issued.error();
            return core::Ok();
          }),
          "award batch");
  }
  const double issuing_seconds = Seconds(start);
  // CPU time of all threads: on a shared, loaded machine wall time says more about the neighbours.
  const double issuing_cpu = double(std::clock() - cpu_start) / CLOCKS_PER_SEC;
  const double awards_per_second = total / issuing_seconds;

  // Check the result: every award stored once, and one credential verifies its own size.
  std::string sample;
  long long stored = 0;
  Check((*db)->Read([&](storage::Tx& tx) -> core::Status {
          tx.sql() << "SELECT COUNT(*) FROM credentials", soci::into(stored);
          tx.sql() << "SELECT signed_json FROM credentials WHERE submission_id = 'sub_0'", soci::into(sample);
          return core::Ok();
        }),
        "count");
  if (stored != total) {
    std::fprintf(stderr, "stored %lld credentials, expected %d\n", stored, total);
    return 1;
  }
  // A fast credential that does not verify is worth nothing: check the first and the last one
  // against the issuer's published key.
  std::string last;
  std::string public_multikey;
  Check((*db)->Read([&](storage::Tx& tx) -> core::Status {
          tx.sql() << "SELECT signed_json FROM credentials WHERE submission_id = :s",
              soci::use("sub_" + std::to_string(total - 1)), soci::into(last);
          return core::Ok();
        }),
        "last");
  Check(uow.Read([&](core::Transaction& tx) -> core::Status {
          public_multikey = tx.Awards().ActiveKey("org_issuer")->public_multikey;
          return core::Ok();
        }),
        "key");
  const auto key = credentials::multikey::DecodePublicKey(public_multikey);
  for (const std::string* text : {&sample, &last}) {
    const auto check = credentials::VerifyProof(
        nlohmann::json::parse(*text),
        [&](std::string_view) -> std::optional<credentials::ed25519::PublicKey> { return key; });
    if (!check.verified) {
      std::fprintf(stderr, "an issued credential does not verify: %s\n", check.error.c_str());
      return 1;
    }
  }

  // Idempotency in a batch: a submission already awarded and one repeated in the batch get the
  // credential they already have; only the new one is issued.
  std::vector<std::string> again;
  Check(uow.Write([&](core::Transaction& tx) -> core::Status {
          auto issued = awarder.AwardBatch(tx, {request(0), request(total), request(total)}, threads);
          if (!issued.ok()) return issued.error();
          again = std::move(issued).value();
          return core::Ok();
        }),
        "repeat batch");
  std::string first_id;
  Check((*db)->Read([&](storage::Tx& tx) -> core::Status {
          tx.sql() << "SELECT public_id FROM credentials WHERE submission_id = 'sub_0'", soci::into(first_id);
          tx.sql() << "SELECT COUNT(*) FROM credentials", soci::into(stored);
          return core::Ok();
        }),
        "repeat count");
  if (again.size() != 3 || again[0] != first_id || again[1] != again[2] || again[1] == first_id ||
      stored != total + 1) {
    std::fprintf(stderr, "a repeated batch issued the wrong credentials\n");
    return 1;
  }

  // Baseline: raw Ed25519 signing of the same bytes, one core.
  unsigned char pk[crypto_sign_PUBLICKEYBYTES], sk[crypto_sign_SECRETKEYBYTES], sig[crypto_sign_BYTES];
  crypto_sign_keypair(pk, sk);
  const int raw_n = 20000;
  const std::clock_t raw_cpu_start = std::clock();
  for (int i = 0; i < raw_n; ++i) {
    crypto_sign_detached(sig, nullptr, reinterpret_cast<const unsigned char*>(sample.data()),
                         sample.size(), sk);
  }
  const double raw_per_second = raw_n / (double(std::clock() - raw_cpu_start) / CLOCKS_PER_SEC);
  const double per_cpu_second = total / issuing_cpu;

  std::printf("bulk issuing (%s): %d awards in %.2f s (batches of %d, %d signing threads) = %.0f awards/s\n",
              suite.c_str(), total, issuing_seconds, batch, threads, awards_per_second);
  std::printf("credential size: %zu bytes (signed JSON); first and last verify\n", sample.size());
  std::printf("CPU time %.2f s (all threads) = %.0f awards per CPU-second\n", issuing_cpu, per_cpu_second);
  std::printf("raw libsodium Ed25519 sign of those bytes: %.0f signs per CPU-second\n", raw_per_second);
  std::printf("ratio awards per CPU-second : raw signs per CPU-second = %.3f\n", per_cpu_second / raw_per_second);
  std::printf("target >= 5000 awards/s: %s\n", awards_per_second >= 5000 ? "met" : "NOT met");
  std::filesystem::remove_all(dir);
  return awards_per_second >= 5000 ? 0 : 1;
}
