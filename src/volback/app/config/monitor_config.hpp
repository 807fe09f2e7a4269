#pragma once
// The settings of what watches a run: notifications (notify/notify_settings.hpp), pings
// (notify/ping.hpp) and Prometheus metrics. Loaded with the rest of the configuration
// (load_backup_config), and on their own when the rest is invalid, so that a run that
// fails validation is still notified where the notifier can be built.
//
// Validating them includes the notification templates: offen's defaults and every file
// of VOLBACK_NOTIFICATIONS_DIR are parsed, and each title and body (success, warning,
// failure) is rendered once with sample data of this schedule, so that a template
// error (a syntax error, an unknown field or function, a wrong argument) is a
// configuration error now rather than a missing notification later.

#include <optional>
#include <span>
#include <string>

#include <volback/notify/notify_settings.hpp>
#include <volback/notify/offen_templates.hpp>
#include <volback/notify/ping.hpp>
#include <volback/util/result.hpp>
#include <volback/util/settings.hpp>

namespace volback::app {

inline constexpr util::SettingSpec k_metrics_file{
  "VOLBACK_METRICS_FILE", "", util::Secret::no,
  "After every run, write Prometheus metrics to this file (node_exporter's textfile collector)."};
inline constexpr util::SettingSpec k_metrics_listen{
  "VOLBACK_METRICS_LISTEN", "", util::Secret::no,
  "host:port where the daemon serves Prometheus metrics at /metrics (for example 0.0.0.0:9464)."};

struct ListenAddress {
  std::string host;  // an IPv4 or IPv6 address, or a name; "" or "0.0.0.0" for every address
  int port = 0;
};

struct MetricsSettings {
  std::string file;                     // empty: no file
  std::optional<ListenAddress> listen;  // the daemon's /metrics
};

struct MonitorConfig {
  notify::NotifySettings notify;
  notify::PingSettings ping;
  MetricsSettings metrics;
};

std::span<const util::SettingSpec> metrics_setting_specs();

// Parses "host:port", "[v6]:port" or ":port". invalid_argument otherwise.
util::Result<ListenAddress> parse_listen_address(std::string_view text);

// Reads and validates the notification, ping and metrics settings. Errors are
// invalid_argument naming the variable or the template file and line.
util::Result<MonitorConfig> load_monitor_config(const util::Settings& settings);

// What {{ env "NAME" }} returns in templates: the schedule's value of NAME (a conf.d
// file's over the environment, as offen exports it for the run), "" when unset.
// `settings` must outlive the function.
notify::EnvLookup template_env(const util::Settings& settings);

}  // namespace volback::app
