// The template engine against Go's text/template: every case of testdata/template_cases.json
// has the output Go 1.19 gives (tools/template-oracle writes them, and the notify
// integration suite checks the table against Go again), for data built as offen builds
// its NotificationData.

#include <volback/notify/template.hpp>

#include <fstream>
#include <sstream>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <volback/notify/notification_data.hpp>
#include <volback/notify/offen_templates.hpp>

namespace volback::notify {
namespace {

using namespace std::chrono_literals;

// The oracle's fixture (tools/template-oracle/main.go), built through to_value.
Value fixture(bool failure) {
  NotificationData data;
  data.zone = *util::TimeZone::named("Europe/Berlin");
  // 2026-11-26T03:00:00.123456789+01:00
  data.stats.start = util::TimePoint{} + std::chrono::seconds(1'795'658'400) + 123'456'789ns;
  data.stats.took = 2min + 3500ms;
  data.stats.end = data.stats.start + data.stats.took;
  data.stats.locked = 1200ms;
  data.stats.log_output = "time=2026-11-26T03:00:00.123+01:00 level=INFO msg=\"line one\"\nsecond <line>\n";
  data.stats.containers = {3, 2, 2, 0};
  data.stats.services = {1, 1, 1, 0};
  data.stats.backup_file = {"backup-2026-11-26T03-00-00.tar.gz", "/archive/backup-2026-11-26T03-00-00.tar.gz", 7055258};
  data.stats.storages["Local"] = {5, 2, 0};
  data.stats.storages["S3"] = {3, 0, 0};
  if (failure) {
    data.error = "uploading to S3: connection refused <tls> & \"more\"";
  }
  data.config = {
    {"BackupSources", Value::string("/backup")},
    {"BackupRetentionDays", Value::integer(7, "int32")},
    {"BackupPruningLeeway", Value::duration(1min)},
    {"BackupFilenameExpand", Value::boolean(true)},
    {"NotificationURLs", Value::list({Value::string("generic://a"), Value::string("ntfy://b/t")}, "[]string")},
    {"BackupSkipBackendsFromPrune", Value::list({}, "[]string", true)},
    {"EmailSMTPPort", Value::integer(587)},
    {"GzipParallelism", Value::unsigned_integer(4, "uint")},
    {"AwsS3BucketName", Value::string("bucket")},
  };
  Value::Fields fields = to_value(data).fields();
  fields.emplace_back("Items",
                      Value::list({Value::string("alpha"), Value::string("beta"), Value::string("gamma")}, "[]string"));
  fields.emplace_back("Numbers", Value::list({Value::integer(3), Value::integer(1), Value::integer(2)}, "[]int"));
  fields.emplace_back("Counts",
                      Value::map({{"b", Value::integer(2)}, {"a", Value::integer(1)}, {"c", Value::integer(3)}},
                                 "map[string]int", Value::integer(0)));
  fields.emplace_back("Empty", Value::list({}, "[]string"));
  fields.emplace_back("Ratio", Value::floating(0.5));
  fields.emplace_back("Big", Value::unsigned_integer(18446744073709551615ULL, "uint64"));
  fields.emplace_back("Negative", Value::integer(-7));
  return Value::structure("main.NotificationData", std::move(fields));
}

struct Case {
  std::string name;
  std::string text;
  std::vector<std::string> files;
  bool defaults = false;
  std::string execute = "t";
  bool failure = false;
  std::string want;
  bool error = false;
};

std::vector<Case> load_cases() {
  std::ifstream in(std::string(VOLBACK_NOTIFY_TESTDATA) + "/template_cases.json");
  std::stringstream text;
  text << in.rdbuf();
  std::vector<Case> cases;
  for (const auto& c : nlohmann::json::parse(text.str())) {
    Case out;
    out.name = c.at("name").get<std::string>();
    out.text = c.at("template").get<std::string>();
    if (c.contains("files")) {
      out.files = c.at("files").get<std::vector<std::string>>();
    }
    out.defaults = c.value("defaults", false);
    out.execute = c.value("execute", std::string("t"));
    if (out.execute.empty()) {
      out.execute = "t";
    }
    out.failure = c.at("data").get<std::string>() == "failure";
    out.want = c.at("want").get<std::string>();
    out.error = c.at("error").get<bool>();
    cases.push_back(std::move(out));
  }
  return cases;
}

util::Result<std::string> run(const Case& c) {
  const EnvLookup env = [](std::string_view name) {
    return name == "VOLBACK_ORACLE_ENV" ? std::string("from the environment") : std::string();
  };
  TemplateSet set(offen_template_functions(env));
  if (c.defaults) {
    VOLBACK_TRY(set.add(k_default_templates_name, k_default_templates));
  }
  VOLBACK_TRY(set.add("t", c.text));
  for (std::size_t i = 0; i < c.files.size(); ++i) {
    VOLBACK_TRY(set.add("file" + std::to_string(i + 1), c.files[i]));
  }
  return set.execute(c.execute, fixture(c.failure));
}

TEST(TemplateTest, TableOfCasesMatchesGo) {
  const auto cases = load_cases();
  ASSERT_GT(cases.size(), 150U);
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name + ": " + c.text);
    const auto got = run(c);
    if (c.error) {
      EXPECT_FALSE(got.has_value()) << "Go fails, volback printed: " << (got ? *got : "");
    } else {
      if (!got) {
        ADD_FAILURE() << got.error().message();
        continue;
      }
      EXPECT_EQ(*got, c.want);
    }
  }
}

TEST(TemplateTest, ErrorsNameTemplateAndLine) {
  TemplateSet set;
  auto parsed = set.add("custom.tmpl", "first line\n{{ nosuch }}");
  ASSERT_FALSE(parsed);
  EXPECT_EQ(parsed.error().message(), "custom.tmpl: line 2: function \"nosuch\" not defined");
  ASSERT_TRUE(set.add("other.tmpl", "{{ define \"x\" }}\n\n{{ .Missing.Field }}{{ end }}"));
  auto run = set.execute("x", Value::structure("T", {{"Missing", Value::string("s")}}));
  ASSERT_FALSE(run);
  EXPECT_EQ(run.error().message(), "template \"x\" line 3: can't evaluate field Field in type string");
}

TEST(TemplateTest, OutputIsBounded) {
  TemplateSet set;
  ASSERT_TRUE(set.add("t", "{{ range .Items }}{{ range $.Items }}{{ printf \"%1000d\" 1 }}{{ end }}{{ end }}"));
  std::vector<Value> items(100, Value::integer(1));
  const auto out =
    set.execute("t", Value::structure("T", {{"Items", Value::list(items, "[]int")}}), {.max_output = 10'000});
  ASSERT_FALSE(out);
  EXPECT_NE(out.error().message().find("exceeds 10000 bytes"), std::string::npos);
}

TEST(TemplateTest, RecursionIsBounded) {
  TemplateSet set;
  ASSERT_TRUE(set.add("t", "{{ define \"r\" }}{{ template \"r\" . }}{{ end }}{{ template \"r\" . }}"));
  const auto out = set.execute("t", Value());
  ASSERT_FALSE(out);
  EXPECT_NE(out.error().message().find("maximum template depth"), std::string::npos);
}

}  // namespace
}  // namespace volback::notify
