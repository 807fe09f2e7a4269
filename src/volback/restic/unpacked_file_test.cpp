#include <volback/restic/unpacked_file.hpp>

#include <gtest/gtest.h>

#include <volback/restic/test_support.hpp>
#include <volback/restic/zstd_frame.hpp>

namespace volback::restic {
namespace {

using testing::bytes_of;
using testing::from_hex;
using testing::restic_repository_key;

// A snapshot file restic 0.14 wrote in the repository of testing::restic_repository_key().
const std::string k_restic_snapshot = from_hex(
  "080f48a27864f3815f4982b5dbba60cc3f346268301a4c47c3f05b2a2360e75a1d90940ef2ffd337b0b9a52380537f46300e1cc1a2fbd32a"
  "8c612634d863b5ff0b006db9a0324dc1e9efebda067fc1b33ed411b7b2efe73b5013568cc492873999e90c76c631793ce6b8891eb3cd6095"
  "d5f6cf1b0eb396e9c37b195f15a00b55622dfa240dd6efe490b39a7bfdaec297e73b3ea2b1a6705225a0b7f0d9959d336a5227e39922ceb1"
  "4ba20ab341a8baea0a4075c7");
constexpr std::string_view k_restic_snapshot_name = "eef8eb4d9d0d2aeb22aeb7a1a4b4d9e4ad2e43c5c09e46f179e2052d57a95f75";

TEST(ResticUnpacked, OpensASnapshotResticWrote) {
  const auto json =
    open_unpacked(restic_repository_key(), k_restic_snapshot, Id::parse(k_restic_snapshot_name).value());
  ASSERT_TRUE(json) << json.error().message();
  EXPECT_EQ(
    *json, R"({"time":"2026-12-02T11:37:53.53340808Z","tree":"fbc1f8d1625b484e25ea18c92510b13b7844890f49c033f8d649aef6)"
           R"(eeff77fe","paths":["/tmp/rks"],"hostname":"h1","username":"root"})");
}

TEST(ResticUnpacked, RefusesBytesThatDoNotHashToTheirName) {
  std::string changed = k_restic_snapshot;
  changed[20] ^= 1;
  const auto json = open_unpacked(restic_repository_key(), changed, Id::parse(k_restic_snapshot_name).value());
  ASSERT_FALSE(json);
  EXPECT_EQ(json.error().kind(), util::ErrorKind::corrupt);
  EXPECT_NE(json.error().message().find("invalid data returned"), std::string::npos);
}

TEST(ResticUnpacked, VersionOneFilesAreRawJson) {
  const auto key = restic_repository_key();
  const std::string json = R"({"packs":[]})";
  const auto file = seal_unpacked(key, json, 1);
  ASSERT_TRUE(file);
  EXPECT_EQ(open_sealed(key, *file).value(), json);  // no prefix byte, not compressed
  EXPECT_EQ(open_unpacked(key, *file, Id::of(*file)).value(), json);
}

TEST(ResticUnpacked, RoundTripsCompressed) {
  const auto key = restic_repository_key();
  const std::string json = R"({"packs":[)" + std::string(100000, ' ') + "]}";
  const auto file = seal_unpacked(key, json, 2);
  ASSERT_TRUE(file);
  EXPECT_LT(file->size(), 1000U);
  EXPECT_EQ(open_unpacked(key, *file, Id::of(*file)).value(), json);
  // Beyond the bound: refused, not allocated.
  const auto bounded = open_unpacked(key, *file, Id::of(*file), 4096);
  ASSERT_FALSE(bounded);
  EXPECT_EQ(bounded.error().kind(), util::ErrorKind::corrupt);
}

TEST(ResticUnpacked, ReadsRawJsonAndRefusesOtherEncodings) {
  const auto key = restic_repository_key();
  const auto raw = seal(key, R"({"a":1})");
  ASSERT_TRUE(raw);
  EXPECT_EQ(open_unpacked(key, *raw, Id::of(*raw)).value(), R"({"a":1})");
  for (const std::string& plaintext : {std::string("\x03xyz"), std::string("\x02not zstd"), std::string("x")}) {
    const auto file = seal(key, plaintext);
    ASSERT_TRUE(file);
    const auto opened = open_unpacked(key, *file, Id::of(*file));
    ASSERT_FALSE(opened);
    EXPECT_EQ(opened.error().kind(), util::ErrorKind::corrupt);
  }
}

TEST(ResticZstd, ExactSizeIsEnforced) {
  const std::string plaintext(5000, 'z');
  std::string frame;
  ASSERT_TRUE(zstd_compress_append(bytes_of(plaintext), frame));
  EXPECT_EQ(zstd_decompress_exact(bytes_of(frame), 5000).value(), plaintext);
  EXPECT_FALSE(zstd_decompress_exact(bytes_of(frame), 4999));
  EXPECT_FALSE(zstd_decompress_exact(bytes_of(frame), 5001));
  EXPECT_FALSE(zstd_decompress_exact(bytes_of(frame + "x"), 5000));
  EXPECT_FALSE(zstd_decompress_exact(bytes_of(frame.substr(0, frame.size() - 1)), 5000));
  EXPECT_FALSE(zstd_decompress_bounded(bytes_of(frame.substr(0, frame.size() - 1)), 10000));
  EXPECT_FALSE(zstd_decompress_bounded(bytes_of(frame + "x"), 10000));
}

}  // namespace
}  // namespace volback::restic
