#include <volback/compress/codec.hpp>

#include <volback/compress/gzip_sink.hpp>
#include <volback/compress/gzip_source.hpp>
#include <volback/compress/passthrough_sink.hpp>
#include <volback/compress/zstd_sink.hpp>
#include <volback/compress/zstd_source.hpp>

namespace volback::compress {

std::string_view archive_extension(Codec codec) {
  switch (codec) {
  case Codec::none: return "tar";
  case Codec::gzip: return "tar.gz";
  case Codec::zstd: return "tar.zst";
  }
  return "tar";
}

std::string_view content_type(Codec codec) {
  switch (codec) {
  case Codec::none: return "application/x-tar";
  case Codec::gzip: return "application/gzip";
  case Codec::zstd: return "application/zstd";
  }
  return "application/x-tar";
}

std::unique_ptr<io::Sink> make_compressor(Codec codec, const CompressOptions& options, io::Sink& next) {
  switch (codec) {
  case Codec::none: return make_passthrough_sink(next);
  case Codec::gzip: return make_gzip_sink(options, next);
  case Codec::zstd: return make_zstd_sink(options, next);
  }
  return make_passthrough_sink(next);
}

std::unique_ptr<io::Source> make_decompressor(Codec codec, io::Source& next) {
  switch (codec) {
  case Codec::none: return make_passthrough_source(next);
  case Codec::gzip: return make_gzip_source(next);
  case Codec::zstd: return make_zstd_source(next);
  }
  return make_passthrough_source(next);
}

}  // namespace volback::compress
