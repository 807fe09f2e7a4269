#include <volback/storage/sftp/known_hosts.hpp>

#include <gtest/gtest.h>

#include <volback/storage/digest.hpp>

namespace volback::storage::sftp {
namespace {

// Two ed25519 keys made with ssh-keygen, their fingerprints as `ssh-keygen -l` prints
// them, and a line hashed by `ssh-keygen -H` for "[127.0.0.1]:2222" with the first key.
constexpr std::string_view k_key1 = "AAAAC3NzaC1lZDI1NTE5AAAAIFm6GpBOSg+jAAI50pBZwn7io0V0/5kLLGxv+48Z0bkw";
constexpr std::string_view k_key2 = "AAAAC3NzaC1lZDI1NTE5AAAAIJzLUxICEyTdIkw/f2BO0UGs9ySvytf1zv+zdk3MaFAJ";
constexpr std::string_view k_hashed =
  "|1|lgfJacqQ/QFI+6IaFI6FY0DFYmM=|mHgheTIfP26e5EtNy6eEnqtfS2o= ssh-ed25519 "
  "AAAAC3NzaC1lZDI1NTE5AAAAIFm6GpBOSg+jAAI50pBZwn7io0V0/5kLLGxv+48Z0bkw";

std::vector<unsigned char> blob(std::string_view b64) {
  return *from_base64(b64);
}

TEST(KnownHosts, NamesNonDefaultPortsInBrackets) {
  EXPECT_EQ(known_hosts_name("example.com", 22), "example.com");
  EXPECT_EQ(known_hosts_name("127.0.0.1", 2222), "[127.0.0.1]:2222");
}

TEST(KnownHosts, FingerprintsAsSshKeygen) {
  EXPECT_EQ(fingerprint(blob(k_key1)), "SHA256:brNJbZHRQnqwTKdTGKXCGICivDsUsGTVkXSjc6PRfHg");
  EXPECT_EQ(fingerprint(blob(k_key2)), "SHA256:ILPoqtn9jxFZaUhU1y9RnPnMWR0jLwQUmgbUeaU/ZNg");
  EXPECT_EQ(key_type_of(blob(k_key1)), "ssh-ed25519");
}

TEST(KnownHosts, PatternsWildcardsAndNegation) {
  EXPECT_TRUE(host_matches("example.com,other", "example.com"));
  EXPECT_TRUE(host_matches("*.example.com", "backup.EXAMPLE.com"));
  EXPECT_TRUE(host_matches("[127.0.0.?]:2222", "[127.0.0.1]:2222"));
  EXPECT_FALSE(host_matches("127.0.0.1", "[127.0.0.1]:2222"));
  EXPECT_FALSE(host_matches("*.example.com,!evil.example.com", "evil.example.com"));
  EXPECT_FALSE(host_matches("!a", "a"));
}

TEST(KnownHosts, AHashedEntryMatchesItsNameOnly) {
  const auto keys = keys_for_host(std::string(k_hashed) + "\n", "[127.0.0.1]:2222");
  ASSERT_EQ(keys.size(), 1u);
  EXPECT_EQ(keys[0].type, "ssh-ed25519");
  EXPECT_EQ(keys[0].line, 1u);
  EXPECT_TRUE(keys_for_host(k_hashed, "[127.0.0.1]:2223").empty());
  EXPECT_TRUE(keys_for_host(k_hashed, "127.0.0.1").empty());
}

TEST(KnownHosts, TrustedChangedUnknownRevoked) {
  const std::string text = "# comment\n\n@cert-authority *.example.com ssh-ed25519 " + std::string(k_key2) +
                           "\nbackup.example.com ssh-ed25519 " + std::string(k_key1) + " me@host\r\n" +
                           "garbage line\n@revoked gone.example.com ssh-ed25519 " + std::string(k_key2) + "\n";
  const auto known = keys_for_host(text, "backup.example.com");
  ASSERT_EQ(known.size(), 1u);
  EXPECT_EQ(known[0].line, 4u);
  EXPECT_EQ(check_host_key(known, "ssh-ed25519", blob(k_key1)).verdict, Verdict::trusted);
  const auto changed = check_host_key(known, "ssh-ed25519", blob(k_key2));
  EXPECT_EQ(changed.verdict, Verdict::changed);
  ASSERT_NE(changed.listed, nullptr);
  EXPECT_EQ(changed.listed->line, 4u);
  EXPECT_EQ(check_host_key(keys_for_host(text, "new.example.com"), "ssh-ed25519", blob(k_key1)).verdict,
            Verdict::unknown);
  EXPECT_EQ(check_host_key(keys_for_host(text, "gone.example.com"), "ssh-ed25519", blob(k_key2)).verdict,
            Verdict::revoked);
}

TEST(KnownHosts, ALineForThePinFile) {
  EXPECT_EQ(known_hosts_line("[h]:2", "ssh-ed25519", blob(k_key1)), "[h]:2 ssh-ed25519 " + std::string(k_key1) + "\n");
}

}  // namespace
}  // namespace volback::storage::sftp
