#include <volback/archive/archiver.hpp>

#include <fcntl.h>
#include <grp.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstring>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include <volback/archive/test_support.hpp>
#include <volback/io/memory_sink.hpp>

namespace volback::archive {
namespace {

using test::find_entry;
using test::shell_quote;
using test::TempDir;
using test::write_file;

constexpr std::uint64_t k_gib = std::uint64_t{1} << 30;

// Counts what an observer is shown; keeps the data of small entries.
class RecordingObserver final : public EntryObserver {
 public:
  struct Event {
    EntryInfo info;
    std::uint64_t bytes = 0;
    std::string data;  // first 1 MiB
    bool ended = false;
  };
  void begin_entry(const EntryInfo& info) override { events.push_back({info, 0, {}, false}); }
  void entry_data(std::span<const std::byte> data) override {
    auto& event = events.back();
    event.bytes += data.size();
    const std::size_t room = (1u << 20) - std::min<std::size_t>(event.data.size(), 1u << 20);
    const std::size_t keep = std::min(data.size(), room);
    event.data.append(reinterpret_cast<const char*>(data.data()), keep);
  }
  void end_entry() override { events.back().ended = true; }

  const Event* find(const std::string& path) const {
    for (const auto& e : events) {
      if (e.info.path == path) {
        return &e;
      }
    }
    return nullptr;
  }

  std::vector<Event> events;
};

void set_mtime(const std::string& path, std::int64_t sec, long nsec) {
  const struct timespec times[2] = {{sec, nsec}, {sec, nsec}};
  ASSERT_EQ(::utimensat(AT_FDCWD, path.c_str(), times, AT_SYMLINK_NOFOLLOW), 0) << path;
}

void make_socket(const std::string& path) {
  const int fd = ::socket(AF_UNIX, SOCK_STREAM, 0);
  ASSERT_GE(fd, 0);
  sockaddr_un addr{};
  addr.sun_family = AF_UNIX;
  ASSERT_LT(path.size(), sizeof(addr.sun_path));
  std::memcpy(addr.sun_path, path.c_str(), path.size() + 1);
  ASSERT_EQ(::bind(fd, reinterpret_cast<const sockaddr*>(&addr), sizeof(addr)), 0) << path;
  ::close(fd);
}

void run_ok(const std::string& command) {
  const auto r = test::run_command(command);
  ASSERT_EQ(r.status, 0) << command << "\n" << r.output;
}

struct stat lstat_of(const std::string& path) {
  struct stat st {};
  EXPECT_EQ(::lstat(path.c_str(), &st), 0) << path;
  return st;
}

class ArchiverTest : public ::testing::Test {
 protected:
  struct Run {
    util::Result<ArchiveReport> report;
    std::string data;
  };

  void SetUp() override { m_src = test::make_dirs(m_tmp / "src"); }

  ArchiveOptions options() const {
    ArchiveOptions o;
    o.source = m_src;
    return o;
  }

  Run archive(const ArchiveOptions& o, EntryObserver* observer = nullptr) {
    io::MemorySink sink;
    TarWriter tar(sink, observer);
    auto report = archive_tree(o, tar, m_log, m_cancel);
    if (report) {
      EXPECT_TRUE(tar.finish());
    }
    return Run{std::move(report), sink.data()};
  }

  Run archive() { return archive(options()); }

  // The archive name of a path below the source.
  std::string name(const std::string& relative) const { return m_src.substr(1) + "/" + relative; }
  std::string dir_name(const std::string& relative) const { return name(relative) + "/"; }
  std::string root_name() const { return m_src.substr(1) + "/"; }
  std::string src(const std::string& relative) const { return m_src + "/" + relative; }

  // Extracts with GNU tar; returns the directory that corresponds to the source.
  std::string extract(const std::string& data, std::string* output = nullptr) {
    const std::string file = m_tmp / "out.tar";
    write_file(file, data);
    const std::string out = test::make_dirs(m_tmp / "extracted");
    const auto r = test::gnu_tar_extract(file, out);
    EXPECT_EQ(r.status, 0) << r.output;
    if (output != nullptr) {
      *output = r.output;
    }
    return out + m_src;
  }

  TempDir m_tmp;
  std::string m_src;
  util::CapturingLogger m_log;
  util::CancelToken m_cancel;
};

TEST_F(ArchiverTest, WalksDepthFirstInBytewiseOrderFromTheRoot) {
  test::make_dirs(src("a"));
  for (const char* f : {"b", "a/x", "a.txt", "B", "\xc3\xa9", "a/-"}) {
    write_file(src(f), f);
  }
  auto run = archive();
  ASSERT_TRUE(run.report) << run.report.error().message();
  const auto read = test::read_tar(run.data);
  ASSERT_TRUE(read.ok) << read.error;
  std::vector<std::string> names;
  for (const auto& e : read.entries) {
    names.push_back(e.path);
  }
  // Like Go's WalkDir: a directory's subtree comes right after it, so "a/x" precedes
  // "a.txt" although '.' < '/'.
  const std::vector<std::string> expected{root_name(), name("B"),     dir_name("a"), name("a/-"),
                                          name("a/x"), name("a.txt"), name("b"),     name("\xc3\xa9")};
  EXPECT_EQ(names, expected);
  EXPECT_EQ(run.report->entries, expected.size());
  EXPECT_EQ(run.report->content_bytes, 1u + 3u + 5u + 1u + 2u + 3u);
  EXPECT_EQ(root_name().front(), 't');  // no leading slash
}

TEST_F(ArchiverTest, RoundTripsThroughGnuTar) {
  test::make_dirs(src("app"));
  test::make_dirs(src("other"));
  test::make_dirs(src("empty"));
  write_file(src("app/data.txt"), "hello data");
  write_file(src("app/h1"), "linked content");
  ASSERT_EQ(::link(src("app/h1").c_str(), src("other/h2").c_str()), 0);
  ASSERT_EQ(::symlink("data.txt", src("app/link").c_str()), 0);
  ASSERT_EQ(::symlink("../nowhere", src("app/dangling").c_str()), 0);
  write_file(src("app/owned"), "postgres");
  ASSERT_EQ(::chown(src("app/owned").c_str(), 70, 70), 0);
  ASSERT_EQ(::chmod(src("app/owned").c_str(), 0600), 0);
  const std::string unicode = "caf\xc3\xa9-\xe6\x97\xa5\xe6\x9c\xac-\xf0\x9f\x98\x80.txt";
  write_file(src(unicode), "unicode");
  const std::string long_dir = std::string(100, 'd') + "/" + std::string(100, 'e');
  test::make_dirs(src(long_dir));
  const std::string long_file = long_dir + "/" + std::string(100, 'f') + ".txt";
  write_file(src(long_file), "long");
  ASSERT_GT(name(long_file).size(), 300u);
  write_file(src("app/acl.txt"), "acl");
  run_ok("setfattr -n user.note -v hello " + shell_quote(src("app/data.txt")));
  run_ok("setfacl -m u:1234:r " + shell_quote(src("app/acl.txt")));
  ASSERT_EQ(::mkfifo(src("app/fifo").c_str(), 0640), 0);
  make_socket(src("app/sock"));
  set_mtime(src("app/data.txt"), 1700000000, 123456789);
  set_mtime(src("empty"), 1600000000, 987654321);

  auto run = archive();
  ASSERT_TRUE(run.report) << run.report.error().message();
  EXPECT_TRUE(run.report->unreadable.empty());
  EXPECT_TRUE(run.report->vanished.empty());

  // What libarchive's reader sees.
  const auto read = test::read_tar(run.data);
  ASSERT_TRUE(read.ok) << read.error;
  const auto* data = find_entry(read, name("app/data.txt"));
  ASSERT_NE(data, nullptr);
  EXPECT_EQ(data->content, "hello data");
  EXPECT_EQ(data->mtime, 1700000000);
  EXPECT_EQ(data->mtime_nsec, 123456789);
  EXPECT_FALSE(data->has_atime);
  EXPECT_FALSE(data->has_ctime);
  EXPECT_EQ(data->uname, "");  // numeric owners only, unless owner_names
  EXPECT_EQ(data->gname, "");
  EXPECT_EQ(data->xattrs.at("user.note"), "hello");
  const auto* h1 = find_entry(read, name("app/h1"));
  const auto* h2 = find_entry(read, name("other/h2"));
  ASSERT_NE(h1, nullptr);
  ASSERT_NE(h2, nullptr);
  EXPECT_EQ(h1->content, "linked content");
  EXPECT_EQ(h2->hardlink, name("app/h1"));
  EXPECT_EQ(h2->size, 0);
  const auto* link = find_entry(read, name("app/link"));
  ASSERT_NE(link, nullptr);
  EXPECT_EQ(link->filetype, static_cast<unsigned>(AE_IFLNK));
  EXPECT_EQ(link->symlink, "data.txt");
  const auto* owned = find_entry(read, name("app/owned"));
  ASSERT_NE(owned, nullptr);
  EXPECT_EQ(owned->uid, 70);
  EXPECT_EQ(owned->gid, 70);
  EXPECT_EQ(owned->mode & 07777, 0600u);
  const auto* acl = find_entry(read, name("app/acl.txt"));
  ASSERT_NE(acl, nullptr);
  EXPECT_NE(acl->acl.find("user:1234:r--"), std::string::npos) << acl->acl;
  const auto* fifo = find_entry(read, name("app/fifo"));
  ASSERT_NE(fifo, nullptr);
  EXPECT_EQ(fifo->filetype, static_cast<unsigned>(AE_IFIFO));
  EXPECT_EQ(find_entry(read, name("app/sock")), nullptr);
  EXPECT_NE(find_entry(read, dir_name("empty")), nullptr);
  EXPECT_NE(find_entry(read, name(unicode)), nullptr);
  EXPECT_NE(find_entry(read, name(long_file)), nullptr);

  // What GNU tar extracts. It prints nothing: no unknown-keyword warnings.
  std::string output;
  const std::string out = extract(run.data, &output);
  EXPECT_EQ(output, "");
  EXPECT_EQ(test::read_file(out + "/app/data.txt"), "hello data");
  const auto data_st = lstat_of(out + "/app/data.txt");
  EXPECT_EQ(data_st.st_mtim.tv_sec, 1700000000);
  EXPECT_EQ(data_st.st_mtim.tv_nsec, 123456789);
  const auto empty_st = lstat_of(out + "/empty");
  EXPECT_TRUE(S_ISDIR(empty_st.st_mode));
  EXPECT_EQ(empty_st.st_mtim.tv_nsec, 987654321);
  const auto h1_st = lstat_of(out + "/app/h1");
  const auto h2_st = lstat_of(out + "/other/h2");
  EXPECT_EQ(h1_st.st_ino, h2_st.st_ino);
  EXPECT_EQ(h1_st.st_nlink, 2u);
  EXPECT_EQ(test::read_file(out + "/other/h2"), "linked content");
  char target[64] = {};
  ASSERT_GT(::readlink((out + "/app/link").c_str(), target, sizeof(target) - 1), 0);
  EXPECT_STREQ(target, "data.txt");
  std::memset(target, 0, sizeof(target));
  ASSERT_GT(::readlink((out + "/app/dangling").c_str(), target, sizeof(target) - 1), 0);
  EXPECT_STREQ(target, "../nowhere");
  const auto owned_st = lstat_of(out + "/app/owned");
  EXPECT_EQ(owned_st.st_uid, 70u);
  EXPECT_EQ(owned_st.st_gid, 70u);
  EXPECT_EQ(owned_st.st_mode & 07777, 0600u);
  EXPECT_EQ(test::read_file(out + "/" + unicode), "unicode");
  EXPECT_EQ(test::read_file(out + "/" + long_file), "long");
  EXPECT_TRUE(S_ISFIFO(lstat_of(out + "/app/fifo").st_mode));
  struct stat sock_st {};
  EXPECT_NE(::lstat((out + "/app/sock").c_str(), &sock_st), 0);
  const auto xattr =
    test::run_command("getfattr --absolute-names --only-values -n user.note " + shell_quote(out + "/app/data.txt"));
  EXPECT_EQ(xattr.output, "hello");
  const auto facl = test::run_command("getfacl --absolute-names -n " + shell_quote(out + "/app/acl.txt"));
  EXPECT_NE(facl.output.find("user:1234:r--"), std::string::npos) << facl.output;
}

TEST_F(ArchiverTest, KeepsNamesThatAreNotUtf8ByteForByte) {
  const std::string raw = "bad\xff\xfe-name";
  const std::string nfd = "nfd-e\xcc\x81";  // "é" decomposed: must not be normalized
  write_file(src(raw), "raw");
  write_file(src(nfd), "nfd");
  auto run = archive();
  ASSERT_TRUE(run.report) << run.report.error().message();
  const auto read = test::read_tar(run.data);
  ASSERT_TRUE(read.ok) << read.error;
  EXPECT_NE(find_entry(read, name(raw)), nullptr);
  EXPECT_NE(find_entry(read, name(nfd)), nullptr);
  // GNU tar warns about the hdrcharset keyword of the raw name but extracts it exactly.
  const std::string out = extract(run.data);
  EXPECT_EQ(test::read_file(out + "/" + raw), "raw");
  EXPECT_EQ(test::read_file(out + "/" + nfd), "nfd");
}

TEST_F(ArchiverTest, OwnerNamesAreRecordedOnlyWhenAsked) {
  write_file(src("owned"), "x");
  auto o = options();
  o.owner_names = true;
  auto run = archive(o);
  ASSERT_TRUE(run.report) << run.report.error().message();
  const auto read = test::read_tar(run.data);
  ASSERT_TRUE(read.ok) << read.error;
  const auto* owned = find_entry(read, name("owned"));
  ASSERT_NE(owned, nullptr);
  EXPECT_EQ(owned->uname, "root");
  EXPECT_EQ(owned->gname, "root");
}

TEST_F(ArchiverTest, SparseFilesAreStoredDenseByDefault) {
  const std::string path = src("disk.img");
  run_ok("truncate -s 4M " + shell_quote(path));
  {
    const int fd = ::open(path.c_str(), O_WRONLY);
    ASSERT_GE(fd, 0);
    ASSERT_EQ(::pwrite(fd, "middle", 6, 2 << 20), 6);
    ::close(fd);
  }
  auto run = archive();
  ASSERT_TRUE(run.report) << run.report.error().message();
  EXPECT_GT(run.data.size(), 4u << 20);  // the holes are zeros in the archive
  const auto read = test::read_tar(run.data);
  ASSERT_TRUE(read.ok) << read.error;
  const auto* img = find_entry(read, name("disk.img"));
  ASSERT_NE(img, nullptr);
  EXPECT_EQ(img->size, 4 << 20);
  EXPECT_EQ(img->content.size(), 4u << 20);
  EXPECT_EQ(img->content.substr(2 << 20, 6), "middle");
  EXPECT_EQ(run.data.find("GNU.sparse"), std::string::npos);
}

TEST_F(ArchiverTest, SparseFilesKeepTheirHolesWhenAsked) {
  const std::string path = src("disk.img");
  run_ok("truncate -s 1G " + shell_quote(path));
  {
    const int fd = ::open(path.c_str(), O_WRONLY);
    ASSERT_GE(fd, 0);
    ASSERT_EQ(::pwrite(fd, "middle", 6, 512 << 20), 6);
    ::close(fd);
  }
  write_file(src("plain.txt"), "plain");
  RecordingObserver observer;
  auto o = options();
  o.sparse = true;
  auto run = archive(o, &observer);
  ASSERT_TRUE(run.report) << run.report.error().message();
  EXPECT_LT(run.data.size(), 64u << 10);
  EXPECT_EQ(run.report->content_bytes, k_gib + 5);

  // The observer is shown the whole logical content, holes as zeros.
  const auto* event = observer.find(name("disk.img"));
  ASSERT_NE(event, nullptr);
  EXPECT_EQ(event->info.size, k_gib);
  EXPECT_EQ(event->bytes, k_gib);

  const auto read = test::read_tar(run.data);
  ASSERT_TRUE(read.ok) << read.error;
  const auto* img = find_entry(read, name("disk.img"));
  ASSERT_NE(img, nullptr);
  EXPECT_EQ(img->size, static_cast<std::int64_t>(k_gib));
  std::uint64_t stored = 0;
  for (const auto& [offset, length] : img->blocks) {
    stored += length;
  }
  EXPECT_LE(stored, 64u << 10);

  const std::string out = extract(run.data);
  const auto st = lstat_of(out + "/disk.img");
  EXPECT_EQ(static_cast<std::uint64_t>(st.st_size), k_gib);
  EXPECT_LT(static_cast<std::uint64_t>(st.st_blocks) * 512, 1u << 20);
  const int fd = ::open((out + "/disk.img").c_str(), O_RDONLY);
  ASSERT_GE(fd, 0);
  char buffer[8] = {};
  EXPECT_EQ(::pread(fd, buffer, 6, 512 << 20), 6);
  ::close(fd);
  EXPECT_STREQ(buffer, "middle");
}

TEST_F(ArchiverTest, SparseFileOver8GiBHasNo32BitLimits) {
  const std::string path = src("huge.img");
  run_ok("truncate -s 9G " + shell_quote(path));
  const std::uint64_t offset = std::uint64_t{17} << 29;  // 8.5 GiB
  {
    const int fd = ::open(path.c_str(), O_WRONLY);
    ASSERT_GE(fd, 0);
    ASSERT_EQ(::pwrite(fd, "far", 3, static_cast<off_t>(offset)), 3);
    ::close(fd);
  }
  auto o = options();
  o.sparse = true;
  auto run = archive(o);
  ASSERT_TRUE(run.report) << run.report.error().message();
  EXPECT_LT(run.data.size(), 64u << 10);
  EXPECT_EQ(run.report->content_bytes, 9 * k_gib);
  const auto read = test::read_tar(run.data);
  ASSERT_TRUE(read.ok) << read.error;
  const auto* huge = find_entry(read, name("huge.img"));
  ASSERT_NE(huge, nullptr);
  EXPECT_EQ(huge->size, static_cast<std::int64_t>(9 * k_gib));
  const std::string out = extract(run.data);
  EXPECT_EQ(static_cast<std::uint64_t>(lstat_of(out + "/huge.img").st_size), 9 * k_gib);
  const int fd = ::open((out + "/huge.img").c_str(), O_RDONLY);
  ASSERT_GE(fd, 0);
  char buffer[4] = {};
  EXPECT_EQ(::pread(fd, buffer, 3, static_cast<off_t>(offset)), 3);
  ::close(fd);
  EXPECT_STREQ(buffer, "far");
}

TEST_F(ArchiverTest, SkipsSockets) {
  make_socket(src("s"));
  write_file(src("t"), "t");
  auto run = archive();
  ASSERT_TRUE(run.report);
  const auto read = test::read_tar(run.data);
  ASSERT_EQ(read.entries.size(), 2u);
  EXPECT_EQ(find_entry(read, name("s")), nullptr);
  EXPECT_TRUE(run.report->unreadable.empty());
  EXPECT_FALSE(m_log.contains("level=ERROR"));
}

TEST_F(ArchiverTest, StoresDeviceNodes) {
  if (::mknod(src("null").c_str(), S_IFCHR | 0666, makedev(1, 3)) != 0) {
    GTEST_SKIP() << "cannot create device nodes here: " << std::strerror(errno);
  }
  auto run = archive();
  ASSERT_TRUE(run.report);
  const auto read = test::read_tar(run.data);
  const auto* dev = find_entry(read, name("null"));
  ASSERT_NE(dev, nullptr);
  EXPECT_EQ(dev->filetype, static_cast<unsigned>(AE_IFCHR));
  const std::string out = extract(run.data);
  const auto st = lstat_of(out + "/null");
  EXPECT_TRUE(S_ISCHR(st.st_mode));
  EXPECT_EQ(st.st_rdev, makedev(1, 3));
}

TEST_F(ArchiverTest, ExclusionSkipsMatchesAndWholeDirectories) {
  write_file(src("me.txt"), "kept");
  write_file(src("skip.me"), "dropped");
  test::make_dirs(src("dir.you/sub"));
  write_file(src("dir.you/child.txt"), "child of an excluded directory");
  write_file(src("dir.you/sub/deep.txt"), "deep");
  auto exclusion = Exclusion::compile(R"(\.(me|you)$)");
  ASSERT_TRUE(exclusion);
  auto o = options();
  o.exclude = &*exclusion;
  auto run = archive(o);
  ASSERT_TRUE(run.report);
  const auto read = test::read_tar(run.data);
  std::vector<std::string> names;
  for (const auto& e : read.entries) {
    names.push_back(e.path);
  }
  EXPECT_EQ(names, (std::vector<std::string>{root_name(), name("me.txt")}));
}

TEST_F(ArchiverTest, TheRootIsNeverExcluded) {
  write_file(src("a"), "a");
  auto exclusion = Exclusion::compile("src$");
  ASSERT_TRUE(exclusion);
  auto o = options();
  o.exclude = &*exclusion;
  auto run = archive(o);
  ASSERT_TRUE(run.report);
  const auto read = test::read_tar(run.data);
  ASSERT_EQ(read.entries.size(), 2u);
  EXPECT_EQ(read.entries[0].path, root_name());
}

TEST_F(ArchiverTest, ACopyIsArchivedUnderTheNamesOfTheTreeItStandsFor) {
  // A snapshot of the source lies elsewhere; the archive must be the source's.
  const std::string copy = test::make_dirs(m_tmp / "snapshot/tree");
  test::make_dirs(copy + "/app/empty");
  write_file(copy + "/app/file", "content");
  ASSERT_EQ(::link((copy + "/app/file").c_str(), (copy + "/second").c_str()), 0);
  write_file(copy + "/skip.me", "dropped");
  write_file(copy + "/gone", "vanishes");
  // Matched against the source's names: a pattern naming the copy's place matches nothing.
  auto exclusion = Exclusion::compile(R"(^/.*/src/skip\.me$|snapshot)");
  ASSERT_TRUE(exclusion);
  ArchiveTestHooks hooks;
  hooks.before_stat = [&](const std::string& path) {
    if (path == copy + "/gone") {
      std::filesystem::remove(path);
    }
  };
  auto o = options();
  o.source = copy;
  o.names_as = m_src;
  o.exclude = &*exclusion;
  o.test_hooks = &hooks;
  auto run = archive(o);
  ASSERT_TRUE(run.report) << run.report.error().message();
  EXPECT_EQ(run.report->vanished, std::vector<std::string>{src("gone")});
  const auto read = test::read_tar(run.data);
  ASSERT_TRUE(read.ok) << read.error;
  std::vector<std::string> names;
  for (const auto& e : read.entries) {
    names.push_back(e.path);
  }
  EXPECT_EQ(names, (std::vector<std::string>{root_name(), dir_name("app"), dir_name("app/empty"), name("app/file"),
                                             name("second")}));
  const auto* second = find_entry(read, name("second"));
  ASSERT_NE(second, nullptr);
  EXPECT_EQ(second->hardlink, name("app/file"));
}

TEST_F(ArchiverTest, ACopyStandingForTheRootDirectoryHasTheRootsNames) {
  const std::string copy = test::make_dirs(m_tmp / "snapshot");
  write_file(copy + "/etc", "x");
  auto o = options();
  o.source = copy;
  o.names_as = "/";
  auto run = archive(o);
  ASSERT_TRUE(run.report) << run.report.error().message();
  const auto read = test::read_tar(run.data);
  ASSERT_TRUE(read.ok) << read.error;
  ASSERT_EQ(read.entries.size(), 2u);
  EXPECT_EQ(read.entries[0].path, "./");
  EXPECT_EQ(read.entries[1].path, "etc");
}

TEST_F(ArchiverTest, VanishedFilesAreReportedAndSkipped) {
  write_file(src("a.txt"), "a");
  write_file(src("gone.txt"), "about to vanish");
  test::make_dirs(src("gone_dir/sub"));
  write_file(src("gone_dir/sub/x"), "x");
  write_file(src("z.txt"), "z");
  // A real race: the names were listed, then the files are deleted before lstat().
  ArchiveTestHooks hooks;
  hooks.before_stat = [&](const std::string& path) {
    if (path == src("gone.txt") || path == src("gone_dir")) {
      std::filesystem::remove_all(path);
    }
  };
  auto o = options();
  o.test_hooks = &hooks;
  auto run = archive(o);
  ASSERT_TRUE(run.report) << run.report.error().message();
  EXPECT_EQ(run.report->vanished, (std::vector<std::string>{src("gone.txt"), src("gone_dir")}));
  EXPECT_TRUE(run.report->unreadable.empty());
  EXPECT_TRUE(m_log.contains("level=WARN")) << m_log.text();
  EXPECT_TRUE(m_log.contains(src("gone.txt"))) << m_log.text();
  const auto read = test::read_tar(run.data);
  ASSERT_TRUE(read.ok);
  EXPECT_EQ(read.entries.size(), 3u);
  EXPECT_NE(find_entry(read, name("z.txt")), nullptr);
  EXPECT_EQ(find_entry(read, name("gone.txt")), nullptr);
}

TEST_F(ArchiverTest, FileThatCannotBeOpenedIsReportedAndSkipped) {
  write_file(src("a.txt"), "a");
  write_file(src("secret.txt"), "secret");
  // Root is never refused with EACCES, so the refusal is injected at open() (the real
  // kernel refusal is covered by PermissionDeniedForRealAsAnUnprivilegedUser).
  ArchiveTestHooks hooks;
  hooks.open_error = [&](const std::string& path) { return path == src("secret.txt") ? EACCES : 0; };
  auto o = options();
  o.test_hooks = &hooks;
  auto run = archive(o);
  ASSERT_TRUE(run.report) << run.report.error().message();
  ASSERT_EQ(run.report->unreadable.size(), 1u);
  EXPECT_EQ(run.report->unreadable[0].path, src("secret.txt"));
  EXPECT_EQ(run.report->unreadable[0].reason, "cannot open: Permission denied");
  EXPECT_TRUE(m_log.contains("level=ERROR")) << m_log.text();
  EXPECT_TRUE(m_log.contains(src("secret.txt"))) << m_log.text();
  const auto read = test::read_tar(run.data);
  ASSERT_TRUE(read.ok);
  EXPECT_EQ(find_entry(read, name("secret.txt")), nullptr);
  EXPECT_NE(find_entry(read, name("a.txt")), nullptr);
  extract(run.data);
}

std::string pattern_content(std::size_t size) {
  std::string content(size, '\0');
  for (std::size_t i = 0; i < size; ++i) {
    content[i] = static_cast<char>('a' + i % 23);
  }
  return content;
}

TEST_F(ArchiverTest, ReadErrorMidFileIsPaddedWithZerosAndReported) {
  const std::string content = pattern_content(3 << 20);
  write_file(src("broken.bin"), content);
  write_file(src("next.txt"), "next");
  // A failing disk cannot be arranged in a unit test; the EIO is injected at the read.
  ArchiveTestHooks hooks;
  hooks.read_error = [&](const std::string& path, std::uint64_t offset) {
    return path == src("broken.bin") && offset >= (1u << 20) ? EIO : 0;
  };
  auto o = options();
  o.test_hooks = &hooks;
  auto run = archive(o);
  ASSERT_TRUE(run.report) << run.report.error().message();
  ASSERT_EQ(run.report->unreadable.size(), 1u);
  EXPECT_EQ(run.report->unreadable[0].reason, "read error at offset 1048576: Input/output error");
  EXPECT_TRUE(m_log.contains("level=ERROR"));
  const auto read = test::read_tar(run.data);
  ASSERT_TRUE(read.ok) << read.error;
  const auto* broken = find_entry(read, name("broken.bin"));
  ASSERT_NE(broken, nullptr);
  EXPECT_EQ(broken->size, 3 << 20);
  EXPECT_TRUE(broken->content == content.substr(0, 1 << 20) + std::string(2 << 20, '\0'));
  EXPECT_NE(find_entry(read, name("next.txt")), nullptr);
  extract(run.data);
}

TEST_F(ArchiverTest, FileShrinkingWhileReadIsPaddedWithZerosAndReported) {
  const std::string content = pattern_content(2 << 20);
  write_file(src("log.bin"), content);
  ArchiveTestHooks hooks;
  hooks.before_read = [&](const std::string& path) {
    if (path == src("log.bin")) {
      ASSERT_EQ(::truncate(path.c_str(), 100), 0);  // a real truncation after the header
    }
  };
  auto o = options();
  o.test_hooks = &hooks;
  auto run = archive(o);
  ASSERT_TRUE(run.report) << run.report.error().message();
  ASSERT_EQ(run.report->unreadable.size(), 1u);
  EXPECT_EQ(run.report->unreadable[0].path, src("log.bin"));
  EXPECT_EQ(run.report->unreadable[0].reason, "file shrank while being read");
  const auto read = test::read_tar(run.data);
  ASSERT_TRUE(read.ok) << read.error;
  const auto* log = find_entry(read, name("log.bin"));
  ASSERT_NE(log, nullptr);
  EXPECT_EQ(log->size, 2 << 20);
  EXPECT_TRUE(log->content == content.substr(0, 100) + std::string((2 << 20) - 100, '\0'));
  extract(run.data);
}

TEST_F(ArchiverTest, DirectoryThatCannotBeOpenedIsArchivedWithoutChildren) {
  test::make_dirs(src("private"));
  write_file(src("private/inside"), "x");
  write_file(src("z"), "z");
  ArchiveTestHooks hooks;
  hooks.open_error = [&](const std::string& path) { return path == src("private") ? EACCES : 0; };
  auto o = options();
  o.test_hooks = &hooks;
  auto run = archive(o);
  ASSERT_TRUE(run.report) << run.report.error().message();
  ASSERT_EQ(run.report->unreadable.size(), 1u);
  EXPECT_EQ(run.report->unreadable[0].path, src("private"));
  EXPECT_EQ(run.report->unreadable[0].reason, "cannot open directory: Permission denied");
  const auto read = test::read_tar(run.data);
  EXPECT_NE(find_entry(read, dir_name("private")), nullptr);
  EXPECT_EQ(find_entry(read, name("private/inside")), nullptr);
  EXPECT_NE(find_entry(read, name("z")), nullptr);
}

// Archives `options` and returns "<unreadable path>\t<reason>\n..." + '\0' + the archive,
// or "error: ..." when the run failed.
std::string walk_to_payload(const ArchiveOptions& options) {
  io::MemorySink sink;
  TarWriter tar(sink);
  util::CapturingLogger log;
  util::CancelToken cancel;
  auto report = archive_tree(options, tar, log, cancel);
  if (!report) {
    return "error: " + report.error().message();
  }
  if (!tar.finish()) {
    return "error: finish";
  }
  std::string payload;
  for (const auto& p : report->unreadable) {
    payload += p.path + "\t" + p.reason + "\n";
  }
  payload += '\0';
  payload += sink.data();
  return payload;
}

// Root bypasses permission checks, so when the tests run as root the walk runs in a child
// process that dropped to nobody (65534): the EACCES below come from the kernel.
TEST_F(ArchiverTest, PermissionDeniedForRealAsAnUnprivilegedUser) {
  write_file(src("ok.txt"), "ok");
  write_file(src("locked.txt"), "locked");
  test::make_dirs(src("locked_dir"));
  write_file(src("locked_dir/inner.txt"), "inner");
  ASSERT_EQ(::chmod(src("locked.txt").c_str(), 0), 0);
  ASSERT_EQ(::chmod(src("locked_dir").c_str(), 0), 0);
  ASSERT_EQ(::chmod(m_tmp.path().c_str(), 0755), 0);

  std::string payload;
  if (::geteuid() != 0) {
    payload = walk_to_payload(options());
  } else {
    int fds[2];
    ASSERT_EQ(::pipe(fds), 0);
    const pid_t pid = ::fork();
    ASSERT_GE(pid, 0);
    if (pid == 0) {
      // The child: no gtest assertions, leave with _exit().
      ::close(fds[0]);
      if (::setgroups(0, nullptr) != 0 || ::setgid(65534) != 0 || ::setuid(65534) != 0) {
        ::_exit(90);
      }
      const std::string result = walk_to_payload(options());
      std::size_t done = 0;
      while (done < result.size()) {
        const ssize_t n = ::write(fds[1], result.data() + done, result.size() - done);
        if (n <= 0) {
          ::_exit(91);
        }
        done += static_cast<std::size_t>(n);
      }
      ::_exit(0);
    }
    ::close(fds[1]);
    char buffer[65536];
    ssize_t n = 0;
    while ((n = ::read(fds[0], buffer, sizeof(buffer))) > 0) {
      payload.append(buffer, static_cast<std::size_t>(n));
    }
    ::close(fds[0]);
    int status = 0;
    ASSERT_EQ(::waitpid(pid, &status, 0), pid);
    ASSERT_TRUE(WIFEXITED(status));
    ASSERT_EQ(WEXITSTATUS(status), 0);
  }
  const auto split = payload.find('\0');
  ASSERT_NE(split, std::string::npos) << payload;
  EXPECT_EQ(payload.substr(0, split), src("locked.txt") + "\tcannot open: Permission denied\n" + src("locked_dir") +
                                        "\tcannot open directory: Permission denied\n");
  const auto read = test::read_tar(payload.substr(split + 1));
  ASSERT_TRUE(read.ok) << read.error;
  EXPECT_NE(find_entry(read, name("ok.txt")), nullptr);
  EXPECT_NE(find_entry(read, dir_name("locked_dir")), nullptr);
  EXPECT_EQ(find_entry(read, name("locked.txt")), nullptr);
  EXPECT_EQ(find_entry(read, name("locked_dir/inner.txt")), nullptr);
}

TEST_F(ArchiverTest, MissingSourceFailsTheRun) {
  auto o = options();
  o.source = m_tmp / "missing";
  auto run = archive(o);
  ASSERT_FALSE(run.report);
  EXPECT_EQ(run.report.error().kind(), util::ErrorKind::not_found);

  write_file(m_tmp / "file", "x");
  o.source = m_tmp / "file";
  run = archive(o);
  ASSERT_FALSE(run.report);
  EXPECT_EQ(run.report.error().kind(), util::ErrorKind::invalid_argument);

  o.source = "relative/path";
  run = archive(o);
  ASSERT_FALSE(run.report);
  EXPECT_EQ(run.report.error().kind(), util::ErrorKind::invalid_argument);
}

TEST_F(ArchiverTest, SymlinkedSourceIsWalkedAsItsDirectory) {
  write_file(src("a"), "a");
  const std::string link = m_tmp / "link";
  ASSERT_EQ(::symlink(m_src.c_str(), link.c_str()), 0);
  auto o = options();
  o.source = link;
  auto run = archive(o);
  ASSERT_TRUE(run.report) << run.report.error().message();
  const auto read = test::read_tar(run.data);
  ASSERT_EQ(read.entries.size(), 2u);
  EXPECT_EQ(read.entries[0].path, link.substr(1) + "/");
  EXPECT_EQ(read.entries[0].filetype, static_cast<unsigned>(AE_IFDIR));
  EXPECT_EQ(read.entries[1].path, link.substr(1) + "/a");
}

TEST_F(ArchiverTest, SinkErrorsFailTheRun) {
  write_file(src("big"), pattern_content(1 << 20));
  test::FailingSink sink(4096, util::ErrorKind::transient);
  TarWriter tar(sink);
  auto report = archive_tree(options(), tar, m_log, m_cancel);
  ASSERT_FALSE(report);
  EXPECT_EQ(report.error().kind(), util::ErrorKind::transient);
  EXPECT_EQ(report.error().message(), "disk on fire");
}

TEST_F(ArchiverTest, CancellationStopsTheRun) {
  write_file(src("a"), "a");
  write_file(src("b"), "b");
  m_cancel.request();
  auto run = archive();
  ASSERT_FALSE(run.report);
  EXPECT_EQ(run.report.error().kind(), util::ErrorKind::cancelled);
}

TEST_F(ArchiverTest, CancellationDuringTheWalkStopsIt) {
  write_file(src("a"), "a");
  write_file(src("b"), "b");
  write_file(src("c"), "c");
  ArchiveTestHooks hooks;
  hooks.before_read = [&](const std::string& path) {
    if (path == src("b")) {
      m_cancel.request();
    }
  };
  auto o = options();
  o.test_hooks = &hooks;
  auto run = archive(o);
  ASSERT_FALSE(run.report);
  EXPECT_EQ(run.report.error().kind(), util::ErrorKind::cancelled);
}

TEST_F(ArchiverTest, ObserverSeesEveryEntry) {
  write_file(src("file"), "content");
  ASSERT_EQ(::link(src("file").c_str(), src("hard").c_str()), 0);
  ASSERT_EQ(::symlink("file", src("sym").c_str()), 0);
  test::make_dirs(src("dir"));
  RecordingObserver observer;
  io::MemorySink sink;
  TarWriter tar(sink, &observer);
  auto report = archive_tree(options(), tar, m_log, m_cancel);
  ASSERT_TRUE(report);
  ASSERT_TRUE(tar.add_memory_file("manifest.json", "{}", 0644, util::TimePoint{}));
  ASSERT_TRUE(tar.finish());

  std::vector<std::string> paths;
  for (const auto& e : observer.events) {
    paths.push_back(e.info.path);
    EXPECT_TRUE(e.ended) << e.info.path;
  }
  EXPECT_EQ(paths, (std::vector<std::string>{m_src.substr(1), name("dir"), name("file"), name("hard"), name("sym"),
                                             "manifest.json"}));
  EXPECT_EQ(report->entries, 5u);
  const auto* root = observer.find(m_src.substr(1));
  EXPECT_EQ(root->info.type, EntryType::directory);
  const auto* file = observer.find(name("file"));
  EXPECT_EQ(file->info.type, EntryType::regular);
  EXPECT_EQ(file->info.size, 7u);
  EXPECT_EQ(file->data, "content");
  const auto* hard = observer.find(name("hard"));
  EXPECT_EQ(hard->info.type, EntryType::hardlink);
  EXPECT_EQ(hard->info.link_target, name("file"));
  EXPECT_EQ(hard->bytes, 0u);
  const auto* sym = observer.find(name("sym"));
  EXPECT_EQ(sym->info.type, EntryType::symlink);
  EXPECT_EQ(sym->info.link_target, "file");
  EXPECT_EQ(observer.find("manifest.json")->data, "{}");
}

}  // namespace
}  // namespace volback::archive
