#include <volback/util/env_file.hpp>

#include <string>

#include <gtest/gtest.h>

namespace volback::util {
namespace {

std::optional<std::string> environment(std::string_view name) {
  if (name == "HOME") {
    return "/root";
  }
  if (name == "EMPTY") {
    return "";
  }
  if (name == "BACKUP_FILENAME") {
    return "from-env.tar.gz";
  }
  return std::nullopt;
}

EnvMap parse(std::string_view text) {
  auto parsed = parse_env_file(text, environment);
  EXPECT_TRUE(parsed.has_value()) << (parsed ? "" : parsed.error().message());
  return parsed ? *parsed : EnvMap{};
}

std::string parse_error(std::string_view text) {
  auto parsed = parse_env_file(text, environment);
  EXPECT_FALSE(parsed.has_value()) << text;
  return parsed ? std::string{} : parsed.error().message();
}

TEST(EnvFile, CommentsBlankLinesAndExport) {
  const auto values = parse("# a comment\n\n   # indented comment\nA=1\n  export B=2  \nC: 3\r\nD=\n");
  EXPECT_EQ(values, (EnvMap{{"A", "1"}, {"B", "2"}, {"C", "3"}, {"D", ""}}));
}

TEST(EnvFile, Quotes) {
  const auto values = parse(
    "A='single # not a comment'\n"
    "B=\"double \\\"quoted\\\" \\n line\"\n"
    "C=bare value # trailing comment\n"
    "D=no#comment\n"
    "E='  kept spaces  '\n");
  EXPECT_EQ(values.at("A"), "single # not a comment");
  EXPECT_EQ(values.at("B"), "double \"quoted\" \n line");
  EXPECT_EQ(values.at("C"), "bare value");
  EXPECT_EQ(values.at("D"), "no#comment");
  EXPECT_EQ(values.at("E"), "  kept spaces  ");
}

TEST(EnvFile, ExpansionAgainstEnvironmentAndEarlierLines) {
  const auto values = parse(
    "DIR=$HOME/backups\n"
    "NAME=${DIR}/daily\n"
    "BACKUP_FILENAME=weekly-$BACKUP_FILENAME\n"
    "AGAIN=$BACKUP_FILENAME\n"
    "UNSET=[$NOPE]\n"
    "QUOTED='$HOME'\n");
  EXPECT_EQ(values.at("DIR"), "/root/backups");
  EXPECT_EQ(values.at("NAME"), "/root/backups/daily");
  EXPECT_EQ(values.at("BACKUP_FILENAME"), "weekly-from-env.tar.gz");
  EXPECT_EQ(values.at("AGAIN"), "weekly-from-env.tar.gz");  // the file's earlier line wins
  EXPECT_EQ(values.at("UNSET"), "[]");
  EXPECT_EQ(values.at("QUOTED"), "/root");  // offen expands inside quotes too
}

TEST(EnvFile, Defaults) {
  const auto values = parse(
    "A=${NOPE:-fallback}\n"
    "B=${HOME:-fallback}\n"
    "C=${EMPTY:-fallback}\n"
    "D=${EMPTY-fallback}\n"
    "E=${NOPE:-$HOME/x}\n"
    "F=${HOME:+set}${NOPE:+unset}\n"
    "G=${NOPE:-${HOME}}\n");
  EXPECT_EQ(values.at("A"), "fallback");
  EXPECT_EQ(values.at("B"), "/root");
  EXPECT_EQ(values.at("C"), "fallback");
  EXPECT_EQ(values.at("D"), "");
  EXPECT_EQ(values.at("E"), "/root/x");
  EXPECT_EQ(values.at("F"), "set");
  EXPECT_EQ(values.at("G"), "/root");
}

TEST(EnvFile, EscapesAndLiteralDollars) {
  const auto values = parse("A=\\$HOME\nB=cost $5\nC=50%$\n");
  EXPECT_EQ(values.at("A"), "$HOME");
  EXPECT_EQ(values.at("B"), "cost $5");
  EXPECT_EQ(values.at("C"), "50%$");
}

TEST(EnvFile, LaterLinesOverride) {
  EXPECT_EQ(parse("A=1\nA=2\n").at("A"), "2");
}

TEST(EnvFile, SyntaxErrorsNameTheLine) {
  EXPECT_NE(parse_error("A=1\nnot an assignment\n").find("line 2"), std::string::npos);
  EXPECT_NE(parse_error("A='open\n").find("unterminated quoted value"), std::string::npos);
  EXPECT_NE(parse_error("A=\"open\n").find("unterminated"), std::string::npos);
  EXPECT_NE(parse_error("A=${HOME\n").find("unterminated ${"), std::string::npos);
  EXPECT_NE(parse_error("A=$(id)\n").find("command substitution"), std::string::npos);
  EXPECT_NE(parse_error("A B=1\n").find("variable name"), std::string::npos);
  EXPECT_NE(parse_error("=1\n").find("missing variable name"), std::string::npos);
  EXPECT_NE(parse_error("A=${HOME:?x}\n").find("unsupported substitution"), std::string::npos);
}

TEST(EnvFile, SyntaxErrorsNeverShowTheLine) {
  // Each line holds the "secret" S3CR3T where an error used to quote it.
  struct Case {
    std::string_view text;
    std::string_view expected;
  };
  for (const Case& c : {
         Case{"A=1\nAWS_SECRET_ACCESS_KEY S3CR3T\n",
              "line 2: expected KEY=VALUE, found no '=' (the line is not shown: it may hold a secret)"},
         Case{"S3CR3T\n", "line 1: expected KEY=VALUE, found no '=' (the line is not shown: it may hold a secret)"},
         Case{"AWS_SECRET_ACCESS_KEY S3CR3T=x\n",
              "line 1: the text before the first '=' or ':' is not a variable name: it holds a space (only letters, "
              "digits, '_' and '.' are allowed; the text is not shown: it may hold a secret)"},
         Case{"S3CR3T/x=1\n",
              "line 1: the text before the first '=' or ':' is not a variable name: it holds another "
              "character (only letters, digits, '_' and '.' are allowed; the text is not shown: it "
              "may hold a secret)"},
         Case{"A=${HOME:?S3CR3T}\n",
              "line 1: unsupported substitution ${HOME...}: only ${NAME}, ${NAME-word}, ${NAME:-word}, ${NAME+word} "
              "and ${NAME:+word} are supported"},
         Case{"A=${1S3CR3T}\n", "line 1: bad substitution: ${ must be followed by a variable name"},
         Case{"A=$HOME S3CR3T\n", ""},  // valid: a bare value up to the end
       }) {
    auto parsed = parse_env_file(c.text, environment);
    if (c.expected.empty()) {
      EXPECT_TRUE(parsed) << c.text;
      continue;
    }
    ASSERT_FALSE(parsed) << c.text;
    EXPECT_EQ(parsed.error().message(), c.expected);
    EXPECT_EQ(parsed.error().message().find("S3CR3T"), std::string::npos);
  }
}

TEST(EnvFile, ExpandedSecretsAreNotShownEither) {
  // The line is shown neither before nor after expansion: $HOME expands to /root here.
  const auto parsed = parse_env_file("$HOME\n", environment);
  ASSERT_FALSE(parsed);
  EXPECT_EQ(parsed.error().message().find("/root"), std::string::npos);
}

TEST(EnvFile, DeeplyNestedDefaultsAreAnErrorNotAStackOverflow) {
  // 20,000 nested defaults used to recurse once per level (100,000 overflowed the stack).
  std::string deep = "A=";
  for (int i = 0; i < 20000; ++i) {
    deep += "${NOPE:-";
  }
  deep += "v" + std::string(20000, '}') + "\n";
  const auto message = parse_error(deep);
  EXPECT_NE(message.find("line 1"), std::string::npos) << message;
  EXPECT_NE(message.find("nested deeper than 32"), std::string::npos) << message;

  std::string ok = "A=";
  for (int i = 0; i < 32; ++i) {
    ok += "${NOPE:-";
  }
  ok += "v" + std::string(32, '}') + "\n";
  EXPECT_EQ(parse(ok).at("A"), "v");
}

TEST(EnvFile, EmptyFile) {
  EXPECT_TRUE(parse("").empty());
  EXPECT_TRUE(parse("# only a comment\n").empty());
}

}  // namespace
}  // namespace volback::util
