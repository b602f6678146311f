#pragma once
// A micro-credential version: everything an issuer publishes about one competency. A published
// version is frozen; editing it starts the next version as a draft, so a submission can pin the
// version it answers (ARCHITECTURE.md, "Data and identifiers").
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/catalog/rubric.hpp"
#include "core/common/clock.hpp"
#include "core/common/result.hpp"

namespace cairn::core::catalog {

enum class State { kDraft, kPublished, kRetired };
enum class ResourceKind { kArticle, kBook, kVideo, kWebsite, kTool, kTemplate, kFile };
enum class ArtifactKind { kDocument, kImage, kAudio, kVideo, kLink };

inline constexpr int kDefaultMaxAttempts = 3;

// Grade bands are spans of grades (pre-K = -1, K = 0, adult learners = 13) so a search for 6-8
// also finds K-12 and 6-12 micro-credentials: a filter is an overlap test on two columns.
enum class GradeBand { kPreK2, k3To5, k6To8, k9To12, kK5, k6To12, kK12, kAdult };
struct GradeSpan {
  int min;
  int max;
};

std::string_view ToString(State s);
std::string_view ToString(ResourceKind k);
std::string_view ToString(ArtifactKind k);
std::string_view ToString(GradeBand b);
std::optional<State> ParseState(std::string_view text);
std::optional<ResourceKind> ParseResourceKind(std::string_view text);
std::optional<ArtifactKind> ParseArtifactKind(std::string_view text);
std::optional<GradeBand> ParseGradeBand(std::string_view text);
GradeSpan SpanOf(GradeBand b);
// The accepted spellings, for error messages and the OpenAPI enum.
const std::vector<std::string_view>& GradeBandNames();
const std::vector<std::string_view>& ResourceKindNames();
const std::vector<std::string_view>& ArtifactKindNames();

struct MethodComponent {
  std::string name;
  std::string description;  // Markdown
};

struct KeyMethod {
  std::string description;  // Markdown
  std::vector<MethodComponent> components;
};

// A curated resource is either a link or an uploaded file (a blob reference), never both.
struct Resource {
  std::string title;
  ResourceKind kind = ResourceKind::kArticle;
  std::string url;
  std::string file;  // blob reference ("sha256:…") when the issuer uploaded it
};

struct OverviewQuestion {
  std::string prompt;  // Markdown
  int word_limit = 0;
};

struct ArtifactRequirement {
  std::string title;
  std::string description;  // Markdown
  std::vector<ArtifactKind> accepted_kinds;
  int min_count = 1;
  int max_count = 1;
};

struct ReflectionPrompt {
  std::string prompt;  // Markdown
  int word_limit = 0;
};

// Part 1 overview, Part 2 artifacts, Part 3 reflection: the three parts of every submission.
struct SubmissionRequirements {
  std::vector<OverviewQuestion> overview;
  std::vector<ArtifactRequirement> artifacts;
  std::vector<ReflectionPrompt> reflection;
};

struct Alignment {
  std::string framework;  // "InTASC", "ISTE Standards for Educators", "CCSS"
  std::string code;       // "Standard 8", "CCSS.ELA-LITERACY.RST.6-8.1"
  std::string name;
  std::string url;  // optional
};

// What an issuer writes; the same shape the API accepts and returns.
struct Content {
  std::string title;
  std::string summary;     // Markdown, one or two sentences for the catalog card
  std::string competency;  // Markdown
  KeyMethod key_method;
  std::string research;  // Markdown: supporting research and rationale
  std::vector<Resource> resources;
  SubmissionRequirements submission;
  Rubric rubric;
  std::vector<Alignment> alignments;
  std::string subject;
  GradeBand grade_band = GradeBand::kK12;
  double estimated_hours = 0;
  // Attempts an educator has before a coach meeting is needed (each meeting allows one more).
  int max_attempts = kDefaultMaxAttempts;
  std::vector<std::string> tags;
  std::string image_url;  // optional
};

struct MicroCredential {
  std::string id;           // public id "mc_…", shared by all versions
  std::string issuer_id;    // public organisation id "org_…"
  std::string issuer_name;  // denormalised for catalog cards and search
  int version = 1;
  State state = State::kDraft;
  // Optimistic concurrency for drafts: every saved edit bumps it, and a save that names an older
  // revision is refused as stale.
  std::int64_t revision = 1;
  Content content;
  TimePoint created_at{};
  TimePoint updated_at{};
  std::optional<TimePoint> published_at;
  std::optional<TimePoint> retired_at;
  std::string created_by;  // public user id

  // Lifecycle verbs check the current state; kInvalidState otherwise.
  core::Status Publish(TimePoint now);
  core::Status Retire(TimePoint now);
};

// The next version's draft: a copy of a published version's content, ready to edit.
Result<MicroCredential> NewDraftFrom(const MicroCredential& published, TimePoint now,
                                     const std::string& actor_id);

}  // namespace cairn::core::catalog
