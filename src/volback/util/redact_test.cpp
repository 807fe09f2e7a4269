#include <volback/util/redact.hpp>

#include <gtest/gtest.h>

namespace volback::util {
namespace {

TEST(RedactUrlUserinfo, HidesUserAndPassword) {
  EXPECT_EQ(redact_url_userinfo("https://user:pass@host"), "https://***@host");
  EXPECT_EQ(redact_url_userinfo("https://AKIA@host:9000/bucket"), "https://***@host:9000/bucket");
  EXPECT_EQ(redact_url_userinfo("GET http://u:p@127.0.0.1:1/b?list-type=2: refused"),
            "GET http://***@127.0.0.1:1/b?list-type=2: refused");
}

TEST(RedactUrlUserinfo, LeavesUrlsWithoutUserinfoAlone) {
  for (const std::string_view text :
       {"", "https://host", "https://host:9000/b/key", "tcp://127.0.0.1:2375", "unix:///var/run/docker.sock",
        "no url here", "mail me@example.com", "a://", "://x@y"}) {
    EXPECT_EQ(redact_url_userinfo(text), text);
  }
}

TEST(RedactUrlUserinfo, EveryUrlInTheText) {
  EXPECT_EQ(redact_url_userinfo("from https://a:b@one to tcp://c:d@two:1 and \"http://e@three\""),
            "from https://***@one to tcp://***@two:1 and \"http://***@three\"");
}

TEST(RedactUrlUserinfo, PasswordsWithReservedCharactersAreHiddenWhole) {
  EXPECT_EQ(redact_url_userinfo("https://user:p/a?s#s@w@host/x"), "https://***@host/x");
  EXPECT_EQ(redact_url_userinfo("https://user:p%40ss@host"), "https://***@host");
}

TEST(RedactUrlUserinfo, StopsAtWhitespaceAndQuotes) {
  EXPECT_EQ(redact_url_userinfo("https://host/path then a@b"), "https://host/path then a@b");
  EXPECT_EQ(redact_url_userinfo("'https://host' x@y"), "'https://host' x@y");
  EXPECT_EQ(redact_url_userinfo("<https://u@h>@z"), "<https://***@h>@z");
}

TEST(RedactUrlUserinfo, NeedsASchemeThatStartsWithALetter) {
  EXPECT_EQ(redact_url_userinfo("1://u@h"), "1://u@h");
  EXPECT_EQ(redact_url_userinfo("s3+x.y-z://u@h"), "s3+x.y-z://***@h");
  EXPECT_EQ(redact_url_userinfo("9https://u@h"), "9https://***@h");
}

TEST(RedactEndpointUserinfo, WithAndWithoutScheme) {
  EXPECT_EQ(redact_endpoint_userinfo("https://user:pass@host:9000"), "https://***@host:9000");
  EXPECT_EQ(redact_endpoint_userinfo("user:pass@host:9000"), "***@host:9000");
  EXPECT_EQ(redact_endpoint_userinfo("tcp://u:p/w@d@127.0.0.1:2375"), "tcp://***@127.0.0.1:2375");
  EXPECT_EQ(redact_endpoint_userinfo("a b:c@host"), "***@host");
}

TEST(RedactEndpointUserinfo, UnchangedWithoutAnAt) {
  for (const std::string_view value : {"", "s3.amazonaws.com", "https://fsn1.example.com", "127.0.0.1:9000",
                                       "unix:///var/run/docker.sock", "[::1]:9000"}) {
    EXPECT_EQ(redact_endpoint_userinfo(value), value);
  }
}

TEST(HasUserinfo, AnAtAfterTheScheme) {
  EXPECT_TRUE(has_userinfo("https://u:p@h"));
  EXPECT_TRUE(has_userinfo("u@h"));
  EXPECT_TRUE(has_userinfo("@h"));
  EXPECT_FALSE(has_userinfo("https://h"));
  EXPECT_FALSE(has_userinfo("h:9000"));
  EXPECT_FALSE(has_userinfo(""));
}

}  // namespace
}  // namespace volback::util
