#pragma once
// One SSH connection with an SFTP channel, on libssh2 (internal to storage/sftp).
//
// open() connects (10 s connect timeout), verifies the server's host key, logs in and
// starts SFTP:
//   - host key: with SSH_KNOWN_HOSTS_FILE the key must be listed there for the server's
//     name ([host]:port off port 22; hashed entries included), and only the key types
//     listed are negotiated. Without it the key is trusted on first use and pinned in
//     <state_dir>/ssh-known-hosts; a key that differs from the pinned one fails with both
//     fingerprints and the line to remove. A @revoked key always fails.
//   - login: public key from SSH_IDENTITY_FILE when the file exists (ed25519, ECDSA,
//     encrypted with SSH_IDENTITY_PASSPHRASE or not; RSA in PEM or unencrypted OpenSSH
//     format, signed with rsa-sha2-512 by volback itself, rsa_key.hpp), then SSH_PASSWORD
//     when set.
// Every blocking libssh2 call has a 60 s timeout, so a vanished server fails the call.
//
// Error kinds: transient (connection refused, reset or timed out, name resolution);
// auth (login refused, a key file that cannot be read or decrypted); permanent (host
// key mismatch or unknown, protocol errors); the SFTP errors of sftp_error().
//
// Thread-safety: one thread at a time.

#include <libssh2.h>
#include <libssh2_sftp.h>

#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include <volback/storage/sftp/sftp_settings.hpp>
#include <volback/util/logging.hpp>
#include <volback/util/result.hpp>

namespace volback::storage::sftp {

class SshConnection {
 public:
  // `state_dir` holds the trust-on-first-use pin file (empty: nowhere, every key unknown
  // is refused).
  static util::Result<std::unique_ptr<SshConnection>> open(const SftpSettings& settings, const std::string& state_dir,
                                                           util::Logger& log);
  ~SshConnection();
  SshConnection(const SshConnection&) = delete;
  SshConnection& operator=(const SshConnection&) = delete;

  LIBSSH2_SESSION* session() const { return m_session; }
  LIBSSH2_SFTP* sftp() const { return m_sftp; }

  // The error of the last failed SFTP call on `path`, classified: not_found (no such
  // file), auth (permission denied), transient (the connection is gone or timed out),
  // permanent (anything else).
  util::Error sftp_error(std::string_view what, std::string_view path) const;

 private:
  SshConnection() = default;
  util::Result<void> connect(const SftpSettings& settings);
  util::Result<void> verify_host_key(const SftpSettings& settings, const std::string& state_dir, util::Logger& log);
  util::Result<void> login(const SftpSettings& settings, util::Logger& log);
  util::Result<std::optional<bool>> login_rsa_sha2(const SftpSettings& settings);

  int m_socket = -1;
  LIBSSH2_SESSION* m_session = nullptr;
  LIBSSH2_SFTP* m_sftp = nullptr;
};

}  // namespace volback::storage::sftp
