#include <volback/archive/archiver.hpp>

#include <archive.h>
#include <archive_entry.h>
#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <memory>
#include <optional>
#include <utility>

#include <fmt/format.h>

#include <volback/archive/entry_ptr.hpp>
#include <volback/fs/dir_stream.hpp>
#include <volback/fs/unique_fd.hpp>

namespace volback::archive {

namespace {

constexpr std::size_t k_read_chunk = std::size_t{1} << 20;

struct ReadDiskDeleter {
  void operator()(::archive* a) const { archive_read_free(a); }
};
using ReadDiskPtr = std::unique_ptr<::archive, ReadDiskDeleter>;

struct ResolverDeleter {
  void operator()(::archive_entry_linkresolver* r) const { archive_entry_linkresolver_free(r); }
};
using ResolverPtr = std::unique_ptr<::archive_entry_linkresolver, ResolverDeleter>;

// ENOENT/ENOTDIR: the path (or a directory above it) is gone.
bool is_vanished(int err) {
  return err == ENOENT || err == ENOTDIR;
}

std::string errno_text(int err) {
  return std::strerror(err);
}

std::string error_text(::archive* a) {
  const char* text = archive_error_string(a);
  return text != nullptr ? std::string(text) : std::string("unknown libarchive error");
}

// The archive name of an absolute path: without the leading '/'.
std::string entry_name(const std::string& path) {
  if (path == "/") {
    return ".";
  }
  return path.substr(1);
}

std::string child_path(const std::string& dir, const std::string& name) {
  return dir == "/" ? "/" + name : dir + "/" + name;
}

struct Region {
  std::uint64_t offset = 0;
  std::uint64_t length = 0;
};

// The data regions of a regular file of `size` bytes: its sparse map (which libarchive
// builds with SEEK_DATA/SEEK_HOLE), or the whole file when it has none.
std::vector<Region> data_regions(::archive_entry* entry, std::uint64_t size) {
  std::vector<Region> regions;
  if (archive_entry_sparse_reset(entry) > 0) {
    la_int64_t offset = 0;
    la_int64_t length = 0;
    while (archive_entry_sparse_next(entry, &offset, &length) == ARCHIVE_OK) {
      if (length > 0) {
        regions.push_back({static_cast<std::uint64_t>(offset), static_cast<std::uint64_t>(length)});
      }
    }
  } else {
    regions.push_back({0, size});
  }
  return regions;
}

class Walker {
 public:
  Walker(const ArchiveOptions& options, TarWriter& tar, util::Logger& log, const util::CancelToken& cancel)
    : m_options(options), m_tar(tar), m_log(log), m_cancel(cancel) {}

  util::Result<ArchiveReport> run();

 private:
  util::Result<void> setup();
  util::Result<void> visit(int parent_fd, const std::string& name, const std::string& path);
  util::Result<void> visit_directory(int parent_fd, const std::string& name, const std::string& path,
                                     const struct stat& lst);
  util::Result<void> visit_regular(int parent_fd, const std::string& name, const std::string& path);
  util::Result<void> visit_other(const std::string& path, const struct stat& lst);
  util::Result<void> walk_directory(int dir_fd, const std::string& path);

  // Builds an entry from the file's metadata via archive_read_disk. `fd` may be -1 (then
  // libarchive works from the path). Errors: the errno libarchive reported, as a value.
  tl::expected<EntryPtr, int> make_entry(const std::string& path, int fd, const struct stat& st);
  // Writes an entry that has no content (or whose content follows via the caller).
  // Returns false when the entry was refused (recorded as unreadable).
  util::Result<bool> begin(const std::string& path, ::archive_entry* entry);
  util::Result<void> copy_content(const std::string& path, int fd, const std::vector<Region>& regions);
  util::Result<void> zeros(std::uint64_t count);
  int open_file(int parent_fd, const std::string& name, const std::string& path, int flags);

  void vanished(const std::string& path, int err);
  void unreadable(const std::string& path, std::string reason, std::string_view consequence);
  // Records a path that is not archived because `what` failed with `err`: vanished for
  // ENOENT/ENOTDIR, unreadable otherwise.
  void skipped(const std::string& path, std::string_view what, int err);
  // Resolves hard links for `entry` (a later name of a linked file becomes a link
  // entry) and writes its header; see begin().
  util::Result<bool> begin_linked(const std::string& path, ::archive_entry* entry);
  const ArchiveTestHooks* hooks() const { return m_options.test_hooks; }
  // The path under ArchiveOptions::names_as that the walked `path` stands for.
  std::string shown(const std::string& path) const;

  const ArchiveOptions& m_options;
  TarWriter& m_tar;
  util::Logger& m_log;
  const util::CancelToken& m_cancel;
  ReadDiskPtr m_disk;
  ResolverPtr m_links;
  std::vector<std::byte> m_buffer;
  ArchiveReport m_report;
};

std::string Walker::shown(const std::string& path) const {
  if (m_options.names_as.empty()) {
    return path;
  }
  const std::string rest = path.substr(m_options.source.size());  // "" or "/..."
  if (m_options.names_as == "/") {
    return rest.empty() ? "/" : rest;
  }
  return m_options.names_as + rest;
}

util::Result<void> Walker::setup() {
  m_disk.reset(archive_read_disk_new());
  m_links.reset(archive_entry_linkresolver_new());
  if (!m_disk || !m_links) {
    return util::fail(util::ErrorKind::permanent, "cannot allocate the archive reader");
  }
  // Without the standard lookup, libarchive leaves the user and group names empty.
  if ((m_options.owner_names && archive_read_disk_set_standard_lookup(m_disk.get()) != ARCHIVE_OK) ||
      archive_read_disk_set_symlink_physical(m_disk.get()) != ARCHIVE_OK) {
    return util::fail(util::ErrorKind::permanent, "cannot set up the archive reader: " + error_text(m_disk.get()));
  }
  // The pax strategy: the first name of a multiply-linked file carries its content, the
  // later names become hard-link entries pointing at it.
  archive_entry_linkresolver_set_strategy(m_links.get(), ARCHIVE_FORMAT_TAR_PAX_INTERCHANGE);
  m_buffer.resize(k_read_chunk);
  return {};
}

util::Result<ArchiveReport> Walker::run() {
  const std::string& source = m_options.source;
  if (source.empty() || source.front() != '/') {
    return util::fail(util::ErrorKind::invalid_argument,
                      fmt::format("backup source \"{}\" is not an absolute path", source));
  }
  VOLBACK_TRY(setup());
  VOLBACK_TRY(m_cancel.check());

  // The root is the one path that is followed if it is a symlink.
  fs::UniqueFd root(::open(source.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (!root.valid()) {
    const int err = errno;
    if (err == ENOTDIR) {
      return util::fail(util::ErrorKind::invalid_argument, fmt::format("backup source {} is not a directory", source));
    }
    return util::fail(util::errno_error(err, fmt::format("cannot open backup source {}", source)));
  }
  struct stat st {};
  if (::fstat(root.get(), &st) != 0) {
    return util::fail(util::errno_error(errno, fmt::format("cannot stat backup source {}", source)));
  }
  auto entry = make_entry(source, root.get(), st);
  if (!entry) {
    return util::fail(util::errno_error(entry.error(), fmt::format("cannot read the metadata of {}", source)));
  }
  VOLBACK_TRY_ASSIGN(const bool written, begin(source, entry->get()));
  if (written) {
    VOLBACK_TRY(m_tar.end_entry());
  }
  VOLBACK_TRY(walk_directory(root.get(), source));
  return std::move(m_report);
}

tl::expected<EntryPtr, int> Walker::make_entry(const std::string& path, int fd, const struct stat& st) {
  EntryPtr entry(archive_entry_new());
  if (!entry) {
    return tl::unexpected(ENOMEM);
  }
  // libarchive looks up xattrs, ACLs and symlink targets by this path when it has no fd.
  archive_entry_copy_sourcepath(entry.get(), path.c_str());
  archive_entry_copy_pathname(entry.get(), path.c_str());
  const int status = archive_read_disk_entry_from_file(m_disk.get(), entry.get(), fd, &st);
  if (status < ARCHIVE_WARN) {
    const int err = archive_errno(m_disk.get());
    return tl::unexpected(err != 0 ? err : EIO);
  }
  if (status == ARCHIVE_WARN) {
    // Some metadata (an xattr, an ACL) could not be read; the entry is still good.
    m_log.warn("Could not read all metadata of a file", {{"path", shown(path)}, {"error", error_text(m_disk.get())}});
  }
  // Access, change and birth times change on every run and are not restored by GNU tar;
  // leaving them out keeps the headers small and deterministic.
  archive_entry_unset_atime(entry.get());
  archive_entry_unset_ctime(entry.get());
  archive_entry_unset_birthtime(entry.get());
  archive_entry_copy_pathname(entry.get(), entry_name(shown(path)).c_str());
  return entry;
}

util::Result<bool> Walker::begin(const std::string& path, ::archive_entry* entry) {
  auto status = m_tar.begin_entry(entry);
  if (!status) {
    if (!m_tar.usable()) {
      return util::fail(std::move(status).error());
    }
    unreadable(path, status.error().message(), "skipping it");
    return false;
  }
  ++m_report.entries;
  return true;
}

void Walker::vanished(const std::string& path, int err) {
  m_log.warn("File vanished while archiving, skipping it", {{"path", shown(path)}, {"error", errno_text(err)}});
  m_report.vanished.push_back(shown(path));
}

void Walker::unreadable(const std::string& path, std::string reason, std::string_view consequence) {
  m_log.error(fmt::format("Could not read a file, {}", consequence), {{"path", shown(path)}, {"error", reason}});
  m_report.unreadable.push_back(FileProblem{shown(path), std::move(reason)});
}

util::Result<void> Walker::walk_directory(int dir_fd, const std::string& path) {
  // The names of this one directory, sorted bytewise like Go's WalkDir (std::string
  // compares as unsigned bytes). The listing uses a duplicate of the descriptor because
  // closedir() closes the descriptor it was given.
  std::vector<std::string> names;
  {
    const int listing_fd = ::fcntl(dir_fd, F_DUPFD_CLOEXEC, 0);
    fs::DirStream dir(listing_fd >= 0 ? ::fdopendir(listing_fd) : nullptr);
    if (!dir) {
      const int err = errno;
      if (listing_fd >= 0) {
        ::close(listing_fd);
      }
      unreadable(path, "cannot list directory: " + errno_text(err), "archiving it without its content");
      return {};
    }
    for (;;) {
      errno = 0;
      const dirent* d = ::readdir(dir.get());
      if (d == nullptr) {
        if (errno != 0) {
          const int err = errno;
          unreadable(path, "cannot list directory: " + errno_text(err), "archiving it without its content");
          return {};
        }
        break;
      }
      const std::string_view name(d->d_name);
      if (name != "." && name != "..") {
        names.emplace_back(name);
      }
    }
  }
  std::sort(names.begin(), names.end());
  for (const auto& name : names) {
    VOLBACK_TRY(visit(dir_fd, name, child_path(path, name)));
  }
  return {};
}

util::Result<void> Walker::visit(int parent_fd, const std::string& name, const std::string& path) {
  VOLBACK_TRY(m_cancel.check());
  if (hooks() != nullptr && hooks()->before_stat) {
    hooks()->before_stat(path);
  }
  if (m_options.exclude != nullptr && m_options.exclude->matches(shown(path))) {
    m_log.debug("Excluding path from the backup", {{"path", shown(path)}});
    return {};
  }
  if (std::find(m_options.own_files.begin(), m_options.own_files.end(), path) != m_options.own_files.end()) {
    return {};  // the archive being written, when the archive directory is inside the source
  }
  struct stat st {};
  if (::fstatat(parent_fd, name.c_str(), &st, AT_SYMLINK_NOFOLLOW) != 0) {
    skipped(path, "cannot stat", errno);
    return {};
  }
  if (S_ISSOCK(st.st_mode)) {
    return {};  // tar cannot store sockets; offen skips them too
  }
  if (S_ISDIR(st.st_mode)) {
    return visit_directory(parent_fd, name, path, st);
  }
  if (S_ISREG(st.st_mode)) {
    return visit_regular(parent_fd, name, path);
  }
  return visit_other(path, st);
}

int Walker::open_file(int parent_fd, const std::string& name, const std::string& path, int flags) {
  if (hooks() != nullptr && hooks()->open_error) {
    if (const int err = hooks()->open_error(path); err != 0) {
      errno = err;
      return -1;
    }
  }
  return ::openat(parent_fd, name.c_str(), flags);
}

void Walker::skipped(const std::string& path, std::string_view what, int err) {
  if (is_vanished(err)) {
    vanished(path, err);
  } else {
    unreadable(path, fmt::format("{}: {}", what, errno_text(err)), "skipping it");
  }
}

util::Result<bool> Walker::begin_linked(const std::string& path, ::archive_entry* entry) {
  ::archive_entry* e = entry;
  ::archive_entry* spare = nullptr;
  // With the tar strategy the resolver never defers or swaps entries: it either leaves
  // the entry alone (first name) or turns it into a hard link to the first name.
  archive_entry_linkify(m_links.get(), &e, &spare);
  if (e != entry || spare != nullptr) {
    return util::fail(util::ErrorKind::permanent, "unexpected hard-link resolver behaviour");
  }
  return begin(path, e);
}

util::Result<void> Walker::visit_directory(int parent_fd, const std::string& name, const std::string& path,
                                           const struct stat& lst) {
  fs::UniqueFd fd(open_file(parent_fd, name, path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
  int open_errno = fd.valid() ? 0 : errno;
  if (!fd.valid() && is_vanished(open_errno)) {
    vanished(path, open_errno);
    return {};
  }
  struct stat st = lst;
  if (fd.valid() && ::fstat(fd.get(), &st) != 0) {
    open_errno = errno;
    fd.reset();
    st = lst;
  }
  // A directory that cannot be opened is still archived, with the metadata lstat() gave
  // (libarchive then reads xattrs and ACLs by path, as far as it can).
  auto entry = make_entry(path, fd.get(), st);
  if (!entry) {
    skipped(path, "cannot read metadata", entry.error());
    return {};
  }
  VOLBACK_TRY_ASSIGN(const bool written, begin(path, entry->get()));
  if (!written) {
    return {};
  }
  VOLBACK_TRY(m_tar.end_entry());
  if (!fd.valid()) {
    unreadable(path, "cannot open directory: " + errno_text(open_errno), "archiving it without its content");
    return {};
  }
  return walk_directory(fd.get(), path);
}

util::Result<void> Walker::visit_other(const std::string& path, const struct stat& lst) {
  // Symlinks, device nodes and FIFOs: metadata only, never opened (opening a FIFO would
  // block, opening a device could have side effects).
  auto entry = make_entry(path, -1, lst);
  if (!entry) {
    skipped(path, "cannot read metadata", entry.error());
    return {};
  }
  VOLBACK_TRY_ASSIGN(const bool written, begin_linked(path, entry->get()));
  if (written) {
    VOLBACK_TRY(m_tar.end_entry());
  }
  return {};
}

util::Result<void> Walker::visit_regular(int parent_fd, const std::string& name, const std::string& path) {
  // O_NOATIME keeps the backup from touching access times; only the owner (or a process
  // with CAP_FOWNER) may ask for it, so fall back without it. O_NONBLOCK guards against
  // the file having been replaced by a FIFO since lstat().
  constexpr int k_flags = O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NOCTTY | O_NONBLOCK;
  fs::UniqueFd fd(open_file(parent_fd, name, path, k_flags | O_NOATIME));
  if (!fd.valid() && errno == EPERM) {
    fd.reset(open_file(parent_fd, name, path, k_flags));
  }
  if (!fd.valid()) {
    skipped(path, "cannot open", errno);
    return {};
  }
  struct stat st {};
  if (::fstat(fd.get(), &st) != 0) {
    unreadable(path, "cannot stat: " + errno_text(errno), "skipping it");
    return {};
  }
  if (!S_ISREG(st.st_mode)) {
    vanished(path, ENOENT);  // replaced by something else since it was listed
    return {};
  }
  ::posix_fadvise(fd.get(), 0, 0, POSIX_FADV_SEQUENTIAL);

  auto entry = make_entry(path, fd.get(), st);
  if (!entry) {
    unreadable(path, "cannot read metadata: " + errno_text(entry.error()), "skipping it");
    return {};
  }
  ::archive_entry* e = entry->get();
  const std::vector<Region> regions = data_regions(e, static_cast<std::uint64_t>(st.st_size));
  if (!m_options.sparse) {
    archive_entry_sparse_clear(e);  // stored dense; the regions still spare reading holes
  }
  VOLBACK_TRY_ASSIGN(const bool written, begin_linked(path, e));
  if (!written) {
    return {};
  }
  if (archive_entry_hardlink(e) == nullptr) {
    VOLBACK_TRY(copy_content(path, fd.get(), regions));
  }
  return m_tar.end_entry();
}

util::Result<void> Walker::zeros(std::uint64_t count) {
  while (count > 0) {
    VOLBACK_TRY(m_cancel.check());
    const std::uint64_t n = std::min<std::uint64_t>(count, k_read_chunk);
    VOLBACK_TRY(m_tar.write_zeros(n));
    count -= n;
  }
  return {};
}

// Streams the content of an open regular file into the open entry. Only `regions` are
// read (a hole is never read, so a huge sparse file costs nothing to read); holes are
// passed on as zeros, which the pax writer drops when the entry has a sparse map.
// Whatever cannot be read is replaced by zeros up to the size in the header, so the
// archive stays valid; the file is then reported unreadable.
util::Result<void> Walker::copy_content(const std::string& path, int fd, const std::vector<Region>& regions) {
  const std::uint64_t size = m_tar.entry_remaining();
  if (hooks() != nullptr && hooks()->before_read) {
    hooks()->before_read(path);
  }

  std::uint64_t position = 0;
  std::optional<std::string> problem;
  for (const auto& [offset, length] : regions) {
    VOLBACK_TRY(zeros(offset - position));
    position = offset;
    const std::uint64_t end = offset + length;
    while (position < end) {
      VOLBACK_TRY(m_cancel.check());
      const auto want = static_cast<std::size_t>(std::min<std::uint64_t>(end - position, m_buffer.size()));
      ssize_t got = -1;
      int injected = 0;
      if (hooks() != nullptr && hooks()->read_error) {
        injected = hooks()->read_error(path, position);
      }
      if (injected != 0) {
        errno = injected;
      } else {
        do {
          got = ::pread(fd, m_buffer.data(), want, static_cast<off_t>(position));
        } while (got < 0 && errno == EINTR);
      }
      if (got < 0) {
        problem = fmt::format("read error at offset {}: {}", position, errno_text(errno));
        break;
      }
      if (got == 0) {
        problem = "file shrank while being read";
        break;
      }
      VOLBACK_TRY(m_tar.write_data(std::span<const std::byte>(m_buffer.data(), static_cast<std::size_t>(got))));
      position += static_cast<std::uint64_t>(got);
    }
    if (problem) {
      break;
    }
  }
  // The tail hole, or the zero padding after a failure.
  VOLBACK_TRY(zeros(m_tar.entry_remaining()));
  m_report.content_bytes += size;
  if (problem) {
    unreadable(path, std::move(*problem), "archiving it padded with zeros");
    return {};
  }
  struct stat after {};
  if (::fstat(fd, &after) == 0 && static_cast<std::uint64_t>(after.st_size) > size) {
    m_log.warn(
      "File grew while being read; archived the size it had when it was opened",
      {{"path", shown(path)}, {"archived_bytes", size}, {"size_now", static_cast<std::uint64_t>(after.st_size)}});
  }
  return {};
}

}  // namespace

util::Result<ArchiveReport> archive_tree(const ArchiveOptions& options, TarWriter& tar, util::Logger& log,
                                         const util::CancelToken& cancel) {
  Walker walker(options, tar, log, cancel);
  return walker.run();
}

}  // namespace volback::archive
