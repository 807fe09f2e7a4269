#include <volback/app/remote_backends.hpp>

#include <fmt/format.h>

#include <volback/storage/s3/s3_backend.hpp>

namespace volback::app {

void add_remote_backends(const BackupConfig& config, util::Logger& log, const util::Clock& clock,
                         const util::CancelToken& cancel, std::vector<std::unique_ptr<storage::Backend>>& backends) {
  if (config.s3) {
    backends.push_back(storage::s3::make_s3_backend(
      *config.s3, storage::s3::S3Context{log, clock, cancel, config.run.state_dir, config.run.spool_dir}));
  }
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
