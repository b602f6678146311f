#include "core/review/assignment.hpp"

#include <algorithm>
#include <limits>
#include <map>
#include <numeric>
#include <tuple>
#include <unordered_map>
#include <unordered_set>
#include <utility>
#include <vector>

namespace cairn::core::review {
namespace {

// Load is priced in steps of 1/kLoadLevels of the cap. Coarse steps make many reviewers tie, and
// one search of the flow then feeds all of them; finer steps balance more closely but search more.
constexpr std::int64_t kLoadLevels = 20;

// Everything both planners need: slots after overrides, the pool's remaining room, and for each
// slot the sorted list of eligible reviewers (shared by slots with the same rule inputs).
struct Prepared {
  std::vector<int> need;                      // per slot, after overrides
  std::vector<std::vector<int>> overridden;   // per slot, reviewer indices fixed by admins
  std::vector<int> eligible_list;             // per slot, index into lists
  std::vector<std::vector<int>> lists;        // sorted reviewer indices
  std::vector<int> load;                      // per reviewer, including overrides
  std::vector<int> room;                      // per reviewer, load cap minus load, at least 0
};

Result<Prepared> Prepare(const AssignmentInput& in) {
  std::vector<FieldError> errors;
  std::unordered_map<std::string, int> slot_index;
  std::unordered_map<std::string, int> reviewer_index;
  for (std::size_t i = 0; i < in.slots.size(); ++i) {
    const auto& s = in.slots[i];
    const std::string at = "/slots/" + std::to_string(i);
    if (s.submission_id.empty()) errors.push_back({at + "/submission_id", "is required"});
    if (!slot_index.emplace(s.submission_id, static_cast<int>(i)).second) {
      errors.push_back({at + "/submission_id", "duplicate submission " + s.submission_id});
    }
    if (s.reviewers_needed < 1 || s.reviewers_needed > kMaxReviewersPerSubmission) {
      errors.push_back({at + "/reviewers_needed",
                        "must be between 1 and " + std::to_string(kMaxReviewersPerSubmission)});
    }
  }
  for (std::size_t i = 0; i < in.reviewers.size(); ++i) {
    const auto& r = in.reviewers[i];
    const std::string at = "/reviewers/" + std::to_string(i);
    if (r.id.empty()) errors.push_back({at + "/id", "is required"});
    if (!reviewer_index.emplace(r.id, static_cast<int>(i)).second) {
      errors.push_back({at + "/id", "duplicate reviewer " + r.id});
    }
    if (r.open_load < 0) errors.push_back({at + "/open_load", "must not be negative"});
    if (r.load_cap < 0) errors.push_back({at + "/load_cap", "must not be negative"});
  }

  Prepared p;
  const std::size_t n_slots = in.slots.size();
  const std::size_t n_rev = in.reviewers.size();
  p.need.resize(n_slots);
  p.overridden.resize(n_slots);
  p.load.resize(n_rev);
  for (std::size_t i = 0; i < n_slots; ++i) p.need[i] = in.slots[i].reviewers_needed;
  for (std::size_t i = 0; i < n_rev; ++i) p.load[i] = std::max(0, in.reviewers[i].open_load);

  for (std::size_t i = 0; i < in.overrides.size(); ++i) {
    const auto& o = in.overrides[i];
    const std::string at = "/overrides/" + std::to_string(i);
    auto s = slot_index.find(o.submission_id);
    auto r = reviewer_index.find(o.reviewer_id);
    if (s == slot_index.end()) {
      errors.push_back({at + "/submission_id", "unknown submission " + o.submission_id});
      continue;
    }
    if (r == reviewer_index.end()) {
      errors.push_back({at + "/reviewer_id", "unknown reviewer " + o.reviewer_id});
      continue;
    }
    const auto& slot = in.slots[s->second];
    auto& fixed = p.overridden[s->second];
    const bool repeated = std::find(fixed.begin(), fixed.end(), r->second) != fixed.end() ||
                          std::find(slot.excluded_reviewer_ids.begin(),
                                    slot.excluded_reviewer_ids.end(),
                                    o.reviewer_id) != slot.excluded_reviewer_ids.end();
    if (o.reviewer_id == slot.educator_id) {
      errors.push_back({at + "/reviewer_id", "a reviewer cannot review their own submission"});
    } else if (repeated) {
      errors.push_back({at + "/reviewer_id", "reviewer is already on submission " +
                                                 o.submission_id});
    } else {
      fixed.push_back(r->second);
      p.need[s->second] = std::max(0, p.need[s->second] - 1);
      ++p.load[r->second];
    }
  }
  if (!errors.empty()) return Error::InvalidInput("invalid assignment input", std::move(errors));

  p.room.resize(n_rev);
  for (std::size_t i = 0; i < n_rev; ++i) {
    p.room[i] = std::max(0, in.reviewers[i].load_cap - p.load[i]);
  }

  // Interning makes the per-candidate checks integer compares.
  std::unordered_map<std::string, int> names;
  auto intern = [&names](const std::string& s) {
    return names.emplace(s, static_cast<int>(names.size())).first->second;
  };
  std::vector<int> r_school(n_rev), r_district(n_rev);
  std::unordered_map<int, std::vector<int>> by_credential, by_tag;
  for (std::size_t i = 0; i < n_rev; ++i) {
    const auto& r = in.reviewers[i];
    r_school[i] = intern(r.school_id);
    r_district[i] = intern(r.district_id);
    for (const auto& mc : r.micro_credential_ids) by_credential[intern(mc)].push_back(int(i));
    for (const auto& tag : r.tags) by_tag[intern("#" + tag)].push_back(int(i));
  }

  // Slots that share every input of the rules share one eligibility list.
  std::unordered_map<std::string, int> list_by_key;
  // Lists of one micro-credential differ only by a few excluded reviewers, so comparing them in
  // order would walk long shared prefixes; a hash finds the equal ones directly.
  std::unordered_map<std::uint64_t, std::vector<int>> lists_by_hash;
  std::vector<int> stamp(n_rev, -1);
  p.eligible_list.resize(n_slots);
  for (std::size_t i = 0; i < n_slots; ++i) {
    const auto& s = in.slots[i];
    std::vector<std::string> tags = s.tags;
    std::sort(tags.begin(), tags.end());
    std::vector<int> excluded = p.overridden[i];
    for (const auto& id : s.excluded_reviewer_ids) {
      if (auto r = reviewer_index.find(id); r != reviewer_index.end()) excluded.push_back(r->second);
    }
    if (auto r = reviewer_index.find(s.educator_id); r != reviewer_index.end()) {
      excluded.push_back(r->second);
    }
    std::sort(excluded.begin(), excluded.end());
    excluded.erase(std::unique(excluded.begin(), excluded.end()), excluded.end());

    std::string key = s.micro_credential_id + '\x1f' + s.school_id + '\x1f' +
                      (s.never_same_district ? s.district_id : std::string("\x1e"));
    for (const auto& t : tags) key += '\x1f' + t;
    key += '\x1d';
    for (int e : excluded) key += std::to_string(e) + ',';
    if (auto found = list_by_key.find(key); found != list_by_key.end()) {
      p.eligible_list[i] = found->second;
      continue;
    }

    const int school = intern(s.school_id);
    const int district = intern(s.district_id);
    std::vector<int> eligible;
    auto consider = [&](const std::vector<int>& candidates) {
      for (int r : candidates) {
        if (stamp[r] == static_cast<int>(i)) continue;
        stamp[r] = static_cast<int>(i);
        if (r_school[r] == school) continue;
        if (s.never_same_district && r_district[r] == district) continue;
        if (std::binary_search(excluded.begin(), excluded.end(), r)) continue;
        eligible.push_back(r);
      }
    };
    if (auto c = by_credential.find(intern(s.micro_credential_id)); c != by_credential.end()) {
      consider(c->second);
    }
    for (const auto& t : tags) {
      if (auto c = by_tag.find(intern("#" + t)); c != by_tag.end()) consider(c->second);
    }
    std::sort(eligible.begin(), eligible.end());
    std::uint64_t hash = 1469598103934665603ull;  // FNV-1a over the reviewer indices
    for (int r : eligible) hash = (hash ^ std::uint64_t(r)) * 1099511628211ull;
    auto& same_hash = lists_by_hash[hash];
    int list = -1;
    for (int candidate : same_hash) {
      if (p.lists[candidate] == eligible) list = candidate;
    }
    if (list < 0) {
      list = int(p.lists.size());
      same_hash.push_back(list);
      p.lists.push_back(std::move(eligible));
    }
    list_by_key.emplace(std::move(key), list);
    p.eligible_list[i] = list;
  }
  return p;
}

// Due dates become ranks (0 = earliest) so that "earliest first" is an integer cost.
std::vector<int> DueRanks(const std::vector<ReviewSlot>& slots) {
  std::vector<TimePoint> dues;
  for (const auto& s : slots) dues.push_back(s.due);
  std::sort(dues.begin(), dues.end());
  dues.erase(std::unique(dues.begin(), dues.end()), dues.end());
  std::vector<int> rank;
  for (const auto& s : slots) {
    rank.push_back(int(std::lower_bound(dues.begin(), dues.end(), s.due) - dues.begin()));
  }
  return rank;
}

// Fills in overrides, unassigned reasons and final loads once `chosen` (automatic picks per slot)
// is known.
AssignmentPlan Finish(const AssignmentInput& in, const Prepared& p,
                      std::vector<std::vector<int>> chosen, AssignmentStats stats) {
  AssignmentPlan plan;
  plan.reviewer_load = p.load;
  for (std::size_t i = 0; i < in.slots.size(); ++i) {
    const auto& slot = in.slots[i];
    std::vector<std::pair<int, bool>> picks;
    for (int r : p.overridden[i]) picks.emplace_back(r, true);
    for (int r : chosen[i]) picks.emplace_back(r, false);
    std::sort(picks.begin(), picks.end());
    for (auto [r, by_override] : picks) {
      plan.assignments.push_back({slot.submission_id, in.reviewers[r].id, by_override});
    }
    for (int r : chosen[i]) ++plan.reviewer_load[r];
    stats.slots_assigned += int(chosen[i].size());
    const int missing = p.need[i] - int(chosen[i].size());
    if (missing <= 0) continue;
    const int eligible = int(p.lists[p.eligible_list[i]].size());
    UnassignedReason reason = UnassignedReason::kAllEligibleAtCapacity;
    if (eligible == 0) {
      reason = UnassignedReason::kNoEligibleReviewer;
    } else if (eligible < p.need[i]) {
      reason = UnassignedReason::kTooFewEligibleReviewers;
    }
    plan.unassigned.push_back({slot.submission_id, missing, reason});
  }
  stats.load_cost = 0;
  for (std::size_t r = 0; r < in.reviewers.size(); ++r) {
    for (int l = p.load[r]; l < plan.reviewer_load[r]; ++l) {
      stats.load_cost += MarginalLoadCost(l, in.reviewers[r].load_cap);
    }
  }
  plan.stats = stats;
  return plan;
}

// Slots of one class with the same due rank; the source feeds each group at its own price.
struct RankGroup {
  int rank = 0;
  std::vector<int> members;  // slot indices, input order
  int supply = 0;            // need * members.size()
  int sent = 0;
};

// One class: slots with the same eligibility list and need, in groups by due rank. Each of its
// edges to a reviewer carries at most one unit per member, so the class flow can be dealt out
// with distinct reviewers per submission. Mixing ranks makes this a relaxation: when a group is
// served only in part, fewer members take units than the edge caps assume. The expansion checks
// that, and a class it fails for is split by rank and the flow solved again.
struct SlotClass {
  int list = 0;
  int need = 0;
  int split_rank = -1;  // the rank of its only group once split, else -1
  std::vector<RankGroup> groups;  // by rank
  int members = 0;
  std::int64_t edge_begin = 0;
};

// Min-cost max-flow by successive shortest paths on the network
//   source -> class (cost: due rank) -> reviewer (cost 0) -> sink (convex: MarginalLoadCost).
// A shortest path is simple, so it touches the source and the sink once and its cost is just
// (rank of its first class, marginal cost of its last reviewer): the middle edges cost nothing.
// That makes the shortest-path step a breadth-first search instead of Dijkstra:
//  - ranks are served in order: by the monotonicity of SSP distances, once no path leaves the
//    groups of rank k, none ever will again;
//  - within a rank, the cheapest next unit goes to a reachable reviewer with room and the least
//    marginal cost lambda. The search goes layer by layer and stops after a layer that reaches
//    the floor (no unit can cost less), since nothing further can be cheaper.
// Every tree path to a reviewer at lambda that is still intact after the earlier ones is also a
// shortest path (distances never decrease, and it costs lambda), so one search feeds all of them.
class FlowNetwork {
 public:
  FlowNetwork(std::vector<SlotClass>& classes, const Prepared& p, const std::vector<int>& caps)
      : classes_(classes), p_(p), caps_(caps) {
    n_classes_ = int(classes_.size());
    n_reviewers_ = int(p_.room.size());
    edge_end_.resize(classes_.size());
    for (int c = 0; c < n_classes_; ++c) {
      classes_[c].edge_begin = std::int64_t(edge_to_.size());
      for (int r : p_.lists[classes_[c].list]) {
        if (p_.room[r] == 0) continue;
        edge_to_.push_back(r);
        edge_class_.push_back(c);
      }
      edge_end_[c] = std::int64_t(edge_to_.size());
    }
    edge_flow_.assign(edge_to_.size(), 0);
    in_used_.assign(edge_to_.size(), 0);
    used_.resize(n_reviewers_);
    sent_.assign(n_reviewers_, 0);
    class_seen_.assign(n_classes_, -1);
    reviewer_seen_.assign(n_reviewers_, -1);
    class_parent_.assign(n_classes_, -1);
    reviewer_parent_.assign(n_reviewers_, -1);
  }

  std::int64_t EdgeCount() const { return std::int64_t(edge_to_.size()); }

  // Returns the number of searches.
  int Run(int n_ranks) {
    std::vector<std::vector<std::pair<int, int>>> by_rank(n_ranks);  // (class, group)
    for (int c = 0; c < n_classes_; ++c) {
      for (int g = 0; g < int(classes_[c].groups.size()); ++g) {
        by_rank[classes_[c].groups[g].rank].emplace_back(c, g);
      }
    }
    for (const auto& sources : by_rank) {
      rank_floor_ = 0;
      while (true) {
        ++searches_;
        if (!SearchAndAugment(sources, searches_)) break;
      }
    }
    return searches_;
  }

  // Per class: (reviewer, units) with units > 0.
  std::vector<std::pair<int, int>> ClassFlow(int c) const {
    std::vector<std::pair<int, int>> out;
    for (std::int64_t e = classes_[c].edge_begin; e < edge_end_[c]; ++e) {
      if (edge_flow_[e] > 0) out.emplace_back(edge_to_[e], edge_flow_[e]);
    }
    return out;
  }

 private:
  std::int64_t Marginal(int r) const { return MarginalLoadCost(p_.load[r] + sent_[r], caps_[r]); }
  bool HasRoom(int r) const { return sent_[r] < p_.room[r]; }
  int EdgeCap(std::int64_t e) const { return classes_[edge_class_[e]].members; }

  // One search from the rank's groups with supply left; false when none reaches room.
  bool SearchAndAugment(const std::vector<std::pair<int, int>>& sources, int stamp) {
    queue_.clear();
    for (auto [c, g] : sources) {
      const RankGroup& group = classes_[c].groups[g];
      if (group.sent < group.supply) {
        class_seen_[c] = stamp;
        class_parent_[c] = -1 - g;  // a root, fed through group g
        queue_.push_back(c);
      }
    }
    if (queue_.empty()) return false;
    reached_.clear();
    // No unit can cost less than the cheapest reviewer with room, nor less than the last unit of
    // this rank. A layer that reaches that floor ends the search early.
    std::int64_t floor = std::numeric_limits<std::int64_t>::max();
    for (int r = 0; r < n_reviewers_; ++r) {
      if (HasRoom(r)) floor = std::min(floor, Marginal(r));
    }
    floor = std::max(floor, rank_floor_);
    if (floor == std::numeric_limits<std::int64_t>::max()) return false;  // nobody has room
    if (DirectAtFloor(sources, floor)) return true;
    bool at_floor = false;
    std::size_t layer_end = queue_.size();
    // Queue entries: classes as c, reviewers as ~r.
    for (std::size_t head = 0; head < queue_.size(); ++head) {
      if (head == layer_end) {
        if (at_floor) break;
        layer_end = queue_.size();
      }
      const int node = queue_[head];
      if (node >= 0) {
        const int cap = classes_[node].members;
        for (std::int64_t e = classes_[node].edge_begin; e < edge_end_[node]; ++e) {
          const int r = edge_to_[e];
          if (reviewer_seen_[r] == stamp || edge_flow_[e] >= cap) continue;
          reviewer_seen_[r] = stamp;
          reviewer_parent_[r] = e;
          queue_.push_back(~r);
          reached_.push_back(r);
          at_floor = at_floor || (HasRoom(r) && Marginal(r) == floor);
        }
      } else {
        auto& used = used_[~node];
        for (std::size_t k = 0; k < used.size();) {
          const std::int64_t e = used[k];
          if (edge_flow_[e] == 0) {  // drained since it was listed
            in_used_[e] = 0;
            used[k] = used.back();
            used.pop_back();
            continue;
          }
          ++k;
          const int c = edge_class_[e];
          if (class_seen_[c] == stamp) continue;
          class_seen_[c] = stamp;
          class_parent_[c] = e;
          queue_.push_back(c);
        }
      }
    }
    std::int64_t lambda = std::numeric_limits<std::int64_t>::max();
    for (int r : reached_) {
      if (HasRoom(r)) lambda = std::min(lambda, Marginal(r));
    }
    if (lambda == std::numeric_limits<std::int64_t>::max()) return false;
    rank_floor_ = lambda;
    for (int r : reached_) {
      if (HasRoom(r) && Marginal(r) == lambda && PathIntact(r)) Augment(r);
    }
    return true;
  }

  // Units straight from a source group to a reviewer at the floor cost exactly the floor, which
  // no path can undercut, so they are shortest paths and need no search. This does most of the
  // work while reviewers still have room; the search handles what needs rerouting.
  bool DirectAtFloor(const std::vector<std::pair<int, int>>& sources, std::int64_t floor) {
    bool any = false;
    for (auto [c, g] : sources) {
      RankGroup& group = classes_[c].groups[g];
      const int cap = classes_[c].members;
      for (std::int64_t e = classes_[c].edge_begin;
           e < edge_end_[c] && group.sent < group.supply; ++e) {
        const int r = edge_to_[e];
        while (group.sent < group.supply && edge_flow_[e] < cap && HasRoom(r) &&
               Marginal(r) == floor) {
          ++edge_flow_[e];
          if (!in_used_[e]) {
            in_used_[e] = 1;
            used_[r].push_back(e);
          }
          ++sent_[r];
          ++group.sent;
          any = true;
        }
      }
    }
    if (any) rank_floor_ = floor;
    return any;
  }

  bool PathIntact(int r) const {
    while (true) {
      const std::int64_t e = reviewer_parent_[r];
      if (edge_flow_[e] >= EdgeCap(e)) return false;
      const int c = edge_class_[e];
      const std::int64_t back = class_parent_[c];
      if (back < 0) {
        const RankGroup& group = classes_[c].groups[-1 - back];
        return group.sent < group.supply;
      }
      if (edge_flow_[back] == 0) return false;
      r = edge_to_[back];
    }
  }

  void Augment(int r) {
    ++sent_[r];
    while (true) {
      const std::int64_t e = reviewer_parent_[r];
      ++edge_flow_[e];
      if (!in_used_[e]) {
        in_used_[e] = 1;
        used_[edge_to_[e]].push_back(e);
      }
      const int c = edge_class_[e];
      const std::int64_t back = class_parent_[c];
      if (back < 0) {
        ++classes_[c].groups[-1 - back].sent;
        return;
      }
      --edge_flow_[back];
      r = edge_to_[back];
    }
  }

  std::vector<SlotClass>& classes_;
  const Prepared& p_;
  const std::vector<int>& caps_;
  int n_classes_ = 0;
  int n_reviewers_ = 0;
  int searches_ = 0;
  std::int64_t rank_floor_ = 0;
  std::vector<int> edge_to_;
  std::vector<int> edge_class_;
  std::vector<std::int64_t> edge_end_;
  std::vector<int> edge_flow_;
  std::vector<std::vector<std::int64_t>> used_;  // per reviewer: class edges that may carry flow
  std::vector<char> in_used_;
  std::vector<int> sent_;
  std::vector<int> class_seen_, reviewer_seen_;
  std::vector<std::int64_t> class_parent_, reviewer_parent_;
  std::vector<int> queue_;
  std::vector<int> reached_;
};

}  // namespace

bool IsEligible(const ReviewSlot& slot, const Reviewer& reviewer) {
  if (reviewer.id == slot.educator_id) return false;
  if (std::find(slot.excluded_reviewer_ids.begin(), slot.excluded_reviewer_ids.end(),
                reviewer.id) != slot.excluded_reviewer_ids.end()) {
    return false;
  }
  // An unknown school or district (an empty id) is nobody's: it never makes a conflict by itself.
  if (!slot.school_id.empty() && reviewer.school_id == slot.school_id) return false;
  if (slot.never_same_district && !slot.district_id.empty() && reviewer.district_id == slot.district_id)
    return false;
  const auto& mcs = reviewer.micro_credential_ids;
  if (std::find(mcs.begin(), mcs.end(), slot.micro_credential_id) != mcs.end()) return true;
  for (const auto& tag : slot.tags) {
    if (std::find(reviewer.tags.begin(), reviewer.tags.end(), tag) != reviewer.tags.end()) {
      return true;
    }
  }
  return false;
}

std::int64_t MarginalLoadCost(int load, int cap) {
  // The step of load/cap the next review starts in: non-decreasing in load, so the total is
  // convex, and the same for every reviewer at the same fraction of their cap.
  const std::int64_t c = std::max(cap, 1);
  return kLoadLevels * std::int64_t(std::max(load, 0)) / c;
}

std::string_view ToString(UnassignedReason reason) {
  switch (reason) {
    case UnassignedReason::kNoEligibleReviewer: return "no_eligible_reviewer";
    case UnassignedReason::kTooFewEligibleReviewers: return "too_few_eligible_reviewers";
    case UnassignedReason::kAllEligibleAtCapacity: return "all_eligible_at_capacity";
  }
  return "unknown";
}

// Deals a class's flow out to its members: quotas spread each group's units as evenly as they go
// (the most members taking part), then reviewers, most units first, each take the members with
// the most quota left (Havel-Hakimi, which finds a simple bipartite realization whenever one
// exists). False if none exists: then the class needs splitting by rank.
bool DealOut(const SlotClass& cls, const std::vector<std::pair<int, int>>& flow,
             std::vector<std::vector<int>>& chosen) {
  std::vector<std::vector<int>> by_quota(kMaxReviewersPerSubmission + 1);
  for (const auto& group : cls.groups) {
    const int size = int(group.members.size());
    const int active = std::min(size, group.sent);
    for (int k = 0; k < active; ++k) {
      const int quota = group.sent / active + (k < group.sent % active ? 1 : 0);
      by_quota[quota].push_back(group.members[k]);
    }
  }
  for (auto& members : by_quota) std::reverse(members.begin(), members.end());  // pop from front
  std::vector<std::pair<int, int>> order = flow;
  std::sort(order.begin(), order.end(), [](auto a, auto b) {
    return a.second != b.second ? a.second > b.second : a.first < b.first;
  });
  std::vector<std::pair<int, int>> taken;  // (member, quota before)
  for (auto [r, units] : order) {
    taken.clear();
    for (int q = kMaxReviewersPerSubmission; q >= 1 && int(taken.size()) < units; --q) {
      while (!by_quota[q].empty() && int(taken.size()) < units) {
        taken.emplace_back(by_quota[q].back(), q);
        by_quota[q].pop_back();
      }
    }
    if (int(taken.size()) < units) return false;
    for (auto [member, q] : taken) {
      chosen[member].push_back(r);
      by_quota[q - 1].push_back(member);
    }
    // Keep each bucket in a fixed order so the deal is deterministic and fair.
    for (auto& members : by_quota) std::sort(members.rbegin(), members.rend());
  }
  return true;
}

Result<AssignmentPlan> AssignReviewers(const AssignmentInput& input) {
  auto prepared = Prepare(input);
  if (!prepared) return prepared.error();
  const Prepared& p = *prepared;
  const std::vector<int> rank = DueRanks(input.slots);
  const int n_ranks = rank.empty() ? 0 : *std::max_element(rank.begin(), rank.end()) + 1;
  std::vector<int> caps;
  for (const auto& r : input.reviewers) caps.push_back(r.load_cap);

  AssignmentStats stats;
  for (std::size_t i = 0; i < input.slots.size(); ++i) stats.slots_requested += p.need[i];
  // Lists whose classes are kept apart by rank. When the pool cannot cover the demand, some
  // groups will be served in part, so merged classes would mostly fail: start split.
  const std::int64_t room = std::accumulate(p.room.begin(), p.room.end(), std::int64_t{0});
  std::vector<char> split(p.lists.size(), room < stats.slots_requested ? 1 : 0);
  while (true) {
    std::map<std::tuple<int, int, int>, int> class_by_key;
    std::vector<SlotClass> classes;
    for (std::size_t i = 0; i < input.slots.size(); ++i) {
      const int list = p.eligible_list[i];
      if (p.need[i] == 0 || p.lists[list].empty()) continue;
      auto key = std::make_tuple(list, p.need[i], split[list] ? rank[i] : -1);
      auto [it, added] = class_by_key.emplace(key, int(classes.size()));
      if (added) classes.push_back({list, p.need[i], std::get<2>(key), {}, 0, 0});
      auto& cls = classes[it->second];
      auto group = std::find_if(cls.groups.begin(), cls.groups.end(),
                                [&](const RankGroup& g) { return g.rank == rank[i]; });
      if (group == cls.groups.end()) group = cls.groups.insert(cls.groups.end(), {rank[i], {}, 0, 0});
      group->members.push_back(int(i));
      group->supply += p.need[i];
      ++cls.members;
    }
    std::sort(classes.begin(), classes.end(), [](const SlotClass& a, const SlotClass& b) {
      return std::tie(a.list, a.need, a.split_rank) < std::tie(b.list, b.need, b.split_rank);
    });
    for (auto& cls : classes) {
      std::sort(cls.groups.begin(), cls.groups.end(),
                [](const RankGroup& a, const RankGroup& b) { return a.rank < b.rank; });
    }

    FlowNetwork network(classes, p, caps);
    stats.submission_classes = int(classes.size());
    stats.class_edges = network.EdgeCount();
    stats.searches += network.Run(n_ranks);

    std::vector<std::vector<int>> chosen(input.slots.size());
    bool realized = true;
    for (int c = 0; c < int(classes.size()); ++c) {
      if (!DealOut(classes[c], network.ClassFlow(c), chosen)) {
        // A class of one rank always deals out (its caps are exact), so each round splits at
        // least one more list and the loop ends; this guards that reasoning.
        if (split[classes[c].list]) return Error::Internal("assignment class failed to deal out");
        split[classes[c].list] = 1;
        realized = false;
      }
    }
    if (!realized) {
      // A class that failed had a group served in part; others like it are likely to fail after
      // the re-solve, so split them all now rather than one round at a time.
      for (const auto& cls : classes) {
        if (cls.groups.size() < 2) continue;
        for (const auto& group : cls.groups) {
          if (group.sent < group.supply) split[cls.list] = 1;
        }
      }
      ++stats.refinements;
      continue;
    }
    for (auto& picks : chosen) std::sort(picks.begin(), picks.end());
    return Finish(input, p, std::move(chosen), stats);
  }
}

Result<AssignmentPlan> AssignReviewersGreedy(const AssignmentInput& input) {
  auto prepared = Prepare(input);
  if (!prepared) return prepared.error();
  const Prepared& p = *prepared;
  std::vector<int> order(input.slots.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(),
                   [&](int a, int b) { return input.slots[a].due < input.slots[b].due; });
  std::vector<int> load = p.load;
  std::vector<int> room = p.room;
  std::vector<std::vector<int>> chosen(input.slots.size());
  for (int i : order) {
    const auto& eligible = p.lists[p.eligible_list[i]];
    for (int k = 0; k < p.need[i]; ++k) {
      int best = -1;
      std::int64_t best_cost = 0;
      for (int r : eligible) {
        if (room[r] == 0) continue;
        if (std::find(chosen[i].begin(), chosen[i].end(), r) != chosen[i].end()) continue;
        const std::int64_t cost = MarginalLoadCost(load[r], input.reviewers[r].load_cap);
        if (best < 0 || cost < best_cost) {
          best = r;
          best_cost = cost;
        }
      }
      if (best < 0) break;
      chosen[i].push_back(best);
      ++load[best];
      --room[best];
    }
  }
  for (auto& picks : chosen) std::sort(picks.begin(), picks.end());
  AssignmentStats stats;
  for (std::size_t i = 0; i < input.slots.size(); ++i) stats.slots_requested += p.need[i];
  return Finish(input, p, std::move(chosen), stats);
}

}  // namespace cairn::core::review
