#pragma once
// SSH host keys in OpenSSH's known_hosts format, and how a server's key is judged
// against them. Pure.
//
// A line is `[@marker] patterns keytype base64-key [comment]`. Patterns are
// comma-separated host names or addresses, `[host]:port` for ports other than 22, with
// `*` and `?` wildcards and `!` negation, or a hashed name `|1|base64(salt)|base64(hash)`
// where hash = HMAC-SHA1(salt, name) (ssh-keygen -H). `@revoked` marks a key that must
// never be accepted; `@cert-authority` lines (CA keys) are not used. Blank lines and
// lines starting with '#' are skipped, as are lines that do not parse.

#include <cstddef>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace volback::storage::sftp {

struct KnownKey {
  std::string type;                 // "ssh-ed25519", "ecdsa-sha2-nistp256", "ssh-rsa", ...
  std::vector<unsigned char> blob;  // the public key in SSH wire format
  std::size_t line = 0;             // 1-based line number in the file
  bool revoked = false;
};

// How known_hosts names the server: "host" on port 22, else "[host]:port".
std::string known_hosts_name(std::string_view host, unsigned port);

// Whether `name` matches one comma-separated pattern list of a known_hosts line.
bool host_matches(std::string_view patterns, std::string_view name);

// The keys `text` (a known_hosts file) lists for `name` (see known_hosts_name).
std::vector<KnownKey> keys_for_host(std::string_view text, std::string_view name);

enum class Verdict {
  trusted,  // the key is listed for the host
  changed,  // the host is listed, but not with this key
  unknown,  // the host is not listed
  revoked,  // the key is marked @revoked
};

struct HostKeyCheck {
  Verdict verdict = Verdict::unknown;
  const KnownKey* listed = nullptr;  // for changed: the listed key of the same type, else the first listed
};

// Judges the server's key (`type`, `blob`) against the keys listed for its name.
HostKeyCheck check_host_key(std::span<const KnownKey> known, std::string_view type,
                            std::span<const unsigned char> blob);

// OpenSSH's fingerprint: "SHA256:" and the unpadded base64 SHA-256 of the key blob.
std::string fingerprint(std::span<const unsigned char> blob);

// The key type a wire-format blob names (its first string), or "" when malformed.
std::string key_type_of(std::span<const unsigned char> blob);

// A known_hosts line for the server's key: "[host]:port type base64\n".
std::string known_hosts_line(std::string_view name, std::string_view type, std::span<const unsigned char> blob);

}  // namespace volback::storage::sftp
