// Bech32, Blowfish and bcrypt_pbkdf against published vectors.

#include <gtest/gtest.h>

#include <volback/crypto/bcrypt_pbkdf.hpp>
#include <volback/crypto/bech32.hpp>
#include <volback/crypto/blowfish.hpp>
#include <volback/crypto/primitives.hpp>

namespace volback::crypto {
namespace {

TEST(Bech32, Bip173Vectors) {
  for (const std::string valid : {"A12UEL5L", "a12uel5l", "abcdef1qpzry9x8gf2tvdw0s3jn54khce6mua7lmqqqxw",
                                  "split1checkupstagehandshakeupstreamerranterredcaperred2y9e3w"}) {
    EXPECT_TRUE(bech32_decode(valid)) << valid;
  }
  for (const std::string invalid :
       {"pzry9x0s0muk", "1pzry9x0s0muk", "x1b4n0q5v", "li1dgmt3", "A1G7SGD8", "10a06t8", "1qzzfhee", "A12uEL5L"}) {
    EXPECT_FALSE(bech32_decode(invalid)) << invalid;
  }
}

TEST(Bech32, RoundTripsAgeKeys) {
  const std::string key(32, '\x42');
  const auto recipient = bech32_encode("age", key);
  ASSERT_TRUE(recipient.starts_with("age1"));
  const auto decoded = bech32_decode(recipient);
  ASSERT_TRUE(decoded);
  EXPECT_EQ(decoded->hrp, "age");
  EXPECT_EQ(decoded->data, key);
  const auto identity = bech32_encode("AGE-SECRET-KEY-", key, true);
  ASSERT_TRUE(identity.starts_with("AGE-SECRET-KEY-1"));
  EXPECT_EQ(bech32_decode(identity)->data, key);
}

// Schneier's ECB vectors (https://www.schneier.com/wp-content/uploads/2015/12/vectors-2.txt).
TEST(Blowfish, SchneierVectors) {
  struct Case {
    std::uint64_t key, plain, cipher;
  };
  const Case cases[] = {{0x0000000000000000, 0x0000000000000000, 0x4EF997456198DD78},
                        {0xFFFFFFFFFFFFFFFF, 0xFFFFFFFFFFFFFFFF, 0x51866FD5B85ECB8A},
                        {0x3000000000000000, 0x1000000000000001, 0x7D856F9A613063F2},
                        {0x1111111111111111, 0x1111111111111111, 0x2466DD878B963C9D},
                        {0x0123456789ABCDEF, 0x1111111111111111, 0x61F9C3802281B096},
                        {0xFEDCBA9876543210, 0x0123456789ABCDEF, 0x0ACEAB0FC6A0A28D}};
  for (const auto& c : cases) {
    std::array<std::uint8_t, 8> key{};
    for (int i = 0; i < 8; ++i) {
      key[i] = static_cast<std::uint8_t>(c.key >> (56 - 8 * i));
    }
    Blowfish bf;
    bf.set_key(key);
    auto left = static_cast<std::uint32_t>(c.plain >> 32);
    auto right = static_cast<std::uint32_t>(c.plain);
    bf.encrypt(left, right);
    EXPECT_EQ((std::uint64_t{left} << 32) | right, c.cipher);
  }
}

// OpenBSD's regress/lib/libutil/bcrypt_pbkdf vectors.
TEST(BcryptPbkdf, OpenBsdVectors) {
  const auto one = bcrypt_pbkdf("password", "salt", 4, 32);
  ASSERT_TRUE(one);
  EXPECT_EQ(to_hex(one->span()), "5bbf0cc293587f1c3635555c27796598d47e579071bf427e9d8fbe842aba34d9");
  const auto two = bcrypt_pbkdf("password", std::string("\x00", 1), 4, 16);
  ASSERT_TRUE(two);
  EXPECT_EQ(to_hex(two->span()), "c12b566235eee04c212598970a579a67");
  const auto three = bcrypt_pbkdf(std::string("\x00", 1), "salt", 4, 16);
  ASSERT_TRUE(three);
  EXPECT_EQ(to_hex(three->span()), "6051be18c2f4f82cbf0efee5471b4bb9");
  EXPECT_FALSE(bcrypt_pbkdf("password", "salt", 0, 32));
}

}  // namespace
}  // namespace volback::crypto
