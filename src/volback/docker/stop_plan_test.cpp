#include <volback/docker/stop_plan.hpp>

#include <gtest/gtest.h>

namespace volback::docker {
namespace {

ContainerSummary container(std::string name, Labels labels) {
  return ContainerSummary{"id-" + name, name, "running", std::move(labels)};
}

std::vector<std::string> names(const StopPlan& plan) {
  std::vector<std::string> out;
  for (const auto& c : plan.containers) {
    out.push_back(c.name);
  }
  return out;
}

const std::string k_stop(k_stop_label);
const std::string k_no_restart(k_no_restart_label);

TEST(StopPlan, SelectsByExactLabelValue) {
  const std::vector<ContainerSummary> running{container("a", {{k_stop, "true"}}), container("b", {}),
                                              container("c", {{k_stop, "other"}}),
                                              container("d", {{k_no_restart, "true"}})};
  auto plan = plan_stop(running, {}, StopLabelValues{});
  ASSERT_TRUE(plan);
  EXPECT_EQ(names(*plan), (std::vector<std::string>{"a", "d"}));
  EXPECT_EQ(plan->containers[0].restart, Restart::yes);
  EXPECT_EQ(plan->containers[1].restart, Restart::no);
  EXPECT_EQ(plan->running_containers, 4u);
  auto other = plan_stop(running, {}, StopLabelValues{"other", "true"});
  ASSERT_TRUE(other);
  EXPECT_EQ(names(*other), (std::vector<std::string>{"c", "d"}));
}

TEST(StopPlan, BothLabelsOnOneContainerIsAnError) {
  const std::vector<ContainerSummary> running{container("a", {{k_stop, "true"}, {k_no_restart, "true"}})};
  EXPECT_EQ(plan_stop(running, {}, StopLabelValues{}).error().kind(), util::ErrorKind::invalid_argument);
  // Only matching values count: a no-restart label for another instance is fine.
  const std::vector<ContainerSummary> other{container("a", {{k_stop, "true"}, {k_no_restart, "x"}})};
  EXPECT_TRUE(plan_stop(other, {}, StopLabelValues{}));
}

TEST(StopPlan, DependentsStopFirst) {
  const Labels base{{k_stop, "true"}, {std::string(k_compose_project_label), "stack"}};
  auto with = [&base](std::string service, std::string depends) {
    Labels l = base;
    l[std::string(k_compose_service_label)] = std::move(service);
    if (!depends.empty()) {
      l[std::string(k_compose_depends_on_label)] = std::move(depends);
    }
    return l;
  };
  const std::vector<ContainerSummary> running{
    container("stack-db-1", with("db", "")),
    container("stack-storage-1", with("storage", "db:service_started:false,cache:service_healthy:true")),
    container("stack-web-1", with("web", "storage:service_started:false")),
    container("stack-cache-1", with("cache", "")),
  };
  auto plan = plan_stop(running, {}, StopLabelValues{});
  ASSERT_TRUE(plan);
  EXPECT_EQ(names(*plan), (std::vector<std::string>{"stack-web-1", "stack-storage-1", "stack-cache-1", "stack-db-1"}));
}

TEST(StopPlan, CyclesFallBackToNames) {
  const std::vector<ContainerSummary> running{
    container("b", {{k_stop, "true"}, {"com.docker.compose.service", "b"}, {"com.docker.compose.depends_on", "a"}}),
    container("a", {{k_stop, "true"}, {"com.docker.compose.service", "a"}, {"com.docker.compose.depends_on", "b"}}),
  };
  auto plan = plan_stop(running, {}, StopLabelValues{});
  ASSERT_TRUE(plan);
  EXPECT_EQ(names(*plan).size(), 2u);
}

TEST(StopPlan, SwarmServicesAndCollision) {
  std::vector<ServiceSummary> services{
    {"s1", "app", {{k_stop, "true"}}, 2, 7},
    {"s2", "agent", {{k_stop, "true"}}, std::nullopt, 3},
    {"s3", "web", {}, 1, 1},
  };
  EXPECT_EQ(plan_stop({}, services, StopLabelValues{}).error().kind(), util::ErrorKind::invalid_argument);
  services.erase(services.begin() + 1);
  auto plan = plan_stop({container("web.1", {{k_stop, "true"}, {std::string(k_service_id_label), "s3"}})}, services,
                        StopLabelValues{});
  ASSERT_TRUE(plan);
  ASSERT_EQ(plan->services.size(), 1u);
  EXPECT_EQ(plan->services[0].replicas, 2u);
  ASSERT_EQ(plan->containers.size(), 1u);
  EXPECT_EQ(plan->containers[0].service_id, std::optional<std::string>("s3"));
  // The parent service carries the stop label too (any value): the collision rule.
  auto collision = plan_stop({container("app.1", {{k_stop, "true"}, {std::string(k_service_id_label), "s1"}})},
                             services, StopLabelValues{});
  ASSERT_FALSE(collision);
  EXPECT_NE(collision.error().message().find("parent service app"), std::string::npos);
}

TEST(StopPlan, DependsOnParsing) {
  EXPECT_EQ(parse_depends_on("db:service_started:false, cache:service_healthy:true"),
            (std::vector<std::string>{"db", "cache"}));
  EXPECT_TRUE(parse_depends_on("").empty());
}

}  // namespace
}  // namespace volback::docker

namespace volback::docker {
namespace {

TEST(StopPlan, AlsoStopsTheUsersOfARestoredVolume) {
  const std::vector<ContainerSummary> running{
    container("app", {{"com.docker.compose.project", "p"},
                      {"com.docker.compose.service", "app"},
                      {"com.docker.compose.depends_on", "db:service_started:false"}}),
    container("db", {{"com.docker.compose.project", "p"}, {"com.docker.compose.service", "db"}}),
    container("kept", {{k_no_restart, "true"}}), container("idle", {})};
  auto plan = plan_stop(running, {}, StopLabelValues{}, {"id-db", "id-app", "id-kept"});
  ASSERT_TRUE(plan) << plan.error().message();
  std::vector<std::string> order;
  for (const auto& c : plan->containers) {
    order.push_back(c.name);
  }
  EXPECT_EQ(order, (std::vector<std::string>{"app", "db", "kept"}));  // dependents first
  EXPECT_EQ(plan->containers[0].reason, StopReason::uses_volume);
  EXPECT_EQ(plan->containers[0].restart, Restart::yes);
  EXPECT_EQ(plan->containers[2].reason, StopReason::label);
  EXPECT_EQ(plan->containers[2].restart, Restart::no);
}

TEST(StopPlan, AVolumeUserThatIsATaskOfAScaledServiceIsLeftToTheScaling) {
  const std::vector<ServiceSummary> services{{"svc", "web", {{k_stop, "true"}}, 2, 7}};
  const std::vector<ContainerSummary> running{container("web.1", {{"com.docker.swarm.service.id", "svc"}})};
  auto plan = plan_stop(running, services, StopLabelValues{}, {"id-web.1"});
  ASSERT_TRUE(plan) << plan.error().message();
  EXPECT_TRUE(plan->containers.empty());
  EXPECT_EQ(plan->services.size(), 1u);
}

}  // namespace
}  // namespace volback::docker
