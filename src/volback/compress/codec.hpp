#pragma once
// compress: the archive's compression stage, as io::Sink filters.
//
// A compressor sits between the tar writer and the storage sinks:
//   tar writer -> make_compressor(codec, options, next) -> next
// and, for restore and verify, a decompressor is an io::Source filter:
//   archive bytes -> make_decompressor(codec, next) -> tar reader
// Callers only see this header; which implementation backs a codec (pigz-style parallel
// gzip on ISA-L or zlib, multi-threaded libzstd; ISA-L inflate, libzstd streaming) is
// decided inside the factories. docs/performance.md explains the choices.

#include <memory>
#include <string_view>

#include <volback/io/sink.hpp>
#include <volback/io/source.hpp>

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
  // The codec's compression level; 0 means the codec's default (gzip 2, zstd 3; see
  // docs/performance.md). gzip accepts 1..9; zstd clamps out-of-range levels to its
  // supported range.
  int level = 0;
  // Compression threads (0 counts as 1): gzip's block compressors, libzstd's workers.
  // Either way compression runs beside the calling thread, so the caller's reads overlap
  // with it.
  unsigned threads = 1;
  // libzstd's job size in bytes (0: 2 MiB). Each worker holds a few jobs in and out;
  // smaller jobs fit tight memory limits at a small cost in ratio.
  std::size_t zstd_job_bytes = 0;
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
// Thread-safety: one thread at a time, like every Sink; internal worker threads are
// hidden, and `next` is only called from the thread calling write()/finish().
// Memory: bounded by the thread count, never by the stream's size (a few MiB per thread).
std::unique_ptr<io::Sink> make_compressor(Codec codec, const CompressOptions& options, io::Sink& next);

// Returns a Source that yields the decompressed bytes of the stream read from `next`:
// gzip (one or more members; ISA-L inflate), zstd (one or more frames; libzstd
// streaming), none (the bytes unchanged).
//
// Ownership: `next` is not owned and must outlive the returned source.
// read() returns 0 only at the clean end of the compressed stream.
// Errors from read(): whatever `next` returns, unchanged; corrupt when the data is not a
// valid stream of the codec, fails its checksum (gzip CRC-32 and length, zstd content
// checksum) or is truncated (an empty input is truncated too for gzip and zstd);
// permanent when the library cannot allocate its state. After an error the source is
// unusable. Thread-safety: one thread at a time.
std::unique_ptr<io::Source> make_decompressor(Codec codec, io::Source& next);

}  // namespace volback::compress
