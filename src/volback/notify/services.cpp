#include <volback/notify/services.hpp>

#include <array>

#include <fmt/format.h>

#include <volback/util/terminal_text.hpp>

namespace volback::notify {

namespace {

using Parser = util::Result<std::unique_ptr<Service>> (*)(const ServiceUrl&);

struct Entry {
  std::string_view scheme;
  Parser parse;
};

constexpr std::array k_table{
  Entry{"smtp", parse_smtp},
  Entry{"generic", parse_generic},
  Entry{"generic+http", parse_generic},
  Entry{"generic+https", parse_generic},
  Entry{"ntfy", parse_ntfy},
  Entry{"gotify", parse_gotify},
  Entry{"slack", parse_slack},
  Entry{"discord", parse_discord},
  Entry{"telegram", parse_telegram},
  Entry{"teams", parse_teams},
  Entry{"matrix", parse_matrix},
  Entry{"pushover", parse_pushover},
  Entry{"mattermost", parse_mattermost},
  Entry{"googlechat", parse_googlechat},
};

constexpr auto k_schemes = [] {
  std::array<std::string_view, k_table.size()> out{};
  for (std::size_t i = 0; i < k_table.size(); ++i) {
    out[i] = k_table[i].scheme;
  }
  return out;
}();

// The scheme as written, up to "://" or ':', when it looks like one.
std::string scheme_of(std::string_view url) {
  const auto colon = url.find(':');
  std::string scheme(url.substr(0, colon == std::string_view::npos ? 0 : colon));
  if (scheme.size() > 32) {
    scheme.resize(32);
  }
  return ascii_lower(scheme);
}

}  // namespace

std::span<const std::string_view> service_schemes() {
  return k_schemes;
}

util::Result<std::unique_ptr<Service>> parse_service(std::string_view url) {
  const std::string scheme = scheme_of(url);
  const Entry* entry = nullptr;
  for (const auto& e : k_table) {
    if (e.scheme == scheme) {
      entry = &e;
    }
  }
  if (entry == nullptr) {
    return util::fail(util::ErrorKind::invalid_argument,
                      fmt::format("unknown notification service {:?} (volback knows {})",
                                  util::escape_for_terminal(scheme), fmt::join(k_schemes, ", ")));
  }
  auto parsed = parse_service_url(url);
  if (!parsed) {
    return util::fail(util::ErrorKind::invalid_argument,
                      fmt::format("{}: malformed URL: {}", scheme, parsed.error().message()));
  }
  auto service = entry->parse(*parsed);
  if (!service) {
    return util::fail(util::ErrorKind::invalid_argument, fmt::format("{}: {}", scheme, service.error().message()));
  }
  return service;
}

}  // namespace volback::notify
