#include <volback/app/config/offen_config.hpp>

#include <array>
#include <charconv>

#include <volback/app/config/backup_config.hpp>
#include <volback/util/duration.hpp>
#include <volback/util/redact.hpp>

namespace volback::app {

namespace {

using enum GoType;

constexpr std::array k_fields{
  OffenConfigField{"AWS_S3_BUCKET_NAME", "AwsS3BucketName", string, ""},
  OffenConfigField{"AWS_S3_PATH", "AwsS3Path", string, ""},
  OffenConfigField{"AWS_ENDPOINT", "AwsEndpoint", string, "s3.amazonaws.com"},
  OffenConfigField{"AWS_ENDPOINT_PROTO", "AwsEndpointProto", string, "https"},
  OffenConfigField{"AWS_ENDPOINT_INSECURE", "AwsEndpointInsecure", boolean, "false"},
  OffenConfigField{"AWS_ENDPOINT_CA_CERT", "AwsEndpointCACert", string, ""},
  OffenConfigField{"AWS_STORAGE_CLASS", "AwsStorageClass", string, ""},
  OffenConfigField{"AWS_ACCESS_KEY_ID", "AwsAccessKeyID", string, "", true},
  OffenConfigField{"AWS_SECRET_ACCESS_KEY", "AwsSecretAccessKey", string, "", true},
  OffenConfigField{"AWS_IAM_ROLE_ENDPOINT", "AwsIamRoleEndpoint", string, ""},
  OffenConfigField{"AWS_PART_SIZE", "AwsPartSize", int64, "0"},
  OffenConfigField{"BACKUP_COMPRESSION", "BackupCompression", string, "gz"},
  OffenConfigField{"GZIP_PARALLELISM", "GzipParallelism", whole, "1"},
  OffenConfigField{"BACKUP_SOURCES", "BackupSources", string, "/backup"},
  OffenConfigField{"BACKUP_FILENAME", "BackupFilename", string, "backup-%Y-%m-%dT%H-%M-%S.{{ .Extension }}"},
  OffenConfigField{"BACKUP_FILENAME_EXPAND", "BackupFilenameExpand", boolean, "false"},
  OffenConfigField{"BACKUP_LATEST_SYMLINK", "BackupLatestSymlink", string, ""},
  OffenConfigField{"BACKUP_ARCHIVE", "BackupArchive", string, "/archive"},
  OffenConfigField{"BACKUP_CRON_EXPRESSION", "BackupCronExpression", string, "@daily"},
  OffenConfigField{"BACKUP_JITTER", "BackupJitter", duration, "0s"},
  OffenConfigField{"BACKUP_RETENTION_DAYS", "BackupRetentionDays", int32, "-1"},
  OffenConfigField{"BACKUP_PRUNING_LEEWAY", "BackupPruningLeeway", duration, "1m"},
  OffenConfigField{"BACKUP_PRUNING_PREFIX", "BackupPruningPrefix", string, ""},
  OffenConfigField{"BACKUP_STOP_CONTAINER_LABEL", "BackupStopContainerLabel", string, ""},
  OffenConfigField{"BACKUP_STOP_DURING_BACKUP_LABEL", "BackupStopDuringBackupLabel", string, "true"},
  OffenConfigField{"BACKUP_STOP_DURING_BACKUP_NO_RESTART_LABEL", "BackupStopDuringBackupNoRestartLabel", string,
                   "true"},
  OffenConfigField{"BACKUP_STOP_SERVICE_TIMEOUT", "BackupStopServiceTimeout", duration, "5m"},
  OffenConfigField{"BACKUP_FROM_SNAPSHOT", "BackupFromSnapshot", boolean, "false"},
  OffenConfigField{"BACKUP_EXCLUDE_REGEXP", "BackupExcludeRegexp", string, ""},
  OffenConfigField{"BACKUP_SKIP_BACKENDS_FROM_PRUNE", "BackupSkipBackendsFromPrune", list, ""},
  OffenConfigField{"GPG_PASSPHRASE", "GpgPassphrase", string, "", true},
  OffenConfigField{"GPG_PUBLIC_KEY_RING", "GpgPublicKeyRing", string, ""},
  OffenConfigField{"AGE_PASSPHRASE", "AgePassphrase", string, "", true},
  OffenConfigField{"AGE_PUBLIC_KEYS", "AgePublicKeys", list, ""},
  OffenConfigField{"NOTIFICATION_URLS", "NotificationURLs", list, "", true},
  OffenConfigField{"NOTIFICATION_LEVEL", "NotificationLevel", string, "error"},
  OffenConfigField{"EMAIL_NOTIFICATION_RECIPIENT", "EmailNotificationRecipient", string, ""},
  OffenConfigField{"EMAIL_NOTIFICATION_SENDER", "EmailNotificationSender", string, "noreply@nohost"},
  OffenConfigField{"EMAIL_SMTP_HOST", "EmailSMTPHost", string, ""},
  OffenConfigField{"EMAIL_SMTP_PORT", "EmailSMTPPort", int_, "587"},
  OffenConfigField{"EMAIL_SMTP_USERNAME", "EmailSMTPUsername", string, ""},
  OffenConfigField{"EMAIL_SMTP_PASSWORD", "EmailSMTPPassword", string, "", true},
  OffenConfigField{"WEBDAV_URL", "WebdavUrl", string, ""},
  OffenConfigField{"WEBDAV_URL_INSECURE", "WebdavUrlInsecure", boolean, "false"},
  OffenConfigField{"WEBDAV_PATH", "WebdavPath", string, "/"},
  OffenConfigField{"WEBDAV_USERNAME", "WebdavUsername", string, ""},
  OffenConfigField{"WEBDAV_PASSWORD", "WebdavPassword", string, "", true},
  OffenConfigField{"SSH_HOST_NAME", "SSHHostName", string, ""},
  OffenConfigField{"SSH_PORT", "SSHPort", string, "22"},
  OffenConfigField{"SSH_USER", "SSHUser", string, ""},
  OffenConfigField{"SSH_PASSWORD", "SSHPassword", string, "", true},
  OffenConfigField{"SSH_IDENTITY_FILE", "SSHIdentityFile", string, "/root/.ssh/id_rsa"},
  OffenConfigField{"SSH_IDENTITY_PASSPHRASE", "SSHIdentityPassphrase", string, "", true},
  OffenConfigField{"SSH_REMOTE_PATH", "SSHRemotePath", string, ""},
  OffenConfigField{"EXEC_LABEL", "ExecLabel", string, ""},
  OffenConfigField{"EXEC_FORWARD_OUTPUT", "ExecForwardOutput", boolean, "false"},
  OffenConfigField{"LOCK_TIMEOUT", "LockTimeout", duration, "60m"},
  OffenConfigField{"AZURE_STORAGE_ACCOUNT_NAME", "AzureStorageAccountName", string, ""},
  OffenConfigField{"AZURE_STORAGE_PRIMARY_ACCOUNT_KEY", "AzureStoragePrimaryAccountKey", string, "", true},
  OffenConfigField{"AZURE_STORAGE_CONNECTION_STRING", "AzureStorageConnectionString", string, "", true},
  OffenConfigField{"AZURE_STORAGE_CONTAINER_NAME", "AzureStorageContainerName", string, ""},
  OffenConfigField{"AZURE_STORAGE_PATH", "AzureStoragePath", string, ""},
  OffenConfigField{"AZURE_STORAGE_ENDPOINT", "AzureStorageEndpoint", string,
                   "https://{{ .AccountName }}.blob.core.windows.net/"},
  OffenConfigField{"AZURE_STORAGE_ACCESS_TIER", "AzureStorageAccessTier", string, ""},
  OffenConfigField{"DROPBOX_ENDPOINT", "DropboxEndpoint", string, "https://api.dropbox.com/"},
  OffenConfigField{"DROPBOX_OAUTH2_ENDPOINT", "DropboxOAuth2Endpoint", string, "https://api.dropbox.com/"},
  OffenConfigField{"DROPBOX_REFRESH_TOKEN", "DropboxRefreshToken", string, "", true},
  OffenConfigField{"DROPBOX_APP_KEY", "DropboxAppKey", string, ""},
  OffenConfigField{"DROPBOX_APP_SECRET", "DropboxAppSecret", string, "", true},
  OffenConfigField{"DROPBOX_REMOTE_PATH", "DropboxRemotePath", string, ""},
  OffenConfigField{"DROPBOX_CONCURRENCY_LEVEL", "DropboxConcurrencyLevel", natural, "6"},
  OffenConfigField{"GOOGLE_DRIVE_CREDENTIALS_JSON", "GoogleDriveCredentialsJSON", string, "", true},
  OffenConfigField{"GOOGLE_DRIVE_FOLDER_ID", "GoogleDriveFolderID", string, ""},
  OffenConfigField{"GOOGLE_DRIVE_IMPERSONATE_SUBJECT", "GoogleDriveImpersonateSubject", string, ""},
  OffenConfigField{"GOOGLE_DRIVE_ENDPOINT", "GoogleDriveEndpoint", string, ""},
  OffenConfigField{"GOOGLE_DRIVE_TOKEN_URL", "GoogleDriveTokenURL", string, ""},
  OffenConfigField{"GOOGLE_DRIVE_TEAM_DRIVE_ID", "GoogleDriveTeamDriveID", string, ""},
  OffenConfigField{"TZ", "Timezone", string, ""},
};

static_assert(k_fields.size() == 78, "offen's Config has 78 fields");

// volback's declaration of a variable, when it reads it.
const util::SettingSpec* volback_spec(std::string_view name) {
  for (const auto specs : backup_setting_specs()) {
    for (const auto& spec : specs) {
      if (spec.name == name) {
        return &spec;
      }
    }
  }
  return nullptr;
}

template <typename T>
T number_or_zero(std::string_view text) {
  T value{};
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  return ec == std::errc() && end == text.data() + text.size() ? value : T{};
}

bool go_bool(std::string_view text) {
  return text == "1" || text == "t" || text == "T" || text == "TRUE" || text == "true" || text == "True";
}

notify::Value typed(const OffenConfigField& field, const std::string& text, bool hidden) {
  using notify::Value;
  switch (field.type) {
  case string: return Value::string(hidden ? std::string(util::k_redacted) : text);
  case boolean: return Value::boolean(go_bool(text));
  case int_: return Value::integer(number_or_zero<std::int64_t>(text), "int");
  case int32: return Value::integer(number_or_zero<std::int32_t>(text), "int32");
  case int64: return Value::integer(number_or_zero<std::int64_t>(text), "int64");
  case whole: return Value::unsigned_integer(number_or_zero<std::uint64_t>(text), "main.WholeNumber");
  case natural: return Value::integer(number_or_zero<std::int64_t>(text), "main.NaturalNumber");
  case duration: {
    const auto d = util::parse_go_duration(text);
    return Value::duration(d ? *d : std::chrono::nanoseconds{});
  }
  case list: {
    std::vector<Value> items;
    std::string_view rest = text;
    while (!rest.empty()) {
      const auto comma = rest.find(',');
      const std::string item(rest.substr(0, comma));
      items.push_back(Value::string(hidden ? std::string(util::k_redacted) : item));
      rest = comma == std::string_view::npos ? std::string_view{} : rest.substr(comma + 1);
    }
    return Value::list(std::move(items), "[]string", text.empty());
  }
  }
  return Value::string(text);
}

}  // namespace

std::span<const OffenConfigField> offen_config_fields() {
  return k_fields;
}

notify::Value::Fields offen_config_values(const util::Settings& settings, bool show_secrets) {
  notify::Value::Fields fields;
  fields.reserve(k_fields.size());
  for (const auto& field : k_fields) {
    std::string text(field.default_value);
    bool secret = field.secret;
    if (const auto* spec = volback_spec(field.variable)) {
      secret = secret || spec->secret == util::Secret::yes;
      const auto resolved = settings.lookup(*spec);
      text = resolved && *resolved ? (*resolved)->value : std::string{};
      if (!show_secrets && spec->secret == util::Secret::user_info) {
        text = util::Settings::display_value(*spec, text);
      }
    } else if (auto raw = settings.raw(field.variable)) {
      text = std::move(*raw);
    }
    if (!show_secrets && !secret) {
      text = util::redact_url_userinfo(text);
    }
    fields.emplace_back(std::string(field.field), typed(field, text, secret && !show_secrets && !text.empty()));
  }
  return fields;
}

}  // namespace volback::app
