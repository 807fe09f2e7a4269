#pragma once
// The compression settings (offen's BACKUP_COMPRESSION and GZIP_PARALLELISM).

#include <span>

#include <volback/compress/codec.hpp>
#include <volback/util/result.hpp>
#include <volback/util/settings.hpp>

namespace volback::compress {

inline constexpr util::SettingSpec k_backup_compression{
  "BACKUP_COMPRESSION", "gz", util::Secret::no,
  "Archive compression: gz (.tar.gz), zst (.tar.zst) or none (.tar)."};

inline constexpr util::SettingSpec k_gzip_parallelism{
  "GZIP_PARALLELISM", "", util::Secret::no,
  "Threads used for gzip compression; unset or 0 means all usable CPU cores."};

// The settings above, for print-config.
std::span<const util::SettingSpec> compression_setting_specs();

struct CompressionSettings {
  Codec codec = Codec::gzip;
  // Compression threads for CompressOptions::threads: GZIP_PARALLELISM for gzip (unset
  // or 0: util::usable_cores()); util::usable_cores() for zstd, which, as in offen,
  // ignores GZIP_PARALLELISM; 1 for none.
  unsigned threads = 1;
};

// Reads BACKUP_COMPRESSION and GZIP_PARALLELISM. GZIP_PARALLELISM is validated even
// when the codec is not gzip. Errors: invalid_argument naming the variable and its
// value, or whatever Settings returns for an unreadable NAME_FILE.
util::Result<CompressionSettings> parse_compression_settings(const util::Settings& settings);

}  // namespace volback::compress
