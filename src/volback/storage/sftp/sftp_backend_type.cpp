#include <volback/storage/sftp/sftp_backend_type.hpp>

#include <fmt/format.h>

#include <volback/storage/sftp/sftp_backend.hpp>
#include <volback/storage/sftp/sftp_settings.hpp>

namespace volback::storage::sftp {
namespace {

class SftpConfig final : public BackendConfig {
 public:
  explicit SftpConfig(SftpSettings settings) : m_settings(std::move(settings)) {}
  std::string_view name() const override { return "SSH"; }
  std::string describe() const override {
    return fmt::format("backend SSH {}@{}:{} directory {}", m_settings.user, m_settings.host, m_settings.port,
                       m_settings.remote_path.empty() ? "." : m_settings.remote_path);
  }
  std::unique_ptr<Backend> create(const BackendContext& context) const override {
    return make_sftp_backend(m_settings, SftpContext{context.log, context.cancel, context.state_dir});
  }

 private:
  SftpSettings m_settings;
};

util::Result<std::unique_ptr<BackendConfig>> parse(const util::Settings& settings, const NameExpander&) {
  VOLBACK_TRY_ASSIGN(auto parsed, parse_sftp_settings(settings));
  if (!parsed) {
    return std::unique_ptr<BackendConfig>();
  }
  return std::unique_ptr<BackendConfig>(std::make_unique<SftpConfig>(std::move(*parsed)));
}

}  // namespace

const BackendType& backend_type() {
  static const BackendType type{"SSH", &sftp_setting_specs, &parse};
  return type;
}

}  // namespace volback::storage::sftp
