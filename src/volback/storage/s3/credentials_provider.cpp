#include <volback/storage/s3/credentials_provider.hpp>

namespace volback::storage::s3 {

namespace {

class StaticCredentials final : public CredentialsProvider {
 public:
  explicit StaticCredentials(Credentials credentials) : m_credentials(std::move(credentials)) {}
  util::Result<Credentials> get() override { return m_credentials; }

 private:
  const Credentials m_credentials;
};

}  // namespace

std::unique_ptr<CredentialsProvider> make_static_credentials(Credentials credentials) {
  return std::make_unique<StaticCredentials>(std::move(credentials));
}

}  // namespace volback::storage::s3
