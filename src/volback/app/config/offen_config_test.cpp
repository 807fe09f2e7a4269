#include <volback/app/config/offen_config.hpp>

#include <set>

#include <gtest/gtest.h>

#include <volback/app/config/offen_variables.hpp>

namespace volback::app {
namespace {

const notify::Value* field(const notify::Value::Fields& fields, std::string_view name) {
  for (const auto& [n, v] : fields) {
    if (n == name) {
      return &v;
    }
  }
  return nullptr;
}

TEST(OffenConfigTest, CoversExactlyOffensVariables) {
  std::set<std::string_view> variables;
  for (const auto& v : offen_variables()) {
    variables.insert(v.name);
  }
  std::set<std::string_view> fields;
  for (const auto& f : offen_config_fields()) {
    fields.insert(f.variable);
  }
  EXPECT_EQ(variables, fields);
}

TEST(OffenConfigTest, TypedValuesWithVolbacksOrOffensDefaults) {
  const util::MapSource env({{"BACKUP_RETENTION_DAYS", "7"},
                             {"BACKUP_SKIP_BACKENDS_FROM_PRUNE", "S3,Local"},
                             {"BACKUP_FILENAME_EXPAND", "true"}},
                            "environment");
  const util::Settings settings({&env});
  const auto fields = offen_config_values(settings, false);
  ASSERT_EQ(fields.size(), 78U);
  EXPECT_EQ(field(fields, "BackupRetentionDays")->as_int(), 7);
  EXPECT_EQ(field(fields, "BackupRetentionDays")->type(), "int32");
  EXPECT_EQ(field(fields, "BackupSkipBackendsFromPrune")->items().size(), 2U);
  EXPECT_TRUE(field(fields, "BackupFilenameExpand")->as_bool());
  EXPECT_EQ(field(fields, "BackupPruningLeeway")->as_duration(), std::chrono::minutes(1));
  EXPECT_EQ(field(fields, "BackupSources")->text(), "/backup");
  EXPECT_EQ(field(fields, "EmailSMTPPort")->as_int(), 587);
  EXPECT_EQ(field(fields, "DropboxConcurrencyLevel")->as_int(), 6);
  EXPECT_TRUE(field(fields, "AgePublicKeys")->is_nil_list());
}

TEST(OffenConfigTest, SecretsAreHiddenUnlessAskedFor) {
  const util::MapSource env({{"AWS_SECRET_ACCESS_KEY", "s3cr3t"},
                             {"NOTIFICATION_URLS", "ntfy://user:pw@h/t,discord://tok@1"},
                             {"AWS_ENDPOINT", "user:pw@minio:9000"},
                             {"BACKUP_SOURCES", "https://u:p@example.com/odd"}},
                            "environment");
  const util::Settings settings({&env});
  const auto hidden = offen_config_values(settings, false);
  EXPECT_EQ(field(hidden, "AwsSecretAccessKey")->text(), "***");
  ASSERT_EQ(field(hidden, "NotificationURLs")->items().size(), 2U);
  EXPECT_EQ(field(hidden, "NotificationURLs")->items()[1].text(), "***");
  EXPECT_EQ(field(hidden, "AwsEndpoint")->text(), "***@minio:9000");
  EXPECT_EQ(field(hidden, "BackupSources")->text(), "https://***@example.com/odd");
  EXPECT_EQ(field(hidden, "AwsAccessKeyID")->text(), "");  // unset stays empty
  const auto shown = offen_config_values(settings, true);
  EXPECT_EQ(field(shown, "AwsSecretAccessKey")->text(), "s3cr3t");
  EXPECT_EQ(field(shown, "NotificationURLs")->items()[0].text(), "ntfy://user:pw@h/t");
}

}  // namespace
}  // namespace volback::app
