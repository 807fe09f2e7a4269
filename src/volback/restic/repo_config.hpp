#pragma once
// A repository's config file (the format's §1.3): its version, its identity and the
// chunker polynomial, as raw JSON sealed with the master key (never compressed). The
// file is named `config`, not by a hash.

#include <string>
#include <string_view>

#include <volback/restic/master_key.hpp>
#include <volback/restic/polynomial.hpp>
#include <volback/util/result.hpp>

namespace volback::restic {

// The repository versions volback reads; it writes only version 2 (compression).
inline constexpr unsigned k_min_repo_version = 1;
inline constexpr unsigned k_max_repo_version = 2;

struct RepoConfig {
  unsigned version = 2;
  std::string id;  // 64 hex characters of 32 random bytes in what restic and volback write
  Polynomial chunker_polynomial = 0;
};

// A new version 2 config: a random id and a random irreducible polynomial.
util::Result<RepoConfig> new_repo_config();

// {"version":2,"id":"...","chunker_polynomial":"..."}, as restic writes it.
std::string serialize_repo_config(const RepoConfig& config);
// Errors: corrupt for anything restic would not open ("unsupported repository version",
// an empty or overlong id, a polynomial parse_polynomial refuses).
util::Result<RepoConfig> parse_repo_config(std::string_view json);

util::Result<std::string> seal_repo_config(const MasterKey& key, const RepoConfig& config);
// Errors: corrupt when it does not authenticate under `key` or is not a config.
util::Result<RepoConfig> open_repo_config(const MasterKey& key, std::string_view file);

}  // namespace volback::restic
