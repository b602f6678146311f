#pragma once
// A deliberately small HTTP/1.1 client over a raw socket, so tests control every byte (partial
// headers, stalled bodies, oversized lines) and see exactly what the server sends back.
#include <chrono>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

namespace cairn::http::testing {

struct ClientResponse {
  int status = 0;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;

  std::optional<std::string> Header(std::string_view name) const;
  nlohmann::json Json() const { return nlohmann::json::parse(body); }
};

class Connection {
 public:
  explicit Connection(unsigned short port);
  ~Connection();
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  bool Send(std::string_view bytes);
  // Reads one response; nullopt if the connection closed or the timeout passed first.
  // head_only: the response to HEAD has no body whatever Content-Length says.
  std::optional<ClientResponse> Read(std::chrono::milliseconds timeout = std::chrono::seconds(5),
                                     bool head_only = false);
  // True once the peer has closed (read returns 0) within the timeout.
  bool WaitClosed(std::chrono::milliseconds timeout = std::chrono::seconds(5));

 private:
  bool Fill(std::chrono::steady_clock::time_point deadline);
  int fd_ = -1;
  std::string buffer_;
};

// One request on a fresh connection. headers are "Name: value" lines without CRLF.
ClientResponse Fetch(unsigned short port, std::string_view method, std::string_view target,
                     std::vector<std::string> headers = {}, std::string_view body = {});

std::string Gunzip(std::string_view data);

}  // namespace cairn::http::testing
