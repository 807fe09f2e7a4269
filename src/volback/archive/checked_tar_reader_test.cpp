#include <volback/archive/checked_tar_reader.hpp>

#include <archive_entry.h>

#include <array>
#include <chrono>
#include <cstring>
#include <functional>
#include <memory>

#include <gtest/gtest.h>

#include <volback/archive/manifest_builder.hpp>
#include <volback/archive/tar_writer.hpp>
#include <volback/io/memory_sink.hpp>
#include <volback/io/memory_source.hpp>

namespace volback::archive {
namespace {

const util::TimePoint k_archive_mtime{std::chrono::seconds(1700000000)};

struct EntryFree {
  void operator()(::archive_entry* e) const { archive_entry_free(e); }
};

std::unique_ptr<::archive_entry, EntryFree> make_entry(const std::string& name, unsigned type, unsigned mode,
                                                       std::int64_t size = 0) {
  std::unique_ptr<::archive_entry, EntryFree> e(archive_entry_new());
  archive_entry_copy_pathname(e.get(), name.c_str());
  archive_entry_set_filetype(e.get(), type);
  archive_entry_set_perm(e.get(), mode);
  archive_entry_set_size(e.get(), size);
  archive_entry_set_mtime(e.get(), 1700000000, 0);
  return e;
}

// Builds a volback-like archive: the mark, `body` (which adds entries), the manifest
// (unless `manifest` is false: then nothing hashes what the body writes, so it may
// declare terabytes of holes). `after` adds entries after the manifest.
struct Build {
  std::function<void(TarWriter&)> body;
  std::function<void(TarWriter&)> after;
  bool manifest = true;
};

void add_dir(TarWriter& tar, const std::string& name) {
  auto e = make_entry(name, AE_IFDIR, 0755);
  ASSERT_TRUE(tar.begin_entry(e.get()));
  ASSERT_TRUE(tar.end_entry());
}

void add_file(TarWriter& tar, const std::string& name, std::string_view content, unsigned mode = 0644) {
  auto e = make_entry(name, AE_IFREG, mode, static_cast<std::int64_t>(content.size()));
  ASSERT_TRUE(tar.begin_entry(e.get()));
  ASSERT_TRUE(tar.write_data(std::as_bytes(std::span(content.data(), content.size()))));
  ASSERT_TRUE(tar.end_entry());
}

std::string build(const Build& b) {
  io::MemorySink out;
  ManifestBuilder manifest({.sources = "backup"});
  TarWriter tar(out, b.manifest ? &manifest : nullptr);
  const std::array header{PaxRecord{"VOLBACK.version", "0.0.1"}, PaxRecord{"VOLBACK.manifest", "1"}};
  EXPECT_TRUE(tar.write_global_header(header));
  add_dir(tar, "backup");
  add_dir(tar, "backup/v");
  if (b.body) {
    b.body(tar);
  }
  if (b.manifest) {
    EXPECT_TRUE(manifest.write_manifest(tar, {}, k_archive_mtime));
  }
  if (b.after) {
    b.after(tar);
  }
  EXPECT_TRUE(tar.finish());
  return out.data();
}

struct Outcome {
  std::vector<CheckedEntry> entries;
  std::optional<CheckReport> report;
  std::optional<util::Error> error;

  std::string problems() const {
    std::string out;
    if (error) {
      out += "error: " + error->message() + "\n";
    }
    if (report) {
      for (const auto& p : report->problems.described) {
        out += p + "\n";
      }
    }
    return out;
  }
};

Outcome read_all(io::Source& source, const util::CancelToken& cancel) {
  Outcome outcome;
  CheckedTarReader reader(source, {.spill_dir = "/tmp"}, cancel);
  for (;;) {
    auto next = reader.next();
    if (!next) {
      outcome.error = next.error();
      return outcome;
    }
    if (!*next) {
      break;
    }
    outcome.entries.push_back(std::move(**next));
  }
  auto report = reader.finish();
  if (!report) {
    outcome.error = report.error();
  } else {
    outcome.report = std::move(*report);
  }
  return outcome;
}

Outcome read_all(const std::string& data) {
  io::MemorySource source(data, 1000);
  const util::CancelToken cancel;
  return read_all(source, cancel);
}

TEST(CheckedTarReader, AnIntactArchiveHasNoProblems) {
  const auto outcome = read_all(build({.body = [](TarWriter& tar) {
    add_file(tar, "backup/v/a", "alpha");
    add_file(tar, "backup/v/b", std::string(100000, 'b'));
  }}));
  ASSERT_TRUE(outcome.report) << outcome.problems();
  EXPECT_TRUE(outcome.report->problems.empty()) << outcome.problems();
  EXPECT_TRUE(outcome.report->marked);
  EXPECT_TRUE(outcome.report->has_manifest);
  EXPECT_EQ(outcome.report->entries, 4u);
  EXPECT_EQ(outcome.report->files_hashed, 2u);
  ASSERT_EQ(outcome.entries.size(), 4u);
  EXPECT_EQ(outcome.entries[3].names.relative, "b");
}

TEST(CheckedTarReader, AnEntryAfterTheManifestIsRefused) {
  const auto outcome = read_all(build({.body = [](TarWriter& tar) { add_file(tar, "backup/v/a", "alpha"); },
                                       .after = [](TarWriter& tar) { add_file(tar, "backup/v/late", "x"); }}));
  ASSERT_TRUE(outcome.report) << outcome.problems();
  ASSERT_FALSE(outcome.entries.empty());
  ASSERT_TRUE(outcome.entries.back().refusal);
  EXPECT_NE(outcome.entries.back().refusal->find("last entry"), std::string::npos);
  EXPECT_FALSE(outcome.report->problems.empty());
}

TEST(CheckedTarReader, ASecondManifestIsRefused) {
  const auto outcome = read_all(build({.after = [](TarWriter& tar) { add_file(tar, "volback-manifest.json", "{}"); }}));
  ASSERT_TRUE(outcome.report) << outcome.problems();
  EXPECT_NE(outcome.problems().find("last entry"), std::string::npos) << outcome.problems();
}

TEST(CheckedTarReader, MetadataTheManifestDoesNotListIsAProblem) {
  // The manifest is computed from what the writer saw; the mode is changed in the
  // archive afterwards by writing a second archive whose manifest comes from the first.
  const std::string honest = build({.body = [](TarWriter& tar) { add_file(tar, "backup/v/a", "alpha", 0644); }});
  const auto start = honest.find("volback-manifest.json");
  ASSERT_NE(start, std::string::npos);
  // Flip the mode in the file's header: octal "000644" -> "004755".
  std::string tampered = honest;
  const auto header = tampered.find("backup/v/a");
  ASSERT_NE(header, std::string::npos);
  const std::size_t mode_field = header - (header % 512) + 100;
  std::memcpy(tampered.data() + mode_field, "0004755", 7);
  unsigned sum = 0;
  std::memset(tampered.data() + mode_field - 100 + 148, ' ', 8);
  for (std::size_t i = 0; i < 512; ++i) {
    sum += static_cast<unsigned char>(tampered[mode_field - 100 + i]);
  }
  std::snprintf(tampered.data() + mode_field - 100 + 148, 8, "%06o", sum);
  const auto outcome = read_all(tampered);
  ASSERT_TRUE(outcome.report) << outcome.problems();
  EXPECT_NE(outcome.problems().find("backup/v/a: mode is 4755, the manifest says 0644"), std::string::npos)
    << outcome.problems();
}

TEST(CheckedTarReader, ASparseFileMayNotClaimMoreHolesThanTheArchiveCanHold) {
  const auto outcome = read_all(build({.body =
                                         [](TarWriter& tar) {
                                           const std::int64_t size = std::int64_t{10} << 40;  // 10 TiB
                                           auto e = make_entry("backup/v/huge", AE_IFREG, 0644, size);
                                           archive_entry_sparse_add_entry(e.get(), 0, 10);
                                           ASSERT_TRUE(tar.begin_entry(e.get()));
                                           ASSERT_TRUE(tar.write_data(std::as_bytes(std::span("0123456789", 10))));
                                           ASSERT_TRUE(tar.write_zeros(static_cast<std::uint64_t>(size) - 10));
                                           ASSERT_TRUE(tar.end_entry());
                                         },
                                       .after = {},
                                       .manifest = false}));
  ASSERT_TRUE(outcome.report) << outcome.problems();
  ASSERT_GE(outcome.entries.size(), 3u);
  ASSERT_TRUE(outcome.entries[2].refusal);
  EXPECT_NE(outcome.entries[2].refusal->find("sparse file"), std::string::npos);
}

TEST(CheckedTarReader, CancellationStopsHashingHoles) {
  const std::string data = build({.body =
                                    [](TarWriter& tar) {
                                      const std::int64_t size = std::int64_t{8}
                                                                << 30;  // 8 GiB of holes: seconds of hashing
                                      auto e = make_entry("backup/v/big", AE_IFREG, 0644, size);
                                      archive_entry_sparse_add_entry(e.get(), size - 1, 1);
                                      ASSERT_TRUE(tar.begin_entry(e.get()));
                                      ASSERT_TRUE(tar.write_zeros(static_cast<std::uint64_t>(size) - 1));
                                      ASSERT_TRUE(tar.write_data(std::as_bytes(std::span("x", 1))));
                                      ASSERT_TRUE(tar.end_entry());
                                    },
                                  .after = {},
                                  .manifest = false});
  io::MemorySource source(data, 1000);
  util::CancelToken cancel;
  CheckedTarReader reader(source, {}, cancel);
  for (int i = 0; i < 3; ++i) {
    ASSERT_TRUE(reader.next());
  }
  cancel.request();
  const auto block = reader.read_block();
  ASSERT_FALSE(block);
  EXPECT_EQ(block.error().kind(), util::ErrorKind::cancelled);
}

TEST(CheckedTarReader, AManifestLargerThanItsEntriesCanNeedIsAProblem) {
  const auto outcome = read_all(
    build({.body = [](TarWriter& tar) { add_file(tar, "backup/v/a", "alpha"); }, .after = {}, .manifest = false}));
  ASSERT_TRUE(outcome.report);
  EXPECT_NE(outcome.problems().find("has no volback-manifest.json"), std::string::npos) << outcome.problems();

  io::MemorySink out;
  TarWriter tar(out, nullptr);
  const std::array header{PaxRecord{"VOLBACK.version", "0.0.1"}, PaxRecord{"VOLBACK.manifest", "1"}};
  ASSERT_TRUE(tar.write_global_header(header));
  add_dir(tar, "backup");
  ASSERT_TRUE(tar.add_memory_file("volback-manifest.json", std::string(3 << 20, ' '), 0644, k_archive_mtime));
  ASSERT_TRUE(tar.finish());
  const auto big = read_all(out.data());
  ASSERT_TRUE(big.report) << big.problems();
  EXPECT_NE(big.problems().find("is larger than the 1 entries before it can need"), std::string::npos)
    << big.problems();
}

TEST(CheckedTarReader, TrailingGarbageAfterTheTarIsAProblem) {
  std::string data = build({.body = [](TarWriter& tar) { add_file(tar, "backup/v/a", "alpha"); }});
  data += std::string(100000, 'g');  // beyond what libarchive reads ahead
  const auto outcome = read_all(data);
  ASSERT_TRUE(outcome.report) << outcome.problems();
  EXPECT_NE(outcome.problems().find("data after the end"), std::string::npos) << outcome.problems();
}

TEST(CheckedTarReader, AnUnmarkedArchiveWithoutManifestHasNoProblems) {
  io::MemorySink out;
  TarWriter tar(out, nullptr);
  add_dir(tar, "backup");
  add_dir(tar, "backup/v");
  add_file(tar, "backup/v/a", "alpha");
  ASSERT_TRUE(tar.finish());
  const auto outcome = read_all(out.data());
  ASSERT_TRUE(outcome.report) << outcome.problems();
  EXPECT_FALSE(outcome.report->marked);
  EXPECT_FALSE(outcome.report->has_manifest);
  EXPECT_TRUE(outcome.report->problems.empty()) << outcome.problems();
}

}  // namespace
}  // namespace volback::archive
