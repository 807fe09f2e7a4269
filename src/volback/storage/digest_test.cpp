#include <volback/storage/digest.hpp>

#include <gtest/gtest.h>

namespace volback::storage {
namespace {

std::span<const unsigned char> bytes(std::string_view s) {
  return {reinterpret_cast<const unsigned char*>(s.data()), s.size()};
}

TEST(Digest, Base64RoundTrips) {
  for (const std::string_view text : {"", "f", "fo", "foo", "foob", "fooba", "foobar"}) {
    const auto encoded = to_base64(bytes(text));
    const auto decoded = from_base64(encoded);
    ASSERT_TRUE(decoded) << encoded;
    EXPECT_EQ(std::string(decoded->begin(), decoded->end()), text);
  }
  EXPECT_EQ(to_base64(bytes("foobar")), "Zm9vYmFy");
  EXPECT_FALSE(from_base64("Zm9v YmFy"));
  EXPECT_FALSE(from_base64("Zm9"));
}

TEST(Digest, HmacSha1OfRfc2202) {
  // RFC 2202, test case 2.
  EXPECT_EQ(to_hex(hmac_sha1(bytes("Jefe"), bytes("what do ya want for nothing?"))),
            "effcdf6ae5eb2fa2d27416d5f184df9c259a7c79");
}

}  // namespace
}  // namespace volback::storage
