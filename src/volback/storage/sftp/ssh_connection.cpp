#include <volback/storage/sftp/ssh_connection.hpp>

#include <fcntl.h>
#include <netdb.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <mutex>
#include <set>

#include <fmt/format.h>

#include <volback/storage/sftp/known_hosts.hpp>
#include <volback/storage/sftp/rsa_key.hpp>

namespace volback::storage::sftp {

namespace {

constexpr int k_connect_timeout_ms = 10'000;
constexpr long k_call_timeout_ms = 60'000;
constexpr std::string_view k_pin_file = "ssh-known-hosts";
// The host key types libssh2 verifies, strongest first.
constexpr std::string_view k_host_key_types =
  "ssh-ed25519,ecdsa-sha2-nistp256,ecdsa-sha2-nistp384,ecdsa-sha2-nistp521,ssh-rsa";

void init_once() {
  static std::once_flag once;
  std::call_once(once, [] { libssh2_init(0); });
}

// The text of the session's last error.
std::string session_message(LIBSSH2_SESSION* session) {
  char* message = nullptr;
  int length = 0;
  libssh2_session_last_error(session, &message, &length, 0);
  return message != nullptr ? std::string(message, static_cast<std::size_t>(length)) : std::string("unknown error");
}

bool is_connection_error(int code) {
  return code == LIBSSH2_ERROR_SOCKET_SEND || code == LIBSSH2_ERROR_SOCKET_RECV ||
         code == LIBSSH2_ERROR_SOCKET_DISCONNECT || code == LIBSSH2_ERROR_TIMEOUT ||
         code == LIBSSH2_ERROR_SOCKET_TIMEOUT || code == LIBSSH2_ERROR_BANNER_RECV ||
         code == LIBSSH2_ERROR_BANNER_SEND || code == LIBSSH2_ERROR_KEX_FAILURE || code == LIBSSH2_ERROR_EAGAIN;
}

util::Error session_error(LIBSSH2_SESSION* session, std::string_view what) {
  const int code = libssh2_session_last_errno(session);
  const auto kind = is_connection_error(code) ? util::ErrorKind::transient : util::ErrorKind::permanent;
  return util::Error(kind, fmt::format("SSH {}: {}", what, session_message(session)));
}

// Keys of a known_hosts file for the server; a missing file has none.
util::Result<std::vector<KnownKey>> read_known(const std::string& path, const std::string& name) {
  auto text = util::read_whole_file(path);
  if (!text) {
    if (text.error().kind() == util::ErrorKind::not_found) {
      return std::vector<KnownKey>();
    }
    return util::fail(text.error());
  }
  return keys_for_host(*text, name);
}

util::Result<void> append_pin(const std::string& state_dir, const std::string& line) {
  ::mkdir(state_dir.c_str(), 0700);
  const std::string path = state_dir + "/" + std::string(k_pin_file);
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
  if (fd < 0) {
    return util::fail(util::errno_error(errno, "open " + path));
  }
  const ssize_t n = ::write(fd, line.data(), line.size());
  const int err = errno;
  ::fsync(fd);
  ::close(fd);
  if (n != static_cast<ssize_t>(line.size())) {
    return util::fail(util::errno_error(n < 0 ? err : EIO, "write " + path));
  }
  return {};
}

}  // namespace

util::Result<std::unique_ptr<SshConnection>> SshConnection::open(const SftpSettings& settings,
                                                                 const std::string& state_dir, util::Logger& log) {
  init_once();
  std::unique_ptr<SshConnection> c(new SshConnection());
  VOLBACK_TRY(c->connect(settings));
  c->m_session = libssh2_session_init();
  if (c->m_session == nullptr) {
    return util::fail(util::ErrorKind::permanent, "SSH: cannot create a libssh2 session");
  }
  libssh2_session_set_blocking(c->m_session, 1);
  libssh2_session_set_timeout(c->m_session, k_call_timeout_ms);
  // Only the key types a known_hosts file lists for the server are negotiated, so that a
  // server with several host keys presents one that can be checked.
  std::string preferred(k_host_key_types);
  const std::string name = known_hosts_name(settings.host, settings.port);
  const std::string pin_path = state_dir.empty() ? std::string() : state_dir + "/" + std::string(k_pin_file);
  const std::string known_path = settings.known_hosts_file ? *settings.known_hosts_file : pin_path;
  if (!known_path.empty()) {
    VOLBACK_TRY_ASSIGN(const auto known, read_known(known_path, name));
    std::set<std::string> types;
    std::string listed;
    for (const auto& key : known) {
      if (!key.revoked && k_host_key_types.find(key.type) != std::string_view::npos && types.insert(key.type).second) {
        listed += (listed.empty() ? "" : ",") + key.type;
      }
    }
    if (!listed.empty()) {
      preferred = listed;
    }
  }
  libssh2_session_method_pref(c->m_session, LIBSSH2_METHOD_HOSTKEY, preferred.c_str());
  if (libssh2_session_handshake(c->m_session, c->m_socket) != 0) {
    return util::fail(session_error(c->m_session, fmt::format("handshake with {}", name)));
  }
  VOLBACK_TRY(c->verify_host_key(settings, state_dir, log));
  VOLBACK_TRY(c->login(settings, log));
  c->m_sftp = libssh2_sftp_init(c->m_session);
  if (c->m_sftp == nullptr) {
    return util::fail(session_error(c->m_session, "starting the SFTP subsystem"));
  }
  return c;
}

SshConnection::~SshConnection() {
  if (m_sftp != nullptr) {
    libssh2_sftp_shutdown(m_sftp);
  }
  if (m_session != nullptr) {
    libssh2_session_disconnect(m_session, "done");
    libssh2_session_free(m_session);
  }
  if (m_socket >= 0) {
    ::close(m_socket);
  }
}

util::Result<void> SshConnection::connect(const SftpSettings& settings) {
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  addrinfo* found = nullptr;
  const std::string port = std::to_string(settings.port);
  if (const int rc = ::getaddrinfo(settings.host.c_str(), port.c_str(), &hints, &found); rc != 0) {
    return util::fail(util::ErrorKind::transient,
                      fmt::format("SSH: cannot resolve {}: {}", settings.host, ::gai_strerror(rc)));
  }
  std::unique_ptr<addrinfo, decltype(&::freeaddrinfo)> list(found, &::freeaddrinfo);
  std::string last = "no address";
  for (addrinfo* a = found; a != nullptr; a = a->ai_next) {
    const int fd = ::socket(a->ai_family, a->ai_socktype | SOCK_CLOEXEC | SOCK_NONBLOCK, a->ai_protocol);
    if (fd < 0) {
      last = std::strerror(errno);
      continue;
    }
    int rc = ::connect(fd, a->ai_addr, a->ai_addrlen);
    if (rc != 0 && errno == EINPROGRESS) {
      pollfd p{fd, POLLOUT, 0};
      rc = ::poll(&p, 1, k_connect_timeout_ms);
      int err = 0;
      socklen_t len = sizeof err;
      if (rc == 1 && ::getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len) == 0 && err == 0) {
        rc = 0;
      } else {
        errno = rc == 0 ? ETIMEDOUT : err;
        rc = -1;
      }
    }
    if (rc == 0) {
      ::fcntl(fd, F_SETFL, ::fcntl(fd, F_GETFL) & ~O_NONBLOCK);
      m_socket = fd;
      return {};
    }
    last = std::strerror(errno);
    ::close(fd);
  }
  return util::fail(util::ErrorKind::transient,
                    fmt::format("SSH: cannot connect to {}:{}: {}", settings.host, settings.port, last));
}

util::Result<void> SshConnection::verify_host_key(const SftpSettings& settings, const std::string& state_dir,
                                                  util::Logger& log) {
  std::size_t length = 0;
  int type = 0;
  const char* raw = libssh2_session_hostkey(m_session, &length, &type);
  if (raw == nullptr || length == 0) {
    return util::fail(util::ErrorKind::permanent, "SSH: the server sent no host key");
  }
  const std::span<const unsigned char> blob(reinterpret_cast<const unsigned char*>(raw), length);
  const std::string key_type = key_type_of(blob);
  const std::string name = known_hosts_name(settings.host, settings.port);
  const std::string seen = fingerprint(blob);
  const bool pinned = !settings.known_hosts_file.has_value();
  const std::string file = pinned ? state_dir + "/" + std::string(k_pin_file) : *settings.known_hosts_file;
  if (pinned && state_dir.empty()) {
    return util::fail(
      util::ErrorKind::permanent,
      fmt::format("SSH: cannot verify the host key of {} ({} {}): set SSH_KNOWN_HOSTS_FILE", name, key_type, seen));
  }
  VOLBACK_TRY_ASSIGN(const auto known, read_known(file, name));
  const auto check = check_host_key(known, key_type, blob);
  switch (check.verdict) {
  case Verdict::trusted: return {};
  case Verdict::revoked:
    return util::fail(util::ErrorKind::permanent,
                      fmt::format("SSH: the host key of {} ({} {}) is marked @revoked in {} line {}", name, key_type,
                                  seen, file, check.listed->line));
  case Verdict::changed:
    return util::fail(
      util::ErrorKind::permanent,
      fmt::format("SSH: the host key of {} has changed: the server presents {} {}, but {} line {} lists {} {}. If "
                  "the server's key was replaced on purpose, remove that line (ssh-keygen -R '{}' -f {}){}",
                  name, key_type, seen, file, check.listed->line, check.listed->type, fingerprint(check.listed->blob),
                  name, file, pinned ? "; the next run pins the new key" : " and add the new key"));
  case Verdict::unknown: break;
  }
  if (!pinned) {
    return util::fail(util::ErrorKind::permanent,
                      fmt::format("SSH: the host key of {} ({} {}) is not listed in SSH_KNOWN_HOSTS_FILE {}; add it "
                                  "(ssh-keyscan -p {} {})",
                                  name, key_type, seen, file, settings.port, settings.host));
  }
  VOLBACK_TRY(append_pin(state_dir, known_hosts_line(name, key_type, blob)));
  log.warn(
    "Trusting the SSH host key seen first; it is pinned and must not change (set SSH_KNOWN_HOSTS_FILE to "
    "name the expected key instead)",
    {{"host", name}, {"key", key_type + " " + seen}, {"file", file}});
  return {};
}

namespace {

// libssh2's signing callback for an RSA key it cannot sign with SHA-2 itself.
int sign_rsa_sha512(LIBSSH2_SESSION*, unsigned char** sig, std::size_t* sig_len, const unsigned char* data,
                    std::size_t data_len, void** abstract) {
  const auto& key = *static_cast<const RsaKey*>(*abstract);
  auto signature = key.sign_sha512({data, data_len});
  if (!signature) {
    return -1;
  }
  // libssh2 frees it with its default deallocator, free().
  *sig = static_cast<unsigned char*>(std::malloc(signature->size()));
  if (*sig == nullptr) {
    return -1;
  }
  std::memcpy(*sig, signature->data(), signature->size());
  *sig_len = signature->size();
  return 0;
}

}  // namespace

// An RSA key signs with rsa-sha2-512 (RFC 8332): the algorithm name goes in the request and
// in the key blob, where OpenSSH reads it as an RSA key. Returns whether it logged in;
// nullopt when the key is not one volback signs itself.
util::Result<std::optional<bool>> SshConnection::login_rsa_sha2(const SftpSettings& settings) {
  auto text = util::read_whole_file(settings.identity_file);
  if (!text) {
    return util::fail(util::ErrorKind::auth, "SSH: cannot read SSH_IDENTITY_FILE: " + text.error().message());
  }
  VOLBACK_TRY_ASSIGN(auto key, RsaKey::parse(*text, settings.passphrase));
  if (!key) {
    return std::optional<bool>();
  }
  const auto blob = key->public_blob("rsa-sha2-512");
  void* abstract = &*key;
  const int rc =
    libssh2_userauth_publickey(m_session, settings.user.c_str(), blob.data(), blob.size(), &sign_rsa_sha512, &abstract);
  if (rc != 0 && is_connection_error(rc)) {
    return util::fail(session_error(m_session, "public key authentication"));
  }
  return std::optional<bool>(rc == 0);
}

util::Result<void> SshConnection::login(const SftpSettings& settings, util::Logger& log) {
  std::string tried;
  struct stat st {};
  if (!settings.identity_file.empty() && ::stat(settings.identity_file.c_str(), &st) == 0) {
    VOLBACK_TRY_ASSIGN(const auto rsa, login_rsa_sha2(settings));
    if (rsa == std::optional<bool>(true)) {
      return {};
    }
    // Not an RSA key volback signs itself, or a server that wants SHA-1: libssh2 tries.
    const int rc = libssh2_userauth_publickey_fromfile_ex(
      m_session, settings.user.c_str(), static_cast<unsigned>(settings.user.size()), nullptr,
      settings.identity_file.c_str(), settings.passphrase.empty() ? nullptr : settings.passphrase.c_str());
    if (rc == 0) {
      return {};
    }
    if (is_connection_error(rc)) {
      return util::fail(session_error(m_session, "public key authentication"));
    }
    tried = fmt::format("public key {} ({})", settings.identity_file, session_message(m_session));
    log.debug("SSH public key authentication failed", {{"file", settings.identity_file}});
  }
  if (!settings.password.empty()) {
    const int rc =
      libssh2_userauth_password_ex(m_session, settings.user.c_str(), static_cast<unsigned>(settings.user.size()),
                                   settings.password.c_str(), static_cast<unsigned>(settings.password.size()), nullptr);
    if (rc == 0) {
      return {};
    }
    if (is_connection_error(rc)) {
      return util::fail(session_error(m_session, "password authentication"));
    }
    tried += std::string(tried.empty() ? "" : ", ") + "password";
  }
  if (tried.empty()) {
    return util::fail(util::ErrorKind::auth,
                      fmt::format("SSH: no credentials for {}: SSH_IDENTITY_FILE {} does not exist and SSH_PASSWORD "
                                  "is not set",
                                  settings.user, settings.identity_file));
  }
  return util::fail(util::ErrorKind::auth, fmt::format("SSH: {}@{} refused the login (tried {})", settings.user,
                                                       known_hosts_name(settings.host, settings.port), tried));
}

util::Error SshConnection::sftp_error(std::string_view what, std::string_view path) const {
  const int code = libssh2_session_last_errno(m_session);
  if (code != LIBSSH2_ERROR_SFTP_PROTOCOL) {
    return session_error(m_session, fmt::format("SFTP {} {}", what, path));
  }
  const unsigned long status = libssh2_sftp_last_error(m_sftp);
  util::ErrorKind kind = util::ErrorKind::permanent;
  std::string text = fmt::format("status {}", status);
  switch (status) {
  case LIBSSH2_FX_NO_SUCH_FILE:
  case LIBSSH2_FX_NO_SUCH_PATH:
    kind = util::ErrorKind::not_found;
    text = "no such file";
    break;
  case LIBSSH2_FX_PERMISSION_DENIED:
    kind = util::ErrorKind::auth;
    text = "permission denied";
    break;
  case LIBSSH2_FX_NO_CONNECTION:
  case LIBSSH2_FX_CONNECTION_LOST:
    kind = util::ErrorKind::transient;
    text = "connection lost";
    break;
  case LIBSSH2_FX_NO_SPACE_ON_FILESYSTEM:
  case LIBSSH2_FX_QUOTA_EXCEEDED: text = "no space left"; break;
  case LIBSSH2_FX_FILE_ALREADY_EXISTS: text = "file exists"; break;
  case LIBSSH2_FX_FAILURE: text = "failure"; break;
  default: break;
  }
  return util::Error(kind, fmt::format("SFTP {} {}: {}", what, path, text));
}

}  // namespace volback::storage::sftp
