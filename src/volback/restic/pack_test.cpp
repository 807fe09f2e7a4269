#include <volback/restic/pack.hpp>

#include <gtest/gtest.h>

#include <volback/restic/test_support.hpp>

namespace volback::restic {
namespace {

using testing::bytes_of;
using testing::from_hex;
using testing::restic_repository_key;

// The data pack restic 0.14 wrote for a file holding "hi\n".
const std::string k_restic_pack = from_hex(
  "04e724da7d48d754d3f581f41bfe6ff82bd3effc79017b02b07f65c3c23f532c6dd14460c0ab25c9ec8c7969e164b478e38cc977bad1f966"
  "0900d141a29908ecf2c3392d8e6ada5c075bb4ede10e157c7df81f316f3c6f854aefcc3fec7f0e1cc8a74d1bf7b9e04345f8c52749aa4f1d"
  "034f466baf49000000");

std::vector<PackedBlob> header_of(const MasterKey& key, std::string_view pack) {
  auto read = read_pack_header(key, pack, pack.size());
  EXPECT_TRUE(read) << read.error().message();
  return read ? read->blobs : std::vector<PackedBlob>{};
}

TEST(ResticPack, ReadsAPackResticWrote) {
  EXPECT_EQ(Id::of(k_restic_pack).hex(), "7a43413e0ecfa055aa81eb5ae38bf0e219029a4fabcee5cefa405b8d69b6c1b4");
  const auto key = restic_repository_key();
  const auto blobs = header_of(key, k_restic_pack);
  ASSERT_EQ(blobs.size(), 1U);
  EXPECT_EQ(blobs[0].type, BlobType::data);
  EXPECT_EQ(blobs[0].offset, 0U);
  EXPECT_EQ(blobs[0].uncompressed_length, 3U);
  EXPECT_EQ(blobs[0].id.hex(), "98ea6e4f216f2fb4b69fff9b3a44842c38686ca685f3f55dc48c5d3fb1107be4");
  const auto plaintext = open_blob(key, blobs[0], std::string_view(k_restic_pack).substr(0, blobs[0].length));
  ASSERT_TRUE(plaintext) << plaintext.error().message();
  EXPECT_EQ(*plaintext, "hi\n");
}

TEST(ResticPack, BuildsAPackThatReadsBack) {
  const auto key = MasterKey::generate().value();
  std::vector<std::string> contents = {std::string(100000, 'a'), "x", ""};
  std::string random(70000, '\0');
  for (std::size_t i = 0; i < random.size(); ++i) {
    random[i] = static_cast<char>((i * 2654435761U) >> 13);
  }
  contents.push_back(random);
  PackBuilder builder;
  for (std::size_t i = 0; i < contents.size(); ++i) {
    ASSERT_TRUE(
      builder.add(key, i == 1 ? BlobType::tree : BlobType::data, Id::of(contents[i]), bytes_of(contents[i]), i != 3));
  }
  EXPECT_FALSE(builder.full());
  EXPECT_TRUE(builder.full(1000));
  const auto pack = builder.finish(key);
  ASSERT_TRUE(pack);
  EXPECT_TRUE(builder.empty());
  EXPECT_EQ(pack->id, Id::of(pack->bytes));
  EXPECT_LT(pack->bytes.size(), 100000U);
  const auto blobs = header_of(key, pack->bytes);
  ASSERT_EQ(blobs, pack->blobs);
  EXPECT_EQ(blobs[0].uncompressed_length, 100000U);
  EXPECT_FALSE(blobs[2].uncompressed_length);  // an empty blob is never compressed
  EXPECT_FALSE(blobs[3].uncompressed_length);
  for (std::size_t i = 0; i < blobs.size(); ++i) {
    EXPECT_EQ(blobs[i].plaintext_size(), contents[i].size());
    EXPECT_EQ(open_blob(key, blobs[i], std::string_view(pack->bytes).substr(blobs[i].offset, blobs[i].length)).value(),
              contents[i]);
  }
}

TEST(ResticPack, ATailTooShortForTheHeaderAsksForMore) {
  const auto key = MasterKey::generate().value();
  PackBuilder builder;
  for (int i = 0; i < 40; ++i) {
    const std::string content = "blob " + std::to_string(i);
    ASSERT_TRUE(builder.add(key, BlobType::data, Id::of(content), bytes_of(content)));
  }
  const auto pack = builder.finish(key).value();
  const std::string_view bytes = pack.bytes;
  const auto first = read_pack_header(key, bytes.substr(bytes.size() - k_pack_tail_guess), bytes.size());
  ASSERT_TRUE(first);
  EXPECT_TRUE(first->blobs.empty());
  EXPECT_EQ(first->tail_needed, 40 * 41 + 32 + 4U);
  const auto second = read_pack_header(key, bytes.substr(bytes.size() - first->tail_needed), bytes.size());
  ASSERT_TRUE(second);
  EXPECT_EQ(second->blobs, pack.blobs);
}

TEST(ResticPack, RefusesHostilePacks) {
  const auto key = restic_repository_key();
  const auto refused = [&](const std::string& pack) {
    const auto read = read_pack_header(key, pack, pack.size());
    return !read && read.error().kind() == util::ErrorKind::corrupt;
  };
  EXPECT_TRUE(refused(""));
  EXPECT_TRUE(refused(std::string("\0\0\0\0", 4)));                           // header length zero
  EXPECT_TRUE(refused(std::string(20, 'x') + std::string("\x10\0\0\0", 4)));  // too small
  EXPECT_TRUE(refused(std::string(20, 'x') + std::string("\xff\0\0\0", 4)));  // larger than the file
  EXPECT_TRUE(refused("xx" + k_restic_pack));                                 // blobs do not fill the pack exactly
  for (std::size_t i = k_restic_pack.size() - 4 - 73; i < k_restic_pack.size() - 4; ++i) {
    std::string bad = k_restic_pack;
    bad[i] ^= 0x20;
    EXPECT_TRUE(refused(bad)) << i;
  }
  // A blob whose stored bytes are altered, or whose id is not that of its plaintext.
  const auto blobs = header_of(key, k_restic_pack);
  ASSERT_EQ(blobs.size(), 1U);
  std::string stored = k_restic_pack.substr(0, blobs[0].length);
  stored[20] ^= 1;
  EXPECT_FALSE(open_blob(key, blobs[0], stored));
  PackedBlob wrong_id = blobs[0];
  wrong_id.id = Id::of(std::string_view("other"));
  EXPECT_FALSE(open_blob(key, wrong_id, k_restic_pack.substr(0, blobs[0].length)));
  PackedBlob wrong_size = blobs[0];
  wrong_size.uncompressed_length = 4;
  EXPECT_FALSE(open_blob(key, wrong_size, k_restic_pack.substr(0, blobs[0].length)));
}

TEST(ResticPack, AnEmptyPackIsNotWritten) {
  PackBuilder builder;
  EXPECT_FALSE(builder.finish(MasterKey::generate().value()));
}

}  // namespace
}  // namespace volback::restic
