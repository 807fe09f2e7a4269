// OpenPGP: keys, messages and armor that GnuPG 2.2 made (testdata/gpg, keys with the
// passphrase "key passphrase", messages "hello from gpg\n"), round trips through volback's
// writer and reader across partial-length boundaries, and damage.

#include <gtest/gtest.h>

#include <volback/crypto/pgp_armor.hpp>
#include <volback/crypto/pgp_keys.hpp>
#include <volback/crypto/pgp_packet.hpp>
#include <volback/crypto/pgp_stream.hpp>
#include <volback/crypto/test_support.hpp>
#include <volback/io/memory_sink.hpp>
#include <volback/io/memory_source.hpp>

namespace volback::crypto {
namespace {

using testing::pseudo_random;
using testing::read_all;
using testing::read_file;
using testing::testdata;

const std::string k_plain = "hello from gpg\n";
const std::string k_key_passphrase = "key passphrase";

std::string gpg(const std::string& name) {
  return read_file(testdata("gpg/" + name));
}

std::vector<PgpSecretKey> secret_ring(const std::string& name) {
  auto keys = parse_pgp_secret_key_ring(gpg(name));
  EXPECT_TRUE(keys) << keys.error().message();
  return keys ? *keys : std::vector<PgpSecretKey>{};
}

PgpDecryptionKeys with_passphrase(const std::string& passphrase) {
  PgpDecryptionKeys keys;
  keys.passphrase = SecretBytes(passphrase);
  return keys;
}

PgpDecryptionKeys with_secret(const std::string& ring, std::optional<std::string> passphrase = k_key_passphrase) {
  PgpDecryptionKeys keys;
  keys.secret_keys = secret_ring(ring);
  if (passphrase) {
    keys.secret_key_passphrase = SecretBytes(*passphrase);
  }
  return keys;
}

util::Result<std::string> decrypt(const std::string& message, const PgpDecryptionKeys& keys, bool armored = false,
                                  std::size_t read_size = 6000) {
  io::MemorySource raw(message, 2222);
  std::optional<PgpArmorSource> armor;
  io::Source* in = &raw;
  if (armored) {
    armor.emplace(raw);
    in = &*armor;
  }
  VOLBACK_TRY_ASSIGN(auto source, PgpDecryptSource::open(*in, keys));
  std::string out;
  VOLBACK_TRY(read_all(*source, out, read_size));
  return out;
}

std::string encrypt(PgpEncryption encryption, const std::string& plain, std::size_t piece = 10000) {
  io::MemorySink out;
  auto sink = make_pgp_encryptor(std::move(encryption), out);
  for (std::size_t at = 0; at < plain.size(); at += piece) {
    EXPECT_TRUE(sink->write(io::as_bytes(std::string_view(plain).substr(at, piece))));
  }
  EXPECT_TRUE(sink->finish());
  EXPECT_TRUE(out.finished());
  return out.data();
}

TEST(PgpArmor, DecodesGnuPgArmorAndChecksItsCrc) {
  const auto binary = dearmor_all(gpg("rsa.pub.asc"));
  ASSERT_TRUE(binary) << binary.error().message();
  EXPECT_EQ(static_cast<unsigned char>((*binary)[0]) & 0x80, 0x80);
  std::string damaged = gpg("rsa.pub.asc");
  const auto at = damaged.find("\n\n") + 10;
  damaged[at] = damaged[at] == 'A' ? 'B' : 'A';
  const auto refused = dearmor_all(damaged);
  ASSERT_FALSE(refused);
  EXPECT_NE(refused.error().message().find("CRC-24"), std::string::npos) << refused.error().message();
  EXPECT_FALSE(dearmor_all("no armor here"));
  EXPECT_FALSE(dearmor_all(gpg("rsa.pub.asc").substr(0, 300)));
  // Two blocks one after the other are one ring.
  const auto two = dearmor_all(gpg("rsa.pub.asc") + gpg("cv25519.pub.asc"));
  ASSERT_TRUE(two);
  EXPECT_EQ(two->size(), dearmor_all(gpg("rsa.pub.asc"))->size() + dearmor_all(gpg("cv25519.pub.asc"))->size());
}

TEST(PgpKeys, PicksTheEncryptionSubkeyOfEveryKey) {
  const auto rsa = parse_pgp_public_key_ring(gpg("rsa.pub.asc"));
  ASSERT_TRUE(rsa) << rsa.error().message();
  ASSERT_EQ(rsa->size(), 1u);
  EXPECT_EQ((*rsa)[0].describe(), "RSA 2048");
  const auto cv = parse_pgp_public_key_ring(gpg("cv25519.pub.asc"));
  ASSERT_TRUE(cv) << cv.error().message();
  EXPECT_EQ((*cv)[0].describe(), "ECDH cv25519");
  const auto both = parse_pgp_public_key_ring(gpg("both.pub.asc"));
  ASSERT_TRUE(both);
  ASSERT_EQ(both->size(), 2u);
  EXPECT_EQ((*both)[0].key_id, (*rsa)[0].key_id);
  EXPECT_EQ((*both)[1].key_id, (*cv)[0].key_id);
  // The subkeys, not the signing primary keys: the ones gpg encrypted the test messages to.
  EXPECT_EQ(format_key_id((*cv)[0].key_id).size(), 18u);
}

TEST(PgpKeys, NamesTheKeyAndItsTypeWhenItCannotEncrypt) {
  const auto sign_only = parse_pgp_public_key_ring(gpg("rsa.pub.asc") + gpg("signonly.pub.asc"));
  ASSERT_FALSE(sign_only);
  EXPECT_EQ(sign_only.error().kind(), util::ErrorKind::invalid_argument);
  EXPECT_NE(sign_only.error().message().find("key 2 (EdDSA)"), std::string::npos) << sign_only.error().message();
  const auto secret = parse_pgp_public_key_ring(gpg("rsa.sec.asc"));
  ASSERT_FALSE(secret);
  EXPECT_NE(secret.error().message().find("secret key"), std::string::npos) << secret.error().message();
  EXPECT_FALSE(
    parse_pgp_public_key_ring("-----BEGIN PGP PUBLIC KEY BLOCK-----\n\nAAAA\n-----END PGP PUBLIC KEY BLOCK-----\n"));
}

TEST(PgpKeys, UnlocksSecretKeysWithTheirPassphrase) {
  for (const std::string name : {"rsa.sec.asc", "cv25519.sec.asc"}) {
    const auto keys = secret_ring(name);
    ASSERT_FALSE(keys.empty());
    for (const auto& key : keys) {
      EXPECT_EQ(key.unlock(std::nullopt).error().kind(), util::ErrorKind::auth);
      const auto wrong = key.unlock("wrong");
      ASSERT_FALSE(wrong);
      EXPECT_EQ(wrong.error().kind(), util::ErrorKind::auth);
      EXPECT_NE(wrong.error().message().find("wrong"), std::string::npos);
      EXPECT_TRUE(key.unlock(k_key_passphrase)) << name;
    }
  }
  for (const auto& key : secret_ring("nopass.sec.asc")) {
    EXPECT_TRUE(key.unlock(std::nullopt));
  }
}

TEST(PgpDecrypt, ReadsWhatGnuPgWrote) {
  const auto passphrase = with_passphrase("message passphrase");
  EXPECT_EQ(decrypt(gpg("sym.default.gpg"), passphrase), k_plain);  // ZIP-compressed
  EXPECT_EQ(decrypt(gpg("sym.zlib.gpg"), passphrase), k_plain);
  EXPECT_EQ(decrypt(gpg("sym.aes128.gpg"), passphrase), k_plain);
  EXPECT_EQ(decrypt(gpg("enc.rsa.gpg"), with_secret("rsa.sec.asc")), k_plain);
  EXPECT_EQ(decrypt(gpg("enc.cv25519.gpg"), with_secret("cv25519.sec.asc")), k_plain);
  EXPECT_EQ(decrypt(gpg("enc.both.asc"), with_secret("rsa.sec.asc"), true), k_plain);
  EXPECT_EQ(decrypt(gpg("enc.both.asc"), with_secret("cv25519.sec.asc"), true), k_plain);
  EXPECT_EQ(decrypt(gpg("enc.nopass.gpg"), with_secret("nopass.sec.asc", std::nullopt)), k_plain);
  EXPECT_EQ(decrypt(gpg("enc.signed.gpg"), with_secret("cv25519.sec.asc")), k_plain);  // signature skipped
}

TEST(PgpDecrypt, AWrongOrMissingSecretIsAnAuthErrorAtOpen) {
  const auto wrong = decrypt(gpg("sym.default.gpg"), with_passphrase("wrong"));
  ASSERT_FALSE(wrong);
  EXPECT_EQ(wrong.error().kind(), util::ErrorKind::auth);
  EXPECT_NE(wrong.error().message().find("passphrase is wrong"), std::string::npos) << wrong.error().message();

  const auto other_key = decrypt(gpg("enc.rsa.gpg"), with_secret("cv25519.sec.asc"));
  ASSERT_FALSE(other_key);
  EXPECT_EQ(other_key.error().kind(), util::ErrorKind::auth);
  const auto rsa_id = format_key_id((*parse_pgp_public_key_ring(gpg("rsa.pub.asc")))[0].key_id);
  EXPECT_NE(other_key.error().message().find(rsa_id), std::string::npos) << other_key.error().message();

  const auto no_passphrase = decrypt(gpg("enc.rsa.gpg"), with_secret("rsa.sec.asc", std::nullopt));
  ASSERT_FALSE(no_passphrase);
  EXPECT_EQ(no_passphrase.error().kind(), util::ErrorKind::auth);
  EXPECT_NE(no_passphrase.error().message().find("GPG_SECRET_KEY_PASSPHRASE"), std::string::npos);

  const auto nothing = decrypt(gpg("enc.rsa.gpg"), PgpDecryptionKeys{});
  ASSERT_FALSE(nothing);
  EXPECT_EQ(nothing.error().kind(), util::ErrorKind::auth);
}

class PgpRoundTrip : public ::testing::TestWithParam<std::size_t> {};

TEST_P(PgpRoundTrip, AcrossPartialLengthBoundaries) {
  const std::string plain = pseudo_random(GetParam(), 21);
  PgpEncryption symmetric;
  symmetric.passphrase = SecretBytes(std::string_view("round trip"));
  for (const std::size_t piece : {std::size_t{1} << 20, std::size_t{65536}, std::size_t{999}}) {
    const auto back = decrypt(encrypt(symmetric, plain, piece), with_passphrase("round trip"));
    ASSERT_TRUE(back) << back.error().message();
    EXPECT_EQ(*back, plain);
  }
  PgpEncryption public_keys;
  public_keys.recipients = *parse_pgp_public_key_ring(gpg("both.pub.asc"));
  const std::string message = encrypt(public_keys, plain);
  EXPECT_EQ(decrypt(message, with_secret("rsa.sec.asc")), plain);
  EXPECT_EQ(decrypt(message, with_secret("cv25519.sec.asc")), plain);
}

// The literal body holds 6 bytes of fields before the data: sizes around 64 KiB - 6 too.
INSTANTIATE_TEST_SUITE_P(Sizes, PgpRoundTrip,
                         ::testing::Values(0, 1, 65530, 65531, 65536, 65537, 3 * 65536 + 7, 400000));

TEST(PgpDecrypt, DamageFailsAndNeverEndsCleanly) {
  const std::string plain = pseudo_random(300000, 22);
  PgpEncryption symmetric;
  symmetric.passphrase = SecretBytes(std::string_view("damage"));
  const std::string message = encrypt(symmetric, plain);
  const auto keys = with_passphrase("damage");
  for (const std::size_t at : {std::size_t{100}, message.size() / 2, message.size() - 30, message.size() - 1}) {
    std::string damaged = message;
    damaged[at] = static_cast<char>(damaged[at] ^ 0x10);
    const auto back = decrypt(damaged, keys);
    ASSERT_FALSE(back) << "flipped byte " << at;
    EXPECT_EQ(back.error().kind(), util::ErrorKind::corrupt) << back.error().message();
  }
  for (const std::size_t cut :
       {std::size_t{20}, std::size_t{60}, message.size() / 3, message.size() - 22, message.size() - 1}) {
    const auto back = decrypt(message.substr(0, cut), keys);
    ASSERT_FALSE(back) << "cut at " << cut;
    EXPECT_EQ(back.error().kind(), util::ErrorKind::corrupt) << back.error().message();
  }
  const auto trailing = decrypt(message + "\xC2\x00", keys);
  ASSERT_FALSE(trailing);
  EXPECT_EQ(trailing.error().kind(), util::ErrorKind::corrupt);
}

TEST(PgpPacket, WritesGnuPgsLengthEncodings) {
  std::string out;
  put_length(out, 100);
  put_length(out, 1000);
  put_length(out, 100000);
  EXPECT_EQ(testing::sha256_hex(out).size(), 64u);
  EXPECT_EQ(out, std::string("\x64\xC3\x28\xFF\x00\x01\x86\xA0", 8));
  std::string mpi;
  put_mpi(mpi, std::string("\x00\x01\x00", 3));
  EXPECT_EQ(mpi, std::string("\x00\x09\x01\x00", 4));
}

}  // namespace
}  // namespace volback::crypto
