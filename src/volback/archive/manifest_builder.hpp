#pragma once
// ManifestBuilder: computes the manifest while the archive streams, then appends it as
// the archive's last entry.
//
// It is the TarWriter's EntryObserver: each entry's metadata arrives in begin_entry(),
// a regular file's content in entry_data() (hashed with SHA-256 through OpenSSL's EVP,
// which uses the CPU's SHA extensions), and end_entry() turns the entry into one JSON
// row. The data is never read twice.
//
// Memory: the rows wait in a buffer of at most `spill_threshold` bytes (a row is about
// 170 bytes plus the path and link target); past it the buffer is appended to an
// anonymous gzip-compressed temporary file in `spill_dir` and cleared. Beyond that the
// builder holds one VolumeTotals (24 bytes plus the name) per volume and the current
// entry, so a million files cost the same memory as a thousand.
//
// write_manifest() streams the header, the spilled rows and the buffered rows into one
// tar entry whose size is known in advance, without assembling the document in memory.
//
// One thread at a time: the TarWriter's, or the thread of a ThreadedObserver in front of it
// (threaded_observer.hpp), as write_archive uses it.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include <volback/archive/manifest.hpp>
#include <volback/archive/sha256.hpp>
#include <volback/archive/tar_writer.hpp>
#include <volback/archive/text_spill.hpp>
#include <volback/util/clock.hpp>
#include <volback/util/result.hpp>

namespace volback::archive {

struct ManifestBuilderOptions {
  // The archived root as entry names spell it ("backup" for BACKUP_SOURCES=/backup):
  // volumes are the directories directly under it.
  std::string sources;
  // Where the spill file goes (an unnamed temporary file, gone when the builder is).
  std::string spill_dir = "/tmp";
  std::size_t spill_threshold = std::size_t{4} << 20;
};

class ManifestBuilder final : public EntryObserver {
 public:
  explicit ManifestBuilder(ManifestBuilderOptions options);
  ~ManifestBuilder() override;
  ManifestBuilder(const ManifestBuilder&) = delete;
  ManifestBuilder& operator=(const ManifestBuilder&) = delete;

  void begin_entry(const EntryInfo& info) override;
  void entry_data(std::span<const std::byte> data) override;
  void end_entry() override;

  // Appends the manifest to `tar` as `volback-manifest.json` with mtime `mtime`, owned by
  // 0:0, mode 0644. `info`'s volumes and entry_count are filled in from what was
  // observed. REQUIRES: no entry open in `tar`; called once. Errors: a spill failure
  // (permanent, or the errno kind of the temp file), an OpenSSL failure (permanent), the
  // errors of `tar`.
  util::Result<void> write_manifest(TarWriter& tar, ManifestInfo info, util::TimePoint mtime);

  // What was observed so far (for tests and logs).
  std::uint64_t entry_count() const { return m_entry_count; }
  std::uint64_t spilled_bytes() const { return m_rows.spilled(); }

 private:
  ManifestBuilderOptions m_options;
  std::map<std::string, VolumeTotals> m_volumes;
  std::uint64_t m_entry_count = 0;
  std::optional<ManifestEntry> m_current;
  Sha256 m_sha;  // reused for every file
  bool m_hashing = false;
  TextSpill m_rows;                    // encoded rows, ",\n"-separated
  std::optional<util::Error> m_error;  // the first failure inside an observer callback
  bool m_writing_manifest = false;
};

}  // namespace volback::archive
