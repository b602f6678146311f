// Credentials: the key-encryption key, the signer, the Awarder the review decision calls, and the
// credential routes.
#include <spdlog/spdlog.h>
#include <sodium.h>
#include <sys/stat.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>

#include "app/credentials/credentials.hpp"
#include "core/awards/award_repository.hpp"
#include "core/ports/transaction.hpp"
#include "http/handlers/credential_handlers.hpp"
#include "platform/application.hpp"
#include "platform/credential_signer.hpp"
#include "platform/wiring.hpp"
#include "storage/database.hpp"

namespace cairn::platform {
namespace {

struct CredentialsArea {
  std::unique_ptr<core::Signer> signer;
  std::unique_ptr<app::credentials::KeyVault> vault;
  std::unique_ptr<app::credentials::CredentialsContext> ctx;
  std::unique_ptr<app::credentials::CredentialAwarder> awarder;
};

bool AnyIssuerKeys(Application& app) {
  bool any = false;
  auto status = app.database().Read([&](storage::Tx& tx) -> core::Status {
    int count = 0;
    tx.sql() << "SELECT COUNT(*) FROM issuer_keys", soci::into(count);
    any = count > 0;
    return core::Ok();
  });
  // No table yet (an unmigrated database, e.g. `cairn routes`) means nothing was ever sealed.
  (void)status;
  return any;
}

// The KEK must exist before Cairn seals anything with it. A fresh installation gets one (as
// `make run` does); once sealed keys exist, a missing KEK means those keys are lost, so Cairn
// refuses to start rather than silently make a new one.
app::credentials::KeyVault LoadVaultOrExit(Application& app) {
  const std::string& path = app.config().kek_file;
  std::error_code ec;
  if (!std::filesystem::exists(path, ec) && !AnyIssuerKeys(app)) {
    unsigned char kek[32];
    randombytes_buf(kek, sizeof kek);
    const mode_t old = ::umask(077);
    {
      std::ofstream out(path, std::ios::binary);
      out.write(reinterpret_cast<const char*>(kek), sizeof kek);
    }
    ::umask(old);
    ::chmod(path.c_str(), 0600);
    sodium_memzero(kek, sizeof kek);
    spdlog::warn("created a new key-encryption key at {} (mode 0600): back it up with the database",
                 path);
  }
  auto vault = app::credentials::KeyVault::Load(path);
  if (!vault.ok()) {
    spdlog::critical("cannot start: {}", vault.error().message);
    std::fprintf(stderr, "cairn: %s\n", vault.error().message.c_str());
    std::exit(2);
  }
  return vault.value();
}

}  // namespace

void WireCredentials(Wiring& w) {
  auto area = std::make_shared<CredentialsArea>();
  area->signer = MakeCredentialSigner();
  area->vault = std::make_unique<app::credentials::KeyVault>(LoadVaultOrExit(w.app));
  std::string public_url = w.app.config().public_url;
  while (!public_url.empty() && public_url.back() == '/') public_url.pop_back();
  area->ctx.reset(new app::credentials::CredentialsContext{
      w.app.unit_of_work(), w.app.clock(), w.app.ids(), *area->signer, *area->vault, public_url});
  area->awarder = std::make_unique<app::credentials::CredentialAwarder>(*area->ctx);
  w.app.areas().awarder = area->awarder.get();
  http::RegisterCredentialRoutes(w.router, *area->ctx);
  w.app.areas().keep.push_back(area);
}

}  // namespace cairn::platform
