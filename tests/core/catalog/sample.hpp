#pragma once
// A complete, publishable micro-credential for tests to start from and break one field at a time.
#include "core/catalog/micro_credential.hpp"

namespace cairn::core::catalog::testing {

inline Criterion FourLevelCriterion(std::string id, std::string name) {
  Criterion c;
  c.id = std::move(id);
  c.name = std::move(name);
  c.levels = {{"not-yet", "Not yet", "The evidence does not yet show this."},
              {"approaching", "Approaching", "Partly shown, with gaps."},
              {"meets", "Meets", "Clearly shown in the artifacts."},
              {"exceeds", "Exceeds", "Shown, and extended to new situations."}};
  return c;
}

inline Content SampleContent() {
  Content c;
  c.title = "Exit Tickets for Formative Assessment";
  c.summary = "Use short exit tickets to check understanding and adjust the next lesson.";
  c.competency = "The educator uses exit tickets to **gather evidence** of learning.";
  c.key_method.description = "Design, give and act on an exit ticket.";
  c.key_method.components = {{"Design", "Write one or two questions tied to the lesson goal."},
                             {"Respond", "Sort responses and plan a next step."}};
  c.research = "Black & Wiliam (1998), *Inside the Black Box*.";
  c.resources = {{"Inside the Black Box", ResourceKind::kArticle,
                  "https://doi.org/10.1177/003172171009200119", ""}};
  c.submission.overview = {{"Describe your class and the lesson goal.", 250}};
  c.submission.artifacts = {{"Exit ticket",
                             "The ticket you gave.",
                             {ArtifactKind::kDocument, ArtifactKind::kImage},
                             1,
                             2}};
  c.submission.reflection = {{"What did the responses change in your next lesson?", 400}};
  c.rubric.criteria = {FourLevelCriterion("design", "Ticket design"),
                       FourLevelCriterion("analysis", "Analysis of responses"),
                       FourLevelCriterion("next-steps", "Instructional next steps")};
  c.rubric.earned_rule.level = "meets";
  c.alignments = {{"InTASC", "Standard 6", "Assessment",
                   "https://ccsso.org/resource-library/"
                   "intasc-model-core-teaching-standards-and-learning-progressions-teachers-10"}};
  c.subject = "Assessment";
  c.grade_band = GradeBand::kK12;
  c.estimated_hours = 8;
  c.tags = {"formative-assessment", "exit-tickets"};
  return c;
}

}  // namespace cairn::core::catalog::testing
