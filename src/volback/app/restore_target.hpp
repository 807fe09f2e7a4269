#pragma once
// The directories a restore writes into ("targets"), and volback's own leftovers in
// them: the staging directory `.volback-restore-<id>` and the old content's
// `.volback-old-<id>` of restore_backup.hpp. Leftovers never count as content.

#include <string>
#include <string_view>

#include <volback/util/result.hpp>

namespace volback::app {

inline constexpr std::string_view k_staging_prefix = ".volback-restore-";
inline constexpr std::string_view k_old_prefix = ".volback-old-";
// Written into `.volback-old-<id>` once every old entry has moved there.
inline constexpr std::string_view k_old_complete_marker = ".volback-old-complete";

// Whether a top-level name in a target is one of volback's restore leftovers.
bool is_volback_leftover(std::string_view name);

// Whether `dir` holds anything besides volback's own leftovers.
util::Result<bool> has_content(const std::string& dir);

// Whether `dir` lies on a read-only mount (a volume mounted `:ro`).
bool is_read_only(const std::string& dir);

// Moves every top-level entry of `from` (volback's leftovers excepted) into `to`, by
// rename: both must be on one file system.
util::Result<void> move_entries(const std::string& from, const std::string& to);

// Removes a directory tree; errors are ignored (what stays is a leftover, cleaned up
// by the next run).
void remove_tree(const std::string& path);

// The marker of `old_dir` (a `.volback-old-<id>` directory), synced to disk.
util::Result<void> write_old_complete_marker(const std::string& old_dir);
bool has_old_complete_marker(const std::string& old_dir);
void remove_old_complete_marker(const std::string& old_dir);

}  // namespace volback::app
