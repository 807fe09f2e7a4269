// Fuzzes util::parse_env_file, the parser of conf.d files, with a small fixed environment
// so that expansions resolve.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include <volback/util/env_file.hpp>

using namespace volback;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const util::VariableLookup environment = [](std::string_view name) -> std::optional<std::string> {
    if (name == "HOME") {
      return std::string("/root");
    }
    if (name == "EMPTY") {
      return std::string();
    }
    if (name == "LONG") {
      return std::string(64, 'x');
    }
    return std::nullopt;
  };
  (void)util::parse_env_file(text, environment);
  return 0;
}
