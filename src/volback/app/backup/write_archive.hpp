#pragma once
// Produces one archive stream: the source tree as a PAX tar, through the stream's filters
// (config/stream_chain.hpp: compression, then encryption), into a sink.
//
//   archive_tree -> TarWriter -> the chain's stages -> CountingSink -> out
//
// The tar starts with a PAX global header that marks it as volback's (keys
// VOLBACK.version and VOLBACK.manifest) and ends with the manifest entry. On success `out` has been finished (committed); on failure it has
// not, and its owner destroys it, which aborts it.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <volback/app/config/stream_chain.hpp>
#include <volback/archive/archive_settings.hpp>
#include <volback/archive/archiver.hpp>
#include <volback/compress/compression_settings.hpp>
#include <volback/io/sink.hpp>
#include <volback/util/cancel.hpp>
#include <volback/util/clock.hpp>
#include <volback/util/logging.hpp>
#include <volback/util/result.hpp>

namespace volback::app {

struct WrittenArchive {
  archive::ArchiveReport content;      // entries, unreadable and vanished files
  std::uint64_t compressed_bytes = 0;  // what `out` received: the stored size
};

// What the trailing manifest (archive/manifest.hpp) records about the run itself.
struct ManifestRun {
  const util::Clock* clock = nullptr;  // start and end times; none recorded when null
  std::string spill_dir = "/tmp";      // where the manifest's rows spill past 4 MiB
  std::vector<std::string> stopped_containers;
};

// `own_files` are the files this run writes (partial archive, spool); they are never
// archived, even when the archive directory lies inside the source. The archive ends
// with `volback-manifest.json`, hashed from the stream as it is written.
// `compression` is recorded in the manifest and decides where the hashing runs; `stream`
// holds the filters themselves. `snapshot`, when given, is a copy of the source
// (snapshot.hpp) that the files are read from instead; the archive is the same as the
// source's (entry names, exclusion, manifest), and `own_files` are paths in the copy.
util::Result<WrittenArchive> write_archive(const archive::ArchiveSettings& source,
                                           const compress::CompressionSettings& compression, const StreamChain& stream,
                                           std::vector<std::string> own_files, io::Sink& out, util::Logger& log,
                                           const util::CancelToken& cancel, const ManifestRun& run = {},
                                           const std::optional<std::string>& snapshot = std::nullopt);

}  // namespace volback::app
