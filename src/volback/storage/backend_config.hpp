#pragma once
// BackendConfig: one configured storage backend, between its settings and the backend
// itself. A backend module parses its settings (offen's variables) into one during
// validation, before anything is contacted or stopped; a run later creates the backend
// from it with what the run provides (BackendContext). The registry
// (storage/registry/registry.hpp) lists every backend type.

#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include <volback/storage/backend.hpp>
#include <volback/util/cancel.hpp>
#include <volback/util/clock.hpp>
#include <volback/util/logging.hpp>
#include <volback/util/result.hpp>
#include <volback/util/settings.hpp>

namespace volback::storage {

// What a backend gets from the run that creates it. The references must outlive the
// backend and its upload sinks.
struct BackendContext {
  util::Logger& log;
  const util::Clock& clock;
  const util::CancelToken& cancel;
  std::string state_dir;  // for the backend's own records (unfinished uploads); may be empty
  std::string spool_dir;  // for its temporary files (VOLBACK_SPOOL_DIR)
};

// A backend's validated configuration. Immutable; safe to share between threads.
class BackendConfig {
 public:
  BackendConfig() = default;
  BackendConfig(const BackendConfig&) = delete;
  BackendConfig& operator=(const BackendConfig&) = delete;
  virtual ~BackendConfig() = default;

  // offen's name for the backend ("Local", "S3", ...), as Backend::name() says it.
  virtual std::string_view name() const = 0;

  // Where it stores, for check-config and logs; never a credential.
  virtual std::string describe() const = 0;

  // The directory on this machine where the backend keeps its archives, for a backend
  // that has one (Local); nullopt otherwise.
  virtual std::optional<std::string> local_directory() const { return std::nullopt; }

  // The backend. Nothing is contacted until its first operation.
  virtual std::unique_ptr<Backend> create(const BackendContext& context) const = 0;
};

// How names taken from settings are expanded when BACKUP_FILENAME_EXPAND is on ($VAR
// references); the identity otherwise.
using NameExpander = std::function<std::string(const std::string&)>;

// One kind of backend: its name, its settings and how to parse them.
struct BackendType {
  std::string_view name;
  // Every setting the backend reads, for print-config and --help.
  std::span<const util::SettingSpec> (*settings)();
  // The backend's configuration, or nullptr when it is not configured (offen's trigger
  // variable unset, or for Local: BACKUP_ARCHIVE does not exist). Errors:
  // invalid_argument naming the variable; Settings errors unchanged.
  util::Result<std::unique_ptr<BackendConfig>> (*parse)(const util::Settings& settings, const NameExpander& expand);
};

}  // namespace volback::storage
