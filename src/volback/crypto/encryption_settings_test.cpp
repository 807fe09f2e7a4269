// The encryption settings: one method at most, every key parsed at once, and errors that
// name the variable and the key's position and type but never its content.

#include <gtest/gtest.h>

#include <volback/crypto/encryption_settings.hpp>
#include <volback/crypto/test_support.hpp>

namespace volback::crypto {
namespace {

using testing::age_tool_recipient;
using testing::read_file;
using testing::testdata;

util::Result<EncryptionSettings> parse(std::map<std::string, std::string, std::less<>> env) {
  util::MapSource source(std::move(env), "environment");
  util::Settings settings({&source});
  return parse_encryption_settings(settings);
}

TEST(EncryptionSettings, NoneByDefault) {
  const auto none = parse({});
  ASSERT_TRUE(none);
  EXPECT_EQ(none->method, EncryptionMethod::none);
  EXPECT_EQ(none->extension(), "");
}

TEST(EncryptionSettings, EachMethodAndItsExtension) {
  const auto gpg = parse({{"GPG_PASSPHRASE", "secret"}});
  ASSERT_TRUE(gpg);
  EXPECT_EQ(gpg->method, EncryptionMethod::gpg_passphrase);
  EXPECT_EQ(gpg->extension(), "gpg");
  EXPECT_EQ(gpg->content_type(), "application/pgp-encrypted");

  const auto ring = parse({{"GPG_PUBLIC_KEY_RING", read_file(testdata("gpg/both.pub.asc"))}});
  ASSERT_TRUE(ring) << ring.error().message();
  EXPECT_EQ(ring->method, EncryptionMethod::gpg_public_keys);
  EXPECT_EQ(ring->gpg->recipients.size(), 2u);
  EXPECT_NE(ring->describe().find("RSA 2048"), std::string::npos) << ring->describe();

  const auto age = parse({{"AGE_PASSPHRASE", "secret"}});
  ASSERT_TRUE(age);
  EXPECT_EQ(age->method, EncryptionMethod::age_passphrase);
  EXPECT_EQ(age->extension(), "age");

  const std::string keys =
    age_tool_recipient() + ", " + read_file(testdata("ssh/ed25519.pub")) + "," + read_file(testdata("ssh/rsa.pub"));
  const auto recipients = parse({{"AGE_PUBLIC_KEYS", keys}});
  ASSERT_TRUE(recipients) << recipients.error().message();
  EXPECT_EQ(recipients->age.size(), 3u);
  EXPECT_EQ(recipients->describe(), "age to 3 recipients (1 X25519, 1 ssh-ed25519, 1 ssh-rsa)");
}

TEST(EncryptionSettings, TwoMethodsAreAConfigurationError) {
  const auto both = parse({{"GPG_PASSPHRASE", "a"}, {"AGE_PASSPHRASE", "b"}});
  ASSERT_FALSE(both);
  EXPECT_EQ(both.error().kind(), util::ErrorKind::invalid_argument);
  EXPECT_NE(both.error().message().find("GPG_PASSPHRASE and AGE_PASSPHRASE"), std::string::npos)
    << both.error().message();
  EXPECT_EQ(both.error().message().find("\"a\""), std::string::npos);
  EXPECT_FALSE(parse({{"AGE_PUBLIC_KEYS", age_tool_recipient()}, {"AGE_PASSPHRASE", "b"}}));
}

TEST(EncryptionSettings, AMalformedRecipientIsNamedByPositionAndType) {
  std::string damaged = age_tool_recipient();
  damaged[12] = damaged[12] == 'q' ? 'p' : 'q';
  const auto bad_age = parse({{"AGE_PUBLIC_KEYS", age_tool_recipient() + "," + damaged}});
  ASSERT_FALSE(bad_age);
  EXPECT_EQ(bad_age.error().kind(), util::ErrorKind::invalid_argument);
  EXPECT_NE(bad_age.error().message().find("AGE_PUBLIC_KEYS: recipient 2 of 2 (X25519)"), std::string::npos)
    << bad_age.error().message();
  EXPECT_EQ(bad_age.error().message().find(damaged.substr(5, 20)), std::string::npos);

  const std::string small = read_file(testdata("ssh/rsa_1024.pub"));
  const auto weak = parse({{"AGE_PUBLIC_KEYS", small}});
  ASSERT_FALSE(weak);
  EXPECT_NE(weak.error().message().find("recipient 1 of 1 (ssh-rsa)"), std::string::npos) << weak.error().message();
  EXPECT_EQ(weak.error().message().find(small.substr(20, 30)), std::string::npos);

  const auto unknown = parse({{"AGE_PUBLIC_KEYS", "ecdsa-sha2-nistp256 AAAA"}});
  ASSERT_FALSE(unknown);
  EXPECT_NE(unknown.error().message().find("(unknown)"), std::string::npos) << unknown.error().message();

  const auto ring = parse(
    {{"GPG_PUBLIC_KEY_RING", read_file(testdata("gpg/rsa.pub.asc")) + read_file(testdata("gpg/signonly.pub.asc"))}});
  ASSERT_FALSE(ring);
  EXPECT_NE(ring.error().message().find("GPG_PUBLIC_KEY_RING: key 2 (EdDSA)"), std::string::npos)
    << ring.error().message();
  EXPECT_FALSE(parse({{"GPG_PUBLIC_KEY_RING", "not a key"}}));
}

}  // namespace
}  // namespace volback::crypto
