// The read path's decryption stage: recognising encrypted streams by their first bytes,
// round trips of every method through make_encryptor and DecryptingSource, the identity
// given as --identity, and failures before any plaintext for a wrong or missing key.

#include <gtest/gtest.h>

#include <volback/crypto/decrypting_source.hpp>
#include <volback/crypto/encryption_settings.hpp>
#include <volback/crypto/test_support.hpp>
#include <volback/io/memory_sink.hpp>
#include <volback/io/memory_source.hpp>

namespace volback::crypto {
namespace {

using testing::age_tool_recipient;
using testing::pseudo_random;
using testing::read_all;
using testing::read_file;
using testing::testdata;

using Env = std::map<std::string, std::string, std::less<>>;

std::string encrypt_with_env(const Env& env, const std::string& plain) {
  util::MapSource source(env, "environment");
  const auto settings = parse_encryption_settings(util::Settings({&source}));
  EXPECT_TRUE(settings) << settings.error().message();
  io::MemorySink out;
  auto sink = make_encryptor(*settings, out);
  EXPECT_TRUE(sink->write(io::as_bytes(plain)));
  EXPECT_TRUE(sink->finish());
  return out.data();
}

util::Result<DecryptionKeys> keys(const Env& env, std::optional<std::string> identity = std::nullopt) {
  util::MapSource source(env, "environment");
  return DecryptionKeys::load(util::Settings({&source}), identity);
}

util::Result<std::string> decrypt(const std::string& data, const DecryptionKeys& k, Encryption expected) {
  io::MemorySource raw(data, 1500);
  VOLBACK_TRY_ASSIGN(auto source, DecryptingSource::open(raw, k));
  EXPECT_EQ(source->encryption(), expected);
  std::string out;
  VOLBACK_TRY(read_all(*source, out));
  return out;
}

TEST(RecogniseEncryption, ByTheFirstBytes) {
  EXPECT_EQ(recognise_encryption("age-encryption.org/v1\n-> X25519"), Encryption::age);
  EXPECT_EQ(recognise_encryption("\n-----BEGIN AGE ENCRYPTED FILE-----\n"), Encryption::age);
  EXPECT_EQ(recognise_encryption("-----BEGIN PGP MESSAGE-----\n"), Encryption::openpgp);
  EXPECT_EQ(recognise_encryption(read_file(testdata("gpg/sym.default.gpg")).substr(0, 64)), Encryption::openpgp);
  EXPECT_EQ(recognise_encryption(read_file(testdata("gpg/enc.rsa.gpg")).substr(0, 64)), Encryption::openpgp);
  EXPECT_EQ(recognise_encryption(std::string("\x1f\x8b\x08\x00", 4)), Encryption::none);  // gzip
  EXPECT_EQ(recognise_encryption(std::string("\x28\xb5\x2f\xfd", 4)), Encryption::none);  // zstd
  EXPECT_EQ(recognise_encryption("backup/app/file.txt"), Encryption::none);               // tar
  // A tar whose first name starts with "é" (0xC3 0xA9) is not an OpenPGP SKESK.
  EXPECT_EQ(recognise_encryption("\xc3\xa9t\xc3\xa9/file"), Encryption::none);
  EXPECT_EQ(recognise_encryption(""), Encryption::none);
}

TEST(DecryptingSource, PlainStreamsPassThrough) {
  const auto k = keys({});
  ASSERT_TRUE(k);
  EXPECT_EQ(decrypt("plain tar bytes", *k, Encryption::none), "plain tar bytes");
  EXPECT_EQ(decrypt("", *k, Encryption::none), "");
}

TEST(DecryptingSource, RoundTripsEveryMethod) {
  const std::string plain = pseudo_random(200000, 31);
  const Env gpg{{"GPG_PASSPHRASE", "gpg secret"}};
  EXPECT_EQ(decrypt(encrypt_with_env(gpg, plain), *keys(gpg), Encryption::openpgp), plain);
  const Env age{{"AGE_PASSPHRASE", "age secret"}};
  EXPECT_EQ(decrypt(encrypt_with_env(age, plain), *keys(age), Encryption::age), plain);

  const std::string ring = encrypt_with_env({{"GPG_PUBLIC_KEY_RING", read_file(testdata("gpg/both.pub.asc"))}}, plain);
  const auto rsa = keys(
    {{"GPG_SECRET_KEY_RING", read_file(testdata("gpg/rsa.sec.asc"))}, {"GPG_SECRET_KEY_PASSPHRASE", "key passphrase"}});
  ASSERT_TRUE(rsa) << rsa.error().message();
  EXPECT_EQ(decrypt(ring, *rsa, Encryption::openpgp), plain);
  const auto cv = keys({{"GPG_SECRET_KEY_PASSPHRASE", "key passphrase"}}, testdata("gpg/cv25519.sec.asc"));
  ASSERT_TRUE(cv) << cv.error().message();
  EXPECT_EQ(decrypt(ring, *cv, Encryption::openpgp), plain);

  const std::string recipients = encrypt_with_env(
    {{"AGE_PUBLIC_KEYS", age_tool_recipient() + "," + read_file(testdata("ssh/ed25519_encrypted.pub")) + "," +
                           read_file(testdata("ssh/rsa.pub"))}},
    plain);
  const auto x25519 = keys({}, testdata("agetool/x25519.txt"));
  ASSERT_TRUE(x25519);
  EXPECT_EQ(decrypt(recipients, *x25519, Encryption::age), plain);
  const auto ssh_rsa = keys({{"AGE_IDENTITY", read_file(testdata("ssh/rsa"))}});
  ASSERT_TRUE(ssh_rsa);
  EXPECT_EQ(decrypt(recipients, *ssh_rsa, Encryption::age), plain);
  const auto ssh_ed = keys({{"AGE_IDENTITY_PASSPHRASE", "volback passphrase"}}, testdata("ssh/ed25519_encrypted"));
  ASSERT_TRUE(ssh_ed);
  EXPECT_EQ(decrypt(recipients, *ssh_ed, Encryption::age), plain);
}

TEST(DecryptingSource, AWrongOrMissingKeyFailsAtOpenNamingTheSettings) {
  const std::string gpg = encrypt_with_env({{"GPG_PASSPHRASE", "right"}}, "data");
  const auto wrong = decrypt(gpg, *keys({{"GPG_PASSPHRASE", "wrong"}}), Encryption::openpgp);
  ASSERT_FALSE(wrong);
  EXPECT_EQ(wrong.error().kind(), util::ErrorKind::auth);
  EXPECT_NE(wrong.error().message().find("GPG_PASSPHRASE"), std::string::npos) << wrong.error().message();
  EXPECT_EQ(wrong.error().message().find("wrong\""), std::string::npos);

  const std::string age = encrypt_with_env({{"AGE_PUBLIC_KEYS", age_tool_recipient()}}, "data");
  const auto none = decrypt(age, *keys({}), Encryption::age);
  ASSERT_FALSE(none);
  EXPECT_EQ(none.error().kind(), util::ErrorKind::auth);
  EXPECT_NE(none.error().message().find("1 X25519"), std::string::npos) << none.error().message();
  EXPECT_NE(none.error().message().find("AGE_IDENTITY_FILE"), std::string::npos);

  // A protected identity without its passphrase: loading succeeds, decrypting fails (auth).
  const auto locked = keys({}, testdata("ssh/ed25519_encrypted"));
  ASSERT_TRUE(locked);
  const auto refused = decrypt(age, *locked, Encryption::age);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().kind(), util::ErrorKind::auth);
  EXPECT_NE(refused.error().message().find("AGE_IDENTITY_PASSPHRASE"), std::string::npos) << refused.error().message();
}

TEST(DecryptionKeys, AMalformedIdentityIsAConfigurationError) {
  const auto bad = keys({{"AGE_IDENTITY", "AGE-SECRET-KEY-1NOTAKEY"}});
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().kind(), util::ErrorKind::invalid_argument);
  EXPECT_NE(bad.error().message().find("AGE_IDENTITY"), std::string::npos) << bad.error().message();
  EXPECT_EQ(bad.error().message().find("NOTAKEY"), std::string::npos);
  const auto ring = keys({{"GPG_SECRET_KEY_RING", read_file(testdata("gpg/rsa.pub.asc"))}});
  ASSERT_FALSE(ring);
  EXPECT_NE(ring.error().message().find("GPG_SECRET_KEY_RING"), std::string::npos) << ring.error().message();
  const auto missing = keys({}, "/nonexistent/identity");
  ASSERT_FALSE(missing);
  EXPECT_NE(missing.error().message().find("--identity /nonexistent/identity"), std::string::npos);
}

TEST(DecryptingSource, DamageInsideIsCorruption) {
  const std::string plain = pseudo_random(300000, 32);
  const Env gpg{{"GPG_PASSPHRASE", "p"}};
  const Env age{{"AGE_PUBLIC_KEYS", age_tool_recipient()}};
  for (const Env& env : {gpg, age}) {
    std::string data = encrypt_with_env(env, plain);
    data[data.size() / 2] = static_cast<char>(data[data.size() / 2] ^ 4);
    const auto k = env == gpg ? keys(env) : keys({}, testdata("agetool/x25519.txt"));
    io::MemorySource raw(data);
    auto source = DecryptingSource::open(raw, *k);
    ASSERT_TRUE(source) << source.error().message();
    std::string out;
    const auto read = read_all(**source, out);
    ASSERT_FALSE(read);
    EXPECT_EQ(read.error().kind(), util::ErrorKind::corrupt) << read.error().message();
  }
}

}  // namespace
}  // namespace volback::crypto
