#include <volback/restic/pack_file.hpp>

#include <unistd.h>

#include <cerrno>

#include <fmt/format.h>
#include <openssl/evp.h>

#include <volback/fs/anonymous_file.hpp>

namespace volback::restic {

namespace {

EVP_MD_CTX* pack_hash(void* ctx) {
  return static_cast<EVP_MD_CTX*>(ctx);
}

util::Error pack_file_hash_failed() {
  return util::Error(util::ErrorKind::permanent, "SHA-256 of a pack failed in OpenSSL");
}

}  // namespace

void PackFile::HashFree::operator()(void* ctx) const {
  EVP_MD_CTX_free(pack_hash(ctx));
}

PackFile::PackFile(fs::UniqueFd file, std::unique_ptr<void, HashFree> hash)
  : m_file(std::move(file)), m_hash(std::move(hash)) {}

util::Result<PackFile> PackFile::create(const std::string& dir) {
  VOLBACK_TRY_ASSIGN(auto file, fs::anonymous_file(dir, "a pack file"));
  std::unique_ptr<void, HashFree> hash(EVP_MD_CTX_new());
  if (!hash || EVP_DigestInit_ex(pack_hash(hash.get()), EVP_sha256(), nullptr) != 1) {
    return util::fail(pack_file_hash_failed());
  }
  return PackFile(std::move(file), std::move(hash));
}

util::Result<void> PackFile::write(std::string_view bytes) {
  if (EVP_DigestUpdate(pack_hash(m_hash.get()), bytes.data(), bytes.size()) != 1) {
    return util::fail(pack_file_hash_failed());
  }
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
  FinishedPackFile pack{.blobs = std::move(m_blobs), .file = std::move(m_file), .size = m_size};
  unsigned int length = 0;
  if (EVP_DigestFinal_ex(pack_hash(m_hash.get()), pack.id.bytes.data(), &length) != 1 ||
      length != pack.id.bytes.size()) {
    return util::fail(pack_file_hash_failed());
  }
  return pack;
}

}  // namespace volback::restic
