#include <volback/app/config/monitor_config.hpp>

#include <filesystem>
#include <fstream>

#include <gtest/gtest.h>

#include <volback/testing/temp_dir.hpp>

namespace volback::app {
namespace {

class MonitorConfigTest : public ::testing::Test {
 protected:
  util::Result<MonitorConfig> load(std::map<std::string, std::string, std::less<>> values) {
    values.emplace("VOLBACK_NOTIFICATIONS_DIR", m_dir / "notifications.d");
    m_env = std::make_unique<util::MapSource>(std::move(values), "environment");
    m_settings = std::make_unique<util::Settings>(std::vector<const util::ConfigSource*>{m_env.get()});
    return load_monitor_config(*m_settings);
  }
  void write_template(const std::string& name, const std::string& text) {
    std::filesystem::create_directories(m_dir / "notifications.d");
    std::ofstream(m_dir / ("notifications.d/" + name)) << text;
  }

  testing::TempDir m_dir;
  std::unique_ptr<util::MapSource> m_env;
  std::unique_ptr<util::Settings> m_settings;
};

TEST_F(MonitorConfigTest, NothingConfigured) {
  const auto config = load({});
  ASSERT_TRUE(config) << config.error().message();
  EXPECT_FALSE(config->notify.enabled());
  EXPECT_FALSE(config->ping.enabled());
  EXPECT_TRUE(config->metrics.file.empty());
  EXPECT_FALSE(config->metrics.listen);
}

TEST_F(MonitorConfigTest, ValidTemplateOverride) {
  write_template("custom.tmpl", "{{ define \"title_success\" }}{{ .Config.BackupSources }} ok{{ end }}");
  const auto config = load({{"NOTIFICATION_URLS", "ntfy://h/t"}});
  ASSERT_TRUE(config) << config.error().message();
  ASSERT_EQ(config->notify.template_files.size(), 1U);
}

TEST_F(MonitorConfigTest, TemplateSyntaxErrorIsAConfigurationError) {
  write_template("broken.tmpl", "{{ define \"title_success\" }}{{ if }}{{ end }}");
  const auto config = load({{"NOTIFICATION_URLS", "ntfy://h/t"}});
  ASSERT_FALSE(config);
  EXPECT_NE(config.error().message().find("broken.tmpl: line 1"), std::string::npos) << config.error().message();
}

TEST_F(MonitorConfigTest, TemplateExecutionErrorIsFoundAtValidation) {
  write_template("fields.tmpl", "{{ define \"body_failure\" }}{{ .Config.NoSuchField }}{{ end }}");
  const auto config = load({{"NOTIFICATION_URLS", "ntfy://h/t"}});
  ASSERT_FALSE(config);
  EXPECT_NE(config.error().message().find("NoSuchField"), std::string::npos) << config.error().message();
}

TEST_F(MonitorConfigTest, TemplatesSeeTheScheduleThroughEnv) {
  write_template("env.tmpl", "{{ define \"title_success\" }}{{ env \"EXTRA_VALUE\" }}{{ end }}");
  ASSERT_TRUE(load({{"NOTIFICATION_URLS", "ntfy://h/t"}, {"EXTRA_VALUE", "x"}}));
  EXPECT_EQ(template_env(*m_settings)("EXTRA_VALUE"), "x");
  EXPECT_EQ(template_env(*m_settings)("UNSET"), "");
}

TEST_F(MonitorConfigTest, MetricsAddresses) {
  EXPECT_EQ(parse_listen_address("0.0.0.0:9464")->port, 9464);
  EXPECT_EQ(parse_listen_address(":9464")->host, "");
  EXPECT_EQ(parse_listen_address("[::1]:9464")->host, "::1");
  EXPECT_FALSE(parse_listen_address("9464"));
  EXPECT_FALSE(parse_listen_address("host:70000"));
  EXPECT_FALSE(parse_listen_address("::1:9464"));
  const auto config = load({{"VOLBACK_METRICS_LISTEN", "127.0.0.1:9464"}, {"VOLBACK_METRICS_FILE", "/x/m.prom"}});
  ASSERT_TRUE(config);
  EXPECT_EQ(config->metrics.listen->host, "127.0.0.1");
  EXPECT_EQ(config->metrics.file, "/x/m.prom");
}

}  // namespace
}  // namespace volback::app
