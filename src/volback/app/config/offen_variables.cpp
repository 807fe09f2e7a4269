#include <volback/app/config/offen_variables.hpp>

#include <array>

#include <fmt/format.h>

namespace volback::app {

namespace {

using enum Support;

constexpr std::array k_variables{
  // Schedule and run control
  OffenVariable{"BACKUP_CRON_EXPRESSION", daemon_only},
  OffenVariable{"BACKUP_JITTER", daemon_only},
  OffenVariable{"TZ", supported},
  OffenVariable{"LOCK_TIMEOUT", supported},
  // Sources, archive, filename
  OffenVariable{"BACKUP_SOURCES", supported},
  OffenVariable{"BACKUP_EXCLUDE_REGEXP", supported},
  OffenVariable{"BACKUP_FILENAME", supported},
  OffenVariable{"BACKUP_FILENAME_EXPAND", supported},
  OffenVariable{"BACKUP_LATEST_SYMLINK", supported},
  OffenVariable{"BACKUP_ARCHIVE", supported},
  OffenVariable{"BACKUP_FROM_SNAPSHOT", supported},
  // Compression
  OffenVariable{"BACKUP_COMPRESSION", supported},
  OffenVariable{"GZIP_PARALLELISM", supported},
  // Encryption
  OffenVariable{"GPG_PASSPHRASE", supported},
  OffenVariable{"GPG_PUBLIC_KEY_RING", supported},
  OffenVariable{"AGE_PASSPHRASE", supported},
  OffenVariable{"AGE_PUBLIC_KEYS", supported},
  // Retention
  OffenVariable{"BACKUP_RETENTION_DAYS", supported},
  OffenVariable{"BACKUP_PRUNING_LEEWAY", supported},
  OffenVariable{"BACKUP_PRUNING_PREFIX", supported},
  OffenVariable{"BACKUP_SKIP_BACKENDS_FROM_PRUNE", supported},
  // S3
  OffenVariable{"AWS_S3_BUCKET_NAME", supported},
  OffenVariable{"AWS_S3_PATH", supported},
  OffenVariable{"AWS_ENDPOINT", supported},
  OffenVariable{"AWS_ENDPOINT_PROTO", supported},
  OffenVariable{"AWS_ENDPOINT_INSECURE", supported},
  OffenVariable{"AWS_ENDPOINT_CA_CERT", supported},
  OffenVariable{"AWS_STORAGE_CLASS", supported},
  OffenVariable{"AWS_ACCESS_KEY_ID", supported},
  OffenVariable{"AWS_SECRET_ACCESS_KEY", supported},
  OffenVariable{"AWS_IAM_ROLE_ENDPOINT", supported},
  OffenVariable{"AWS_PART_SIZE", supported},
  // WebDAV
  OffenVariable{"WEBDAV_URL", supported},
  OffenVariable{"WEBDAV_URL_INSECURE", supported},
  OffenVariable{"WEBDAV_PATH", supported},
  OffenVariable{"WEBDAV_USERNAME", supported},
  OffenVariable{"WEBDAV_PASSWORD", supported},
  // SSH
  OffenVariable{"SSH_HOST_NAME", supported},
  OffenVariable{"SSH_PORT", supported},
  OffenVariable{"SSH_USER", supported},
  OffenVariable{"SSH_PASSWORD", supported},
  OffenVariable{"SSH_IDENTITY_FILE", supported},
  OffenVariable{"SSH_IDENTITY_PASSPHRASE", supported},
  OffenVariable{"SSH_REMOTE_PATH", supported},
  // Azure
  OffenVariable{"AZURE_STORAGE_ACCOUNT_NAME", supported},
  OffenVariable{"AZURE_STORAGE_PRIMARY_ACCOUNT_KEY", supported},
  OffenVariable{"AZURE_STORAGE_CONNECTION_STRING", supported},
  OffenVariable{"AZURE_STORAGE_CONTAINER_NAME", supported},
  OffenVariable{"AZURE_STORAGE_PATH", supported},
  OffenVariable{"AZURE_STORAGE_ENDPOINT", supported},
  OffenVariable{"AZURE_STORAGE_ACCESS_TIER", supported},
  // Dropbox
  OffenVariable{"DROPBOX_REFRESH_TOKEN", supported},
  OffenVariable{"DROPBOX_APP_KEY", supported},
  OffenVariable{"DROPBOX_APP_SECRET", supported},
  OffenVariable{"DROPBOX_REMOTE_PATH", supported},
  OffenVariable{"DROPBOX_CONCURRENCY_LEVEL", supported},
  OffenVariable{"DROPBOX_ENDPOINT", supported},
  OffenVariable{"DROPBOX_OAUTH2_ENDPOINT", supported},
  // Google Drive
  OffenVariable{"GOOGLE_DRIVE_CREDENTIALS_JSON", supported},
  OffenVariable{"GOOGLE_DRIVE_IMPERSONATE_SUBJECT", supported},
  OffenVariable{"GOOGLE_DRIVE_FOLDER_ID", supported},
  OffenVariable{"GOOGLE_DRIVE_TEAM_DRIVE_ID", supported},
  OffenVariable{"GOOGLE_DRIVE_ENDPOINT", supported},
  OffenVariable{"GOOGLE_DRIVE_TOKEN_URL", supported},
  // Notifications
  OffenVariable{"NOTIFICATION_URLS", supported},
  OffenVariable{"NOTIFICATION_LEVEL", supported},
  OffenVariable{"EMAIL_NOTIFICATION_RECIPIENT", supported},
  OffenVariable{"EMAIL_NOTIFICATION_SENDER", supported},
  OffenVariable{"EMAIL_SMTP_HOST", supported},
  OffenVariable{"EMAIL_SMTP_PORT", supported},
  OffenVariable{"EMAIL_SMTP_USERNAME", supported},
  OffenVariable{"EMAIL_SMTP_PASSWORD", supported},
  // Docker and Swarm
  OffenVariable{"BACKUP_STOP_DURING_BACKUP_LABEL", supported},
  OffenVariable{"BACKUP_STOP_DURING_BACKUP_NO_RESTART_LABEL", supported},
  OffenVariable{"BACKUP_STOP_CONTAINER_LABEL", supported},
  OffenVariable{"BACKUP_STOP_SERVICE_TIMEOUT", supported},
  // Exec labels
  OffenVariable{"EXEC_LABEL", supported},
  OffenVariable{"EXEC_FORWARD_OUTPUT", supported},
};

static_assert(k_variables.size() == 78, "offen v2.48 has 78 configuration variables");

}  // namespace

std::span<const OffenVariable> offen_variables() {
  return k_variables;
}

util::Result<void> refuse_unsupported(const util::Settings& settings) {
  return refuse_unsupported(settings, k_variables);
}

util::Result<void> refuse_unsupported(const util::Settings& settings, std::span<const OffenVariable> variables) {
  for (const auto& variable : variables) {
    if (variable.support == Support::not_yet && settings.is_set(variable.name)) {
      return util::fail(util::ErrorKind::invalid_argument,
                        fmt::format("{} is not supported by volback yet", variable.name));
    }
  }
  return {};
}

}  // namespace volback::app
