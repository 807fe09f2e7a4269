#include <volback/app/commands/init_command.hpp>

#include <sys/stat.h>

#include <cerrno>
#include <filesystem>

#include <fmt/format.h>

#include <volback/app/config/backup_config.hpp>
#include <volback/restic/go_json.hpp>
#include <volback/restic/repository.hpp>
#include <volback/restic/repository_lock.hpp>

namespace volback::app {

namespace {

// A local repository's directory, made with its parents.
util::Result<void> make_local_directory(const std::string& path) {
  std::error_code error;
  std::filesystem::create_directories(path, error);
  if (error) {
    return util::fail(util::errno_error(error.value(), fmt::format("cannot create {}", path)));
  }
  ::chmod(path.c_str(), 0700);
  return {};
}

}  // namespace

CommandOutput run_init_command(const util::Settings& settings, const CommandDeps& deps) {
  auto& log = deps.log;
  auto config = load_repository_config(settings);
  if (!config) {
    log.error(config.error().message());
    return {ExitCode::usage, ""};
  }
  const RepositorySettings& repository = *config->repository;
  if (const auto dir = repository.storage->local_directory()) {
    if (auto made = make_local_directory(*dir); !made) {
      log.error(made.error().message());
      return {ExitCode::failed, ""};
    }
  }
  auto backend =
    repository.storage->create({log, deps.clock, deps.cancel, config->run.state_dir, config->run.spool_dir});
  const auto owner = restic::this_process();
  const auto created =
    restic::Repository::init(*backend, repository.password,
                             {.created = restic::format_rfc3339_nano(restic::go_time_of(deps.clock.now())),
                              .username = owner.username,
                              .hostname = repository.hostname});
  if (!created) {
    log.error(fmt::format("Cannot create a repository at {}", repository.location.describe),
              {{"error", created.error().message()}});
    return {ExitCode::failed, ""};
  }
  return {ExitCode::ok,
          fmt::format("created restic repository {} at {}\n", created->config().id, repository.location.describe)};
}

}  // namespace volback::app
