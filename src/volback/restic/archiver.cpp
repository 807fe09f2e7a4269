#include <volback/restic/archiver.hpp>

#include <algorithm>
#include <cerrno>
#include <map>

#include <dirent.h>
#include <fcntl.h>
#include <fmt/format.h>
#include <sys/stat.h>
#include <unistd.h>

#include <volback/fs/unique_fd.hpp>
#include <volback/restic/chunker.hpp>
#include <volback/restic/file_node.hpp>
#include <volback/restic/snapshot.hpp>
#include <volback/restic/snapshot_lookup.hpp>
#include <volback/restic/stray_packs.hpp>
#include <volback/restic/tree.hpp>

namespace volback::restic {

namespace {

constexpr std::size_t k_archiver_read_size = std::size_t{1} << 20;

std::span<const unsigned char> archiver_bytes(std::string_view text) {
  return {reinterpret_cast<const unsigned char*>(text.data()), text.size()};
}

// The paths of a snapshot as a tree of their components: "/a/b" and "/a/c" share "a".
struct PathTree {
  std::map<std::string, PathTree> children;
  bool target = false;  // this path itself is backed up, with all below it
};

// The node called `name` in a parent tree's sorted nodes, or nullptr.
const Node* previous_node(const std::vector<Node>& nodes, std::string_view name) {
  const auto it = std::lower_bound(nodes.begin(), nodes.end(), name,
                                   [](const Node& node, std::string_view wanted) { return node.name < wanted; });
  return it != nodes.end() && it->name == name ? &*it : nullptr;
}

class Archiver {
 public:
  Archiver(Repository& repository, BlobIndex& index, PathFilter excluded, const std::string& temp_dir,
           const util::CancelToken& cancel)
    : m_excluded(std::move(excluded)),
      m_repository(repository),
      m_index(index),
      m_saver(repository, index, {.pipeline = {.temp_dir = temp_dir}}),
      m_chunker(repository.config().chunker_polynomial),
      m_cancel(cancel) {}

  // `previous`: the nodes of the parent snapshot's tree at `directory` (empty: none).
  util::Result<Id> save_paths(const std::string& directory, const PathTree& paths, const std::vector<Node>& previous);
  // The nodes of the tree `id` of the parent snapshot; none when it cannot be read (then
  // every file below is read again, which is always correct).
  std::vector<Node> previous_tree(const std::optional<Id>& id);
  ArchiveResult& result() { return m_result; }
  BlobSaver& saver() { return m_saver; }

 private:
  util::Result<std::optional<Node>> save_entry(const std::string& path, std::string name, const Node* previous);
  util::Result<void> save_content(const std::string& path, Node& node);
  bool unchanged(const Node& node, const Node* previous) const;
  util::Result<Id> save_directory(const std::string& path, const Node* previous);
  util::Result<Id> save_tree(const std::vector<Node>& nodes);

  PathFilter m_excluded;
  Repository& m_repository;
  BlobIndex& m_index;
  BlobSaver m_saver;
  Chunker m_chunker;
  FileNodeReader m_nodes;
  const util::CancelToken& m_cancel;
  ArchiveResult m_result;
  std::string m_buffer = std::string(k_archiver_read_size, '\0');
  std::string m_chunk;
};

util::Result<Id> Archiver::save_tree(const std::vector<Node>& nodes) {
  std::string tree = serialize_tree(nodes);
  const Id id = Id::of(tree);
  VOLBACK_TRY(m_saver.save(BlobType::tree, id, tree));
  return id;
}

std::vector<Node> Archiver::previous_tree(const std::optional<Id>& id) {
  if (!id) {
    return {};
  }
  auto nodes = load_tree(m_repository, m_index, *id);
  return nodes ? std::move(*nodes) : std::vector<Node>{};
}

util::Result<Id> Archiver::save_paths(const std::string& directory, const PathTree& paths,
                                      const std::vector<Node>& previous) {
  std::vector<Node> nodes;
  for (const auto& [name, child] : paths.children) {
    const std::string path = directory + "/" + name;
    const Node* before = previous_node(previous, name);
    if (child.target) {
      VOLBACK_TRY_ASSIGN(auto node, save_entry(path, name, before));
      if (node) {
        nodes.push_back(std::move(*node));
      }
      continue;
    }
    struct stat st {};
    if (::lstat(path.c_str(), &st) != 0) {
      return util::fail(util::errno_error(errno, "lstat " + path));
    }
    VOLBACK_TRY_ASSIGN(auto node, m_nodes.read(path, name, st, before));
    if (!node || node->type != NodeType::dir) {
      return util::fail(util::ErrorKind::invalid_argument, fmt::format("{} is not a directory", path));
    }
    VOLBACK_TRY_ASSIGN(
      node->subtree, save_paths(path, child, before == nullptr ? std::vector<Node>{} : previous_tree(before->subtree)));
    ++m_result.dirs;
    nodes.push_back(std::move(*node));
  }
  return save_tree(nodes);
}

util::Result<std::optional<Node>> Archiver::save_entry(const std::string& path, std::string name,
                                                       const Node* previous) {
  if (m_cancel.requested()) {
    return util::fail(util::ErrorKind::cancelled, "the backup was cancelled");
  }
  struct stat st {};
  if (::lstat(path.c_str(), &st) != 0) {
    return util::fail(util::errno_error(errno, "lstat " + path));
  }
  VOLBACK_TRY_ASSIGN(auto node, m_nodes.read(path, std::move(name), st, previous));
  if (!node) {
    return node;
  }
  if (node->type == NodeType::file) {
    if (unchanged(*node, previous)) {
      node->content = previous->content;
      ++m_result.files_unchanged;
    } else {
      VOLBACK_TRY(save_content(path, *node));
    }
    ++m_result.files;
  } else if (node->type == NodeType::dir) {
    VOLBACK_TRY_ASSIGN(node->subtree, save_directory(path, previous));
    ++m_result.dirs;
  }
  return node;
}

util::Result<void> Archiver::save_content(const std::string& path, Node& node) {
  fs::UniqueFd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NOCTTY));
  if (!fd.valid()) {
    return util::fail(util::errno_error(errno, "open " + path));
  }
  std::vector<Id> content;
  std::uint64_t size = 0;
  const auto emit = [&]() -> util::Result<void> {
    const Id id = Id::of(m_chunk);
    VOLBACK_TRY(m_saver.save(BlobType::data, id, m_chunk));
    content.push_back(id);
    m_chunk.clear();
    return {};
  };
  m_chunker.start_file();
  m_chunk.clear();
  for (;;) {
    const ssize_t n = ::read(fd.get(), m_buffer.data(), m_buffer.size());
    if (n < 0) {
      if (errno == EINTR) {
        continue;
      }
      return util::fail(util::errno_error(errno, "read " + path));
    }
    if (n == 0) {
      break;
    }
    size += static_cast<std::uint64_t>(n);
    auto data = archiver_bytes(std::string_view(m_buffer.data(), static_cast<std::size_t>(n)));
    while (!data.empty()) {
      const auto cut = m_chunker.find_cut(data);
      const std::size_t take = cut ? *cut : data.size();
      m_chunk.append(reinterpret_cast<const char*>(data.data()), take);
      data = data.subspan(take);
      if (cut) {
        VOLBACK_TRY(emit());
      }
    }
    if (m_cancel.requested()) {
      return util::fail(util::ErrorKind::cancelled, "the backup was cancelled");
    }
  }
  if (!m_chunk.empty()) {
    VOLBACK_TRY(emit());
  }
  node.size = size;
  node.content = std::move(content);
  m_result.bytes_read += size;
  return {};
}

// restic's change detection: a file whose type, modification and change times, size and
// inode equal the parent snapshot's node keeps that node's content without being read, as
// long as every blob of it is in the repository.
bool Archiver::unchanged(const Node& node, const Node* previous) const {
  if (previous == nullptr || previous->type != NodeType::file || !previous->content ||
      !same_instant(previous->mtime, node.mtime) || !same_instant(previous->ctime, node.ctime) ||
      previous->size != node.size || previous->inode != node.inode) {
    return false;
  }
  return std::all_of(previous->content->begin(), previous->content->end(),
                     [&](const Id& blob) { return m_index.contains(BlobType::data, blob); });
}

util::Result<Id> Archiver::save_directory(const std::string& path, const Node* previous) {
  std::vector<std::string> names;
  {
    DIR* dir = ::opendir(path.c_str());
    if (dir == nullptr) {
      return util::fail(util::errno_error(errno, "opendir " + path));
    }
    errno = 0;
    while (const dirent* entry = ::readdir(dir)) {
      const std::string_view name = entry->d_name;
      if (name != "." && name != "..") {
        names.emplace_back(name);
      }
    }
    const int read_errno = errno;
    ::closedir(dir);
    if (read_errno != 0) {
      return util::fail(util::errno_error(read_errno, "readdir " + path));
    }
  }
  std::sort(names.begin(), names.end());
  const std::vector<Node> before =
    previous != nullptr && previous->type == NodeType::dir ? previous_tree(previous->subtree) : std::vector<Node>{};
  std::vector<Node> nodes;
  nodes.reserve(names.size());
  for (auto& name : names) {
    const std::string child = path + "/" + name;
    if (m_excluded && m_excluded(child)) {
      continue;
    }
    const Node* previous_child = previous_node(before, name);
    VOLBACK_TRY_ASSIGN(auto node, save_entry(child, std::move(name), previous_child));
    if (node) {
      nodes.push_back(std::move(*node));
    }
  }
  return save_tree(nodes);
}

util::Result<PathTree> path_tree_of(const std::vector<std::string>& paths) {
  PathTree root;
  for (const auto& path : paths) {
    if (path.empty() || path[0] != '/') {
      return util::fail(util::ErrorKind::invalid_argument, fmt::format("{:?} is not an absolute path", path));
    }
    PathTree* at = &root;
    std::string_view rest = path;
    while (!rest.empty()) {
      const auto start = rest.find_first_not_of('/');
      if (start == std::string_view::npos) {
        break;
      }
      rest.remove_prefix(start);
      const std::string component(rest.substr(0, rest.find('/')));
      rest.remove_prefix(component.size());
      if (component == "." || component == "..") {
        return util::fail(util::ErrorKind::invalid_argument, fmt::format("{:?} is not a clean path", path));
      }
      at = &at->children[component];
    }
    if (at == &root) {
      return util::fail(util::ErrorKind::invalid_argument, "backing up / as a whole is not supported");
    }
    at->target = true;
    at->children.clear();
  }
  return root;
}

}  // namespace

util::Result<BlobIndex> load_index(Repository& repository) {
  BlobIndex index;
  VOLBACK_TRY_ASSIGN(const auto files, repository.list(FileType::index));
  for (const auto& file : files) {
    VOLBACK_TRY_ASSIGN(const std::string json, repository.load_unpacked(FileType::index, file.id));
    auto parsed = parse_index(json);
    if (!parsed) {
      return util::fail(parsed.error().with_context("index " + file.id.short_hex()));
    }
    for (const auto& pack : parsed->packs) {
      index.add_pack(pack);
    }
  }
  return index;
}

util::Result<ArchiveResult> write_snapshot(Repository& repository, BlobIndex& index, const SnapshotRequest& request,
                                           const util::CancelToken& cancel) {
  VOLBACK_TRY_ASSIGN(const PathTree paths, path_tree_of(request.paths));
  VOLBACK_TRY_ASSIGN(const auto snapshots, load_snapshots(repository));
  const auto parent = latest_snapshot(snapshots, request.hostname, request.paths);
  Archiver archiver(repository, index, request.excluded, request.temp_dir, cancel);
  // What a killed backup uploaded but could not index is taken as stored (resume).
  VOLBACK_TRY_ASSIGN(auto strays, find_stray_packs(repository, index));
  for (auto& pack : strays.readable) {
    archiver.saver().adopt(std::move(pack));
  }
  const std::vector<Node> previous = parent ? archiver.previous_tree(parent->snapshot.tree) : std::vector<Node>{};
  VOLBACK_TRY_ASSIGN(const Id tree, archiver.save_paths("", paths, previous));
  if (request.files_read) {
    request.files_read();
  }
  VOLBACK_TRY(archiver.saver().flush());
  Snapshot snapshot;
  snapshot.time = request.time;
  if (parent) {
    snapshot.parent = parent->id;
  }
  snapshot.tree = tree;
  snapshot.paths = request.paths;
  snapshot.hostname = request.hostname;
  snapshot.username = request.username;
  snapshot.tags = request.tags;
  VOLBACK_TRY_ASSIGN(archiver.result().snapshot,
                     repository.save_unpacked(FileType::snapshot, serialize_snapshot(snapshot)));
  archiver.result().blobs = archiver.saver().stats();
  return archiver.result();
}

}  // namespace volback::restic
