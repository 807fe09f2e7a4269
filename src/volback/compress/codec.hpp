#pragma once
// compress: the archive's compression stage, as io::Sink filters.
//
// A compressor sits between the tar writer and the storage sinks:
//   tar writer -> make_compressor(codec, options, next) -> next
// Callers only see this header; which implementation backs a codec (single-threaded
// zlib today, a parallel pigz-style gzip later) is decided inside make_compressor.

#include <memory>
#include <string_view>

#include <volback/io/sink.hpp>

namespace volback::compress {

// offen's BACKUP_COMPRESSION values: none (plain tar), gz, zst.
enum class Codec { none, gzip, zstd };

// The archive file extension for `codec`: "tar", "tar.gz" or "tar.zst"
// (offen's {{ .Extension }}).
std::string_view archive_extension(Codec codec);

// The MIME type of an archive compressed with `codec`: "application/x-tar",
// "application/gzip" or "application/zstd".
std::string_view content_type(Codec codec);

struct CompressOptions {
  // The codec's compression level; 0 means the codec's default (gzip 6, zstd 3).
  // gzip accepts 1..9; zstd clamps out-of-range levels to its supported range.
  int level = 0;
  // Compression threads. zstd uses libzstd workers when > 1. gzip is single-threaded
  // for now and ignores it.
  unsigned threads = 1;
};

// Returns a Sink that compresses everything written to it into `next`.
//
// Ownership: `next` is not owned and must outlive the returned sink.
// finish() flushes the compressed stream into `next` and then calls next.finish()
// exactly once. Destroying the compressor unfinished does nothing to `next`: its owner
// aborts it. Codec::none passes the bytes through unchanged (finish() still calls
// next.finish()).
// Errors from write()/finish(): whatever `next` returns, unchanged; invalid_argument
// for an unsupported level (gzip); permanent when the compression library fails (for
// example out of memory). After an error the sink is unusable.
// Thread-safety: one thread at a time, like every Sink; internal worker threads (zstd)
// are hidden.
std::unique_ptr<io::Sink> make_compressor(Codec codec, const CompressOptions& options, io::Sink& next);

}  // namespace volback::compress
