#include "app/credentials/credentials.hpp"

#include <sodium.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <thread>

#include "app/identity/context.hpp"
#include "core/catalog/repository.hpp"
#include "core/evidence/file.hpp"
#include "core/identity/repository.hpp"

namespace cairn::app::credentials {
namespace {

using core::Error;
using core::awards::Award;
using core::awards::IssuerIdentity;
using core::awards::IssuerKey;
using core::awards::IssuerSettings;
using core::awards::StatusList;
using core::awards::Visibility;
using core::identity::Role;
using nlohmann::json;

constexpr std::int64_t kStatusListEntries = 131072;

bool IsIssuerAdmin(const Principal& p, const std::string& issuer_id) {
  return p.IsPlatformAdmin() || p.HasRoleIn(Role::kIssuerAdmin, issuer_id);
}

// "https://host:8443/x" → "host%3A8443": the did:web host part.
std::string DidWebHost(const std::string& public_url) {
  std::string rest = public_url.substr(public_url.find("://") + 3);
  rest = rest.substr(0, rest.find('/'));
  if (const auto colon = rest.find(':'); colon != std::string::npos)
    rest = rest.substr(0, colon) + "%3A" + rest.substr(colon + 1);
  return rest;
}

bool IsHttps(const std::string& url) { return url.rfind("https://", 0) == 0; }

std::string RandomHex(std::size_t bytes) {
  std::string raw(bytes, '\0');
  randombytes_buf(raw.data(), raw.size());
  std::string out(bytes * 2 + 1, '\0');
  sodium_bin2hex(out.data(), out.size(), reinterpret_cast<const unsigned char*>(raw.data()), bytes);
  out.pop_back();
  return out;
}

std::string HostedIssuerId(const CredentialsContext& ctx, const std::string& issuer_id) {
  if (IsHttps(ctx.public_url)) {
    // did:web paths follow the public URL's own path, so a Cairn under /cairn still resolves.
    std::string path = ctx.public_url.substr(ctx.public_url.find("://") + 3);
    const auto slash = path.find('/');
    path = slash == std::string::npos ? "" : path.substr(slash + 1);
    std::string did = "did:web:" + DidWebHost(ctx.public_url);
    std::string segment;
    for (char c : path + "/") {
      if (c == '/') {
        if (!segment.empty()) did += ":" + segment;
        segment.clear();
      } else {
        segment += c;
      }
    }
    return did + ":issuers:" + issuer_id;
  }
  return ctx.public_url + "/issuers/" + issuer_id;
}

// The first key of the issuer, created when missing. A did:key issuer's identity is this key.
IssuerKey EnsureKey(core::Transaction& tx, CredentialsContext& ctx, const std::string& issuer_id) {
  if (auto key = tx.Awards().ActiveKey(issuer_id)) return *key;
  const core::SigningKey fresh = ctx.signer.GenerateKey();
  const SealedSecret sealed = ctx.vault.Seal(fresh.seed);
  IssuerKey key;
  key.id = ctx.ids.NewId("key");
  key.issuer_id = issuer_id;
  key.public_multikey = fresh.public_multikey;
  key.sealed_nonce_hex = sealed.nonce_hex;
  key.sealed_secret_hex = sealed.ciphertext_hex;
  key.created_at = ctx.clock.Now();
  tx.Awards().InsertKey(key);
  identity::Audit(tx, "system", "issuer_key.create", "issuer_key", key.id, "", "active", key.created_at,
                  {{"issuer_id", issuer_id}, {"public_key", key.public_multikey}});
  return key;
}

core::Result<core::SigningKey> OpenKey(CredentialsContext& ctx, const IssuerKey& key) {
  {
    std::lock_guard lock(ctx.mutex);
    if (auto it = ctx.open_keys.find(key.id); it != ctx.open_keys.end()) return it->second;
  }
  auto seed = ctx.vault.Open({key.sealed_nonce_hex, key.sealed_secret_hex});
  if (!seed.ok()) return seed.error();
  core::SigningKey open{std::move(seed).value(), key.public_multikey};
  std::lock_guard lock(ctx.mutex);
  ctx.open_keys[key.id] = open;
  return open;
}

std::string VerificationMethod(const CredentialsContext& ctx, const IssuerProfile& issuer,
                               const IssuerKey& key) {
  (void)ctx;
  if (issuer.id.rfind("did:key:", 0) == 0) return issuer.id + "#" + key.public_multikey;
  return issuer.id + "#" + key.id;
}

core::Result<json> SignWithIssuerKey(core::Transaction& tx, CredentialsContext& ctx,
                                     const IssuerProfile& issuer, const std::string& issuer_id,
                                     const json& document, const std::string& suite) {
  const IssuerKey key = EnsureKey(tx, ctx, issuer_id);
  auto open = OpenKey(ctx, key);
  if (!open.ok()) return open.error();
  core::SignOptions options;
  options.suite = suite;
  options.verification_method = VerificationMethod(ctx, issuer, key);
  options.created = DateTime(ctx.clock.Now());
  return ctx.signer.Sign(document, open.value(), options);
}

// Rebuilds and re-signs a status list from the revoked credentials that point into it.
core::Status SignStatusList(core::Transaction& tx, CredentialsContext& ctx, const StatusList& list,
                            std::int64_t version) {
  const IssuerProfile issuer = IssuerProfileFor(tx, ctx, list.issuer_id);
  const std::string encoded =
      ctx.signer.EncodeStatusList(list.size, tx.Awards().RevokedIndexes(list.id));
  const auto now = ctx.clock.Now();
  const json unsigned_list =
      SerializeStatusListCredentialV1(StatusListUrl(ctx, list.id), issuer, encoded, now);
  // Status lists always use RDFC: verifiers that only check lists know this suite.
  auto signed_list =
      SignWithIssuerKey(tx, ctx, issuer, list.issuer_id, unsigned_list, "eddsa-rdfc-2022");
  if (!signed_list.ok()) return signed_list.error();
  tx.Awards().UpdateStatusListSignature(list.id, version, now, signed_list->dump());
  return core::Ok();
}

core::Result<StatusList> EnsureStatusList(core::Transaction& tx, CredentialsContext& ctx,
                                          const std::string& issuer_id) {
  if (auto open = tx.Awards().OpenStatusList(issuer_id, "revocation")) return *open;
  StatusList list;
  list.id = ctx.ids.NewId("sl");
  list.issuer_id = issuer_id;
  list.size = kStatusListEntries;
  list.updated_at = ctx.clock.Now();
  tx.Awards().InsertStatusList(list);
  auto signed_status = SignStatusList(tx, ctx, list, 1);
  if (!signed_status.ok()) return signed_status.error();
  return list;
}

// A random unused index: indexes in order would tell a verifier how many credentials the issuer
// gave out before this one. Lists are closed at half full, so this loop ends quickly.
std::int64_t AllocateIndex(core::Transaction& tx, const StatusList& list) {
  while (true) {
    const auto index = static_cast<std::int64_t>(randombytes_uniform(static_cast<std::uint32_t>(list.size)));
    if (!tx.Awards().IndexInUse(list.id, index)) {
      tx.Awards().CountAllocation(list.id);
      return index;
    }
  }
}

core::Result<std::shared_ptr<const core::catalog::MicroCredential>> PinnedVersion(
    core::Transaction& tx, CredentialsContext& ctx, const std::string& id, int version) {
  const std::string key = id + "/" + std::to_string(version);
  {
    std::lock_guard lock(ctx.mutex);
    if (auto it = ctx.versions.find(key); it != ctx.versions.end()) return it->second;
  }
  auto mc = tx.Catalog().GetVersion(id, version);
  if (!mc.ok()) return mc.error();
  auto shared = std::make_shared<const core::catalog::MicroCredential>(std::move(mc).value());
  if (shared->state != core::catalog::State::kDraft) {
    std::lock_guard lock(ctx.mutex);
    ctx.versions[key] = shared;
  }
  return shared;
}

std::string AchievementUrl(const CredentialsContext& ctx, const std::string& mc, int version) {
  return ctx.public_url + "/api/v1/micro-credentials/" + mc + "/versions/" + std::to_string(version);
}

std::string BadgeUrl(const CredentialsContext& ctx, const std::string& mc, int version) {
  return ctx.public_url + "/badges/" + mc + "/" + std::to_string(version) + ".png";
}

std::string Title(const json& credential) {
  const auto subject = credential.find("credentialSubject");
  if (subject == credential.end() || !subject->is_object()) return "";
  const auto achievement = subject->find("achievement");
  if (achievement == subject->end() || !achievement->is_object()) return "";
  return achievement->value("name", "");
}

CredentialSummary Summarize(const CredentialsContext& ctx, const Award& a, core::TimePoint now) {
  CredentialSummary s;
  s.id = a.id;
  s.url = CredentialUrl(ctx, a.id);
  s.micro_credential_id = a.micro_credential_id;
  s.version = a.version;
  s.issuer_id = a.issuer_id;
  s.user_id = a.user_id;
  s.issued_at = core::FormatTime(a.issued_at);
  if (a.valid_until) s.valid_until = core::FormatTime(*a.valid_until);
  if (a.revoked_at) s.revoked_at = core::FormatTime(*a.revoked_at);
  s.revocation_reason = a.revocation_reason;
  s.status = a.revoked_at ? "revoked" : (a.valid_until && *a.valid_until < now ? "expired" : "active");
  s.visibility = std::string(ToString(a.visibility));
  const json doc = json::parse(a.signed_json, nullptr, false);
  if (doc.is_object()) {
    s.title = Title(doc);
    if (doc.contains("issuer") && doc["issuer"].is_object())
      s.issuer_name = doc["issuer"].value("name", "");
  }
  return s;
}

std::vector<CredentialSummary> SummarizeAll(core::Transaction& tx, const CredentialsContext& ctx,
                                            const std::vector<Award>& awards, bool with_email) {
  const auto now = ctx.clock.Now();
  std::map<std::string, std::string> emails;
  std::vector<CredentialSummary> out;
  out.reserve(awards.size());
  for (const auto& a : awards) {
    CredentialSummary s = Summarize(ctx, a, now);
    if (with_email) {
      auto it = emails.find(a.user_id);
      if (it == emails.end()) {
        const auto user = tx.Identity().FindUserById(a.user_id);
        it = emails.emplace(a.user_id, user ? user->email : "").first;
      }
      s.recipient_email = it->second;
    }
    out.push_back(std::move(s));
  }
  return out;
}

KeyView ViewKey(const IssuerProfile& issuer, const IssuerKey& k, const CredentialsContext& ctx) {
  KeyView v;
  v.id = k.id;
  v.public_multikey = k.public_multikey;
  v.verification_method = VerificationMethod(ctx, issuer, k);
  v.created_at = core::FormatTime(k.created_at);
  if (k.retired_at) v.retired_at = core::FormatTime(*k.retired_at);
  return v;
}

core::Status RequireIssuer(core::Transaction& tx, const std::string& issuer_id) {
  const auto org = tx.Identity().FindOrganization(issuer_id);
  if (!org || !org->issuer) return Error::NotFound("no issuer with this id");
  return core::Ok();
}

}  // namespace

std::string StatusListUrl(const CredentialsContext& ctx, const std::string& list_id) {
  return ctx.public_url + "/status-lists/" + list_id;
}

std::string CredentialUrl(const CredentialsContext& ctx, const std::string& credential_id) {
  return ctx.public_url + "/credentials/" + credential_id;
}

IssuerProfile IssuerProfileFor(core::Transaction& tx, CredentialsContext& ctx,
                               const std::string& issuer_id) {
  IssuerProfile p;
  p.url = ctx.public_url + "/issuers/" + issuer_id;
  if (issuer_id == kPlatformIssuer) {
    p.name = ctx.platform_name;
    p.id = HostedIssuerId(ctx, issuer_id);
    return p;
  }
  if (const auto org = tx.Identity().FindOrganization(issuer_id)) p.name = org->name;
  const IssuerSettings settings = tx.Awards().GetSettings(issuer_id);
  if (settings.identity == IssuerIdentity::kDidKey) {
    const IssuerKey key = EnsureKey(tx, ctx, issuer_id);
    p.id = ctx.signer.DidKey(key.public_multikey);
  } else {
    p.id = HostedIssuerId(ctx, issuer_id);
  }
  return p;
}

// Everything an award needs before its signature: the row, the unsigned document and the key.
struct CredentialAwarder::Prepared {
  core::awards::Award award;
  json document;
  core::SigningKey key;
  core::SignOptions options;
  std::string existing_id;  // set when the submission already has its credential
};

// Per-transaction memory of a batch.
struct CredentialAwarder::BatchState {
  struct Issuer {
    IssuerSettings settings;
    IssuerProfile profile;
    IssuerKey key;
    core::SigningKey signing_key;
    std::optional<StatusList> list;
  };
  std::map<std::string, Issuer> issuers;
  // Achievements by issuer, micro-credential and version: identical for every award of them.
  std::map<std::string, std::shared_ptr<const json>> achievements;
  std::set<std::pair<std::string, std::int64_t>> taken;  // status indexes allocated, not stored yet
};

core::Result<CredentialAwarder::Prepared> CredentialAwarder::Prepare(
    core::Transaction& tx, const core::AwardRequest& request, BatchState& batch) {
  Prepared p;
  if (auto existing = tx.Awards().FindAwardBySubmission(request.submission_id)) {
    p.existing_id = existing->id;
    return p;
  }
  auto pinned = PinnedVersion(tx, ctx_, request.micro_credential_id, request.version);
  if (!pinned.ok()) return pinned.error();
  const core::catalog::MicroCredential* mc = pinned->get();
  // Each result must name a level of the pinned rubric, or the credential would point nowhere.
  for (std::size_t i = 0; i < request.final_ratings.size(); ++i) {
    const auto& rating = request.final_ratings[i];
    bool known = false;
    for (const auto& criterion : mc->content.rubric.criteria)
      known |= criterion.id == rating.criterion_id &&
               core::catalog::LevelRank(criterion, rating.level_id) >= 0;
    if (!known) {
      return Error::InvalidInput("a rating names no level of the pinned rubric",
                                 {{"/final_ratings/" + std::to_string(i), "unknown criterion or level"}});
    }
  }
  const auto user = tx.Identity().FindUserById(request.user_id);
  if (!user) return Error::NotFound("the educator of this submission no longer exists");
  const std::string issuer_id = request.issuer_id.empty() ? mc->issuer_id : request.issuer_id;

  // What belongs to the issuer is read once per transaction: a batch of thousands signs with the
  // same key, profile and settings.
  auto cached = batch.issuers.find(issuer_id);
  if (cached == batch.issuers.end()) {
    BatchState::Issuer state;
    state.settings = tx.Awards().GetSettings(issuer_id);
    state.profile = IssuerProfileFor(tx, ctx_, issuer_id);
    state.key = EnsureKey(tx, ctx_, issuer_id);
    auto open = OpenKey(ctx_, state.key);
    if (!open.ok()) return open.error();
    state.signing_key = std::move(open).value();
    cached = batch.issuers.emplace(issuer_id, std::move(state)).first;
  }
  BatchState::Issuer& state = cached->second;
  if (!state.list || state.list->allocated * 2 >= state.list->size) {
    auto list = EnsureStatusList(tx, ctx_, issuer_id);
    if (!list.ok()) return list.error();
    state.list = std::move(list).value();
  }
  const IssuerSettings& settings = state.settings;
  const IssuerProfile& issuer = state.profile;
  const StatusList* list = &*state.list;

  core::awards::Award& award = p.award;
  award.id = ctx_.ids.NewId("cred");
  award.submission_id = request.submission_id;
  award.user_id = request.user_id;
  award.issuer_id = issuer_id;
  award.micro_credential_id = request.micro_credential_id;
  award.version = request.version;
  award.status_list_id = list->id;
  do {
    award.status_index = AllocateIndex(tx, *list);
  } while (!batch.taken.insert({list->id, award.status_index}).second);
  ++state.list->allocated;
  award.issued_at = request.awarded_at == core::TimePoint{} ? ctx_.clock.Now() : request.awarded_at;
  if (settings.valid_days) award.valid_until = award.issued_at + std::chrono::days(*settings.valid_days);

  OpenBadgeInput input;
  input.credential_id = CredentialUrl(ctx_, award.id);
  input.achievement_id = AchievementUrl(ctx_, award.micro_credential_id, award.version);
  input.image_url = mc->content.image_url.empty()
                        ? BadgeUrl(ctx_, award.micro_credential_id, award.version)
                        : mc->content.image_url;
  input.issuer = issuer;
  input.ratings = request.final_ratings;
  for (const auto& file_id : request.shareable_file_ids) {
    const auto file = tx.Files().FindFile(file_id);
    if (!file || file->deleted || file->owner_id != request.user_id) continue;
    input.evidence.push_back({input.credential_id + "#evidence-" + file->id, file->filename, "",
                              std::string(core::catalog::ToString(file->kind))});
  }
  input.recipient_email = user->email;
  input.identity_salt = RandomHex(16);
  input.valid_from = award.issued_at;
  input.valid_until = award.valid_until;
  input.status = {StatusListUrl(ctx_, list->id), award.status_index};
  const std::string achievement_key =
      issuer_id + '\n' + award.micro_credential_id + '\n' + std::to_string(award.version);
  auto achievement = batch.achievements.find(achievement_key);
  if (achievement == batch.achievements.end()) {
    input.micro_credential = *mc;
    achievement = batch.achievements
                      .emplace(achievement_key,
                               std::make_shared<const json>(SerializeAchievementV1(input)))
                      .first;
  }
  // The signer puts the Achievement in: every award of this version carries the same one, and
  // it is most of what is canonicalized and written.
  p.document = SerializeOpenBadgeCredentialV1(input, nullptr, mc->content.title);
  p.options.shared_member = kAchievementPointer;
  p.options.shared_value = achievement->second;

  p.key = state.signing_key;
  p.options.suite = settings.suite;
  p.options.verification_method = VerificationMethod(ctx_, issuer, state.key);
  p.options.created = DateTime(award.issued_at);
  return p;
}

core::Status CredentialAwarder::Store(core::Transaction& tx, Prepared& p) {
  tx.Awards().InsertAward(p.award);
  identity::Audit(tx, "system", "credential.issue", "credential", p.award.id, "", "active",
                  p.award.issued_at,
                  {{"submission_id", p.award.submission_id},
                   {"micro_credential_id", p.award.micro_credential_id},
                   {"version", p.award.version}});
  return core::Ok();
}

core::Result<std::string> CredentialAwarder::Award(core::Transaction& tx,
                                                   const core::AwardRequest& request) {
  BatchState batch;
  auto prepared = Prepare(tx, request, batch);
  if (!prepared.ok()) return prepared.error();
  Prepared& p = prepared.value();
  if (!p.existing_id.empty()) return p.existing_id;
  auto signed_text = ctx_.signer.SignToText(std::move(p.document), p.key, p.options);
  if (!signed_text.ok()) return signed_text.error();
  p.award.signed_json = std::move(signed_text).value();
  if (auto stored = Store(tx, p); !stored.ok()) return stored.error();
  return p.award.id;
}

namespace {

// The hand-off between the thread that prepares and stores (it alone touches the transaction)
// and the signing threads: item i may be signed once ready > i, and stored once done[i].
struct SigningQueue {
  std::mutex mutex;
  std::condition_variable changed;
  std::size_t ready = 0;  // items prepared so far, in order
  std::size_t next = 0;   // next item to sign
  bool closed = false;    // no more items will be prepared
  std::vector<char> done;
  std::optional<core::Error> error;

  // The next item to sign, or nullopt when there is none now (wait) or ever (closed).
  std::optional<std::size_t> Take() {
    if (error || next >= ready) return std::nullopt;
    return next++;
  }
  void Close() {
    std::lock_guard lock(mutex);
    closed = true;
    changed.notify_all();
  }
};

}  // namespace

core::Result<std::vector<std::string>> CredentialAwarder::AwardBatch(
    core::Transaction& tx, const std::vector<core::AwardRequest>& requests, int threads) {
  // A pipeline: this thread prepares the items in order (reads and allocations), the signing
  // threads start on each as soon as it is prepared, and this thread stores them in order as
  // they come back signed, signing itself whenever the next one to store is not done yet. With
  // two cores, preparing and storing no longer leave the other core idle.
  const std::size_t n = requests.size();
  std::vector<Prepared> prepared(n);
  SigningQueue queue;
  queue.done.assign(n, 0);
  const auto sign = [&](std::size_t i) {
    Prepared& p = prepared[i];
    std::optional<core::Error> error;
    if (p.existing_id.empty()) {
      try {
        auto signed_text = ctx_.signer.SignToText(std::move(p.document), p.key, p.options);
        if (signed_text.ok()) {
          p.award.signed_json = std::move(signed_text).value();
        } else {
          error = signed_text.error();
        }
      } catch (const std::exception& e) {
        error = Error::Internal(std::string("could not sign the credential: ") + e.what());
      }
    }
    std::lock_guard lock(queue.mutex);
    if (error && !queue.error) queue.error = std::move(error);
    queue.done[i] = 1;
    queue.changed.notify_all();
  };
  const auto worker = [&] {
    std::unique_lock lock(queue.mutex);
    for (;;) {
      queue.changed.wait(lock, [&] { return queue.error || queue.next < queue.ready || queue.closed; });
      const auto i = queue.Take();
      if (!i) {
        if (queue.error || queue.closed) return;
        continue;
      }
      lock.unlock();
      sign(*i);
      lock.lock();
    }
  };
  std::vector<std::thread> pool;
  // Every exit, including a repository exception, closes the queue and joins the threads.
  struct Joiner {
    SigningQueue& queue;
    std::vector<std::thread>& pool;
    ~Joiner() {
      queue.Close();
      for (auto& t : pool) t.join();
    }
  } joiner{queue, pool};
  for (int t = 1; t < threads; ++t) pool.emplace_back(worker);

  BatchState batch;
  std::map<std::string, std::size_t> by_submission;
  for (std::size_t k = 0; k < n; ++k) {
    const auto& request = requests[k];
    if (auto seen = by_submission.find(request.submission_id); seen != by_submission.end()) {
      prepared[k].existing_id = "=" + std::to_string(seen->second);
    } else {
      auto p = Prepare(tx, request, batch);
      if (!p.ok()) return p.error();
      by_submission[request.submission_id] = k;
      prepared[k] = std::move(p).value();
    }
    std::lock_guard lock(queue.mutex);
    queue.ready = k + 1;
    queue.changed.notify_one();
  }
  queue.Close();

  std::vector<std::string> ids;
  ids.reserve(n);
  for (std::size_t k = 0; k < n; ++k) {
    {
      std::unique_lock lock(queue.mutex);
      while (!queue.done[k] && !queue.error) {
        if (const auto i = queue.Take()) {
          lock.unlock();
          sign(*i);
          lock.lock();
        } else {
          queue.changed.wait(lock);
        }
      }
      if (queue.error) return *queue.error;
    }
    Prepared& p = prepared[k];
    if (p.existing_id.empty()) {
      if (auto stored = Store(tx, p); !stored.ok()) return stored.error();
      ids.push_back(p.award.id);
    } else if (p.existing_id[0] == '=') {
      ids.push_back(prepared[std::stoul(p.existing_id.substr(1))].award.id);
    } else {
      ids.push_back(p.existing_id);
    }
  }
  return ids;
}

core::Result<std::vector<KeyView>> ListKeys(CredentialsContext& ctx, const Principal& actor,
                                            const std::string& issuer_id) {
  std::vector<KeyView> out;
  auto status = ctx.uow.Write([&](core::Transaction& tx) -> core::Status {
    if (auto ok = RequireIssuer(tx, issuer_id); !ok.ok()) return ok;
    if (!IsIssuerAdmin(actor, issuer_id)) return Error::Forbidden("only the issuer's admins see its keys");
    const IssuerProfile issuer = IssuerProfileFor(tx, ctx, issuer_id);
    for (const auto& k : tx.Awards().ListKeys(issuer_id)) out.push_back(ViewKey(issuer, k, ctx));
    return core::Ok();
  });
  if (!status.ok()) return status.error();
  return out;
}

core::Result<KeyView> RotateKey(CredentialsContext& ctx, const Principal& actor,
                                const std::string& issuer_id) {
  KeyView view;
  auto status = ctx.uow.Write([&](core::Transaction& tx) -> core::Status {
    if (auto ok = RequireIssuer(tx, issuer_id); !ok.ok()) return ok;
    if (!IsIssuerAdmin(actor, issuer_id)) return Error::Forbidden("only the issuer's admins rotate its keys");
    if (tx.Awards().GetSettings(issuer_id).identity == IssuerIdentity::kDidKey) {
      return Error::InvalidState(
          "this issuer signs as did:key, whose identifier is its key: a did:key cannot rotate");
    }
    const auto now = ctx.clock.Now();
    std::string retired;
    if (auto active = tx.Awards().ActiveKey(issuer_id)) {
      tx.Awards().RetireKey(active->id, now);
      retired = active->id;
    }
    const IssuerKey key = EnsureKey(tx, ctx, issuer_id);
    identity::Audit(tx, actor.user_id, "issuer_key.rotate", "issuer_key", key.id, retired, key.id, now,
                    {{"issuer_id", issuer_id}});
    view = ViewKey(IssuerProfileFor(tx, ctx, issuer_id), key, ctx);
    return core::Ok();
  });
  if (!status.ok()) return status.error();
  return view;
}

core::Result<IssuerSettings> GetSettings(CredentialsContext& ctx, const Principal& actor,
                                         const std::string& issuer_id) {
  IssuerSettings out;
  auto status = ctx.uow.Read([&](core::Transaction& tx) -> core::Status {
    if (auto ok = RequireIssuer(tx, issuer_id); !ok.ok()) return ok;
    if (!IsIssuerAdmin(actor, issuer_id)) return Error::Forbidden("only the issuer's admins see its settings");
    out = tx.Awards().GetSettings(issuer_id);
    return core::Ok();
  });
  if (!status.ok()) return status.error();
  return out;
}

core::Result<IssuerSettings> PutSettings(CredentialsContext& ctx, const Principal& actor,
                                         const IssuerSettings& settings) {
  std::vector<core::FieldError> fields;
  if (settings.suite != "eddsa-rdfc-2022" && settings.suite != "eddsa-jcs-2022")
    fields.push_back({"/suite", "must be eddsa-rdfc-2022 or eddsa-jcs-2022"});
  if (settings.valid_days && (*settings.valid_days < 1 || *settings.valid_days > 36500))
    fields.push_back({"/valid_days", "must be 1 to 36500 days, or null for no expiry"});
  if (!fields.empty()) return Error::InvalidInput("invalid credential settings", fields);
  auto status = ctx.uow.Write([&](core::Transaction& tx) -> core::Status {
    if (auto ok = RequireIssuer(tx, settings.issuer_id); !ok.ok()) return ok;
    if (!IsIssuerAdmin(actor, settings.issuer_id))
      return Error::Forbidden("only the issuer's admins change its settings");
    const IssuerSettings before = tx.Awards().GetSettings(settings.issuer_id);
    if (before.identity != settings.identity && !tx.Awards().ListKeys(settings.issuer_id).empty()) {
      return Error::InvalidState(
          "the issuer's identity names every credential it has signed and cannot change once it "
          "has a key");
    }
    tx.Awards().PutSettings(settings);
    identity::Audit(tx, actor.user_id, "issuer.credential_settings", "organization", settings.issuer_id,
                    "", "", ctx.clock.Now(),
                    {{"identity", ToString(settings.identity)},
                     {"suite", settings.suite},
                     {"valid_days", settings.valid_days ? json(*settings.valid_days) : json()}});
    return core::Ok();
  });
  if (!status.ok()) return status.error();
  return settings;
}

core::Result<json> ControllerDocument(CredentialsContext& ctx, const std::string& issuer_id,
                                      bool did_document) {
  json out;
  // A Write, because an issuer gets its first key the first time anyone asks for its document.
  auto status = ctx.uow.Write([&](core::Transaction& tx) -> core::Status {
    if (issuer_id != kPlatformIssuer) {
      if (auto ok = RequireIssuer(tx, issuer_id); !ok.ok()) return ok;
    }
    const IssuerProfile issuer = IssuerProfileFor(tx, ctx, issuer_id);
    if (did_document && issuer.id.rfind("did:web:", 0) != 0)
      return Error::NotFound("this issuer is not identified by did:web");
    EnsureKey(tx, ctx, issuer_id);
    std::vector<PublishedKey> keys;
    for (const auto& k : tx.Awards().ListKeys(issuer_id))
      keys.push_back({VerificationMethod(ctx, issuer, k), k.public_multikey});
    out = SerializeControllerDocumentV1(issuer, keys, did_document);
    return core::Ok();
  });
  if (!status.ok()) return status.error();
  return out;
}

core::Result<StatusListView> GetStatusList(CredentialsContext& ctx, const std::string& list_id) {
  StatusListView out;
  auto status = ctx.uow.Read([&](core::Transaction& tx) -> core::Status {
    const auto list = tx.Awards().FindStatusList(list_id);
    if (!list || list->signed_json.empty()) return Error::NotFound("no status list with this id");
    out.json = list->signed_json;
    out.version = list->version;
    return core::Ok();
  });
  if (!status.ok()) return status.error();
  return out;
}

core::Result<std::string> BadgePng(CredentialsContext& ctx, const std::string& micro_credential_id,
                                   int version) {
  const std::string key = micro_credential_id + "/" + std::to_string(version);
  {
    std::lock_guard lock(ctx.mutex);
    if (auto it = ctx.badge_pngs.find(key); it != ctx.badge_pngs.end()) return it->second;
  }
  core::catalog::MicroCredential mc;
  auto status = ctx.uow.Read([&](core::Transaction& tx) -> core::Status {
    auto found = tx.Catalog().GetVersion(micro_credential_id, version);
    if (!found.ok() || found->state == core::catalog::State::kDraft)
      return Error::NotFound("no published micro-credential version with this id");
    mc = std::move(found).value();
    return core::Ok();
  });
  if (!status.ok()) return status.error();
  std::string png = ctx.signer.RenderBadgePng(mc.content.title, mc.issuer_name);
  std::lock_guard lock(ctx.mutex);
  ctx.badge_pngs[key] = png;
  return png;
}

core::Result<std::vector<CredentialSummary>> ListMine(CredentialsContext& ctx, const Principal& actor) {
  std::vector<CredentialSummary> out;
  auto status = ctx.uow.Read([&](core::Transaction& tx) -> core::Status {
    out = SummarizeAll(tx, ctx, tx.Awards().ListAwards({actor.user_id, ""}), false);
    return core::Ok();
  });
  if (!status.ok()) return status.error();
  return out;
}

core::Result<std::vector<CredentialSummary>> ListIssuerAwards(CredentialsContext& ctx,
                                                              const Principal& actor,
                                                              const std::string& issuer_id) {
  std::vector<CredentialSummary> out;
  auto status = ctx.uow.Read([&](core::Transaction& tx) -> core::Status {
    if (auto ok = RequireIssuer(tx, issuer_id); !ok.ok()) return ok;
    if (!IsIssuerAdmin(actor, issuer_id)) return Error::Forbidden("only the issuer's admins list its awards");
    out = SummarizeAll(tx, ctx, tx.Awards().ListAwards({"", issuer_id}), true);
    return core::Ok();
  });
  if (!status.ok()) return status.error();
  return out;
}

core::Result<std::vector<CredentialSummary>> ListAll(CredentialsContext& ctx) {
  std::vector<CredentialSummary> out;
  auto status = ctx.uow.Read([&](core::Transaction& tx) -> core::Status {
    out = SummarizeAll(tx, ctx, tx.Awards().ListAwards({}), true);
    return core::Ok();
  });
  if (!status.ok()) return status.error();
  return out;
}

std::string AwardsCsv(const std::vector<CredentialSummary>& awards) {
  const auto cell = [](std::string value) {
    // A cell a spreadsheet would evaluate is turned into text (OWASP CSV injection).
    if (!value.empty() && (value[0] == '=' || value[0] == '+' || value[0] == '-' || value[0] == '@' ||
                           value[0] == '\t' || value[0] == '\r'))
      value.insert(value.begin(), '\'');
    if (value.find_first_of(",\"\r\n") == std::string::npos) return value;
    std::string quoted = "\"";
    for (char c : value) {
      if (c == '"') quoted += '"';
      quoted += c;
    }
    return quoted + "\"";
  };
  std::string out =
      "id,recipient_email,micro_credential_id,version,title,issued_at,valid_until,status,"
      "revoked_at,revocation_reason,url\r\n";
  for (const auto& a : awards) {
    out += cell(a.id) + "," + cell(a.recipient_email) + "," + cell(a.micro_credential_id) + "," +
           std::to_string(a.version) + "," + cell(a.title) + "," + cell(a.issued_at) + "," +
           cell(a.valid_until.value_or("")) + "," + cell(a.status) + "," +
           cell(a.revoked_at.value_or("")) + "," + cell(a.revocation_reason) + "," + cell(a.url) +
           "\r\n";
  }
  return out;
}

core::Result<CredentialDocument> GetCredential(CredentialsContext& ctx,
                                               const std::optional<Principal>& viewer,
                                               const std::string& id) {
  CredentialDocument out;
  auto status = ctx.uow.Read([&](core::Transaction& tx) -> core::Status {
    const auto award = tx.Awards().FindAward(id);
    if (!award) return Error::NotFound("no credential with this id");
    const bool owner = viewer && viewer->user_id == award->user_id;
    if (award->visibility == Visibility::kPrivate && !owner) {
      const auto s = Summarize(ctx, *award, ctx.clock.Now());
      out.full = false;
      out.json = json{{"id", CredentialUrl(ctx, award->id)},
                      {"private", true},
                      {"status", s.status},
                      {"valid", s.status == "active"}}
                     .dump();
      return core::Ok();
    }
    out.json = award->signed_json;
    return core::Ok();
  });
  if (!status.ok()) return status.error();
  return out;
}

core::Result<CredentialSummary> SetVisibility(CredentialsContext& ctx, const Principal& actor,
                                              const std::string& id, Visibility v) {
  CredentialSummary out;
  auto status = ctx.uow.Write([&](core::Transaction& tx) -> core::Status {
    auto award = tx.Awards().FindAward(id);
    // Someone else's credential: as if it did not exist (a private one must not be confirmed).
    if (!award || award->user_id != actor.user_id) return Error::NotFound("no credential with this id");
    const std::string before(ToString(award->visibility));
    tx.Awards().SetVisibility(id, v);
    award->visibility = v;
    identity::Audit(tx, actor.user_id, "credential.visibility", "credential", id, before,
                    ToString(v), ctx.clock.Now());
    out = Summarize(ctx, *award, ctx.clock.Now());
    return core::Ok();
  });
  if (!status.ok()) return status.error();
  return out;
}

core::Result<CredentialSummary> Revoke(CredentialsContext& ctx, const Principal& actor,
                                       const std::string& id, const std::string& reason) {
  std::string trimmed = reason;
  while (!trimmed.empty() && std::isspace(static_cast<unsigned char>(trimmed.back()))) trimmed.pop_back();
  while (!trimmed.empty() && std::isspace(static_cast<unsigned char>(trimmed.front()))) trimmed.erase(0, 1);
  if (trimmed.empty()) return Error::InvalidInput("a reason is required", {{"/reason", "must not be empty"}});
  if (trimmed.size() > kMaxReasonChars)
    return Error::InvalidInput("the reason is too long", {{"/reason", "at most 500 characters"}});
  CredentialSummary out;
  auto status = ctx.uow.Write([&](core::Transaction& tx) -> core::Status {
    auto award = tx.Awards().FindAward(id);
    if (!award) return Error::NotFound("no credential with this id");
    if (!IsIssuerAdmin(actor, award->issuer_id))
      return Error::Forbidden("only the admins of the credential's issuer revoke it");
    const auto now = ctx.clock.Now();
    if (!tx.Awards().MarkRevoked(id, now, trimmed))
      return Error::InvalidState("this credential is already revoked; revocation is irreversible");
    const auto list = tx.Awards().FindStatusList(award->status_list_id);
    if (!list) return Error::Internal("credential " + id + " points to a missing status list");
    if (auto signed_list = SignStatusList(tx, ctx, *list, list->version + 1); !signed_list.ok())
      return signed_list;
    identity::Audit(tx, actor.user_id, "credential.revoke", "credential", id, "active", "revoked", now,
                    {{"reason", trimmed}, {"status_list_id", list->id}, {"status_index", award->status_index}});
    award->revoked_at = now;
    award->revocation_reason = trimmed;
    out = Summarize(ctx, *award, now);
    return core::Ok();
  });
  if (!status.ok()) return status.error();
  return out;
}

core::Result<json> BuildClr(CredentialsContext& ctx, const Principal& actor) {
  json out;
  auto status = ctx.uow.Write([&](core::Transaction& tx) -> core::Status {
    std::vector<json> credentials;
    const auto now = ctx.clock.Now();
    for (const auto& a : tx.Awards().ListAwards({actor.user_id, ""})) {
      if (a.revoked_at || (a.valid_until && *a.valid_until < now)) continue;
      credentials.push_back(json::parse(a.signed_json));
    }
    const auto user = tx.Identity().FindUserById(actor.user_id);
    if (!user) return Error::NotFound("no such user");
    const IssuerProfile platform = IssuerProfileFor(tx, ctx, kPlatformIssuer);
    const json clr = SerializeClrCredentialV1(ctx.public_url + "/api/v1/me/clr#" + ctx.ids.NewId("clr"),
                                              platform, user->display_name, user->email,
                                              RandomHex(16), credentials, now);
    auto signed_clr = SignWithIssuerKey(tx, ctx, platform, kPlatformIssuer, clr, "eddsa-rdfc-2022");
    if (!signed_clr.ok()) return signed_clr.error();
    out = std::move(signed_clr).value();
    return core::Ok();
  });
  if (!status.ok()) return status.error();
  return out;
}

core::Result<CredentialPageView> GetCredentialForPage(CredentialsContext& ctx, const std::string& id) {
  CredentialPageView view;
  auto status = ctx.uow.Read([&](core::Transaction& tx) -> core::Status {
    const auto award = tx.Awards().FindAward(id);
    if (!award) return Error::NotFound("no credential with this id");
    view.award = *award;
    view.credential = json::parse(award->signed_json);
    if (const auto user = tx.Identity().FindUserById(award->user_id)) view.owner_name = user->display_name;
    if (const auto org = tx.Identity().FindOrganization(award->issuer_id)) view.issuer_name = org->name;
    view.revoked = award->revoked_at.has_value();
    view.is_private = award->visibility == Visibility::kPrivate;
    return core::Ok();
  });
  if (!status.ok()) return status.error();
  return view;
}

}  // namespace cairn::app::credentials
