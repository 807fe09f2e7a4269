#include <volback/notify/notify_settings.hpp>

#include <array>

#include <fmt/format.h>

#include <volback/notify/http_call.hpp>
#include <volback/notify/services.hpp>

namespace volback::notify {

namespace {

constexpr std::array k_notify_specs{k_notification_urls,
                                    k_notification_level,
                                    k_email_notification_recipient,
                                    k_email_notification_sender,
                                    k_email_smtp_host,
                                    k_email_smtp_port,
                                    k_email_smtp_username,
                                    k_email_smtp_password,
                                    k_notifications_dir,
                                    k_notify_secrets,
                                    k_notify_timeout};

// The smtp URL offen builds from the EMAIL_* variables, with each part percent-encoded
// (offen pastes them in as they are, so a password with '@' breaks it).
util::Result<std::string> email_url(const util::Settings& settings) {
  VOLBACK_TRY_ASSIGN(const auto recipient, settings.get_string(k_email_notification_recipient));
  VOLBACK_TRY_ASSIGN(const auto sender, settings.get_string(k_email_notification_sender));
  VOLBACK_TRY_ASSIGN(const auto host, settings.get_string(k_email_smtp_host));
  VOLBACK_TRY_ASSIGN(const auto port, settings.get_int(k_email_smtp_port, 1, 65535));
  VOLBACK_TRY_ASSIGN(const auto user, settings.get_string(k_email_smtp_username));
  VOLBACK_TRY_ASSIGN(const auto password, settings.get_string(k_email_smtp_password));
  const auto encode = [](std::string_view s) { return http::url_encode(s, http::Slash::encode); };
  std::string userinfo;
  if (!user.empty() || !password.empty()) {
    userinfo = encode(user) + ":" + encode(password) + "@";
  }
  return fmt::format("smtp://{}{}:{}/?from={}&to={}", userinfo, host, port, query_escape(sender),
                     query_escape(recipient));
}

}  // namespace

std::span<const util::SettingSpec> notify_setting_specs() {
  return k_notify_specs;
}

util::Result<NotifySettings> parse_notify_settings(const util::Settings& settings) {
  NotifySettings out;
  static constexpr std::string_view k_levels[] = {"error", "warn", "info"};
  VOLBACK_TRY_ASSIGN(const auto level, settings.get_choice(k_notification_level, k_levels));
  out.level = level == "info"   ? NotificationLevel::info
              : level == "warn" ? NotificationLevel::warn
                                : NotificationLevel::error;
  VOLBACK_TRY_ASSIGN(const auto urls, settings.get_list(k_notification_urls));
  for (std::size_t i = 0; i < urls.size(); ++i) {
    auto service = parse_service(urls[i]);
    if (!service) {
      return util::fail(util::ErrorKind::invalid_argument,
                        fmt::format("{} item {}: {}", k_notification_urls.name, i + 1, service.error().message()));
    }
    out.services.push_back(std::move(*service));
  }
  if (settings.is_set(k_email_notification_recipient.name)) {
    VOLBACK_TRY_ASSIGN(const auto url, email_url(settings));
    auto service = parse_service(url);
    if (!service) {
      return util::fail(util::ErrorKind::invalid_argument,
                        fmt::format("EMAIL_* variables: {}", service.error().message()));
    }
    out.services.push_back(std::move(*service));
    out.warnings = {
      "Using EMAIL_* keys for providing notification configuration has been deprecated and will be removed in the "
      "next major version.",
      "Please use NOTIFICATION_URLS instead. Refer to the README for an upgrade guide."};
  }
  VOLBACK_TRY_ASSIGN(out.show_secrets, settings.get_bool(k_notify_secrets));
  VOLBACK_TRY_ASSIGN(const auto timeout, settings.get_duration(k_notify_timeout));
  if (timeout < std::chrono::seconds(1)) {
    return util::fail(util::Settings::invalid(k_notify_timeout, settings.raw(k_notify_timeout.name).value_or(""),
                                              "must be at least 1s"));
  }
  out.timeout = std::chrono::duration_cast<std::chrono::milliseconds>(timeout);
  VOLBACK_TRY_ASSIGN(const auto dir, settings.get_string(k_notifications_dir));
  if (!out.enabled()) {
    return out;  // as offen, templates are read only when there is someone to notify
  }
  auto files = read_template_dir(dir);
  if (!files) {
    return util::fail(util::ErrorKind::invalid_argument,
                      fmt::format("{}: {}", k_notifications_dir.name, files.error().message()));
  }
  out.template_files = std::move(*files);
  return out;
}

}  // namespace volback::notify
