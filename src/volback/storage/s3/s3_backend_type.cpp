#include <volback/storage/s3/s3_backend_type.hpp>

#include <fmt/format.h>

#include <volback/storage/s3/s3_backend.hpp>
#include <volback/storage/s3/s3_settings.hpp>

namespace volback::storage::s3 {
namespace {

class S3Config final : public BackendConfig {
 public:
  explicit S3Config(S3Settings settings) : m_settings(std::move(settings)) {}
  std::string_view name() const override { return "S3"; }
  std::string describe() const override {
    return fmt::format("backend S3 bucket {} at {}://{}", m_settings.bucket, m_settings.scheme, m_settings.host);
  }
  std::unique_ptr<Backend> create(const BackendContext& context) const override {
    return make_s3_backend(m_settings,
                           S3Context{context.log, context.clock, context.cancel, context.state_dir, context.spool_dir});
  }

 private:
  S3Settings m_settings;
};

util::Result<std::unique_ptr<BackendConfig>> parse(const util::Settings& settings, const NameExpander&) {
  VOLBACK_TRY_ASSIGN(auto parsed, parse_s3_settings(settings));
  if (!parsed) {
    return std::unique_ptr<BackendConfig>();
  }
  return std::unique_ptr<BackendConfig>(std::make_unique<S3Config>(std::move(*parsed)));
}

}  // namespace

const BackendType& backend_type() {
  static const BackendType type{"S3", &s3_setting_specs, &parse};
  return type;
}

}  // namespace volback::storage::s3
