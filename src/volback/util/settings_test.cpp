#include <volback/util/settings.hpp>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <limits>

#include <fmt/format.h>
#include <gtest/gtest.h>

namespace volback::util {
namespace {

using namespace std::chrono_literals;
using Map = std::map<std::string, std::string, std::less<>>;

constexpr SettingSpec k_plain{"VB_PLAIN", "", Secret::no, "a plain setting"};
constexpr SettingSpec k_defaulted{"VB_DEFAULTED", "fallback", Secret::no, "with a default"};
constexpr SettingSpec k_secret{"VB_SECRET", "", Secret::yes, "a secret"};

// A FileReader over an in-memory map of path to content.
FileReader fake_files(Map files) {
  return [files = std::move(files)](const std::string& path) -> Result<std::string> {
    const auto it = files.find(path);
    if (it == files.end()) {
      return fail(errno_error(ENOENT, fmt::format("cannot open \"{}\"", path)));
    }
    return it->second;
  };
}

// Owns the layers of a Settings object for one test.
class SettingsFixture {
 public:
  explicit SettingsFixture(Map env, std::optional<Map> confd = std::nullopt, Map files = {})
    : m_env(std::move(env), "environment"),
      m_confd(confd.value_or(Map{}), "/etc/dockervolumebackup/conf.d/daily.env", true),
      m_settings(confd ? std::vector<const ConfigSource*>{&m_env, &m_confd} : std::vector<const ConfigSource*>{&m_env},
                 fake_files(std::move(files))) {}

  const Settings& operator*() const { return m_settings; }
  const Settings* operator->() const { return &m_settings; }

 private:
  MapSource m_env;
  MapSource m_confd;
  Settings m_settings;
};

bool contains(const std::string& haystack, std::string_view needle) {
  return haystack.find(needle) != std::string::npos;
}

TEST(MapSourceTest, IsAPlainLookup) {
  const MapSource source(Map{{"A", "1"}, {"EMPTY", ""}}, "environment");
  EXPECT_EQ(source.get("A"), "1");
  EXPECT_EQ(source.get("EMPTY"), "");  // empty is returned as it is
  EXPECT_EQ(source.get("B"), std::nullopt);
  EXPECT_FALSE(source.is_confd());
  EXPECT_EQ(source.describe(), "environment");
  EXPECT_TRUE(MapSource(Map{}, "x.env", true).is_confd());
}

TEST(OriginTest, HasNames) {
  EXPECT_EQ(to_string(Origin::default_value), "default");
  EXPECT_EQ(to_string(Origin::environment), "environment");
  EXPECT_EQ(to_string(Origin::environment_file), "environment_file");
  EXPECT_EQ(to_string(Origin::confd), "confd");
  EXPECT_EQ(to_string(Origin::confd_file), "confd_file");
}

TEST(SettingsLookupTest, UsesTheDefaultWhenUnset) {
  const SettingsFixture s(Map{});
  const auto resolved = s->lookup(k_defaulted);
  ASSERT_TRUE(resolved);
  ASSERT_TRUE(resolved->has_value());
  EXPECT_EQ((*resolved)->value, "fallback");
  EXPECT_EQ((*resolved)->origin, Origin::default_value);

  const auto none = s->lookup(k_plain);
  ASSERT_TRUE(none);
  EXPECT_FALSE(none->has_value());
}

TEST(SettingsLookupTest, EmptyCountsAsUnset) {
  const SettingsFixture s(Map{{"VB_DEFAULTED", ""}, {"VB_DEFAULTED_FILE", ""}});
  const auto resolved = s->lookup(k_defaulted);
  ASSERT_TRUE(resolved);
  EXPECT_EQ((*resolved)->value, "fallback");
  EXPECT_EQ((*resolved)->origin, Origin::default_value);
}

TEST(SettingsLookupTest, ReadsTheEnvironment) {
  const SettingsFixture s(Map{{"VB_DEFAULTED", "set"}});
  const auto resolved = s->lookup(k_defaulted);
  ASSERT_TRUE(resolved);
  EXPECT_EQ((*resolved)->value, "set");
  EXPECT_EQ((*resolved)->origin, Origin::environment);
  EXPECT_EQ((*resolved)->where, "environment");
}

TEST(SettingsLookupTest, ATopLayerWinsOverEveryOtherAndLeavesTheRest) {
  const SettingsFixture s(Map{{"VB_DEFAULTED", "env"}, {"VB_PLAIN", "kept"}});
  const MapSource top(Map{{"VB_DEFAULTED", "implied"}}, "RESTIC_REPOSITORY");
  const Settings layered = s->with_top_layer(top);
  EXPECT_EQ(layered.get_string(k_defaulted).value(), "implied");
  EXPECT_EQ(layered.get_string(k_plain).value(), "kept");
  EXPECT_EQ(s->get_string(k_defaulted).value(), "env");  // the original is unchanged
}

TEST(SettingsLookupTest, ReadsAFileAndTrimsOneNewline) {
  struct Case {
    std::string content;
    std::string expected;
  };
  for (const auto& c : {Case{"secret\n", "secret"}, Case{"secret\r\n", "secret"}, Case{"secret", "secret"},
                        Case{"secret\n\n", "secret\n"}, Case{"two\nlines\n", "two\nlines"},
                        Case{"secret\r", "secret\r"}, Case{" spaced \n", " spaced "}, Case{"\n", ""}}) {
    const SettingsFixture s(Map{{"VB_SECRET_FILE", "/run/secrets/x"}}, std::nullopt,
                            Map{{"/run/secrets/x", c.content}});
    const auto resolved = s->lookup(k_secret);
    ASSERT_TRUE(resolved) << resolved.error().message();
    EXPECT_EQ((*resolved)->value, c.expected);
    EXPECT_EQ((*resolved)->origin, Origin::environment_file);
    EXPECT_EQ((*resolved)->where, "/run/secrets/x");
  }
}

TEST(SettingsLookupTest, RejectsNameAndFileInTheSameLayer) {
  const SettingsFixture s(Map{{"VB_PLAIN", "a"}, {"VB_PLAIN_FILE", "/f"}}, std::nullopt, Map{{"/f", "b"}});
  const auto resolved = s->lookup(k_plain);
  ASSERT_FALSE(resolved);
  EXPECT_EQ(resolved.error().kind(), ErrorKind::invalid_argument);
  EXPECT_TRUE(contains(resolved.error().message(), "set either VB_PLAIN or VB_PLAIN_FILE, not both"))
    << resolved.error().message();
}

TEST(SettingsLookupTest, RejectsNameAndFileInTheSameConfdLayer) {
  const SettingsFixture s(Map{}, Map{{"VB_PLAIN", "a"}, {"VB_PLAIN_FILE", "/f"}});
  const auto resolved = s->lookup(k_plain);
  ASSERT_FALSE(resolved);
  EXPECT_TRUE(contains(resolved.error().message(), "set either VB_PLAIN or VB_PLAIN_FILE, not both"));
  EXPECT_TRUE(contains(resolved.error().message(), "daily.env"));
}

TEST(SettingsLookupTest, HigherLayerWins) {
  // conf.d NAME over environment NAME.
  {
    const SettingsFixture s(Map{{"VB_PLAIN", "env"}}, Map{{"VB_PLAIN", "confd"}});
    const auto resolved = s->lookup(k_plain);
    ASSERT_TRUE(resolved);
    EXPECT_EQ((*resolved)->value, "confd");
    EXPECT_EQ((*resolved)->origin, Origin::confd);
    EXPECT_EQ((*resolved)->where, "/etc/dockervolumebackup/conf.d/daily.env");
  }
  // conf.d NAME_FILE over environment NAME: not a conflict, the higher layer wins.
  {
    const SettingsFixture s(Map{{"VB_PLAIN", "env"}}, Map{{"VB_PLAIN_FILE", "/f"}}, Map{{"/f", "from file\n"}});
    const auto resolved = s->lookup(k_plain);
    ASSERT_TRUE(resolved) << resolved.error().message();
    EXPECT_EQ((*resolved)->value, "from file");
    EXPECT_EQ((*resolved)->origin, Origin::confd_file);
    EXPECT_EQ((*resolved)->where, "/f");
  }
  // conf.d NAME over environment NAME_FILE.
  {
    const SettingsFixture s(Map{{"VB_PLAIN_FILE", "/f"}}, Map{{"VB_PLAIN", "confd"}}, Map{{"/f", "from file"}});
    const auto resolved = s->lookup(k_plain);
    ASSERT_TRUE(resolved);
    EXPECT_EQ((*resolved)->value, "confd");
  }
  // An empty value in conf.d does not hide the environment.
  {
    const SettingsFixture s(Map{{"VB_PLAIN", "env"}}, Map{{"VB_PLAIN", ""}});
    const auto resolved = s->lookup(k_plain);
    ASSERT_TRUE(resolved);
    EXPECT_EQ((*resolved)->value, "env");
    EXPECT_EQ((*resolved)->origin, Origin::environment);
  }
}

TEST(SettingsLookupTest, ConflictInALowerLayerIsIgnoredWhenAHigherOneDecides) {
  const SettingsFixture s(Map{{"VB_PLAIN", "a"}, {"VB_PLAIN_FILE", "/f"}}, Map{{"VB_PLAIN", "confd"}});
  const auto resolved = s->lookup(k_plain);
  ASSERT_TRUE(resolved);
  EXPECT_EQ((*resolved)->value, "confd");
}

TEST(SettingsLookupTest, UnreadableFileNamesTheVariablePathAndCause) {
  const SettingsFixture s(Map{{"VB_SECRET_FILE", "/run/secrets/missing"}});
  const auto resolved = s->lookup(k_secret);
  ASSERT_FALSE(resolved);
  EXPECT_EQ(resolved.error().kind(), ErrorKind::invalid_argument);
  const auto& message = resolved.error().message();
  EXPECT_TRUE(contains(message, "VB_SECRET_FILE")) << message;
  EXPECT_TRUE(contains(message, "/run/secrets/missing")) << message;
  EXPECT_TRUE(contains(message, "No such file or directory")) << message;
}

TEST(SettingsLookupTest, UnreadableFileWithAReaderThatOmitsThePath) {
  const MapSource env(Map{{"VB_PLAIN_FILE", "/p"}}, "environment");
  const Settings s(
    {&env}, [](const std::string&) -> Result<std::string> { return fail(ErrorKind::permanent, "Permission denied"); });
  const auto resolved = s.lookup(k_plain);
  ASSERT_FALSE(resolved);
  EXPECT_EQ(resolved.error().message(), "VB_PLAIN_FILE: cannot read \"/p\": Permission denied");
}

TEST(SettingsTest, IsSetAndRaw) {
  const SettingsFixture s(Map{{"A", "1"}, {"B_FILE", "/f"}, {"C", ""}, {"D", "env"}}, Map{{"D", "confd"}, {"E", ""}});
  EXPECT_TRUE(s->is_set("A"));
  EXPECT_TRUE(s->is_set("B"));
  EXPECT_FALSE(s->is_set("C"));
  EXPECT_TRUE(s->is_set("D"));
  EXPECT_FALSE(s->is_set("E"));
  EXPECT_FALSE(s->is_set("F"));

  EXPECT_EQ(s->raw("A"), "1");
  EXPECT_EQ(s->raw("B"), std::nullopt);  // raw() does no NAME_FILE handling
  EXPECT_EQ(s->raw("B_FILE"), "/f");
  EXPECT_EQ(s->raw("C"), std::nullopt);
  EXPECT_EQ(s->raw("D"), "confd");
  EXPECT_EQ(s->raw("E"), std::nullopt);
}

TEST(SettingsGetterTest, StringAndOptional) {
  const SettingsFixture s(Map{{"VB_PLAIN", "value"}});
  EXPECT_EQ(*s->get_string(k_plain), "value");
  EXPECT_EQ(*s->get_optional(k_plain), std::optional<std::string>("value"));
  EXPECT_EQ(*s->get_string(k_defaulted), "fallback");
  EXPECT_EQ(*s->get_optional(k_defaulted), std::optional<std::string>("fallback"));
  EXPECT_EQ(*s->get_string(k_secret), "");
  EXPECT_EQ(*s->get_optional(k_secret), std::nullopt);
}

TEST(SettingsGetterTest, GettersPropagateLookupErrors) {
  const SettingsFixture s(Map{{"VB_PLAIN", "1"}, {"VB_PLAIN_FILE", "/f"}});
  EXPECT_FALSE(s->get_string(k_plain));
  EXPECT_FALSE(s->get_optional(k_plain));
  EXPECT_FALSE(s->get_bool(k_plain));
  EXPECT_FALSE(s->get_int(k_plain, 0, 10));
  EXPECT_FALSE(s->get_duration(k_plain));
  EXPECT_FALSE(s->get_list(k_plain));
  constexpr std::array<std::string_view, 1> k_allowed{"1"};
  EXPECT_FALSE(s->get_choice(k_plain, k_allowed));
}

TEST(SettingsGetterTest, BoolAcceptsGoSpellings) {
  for (const char* yes : {"1", "t", "T", "TRUE", "true", "True"}) {
    const SettingsFixture s(Map{{"VB_PLAIN", yes}});
    const auto value = s->get_bool(k_plain);
    ASSERT_TRUE(value) << yes;
    EXPECT_TRUE(*value) << yes;
  }
  for (const char* no : {"0", "f", "F", "FALSE", "false", "False"}) {
    const SettingsFixture s(Map{{"VB_PLAIN", no}});
    const auto value = s->get_bool(k_plain);
    ASSERT_TRUE(value) << no;
    EXPECT_FALSE(*value) << no;
  }
  for (const char* bad : {"yes", "no", "on", "tRUE", "2", " true", "true "}) {
    const SettingsFixture s(Map{{"VB_PLAIN", bad}});
    const auto value = s->get_bool(k_plain);
    ASSERT_FALSE(value) << bad;
    EXPECT_EQ(value.error().kind(), ErrorKind::invalid_argument);
    EXPECT_TRUE(contains(value.error().message(), fmt::format("invalid value \"{}\" for VB_PLAIN: ", bad)))
      << value.error().message();
  }
  EXPECT_FALSE(*(*SettingsFixture(Map{})).get_bool(k_plain));  // unset, no default: false
}

TEST(SettingsGetterTest, IntParsesWholeDecimalsInRange) {
  struct Case {
    const char* text;
    std::optional<std::int64_t> expected;
  };
  for (const auto& c :
       {Case{"0", 0}, Case{"7", 7}, Case{"-1", -1}, Case{"+5", 5}, Case{"007", 7}, Case{"-0", 0},
        Case{"1.5", std::nullopt}, Case{"", std::nullopt}, Case{" 1", std::nullopt}, Case{"1 ", std::nullopt},
        Case{"1e3", std::nullopt}, Case{"0x10", std::nullopt}, Case{"+-1", std::nullopt}, Case{"--1", std::nullopt},
        Case{"-", std::nullopt}, Case{"+", std::nullopt}, Case{"seven", std::nullopt}, Case{"1_000", std::nullopt}}) {
    const SettingsFixture s(Map{{"VB_PLAIN_FILE", "/f"}}, std::nullopt, Map{{"/f", c.text}});
    const auto value = s->get_int(k_plain, -100, 100);
    if (c.expected) {
      ASSERT_TRUE(value) << c.text << ": " << value.error().message();
      EXPECT_EQ(*value, *c.expected) << c.text;
    } else {
      EXPECT_FALSE(value) << c.text;
    }
  }
}

TEST(SettingsGetterTest, IntChecksTheRange) {
  const SettingsFixture s(Map{{"VB_PLAIN", "101"}});
  const auto value = s->get_int(k_plain, 0, 100);
  ASSERT_FALSE(value);
  EXPECT_EQ(value.error().message(), "invalid value \"101\" for VB_PLAIN: must be an integer between 0 and 100");
  EXPECT_TRUE(s->get_int(k_plain, 0, 101));

  const SettingsFixture huge(Map{{"VB_PLAIN", "9223372036854775808"}});
  EXPECT_FALSE(
    huge->get_int(k_plain, std::numeric_limits<std::int64_t>::min(), std::numeric_limits<std::int64_t>::max()));
  const SettingsFixture max(Map{{"VB_PLAIN", "9223372036854775807"}});
  EXPECT_EQ(*max->get_int(k_plain, 0, std::numeric_limits<std::int64_t>::max()),
            std::numeric_limits<std::int64_t>::max());

  const SettingsFixture negative(Map{{"VB_PLAIN", "-1"}});
  const auto below = negative->get_int(k_plain, 0, std::numeric_limits<std::int64_t>::max());
  ASSERT_FALSE(below);
  EXPECT_EQ(below.error().message(), "invalid value \"-1\" for VB_PLAIN: must be an integer of at least 0");
}

TEST(SettingsGetterTest, IntUsesTheDefault) {
  constexpr SettingSpec k_days{"VB_DAYS", "-1", Secret::no, ""};
  EXPECT_EQ(*(*SettingsFixture(Map{})).get_int(k_days, -1000, 1000), -1);
  EXPECT_EQ(*(*SettingsFixture(Map{})).get_int(k_plain, -10, 10), 0);  // no default: zero
}

TEST(SettingsGetterTest, Duration) {
  constexpr SettingSpec k_leeway{"VB_LEEWAY", "1m", Secret::no, ""};
  EXPECT_EQ(*(*SettingsFixture(Map{})).get_duration(k_leeway), 1min);
  EXPECT_EQ(*(*SettingsFixture(Map{{"VB_LEEWAY", "1h30m"}})).get_duration(k_leeway), 90min);
  EXPECT_EQ(*(*SettingsFixture(Map{{"VB_LEEWAY", "-1.5h"}})).get_duration(k_leeway), -90min);
  EXPECT_EQ(*(*SettingsFixture(Map{})).get_duration(k_plain), 0ns);

  const SettingsFixture bad(Map{{"VB_LEEWAY", "7d"}});
  const auto value = bad->get_duration(k_leeway);
  ASSERT_FALSE(value);
  EXPECT_EQ(value.error().kind(), ErrorKind::invalid_argument);
  const auto& message = value.error().message();
  EXPECT_TRUE(message.starts_with("invalid value \"7d\" for VB_LEEWAY: unknown unit \"d\"")) << message;
  EXPECT_TRUE(contains(message, "ns, us, ms, s, m, h")) << message;
}

TEST(SettingsGetterTest, ChoiceIsExact) {
  constexpr SettingSpec k_compression{"BACKUP_COMPRESSION", "gz", Secret::no, ""};
  constexpr std::array<std::string_view, 3> k_allowed{"gz", "zst", "none"};
  EXPECT_EQ(*(*SettingsFixture(Map{})).get_choice(k_compression, k_allowed), "gz");
  EXPECT_EQ(*(*SettingsFixture(Map{{"BACKUP_COMPRESSION", "zst"}})).get_choice(k_compression, k_allowed), "zst");
  for (const char* bad : {"bz2", "GZ", " gz", "gz "}) {
    const SettingsFixture s(Map{{"BACKUP_COMPRESSION", bad}});
    const auto value = s->get_choice(k_compression, k_allowed);
    ASSERT_FALSE(value) << bad;
    EXPECT_EQ(value.error().message(),
              fmt::format("invalid value \"{}\" for BACKUP_COMPRESSION: must be one of gz, zst, none", bad));
  }
}

TEST(SettingsGetterTest, ListIsTrimmedWithoutEmptyItems) {
  struct Case {
    const char* text;
    std::vector<std::string> expected;
  };
  for (const auto& c :
       {Case{"a", {"a"}}, Case{"a,b", {"a", "b"}}, Case{" a , b ,c ", {"a", "b", "c"}}, Case{",a,,b,", {"a", "b"}},
        Case{" , ,", {}}, Case{"a b, c", {"a b", "c"}}, Case{"\ta\t,b", {"a", "b"}}}) {
    const SettingsFixture s(Map{{"VB_PLAIN", c.text}});
    const auto value = s->get_list(k_plain);
    ASSERT_TRUE(value) << c.text;
    EXPECT_EQ(*value, c.expected) << c.text;
  }
  EXPECT_TRUE((*SettingsFixture(Map{})).get_list(k_plain)->empty());
}

TEST(SettingsInvalidTest, StandardForm) {
  const Error error = Settings::invalid(k_plain, "bz2", "must be one of gz, zst, none");
  EXPECT_EQ(error.kind(), ErrorKind::invalid_argument);
  EXPECT_EQ(error.message(), "invalid value \"bz2\" for VB_PLAIN: must be one of gz, zst, none");
}

TEST(SettingsInvalidTest, SecretsAreRedacted) {
  const Error error = Settings::invalid(k_secret, "hunter2", "too short");
  EXPECT_EQ(error.message(), "invalid value \"***\" for VB_SECRET: too short");

  const SettingsFixture s(Map{{"VB_SECRET", "hunter2"}});
  const auto value = s->get_bool(k_secret);
  ASSERT_FALSE(value);
  EXPECT_FALSE(contains(value.error().message(), "hunter2")) << value.error().message();
  EXPECT_TRUE(contains(value.error().message(), "\"***\" for VB_SECRET"));
}

TEST(ReadWholeFileTest, ReadsEverything) {
  char path[] = "/tmp/volback-settings-test-XXXXXX";
  const int fd = ::mkstemp(path);
  ASSERT_GE(fd, 0);
  std::string content(100'000, 'x');
  content += "\nend\n";
  ASSERT_EQ(::write(fd, content.data(), content.size()), static_cast<ssize_t>(content.size()));
  ::close(fd);

  const auto read = read_whole_file(path);
  ::unlink(path);
  ASSERT_TRUE(read) << read.error().message();
  EXPECT_EQ(*read, content);  // no trimming here
}

TEST(ReadWholeFileTest, MissingFileIsNotFoundAndNamesThePath) {
  const auto read = read_whole_file("/nonexistent/volback/file");
  ASSERT_FALSE(read);
  EXPECT_EQ(read.error().kind(), ErrorKind::not_found);
  EXPECT_TRUE(contains(read.error().message(), "/nonexistent/volback/file"));
  EXPECT_TRUE(contains(read.error().message(), "No such file or directory"));
}

TEST(ReadWholeFileTest, RealReaderInSettings) {
  const MapSource env(Map{{"VB_PLAIN_FILE", "/nonexistent/volback/file"}}, "environment");
  const Settings s({&env});
  const auto value = s.get_string(k_plain);
  ASSERT_FALSE(value);
  EXPECT_EQ(value.error().kind(), ErrorKind::invalid_argument);
  EXPECT_EQ(value.error().message(),
            "VB_PLAIN_FILE: cannot open \"/nonexistent/volback/file\": No such file or directory");
}

// A fresh directory for the file-reading tests, removed with its content.
class ScratchDir {
 public:
  ScratchDir() {
    char pattern[] = "/tmp/volback-settings-test-XXXXXX";
    if (::mkdtemp(pattern) == nullptr) {
      ADD_FAILURE() << "mkdtemp failed";
    }
    m_path = pattern;
  }
  ~ScratchDir() { std::filesystem::remove_all(m_path); }
  ScratchDir(const ScratchDir&) = delete;
  ScratchDir& operator=(const ScratchDir&) = delete;

  std::string operator/(std::string_view name) const { return m_path + "/" + std::string(name); }

  std::string write(std::string_view name, const std::string& content) const {
    const std::string path = *this / name;
    std::FILE* f = std::fopen(path.c_str(), "wb");
    EXPECT_NE(f, nullptr) << path;
    if (f != nullptr) {
      EXPECT_EQ(std::fwrite(content.data(), 1, content.size(), f), content.size());
      std::fclose(f);
    }
    return path;
  }

 private:
  std::string m_path;
};

TEST(ReadWholeFileTest, UpToTheLimitIsRead) {
  const ScratchDir dir;
  const auto path = dir.write("exact", std::string(1000, 'x'));
  const auto read = read_regular_file(path, 1000);
  ASSERT_TRUE(read) << read.error().message();
  EXPECT_EQ(read->size(), 1000U);
  EXPECT_TRUE(read_regular_file(dir.write("empty", ""), 1000));
}

TEST(ReadWholeFileTest, LargerThanTheLimitIsRefused) {
  const ScratchDir dir;
  const auto path = dir.write("big", std::string(1001, 'x'));
  const auto read = read_regular_file(path, 1000);
  ASSERT_FALSE(read);
  EXPECT_EQ(read.error().kind(), ErrorKind::invalid_argument);
  EXPECT_EQ(read.error().message(), fmt::format("\"{}\" is larger than 1000 bytes, the most volback reads from a "
                                                "configuration file",
                                                path));
}

TEST(ReadWholeFileTest, TheDefaultLimitIsFourMiB) {
  EXPECT_EQ(k_max_config_file_bytes, 4U * 1024 * 1024);
  const ScratchDir dir;
  const auto path = dir.write("big", std::string(k_max_config_file_bytes + 1, 'x'));
  const auto read = read_whole_file(path);
  ASSERT_FALSE(read);
  EXPECT_TRUE(contains(read.error().message(), "is larger than 4 MiB")) << read.error().message();
  EXPECT_TRUE(read_whole_file(dir.write("fits", std::string(k_max_config_file_bytes, 'x'))));
}

TEST(ReadWholeFileTest, AnEndlessDeviceIsRefusedWithoutReading) {
  const auto read = read_whole_file("/dev/zero");
  ASSERT_FALSE(read);
  EXPECT_EQ(read.error().kind(), ErrorKind::invalid_argument);
  EXPECT_EQ(read.error().message(),
            "\"/dev/zero\" is a character device; only a regular file (or a symlink to one) is read");
}

TEST(ReadWholeFileTest, AFifoIsRefusedAndNeverBlocks) {
  const ScratchDir dir;
  const auto path = dir / "fifo";
  ASSERT_EQ(::mkfifo(path.c_str(), 0600), 0);
  const auto read = read_whole_file(path);  // no writer: a blocking open would hang here
  ASSERT_FALSE(read);
  EXPECT_EQ(read.error().kind(), ErrorKind::invalid_argument);
  EXPECT_TRUE(contains(read.error().message(), "is a FIFO")) << read.error().message();
}

TEST(ReadWholeFileTest, ADirectoryIsRefused) {
  const ScratchDir dir;
  const auto read = read_whole_file(dir / "");
  ASSERT_FALSE(read);
  EXPECT_TRUE(contains(read.error().message(), "is a directory")) << read.error().message();
}

TEST(ReadWholeFileTest, ASymlinkToARegularFileIsRead) {
  const ScratchDir dir;
  const auto target = dir.write("target", "value\n");
  const auto link = dir / "link";
  ASSERT_EQ(::symlink(target.c_str(), link.c_str()), 0);
  const auto read = read_whole_file(link);
  ASSERT_TRUE(read) << read.error().message();
  EXPECT_EQ(*read, "value\n");

  const auto fifo_link = dir / "fifo-link";
  ASSERT_EQ(::mkfifo((dir / "fifo").c_str(), 0600), 0);
  ASSERT_EQ(::symlink((dir / "fifo").c_str(), fifo_link.c_str()), 0);
  EXPECT_FALSE(read_whole_file(fifo_link));
}

TEST(ReadWholeFileTest, ProcFilesWithoutASizeAreRead) {
  const auto read = read_whole_file("/proc/self/status");
  ASSERT_TRUE(read) << read.error().message();
  EXPECT_TRUE(contains(*read, "Name:"));
}

TEST(ReadWholeFileTest, SettingsNameTheVariableOfAFileThatIsNotRegular) {
  const MapSource env(Map{{"VB_SECRET_FILE", "/dev/zero"}}, "environment");
  const Settings s({&env});
  const auto value = s.get_string(k_secret);
  ASSERT_FALSE(value);
  EXPECT_EQ(value.error().kind(), ErrorKind::invalid_argument);
  EXPECT_EQ(value.error().message(),
            "VB_SECRET_FILE: \"/dev/zero\" is a character device; only a regular file (or a symlink to one) is read");
}

constexpr SettingSpec k_endpoint{"VB_ENDPOINT", "", Secret::user_info, "an endpoint"};

TEST(SettingsDisplayValueTest, SecretsAndUserInfoAreNeverShown) {
  EXPECT_EQ(Settings::display_value(k_secret, "hunter2"), "***");
  EXPECT_EQ(Settings::display_value(k_plain, "bz2"), "bz2");
  EXPECT_EQ(Settings::display_value(k_plain, "see https://u:p@host/x"), "see https://***@host/x");
  EXPECT_EQ(Settings::display_value(k_endpoint, "https://u:p@host:9000"), "https://***@host:9000");
  EXPECT_EQ(Settings::display_value(k_endpoint, "u:p@host:9000"), "***@host:9000");
  EXPECT_EQ(Settings::display_value(k_endpoint, "host:9000"), "host:9000");
}

TEST(SettingsInvalidTest, UserInfoIsRedacted) {
  const Error error = Settings::invalid(k_endpoint, "user:pass@host:x", "bad port");
  EXPECT_EQ(error.message(), "invalid value \"***@host:x\" for VB_ENDPOINT: bad port");
  const Error plain = Settings::invalid(k_plain, "tcp://user:pass@host", "no");
  EXPECT_EQ(plain.message(), "invalid value \"tcp://***@host\" for VB_PLAIN: no");
}

}  // namespace
}  // namespace volback::util
