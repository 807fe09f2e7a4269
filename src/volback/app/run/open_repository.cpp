#include <volback/app/run/open_repository.hpp>

#include <fmt/format.h>

namespace volback::app {

util::Result<restic::Repository> open_repository(storage::Backend& backend, const RepositorySettings& settings) {
  auto repository = restic::Repository::open(backend, settings.password);
  if (!repository && repository.error().kind() == util::ErrorKind::not_found) {
    return util::fail(
      util::ErrorKind::not_found,
      fmt::format("there is no repository at {}: create it with `volback init`", settings.location.describe));
  }
  if (!repository) {
    return util::fail(repository.error().with_context("repository " + settings.location.describe));
  }
  return repository;
}

util::Result<OpenedRepository> open_configured_repository(const RepositorySettings& settings,
                                                          const storage::BackendContext& context) {
  auto backend = settings.storage->create(context);
  VOLBACK_TRY_ASSIGN(auto repository, open_repository(*backend, settings));
  return OpenedRepository{std::move(backend), std::move(repository)};
}

}  // namespace volback::app
