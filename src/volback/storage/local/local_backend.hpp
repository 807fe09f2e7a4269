#pragma once
// storage/local: the "Local" backend, a directory on this machine (offen's
// BACKUP_ARCHIVE).
//
// Layout: every object is a regular file `<directory>/<key>`; a nested key ("a/b/c")
// lives in subdirectories, made as needed. Uploads write `.volback-partial-<random>` in
// the object's directory and rename it over `<directory>/<key>` in finish(), after
// fsync, so a crash or an abort never leaves a truncated archive under a backup's name;
// an existing file of the same name is replaced, as offen does. When
// LocalSettings::latest_symlink is set, finish() then atomically points that symlink
// at the new file (relative target: the key).
//
// list() returns regular files only, nested ones by their full key: symlinks (including
// the latest symlink), dotfiles and partial files are skipped. ObjectInfo::modified is
// the mtime.

#include <memory>

#include <volback/storage/backend.hpp>
#include <volback/storage/local/local_settings.hpp>
#include <volback/util/logging.hpp>

namespace volback::storage::local {

// Creates the backend for `settings.directory`, which should exist (see
// parse_local_settings); nothing is checked until the first operation.
//
// Keys are storage::check_key's, and not the latest symlink's name; other keys give
// invalid_argument.
// Other errors follow util::errno_error: not_found (missing directory or object),
// permanent (EACCES, ENOSPC, EIO, ...).
//
// Lifetime: `log` must outlive the backend, and the backend's upload sinks must not
// outlive the logger. Thread-safety: the backend may be used from several threads at
// once; each UploadSink by one thread at a time. Uploads to the same key at once race:
// the last finish() wins.
std::unique_ptr<storage::Backend> make_local_backend(LocalSettings settings, util::Logger& log);

}  // namespace volback::storage::local
