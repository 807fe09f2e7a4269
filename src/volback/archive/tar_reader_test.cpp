#include <volback/archive/tar_reader.hpp>

#include <archive_entry.h>
#include <sys/stat.h>

#include <array>
#include <cstring>
#include <string>

#include <gtest/gtest.h>

#include <volback/archive/tar_writer.hpp>
#include <volback/io/memory_sink.hpp>

namespace volback::archive {
namespace {

// Serves a string in small reads, then fails with `error` if one is set.
class StringSource final : public io::Source {
 public:
  explicit StringSource(std::string data, std::optional<util::Error> error = std::nullopt)
    : m_data(std::move(data)), m_error(std::move(error)) {}
  util::Result<std::size_t> read(std::span<std::byte> buf) override {
    if (m_offset == m_data.size() && m_error) {
      return util::fail(*m_error);
    }
    const auto n = std::min<std::size_t>({buf.size(), m_data.size() - m_offset, 1000});
    std::memcpy(buf.data(), m_data.data() + m_offset, n);
    m_offset += n;
    return n;
  }

 private:
  std::string m_data;
  std::optional<util::Error> m_error;
  std::size_t m_offset = 0;
};

std::string sample_archive() {
  io::MemorySink sink;
  TarWriter tar(sink);
  const std::array header{PaxRecord{"VOLBACK.version", "1.2.3"}, PaxRecord{"VOLBACK.manifest", "1"}};
  EXPECT_TRUE(tar.write_global_header(header));
  const util::TimePoint mtime{std::chrono::seconds(1700000000)};
  EXPECT_TRUE(tar.add_memory_file("backup/v/a.txt", std::string(5000, 'a'), 0640, mtime));
  EXPECT_TRUE(tar.add_memory_file("volback-manifest.json", "{}", 0644, mtime));
  EXPECT_TRUE(tar.finish());
  return sink.data();
}

TEST(TarReader, ReadsTheGlobalRecordsEntriesAndContent) {
  StringSource source(sample_archive());
  TarReader reader(source);
  auto first = reader.next();
  ASSERT_TRUE(first) << first.error().message();
  ASSERT_TRUE(first->has_value());
  EXPECT_EQ(reader.global_records().at("VOLBACK.version"), "1.2.3");
  EXPECT_EQ(reader.global_records().at("VOLBACK.manifest"), "1");
  EXPECT_EQ((*first)->path, "backup/v/a.txt");
  EXPECT_EQ((*first)->type, "file");
  EXPECT_EQ((*first)->size, 5000u);
  EXPECT_EQ((*first)->mode, 0640u);
  EXPECT_EQ((*first)->mtime, 1700000000);
  std::string content;
  for (;;) {
    auto block = reader.read_block();
    ASSERT_TRUE(block);
    if (!*block) {
      break;
    }
    content.append(reinterpret_cast<const char*>((*block)->data.data()), (*block)->data.size());
  }
  EXPECT_EQ(content, std::string(5000, 'a'));
  auto second = reader.next();
  ASSERT_TRUE(second && second->has_value());
  EXPECT_EQ((*second)->path, "volback-manifest.json");
  auto end = reader.next();
  ASSERT_TRUE(end);
  EXPECT_FALSE(end->has_value());
}

TEST(TarReader, ATruncatedArchiveIsCorrupt) {
  auto data = sample_archive();
  data.resize(1024 + 512 + 100);  // inside the first file's data
  StringSource source(data);
  TarReader reader(source);
  util::Result<void> outcome;
  for (;;) {
    auto entry = reader.next();
    if (!entry) {
      outcome = util::fail(entry.error());
      break;
    }
    if (!*entry) {
      break;
    }
    for (;;) {
      auto block = reader.read_block();
      if (!block) {
        outcome = util::fail(block.error());
        break;
      }
      if (!*block) {
        break;
      }
    }
    if (!outcome) {
      break;
    }
  }
  ASSERT_FALSE(outcome);
  EXPECT_EQ(outcome.error().kind(), util::ErrorKind::corrupt);
  EXPECT_FALSE(reader.source_failed());
}

TEST(TarReader, TheSourcesErrorComesBackUnchanged) {
  auto data = sample_archive();
  data.resize(512);
  StringSource source(data, util::Error(util::ErrorKind::transient, "connection reset"));
  TarReader reader(source);
  auto entry = reader.next();
  ASSERT_FALSE(entry);
  EXPECT_EQ(entry.error().kind(), util::ErrorKind::transient);
  EXPECT_EQ(entry.error().message(), "connection reset");
  EXPECT_TRUE(reader.source_failed());
}

}  // namespace
}  // namespace volback::archive
