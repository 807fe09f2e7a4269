#pragma once
// The storage abstraction: where finished archives go.
//
// A Backend offers primitives only (upload, open, list, stat, remove); policy such as
// retention lives in retention/ and app/. Storage speaks keys, bytes and ObjectInfo, and
// never includes archive/, docker/ or retention/.
//
// Semantics every backend must give:
//   - Atomic visibility: an object appears under its key only when its UploadSink's
//     finish() succeeds. An upload that fails, is cancelled or is destroyed unfinished
//     leaves nothing that list() returns.
//   - Read-after-write: after finish(), stat(), open() and list() see the object.
//   - list() returns complete backups only, never in-progress or partial uploads.
//   - Keys are names relative to the backend's configured location: "backup-…tar.gz",
//     or nested with '/' ("data/ab/abcdef…"). check_key() states what a key may be;
//     every backend takes every valid key and lists nested keys by their full name.
//   - Errors carry the kind decided where they arose: not_found, auth, transient (worth a
//     retry), permanent.

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <volback/io/sink.hpp>
#include <volback/io/source.hpp>
#include <volback/util/clock.hpp>
#include <volback/util/result.hpp>

namespace volback::storage {

// A byte range of an object: `length` bytes from `offset`, or to the end when `length`
// is nullopt.
struct ByteRange {
  std::uint64_t offset = 0;
  std::optional<std::uint64_t> length;
};

// Whether `key` is a valid object key: one or more '/'-separated components, none empty,
// "." or "..", none starting with '.' (names starting with '.' belong to the backends'
// own partial files), no NUL, at most 1024 bytes. Errors: invalid_argument naming the key.
util::Result<void> check_key(std::string_view key);

// The directory part of a key or path, "" when it has none ("a/b/c" -> "a/b"), and its
// last component ("a/b/c" -> "c").
std::string key_parent(std::string_view key);
std::string key_name(std::string_view key);

struct ObjectInfo {
  std::string key;
  std::uint64_t size = 0;
  util::TimePoint modified;  // file mtime or the object's LastModified
};

struct Properties {
  // Whether begin_upload() can consume a live stream of unknown length. For a backend
  // that cannot, app/ writes the archive to local disk first (the local backend's file
  // or a spool) and uploads it from there once it is complete, with PutOptions::size.
  bool streaming_upload = true;
  // Whether this backend keeps its data on this machine's disk. The archive written to a
  // local backend is "sealed" as soon as it is complete.
  bool local_disk = false;
};

// Whether a run needs to list the backend (pruning does).
enum class ListAccess { needed, optional };

struct PutOptions {
  std::string content_type = "application/octet-stream";
  // The object's size, when the upload comes from a complete file. A backend whose
  // Properties::streaming_upload is false always gets it.
  std::optional<std::uint64_t> size;
};

// An upload in progress. finish() commits; destruction without finish() aborts.
class UploadSink : public io::Sink {
 public:
  // After a successful finish(): what was stored.
  virtual ObjectInfo result() const = 0;

  // The path of the file being written on local disk, if the upload writes one; other
  // stages may read it while it grows (remote uploads tail the local file).
  virtual std::optional<std::string> local_path() const { return std::nullopt; }
};

class Backend {
 public:
  Backend() = default;
  Backend(const Backend&) = delete;
  Backend& operator=(const Backend&) = delete;
  virtual ~Backend() = default;

  // The name offen uses for this backend ("Local", "S3", ...), case as shown to users.
  virtual std::string_view name() const = 0;

  // Where it stores, for logs; never contains a credential.
  virtual std::string describe() const = 0;

  // offen's info lines, word for word, for a copy of the archive `archive` this backend
  // has stored (what the Copy of offen's storage package for it logs, with the archive's
  // name where offen names its temporary file); logged with storage=name(). None by
  // default, as offen's Azure backend logs none.
  virtual std::vector<std::string> stored_messages(std::string_view archive) const {
    static_cast<void>(archive);
    return {};
  }

  virtual Properties properties() const = 0;

  // Starts writing the object `key`. Nothing is visible until finish().
  virtual util::Result<std::unique_ptr<UploadSink>> begin_upload(std::string_view key, const PutOptions& options) = 0;

  // Opens the object for reading: all of it, or `range` (a range reaching past the end
  // ends at the end; an offset at or past the end reads nothing). Errors: not_found when
  // the object does not exist; the read errors of the returned source follow the same
  // kinds.
  virtual util::Result<std::unique_ptr<io::Source>> open(std::string_view key, const ByteRange& range = {}) = 0;

  // Calls `visit` for every complete object whose key starts with `prefix` (nested keys
  // included, by their full key), in no particular order. Stops and returns the first
  // error `visit` returns.
  virtual util::Result<void> list(std::string_view prefix,
                                  const std::function<util::Result<void>(const ObjectInfo&)>& visit) = 0;

  // The object's info, or nullopt when it does not exist.
  virtual util::Result<std::optional<ObjectInfo>> stat(std::string_view key) = 0;

  // Removes the object. Removing a missing object is not an error.
  virtual util::Result<void> remove(std::string_view key) = 0;

  // Removes several objects; missing ones are not an error. Backends with a batch call
  // (S3's DeleteObjects) override it; the default removes one at a time and stops at the
  // first error.
  virtual util::Result<void> remove_many(std::span<const std::string> keys) {
    for (const auto& key : keys) {
      VOLBACK_TRY(remove(key));
    }
    return {};
  }

  // Checks, before a run stops anything, that the backend is reachable and accepts the
  // credentials. With ListAccess::optional a refused listing (auth) is only logged, for
  // write-only credentials. The default checks nothing.
  virtual util::Result<void> preflight(ListAccess list_access) {
    static_cast<void>(list_access);
    return {};
  }

  // Removes what interrupted earlier runs left behind (partial files, unfinished
  // multipart uploads). REQUIRES: the caller holds the global run lock, so no live
  // upload of another run can be affected. Returns how many leftovers it removed.
  virtual util::Result<unsigned> remove_incomplete_uploads() = 0;
};

}  // namespace volback::storage
