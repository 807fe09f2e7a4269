#include <volback/docker/json_parse.hpp>

#include <fstream>
#include <sstream>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

namespace volback::docker {
namespace {

std::string fixture(const std::string& name) {
  std::ifstream in(std::string(VOLBACK_DOCKER_TESTDATA) + "/" + name);
  std::ostringstream text;
  text << in.rdbuf();
  EXPECT_FALSE(text.str().empty()) << name;
  return text.str();
}

TEST(JsonParse, ContainerListFromCurrentEngine) {
  auto list = parse_container_list(fixture("containers-list-1.52.json"));
  ASSERT_TRUE(list) << list.error().message();
  ASSERT_EQ(list->size(), 2u);
  EXPECT_EQ((*list)[0].name, "stack-storage-1");
  EXPECT_EQ((*list)[0].state, "running");
  EXPECT_EQ((*list)[0].labels.at("com.docker.compose.depends_on"), "db:service_started:false");
  EXPECT_EQ((*list)[1].name, "stack-db-1");
  EXPECT_TRUE((*list)[1].labels.empty());  // "Labels": null
  ASSERT_EQ((*list)[0].mounts.size(), 1u);
  const Mount& volume = (*list)[0].mounts[0];
  EXPECT_EQ(volume.type, "volume");
  EXPECT_EQ(volume.name, "stack_data");
  EXPECT_EQ(volume.source, "");  // current engines leave a volume's Source out of the list
  EXPECT_EQ(volume.destination, "/var/www/html");
  EXPECT_TRUE(volume.read_write);
  EXPECT_TRUE((*list)[1].mounts.empty());
}

TEST(JsonParse, ContainerListFromDebianDaemon) {
  auto list = parse_container_list(fixture("containers-list-1.41.json"));
  ASSERT_TRUE(list) << list.error().message();
  ASSERT_EQ(list->size(), 1u);
  EXPECT_EQ((*list)[0].name, "fx1");
  EXPECT_EQ((*list)[0].labels.at("docker-volume-backup.stop-during-backup"), "true");
  ASSERT_EQ((*list)[0].mounts.size(), 1u);
  EXPECT_EQ((*list)[0].mounts[0].type, "bind");
  EXPECT_EQ((*list)[0].mounts[0].source, "/tmp/vt/v1");
  EXPECT_EQ((*list)[0].mounts[0].destination, "/data");
}

TEST(JsonParse, ReadOnlyMount) {
  auto list = parse_container_list(
    R"([{"Id":"a","Names":["/a"],"Mounts":[{"Type":"volume","Name":"pg","Destination":"/backup/pg","RW":false}]}])");
  ASSERT_TRUE(list) << list.error().message();
  ASSERT_EQ((*list)[0].mounts.size(), 1u);
  EXPECT_FALSE((*list)[0].mounts[0].read_write);
}

TEST(JsonParse, InspectBothVersions) {
  auto current = parse_container_details(fixture("container-inspect-1.52.json"));
  ASSERT_TRUE(current) << current.error().message();
  EXPECT_EQ(current->name, "stack-storage-1");
  EXPECT_FALSE(current->running);
  EXPECT_EQ(current->started_at, "2025-02-17T16:51:37.212345678Z");
  EXPECT_EQ(current->labels.at("com.docker.compose.service"), "storage");
  ASSERT_EQ(current->mounts.size(), 1u);
  EXPECT_EQ(current->mounts[0].source, "/var/lib/docker/volumes/stack_data/_data");
  EXPECT_EQ(current->config.image, "sha256:d74508fb6632491cea586a1fd7d748dfc5274cd6fdfedee309ecdcbc2bf5cb82");
  EXPECT_EQ(current->config.entrypoint, std::vector<std::string>{"/entrypoint.sh"});
  EXPECT_EQ(current->config.cmd, std::vector<std::string>{"apache2-foreground"});
  EXPECT_EQ(current->config.env, std::vector<std::string>{"PATH=/usr/local/bin:/usr/bin:/bin"});
  EXPECT_EQ(current->config.stop_signal, "SIGWINCH");
  auto old = parse_container_details(fixture("container-inspect-1.41.json"));
  ASSERT_TRUE(old) << old.error().message();
  EXPECT_EQ(old->name, "fx1");
  EXPECT_TRUE(old->running);
  EXPECT_FALSE(old->started_at.empty());
}

TEST(JsonParse, NullEntrypointStaysTheImages) {
  auto details =
    parse_container_details(R"({"Id":"x","State":{},"Config":{"Image":"busybox","Entrypoint":null,"Cmd":5}})");
  ASSERT_TRUE(details) << details.error().message();
  EXPECT_EQ(details->config.image, "busybox");
  EXPECT_FALSE(details->config.entrypoint);
  EXPECT_FALSE(details->config.cmd);
}

TEST(JsonParse, CreateBodyHasNoNetworkPortsOrRestart) {
  CreateContainerRequest request;
  request.config.image = "sha256:abc";
  request.config.cmd = std::vector<std::string>{"postgres"};
  request.config.env = {"A=1"};
  request.labels = {{"volback.drill-twin-of", "db"}};
  request.binds = {"/scratch/db:/var/lib/postgresql/data"};
  const auto body = nlohmann::json::parse(create_container_body(request));
  EXPECT_EQ(body["Image"], "sha256:abc");
  EXPECT_EQ(body["Cmd"], nlohmann::json::array({"postgres"}));
  EXPECT_FALSE(body.contains("Entrypoint"));
  EXPECT_FALSE(body.contains("ExposedPorts"));
  EXPECT_EQ(body["HostConfig"]["NetworkMode"], "none");
  EXPECT_EQ(body["HostConfig"]["RestartPolicy"]["Name"], "no");
  EXPECT_FALSE(body["HostConfig"].contains("PortBindings"));
  EXPECT_EQ(body["HostConfig"]["Binds"][0], "/scratch/db:/var/lib/postgresql/data");
  EXPECT_EQ(body["Labels"]["volback.drill-twin-of"], "db");
  EXPECT_EQ(parse_created_id(R"({"Id":"c1","Warnings":[]})").value(), "c1");
  EXPECT_FALSE(parse_created_id(R"({"Warnings":[]})"));
}

TEST(JsonParse, InfoSwarmManagerAndPlain) {
  auto manager = parse_info(fixture("info-1.52.json"));
  ASSERT_TRUE(manager);
  EXPECT_EQ(manager->server_version, "29.0.1");
  EXPECT_TRUE(manager->is_swarm_manager());
  auto plain = parse_info(fixture("info-1.41.json"));
  ASSERT_TRUE(plain);
  EXPECT_FALSE(plain->is_swarm_manager());
  EXPECT_FALSE((Info{"", "active", false}.is_swarm_manager()));  // a worker
  EXPECT_FALSE((Info{"", "", true}.is_swarm_manager()));         // no Swarm field at all
}

TEST(JsonParse, Services) {
  auto services = parse_service_list(fixture("services-list-1.47.json"));
  ASSERT_TRUE(services) << services.error().message();
  ASSERT_EQ(services->size(), 3u);
  EXPECT_EQ((*services)[0].name, "stack_app");
  EXPECT_EQ((*services)[0].replicas, std::optional<std::uint64_t>(2));
  EXPECT_EQ((*services)[0].version, 19u);
  EXPECT_FALSE((*services)[1].replicas);  // global
  EXPECT_FALSE((*services)[2].replicas);  // replicated job
}

TEST(JsonParse, Tasks) {
  auto live = parse_running_task_count(fixture("tasks-list-1.47.json"));
  ASSERT_TRUE(live);
  EXPECT_EQ(*live, 2u);  // running and preparing; the shut-down one is gone
}

TEST(JsonParse, Exec) {
  auto current = parse_exec_state(fixture("exec-inspect-1.52.json"));
  ASSERT_TRUE(current);
  EXPECT_EQ(current->exit_code, 2);
  auto old = parse_exec_state(fixture("exec-inspect-1.41.json"));
  ASSERT_TRUE(old);
  EXPECT_EQ(old->exit_code, 3);
  EXPECT_EQ(*parse_exec_id(R"({"Id":"abc"})"), "abc");
}

TEST(JsonParse, Errors) {
  EXPECT_EQ(parse_container_list("not json").error().kind(), util::ErrorKind::permanent);
  EXPECT_EQ(parse_container_list("{}").error().kind(), util::ErrorKind::permanent);
  EXPECT_FALSE(parse_container_details(R"({"Id":"x"})"));  // no State
  EXPECT_EQ(parse_error_message(R"({"message":"No such container: x"})"), "No such container: x");
  EXPECT_EQ(parse_error_message("plain text\n"), "plain text");
  EXPECT_EQ(*parse_version_api(R"({"ApiVersion":"1.41"})"), "1.41");
}

}  // namespace
}  // namespace volback::docker
