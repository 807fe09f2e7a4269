#pragma once
// restic: volback's reader and writer of restic's repository format, repository version 2 as
// restic 0.14 writes and reads it (docs/restic-repository.md lists what is supported). A
// repository volback writes passes `restic check --read-data`, and volback reads what restic
// writes. Everything read from a repository is hostile until its MAC and hash are checked.
//
// Id: the SHA-256 that names things in a repository: a blob by its plaintext, a stored file
// (pack, index, snapshot, lock, key) by its bytes as stored. Written as 64 lower-case hex
// characters in JSON and in file names.

#include <array>
#include <compare>
#include <cstddef>
#include <span>
#include <string>
#include <string_view>

#include <volback/util/result.hpp>

namespace volback::restic {

struct Id {
  std::array<unsigned char, 32> bytes{};

  // The SHA-256 of `data`.
  static Id of(std::span<const unsigned char> data);
  static Id of(std::string_view data);
  // 64 hex characters (either case). Errors: corrupt for anything else.
  static util::Result<Id> parse(std::string_view hex);

  std::string hex() const;
  // The first 8 hex characters, as restic shows ids in messages.
  std::string short_hex() const { return hex().substr(0, 8); }
  bool is_zero() const;

  auto operator<=>(const Id&) const = default;
};

// The Id of bytes that come in pieces (a pack written or read as a stream). One thread at
// a time.
class IdHasher {
 public:
  IdHasher();
  ~IdHasher();
  IdHasher(const IdHasher&) = delete;
  IdHasher& operator=(const IdHasher&) = delete;

  void update(std::string_view data);
  // The SHA-256 of everything updated so far; the hasher is spent. Errors: permanent when
  // OpenSSL failed at any step.
  util::Result<Id> finish();

 private:
  void* m_ctx;  // EVP_MD_CTX*
  bool m_failed = false;
};

}  // namespace volback::restic
