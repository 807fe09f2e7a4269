// Fuzzes the parsers of the Docker Engine API's answers (docker/json_parse.hpp), the
// multiplexed exec stream (docker/stream_demux.hpp), API versions, /proc/self/mountinfo
// (own_container_id) and offen's exec-label command lines. The first byte picks the
// parser; the rest is the answer.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string_view>

#include <volback/docker/api_version.hpp>
#include <volback/docker/command_line.hpp>
#include <volback/docker/json_parse.hpp>
#include <volback/docker/stream_demux.hpp>
#include <volback/docker/volume_users.hpp>

using namespace volback::docker;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) {
    return 0;
  }
  const std::string_view text(reinterpret_cast<const char*>(data) + 1, size - 1);
  switch (data[0] % 14) {
  case 0: (void)parse_info(text); break;
  case 1: (void)parse_container_list(text); break;
  case 2: (void)parse_container_details(text); break;
  case 3: (void)parse_service_list(text); break;
  case 4: (void)parse_running_task_count(text); break;
  case 5: (void)parse_exec_id(text); break;
  case 6: (void)parse_exec_state(text); break;
  case 7: (void)parse_version_api(text); break;
  case 8: (void)parse_error_message(text); break;
  case 9: {
    // The stream in chunks of 1..16 bytes, sized by the data itself.
    StreamDemux demux;
    const auto bytes = std::as_bytes(std::span(text.data(), text.size()));
    std::size_t pos = 0;
    while (pos < bytes.size()) {
      const std::size_t n = std::min<std::size_t>(bytes.size() - pos, 1 + static_cast<std::size_t>(bytes[pos]) % 16);
      demux.feed(bytes.subspan(pos, n));
      pos += n;
    }
    (void)demux.incomplete();
    break;
  }
  case 10: {
    const auto half = text.substr(0, text.size() / 2);
    const auto rest = text.substr(text.size() / 2);
    (void)compare_api_versions(half, rest);
    (void)is_api_version(text);
    break;
  }
  case 11: (void)negotiate_api_version(std::nullopt, text); break;
  case 12: (void)own_container_id(text); break;
  default: (void)split_command(text); break;
  }
  return 0;
}
