#pragma once
// Mail for a machine with no SMTP server (a laptop, the demo): each message becomes an .eml file
// in <data_dir>/outbox, which any mail client opens. Configure CAIRN_SMTP_HOST to send for real.
#include <filesystem>
#include <mutex>

#include "core/ports/mailer.hpp"

namespace cairn::platform {

class OutboxMailer final : public core::Mailer {
 public:
  explicit OutboxMailer(std::filesystem::path dir) : dir_(std::move(dir)) {}
  core::Status Send(const core::EmailMessage& message) override;

 private:
  std::filesystem::path dir_;
  std::mutex mutex_;
  unsigned long sequence_ = 0;
};

}  // namespace cairn::platform
