#include <volback/app/backup/snapshot.hpp>

#include <sys/file.h>
#include <sys/stat.h>

#include <cerrno>

#include <fmt/format.h>

#include <volback/fs/directory_at.hpp>
#include <volback/fs/random_name.hpp>

namespace volback::app {
namespace {

constexpr std::string_view k_prefix = ".volback-snapshot-";
constexpr std::string_view k_tree = "tree";

// offen's words (cmd/backup/create_archive.go), so that alert rules keep matching.
void warn_deprecated(util::Logger& log) {
  log.warn("Using BACKUP_FROM_SNAPSHOT has been deprecated and will be removed in the next major version.");
  log.warn(
    "Please use `archive-pre` and `archive-post` commands to prepare your backup sources. Refer to the "
    "documentation for an upgrade guide.");
}

std::string describe_reflinks(const fs::SnapshotReport& report) {
  if (report.reflinked_files == 0) {
    return report.copied_files == 0 ? "no files" : "copied (no reflinks on this file system)";
  }
  if (report.copied_files == 0) {
    return "reflinked (no data copied)";
  }
  return fmt::format("{} of {} files reflinked", report.reflinked_files, report.reflinked_files + report.copied_files);
}

// Opens `name` in `dir` and takes its lock without waiting; empty when another process
// holds it (or it cannot be opened).
fs::UniqueFd lock_directory(int dir, const std::string& name) {
  auto opened = fs::open_directory_at(dir, name);
  if (!opened || ::flock(opened->get(), LOCK_EX | LOCK_NB) != 0) {
    return {};
  }
  return std::move(*opened);
}

}  // namespace

namespace {

util::Error in_spool(const util::Error& error, const std::string& spool_dir) {
  return error.with_context(
    fmt::format("creating the snapshot in {} (VOLBACK_SPOOL_DIR; BACKUP_FROM_SNAPSHOT)", spool_dir));
}

}  // namespace

util::Result<std::unique_ptr<Snapshot>> Snapshot::create(const std::string& spool_dir, util::Logger& log) {
  warn_deprecated(log);
  auto spool = fs::open_directory(spool_dir);
  if (!spool) {
    return util::fail(in_spool(spool.error(), spool_dir));
  }
  const std::string name = std::string(k_prefix) + fs::random_suffix();
  if (::mkdirat(spool->get(), name.c_str(), 0700) != 0) {
    return util::fail(in_spool(util::errno_error(errno, "cannot create " + name), spool_dir));
  }
  fs::UniqueFd lock = lock_directory(spool->get(), name);
  if (!lock.valid()) {
    (void)fs::remove_tree_at(spool->get(), name, true);
    return util::fail(in_spool(util::Error(util::ErrorKind::permanent, "cannot lock " + name), spool_dir));
  }
  std::string path = fmt::format("{}/{}/{}", spool_dir, name, k_tree);
  return std::unique_ptr<Snapshot>(
    new Snapshot(std::move(*spool), std::move(lock), spool_dir, name, std::move(path), log));
}

util::Result<void> Snapshot::copy(const std::string& source, const archive::Exclusion* exclude,
                                  const util::CancelToken& cancel) {
  fs::SnapshotOptions options;
  if (exclude != nullptr) {
    options.skip = [exclude](const std::string& path) { return exclude->matches(path); };
  }
  auto copied = fs::copy_tree(source, m_lock.get(), std::string(k_tree), m_log, cancel, options);
  if (!copied) {
    return util::fail(in_spool(copied.error(), m_spool_dir));  // the destructor removes the partial copy
  }
  m_report = std::move(*copied);
  m_log.info(fmt::format("Created snapshot of `{}` at `{}`: {} bytes, {}.", source, m_path, m_report.bytes,
                         describe_reflinks(m_report)),
             {{"bytes", m_report.bytes},
              {"reflinked_files", m_report.reflinked_files},
              {"copied_files", m_report.copied_files}});
  return {};
}

Snapshot::~Snapshot() {
  if (auto removed = fs::remove_tree_at(m_spool.get(), m_name, true); !removed) {
    m_log.error("Could not remove the snapshot", {{"path", m_path}, {"error", removed.error().message()}});
    return;
  }
  m_log.info(fmt::format("Removed snapshot `{}`.", m_path));
}

void sweep_snapshots(const std::string& spool_dir, util::Logger& log) {
  auto spool = fs::open_directory(spool_dir);
  if (!spool) {
    if (spool.error().kind() != util::ErrorKind::not_found) {
      log.warn("Could not look for the snapshots of interrupted runs",
               {{"directory", spool_dir}, {"error", spool.error().message()}});
    }
    return;
  }
  auto names = fs::list_directory_at(spool->get());
  if (!names) {
    log.warn("Could not look for the snapshots of interrupted runs",
             {{"directory", spool_dir}, {"error", names.error().message()}});
    return;
  }
  for (const auto& name : *names) {
    if (!name.starts_with(k_prefix)) {
      continue;
    }
    const fs::UniqueFd lock = lock_directory(spool->get(), name);
    if (!lock.valid()) {
      continue;  // a live run's, or not a directory of ours
    }
    const std::string path = fmt::format("{}/{}", spool_dir, name);
    if (auto removed = fs::remove_tree_at(spool->get(), name, true); !removed) {
      log.warn("Could not remove the snapshot of an interrupted run",
               {{"path", path}, {"error", removed.error().message()}});
    } else {
      log.warn("Removed the snapshot an interrupted run left behind", {{"path", path}});
    }
  }
}

}  // namespace volback::app
