// age encryption round trips across STREAM's chunk boundaries, with every recipient type,
// written in pieces of every size; and damage: a flipped byte, a truncated file, chunks
// reordered, a wrong key.

#include <gtest/gtest.h>

#include <volback/crypto/age_header.hpp>
#include <volback/crypto/age_keys.hpp>
#include <volback/crypto/age_scrypt.hpp>
#include <volback/crypto/age_stream.hpp>
#include <volback/crypto/age_x25519.hpp>
#include <volback/crypto/test_support.hpp>
#include <volback/io/memory_sink.hpp>
#include <volback/io/memory_source.hpp>

namespace volback::crypto {
namespace {

using testing::pseudo_random;
using testing::read_all;

struct KeyPair {
  std::shared_ptr<const AgeRecipient> recipient;
  std::shared_ptr<const AgeIdentity> identity;
};

KeyPair x25519_pair(unsigned seed) {
  const std::string scalar = pseudo_random(32, seed);
  const auto point = x25519_base(as_uchars(scalar));
  return {*parse_age_x25519_recipient(encode_age_x25519_recipient(point)),
          *parse_age_x25519_identity(encode_age_x25519_identity(as_uchars(scalar)))};
}

std::string encrypt(const AgeRecipients& recipients, const std::string& plain, std::size_t piece) {
  io::MemorySink out;
  auto sink = make_age_encryptor(recipients, out);
  for (std::size_t at = 0; at < plain.size(); at += piece) {
    EXPECT_TRUE(sink->write(io::as_bytes(std::string_view(plain).substr(at, piece))));
  }
  EXPECT_TRUE(sink->finish());
  EXPECT_TRUE(out.finished());
  return out.data();
}

util::Result<std::string> decrypt(const std::string& file, const AgeIdentities& identities,
                                  std::size_t read_size = 5000) {
  io::MemorySource raw(file, 3333);
  VOLBACK_TRY_ASSIGN(auto source, AgeDecryptSource::open(raw, identities));
  std::string out;
  VOLBACK_TRY(read_all(*source, out, read_size));
  return out;
}

class AgeRoundTrip : public ::testing::TestWithParam<std::size_t> {};

TEST_P(AgeRoundTrip, AcrossChunkBoundaries) {
  const std::size_t size = GetParam();
  const auto pair = x25519_pair(1);
  const std::string plain = pseudo_random(size, 7);
  for (const std::size_t piece : {std::size_t{1} << 20, std::size_t{65536}, std::size_t{4097}}) {
    const std::string file = encrypt({pair.recipient}, plain, piece);
    const std::size_t chunks = size == 0 ? 1 : (size + k_age_chunk_size - 1) / k_age_chunk_size;
    const auto header = parse_age_header(file);
    ASSERT_TRUE(header && *header);
    EXPECT_EQ(file.size(), (*header)->size + 16 + size + 16 * chunks) << "one tag per 64 KiB chunk";
    const auto back = decrypt(file, {pair.identity});
    ASSERT_TRUE(back) << back.error().message();
    EXPECT_EQ(*back, plain);
  }
}

INSTANTIATE_TEST_SUITE_P(Sizes, AgeRoundTrip,
                         ::testing::Values(0, 1, 65535, 65536, 65537, 2 * 65536, 2 * 65536 + 1, 300000));

TEST(AgeStream, EveryRecipientOpensTheSameFile) {
  const auto a = x25519_pair(1);
  const auto b = x25519_pair(2);
  const std::string plain = pseudo_random(100000, 3);
  const std::string file = encrypt({a.recipient, b.recipient}, plain, 10000);
  EXPECT_EQ(decrypt(file, {a.identity}), plain);
  EXPECT_EQ(decrypt(file, {b.identity}), plain);
  const auto c = x25519_pair(3);
  const auto none = decrypt(file, {c.identity});
  ASSERT_FALSE(none);
  EXPECT_EQ(none.error().kind(), util::ErrorKind::auth);
  EXPECT_NE(none.error().message().find("2 X25519"), std::string::npos) << none.error().message();
}

TEST(AgeStream, PassphraseRoundTripAndWrongPassphrase) {
  const std::string plain = pseudo_random(70000, 4);
  const std::string file = encrypt({make_age_scrypt_recipient("correct horse", 10)}, plain, 1 << 20);
  EXPECT_EQ(decrypt(file, {make_age_scrypt_identity("correct horse")}), plain);
  const auto wrong = decrypt(file, {make_age_scrypt_identity("wrong horse")});
  ASSERT_FALSE(wrong);
  EXPECT_EQ(wrong.error().kind(), util::ErrorKind::auth);
  // A header asking for more memory than volback allows is refused before scrypt runs.
  const std::string heavy = encrypt({make_age_scrypt_recipient("x", 21)}, "tiny", 10);
  const auto refused = decrypt(heavy, {make_age_scrypt_identity("x")});
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().kind(), util::ErrorKind::corrupt);
}

TEST(AgeStream, ScryptCannotBeCombined) {
  io::MemorySink out;
  auto sink = make_age_encryptor({make_age_scrypt_recipient("p", 10), x25519_pair(1).recipient}, out);
  EXPECT_EQ(sink->finish().error().kind(), util::ErrorKind::invalid_argument);
}

TEST(AgeStream, AFlippedByteFailsAtItsChunk) {
  const auto pair = x25519_pair(5);
  const std::string plain = pseudo_random(5 * 65536 + 100, 6);
  const std::string file = encrypt({pair.recipient}, plain, 1 << 20);
  const std::size_t header = (*parse_age_header(file))->size + 16;
  std::string damaged = file;
  const std::size_t at = header + 3 * (65536 + 16) + 1000;  // inside chunk 3
  damaged[at] = static_cast<char>(damaged[at] ^ 1);
  io::MemorySource raw(damaged);
  auto source = AgeDecryptSource::open(raw, {pair.identity});
  ASSERT_TRUE(source);
  std::string out;
  const auto read = read_all(**source, out);
  ASSERT_FALSE(read);
  EXPECT_EQ(read.error().kind(), util::ErrorKind::corrupt);
  EXPECT_NE(read.error().message().find("chunk 3 "), std::string::npos) << read.error().message();
  EXPECT_EQ(out, plain.substr(0, 3 * 65536)) << "the chunks before the damage are released, nothing after";

  // In the header: the MAC no longer matches (or the stanza no longer opens).
  std::string header_damage = file;
  header_damage[30] = static_cast<char>(header_damage[30] ^ 1);
  EXPECT_FALSE(decrypt(header_damage, {pair.identity}));
}

TEST(AgeStream, TruncationIsAlwaysDetected) {
  const auto pair = x25519_pair(8);
  const std::string plain = pseudo_random(3 * 65536, 9);
  const std::string file = encrypt({pair.recipient}, plain, 1 << 20);
  const std::size_t header = (*parse_age_header(file))->size;
  for (const std::size_t cut : {std::size_t{10}, header - 1, header + 5, header + 16, header + 16 + 65536 + 16,
                                header + 16 + 2 * (65536 + 16), file.size() - 1}) {
    const auto back = decrypt(file.substr(0, cut), {pair.identity});
    ASSERT_FALSE(back) << "cut at " << cut;
    EXPECT_EQ(back.error().kind(), util::ErrorKind::corrupt) << back.error().message();
  }
  const auto trailing = decrypt(file + "x", {pair.identity});
  ASSERT_FALSE(trailing);
  EXPECT_NE(trailing.error().message().find("follows its last chunk"), std::string::npos);
}

TEST(AgeStream, ChunksCannotBeSwapped) {
  const auto pair = x25519_pair(10);
  const std::string plain = pseudo_random(3 * 65536 + 5, 11);
  const std::string file = encrypt({pair.recipient}, plain, 1 << 20);
  const std::size_t start = (*parse_age_header(file))->size + 16;
  const std::size_t chunk = 65536 + 16;
  std::string swapped = file;
  std::copy_n(file.begin() + static_cast<std::ptrdiff_t>(start + chunk), chunk,
              swapped.begin() + static_cast<std::ptrdiff_t>(start));
  std::copy_n(file.begin() + static_cast<std::ptrdiff_t>(start), chunk,
              swapped.begin() + static_cast<std::ptrdiff_t>(start + chunk));
  EXPECT_FALSE(decrypt(swapped, {pair.identity}));
}

}  // namespace
}  // namespace volback::crypto
