#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include <csignal>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include <volback/fs/directory.hpp>
#include <volback/storage/local/local_backend.hpp>
#include <volback/testing/temp_dir.hpp>

namespace volback::storage::local {
namespace {

class LocalBackendTest : public ::testing::Test {
 protected:
  void SetUp() override { m_backend = make_local_backend(LocalSettings{m_dir, std::nullopt}, m_log); }

  std::string path(const std::string& name) const { return m_dir + "/" + name; }

  void write_file(const std::string& name, const std::string& content) const {
    volback::testing::write_file(path(name), content);
  }

  std::string read_file(const std::string& name) const { return volback::testing::read_file(path(name)); }

  std::vector<std::string> entries() const {
    auto names = fs::list_directory(m_dir);
    EXPECT_TRUE(names);
    return names ? *names : std::vector<std::string>{};
  }

  // key -> size of everything list(prefix) reports.
  std::map<std::string, std::uint64_t> listed(Backend& backend, std::string_view prefix) const {
    std::map<std::string, std::uint64_t> out;
    auto r = backend.list(prefix, [&](const ObjectInfo& info) -> util::Result<void> {
      out[info.key] = info.size;
      return {};
    });
    EXPECT_TRUE(r) << r.error().message();
    return out;
  }

  void upload(Backend& backend, const std::string& key, const std::string& content) const {
    auto sink = backend.begin_upload(key, {});
    ASSERT_TRUE(sink) << sink.error().message();
    ASSERT_TRUE((*sink)->write(io::as_bytes(content)));
    auto r = (*sink)->finish();
    ASSERT_TRUE(r) << r.error().message();
  }

  volback::testing::TempDir m_temp{"volback-local"};
  std::string m_dir = m_temp.path();
  util::CapturingLogger m_log;
  std::unique_ptr<Backend> m_backend;
};

TEST_F(LocalBackendTest, Identity) {
  EXPECT_EQ(m_backend->name(), "Local");
  EXPECT_EQ(m_backend->describe(), m_dir);
  EXPECT_TRUE(m_backend->properties().streaming_upload);
  EXPECT_TRUE(m_backend->properties().local_disk);
}

TEST_F(LocalBackendTest, UploadAppearsOnlyAfterFinish) {
  auto sink = m_backend->begin_upload("backup-1.tar.gz", {});
  ASSERT_TRUE(sink) << sink.error().message();
  const auto partial = (*sink)->local_path();
  ASSERT_TRUE(partial);
  EXPECT_EQ(partial->rfind(m_dir + "/.volback-partial-", 0), 0U) << *partial;
  ASSERT_TRUE((*sink)->write(io::as_bytes("hello ")));
  ASSERT_TRUE((*sink)->write(io::as_bytes("")));
  ASSERT_TRUE((*sink)->write(io::as_bytes("world")));
  EXPECT_TRUE(std::filesystem::exists(*partial));
  EXPECT_TRUE(listed(*m_backend, "").empty());
  auto before = m_backend->stat("backup-1.tar.gz");
  ASSERT_TRUE(before);
  EXPECT_FALSE(*before);

  ASSERT_TRUE((*sink)->finish());
  EXPECT_EQ(read_file("backup-1.tar.gz"), "hello world");
  EXPECT_EQ(entries(), std::vector<std::string>{"backup-1.tar.gz"});
  EXPECT_EQ((*sink)->local_path(), path("backup-1.tar.gz"));

  const ObjectInfo info = (*sink)->result();
  EXPECT_EQ(info.key, "backup-1.tar.gz");
  EXPECT_EQ(info.size, 11U);
  struct stat st {};
  ASSERT_EQ(::stat(path("backup-1.tar.gz").c_str(), &st), 0);
  EXPECT_EQ(std::chrono::duration_cast<std::chrono::seconds>(info.modified.time_since_epoch()).count(),
            st.st_mtim.tv_sec);

  auto after = m_backend->stat("backup-1.tar.gz");
  ASSERT_TRUE(after);
  ASSERT_TRUE(*after);
  EXPECT_EQ((*after)->size, 11U);
  EXPECT_EQ((*after)->modified, info.modified);
  EXPECT_EQ(listed(*m_backend, ""), (std::map<std::string, std::uint64_t>{{"backup-1.tar.gz", 11}}));

  // Writing after finish is refused.
  EXPECT_FALSE((*sink)->write(io::as_bytes("late")));
  EXPECT_FALSE((*sink)->finish());
}

TEST_F(LocalBackendTest, OpenReadsTheObject) {
  upload(*m_backend, "b.tar", "content of b");
  auto source = m_backend->open("b.tar");
  ASSERT_TRUE(source) << source.error().message();
  std::vector<std::byte> buf(100);
  auto n = (*source)->read(buf);
  ASSERT_TRUE(n);
  EXPECT_EQ(std::string(reinterpret_cast<const char*>(buf.data()), *n), "content of b");

  auto missing = m_backend->open("missing.tar");
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().kind(), util::ErrorKind::not_found);
}

TEST_F(LocalBackendTest, UploadReplacesAnExistingFile) {
  write_file("same.tar", "old old old");
  upload(*m_backend, "same.tar", "new");
  EXPECT_EQ(read_file("same.tar"), "new");
  EXPECT_EQ(entries(), std::vector<std::string>{"same.tar"});
}

TEST_F(LocalBackendTest, DestroyedUploadLeavesNothing) {
  {
    auto sink = m_backend->begin_upload("aborted.tar", {});
    ASSERT_TRUE(sink);
    ASSERT_TRUE((*sink)->write(io::as_bytes(std::string(100000, 'x'))));
  }
  EXPECT_TRUE(entries().empty());
  {
    auto sink = m_backend->begin_upload("never-written.tar", {});
    ASSERT_TRUE(sink);
  }
  EXPECT_TRUE(entries().empty());
}

TEST_F(LocalBackendTest, ListSkipsPartialsDotfilesSymlinksAndDirectories) {
  write_file("backup-a.tar", "aa");
  write_file("backup-b.tar", "bbb");
  write_file("other.tar", "o");
  write_file(".hidden-backup", "h");
  write_file(".volback-partial-abcdef", "p");
  ASSERT_EQ(::mkdir(path("backup-dir").c_str(), 0755), 0);
  ASSERT_EQ(::symlink("backup-a.tar", path("backup-link").c_str()), 0);

  EXPECT_EQ(listed(*m_backend, "backup-"),
            (std::map<std::string, std::uint64_t>{{"backup-a.tar", 2}, {"backup-b.tar", 3}}));
  EXPECT_EQ(listed(*m_backend, ""),
            (std::map<std::string, std::uint64_t>{{"backup-a.tar", 2}, {"backup-b.tar", 3}, {"other.tar", 1}}));
  EXPECT_TRUE(listed(*m_backend, "nothing-").empty());

  // The prefix is a plain string, not a glob.
  write_file("backup-*.tar", "g");
  EXPECT_EQ(listed(*m_backend, "backup-*"), (std::map<std::string, std::uint64_t>{{"backup-*.tar", 1}}));
}

TEST_F(LocalBackendTest, ListStopsAtTheVisitorsError) {
  write_file("a", "1");
  write_file("b", "2");
  int calls = 0;
  auto r = m_backend->list("", [&](const ObjectInfo&) -> util::Result<void> {
    ++calls;
    return util::fail(util::ErrorKind::cancelled, "stop");
  });
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().kind(), util::ErrorKind::cancelled);
  EXPECT_EQ(calls, 1);
}

TEST_F(LocalBackendTest, ListOfMissingDirectoryFails) {
  auto backend = make_local_backend(LocalSettings{path("missing"), std::nullopt}, m_log);
  auto r = backend->list("", [](const ObjectInfo&) -> util::Result<void> { return {}; });
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().kind(), util::ErrorKind::not_found);
  auto upload_result = backend->begin_upload("x.tar", {});
  ASSERT_FALSE(upload_result);
  EXPECT_EQ(upload_result.error().kind(), util::ErrorKind::not_found);
}

TEST_F(LocalBackendTest, LatestSymlinkPointsToTheNewest) {
  auto backend = make_local_backend(LocalSettings{m_dir, "latest.tar.gz"}, m_log);
  upload(*backend, "backup-1.tar.gz", "one");
  char target[256] = {};
  ASSERT_GT(::readlink(path("latest.tar.gz").c_str(), target, sizeof(target) - 1), 0);
  EXPECT_STREQ(target, "backup-1.tar.gz");

  upload(*backend, "backup-2.tar.gz", "two");
  target[::readlink(path("latest.tar.gz").c_str(), target, sizeof(target) - 1)] = '\0';
  EXPECT_STREQ(target, "backup-2.tar.gz");
  EXPECT_EQ(read_file("latest.tar.gz"), "two");

  EXPECT_EQ(entries(), (std::vector<std::string>{"backup-1.tar.gz", "backup-2.tar.gz", "latest.tar.gz"}));
  EXPECT_EQ(listed(*backend, ""),
            (std::map<std::string, std::uint64_t>{{"backup-1.tar.gz", 3}, {"backup-2.tar.gz", 3}}));
  // The symlink's name cannot be used as a key.
  auto r = backend->begin_upload("latest.tar.gz", {});
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().kind(), util::ErrorKind::invalid_argument);
}

TEST_F(LocalBackendTest, RemoveIncompleteUploads) {
  write_file(".volback-partial-stale1", "half an archive");
  ASSERT_EQ(::symlink("backup.tar", path(".volback-partial-stale2").c_str()), 0);
  write_file("backup.tar", "complete");
  write_file(".keep", "");

  auto removed = m_backend->remove_incomplete_uploads();
  ASSERT_TRUE(removed) << removed.error().message();
  EXPECT_EQ(*removed, 2U);
  EXPECT_EQ(entries(), (std::vector<std::string>{".keep", "backup.tar"}));
  EXPECT_TRUE(m_log.contains("level=WARN msg=\"Removed a partial file left by an interrupted run\" file=" +
                             path(".volback-partial-stale1")))
    << m_log.text();
  EXPECT_TRUE(m_log.contains("file=" + path(".volback-partial-stale2"))) << m_log.text();

  auto again = m_backend->remove_incomplete_uploads();
  ASSERT_TRUE(again);
  EXPECT_EQ(*again, 0U);
}

TEST_F(LocalBackendTest, Remove) {
  write_file("old.tar", "x");
  EXPECT_TRUE(m_backend->remove("old.tar"));
  EXPECT_TRUE(entries().empty());
  EXPECT_TRUE(m_backend->remove("old.tar"));
  EXPECT_TRUE(m_backend->remove("never-existed.tar"));
}

TEST_F(LocalBackendTest, BadKeysAreRejected) {
  for (const std::string_view key : {std::string_view(""), std::string_view(".hidden"), std::string_view("a//b"),
                                     std::string_view("a/../b"), std::string_view(".."), std::string_view("/abs"),
                                     std::string_view(".volback-partial-x"), std::string_view("nul\0x", 5)}) {
    SCOPED_TRACE(std::string(key));
    auto upload_result = m_backend->begin_upload(key, {});
    ASSERT_FALSE(upload_result);
    EXPECT_EQ(upload_result.error().kind(), util::ErrorKind::invalid_argument);
    auto open_result = m_backend->open(key);
    ASSERT_FALSE(open_result);
    EXPECT_EQ(open_result.error().kind(), util::ErrorKind::invalid_argument);
    auto stat_result = m_backend->stat(key);
    ASSERT_FALSE(stat_result);
    EXPECT_EQ(stat_result.error().kind(), util::ErrorKind::invalid_argument);
    auto remove_result = m_backend->remove(key);
    ASSERT_FALSE(remove_result);
    EXPECT_EQ(remove_result.error().kind(), util::ErrorKind::invalid_argument);
  }
  EXPECT_TRUE(entries().empty());
}

TEST_F(LocalBackendTest, StatIgnoresNonRegularFiles) {
  ASSERT_EQ(::mkdir(path("dir").c_str(), 0755), 0);
  ASSERT_EQ(::symlink("dir", path("link").c_str()), 0);
  for (const char* key : {"dir", "link", "missing"}) {
    auto r = m_backend->stat(key);
    ASSERT_TRUE(r) << key;
    EXPECT_FALSE(*r) << key;
  }
}

// A write that fails (here: the file size limit, which binds root as well) is reported,
// and the partial file is removed when the sink is destroyed.
TEST_F(LocalBackendTest, FailingWriteReportsAnError) {
  struct rlimit old_limit {};
  ASSERT_EQ(::getrlimit(RLIMIT_FSIZE, &old_limit), 0);
  const auto old_handler = std::signal(SIGXFSZ, SIG_IGN);
  {
    auto sink = m_backend->begin_upload("too-big.tar", {});
    ASSERT_TRUE(sink);
    struct rlimit small = old_limit;
    small.rlim_cur = 4096;
    ASSERT_EQ(::setrlimit(RLIMIT_FSIZE, &small), 0);
    auto r = (*sink)->write(io::as_bytes(std::string(10000, 'x')));
    ASSERT_EQ(::setrlimit(RLIMIT_FSIZE, &old_limit), 0);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().kind(), util::ErrorKind::permanent);
    EXPECT_NE(r.error().message().find("File too large"), std::string::npos) << r.error().message();
    EXPECT_FALSE((*sink)->write(io::as_bytes("more")));
    EXPECT_FALSE((*sink)->finish());
  }
  std::signal(SIGXFSZ, old_handler);
  EXPECT_TRUE(entries().empty());
}

}  // namespace
}  // namespace volback::storage::local
