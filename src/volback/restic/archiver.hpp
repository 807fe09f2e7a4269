#pragma once
// The archiver: one snapshot of a set of absolute paths, written into a repository as
// restic 0.14 writes one. Files are cut by the repository's chunker, directories become
// tree blobs, and the root tree reproduces each path from '/' with the real metadata of
// the directories on the way (the format's §8.6). Blobs go through a BlobSaver (each once,
// deduplicated against the repository), then the index, then the snapshot file, last, so
// the repository is consistent at every moment (§10.2).
//
// The parent is the newest snapshot of the same host and paths: a file whose metadata
// (type, mtime, ctime, size, inode) equals its node there keeps that content without being
// read, as restic does. Packs a killed backup stored but did not index are reused (their
// headers read: stray_packs.hpp), and index files are written during a long backup
// (BlobSaver), so a backup killed at any moment leaves a repository restic checks and most
// of its uploads for the next run.

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include <volback/restic/blob_index.hpp>
#include <volback/restic/blob_saver.hpp>
#include <volback/restic/go_json.hpp>
#include <volback/restic/repository.hpp>
#include <volback/util/cancel.hpp>
#include <volback/util/result.hpp>

namespace volback::restic {

// Whether an absolute path is left out of the snapshot (with everything below it).
using PathFilter = std::function<bool(std::string_view absolute_path)>;

struct SnapshotRequest {
  std::vector<std::string> paths;  // absolute, existing
  std::string hostname;
  std::string username;
  std::vector<std::string> tags;
  GoTime time;
  PathFilter excluded;  // empty: nothing is left out
  // Called once when the last file has been read, before the last packs, the index and the
  // snapshot are written (a backup run restarts the stopped containers there). May be empty.
  std::function<void()> files_read;
  // Where packs are built before they upload (PackFile).
  std::string temp_dir = "/tmp";
};

struct ArchiveResult {
  Id snapshot;
  std::uint64_t files = 0;
  std::uint64_t files_unchanged = 0;  // kept from the parent snapshot without being read
  std::uint64_t dirs = 0;
  std::uint64_t bytes_read = 0;
  BlobSaverStats blobs;
};

// Writes the snapshot of `request.paths`. `index` holds the repository's blobs (load_index)
// and gains the new ones. Errors: invalid_argument for a path that is not absolute or does
// not exist; the kinds of the file system and the backend; cancelled.
util::Result<ArchiveResult> write_snapshot(Repository& repository, BlobIndex& index, const SnapshotRequest& request,
                                           const util::CancelToken& cancel);

// The index of every blob in the repository, from all its index files.
util::Result<BlobIndex> load_index(Repository& repository);

}  // namespace volback::restic
