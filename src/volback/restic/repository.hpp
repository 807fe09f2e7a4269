#pragma once
// A restic repository on a storage backend (the format's §1.1 layout: config, keys/,
// data/<xx>/, index/, snapshots/, locks/): created with a password, opened with one, and
// its files written once and read back checked. Every file is immutable once stored; a
// file appears only when its upload completed (storage::Backend's atomic visibility), so
// a crash never leaves a half-written file under a valid name.
//
// One thread at a time, except that key() and read_range() may be called from several
// threads at once when the backend's open() may (the local and S3 backends' may); the
// backend must outlive the Repository.

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <volback/restic/id.hpp>
#include <volback/restic/key_file.hpp>
#include <volback/restic/master_key.hpp>
#include <volback/restic/pack.hpp>
#include <volback/restic/pack_file.hpp>
#include <volback/restic/repo_config.hpp>
#include <volback/storage/backend.hpp>
#include <volback/util/result.hpp>

namespace volback::restic {

enum class FileType { pack, key, lock, snapshot, index };

// The key of a file: "data/ab/abcd…" for a pack, "keys/<id>", "locks/<id>",
// "snapshots/<id>", "index/<id>".
std::string file_key(FileType type, const Id& id);

// restic tries this many key files before giving up on a password.
inline constexpr std::size_t k_max_key_files_tried = 20;
// The largest key or config file volback reads.
inline constexpr std::size_t k_max_small_file = 64 * 1024;

class Repository {
 public:
  // Creates a version 2 repository: a new master key, a key file for `password` and the
  // config. Errors: invalid_argument when the backend already holds a config.
  static util::Result<Repository> init(storage::Backend& backend, std::string_view password, const KeyFileInfo& info);
  // Opens the repository with `password`, trying up to 20 key files. Errors: not_found
  // when there is no config (no repository: `volback init` creates one); auth when no key
  // file opens with the password; corrupt for a key file or config restic would refuse.
  static util::Result<Repository> open(storage::Backend& backend, std::string_view password);

  const RepoConfig& config() const { return m_config; }
  const MasterKey& key() const { return m_key; }
  storage::Backend& backend() { return *m_backend; }

  // Stores a JSON document as an unpacked file (index, snapshot, lock); returns its id.
  util::Result<Id> save_unpacked(FileType type, std::string_view json);
  // The JSON document of an unpacked file, checked against its name.
  util::Result<std::string> load_unpacked(FileType type, const Id& id);
  util::Result<void> save_pack(const FinishedPack& pack);
  // The same from a pack built in a file (PackFile), read from its first byte. Errors: also
  // the errno kind of a failed read, corrupt when the file is shorter than the pack.
  util::Result<void> save_pack(const FinishedPackFile& pack);
  util::Result<void> remove(FileType type, const Id& id);
  // The ids of the files of a type, with their sizes; names that are not ids are skipped.
  struct Listed {
    Id id;
    std::uint64_t size = 0;
  };
  util::Result<std::vector<Listed>> list(FileType type);
  // `length` bytes of a file from `offset`. Errors: corrupt when the file is shorter.
  util::Result<std::string> read_range(FileType type, const Id& id, std::uint64_t offset, std::uint64_t length);
  // A file as a stream from its first byte (its length unchecked: the caller counts).
  util::Result<std::unique_ptr<io::Source>> open(FileType type, const Id& id);
  // The blobs the header of the stored pack `pack` lists (`size`: the pack's size): the
  // pack's tail is read, a guess first, then as much as the header needs. Errors: as
  // read_range and read_pack_header.
  util::Result<std::vector<PackedBlob>> load_pack_header(const Id& pack, std::uint64_t size);

 private:
  Repository(storage::Backend& backend, MasterKey key, RepoConfig config)
    : m_backend(&backend), m_key(std::move(key)), m_config(std::move(config)) {}
  util::Result<void> store(const std::string& key, std::string_view bytes);

  storage::Backend* m_backend;
  MasterKey m_key;
  RepoConfig m_config;
};

}  // namespace volback::restic
