// SmtpMailer against a real SMTP server: what a recipient's mail client would see.
#include "mail/smtp_mailer.hpp"

#include <gtest/gtest.h>

#include <stdexcept>

#include "support/smtp_sink.hpp"

namespace cairn::mail {
namespace {

using cairn::testing::SmtpSink;

SmtpOptions To(const SmtpSink& sink) {
  SmtpOptions o;
  o.host = "127.0.0.1";
  o.port = sink.port();
  o.from_address = "noreply@cairn.test";
  o.from_name = "Cairn";
  o.starttls = StartTls::kNone;
  o.timeout = std::chrono::seconds(5);
  return o;
}

TEST(SmtpMailer, DeliversTextAndHtmlWithUtf8Subject) {
  SmtpSink sink;
  SmtpMailer mailer(To(sink));
  core::EmailMessage msg{"ada@example.org", "Bienvenue, Zoë — confirm your address ✓",
                         "Hello Zoë,\n\nOpen https://cairn.test/verify-email?token=abc_123\n",
                         "<p>Hello Zoë</p>"};
  auto sent = mailer.Send(msg);
  ASSERT_TRUE(sent.ok()) << sent.error().message << " " << sent.error().detail;

  auto mails = sink.WaitForMessages(1);
  ASSERT_EQ(mails.size(), 1u);
  const auto& m = mails[0];
  EXPECT_EQ(m.envelope_from, "noreply@cairn.test");
  EXPECT_EQ(m.envelope_to, std::vector<std::string>{"ada@example.org"});
  EXPECT_EQ(m.Header("subject"), msg.subject);
  EXPECT_EQ(m.Header("from"), "Cairn <noreply@cairn.test>");
  EXPECT_EQ(m.Header("to"), "ada@example.org");
  EXPECT_EQ(m.Header("mime-version"), "1.0");
  EXPECT_NE(m.Header("message-id").find("@cairn.test>"), std::string::npos);
  EXPECT_FALSE(m.Header("date").empty());
  EXPECT_EQ(m.content_type, "multipart/alternative");
  EXPECT_EQ(m.text, msg.text_body);
  EXPECT_EQ(m.html, "<p>Hello Zoë</p>");
  EXPECT_TRUE(m.defects.empty());
  EXPECT_EQ(cairn::testing::ExtractToken(m.text), "abc_123");
}

TEST(SmtpMailer, TextOnlyMessageAndDistinctMessageIds) {
  SmtpSink sink;
  SmtpMailer mailer(To(sink));
  ASSERT_TRUE(mailer.Send({"a@example.org", "One", "first\n", ""}).ok());
  ASSERT_TRUE(mailer.Send({"b@example.org", "Two", "second\n.\nline after a lone dot\n", ""}).ok());
  auto mails = sink.WaitForMessages(2);
  ASSERT_EQ(mails.size(), 2u);
  EXPECT_EQ(mails[0].content_type, "text/plain");
  EXPECT_EQ(mails[0].text, "first\n");
  // A line with a single dot ends SMTP DATA unless it is escaped; base64 bodies never contain one.
  EXPECT_EQ(mails[1].text, "second\n.\nline after a lone dot\n");
  EXPECT_NE(mails[0].Header("message-id"), mails[1].Header("message-id"));
}

TEST(SmtpMailer, AuthenticatesWithUsernameAndPassword) {
  SmtpSink sink({"mailer", "s3cret-pass"});
  auto options = To(sink);
  options.username = "mailer";
  options.password = "s3cret-pass";
  SmtpMailer mailer(options);
  ASSERT_TRUE(mailer.Send({"a@example.org", "Hi", "x\n", ""}).ok());
  auto mails = sink.WaitForMessages(1);
  ASSERT_EQ(mails.size(), 1u);
  EXPECT_EQ(mails[0].authenticated_as, "mailer");
}

TEST(SmtpMailer, WrongPasswordIsAClearErrorWithoutTheSecret) {
  SmtpSink sink({"mailer", "s3cret-pass"});
  auto options = To(sink);
  options.username = "mailer";
  options.password = "not-the-password";
  SmtpMailer mailer(options);
  auto sent = mailer.Send({"a@example.org", "Hi", "x\n", ""});
  ASSERT_FALSE(sent.ok());
  EXPECT_EQ(sent.error().code, core::ErrorCode::kUnavailable);
  EXPECT_EQ(sent.error().message, "the mail server refused the login");
  EXPECT_EQ(sent.error().detail.find("not-the-password"), std::string::npos);
  EXPECT_TRUE(sink.WaitForMessages(1, std::chrono::milliseconds(300)).empty());
}

TEST(SmtpMailer, RequiredStartTlsRefusesAServerWithoutIt) {
  SmtpSink sink;
  auto options = To(sink);
  options.starttls = StartTls::kRequired;
  SmtpMailer mailer(options);
  auto sent = mailer.Send({"a@example.org", "Hi", "x\n", ""});
  ASSERT_FALSE(sent.ok());
  EXPECT_EQ(sent.error().code, core::ErrorCode::kUnavailable);
  EXPECT_TRUE(sink.WaitForMessages(1, std::chrono::milliseconds(300)).empty());

  // Opportunistic falls back to plain SMTP when the server offers no STARTTLS.
  options.starttls = StartTls::kOpportunistic;
  SmtpMailer fallback(options);
  EXPECT_TRUE(fallback.Send({"a@example.org", "Hi", "x\n", ""}).ok());
  EXPECT_EQ(sink.WaitForMessages(1).size(), 1u);
}

TEST(SmtpMailer, UnreachableServerIsUnavailableNotAHang) {
  int port;
  {
    SmtpSink sink;
    port = sink.port();
  }  // stopped: nothing listens there now
  SmtpOptions options;
  options.port = port;
  options.from_address = "noreply@cairn.test";
  options.starttls = StartTls::kNone;
  options.timeout = std::chrono::seconds(3);
  SmtpMailer mailer(options);
  const auto start = std::chrono::steady_clock::now();
  auto sent = mailer.Send({"a@example.org", "Hi", "x\n", ""});
  ASSERT_FALSE(sent.ok());
  EXPECT_EQ(sent.error().code, core::ErrorCode::kUnavailable);
  EXPECT_EQ(sent.error().message, "the mail server could not be reached");
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(4));
}

TEST(SmtpMailer, BadRecipientIsInvalidInputAndNothingIsSent) {
  SmtpSink sink;
  SmtpMailer mailer(To(sink));
  auto sent = mailer.Send({"victim@example.org>\r\nRCPT TO:<other@example.org", "Hi", "x", ""});
  ASSERT_FALSE(sent.ok());
  EXPECT_EQ(sent.error().code, core::ErrorCode::kInvalidInput);
  EXPECT_TRUE(sink.WaitForMessages(1, std::chrono::milliseconds(300)).empty());
}

TEST(SmtpMailer, RejectsUnusableConfigurationAtStartup) {
  SmtpOptions o;
  o.from_address = "noreply@cairn.test";
  o.host = "";
  EXPECT_THROW(SmtpMailer{o}, std::invalid_argument);
  o.host = "smtp.example.org";
  o.port = 70000;
  EXPECT_THROW(SmtpMailer{o}, std::invalid_argument);
  o.port = 587;
  o.from_address = "not an address";
  EXPECT_THROW(SmtpMailer{o}, std::invalid_argument);
}

}  // namespace
}  // namespace cairn::mail
