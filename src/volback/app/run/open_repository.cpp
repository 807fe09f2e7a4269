#include <volback/app/run/open_repository.hpp>

#include <algorithm>
#include <cctype>

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

bool names_repository(std::string_view backend) {
  return backend.size() == k_repository_backend.size() &&
         std::equal(backend.begin(), backend.end(), k_repository_backend.begin(),
                    [](char a, char b) { return std::tolower(static_cast<unsigned char>(a)) == b; });
}

util::Result<OpenedRepository> open_configured_repository(const RepositorySettings& settings,
                                                          const storage::BackendContext& context) {
  auto backend = settings.storage->create(context);
  VOLBACK_TRY_ASSIGN(auto repository, open_repository(*backend, settings));
  return OpenedRepository{std::move(backend), std::move(repository)};
}

}  // namespace volback::app
