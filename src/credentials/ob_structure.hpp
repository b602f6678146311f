#pragma once
// A hand-written structure check for Open Badges 3.0 credentials (OpenBadgeCredential /
// AchievementCredential, EndorsementCredential) and, more lightly, CLR 2.0 ClrCredential.
//
// 1EdTech does not publish its JSON Schemas, so this follows the data model of the OB 3.0 spec
// (§B "Data Models") directly: required properties, their value shapes (URI, date-time, object of
// a given type) and the @context rules. It checks shape only; signatures, status lists and key
// resolution belong to verification. Problems come back as findings, never as exceptions.
#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json_fwd.hpp>

namespace cairn::credentials {

struct StructureFinding {
  std::string pointer;  // RFC 6901 JSON Pointer to the offending value ("" for the document)
  std::string message;
};

struct StructureOptions {
  // When set, a credential not yet valid (validFrom / issuanceDate after `now`) or expired
  // (validUntil / expirationDate before `now`) is also a finding.
  std::optional<std::chrono::sys_seconds> now;
};

std::vector<StructureFinding> CheckCredentialStructure(const nlohmann::json& credential,
                                                       const StructureOptions& options = {});

// RFC 3339 date-time with a time zone (VC 2.0 dateTimeStamp); nullopt when malformed.
std::optional<std::chrono::sys_seconds> ParseCredentialDateTime(const std::string& text);

}  // namespace cairn::credentials
