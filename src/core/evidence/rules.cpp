#include "core/evidence/rules.hpp"

#include <algorithm>

namespace cairn::core::evidence {
namespace {

using catalog::ArtifactKind;

// Length of the UTF-8 whitespace sequence at text[i], 0 when none.
std::size_t SpaceAt(std::string_view text, std::size_t i) {
  const auto b = [&](std::size_t k) {
    return i + k < text.size() ? static_cast<unsigned char>(text[i + k]) : 0u;
  };
  const unsigned c = b(0);
  if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v') return 1;
  if (c == 0xC2 && (b(1) == 0xA0 || b(1) == 0x85)) return 2;  // no-break space, next line
  if (c == 0xE1 && b(1) == 0x9A && b(2) == 0x80) return 3;     // ogham space
  if (c == 0xE2 && b(1) == 0x80 && (b(2) <= 0x8A || b(2) == 0xA8 || b(2) == 0xA9 || b(2) == 0xAF))
    return 3;  // en/em/thin … spaces, line and paragraph separators, narrow no-break space
  if (c == 0xE2 && b(1) == 0x81 && b(2) == 0x9F) return 3;  // medium mathematical space
  if (c == 0xE3 && b(1) == 0x80 && b(2) == 0x80) return 3;  // ideographic space
  return 0;
}

// A token counts as a word when it holds a letter or digit: ASCII alphanumerics, or any
// non-ASCII character outside the General Punctuation block (dashes, ellipsis, quotes).
bool IsWord(std::string_view token) {
  for (std::size_t i = 0; i < token.size(); ++i) {
    const auto c = static_cast<unsigned char>(token[i]);
    if ((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) return true;
    if (c >= 0xC0) {
      const bool general_punctuation = c == 0xE2 && i + 1 < token.size() &&
                                       (static_cast<unsigned char>(token[i + 1]) == 0x80 ||
                                        static_cast<unsigned char>(token[i + 1]) == 0x81);
      const bool latin1_punctuation = c == 0xC2;  // « » ¡ ¿ § ¶ …
      if (!general_punctuation && !latin1_punctuation) return true;
    }
  }
  return false;
}

bool IsMedia(ArtifactKind k) {
  return k == ArtifactKind::kImage || k == ArtifactKind::kAudio || k == ArtifactKind::kVideo;
}

bool Accepts(const catalog::ArtifactRequirement& r, ArtifactKind k) {
  return std::find(r.accepted_kinds.begin(), r.accepted_kinds.end(), k) != r.accepted_kinds.end();
}

bool IsWebUrl(const std::string& url) {
  const bool scheme = url.rfind("https://", 0) == 0 || url.rfind("http://", 0) == 0;
  return scheme && url.size() > 10 && url.find_first_of(" \t\r\n<>\"") == std::string::npos;
}

std::string Pointer(const char* part, std::size_t i) {
  return std::string("/") + part + "/" + std::to_string(i);
}

void CheckTexts(const char* part, const std::vector<std::string>& answers,
                const std::vector<int>& limits, std::vector<TextCheck>& out,
                ContentChecks& checks) {
  for (std::size_t i = 0; i < limits.size(); ++i) {
    TextCheck t;
    t.pointer = Pointer(part, i);
    t.words = i < answers.size() ? CountWords(answers[i]) : 0;
    t.limit = limits[i];
    t.answered = t.words > 0;
    t.over_limit = t.limit > 0 && t.words > t.limit;
    if (!t.answered)
      checks.problems.push_back({t.pointer, "needs an answer"});
    else if (t.over_limit)
      checks.problems.push_back({t.pointer, "has " + std::to_string(t.words) +
                                                " words; the limit is " + std::to_string(t.limit)});
    out.push_back(std::move(t));
  }
  for (std::size_t i = limits.size(); i < answers.size(); ++i)
    checks.malformed.push_back({Pointer(part, i), "there is no such question"});
}

}  // namespace

int CountWords(std::string_view text) {
  int words = 0;
  std::size_t start = 0, i = 0;
  const auto flush = [&](std::size_t end) {
    if (end > start && IsWord(text.substr(start, end - start))) ++words;
  };
  while (i < text.size()) {
    if (const std::size_t n = SpaceAt(text, i); n > 0) {
      flush(i);
      i += n;
      start = i;
    } else {
      ++i;
    }
  }
  flush(text.size());
  return words;
}

ContentChecks CheckContent(const catalog::SubmissionRequirements& requirements,
                           const SubmissionContent& content, const FileLookup& files,
                           const std::string& enrolment_id) {
  ContentChecks checks;
  std::vector<int> limits;
  for (const auto& q : requirements.overview) limits.push_back(q.word_limit);
  CheckTexts("overview", content.overview, limits, checks.overview, checks);

  for (std::size_t r = 0; r < requirements.artifacts.size(); ++r) {
    const auto& req = requirements.artifacts[r];
    checks.artifacts.push_back({static_cast<int>(r), req.title, 0, req.min_count, req.max_count});
  }
  for (std::size_t i = 0; i < content.artifacts.size(); ++i) {
    const ArtifactEntry& a = content.artifacts[i];
    const std::string at = Pointer("artifacts", i);
    if (a.requirement < 0 || static_cast<std::size_t>(a.requirement) >= requirements.artifacts.size()) {
      checks.malformed.push_back({at + "/requirement", "there is no such artifact requirement"});
      continue;
    }
    const auto& req = requirements.artifacts[a.requirement];
    ++checks.artifacts[a.requirement].count;
    if (!a.file_id.empty() && !a.url.empty()) {
      checks.malformed.push_back({at, "is either a file or a link, not both"});
      continue;
    }
    if (a.file_id.empty() && a.url.empty()) {
      checks.problems.push_back({at + "/file_id", "attach a file or give a link"});
      continue;
    }
    if (!a.url.empty()) {
      if (!IsWebUrl(a.url))
        checks.malformed.push_back({at + "/url", "must be an http(s) address"});
      else if (!Accepts(req, ArtifactKind::kLink))
        checks.problems.push_back({at + "/url", "this requirement does not accept links"});
      continue;
    }
    const auto file = files(a.file_id);
    if (!file || file->enrolment_id != enrolment_id) {
      checks.malformed.push_back({at + "/file_id", "no such file in this enrolment"});
      continue;
    }
    if (file->deleted) {
      checks.problems.push_back({at + "/file_id", "the file was deleted"});
      continue;
    }
    if (!Accepts(req, file->kind))
      checks.problems.push_back(
          {at + "/file_id", "this requirement does not accept " + std::string(ToString(file->kind)) +
                                " files"});
    if (IsMedia(file->kind) && !a.consent_attested)
      checks.problems.push_back(
          {at + "/consent_attested",
           "confirm that you have consent for the people in this image or recording"});
  }
  for (const auto& count : checks.artifacts) {
    const std::string label = "requirement " + std::to_string(count.requirement + 1) + " (" +
                              count.title + ")";
    if (count.count < count.min)
      checks.problems.push_back({"/artifacts", label + " needs at least " +
                                                   std::to_string(count.min) + " artifact(s)"});
    else if (count.count > count.max)
      checks.problems.push_back({"/artifacts", label + " takes at most " +
                                                   std::to_string(count.max) + " artifact(s)"});
  }

  limits.clear();
  for (const auto& p : requirements.reflection) limits.push_back(p.word_limit);
  CheckTexts("reflection", content.reflection, limits, checks.reflection, checks);
  return checks;
}

bool CanTransition(SubmissionState from, SubmissionState to) {
  using S = SubmissionState;
  switch (from) {
    case S::kSubmitted:
      return to == S::kInReview || to == S::kWithdrawn || to == S::kReturned ||
             to == S::kEarned || to == S::kNotYet;
    case S::kInReview:
      return to == S::kReturned || to == S::kEarned || to == S::kNotYet;
    default:
      return false;  // final states stay final
  }
}

Status Transition(Submission& s, SubmissionState to, TimePoint at, const std::string& note) {
  if (!CanTransition(s.state, to))
    return Error::InvalidState("the submission is " + std::string(ToString(s.state)) +
                               " and cannot become " + std::string(ToString(to)));
  s.state = to;
  if (to == SubmissionState::kEarned || to == SubmissionState::kNotYet) s.decided_at = at;
  if (to == SubmissionState::kReturned) s.return_reason = note;
  s.timeline.push_back({std::string(ToString(to)), at, note});
  return Ok();
}

int AttemptsLeft(const Enrolment& e) {
  return std::max(0, e.attempt_cap + e.coach_grants - e.attempts_used);
}

bool CapReached(const Enrolment& e) { return AttemptsLeft(e) == 0; }

std::string NextStep(const Enrolment& e, const std::optional<Draft>& draft,
                     const std::optional<Submission>& latest) {
  if (e.state == EnrolmentState::kEarned) return "earned";
  if (latest && !IsFinal(latest->state)) return "in review";
  if (CapReached(e)) return "meet coach";
  if (latest &&
      (latest->state == SubmissionState::kReturned || latest->state == SubmissionState::kNotYet))
    return "resubmit";
  if (draft && draft->revision > 0) return "continue draft";
  return "start";
}

std::string NewSubmissionCode(IdGenerator& ids) {
  // Base62 characters map evenly onto the 31 letters (62 = 2 × 31), so no letter is favoured.
  const auto value = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'A' && c <= 'Z') return c - 'A' + 10;
    if (c >= 'a' && c <= 'z') return c - 'a' + 36;
    return -1;
  };
  std::string code;
  while (code.size() < 8) {
    const std::string random = ids.NewId("code");
    for (std::size_t i = random.find('_') + 1; i < random.size() && code.size() < 8; ++i) {
      const int v = value(random[i]);
      if (v >= 0) code += kCodeAlphabet[v % kCodeAlphabet.size()];
    }
  }
  return code.substr(0, 4) + "-" + code.substr(4);
}

}  // namespace cairn::core::evidence
