#pragma once
// The configured restic-format repository (RESTIC_REPOSITORY), opened for a command: its
// storage backend and the repository, with the errors a user can act on.

#include <memory>
#include <string_view>

#include <volback/app/config/repository_settings.hpp>
#include <volback/restic/repository.hpp>
#include <volback/storage/backend.hpp>
#include <volback/storage/backend_config.hpp>
#include <volback/util/result.hpp>

namespace volback::app {

struct OpenedRepository {
  std::unique_ptr<storage::Backend> backend;
  restic::Repository repository;
};

// Opens the repository on `backend` with the configured password. Errors: not_found "there
// is no repository at <location>: create it with `volback init`"; auth naming the location
// for a wrong password; the repository's and the backend's errors with the location.
util::Result<restic::Repository> open_repository(storage::Backend& backend, const RepositorySettings& settings);

// The name of the repository among the backends (--backend repository, any case), and
// whether `backend` is it.
inline constexpr std::string_view k_repository_backend = "repository";
bool names_repository(std::string_view backend);

// Creates the backend of `settings` with `context`, then open_repository.
util::Result<OpenedRepository> open_configured_repository(const RepositorySettings& settings,
                                                          const storage::BackendContext& context);

}  // namespace volback::app
