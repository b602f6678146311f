#include "blobs/blob_store.hpp"

#include <fcntl.h>
#include <openssl/evp.h>
#include <unistd.h>

#include <cstdio>
#include <memory>
#include <random>
#include <system_error>

namespace cairn::blobs {

namespace fs = std::filesystem;

namespace {

core::Error Internal(const std::string& message, const std::string& detail) {
  return core::Error{core::ErrorCode::kInternal, message, detail, {}};
}

std::string RandomSuffix() {
  thread_local std::mt19937_64 rng{std::random_device{}()};
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out(16, '0');
  auto v = rng();
  for (int i = 0; i < 16; ++i) out[i] = kHex[(v >> (i * 4)) & 0xF];
  return out;
}

}  // namespace

Sha256::Sha256() : ctx_(EVP_MD_CTX_new()) {
  EVP_DigestInit_ex(static_cast<EVP_MD_CTX*>(ctx_), EVP_sha256(), nullptr);
}
Sha256::~Sha256() { EVP_MD_CTX_free(static_cast<EVP_MD_CTX*>(ctx_)); }
void Sha256::Update(const void* data, std::size_t size) {
  EVP_DigestUpdate(static_cast<EVP_MD_CTX*>(ctx_), data, size);
}
std::string Sha256::HexDigest() {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  EVP_DigestFinal_ex(static_cast<EVP_MD_CTX*>(ctx_), digest, &length);
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(length * 2);
  for (unsigned int i = 0; i < length; ++i) {
    out += kHex[digest[i] >> 4];
    out += kHex[digest[i] & 0xF];
  }
  return out;
}

core::Result<std::string> HashFile(const fs::path& path) {
  std::unique_ptr<std::FILE, int (*)(std::FILE*)> file(std::fopen(path.c_str(), "rb"),
                                                       &std::fclose);
  if (!file) return Internal("cannot read a stored file", "open " + path.string());
  Sha256 hash;
  std::vector<char> chunk(256 * 1024);
  while (std::size_t n = std::fread(chunk.data(), 1, chunk.size(), file.get()))
    hash.Update(chunk.data(), n);
  if (std::ferror(file.get()))
    return Internal("cannot read a stored file", "read " + path.string());
  return hash.HexDigest();
}

bool IsSha256Hex(std::string_view text) {
  if (text.size() != 64) return false;
  for (char c : text)
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  return true;
}

bool SyncPath(const fs::path& path) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return false;
  bool ok = ::fsync(fd) == 0;
  ::close(fd);
  return ok;
}

BlobStore::BlobStore(fs::path root) : root_(std::move(root)) {}

fs::path BlobStore::PathOf(std::string_view sha256) const {
  std::string hex(sha256);
  return root_ / hex.substr(0, 2) / hex.substr(2, 2) / hex;
}

bool BlobStore::Contains(std::string_view sha256) const {
  if (!IsSha256Hex(sha256)) return false;
  std::error_code ec;
  return fs::is_regular_file(PathOf(sha256), ec);
}

core::Status BlobStore::Adopt(const fs::path& file, std::string_view sha256) {
  if (!IsSha256Hex(sha256)) return Internal("cannot store a file", "bad blob hash");
  fs::path target = PathOf(sha256);
  std::error_code ec;
  if (fs::is_regular_file(target, ec)) {
    fs::remove(file, ec);
    return core::Ok();
  }
  fs::create_directories(target.parent_path(), ec);
  if (ec)
    return Internal("cannot store a file",
                    "mkdir " + target.parent_path().string() + ": " + ec.message());
  // rename() is atomic within one filesystem; a concurrent Adopt of the same content simply
  // replaces identical bytes.
  fs::rename(file, target, ec);
  if (ec)
    return Internal("cannot store a file", "rename into " + target.string() + ": " + ec.message());
  if (!SyncPath(target.parent_path()))
    return Internal("cannot store a file", "fsync " + target.parent_path().string());
  return core::Ok();
}

core::Result<std::string> BlobStore::Put(const fs::path& file) {
  auto hash = HashFile(file);
  if (!hash) return hash.error();
  if (Contains(*hash)) return *hash;
  std::error_code ec;
  fs::create_directories(TempDir(), ec);
  fs::path temp = TempDir() / ("put-" + RandomSuffix());
  fs::copy_file(file, temp, fs::copy_options::overwrite_existing, ec);
  if (ec) return Internal("cannot store a file", "copy " + file.string() + ": " + ec.message());
  if (!SyncPath(temp)) {
    fs::remove(temp, ec);
    return Internal("cannot store a file", "fsync " + temp.string());
  }
  if (auto adopted = Adopt(temp, *hash); !adopted) {
    fs::remove(temp, ec);
    return adopted.error();
  }
  return *hash;
}

core::Status BlobStore::Remove(std::string_view sha256) {
  if (!IsSha256Hex(sha256)) return Internal("cannot remove a file", "bad blob hash");
  std::error_code ec;
  fs::remove(PathOf(sha256), ec);
  if (ec) return Internal("cannot remove a file", ec.message());
  return core::Ok();
}

std::vector<BlobStore::Entry> BlobStore::List() const {
  std::vector<Entry> out;
  std::error_code ec;
  for (auto it = fs::recursive_directory_iterator(root_, ec);
       !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
    if (it->path().parent_path() == TempDir()) continue;
    if (!it->is_regular_file(ec)) continue;
    std::string name = it->path().filename().string();
    if (!IsSha256Hex(name)) continue;
    out.push_back({name, it->last_write_time(ec)});
  }
  return out;
}

}  // namespace cairn::blobs
