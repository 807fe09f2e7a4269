#include <volback/restic/repository.hpp>

#include <unistd.h>

#include <algorithm>
#include <cerrno>

#include <fmt/format.h>

#include <volback/restic/unpacked_file.hpp>

namespace volback::restic {

namespace {

constexpr std::string_view k_config_key = "config";

std::string_view type_directory(FileType type) {
  switch (type) {
  case FileType::pack: return "data";
  case FileType::key: return "keys";
  case FileType::lock: return "locks";
  case FileType::snapshot: return "snapshots";
  case FileType::index: return "index";
  }
  return "data";
}

// Reads `source` to its end, refusing more than `max` bytes.
// A pack uploads from its file in reads of this size.
constexpr std::uint64_t k_pack_upload_buffer = std::uint64_t{1} << 20;

util::Result<std::string> read_bounded(io::Source& source, std::uint64_t max, std::string_view what) {
  std::string out;
  std::byte buffer[64 * 1024];
  for (;;) {
    VOLBACK_TRY_ASSIGN(const std::size_t n, source.read(buffer));
    if (n == 0) {
      return out;
    }
    if (out.size() + n > max) {
      return util::fail(util::ErrorKind::corrupt, fmt::format("{} is larger than {} bytes", what, max));
    }
    out.append(reinterpret_cast<const char*>(buffer), n);
  }
}

util::Result<std::string> read_object(storage::Backend& backend, std::string_view key, std::uint64_t max) {
  VOLBACK_TRY_ASSIGN(auto source, backend.open(key));
  return read_bounded(*source, max, key);
}

}  // namespace

std::string file_key(FileType type, const Id& id) {
  const std::string hex = id.hex();
  if (type == FileType::pack) {
    return fmt::format("data/{}/{}", hex.substr(0, 2), hex);
  }
  return fmt::format("{}/{}", type_directory(type), hex);
}

util::Result<Repository> Repository::init(storage::Backend& backend, std::string_view password,
                                          const KeyFileInfo& info) {
  VOLBACK_TRY_ASSIGN(const auto existing, backend.stat(k_config_key));
  if (existing) {
    return util::fail(util::ErrorKind::invalid_argument,
                      fmt::format("{} already holds a repository (its config exists)", backend.describe()));
  }
  VOLBACK_TRY_ASSIGN(auto key, MasterKey::generate());
  VOLBACK_TRY_ASSIGN(auto config, new_repo_config());
  VOLBACK_TRY_ASSIGN(const std::string key_file, make_key_file(key, password, info));
  Repository repository(backend, std::move(key), std::move(config));
  VOLBACK_TRY(repository.store(file_key(FileType::key, Id::of(key_file)), key_file));
  VOLBACK_TRY_ASSIGN(const std::string config_file, seal_repo_config(repository.m_key, repository.m_config));
  VOLBACK_TRY(repository.store(std::string(k_config_key), config_file));
  return repository;
}

util::Result<Repository> Repository::open(storage::Backend& backend, std::string_view password) {
  VOLBACK_TRY_ASSIGN(const auto config_info, backend.stat(k_config_key));
  if (!config_info) {
    return util::fail(util::ErrorKind::not_found,
                      fmt::format("no restic repository at {}: create one with `volback init`", backend.describe()));
  }
  std::vector<std::string> key_files;
  VOLBACK_TRY(backend.list("keys/", [&](const storage::ObjectInfo& object) -> util::Result<void> {
    if (Id::parse(storage::key_name(object.key)) && key_files.size() < k_max_key_files_tried) {
      key_files.push_back(object.key);
    }
    return {};
  }));
  for (const auto& key_file : key_files) {
    VOLBACK_TRY_ASSIGN(const std::string json, read_object(backend, key_file, k_max_small_file));
    auto key = open_key_file(json, password);
    if (!key) {
      if (key.error().kind() == util::ErrorKind::auth) {
        continue;
      }
      return util::fail(key.error().with_context(key_file));
    }
    VOLBACK_TRY_ASSIGN(const std::string config_file, read_object(backend, k_config_key, k_max_small_file));
    VOLBACK_TRY_ASSIGN(auto config, open_repo_config(*key, config_file));
    return Repository(backend, std::move(*key), std::move(config));
  }
  return util::fail(util::ErrorKind::auth, fmt::format("wrong password or no key found for {}", backend.describe()));
}

util::Result<void> Repository::store(const std::string& key, std::string_view bytes) {
  VOLBACK_TRY_ASSIGN(auto sink, m_backend->begin_upload(key, {.size = bytes.size()}));
  VOLBACK_TRY(sink->write(std::as_bytes(std::span(bytes.data(), bytes.size()))));
  return sink->finish();
}

util::Result<Id> Repository::save_unpacked(FileType type, std::string_view json) {
  VOLBACK_TRY_ASSIGN(const std::string file, seal_unpacked(m_key, json, m_config.version));
  const Id id = Id::of(file);
  VOLBACK_TRY(store(file_key(type, id), file));
  return id;
}

util::Result<std::string> Repository::load_unpacked(FileType type, const Id& id) {
  VOLBACK_TRY_ASSIGN(const std::string file,
                     read_object(*m_backend, file_key(type, id), k_max_unpacked_json + k_seal_overhead + 1));
  return open_unpacked(m_key, file, id);
}

util::Result<void> Repository::save_pack(const FinishedPack& pack) {
  return store(file_key(FileType::pack, pack.id), pack.bytes);
}

util::Result<void> Repository::save_pack(const FinishedPackFile& pack) {
  const std::string key = file_key(FileType::pack, pack.id);
  VOLBACK_TRY_ASSIGN(auto sink, m_backend->begin_upload(key, {.size = pack.size}));
  std::vector<std::byte> buffer(std::min<std::uint64_t>(pack.size, k_pack_upload_buffer));
  for (std::uint64_t offset = 0; offset < pack.size;) {
    const ssize_t n = ::pread(pack.file.get(), buffer.data(),
                              std::min<std::uint64_t>(buffer.size(), pack.size - offset), static_cast<off_t>(offset));
    if (n < 0 && errno == EINTR) {
      continue;
    }
    if (n < 0) {
      return util::fail(util::errno_error(errno, "reading the pack file of " + key));
    }
    if (n == 0) {
      return util::fail(util::ErrorKind::corrupt,
                        fmt::format("the pack file of {} ends at {} of {} bytes", key, offset, pack.size));
    }
    VOLBACK_TRY(sink->write(std::span(buffer.data(), static_cast<std::size_t>(n))));
    offset += static_cast<std::uint64_t>(n);
  }
  return sink->finish();
}

util::Result<void> Repository::remove(FileType type, const Id& id) {
  return m_backend->remove(file_key(type, id));
}

util::Result<std::vector<Repository::Listed>> Repository::list(FileType type) {
  std::vector<Listed> files;
  const std::string prefix = std::string(type_directory(type)) + "/";
  VOLBACK_TRY(m_backend->list(prefix, [&](const storage::ObjectInfo& object) -> util::Result<void> {
    const std::string name = storage::key_name(object.key);
    auto id = Id::parse(name);
    if (id && object.key == file_key(type, *id)) {
      files.push_back({*id, object.size});
    }
    return {};
  }));
  return files;
}

util::Result<std::string> Repository::read_range(FileType type, const Id& id, std::uint64_t offset,
                                                 std::uint64_t length) {
  const std::string key = file_key(type, id);
  VOLBACK_TRY_ASSIGN(auto source, m_backend->open(key, {.offset = offset, .length = length}));
  VOLBACK_TRY_ASSIGN(std::string bytes, read_bounded(*source, length, key));
  if (bytes.size() != length) {
    return util::fail(util::ErrorKind::corrupt,
                      fmt::format("{}: {} bytes at {} where {} were expected", key, bytes.size(), offset, length));
  }
  return bytes;
}

util::Result<std::unique_ptr<io::Source>> Repository::open(FileType type, const Id& id) {
  return m_backend->open(file_key(type, id));
}

util::Result<std::vector<PackedBlob>> Repository::load_pack_header(const Id& pack, std::uint64_t size) {
  std::uint64_t tail_size = std::min<std::uint64_t>(size, k_pack_tail_guess);
  for (int attempt = 0; attempt < 2; ++attempt) {
    VOLBACK_TRY_ASSIGN(const std::string tail, read_range(FileType::pack, pack, size - tail_size, tail_size));
    VOLBACK_TRY_ASSIGN(auto header, read_pack_header(m_key, tail, size));
    if (header.tail_needed == 0) {
      return std::move(header.blobs);
    }
    tail_size = std::min<std::uint64_t>(size, header.tail_needed);
  }
  return util::fail(util::ErrorKind::corrupt, "pack: the header's length changed between two reads");
}

}  // namespace volback::restic
