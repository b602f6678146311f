#include "credentials/rdfc.hpp"

#include <openssl/evp.h>

#include <algorithm>
#include <array>
#include <cstdint>
#include <limits>
#include <map>
#include <numeric>
#include <unordered_map>
#include <vector>

#include "credentials/error.hpp"
#include "credentials/nquads.hpp"

namespace cairn::credentials::rdfc {
namespace {

using rdf::TermKind;

// Hash N-Degree Quads recurses once per blank node along a chain of look-alike nodes; a bound
// keeps a hostile chain from exhausting the stack before the work limit notices it.
constexpr std::size_t kMaxDepth = 1000;
// The factor limit alone is not enough: it grows with the number of look-alike blank nodes, which
// an attacker can pad for free, and permutations skipped before any recursion are not counted by
// it. So every call and every permutation also spends one step of a fixed budget: 75 times what
// the hardest W3C test needs (3,348), and small enough that a padded poison graph is refused in
// well under a second.
constexpr std::uint64_t kMaxSteps = 250000;

// One digest context for a whole run: RDFC-1.0 hashes many short strings, and creating a context
// and fetching the algorithm for each of them would cost more than the hashing itself.
class Hasher {
 public:
  explicit Hasher(HashAlgorithm alg) : md_(Md(alg)), ctx_(EVP_MD_CTX_new()) {
    if (md_ == nullptr || ctx_ == nullptr) throw CredentialError("RDFC-1.0: digest unavailable");
  }
  ~Hasher() { EVP_MD_CTX_free(ctx_); }
  Hasher(const Hasher&) = delete;
  Hasher& operator=(const Hasher&) = delete;

  void Begin() {
    if (EVP_DigestInit_ex2(ctx_, md_, nullptr) != 1) throw CredentialError("RDFC-1.0: digest failed");
  }
  void Update(std::string_view data) { EVP_DigestUpdate(ctx_, data.data(), data.size()); }
  std::string FinishHex() {
    static constexpr char kHex[] = "0123456789abcdef";
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int len = 0;
    if (EVP_DigestFinal_ex(ctx_, digest, &len) != 1) throw CredentialError("RDFC-1.0: digest failed");
    std::string hex(len * 2, '\0');
    for (unsigned int k = 0; k < len; ++k) {
      hex[2 * k] = kHex[digest[k] >> 4];
      hex[2 * k + 1] = kHex[digest[k] & 15];
    }
    return hex;
  }

 private:
  static const EVP_MD* Md(HashAlgorithm alg) {
    // Fetched once per process; OpenSSL keeps them for the process lifetime anyway.
    static const EVP_MD* const kSha256 = EVP_MD_fetch(nullptr, "SHA2-256", nullptr);
    static const EVP_MD* const kSha384 = EVP_MD_fetch(nullptr, "SHA2-384", nullptr);
    return alg == HashAlgorithm::kSha384 ? kSha384 : kSha256;
  }

  const EVP_MD* md_;
  EVP_MD_CTX* ctx_;
};

// The subject, object and graph name: the positions a blank node can take, with the position
// names Hash Related Blank Node uses.
constexpr std::array<std::string_view, 3> kPositionNames = {"s", "o", "g"};

const rdf::Term& TermAt(const rdf::Quad& q, int position) {
  return position == 0 ? q.subject : position == 1 ? q.object : q.graph;
}

void CheckQuad(const rdf::Quad& q) {
  if (q.subject.kind != TermKind::kIri && q.subject.kind != TermKind::kBlankNode)
    throw CredentialError("RDFC-1.0: subject must be an IRI or a blank node");
  if (q.predicate.kind != TermKind::kIri) throw CredentialError("RDFC-1.0: predicate must be an IRI");
  if (q.object.kind == TermKind::kDefaultGraph)
    throw CredentialError("RDFC-1.0: object must be an IRI, blank node or literal");
  if (q.graph.kind == TermKind::kLiteral) throw CredentialError("RDFC-1.0: graph name cannot be a literal");
}

struct QuadRef {
  const rdf::Quad* quad;
  std::array<int, 3> bnode;  // blank node index at subject, object, graph; -1 for other terms
  // The quad's other terms serialized once, since every hash and the output need them:
  // text[cut[i], cut[i+1]) is the subject, predicate, object, graph (empty where a blank node is).
  std::string text;
  std::array<std::uint32_t, 5> cut;

  std::string_view Piece(int i) const { return std::string_view(text).substr(cut[i], cut[i + 1] - cut[i]); }
};

// An identifier issuer: the blank nodes in the order they were issued, so the issued identifier
// is the position. Issuers are small and copied per permutation, so a vector beats a map.
struct Issuer {
  std::vector<int> issued;

  int IdOf(int node) const {
    auto it = std::find(issued.begin(), issued.end(), node);
    return it == issued.end() ? -1 : static_cast<int>(it - issued.begin());
  }
  int Issue(int node) {
    int id = IdOf(node);
    if (id >= 0) return id;
    issued.push_back(node);
    return static_cast<int>(issued.size() - 1);
  }
};

struct NDegreeResult {
  std::string hash;
  Issuer issuer;
};

class Canonicalizer {
 public:
  Canonicalizer(const rdf::Dataset& dataset, const Options& options)
      : hasher_(options.hash), options_(options) {
    if (options.max_work_factor < 0) throw CredentialError("RDFC-1.0: max_work_factor must be >= 0");
    CollectQuads(dataset);
  }

  Canonical Run() {
    for (std::size_t n = 0; n < nodes_.size(); ++n)
      nodes_[n].first_degree = HashFirstDegree(static_cast<int>(n));

    // Nodes keep input order within a hash, as the spec's ordered maps do; ties among
    // automorphic nodes are then broken the same way as in other implementations.
    std::vector<int> by_hash(nodes_.size());
    std::iota(by_hash.begin(), by_hash.end(), 0);
    std::stable_sort(by_hash.begin(), by_hash.end(),
                     [&](int a, int b) { return nodes_[a].first_degree < nodes_[b].first_degree; });
    std::vector<std::vector<int>> shared;
    std::uint64_t shared_count = 0;
    for (std::size_t begin = 0, end = 0; begin < by_hash.size(); begin = end) {
      end = begin + 1;
      while (end < by_hash.size() && nodes_[by_hash[end]].first_degree == nodes_[by_hash[begin]].first_degree)
        ++end;
      if (end - begin == 1) {
        IssueCanonical(by_hash[begin]);
      } else {
        shared.emplace_back(by_hash.begin() + begin, by_hash.begin() + end);
        shared_count += end - begin;
      }
    }
    remaining_calls_ = WorkLimit(shared_count, options_.max_work_factor);

    for (const auto& ids : shared) {
      std::vector<NDegreeResult> paths;
      for (int id : ids) {
        if (nodes_[id].canonical >= 0) continue;
        Issuer temporary;
        temporary.Issue(id);
        paths.push_back(HashNDegree(id, std::move(temporary), 0));
      }
      std::stable_sort(paths.begin(), paths.end(),
                       [](const NDegreeResult& a, const NDegreeResult& b) { return a.hash < b.hash; });
      for (const auto& path : paths)
        for (int id : path.issuer.issued) IssueCanonical(id);
    }
    return Output();
  }

 private:
  struct BlankNode {
    std::string_view label;
    std::vector<int> quads;
    std::string first_degree;
    int canonical = -1;
  };

  static std::uint64_t WorkLimit(std::uint64_t nodes, int factor) {
    if (factor == 0) return 0;
    std::uint64_t limit = 1;
    for (int k = 0; k < factor; ++k) {
      if (nodes != 0 && limit > std::numeric_limits<std::uint64_t>::max() / nodes)
        return std::numeric_limits<std::uint64_t>::max();
      limit *= nodes;
    }
    return limit;
  }

  // A dataset is a set: repeated quads are dropped, keeping first occurrences in input order.
  void CollectQuads(const rdf::Dataset& dataset) {
    std::vector<QuadRef> all;
    all.reserve(dataset.size());
    for (const auto& q : dataset) {
      CheckQuad(q);
      QuadRef ref{&q, {-1, -1, -1}, {}, {}};
      ref.text.reserve(q.subject.value.size() + q.predicate.value.size() + q.object.value.size() +
                       q.object.datatype.size() + q.object.language.size() + q.graph.value.size() + 16);
      const std::array<const rdf::Term*, 4> terms = {&q.subject, &q.predicate, &q.object, &q.graph};
      for (int i = 0; i < 4; ++i) {
        ref.cut[i] = static_cast<std::uint32_t>(ref.text.size());
        if (terms[i]->kind != TermKind::kBlankNode) nquads::AppendTerm(ref.text, *terms[i]);
      }
      ref.cut[4] = static_cast<std::uint32_t>(ref.text.size());
      all.push_back(std::move(ref));
    }
    const std::vector<bool> keep = FirstOccurrences(all);

    std::unordered_map<std::string_view, int> index;
    for (std::size_t k = 0; k < all.size(); ++k) {
      if (!keep[k]) continue;
      QuadRef& ref = all[k];
      const int quad_index = static_cast<int>(quads_.size());
      for (int position = 0; position < 3; ++position) {
        const rdf::Term& term = TermAt(*ref.quad, position);
        if (term.kind != TermKind::kBlankNode) continue;
        auto [it, inserted] = index.try_emplace(term.value, static_cast<int>(nodes_.size()));
        if (inserted) nodes_.push_back(BlankNode{term.value, {}, {}, -1});
        auto& node_quads = nodes_[it->second].quads;
        if (node_quads.empty() || node_quads.back() != quad_index) node_quads.push_back(quad_index);
        ref.bnode[position] = it->second;
      }
      quads_.push_back(std::move(ref));
    }
  }

  // Equal quads serialize equally once blank node labels are compared too, and comparing the
  // serialized text is cheaper than comparing terms field by field.
  static std::vector<bool> FirstOccurrences(const std::vector<QuadRef>& all) {
    auto compare = [&](std::size_t a, std::size_t b) {
      if (int c = all[a].text.compare(all[b].text)) return c;
      if (all[a].cut != all[b].cut) return all[a].cut < all[b].cut ? -1 : 1;
      for (int position = 0; position < 3; ++position) {
        const rdf::Term& ta = TermAt(*all[a].quad, position);
        const rdf::Term& tb = TermAt(*all[b].quad, position);
        if (ta.kind != tb.kind) return ta.kind < tb.kind ? -1 : 1;
        if (ta.kind == TermKind::kBlankNode)
          if (int c = ta.value.compare(tb.value)) return c;
      }
      return 0;
    };
    std::vector<std::size_t> order(all.size());
    std::iota(order.begin(), order.end(), 0);
    std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
      const int c = compare(a, b);
      return c != 0 ? c < 0 : a < b;
    });
    std::vector<bool> keep(all.size(), true);
    for (std::size_t k = 1; k < order.size(); ++k)
      if (compare(order[k - 1], order[k]) == 0) keep[order[k]] = false;
    return keep;
  }

  template <typename Label>
  static void AppendQuad(std::string& out, const QuadRef& ref, Label label) {
    out.reserve(out.size() + ref.text.size() + 48);
    auto component = [&](int position, int piece) {
      if (ref.bnode[position] >= 0) {
        out += "_:";
        out += label(ref.bnode[position]);
      } else {
        out += ref.Piece(piece);
      }
    };
    component(0, 0);
    out.push_back(' ');
    out += ref.Piece(1);
    out.push_back(' ');
    component(1, 2);
    if (ref.quad->graph.kind != TermKind::kDefaultGraph) {
      out.push_back(' ');
      component(2, 3);
    }
    out += " .\n";
  }

  // RDFC-1.0 §4.6
  std::string HashFirstDegree(int node) {
    const auto& quads = nodes_[node].quads;
    auto& lines = Lines(quads.size());
    for (std::size_t k = 0; k < quads.size(); ++k)
      AppendQuad(lines[k], quads_[quads[k]], [node](int other) { return other == node ? "a" : "z"; });
    auto sorted = SortedViews(lines, quads.size());
    hasher_.Begin();
    for (auto line : sorted) hasher_.Update(line);
    return hasher_.FinishHex();
  }

  // Line buffers reused across calls: serializing quads is most of the work on common inputs,
  // and allocation was a large share of it.
  std::vector<std::string>& Lines(std::size_t count) {
    if (lines_.size() < count) lines_.resize(count);
    for (std::size_t k = 0; k < count; ++k) lines_[k].clear();
    return lines_;
  }

  static std::vector<std::string_view> SortedViews(const std::vector<std::string>& lines, std::size_t count) {
    std::vector<std::string_view> views(lines.begin(), lines.begin() + static_cast<std::ptrdiff_t>(count));
    std::sort(views.begin(), views.end());
    return views;
  }

  // RDFC-1.0 §4.7
  std::string HashRelated(int related, const QuadRef& ref, const Issuer& issuer, int position) {
    hasher_.Begin();
    hasher_.Update(kPositionNames[position]);
    if (position != 2) {
      hasher_.Update("<");
      hasher_.Update(ref.quad->predicate.value);
      hasher_.Update(">");
    }
    if (nodes_[related].canonical >= 0) {
      hasher_.Update("_:c14n" + std::to_string(nodes_[related].canonical));
    } else if (int id = issuer.IdOf(related); id >= 0) {
      hasher_.Update("_:b" + std::to_string(id));
    } else {
      hasher_.Update(nodes_[related].first_degree);
    }
    return hasher_.FinishHex();
  }

  // RDFC-1.0 §4.8
  NDegreeResult HashNDegree(int node, Issuer issuer, std::size_t depth) {
    if (remaining_calls_ == 0)
      throw CredentialError(
          "RDFC-1.0: work limit exceeded; the dataset's blank nodes are too "
          "symmetric to canonicalize");
    --remaining_calls_;
    Spend();
    if (depth > kMaxDepth) throw CredentialError("RDFC-1.0: blank node chain too deep");

    std::map<std::string, std::vector<int>> related_by_hash;
    for (int q : nodes_[node].quads) {
      const QuadRef& ref = quads_[q];
      for (int position = 0; position < 3; ++position) {
        int related = ref.bnode[position];
        if (related >= 0 && related != node)
          related_by_hash[HashRelated(related, ref, issuer, position)].push_back(related);
      }
    }

    std::string data_to_hash;
    for (auto& [related_hash, related] : related_by_hash) {
      data_to_hash += related_hash;
      std::string chosen_path;
      Issuer chosen_issuer;
      std::sort(related.begin(), related.end());
      do {
        Spend();
        Issuer copy = issuer;
        std::string path;
        std::vector<int> recursion;
        auto longer_than_chosen = [&] {
          return !chosen_path.empty() && path.size() >= chosen_path.size() && path > chosen_path;
        };
        bool skip = false;
        for (int r : related) {
          if (nodes_[r].canonical >= 0) {
            path += "_:c14n" + std::to_string(nodes_[r].canonical);
          } else {
            if (copy.IdOf(r) < 0) recursion.push_back(r);
            path += "_:b" + std::to_string(copy.Issue(r));
          }
          if ((skip = longer_than_chosen())) break;
        }
        if (skip) continue;
        for (int r : recursion) {
          NDegreeResult result = HashNDegree(r, copy, depth + 1);
          path += "_:b" + std::to_string(copy.Issue(r));
          path += '<';
          path += result.hash;
          path += '>';
          copy = std::move(result.issuer);
          if ((skip = longer_than_chosen())) break;
        }
        if (skip) continue;
        if (chosen_path.empty() || path < chosen_path) {
          chosen_path = std::move(path);
          chosen_issuer = std::move(copy);
        }
      } while (std::next_permutation(related.begin(), related.end()));
      data_to_hash += chosen_path;
      issuer = std::move(chosen_issuer);
    }
    hasher_.Begin();
    hasher_.Update(data_to_hash);
    return {hasher_.FinishHex(), std::move(issuer)};
  }

  void Spend() {
    if (++steps_ > kMaxSteps)
      throw CredentialError(
          "RDFC-1.0: work limit exceeded; the dataset's blank nodes are too "
          "symmetric to canonicalize");
  }

  void IssueCanonical(int node) {
    if (nodes_[node].canonical >= 0) return;
    nodes_[node].canonical = static_cast<int>(canonical_order_.size());
    canonical_order_.push_back(node);
  }

  Canonical Output() {
    std::vector<std::string> labels(nodes_.size());
    Canonical result;
    for (std::size_t n = 0; n < nodes_.size(); ++n) {
      labels[n] = "c14n" + std::to_string(nodes_[n].canonical);
      result.issued.emplace(std::string(nodes_[n].label), labels[n]);
    }
    auto& lines = Lines(quads_.size());
    std::size_t total = 0;
    for (std::size_t k = 0; k < quads_.size(); ++k) {
      AppendQuad(lines[k], quads_[k], [&](int node) -> const std::string& { return labels[node]; });
      total += lines[k].size();
    }
    result.nquads.reserve(total);
    for (auto line : SortedViews(lines, quads_.size())) result.nquads += line;
    return result;
  }

  Hasher hasher_;
  const Options& options_;
  std::vector<QuadRef> quads_;
  std::vector<BlankNode> nodes_;
  std::vector<int> canonical_order_;
  std::vector<std::string> lines_;
  std::uint64_t remaining_calls_ = 0;
  std::uint64_t steps_ = 0;
};

}  // namespace

Canonical Canonicalize(const rdf::Dataset& dataset, const Options& options) {
  return Canonicalizer(dataset, options).Run();
}

}  // namespace cairn::credentials::rdfc
