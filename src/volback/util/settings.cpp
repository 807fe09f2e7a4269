#include <volback/util/settings.hpp>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <charconv>
#include <limits>

#include <fmt/format.h>

#include <volback/util/duration.hpp>
#include <volback/util/redact.hpp>
#include <volback/util/trim.hpp>

namespace volback::util {

namespace {

constexpr std::array<std::string_view, 6> k_true_spellings{"1", "t", "T", "TRUE", "true", "True"};
constexpr std::array<std::string_view, 6> k_false_spellings{"0", "f", "F", "FALSE", "false", "False"};

bool contains(std::span<const std::string_view> values, std::string_view value) {
  for (const auto candidate : values) {
    if (candidate == value) {
      return true;
    }
  }
  return false;
}

std::string join(std::span<const std::string_view> values) {
  std::string out;
  for (const auto value : values) {
    if (!out.empty()) {
      out += ", ";
    }
    out += value;
  }
  return out;
}

std::optional<std::string> non_empty(std::optional<std::string> value) {
  if (value && value->empty()) {
    return std::nullopt;
  }
  return value;
}

// NAME_FILE content is a secret's or a value's text; editors add a final newline that
// is not part of it.
void trim_one_newline(std::string& content) {
  if (content.ends_with("\r\n")) {
    content.resize(content.size() - 2);
  } else if (content.ends_with('\n')) {
    content.pop_back();
  }
}

std::string range_text(std::int64_t min, std::int64_t max) {
  constexpr auto k_min = std::numeric_limits<std::int64_t>::min();
  constexpr auto k_max = std::numeric_limits<std::int64_t>::max();
  if (min == k_min && max == k_max) {
    return "must be an integer";
  }
  if (max == k_max) {
    return fmt::format("must be an integer of at least {}", min);
  }
  if (min == k_min) {
    return fmt::format("must be an integer of at most {}", max);
  }
  return fmt::format("must be an integer between {} and {}", min, max);
}

// A whole decimal integer with an optional sign, like Go's strconv.Atoi.
std::optional<std::int64_t> parse_int(std::string_view text) {
  std::string_view digits = text;
  if (!digits.empty() && digits.front() == '+') {
    digits.remove_prefix(1);
    if (!digits.empty() && digits.front() == '-') {
      return std::nullopt;
    }
  }
  if (digits.empty()) {
    return std::nullopt;
  }
  std::int64_t value = 0;
  const auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), value, 10);
  if (ec != std::errc{} || end != digits.data() + digits.size()) {
    return std::nullopt;
  }
  return value;
}

std::string_view file_type(mode_t mode) {
  if (S_ISDIR(mode))
    return "a directory";
  if (S_ISFIFO(mode))
    return "a FIFO";
  if (S_ISSOCK(mode))
    return "a socket";
  if (S_ISCHR(mode))
    return "a character device";
  if (S_ISBLK(mode))
    return "a block device";
  return "not a regular file";
}

Error not_regular(const std::string& path, mode_t mode) {
  return Error(ErrorKind::invalid_argument,
               fmt::format("\"{}\" is {}; only a regular file (or a symlink to one) is read", path, file_type(mode)));
}

std::string size_text(std::size_t bytes) {
  constexpr std::size_t k_mib = 1024 * 1024;
  if (bytes % k_mib == 0) {
    return fmt::format("{} MiB", bytes / k_mib);
  }
  return fmt::format("{} bytes", bytes);
}

Error too_large(const std::string& path, std::size_t max_bytes) {
  return Error(ErrorKind::invalid_argument,
               fmt::format("\"{}\" is larger than {}, the most volback reads from a configuration file", path,
                           size_text(max_bytes)));
}

}  // namespace

std::string_view to_string(Origin origin) {
  switch (origin) {
  case Origin::default_value: return "default";
  case Origin::environment: return "environment";
  case Origin::environment_file: return "environment_file";
  case Origin::confd: return "confd";
  case Origin::confd_file: return "confd_file";
  }
  return "unknown";
}

std::optional<std::string> MapSource::get(std::string_view key) const {
  const auto it = m_values.find(key);
  if (it == m_values.end()) {
    return std::nullopt;
  }
  return it->second;
}

Result<std::string> read_regular_file(const std::string& path, std::size_t max_bytes) {
  // stat first, so that a device or FIFO is refused without even being opened (opening
  // some devices has side effects); fstat after the open decides.
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) {
    return fail(errno_error(errno, fmt::format("cannot open \"{}\"", path)));
  }
  if (!S_ISREG(st.st_mode)) {
    return fail(not_regular(path, st.st_mode));
  }
  const int fd = ::open(path.c_str(), O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
  if (fd < 0) {
    return fail(errno_error(errno, fmt::format("cannot open \"{}\"", path)));
  }
  const auto close_fd = [fd] { ::close(fd); };
  if (::fstat(fd, &st) != 0) {
    const int err = errno;
    close_fd();
    return fail(errno_error(err, fmt::format("cannot stat \"{}\"", path)));
  }
  if (!S_ISREG(st.st_mode)) {  // replaced between the stat and the open
    close_fd();
    return fail(not_regular(path, st.st_mode));
  }
  if (static_cast<std::uint64_t>(st.st_size) > max_bytes) {
    close_fd();
    return fail(too_large(path, max_bytes));
  }
  // st_size is only a hint (a file in /proc reports 0, a file may grow): read at most
  // one byte more than allowed to tell "exactly the limit" from "more".
  std::string content;
  std::array<char, 8192> buffer{};
  while (content.size() <= max_bytes) {
    const std::size_t want = std::min(buffer.size(), max_bytes + 1 - content.size());
    const ssize_t n = ::read(fd, buffer.data(), want);
    if (n < 0) {
      if (errno == EINTR) {
        continue;
      }
      const int err = errno;
      close_fd();
      return fail(errno_error(err, fmt::format("cannot read \"{}\"", path)));
    }
    if (n == 0) {
      break;
    }
    content.append(buffer.data(), static_cast<std::size_t>(n));
  }
  close_fd();
  if (content.size() > max_bytes) {
    return fail(too_large(path, max_bytes));
  }
  return content;
}

Result<std::string> read_whole_file(const std::string& path) {
  return read_regular_file(path, k_max_config_file_bytes);
}

Settings::Settings(std::vector<const ConfigSource*> layers, FileReader reader)
  : m_layers(std::move(layers)), m_reader(std::move(reader)) {}

Settings Settings::with_top_layer(const ConfigSource& top) const {
  auto layers = m_layers;
  layers.push_back(&top);
  return Settings(std::move(layers), m_reader);
}

Result<std::optional<ResolvedValue>> Settings::lookup(const SettingSpec& spec) const {
  const std::string name(spec.name);
  const std::string file_name = name + "_FILE";
  for (auto it = m_layers.rbegin(); it != m_layers.rend(); ++it) {
    const ConfigSource& layer = **it;
    auto value = non_empty(layer.get(name));
    auto file = non_empty(layer.get(file_name));
    if (value && file) {
      return fail(ErrorKind::invalid_argument,
                  fmt::format("set either {} or {}, not both (both are set in {})", name, file_name, layer.describe()));
    }
    if (value) {
      return ResolvedValue{std::move(*value), layer.is_confd() ? Origin::confd : Origin::environment, layer.describe()};
    }
    if (file) {
      auto content = m_reader(*file);
      if (!content) {
        const std::string& reason = content.error().message();
        // read_whole_file names the path itself; an injected reader might not.
        if (reason.find(*file) != std::string::npos) {
          return fail(ErrorKind::invalid_argument, fmt::format("{}: {}", file_name, reason));
        }
        return fail(ErrorKind::invalid_argument, fmt::format("{}: cannot read \"{}\": {}", file_name, *file, reason));
      }
      trim_one_newline(*content);
      return ResolvedValue{std::move(*content), layer.is_confd() ? Origin::confd_file : Origin::environment_file,
                           std::move(*file)};
    }
  }
  if (spec.default_value.empty()) {
    return std::optional<ResolvedValue>{};
  }
  return ResolvedValue{std::string(spec.default_value), Origin::default_value, "default"};
}

bool Settings::is_set(std::string_view name) const {
  const std::string file_name = std::string(name) + "_FILE";
  for (const auto* layer : m_layers) {
    if (non_empty(layer->get(name)) || non_empty(layer->get(file_name))) {
      return true;
    }
  }
  return false;
}

std::optional<std::string> Settings::raw(std::string_view name) const {
  for (auto it = m_layers.rbegin(); it != m_layers.rend(); ++it) {
    if (auto value = non_empty((*it)->get(name))) {
      return value;
    }
  }
  return std::nullopt;
}

Result<std::string> Settings::get_string(const SettingSpec& spec) const {
  VOLBACK_TRY_ASSIGN(auto resolved, lookup(spec));
  if (!resolved) {
    return std::string{};
  }
  return std::move(resolved->value);
}

Result<std::optional<std::string>> Settings::get_optional(const SettingSpec& spec) const {
  VOLBACK_TRY_ASSIGN(auto resolved, lookup(spec));
  if (!resolved) {
    return std::optional<std::string>{};
  }
  return std::optional<std::string>{std::move(resolved->value)};
}

// A setting without a value and without a default gets Go's zero value in every typed
// getter below (false, 0, 0s, "", an empty list), as envconfig does.
Result<bool> Settings::get_bool(const SettingSpec& spec) const {
  VOLBACK_TRY_ASSIGN(auto resolved, lookup(spec));
  if (!resolved) {
    return false;
  }
  if (contains(k_true_spellings, resolved->value)) {
    return true;
  }
  if (contains(k_false_spellings, resolved->value)) {
    return false;
  }
  return fail(
    invalid(spec, resolved->value, "must be a boolean: 1, t, T, TRUE, true, True, 0, f, F, FALSE, false or False"));
}

Result<std::int64_t> Settings::get_int(const SettingSpec& spec, std::int64_t min, std::int64_t max) const {
  VOLBACK_TRY_ASSIGN(auto resolved, lookup(spec));
  const std::string text = resolved ? resolved->value : std::string("0");
  const auto value = parse_int(text);
  if (!value || *value < min || *value > max) {
    return fail(invalid(spec, resolved ? resolved->value : std::string{}, range_text(min, max)));
  }
  return *value;
}

Result<std::chrono::nanoseconds> Settings::get_duration(const SettingSpec& spec) const {
  VOLBACK_TRY_ASSIGN(auto resolved, lookup(spec));
  if (!resolved) {
    return std::chrono::nanoseconds{0};
  }
  auto parsed = parse_go_duration(resolved->value);
  if (!parsed) {
    // Keep the parser's reason, without its own repetition of the value.
    std::string_view reason = parsed.error().message();
    const std::string prefix = fmt::format("invalid duration \"{}\": ", resolved->value);
    if (reason.starts_with(prefix)) {
      reason.remove_prefix(prefix.size());
    }
    return fail(invalid(spec, resolved->value, reason));
  }
  return *parsed;
}

Result<std::string> Settings::get_choice(const SettingSpec& spec, std::span<const std::string_view> allowed) const {
  VOLBACK_TRY_ASSIGN(auto resolved, lookup(spec));
  std::string value = resolved ? std::move(resolved->value) : std::string{};
  if (!contains(allowed, value)) {
    return fail(invalid(spec, value, fmt::format("must be one of {}", join(allowed))));
  }
  return value;
}

Result<std::vector<std::string>> Settings::get_list(const SettingSpec& spec) const {
  VOLBACK_TRY_ASSIGN(auto resolved, lookup(spec));
  std::vector<std::string> items;
  if (!resolved) {
    return items;
  }
  std::string_view rest = resolved->value;
  for (;;) {
    const auto comma = rest.find(',');
    const std::string_view item = trim(rest.substr(0, comma));
    if (!item.empty()) {
      items.emplace_back(item);
    }
    if (comma == std::string_view::npos) {
      break;
    }
    rest.remove_prefix(comma + 1);
  }
  return items;
}

Error Settings::invalid(const SettingSpec& spec, std::string_view value, std::string_view why) {
  return Error(ErrorKind::invalid_argument,
               fmt::format("invalid value \"{}\" for {}: {}", display_value(spec, value), spec.name, why));
}

std::string Settings::display_value(const SettingSpec& spec, std::string_view value) {
  switch (spec.secret) {
  case Secret::yes: return std::string(k_redacted);
  case Secret::user_info: return redact_endpoint_userinfo(value);
  case Secret::no: break;
  }
  return redact_url_userinfo(value);
}

}  // namespace volback::util
