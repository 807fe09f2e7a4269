#include <volback/cli/environment.hpp>

#include <unistd.h>  // environ (declared with _GNU_SOURCE)

#include <string_view>

namespace volback::cli {

util::MapSource environment_source() {
  std::map<std::string, std::string, std::less<>> values;
  for (char** entry = environ; entry != nullptr && *entry != nullptr; ++entry) {
    const std::string_view text(*entry);
    const auto eq = text.find('=');
    if (eq != std::string_view::npos) {
      values.emplace(std::string(text.substr(0, eq)), std::string(text.substr(eq + 1)));
    }
  }
  return util::MapSource(std::move(values), "environment");
}

}  // namespace volback::cli
