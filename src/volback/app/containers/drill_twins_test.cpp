#include <volback/app/containers/drill_twins.hpp>

#include <gtest/gtest.h>

#include <volback/util/logging.hpp>

namespace volback::app {
namespace {

docker::ContainerDetails twin_test_db() {
  docker::ContainerDetails db;
  db.id = "db-id";
  db.name = "stack-db-1";
  db.config.image = "sha256:pg";
  db.config.cmd = std::vector<std::string>{"postgres"};
  db.config.env = {"POSTGRES_PASSWORD=x"};
  db.config.user = "postgres";
  db.labels = {{std::string(k_drill_check_label), "pg_isready"}, {"com.docker.compose.project", "stack"}};
  db.mounts = {{"volume", "stack_db", "/var/lib/docker/volumes/stack_db/_data", "/var/lib/postgresql/data", true},
               {"volume", "stack_other", "/var/lib/docker/volumes/stack_other/_data", "/other", true},
               {"bind", "", "/srv/stack/pg.conf", "/etc/postgresql/pg.conf", false},
               {"tmpfs", "", "", "/run", true}};
  return db;
}

const std::vector<docker::Mount> k_twin_own_mounts{
  {"volume", "stack_db", "/var/lib/docker/volumes/stack_db/_data", "/backup/db", false},
  {"bind", "", "/srv/volback-drill", "/drill", true}};

TEST(PlanTwin, ReplacesTheBackedUpVolumeWithTheRestoredCopyOnly) {
  auto plan = plan_twin(twin_test_db(), "d1", "/backup", k_twin_own_mounts, {{"db", "/drill/.volback-drill-d1/db"}});
  ASSERT_TRUE(plan) << plan.error().message();
  EXPECT_EQ(plan->request.name, "stack-db-1-volback-drill-d1");
  EXPECT_EQ(plan->request.config.image, "sha256:pg");
  EXPECT_EQ(plan->request.config.user, "postgres");
  const std::vector<std::string> binds{"/srv/volback-drill/.volback-drill-d1/db:/var/lib/postgresql/data",
                                       "/srv/stack/pg.conf:/etc/postgresql/pg.conf:ro"};
  EXPECT_EQ(plan->request.binds, binds);
  EXPECT_EQ(plan->kept_read_only, std::vector<std::string>{"/etc/postgresql/pg.conf"});
  EXPECT_EQ(plan->left_out, (std::vector<std::string>{"/other", "/run"}));
  EXPECT_EQ(plan->request.labels.at(std::string(k_twin_of_label)), "stack-db-1");
  EXPECT_FALSE(plan->request.labels.contains("com.docker.compose.project"));
  EXPECT_FALSE(plan->request.labels.contains(std::string(k_drill_check_label)));
}

TEST(PlanTwin, OnTheHostPathsAreTheirOwn) {
  auto db = twin_test_db();
  db.mounts = {{"bind", "", "/srv/db", "/var/lib/postgresql/data", true}};
  auto plan = plan_twin(db, "d2", "/srv", std::nullopt, {{"db", "/tmp/.volback-drill-d2/db"}});
  ASSERT_TRUE(plan) << plan.error().message();
  EXPECT_EQ(plan->request.binds, std::vector<std::string>{"/tmp/.volback-drill-d2/db:/var/lib/postgresql/data"});
}

TEST(PlanTwin, RefusesAContainerWithoutBackedUpVolumesOrAScratchDirWithoutHostPath) {
  auto none = plan_twin(twin_test_db(), "d3", "/backup", k_twin_own_mounts, {{"files", "/drill/x/files"}});
  ASSERT_FALSE(none);
  EXPECT_NE(none.error().message().find("none of the volumes"), std::string::npos);
  auto hidden = plan_twin(twin_test_db(), "d3", "/backup", k_twin_own_mounts, {{"db", "/tmp/.volback-drill-d3/db"}});
  ASSERT_FALSE(hidden);
  EXPECT_NE(hidden.error().message().find("VOLBACK_DRILL_DIR"), std::string::npos);
}

TEST(LastLines, KeepsTheEnd) {
  EXPECT_EQ(last_lines("a\nb\nc\n", 2), "b\nc");
  EXPECT_EQ(last_lines("one line", 2), "one line");
  EXPECT_EQ(last_lines(std::string(5000, 'x'), 3, 100), std::string(100, 'x'));
  EXPECT_EQ(last_lines(""), "");
}

// A daemon with one container to check, whose exec answers come from a script.
class TwinFakeApi final : public docker::Api {
 public:
  docker::ContainerDetails live = twin_test_db();
  std::vector<util::Result<docker::ExecOutput>> answers;
  std::vector<std::string> calls;
  const std::string& api_version() const override { return m_version; }
  util::Result<docker::Info> info() override { return docker::Info{}; }
  util::Result<std::vector<docker::ContainerSummary>> list_containers(const docker::ContainerFilter& filter) override {
    calls.push_back("list " + filter.labels.front());
    if (filter.labels.front() == k_twin_of_label) {
      return std::vector<docker::ContainerSummary>{
        {"old-twin", "old-twin", "exited", {{std::string(k_twin_of_label), "x"}}, {}}};
    }
    return std::vector<docker::ContainerSummary>{{live.id, live.name, "running", live.labels, live.mounts}};
  }
  util::Result<docker::ContainerDetails> inspect_container(const std::string&) override { return live; }
  util::Result<void> stop_container(const std::string& id) override { return record("stop " + id); }
  util::Result<void> start_container(const std::string& id) override { return record("start " + id); }
  util::Result<std::string> create_container(const docker::CreateContainerRequest& request) override {
    calls.push_back("create " + request.name + " " + request.binds.front());
    return std::string("twin-id");
  }
  util::Result<void> remove_container(const std::string& id) override { return record("remove " + id); }
  util::Result<std::vector<docker::ServiceSummary>> list_services() override {
    return std::vector<docker::ServiceSummary>{};
  }
  util::Result<void> scale_service(const std::string&, std::uint64_t) override { return {}; }
  util::Result<void> force_update_service(const std::string&) override { return {}; }
  util::Result<std::size_t> count_running_tasks(const std::string&) override { return std::size_t{0}; }
  util::Result<docker::ExecOutput> exec(const std::string& id, const docker::ExecRequest& request,
                                        std::chrono::milliseconds) override {
    calls.push_back("exec " + id + " " + request.argv.back());
    if (m_next >= answers.size()) {
      return docker::ExecOutput{"", "not yet", 1};
    }
    return answers[m_next++];
  }

 private:
  util::Result<void> record(std::string call) {
    calls.push_back(std::move(call));
    return {};
  }
  std::string m_version = "1.41";
  std::size_t m_next = 0;
};

struct TwinRun {
  std::vector<AppCheckResult> results;
  std::vector<std::string> calls;
};

// On the host (no own container): the live container bind-mounts /srv/db, BACKUP_SOURCES is /srv.
TwinRun run_twins(std::vector<util::Result<docker::ExecOutput>> answers, std::chrono::milliseconds timeout,
                  std::optional<std::string> expect = std::nullopt) {
  auto api = std::make_unique<TwinFakeApi>();
  api->answers = std::move(answers);
  api->live.mounts = {{"bind", "", "/srv/db", "/var/lib/postgresql/data", true}};
  if (expect) {
    api->live.labels[std::string(k_drill_expect_label)] = *expect;
  }
  auto* fake = api.get();
  util::CapturingLogger log;
  const util::CancelToken cancel;
  const DrillTwinSettings settings{.drill_id = "d9",
                                   .sources = "/srv",
                                   .timeout = timeout,
                                   .retry_interval = std::chrono::milliseconds{10},
                                   .mountinfo_path = "/nonexistent"};
  auto checks = make_drill_twins(std::move(api), settings, log, cancel);
  auto names = checks->prepare();
  EXPECT_TRUE(names) << names.error().message();
  TwinRun run;
  run.results = checks->run({{"db", "/tmp/x/db"}});
  run.calls = fake->calls;
  return run;
}

TEST(DrillTwins, RetriesTheCheckUntilItPassesAndRemovesTheTwin) {
  auto run = run_twins({docker::ExecOutput{"", "starting", 2}, docker::ExecOutput{"42\n", "", 0}},
                       std::chrono::milliseconds{5000});
  ASSERT_EQ(run.results.size(), 1u);
  EXPECT_TRUE(run.results[0].passed) << run.results[0].failure;
  EXPECT_EQ(run.results[0].output, "42");
  const std::vector<std::string> want{"list " + std::string(k_twin_of_label),
                                      "remove old-twin",
                                      "list " + std::string(k_drill_check_label),
                                      "create stack-db-1-volback-drill-d9 /tmp/x/db:/var/lib/postgresql/data",
                                      "start twin-id",
                                      "exec twin-id pg_isready",
                                      "exec twin-id pg_isready",
                                      "remove twin-id"};
  EXPECT_EQ(run.calls, want);
}

TEST(DrillTwins, FailsAtTheTimeoutAndStillRemovesTheTwin) {
  auto run = run_twins({}, std::chrono::milliseconds{200});
  ASSERT_EQ(run.results.size(), 1u);
  EXPECT_FALSE(run.results[0].passed);
  EXPECT_NE(run.results[0].failure.find("did not pass within"), std::string::npos) << run.results[0].failure;
  EXPECT_EQ(run.results[0].output, "not yet");
  EXPECT_EQ(run.calls.back(), "remove twin-id");
}

TEST(DrillTwins, TheOutputMustMatchTheExpectation) {
  const std::vector<util::Result<docker::ExecOutput>> zeros(50, docker::ExecOutput{"0\n", "", 0});
  auto wrong = run_twins(zeros, std::chrono::milliseconds{100}, "^[1-9][0-9]*$");
  EXPECT_FALSE(wrong.results.at(0).passed);
  EXPECT_NE(wrong.results[0].failure.find("does not match"), std::string::npos) << wrong.results[0].failure;
  auto right = run_twins({docker::ExecOutput{"100000\n", "", 0}}, std::chrono::milliseconds{1000}, "^[1-9][0-9]*$");
  EXPECT_TRUE(right.results.at(0).passed) << right.results[0].failure;
}

TEST(DrillTwins, AnInvalidExpectationIsRefusedBeforeAnythingRuns) {
  auto api = std::make_unique<TwinFakeApi>();
  api->live.labels[std::string(k_drill_expect_label)] = "([";
  util::CapturingLogger log;
  const util::CancelToken cancel;
  auto checks = make_drill_twins(std::move(api), DrillTwinSettings{.drill_id = "d", .sources = "/srv"}, log, cancel);
  auto names = checks->prepare();
  ASSERT_FALSE(names);
  EXPECT_EQ(names.error().kind(), util::ErrorKind::invalid_argument);
}

}  // namespace
}  // namespace volback::app
