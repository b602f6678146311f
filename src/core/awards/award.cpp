#include "core/awards/award_repository.hpp"

namespace cairn::core::awards {

std::string_view ToString(Visibility v) { return v == Visibility::kPrivate ? "private" : "public"; }

std::optional<Visibility> ParseVisibility(std::string_view text) {
  if (text == "public") return Visibility::kPublic;
  if (text == "private") return Visibility::kPrivate;
  return std::nullopt;
}

std::string_view ToString(IssuerIdentity v) {
  return v == IssuerIdentity::kDidKey ? "did:key" : "hosted";
}

std::optional<IssuerIdentity> ParseIssuerIdentity(std::string_view text) {
  if (text == "hosted") return IssuerIdentity::kHosted;
  if (text == "did:key") return IssuerIdentity::kDidKey;
  return std::nullopt;
}

}  // namespace cairn::core::awards
