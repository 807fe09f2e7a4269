#pragma once
// Configuration settings: declared by the module that uses them, resolved from layered
// key→value sources.
//
// Each module declares its settings as SettingSpec constants (name, default, secret or
// not, help) and parses them into its own small struct with the typed getters below,
// so there is no flat config struct. The same declarations drive print-config and its
// redaction.
//
// Resolution rules for a setting NAME, in every layer (later layers override earlier
// ones, e.g. a conf.d file over the environment):
//   - NAME set and non-empty: that value.
//   - NAME_FILE set and non-empty: the file's content, with one trailing "\n" or "\r\n"
//     removed. An unreadable file, one that is not a regular file (a FIFO, a device such
//     as /dev/zero) or one larger than k_max_config_file_bytes (4 MiB) is an
//     invalid_argument error naming NAME_FILE (read_whole_file).
//   - both set in the same layer: invalid_argument ("set either NAME or NAME_FILE").
//   - a variable that is set but empty counts as unset.
//   - neither: the next layer down, and finally the declared default.
// Every error names the variable and shows the value through display_value: never a
// secret's, and never the user info of a URL.

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <volback/util/result.hpp>

namespace volback::util {

// Where a resolved value came from.
enum class Origin {
  default_value,     // the declaration's default
  environment,       // NAME in the process environment
  environment_file,  // NAME_FILE in the process environment
  confd,             // NAME in a conf.d file
  confd_file,        // NAME_FILE in a conf.d file
};

std::string_view to_string(Origin origin);

// How a setting's value may be shown (print-config, error messages):
//   no         as it is, with the user info of any URL in it replaced by ***;
//   yes        never: always ***;
//   user_info  a URL or host[:port] (an endpoint): everything before its '@' is ***,
//              with or without a scheme ("user:pass@host" -> "***@host").
enum class Secret { no, yes, user_info };

// The declaration of one setting. Declare them as `inline constexpr SettingSpec` in the
// owning module's settings header and list them in a span for print-config.
struct SettingSpec {
  std::string_view name;
  std::string_view default_value;  // empty: no default
  Secret secret = Secret::no;
  std::string_view help;
};

// One layer of raw key→value pairs.
class ConfigSource {
 public:
  virtual ~ConfigSource() = default;

  // The raw value of `key`, or nullopt when the key is absent. Empty strings are
  // returned as they are; Settings treats them as unset.
  virtual std::optional<std::string> get(std::string_view key) const = 0;

  // Whether this layer is the environment or a conf.d file, for Origin.
  virtual bool is_confd() const = 0;

  // "environment" or the conf.d file's path, for messages.
  virtual std::string describe() const = 0;
};

// A ConfigSource over a map; for the environment snapshot and for tests.
class MapSource final : public ConfigSource {
 public:
  MapSource(std::map<std::string, std::string, std::less<>> values, std::string description, bool confd = false)
    : m_values(std::move(values)), m_description(std::move(description)), m_confd(confd) {}

  std::optional<std::string> get(std::string_view key) const override;
  bool is_confd() const override { return m_confd; }
  std::string describe() const override { return m_description; }

 private:
  std::map<std::string, std::string, std::less<>> m_values;
  std::string m_description;
  bool m_confd;
};

// Reads a NAME_FILE's content. Injected so unit tests need no files.
using FileReader = std::function<Result<std::string>(const std::string& path)>;

// The most a configuration file may hold: a NAME_FILE's content, a conf.d file, a CA
// bundle. Env files and certificates are far smaller; a GPG public key ring in a
// NAME_FILE still fits.
inline constexpr std::size_t k_max_config_file_bytes = 4 * 1024 * 1024;

// Reads a file from the real filesystem, bounded in time and memory:
//   - only a regular file (or a symlink to one) is read; a FIFO, socket, device or
//     directory is refused without reading (and a FIFO never blocks: it is opened with
//     O_NONBLOCK, and checked with fstat on the opened descriptor);
//   - at most `max_bytes` are read (max_bytes + 1 to notice more); a larger file is
//     refused.
// Errors name the path: not_found when it does not exist, invalid_argument for a file
// that is not regular or too large, permanent for other I/O errors. Never the content.
Result<std::string> read_regular_file(const std::string& path, std::size_t max_bytes);

// read_regular_file with the configuration limit, k_max_config_file_bytes: how volback
// reads NAME_FILE contents, conf.d files, CA bundles and its own small state files.
Result<std::string> read_whole_file(const std::string& path);

struct ResolvedValue {
  std::string value;
  Origin origin = Origin::default_value;
  std::string where;  // "environment", the conf.d path, or the NAME_FILE path
};

class Settings {
 public:
  // `layers` go from lowest to highest precedence; each must outlive this object.
  explicit Settings(std::vector<const ConfigSource*> layers, FileReader reader = read_whole_file);

  // These settings with `top` above every layer (values that one setting implies for
  // others, such as a repository URL's bucket). `top` must outlive the result.
  Settings with_top_layer(const ConfigSource& top) const;

  // The resolved raw value, or the default (nullopt when there is none).
  Result<std::optional<ResolvedValue>> lookup(const SettingSpec& spec) const;

  // Whether NAME or NAME_FILE is set to a non-empty value in any layer.
  bool is_set(std::string_view name) const;

  // The raw value of any variable (no NAME_FILE handling), highest layer first; used by
  // $VAR expansion. Empty and absent both give nullopt.
  std::optional<std::string> raw(std::string_view name) const;

  // Typed getters. Each returns the value or the default and fails with
  // invalid_argument naming the variable, the value (unless secret) and what is allowed.
  Result<std::string> get_string(const SettingSpec& spec) const;
  Result<std::optional<std::string>> get_optional(const SettingSpec& spec) const;
  // Go's strconv.ParseBool: 1 t T TRUE true True 0 f F FALSE false False.
  Result<bool> get_bool(const SettingSpec& spec) const;
  // A decimal integer within [min, max].
  Result<std::int64_t> get_int(const SettingSpec& spec, std::int64_t min, std::int64_t max) const;
  // A Go duration ("90s", "1h30m", "-1.5h"); see duration.hpp.
  Result<std::chrono::nanoseconds> get_duration(const SettingSpec& spec) const;
  // One of `allowed`, compared exactly.
  Result<std::string> get_choice(const SettingSpec& spec, std::span<const std::string_view> allowed) const;
  // A comma-separated list; items are trimmed, empty items dropped.
  Result<std::vector<std::string>> get_list(const SettingSpec& spec) const;

  // An invalid_argument error in the standard form:
  //   invalid value "bz2" for BACKUP_COMPRESSION: must be one of gz, zst, none
  // The value is shown through display_value.
  static Error invalid(const SettingSpec& spec, std::string_view value, std::string_view why);

  // `value` as it may be shown for `spec` (see Secret): "***" for a secret, the
  // endpoint with its user info redacted for Secret::user_info, else the value with the
  // user info of every URL in it redacted (util/redact.hpp).
  static std::string display_value(const SettingSpec& spec, std::string_view value);

 private:
  std::vector<const ConfigSource*> m_layers;
  FileReader m_reader;
};

}  // namespace volback::util
