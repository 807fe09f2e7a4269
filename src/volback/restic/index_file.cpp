#include <volback/restic/index_file.hpp>

#include <algorithm>
#include <cstdint>
#include <iterator>
#include <limits>
#include <optional>
#include <utility>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

namespace volback::restic {

namespace {

using IndexJson = nlohmann::json;

void index_append_id(std::string& out, const Id& id) {
  out += '"';
  out += id.hex();
  out += '"';
}

void index_append_blob(std::string& out, const PackedBlob& blob) {
  out += "{\"id\":";
  index_append_id(out, blob.id);
  out += ",\"type\":\"";
  out += blob_type_name(blob.type);
  fmt::format_to(std::back_inserter(out), "\",\"offset\":{},\"length\":{}", blob.offset, blob.length);
  if (blob.uncompressed_length) {
    fmt::format_to(std::back_inserter(out), ",\"uncompressed_length\":{}", *blob.uncompressed_length);
  }
  out += '}';
}

void index_append_pack(std::string& out, const IndexedPack& pack) {
  out += "{\"id\":";
  index_append_id(out, pack.id);
  out += ",\"blobs\":[";
  for (std::size_t i = 0; i < pack.blobs.size(); ++i) {
    if (i != 0) {
      out += ',';
    }
    index_append_blob(out, pack.blobs[i]);
  }
  out += "]}";
}

constexpr std::size_t k_index_max_shown = 64;

std::string index_shown(std::string_view text) {
  std::string shown(text.substr(0, k_index_max_shown));
  if (text.size() > k_index_max_shown) {
    shown += "...";
  }
  return shown;
}

// Where the parser is: which value the next event belongs to.
enum class IndexPlace { document, top, supersedes, packs, pack, blobs, blob, finished };

// Receives nlohmann's SAX events and builds the IndexFile directly, one blob at a time.
// Returning false stops the parser; `error` then says why.
class IndexSaxHandler {
 public:
  IndexFile result;
  std::optional<util::Error> error;

  bool null() { return on_scalar(ScalarKind::null, {}, 0); }
  bool boolean(bool) { return on_scalar(ScalarKind::other, {}, 0); }
  bool number_integer(std::int64_t) { return on_scalar(ScalarKind::bad_number, {}, 0); }
  bool number_unsigned(std::uint64_t value) { return on_scalar(ScalarKind::unsigned_number, {}, value); }
  bool number_float(double, const std::string&) { return on_scalar(ScalarKind::bad_number, {}, 0); }
  bool string(std::string& value) { return on_scalar(ScalarKind::string, value, 0); }
  bool binary(IndexJson::binary_t&) { return on_scalar(ScalarKind::other, {}, 0); }

  bool start_object(std::size_t) {
    if (skip_depth_ > 0) {
      ++skip_depth_;
      return true;
    }
    switch (place_) {
    case IndexPlace::document: place_ = IndexPlace::top; return true;
    case IndexPlace::packs:
      place_ = IndexPlace::pack;
      pack_ = IndexedPack{};
      pack_has_id_ = false;
      return true;
    case IndexPlace::blobs:
      place_ = IndexPlace::blob;
      blob_ = PackedBlob{};
      blob_has_id_ = false;
      blob_has_type_ = false;
      return true;
    default: return on_container_value("an object");
    }
  }

  bool start_array(std::size_t) {
    if (skip_depth_ > 0) {
      ++skip_depth_;
      return true;
    }
    if (place_ == IndexPlace::document) {
      place_ = IndexPlace::packs;  // the obsolete format: the packs alone
      top_is_array_ = true;
      return true;
    }
    if (place_ == IndexPlace::top && key_ == "supersedes") {
      result.supersedes.clear();
      place_ = IndexPlace::supersedes;
      return true;
    }
    if (place_ == IndexPlace::top && key_ == "packs") {
      result.packs.clear();
      place_ = IndexPlace::packs;
      return true;
    }
    if (place_ == IndexPlace::pack && key_ == "blobs") {
      pack_.blobs.clear();
      place_ = IndexPlace::blobs;
      return true;
    }
    return on_container_value("an array");
  }

  bool key(std::string& name) {
    if (skip_depth_ == 0) {
      key_ = std::move(name);
    }
    return true;
  }

  bool end_object() {
    if (skip_depth_ > 0) {
      --skip_depth_;
      return true;
    }
    if (place_ == IndexPlace::blob) {
      return finish_blob();
    }
    if (place_ == IndexPlace::pack) {
      return finish_pack();
    }
    place_ = IndexPlace::finished;  // the top object
    return true;
  }

  bool end_array() {
    if (skip_depth_ > 0) {
      --skip_depth_;
      return true;
    }
    switch (place_) {
    case IndexPlace::supersedes: place_ = IndexPlace::top; return true;
    case IndexPlace::packs: place_ = top_is_array_ ? IndexPlace::finished : IndexPlace::top; return true;
    case IndexPlace::blobs: place_ = IndexPlace::pack; return true;
    default: return fail("unexpected end of an array");
    }
  }

  bool parse_error(std::size_t, const std::string&, const nlohmann::detail::exception& e) {
    std::string what = e.what();
    if (what.size() > 200) {
      what.resize(200);
      what += "...";
    }
    return fail(fmt::format("index is not JSON: {}", what));
  }

 private:
  enum class ScalarKind { null, string, unsigned_number, bad_number, other };

  IndexPlace place_ = IndexPlace::document;
  bool top_is_array_ = false;
  std::size_t skip_depth_ = 0;  // > 0 inside the value of an unknown key
  std::string key_;
  IndexedPack pack_;
  bool pack_has_id_ = false;
  PackedBlob blob_;
  bool blob_has_id_ = false;
  bool blob_has_type_ = false;

  bool fail(std::string message) {
    if (!error) {
      std::string where;
      if (place_ == IndexPlace::pack || place_ == IndexPlace::blobs || place_ == IndexPlace::blob) {
        where = fmt::format("index pack {}", result.packs.size());
        if (place_ == IndexPlace::blob) {
          where += fmt::format(" blob {}", pack_.blobs.size());
        }
        where += ": ";
      }
      error = util::Error(util::ErrorKind::corrupt, where + message);
    }
    return false;
  }

  // Inside a known object, the value of a key that is not one of its fields is skipped.
  bool known_key() const {
    switch (place_) {
    case IndexPlace::top: return key_ == "supersedes" || key_ == "packs";
    case IndexPlace::pack: return key_ == "id" || key_ == "blobs";
    case IndexPlace::blob:
      return key_ == "id" || key_ == "type" || key_ == "offset" || key_ == "length" || key_ == "uncompressed_length";
    default: return true;
    }
  }

  bool on_container_value(std::string_view what) {
    if (!known_key()) {
      skip_depth_ = 1;
      return true;
    }
    if (place_ == IndexPlace::document) {
      return fail("index is neither an object nor an array");
    }
    if (place_ == IndexPlace::top || place_ == IndexPlace::pack || place_ == IndexPlace::blob) {
      return fail(fmt::format("\"{}\" is {}", key_, what));
    }
    return fail(fmt::format("unexpected {} in a list", what));
  }

  bool read_id(std::string_view hex, Id& id) {
    auto parsed = Id::parse(hex);
    if (!parsed) {
      return fail(fmt::format("invalid id \"{}\"", index_shown(hex)));
    }
    id = *parsed;
    return true;
  }

  bool read_u32(ScalarKind kind, std::uint64_t value, std::uint32_t& out) {
    if (kind == ScalarKind::null) {
      out = 0;
      return true;
    }
    if (kind == ScalarKind::bad_number) {
      return fail(fmt::format("\"{}\" is negative or not an integer", key_));
    }
    if (kind != ScalarKind::unsigned_number) {
      return fail(fmt::format("\"{}\" is not a number", key_));
    }
    if (value > std::numeric_limits<std::uint32_t>::max()) {
      return fail(fmt::format("\"{}\" is out of range ({})", key_, value));
    }
    out = static_cast<std::uint32_t>(value);
    return true;
  }

  bool on_scalar(ScalarKind kind, std::string_view text, std::uint64_t number) {
    if (skip_depth_ > 0 || !known_key()) {
      return true;
    }
    switch (place_) {
    case IndexPlace::document: return fail("index is neither an object nor an array");
    case IndexPlace::top:
      if (kind == ScalarKind::null) {
        if (key_ == "packs") {
          result.packs.clear();
        } else {
          result.supersedes.clear();
        }
        return true;
      }
      return fail(fmt::format("\"{}\" is not an array", key_));
    case IndexPlace::supersedes:
      if (kind != ScalarKind::string) {
        return fail("\"supersedes\" has an item that is not a string");
      }
      result.supersedes.emplace_back();
      return read_id(text, result.supersedes.back());
    case IndexPlace::packs: return fail("\"packs\" has an item that is not an object");
    case IndexPlace::blobs: return fail("\"blobs\" has an item that is not an object");
    case IndexPlace::pack: return on_pack_scalar(kind, text);
    case IndexPlace::blob: return on_blob_scalar(kind, text, number);
    case IndexPlace::finished: return fail("unexpected value after the index");
    }
    return fail("unexpected value");
  }

  bool on_pack_scalar(ScalarKind kind, std::string_view text) {
    if (key_ == "blobs") {
      if (kind == ScalarKind::null) {
        pack_.blobs.clear();
        return true;
      }
      return fail("\"blobs\" is not an array");
    }
    if (kind != ScalarKind::string) {
      return fail("\"id\" is not a string");
    }
    pack_has_id_ = true;
    return read_id(text, pack_.id);
  }

  bool on_blob_scalar(ScalarKind kind, std::string_view text, std::uint64_t number) {
    if (key_ == "id") {
      if (kind != ScalarKind::string) {
        return fail("\"id\" is not a string");
      }
      blob_has_id_ = true;
      return read_id(text, blob_.id);
    }
    if (key_ == "type") {
      if (kind == ScalarKind::string && text == "data") {
        blob_.type = BlobType::data;
      } else if (kind == ScalarKind::string && text == "tree") {
        blob_.type = BlobType::tree;
      } else {
        return fail(kind == ScalarKind::string ? fmt::format("unknown type \"{}\"", index_shown(text))
                                               : std::string("\"type\" is not a string"));
      }
      blob_has_type_ = true;
      return true;
    }
    if (key_ == "offset") {
      return read_u32(kind, number, blob_.offset);
    }
    if (key_ == "length") {
      return read_u32(kind, number, blob_.length);
    }
    std::uint32_t uncompressed_length = 0;
    if (!read_u32(kind, number, uncompressed_length)) {
      return false;
    }
    if (kind == ScalarKind::null) {
      blob_.uncompressed_length.reset();
    } else if (uncompressed_length == 0) {
      return fail("\"uncompressed_length\" is 0");
    } else {
      blob_.uncompressed_length = uncompressed_length;
    }
    return true;
  }

  bool finish_blob() {
    if (!blob_has_id_) {
      return fail("blob has no id");
    }
    if (!blob_has_type_) {
      return fail("blob has no type");
    }
    if (blob_.length < 32) {
      return fail(fmt::format("length {} is below 32", blob_.length));
    }
    pack_.blobs.push_back(blob_);
    place_ = IndexPlace::blobs;
    return true;
  }

  bool finish_pack() {
    if (!pack_has_id_) {
      return fail("pack has no id");
    }
    std::vector<std::pair<BlobType, Id>> keys;
    keys.reserve(pack_.blobs.size());
    for (const PackedBlob& blob : pack_.blobs) {
      keys.emplace_back(blob.type, blob.id);
    }
    std::sort(keys.begin(), keys.end());
    const auto duplicate = std::adjacent_find(keys.begin(), keys.end());
    if (duplicate != keys.end()) {
      return fail(fmt::format("{} blob {} is listed twice", blob_type_name(duplicate->first), duplicate->second.hex()));
    }
    result.packs.push_back(std::move(pack_));
    place_ = IndexPlace::packs;
    return true;
  }
};

}  // namespace

std::string serialize_index(const IndexFile& index) {
  std::string out;
  std::size_t blobs = 0;
  for (const IndexedPack& pack : index.packs) {
    blobs += pack.blobs.size();
  }
  out.reserve(32 + index.supersedes.size() * 67 + index.packs.size() * 90 + blobs * 160);
  out += '{';
  if (!index.supersedes.empty()) {
    out += "\"supersedes\":[";
    for (std::size_t i = 0; i < index.supersedes.size(); ++i) {
      if (i != 0) {
        out += ',';
      }
      index_append_id(out, index.supersedes[i]);
    }
    out += "],";
  }
  out += "\"packs\":[";
  for (std::size_t i = 0; i < index.packs.size(); ++i) {
    if (i != 0) {
      out += ',';
    }
    index_append_pack(out, index.packs[i]);
  }
  out += "]}\n";
  return out;
}

util::Result<IndexFile> parse_index(std::string_view json) {
  IndexSaxHandler handler;
  bool ok = false;
  try {
    ok = IndexJson::sax_parse(json.begin(), json.end(), &handler);
  } catch (const IndexJson::exception& e) {
    return util::fail(util::ErrorKind::corrupt, fmt::format("index is not JSON: {}", e.what()));
  }
  if (!ok) {
    return util::fail(handler.error ? *handler.error : util::Error(util::ErrorKind::corrupt, "index is not valid"));
  }
  return std::move(handler.result);
}

}  // namespace volback::restic
