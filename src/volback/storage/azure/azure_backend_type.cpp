#include <volback/storage/azure/azure_backend_type.hpp>

#include <fmt/format.h>

#include <volback/storage/azure/azure_backend.hpp>
#include <volback/storage/azure/azure_settings.hpp>

namespace volback::storage::azure {
namespace {

class AzureConfig final : public BackendConfig {
 public:
  explicit AzureConfig(AzureSettings settings) : m_settings(std::move(settings)) {}
  std::string_view name() const override { return "Azure"; }
  std::string describe() const override {
    return fmt::format("backend Azure container {} at {}{}", m_settings.container, m_settings.origin,
                       m_settings.base_path);
  }
  std::unique_ptr<Backend> create(const BackendContext& context) const override {
    return make_azure_backend(m_settings, AzureContext{context.log, context.clock, context.cancel, context.state_dir});
  }

 private:
  AzureSettings m_settings;
};

util::Result<std::unique_ptr<BackendConfig>> parse(const util::Settings& settings, const NameExpander&) {
  VOLBACK_TRY_ASSIGN(auto parsed, parse_azure_settings(settings));
  if (!parsed) {
    return std::unique_ptr<BackendConfig>();
  }
  return std::unique_ptr<BackendConfig>(std::make_unique<AzureConfig>(std::move(*parsed)));
}

}  // namespace

const BackendType& backend_type() {
  static const BackendType type{"Azure", &azure_setting_specs, &parse};
  return type;
}

}  // namespace volback::storage::azure
