#pragma once
// The OAuth2 access token of the Dropbox backend (internal to storage/dropbox): obtained
// with the refresh-token grant (POST <DROPBOX_OAUTH2_ENDPOINT>oauth2/token,
// grant_type=refresh_token, the app key and secret as HTTP basic authentication) when
// first needed, and again once three quarters of its lifetime (expires_in) have passed or
// when the API answers that it expired (expired()), so a long upload outlives it.
//
// Error kinds of a refresh: auth when the endpoint refuses the credentials (400
// invalid_grant, 401), transient for 429, 5xx and the transport's transient errors,
// permanent for a reply that is not a token. No error or log line holds the refresh
// token, the secret or an access token.
//
// Thread-safety: shared by the upload's workers; a refresh happens on one thread while
// the others wait for its result.

#include <chrono>
#include <mutex>
#include <optional>
#include <string>

#include <volback/http/transport.hpp>
#include <volback/storage/dropbox/dropbox_settings.hpp>
#include <volback/util/result.hpp>

namespace volback::storage::dropbox {

class AccessToken {
 public:
  // `settings` must outlive the object.
  explicit AccessToken(const DropboxSettings& settings) : m_settings(settings) {}

  // The current token, refreshed first through `transport` when there is none or it is
  // due.
  util::Result<std::string> get(http::Transport& transport);

  // The API refused `token` as expired: the next get() refreshes (unless another thread
  // already did).
  void expired(const std::string& token);

 private:
  util::Result<void> refresh(http::Transport& transport);

  const DropboxSettings& m_settings;
  std::mutex m_mutex;
  std::string m_token;                                         // guarded by m_mutex
  std::optional<std::chrono::steady_clock::time_point> m_due;  // guarded by m_mutex
};

// The token request for `settings` (the body holds the refresh token). Pure.
http::Request token_request(const DropboxSettings& settings);

}  // namespace volback::storage::dropbox
