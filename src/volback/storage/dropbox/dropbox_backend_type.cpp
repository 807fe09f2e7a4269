#include <volback/storage/dropbox/dropbox_backend_type.hpp>

#include <fmt/format.h>

#include <volback/storage/dropbox/dropbox_backend.hpp>
#include <volback/storage/dropbox/dropbox_settings.hpp>

namespace volback::storage::dropbox {
namespace {

class DropboxConfig final : public BackendConfig {
 public:
  explicit DropboxConfig(DropboxSettings settings) : m_settings(std::move(settings)) {}
  std::string_view name() const override { return "Dropbox"; }
  std::string describe() const override {
    return fmt::format("backend Dropbox folder {} at {}", m_settings.folder.empty() ? "/" : m_settings.folder,
                       m_settings.api_base);
  }
  std::unique_ptr<Backend> create(const BackendContext& context) const override {
    return make_dropbox_backend(m_settings, DropboxContext{context.log, context.cancel});
  }

 private:
  DropboxSettings m_settings;
};

util::Result<std::unique_ptr<BackendConfig>> parse_dropbox(const util::Settings& settings, const NameExpander&) {
  VOLBACK_TRY_ASSIGN(auto parsed, parse_dropbox_settings(settings));
  if (!parsed) {
    return std::unique_ptr<BackendConfig>();
  }
  return std::unique_ptr<BackendConfig>(std::make_unique<DropboxConfig>(std::move(*parsed)));
}

}  // namespace

const BackendType& backend_type() {
  static const BackendType type{"Dropbox", &dropbox_setting_specs, &parse_dropbox};
  return type;
}

}  // namespace volback::storage::dropbox
