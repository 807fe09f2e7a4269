#include <volback/notify/ping.hpp>

#include <array>
#include <thread>

#include <fmt/format.h>

#include <volback/notify/http_call.hpp>
#include <volback/notify/service_url.hpp>

namespace volback::notify {

namespace {

constexpr std::array k_ping_specs{k_ping_url, k_ping_start_url, k_ping_success_url, k_ping_fail_url};

util::Result<std::optional<std::string>> http_url(const util::Settings& settings, const util::SettingSpec& spec) {
  VOLBACK_TRY_ASSIGN(auto value, settings.get_optional(spec));
  if (!value) {
    return std::nullopt;
  }
  const auto parsed = parse_service_url(*value);
  if (!parsed || (parsed->scheme != "http" && parsed->scheme != "https") || parsed->host.empty()) {
    return util::fail(util::Settings::invalid(spec, *value, "must be an http:// or https:// URL"));
  }
  return value;
}

// <url>/<suffix>, before the query when there is one.
std::string with_suffix(std::string_view url, std::string_view suffix) {
  const auto q = url.find('?');
  std::string base(url.substr(0, q));
  while (base.ends_with('/')) {
    base.pop_back();
  }
  base += "/";
  base += suffix;
  if (q != std::string_view::npos) {
    base += url.substr(q);
  }
  return base;
}

// A ping has no Service; this one only names it and says TLS is verified.
class PingTarget final : public Service {
 public:
  std::string_view scheme() const override { return "ping"; }
  std::string describe() const override { return "the ping URL"; }
  util::Result<void> send(const Message&, SendContext&) const override { return {}; }
};

}  // namespace

std::span<const util::SettingSpec> ping_setting_specs() {
  return k_ping_specs;
}

util::Result<PingSettings> parse_ping_settings(const util::Settings& settings) {
  PingSettings out;
  VOLBACK_TRY_ASSIGN(const auto base, http_url(settings, k_ping_url));
  if (base) {
    out.start = PingRequest{with_suffix(*base, "start"), false};
    out.success = PingRequest{*base, true};
    out.failure = PingRequest{with_suffix(*base, "fail"), true};
  }
  VOLBACK_TRY_ASSIGN(const auto start, http_url(settings, k_ping_start_url));
  VOLBACK_TRY_ASSIGN(const auto success, http_url(settings, k_ping_success_url));
  VOLBACK_TRY_ASSIGN(const auto failure, http_url(settings, k_ping_fail_url));
  if (start) {
    out.start = PingRequest{*start, false};
  }
  if (success) {
    out.success = PingRequest{*success, false};
  }
  if (failure) {
    out.failure = PingRequest{*failure, false};
  }
  return out;
}

util::Result<void> send_ping(const PingRequest& request, std::string_view log_tail,
                             const TransportFactory& make_transport) {
  const PingTarget target;
  http::Request http_request{.method = request.post_log ? "POST" : "GET", .url = request.url};
  if (request.post_log) {
    http_request.headers.push_back({"Content-Type", "text/plain; charset=utf-8"});
    http_request.body = std::string(log_tail);
  }
  util::Result<void> result;
  for (int attempt = 1; attempt <= 3; ++attempt) {
    auto transport = make_transport(target, std::chrono::milliseconds(10'000));
    auto sent = http_call(*transport, http_request, target.describe());
    if (sent) {
      return {};
    }
    result = tl::unexpected(sent.error());
    if (sent.error().kind() != util::ErrorKind::transient || attempt == 3) {
      break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(500 * attempt));
  }
  return result;
}

}  // namespace volback::notify
