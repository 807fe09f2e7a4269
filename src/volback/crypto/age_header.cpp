#include <volback/crypto/age_header.hpp>

#include <fmt/format.h>

#include <volback/util/base64.hpp>

namespace volback::crypto {

namespace {

constexpr std::size_t k_line_columns = 64;
constexpr std::size_t k_mac_size = 32;

util::Error header_error(std::string_view why) {
  return util::Error(util::ErrorKind::corrupt, fmt::format("the age header is malformed: {}", why));
}

bool is_argument(std::string_view arg) {
  if (arg.empty()) {
    return false;
  }
  for (const char c : arg) {
    if (c < 33 || c > 126) {
      return false;
    }
  }
  return true;
}

std::vector<std::string> split_args(std::string_view line) {
  std::vector<std::string> args;
  std::size_t start = 0;
  for (;;) {
    const auto space = line.find(' ', start);
    args.emplace_back(line.substr(start, space == std::string_view::npos ? std::string_view::npos : space - start));
    if (space == std::string_view::npos) {
      return args;
    }
    start = space + 1;
  }
}

}  // namespace

std::string encode_age_header_for_mac(const std::vector<AgeStanza>& stanzas) {
  std::string out(k_age_version_line);
  out += '\n';
  for (const auto& stanza : stanzas) {
    out += "-> ";
    out += stanza.type;
    for (const auto& arg : stanza.args) {
      out += ' ';
      out += arg;
    }
    out += '\n';
    const std::string body = util::base64_encode(stanza.body, util::Padding::no);
    std::size_t at = 0;
    for (; body.size() - at >= k_line_columns; at += k_line_columns) {
      out.append(body, at, k_line_columns);
      out += '\n';
    }
    out.append(body, at);
    out += '\n';
  }
  out += "---";
  return out;
}

std::string encode_age_header(const std::vector<AgeStanza>& stanzas, std::string_view mac) {
  std::string out = encode_age_header_for_mac(stanzas);
  out += ' ';
  out += util::base64_encode(mac, util::Padding::no);
  out += '\n';
  return out;
}

util::Result<std::optional<AgeHeader>> parse_age_header(std::string_view data) {
  std::size_t at = 0;
  // The next line without its LF; nullopt when `data` ends first.
  const auto next_line = [&]() -> std::optional<std::string_view> {
    const auto end = data.find('\n', at);
    if (end == std::string_view::npos) {
      return std::nullopt;
    }
    auto line = data.substr(at, end - at);
    at = end + 1;
    return line;
  };
  const auto incomplete = [&]() -> util::Result<std::optional<AgeHeader>> {
    if (data.size() > k_max_age_header_bytes) {
      return util::fail(header_error(fmt::format("it is longer than {} bytes", k_max_age_header_bytes)));
    }
    return std::optional<AgeHeader>{};
  };

  const auto version = next_line();
  if (!version) {
    // Fail early on a stream that cannot become a header.
    const auto seen = data.substr(0, std::min(data.size(), k_age_version_line.size()));
    if (!k_age_version_line.starts_with(seen)) {
      return util::fail(header_error("it does not start with the version line"));
    }
    return incomplete();
  }
  if (*version != k_age_version_line) {
    return util::fail(header_error("the version line is not age-encryption.org/v1"));
  }
  AgeHeader header;
  for (;;) {
    const std::size_t line_start = at;
    const auto line = next_line();
    if (!line) {
      return incomplete();
    }
    if (line->starts_with("--- ") || *line == "---") {
      header.mac_input = std::string(data.substr(0, line_start + 3));
      if (!line->starts_with("--- ")) {
        return util::fail(header_error("the MAC line has no MAC"));
      }
      const auto encoded = line->substr(4);
      const auto mac = util::base64_decode(encoded, util::Padding::no);
      if (!mac || mac->size() != k_mac_size) {
        return util::fail(header_error("the MAC is not 32 bytes of canonical base64"));
      }
      header.mac = *mac;
      header.size = at;
      return std::optional<AgeHeader>(std::move(header));
    }
    if (!line->starts_with("-> ")) {
      return util::fail(header_error("a line that should start a stanza does not start with \"-> \""));
    }
    auto args = split_args(line->substr(3));
    for (const auto& arg : args) {
      if (!is_argument(arg)) {
        return util::fail(
          header_error("a stanza has an empty argument or one with a character other than "
                       "printable ASCII"));
      }
    }
    AgeStanza stanza;
    stanza.type = std::move(args.front());
    stanza.args.assign(std::make_move_iterator(args.begin() + 1), std::make_move_iterator(args.end()));
    std::string encoded;
    for (;;) {
      const auto body_line = next_line();
      if (!body_line) {
        return incomplete();
      }
      if (body_line->size() > k_line_columns) {
        return util::fail(header_error("a stanza body line is longer than 64 columns"));
      }
      encoded += *body_line;
      if (body_line->size() < k_line_columns) {
        break;
      }
    }
    const auto body = util::base64_decode(encoded, util::Padding::no);
    if (!body) {
      return util::fail(header_error("a stanza body is not canonical unpadded base64"));
    }
    stanza.body = *body;
    header.stanzas.push_back(std::move(stanza));
  }
}

}  // namespace volback::crypto
