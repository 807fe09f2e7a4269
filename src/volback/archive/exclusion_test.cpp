#include <volback/archive/exclusion.hpp>

#include <utility>

#include <gtest/gtest.h>

namespace volback::archive {
namespace {

TEST(Exclusion, SearchesAnywhereInThePath) {
  auto ex = Exclusion::compile(R"(\.(me|you)$)");
  ASSERT_TRUE(ex) << ex.error().message();
  EXPECT_TRUE(ex->matches("/backup/skip.me"));
  EXPECT_TRUE(ex->matches("/backup/dir.you"));
  EXPECT_FALSE(ex->matches("/backup/me.txt"));
  EXPECT_FALSE(ex->matches("/backup/dir.you/child.txt"));

  auto middle = Exclusion::compile("cache");
  ASSERT_TRUE(middle);
  EXPECT_TRUE(middle->matches("/backup/app/cache/x"));
  EXPECT_FALSE(middle->matches("/backup/app/Cache/x"));
}

TEST(Exclusion, UsesGoSyntax) {
  auto ex = Exclusion::compile(R"((?i)^/backup/[a-z]+\d{2}\.LOG$)");
  ASSERT_TRUE(ex) << ex.error().message();
  EXPECT_TRUE(ex->matches("/backup/app42.log"));
  EXPECT_FALSE(ex->matches("/other/backup/app42.log"));

  auto classes = Exclusion::compile(R"([[:digit:]]\p{Greek})");
  ASSERT_TRUE(classes) << classes.error().message();
  EXPECT_TRUE(classes->matches("/backup/1\xce\xb1"));  // "1α"
}

TEST(Exclusion, MatchesNonUtf8Paths) {
  auto ex = Exclusion::compile(R"(\.tmp$)");
  ASSERT_TRUE(ex);
  EXPECT_TRUE(ex->matches("/backup/bad\xff\xfe.tmp"));
  EXPECT_FALSE(ex->matches("/backup/bad\xff\xfe.txt"));
}

TEST(Exclusion, CompileErrorsCarryRe2sMessage) {
  auto ex = Exclusion::compile("(a");
  ASSERT_FALSE(ex);
  EXPECT_EQ(ex.error().kind(), util::ErrorKind::invalid_argument);
  EXPECT_NE(ex.error().message().find("missing )"), std::string::npos) << ex.error().message();

  // Perl features Go's regexp does not have are rejected too.
  EXPECT_FALSE(Exclusion::compile("a(?=b)"));
  EXPECT_FALSE(Exclusion::compile(R"((a)\1)"));
}

TEST(Exclusion, IsMovable) {
  auto ex = Exclusion::compile("x$");
  ASSERT_TRUE(ex);
  Exclusion moved = std::move(*ex);
  EXPECT_TRUE(moved.matches("/a/x"));
  EXPECT_EQ(moved.pattern(), "x$");
  auto other = Exclusion::compile("y$");
  ASSERT_TRUE(other);
  moved = std::move(*other);
  EXPECT_TRUE(moved.matches("/a/y"));
  EXPECT_FALSE(moved.matches("/a/x"));
}

}  // namespace
}  // namespace volback::archive
