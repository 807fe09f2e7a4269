#include <volback/archive/tar_writer.hpp>

#include <sys/stat.h>

#include <chrono>
#include <cstring>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include <volback/archive/test_support.hpp>
#include <volback/io/memory_sink.hpp>

namespace volback::archive {
namespace {

using test::TempDir;

// 2023-11-14T22:13:20.123456789Z
const util::TimePoint k_entry_mtime{std::chrono::duration_cast<util::TimePoint::duration>(
  std::chrono::seconds(1700000000) + std::chrono::nanoseconds(123456789))};

class RecordingObserver final : public EntryObserver {
 public:
  struct Event {
    EntryInfo info;
    std::string data;
    bool ended = false;
  };
  void begin_entry(const EntryInfo& info) override { events.push_back({info, {}, false}); }
  void entry_data(std::span<const std::byte> data) override {
    events.back().data.append(reinterpret_cast<const char*>(data.data()), data.size());
  }
  void end_entry() override { events.back().ended = true; }

  std::vector<Event> events;
};

unsigned header_checksum(const char* block) {
  unsigned sum = 0;
  for (int i = 0; i < 512; ++i) {
    sum += (i >= 148 && i < 156) ? ' ' : static_cast<unsigned char>(block[i]);
  }
  return sum;
}

TEST(TarWriter, GlobalHeaderIsATypeGBlockWithTheRecords) {
  io::MemorySink sink;
  TarWriter tar(sink);
  const std::vector<PaxRecord> records{{"comment", "made by volback"}, {"VOLBACK.format", "1"}};
  ASSERT_TRUE(tar.write_global_header(records));
  ASSERT_TRUE(tar.finish());

  const std::string& data = sink.data();
  ASSERT_GE(data.size(), 512u * 4);
  EXPECT_EQ(std::string(data.c_str()), "pax_global_header");
  EXPECT_EQ(data[156], 'g');
  EXPECT_EQ(std::strtoul(data.substr(148, 7).c_str(), nullptr, 8), header_checksum(data.data()));
  EXPECT_EQ(data.substr(257, 5), "ustar");
  const std::string text = "27 comment=made by volback\n20 VOLBACK.format=1\n";
  EXPECT_EQ(data.substr(512, text.size()), text);
  EXPECT_EQ(std::strtoull(data.substr(124, 12).c_str(), nullptr, 8), text.size());
  // Header, one data block, end-of-archive marker; no 10 KiB blocking.
  EXPECT_EQ(data.size(), 512u * 4);
}

TEST(TarWriter, GlobalHeaderIsRecognisedByGnuTarAndLibarchive) {
  TempDir dir;
  io::MemorySink sink;
  TarWriter tar(sink);
  const std::vector<PaxRecord> records{{"comment", "volback backup"}, {"VOLBACK.created", "2026-01-01T00:00:00Z"}};
  ASSERT_TRUE(tar.write_global_header(records));
  ASSERT_TRUE(tar.add_memory_file("backup/manifest.json", "{\"files\":[]}\n", 0640, k_entry_mtime));
  ASSERT_TRUE(tar.finish());
  const std::string file = dir / "out.tar";
  test::write_file(file, sink.data());

  const auto listed = test::run_command("/usr/bin/tar -tvf " + test::shell_quote(file));
  EXPECT_EQ(listed.status, 0) << listed.output;
  EXPECT_EQ(listed.output.find("pax_global_header"), std::string::npos) << listed.output;
  EXPECT_EQ(listed.output.find("Ignoring"), std::string::npos) << listed.output;
  EXPECT_NE(listed.output.find("backup/manifest.json"), std::string::npos) << listed.output;

  const auto names = test::run_command("/usr/bin/tar --list -f " + test::shell_quote(file));
  EXPECT_EQ(names.status, 0);
  EXPECT_EQ(names.output, "backup/manifest.json\n");

  const auto read = test::read_tar(sink.data());
  ASSERT_TRUE(read.ok) << read.error;
  ASSERT_EQ(read.entries.size(), 1u);
  EXPECT_EQ(read.entries[0].path, "backup/manifest.json");
  EXPECT_EQ(read.entries[0].content, "{\"files\":[]}\n");
}

TEST(TarWriter, GlobalHeaderMustComeFirst) {
  io::MemorySink sink;
  TarWriter tar(sink);
  ASSERT_TRUE(tar.add_memory_file("a", "x", 0644, k_entry_mtime));
  const std::vector<PaxRecord> records{{"comment", "late"}};
  auto r = tar.write_global_header(records);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().kind(), util::ErrorKind::invalid_argument);
  EXPECT_TRUE(tar.usable());
}

TEST(TarWriter, GlobalHeaderRejectsBadRecords) {
  io::MemorySink sink;
  TarWriter tar(sink);
  for (const auto& record : {PaxRecord{"", "x"}, PaxRecord{"a=b", "x"}, PaxRecord{"k", std::string("a\0b", 3)}}) {
    const std::vector<PaxRecord> records{record};
    auto r = tar.write_global_header(records);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().kind(), util::ErrorKind::invalid_argument);
  }
  EXPECT_TRUE(sink.data().empty());
}

TEST(TarWriter, PaxRecordLengthCountsItsOwnDigits) {
  // A record whose body is 98 bytes needs a 3-digit length (98 + 2 = 100).
  io::MemorySink sink;
  TarWriter tar(sink);
  const std::string value(94, 'v');  // " k=" + value + "\n" = 98 bytes
  const std::vector<PaxRecord> records{{"k", value}};
  ASSERT_TRUE(tar.write_global_header(records));
  EXPECT_EQ(sink.data().substr(512, 4), "101 ");
}

TEST(TarWriter, MemoryFileIsExtractedByGnuTar) {
  TempDir dir;
  io::MemorySink sink;
  TarWriter tar(sink);
  ASSERT_TRUE(tar.add_memory_file("backup/manifest.json", "hello manifest", 0640, k_entry_mtime));
  ASSERT_TRUE(tar.finish());
  EXPECT_FALSE(sink.finished());  // the writer never finishes its sink
  const std::string file = dir / "out.tar";
  test::write_file(file, sink.data());
  const std::string out = test::make_dirs(dir / "x");
  const auto extracted = test::gnu_tar_extract(file, out);
  ASSERT_EQ(extracted.status, 0) << extracted.output;

  const std::string path = out + "/backup/manifest.json";
  EXPECT_EQ(test::read_file(path), "hello manifest");
  struct stat st {};
  ASSERT_EQ(::stat(path.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 07777, 0640u);
  EXPECT_EQ(st.st_uid, 0u);
  EXPECT_EQ(st.st_mtim.tv_sec, 1700000000);
  EXPECT_EQ(st.st_mtim.tv_nsec, 123456789);
}

TEST(TarWriter, ObserverSeesMemoryFile) {
  io::MemorySink sink;
  RecordingObserver observer;
  TarWriter tar(sink, &observer);
  ASSERT_TRUE(tar.add_memory_file("m.json", "{}", 0600, k_entry_mtime));
  ASSERT_EQ(observer.events.size(), 1u);
  const auto& event = observer.events[0];
  EXPECT_EQ(event.info.path, "m.json");
  EXPECT_EQ(event.info.type, EntryType::regular);
  EXPECT_EQ(event.info.size, 2u);
  EXPECT_EQ(event.info.mode, 0100600u);
  EXPECT_EQ(event.info.mtime, k_entry_mtime);
  EXPECT_EQ(event.data, "{}");
  EXPECT_TRUE(event.ended);
}

TEST(TarWriter, DestroyingWithoutFinishWritesNoEndMarker) {
  io::MemorySink sink;
  {
    TarWriter tar(sink);
    ASSERT_TRUE(tar.add_memory_file("a", "abc", 0644, k_entry_mtime));
  }
  // pax header + its data block, ustar header, one data block; no two zero blocks.
  EXPECT_EQ(sink.data().size(), 512u * 4);
}

TEST(TarWriter, SinkErrorsKeepTheirKindAndStopTheWriter) {
  test::FailingSink sink(600, util::ErrorKind::transient);
  TarWriter tar(sink);
  auto r = tar.add_memory_file("a", std::string(4096, 'x'), 0644, k_entry_mtime);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().kind(), util::ErrorKind::transient);
  EXPECT_EQ(r.error().message(), "disk on fire");
  EXPECT_FALSE(tar.usable());
  auto again = tar.finish();
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().message(), "disk on fire");
}

TEST(TarWriter, RejectsMoreDataThanTheEntryHolds) {
  io::MemorySink sink;
  TarWriter tar(sink);
  ::archive_entry* e = archive_entry_new();
  archive_entry_set_pathname(e, "f");
  archive_entry_set_filetype(e, AE_IFREG);
  archive_entry_set_perm(e, 0644);
  archive_entry_set_size(e, 3);
  ASSERT_TRUE(tar.begin_entry(e));
  auto r = tar.write_data(io::as_bytes("abcd"));
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().kind(), util::ErrorKind::invalid_argument);
  ASSERT_TRUE(tar.write_data(io::as_bytes("ab")));
  ASSERT_TRUE(tar.end_entry());  // pads the missing byte
  ASSERT_TRUE(tar.finish());
  archive_entry_free(e);
  const auto read = test::read_tar(sink.data());
  ASSERT_TRUE(read.ok) << read.error;
  ASSERT_EQ(read.entries.size(), 1u);
  EXPECT_EQ(read.entries[0].content, std::string("ab\0", 3));
}

TEST(TarWriter, SparseEntryStoresOnlyDataAndObserverSeesZeros) {
  io::MemorySink sink;
  RecordingObserver observer;
  TarWriter tar(sink, &observer);
  ::archive_entry* e = archive_entry_new();
  archive_entry_set_pathname(e, "sparse");
  archive_entry_set_filetype(e, AE_IFREG);
  archive_entry_set_perm(e, 0644);
  constexpr std::size_t k_size = 4 << 20;
  archive_entry_set_size(e, k_size);
  archive_entry_sparse_add_entry(e, 1 << 20, 10);
  ASSERT_TRUE(tar.begin_entry(e));
  // One write spanning hole, data and hole; the non-zero byte in the hole is not stored.
  std::string content(k_size, '\0');
  content.replace(1 << 20, 10, "0123456789");
  content[5] = 'h';
  ASSERT_TRUE(tar.write_data(io::as_bytes(content)));
  ASSERT_TRUE(tar.end_entry());
  ASSERT_TRUE(tar.finish());
  archive_entry_free(e);

  EXPECT_LT(sink.data().size(), 8192u);
  const auto read = test::read_tar(sink.data());
  ASSERT_TRUE(read.ok) << read.error;
  ASSERT_EQ(read.entries.size(), 1u);
  EXPECT_EQ(read.entries[0].size, static_cast<std::int64_t>(k_size));
  content[5] = '\0';
  EXPECT_TRUE(read.entries[0].content == content);
  ASSERT_EQ(observer.events.size(), 1u);
  EXPECT_TRUE(observer.events[0].data == content);
}

TEST(TarWriter, RefusedEntryLeavesWriterUsable) {
  io::MemorySink sink;
  TarWriter tar(sink);
  ::archive_entry* e = archive_entry_new();
  archive_entry_set_pathname(e, "sock");
  archive_entry_set_filetype(e, AE_IFSOCK);
  archive_entry_set_perm(e, 0644);
  auto r = tar.begin_entry(e);
  archive_entry_free(e);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().kind(), util::ErrorKind::permanent);
  EXPECT_TRUE(tar.usable());
  ASSERT_TRUE(tar.add_memory_file("a", "x", 0644, k_entry_mtime));
  ASSERT_TRUE(tar.finish());
  const auto read = test::read_tar(sink.data());
  ASSERT_TRUE(read.ok);
  ASSERT_EQ(read.entries.size(), 1u);
}

}  // namespace
}  // namespace volback::archive
