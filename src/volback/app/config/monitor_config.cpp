#include <volback/app/config/monitor_config.hpp>

#include <array>
#include <charconv>

#include <fmt/format.h>

#include <volback/app/config/offen_config.hpp>
#include <volback/notify/notification_data.hpp>

namespace volback::app {

namespace {

constexpr std::array k_monitor_specs{k_metrics_file, k_metrics_listen};

// Sample data of every kind a template can meet: a failed run with an error, a run
// with storages, containers and a backup file.
notify::NotificationData sample_data(const util::Settings& settings, bool failure) {
  notify::NotificationData data;
  if (failure) {
    data.error = "sample error";
  }
  data.config = offen_config_values(settings, false);
  data.stats.start = util::TimePoint{} + std::chrono::seconds(1'700'000'000);
  data.stats.end = data.stats.start + std::chrono::seconds(90);
  data.stats.took = std::chrono::seconds(90);
  data.stats.log_output = "time=2023-11-14T22:13:20.000Z level=INFO msg=\"sample\"\n";
  data.stats.containers = {1, 1, 1, 0};
  data.stats.backup_file = {"backup.tar.gz", "/archive/backup.tar.gz", 1024};
  data.stats.storages["Local"] = {1, 0, 0};
  return data;
}

util::Result<void> check_templates(const notify::NotifySettings& notify, const util::Settings& settings) {
  auto templates = notify::build_templates(notify.template_files, template_env(settings));
  if (!templates) {
    return util::fail(util::ErrorKind::invalid_argument,
                      fmt::format("notification templates: {}", templates.error().message()));
  }
  for (const auto outcome : {notify::Outcome::success, notify::Outcome::warning, notify::Outcome::failure}) {
    const auto data = notify::to_value(sample_data(settings, outcome != notify::Outcome::success));
    if (auto rendered = notify::render_message(*templates, outcome, data); !rendered) {
      return util::fail(util::ErrorKind::invalid_argument,
                        fmt::format("notification templates: {}", rendered.error().message()));
    }
  }
  return {};
}

}  // namespace

std::span<const util::SettingSpec> metrics_setting_specs() {
  return k_monitor_specs;
}

util::Result<ListenAddress> parse_listen_address(std::string_view text) {
  const auto bad = [&text](std::string_view why) {
    return util::fail(util::Settings::invalid(k_metrics_listen, text, why));
  };
  ListenAddress address;
  std::string_view port;
  if (text.starts_with('[')) {
    const auto close = text.find("]:");
    if (close == std::string_view::npos) {
      return bad("expected [address]:port");
    }
    address.host = std::string(text.substr(1, close - 1));
    port = text.substr(close + 2);
  } else {
    const auto colon = text.rfind(':');
    if (colon == std::string_view::npos || text.substr(0, colon).find(':') != std::string_view::npos) {
      return bad("expected host:port (an IPv6 address in brackets)");
    }
    address.host = std::string(text.substr(0, colon));
    port = text.substr(colon + 1);
  }
  const auto [end, ec] = std::from_chars(port.data(), port.data() + port.size(), address.port);
  if (ec != std::errc() || end != port.data() + port.size() || address.port < 1 || address.port > 65535) {
    return bad("the port must be a number from 1 to 65535");
  }
  return address;
}

util::Result<MonitorConfig> load_monitor_config(const util::Settings& settings) {
  MonitorConfig config;
  VOLBACK_TRY_ASSIGN(config.notify, notify::parse_notify_settings(settings));
  if (config.notify.enabled()) {
    VOLBACK_TRY(check_templates(config.notify, settings));
  }
  VOLBACK_TRY_ASSIGN(config.ping, notify::parse_ping_settings(settings));
  VOLBACK_TRY_ASSIGN(config.metrics.file, settings.get_string(k_metrics_file));
  VOLBACK_TRY_ASSIGN(const auto listen, settings.get_optional(k_metrics_listen));
  if (listen) {
    VOLBACK_TRY_ASSIGN(config.metrics.listen, parse_listen_address(*listen));
  }
  return config;
}

notify::EnvLookup template_env(const util::Settings& settings) {
  return [&settings](std::string_view name) { return settings.raw(name).value_or(""); };
}

}  // namespace volback::app
