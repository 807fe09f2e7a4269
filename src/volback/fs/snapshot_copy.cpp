#include <volback/fs/snapshot_copy.hpp>

#include <fcntl.h>
#include <limits.h>
#include <sys/stat.h>
#include <sys/xattr.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstring>
#include <map>
#include <utility>

#include <fmt/format.h>

#include <volback/fs/directory_at.hpp>
#include <volback/fs/disk_usage.hpp>
#include <volback/fs/file_clone.hpp>
#include <volback/fs/free_space.hpp>
#include <volback/fs/unique_fd.hpp>

namespace volback::fs {
namespace {

constexpr int k_directory_flags = O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC;
// O_NONBLOCK: a file replaced by a FIFO since it was listed must not block the open.
constexpr int k_file_flags = O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NOCTTY | O_NONBLOCK;
constexpr int k_create_flags = O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC;

bool is_vanished(int err) {
  return err == ENOENT || err == ENOTDIR;
}

// chown fails with EPERM without root (and EINVAL for an id this user namespace does not
// map): the copy is then owned by this process, as with `cp -p`.
bool ownership_refused(int err) {
  return err == EPERM || err == EINVAL;
}

std::string child_path(const std::string& dir, const std::string& name) {
  return dir == "/" ? "/" + name : dir + "/" + name;
}

std::array<struct timespec, 2> times_of(const struct stat& st) {
  return {st.st_atim, st.st_mtim};
}

struct FileId {
  dev_t dev = 0;
  ino_t ino = 0;
  auto operator<=>(const FileId&) const = default;
};

// A file with several names whose first name was copied and some names are still to come.
struct PendingLink {
  std::string copy;  // the first copy, relative to the copy's root
  nlink_t remaining = 0;
};

class TreeCopier {
 public:
  TreeCopier(const std::string& source, int into, util::Logger& log, const util::CancelToken& cancel,
             const SnapshotOptions& options)
    : m_source(source), m_into(into), m_log(log), m_cancel(cancel), m_options(options) {}

  util::Result<SnapshotReport> run(const std::string& name);

 private:
  util::Result<void> check_space();
  util::Result<void> copy_children(int from, int to, const std::string& path, const std::string& rel);
  util::Result<void> copy_entry(int from, int to, const std::string& name, const std::string& path,
                                const std::string& rel);
  util::Result<void> copy_directory(int from, int to, const std::string& name, const std::string& path,
                                    const std::string& rel, const struct stat& lst);
  // Each returns whether the entry is in the copy now.
  util::Result<bool> copy_regular(int from, int to, const std::string& name, const std::string& path);
  util::Result<bool> copy_symlink(int from, int to, const std::string& name, const std::string& path,
                                  const struct stat& lst);
  util::Result<bool> copy_node(int to, const std::string& name, const std::string& path, const struct stat& lst);
  // Makes `name` in `to` a hard link of an earlier copy of the same file; false when
  // there is none (or linking failed: the caller copies it then).
  bool link_to_earlier(const struct stat& lst, int to, const std::string& name);
  void remember_links(const struct stat& lst, const std::string& rel);

  // Owner, extended attributes (from `xattr_source` when valid), mode and times of the
  // open copy `fd`.
  util::Result<void> set_metadata(int fd, const struct stat& st, int xattr_source, const std::string& path);
  void copy_xattrs(int from, int to, const std::string& path);
  util::Result<void> injected_create_error(const std::string& path) const;
  util::Error write_error(int err, std::string_view what, const std::string& path) const;

  void vanished(const std::string& path, int err);
  void unreadable(const std::string& path, std::string reason, std::string_view consequence);
  void skipped(const std::string& path, std::string_view what, int err);
  const SnapshotTestHooks* hooks() const { return m_options.test_hooks; }

  const std::string& m_source;
  int m_into;
  util::Logger& m_log;
  const util::CancelToken& m_cancel;
  const SnapshotOptions& m_options;
  FileId m_into_id;
  UniqueFd m_root;  // the copy's root
  std::map<FileId, PendingLink> m_links;
  SnapshotReport m_report;
};

util::Result<void> TreeCopier::check_space() {
  VOLBACK_TRY_ASSIGN(m_report.required_bytes, disk_usage(m_source));
  std::uint64_t available = 0;
  if (hooks() != nullptr && hooks()->free_space) {
    available = hooks()->free_space();
  } else {
    VOLBACK_TRY_ASSIGN(available, free_space_at(m_into, "the snapshot directory"));
  }
  if (available < m_report.required_bytes) {
    return util::fail(util::ErrorKind::permanent,
                      fmt::format("the snapshot of {} may need up to {} bytes, but only {} bytes are free", m_source,
                                  m_report.required_bytes, available));
  }
  return {};
}

util::Result<SnapshotReport> TreeCopier::run(const std::string& name) {
  if (m_source.empty() || m_source.front() != '/') {
    return util::fail(util::ErrorKind::invalid_argument,
                      fmt::format("snapshot source \"{}\" is not an absolute path", m_source));
  }
  VOLBACK_TRY(m_cancel.check());
  // The root is the one path that is followed if it is a symlink, as in the archive walk.
  UniqueFd root(::open(m_source.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (!root.valid()) {
    const int err = errno;
    if (err == ENOTDIR) {
      return util::fail(util::ErrorKind::invalid_argument,
                        fmt::format("snapshot source {} is not a directory", m_source));
    }
    return util::fail(util::errno_error(err, fmt::format("cannot open snapshot source {}", m_source)));
  }
  struct stat root_st {};
  struct stat into_st {};
  if (::fstat(root.get(), &root_st) != 0 || ::fstat(m_into, &into_st) != 0) {
    return util::fail(util::errno_error(errno, "cannot stat the snapshot's directories"));
  }
  m_into_id = {into_st.st_dev, into_st.st_ino};
  VOLBACK_TRY(check_space());

  if (::mkdirat(m_into, name.c_str(), 0700) != 0) {
    return util::fail(util::errno_error(errno, fmt::format("cannot create the snapshot directory {}", name)));
  }
  auto copied = [&]() -> util::Result<void> {
    m_root.reset(::openat(m_into, name.c_str(), k_directory_flags));
    if (!m_root.valid()) {
      return util::fail(util::errno_error(errno, fmt::format("cannot open the snapshot directory {}", name)));
    }
    ++m_report.entries;
    VOLBACK_TRY(copy_children(root.get(), m_root.get(), m_source, ""));
    return set_metadata(m_root.get(), root_st, root.get(), m_source);
  }();
  m_root.reset();
  if (!copied) {
    (void)remove_tree_at(m_into, name, true);
    return util::fail(std::move(copied).error());
  }
  return std::move(m_report);
}

util::Result<void> TreeCopier::copy_children(int from, int to, const std::string& path, const std::string& rel) {
  auto names = list_directory_at(from);
  if (!names) {
    unreadable(path, names.error().message(), "copying it without its content");
    return {};
  }
  for (const auto& name : *names) {
    VOLBACK_TRY(copy_entry(from, to, name, child_path(path, name), rel + name));
  }
  return {};
}

util::Result<void> TreeCopier::copy_entry(int from, int to, const std::string& name, const std::string& path,
                                          const std::string& rel) {
  VOLBACK_TRY(m_cancel.check());
  if (m_options.skip && m_options.skip(path)) {
    m_log.debug("Excluding path from the snapshot", {{"path", path}});
    return {};
  }
  struct stat lst {};
  if (::fstatat(from, name.c_str(), &lst, AT_SYMLINK_NOFOLLOW) != 0) {
    skipped(path, "cannot stat", errno);
    return {};
  }
  if (S_ISDIR(lst.st_mode)) {
    return copy_directory(from, to, name, path, rel, lst);
  }
  if (S_ISSOCK(lst.st_mode)) {
    return {};  // tar cannot store sockets; the archive walk skips them too
  }
  if (lst.st_nlink > 1 && link_to_earlier(lst, to, name)) {
    ++m_report.entries;
    return {};
  }
  bool copied = false;
  if (S_ISREG(lst.st_mode)) {
    VOLBACK_TRY_ASSIGN(copied, copy_regular(from, to, name, path));
  } else if (S_ISLNK(lst.st_mode)) {
    VOLBACK_TRY_ASSIGN(copied, copy_symlink(from, to, name, path, lst));
  } else {
    VOLBACK_TRY_ASSIGN(copied, copy_node(to, name, path, lst));
  }
  if (copied) {
    ++m_report.entries;
    remember_links(lst, rel);
  }
  return {};
}

util::Result<void> TreeCopier::copy_directory(int from, int to, const std::string& name, const std::string& path,
                                              const std::string& rel, const struct stat& lst) {
  if (FileId{lst.st_dev, lst.st_ino} == m_into_id) {
    return {};  // the snapshot's own directory, inside the source
  }
  UniqueFd source(::openat(from, name.c_str(), k_directory_flags));
  const int open_errno = source.valid() ? 0 : errno;
  if (!source.valid() && is_vanished(open_errno)) {
    vanished(path, open_errno);
    return {};
  }
  struct stat st = lst;
  if (source.valid() && ::fstat(source.get(), &st) != 0) {
    st = lst;
  }
  VOLBACK_TRY(injected_create_error(path));
  if (::mkdirat(to, name.c_str(), 0700) != 0) {
    return util::fail(write_error(errno, "cannot create the copy of", path));
  }
  UniqueFd copy(::openat(to, name.c_str(), k_directory_flags));
  if (!copy.valid()) {
    return util::fail(write_error(errno, "cannot open the copy of", path));
  }
  ++m_report.entries;
  if (source.valid()) {
    VOLBACK_TRY(copy_children(source.get(), copy.get(), path, rel + "/"));
  } else {
    unreadable(path, fmt::format("cannot open directory: {}", std::strerror(open_errno)),
               "copying it without its content");
  }
  return set_metadata(copy.get(), st, source.get(), path);
}

util::Result<bool> TreeCopier::copy_regular(int from, int to, const std::string& name, const std::string& path) {
  // O_NOATIME keeps the copy from touching access times; only the owner (or a process
  // with CAP_FOWNER) may ask for it, so fall back without it.
  UniqueFd source(::openat(from, name.c_str(), k_file_flags | O_NOATIME));
  if (!source.valid() && errno == EPERM) {
    source.reset(::openat(from, name.c_str(), k_file_flags));
  }
  if (!source.valid()) {
    skipped(path, "cannot open", errno);
    return false;
  }
  struct stat st {};
  if (::fstat(source.get(), &st) != 0) {
    unreadable(path, fmt::format("cannot stat: {}", std::strerror(errno)), "skipping it");
    return false;
  }
  if (!S_ISREG(st.st_mode)) {
    vanished(path, ENOENT);  // replaced by something else since it was listed
    return false;
  }
  if (hooks() != nullptr && hooks()->before_copy) {
    hooks()->before_copy(path);
  }
  VOLBACK_TRY(injected_create_error(path));
  UniqueFd copy(::openat(to, name.c_str(), k_create_flags, 0600));
  if (!copy.valid()) {
    return util::fail(write_error(errno, "cannot create the copy of", path));
  }
  const auto size = static_cast<std::uint64_t>(st.st_size);
  auto cloned = clone_file(source.get(), copy.get(), size, m_options.allow_reflink, m_cancel);
  if (!cloned) {
    return util::fail(cloned.error().with_context(fmt::format("copying {}", path)));
  }
  ++(cloned->reflinked ? m_report.reflinked_files : m_report.copied_files);
  m_report.bytes += size;
  if (cloned->source_problem) {
    unreadable(path, std::move(*cloned->source_problem), "copying it padded with zeros");
  }
  struct stat after {};
  if (::fstat(source.get(), &after) == 0 && static_cast<std::uint64_t>(after.st_size) > size) {
    m_log.warn("File grew while being copied; copied the size it had when it was opened",
               {{"path", path}, {"copied_bytes", size}, {"size_now", static_cast<std::uint64_t>(after.st_size)}});
  }
  VOLBACK_TRY(set_metadata(copy.get(), st, source.get(), path));
  return true;
}

util::Result<bool> TreeCopier::copy_symlink(int from, int to, const std::string& name, const std::string& path,
                                            const struct stat& lst) {
  std::array<char, PATH_MAX + 1> target{};
  const ssize_t n = ::readlinkat(from, name.c_str(), target.data(), target.size());
  if (n < 0) {
    skipped(path, "cannot read the symlink", errno);
    return false;
  }
  if (static_cast<std::size_t>(n) >= target.size()) {
    unreadable(path, "symlink target too long", "skipping it");
    return false;
  }
  target[static_cast<std::size_t>(n)] = '\0';
  VOLBACK_TRY(injected_create_error(path));
  if (::symlinkat(target.data(), to, name.c_str()) != 0) {
    return util::fail(write_error(errno, "cannot create the copy of", path));
  }
  if (::fchownat(to, name.c_str(), lst.st_uid, lst.st_gid, AT_SYMLINK_NOFOLLOW) != 0 && !ownership_refused(errno)) {
    return util::fail(write_error(errno, "cannot set the owner of the copy of", path));
  }
  const auto times = times_of(lst);
  if (::utimensat(to, name.c_str(), times.data(), AT_SYMLINK_NOFOLLOW) != 0) {
    return util::fail(write_error(errno, "cannot set the times of the copy of", path));
  }
  return true;
}

util::Result<bool> TreeCopier::copy_node(int to, const std::string& name, const std::string& path,
                                         const struct stat& lst) {
  VOLBACK_TRY(injected_create_error(path));
  // Created, never opened: a FIFO would block, a device could have side effects.
  if (::mknodat(to, name.c_str(), (lst.st_mode & S_IFMT) | 0600, lst.st_rdev) != 0) {
    if (errno == EPERM) {  // a device node without CAP_MKNOD
      unreadable(path, "cannot recreate the device node: Operation not permitted", "leaving it out");
      return false;
    }
    return util::fail(write_error(errno, "cannot create the copy of", path));
  }
  if (::fchownat(to, name.c_str(), lst.st_uid, lst.st_gid, AT_SYMLINK_NOFOLLOW) != 0 && !ownership_refused(errno)) {
    return util::fail(write_error(errno, "cannot set the owner of the copy of", path));
  }
  // After chown, which clears the set-id bits. The node was just made by mknodat, so
  // following a symlink is impossible here.
  if (::fchmodat(to, name.c_str(), lst.st_mode & 07777, 0) != 0) {
    return util::fail(write_error(errno, "cannot set the mode of the copy of", path));
  }
  const auto times = times_of(lst);
  if (::utimensat(to, name.c_str(), times.data(), AT_SYMLINK_NOFOLLOW) != 0) {
    return util::fail(write_error(errno, "cannot set the times of the copy of", path));
  }
  return true;
}

bool TreeCopier::link_to_earlier(const struct stat& lst, int to, const std::string& name) {
  const auto found = m_links.find(FileId{lst.st_dev, lst.st_ino});
  if (found == m_links.end()) {
    return false;
  }
  // The first copy's path runs through directories this copy created, below a root that
  // only this process can enter, so no component can have become a symlink.
  if (::linkat(m_root.get(), found->second.copy.c_str(), to, name.c_str(), 0) != 0) {
    return false;
  }
  if (--found->second.remaining == 0) {
    m_links.erase(found);
  }
  return true;
}

void TreeCopier::remember_links(const struct stat& lst, const std::string& rel) {
  if (lst.st_nlink > 1) {
    m_links.insert_or_assign(FileId{lst.st_dev, lst.st_ino}, PendingLink{rel, lst.st_nlink - 1});
  }
}

util::Result<void> TreeCopier::set_metadata(int fd, const struct stat& st, int xattr_source, const std::string& path) {
  if (::fchown(fd, st.st_uid, st.st_gid) != 0 && !ownership_refused(errno)) {
    return util::fail(write_error(errno, "cannot set the owner of the copy of", path));
  }
  if (xattr_source >= 0) {
    copy_xattrs(xattr_source, fd, path);
  }
  // After chown, which clears the set-id bits, and after the ACLs, which set the group bits.
  if (::fchmod(fd, st.st_mode & 07777) != 0) {
    return util::fail(write_error(errno, "cannot set the mode of the copy of", path));
  }
  const auto times = times_of(st);
  if (::futimens(fd, times.data()) != 0) {
    return util::fail(write_error(errno, "cannot set the times of the copy of", path));
  }
  return {};
}

void TreeCopier::copy_xattrs(int from, int to, const std::string& path) {
  const ssize_t size = ::flistxattr(from, nullptr, 0);
  if (size <= 0) {
    return;  // none, or a file system without them
  }
  std::vector<char> names(static_cast<std::size_t>(size));
  const ssize_t listed = ::flistxattr(from, names.data(), names.size());
  bool complete = listed >= 0;
  std::vector<char> value;
  for (std::size_t at = 0; complete && at < static_cast<std::size_t>(listed);) {
    const char* name = names.data() + at;
    at += std::strlen(name) + 1;
    const ssize_t length = ::fgetxattr(from, name, nullptr, 0);
    value.resize(length > 0 ? static_cast<std::size_t>(length) : 0);
    const ssize_t got = length < 0 ? -1 : ::fgetxattr(from, name, value.data(), value.size());
    if (got < 0) {
      complete = false;
      break;
    }
    // Names this process may not set (trusted.*, security.* without privileges) or the
    // copy's file system does not take are left out, as the archive walk's libarchive does.
    (void)::fsetxattr(to, name, value.data(), static_cast<std::size_t>(got), 0);
  }
  if (!complete) {
    m_log.warn("Could not copy all extended attributes of a file", {{"path", path}});
  }
}

util::Result<void> TreeCopier::injected_create_error(const std::string& path) const {
  if (hooks() != nullptr && hooks()->create_error) {
    if (const int err = hooks()->create_error(path); err != 0) {
      return util::fail(write_error(err, "cannot create the copy of", path));
    }
  }
  return {};
}

util::Error TreeCopier::write_error(int err, std::string_view what, const std::string& path) const {
  // Failing to write the copy is never the source's not_found.
  return util::Error(util::ErrorKind::permanent, fmt::format("{} {}: {}", what, path, std::strerror(err)));
}

void TreeCopier::vanished(const std::string& path, int err) {
  m_log.warn("File vanished while copying the snapshot, skipping it", {{"path", path}, {"error", std::strerror(err)}});
  m_report.vanished.push_back(path);
}

void TreeCopier::unreadable(const std::string& path, std::string reason, std::string_view consequence) {
  m_log.error(fmt::format("Could not read a file for the snapshot, {}", consequence),
              {{"path", path}, {"error", reason}});
  m_report.unreadable.push_back(SnapshotProblem{path, std::move(reason)});
}

void TreeCopier::skipped(const std::string& path, std::string_view what, int err) {
  if (is_vanished(err)) {
    vanished(path, err);
  } else {
    unreadable(path, fmt::format("{}: {}", what, std::strerror(err)), "skipping it");
  }
}

}  // namespace

util::Result<SnapshotReport> copy_tree(const std::string& source, int into, const std::string& name, util::Logger& log,
                                       const util::CancelToken& cancel, const SnapshotOptions& options) {
  TreeCopier copier(source, into, log, cancel, options);
  return copier.run(name);
}

}  // namespace volback::fs
