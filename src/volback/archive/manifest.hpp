#pragma once
// archive: the manifest every volback archive carries (docs/manifest-format.md).
//
// A volback archive starts with a PAX global header holding VOLBACK.version and
// VOLBACK.manifest (the manifest format version) and ends with one regular file,
// `volback-manifest.json`, at the archive root. The manifest lists every entry (path,
// type, size, mode, numeric ids, mtime, link target, SHA-256 of a regular file's
// content), the per-volume totals and the run's facts.
//
// This header holds the data model, the row encoding shared by the writer
// (manifest_builder.hpp) and the parser used by verify and restore. Everything here is
// a pure function, safe to call from any thread.

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <volback/util/result.hpp>

namespace volback::archive {

inline constexpr std::string_view k_manifest_name = "volback-manifest.json";
// The manifest format this build writes and the newest it reads.
inline constexpr int k_manifest_format_version = 1;
// The PAX global header keys that mark an archive as volback's.
inline constexpr std::string_view k_version_key = "VOLBACK.version";
inline constexpr std::string_view k_manifest_key = "VOLBACK.manifest";

// One archive entry as the manifest records it.
struct ManifestEntry {
  std::string path;  // as in the archive, without a trailing '/'
  // "file", "dir", "symlink", "hardlink", "fifo", "char", "block" or "other".
  std::string type;
  std::uint64_t size = 0;  // logical content size of a regular file, else 0
  std::uint32_t mode = 0;  // permission bits only (07777)
  std::int64_t uid = 0;
  std::int64_t gid = 0;
  std::int64_t mtime = 0;  // seconds since the epoch
  std::int32_t mtime_nsec = 0;
  std::string link;    // symlink target or the hard link's first name; else empty
  std::string sha256;  // lower-case hex of the content, regular files only
};

struct VolumeTotals {
  std::uint64_t files = 0;    // regular files (hard links not counted)
  std::uint64_t bytes = 0;    // their logical content size
  std::uint64_t entries = 0;  // every entry under the volume, the volume's own directory too
};

// The manifest's header fields (everything except the entry rows).
struct ManifestInfo {
  int format = k_manifest_format_version;
  std::string volback_version;
  std::string started;      // RFC 3339 UTC, e.g. "2026-11-26T10:00:00Z"; empty when unknown
  std::string finished;     // RFC 3339 UTC; empty when unknown
  std::string compression;  // "none", "gz" or "zst"
  std::vector<std::string> stopped_containers;
  std::string sources;                          // the archived root as stored in entry names, e.g. "backup"
  std::map<std::string, VolumeTotals> volumes;  // by volume name (top directory under the sources)
  std::uint64_t entry_count = 0;
};

struct Manifest {
  ManifestInfo info;
  std::vector<ManifestEntry> entries;  // in archive order
};

// Encodes one entry as a single-line JSON object (no trailing newline). Names that are
// not valid UTF-8 are stored hex-encoded under "path_hex" / "link_hex".
std::string encode_entry_row(const ManifestEntry& entry);

// Encodes the header fields as the start of the manifest document, up to and including
// `"entries":[`. The rows follow, separated by ",\n", then manifest_tail().
std::string encode_manifest_head(const ManifestInfo& info);
std::string_view manifest_tail();

// The whole document for `entries` (entry_count set from them), in the writer's layout;
// for tests and tools. The writer itself streams (manifest_builder.hpp).
std::string encode_manifest(const ManifestInfo& info, const std::vector<ManifestEntry>& entries);

// Parses a whole manifest document held in memory, through ManifestReader
// (manifest_reader.hpp, which states the layout and the errors). For tests and small
// documents: readers of archives stream instead.
util::Result<Manifest> parse_manifest(std::string_view text);

// The volume an entry belongs to: the first path component under `sources`
// ("backup/app/x" under "backup" is "app"); nullopt for the sources root itself and for
// paths outside it.
std::optional<std::string> volume_of(std::string_view path, std::string_view sources);

// "file", "dir", ... from st_mode's file type bits.
std::string_view type_name_from_mode(std::uint32_t mode);

// Formats seconds since the epoch as RFC 3339 UTC with a Z.
std::string format_utc(std::int64_t seconds);

}  // namespace volback::archive
