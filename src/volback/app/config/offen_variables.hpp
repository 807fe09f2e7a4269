#pragma once
// Every environment variable of offen/docker-volume-backup v2.48 and whether volback
// supports it yet. A variable that volback does not support yet must never be ignored
// silently (GPG_PASSPHRASE must not lead to a plaintext upload), so setting one is a
// configuration error.

#include <span>
#include <string_view>

#include <volback/util/result.hpp>
#include <volback/util/settings.hpp>

namespace volback::app {

enum class Support {
  supported,    // volback reads it with offen's meaning
  daemon_only,  // only the daemon reads it; a one-shot run accepts and ignores it, as offen's does
  not_yet,      // setting it is an error until volback supports it
};

struct OffenVariable {
  std::string_view name;
  Support support;
};

// All 78 variables, in the order of offen's reference.
std::span<const OffenVariable> offen_variables();

// invalid_argument "<NAME> is not supported by volback yet" for the first variable with
// Support::not_yet that is set (as NAME or NAME_FILE) in `settings`.
util::Result<void> refuse_unsupported(const util::Settings& settings);
// The same against the table `variables` (tests pass their own).
util::Result<void> refuse_unsupported(const util::Settings& settings, std::span<const OffenVariable> variables);

}  // namespace volback::app
