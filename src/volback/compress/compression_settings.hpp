#pragma once
// The compression settings (offen's BACKUP_COMPRESSION and GZIP_PARALLELISM, and
// volback's own BACKUP_COMPRESSION_LEVEL).

#include <span>

#include <volback/compress/codec.hpp>
#include <volback/util/result.hpp>
#include <volback/util/settings.hpp>

namespace volback::compress {

inline constexpr util::SettingSpec k_backup_compression{
  "BACKUP_COMPRESSION", "gz", util::Secret::no, "Archive compression: gz (.tar.gz), zst (.tar.zst) or none (.tar)."};

inline constexpr util::SettingSpec k_gzip_parallelism{
  "GZIP_PARALLELISM", "", util::Secret::no,
  "Threads used for gzip compression; unset or 0 means all usable CPU cores, fewer under a tight memory limit."};

inline constexpr util::SettingSpec k_backup_compression_level{
  "BACKUP_COMPRESSION_LEVEL", "", util::Secret::no,
  "Compression level (volback only): gz 1..9 (unset: 2, ISA-L: within a few percent of gzip -6 at several times its "
  "speed), "
  "zst 1..19 (unset: 3); ignored for none."};

// The settings above, for print-config.
std::span<const util::SettingSpec> compression_setting_specs();

struct CompressionSettings {
  Codec codec = Codec::gzip;
  // Compression threads for CompressOptions::threads: GZIP_PARALLELISM for gzip (unset
  // or 0: the memory plan's, util::memory_plan(): every usable core unless a memory
  // limit allows fewer); the plan's for zstd, which, as in offen, ignores
  // GZIP_PARALLELISM; 1 for none.
  unsigned threads = 1;
  // CompressOptions::level: BACKUP_COMPRESSION_LEVEL, 0 when unset (the codec's default).
  int level = 0;
  // CompressOptions::zstd_job_bytes: the memory plan's.
  std::size_t zstd_job_bytes = 0;
};

// Reads BACKUP_COMPRESSION, GZIP_PARALLELISM and BACKUP_COMPRESSION_LEVEL.
// GZIP_PARALLELISM is validated even when the codec is not gzip; BACKUP_COMPRESSION_LEVEL
// is checked against the codec's range (gz 1..9, zst 1..19, none: any integer 0..19). Errors: invalid_argument naming the variable and its
// value, or whatever Settings returns for an unreadable NAME_FILE.
util::Result<CompressionSettings> parse_compression_settings(const util::Settings& settings);

}  // namespace volback::compress
