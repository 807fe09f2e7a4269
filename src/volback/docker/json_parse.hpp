#pragma once
// Parsers of the Engine API's JSON answers into api.hpp's structs. Pure functions,
// tested against answers recorded from current engines (API 1.44 and later) and from
// Debian's dockerd (API 1.41). Unknown fields are ignored; a missing field volback
// needs, or text that is not JSON, is a permanent error naming the endpoint.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include <volback/docker/api.hpp>
#include <volback/util/result.hpp>

namespace volback::docker {

util::Result<Info> parse_info(std::string_view json);
util::Result<std::vector<ContainerSummary>> parse_container_list(std::string_view json);
util::Result<ContainerDetails> parse_container_details(std::string_view json);
util::Result<std::vector<ServiceSummary>> parse_service_list(std::string_view json);
// GET /tasks: the number of tasks still running or on their way to running.
util::Result<std::size_t> parse_running_task_count(std::string_view json);
// POST /containers/{id}/exec: the exec's Id.
util::Result<std::string> parse_exec_id(std::string_view json);
// The id in the answer to POST /containers/create.
util::Result<std::string> parse_created_id(std::string_view json);
// The body of POST /containers/create for `request`. Pure.
std::string create_container_body(const CreateContainerRequest& request);

struct ExecState {
  bool running = false;
  int exit_code = -1;
};
// GET /exec/{id}/json.
util::Result<ExecState> parse_exec_state(std::string_view json);

// GET /version: ApiVersion.
util::Result<std::string> parse_version_api(std::string_view json);
// The daemon's error message from an error response body ({"message": "..."}), or the
// body itself when it is not such JSON.
std::string parse_error_message(std::string_view body);

}  // namespace volback::docker
