#include <volback/app/restore/restore_drill.hpp>

#include <sys/stat.h>

#include <filesystem>
#include <map>

#include <fmt/format.h>

#include <volback/fs/free_space.hpp>

namespace volback::app {
namespace {

namespace stdfs = std::filesystem;

constexpr std::string_view k_scratch_prefix = ".volback-drill-";

// Removes the scratch directory when the drill ends, however it ends.
class ScratchDir {
 public:
  ScratchDir(std::string path, util::Logger& log) : m_path(std::move(path)), m_log(log) {}
  ~ScratchDir() { remove(m_path, m_log); }
  ScratchDir(const ScratchDir&) = delete;
  ScratchDir& operator=(const ScratchDir&) = delete;
  const std::string& path() const { return m_path; }

  static void remove(const std::string& path, util::Logger& log) {
    std::error_code ec;
    stdfs::remove_all(path, ec);  // does not follow symlinks
    if (ec) {
      log.error("Could not remove the drill's scratch directory", {{"directory", path}, {"error", ec.message()}});
    }
  }

 private:
  std::string m_path;
  util::Logger& m_log;
};

void remove_leftovers(const std::string& drill_dir, util::Logger& log) {
  std::error_code ec;
  for (stdfs::directory_iterator it(drill_dir, ec), end; !ec && it != end; it.increment(ec)) {
    if (it->path().filename().string().starts_with(k_scratch_prefix)) {
      log.warn("Removing a scratch directory that an earlier drill left behind", {{"directory", it->path().string()}});
      ScratchDir::remove(it->path().string(), log);
    }
  }
}

util::Result<std::string> make_scratch(const DrillOptions& options) {
  std::error_code ec;
  stdfs::create_directories(options.drill_dir, ec);
  if (ec) {
    return util::fail(util::errno_error(ec.value(), "creating the drill directory " + options.drill_dir));
  }
  VOLBACK_TRY_ASSIGN(const auto free, fs::free_space(options.drill_dir));
  if (free < options.stored_bytes) {
    return util::fail(util::ErrorKind::permanent,
                      fmt::format("the drill directory {} has {} bytes free, less than the backup's {} bytes "
                                  "(VOLBACK_DRILL_DIR)",
                                  options.drill_dir, free, options.stored_bytes));
  }
  const std::string path =
    options.drill_dir + (options.drill_dir.ends_with('/') ? "" : "/") + std::string(k_scratch_prefix) + options.id;
  if (::mkdir(path.c_str(), 0700) != 0) {
    return util::fail(util::errno_error(errno, "creating " + path));
  }
  return path;
}

}  // namespace

util::Result<DrillOutcome> run_restore_drill(io::Source& raw, DrillChecks& checks, const DrillOptions& options,
                                             util::Logger& log, const util::CancelToken& cancel) {
  remove_leftovers(options.drill_dir, log);
  VOLBACK_TRY_ASSIGN(const auto path, make_scratch(options));
  const ScratchDir scratch(path, log);
  RestoreTargets targets;
  targets.target_of = [&](const std::string& volume) { return std::optional<std::string>(path + "/" + volume); };
  RestoreOptions restore_options{options.id, options.state_dir, options.spill_dir, options.verify, options.keys};
  DrillOutcome outcome;
  auto restored = restore_archive(raw, targets, restore_options, log, cancel);
  if (!restored) {
    if (restored.error().kind() == util::ErrorKind::cancelled) {
      return util::fail(restored.error());
    }
    outcome.failure = "the backup did not restore: " + restored.error().message();
    return outcome;
  }
  outcome.restored = std::move(*restored);
  std::map<std::string, std::string> dirs;
  for (const auto& volume : outcome.restored.volumes) {
    dirs.emplace(volume.name, volume.target);
  }
  outcome.checks = checks.run(dirs);
  for (const auto& check : outcome.checks) {
    if (!check.passed) {
      outcome.failure += fmt::format("{}the check of container {} failed: {}", outcome.failure.empty() ? "" : "; ",
                                     check.container, check.failure);
    }
  }
  if (cancel.requested()) {
    return util::fail(util::ErrorKind::cancelled, "cancelled");
  }
  outcome.passed = outcome.failure.empty();
  return outcome;
}

}  // namespace volback::app
