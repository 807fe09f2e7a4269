#include <volback/restic/chunker.hpp>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <random>
#include <utility>
#include <vector>

#include <openssl/sha.h>

#include <gtest/gtest.h>

#include <volback/restic/id.hpp>

namespace volback::restic {
namespace {

using ChunkerTestBytes = std::vector<unsigned char>;

constexpr Polynomial k_chunker_test_pol = 0x2dddbe68ee5a55;

// SHA256(le64(0)) || SHA256(le64(1)) || ... : restic-format.md §9.7.
ChunkerTestBytes chunker_test_counter_hashes(std::size_t size) {
  ChunkerTestBytes data(size);
  for (std::uint64_t i = 0; i * 32 < size; ++i) {
    unsigned char le[8];
    for (int b = 0; b < 8; ++b) {
      le[b] = static_cast<unsigned char>(i >> (8 * b));
    }
    SHA256(le, sizeof le, data.data() + i * 32);
  }
  return data;
}

// Feeds `data` to the chunker as one file in pieces whose sizes `next_piece` picks; returns the
// chunk lengths, the last one included.
template <typename NextPiece>
std::vector<std::size_t> chunker_test_lengths(Chunker& chunker, const ChunkerTestBytes& data, NextPiece next_piece) {
  chunker.start_file();
  std::vector<std::size_t> lengths;
  std::size_t chunk_start = 0;
  std::size_t offset = 0;
  while (offset < data.size()) {
    std::span<const unsigned char> piece(data.data() + offset,
                                         std::min<std::size_t>(next_piece(), data.size() - offset));
    offset += piece.size();
    while (const auto cut = chunker.find_cut(piece)) {
      EXPECT_GE(*cut, 1u);
      EXPECT_LE(*cut, piece.size());
      const std::size_t cut_offset = offset - piece.size() + *cut;
      lengths.push_back(cut_offset - chunk_start);
      chunk_start = cut_offset;
      piece = piece.subspan(*cut);
    }
  }
  EXPECT_EQ(chunker.chunk_size(), data.size() - chunk_start);
  if (chunk_start < data.size()) {
    lengths.push_back(data.size() - chunk_start);
  }
  return lengths;
}

std::vector<std::size_t> chunker_test_lengths(Chunker& chunker, const ChunkerTestBytes& data) {
  return chunker_test_lengths(chunker, data, [&] { return data.size(); });
}

// restic/chunker's Next, byte by byte, as the reference.
std::vector<std::size_t> chunker_test_reference(Polynomial pol, const ChunkerTestBytes& data) {
  const int k = polynomial_degree(pol);
  std::uint64_t out[256];
  std::uint64_t mod[256];
  for (std::uint64_t b = 0; b < 256; ++b) {
    Polynomial h = polynomial_mod(b, pol);
    for (int i = 0; i < 63; ++i) {
      h = polynomial_mod(h << 8, pol);
    }
    out[b] = h;
    mod[b] = polynomial_mod(b << k, pol) | (b << k);
  }
  std::vector<std::size_t> lengths;
  std::size_t pos = 0;
  while (pos < data.size()) {
    unsigned char window[64] = {};
    std::size_t wpos = 0;
    std::uint64_t digest = 0;
    const auto slide = [&](unsigned char b) {
      digest ^= out[window[wpos]];
      window[wpos] = b;
      wpos = (wpos + 1) % 64;
      digest = ((digest << 8) | b) ^ mod[digest >> (k - 8)];
    };
    slide(1);
    std::size_t n = std::min(k_min_chunk - 64, data.size() - pos);
    while (pos + n < data.size()) {
      slide(data[pos + n]);
      ++n;
      if (n >= k_min_chunk && ((digest & k_chunk_split_mask) == 0 || n >= k_max_chunk)) {
        break;
      }
    }
    lengths.push_back(n);
    pos += n;
  }
  return lengths;
}

struct ChunkerTestGolden {
  std::size_t offset;
  std::size_t length;
  const char* sha256;
};

// restic-format.md §9.7, verified against restic 0.14.
const ChunkerTestGolden k_chunker_test_golden[] = {
  {0, 2038231, "afbd599c75127307c0b34aa47f27e9282a54ac9a9d97a96c3907ce9846589e34"},
  {2038231, 2084598, "bd1fa67b5d12c947ab7d51f51625dd5b0009584c47a933b8a78e17bc3d7f6bfa"},
  {4122829, 625121, "bb6c1d8c6557a5400a86651e85e25c093af9057832dce18bfd153dddf326129a"},
  {4747950, 1613077, "eee892cc8e06fa9303439af6d15926c26d6475acc0561249210c9426918f0b8c"},
  {6361027, 1049812, "b738259ff537895ff5286aa8122bfe1eed63583c2dc35233da6bac37d1c349c0"},
  {7410839, 730439, "9b4ece1454696829a90ac91f1369d27dc89b400c8c5aa9bc8273d54e189cc44f"},
  {8141278, 538685, "2221a2577c9b396e8143987d1ce7fac88f12800a7e87cc692558daffd7897e59"},
  {8679963, 4782560, "556adc764102b73b8eda45427b132817aa9709e1134f25643b3707438735825a"},
  {13462523, 837228, "641bb39d0fd82f064205e3d046720d59b11f975c94266f85fe1abff586c051eb"},
  {14299751, 1560911, "a5ad2f47a79e9add511f2a16539c09a7574f95b2a088c7392732244a53436627"},
  {15860662, 573064, "c78397e4a6454010ce8464def3a8e15b9aa39dbcc94ee1e52008c2a4168fa2e5"},
  {16433726, 343490, "ed5d52aea69e412b3f23139cdf9c697b389459cabb8792be2ad3c5641d31c610"},
};

class ResticChunkerGolden : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { s_data = new ChunkerTestBytes(chunker_test_counter_hashes(16 * 1024 * 1024)); }
  static void TearDownTestSuite() {
    delete s_data;
    s_data = nullptr;
  }

  static void expect_golden(const std::vector<std::size_t>& lengths) {
    ASSERT_EQ(lengths.size(), std::size(k_chunker_test_golden));
    std::size_t offset = 0;
    for (std::size_t i = 0; i < lengths.size(); ++i) {
      const auto& golden = k_chunker_test_golden[i];
      EXPECT_EQ(offset, golden.offset) << "chunk " << i;
      EXPECT_EQ(lengths[i], golden.length) << "chunk " << i;
      EXPECT_EQ(Id::of(std::span(s_data->data() + offset, lengths[i])).hex(), golden.sha256) << "chunk " << i;
      offset += lengths[i];
    }
  }

  static inline ChunkerTestBytes* s_data = nullptr;
};

TEST_F(ResticChunkerGolden, InputIsTheDocumentedOne) {
  EXPECT_EQ(Id::of(*s_data).hex(), "01c65c8d6d336a8f1e9acf8bbfe807f7c1d0ec666ff41bc2db9f679849f03c03");
}

TEST_F(ResticChunkerGolden, OneCall) {
  Chunker chunker(k_chunker_test_pol);
  expect_golden(chunker_test_lengths(chunker, *s_data));
}

TEST_F(ResticChunkerGolden, MatchesTheByteByByteReference) {
  for (const Polynomial pol : {k_chunker_test_pol, Polynomial{0x3DA3358B4DC173}}) {
    Chunker chunker(pol);
    EXPECT_EQ(chunker_test_lengths(chunker, *s_data), chunker_test_reference(pol, *s_data));
  }
}

TEST_F(ResticChunkerGolden, RandomPieces) {
  Chunker chunker(k_chunker_test_pol);
  for (const std::uint64_t seed : {1u, 2u, 3u}) {
    // Sizes from 1 byte to 3 MiB, spread evenly over the orders of magnitude.
    std::mt19937_64 rng(seed);
    expect_golden(chunker_test_lengths(chunker, *s_data, [&] {
      const std::size_t scale = std::size_t{1} << (rng() % 22);
      return std::min<std::size_t>(1 + rng() % (2 * scale), 3 * 1024 * 1024);
    }));
  }
  std::mt19937_64 rng(4);
  expect_golden(chunker_test_lengths(chunker, *s_data, [&] { return 1 + rng() % 1000; }));
}

TEST_F(ResticChunkerGolden, PrintsThroughput) {
  // The best of a few passes (the machine may be busy). restic hashes only the bytes of a chunk
  // after its first k_min_chunk - 64, so the rate of hashed bytes is printed too.
  Chunker chunker(k_chunker_test_pol);
  double best = 1e9;
  for (int pass = 0; pass < 10; ++pass) {
    const auto start = std::chrono::steady_clock::now();
    const auto lengths = chunker_test_lengths(chunker, *s_data);
    const std::chrono::duration<double> seconds = std::chrono::steady_clock::now() - start;
    ASSERT_EQ(lengths.size(), std::size(k_chunker_test_golden));
    best = std::min(best, seconds.count());
  }
  std::size_t hashed = 0;
  for (const auto& golden : k_chunker_test_golden) {
    hashed += golden.length > k_min_chunk - 64 ? golden.length - (k_min_chunk - 64) : 0;
  }
  std::printf("restic chunker: %.0f MB/s of file data, %.0f MB/s of hashed bytes (16 MiB in %.2f ms)\n",
              static_cast<double>(s_data->size()) / 1e6 / best, static_cast<double>(hashed) / 1e6 / best, best * 1e3);
}

TEST(ResticChunker, MatchesTheByteByByteReferenceOnOtherData) {
  std::mt19937_64 rng(99);
  ChunkerTestBytes data(32 * 1024 * 1024);
  for (std::size_t i = 0; i < data.size(); i += 8) {
    const std::uint64_t word = rng();
    std::memcpy(data.data() + i, &word, 8);
  }
  for (const Polynomial pol : {Polynomial{0x3DA3358B4DC173}, k_chunker_test_pol}) {
    Chunker chunker(pol);
    const auto expected = chunker_test_reference(pol, data);
    EXPECT_EQ(chunker_test_lengths(chunker, data), expected);
    EXPECT_EQ(chunker_test_lengths(chunker, data, [&] { return 1 + rng() % 100'000; }), expected);
  }
}

TEST(ResticChunker, ZerosCutAtMinSize) {
  // The fingerprint of zeros is 0, so every chunk ends as soon as it may.
  Chunker chunker(k_chunker_test_pol);
  const ChunkerTestBytes zeros(3 * 1024 * 1024 + 100, 0);
  const std::vector<std::size_t> expected{524288, 524288, 524288, 524288, 524288, 524288, 100};
  EXPECT_EQ(chunker_test_lengths(chunker, zeros), expected);
  EXPECT_EQ(chunker_test_lengths(chunker, zeros, [] { return 4096; }), expected);
}

TEST(ResticChunker, PeriodicDataCutsAtMaxSize) {
  // A period of 64 bytes gives only 64 distinct windows, none of which cuts.
  ChunkerTestBytes data(20 * 1024 * 1024);
  for (std::size_t i = 0; i < data.size(); ++i) {
    data[i] = static_cast<unsigned char>(i % 64);
  }
  Chunker chunker(k_chunker_test_pol);
  const std::vector<std::size_t> expected{8388608, 8388608, 4194304};
  EXPECT_EQ(chunker_test_lengths(chunker, data), expected);
  EXPECT_EQ(chunker_test_lengths(chunker, data, [] { return 1000 * 1000; }), expected);
}

TEST(ResticChunker, ShortFileIsOneChunk) {
  Chunker chunker(k_chunker_test_pol);
  const ChunkerTestBytes data(k_min_chunk - 1, 0);
  EXPECT_EQ(chunker_test_lengths(chunker, data), std::vector<std::size_t>{k_min_chunk - 1});
  const ChunkerTestBytes exact(k_min_chunk, 0);
  EXPECT_EQ(chunker_test_lengths(chunker, exact), std::vector<std::size_t>{k_min_chunk});
  const ChunkerTestBytes one(1, 7);
  EXPECT_EQ(chunker_test_lengths(chunker, one), std::vector<std::size_t>{1});
}

TEST(ResticChunker, EmptyInputGivesNoCut) {
  Chunker chunker(k_chunker_test_pol);
  EXPECT_EQ(chunker.find_cut({}), std::nullopt);
  EXPECT_EQ(chunker.chunk_size(), 0u);
  EXPECT_TRUE(chunker_test_lengths(chunker, ChunkerTestBytes{}).empty());
  // Empty pieces in the middle of a file change nothing.
  const ChunkerTestBytes zeros(k_min_chunk + 10, 0);
  ASSERT_EQ(chunker.find_cut(std::span(zeros.data(), 1000)), std::nullopt);
  ASSERT_EQ(chunker.find_cut({}), std::nullopt);
  EXPECT_EQ(chunker.find_cut(std::span(zeros).subspan(1000)), k_min_chunk - 1000);
}

TEST(ResticChunker, StartFileResets) {
  Chunker chunker(k_chunker_test_pol);
  const ChunkerTestBytes zeros(k_min_chunk + 10, 0);
  ASSERT_EQ(chunker.find_cut(std::span(zeros.data(), k_min_chunk - 10)), std::nullopt);
  EXPECT_EQ(chunker.chunk_size(), k_min_chunk - 10);
  chunker.start_file();
  EXPECT_EQ(chunker.chunk_size(), 0u);
  EXPECT_EQ(chunker.find_cut(zeros), k_min_chunk);
  EXPECT_EQ(chunker.chunk_size(), 0u);
  // A copy continues independently.
  ASSERT_EQ(chunker.find_cut(std::span(zeros.data(), 100)), std::nullopt);
  Chunker copy = chunker;
  EXPECT_EQ(copy.polynomial(), k_chunker_test_pol);
  EXPECT_EQ(copy.find_cut(zeros), k_min_chunk - 100);
  EXPECT_EQ(chunker.chunk_size(), 100u);
}

TEST(ResticChunker, RefusesPolynomialsResticRefuses) {
  EXPECT_THROW(Chunker(0x2dddbe68ee5a55u << 1), std::invalid_argument);
  EXPECT_THROW(Chunker(0x83), std::invalid_argument);  // degree 7
}

}  // namespace
}  // namespace volback::restic
