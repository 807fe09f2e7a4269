#include <volback/app/restore_backup.hpp>

#include <archive.h>
#include <archive_entry.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <filesystem>
#include <map>
#include <memory>
#include <unordered_map>

#include <fmt/format.h>

#include <volback/app/restore_target.hpp>
#include <volback/app/verify_backup.hpp>
#include <volback/archive/manifest.hpp>
#include <volback/archive/sha256.hpp>
#include <volback/archive/tar_reader.hpp>

namespace volback::app {
namespace {

namespace stdfs = std::filesystem;

struct DiskDeleter {
  void operator()(::archive* a) const { archive_write_free(a); }
};
struct EntryDeleter {
  void operator()(::archive_entry* e) const { archive_entry_free(e); }
};

// One volume being restored.
struct VolumeState {
  RestoredVolume info;
  std::string staging;                // <target>/.volback-restore-<id>
  bool created_target = false;        // the target did not exist before
  // The target's atime and mtime before the staging directory was made in it: a failed
  // restore puts them back, so that the target is exactly as it was.
  struct timespec old_times[2] = {{0, UTIME_OMIT}, {0, UTIME_OMIT}};
  std::optional<archive::TarEntry> root;  // the volume directory's own metadata
};

class Restorer {
public:
  Restorer(const RestoreTargets& targets, std::string id, util::Logger& log)
    : m_targets(targets), m_id(std::move(id)), m_log(log) {}
  ~Restorer() { discard(); }
  Restorer(const Restorer&) = delete;
  Restorer& operator=(const Restorer&) = delete;

  util::Result<RestoreSummary> run(io::Source& raw, const util::CancelToken& cancel);

private:
  util::Result<VolumeState*> volume(const std::string& name);
  util::Result<void> extract(archive::TarReader& reader, const archive::TarEntry& entry, VolumeState& vol,
                             const std::string& rel);
  util::Result<void> check_manifest(const std::optional<std::string>& text, bool marked);
  util::Result<void> swap_in();
  void roll_back(std::size_t swapped);
  void apply_root_metadata(const VolumeState& vol);
  // Removes staging directories (and targets this run created) unless committed.
  void discard();
  std::string staged_path(const std::string& volume_name, const std::string& rel) const;

  const RestoreTargets& m_targets;
  std::string m_id;
  util::Logger& m_log;
  std::string m_sources;  // the archived root, learnt from the first entry
  bool m_sources_known = false;
  std::map<std::string, VolumeState> m_volumes;
  std::map<std::string, bool> m_skipped;
  std::vector<std::string> m_order;  // volumes in the order they arrived
  std::unique_ptr<::archive, DiskDeleter> m_disk;
  archive::Sha256 m_sha;
  std::unordered_map<std::string, std::string> m_hashes;  // archive path -> SHA-256 (restored files)
  bool m_committed = false;
};

std::string Restorer::staged_path(const std::string& volume_name, const std::string& rel) const {
  return m_volumes.at(volume_name).staging + "/" + rel;
}

util::Result<VolumeState*> Restorer::volume(const std::string& name) {
  if (auto it = m_volumes.find(name); it != m_volumes.end()) {
    return &it->second;
  }
  if (m_skipped.contains(name)) {
    return nullptr;
  }
  const auto target = m_targets.target_of(name);
  if (!target) {
    m_skipped[name] = true;
    return nullptr;
  }
  VolumeState vol;
  vol.info.name = name;
  vol.info.target = *target;
  struct stat st {};
  if (::stat(target->c_str(), &st) != 0) {
    if (!m_targets.create_missing) {
      return util::fail(util::ErrorKind::invalid_argument,
                        fmt::format("volume {}: the target directory {} does not exist; nothing was changed. Mount "
                                    "the volume there, or choose the volumes to restore with --volume",
                                    name, *target));
    }
    if (m_targets.dry_run == DryRun::no) {
      std::error_code ec;
      stdfs::create_directories(*target, ec);
      if (ec) {
        return util::fail(util::errno_error(ec.value(), "cannot create " + *target));
      }
      vol.created_target = true;
    }
  } else {
    if (!S_ISDIR(st.st_mode)) {
      return util::fail(util::ErrorKind::invalid_argument,
                        fmt::format("volume {}: the target {} is not a directory", name, *target));
    }
    if (is_read_only(*target)) {
      return util::fail(util::ErrorKind::invalid_argument, m_targets.read_only_hint(name, *target));
    }
    vol.old_times[0] = st.st_atim;
    vol.old_times[1] = st.st_mtim;
    VOLBACK_TRY_ASSIGN(const bool full, has_content(*target));
    if (full && m_targets.overwrite == Overwrite::no) {
      return util::fail(util::ErrorKind::invalid_argument,
                        fmt::format("volume {}: the target {} is not empty; nothing was changed. Add --overwrite "
                                    "to replace its content",
                                    name, *target));
    }
  }
  // libarchive refuses to write through symlinks (ARCHIVE_EXTRACT_SECURE_SYMLINKS), in
  // the whole path: a target reached through a symlink is staged under its real path.
  std::string real = *target;
  if (std::error_code ec; m_targets.dry_run == DryRun::no) {
    real = stdfs::canonical(*target, ec).string();
    if (ec) {
      return util::fail(util::errno_error(ec.value(), "cannot resolve " + *target));
    }
  }
  vol.staging = real + "/" + std::string(k_staging_prefix) + m_id;
  if (m_targets.dry_run == DryRun::no && ::mkdir(vol.staging.c_str(), 0700) != 0) {
    return util::fail(util::errno_error(errno, "cannot create the staging directory " + vol.staging));
  }
  m_order.push_back(name);
  return &m_volumes.emplace(name, std::move(vol)).first->second;
}

util::Result<void> Restorer::extract(archive::TarReader& reader, const archive::TarEntry& entry, VolumeState& vol,
                                     const std::string& rel) {
  ++vol.info.entries;
  const bool is_file = entry.type == "file";
  // A dry run reads and hashes everything as a restore does, and writes nothing.
  const bool write = m_targets.dry_run == DryRun::no;
  std::unique_ptr<::archive_entry, EntryDeleter> out(archive_entry_clone(reader.current_entry()));
  if (!out) {
    return util::fail(util::ErrorKind::permanent, "cannot copy a tar entry");
  }
  const std::string path = vol.staging + "/" + rel;
  archive_entry_copy_pathname(out.get(), path.c_str());
  // Numeric ownership: the names come from the backup container's /etc/passwd.
  archive_entry_set_uname(out.get(), nullptr);
  archive_entry_set_gname(out.get(), nullptr);
  if (write && entry.type == "hardlink") {
    const auto link_volume = archive::volume_of(entry.link, m_sources);
    if (!link_volume || !m_volumes.contains(*link_volume)) {
      return util::fail(util::ErrorKind::permanent,
                        fmt::format("{}: a hard link to {}, outside the volumes being restored", entry.path, entry.link));
    }
    const std::string link_rel = entry.link.substr(m_sources.size() + (m_sources.empty() ? 0 : 1) +
                                                   link_volume->size() + 1);
    const std::string target = staged_path(*link_volume, link_rel);
    archive_entry_copy_hardlink(out.get(), target.c_str());
  }
  if (write && archive_write_header(m_disk.get(), out.get()) < ARCHIVE_WARN) {
    return util::fail(util::ErrorKind::permanent,
                      fmt::format("cannot restore {}: {}", entry.path, archive_error_string(m_disk.get())));
  }
  if (is_file) {
    VOLBACK_TRY(m_sha.reset());
    std::uint64_t at = 0;
    for (;;) {
      VOLBACK_TRY_ASSIGN(auto block, reader.read_block());
      if (!block) {
        break;
      }
      if (block->offset > at) {
        VOLBACK_TRY(m_sha.update_zeros(block->offset - at));
      }
      VOLBACK_TRY(m_sha.update(block->data));
      if (write && archive_write_data_block(m_disk.get(), block->data.data(), block->data.size(),
                                   static_cast<la_int64_t>(block->offset)) < ARCHIVE_WARN) {
        return util::fail(util::ErrorKind::permanent,
                          fmt::format("cannot write {}: {}", path, archive_error_string(m_disk.get())));
      }
      at = block->offset + block->data.size();
    }
    if (at < entry.size) {
      VOLBACK_TRY(m_sha.update_zeros(entry.size - at));
    }
    VOLBACK_TRY_ASSIGN(auto digest, m_sha.final_hex());
    m_hashes[entry.path] = std::move(digest);
    ++vol.info.files;
    vol.info.bytes += entry.size;
  }
  if (write && archive_write_finish_entry(m_disk.get()) < ARCHIVE_WARN) {
    return util::fail(util::ErrorKind::permanent,
                      fmt::format("cannot finish {}: {}", path, archive_error_string(m_disk.get())));
  }
  return {};
}

util::Result<void> Restorer::check_manifest(const std::optional<std::string>& text, bool marked) {
  if (!text) {
    if (marked) {
      return util::fail(util::ErrorKind::corrupt, fmt::format("the archive is marked as volback's but has no {}: it "
                                                              "was cut off or altered; nothing was changed",
                                                              archive::k_manifest_name));
    }
    m_log.warn("The archive has no volback manifest (a foreign archive): its content cannot be checked");
    return {};
  }
  VOLBACK_TRY_ASSIGN(const auto manifest, archive::parse_manifest(*text));
  std::vector<std::string> problems;
  for (const auto& want : manifest.entries) {
    const auto vol = archive::volume_of(want.path, m_sources);
    if (!vol || !m_volumes.contains(*vol) || want.type != "file") {
      continue;
    }
    const auto it = m_hashes.find(want.path);
    if (it == m_hashes.end()) {
      problems.push_back(fmt::format("{}: missing from the archive", want.path));
    } else if (it->second != want.sha256) {
      problems.push_back(fmt::format("{}: content differs from the manifest", want.path));
    }
  }
  if (!problems.empty()) {
    return util::fail(util::ErrorKind::corrupt,
                      fmt::format("the archive does not match its manifest, nothing was changed: {}",
                                  fmt::join(problems, "; ")));
  }
  return {};
}

util::Result<void> Restorer::swap_in() {
  // The steps leave states restore_recovery.hpp tells apart after a crash: old
  // entries moving out (no marker yet: roll back), new entries moving in (marker
  // written: roll forward), and the old ones being deleted (staging gone).
  for (std::size_t i = 0; i < m_order.size(); ++i) {
    const auto& vol = m_volumes.at(m_order[i]);
    const std::string old = vol.info.target + "/" + std::string(k_old_prefix) + m_id;
    auto swapped = [&]() -> util::Result<void> {
      if (::mkdir(old.c_str(), 0700) != 0) {
        return util::fail(util::errno_error(errno, "cannot create " + old));
      }
      VOLBACK_TRY(move_entries(vol.info.target, old));
      VOLBACK_TRY(write_old_complete_marker(old));
      return move_entries(vol.staging, vol.info.target);
    }();
    if (!swapped) {
      roll_back(i + 1);
      return util::fail(swapped.error().with_context("restoring failed and was rolled back"));
    }
  }
  m_committed = true;
  for (const auto& name : m_order) {
    const auto& vol = m_volumes.at(name);
    ::rmdir(vol.staging.c_str());  // empty now; gone first, so a crash below means "delete the old"
    remove_tree(vol.info.target + "/" + std::string(k_old_prefix) + m_id);
    apply_root_metadata(vol);  // last: the removals above change the directory's mtime
  }
  return {};
}

void Restorer::roll_back(std::size_t swapped) {
  for (std::size_t i = 0; i < swapped; ++i) {
    const auto& vol = m_volumes.at(m_order[i]);
    const std::string old = vol.info.target + "/" + std::string(k_old_prefix) + m_id;
    // New entries go back to staging (removed by discard()), the old ones come back.
    // The marker goes in between: a crash before it rolls forward, after it back.
    if (auto back = move_entries(vol.info.target, vol.staging); !back) {
      m_log.error("Rolling back failed", {{"target", vol.info.target}, {"error", back.error().message()}});
      continue;
    }
    remove_old_complete_marker(old);
    if (auto back = move_entries(old, vol.info.target); !back) {
      m_log.error("Rolling back failed: the old content is kept", {{"kept_in", old}, {"error", back.error().message()}});
      continue;
    }
    ::rmdir(old.c_str());
  }
}

void Restorer::apply_root_metadata(const VolumeState& vol) {
  if (!vol.root) {
    return;
  }
  const auto& root = *vol.root;
  const char* target = vol.info.target.c_str();
  if (::chown(target, static_cast<uid_t>(root.uid), static_cast<gid_t>(root.gid)) != 0) {
    m_log.warn("Cannot restore the owner of a volume directory", {{"target", vol.info.target}});
  }
  ::chmod(target, static_cast<mode_t>(root.mode));
  const struct timespec times[2] = {{0, UTIME_OMIT}, {static_cast<time_t>(root.mtime), root.mtime_nsec}};
  ::utimensat(AT_FDCWD, target, times, 0);
}

void Restorer::discard() {
  if (m_committed || m_targets.dry_run == DryRun::yes) {
    return;
  }
  m_disk.reset();
  for (const auto& [name, vol] : m_volumes) {
    remove_tree(vol.staging);
    if (vol.created_target) {
      ::rmdir(vol.info.target.c_str());
    } else {
      ::utimensat(AT_FDCWD, vol.info.target.c_str(), vol.old_times, 0);
    }
  }
}

util::Result<RestoreSummary> Restorer::run(io::Source& raw, const util::CancelToken& cancel) {
  CodecSniffer sniffer(raw);
  VOLBACK_TRY_ASSIGN(const auto codec, sniffer.detect());
  const auto decompressor = compress::make_decompressor(codec, sniffer);
  archive::TarReader reader(*decompressor);
  m_disk.reset(archive_write_disk_new());
  if (!m_disk) {
    return util::fail(util::ErrorKind::permanent, "cannot allocate libarchive's disk writer");
  }
  // Not ARCHIVE_EXTRACT_SPARSE: it scans every block for zeros and turns each zero run
  // into an lseek, which made restores of PostgreSQL data twice as slow (its pages are
  // half zeros); the archive's own sparse map still restores holes, by offset. Not
  // ARCHIVE_EXTRACT_UNLINK: the staging directory starts empty. The symlink check
  // stays, although its lstat and open per path component cost about 13 %.
  archive_write_disk_set_options(m_disk.get(), ARCHIVE_EXTRACT_OWNER | ARCHIVE_EXTRACT_PERM | ARCHIVE_EXTRACT_TIME |
                                                 ARCHIVE_EXTRACT_XATTR | ARCHIVE_EXTRACT_ACL |
                                                 ARCHIVE_EXTRACT_FFLAGS |
                                                 ARCHIVE_EXTRACT_SECURE_NODOTDOT | ARCHIVE_EXTRACT_SECURE_SYMLINKS);
  std::optional<std::string> manifest_text;
  std::string last_entry;
  std::string current;  // the entry whose data is being read
  const auto located = [&](const util::Error& error) {
    if (error.kind() != util::ErrorKind::corrupt) {
      return error;
    }
    const std::string where = !current.empty()      ? "in entry " + current
                              : last_entry.empty() ? std::string("at the start of the archive")
                                                   : "after entry " + last_entry;
    return util::Error(util::ErrorKind::corrupt,
                       reader.source_failed()
                         ? fmt::format("corrupt {} stream {}: {}", stream_name(codec), where, error.message())
                         : fmt::format("damaged tar stream {}: {}", where, error.message()));
  };
  for (;;) {
    VOLBACK_TRY(cancel.check());
    auto next = reader.next();
    if (!next) {
      return util::fail(located(next.error()));
    }
    if (!*next) {
      break;
    }
    const archive::TarEntry& entry = **next;
    if (!m_sources_known) {
      m_sources_known = true;
      m_sources = entry.type == "dir" ? entry.path : stdfs::path(entry.path).parent_path().string();
    }
    if (entry.path == archive::k_manifest_name && entry.type == "file") {
      std::string content;
      for (;;) {
        auto block = reader.read_block();
        if (!block) {
          return util::fail(located(block.error()));
        }
        if (!*block) {
          break;
        }
        content.append(reinterpret_cast<const char*>((*block)->data.data()), (*block)->data.size());
      }
      manifest_text = std::move(content);
      last_entry = entry.path;
      continue;
    }
    const auto name = archive::volume_of(entry.path, m_sources);
    if (name) {
      VOLBACK_TRY_ASSIGN(auto* vol, volume(*name));
      if (vol != nullptr) {
        const std::size_t skip = m_sources.size() + (m_sources.empty() ? 0 : 1) + name->size();
        const std::string rel = entry.path.size() > skip ? entry.path.substr(skip + 1) : std::string();
        if (rel.empty()) {
          vol->root = entry;
        } else {
          current = entry.path;
          if (auto extracted = extract(reader, entry, *vol, rel); !extracted) {
            return util::fail(located(extracted.error()));
          }
          current.clear();
        }
      }
    }
    last_entry = entry.path;
  }
  if (m_targets.dry_run == DryRun::no && archive_write_close(m_disk.get()) < ARCHIVE_WARN) {
    return util::fail(util::ErrorKind::permanent,
                      fmt::format("cannot finish restoring: {}", archive_error_string(m_disk.get())));
  }
  const bool marked = reader.global_records().contains(std::string(archive::k_manifest_key));
  VOLBACK_TRY(check_manifest(manifest_text, marked));
  RestoreSummary summary;
  summary.verified = manifest_text.has_value();
  if (m_targets.dry_run == DryRun::no) {
    VOLBACK_TRY(swap_in());
  }
  for (const auto& name : m_order) {
    summary.volumes.push_back(m_volumes.at(name).info);
  }
  return summary;
}

}  // namespace

util::Result<RestoreSummary> restore_archive(io::Source& raw, const RestoreTargets& targets, const std::string& id,
                                             util::Logger& log, const util::CancelToken& cancel) {
  Restorer restorer(targets, id, log);
  return restorer.run(raw, cancel);
}

}  // namespace volback::app
