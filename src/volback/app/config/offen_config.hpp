#pragma once
// offen's Config struct as notification templates see it (.Config): each of its 78
// variables under its Go field name (BACKUP_SOURCES is .Config.BackupSources) with its Go
// type (bool, int32, time.Duration, []string, …), valued as this schedule resolves it:
// volback's value where volback reads the variable, else the variable as set, else
// offen's default.
//
// offen hands templates its configuration secrets and all; volback renders every secret
// (passwords, keys, tokens, NOTIFICATION_URLS) as *** unless VOLBACK_NOTIFY_SECRETS=true,
// and URLs with user info always with it redacted.

#include <span>
#include <string_view>

#include <volback/notify/template_value.hpp>
#include <volback/util/settings.hpp>

namespace volback::app {

enum class GoType {
  string,
  boolean,
  int_,      // int
  int32,     // int32
  int64,     // int64
  whole,     // offen's WholeNumber (uint)
  natural,   // offen's NaturalNumber (int)
  duration,  // time.Duration
  list,      // []string
};

struct OffenConfigField {
  std::string_view variable;  // "BACKUP_SOURCES"
  std::string_view field;     // "BackupSources"
  GoType type;
  std::string_view default_value;  // offen's
  bool secret = false;
};

// The fields in offen's declaration order.
std::span<const OffenConfigField> offen_config_fields();

// .Config's fields for `settings`. `show_secrets`: VOLBACK_NOTIFY_SECRETS.
notify::Value::Fields offen_config_values(const util::Settings& settings, bool show_secrets);

}  // namespace volback::app
