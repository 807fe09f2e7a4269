#include <volback/app/restore/restore_backup.hpp>

#include <archive.h>
#include <archive_entry.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include <cerrno>
#include <climits>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <memory>
#include <set>

#include <fmt/format.h>

#include <volback/app/restore/archive_stream.hpp>
#include <volback/app/restore/restore_target.hpp>
#include <volback/app/run/restore_record.hpp>
#include <volback/archive/checked_tar_reader.hpp>
#include <volback/fs/directory_at.hpp>
#include <volback/fs/zero_runs.hpp>

namespace volback::app {
namespace {

namespace stdfs = std::filesystem;

constexpr std::string_view k_unchanged = "; nothing was changed";
// Space kept free beyond a file's data when checking that it fits (metadata, blocks).
constexpr std::uint64_t k_space_margin = std::uint64_t{1} << 20;
// Free space is checked before each this many bytes of a file's content are written: a
// dense sparse file only needs space for its data, which is not known in advance.
constexpr std::uint64_t k_space_step = std::uint64_t{64} << 20;
// Warnings of the disk writer that are logged one by one; the rest are counted.
constexpr int k_max_logged_warnings = 10;

struct DiskDeleter {
  void operator()(::archive* a) const { archive_write_free(a); }
};
struct EntryDeleter {
  void operator()(::archive_entry* e) const { archive_entry_free(e); }
};

// The errors of writing to disk that mean the restored data is not what was read.
bool is_data_loss(int err) {
  return err == ENOSPC || err == EDQUOT || err == EIO || err == EROFS || err == EFBIG || err == ENOMEM;
}

// One volume being restored.
struct VolumeState {
  RestoredVolume info;
  std::string staging_path;      // <real target>/.volback-restore-<id>, for libarchive
  fs::UniqueFd target;           // the target directory
  fs::UniqueFd staging;          // the staging directory in it
  std::size_t record_index = 0;  // its place in the record's targets
  bool created_target = false;   // the target did not exist before
  // The target's times before the staging directory was made in it: a failed restore
  // puts them back, so that the target is exactly as it was.
  struct timespec old_times[2] = {{0, UTIME_OMIT}, {0, UTIME_OMIT}};
  std::optional<archive::TarEntry> root;  // the volume directory's own metadata
};

class Restorer {
 public:
  Restorer(const RestoreTargets& targets, const RestoreOptions& options, util::Logger& log)
    : m_targets(targets), m_options(options), m_log(log), m_writing(targets.dry_run == DryRun::no) {}
  ~Restorer() { discard(); }
  Restorer(const Restorer&) = delete;
  Restorer& operator=(const Restorer&) = delete;

  util::Result<RestoreSummary> run(io::Source& raw, const util::CancelToken& cancel);

 private:
  util::Result<void> read_all(archive::CheckedTarReader& reader);
  util::Result<VolumeState*> volume(const std::string& name);
  util::Result<void> open_target(VolumeState& vol, const std::string& target);
  util::Result<void> extract(archive::CheckedTarReader& reader, const archive::CheckedEntry& checked, VolumeState& vol);
  // Whether `bytes` more bytes of `path` fit into the volume's file system, with a margin.
  util::Result<void> check_fits(const VolumeState& vol, const std::string& path, std::uint64_t bytes) const;
  // Writes one content block, leaving whole aligned granules of zeros out so that they
  // become holes again (see fs/zero_runs.hpp).
  util::Result<void> write_block(const archive::TarEntry& entry, const archive::DataBlock& block);
  util::Result<void> disk_status(int status, std::string_view what);
  util::Result<void> check_volumes_found() const;
  util::Result<void> sync_staged();
  util::Result<void> swap_in();
  util::Result<void> swap_one(VolumeState& vol);
  // Undoes the swaps of the first `swapped` volumes. false when it could not: then the
  // directories stay for the recovery of the next run (restore_recovery.hpp), which
  // finishes the undoing from the state they show.
  bool roll_back(std::size_t swapped);
  void apply_root_metadata(const VolumeState& vol);
  util::Result<void> save_record();
  // Removes staging directories (and targets this run created) unless committed.
  void discard();

  const RestoreTargets& m_targets;
  const RestoreOptions& m_options;
  util::Logger& m_log;
  bool m_writing;
  std::optional<RestoreRecord> m_record;
  std::vector<RecordedTarget> m_recorded;
  std::map<std::string, VolumeState> m_volumes;
  std::set<std::string> m_skipped;
  std::set<std::string> m_found;     // every volume the archive holds
  std::vector<std::string> m_order;  // restored volumes in the order they arrived
  std::unique_ptr<::archive, DiskDeleter> m_disk;
  int m_warnings = 0;
  bool m_committed = false;
  bool m_left_for_recovery = false;
};

util::Result<void> Restorer::save_record() {
  return m_record ? m_record->save(m_recorded) : util::Result<void>();
}

util::Result<void> Restorer::open_target(VolumeState& vol, const std::string& target) {
  char resolved[PATH_MAX];
  if (::realpath(target.c_str(), resolved) == nullptr) {
    return util::fail(util::errno_error(errno, "cannot resolve " + target));
  }
  // libarchive refuses to write through symlinks in the whole path: a target reached
  // through one is staged under its real path.
  const std::string real = resolved;
  VOLBACK_TRY_ASSIGN(vol.target, fs::open_directory(real));
  struct stat st {};
  if (::fstat(vol.target.get(), &st) != 0) {
    return util::fail(util::errno_error(errno, "cannot read " + real));
  }
  vol.old_times[0] = st.st_atim;
  vol.old_times[1] = st.st_mtim;
  vol.record_index = m_recorded.size();
  m_recorded.push_back({.path = real, .device = st.st_dev, .inode = st.st_ino});
  VOLBACK_TRY(save_record());  // before the staging directory exists: a crash leaves no unrecorded directory

  const std::string staging = staging_name(m_options.id);
  if (::mkdirat(vol.target.get(), staging.c_str(), 0700) != 0) {
    return util::fail(util::errno_error(errno, fmt::format("cannot create the staging directory in {}", real)));
  }
  VOLBACK_TRY_ASSIGN(vol.staging, fs::open_directory_at(vol.target.get(), staging));
  struct stat staged {};
  ::fstat(vol.staging.get(), &staged);
  m_recorded[vol.record_index].staging_inode = staged.st_ino;
  VOLBACK_TRY(save_record());
  vol.staging_path = real + "/" + staging;
  return {};
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
    m_skipped.insert(name);
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
    if (m_writing) {
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
                        fmt::format("volume {}: the target {} is not a directory; nothing was changed", name, *target));
    }
    if (is_read_only(*target)) {
      return util::fail(util::ErrorKind::invalid_argument, m_targets.read_only_hint(name, *target));
    }
    VOLBACK_TRY_ASSIGN(const bool full, has_content(*target));
    if (full && m_targets.overwrite == Overwrite::no) {
      return util::fail(util::ErrorKind::invalid_argument,
                        fmt::format("volume {}: the target {} is not empty; nothing was changed. Add --overwrite "
                                    "to replace its content",
                                    name, *target));
    }
  }
  auto& placed = m_volumes.emplace(name, std::move(vol)).first->second;
  m_order.push_back(name);
  if (m_writing) {
    VOLBACK_TRY(open_target(placed, *target));
  }
  return &placed;
}

util::Result<void> Restorer::check_fits(const VolumeState& vol, const std::string& path, std::uint64_t bytes) const {
  struct statvfs vfs {};
  if (::fstatvfs(vol.staging.get(), &vfs) != 0) {
    return {};  // the writes themselves are checked
  }
  const std::uint64_t free = static_cast<std::uint64_t>(vfs.f_bavail) * vfs.f_frsize;
  if (bytes + k_space_margin > free) {
    return util::fail(util::ErrorKind::permanent,
                      fmt::format("not enough space in {} for {}: it needs {} more bytes, {} are free", vol.info.target,
                                  path, bytes, free));
  }
  return {};
}

util::Result<void> Restorer::write_block(const archive::TarEntry& entry, const archive::DataBlock& block) {
  const bool written = fs::for_each_data_run(block.offset, block.data, [&](std::uint64_t at, auto bytes) {
    return archive_write_data_block(m_disk.get(), bytes.data(), bytes.size(), static_cast<la_int64_t>(at)) >= 0;
  });
  if (!written) {
    return disk_status(ARCHIVE_FATAL, fmt::format("cannot write {}", entry.path));
  }
  return {};
}

util::Result<void> Restorer::disk_status(int status, std::string_view what) {
  if (status == ARCHIVE_OK) {
    return {};
  }
  const int err = archive_errno(m_disk.get());
  const char* message = archive_error_string(m_disk.get());
  const std::string text = fmt::format("{}: {}", what, message != nullptr ? message : "unknown error");
  if (status < ARCHIVE_WARN || is_data_loss(err)) {
    return util::fail(err != 0 ? util::errno_error(err, text) : util::Error(util::ErrorKind::permanent, text));
  }
  // Metadata the file system cannot hold (xattrs, ACLs, flags): the content is intact.
  if (++m_warnings <= k_max_logged_warnings) {
    m_log.warn("Restored with a warning", {{"detail", text}});
  }
  return {};
}

util::Result<void> Restorer::extract(archive::CheckedTarReader& reader, const archive::CheckedEntry& checked,
                                     VolumeState& vol) {
  const archive::TarEntry& entry = checked.entry;
  ++vol.info.entries;
  const bool is_file = entry.type == "file";
  if (is_file) {
    ++vol.info.files;
    vol.info.bytes += entry.size;
  }
  if (!m_writing) {
    return {};  // a dry run reads and checks everything as a restore does, and writes nothing
  }
  std::unique_ptr<::archive_entry, EntryDeleter> out(archive_entry_clone(reader.tar().current_entry()));
  if (!out) {
    return util::fail(util::ErrorKind::permanent, "cannot copy a tar entry");
  }
  const std::string path = vol.staging_path + "/" + checked.names.relative;
  archive_entry_copy_pathname(out.get(), path.c_str());
  // Numeric ownership: the names come from the backup container's /etc/passwd.
  archive_entry_set_uname(out.get(), nullptr);
  archive_entry_set_gname(out.get(), nullptr);
  if (entry.type == "hardlink") {
    const std::string target = vol.staging_path + "/" + checked.names.link_relative;
    archive_entry_copy_hardlink(out.get(), target.c_str());
  }
  VOLBACK_TRY(disk_status(archive_write_header(m_disk.get(), out.get()), fmt::format("cannot restore {}", entry.path)));
  if (is_file) {
    std::uint64_t unchecked = 0;  // bytes read since the last space check
    std::uint64_t left = entry.stored;
    for (;;) {
      if (unchecked == 0 || unchecked >= k_space_step) {
        VOLBACK_TRY(check_fits(vol, entry.path, std::min(left, k_space_step)));
        unchecked = 0;
      }
      VOLBACK_TRY_ASSIGN(const auto block, reader.read_block());
      if (!block) {
        break;
      }
      VOLBACK_TRY(write_block(entry, *block));
      unchecked += block->data.size();
      left -= std::min<std::uint64_t>(left, block->data.size());
    }
  }
  return disk_status(archive_write_finish_entry(m_disk.get()), fmt::format("cannot finish {}", entry.path));
}

util::Result<void> Restorer::read_all(archive::CheckedTarReader& reader) {
  bool first = true;
  for (;;) {
    VOLBACK_TRY_ASSIGN(const auto checked, reader.next());
    if (first && m_options.verify == Verify::yes && !reader.marked()) {
      return util::fail(util::ErrorKind::invalid_argument,
                        "the backup has no volback mark and manifest (an archive of offen, GNU tar or another "
                        "tool), so its content cannot be checked; nothing was changed. Restore it unchecked with "
                        "--no-verify: the comparison with a manifest is skipped, the name rules and every write "
                        "check still apply");
    }
    first = false;
    if (!checked) {
      return {};
    }
    if (checked->refusal) {
      return util::fail(util::ErrorKind::corrupt, *checked->refusal);
    }
    if (!checked->names.volume) {
      continue;  // the sources root
    }
    m_found.insert(*checked->names.volume);
    VOLBACK_TRY_ASSIGN(auto* vol, volume(*checked->names.volume));
    if (vol == nullptr) {
      continue;
    }
    if (checked->names.relative.empty()) {
      vol->root = checked->entry;
    } else {
      VOLBACK_TRY(extract(reader, *checked, *vol));
    }
  }
}

util::Result<void> Restorer::check_volumes_found() const {
  std::vector<std::string> missing;
  for (const auto& name : m_targets.required) {
    if (!m_found.contains(name)) {
      missing.push_back(name);
    }
  }
  if (missing.empty()) {
    return {};
  }
  return util::fail(util::ErrorKind::invalid_argument,
                    fmt::format("the backup holds no volume {} (it holds: {})", fmt::join(missing, ", "),
                                m_found.empty() ? std::string("none") : fmt::format("{}", fmt::join(m_found, ", "))));
}

util::Result<void> Restorer::sync_staged() {
  for (const auto& name : m_order) {
    const auto& vol = m_volumes.at(name);
    // Write-back errors (ENOSPC on delayed allocation, EIO) show up here, before the
    // old content is touched.
    if (::syncfs(vol.staging.get()) != 0) {
      return util::fail(
        util::errno_error(errno, fmt::format("cannot write the restored data of {} to disk", vol.info.target)));
    }
  }
  return {};
}

util::Result<void> Restorer::swap_one(VolumeState& vol) {
  const int target = vol.target.get();
  const std::string staging = staging_name(m_options.id);
  const std::string old = old_name(m_options.id);
  if (::mkdirat(target, old.c_str(), 0700) != 0) {
    return util::fail(util::errno_error(errno, "cannot create " + old + " in " + vol.info.target));
  }
  VOLBACK_TRY_ASSIGN(const auto old_dir, fs::open_directory_at(target, old));
  struct stat st {};
  ::fstat(old_dir.get(), &st);
  m_recorded[vol.record_index].old_inode = st.st_ino;
  VOLBACK_TRY(save_record());
  VOLBACK_TRY(fs::move_entries_at(target, old_dir.get(), {staging, old}));
  // The marker says every old entry is out: a crash from here on rolls forward (the new
  // content is verified), before it back. It and the renames must be on disk first.
  fs::UniqueFd marker(::openat(old_dir.get(), std::string(k_old_complete_marker).c_str(),
                               O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600));
  if (!marker.valid() || ::fsync(marker.get()) != 0) {
    return util::fail(util::errno_error(errno, "cannot write the swap marker in " + vol.info.target));
  }
  VOLBACK_TRY(fs::fsync_fd(old_dir.get(), old));
  VOLBACK_TRY(fs::fsync_fd(target, vol.info.target));
  VOLBACK_TRY(fs::move_entries_at(vol.staging.get(), target, {}));
  return fs::fsync_fd(target, vol.info.target);
}

util::Result<void> Restorer::swap_in() {
  for (std::size_t i = 0; i < m_order.size(); ++i) {
    if (auto swapped = swap_one(m_volumes.at(m_order[i])); !swapped) {
      if (!roll_back(i + 1)) {
        m_left_for_recovery = true;
        return util::fail(swapped.error().with_context(
          "restoring failed and could not be rolled back; the next backup or restore finishes the rollback"));
      }
      return util::fail(swapped.error().with_context("restoring failed and was rolled back"));
    }
  }
  m_committed = true;
  for (const auto& name : m_order) {
    auto& vol = m_volumes.at(name);
    vol.staging.reset();
    // The staging directory goes first: a crash below then means "delete the old".
    ::unlinkat(vol.target.get(), staging_name(m_options.id).c_str(), AT_REMOVEDIR);
    if (auto removed = fs::remove_tree_at(vol.target.get(), old_name(m_options.id)); !removed) {
      m_log.warn("Could not delete all of the replaced content; the next run deletes the rest",
                 {{"target", vol.info.target}, {"error", removed.error().message()}});
      continue;  // the record stays, so that the next run finishes it
    }
    apply_root_metadata(vol);  // last: the removals above change the directory's mtime
  }
  return {};
}

bool Restorer::roll_back(std::size_t swapped) {
  bool done = true;
  for (std::size_t i = 0; i < swapped; ++i) {
    auto& vol = m_volumes.at(m_order[i]);
    const int target = vol.target.get();
    const std::string old = old_name(m_options.id);
    auto old_dir = fs::open_directory_at(target, old);
    if (!old_dir) {
      continue;  // it was never made: nothing moved
    }
    // New entries go back to staging (removed by discard()), the old ones come back.
    // The marker goes in between: a crash before it rolls forward, after it back.
    if (auto back = fs::move_entries_at(target, vol.staging.get(), {staging_name(m_options.id), old}); !back) {
      m_log.error("Rolling back failed", {{"target", vol.info.target}, {"error", back.error().message()}});
      done = false;
      continue;
    }
    ::unlinkat(old_dir->get(), std::string(k_old_complete_marker).c_str(), 0);
    if (auto back = fs::move_entries_at(old_dir->get(), target, {}); !back) {
      m_log.error("Rolling back failed: the old content is kept",
                  {{"kept_in", vol.info.target + "/" + old}, {"error", back.error().message()}});
      done = false;
      continue;
    }
    ::unlinkat(target, old.c_str(), AT_REMOVEDIR);
  }
  return done;
}

void Restorer::apply_root_metadata(const VolumeState& vol) {
  if (!vol.root) {
    return;
  }
  const auto& root = *vol.root;
  const int target = vol.target.get();
  if (::fchown(target, static_cast<uid_t>(root.uid), static_cast<gid_t>(root.gid)) != 0) {
    m_log.warn("Cannot restore the owner of a volume directory", {{"target", vol.info.target}});
  }
  ::fchmod(target, static_cast<mode_t>(root.mode));
  const struct timespec times[2] = {{0, UTIME_OMIT}, {static_cast<time_t>(root.mtime), root.mtime_nsec}};
  ::futimens(target, times);
}

void Restorer::discard() {
  if (!m_writing || m_left_for_recovery) {
    return;
  }
  m_disk.reset();
  bool clean = true;
  if (!m_committed) {
    for (auto& [name, vol] : m_volumes) {
      if (!vol.target.valid()) {
        continue;
      }
      vol.staging.reset();
      if (auto removed = fs::remove_tree_at(vol.target.get(), staging_name(m_options.id)); !removed) {
        clean = false;
        m_log.warn("Could not remove the staging directory; the next run removes it",
                   {{"target", vol.info.target}, {"error", removed.error().message()}});
      }
      if (vol.created_target) {
        vol.target.reset();
        ::rmdir(vol.info.target.c_str());
      } else {
        ::futimens(vol.target.get(), vol.old_times);
      }
    }
  } else {
    for (const auto& [name, vol] : m_volumes) {
      struct stat st {};
      clean = clean && vol.target.valid() &&
              ::fstatat(vol.target.get(), old_name(m_options.id).c_str(), &st, AT_SYMLINK_NOFOLLOW) != 0;
    }
  }
  if (m_record && clean) {
    m_record->remove();
  }
}

util::Result<RestoreSummary> Restorer::run(io::Source& raw, const util::CancelToken& cancel) {
  VOLBACK_TRY_ASSIGN(auto stream,
                     open_archive_stream(raw, m_options.keys ? *m_options.keys : crypto::DecryptionKeys::none()));
  archive::CheckedTarReader reader(
    stream.tar(),
    {.stream_name = stream.name, .spill_dir = m_options.spill_dir, .compare_manifest = m_options.verify == Verify::yes},
    cancel);
  if (m_writing) {
    VOLBACK_TRY_ASSIGN(auto record, RestoreRecord::create(m_options.state_dir, m_options.id));
    m_record.emplace(std::move(record));
    m_disk.reset(archive_write_disk_new());
    if (!m_disk) {
      return util::fail(util::ErrorKind::permanent, "cannot allocate libarchive's disk writer");
    }
    // Not ARCHIVE_EXTRACT_SPARSE: it scans every block for zeros and turns each zero run
    // into an lseek, which made restores of PostgreSQL data twice as slow (its pages are
    // half zeros); the archive's own sparse map still restores holes, by offset. Not
    // ARCHIVE_EXTRACT_UNLINK: the staging directory starts empty and no name comes twice.
    // The symlink and ".." checks stay behind the name rules, although the symlink check's
    // lstat and open per path component cost about 13 %.
    archive_write_disk_set_options(m_disk.get(), ARCHIVE_EXTRACT_OWNER | ARCHIVE_EXTRACT_PERM | ARCHIVE_EXTRACT_TIME |
                                                   ARCHIVE_EXTRACT_XATTR | ARCHIVE_EXTRACT_ACL |
                                                   ARCHIVE_EXTRACT_FFLAGS | ARCHIVE_EXTRACT_SECURE_NODOTDOT |
                                                   ARCHIVE_EXTRACT_SECURE_SYMLINKS);
  }
  VOLBACK_TRY(read_all(reader));
  VOLBACK_TRY_ASSIGN(const auto report, reader.finish());
  if (!report.problems.empty()) {
    std::string text = fmt::format("{}", fmt::join(report.problems.described, "; "));
    if (report.problems.more > 0) {
      text += fmt::format("; and {} more", report.problems.more);
    }
    return util::fail(util::ErrorKind::corrupt,
                      fmt::format("the archive does not match its manifest{}: {}", k_unchanged, text));
  }
  VOLBACK_TRY(check_volumes_found());
  if (m_writing) {
    const int closed = archive_write_close(m_disk.get());
    VOLBACK_TRY(disk_status(closed, "cannot finish restoring"));
    if (m_warnings > k_max_logged_warnings) {
      m_log.warn("More restore warnings were not logged",
                 {{"count", std::to_string(m_warnings - k_max_logged_warnings)}});
    }
    VOLBACK_TRY(sync_staged());
    VOLBACK_TRY(swap_in());
  }
  RestoreSummary summary;
  summary.verified = report.has_manifest && m_options.verify == Verify::yes;
  for (const auto& name : m_order) {
    summary.volumes.push_back(m_volumes.at(name).info);
  }
  return summary;
}

}  // namespace

util::Result<RestoreSummary> restore_archive(io::Source& raw, const RestoreTargets& targets,
                                             const RestoreOptions& options, util::Logger& log,
                                             const util::CancelToken& cancel) {
  Restorer restorer(targets, options, log);
  auto summary = restorer.run(raw, cancel);
  if (!summary && summary.error().message().find("nothing was changed") == std::string::npos &&
      summary.error().message().find("rolled back") == std::string::npos) {
    return util::fail(util::Error(summary.error().kind(), summary.error().message() + std::string(k_unchanged)));
  }
  return summary;
}

}  // namespace volback::app
