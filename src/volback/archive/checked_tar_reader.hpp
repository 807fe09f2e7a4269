#pragma once
// CheckedTarReader: the one read path of verify and restore. It reads a tar stream (already
// decompressed) entry by entry and, before anyone acts on an entry, checks it:
//   - its name against the rules of entry_names.hpp (nothing outside the sources, no
//     "..", no name twice, nothing beneath a symlink, hard links to earlier files of the
//     same volume only);
//   - that it does not follow the manifest, which must be the archive's last entry;
//   - that its holes fit the archive: sparse holes are hashed as zeros, so a sparse file
//     may declare at most k_hole_allowance plus k_hole_ratio times the stream read so far
//     of them (a 300-byte archive cannot claim 10 TB); its data segments must be in order
//     and within its size.
// An entry that fails is returned with a refusal: restore stops, verify reports it and
// reads on. When the manifest is compared, every regular file is hashed (SHA-256) as its
// content is read, by the caller's read_block() calls or, for what the caller skips, by
// next(). The manifest
// entry is taken in by the reader itself (ManifestCheck, bounded by what the entries
// before it can need). finish() reads the stream to its very end (a gzip trailer or a
// zstd frame that is missing or damaged is found there; bytes other than the zero padding
// after the tar's end are a problem) and compares everything with the manifest.
//
// Cancellation is checked per block and every 256 MiB of hashed holes, so a SIGTERM
// stops a long entry within a fraction of a second.
//
// Memory: one libarchive buffer (1 MiB), the name ledger (about 40 bytes a name) and the
// manifest check's digests (8 bytes a row); observed rows and the manifest spill to
// anonymous temporary files in `spill_dir`. One thread at a time.

#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include <volback/archive/entry_names.hpp>
#include <volback/archive/manifest_check.hpp>
#include <volback/archive/sha256.hpp>
#include <volback/archive/tar_reader.hpp>
#include <volback/io/source.hpp>
#include <volback/util/cancel.hpp>
#include <volback/util/result.hpp>

namespace volback::archive {

// Sparse holes a read hashes at most: the allowance plus the ratio times the bytes of the
// tar stream read so far (holes cost no space in the archive, but hashing them costs
// about 0.5 ns a byte).
inline constexpr std::uint64_t k_hole_allowance = std::uint64_t{16} << 30;
inline constexpr std::uint64_t k_hole_ratio = 4096;

struct CheckedReadOptions {
  // How the stream was compressed ("gzip", "zstd" or "tar"), for messages that locate a
  // damaged stream: "corrupt gzip stream in entry X".
  std::string stream_name = "tar";
  std::string spill_dir = "/tmp";
  // false (restore --no-verify, a repository snapshot's stream): no comparison with the
  // manifest, so contents are not hashed (ManifestEntry::sha256 stays empty); every other
  // check stays.
  bool compare_manifest = true;
  // The fixed part of the hole budget (k_hole_allowance); fuzzing lowers it so that no
  // input takes seconds.
  std::uint64_t hole_allowance = k_hole_allowance;
};

struct CheckedEntry {
  TarEntry entry;       // as the archive spells it
  AdmittedEntry names;  // its clean names; empty when refused
  // Why nothing may act on the entry (the name rules, the manifest's place, the holes);
  // nullopt when it passed. The message names the entry.
  std::optional<std::string> refusal;
};

struct CheckReport {
  bool marked = false;          // the archive starts with volback's mark
  bool has_manifest = false;    // it holds volback-manifest.json
  std::string volback_version;  // from the mark, if any
  std::uint64_t entries = 0;    // tar entries, the manifest excluded
  std::uint64_t files_hashed = 0;
  std::uint64_t bytes_hashed = 0;  // logical bytes, holes included
  // Every refusal, and every difference from the manifest. Empty: the archive is what its
  // manifest says (or, without a manifest, readable and safe).
  CheckProblems problems;
};

class CheckedTarReader {
 public:
  // `tar_stream` and `cancel` must outlive the reader.
  CheckedTarReader(io::Source& tar_stream, CheckedReadOptions options, const util::CancelToken& cancel);

  // The next entry, the manifest excluded; nullopt at the end of the archive. Content of
  // the previous entry that the caller did not read is read and hashed here. Errors: a
  // damaged stream (corrupt, located: "corrupt gzip stream in entry X: ...", "damaged
  // tar stream after entry X: ..."), the source's other errors, cancelled, a spill that
  // fails.
  util::Result<std::optional<CheckedEntry>> next();

  // The next block of the current entry's content (a regular file that was not refused),
  // hashed; nullopt at its end. The span stays valid until the next call. Errors: as
  // next(); corrupt for data out of order or beyond the file's size.
  util::Result<std::optional<DataBlock>> read_block();

  // Whether the archive carries volback's mark; known after the first next().
  bool marked() const;

  // After next() returned nullopt: reads the stream to its end and compares with the
  // manifest. Errors: as next(); invalid_argument for a manifest newer than this build.
  util::Result<CheckReport> finish();

  // The underlying reader (restore hands libarchive's entry to its disk writer).
  TarReader& tar() { return m_tar; }

 private:
  util::Result<void> finish_entry();
  util::Result<void> hash_zeros(std::uint64_t count);
  util::Result<void> read_manifest_entry();
  util::Result<void> drain();
  util::Error located(const util::Error& error) const;
  std::optional<std::string> hole_refusal(const TarEntry& entry);

  TarReader m_tar;
  io::Source& m_stream;
  CheckedReadOptions m_options;
  const util::CancelToken& m_cancel;
  NameLedger m_names;
  ManifestCheck m_manifest;
  Sha256 m_sha;
  CheckReport m_report;

  std::optional<ManifestEntry> m_current;  // the admitted entry being read
  bool m_hashing = false;                  // m_current is a regular file whose content is not all read
  std::uint64_t m_at = 0;                  // content offset reached in m_current
  std::string m_last_entry;                // the last entry read completely, for messages
  bool m_manifest_seen = false;
  bool m_manifest_too_large = false;
  std::uint64_t m_holes = 0;
  bool m_started = false;
};

}  // namespace volback::archive
