#pragma once
// Content-addressed storage for evidence bytes: <root>/ab/cd/<sha256 hex>. A blob is written once
// (temp file in the same directory tree, fsync, rename, fsync the directory), so a crash leaves
// either the whole blob or none, and storing the same content twice is a no-op.
#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "core/common/result.hpp"

namespace cairn::blobs {

// Streaming SHA-256, so a file can be hashed while it arrives.
class Sha256 {
 public:
  Sha256();
  ~Sha256();
  Sha256(const Sha256&) = delete;
  Sha256& operator=(const Sha256&) = delete;
  void Update(const void* data, std::size_t size);
  std::string HexDigest();  // finishes; call once

 private:
  void* ctx_;
};

// The hex SHA-256 of a file's bytes; kInternal when it cannot be read.
core::Result<std::string> HashFile(const std::filesystem::path& path);
bool IsSha256Hex(std::string_view text);

// fsync a file or directory by path; false on failure.
bool SyncPath(const std::filesystem::path& path);

class BlobStore {
 public:
  explicit BlobStore(std::filesystem::path root);

  const std::filesystem::path& root() const { return root_; }
  // Where the blob lives (whether or not it exists). sha256 must be 64 lowercase hex digits.
  std::filesystem::path PathOf(std::string_view sha256) const;
  bool Contains(std::string_view sha256) const;

  // Moves `file` (on the same filesystem, e.g. under TempDir()) into the store as the blob whose
  // hash the caller computed. When the blob exists already, `file` is removed and the stored one
  // kept. The caller must have fsynced `file`'s contents.
  core::Status Adopt(const std::filesystem::path& file, std::string_view sha256);
  // Hashes and copies `file` into the store (kept as is); returns the hash.
  core::Result<std::string> Put(const std::filesystem::path& file);
  // Removes the blob; missing blobs are fine.
  core::Status Remove(std::string_view sha256);
  // Every blob's hash and modification time, for the cleanup job.
  struct Entry {
    std::string sha256;
    std::filesystem::file_time_type modified;
  };
  std::vector<Entry> List() const;

  // A directory on the same filesystem for partial files and temporaries.
  std::filesystem::path TempDir() const { return root_ / "tmp"; }

 private:
  std::filesystem::path root_;
};

}  // namespace cairn::blobs
