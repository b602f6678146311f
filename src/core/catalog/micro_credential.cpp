#include "core/catalog/micro_credential.hpp"

#include <array>
#include <utility>

namespace cairn::core::catalog {
namespace {

template <class E, std::size_t N>
std::optional<E> Lookup(const std::array<std::pair<E, std::string_view>, N>& table,
                        std::string_view text) {
  for (const auto& [value, name] : table)
    if (name == text) return value;
  return std::nullopt;
}

template <class E, std::size_t N>
std::string_view NameOf(const std::array<std::pair<E, std::string_view>, N>& table, E value) {
  for (const auto& [v, name] : table)
    if (v == value) return name;
  return "unknown";
}

template <class E, std::size_t N>
std::vector<std::string_view> Names(const std::array<std::pair<E, std::string_view>, N>& table) {
  std::vector<std::string_view> names;
  for (const auto& entry : table) names.push_back(entry.second);
  return names;
}

constexpr std::array<std::pair<State, std::string_view>, 3> kStates{
    {{State::kDraft, "draft"}, {State::kPublished, "published"}, {State::kRetired, "retired"}}};
constexpr std::array<std::pair<ResourceKind, std::string_view>, 7> kResourceKinds{
    {{ResourceKind::kArticle, "article"},
     {ResourceKind::kBook, "book"},
     {ResourceKind::kVideo, "video"},
     {ResourceKind::kWebsite, "website"},
     {ResourceKind::kTool, "tool"},
     {ResourceKind::kTemplate, "template"},
     {ResourceKind::kFile, "file"}}};
constexpr std::array<std::pair<ArtifactKind, std::string_view>, 5> kArtifactKinds{
    {{ArtifactKind::kDocument, "document"},
     {ArtifactKind::kImage, "image"},
     {ArtifactKind::kAudio, "audio"},
     {ArtifactKind::kVideo, "video"},
     {ArtifactKind::kLink, "link"}}};
constexpr std::array<std::pair<GradeBand, std::string_view>, 8> kGradeBands{
    {{GradeBand::kPreK2, "prek-2"},
     {GradeBand::k3To5, "3-5"},
     {GradeBand::k6To8, "6-8"},
     {GradeBand::k9To12, "9-12"},
     {GradeBand::kK5, "k-5"},
     {GradeBand::k6To12, "6-12"},
     {GradeBand::kK12, "k-12"},
     {GradeBand::kAdult, "adult"}}};

}  // namespace

std::string_view ToString(State s) { return NameOf(kStates, s); }
std::string_view ToString(ResourceKind k) { return NameOf(kResourceKinds, k); }
std::string_view ToString(ArtifactKind k) { return NameOf(kArtifactKinds, k); }
std::string_view ToString(GradeBand b) { return NameOf(kGradeBands, b); }
std::optional<State> ParseState(std::string_view t) { return Lookup(kStates, t); }
std::optional<ResourceKind> ParseResourceKind(std::string_view t) {
  return Lookup(kResourceKinds, t);
}
std::optional<ArtifactKind> ParseArtifactKind(std::string_view t) {
  return Lookup(kArtifactKinds, t);
}
std::optional<GradeBand> ParseGradeBand(std::string_view t) { return Lookup(kGradeBands, t); }

const std::vector<std::string_view>& GradeBandNames() {
  static const auto names = Names(kGradeBands);
  return names;
}
const std::vector<std::string_view>& ResourceKindNames() {
  static const auto names = Names(kResourceKinds);
  return names;
}
const std::vector<std::string_view>& ArtifactKindNames() {
  static const auto names = Names(kArtifactKinds);
  return names;
}

GradeSpan SpanOf(GradeBand b) {
  switch (b) {
    case GradeBand::kPreK2:
      return {-1, 2};
    case GradeBand::k3To5:
      return {3, 5};
    case GradeBand::k6To8:
      return {6, 8};
    case GradeBand::k9To12:
      return {9, 12};
    case GradeBand::kK5:
      return {0, 5};
    case GradeBand::k6To12:
      return {6, 12};
    case GradeBand::kK12:
      return {0, 12};
    case GradeBand::kAdult:
      return {13, 13};
  }
  return {0, 12};
}

core::Status MicroCredential::Publish(TimePoint now) {
  if (state != State::kDraft)
    return Error::InvalidState("only a draft can be published; this version is " +
                               std::string(ToString(state)));
  state = State::kPublished;
  published_at = now;
  updated_at = now;
  return Ok();
}

core::Status MicroCredential::Retire(TimePoint now) {
  if (state != State::kPublished)
    return Error::InvalidState(
        "only a published micro-credential can be retired; this version is " +
        std::string(ToString(state)));
  state = State::kRetired;
  retired_at = now;
  updated_at = now;
  return Ok();
}

Result<MicroCredential> NewDraftFrom(const MicroCredential& published, TimePoint now,
                                     const std::string& actor_id) {
  if (published.state != State::kPublished)
    return Error::InvalidState("a new version starts from the published version; this one is " +
                               std::string(ToString(published.state)));
  MicroCredential draft;
  draft.id = published.id;
  draft.issuer_id = published.issuer_id;
  draft.issuer_name = published.issuer_name;
  draft.version = published.version + 1;
  draft.state = State::kDraft;
  draft.revision = 1;
  draft.content = published.content;
  draft.created_at = now;
  draft.updated_at = now;
  draft.created_by = actor_id;
  return draft;
}

}  // namespace cairn::core::catalog
