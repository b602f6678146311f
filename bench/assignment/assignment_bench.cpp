// assignment_bench [submissions=100000] [reviewers=5000] [seed=1]
//
// Builds a pool with the structure of a state network (300 micro-credentials with tags, 40
// districts of 12 schools, reviewers qualified for 5-30 micro-credentials, caps 20-60, 30 % of
// issuers with the never-same-district rule, two reviews per submission, due dates over three
// weeks) and runs the optimal planner and the greedy baseline on the same input, in three
// scenarios (see Scenario). Both times include building the eligibility lists. Wall and CPU time
// are printed; compare them as ratios, this machine is shared.
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <random>
#include <string>
#include <unordered_map>

#include "core/review/assignment.hpp"

namespace review = cairn::core::review;

namespace {

// `matched`: reviewers' expertise follows the popularity of the micro-credentials. Otherwise it
// is uniform, so popular micro-credentials are short of reviewers and rare ones have plenty.
// The third scenario, specialists, is outside the brief's 5-30 range: it is where greedy loses.
struct Scenario {
  const char* name;
  bool matched;
  int min_qualified, max_qualified;  // micro-credentials per reviewer
};

review::AssignmentInput MakeInput(int n_submissions, int n_reviewers, unsigned seed,
                                  const Scenario& scenario) {
  const bool matched = scenario.matched;
  std::mt19937_64 rng(seed);
  auto uniform = [&rng](int lo, int hi) {
    return std::uniform_int_distribution<int>(lo, hi)(rng);
  };
  constexpr int kCredentials = 300, kTags = 40, kIssuers = 60, kDistricts = 40, kSchools = 12;
  std::vector<std::vector<std::string>> tags(kCredentials);
  std::vector<bool> never_same_district(kCredentials);
  std::vector<bool> issuer_flag(kIssuers);
  for (int i = 0; i < kIssuers; ++i) issuer_flag[i] = uniform(0, 99) < 30;
  for (int m = 0; m < kCredentials; ++m) {
    tags[m] = {"tag" + std::to_string(uniform(0, kTags - 1)),
               "tag" + std::to_string(uniform(0, kTags - 1))};
    never_same_district[m] = issuer_flag[m % kIssuers];
  }
  // Popularity is skewed: a few micro-credentials draw most submissions.
  std::vector<double> weight(kCredentials);
  for (int m = 0; m < kCredentials; ++m) weight[m] = 1.0 / std::pow(m + 1, 0.6);
  std::discrete_distribution<int> popular(weight.begin(), weight.end());

  review::AssignmentInput in;
  for (int i = 0; i < n_reviewers; ++i) {
    review::Reviewer r;
    r.id = "u_r" + std::to_string(i);
    const int district = uniform(0, kDistricts - 1);
    r.district_id = "d" + std::to_string(district);
    r.school_id = "s" + std::to_string(district * kSchools + uniform(0, kSchools - 1));
    const int count = uniform(scenario.min_qualified, scenario.max_qualified);
    for (int k = 0; k < count; ++k) {
      const int m = matched ? popular(rng) : uniform(0, kCredentials - 1);
      r.micro_credential_ids.push_back("mc" + std::to_string(m));
    }
    if (uniform(0, 9) == 0) r.tags.push_back("tag" + std::to_string(uniform(0, kTags - 1)));
    r.load_cap = uniform(20, 60);
    r.open_load = uniform(0, 5);
    in.reviewers.push_back(std::move(r));
  }
  const auto start = cairn::core::TimePoint{} + std::chrono::hours(24 * 20000);
  for (int i = 0; i < n_submissions; ++i) {
    review::ReviewSlot s;
    s.submission_id = "sub" + std::to_string(i);
    const int m = popular(rng);
    s.micro_credential_id = "mc" + std::to_string(m);
    s.tags = tags[m];
    s.educator_id = "u_e" + std::to_string(uniform(0, n_submissions / 2));
    const int district = uniform(0, kDistricts - 1);
    s.district_id = "d" + std::to_string(district);
    s.school_id = "s" + std::to_string(district * kSchools + uniform(0, kSchools - 1));
    s.never_same_district = never_same_district[m];
    s.reviewers_needed = 2;
    s.due = start + std::chrono::hours(24 * uniform(1, 21));
    in.slots.push_back(std::move(s));
  }
  return in;
}

struct Summary {
  double seconds = 0;
  double cpu_seconds = 0;
  int assigned = 0;
  int assigned_first_week = 0;
  double max_over_mean = 0;
  double stddev = 0;
  double utilization_stddev = 0;
  std::int64_t load_cost = 0;
};

Summary Summarize(const review::AssignmentInput& in, const review::AssignmentPlan& plan,
                  std::pair<double, double> seconds) {
  Summary s;
  s.seconds = seconds.first;
  s.cpu_seconds = seconds.second;
  s.assigned = plan.stats.slots_assigned;
  s.load_cost = plan.stats.load_cost;
  const auto week = in.slots.empty() ? cairn::core::TimePoint{}
                                     : cairn::core::TimePoint{} + std::chrono::hours(24 * 20007);
  std::unordered_map<std::string, cairn::core::TimePoint> due;
  for (const auto& slot : in.slots) due[slot.submission_id] = slot.due;
  for (const auto& a : plan.assignments) s.assigned_first_week += due[a.submission_id] <= week;
  const auto& load = plan.reviewer_load;
  const double n = double(load.size());
  double mean = 0, mean_u = 0;
  for (std::size_t i = 0; i < load.size(); ++i) {
    mean += load[i] / n;
    mean_u += double(load[i]) / in.reviewers[i].load_cap / n;
  }
  double var = 0, var_u = 0;
  for (std::size_t i = 0; i < load.size(); ++i) {
    var += (load[i] - mean) * (load[i] - mean) / n;
    const double u = double(load[i]) / in.reviewers[i].load_cap;
    var_u += (u - mean_u) * (u - mean_u) / n;
  }
  s.max_over_mean = *std::max_element(load.begin(), load.end()) / mean;
  s.stddev = std::sqrt(var);
  s.utilization_stddev = std::sqrt(var_u);
  return s;
}

// Wall and CPU time: on a shared machine the CPU time is the steadier of the two.
template <class F>
std::pair<review::AssignmentPlan, std::pair<double, double>> Timed(F&& f) {
  const auto t0 = std::chrono::steady_clock::now();
  const std::clock_t c0 = std::clock();
  auto plan = f();
  const double cpu = double(std::clock() - c0) / CLOCKS_PER_SEC;
  const double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  if (!plan.ok()) {
    std::fprintf(stderr, "planner failed: %s\n", plan.error().message.c_str());
    std::exit(1);
  }
  return {std::move(*plan), {wall, cpu}};
}

}  // namespace

int main(int argc, char** argv) {
  const int n_submissions = argc > 1 ? std::atoi(argv[1]) : 100000;
  const int n_reviewers = argc > 2 ? std::atoi(argv[2]) : 5000;
  const unsigned seed = argc > 3 ? unsigned(std::atoi(argv[3])) : 1;
  if (n_submissions < 1 || n_reviewers < 1) {
    std::fprintf(stderr, "usage: assignment_bench [submissions] [reviewers] [seed]\n");
    return 2;
  }
  const Scenario scenarios[] = {{"expertise follows demand", true, 5, 30},
                                {"expertise uniform", false, 5, 30},
                                {"specialists (1-3 micro-credentials each)", false, 1, 3}};
  for (const Scenario& scenario : scenarios) {
    const char* name = scenario.name;
    const auto in = MakeInput(n_submissions, n_reviewers, seed, scenario);
    const auto [greedy, greedy_s] = Timed([&] { return review::AssignReviewersGreedy(in); });
    const auto [optimal, optimal_s] = Timed([&] { return review::AssignReviewers(in); });
    const Summary g = Summarize(in, greedy, greedy_s);
    const Summary o = Summarize(in, optimal, optimal_s);

    std::printf("\n%s: %d submissions x 2 slots, %d reviewers, seed %u\n", name, n_submissions,
                n_reviewers, seed);
    std::printf("classes %d, class edges %lld, searches %d, refinements %d\n",
                optimal.stats.submission_classes,
                static_cast<long long>(optimal.stats.class_edges), optimal.stats.searches,
                optimal.stats.refinements);
    std::printf("%-10s %8s %8s %9s %11s %9s %8s %9s %10s\n", "planner", "wall s", "cpu s",
                "assigned", "first week", "max/mean", "stddev", "util sd", "load cost");
    for (const auto& [planner, s] : {std::pair{"greedy", g}, std::pair{"optimal", o}}) {
      std::printf("%-10s %8.3f %8.3f %9d %11d %9.3f %8.3f %9.4f %10lld\n", planner, s.seconds,
                  s.cpu_seconds, s.assigned, s.assigned_first_week, s.max_over_mean, s.stddev,
                  s.utilization_stddev, static_cast<long long>(s.load_cost));
    }
    std::printf(
        "optimal/greedy: wall %.2fx, cpu %.2fx, assigned %.4f, load cost %.4f, util sd %.3f\n",
        o.seconds / g.seconds, o.cpu_seconds / g.cpu_seconds, double(o.assigned) / g.assigned,
        double(o.load_cost) / double(g.load_cost), o.utilization_stddev / g.utilization_stddev);
  }
  return 0;
}
