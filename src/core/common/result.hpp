#pragma once
// Core and app return Result<T>: a value or a domain Error. Exceptions are for what ends an
// operation unexpectedly; expected failures (bad input, not found, conflict) travel as values.
#include <string>
#include <utility>
#include <variant>
#include <vector>

namespace cairn::core {

enum class ErrorCode {
  kInvalidInput,     // 400/422: the request is malformed or fails validation
  kUnauthenticated,  // 401: no or bad credentials
  kForbidden,        // 403: authenticated but not allowed
  kNotFound,         // 404
  kConflict,         // 409: unique key, stale version, concurrent change
  kInvalidState,     // 409: the transition is not allowed from the current state
  kPreconditionFailed,  // 412
  kTooLarge,         // 413
  kUnsupportedMedia, // 415
  kTooManyRequests,  // 429
  kUnavailable,      // 503
  kInternal,         // 500
};

// One offending field, located by an RFC 6901 JSON Pointer into the request body.
struct FieldError {
  std::string pointer;
  std::string message;
};

struct Error {
  ErrorCode code = ErrorCode::kInternal;
  std::string message;  // safe to show to the client
  std::string detail;   // for the log only; never sent to the client
  std::vector<FieldError> fields;

  static Error InvalidInput(std::string msg, std::vector<FieldError> fields = {}) {
    return {ErrorCode::kInvalidInput, std::move(msg), {}, std::move(fields)};
  }
  static Error NotFound(std::string msg) { return {ErrorCode::kNotFound, std::move(msg), {}, {}}; }
  static Error Conflict(std::string msg) { return {ErrorCode::kConflict, std::move(msg), {}, {}}; }
  static Error Forbidden(std::string msg) { return {ErrorCode::kForbidden, std::move(msg), {}, {}}; }
  static Error Unauthenticated(std::string msg) {
    return {ErrorCode::kUnauthenticated, std::move(msg), {}, {}};
  }
  static Error InvalidState(std::string msg) {
    return {ErrorCode::kInvalidState, std::move(msg), {}, {}};
  }
  static Error Internal(std::string detail) {
    return {ErrorCode::kInternal, "internal error", std::move(detail), {}};
  }
};

template <class T>
class [[nodiscard]] Result {
 public:
  Result(T value) : v_(std::move(value)) {}        // NOLINT: implicit by design
  Result(Error error) : v_(std::move(error)) {}    // NOLINT
  bool ok() const { return v_.index() == 0; }
  explicit operator bool() const { return ok(); }
  T& value() & { return std::get<0>(v_); }
  const T& value() const& { return std::get<0>(v_); }
  T&& value() && { return std::get<0>(std::move(v_)); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  const Error& error() const { return std::get<1>(v_); }

 private:
  std::variant<T, Error> v_;
};

struct Unit {};
using Status = Result<Unit>;
inline Status Ok() { return Unit{}; }

}  // namespace cairn::core
