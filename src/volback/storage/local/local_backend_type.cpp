#include <volback/storage/local/local_backend_type.hpp>

#include <volback/storage/local/local_backend.hpp>
#include <volback/storage/local/local_settings.hpp>

namespace volback::storage::local {
namespace {

class LocalConfig final : public BackendConfig {
 public:
  explicit LocalConfig(LocalSettings settings) : m_settings(std::move(settings)) {}
  std::string_view name() const override { return "Local"; }
  std::string describe() const override { return "local directory " + m_settings.directory; }
  std::optional<std::string> local_directory() const override { return m_settings.directory; }
  std::unique_ptr<Backend> create(const BackendContext& context) const override {
    return make_local_backend(m_settings, context.log);
  }

 private:
  LocalSettings m_settings;
};

util::Result<std::unique_ptr<BackendConfig>> parse(const util::Settings& settings, const NameExpander& expand) {
  VOLBACK_TRY_ASSIGN(auto parsed, parse_local_settings(settings));
  if (!parsed) {
    return std::unique_ptr<BackendConfig>();
  }
  if (parsed->latest_symlink && expand) {
    parsed->latest_symlink = expand(*parsed->latest_symlink);
  }
  return std::unique_ptr<BackendConfig>(std::make_unique<LocalConfig>(std::move(*parsed)));
}

}  // namespace

std::shared_ptr<const BackendConfig> make_local_config(LocalSettings settings) {
  return std::make_shared<LocalConfig>(std::move(settings));
}

const BackendType& backend_type() {
  static const BackendType type{"Local", &local_setting_specs, &parse};
  return type;
}

}  // namespace volback::storage::local
