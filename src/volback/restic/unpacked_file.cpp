#include <volback/restic/unpacked_file.hpp>

#include <fmt/format.h>

#include <volback/restic/zstd_frame.hpp>

namespace volback::restic {

namespace {

constexpr char k_zstd_encoding = 0x02;

std::span<const unsigned char> unpacked_bytes(std::string_view text) {
  return {reinterpret_cast<const unsigned char*>(text.data()), text.size()};
}

}  // namespace

util::Result<std::string> seal_unpacked(const MasterKey& key, std::string_view json, unsigned repo_version) {
  if (repo_version < 2) {
    return seal(key, json);
  }
  std::string plaintext(1, k_zstd_encoding);
  VOLBACK_TRY(zstd_compress_append(unpacked_bytes(json), plaintext));
  return seal(key, plaintext);
}

util::Result<std::string> open_unpacked(const MasterKey& key, std::string_view file, const Id& name,
                                        std::size_t max_json) {
  if (Id::of(file) != name) {
    return util::fail(util::ErrorKind::corrupt, fmt::format("{}: invalid data returned (the content does not hash "
                                                            "to its name)",
                                                            name.short_hex()));
  }
  auto plaintext = open_sealed(key, file);
  if (!plaintext) {
    return util::fail(plaintext.error().with_context(name.short_hex()));
  }
  if (plaintext->empty()) {
    return plaintext;
  }
  switch ((*plaintext)[0]) {
  case k_zstd_encoding: {
    auto json = zstd_decompress_bounded(unpacked_bytes(*plaintext).subspan(1), max_json);
    if (!json) {
      return util::fail(json.error().with_context(name.short_hex()));
    }
    return json;
  }
  case '{':
  case '[':
    if (plaintext->size() > max_json) {
      return util::fail(util::ErrorKind::corrupt,
                        fmt::format("{}: larger than {} bytes of JSON", name.short_hex(), max_json));
    }
    return plaintext;
  default:
    return util::fail(util::ErrorKind::corrupt,
                      fmt::format("{}: not supported encoding format {:#04x}", name.short_hex(),
                                  static_cast<unsigned>(static_cast<unsigned char>((*plaintext)[0]))));
  }
}

}  // namespace volback::restic
