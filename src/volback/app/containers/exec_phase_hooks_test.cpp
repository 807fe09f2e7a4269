#include <volback/app/containers/exec_phase_hooks.hpp>

#include <mutex>

#include <gtest/gtest.h>

namespace volback::app {
namespace {

// Containers with labels; exec records the argv, user and env and answers with the
// configured exit code. list_containers honours "key" and "key=value" filters.
class ExecFakeApi final : public docker::Api {
 public:
  std::vector<docker::ContainerSummary> containers;
  std::map<std::string, int> exit_codes;  // by container name
  std::vector<std::string> ran;           // "<container>: <argv joined by |> user=<u> env=<e>"
  std::mutex mutex;

  const std::string& api_version() const override { return m_version; }
  util::Result<docker::Info> info() override { return docker::Info{}; }
  util::Result<std::vector<docker::ContainerSummary>> list_containers(const docker::ContainerFilter& filter) override {
    std::vector<docker::ContainerSummary> out;
    for (const auto& c : containers) {
      bool match = true;
      for (const auto& f : filter.labels) {
        const auto eq = f.find('=');
        const auto key = f.substr(0, eq);
        const auto it = c.labels.find(key);
        match = match && it != c.labels.end() && (eq == std::string::npos || it->second == f.substr(eq + 1));
      }
      if (match) {
        out.push_back(c);
      }
    }
    return out;
  }
  util::Result<docker::ContainerDetails> inspect_container(const std::string&) override {
    return util::fail(util::ErrorKind::not_found, "x");
  }
  util::Result<void> stop_container(const std::string&) override { return {}; }
  util::Result<void> start_container(const std::string&) override { return {}; }
  util::Result<std::string> create_container(const docker::CreateContainerRequest&) override {
    return util::fail(util::ErrorKind::permanent, "not used");
  }
  util::Result<void> remove_container(const std::string&) override { return {}; }
  util::Result<std::vector<docker::ServiceSummary>> list_services() override { return {}; }
  util::Result<void> scale_service(const std::string&, std::uint64_t) override { return {}; }
  util::Result<void> force_update_service(const std::string&) override { return {}; }
  util::Result<std::size_t> count_running_tasks(const std::string&) override { return std::size_t{0}; }
  util::Result<docker::ExecOutput> exec(const std::string& id, const docker::ExecRequest& request,
                                        std::chrono::milliseconds) override {
    std::string line = id + ":";
    for (const auto& a : request.argv) {
      line += " " + a;
    }
    line += " user=" + request.user.value_or("");
    line += " env=" + (request.env.empty() ? std::string() : request.env.front());
    const std::lock_guard lock(mutex);
    ran.push_back(line);
    const auto code = exit_codes.find(id);
    return docker::ExecOutput{"out", "err", code == exit_codes.end() ? 0 : code->second};
  }

 private:
  std::string m_version = "1.44";
};

class ExecHooksTest : public ::testing::Test {
 protected:
  ExecPhaseHooks make(std::optional<std::string> exec_label = std::nullopt) {
    DockerConnector connect = [this](const util::CancelToken&) -> util::Result<std::unique_ptr<docker::Api>> {
      return std::unique_ptr<docker::Api>(std::make_unique<Borrowed>(api));
    };
    return ExecPhaseHooks(std::move(connect), ExecHookOptions{std::move(exec_label), false, {}}, log, nullptr);
  }
  void add(std::string name, docker::Labels labels) {
    api.containers.push_back({name, name, "running", std::move(labels)});
  }
  std::vector<std::string> ran() {
    auto copy = api.ran;
    std::sort(copy.begin(), copy.end());
    return copy;
  }

  // Forwards to the test's fake, which outlives it.
  class Borrowed final : public docker::Api {
   public:
    explicit Borrowed(ExecFakeApi& api) : m(api) {}
    const std::string& api_version() const override { return m.api_version(); }
    util::Result<docker::Info> info() override { return m.info(); }
    util::Result<std::vector<docker::ContainerSummary>> list_containers(const docker::ContainerFilter& f) override {
      return m.list_containers(f);
    }
    util::Result<docker::ContainerDetails> inspect_container(const std::string& id) override {
      return m.inspect_container(id);
    }
    util::Result<void> stop_container(const std::string& id) override { return m.stop_container(id); }
    util::Result<void> start_container(const std::string& id) override { return m.start_container(id); }
    util::Result<std::string> create_container(const docker::CreateContainerRequest& request) override {
      return m.create_container(request);
    }
    util::Result<void> remove_container(const std::string& id) override { return m.remove_container(id); }
    util::Result<std::vector<docker::ServiceSummary>> list_services() override { return m.list_services(); }
    util::Result<void> scale_service(const std::string& id, std::uint64_t n) override { return m.scale_service(id, n); }
    util::Result<void> force_update_service(const std::string& id) override { return m.force_update_service(id); }
    util::Result<std::size_t> count_running_tasks(const std::string& id) override { return m.count_running_tasks(id); }
    util::Result<docker::ExecOutput> exec(const std::string& c, const docker::ExecRequest& r,
                                          std::chrono::milliseconds t) override {
      return m.exec(c, r, t);
    }

   private:
    ExecFakeApi& m;
  };

  ExecFakeApi api;
  util::CapturingLogger log;
};

TEST_F(ExecHooksTest, RunsThePhaseCommandsWithUserAndArchivePath) {
  add("a", {{"docker-volume-backup.archive-pre", "/bin/sh -c 'echo hi'"},
            {"docker-volume-backup.archive-pre.user", "postgres"}});
  add("b", {{"docker-volume-backup.copy-post", "true"}});
  auto hooks = make();
  ASSERT_TRUE(hooks.pre(Phase::archive));
  hooks.set_archive_path("/archive/x.tar.gz");
  ASSERT_TRUE(hooks.post(Phase::copy));
  ASSERT_TRUE(hooks.post(Phase::archive));  // nothing labelled
  EXPECT_EQ(ran(), (std::vector<std::string>{"a: /bin/sh -c echo hi user=postgres env=",
                                             "b: true user= env=COMMAND_RUNTIME_ARCHIVE_FILEPATH=/archive/x.tar.gz"}));
  // offen's line, one per container.
  EXPECT_TRUE(
    log.contains("msg=\"Running docker-volume-backup.archive-pre command /bin/sh -c 'echo hi' for container a\""))
    << log.text();
  EXPECT_TRUE(log.contains("msg=\"Running docker-volume-backup.copy-post command true for container b\""))
    << log.text();
}

TEST_F(ExecHooksTest, ExecLabelFiltersButNotTheDeprecatedLabels) {
  add("mine", {{"docker-volume-backup.archive-pre", "mine"}, {"docker-volume-backup.exec-label", "x"}});
  add("theirs", {{"docker-volume-backup.archive-pre", "theirs"}, {"docker-volume-backup.exec-label", "y"}});
  add("old", {{"docker-volume-backup.exec-pre", "old"}});
  add("both", {{"docker-volume-backup.archive-pre", "new"},
               {"docker-volume-backup.exec-pre", "deprecated"},
               {"docker-volume-backup.exec-label", "x"}});
  auto hooks = make("x");
  ASSERT_TRUE(hooks.pre(Phase::archive));
  EXPECT_EQ(ran(), (std::vector<std::string>{"both: new user= env=", "mine: mine user= env=", "old: old user= env="}));
  EXPECT_TRUE(log.contains("deprecated label"));
  // As offen: the phase's label, the deprecated label's command.
  EXPECT_TRUE(log.contains("msg=\"Running docker-volume-backup.archive-pre command old for container old\""))
    << log.text();
}

TEST_F(ExecHooksTest, AFailingCommandFailsThePhaseAfterAllRan) {
  add("a", {{"docker-volume-backup.prune-pre", "a"}});
  add("b", {{"docker-volume-backup.prune-pre", "b"}});
  add("c", {{"docker-volume-backup.prune-pre", "c 'unterminated"}});
  api.exit_codes["b"] = 3;
  auto hooks = make();
  auto result = hooks.pre(Phase::prune);
  ASSERT_FALSE(result);
  EXPECT_NE(result.error().message().find("running command exited 3"), std::string::npos);
  EXPECT_EQ(ran().size(), 2u);  // c never ran: its command does not parse
}

TEST_F(ExecHooksTest, CommandsAfterTheSealAreThePostsAndPrunePreOfThisExecLabel) {
  add("a", {{"docker-volume-backup.archive-pre", "true"}, {"docker-volume-backup.copy-pre", "true"}});
  EXPECT_FALSE(make().has_commands_after_seal().value());
  add("b", {{"docker-volume-backup.exec-label", "other"}, {"docker-volume-backup.copy-post", "true"}});
  EXPECT_FALSE(make("mine").has_commands_after_seal().value());
  EXPECT_TRUE(make().has_commands_after_seal().value());
  for (const char* key :
       {"docker-volume-backup.archive-post", "docker-volume-backup.process-post", "docker-volume-backup.prune-pre",
        "docker-volume-backup.prune-post", "docker-volume-backup.exec-post"}) {
    api.containers.clear();
    add("c", {{"docker-volume-backup.exec-label", "mine"}, {key, "true"}});
    EXPECT_TRUE(make("mine").has_commands_after_seal().value()) << key;
  }
}

TEST(PhaseTracker, PostsRunOnceInReverseAndAFailedPreSkipsItsPost) {
  class Recording final : public PhaseHooks {
   public:
    std::vector<std::string> calls;
    std::optional<Phase> failing_pre;
    void set_archive_path(std::optional<std::string>) override {}
    util::Result<void> pre(Phase p) override {
      calls.push_back(std::string(to_string(p)) + "-pre");
      if (failing_pre == p) {
        return util::fail(util::ErrorKind::permanent, "no");
      }
      return {};
    }
    util::Result<void> post(Phase p) override {
      calls.push_back(std::string(to_string(p)) + "-post");
      return {};
    }
    util::Result<bool> has_commands_after_seal() override { return false; }
  } hooks;
  util::CapturingLogger log;
  hooks.failing_pre = Phase::copy;
  {
    PhaseTracker tracker(&hooks, log);
    ASSERT_TRUE(tracker.begin(Phase::archive));
    ASSERT_TRUE(tracker.begin(Phase::process));
    ASSERT_TRUE(tracker.end(Phase::process));
    EXPECT_TRUE(tracker.end(Phase::process));  // once only
    EXPECT_FALSE(tracker.begin(Phase::copy));
  }
  EXPECT_EQ(hooks.calls,
            (std::vector<std::string>{"archive-pre", "process-pre", "process-post", "copy-pre", "archive-post"}));
}

}  // namespace
}  // namespace volback::app
