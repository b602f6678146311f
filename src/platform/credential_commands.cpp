#include "platform/credential_commands.hpp"

#include <nlohmann/json.hpp>

#include <ostream>

#include "app/credentials/credentials.hpp"
#include "platform/application.hpp"
#include "platform/credential_signer.hpp"

namespace cairn::platform {
namespace {

// Listing and showing read stored documents only; nothing is signed, so no KEK is opened.
struct ReadOnlyCredentials {
  std::unique_ptr<core::Signer> signer = MakeCredentialSigner();
  app::credentials::KeyVault vault{std::array<unsigned char, 32>{}};
  app::credentials::CredentialsContext ctx;
  explicit ReadOnlyCredentials(Application& app)
      : ctx{app.unit_of_work(), app.clock(), app.ids(), *signer, vault, app.config().public_url} {}
};

}  // namespace

core::Status ListCredentials(Application& app, bool as_json, std::ostream& out) {
  ReadOnlyCredentials area(app);
  auto items = app::credentials::ListAll(area.ctx);
  if (!items.ok()) return items.error();
  if (as_json) {
    nlohmann::json list = nlohmann::json::array();
    for (const auto& s : *items) {
      list.push_back({{"id", s.id},
                      {"recipient_email", s.recipient_email},
                      {"micro_credential_id", s.micro_credential_id},
                      {"version", s.version},
                      {"title", s.title},
                      {"issuer_id", s.issuer_id},
                      {"issuer_name", s.issuer_name},
                      {"issued_at", s.issued_at},
                      {"status", s.status}});
    }
    out << list.dump(2) << "\n";
    return core::Ok();
  }
  for (const auto& s : *items) {
    out << s.id << "\t" << s.recipient_email << "\t" << s.micro_credential_id << " v" << s.version
        << " (" << s.title << ")\t" << s.issuer_id << " (" << s.issuer_name << ")\t" << s.issued_at
        << "\t" << s.status << "\n";
  }
  return core::Ok();
}

core::Status ShowCredential(Application& app, const std::string& id, std::ostream& out) {
  ReadOnlyCredentials area(app);
  // The operator sees every credential, private ones included.
  auto page = app::credentials::GetCredentialForPage(area.ctx, id);
  if (!page.ok()) return page.error();
  out << page->credential.dump(2) << "\n";
  return core::Ok();
}

}  // namespace cairn::platform
