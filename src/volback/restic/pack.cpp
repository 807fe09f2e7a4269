#include <volback/restic/pack.hpp>

#include <fmt/format.h>

#include <volback/restic/zstd_frame.hpp>

namespace volback::restic {

namespace {

constexpr std::size_t k_plain_entry_size = 37;       // type, length, id
constexpr std::size_t k_compressed_entry_size = 41;  // type, length, uncompressed length, id

enum HeaderType : unsigned char { data_plain = 0, tree_plain = 1, data_zstd = 2, tree_zstd = 3 };

void pack_put_u32(std::string& out, std::uint32_t value) {
  for (int i = 0; i < 4; ++i) {
    out += static_cast<char>((value >> (8 * i)) & 0xff);
  }
}

std::uint32_t pack_get_u32(std::string_view bytes, std::size_t at) {
  std::uint32_t value = 0;
  for (int i = 3; i >= 0; --i) {
    value = (value << 8) | static_cast<unsigned char>(bytes[at + static_cast<std::size_t>(i)]);
  }
  return value;
}

std::span<const unsigned char> pack_bytes(std::string_view text) {
  return {reinterpret_cast<const unsigned char*>(text.data()), text.size()};
}

util::Error pack_corrupt(std::string_view why) {
  return util::Error(util::ErrorKind::corrupt, fmt::format("pack: {}", why));
}

std::string serialize_pack_header(const std::vector<PackedBlob>& blobs) {
  std::string header;
  header.reserve(blobs.size() * k_compressed_entry_size);
  for (const auto& blob : blobs) {
    const bool tree = blob.type == BlobType::tree;
    const unsigned char type =
      blob.uncompressed_length ? (tree ? tree_zstd : data_zstd) : (tree ? tree_plain : data_plain);
    header += static_cast<char>(type);
    pack_put_u32(header, blob.length);
    if (blob.uncompressed_length) {
      pack_put_u32(header, *blob.uncompressed_length);
    }
    header.append(reinterpret_cast<const char*>(blob.id.bytes.data()), blob.id.bytes.size());
  }
  return header;
}

util::Result<std::vector<PackedBlob>> parse_pack_header(std::string_view header, std::uint64_t blobs_end) {
  std::vector<PackedBlob> blobs;
  std::uint64_t offset = 0;
  for (std::size_t at = 0; at < header.size();) {
    const auto type = static_cast<unsigned char>(header[at]);
    if (type > tree_zstd) {
      return util::fail(pack_corrupt(fmt::format("invalid blob type {} in the header", type)));
    }
    const bool compressed = type == data_zstd || type == tree_zstd;
    const std::size_t entry = compressed ? k_compressed_entry_size : k_plain_entry_size;
    if (header.size() - at < entry) {
      return util::fail(pack_corrupt("the header ends inside an entry"));
    }
    PackedBlob blob;
    blob.type = type == data_plain || type == data_zstd ? BlobType::data : BlobType::tree;
    blob.length = pack_get_u32(header, at + 1);
    if (compressed) {
      blob.uncompressed_length = pack_get_u32(header, at + 5);
    }
    std::copy_n(header.begin() + static_cast<std::ptrdiff_t>(at + entry - 32), 32, blob.id.bytes.begin());
    if (blob.length < k_seal_overhead || offset + blob.length > blobs_end) {
      return util::fail(pack_corrupt(fmt::format("blob {} does not fit in the pack", blob.id.short_hex())));
    }
    blob.offset = static_cast<std::uint32_t>(offset);
    offset += blob.length;
    blobs.push_back(blob);
    at += entry;
  }
  if (offset != blobs_end) {
    return util::fail(
      pack_corrupt(fmt::format("the header lists {} bytes of blobs, the pack has {}", offset, blobs_end)));
  }
  return blobs;
}

}  // namespace

util::Result<SealedBlob> seal_blob(const MasterKey& key, BlobType type, const Id& id,
                                   std::span<const unsigned char> plaintext, bool compress) {
  SealedBlob sealed;
  VOLBACK_TRY(seal_blob_into(key, type, id, plaintext, compress, sealed));
  return sealed;
}

util::Result<void> seal_blob_into(const MasterKey& key, BlobType type, const Id& id,
                                  std::span<const unsigned char> plaintext, bool compress, SealedBlob& out) {
  out.blob = PackedBlob{.type = type, .id = id};
  out.bytes.assign(k_iv_size, '\0');  // room for the IV: the blob is sealed where it is written
  if (compress && !plaintext.empty()) {
    VOLBACK_TRY(zstd_compress_append(plaintext, out.bytes));
    out.blob.uncompressed_length = static_cast<std::uint32_t>(plaintext.size());
  } else {
    out.bytes.append(reinterpret_cast<const char*>(plaintext.data()), plaintext.size());
  }
  VOLBACK_TRY(seal_in_place(key, out.bytes, 0));
  out.blob.length = static_cast<std::uint32_t>(out.bytes.size());
  return {};
}

util::Result<std::string> seal_pack_tail(const MasterKey& key, const std::vector<PackedBlob>& blobs) {
  std::string tail;
  VOLBACK_TRY(seal_append(key, pack_bytes(serialize_pack_header(blobs)), tail));
  pack_put_u32(tail, static_cast<std::uint32_t>(tail.size()));
  return tail;
}

util::Result<void> PackBuilder::add(const MasterKey& key, BlobType type, const Id& id,
                                    std::span<const unsigned char> plaintext, bool compress) {
  VOLBACK_TRY_ASSIGN(const SealedBlob sealed, seal_blob(key, type, id, plaintext, compress));
  append(sealed);
  return {};
}

void PackBuilder::append(const SealedBlob& sealed) {
  PackedBlob blob = sealed.blob;
  blob.offset = static_cast<std::uint32_t>(m_bytes.size());
  m_bytes += sealed.bytes;
  m_blobs.push_back(blob);
}

util::Result<FinishedPack> PackBuilder::finish(const MasterKey& key, std::string next_buffer) {
  if (m_blobs.empty()) {
    return util::fail(util::ErrorKind::invalid_argument, "a pack needs at least one blob");
  }
  VOLBACK_TRY_ASSIGN(const std::string tail, seal_pack_tail(key, m_blobs));
  m_bytes += tail;
  FinishedPack pack{.id = Id::of(m_bytes), .bytes = std::move(m_bytes), .blobs = std::move(m_blobs)};
  m_bytes = std::move(next_buffer);
  m_bytes.clear();
  m_blobs.clear();
  return pack;
}

util::Result<PackHeaderRead> read_pack_header(const MasterKey& key, std::string_view tail, std::uint64_t pack_size) {
  if (tail.size() < 4 || tail.size() > pack_size) {
    return util::fail(pack_corrupt("shorter than its length field"));
  }
  const std::uint32_t header_length = pack_get_u32(tail, tail.size() - 4);
  if (header_length == 0) {
    return util::fail(pack_corrupt("header length is zero"));
  }
  if (header_length < k_seal_overhead) {
    return util::fail(pack_corrupt("header length is too small"));
  }
  if (header_length > pack_size - 4) {
    return util::fail(pack_corrupt("header is larger than the file"));
  }
  if (header_length > k_max_pack_header - 4) {
    return util::fail(pack_corrupt("header is larger than 16 MiB"));
  }
  if (tail.size() < std::size_t{header_length} + 4) {
    return PackHeaderRead{.tail_needed = std::size_t{header_length} + 4};
  }
  const std::string_view sealed = tail.substr(tail.size() - 4 - header_length, header_length);
  auto header = open_sealed(key, sealed);
  if (!header) {
    return util::fail(header.error().with_context("pack header"));
  }
  VOLBACK_TRY_ASSIGN(auto blobs, parse_pack_header(*header, pack_size - 4 - header_length));
  return PackHeaderRead{.blobs = std::move(blobs)};
}

util::Result<std::string> open_blob(const MasterKey& key, const PackedBlob& blob, std::string_view stored) {
  if (stored.size() != blob.length) {
    return util::fail(
      pack_corrupt(fmt::format("blob {} is {} bytes, not {}", blob.id.short_hex(), stored.size(), blob.length)));
  }
  auto plaintext = open_sealed(key, stored);
  if (!plaintext) {
    return util::fail(plaintext.error().with_context(fmt::format("blob {}", blob.id.short_hex())));
  }
  if (blob.uncompressed_length) {
    auto decompressed = zstd_decompress_exact(pack_bytes(*plaintext), *blob.uncompressed_length);
    if (!decompressed) {
      return util::fail(decompressed.error().with_context(fmt::format("blob {}", blob.id.short_hex())));
    }
    plaintext = std::move(decompressed);
  }
  if (Id::of(*plaintext) != blob.id) {
    return util::fail(pack_corrupt(fmt::format("blob {} does not hash to its id", blob.id.short_hex())));
  }
  return plaintext;
}

}  // namespace volback::restic
