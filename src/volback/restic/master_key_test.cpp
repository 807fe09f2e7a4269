#include <volback/restic/master_key.hpp>

#include <gtest/gtest.h>

#include <volback/restic/id.hpp>
#include <volback/restic/test_support.hpp>

namespace volback::restic {
namespace {

using testing::bytes_of;
using testing::from_hex;
using testing::vector_master_key;

// The format description's vector (§3.6), which restic 0.14 decrypted as a lock file.
const std::string k_vector_sealed = from_hex(
  "000102030405060708090a0b0c0d0e0f43ee49a0629afb3a6a54f846072d9f60bb2e"
  "a208a12d62f6e9e1b249a9d0a5cdeb73");

TEST(ResticSeal, ReproducesThePublishedVector) {
  const auto key = vector_master_key();
  const std::string iv = from_hex("000102030405060708090a0b0c0d0e0f");
  const auto sealed = seal_with_iv(key, bytes_of(iv), R"({"hello":"restic"})");
  ASSERT_TRUE(sealed) << sealed.error().message();
  EXPECT_EQ(*sealed, k_vector_sealed);
  EXPECT_EQ(Id::of(*sealed).hex(), "36442faf3f65956d9e345fbc00c4f35487af8dd0826c3e6d523d3bf57f87c4ac");
}

TEST(ResticSeal, OpensThePublishedVector) {
  const auto opened = open_sealed(vector_master_key(), k_vector_sealed);
  ASSERT_TRUE(opened) << opened.error().message();
  EXPECT_EQ(*opened, R"({"hello":"restic"})");
}

TEST(ResticSeal, RoundTripsWithRandomIvsAndKeys) {
  const auto key = MasterKey::generate();
  ASSERT_TRUE(key);
  EXPECT_TRUE(key->valid());
  for (const std::size_t size : {0U, 1U, 15U, 16U, 17U, 4096U, 1000003U}) {
    std::string plaintext(size, '\0');
    for (std::size_t i = 0; i < size; ++i) {
      plaintext[i] = static_cast<char>(i * 131 + 7);
    }
    const auto a = seal(*key, plaintext);
    const auto b = seal(*key, plaintext);
    ASSERT_TRUE(a && b);
    EXPECT_EQ(a->size(), size + k_seal_overhead);
    EXPECT_NE(*a, *b);  // a fresh IV every time
    EXPECT_EQ(open_sealed(*key, *a).value(), plaintext);
  }
}

TEST(ResticSeal, SealsInPlaceAfterAPrefix) {
  const auto key = MasterKey::generate().value();
  for (const std::size_t size : {0U, 1U, 4096U, 1000003U}) {
    const std::string plaintext(size, 'p');
    std::string out = "prefix" + std::string(k_iv_size, '\0') + plaintext;
    ASSERT_TRUE(seal_in_place(key, out, 6));
    EXPECT_EQ(out.substr(0, 6), "prefix");
    EXPECT_EQ(out.size(), 6 + size + k_seal_overhead);
    EXPECT_EQ(open_sealed(key, std::string_view(out).substr(6)).value(), plaintext);
  }
  std::string no_room(k_iv_size - 1, '\0');
  EXPECT_FALSE(seal_in_place(key, no_room, 0));
}

TEST(ResticSeal, RefusesEveryAlteredByteBeforeDecrypting) {
  const auto key = vector_master_key();
  for (std::size_t i = 0; i < k_vector_sealed.size(); ++i) {
    std::string bad = k_vector_sealed;
    bad[i] = static_cast<char>(bad[i] ^ 0x01);
    const auto opened = open_sealed(key, bad);
    ASSERT_FALSE(opened) << "byte " << i;
    EXPECT_EQ(opened.error().kind(), util::ErrorKind::corrupt);
  }
}

TEST(ResticSeal, RefusesShortInputZeroIvAndAnotherKey) {
  const auto key = vector_master_key();
  EXPECT_EQ(open_sealed(key, std::string(31, 'x')).error().kind(), util::ErrorKind::corrupt);
  EXPECT_EQ(open_sealed(key, std::string(40, '\0')).error().kind(), util::ErrorKind::corrupt);
  EXPECT_FALSE(seal_with_iv(key, bytes_of(std::string(16, '\0')), "x"));
  const auto other = MasterKey::generate();
  ASSERT_TRUE(other);
  EXPECT_EQ(open_sealed(*other, k_vector_sealed).error().kind(), util::ErrorKind::corrupt);
}

TEST(ResticSeal, AKeyWithAnAllZeroPartIsInvalid) {
  auto key = vector_master_key();
  key.mac_k = crypto::SecretBytes(16);
  EXPECT_FALSE(key.valid());
  EXPECT_FALSE(seal(key, "x"));
}

}  // namespace
}  // namespace volback::restic
