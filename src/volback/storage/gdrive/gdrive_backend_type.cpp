#include <volback/storage/gdrive/gdrive_backend_type.hpp>

#include <volback/storage/gdrive/gdrive_backend.hpp>
#include <volback/storage/gdrive/gdrive_settings.hpp>

namespace volback::storage::gdrive {
namespace {

class GdriveConfig final : public BackendConfig {
 public:
  explicit GdriveConfig(GdriveSettings settings) : m_settings(std::move(settings)) {}
  std::string_view name() const override { return "GoogleDrive"; }
  std::string describe() const override { return "backend " + describe_location(m_settings); }
  std::unique_ptr<Backend> create(const BackendContext& context) const override {
    return make_gdrive_backend(m_settings, GdriveContext{context.log, context.clock, context.cancel});
  }

 private:
  GdriveSettings m_settings;
};

util::Result<std::unique_ptr<BackendConfig>> parse_gdrive(const util::Settings& settings, const NameExpander&) {
  VOLBACK_TRY_ASSIGN(auto parsed, parse_gdrive_settings(settings));
  if (!parsed) {
    return std::unique_ptr<BackendConfig>();
  }
  return std::unique_ptr<BackendConfig>(std::make_unique<GdriveConfig>(std::move(*parsed)));
}

}  // namespace

const BackendType& backend_type() {
  static const BackendType type{"GoogleDrive", &gdrive_setting_specs, &parse_gdrive};
  return type;
}

}  // namespace volback::storage::gdrive
