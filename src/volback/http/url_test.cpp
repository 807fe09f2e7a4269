#include <volback/http/url.hpp>

#include <gtest/gtest.h>

namespace volback::http {
namespace {

TEST(Url, SplitsSchemeAuthorityAndPath) {
  auto url = parse_url("HTTPS://dav.example.com:8443/remote.php/dav/files/me/");
  ASSERT_TRUE(url) << url.error().message();
  EXPECT_EQ(url->scheme, "https");
  EXPECT_EQ(url->authority, "dav.example.com:8443");
  EXPECT_EQ(url->path, "/remote.php/dav/files/me");
  EXPECT_EQ(url->origin(), "https://dav.example.com:8443");
  auto bare = parse_url("http://[::1]:10000");
  ASSERT_TRUE(bare);
  EXPECT_EQ(bare->authority, "[::1]:10000");
  EXPECT_EQ(bare->path, "");
}

TEST(Url, RefusesWhatIsNotAnEndpoint) {
  for (const char* text : {"dav.example.com", "ftp://host/", "https://user:secret@host/", "https://host/?a=b",
                           "https://host/#x", "https://:80/", "https://host:0/", "https://host:x/"}) {
    auto url = parse_url(text);
    ASSERT_FALSE(url) << text;
    EXPECT_EQ(url.error().kind(), util::ErrorKind::invalid_argument);
    EXPECT_EQ(url.error().message().find("secret"), std::string::npos);
  }
}

}  // namespace
}  // namespace volback::http
