#pragma once
// archive: turns a directory tree into a POSIX pax tar stream.
//
// TarWriter (this header) encodes entries with libarchive's pax writer and passes the
// bytes straight to an io::Sink, unbuffered, so the rest of the pipeline (compressor,
// tee, uploads) sees a stream. archiver.hpp walks a tree into a TarWriter;
// exclusion.hpp and archive_settings.hpp hold BACKUP_EXCLUDE_REGEXP and BACKUP_SOURCES.
//
// Format: full pax interchange ("pax", not "restricted pax"), so every entry whose
// mtime has a fractional second gets an extended header keeping the nanoseconds.
// Extended attributes are written as SCHILY.xattr.* records and POSIX ACLs as
// SCHILY.acl.access / SCHILY.acl.default (GNU tar --xattrs --acls restores both); sparse
// files use the GNU sparse 1.0 format.
//
// Names (and link targets, user and group names) keep their exact bytes. A name that is
// valid UTF-8 is stored as a standard pax UTF-8 "path" record; any other byte sequence is
// stored raw with "hdrcharset=BINARY" (libarchive's fallback; GNU tar 1.34 does not know
// that keyword and prints "Ignoring unknown extended header keyword 'hdrcharset'" for
// such entries, but extracts the bytes exactly). libarchive converts names from the
// LC_CTYPE charset to UTF-8, and in the C locale every non-ASCII byte fails that
// conversion; so during its libarchive calls the writer switches the calling thread (not
// the process: uselocale, never setlocale) to the C.UTF-8 locale. Setting hdrcharset=
// BINARY for all entries instead would make GNU tar warn about every entry.
//
// A TarWriter is used by one thread at a time.

#include <locale.h>
#include <sys/types.h>

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <volback/io/sink.hpp>
#include <volback/util/clock.hpp>
#include <volback/util/result.hpp>

struct archive;
struct archive_entry;

namespace volback::archive {

// One "LEN key=value\n" record of a pax header.
struct PaxRecord {
  std::string key;    // non-empty, no '=' and no NUL
  std::string value;  // no NUL
};

enum class EntryType { regular, directory, symlink, hardlink, other };

// What an EntryObserver learns about an entry before its data.
struct EntryInfo {
  // The name as given to the writer (no leading '/'); for directories without the
  // trailing '/' that the pax writer appends in the archive.
  std::string path;
  EntryType type = EntryType::other;
  // The logical content size of a regular file (holes of a sparse file included); 0 for
  // every other type, hard links included.
  std::uint64_t size = 0;
  std::uint32_t mode = 0;  // permission bits and file type bits (st_mode)
  std::int64_t uid = 0;
  std::int64_t gid = 0;
  util::TimePoint mtime;
  std::string link_target;  // symlink target, or the name a hard link points to
};

// Observes each entry as it is written: the manifest hashes content through it.
//
// For every entry: begin_entry() once the header is in the output, then entry_data()
// with the complete logical content of a regular file in order, then end_entry().
// The holes of a sparse file are delivered as zeros, and so is the zero padding that
// replaces content which could not be read: the data seen here is exactly what a
// reader extracts, so a hash over it verifies the extracted file. Hard links, symlinks,
// directories and the other types get no entry_data() call.
class EntryObserver {
 public:
  virtual ~EntryObserver() = default;
  virtual void begin_entry(const EntryInfo& info) = 0;
  virtual void entry_data(std::span<const std::byte> data) = 0;
  virtual void end_entry() = 0;
};

class TarWriter {
 public:
  // `out` (and `observer` if given) must outlive the writer. The writer never calls
  // out.finish(). Destroying a writer without finish() writes nothing more to `out`
  // (in particular no end-of-archive marker, so a cut-off archive never looks complete).
  explicit TarWriter(io::Sink& out, EntryObserver* observer = nullptr);
  ~TarWriter();
  TarWriter(const TarWriter&) = delete;
  TarWriter& operator=(const TarWriter&) = delete;

  // REQUIRES: called before any entry. Writes a pax global header (typeflag 'g') holding
  // `records`. Errors: invalid_argument (an entry was already written, a bad key or
  // value), and the errors of `out`.
  util::Result<void> write_global_header(std::span<const PaxRecord> records);

  // Adds a regular file whose content is in memory (used for the trailing manifest
  // entry), owned by 0:0 without user or group names. Errors: the errors of `out`,
  // permanent for an entry libarchive refuses.
  util::Result<void> add_memory_file(std::string_view name, std::string_view content, std::uint32_t mode,
                                     util::TimePoint mtime);

  // Writes the end-of-archive marker. Does not finish `out`. Errors: those of `out`,
  // invalid_argument when an entry is still open.
  util::Result<void> finish();

  // ---- Low-level entry interface (archiver.cpp uses it; anyone building libarchive
  // entries may) ----

  // Writes the header of `entry`, which the caller keeps owning; libarchive may adjust it
  // (a directory name gets a trailing '/', a hard link's size becomes 0). Afterwards
  // entry_remaining() bytes of logical content are expected through write_data() and
  // write_zeros(), then end_entry(). For a regular file with a sparse map (see
  // archive_entry_sparse_add_entry) the logical content includes the holes as zeros;
  // they are dropped from the archive and recorded in a GNU sparse 1.0 map. The
  // observer's begin_entry() runs once the header is written, its end_entry() in
  // end_entry(). REQUIRES: no entry is open. Errors: the errors of `out`; permanent when
  // libarchive refuses the entry or its sparse map is not sorted and within the size
  // (then nothing was written, no entry is open and the writer stays usable).
  util::Result<void> begin_entry(::archive_entry* entry);

  // The logical content size the open entry still expects.
  std::uint64_t entry_remaining() const { return m_remaining; }

  // Appends content to the open entry. REQUIRES: data.size() <= entry_remaining().
  // Errors: the errors of `out`; invalid_argument when the REQUIRES is broken.
  util::Result<void> write_data(std::span<const std::byte> data);

  // Appends `count` zero bytes (a hole, or padding for content that could not be read).
  // Cheap for holes: nothing is copied. REQUIRES: count <= entry_remaining().
  util::Result<void> write_zeros(std::uint64_t count);

  // Closes the open entry. Content still missing is padded with zeros first, so the
  // archive stays valid. Errors: the errors of `out`.
  util::Result<void> end_entry();

  // False once a fatal error happened (the sink failed, libarchive gave up): every
  // further call fails with that error. An entry refused by begin_entry() leaves the
  // writer usable.
  bool usable() const { return !m_error.has_value(); }

 private:
  // A run of the open entry's logical content: stored data, or a hole the pax writer
  // drops.
  struct Segment {
    std::uint64_t remaining;
    bool hole;
  };

  // libarchive's write callback: forwards to m_out (or swallows, see m_discard).
  static ssize_t write_callback(::archive* a, void* self, const void* buffer, std::size_t length);

  util::Result<void> check_usable() const;
  util::Result<void> write_raw(std::span<const std::byte> data);
  // Records (unless one is recorded already) and returns the error after libarchive
  // reported ARCHIVE_FATAL: the sink's own error when the sink failed.
  util::Error fatal(std::string_view what);
  util::Result<void> feed(const std::byte* data, std::uint64_t count);
  const std::byte* zeros(std::size_t count);

  // Switches the calling thread to m_utf8_locale for the guard's lifetime, and records
  // the caller's locale so write_callback() runs the sink in it.
  class LocaleScope {
   public:
    explicit LocaleScope(TarWriter& writer);
    ~LocaleScope();
    LocaleScope(const LocaleScope&) = delete;
    LocaleScope& operator=(const LocaleScope&) = delete;

   private:
    TarWriter& m_writer;
    locale_t m_previous = nullptr;      // the thread's locale before the scope
    locale_t m_saved_caller = nullptr;  // m_caller_locale before the scope (scopes nest)
  };

  io::Sink& m_out;
  EntryObserver* m_observer;
  locale_t m_utf8_locale = nullptr;    // owned; null when C.UTF-8 is unavailable
  locale_t m_caller_locale = nullptr;  // while a LocaleScope is active
  ::archive* m_archive = nullptr;
  // The first fatal error (the sink's, or libarchive's); once set the writer is unusable.
  std::optional<util::Error> m_error;
  bool m_discard = false;  // set by the destructor: swallow libarchive's close output
  bool m_finished = false;
  bool m_entry_open = false;
  bool m_any_entry = false;
  std::uint64_t m_remaining = 0;
  std::vector<Segment> m_segments;  // pending data/hole runs of the open entry, in order
  std::size_t m_segment_index = 0;
  std::vector<std::byte> m_zeros;  // allocated on first use
};

}  // namespace volback::archive
