#include <volback/app/restore/snapshot_archive.hpp>

#include <archive_entry.h>

#include <algorithm>
#include <map>
#include <optional>
#include <thread>
#include <utility>

#include <fmt/format.h>

#include <volback/archive/entry_ptr.hpp>
#include <volback/archive/tar_writer.hpp>
#include <volback/io/byte_pipe.hpp>
#include <volback/restic/file_mode.hpp>
#include <volback/restic/snapshot_reader.hpp>

namespace volback::app {

namespace {

constexpr std::size_t k_snapshot_pipe_bytes = std::size_t{4} << 20;

// Blobs on this machine's disk are fetched by one thread per core (opening them is the
// work); a remote backend's by four, whose latency is the work. 16 MiB of plaintext ahead.
restic::SnapshotReaderOptions snapshot_reader_options(restic::Repository& repository) {
  constexpr unsigned k_remote_fetchers = 4;
  const unsigned cores = std::max(1U, std::thread::hardware_concurrency());
  return {
    .fetchers = repository.backend().properties().local_disk ? std::min(cores, k_remote_fetchers) : k_remote_fetchers,
    .window_bytes = std::size_t{16} << 20};
}

class PipeSink final : public io::Sink {
 public:
  explicit PipeSink(io::BytePipe& pipe) : m_pipe(pipe) {}
  util::Result<void> write(std::span<const std::byte> data) override { return m_pipe.write(data); }
  util::Result<void> finish() override { return {}; }

 private:
  io::BytePipe& m_pipe;
};

// The name of a snapshot entry in the archive: `path` (relative to the root tree) below
// `source` (the snapshot's path without its leading '/'), renamed under the source's last
// component; nullopt for an entry outside the source (its ancestors).
std::optional<std::string> archive_name(const std::string& path, const std::string& source,
                                        const std::string& root_name) {
  if (path == source) {
    return root_name;
  }
  if (path.size() > source.size() && path.compare(0, source.size(), source) == 0 && path[source.size()] == '/') {
    return root_name + path.substr(source.size());
  }
  return std::nullopt;
}

// The volume an archive name lies in ("backup/vol/a" -> "vol"); "" for the root.
std::string volume_of(const std::string& name) {
  const auto first = name.find('/');
  if (first == std::string::npos) {
    return "";
  }
  return name.substr(first + 1, name.find('/', first + 1) - first - 1);
}

struct LinkKey {
  std::uint64_t device = 0;
  std::uint64_t inode = 0;
  auto operator<=>(const LinkKey&) const = default;
};

struct FirstLink {
  std::string name;
  std::string volume;
};

class SnapshotTar {
 public:
  SnapshotTar(restic::Repository& repository, const restic::BlobIndex& index, const restic::Snapshot& snapshot,
              const util::CancelToken& cancel, io::BytePipe& pipe)
    : m_reader(repository, index, snapshot.tree, cancel, snapshot_reader_options(repository)),
      m_source(snapshot.paths.front().substr(1)),
      m_root_name(m_source.substr(m_source.rfind('/') + 1)),
      m_sink(pipe),
      m_tar(m_sink) {}

  util::Result<void> write() {
    for (;;) {
      VOLBACK_TRY_ASSIGN(auto entry, m_reader.next());
      if (!entry) {
        break;
      }
      const auto name = archive_name(entry->path, m_source, m_root_name);
      if (name && entry->node.type != restic::NodeType::socket) {
        VOLBACK_TRY(write_entry(*name, entry->node));
      }
    }
    return m_tar.finish();
  }

 private:
  util::Result<void> write_entry(const std::string& name, const restic::Node& node) {
    archive::EntryPtr entry(archive_entry_new());
    if (!entry) {
      return util::fail(util::ErrorKind::permanent, "out of memory for a tar entry");
    }
    archive_entry_copy_pathname(entry.get(), name.c_str());
    archive_entry_set_mode(entry.get(), restic::posix_mode_from_go_file_mode(node.mode));
    archive_entry_set_uid(entry.get(), node.uid);
    archive_entry_set_gid(entry.get(), node.gid);
    if (!node.user.empty()) {
      archive_entry_copy_uname(entry.get(), node.user.c_str());
    }
    if (!node.group.empty()) {
      archive_entry_copy_gname(entry.get(), node.group.c_str());
    }
    archive_entry_set_mtime(entry.get(), node.mtime.unix_seconds, node.mtime.nanoseconds);
    for (const auto& xattr : node.extended_attributes) {
      archive_entry_xattr_add_entry(entry.get(), xattr.name.c_str(), xattr.value.data(), xattr.value.size());
    }
    bool content = false;
    switch (node.type) {
    case restic::NodeType::symlink: archive_entry_copy_symlink(entry.get(), node.linktarget.c_str()); break;
    case restic::NodeType::block_device:
    case restic::NodeType::char_device: archive_entry_set_rdev(entry.get(), node.device); break;
    case restic::NodeType::file: content = !hard_link(entry.get(), name, node); break;
    default: break;
    }
    if (content) {
      archive_entry_set_size(entry.get(), static_cast<la_int64_t>(node.size));
    }
    VOLBACK_TRY(m_tar.begin_entry(entry.get()));
    if (content) {
      VOLBACK_TRY(write_content(name, node));
    }
    return m_tar.end_entry();
  }

  // Makes `entry` a hard link when an earlier file of the same volume is the same inode;
  // otherwise remembers this one. Returns whether it is a link.
  bool hard_link(archive_entry* entry, const std::string& name, const restic::Node& node) {
    if (node.links < 2) {
      return false;
    }
    const LinkKey key{node.device_id, node.inode};
    const auto [it, first] = m_links.try_emplace(key, FirstLink{name, volume_of(name)});
    if (first || it->second.volume != volume_of(name)) {
      return false;
    }
    archive_entry_set_filetype(entry, AE_IFREG);
    archive_entry_copy_hardlink(entry, it->second.name.c_str());
    archive_entry_set_size(entry, 0);
    return true;
  }

  util::Result<void> write_content(const std::string& name, const restic::Node& node) {
    std::uint64_t written = 0;
    for (;;) {
      VOLBACK_TRY_ASSIGN(auto blob, m_reader.next_content());
      if (!blob) {
        break;
      }
      if (blob->size() > node.size - written) {
        return util::fail(
          util::ErrorKind::corrupt,
          fmt::format("{:?}: the content is longer than the size its node states ({} bytes)", name, node.size));
      }
      VOLBACK_TRY(m_tar.write_data(std::as_bytes(std::span(*blob))));
      written += blob->size();
    }
    if (written != node.size) {
      return util::fail(util::ErrorKind::corrupt,
                        fmt::format("{:?}: the content is {} bytes, its node states {}", name, written, node.size));
    }
    return {};
  }

  restic::SnapshotReader m_reader;
  std::string m_source;
  std::string m_root_name;
  PipeSink m_sink;
  archive::TarWriter m_tar;
  std::map<LinkKey, FirstLink> m_links;
};

class SnapshotArchiveSource final : public io::Source {
 public:
  SnapshotArchiveSource(restic::Repository& repository, const restic::BlobIndex& index, restic::Snapshot snapshot,
                        const util::CancelToken& cancel)
    : m_pipe(k_snapshot_pipe_bytes), m_snapshot(std::move(snapshot)) {
    m_thread = std::thread([this, &repository, &index, &cancel] {
      SnapshotTar tar(repository, index, m_snapshot, cancel, m_pipe);
      if (auto written = tar.write(); !written) {
        m_pipe.close_with_error(written.error());
      } else {
        m_pipe.close();
      }
    });
  }

  ~SnapshotArchiveSource() override {
    m_pipe.fail_reader(util::Error(util::ErrorKind::cancelled, "the snapshot's reader stopped"));
    m_thread.join();
  }

  util::Result<std::size_t> read(std::span<std::byte> buffer) override { return m_pipe.read(buffer); }

 private:
  io::BytePipe m_pipe;
  restic::Snapshot m_snapshot;
  std::thread m_thread;
};

}  // namespace

util::Result<std::unique_ptr<io::Source>> snapshot_archive_source(restic::Repository& repository,
                                                                  const restic::BlobIndex& index,
                                                                  const restic::Snapshot& snapshot,
                                                                  const util::CancelToken& cancel) {
  if (snapshot.paths.size() != 1) {
    return util::fail(util::ErrorKind::invalid_argument,
                      fmt::format("the snapshot has {} paths; volback restores snapshots of one path (its volumes' "
                                  "directory); use `restic restore` for this one",
                                  snapshot.paths.size()));
  }
  const std::string& path = snapshot.paths.front();
  if (path.size() < 2 || path.front() != '/' || path.back() == '/') {
    return util::fail(util::ErrorKind::invalid_argument,
                      fmt::format("the snapshot's path {:?} is not a directory volback restores", path));
  }
  return std::unique_ptr<io::Source>(std::make_unique<SnapshotArchiveSource>(repository, index, snapshot, cancel));
}

}  // namespace volback::app
