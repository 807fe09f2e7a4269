#include <volback/app/monitor/notification_listener.hpp>

#include <filesystem>
#include <fstream>
#include <mutex>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <volback/app/config/monitor_config.hpp>
#include <volback/testing/temp_dir.hpp>

namespace volback::app {
namespace {

using notify::NotificationLevel;
using notify::Outcome;

// Records every request of every transport it makes.
struct Recorder {
  std::mutex mutex;
  std::vector<http::Request> requests;
  long status = 200;
};

class RecordingTransport final : public http::Transport {
 public:
  explicit RecordingTransport(Recorder& recorder) : m_recorder(recorder) {}
  util::Result<http::Response> send(const http::Request& request, const http::ResponseSink*) override {
    const std::lock_guard lock(m_recorder.mutex);
    m_recorder.requests.push_back(request);
    return http::Response{m_recorder.status, {}, ""};
  }

 private:
  Recorder& m_recorder;
};

class NoMail final : public notify::MailTransport {
 public:
  util::Result<void> send(const notify::SmtpServer&, const notify::MailEnvelope&, const std::string&) override {
    return {};
  }
};

RunReport report(ExitCode code) {
  RunReport r;
  r.schedule = "environment";
  r.start = util::TimePoint{} + std::chrono::seconds(1'700'000'000);
  r.end = r.start + std::chrono::seconds(3);
  r.exit_code = code;
  r.archive = "backup.tar.gz";
  r.archive_bytes = 7055258;
  r.log_output = "time=… level=INFO msg=\"Backup completed successfully\"\n";
  r.backends = {{"Local", std::nullopt, 7055258, std::chrono::seconds(1), 4, 1, false}};
  if (code == ExitCode::failed) {
    r.error = util::Error(util::ErrorKind::permanent, "uploading failed");
  }
  return r;
}

TEST(NotificationListenerTest, WhichRunsAreNotifiedAtWhichLevel) {
  const auto outcome = [](ExitCode code, NotificationLevel level, bool warning = false) -> std::optional<Outcome> {
    auto r = report(code);
    if (warning) {
      r.warnings = {"pruning Local was refused"};
    }
    const auto decision = NotificationListener::decide(r, level);
    return decision ? std::optional(decision->outcome) : std::nullopt;
  };
  EXPECT_EQ(outcome(ExitCode::ok, NotificationLevel::error), std::nullopt);
  EXPECT_EQ(outcome(ExitCode::ok, NotificationLevel::warn), std::nullopt);
  EXPECT_EQ(outcome(ExitCode::ok, NotificationLevel::info), Outcome::success);
  EXPECT_EQ(outcome(ExitCode::failed, NotificationLevel::error), Outcome::failure);
  EXPECT_EQ(outcome(ExitCode::usage, NotificationLevel::error), Outcome::failure);
  EXPECT_EQ(outcome(ExitCode::partial, NotificationLevel::error), std::nullopt);
  EXPECT_EQ(outcome(ExitCode::partial, NotificationLevel::warn), Outcome::warning);
  EXPECT_EQ(outcome(ExitCode::incomplete, NotificationLevel::info), Outcome::warning);
  EXPECT_EQ(outcome(ExitCode::ok, NotificationLevel::warn, true), Outcome::warning);
  EXPECT_EQ(outcome(ExitCode::ok, NotificationLevel::error, true), std::nullopt);
  auto cancelled = report(ExitCode::failed);
  cancelled.cancelled = true;
  EXPECT_FALSE(NotificationListener::decide(cancelled, NotificationLevel::info));
  const auto warning = [] {
    auto r = report(ExitCode::ok);
    r.warnings = {"a", "b"};
    return NotificationListener::decide(r, NotificationLevel::warn);
  }();
  EXPECT_EQ(warning->error, "a; b");
}

class NotificationListenerSendTest : public ::testing::Test {
 protected:
  void configure(std::map<std::string, std::string, std::less<>> values) {
    values.emplace("VOLBACK_NOTIFICATIONS_DIR", m_dir / "notifications.d");
    m_env = std::make_unique<util::MapSource>(std::move(values), "environment");
    m_settings = std::make_unique<util::Settings>(std::vector<const util::ConfigSource*>{m_env.get()});
    auto config = load_monitor_config(*m_settings);
    ASSERT_TRUE(config) << config.error().message();
    m_config = std::move(*config);
    NotificationTransports transports{[this](const notify::Service&, std::chrono::milliseconds) {
                                        return std::make_unique<RecordingTransport>(m_recorder);
                                      },
                                      [](std::chrono::milliseconds) { return std::make_unique<NoMail>(); }};
    m_listener = std::make_unique<NotificationListener>(m_config.notify, *m_settings, util::TimeZone::utc(), m_log,
                                                        m_clock, std::move(transports));
  }

  testing::TempDir m_dir;
  std::unique_ptr<util::MapSource> m_env;
  std::unique_ptr<util::Settings> m_settings;
  MonitorConfig m_config;
  Recorder m_recorder;
  util::CapturingLogger m_log;
  util::FixedClock m_clock{util::TimePoint{}};
  std::unique_ptr<NotificationListener> m_listener;
};

TEST_F(NotificationListenerSendTest, SendsOffensDefaultFailureMessageToEveryUrl) {
  configure({{"NOTIFICATION_URLS", "generic+http://127.0.0.1:1/a?template=json,ntfy://127.0.0.1/t?scheme=http"}});
  m_listener->run_finished(report(ExitCode::failed));
  ASSERT_EQ(m_recorder.requests.size(), 2U);
  const auto& generic =
    m_recorder.requests[0].url.find("/a") != std::string::npos ? m_recorder.requests[0] : m_recorder.requests[1];
  const auto body = nlohmann::json::parse(generic.body);
  EXPECT_EQ(body["title"], "Failure running docker-volume-backup at 2023-11-14T22:13:20Z");
  EXPECT_EQ(body["message"],
            "Running docker-volume-backup failed with error: uploading failed\n\nLog output of the failed run was:\n\n"
            "time=… level=INFO msg=\"Backup completed successfully\"\n");
  EXPECT_EQ(m_listener->failures(), 0U);
  EXPECT_TRUE(m_log.contains("msg=\"Sent a notification\" service=\"generic webhook at 127.0.0.1:1\""));
}

TEST_F(NotificationListenerSendTest, NothingAtErrorLevelOnSuccess) {
  configure({{"NOTIFICATION_URLS", "ntfy://127.0.0.1/t"}});
  m_listener->run_finished(report(ExitCode::ok));
  EXPECT_TRUE(m_recorder.requests.empty());
}

TEST_F(NotificationListenerSendTest, CustomTemplateAndConfigFields) {
  std::filesystem::create_directories(m_dir / "notifications.d");
  std::ofstream(m_dir / "notifications.d/custom.tmpl")
    << "{{ define \"title_success\" }}{{ .Config.BackupSources }} {{ .Stats.BackupFile.Size | formatBytesBin }}"
       "{{ end }}{{ define \"body_success\" }}{{ env \"EXTRA\" }} {{ .Stats.Storages.Local.Pruned }}/"
       "{{ .Stats.Storages.Local.Total }} {{ .Config.AwsSecretAccessKey }}{{ end }}";
  configure({{"NOTIFICATION_URLS", "generic+http://127.0.0.1:1/a?template=json"},
             {"NOTIFICATION_LEVEL", "info"},
             {"BACKUP_SOURCES", "/srv/data"},
             {"AWS_SECRET_ACCESS_KEY", "s3cr3t"},
             {"EXTRA", "hello"}});
  m_listener->run_finished(report(ExitCode::ok));
  ASSERT_EQ(m_recorder.requests.size(), 1U);
  const auto body = nlohmann::json::parse(m_recorder.requests[0].body);
  EXPECT_EQ(body["title"], "/srv/data 6.7 MiB");
  EXPECT_EQ(body["message"], "hello 1/4 ***");
}

TEST_F(NotificationListenerSendTest, AFailedNotificationIsLoggedAndCounted) {
  configure({{"NOTIFICATION_URLS", "ntfy://127.0.0.1/t?scheme=http"}, {"VOLBACK_NOTIFY_TIMEOUT", "1s"}});
  m_recorder.status = 404;
  m_listener->run_finished(report(ExitCode::failed));
  EXPECT_EQ(m_listener->failures(), 1U);
  EXPECT_TRUE(m_log.contains("level=ERROR msg=\"Sending a notification failed\" service=\"ntfy at 127.0.0.1\""))
    << m_log.text();
}

TEST_F(NotificationListenerSendTest, AnOverdueScheduleIsNotifiedAsAFailure) {
  configure({{"NOTIFICATION_URLS", "generic+http://127.0.0.1:1/a?template=json"}});
  ScheduleOverdue overdue;
  overdue.schedule = "environment";
  overdue.source = "from environment";
  overdue.expression = "0 3 * * *";
  overdue.due = util::TimePoint{} + std::chrono::seconds(1'700'000'000);
  overdue.noticed = overdue.due + std::chrono::minutes(61);
  overdue.grace = std::chrono::hours(1);
  overdue.running = true;
  m_listener->schedule_overdue(overdue);
  ASSERT_EQ(m_recorder.requests.size(), 1U);
  const auto body = nlohmann::json::parse(m_recorder.requests[0].body);
  EXPECT_EQ(body["title"], "Failure running docker-volume-backup at 2023-11-14T22:13:20Z");
  const std::string what =
    "schedule from environment (0 3 * * *) is overdue: it was due at 2023-11-14T22:13:20Z and no run has finished "
    "since (grace 1h0m0s); its run is still waiting or running";
  EXPECT_EQ(body["message"], "Running docker-volume-backup failed with error: " + what +
                               "\n\nLog output of the failed run was:\n\n" + what + "\n");
}

}  // namespace
}  // namespace volback::app
