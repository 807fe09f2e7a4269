// SSH keys made by ssh-keygen (testdata/ssh) and files the age tool encrypted to them and
// to an X25519 key (testdata/agetool), decrypted here; and the errors for malformed keys.

#include <gtest/gtest.h>

#include <volback/crypto/age_armor.hpp>
#include <volback/crypto/age_keys.hpp>
#include <volback/crypto/age_stream.hpp>
#include <volback/crypto/ssh_keys.hpp>
#include <volback/crypto/test_support.hpp>
#include <volback/io/memory_source.hpp>

namespace volback::crypto {
namespace {

using testing::read_all;
using testing::read_file;
using testing::testdata;

std::string ssh(const std::string& name) {
  return read_file(testdata("ssh/" + name));
}

util::Result<std::string> decrypt_testdata(const std::string& file, const AgeIdentities& identities,
                                           bool armored = false) {
  io::MemorySource raw(read_file(testdata(file)));
  std::optional<AgeArmorSource> armor;
  io::Source* in = &raw;
  if (armored) {
    armor.emplace(raw);
    in = &*armor;
  }
  VOLBACK_TRY_ASSIGN(auto source, AgeDecryptSource::open(*in, identities));
  std::string out;
  VOLBACK_TRY(read_all(*source, out));
  return out;
}

TEST(SshKeys, ParsesPublicKeys) {
  const auto ed = parse_ssh_public_key(ssh("ed25519.pub"));
  ASSERT_TRUE(ed) << ed.error().message();
  EXPECT_EQ(ed->type, SshKeyType::ed25519);
  const auto rsa = parse_ssh_public_key(ssh("rsa.pub"));
  ASSERT_TRUE(rsa) << rsa.error().message();
  EXPECT_EQ(rsa->type, SshKeyType::rsa);
  EXPECT_EQ(rsa->rsa->bits(), 2048u);
}

TEST(SshKeys, RefusesMalformedPublicKeysWithoutQuotingThem) {
  const std::string key = ssh("ed25519.pub");
  const std::string damaged = key.substr(0, 30) + "!" + key.substr(31);
  for (const std::string& bad : {damaged, std::string("ssh-ed25519"), std::string("ssh-dss AAAAB3NzaC1kc3M= x"),
                                 "ssh-rsa " + key.substr(12), ssh("rsa_1024.pub")}) {
    const auto parsed = parse_ssh_public_key(bad);
    ASSERT_FALSE(parsed) << bad;
    EXPECT_EQ(parsed.error().kind(), util::ErrorKind::invalid_argument);
    EXPECT_EQ(parsed.error().message().find(key.substr(12, 20)), std::string::npos);
  }
  EXPECT_NE(parse_ssh_public_key(ssh("rsa_1024.pub")).error().message().find("1024 bits"), std::string::npos);
}

TEST(SshKeys, ParsesPrivateKeysWithAndWithoutPassphrase) {
  for (const std::string name : {"ed25519", "rsa", "rsa_pem"}) {
    const auto key = parse_ssh_private_key(ssh(name), std::nullopt);
    ASSERT_TRUE(key) << name << ": " << key.error().message();
    const auto pub = parse_ssh_public_key(ssh(name + ".pub"));
    EXPECT_EQ(key->public_wire, pub->wire) << name;
  }
  for (const std::string name : {"ed25519_encrypted", "rsa_encrypted"}) {
    const auto missing = parse_ssh_private_key(ssh(name), std::nullopt);
    ASSERT_FALSE(missing);
    EXPECT_EQ(missing.error().kind(), util::ErrorKind::auth);
    const auto wrong = parse_ssh_private_key(ssh(name), "not the passphrase");
    ASSERT_FALSE(wrong);
    EXPECT_EQ(wrong.error().kind(), util::ErrorKind::auth);
    EXPECT_NE(wrong.error().message().find("wrong"), std::string::npos);
    const auto key = parse_ssh_private_key(ssh(name), "volback passphrase");
    ASSERT_TRUE(key) << name << ": " << key.error().message();
    EXPECT_EQ(key->public_wire, parse_ssh_public_key(ssh(name + ".pub"))->wire);
  }
}

TEST(AgeTool, DecryptsWhatAgeEncryptedToSshKeys) {
  auto ed = parse_age_identities(ssh("ed25519"), std::nullopt);
  ASSERT_TRUE(ed) << ed.error().message();
  EXPECT_EQ(decrypt_testdata("ssh/plain.ed25519.age", *ed), "hello from age\n");
  auto rsa = parse_age_identities(ssh("rsa"), std::nullopt);
  ASSERT_TRUE(rsa) << rsa.error().message();
  EXPECT_EQ(decrypt_testdata("ssh/plain.rsa.age", *rsa), "hello from age\n");
  // The file for two keys opens with either; the ed25519 identity does not open the RSA file.
  auto ed_encrypted = parse_age_identities(ssh("ed25519_encrypted"), "volback passphrase");
  auto rsa_encrypted = parse_age_identities(ssh("rsa_encrypted"), "volback passphrase");
  ASSERT_TRUE(ed_encrypted && rsa_encrypted);
  EXPECT_EQ(decrypt_testdata("ssh/plain.both.age", *ed_encrypted), "hello from age\n");
  EXPECT_EQ(decrypt_testdata("ssh/plain.both.age", *rsa_encrypted), "hello from age\n");
  const auto none = decrypt_testdata("ssh/plain.rsa.age", *ed);
  ASSERT_FALSE(none);
  EXPECT_EQ(none.error().kind(), util::ErrorKind::auth);
  EXPECT_NE(none.error().message().find("1 ssh-rsa"), std::string::npos) << none.error().message();
}

TEST(AgeTool, DecryptsX25519AndArmoredFilesAndEncryptedIdentities) {
  auto identities = parse_age_identities(read_file(testdata("agetool/x25519.txt")), std::nullopt);
  ASSERT_TRUE(identities) << identities.error().message();
  EXPECT_EQ(decrypt_testdata("agetool/plain.x25519.age", *identities), "hello from age\n");
  EXPECT_EQ(decrypt_testdata("agetool/plain.x25519.armored.age", *identities, true), "hello from age\n");

  const std::string encrypted = read_file(testdata("agetool/x25519.txt.age"));
  EXPECT_EQ(parse_age_identities(encrypted, std::nullopt).error().kind(), util::ErrorKind::auth);
  EXPECT_EQ(parse_age_identities(encrypted, "wrong passphrase").error().kind(), util::ErrorKind::auth);
  auto unlocked = parse_age_identities(encrypted, "identity passphrase");
  ASSERT_TRUE(unlocked) << unlocked.error().message();
  EXPECT_EQ(decrypt_testdata("agetool/plain.x25519.age", *unlocked), "hello from age\n");
}

TEST(AgeKeys, RefusesMalformedIdentityFilesNamingTheLine) {
  const auto bad = parse_age_identities("# comment\n\nAGE-SECRET-KEY-1QQQQ\n", std::nullopt);
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().kind(), util::ErrorKind::invalid_argument);
  EXPECT_NE(bad.error().message().find("line 3"), std::string::npos) << bad.error().message();
  EXPECT_EQ(bad.error().message().find("QQQQ"), std::string::npos);
  EXPECT_FALSE(parse_age_identities("# only a comment\n", std::nullopt));
  EXPECT_FALSE(parse_age_identities("hello\n", std::nullopt));
}

TEST(AgeKeys, ParsesRecipientsOfEveryKind) {
  const auto pub = read_file(testdata("agetool/x25519.txt"));
  const auto at = pub.find("age1");
  const std::string age1 = pub.substr(at, pub.find('\n', at) - at);
  EXPECT_EQ((*parse_age_recipient(age1))->type(), "X25519");
  EXPECT_EQ((*parse_age_recipient(ssh("ed25519.pub")))->type(), "ssh-ed25519");
  EXPECT_EQ((*parse_age_recipient(ssh("rsa.pub")))->type(), "ssh-rsa");
  EXPECT_EQ(age_recipient_kind(age1), "X25519");
  // A flipped character breaks the checksum.
  std::string damaged = age1;
  damaged[10] = damaged[10] == 'q' ? 'p' : 'q';
  const auto refused = parse_age_recipient(damaged);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().kind(), util::ErrorKind::invalid_argument);
  EXPECT_EQ(refused.error().message().find(damaged.substr(4, 10)), std::string::npos);
  EXPECT_FALSE(parse_age_recipient("AGE-SECRET-KEY-1ABC"));
  EXPECT_FALSE(parse_age_recipient(age1.substr(0, age1.size() - 1)));
}

}  // namespace
}  // namespace volback::crypto
