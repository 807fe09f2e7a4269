#include <volback/app/containers/docker_quiescer.hpp>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>

#include <gtest/gtest.h>

#include <volback/app/containers/crash_journal.hpp>
#include <volback/testing/temp_dir.hpp>

namespace volback::app {
namespace {

// A daemon in memory: containers with labels, running state and StartedAt; services
// with replicas. Records every call.
class FakeApi final : public docker::Api {
 public:
  struct Container {
    docker::Labels labels;
    bool running = true;
    std::string started_at = "t0";
    std::optional<std::string> service_id;
    std::vector<docker::Mount> mounts;
    std::string id;  // empty: "id-<name>"
  };
  std::map<std::string, Container> containers;  // by name
  std::vector<docker::ServiceSummary> services;
  bool manager = false;
  std::vector<std::string> calls;
  std::set<std::string> failing_stops;
  std::size_t task_polls_until_gone = 0;

  const std::string& api_version() const override { return m_version; }
  util::Result<docker::Info> info() override { return docker::Info{"fake", manager ? "active" : "inactive", manager}; }
  util::Result<std::vector<docker::ContainerSummary>> list_containers(const docker::ContainerFilter&) override {
    std::vector<docker::ContainerSummary> out;
    for (const auto& [name, c] : containers) {
      if (c.running) {
        out.push_back({id_of(name, c), name, "running", c.labels, c.mounts});
      }
    }
    return out;
  }
  util::Result<docker::ContainerDetails> inspect_container(const std::string& id) override {
    auto* c = find(id);
    if (!c) {
      return util::fail(util::ErrorKind::not_found, "no such container");
    }
    return docker::ContainerDetails{id, name_of(id), c->running, c->started_at, c->labels, c->mounts};
  }
  util::Result<void> stop_container(const std::string& id) override {
    calls.push_back("stop " + name_of(id));
    if (failing_stops.contains(name_of(id))) {
      return util::fail(util::ErrorKind::permanent, "cannot stop");
    }
    find(id)->running = false;
    return {};
  }
  util::Result<void> start_container(const std::string& id) override {
    calls.push_back("start " + name_of(id));
    auto* c = find(id);
    c->running = true;
    c->started_at += "'";
    return {};
  }
  util::Result<std::string> create_container(const docker::CreateContainerRequest&) override {
    return util::fail(util::ErrorKind::permanent, "not used");
  }
  util::Result<void> remove_container(const std::string&) override { return {}; }
  util::Result<std::vector<docker::ServiceSummary>> list_services() override { return services; }
  util::Result<void> scale_service(const std::string& id, std::uint64_t replicas) override {
    calls.push_back("scale " + id + " " + std::to_string(replicas));
    for (auto& s : services) {
      if (s.id == id) {
        s.replicas = replicas;
      }
    }
    return {};
  }
  util::Result<void> force_update_service(const std::string& id) override {
    calls.push_back("force-update " + id);
    return {};
  }
  util::Result<std::size_t> count_running_tasks(const std::string&) override {
    calls.push_back("tasks");
    if (task_polls_until_gone > 0) {
      --task_polls_until_gone;
      return std::size_t{1};
    }
    return std::size_t{0};
  }
  util::Result<docker::ExecOutput> exec(const std::string&, const docker::ExecRequest&,
                                        std::chrono::milliseconds) override {
    return docker::ExecOutput{};
  }

 private:
  static std::string id_of(const std::string& name, const Container& c) { return c.id.empty() ? "id-" + name : c.id; }
  std::string name_of(const std::string& id) const {
    for (const auto& [name, c] : containers) {
      if (id_of(name, c) == id) {
        return name;
      }
    }
    return "?";
  }
  Container* find(const std::string& id) {
    for (auto& [name, c] : containers) {
      if (id_of(name, c) == id) {
        return &c;
      }
    }
    return nullptr;
  }
  std::string m_version = "1.41";
};

const std::string k_stop(docker::k_stop_label);

// quiesce()'s answer; an error counts as neither.
std::optional<bool> quiesced(DockerQuiescer& q) {
  auto result = q.quiesce();
  if (!result) {
    return std::nullopt;
  }
  return result->any();
}

class DockerQuiescerTest : public ::testing::Test {
 protected:
  DockerQuiescer make() {
    DockerQuiescerOptions options;
    options.journal_path = crash_journal_path(m_dir.path());
    options.poll_interval = std::chrono::milliseconds(1);
    options.service_timeout = std::chrono::milliseconds(100);
    options.volume_dirs = volume_dirs;
    options.mountinfo_path = mountinfo_path;
    DockerConnector connect = [this](const util::CancelToken&) -> util::Result<std::unique_ptr<docker::Api>> {
      ++connects;
      return std::unique_ptr<docker::Api>(std::make_unique<Forward>(api));
    };
    return DockerQuiescer(std::move(connect), options, log, cancel, [](std::chrono::milliseconds) {});
  }
  std::string journal() const { return crash_journal_path(m_dir.path()); }

  std::vector<std::string> volume_dirs;
  std::string mountinfo_path = "/nonexistent/mountinfo";

  // Lets the test keep the fake while the quiescer owns "its" Api.
  class Forward final : public docker::Api {
   public:
    explicit Forward(FakeApi& api) : m_api(api) {}
    const std::string& api_version() const override { return m_api.api_version(); }
    util::Result<docker::Info> info() override { return m_api.info(); }
    util::Result<std::vector<docker::ContainerSummary>> list_containers(const docker::ContainerFilter& f) override {
      return m_api.list_containers(f);
    }
    util::Result<docker::ContainerDetails> inspect_container(const std::string& id) override {
      return m_api.inspect_container(id);
    }
    util::Result<void> stop_container(const std::string& id) override { return m_api.stop_container(id); }
    util::Result<void> start_container(const std::string& id) override { return m_api.start_container(id); }
    util::Result<std::string> create_container(const docker::CreateContainerRequest& request) override {
      return m_api.create_container(request);
    }
    util::Result<void> remove_container(const std::string& id) override { return m_api.remove_container(id); }
    util::Result<std::vector<docker::ServiceSummary>> list_services() override { return m_api.list_services(); }
    util::Result<void> scale_service(const std::string& id, std::uint64_t n) override {
      return m_api.scale_service(id, n);
    }
    util::Result<void> force_update_service(const std::string& id) override { return m_api.force_update_service(id); }
    util::Result<std::size_t> count_running_tasks(const std::string& id) override {
      return m_api.count_running_tasks(id);
    }
    util::Result<docker::ExecOutput> exec(const std::string& c, const docker::ExecRequest& r,
                                          std::chrono::milliseconds t) override {
      return m_api.exec(c, r, t);
    }

   private:
    FakeApi& m_api;
  };

  testing::TempDir m_dir;
  FakeApi api;
  util::CapturingLogger log;
  util::CancelToken cancel;
  int connects = 0;
};

TEST_F(DockerQuiescerTest, StopsDependentsFirstJournalsAndRestartsInReverse) {
  api.containers["db"] = {
    {{k_stop, "true"}, {"com.docker.compose.project", "p"}, {"com.docker.compose.service", "db"}}};
  api.containers["app"] = {{{k_stop, "true"},
                            {"com.docker.compose.project", "p"},
                            {"com.docker.compose.service", "app"},
                            {"com.docker.compose.depends_on", "db:service_started:false"}}};
  api.containers["other"] = {};
  auto q = make();
  auto stopped = q.quiesce();
  ASSERT_TRUE(stopped) << stopped.error().message();
  EXPECT_EQ(stopped->containers, (std::vector<std::string>{"app", "db"}));
  EXPECT_EQ(api.calls, (std::vector<std::string>{"stop app", "stop db"}));
  auto written = read_crash_journal(journal());
  ASSERT_TRUE(written && *written);
  ASSERT_EQ((*written)->containers.size(), 2u);
  EXPECT_EQ((*written)->containers[0].started_at, "t0");
  ASSERT_TRUE(q.resume());
  EXPECT_EQ(api.calls, (std::vector<std::string>{"stop app", "stop db", "start db", "start app"}));
  EXPECT_FALSE(std::filesystem::exists(journal()));
  EXPECT_TRUE(api.containers["other"].running);
}

TEST_F(DockerQuiescerTest, NothingLabelledStopsNothing) {
  api.containers["a"] = {{{k_stop, "other"}}};
  auto q = make();
  EXPECT_EQ(quiesced(q), false);
  EXPECT_TRUE(api.calls.empty());
  EXPECT_FALSE(std::filesystem::exists(journal()));
  EXPECT_TRUE(q.resume());
}

TEST_F(DockerQuiescerTest, NoRestartStaysStoppedAndIsNotJournalled) {
  api.containers["a"] = {{{std::string(docker::k_no_restart_label), "true"}}};
  auto q = make();
  EXPECT_EQ(quiesced(q), true);
  EXPECT_FALSE(std::filesystem::exists(journal()));
  ASSERT_TRUE(q.resume());
  EXPECT_EQ(api.calls, (std::vector<std::string>{"stop a"}));
}

TEST_F(DockerQuiescerTest, AFailedStopRestartsTheOthersAndFails) {
  api.containers["a"] = {{{k_stop, "true"}}};
  api.containers["b"] = {{{k_stop, "true"}}};
  api.failing_stops = {"b"};
  auto q = make();
  EXPECT_FALSE(q.quiesce());
  EXPECT_EQ(api.calls, (std::vector<std::string>{"stop a", "stop b", "start a"}));
  EXPECT_FALSE(std::filesystem::exists(journal()));
}

TEST_F(DockerQuiescerTest, LabelConflictStopsNothing) {
  api.containers["a"] = {{{k_stop, "true"}, {std::string(docker::k_no_restart_label), "true"}}};
  auto q = make();
  auto result = q.quiesce();
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().kind(), util::ErrorKind::invalid_argument);
  EXPECT_TRUE(api.calls.empty());
}

TEST_F(DockerQuiescerTest, RecoveryRestartsOnlyWhatIsStillStoppedSinceTheCrash) {
  api.containers["untouched"] = {{}, false, "t0"};
  api.containers["restarted-by-hand"] = {{}, false, "t1"};  // started and stopped again since
  api.containers["running"] = {{}, true, "t5"};
  CrashJournal crashed;
  crashed.containers = {{"id-untouched", "untouched", "t0", std::nullopt},
                        {"id-restarted-by-hand", "restarted-by-hand", "t0", std::nullopt},
                        {"id-running", "running", "t0", std::nullopt},
                        {"id-gone", "gone", "t0", std::nullopt}};
  ASSERT_TRUE(write_crash_journal(journal(), crashed));
  auto q = make();
  ASSERT_TRUE(q.recover());
  EXPECT_EQ(api.calls, (std::vector<std::string>{"start untouched"}));
  EXPECT_FALSE(std::filesystem::exists(journal()));
  EXPECT_FALSE(api.containers["restarted-by-hand"].running);
  const auto warnings = log.text();
  EXPECT_NE(warnings.find("Restarted container untouched"), std::string::npos);
  EXPECT_NE(warnings.find("restarted-by-hand was started and stopped again"), std::string::npos);
}

TEST_F(DockerQuiescerTest, NoJournalNoDocker) {
  auto q = make();
  ASSERT_TRUE(q.recover());
  EXPECT_EQ(connects, 0);
}

TEST_F(DockerQuiescerTest, SwarmServicesScaleDownAndBack) {
  api.manager = true;
  api.services = {{"s1", "app", {{k_stop, "true"}}, 2, 1}, {"s2", "web", {}, 1, 1}};
  api.containers["web.1"] = {{{k_stop, "true"}, {std::string(docker::k_service_id_label), "s2"}}};
  api.task_polls_until_gone = 2;
  auto q = make();
  ASSERT_EQ(quiesced(q), true);
  ASSERT_TRUE(q.resume());
  EXPECT_EQ(api.calls, (std::vector<std::string>{"stop web.1", "scale s1 0", "tasks", "tasks", "tasks",
                                                 "force-update s2", "scale s1 2"}));
}

TEST_F(DockerQuiescerTest, SwarmCollisionStopsNothing) {
  api.manager = true;
  api.services = {{"s1", "app", {{k_stop, "true"}}, 2, 1}};
  api.containers["app.1"] = {{{k_stop, "true"}, {std::string(docker::k_service_id_label), "s1"}}};
  auto q = make();
  EXPECT_FALSE(q.quiesce());
  EXPECT_TRUE(api.calls.empty());
}

TEST_F(DockerQuiescerTest, ServicesThatDoNotScaleDownInTimeFailAndComeBack) {
  api.manager = true;
  api.services = {{"s1", "app", {{k_stop, "true"}}, 3, 1}};
  api.task_polls_until_gone = 1000;
  auto q = make();
  EXPECT_FALSE(q.quiesce());
  EXPECT_EQ(api.calls.back(), "scale s1 3");
}

TEST_F(DockerQuiescerTest, RestoringInPlaceAlsoStopsEveryUserOfTheVolumeButItself) {
  const std::string self_id(64, 'a');
  api.containers["web"] = {{{k_stop, "true"}}};
  api.containers["db"] = {{}, true, "t0", std::nullopt, {{"volume", "pg", "", "/var/lib/postgresql/data", true}}};
  api.containers["reader"] = {{}, true, "t0", std::nullopt, {{"bind", "", "/srv", "/srv", false}}};
  api.containers["unrelated"] = {{}, true, "t0", std::nullopt, {{"volume", "other", "", "/data", true}}};
  // The container volback runs in, with the id the kernel's mountinfo shows.
  api.containers["volback"] = {{},     true, "t0", std::nullopt, {{"volume", "pg", "/v/pg/_data", "/backup/pg", true}},
                               self_id};
  const std::string info = m_dir.path() + "/mountinfo";
  {
    std::ofstream out(info);
    out << "571 560 254:1 /var/lib/docker/containers/" << self_id << "/hostname /etc/hostname rw - ext4 x rw\n";
  }
  mountinfo_path = info;
  volume_dirs = {"/backup/pg"};
  auto q = make();
  auto planned = q.plan();
  ASSERT_TRUE(planned) << planned.error().message();
  EXPECT_TRUE(api.calls.empty());  // plan() changes nothing
  auto stopped = q.quiesce();
  ASSERT_TRUE(stopped) << stopped.error().message();
  EXPECT_EQ(stopped->containers, planned->containers);
  std::vector<std::string> sorted = stopped->containers;
  std::sort(sorted.begin(), sorted.end());
  EXPECT_EQ(sorted, (std::vector<std::string>{"db", "web"}));
  ASSERT_TRUE(q.resume());
  EXPECT_TRUE(api.containers["db"].running);
}

TEST_F(DockerQuiescerTest, OnTheHostTheDirectoryIsMatchedByItsPath) {
  api.containers["app"] = {{}, true, "t0", std::nullopt, {{"bind", "", "/srv/data", "/data", true}}};
  api.containers["other"] = {{}, true, "t0", std::nullopt, {{"bind", "", "/srv/other", "/data", true}}};
  volume_dirs = {"/srv/data/"};
  auto q = make();
  auto stopped = q.quiesce();
  ASSERT_TRUE(stopped) << stopped.error().message();
  EXPECT_EQ(stopped->containers, (std::vector<std::string>{"app"}));
  ASSERT_TRUE(q.resume());
}

}  // namespace
}  // namespace volback::app
