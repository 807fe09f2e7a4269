#include <volback/storage/sftp/rsa_key.hpp>

#include <openssl/evp.h>
#include <openssl/pem.h>

#include <gtest/gtest.h>

#include <volback/storage/digest.hpp>

namespace volback::storage::sftp {
namespace {

// A throw-away 1024-bit key made with `ssh-keygen -t rsa -b 1024` (OpenSSH format), the
// same key in PEM (`ssh-keygen -p -m PEM`), and its public key as ssh-keygen wrote it.
constexpr std::string_view k_openssh =
  "-----BEGIN OPENSSH PRIVATE KEY-----\n"
  "b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAlwAAAAdzc2gtcn\n"
  "NhAAAAAwEAAQAAAIEA5Ie7xzwEfRPLt5mBioEn093la97xME1sURCgvzi9arCgejlF5+SV\n"
  "XXJWfeUIwlj02ln+QVp87nSZNz7jv8ZBXk2c6SOWQ6K0JuS+3DY5XouvpT5xRIQjUP96Gp\n"
  "zcQ34ZIvYodX9MWhfBR3qTe3UnDFCfvzRh/tdmkGthocyw5CkAAAH4TdcNeE3XDXgAAAAH\n"
  "c3NoLXJzYQAAAIEA5Ie7xzwEfRPLt5mBioEn093la97xME1sURCgvzi9arCgejlF5+SVXX\n"
  "JWfeUIwlj02ln+QVp87nSZNz7jv8ZBXk2c6SOWQ6K0JuS+3DY5XouvpT5xRIQjUP96Gpzc\n"
  "Q34ZIvYodX9MWhfBR3qTe3UnDFCfvzRh/tdmkGthocyw5CkAAAADAQABAAAAgFJrcZnFV4\n"
  "kUnqA0yLd/JTIQETH6Udot0ibabF8Kw6W61eW+yit8ETKGjhMRizssggJN+pjvXadSff+i\n"
  "utjrU59UgX2Td3OHyjl/Q1PNswlhCjOH03R2rkOPrB6EYzaHKAPxOGK8sv2f1QT6hLp8BU\n"
  "drleS69/0faSxUJ9eLJ11RAAAAQH075IbWqztEoYFuIIVVKl+CDK5EO6mZP3UYLQpfbhp3\n"
  "GgbwND4y33GgFTc4wycO/Y3pW8DF2NeZ63jF0XXU3GUAAABBAP7gLjuG/1c3nch6/Vd0as\n"
  "YjFbPOXWuvnWVjR6se3/NIIWooCOnb1KO8+k6egkwtIoHRk6lmhXUwdGZR2KRohFsAAABB\n"
  "AOWJzVoes22xdphV3CxJv952+rPZJBJ8sEnQUAOzTl/l/AgIsw9KXwmr9J97nNQ8z6yb0x\n"
  "EEqGV6poLqUGGy0MsAAAAAAQID\n"
  "-----END OPENSSH PRIVATE KEY-----\n";
constexpr std::string_view k_pem =
  "-----BEGIN RSA PRIVATE KEY-----\n"
  "MIICWwIBAAKBgQDkh7vHPAR9E8u3mYGKgSfT3eVr3vEwTWxREKC/OL1qsKB6OUXn\n"
  "5JVdclZ95QjCWPTaWf5BWnzudJk3PuO/xkFeTZzpI5ZDorQm5L7cNjlei6+lPnFE\n"
  "hCNQ/3oanNxDfhki9ih1f0xaF8FHepN7dScMUJ+/NGH+12aQa2GhzLDkKQIDAQAB\n"
  "AoGAUmtxmcVXiRSeoDTIt38lMhARMfpR2i3SJtpsXwrDpbrV5b7KK3wRMoaOExGL\n"
  "OyyCAk36mO9dp1J9/6K62OtTn1SBfZN3c4fKOX9DU82zCWEKM4fTdHauQ4+sHoRj\n"
  "NocoA/E4Yryy/Z/VBPqEunwFR2uV5Lr3/R9pLFQn14snXVECQQD+4C47hv9XN53I\n"
  "ev1XdGrGIxWzzl1rr51lY0erHt/zSCFqKAjp29SjvPpOnoJMLSKB0ZOpZoV1MHRm\n"
  "UdikaIRbAkEA5YnNWh6zbbF2mFXcLEm/3nb6s9kkEnywSdBQA7NOX+X8CAizD0pf\n"
  "Cav0n3uc1DzPrJvTEQSoZXqmgupQYbLQywJACHpkj05aSAhtkzGkI7iXpKeeHTEM\n"
  "Inzg+3Jl++c3A9yuX92dDkpltFyg5uSW6PnHYBIcm1Hxtog6Fv05+54OaQJAHC40\n"
  "5fGK+dalxsITy+QqCDf3Q4lPIm3ofsdya2HiJ2fm712SDjiFPny8BbB5ap0kqf5f\n"
  "hWFbA0pxkvUNdVEszQJAfTvkhtarO0ShgW4ghVUqX4IMrkQ7qZk/dRgtCl9uGnca\n"
  "BvA0PjLfcaAVNzjDJw79jelbwMXY15nreMXRddTcZQ==\n"
  "-----END RSA PRIVATE KEY-----\n";
constexpr std::string_view k_public =
  "AAAAB3NzaC1yc2EAAAADAQABAAAAgQDkh7vHPAR9E8u3mYGKgSfT3eVr3vEwTWxREKC/OL1qsKB6OUXn5JVdclZ95QjCWPTaWf5BWnzudJk3PuO/"
  "xkFeTZzpI5ZDorQm5L7cNjlei6+lPnFEhCNQ/3oanNxDfhki9ih1f0xaF8FHepN7dScMUJ+/NGH+12aQa2GhzLDkKQ==";

std::string blob_b64(const RsaKey& key, std::string_view name) {
  return to_base64(key.public_blob(name));
}

TEST(RsaKey, ReadsBothFormatsAsTheSameKey) {
  for (const auto text : {k_openssh, k_pem}) {
    auto key = RsaKey::parse(text, "");
    ASSERT_TRUE(key) << key.error().message();
    ASSERT_TRUE(key->has_value());
    EXPECT_EQ(blob_b64(**key, "ssh-rsa"), k_public);
  }
}

TEST(RsaKey, SignsWithSha512AsThePublicKeyVerifies) {
  auto key = RsaKey::parse(k_pem, "");
  ASSERT_TRUE(key && key->has_value());
  const std::string message = "session id and userauth request";
  const std::span<const unsigned char> data(reinterpret_cast<const unsigned char*>(message.data()), message.size());
  auto signature = (*key)->sign_sha512(data);
  ASSERT_TRUE(signature);
  EXPECT_EQ(signature->size(), 128u);
  std::unique_ptr<BIO, decltype(&BIO_free)> bio(BIO_new_mem_buf(k_pem.data(), static_cast<int>(k_pem.size())),
                                                &BIO_free);
  std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)> pkey(
    PEM_read_bio_PrivateKey(bio.get(), nullptr, nullptr, nullptr), &EVP_PKEY_free);
  std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> ctx(EVP_MD_CTX_new(), &EVP_MD_CTX_free);
  ASSERT_EQ(EVP_DigestVerifyInit(ctx.get(), nullptr, EVP_sha512(), nullptr, pkey.get()), 1);
  EXPECT_EQ(EVP_DigestVerify(ctx.get(), signature->data(), signature->size(), data.data(), data.size()), 1);
}

TEST(RsaKey, OtherKeysAreLeftToLibssh2) {
  constexpr std::string_view ed25519 =
    "-----BEGIN OPENSSH PRIVATE KEY-----\n"
    "b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAMwAAAAtzc2gtZW\n"
    "-----END OPENSSH PRIVATE KEY-----\n";
  auto key = RsaKey::parse(ed25519, "");
  ASSERT_TRUE(key);
  EXPECT_FALSE(key->has_value());
  auto garbage = RsaKey::parse("not a key", "");
  ASSERT_TRUE(garbage);
  EXPECT_FALSE(garbage->has_value());
}

}  // namespace
}  // namespace volback::storage::sftp
