#include <volback/util/env_expand.hpp>

#include <map>
#include <vector>

#include <gtest/gtest.h>

namespace volback::util {
namespace {

// The variables of Go's os.TestExpand, plus a few of our own.
std::optional<std::string> test_lookup(std::string_view name) {
  static const std::map<std::string, std::string, std::less<>> k_values{
    {"*", "all the args"},   {"#", "NARGS"},        {"$", "PID"},           {"1", "ARGUMENT1"},
    {"-", "FLAGS"},          {"@", "AT"},           {"!", "BANG"},          {"?", "QUESTION"},
    {"HOME", "/usr/gopher"}, {"H", "(Value of H)"}, {"home_1", "/usr/foo"}, {"_", "underscore"},
    {"EMPTY", ""},           {"A:-x", "odd name"},  {"a b", "spaced"},      {"12", "twelve"},
  };
  const auto it = k_values.find(name);
  if (it == k_values.end()) {
    return std::nullopt;
  }
  return it->second;
}

struct ExpandCase {
  std::string_view in;
  std::string_view out;
};

class ExpandEnvTest : public ::testing::TestWithParam<ExpandCase> {};

TEST_P(ExpandEnvTest, ExpandsLikeGo) {
  EXPECT_EQ(expand_env(GetParam().in, test_lookup), GetParam().out) << GetParam().in;
}

INSTANTIATE_TEST_SUITE_P(
  GoCases, ExpandEnvTest,
  ::testing::Values(
    // Go's os.TestExpand table.
    ExpandCase{"", ""}, ExpandCase{"$*", "all the args"}, ExpandCase{"$$", "PID"}, ExpandCase{"${*}", "all the args"},
    ExpandCase{"$1", "ARGUMENT1"}, ExpandCase{"${1}", "ARGUMENT1"}, ExpandCase{"now is the time", "now is the time"},
    ExpandCase{"$HOME", "/usr/gopher"}, ExpandCase{"$home_1", "/usr/foo"}, ExpandCase{"${HOME}", "/usr/gopher"},
    ExpandCase{"${H}OME", "(Value of H)OME"},
    ExpandCase{"A$$$#$1$H$home_1*B", "APIDNARGSARGUMENT1(Value of H)/usr/foo*B"},
    ExpandCase{"start$+middle$^end$", "start$+middle$^end$"}, ExpandCase{"mixed$|bag$$$", "mixed$|bagPID$"},
    ExpandCase{"$", "$"}, ExpandCase{"$}", "$}"}, ExpandCase{"${", ""}, ExpandCase{"${}", ""},
    // Special single-character names.
    ExpandCase{"$-", "FLAGS"}, ExpandCase{"$@$!$?", "ATBANGQUESTION"}, ExpandCase{"${-}", "FLAGS"},
    ExpandCase{"$12", "ARGUMENT12"}, ExpandCase{"${12}", "twelve"},
    // Unset and empty variables expand to nothing.
    ExpandCase{"a$UNSET-b", "a-b"}, ExpandCase{"a${UNSET}b", "ab"}, ExpandCase{"a${EMPTY}b", "ab"},
    ExpandCase{"$_", "underscore"}, ExpandCase{"$_x", ""},
    // Names stop at the first character outside [A-Za-z0-9_].
    ExpandCase{"$HOME/backups", "/usr/gopher/backups"}, ExpandCase{"$HOME.tar", "/usr/gopher.tar"},
    ExpandCase{"$HOMEx", ""},
    // Inside braces everything up to the first '}' is the name.
    ExpandCase{"${A:-x}", "odd name"}, ExpandCase{"${a b}!", "spaced!"}, ExpandCase{"${HOME}}", "/usr/gopher}"},
    // "${" without '}' drops only the "${"; "${}" is dropped whole.
    ExpandCase{"x${HOME", "xHOME"}, ExpandCase{"x${}y", "xy"}, ExpandCase{"${}}", "}"},
    // A '$' before a non-name character or at the end stays.
    ExpandCase{"cost: 5$ or $ 6", "cost: 5$ or $ 6"}, ExpandCase{"100%$", "100%$"}, ExpandCase{"$%Y", "$%Y"},
    // Multi-byte text passes through.
    ExpandCase{"d\xC3\xA9j\xC3\xA0-$HOME", "d\xC3\xA9j\xC3\xA0-/usr/gopher"}, ExpandCase{"$\xC3\xA9", "$\xC3\xA9"},
    // offen's documented use: BACKUP_FILENAME with an expanded variable and strftime verbs.
    ExpandCase{"backup-$HOME-%Y.tar.gz", "backup-/usr/gopher-%Y.tar.gz"}));

TEST(ExpandEnvTest, LooksUpEachReferenceAndNeverAnEmptyName) {
  std::vector<std::string> seen;
  const VariableLookup recorder = [&](std::string_view name) -> std::optional<std::string> {
    seen.emplace_back(name);
    return std::nullopt;
  };
  EXPECT_EQ(expand_env("$A ${B} ${} ${ $ $C", recorder), "    $ ");
  EXPECT_EQ(seen, (std::vector<std::string>{"A", "B", "C"}));
}

TEST(ExpandEnvTest, DoesNotExpandRecursively) {
  const VariableLookup lookup = [](std::string_view name) -> std::optional<std::string> {
    if (name == "A") {
      return std::string("$B");
    }
    return std::string("wrong");
  };
  EXPECT_EQ(expand_env("${A}", lookup), "$B");
}

}  // namespace
}  // namespace volback::util
