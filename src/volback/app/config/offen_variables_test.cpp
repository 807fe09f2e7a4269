#include <volback/app/config/offen_variables.hpp>

#include <array>
#include <set>
#include <string>

#include <gtest/gtest.h>

namespace volback::app {
namespace {

util::Settings settings_of(const util::MapSource& env) {
  return util::Settings({&env}, [](const std::string&) -> util::Result<std::string> { return std::string("x"); });
}

TEST(OffenVariablesTest, ListsAll78DistinctNames) {
  std::set<std::string_view> names;
  for (const auto& v : offen_variables()) {
    names.insert(v.name);
  }
  EXPECT_EQ(names.size(), 78U);
}

// A table with a variable volback would not support yet, as offen's list had before every
// backend was supported.
constexpr std::array k_table_with_unsupported{
  OffenVariable{"BACKUP_SOURCES", Support::supported},
  OffenVariable{"FUTURE_BACKEND_TOKEN", Support::not_yet},
};

TEST(OffenVariablesTest, RefusesAnUnsupportedVariable) {
  const util::MapSource env({{"FUTURE_BACKEND_TOKEN", "x"}, {"BACKUP_SOURCES", "/backup"}}, "environment");
  auto result = refuse_unsupported(settings_of(env), k_table_with_unsupported);
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().kind(), util::ErrorKind::invalid_argument);
  EXPECT_EQ(result.error().message(), "FUTURE_BACKEND_TOKEN is not supported by volback yet");
}

TEST(OffenVariablesTest, RefusesTheFileFormToo) {
  const util::MapSource env({{"FUTURE_BACKEND_TOKEN_FILE", "/run/secrets/token"}}, "environment");
  EXPECT_FALSE(refuse_unsupported(settings_of(env), k_table_with_unsupported));
}

TEST(OffenVariablesTest, DropboxIsSupported) {
  const util::MapSource env({{"DROPBOX_REFRESH_TOKEN", "x"}, {"DROPBOX_APP_SECRET_FILE", "/run/secrets/dropbox"}},
                            "environment");
  EXPECT_TRUE(refuse_unsupported(settings_of(env)));
}

TEST(OffenVariablesTest, EmptyCountsAsUnset) {
  const util::MapSource env({{"AWS_IAM_ROLE_ENDPOINT", ""}}, "environment");
  EXPECT_TRUE(refuse_unsupported(settings_of(env)));
}

TEST(OffenVariablesTest, AcceptsSupportedAndDaemonOnlyVariables) {
  const util::MapSource env({{"BACKUP_SOURCES", "/backup"},
                             {"BACKUP_CRON_EXPRESSION", "0 3 * * *"},
                             {"BACKUP_FROM_SNAPSHOT", "true"},
                             {"BACKUP_RETENTION_DAYS", "14"},
                             {"GPG_PASSPHRASE", "secret"},
                             {"AGE_PUBLIC_KEYS", "age1x"},
                             {"AWS_IAM_ROLE_ENDPOINT", "http://169.254.169.254"}},
                            "environment");
  EXPECT_TRUE(refuse_unsupported(settings_of(env)));
}

}  // namespace
}  // namespace volback::app
