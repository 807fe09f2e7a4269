#pragma once
// Test helpers of app/restore: archives made the way a backup makes them.

#include <string>

#include <gtest/gtest.h>

#include <volback/app/backup/write_archive.hpp>
#include <volback/io/memory_sink.hpp>

namespace volback::app {

// Backs up `source` (its subdirectories are the volumes) into memory with gzip, as a
// backup does.
inline std::string gzip_backup_of(const std::string& source) {
  io::MemorySink out;
  util::CapturingLogger log;
  util::CancelToken cancel;
  const compress::CompressionSettings gzip{.codec = compress::Codec::gzip, .threads = 1};
  auto written = write_archive({.source = source, .exclude_pattern = std::nullopt}, gzip, archive_stream_chain(gzip),
                               {}, out, log, cancel);
  EXPECT_TRUE(written) << written.error().message();
  return out.data();
}

}  // namespace volback::app
