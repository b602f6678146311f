#pragma once
// Published versions never change, so their JSON rendering (with Markdown turned into HTML) can be
// made once and served as is. Entries are keyed by id, version and state, and a reader first asks
// the database for the current stamp: a new version or a retirement simply changes the key.
#include <cstddef>
#include <list>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>

namespace cairn::app::catalog {

class RenderedCache {
 public:
  using Body = std::shared_ptr<const std::string>;

  explicit RenderedCache(std::size_t max_bytes = 64u << 20) : max_bytes_(max_bytes) {}

  // Thread-safe. Find refreshes the entry; Put evicts least recently used entries past the bound.
  Body Find(const std::string& key);
  void Put(const std::string& key, Body body);
  std::size_t bytes() const;

 private:
  using Entry = std::pair<std::string, Body>;
  mutable std::mutex mutex_;
  std::list<Entry> order_;  // most recently used first
  std::unordered_map<std::string, std::list<Entry>::iterator> index_;
  std::size_t bytes_ = 0;
  std::size_t max_bytes_;
};

}  // namespace cairn::app::catalog
