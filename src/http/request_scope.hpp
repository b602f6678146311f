#pragma once
// Internal: the request a worker thread is serving, so ProblemResponse(error) can name its
// request id and path without every handler passing the request along.
#include "http/request.hpp"

namespace cairn::http {

class RequestScope {
 public:
  explicit RequestScope(const Request& request);
  ~RequestScope();
  RequestScope(const RequestScope&) = delete;
  RequestScope& operator=(const RequestScope&) = delete;
  static const Request* Current();

 private:
  const Request* previous_;
};

}  // namespace cairn::http
