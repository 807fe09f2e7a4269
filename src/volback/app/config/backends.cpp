#include <volback/app/config/backends.hpp>

#include <fmt/format.h>

namespace volback::app {

std::vector<std::unique_ptr<storage::Backend>> create_backends(const BackupConfig& config, util::Logger& log,
                                                               const util::Clock& clock,
                                                               const util::CancelToken& cancel) {
  const storage::BackendContext context{log, clock, cancel, config.run.state_dir, config.run.spool_dir};
  std::vector<std::unique_ptr<storage::Backend>> backends;
  for (const auto& backend : config.backends) {
    backends.push_back(backend->create(context));
  }
  return backends;
}

util::Result<void> preflight_backends(std::span<const std::unique_ptr<storage::Backend>> backends,
                                      const retention::RetentionSettings& retention) {
  for (const auto& backend : backends) {
    const bool prunes = retention.enabled() && !retention.skips(backend->name());
    auto checked = backend->preflight(prunes ? storage::ListAccess::needed : storage::ListAccess::optional);
    if (!checked) {
      return util::fail(checked.error().with_context(fmt::format("backend {}", backend->name())));
    }
  }
  return {};
}

}  // namespace volback::app
