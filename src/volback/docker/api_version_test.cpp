#include <volback/docker/api_version.hpp>

#include <gtest/gtest.h>

namespace volback::docker {
namespace {

TEST(ApiVersion, Compare) {
  EXPECT_LT(compare_api_versions("1.41", "1.44"), 0);
  EXPECT_GT(compare_api_versions("1.100", "1.52"), 0);
  EXPECT_EQ(compare_api_versions("1.41", "1.41"), 0);
  EXPECT_FALSE(is_api_version("1"));
  EXPECT_FALSE(is_api_version("1.x"));
}

TEST(ApiVersion, NegotiatesLikeTheGoClient) {
  EXPECT_EQ(*negotiate_api_version(std::nullopt, "1.41"), "1.41");                // Debian's dockerd
  EXPECT_EQ(*negotiate_api_version(std::nullopt, "1.52"), k_newest_api_version);  // capped
  EXPECT_EQ(*negotiate_api_version(std::nullopt, "1.44"), "1.44");
  EXPECT_EQ(*negotiate_api_version(std::nullopt, std::nullopt), k_fallback_api_version);
  EXPECT_EQ(*negotiate_api_version("1.43", "1.52"), "1.43");  // DOCKER_API_VERSION wins
  EXPECT_EQ(*negotiate_api_version("v1.45", "1.41"), "1.45");
  EXPECT_EQ(negotiate_api_version("latest", "1.41").error().kind(), util::ErrorKind::invalid_argument);
}

}  // namespace
}  // namespace volback::docker
