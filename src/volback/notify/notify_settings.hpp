#pragma once
// The notification settings, offen's and volback's, and their validation: the URLs are
// parsed into services (services.hpp), NOTIFICATION_LEVEL checked, the deprecated EMAIL_*
// variables turned into an smtp service with offen's warning, and the override
// templates read from VOLBACK_NOTIFICATIONS_DIR.

#include <chrono>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include <volback/notify/offen_templates.hpp>
#include <volback/notify/service.hpp>
#include <volback/util/result.hpp>
#include <volback/util/settings.hpp>

namespace volback::notify {

inline constexpr util::SettingSpec k_notification_urls{
  "NOTIFICATION_URLS", "", util::Secret::yes,
  "Comma-separated shoutrrr URLs to notify (URL-encode commas inside one); see docs/notifications.md."};
inline constexpr util::SettingSpec k_notification_level{
  "NOTIFICATION_LEVEL", "error", util::Secret::no,
  "error: failed runs only; warn: also runs that ended with exit code 3 or 4 and refused pruning; info: every run."};
inline constexpr util::SettingSpec k_email_notification_recipient{
  "EMAIL_NOTIFICATION_RECIPIENT", "", util::Secret::no, "Deprecated: with the EMAIL_* below, becomes an smtp:// URL."};
inline constexpr util::SettingSpec k_email_notification_sender{"EMAIL_NOTIFICATION_SENDER", "noreply@nohost",
                                                               util::Secret::no, "Deprecated: the mail's sender."};
inline constexpr util::SettingSpec k_email_smtp_host{"EMAIL_SMTP_HOST", "", util::Secret::no,
                                                     "Deprecated: the SMTP server."};
inline constexpr util::SettingSpec k_email_smtp_port{"EMAIL_SMTP_PORT", "587", util::Secret::no,
                                                     "Deprecated: the SMTP server's port."};
inline constexpr util::SettingSpec k_email_smtp_username{"EMAIL_SMTP_USERNAME", "", util::Secret::no,
                                                         "Deprecated: the SMTP user."};
inline constexpr util::SettingSpec k_email_smtp_password{"EMAIL_SMTP_PASSWORD", "", util::Secret::yes,
                                                         "Deprecated: the SMTP password."};
inline constexpr util::SettingSpec k_notifications_dir{
  "VOLBACK_NOTIFICATIONS_DIR", "/etc/dockervolumebackup/notifications.d", util::Secret::no,
  "Template overrides ({{ define \"title_success\" }} …): every file in this directory."};
inline constexpr util::SettingSpec k_notify_secrets{
  "VOLBACK_NOTIFY_SECRETS", "false", util::Secret::no,
  "Show secret settings in the templates' .Config (offen does); otherwise they are ***."};
inline constexpr util::SettingSpec k_notify_timeout{
  "VOLBACK_NOTIFY_TIMEOUT", "30s", util::Secret::no,
  "How long each notification URL may take, retries included (Go duration); it also cuts an smtp:// "
  "URL's own timeout."};

enum class NotificationLevel { error, warn, info };

struct NotifySettings {
  // One per URL (the EMAIL_* service last); shared, so that configurations copy cheaply.
  std::vector<std::shared_ptr<const Service>> services;
  NotificationLevel level = NotificationLevel::error;
  std::vector<TemplateFile> template_files;  // the overrides, in name order
  bool show_secrets = false;
  std::chrono::milliseconds timeout{30'000};
  std::vector<std::string> warnings;  // offen's deprecation warnings, for each run's log

  bool enabled() const { return !services.empty(); }
};

std::span<const util::SettingSpec> notify_setting_specs();

// Reads and checks the notification settings. invalid_argument naming the variable:
// "NOTIFICATION_URLS item 2: slack: invalid token", "invalid value "debug" for
// NOTIFICATION_LEVEL: …", a template file that cannot be read or parsed (its name and line).
// Never a URL's text or a secret.
util::Result<NotifySettings> parse_notify_settings(const util::Settings& settings);

}  // namespace volback::notify
