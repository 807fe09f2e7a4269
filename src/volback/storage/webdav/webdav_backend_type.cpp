#include <volback/storage/webdav/webdav_backend_type.hpp>

#include <fmt/format.h>

#include <volback/storage/webdav/webdav_backend.hpp>
#include <volback/storage/webdav/webdav_settings.hpp>

namespace volback::storage::webdav {
namespace {

class WebdavConfig final : public BackendConfig {
 public:
  explicit WebdavConfig(WebdavSettings settings) : m_settings(std::move(settings)) {}
  std::string_view name() const override { return "WebDAV"; }
  std::string describe() const override {
    return fmt::format("backend WebDAV at {}{}", m_settings.origin, m_settings.base.empty() ? "/" : m_settings.base);
  }
  std::unique_ptr<Backend> create(const BackendContext& context) const override {
    return make_webdav_backend(m_settings, WebdavContext{context.log, context.cancel});
  }

 private:
  WebdavSettings m_settings;
};

util::Result<std::unique_ptr<BackendConfig>> parse(const util::Settings& settings, const NameExpander&) {
  VOLBACK_TRY_ASSIGN(auto parsed, parse_webdav_settings(settings));
  if (!parsed) {
    return std::unique_ptr<BackendConfig>();
  }
  return std::unique_ptr<BackendConfig>(std::make_unique<WebdavConfig>(std::move(*parsed)));
}

}  // namespace

const BackendType& backend_type() {
  static const BackendType type{"WebDAV", &webdav_setting_specs, &parse};
  return type;
}

}  // namespace volback::storage::webdav
