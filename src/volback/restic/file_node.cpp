#include <volback/restic/file_node.hpp>

#include <array>
#include <cerrno>
#include <vector>

#include <grp.h>
#include <pwd.h>
#include <sys/xattr.h>
#include <unistd.h>

#include <volback/restic/file_mode.hpp>
#include <volback/restic/snapshot_lookup.hpp>

namespace volback::restic {

namespace {

std::optional<NodeType> node_type_of(mode_t mode) {
  switch (mode & S_IFMT) {
  case S_IFREG: return NodeType::file;
  case S_IFDIR: return NodeType::dir;
  case S_IFLNK: return NodeType::symlink;
  case S_IFBLK: return NodeType::block_device;
  case S_IFCHR: return NodeType::char_device;
  case S_IFIFO: return NodeType::fifo;
  default: return std::nullopt;  // sockets and anything else: restic 0.14 skips them
  }
}

util::Result<std::string> read_link_target(const std::string& path, std::uint64_t size_hint) {
  std::string target(std::max<std::uint64_t>(size_hint, 64) + 1, '\0');
  for (;;) {
    const ssize_t n = ::readlink(path.c_str(), target.data(), target.size());
    if (n < 0) {
      return util::fail(util::errno_error(errno, "readlink " + path));
    }
    if (static_cast<std::size_t>(n) < target.size()) {
      target.resize(static_cast<std::size_t>(n));
      return target;
    }
    target.resize(target.size() * 2);
  }
}

// The extended attributes of `path` (not followed), in listxattr's order. A file system
// without them gives none.
util::Result<std::vector<ExtendedAttribute>> read_xattrs(const std::string& path) {
  std::vector<ExtendedAttribute> attributes;
  const ssize_t list_size = ::llistxattr(path.c_str(), nullptr, 0);
  if (list_size < 0) {
    if (errno == ENOTSUP || errno == ENODATA) {
      return attributes;
    }
    return util::fail(util::errno_error(errno, "llistxattr " + path));
  }
  std::string names(static_cast<std::size_t>(list_size), '\0');
  const ssize_t got = ::llistxattr(path.c_str(), names.data(), names.size());
  if (got < 0) {
    return util::fail(util::errno_error(errno, "llistxattr " + path));
  }
  names.resize(static_cast<std::size_t>(got));
  for (std::size_t at = 0; at < names.size();) {
    const std::string name = names.c_str() + at;
    at += name.size() + 1;
    const ssize_t value_size = ::lgetxattr(path.c_str(), name.c_str(), nullptr, 0);
    if (value_size < 0) {
      if (errno == ENODATA) {
        continue;  // removed meanwhile
      }
      return util::fail(util::errno_error(errno, "lgetxattr " + path));
    }
    std::string value(static_cast<std::size_t>(value_size), '\0');
    const ssize_t read = ::lgetxattr(path.c_str(), name.c_str(), value.data(), value.size());
    if (read < 0) {
      return util::fail(util::errno_error(errno, "lgetxattr " + path));
    }
    value.resize(static_cast<std::size_t>(read));
    attributes.push_back({name, std::move(value)});
  }
  return attributes;
}

}  // namespace

GoTime go_time_of(const struct timespec& time) {
  return GoTime{.unix_seconds = time.tv_sec, .nanoseconds = static_cast<std::uint32_t>(time.tv_nsec)};
}

util::Result<std::optional<Node>> FileNodeReader::read(const std::string& path, std::string name, const struct stat& st,
                                                       const Node* previous) {
  const auto type = node_type_of(st.st_mode);
  if (!type) {
    return std::nullopt;
  }
  Node node;
  node.name = std::move(name);
  node.type = *type;
  node.mode = go_file_mode_from_posix(st.st_mode);
  node.mtime = go_time_of(st.st_mtim);
  node.atime = node.mtime;
  node.ctime = go_time_of(st.st_ctim);
  node.uid = st.st_uid;
  node.gid = st.st_gid;
  node.user = user_name(st.st_uid);
  node.group = group_name(st.st_gid);
  node.inode = st.st_ino;
  node.device_id = st.st_dev;
  switch (*type) {
  case NodeType::file:
    node.size = static_cast<std::uint64_t>(st.st_size);
    node.links = st.st_nlink;
    node.content.emplace();
    break;
  case NodeType::symlink: {
    node.links = st.st_nlink;
    VOLBACK_TRY_ASSIGN(node.linktarget, read_link_target(path, static_cast<std::uint64_t>(st.st_size)));
    break;
  }
  case NodeType::block_device:
  case NodeType::char_device:
    node.links = st.st_nlink;
    node.device = st.st_rdev;
    break;
  default: break;
  }
  if (*type == NodeType::symlink) {
    return node;
  }
  if (previous != nullptr && previous->type == node.type && previous->inode == node.inode &&
      same_instant(previous->ctime, node.ctime)) {
    node.extended_attributes = previous->extended_attributes;
  } else {
    VOLBACK_TRY_ASSIGN(node.extended_attributes, read_xattrs(path));
  }
  return node;
}

std::string FileNodeReader::user_name(std::uint32_t uid) {
  if (const auto it = m_users.find(uid); it != m_users.end()) {
    return it->second;
  }
  std::array<char, 4096> buffer{};
  struct passwd entry {};
  struct passwd* found = nullptr;
  const bool ok = ::getpwuid_r(uid, &entry, buffer.data(), buffer.size(), &found) == 0 && found != nullptr;
  return m_users[uid] = ok ? std::string(found->pw_name) : std::string();
}

std::string FileNodeReader::group_name(std::uint32_t gid) {
  if (const auto it = m_groups.find(gid); it != m_groups.end()) {
    return it->second;
  }
  std::array<char, 4096> buffer{};
  struct group entry {};
  struct group* found = nullptr;
  const bool ok = ::getgrgid_r(gid, &entry, buffer.data(), buffer.size(), &found) == 0 && found != nullptr;
  return m_groups[gid] = ok ? std::string(found->gr_name) : std::string();
}

}  // namespace volback::restic
