#pragma once
#include <string>

#include "core/common/result.hpp"

namespace cairn::core {

struct EmailMessage {
  std::string to;
  std::string subject;
  std::string text_body;
  std::string html_body;  // optional
};

class Mailer {
 public:
  virtual ~Mailer() = default;
  virtual Status Send(const EmailMessage& message) = 0;
};

}  // namespace cairn::core
