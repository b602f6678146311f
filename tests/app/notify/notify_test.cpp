// Notify, the inbox use cases and the "email.send" job end to end: a real SQLite database, the
// real job worker and SmtpMailer talking to a real SMTP server; the test reads what it received.
#include <gtest/gtest.h>

#include <stdlib.h>

#include <filesystem>

#include <nlohmann/json.hpp>

#include "app/notify/email.hpp"
#include "app/notify/inbox.hpp"
#include "app/notify/notify.hpp"
#include "core/identity/repository.hpp"
#include "jobs/worker.hpp"
#include "mail/smtp_mailer.hpp"
#include "storage/database.hpp"
#include "storage/sql_unit_of_work.hpp"
#include "support/clock_and_ids.hpp"
#include "support/smtp_sink.hpp"

namespace cairn::app::notify {
namespace {

using std::chrono::seconds;

const core::TimePoint kT0{std::chrono::seconds(1'795'405'260)};  // 2026-11-23T03:41:00Z

std::string Describe(const core::Error& e) { return e.message + " [" + e.detail + "]"; }

mail::SmtpOptions SmtpTo(int port) {
  mail::SmtpOptions smtp;
  smtp.port = port;
  smtp.from_address = "noreply@cairn.test";
  smtp.from_name = "Cairn";
  smtp.starttls = mail::StartTls::kNone;
  smtp.timeout = seconds(5);
  return smtp;
}

core::identity::Principal As(const std::string& user_id) {
  core::identity::Principal p;
  p.user_id = user_id;
  return p;
}

class NotifyTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/cairn-notify-app-XXXXXX";
    ASSERT_NE(mkdtemp(tmpl), nullptr);
    dir_ = tmpl;
    auto db = storage::Database::Open("sqlite:" + dir_ + "/cairn.db");
    ASSERT_TRUE(db.ok()) << Describe(db.error());
    db_ = std::move(*db);
    auto migrated = db_->Migrate();
    ASSERT_TRUE(migrated.ok()) << Describe(migrated.error());
    uow_ = std::make_unique<storage::SqlUnitOfWork>(*db_);
    sink_ = std::make_unique<cairn::testing::SmtpSink>();
    mailer_ = std::make_unique<mail::SmtpMailer>(SmtpTo(sink_->port()));
    current_mailer_ = mailer_.get();
    options_.public_url = "https://cairn.test";
    jobs::WorkerOptions worker_options;
    worker_options.backoff_base = seconds(30);
    worker_ = std::make_unique<jobs::Worker>(
        *uow_, clock_,
        std::map<std::string, jobs::Handler>{
            {std::string(kEmailJobKind),
             [this](const core::jobs::Job& job) {
               return DeliverEmail(*uow_, *current_mailer_, options_, job.payload);
             }}},
        std::vector<jobs::PeriodicKind>{}, worker_options);
    alice_ = AddUser("Alice O'Brien", "alice@school.test");
    bob_ = AddUser("Bob", "bob@school.test");
  }

  void TearDown() override {
    worker_.reset();
    uow_.reset();
    db_.reset();
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
  }

  std::string AddUser(const std::string& name, const std::string& email,
                      core::identity::UserStatus status = core::identity::UserStatus::kActive) {
    core::identity::User u;
    u.id = ids_.NewId("usr");
    u.email = email;
    u.display_name = name;
    u.email_verified = true;
    u.password_hash = "unused";
    u.status = status;
    u.created_at = u.updated_at = kT0;
    auto st = uow_->Write([&](core::Transaction& tx) {
      tx.Identity().InsertUser(u);
      return core::Ok();
    });
    EXPECT_TRUE(st.ok()) << Describe(st.error());
    return u.id;
  }

  core::Status Send(const Notice& notice) {
    return uow_->Write([&](core::Transaction& tx) {
      Notify(tx, clock_, ids_, notice);
      return core::Ok();
    });
  }

  Notice Assigned(const std::string& user) {
    return Notice{user, "review.assigned", "A review is waiting for you",
                  "Submission K7Q2 needs a review by 30 November.", "/reviews/rev_123", true};
  }

  struct JobRow {
    std::string kind, state, payload, last_error;
  };
  std::vector<JobRow> Jobs() {
    std::vector<JobRow> rows;
    auto st = db_->Read([&](storage::Tx& tx) -> core::Status {
      JobRow r;
      soci::indicator ind = soci::i_null;
      soci::statement s = (tx.sql().prepare << "SELECT kind, state, payload, last_error FROM jobs "
                                               "ORDER BY id",
                           soci::into(r.kind), soci::into(r.state), soci::into(r.payload),
                           soci::into(r.last_error, ind));
      s.execute(false);
      while (s.fetch()) {
        if (ind == soci::i_null) r.last_error.clear();
        rows.push_back(r);
      }
      return core::Ok();
    });
    EXPECT_TRUE(st.ok()) << Describe(st.error());
    return rows;
  }

  Inbox InboxOf(const std::string& user, InboxQuery query = {}) {
    auto inbox = ListNotifications(*uow_, As(user), query);
    EXPECT_TRUE(inbox.ok()) << Describe(inbox.error());
    return inbox.ok() ? *inbox : Inbox{};
  }

  std::string dir_;
  std::unique_ptr<storage::Database> db_;
  std::unique_ptr<storage::SqlUnitOfWork> uow_;
  cairn::testing::ManualClock clock_{kT0};
  cairn::testing::RandomIdGenerator ids_;
  std::unique_ptr<cairn::testing::SmtpSink> sink_;
  std::unique_ptr<mail::SmtpMailer> mailer_;
  core::Mailer* current_mailer_ = nullptr;
  EmailOptions options_;
  std::unique_ptr<jobs::Worker> worker_;
  std::string alice_, bob_;
};

TEST_F(NotifyTest, ANoticeIsInTheInboxAtOnceAndItsEmailGoesOutThroughTheQueue) {
  ASSERT_TRUE(Send(Assigned(alice_)).ok());
  auto inbox = InboxOf(alice_);
  ASSERT_EQ(inbox.items.size(), 1u);
  EXPECT_EQ(inbox.unread_count, 1);
  const auto& n = inbox.items[0];
  EXPECT_TRUE(n.id.starts_with("ntf_"));
  EXPECT_EQ(n.kind, "review.assigned");
  EXPECT_EQ(n.title, "A review is waiting for you");
  EXPECT_EQ(n.link, "/reviews/rev_123");
  EXPECT_EQ(n.created_at, kT0);
  EXPECT_TRUE(InboxOf(bob_).items.empty());

  // Queued, not sent, and the address is not in the queue.
  auto jobs = Jobs();
  ASSERT_EQ(jobs.size(), 1u);
  EXPECT_EQ(jobs[0].kind, "email.send");
  EXPECT_EQ(jobs[0].payload.find("alice@school.test"), std::string::npos) << jobs[0].payload;
  EXPECT_EQ(nlohmann::json::parse(jobs[0].payload)["user_id"], alice_);
  EXPECT_TRUE(sink_->Messages().empty());

  EXPECT_EQ(worker_->RunDueJobsOnce(kT0), 1);
  auto mail = sink_->WaitForMessageTo("alice@school.test");
  EXPECT_EQ(mail.Header("subject"), "A review is waiting for you");
  EXPECT_NE(mail.text.find("Hello Alice O'Brien,"), std::string::npos) << mail.text;
  EXPECT_NE(mail.text.find("Submission K7Q2 needs a review by 30 November."), std::string::npos);
  EXPECT_NE(mail.text.find("https://cairn.test/reviews/rev_123"), std::string::npos) << mail.text;
  EXPECT_NE(mail.html.find("href=\"https://cairn.test/reviews/rev_123\""), std::string::npos)
      << mail.html;
  EXPECT_NE(mail.html.find("Alice O&#39;Brien"), std::string::npos) << mail.html;
  EXPECT_TRUE(mail.defects.empty());
  EXPECT_EQ(Jobs()[0].state, "done");
  EXPECT_EQ(sink_->Messages().size(), 1u);
}

TEST_F(NotifyTest, TheHtmlCopyEscapesWhatTheNoticeSays) {
  auto notice = Assigned(alice_);
  notice.title = "Decision on <b>Lesson</b>\r\nBcc: evil@example.org";
  notice.body = "First <script>alert(1)</script> & more.\n\nSecond paragraph.";
  ASSERT_TRUE(Send(notice).ok());
  worker_->RunDueJobsOnce(kT0);
  auto mail = sink_->WaitForMessageTo("alice@school.test");
  EXPECT_EQ(mail.Header("subject"), "Decision on <b>Lesson</b>  Bcc: evil@example.org");
  EXPECT_TRUE(mail.Header("bcc").empty());
  EXPECT_EQ(mail.envelope_to, std::vector<std::string>{"alice@school.test"});
  EXPECT_EQ(mail.html.find("<script>"), std::string::npos) << mail.html;
  EXPECT_NE(mail.html.find("<p>First &lt;script&gt;alert(1)&lt;/script&gt; &amp; more.</p>"),
            std::string::npos)
      << mail.html;
  EXPECT_NE(mail.html.find("<p>Second paragraph.</p>"), std::string::npos) << mail.html;
  EXPECT_NE(mail.text.find("First <script>alert(1)</script> & more."), std::string::npos);
}

TEST_F(NotifyTest, AnEventThatRollsBackLeavesNeitherNotificationNorEmail) {
  auto st = uow_->Write([&](core::Transaction& tx) -> core::Status {
    Notify(tx, clock_, ids_, Assigned(alice_));
    return core::Error::Conflict("the review was taken meanwhile");
  });
  EXPECT_FALSE(st.ok());
  EXPECT_TRUE(InboxOf(alice_).items.empty());
  EXPECT_TRUE(Jobs().empty());
}

TEST_F(NotifyTest, InAppOnlyNoticesQueueNoEmail) {
  auto notice = Assigned(alice_);
  notice.email = false;
  ASSERT_TRUE(Send(notice).ok());
  EXPECT_EQ(InboxOf(alice_).items.size(), 1u);
  EXPECT_TRUE(Jobs().empty());
}

TEST_F(NotifyTest, ANoticeWithoutRecipientOrTitleIsRefusedAndRolledBack) {
  auto notice = Assigned(alice_);
  notice.title.clear();
  EXPECT_FALSE(Send(notice).ok());
  notice = Assigned("");
  EXPECT_FALSE(Send(notice).ok());
  notice = Assigned("usr_nobody");
  EXPECT_FALSE(Send(notice).ok());
  EXPECT_TRUE(InboxOf(alice_).items.empty());
  EXPECT_TRUE(Jobs().empty());
}

TEST_F(NotifyTest, AMailServerOutageIsRetriedUntilTheEmailGetsThrough) {
  int dead_port = 0;
  {
    cairn::testing::SmtpSink gone;  // a port nobody listens on once it stops
    dead_port = gone.port();
  }
  mail::SmtpMailer down(SmtpTo(dead_port));
  current_mailer_ = &down;
  ASSERT_TRUE(Send(Assigned(alice_)).ok());
  EXPECT_EQ(worker_->RunDueJobsOnce(kT0), 1);
  auto row = Jobs().at(0);
  EXPECT_EQ(row.state, "pending");
  EXPECT_FALSE(row.last_error.empty());
  EXPECT_EQ(row.last_error.find("alice@school.test"), std::string::npos) << row.last_error;

  current_mailer_ = mailer_.get();
  EXPECT_EQ(worker_->RunDueJobsOnce(kT0 + seconds(29)), 0);
  EXPECT_EQ(worker_->RunDueJobsOnce(kT0 + seconds(30)), 1);
  auto mail = sink_->WaitForMessageTo("alice@school.test");
  EXPECT_EQ(mail.Header("subject"), "A review is waiting for you");
  EXPECT_EQ(Jobs().at(0).state, "done");
}

TEST_F(NotifyTest, NoEmailForDisabledOrVanishedAccounts) {
  auto gone = AddUser("Gone", "gone@school.test", core::identity::UserStatus::kDisabled);
  ASSERT_TRUE(Send(Assigned(gone)).ok());
  // A job whose user no longer exists (written by hand: Notify itself refuses unknown users).
  auto st = uow_->Write([](core::Transaction& tx) {
    tx.Jobs().Enqueue("email.send", R"({"user_id":"usr_deleted","subject":"Hi"})", kT0);
    tx.Jobs().Enqueue("email.send", R"({"subject":42})", kT0);
    return core::Ok();
  });
  ASSERT_TRUE(st.ok());
  EXPECT_EQ(worker_->RunDueJobsOnce(kT0), 3);
  auto rows = Jobs();
  EXPECT_EQ(rows[0].state, "done");  // nothing to send to a disabled account
  EXPECT_EQ(rows[1].state, "failed");
  EXPECT_EQ(rows[1].last_error, "email.send: no user usr_deleted");
  EXPECT_EQ(rows[2].state, "failed");
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  EXPECT_TRUE(sink_->Messages().empty());
}

TEST_F(NotifyTest, TheInboxPagesNewestFirstAndFiltersUnread) {
  for (int i = 1; i <= 5; ++i) {
    auto notice = Assigned(alice_);
    notice.title = "Notice " + std::to_string(i);
    notice.email = false;
    ASSERT_TRUE(Send(notice).ok());
    clock_.Advance(seconds(1));
  }
  auto page = InboxOf(alice_, {false, 2, ""});
  ASSERT_EQ(page.items.size(), 2u);
  EXPECT_EQ(page.items[0].title, "Notice 5");
  EXPECT_EQ(page.items[1].title, "Notice 4");
  EXPECT_EQ(page.unread_count, 5);
  ASSERT_FALSE(page.next_before.empty());
  auto next = InboxOf(alice_, {false, 2, page.next_before});
  ASSERT_EQ(next.items.size(), 2u);
  EXPECT_EQ(next.items[0].title, "Notice 3");
  auto last = InboxOf(alice_, {false, 2, next.next_before});
  ASSERT_EQ(last.items.size(), 1u);
  EXPECT_EQ(last.items[0].title, "Notice 1");
  EXPECT_TRUE(last.next_before.empty());

  for (auto bad : {InboxQuery{false, 0, ""}, InboxQuery{false, 101, ""},
                   InboxQuery{false, 10, "rev_123"}}) {
    auto r = ListNotifications(*uow_, As(alice_), bad);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().code, core::ErrorCode::kInvalidInput);
  }
}

TEST_F(NotifyTest, MarkingReadTouchesOnlyYourOwnAndIsAudited) {
  auto notice = Assigned(alice_);
  notice.email = false;
  ASSERT_TRUE(Send(notice).ok());
  ASSERT_TRUE(Send(notice).ok());
  notice.user_id = bob_;
  ASSERT_TRUE(Send(notice).ok());
  const auto alices = InboxOf(alice_).items;
  const auto bobs = InboxOf(bob_).items;

  auto stolen = MarkNotificationRead(*uow_, clock_, As(alice_), bobs[0].id);
  ASSERT_FALSE(stolen.ok());
  EXPECT_EQ(stolen.error().code, core::ErrorCode::kNotFound);
  EXPECT_EQ(InboxOf(bob_).unread_count, 1);

  clock_.Advance(seconds(60));
  ASSERT_TRUE(MarkNotificationRead(*uow_, clock_, As(alice_), alices[1].id).ok());
  auto inbox = InboxOf(alice_);
  EXPECT_EQ(inbox.unread_count, 1);
  EXPECT_EQ(inbox.items[1].read_at, kT0 + seconds(60));
  auto unread = InboxOf(alice_, {true, 20, ""});
  ASSERT_EQ(unread.items.size(), 1u);
  EXPECT_EQ(unread.items[0].id, alices[0].id);

  auto all = MarkAllNotificationsRead(*uow_, clock_, As(alice_));
  ASSERT_TRUE(all.ok());
  EXPECT_EQ(*all, 1);
  EXPECT_EQ(InboxOf(alice_).unread_count, 0);
  EXPECT_EQ(InboxOf(bob_).unread_count, 1);

  std::vector<std::string> actions;
  auto st = db_->Read([&](storage::Tx& tx) -> core::Status {
    std::string action;
    soci::statement s = (tx.sql().prepare << "SELECT action FROM audit_log WHERE actor_id = :a "
                                             "ORDER BY id",
                         soci::use(alice_), soci::into(action));
    s.execute(false);
    while (s.fetch()) actions.push_back(action);
    return core::Ok();
  });
  ASSERT_TRUE(st.ok());
  EXPECT_EQ(actions, (std::vector<std::string>{"notification.read", "notification.read_all"}));
}

}  // namespace
}  // namespace cairn::app::notify
