#pragma once
// A snapshot of the restic-format repository as the archive stream that restore reads: a
// pax tar of the snapshot's path, named as volback's archives are (the sources root, e.g.
// "backup", then the volumes below it), so that restoring a snapshot goes through the one
// checked restore path (restore_backup.hpp: the name rules, staging, the swap) exactly as
// an archive does.
//
// Each entry keeps what the snapshot's node records: type, permission and special bits,
// numeric owner and names, nanosecond mtime, symlink target, device numbers, extended
// attributes; files whose node has more than one link and the same device and inode as
// an earlier file of the same volume become hard links to it. Sockets are left out (tar
// has no type for them). Every content blob is authenticated and hashed to its id before
// its bytes enter the stream (restic/snapshot_reader.hpp), so the stream carries no
// manifest: restore it with Verify::no.
//
// The tar is written on a thread of its own into a bounded pipe (4 MiB) that read()
// drains; blobs are fetched ahead by the reader's workers (one per core for a repository on
// this machine's disk, four for a remote one; 16 MiB of plaintext ahead). A read error, a damaged blob
// or a node whose content is longer than its size fails read() with that error.
// Destroying the source stops the thread.

#include <memory>

#include <volback/io/source.hpp>
#include <volback/restic/blob_index.hpp>
#include <volback/restic/repository.hpp>
#include <volback/restic/snapshot.hpp>
#include <volback/util/cancel.hpp>
#include <volback/util/result.hpp>

namespace volback::app {

// The archive stream of `snapshot`. Errors: invalid_argument for a snapshot with more or
// fewer than one path, or whose path is not absolute or is "/". `repository`, `index` and
// `cancel` must outlive the source.
util::Result<std::unique_ptr<io::Source>> snapshot_archive_source(restic::Repository& repository,
                                                                  const restic::BlobIndex& index,
                                                                  const restic::Snapshot& snapshot,
                                                                  const util::CancelToken& cancel);

}  // namespace volback::app
