#pragma once
// Where the S3 client takes the keys it signs each request with (internal to storage/s3):
// the static AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY, or the IAM role's temporary keys
// from the instance metadata service (imds_credentials.hpp), which change during a run.

#include <memory>

#include <volback/storage/s3/sigv4.hpp>
#include <volback/util/result.hpp>

namespace volback::storage::s3 {

class CredentialsProvider {
 public:
  virtual ~CredentialsProvider() = default;

  // The credentials to sign a request with now. Thread-safe: parallel part uploads sign
  // concurrently. Errors are the provider's, with their kinds (transient ones are worth
  // retrying with the request).
  virtual util::Result<Credentials> get() = 0;
};

// Always the same credentials. Never fails.
std::unique_ptr<CredentialsProvider> make_static_credentials(Credentials credentials);

}  // namespace volback::storage::s3
