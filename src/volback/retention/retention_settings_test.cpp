#include <volback/retention/retention_settings.hpp>

#include <gtest/gtest.h>

namespace volback::retention {
namespace {

using namespace std::chrono_literals;
using Map = std::map<std::string, std::string, std::less<>>;

util::Result<RetentionSettings> parse(Map env) {
  const util::MapSource source(std::move(env), "environment");
  const util::Settings settings({&source}, [](const std::string& path) -> util::Result<std::string> {
    if (path == "/run/secrets/days") {
      return std::string("14\n");
    }
    return util::fail(util::ErrorKind::not_found, "cannot open \"" + path + "\": No such file or directory");
  });
  return parse_retention_settings(settings);
}

std::string error_of(Map env) {
  const auto parsed = parse(std::move(env));
  EXPECT_FALSE(parsed);
  if (parsed) {
    return {};
  }
  EXPECT_EQ(parsed.error().kind(), util::ErrorKind::invalid_argument);
  return parsed.error().message();
}

TEST(RetentionSettingsTest, SpecsAndDefaults) {
  const auto specs = retention_setting_specs();
  ASSERT_EQ(specs.size(), 13U);
  EXPECT_EQ(specs[0].name, "BACKUP_RETENTION_DAYS");
  EXPECT_EQ(specs[0].default_value, "-1");
  EXPECT_EQ(specs[1].name, "BACKUP_PRUNING_LEEWAY");
  EXPECT_EQ(specs[1].default_value, "1m");
  EXPECT_EQ(specs[2].name, "BACKUP_PRUNING_PREFIX");
  EXPECT_EQ(specs[2].default_value, "");
  EXPECT_EQ(specs[3].name, "BACKUP_SKIP_BACKENDS_FROM_PRUNE");
  EXPECT_EQ(specs[4].name, "BACKUP_PRUNE_MIN_RATIO");
  EXPECT_EQ(specs[4].default_value, "0.5");
  EXPECT_EQ(specs[5].name, "BACKUP_VERIFY_BEFORE_PRUNE");
  EXPECT_EQ(specs[6].name, "BACKUP_RETENTION_KEEP_LAST");
  EXPECT_EQ(specs[12].name, "BACKUP_RETENTION_KEEP_WITHIN");
  for (const auto& spec : specs) {
    EXPECT_EQ(spec.secret, util::Secret::no);
    EXPECT_FALSE(spec.help.empty());
  }

  const auto parsed = parse({});
  ASSERT_TRUE(parsed) << parsed.error().message();
  EXPECT_EQ(parsed->retention_days, -1);
  EXPECT_FALSE(parsed->enabled());
  EXPECT_EQ(parsed->leeway, 1min);
  EXPECT_EQ(parsed->prefix, "");
  EXPECT_TRUE(parsed->skip_backends.empty());
  EXPECT_FALSE(parsed->skips("Local"));
  EXPECT_EQ(parsed->prune_min_ratio, 0.5);
  EXPECT_FALSE(parsed->verify_before_prune);
  EXPECT_TRUE(parse({{"BACKUP_VERIFY_BEFORE_PRUNE", "true"}})->verify_before_prune);
}

TEST(RetentionSettingsTest, GfsRulesEnablePruningOnTheirOwn) {
  const auto parsed = parse({{"BACKUP_RETENTION_KEEP_DAILY", "7"},
                             {"BACKUP_RETENTION_KEEP_MONTHLY", "-1"},
                             {"BACKUP_RETENTION_KEEP_WITHIN", "72h"}});
  ASSERT_TRUE(parsed) << parsed.error().message();
  EXPECT_TRUE(parsed->enabled());
  EXPECT_EQ(parsed->gfs.daily, 7);
  EXPECT_EQ(parsed->gfs.monthly, -1);
  EXPECT_EQ(parsed->gfs.within, 72h);
  const auto rules = parsed->rules();
  EXPECT_FALSE(rules.days);
  EXPECT_EQ(rules.gfs.daily, 7);
  EXPECT_FALSE(parse({})->rules().any() && parse({})->enabled());
}

TEST(RetentionSettingsTest, GfsRulesRefuseNonsense) {
  EXPECT_FALSE(parse({{"BACKUP_RETENTION_KEEP_LAST", "-2"}}));
  EXPECT_FALSE(parse({{"BACKUP_RETENTION_KEEP_WEEKLY", "weekly"}}));
  EXPECT_FALSE(parse({{"BACKUP_RETENTION_KEEP_WITHIN", "-1h"}}));
  EXPECT_FALSE(parse({{"BACKUP_RETENTION_KEEP_WITHIN", "0s"}}));
  EXPECT_FALSE(parse({{"BACKUP_RETENTION_KEEP_WITHIN", "3 days"}}));
}

TEST(RetentionSettingsTest, PruneMinRatioFromZeroToOne) {
  EXPECT_EQ(parse({{"BACKUP_PRUNE_MIN_RATIO", "0"}})->prune_min_ratio, 0.0);
  EXPECT_EQ(parse({{"BACKUP_PRUNE_MIN_RATIO", "0.25"}})->prune_min_ratio, 0.25);
  EXPECT_EQ(parse({{"BACKUP_PRUNE_MIN_RATIO", "1"}})->prune_min_ratio, 1.0);
  for (const char* bad : {"-0.1", "1.5", "half", "0.5x", "nan"}) {
    EXPECT_FALSE(parse({{"BACKUP_PRUNE_MIN_RATIO", bad}})) << bad;
  }
}

TEST(RetentionSettingsTest, ParsesValues) {
  const auto parsed = parse({{"BACKUP_RETENTION_DAYS", "7"},
                             {"BACKUP_PRUNING_LEEWAY", "90s"},
                             {"BACKUP_PRUNING_PREFIX", "backup-"},
                             {"BACKUP_SKIP_BACKENDS_FROM_PRUNE", "S3, webdav,GoogleDrive"}});
  ASSERT_TRUE(parsed) << parsed.error().message();
  EXPECT_EQ(parsed->retention_days, 7);
  EXPECT_TRUE(parsed->enabled());
  EXPECT_EQ(parsed->leeway, 90s);
  EXPECT_EQ(parsed->prefix, "backup-");
  EXPECT_EQ(parsed->skip_backends, (std::vector<std::string>{"s3", "webdav", "googledrive"}));
  EXPECT_TRUE(parsed->skips("S3"));
  EXPECT_TRUE(parsed->skips("s3"));
  EXPECT_TRUE(parsed->skips("WebDAV"));
  EXPECT_TRUE(parsed->skips("googleDrive"));
  EXPECT_FALSE(parsed->skips("Local"));
  EXPECT_FALSE(parsed->skips(""));
}

TEST(RetentionSettingsTest, RetentionDays) {
  EXPECT_EQ(parse({{"BACKUP_RETENTION_DAYS", "0"}})->retention_days, 0);
  EXPECT_TRUE(parse({{"BACKUP_RETENTION_DAYS", "0"}})->enabled());
  EXPECT_EQ(parse({{"BACKUP_RETENTION_DAYS", "-5"}})->retention_days, -5);
  EXPECT_FALSE(parse({{"BACKUP_RETENTION_DAYS", "-5"}})->enabled());
  EXPECT_EQ(parse({{"BACKUP_RETENTION_DAYS", "+30"}})->retention_days, 30);
  EXPECT_EQ(parse({{"BACKUP_RETENTION_DAYS", "2147483647"}})->retention_days, 2147483647);
  EXPECT_EQ(parse({{"BACKUP_RETENTION_DAYS_FILE", "/run/secrets/days"}})->retention_days, 14);

  EXPECT_EQ(error_of({{"BACKUP_RETENTION_DAYS", "seven"}}),
            "invalid value \"seven\" for BACKUP_RETENTION_DAYS: must be an integer between -2147483648 "
            "and 2147483647");
  for (const char* bad : {"1.5", "7d", " 7", "2147483648", "-2147483649"}) {
    const auto message = error_of({{"BACKUP_RETENTION_DAYS", bad}});
    EXPECT_TRUE(message.starts_with(std::string("invalid value \"") + bad + "\" for BACKUP_RETENTION_DAYS: "))
      << message;
  }
}

TEST(RetentionSettingsTest, Leeway) {
  EXPECT_EQ(parse({{"BACKUP_PRUNING_LEEWAY", "0"}})->leeway, 0s);
  EXPECT_EQ(parse({{"BACKUP_PRUNING_LEEWAY", "1h30m"}})->leeway, 90min);
  EXPECT_EQ(parse({{"BACKUP_PRUNING_LEEWAY", "-10m"}})->leeway, -10min);
  const auto message = error_of({{"BACKUP_PRUNING_LEEWAY", "1d"}});
  EXPECT_TRUE(message.starts_with("invalid value \"1d\" for BACKUP_PRUNING_LEEWAY: ")) << message;
  EXPECT_TRUE(
    error_of({{"BACKUP_PRUNING_LEEWAY", "5"}}).starts_with("invalid value \"5\" for BACKUP_PRUNING_LEEWAY: "));
}

TEST(RetentionSettingsTest, SkipBackends) {
  const auto all = parse({{"BACKUP_SKIP_BACKENDS_FROM_PRUNE", "s3,WEBDAV,ssh,Local,azure,DropBox,googledrive"}});
  ASSERT_TRUE(all) << all.error().message();
  EXPECT_EQ(all->skip_backends.size(), 7U);
  for (const char* name : {"S3", "WebDAV", "SSH", "Local", "Azure", "Dropbox", "GoogleDrive"}) {
    EXPECT_TRUE(all->skips(name)) << name;
  }
  // Duplicates and empty items collapse.
  const auto dup = parse({{"BACKUP_SKIP_BACKENDS_FROM_PRUNE", "local, ,LOCAL,"}});
  ASSERT_TRUE(dup);
  EXPECT_EQ(dup->skip_backends, std::vector<std::string>{"local"});

  EXPECT_EQ(error_of({{"BACKUP_SKIP_BACKENDS_FROM_PRUNE", "Local,ftp"}}),
            "invalid value \"ftp\" for BACKUP_SKIP_BACKENDS_FROM_PRUNE: not a backend name; use S3, "
            "WebDAV, SSH, Local, Azure, Dropbox or GoogleDrive");
  EXPECT_TRUE(error_of({{"BACKUP_SKIP_BACKENDS_FROM_PRUNE", "Google Drive"}}).find("BACKUP_SKIP_BACKENDS_FROM_PRUNE") !=
              std::string::npos);
}

TEST(RetentionSettingsTest, LookupErrorsPropagate) {
  const auto both = error_of({{"BACKUP_PRUNING_PREFIX", "a"}, {"BACKUP_PRUNING_PREFIX_FILE", "/f"}});
  EXPECT_NE(both.find("set either BACKUP_PRUNING_PREFIX or BACKUP_PRUNING_PREFIX_FILE, not both"), std::string::npos)
    << both;
  const auto missing = error_of({{"BACKUP_RETENTION_DAYS_FILE", "/missing"}});
  EXPECT_NE(missing.find("BACKUP_RETENTION_DAYS_FILE"), std::string::npos) << missing;
  EXPECT_NE(missing.find("/missing"), std::string::npos) << missing;
}

}  // namespace
}  // namespace volback::retention
