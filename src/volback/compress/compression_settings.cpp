#include <volback/compress/compression_settings.hpp>

#include <array>
#include <string_view>

#include <volback/util/memory_plan.hpp>

namespace volback::compress {

namespace {

constexpr std::array k_compression_specs{k_backup_compression, k_gzip_parallelism, k_backup_compression_level};
constexpr std::array<std::string_view, 3> k_codec_names{"gz", "zst", "none"};
// A sanity bound only: more threads than cores brings nothing.
constexpr std::int64_t k_max_parallelism = 4096;
// Levels above 19 need libzstd's "ultra" mode and windows of up to 128 MiB: not bounded.
constexpr std::int64_t k_max_zstd_level = 19;
constexpr std::int64_t k_max_gzip_level = 9;

Codec codec_from_name(std::string_view name) {
  if (name == "zst") {
    return Codec::zstd;
  }
  if (name == "none") {
    return Codec::none;
  }
  return Codec::gzip;
}

}  // namespace

std::span<const util::SettingSpec> compression_setting_specs() {
  return k_compression_specs;
}

util::Result<CompressionSettings> parse_compression_settings(const util::Settings& settings) {
  VOLBACK_TRY_ASSIGN(const std::string name, settings.get_choice(k_backup_compression, k_codec_names));

  // An empty default means "unset": ask get_optional first so get_int only sees values.
  unsigned gzip_threads = 0;
  VOLBACK_TRY_ASSIGN(const auto raw_parallelism, settings.get_optional(k_gzip_parallelism));
  if (raw_parallelism) {
    VOLBACK_TRY_ASSIGN(const std::int64_t value, settings.get_int(k_gzip_parallelism, 0, k_max_parallelism));
    gzip_threads = static_cast<unsigned>(value);
  }

  CompressionSettings result;
  result.codec = codec_from_name(name);

  VOLBACK_TRY_ASSIGN(const auto raw_level, settings.get_optional(k_backup_compression_level));
  if (raw_level && !raw_level->empty()) {
    const std::int64_t max_level = result.codec == Codec::gzip ? k_max_gzip_level : k_max_zstd_level;
    const std::int64_t min_level = result.codec == Codec::none ? 0 : 1;
    VOLBACK_TRY_ASSIGN(const std::int64_t level, settings.get_int(k_backup_compression_level, min_level, max_level));
    result.level = result.codec == Codec::none ? 0 : static_cast<int>(level);
  }
  switch (result.codec) {
  case Codec::gzip: result.threads = gzip_threads == 0 ? util::memory_plan().compression_threads : gzip_threads; break;
  case Codec::zstd: result.threads = util::memory_plan().compression_threads; break;
  case Codec::none: result.threads = 1; break;
  }
  result.zstd_job_bytes = util::memory_plan().zstd_job_bytes;
  return result;
}

}  // namespace volback::compress
