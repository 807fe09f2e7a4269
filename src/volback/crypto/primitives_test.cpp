// CfbCipher against OpenSSL's own CFB: encryption runs on CBC (see primitives.cpp), so its
// output must equal EVP's CFB128 byte for byte, for every cipher and every way of cutting
// the stream into calls, in place or not.

#include <openssl/evp.h>

#include <gtest/gtest.h>

#include <volback/crypto/primitives.hpp>
#include <volback/crypto/test_support.hpp>

namespace volback::crypto {
namespace {

using testing::pseudo_random;

// The reference: one EVP CFB128 call over the whole buffer.
std::string openssl_cfb(const EVP_CIPHER* evp, const std::string& key, const std::string& iv, const std::string& in) {
  std::string out(in.size(), '\0');
  EVP_CIPHER_CTX* ctx = EVP_CIPHER_CTX_new();
  int len = 0;
  EXPECT_EQ(EVP_EncryptInit_ex(ctx, evp, nullptr, as_uchars(key).data(), as_uchars(iv).data()), 1);
  EXPECT_EQ(EVP_EncryptUpdate(ctx, reinterpret_cast<unsigned char*>(out.data()), &len, as_uchars(in).data(),
                              static_cast<int>(in.size())),
            1);
  EVP_CIPHER_CTX_free(ctx);
  return out;
}

// `in` cut into calls of the sizes in `cuts` (repeated), in place or into a second buffer.
std::string cfb_in_calls(Cipher cipher, CfbCipher::Direction direction, const std::string& key, const std::string& iv,
                         const std::string& in, const std::vector<std::size_t>& cuts, bool in_place) {
  auto cfb = CfbCipher::create(cipher, as_uchars(key), as_uchars(iv), direction);
  EXPECT_TRUE(cfb);
  std::string out = in_place ? in : std::string(in.size(), '\0');
  for (std::size_t at = 0, k = 0; at < in.size(); ++k) {
    const std::size_t n = std::min(cuts[k % cuts.size()], in.size() - at);
    const auto* src = in_place ? reinterpret_cast<const unsigned char*>(out.data() + at) : as_uchars(in).data() + at;
    auto* dst = reinterpret_cast<unsigned char*>(out.data() + at);
    EXPECT_TRUE(cfb->update({src, n}, {dst, n}));
    at += n;
  }
  return out;
}

TEST(CfbCipher, EncryptionEqualsOpenSslCfbForEveryCipherAndCut) {
  const std::string plain = pseudo_random(100'003, 1);
  const std::string iv = pseudo_random(k_block_size, 2);
  struct Case {
    Cipher cipher;
    const EVP_CIPHER* evp;
  };
  for (const auto& c :
       {Case{Cipher::aes128, EVP_aes_128_cfb128()}, Case{Cipher::aes192, EVP_aes_192_cfb128()},
        Case{Cipher::aes256, EVP_aes_256_cfb128()}, Case{Cipher::camellia256, EVP_camellia_256_cfb128()}}) {
    const std::string key = pseudo_random(key_size(c.cipher), 3);
    const std::string expected = openssl_cfb(c.evp, key, iv, plain);
    // Whole buffers, one byte at a time, around the block size, around the chunk of 8 KiB,
    // and OpenPGP's pattern (a header byte, then 64 KiB).
    for (const auto& cuts : std::vector<std::vector<std::size_t>>{
           {plain.size()}, {1}, {15, 16, 17}, {3, 8192, 8193, 8191, 40000}, {1, 65536}, {0, 5, 0, 33}}) {
      for (const bool in_place : {false, true}) {
        const std::string cipher =
          cfb_in_calls(c.cipher, CfbCipher::Direction::encrypt, key, iv, plain, cuts, in_place);
        ASSERT_EQ(cipher, expected) << "cut " << cuts.front() << (in_place ? " in place" : "");
        EXPECT_EQ(cfb_in_calls(c.cipher, CfbCipher::Direction::decrypt, key, iv, cipher, cuts, in_place), plain);
      }
    }
  }
}

}  // namespace
}  // namespace volback::crypto
