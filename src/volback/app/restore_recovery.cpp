#include <volback/app/restore_recovery.hpp>

#include <unistd.h>

#include <filesystem>
#include <set>

#include <fmt/format.h>

#include <volback/app/restore_target.hpp>

namespace volback::app {

namespace {

// The ids of the leftovers with `prefix` in `dir`.
util::Result<std::set<std::string>> leftover_ids(const std::string& dir, std::string_view prefix) {
  std::set<std::string> ids;
  std::error_code ec;
  for (std::filesystem::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    const std::string name = it->path().filename().string();
    if (name.starts_with(prefix) && it->is_directory()) {
      ids.insert(name.substr(prefix.size()));
    }
  }
  if (ec) {
    return util::fail(util::errno_error(ec.value(), "cannot read " + dir));
  }
  return ids;
}

bool is_directory(const std::string& path) {
  std::error_code ec;
  return std::filesystem::is_directory(path, ec);
}

util::Result<void> recover_one(const std::string& dir, const std::string& id, util::Logger& log) {
  const std::string staging = dir + "/" + std::string(k_staging_prefix) + id;
  const std::string old = dir + "/" + std::string(k_old_prefix) + id;
  const bool has_staging = is_directory(staging);
  if (!is_directory(old)) {
    remove_tree(staging);
    log.warn("Removed the staging directory of a restore that was interrupted before it changed anything",
             {{"target", dir}});
  } else if (!has_staging) {
    remove_tree(old);
    log.warn("Deleted the old content that a completed but interrupted restore left behind", {{"target", dir}});
  } else if (has_old_complete_marker(old)) {
    VOLBACK_TRY(move_entries(staging, dir));
    ::rmdir(staging.c_str());
    remove_tree(old);
    log.warn("Completed a restore that was interrupted while its verified content moved in", {{"target", dir}});
  } else {
    VOLBACK_TRY(move_entries(old, dir));
    ::rmdir(old.c_str());
    remove_tree(staging);
    log.warn("Rolled back a restore that was interrupted while the old content moved out", {{"target", dir}});
  }
  if (is_directory(staging) || is_directory(old)) {
    return util::fail(util::ErrorKind::permanent, fmt::format("cannot remove the leftovers of restore {} in {}", id, dir));
  }
  return {};
}

}  // namespace

util::Result<std::size_t> recover_interrupted_restore(const std::string& dir, util::Logger& log) {
  VOLBACK_TRY_ASSIGN(std::set<std::string> ids, leftover_ids(dir, k_staging_prefix));
  VOLBACK_TRY_ASSIGN(const std::set<std::string> old_ids, leftover_ids(dir, k_old_prefix));
  ids.insert(old_ids.begin(), old_ids.end());
  for (const auto& id : ids) {
    VOLBACK_TRY(recover_one(dir, id, log));
  }
  return ids.size();
}

void recover_interrupted_restores(const std::string& root, util::Logger& log) {
  std::error_code ec;
  for (std::filesystem::directory_iterator it(root, ec), end; !ec && it != end; it.increment(ec)) {
    if (!it->is_directory() || is_volback_leftover(it->path().filename().string())) {
      continue;
    }
    const std::string dir = it->path().string();
    if (auto recovered = recover_interrupted_restore(dir, log); !recovered) {
      log.warn(fmt::format("{} holds what an interrupted restore left; run the restore again with --in-place from a "
                           "container that mounts it writable, which repairs it first",
                           dir),
               {{"error", recovered.error().message()}});
    }
  }
}

}  // namespace volback::app
