#pragma once
// RDF Dataset Canonicalization (RDFC-1.0), https://www.w3.org/TR/rdf-canon/
#include <cstddef>
#include <map>
#include <string>
#include <string_view>

#include "credentials/digest.hpp"
#include "credentials/rdf.hpp"

namespace cairn::credentials::rdfc {

struct Options {
  HashAlgorithm hash = HashAlgorithm::kSha256;
  // Bounds the Hash N-Degree Quads recursion, so a poison graph is refused instead of hanging.
  // Counted as in rdf-canonize's maxWorkFactor: the limit is (blank nodes)^factor calls.
  // Independently, a fixed budget of calls and permutations (rdfc.cpp, kMaxSteps) bounds every
  // run, since the factor limit grows with blank nodes that an attacker can add for free.
  int max_work_factor = 3;
};

struct Canonical {
  std::string nquads;                          // sorted canonical N-Quads, each line ending "\n"
  std::map<std::string, std::string> issued;   // input blank node label -> canonical label (c14nN)
};

// Throws CredentialError when the work limit is exceeded.
Canonical Canonicalize(const rdf::Dataset& dataset, const Options& options = {});

}  // namespace cairn::credentials::rdfc
