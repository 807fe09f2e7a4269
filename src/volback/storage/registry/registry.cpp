#include <volback/storage/registry/registry.hpp>

#include <array>

#include <volback/storage/azure/azure_backend_type.hpp>
#include <volback/storage/dropbox/dropbox_backend_type.hpp>
#include <volback/storage/gdrive/gdrive_backend_type.hpp>
#include <volback/storage/local/local_backend_type.hpp>
#include <volback/storage/s3/s3_backend_type.hpp>
#include <volback/storage/sftp/sftp_backend_type.hpp>
#include <volback/storage/webdav/webdav_backend_type.hpp>

namespace volback::storage {

std::span<const BackendType* const> backend_types() {
  static const std::array<const BackendType*, 7> types{
    &local::backend_type(), &s3::backend_type(),      &webdav::backend_type(), &sftp::backend_type(),
    &azure::backend_type(), &dropbox::backend_type(), &gdrive::backend_type(),
  };
  return types;
}

util::Result<std::vector<std::shared_ptr<const BackendConfig>>> parse_backends(const util::Settings& settings,
                                                                               const NameExpander& expand) {
  std::vector<std::shared_ptr<const BackendConfig>> configured;
  for (const BackendType* type : backend_types()) {
    VOLBACK_TRY_ASSIGN(auto config, type->parse(settings, expand));
    if (config) {
      configured.push_back(std::move(config));
    }
  }
  return configured;
}

std::vector<std::span<const util::SettingSpec>> backend_setting_specs() {
  std::vector<std::span<const util::SettingSpec>> specs;
  for (const BackendType* type : backend_types()) {
    specs.push_back(type->settings());
  }
  return specs;
}

}  // namespace volback::storage
