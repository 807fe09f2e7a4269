#include <volback/restic/pack_file.hpp>

#include <unistd.h>

#include <cerrno>

#include <fmt/format.h>

#include <volback/fs/anonymous_file.hpp>

namespace volback::restic {

PackFile::PackFile(fs::UniqueFd file) : m_file(std::move(file)) {}

util::Result<PackFile> PackFile::create(const std::string& dir) {
  VOLBACK_TRY_ASSIGN(auto file, fs::anonymous_file(dir, "a pack file"));
  return PackFile(std::move(file));
}

util::Result<void> PackFile::write(std::string_view bytes) {
  m_hash->update(bytes);
  while (!bytes.empty()) {
    const ssize_t n = ::write(m_file.get(), bytes.data(), bytes.size());
    if (n < 0) {
      if (errno == EINTR) {
        continue;
      }
      return util::fail(util::errno_error(errno, "writing a pack file"));
    }
    bytes.remove_prefix(static_cast<std::size_t>(n));
    m_size += static_cast<std::uint64_t>(n);
  }
  return {};
}

util::Result<void> PackFile::append(const SealedBlob& sealed) {
  PackedBlob blob = sealed.blob;
  blob.offset = static_cast<std::uint32_t>(m_size);
  VOLBACK_TRY(write(sealed.bytes));
  m_blobs.push_back(blob);
  return {};
}

util::Result<FinishedPackFile> PackFile::finish(const MasterKey& key) {
  if (m_blobs.empty()) {
    return util::fail(util::ErrorKind::invalid_argument, "a pack needs at least one blob");
  }
  VOLBACK_TRY_ASSIGN(const std::string tail, seal_pack_tail(key, m_blobs));
  VOLBACK_TRY(write(tail));
  VOLBACK_TRY_ASSIGN(const Id id, m_hash->finish());
  return FinishedPackFile{.id = id, .blobs = std::move(m_blobs), .file = std::move(m_file), .size = m_size};
}

}  // namespace volback::restic
