#pragma once
// TarReader: reads a tar stream (any format libarchive knows: pax, GNU, ustar) from an
// io::Source, entry by entry, without seeking and without a local copy. verify and
// restore read archives through it.
//
// Besides the entries it reports the records of a leading PAX global header (which
// libarchive consumes silently): that is where volback's mark is.
//
// Names are read in the C.UTF-8 locale (uselocale on the calling thread during each
// call), so UTF-8 names come back as their bytes whatever the process locale.
//
// Errors keep their cause apart: the source's own error (a corrupt compressed stream, a
// network failure) comes back unchanged, with its kind; a damaged or truncated tar
// structure is corrupt. One thread at a time.

#include <locale.h>

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <span>
#include <string>

#include <volback/io/source.hpp>
#include <volback/util/result.hpp>

struct archive;
struct archive_entry;

namespace volback::archive {

struct TarEntry {
  std::string path;  // without a trailing '/'
  // "file", "dir", "symlink", "hardlink", "fifo", "char", "block" or "other" (as in the
  // manifest).
  std::string type;
  std::uint64_t size = 0;  // logical content size of a regular file (0 for hard links)
  // The content bytes the stream holds for a regular file: `size`, or for a sparse file
  // the sum of its data segments (the rest are holes).
  std::uint64_t stored = 0;
  std::uint32_t mode = 0;  // permission bits
  std::int64_t uid = 0;
  std::int64_t gid = 0;
  std::int64_t mtime = 0;
  std::int32_t mtime_nsec = 0;
  std::string link;  // symlink target or hard link target
};

// A run of a regular file's content: `data` at `offset`. Bytes between runs are holes
// (zeros).
struct DataBlock {
  std::uint64_t offset = 0;
  std::span<const std::byte> data;
};

class TarReader {
 public:
  // `in` must outlive the reader. Nothing is read until next().
  explicit TarReader(io::Source& in);
  ~TarReader();
  TarReader(const TarReader&) = delete;
  TarReader& operator=(const TarReader&) = delete;

  // The next entry's header, or nullopt at the clean end of the archive. Unread content
  // of the previous entry is skipped. Errors: the source's error; corrupt when the tar
  // structure is damaged or ends early (libarchive's message, e.g. "Truncated tar
  // archive") or a sparse map is impossible (segments out of order, overlapping or
  // beyond the file's size); permanent when libarchive cannot start.
  util::Result<std::optional<TarEntry>> next();

  // The next block of the current regular file's content, or nullopt at its end.
  // The span stays valid until the next call. Errors: as next().
  util::Result<std::optional<DataBlock>> read_block();

  // The records of the PAX global header at the start of the archive (empty when there
  // is none). Known once next() has returned the first entry or the end.
  const std::map<std::string, std::string>& global_records() const { return m_global; }

  // The bytes read from the source so far.
  std::uint64_t bytes_read() const { return m_bytes_read; }

  // Whether the last error came from the source (a corrupt compressed stream, a network
  // failure) rather than from the tar structure.
  bool source_failed() const { return m_source_error.has_value(); }

  // libarchive's handle, for restore's archive_write_disk (valid after next()).
  ::archive* handle() { return m_archive; }
  ::archive_entry* current_entry() { return m_entry; }

 private:
  static long read_callback(::archive* a, void* self, const void** buffer);
  util::Error failure(std::string_view what);
  void parse_global_header();

  io::Source& m_in;
  ::archive* m_archive = nullptr;
  ::archive_entry* m_entry = nullptr;
  locale_t m_utf8_locale = nullptr;
  std::optional<util::Error> m_source_error;
  std::uint64_t m_bytes_read = 0;
  std::unique_ptr<std::byte[]> m_buffer;
  std::string m_prefix;  // the stream's first bytes, for the global header
  bool m_prefix_done = false;
  bool m_opened = false;
  std::map<std::string, std::string> m_global;
};

}  // namespace volback::archive
