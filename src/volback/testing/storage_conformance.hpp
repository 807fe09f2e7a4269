#pragma once
// The storage conformance suite: what every storage::Backend must do, as one
// value-parameterised GoogleTest suite (storage/backend.hpp states the contract).
//
// A backend joins it from one test file of its own, which includes this header (the
// TEST_Ps are defined here, so they register in that test binary) and instantiates the
// suite with a target that makes a fresh, empty backend:
//
//   INSTANTIATE_TEST_SUITE_P(Local, BackendConformance,
//                            ::testing::Values(ConformanceTarget{"Local", make_local, 64 << 20}));
//
// Every new backend adds exactly that. The integration suites run it against real
// servers through tests/tools/conformance_main.cpp (volback-conformance), which makes
// the backend from the environment like a backup does.
//
// The cases: atomic visibility (nothing listed or stat'ed before finish), abort when an
// unfinished upload is destroyed, listing skips uploads in progress, ranged reads, keys
// with '/', listing by prefix, removing a missing object, remove_many, stat after
// finish, names with spaces and non-ASCII, an empty object, a 0-byte read, overwriting,
// a large object, not_found for missing objects.

#include <algorithm>
#include <cstdint>
#include <functional>
#include <memory>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include <gtest/gtest.h>

#include <volback/fs/random_name.hpp>
#include <volback/storage/backend.hpp>

namespace volback::testing {

struct ConformanceTarget {
  std::string name;
  // A backend whose location is empty of objects (each call may return the same
  // location: every case uses keys of its own under a fresh random prefix).
  std::function<std::unique_ptr<storage::Backend>()> make;
  // The size of the large-object case: big enough to take the backend's multi-part or
  // multi-request path.
  std::uint64_t large_object_bytes = std::uint64_t{8} << 20;
};

inline void PrintTo(const ConformanceTarget& target, std::ostream* out) {
  *out << target.name;
}

namespace conformance {

inline std::string bytes_of(std::uint64_t size, std::uint64_t seed = 1) {
  std::string data(static_cast<std::size_t>(size), '\0');
  std::uint64_t x = seed * 0x9E3779B97F4A7C15ULL + 1;
  for (auto& c : data) {
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    c = static_cast<char>(x);
  }
  return data;
}

inline util::Result<void> put(storage::Backend& backend, const std::string& key, std::string_view data) {
  VOLBACK_TRY_ASSIGN(auto upload, backend.begin_upload(key, {}));
  // Writes in pieces, as a stream arrives.
  for (std::size_t at = 0; at < data.size(); at += 1 << 20) {
    const auto piece = data.substr(at, 1 << 20);
    VOLBACK_TRY(upload->write(std::as_bytes(std::span(piece.data(), piece.size()))));
  }
  return upload->finish();
}

inline util::Result<std::string> get(storage::Backend& backend, const std::string& key,
                                     const storage::ByteRange& range = {}) {
  VOLBACK_TRY_ASSIGN(auto source, backend.open(key, range));
  std::string out;
  std::vector<std::byte> buffer(1 << 16);
  for (;;) {
    VOLBACK_TRY_ASSIGN(const auto n, source->read(buffer));
    if (n == 0) {
      return out;
    }
    out.append(reinterpret_cast<const char*>(buffer.data()), n);
  }
}

inline std::set<std::string> keys(storage::Backend& backend, const std::string& prefix) {
  std::set<std::string> out;
  const auto listed = backend.list(prefix, [&out](const storage::ObjectInfo& info) -> util::Result<void> {
    out.insert(info.key);
    return {};
  });
  EXPECT_TRUE(listed) << listed.error().message();
  return out;
}

}  // namespace conformance

class BackendConformance : public ::testing::TestWithParam<ConformanceTarget> {
 protected:
  void SetUp() override {
    m_backend = GetParam().make();
    ASSERT_NE(m_backend, nullptr);
    m_prefix = "conformance-" + fs::random_suffix(8) + "-";
  }
  void TearDown() override {
    if (!m_backend) {
      return;
    }
    std::vector<std::string> left;
    for (const auto& key : conformance::keys(*m_backend, m_prefix)) {
      left.push_back(key);
    }
    EXPECT_TRUE(m_backend->remove_many(left));
  }
  std::string key(const std::string& name) const { return m_prefix + name; }
  storage::Backend& backend() { return *m_backend; }

  std::unique_ptr<storage::Backend> m_backend;
  std::string m_prefix;
};

TEST_P(BackendConformance, AnObjectBecomesVisibleOnlyWhenFinished) {
  auto upload = backend().begin_upload(key("atomic"), {});
  ASSERT_TRUE(upload) << upload.error().message();
  const std::string data = conformance::bytes_of(300000);
  ASSERT_TRUE((*upload)->write(std::as_bytes(std::span(data.data(), data.size()))));
  EXPECT_TRUE(conformance::keys(backend(), m_prefix).empty());
  auto before = backend().stat(key("atomic"));
  ASSERT_TRUE(before) << before.error().message();
  EXPECT_FALSE(before->has_value());
  ASSERT_TRUE((*upload)->finish());
  EXPECT_EQ((*upload)->result().size, data.size());
  EXPECT_EQ(conformance::keys(backend(), m_prefix), std::set<std::string>{key("atomic")});
  EXPECT_EQ(*conformance::get(backend(), key("atomic")), data);
}

TEST_P(BackendConformance, AnUnfinishedUploadLeavesNothing) {
  {
    auto upload = backend().begin_upload(key("aborted"), {});
    ASSERT_TRUE(upload);
    const std::string data = conformance::bytes_of(100000);
    ASSERT_TRUE((*upload)->write(std::as_bytes(std::span(data.data(), data.size()))));
  }  // destroyed unfinished: aborted
  EXPECT_TRUE(conformance::keys(backend(), m_prefix).empty());
  auto info = backend().stat(key("aborted"));
  ASSERT_TRUE(info);
  EXPECT_FALSE(info->has_value());
  auto removed = backend().remove_incomplete_uploads();
  ASSERT_TRUE(removed) << removed.error().message();
  EXPECT_TRUE(conformance::keys(backend(), m_prefix).empty());
}

TEST_P(BackendConformance, StatAfterFinishHasTheSizeAndATime) {
  ASSERT_TRUE(conformance::put(backend(), key("stat"), "hello"));
  auto info = backend().stat(key("stat"));
  ASSERT_TRUE(info) << info.error().message();
  ASSERT_TRUE(info->has_value());
  EXPECT_EQ((*info)->key, key("stat"));
  EXPECT_EQ((*info)->size, 5u);
  EXPECT_GT((*info)->modified.time_since_epoch().count(), 0);
}

TEST_P(BackendConformance, RangedReads) {
  const std::string data = conformance::bytes_of(1000000, 7);
  ASSERT_TRUE(conformance::put(backend(), key("ranged"), data));
  EXPECT_EQ(*conformance::get(backend(), key("ranged"), {.offset = 0, .length = 10}), data.substr(0, 10));
  EXPECT_EQ(*conformance::get(backend(), key("ranged"), {.offset = 123456, .length = 500000}),
            data.substr(123456, 500000));
  EXPECT_EQ(*conformance::get(backend(), key("ranged"), {.offset = 999990, .length = std::nullopt}),
            data.substr(999990));
  EXPECT_EQ(*conformance::get(backend(), key("ranged"), {.offset = 999990, .length = 100}), data.substr(999990));
  EXPECT_EQ(*conformance::get(backend(), key("ranged"), {.offset = 2000000, .length = 10}), "");
}

TEST_P(BackendConformance, NestedKeysAndListingByPrefix) {
  ASSERT_TRUE(conformance::put(backend(), key("data/ab/abc1"), "1"));
  ASSERT_TRUE(conformance::put(backend(), key("data/ab/abc2"), "2"));
  ASSERT_TRUE(conformance::put(backend(), key("data/cd/cde"), "3"));
  ASSERT_TRUE(conformance::put(backend(), key("index/x"), "4"));
  ASSERT_TRUE(conformance::put(backend(), key("top"), "5"));
  EXPECT_EQ(conformance::keys(backend(), key("data/ab/")),
            (std::set<std::string>{key("data/ab/abc1"), key("data/ab/abc2")}));
  EXPECT_EQ(conformance::keys(backend(), key("data/")).size(), 3u);
  EXPECT_EQ(conformance::keys(backend(), key("d")).size(), 3u);
  EXPECT_EQ(conformance::keys(backend(), m_prefix).size(), 5u);
  EXPECT_EQ(*conformance::get(backend(), key("data/cd/cde")), "3");
  ASSERT_TRUE(backend().remove(key("data/cd/cde")));
  EXPECT_EQ(conformance::keys(backend(), key("data/")).size(), 2u);
}

TEST_P(BackendConformance, RemovingAMissingObjectSucceeds) {
  EXPECT_TRUE(backend().remove(key("never-was")));
  EXPECT_TRUE(backend().remove_many(std::vector<std::string>{key("never-1"), key("never-2")}));
}

TEST_P(BackendConformance, RemoveMany) {
  std::vector<std::string> all;
  for (int i = 0; i < 25; ++i) {
    all.push_back(key("many-" + std::to_string(i)));
    ASSERT_TRUE(conformance::put(backend(), all.back(), std::to_string(i)));
  }
  ASSERT_TRUE(backend().remove_many(std::vector<std::string>(all.begin(), all.begin() + 20)));
  EXPECT_EQ(conformance::keys(backend(), m_prefix).size(), 5u);
}

TEST_P(BackendConformance, NamesWithSpacesAndNonAscii) {
  const std::string name = key("backup 2026 ünïcödé €.tar.gz");
  ASSERT_TRUE(conformance::put(backend(), name, "content"));
  EXPECT_EQ(conformance::keys(backend(), m_prefix), std::set<std::string>{name});
  EXPECT_EQ(*conformance::get(backend(), name), "content");
  auto info = backend().stat(name);
  ASSERT_TRUE(info && info->has_value());
  EXPECT_EQ((*info)->key, name);
}

TEST_P(BackendConformance, AnEmptyObjectAndAZeroByteRead) {
  auto upload = backend().begin_upload(key("empty"), {});
  ASSERT_TRUE(upload);
  ASSERT_TRUE((*upload)->finish());
  auto info = backend().stat(key("empty"));
  ASSERT_TRUE(info && info->has_value());
  EXPECT_EQ((*info)->size, 0u);
  EXPECT_EQ(*conformance::get(backend(), key("empty")), "");
  auto source = backend().open(key("empty"));
  ASSERT_TRUE(source);
  std::vector<std::byte> none;
  auto read = (*source)->read(none);
  ASSERT_TRUE(read);
  EXPECT_EQ(*read, 0u);
}

TEST_P(BackendConformance, AnUploadReplacesAnObjectOfTheSameKey) {
  ASSERT_TRUE(conformance::put(backend(), key("replaced"), "first version"));
  ASSERT_TRUE(conformance::put(backend(), key("replaced"), "second"));
  EXPECT_EQ(*conformance::get(backend(), key("replaced")), "second");
  EXPECT_EQ(conformance::keys(backend(), m_prefix).size(), 1u);
}

TEST_P(BackendConformance, ALargeObject) {
  const std::string data = conformance::bytes_of(GetParam().large_object_bytes, 3);
  ASSERT_TRUE(conformance::put(backend(), key("large"), data));
  auto info = backend().stat(key("large"));
  ASSERT_TRUE(info && info->has_value());
  EXPECT_EQ((*info)->size, data.size());
  const auto back = conformance::get(backend(), key("large"));
  ASSERT_TRUE(back) << back.error().message();
  EXPECT_TRUE(*back == data);
}

TEST_P(BackendConformance, MissingObjectsAreNotFound) {
  auto opened = backend().open(key("missing"));
  ASSERT_FALSE(opened);
  EXPECT_EQ(opened.error().kind(), util::ErrorKind::not_found);
  auto info = backend().stat(key("missing"));
  ASSERT_TRUE(info);
  EXPECT_FALSE(info->has_value());
}

TEST_P(BackendConformance, InvalidKeysAreRefused) {
  for (const std::string bad : {"", "../escape", "a//b", ".hidden"}) {
    auto upload = backend().begin_upload(bad, {});
    ASSERT_FALSE(upload) << bad;
    EXPECT_EQ(upload.error().kind(), util::ErrorKind::invalid_argument) << bad;
  }
}

}  // namespace volback::testing
