#include "platform/outbox_mailer.hpp"

#include <spdlog/spdlog.h>

#include <chrono>
#include <fstream>

#include "core/common/clock.hpp"

namespace cairn::platform {

core::Status OutboxMailer::Send(const core::EmailMessage& message) {
  std::error_code ec;
  std::filesystem::create_directories(dir_, ec);
  if (ec) return core::Error::Internal("outbox: " + ec.message());
  std::string name;
  {
    std::lock_guard lock(mutex_);
    const auto now = std::chrono::system_clock::now();
    name = std::to_string(std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count()) +
           "-" + std::to_string(++sequence_) + ".eml";
  }
  const auto tmp = dir_ / (name + ".tmp");
  {
    std::ofstream out(tmp, std::ios::binary);
    out << "To: " << message.to << "\r\n"
        << "Subject: " << message.subject << "\r\n"
        << "Date: " << core::FormatTime(std::chrono::system_clock::now()) << "\r\n"
        << "MIME-Version: 1.0\r\n"
        << "Content-Type: text/plain; charset=utf-8\r\n\r\n"
        << message.text_body << "\r\n";
    if (!out) return core::Error::Internal("outbox: cannot write " + tmp.string());
  }
  std::filesystem::rename(tmp, dir_ / name, ec);
  if (ec) return core::Error::Internal("outbox: " + ec.message());
  spdlog::info("mail for {} written to {}", message.to, (dir_ / name).string());
  return core::Ok();
}

}  // namespace cairn::platform
