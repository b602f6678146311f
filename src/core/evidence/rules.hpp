#pragma once
// The educator-side rules, pure: word counts, checking a draft against the pinned requirements,
// the submission state machine, the attempt cap with coach grants, and pseudonymous codes.
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/catalog/micro_credential.hpp"
#include "core/common/clock.hpp"
#include "core/common/result.hpp"
#include "core/evidence/evidence.hpp"
#include "core/evidence/file.hpp"

namespace cairn::core::evidence {

// Words as a reader counts them: runs of characters between whitespace (ASCII and the Unicode
// spaces a word processor pastes: no-break, em/en, ideographic …). A run of punctuation alone
// (an em dash between spaces) is not a word.
int CountWords(std::string_view text);

struct TextCheck {
  std::string pointer;  // "/overview/0"
  int words = 0;
  int limit = 0;  // 0: no limit
  bool answered = false;
  bool over_limit = false;
};

struct ArtifactCheck {
  int requirement = 0;
  std::string title;
  int count = 0;
  int min = 0;
  int max = 0;
};

struct ContentChecks {
  std::vector<TextCheck> overview;
  std::vector<ArtifactCheck> artifacts;
  std::vector<TextCheck> reflection;
  // Everything not ready for submission yet, by pointer. Shown while editing, blocking at submit.
  std::vector<FieldError> problems;
  // What is wrong even for a draft (an unknown requirement, another enrolment's file): a save is
  // refused for these.
  std::vector<FieldError> malformed;
  bool ready() const { return problems.empty() && malformed.empty(); }
};

// Finds an evidence file by id; nullopt when there is none.
using FileLookup = std::function<std::optional<EvidenceFile>(const std::string& file_id)>;

// Checks content against the requirements of the pinned version. Files must belong to
// enrolment_id; the rest (limits, counts, kinds, consent) lands in `problems`.
ContentChecks CheckContent(const catalog::SubmissionRequirements& requirements,
                           const SubmissionContent& content, const FileLookup& files,
                           const std::string& enrolment_id);

// The submission state machine. Withdrawing is only possible before any reviewer started; a
// decision or a return ends the attempt.
bool CanTransition(SubmissionState from, SubmissionState to);
// Moves s to `to` (kInvalidState when not allowed), stamping decided_at / return_reason and
// appending the timeline event with the note.
Status Transition(Submission& s, SubmissionState to, TimePoint at, const std::string& note = "");

// Attempts that still count toward the cap; a coach meeting grants one more each.
int AttemptsLeft(const Enrolment& e);
bool CapReached(const Enrolment& e);

// What the educator does next: "start", "continue draft", "in review", "resubmit", "meet coach",
// "earned". latest is the newest attempt, if any.
std::string NextStep(const Enrolment& e, const std::optional<Draft>& draft,
                     const std::optional<Submission>& latest);

// A pseudonymous code for reviewers, "K7QX-42MB": eight characters from an alphabet without
// look-alikes (no 0/O, 1/I/L), drawn from fresh randomness of ids, never from an existing id.
std::string NewSubmissionCode(IdGenerator& ids);
inline constexpr std::string_view kCodeAlphabet = "ABCDEFGHJKMNPQRSTUVWXYZ23456789";

}  // namespace cairn::core::evidence
