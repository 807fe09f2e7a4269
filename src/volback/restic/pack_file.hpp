#pragma once
// PackFile: one pack built in an unnamed temporary file (fs::anonymous_file) instead of
// memory, so that a backup's packs of 16 MiB take no memory while they fill and upload.
// Sealed blobs are appended and hashed as they come; finish() appends the sealed header
// and hands over the pack's id, its blobs and the file, to be uploaded from offset 0
// (Repository::save_pack). The file disappears with its last descriptor, also when the
// process dies. One thread at a time.

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include <volback/fs/unique_fd.hpp>
#include <volback/restic/master_key.hpp>
#include <volback/restic/pack.hpp>
#include <volback/util/result.hpp>

namespace volback::restic {

struct FinishedPackFile {
  Id id;
  std::vector<PackedBlob> blobs;
  fs::UniqueFd file;  // the whole pack
  std::uint64_t size = 0;
};

class PackFile {
 public:
  // An empty pack in a new unnamed file in `dir`. Errors: as fs::anonymous_file.
  static util::Result<PackFile> create(const std::string& dir);

  // Appends a blob sealed by seal_blob_into. Errors: the errno kind of a failed write (a
  // full disk); the pack is then unusable.
  util::Result<void> append(const SealedBlob& sealed);
  std::uint64_t size() const { return m_size; }
  bool empty() const { return m_blobs.empty(); }

  // Appends the sealed header and its length and hands the pack over; this PackFile is
  // spent. Errors: invalid_argument for a pack without blobs; as append; permanent when
  // OpenSSL could not hash.
  util::Result<FinishedPackFile> finish(const MasterKey& key);

 private:
  explicit PackFile(fs::UniqueFd file);
  util::Result<void> write(std::string_view bytes);

  fs::UniqueFd m_file;
  std::unique_ptr<IdHasher> m_hash = std::make_unique<IdHasher>();  // of what is written
  std::uint64_t m_size = 0;
  std::vector<PackedBlob> m_blobs;
};

}  // namespace volback::restic
