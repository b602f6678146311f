#pragma once
// The framework-neutral request that middleware and handlers see. Beast stays inside server.cpp.
#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/identity/principal.hpp"

namespace cairn::http {

// Header fields in arrival order; names compare case-insensitively (RFC 9110 §5.1). A flat vector
// beats a map for the dozen fields a request carries.
class Headers {
 public:
  using Field = std::pair<std::string, std::string>;

  // The first field with this name; repeated fields are reachable through iteration.
  std::optional<std::string> Get(std::string_view name) const;
  bool Has(std::string_view name) const;
  // Replaces every field with this name by one field.
  void Set(std::string name, std::string value);
  // Appends a field even if one with this name exists (Set-Cookie, Vary, …).
  void Add(std::string name, std::string value);
  void Remove(std::string_view name);

  std::vector<Field>::const_iterator begin() const { return fields_.begin(); }
  std::vector<Field>::const_iterator end() const { return fields_.end(); }
  std::size_t size() const { return fields_.size(); }
  bool empty() const { return fields_.empty(); }

 private:
  std::vector<Field> fields_;
};

bool EqualsIgnoreCase(std::string_view a, std::string_view b);

// The body of a streaming route (Route::stream_body), pulled by the handler in pieces after the
// middleware has accepted the request, so a 2 GiB upload never sits in memory and an
// unauthenticated client never gets a byte read. Read blocks the calling worker thread.
class BodyReader {
 public:
  enum class State {
    kReading,   // more may come
    kComplete,  // the whole body arrived
    kAborted,   // the connection dropped, timed out or broke the framing: no more will come
  };
  virtual ~BodyReader() = default;
  // Reads up to size bytes (waiting until size bytes or the end); 0 once state() is not kReading.
  virtual std::size_t Read(char* data, std::size_t size) = 0;
  virtual State state() const = 0;
  // The declared Content-Length; nullopt for a chunked body.
  virtual std::optional<std::uint64_t> declared_length() const = 0;
};

struct Request {
  std::string method;  // "GET", "POST", … as sent
  std::string target;  // the raw request target, query included
  std::string path;    // percent-decoded path, no query
  std::vector<std::pair<std::string, std::string>> query;  // decoded, in order, '+' is a space
  Headers headers;
  std::string body;  // empty for streaming routes: see body_reader
  // Set for routes with stream_body while the handler runs (never null there); owned by the server.
  std::shared_ptr<BodyReader> body_reader;
  std::string remote_address;
  std::string request_id;                    // echoed as X-Request-Id and in problem bodies
  std::map<std::string, std::string> params; // {name} path parameters, percent-decoded
  std::optional<core::identity::Principal> principal;  // set by the authentication middleware
  // Fields middleware wants on the eventual response, whoever produces it (a refreshed session
  // cookie, a CSRF token). The server appends them to the response before it is written.
  Headers response_headers;

  // The first query parameter with this name.
  std::optional<std::string> Query(std::string_view name) const;
  // A cookie from the Cookie header (RFC 6265 §5.4 syntax: "a=1; b=2").
  std::optional<std::string> Cookie(std::string_view name) const;
  // A path parameter; empty if the route has none by that name.
  const std::string& Param(const std::string& name) const;
};

// RFC 3986 percent-decoding. With plus_as_space, '+' becomes ' ' (form/query encoding). Returns
// nullopt for a malformed escape ("%4", "%zz") or a decoded NUL, which no path or query needs.
std::optional<std::string> PercentDecode(std::string_view text, bool plus_as_space = false);

}  // namespace cairn::http
