#include <volback/retention/retention_settings.hpp>

#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>
#include <limits>

#include <fmt/format.h>

namespace volback::retention {

namespace {

constexpr std::array<util::SettingSpec, 13> k_retention_specs{
  k_backup_retention_days,           k_backup_pruning_leeway,         k_backup_pruning_prefix,
  k_backup_skip_backends_from_prune, k_backup_prune_min_ratio,        k_backup_verify_before_prune,
  k_backup_retention_keep_last,      k_backup_retention_keep_hourly,  k_backup_retention_keep_daily,
  k_backup_retention_keep_weekly,    k_backup_retention_keep_monthly, k_backup_retention_keep_yearly,
  k_backup_retention_keep_within,
};

// offen's backend names (S3, WebDAV, SSH, Local, Azure, Dropbox, GoogleDrive), lower case.
constexpr std::array<std::string_view, 7> k_backend_names{
  "s3", "webdav", "ssh", "local", "azure", "dropbox", "googledrive",
};

std::string to_lower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

util::Result<GfsPolicy> parse_gfs(const util::Settings& settings) {
  GfsPolicy gfs;
  const auto count = [&](const util::SettingSpec& spec, int& out) -> util::Result<void> {
    VOLBACK_TRY_ASSIGN(const auto n, settings.get_int(spec, -1, std::numeric_limits<int>::max()));
    out = static_cast<int>(n);
    return {};
  };
  VOLBACK_TRY(count(k_backup_retention_keep_last, gfs.last));
  VOLBACK_TRY(count(k_backup_retention_keep_hourly, gfs.hourly));
  VOLBACK_TRY(count(k_backup_retention_keep_daily, gfs.daily));
  VOLBACK_TRY(count(k_backup_retention_keep_weekly, gfs.weekly));
  VOLBACK_TRY(count(k_backup_retention_keep_monthly, gfs.monthly));
  VOLBACK_TRY(count(k_backup_retention_keep_yearly, gfs.yearly));
  VOLBACK_TRY_ASSIGN(const auto within, settings.get_optional(k_backup_retention_keep_within));
  if (within) {
    VOLBACK_TRY_ASSIGN(gfs.within, settings.get_duration(k_backup_retention_keep_within));
    if (gfs.within <= std::chrono::nanoseconds::zero()) {
      return util::fail(
        util::Settings::invalid(k_backup_retention_keep_within, *within, "must be a positive duration"));
    }
  }
  return gfs;
}

}  // namespace

std::span<const util::SettingSpec> retention_setting_specs() {
  return k_retention_specs;
}

std::span<const std::string_view> prunable_backend_names() {
  return k_backend_names;
}

RetentionRules RetentionSettings::rules() const {
  RetentionRules out;
  if (retention_days >= 0) {
    out.days = PrunePolicy{retention_days, leeway, prefix};
  }
  out.gfs = gfs;
  out.prefix = prefix;
  return out;
}

bool RetentionSettings::skips(std::string_view backend_name) const {
  const std::string lower = to_lower(backend_name);
  return std::find(skip_backends.begin(), skip_backends.end(), lower) != skip_backends.end();
}

util::Result<RetentionSettings> parse_retention_settings(const util::Settings& settings) {
  RetentionSettings result;

  VOLBACK_TRY_ASSIGN(const auto days, settings.get_int(k_backup_retention_days, std::numeric_limits<int>::min(),
                                                       std::numeric_limits<int>::max()));
  result.retention_days = static_cast<int>(days);

  VOLBACK_TRY_ASSIGN(result.leeway, settings.get_duration(k_backup_pruning_leeway));
  VOLBACK_TRY_ASSIGN(result.prefix, settings.get_string(k_backup_pruning_prefix));
  VOLBACK_TRY_ASSIGN(const auto ratio, settings.get_string(k_backup_prune_min_ratio));
  const auto parsed = std::from_chars(ratio.data(), ratio.data() + ratio.size(), result.prune_min_ratio);
  if (parsed.ec != std::errc() || parsed.ptr != ratio.data() + ratio.size() || !(result.prune_min_ratio >= 0) ||
      result.prune_min_ratio > 1) {
    return util::fail(util::Settings::invalid(k_backup_prune_min_ratio, ratio, "must be a number from 0 to 1"));
  }

  VOLBACK_TRY_ASSIGN(result.verify_before_prune, settings.get_bool(k_backup_verify_before_prune));
  VOLBACK_TRY_ASSIGN(result.gfs, parse_gfs(settings));

  VOLBACK_TRY_ASSIGN(const auto skipped, settings.get_list(k_backup_skip_backends_from_prune));
  for (const auto& name : skipped) {
    std::string lower = to_lower(name);
    if (std::find(k_backend_names.begin(), k_backend_names.end(), lower) == k_backend_names.end()) {
      return util::fail(
        util::Settings::invalid(k_backup_skip_backends_from_prune, name,
                                "not a backend name; use S3, WebDAV, SSH, Local, Azure, Dropbox or GoogleDrive"));
    }
    if (std::find(result.skip_backends.begin(), result.skip_backends.end(), lower) == result.skip_backends.end()) {
      result.skip_backends.push_back(std::move(lower));
    }
  }
  return result;
}

}  // namespace volback::retention
