#include <volback/storage/gdrive/gdrive_json.hpp>

#include <algorithm>
#include <cctype>
#include <optional>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <volback/storage/http_time.hpp>
#include <volback/util/terminal_text.hpp>

namespace volback::storage::gdrive {

namespace {

using json = nlohmann::json;

util::Error reply_error(std::string_view what) {
  return util::Error(util::ErrorKind::corrupt, fmt::format("Google Drive sent an invalid reply: {}", what));
}

util::Result<json> parse_object(std::string_view text) {
  if (text.size() > k_max_reply_bytes) {
    return util::fail(reply_error("too large"));
  }
  json parsed = json::parse(text, nullptr, false);
  if (parsed.is_discarded() || !parsed.is_object()) {
    return util::fail(reply_error("not a JSON object"));
  }
  return parsed;
}

// The string member `name`: nullopt when absent or null, an error when mistyped or too long.
util::Result<std::optional<std::string>> drive_string(const json& object, const char* name) {
  const auto it = object.find(name);
  if (it == object.end() || it->is_null()) {
    return std::optional<std::string>();
  }
  if (!it->is_string()) {
    return util::fail(reply_error(fmt::format("\"{}\" is not a string", name)));
  }
  const auto& value = it->get_ref<const std::string&>();
  if (value.size() > k_max_field_bytes) {
    return util::fail(reply_error(fmt::format("\"{}\" is too long", name)));
  }
  return std::optional<std::string>(value);
}

util::Result<std::string> required_string(const json& object, const char* name) {
  VOLBACK_TRY_ASSIGN(auto value, drive_string(object, name));
  if (!value || value->empty()) {
    return util::fail(reply_error(fmt::format("\"{}\" is missing", name)));
  }
  return std::move(*value);
}

util::Result<std::uint64_t> parse_size(const json& object) {
  const auto it = object.find("size");
  if (it == object.end() || it->is_null()) {
    return std::uint64_t{0};  // Drive leaves it out for empty files in some answers
  }
  if (it->is_number_unsigned()) {
    return it->get<std::uint64_t>();
  }
  if (!it->is_string()) {
    return util::fail(reply_error("\"size\" is not a number"));
  }
  const auto& text = it->get_ref<const std::string&>();
  if (text.empty() || text.size() > 19 ||
      !std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    return util::fail(reply_error("\"size\" is not a decimal number"));
  }
  return std::stoull(text);
}

util::Result<util::TimePoint> parse_time(const json& object, const char* name) {
  VOLBACK_TRY_ASSIGN(const auto text, drive_string(object, name));
  if (!text) {
    return util::fail(reply_error(fmt::format("\"{}\" is missing", name)));
  }
  auto parsed = parse_iso8601(*text);
  if (!parsed) {
    return util::fail(reply_error(fmt::format("\"{}\" is not an RFC 3339 time", name)));
  }
  return *parsed;
}

util::Result<DriveFile> file_from(const json& object) {
  if (!object.is_object()) {
    return util::fail(reply_error("a file is not an object"));
  }
  DriveFile out;
  VOLBACK_TRY_ASSIGN(out.id, required_string(object, "id"));
  VOLBACK_TRY_ASSIGN(out.name, required_string(object, "name"));
  VOLBACK_TRY_ASSIGN(out.size, parse_size(object));
  VOLBACK_TRY_ASSIGN(out.created, parse_time(object, "createdTime"));
  VOLBACK_TRY_ASSIGN(out.modified, parse_time(object, "modifiedTime"));
  return out;
}

// Printable text only, one line, at most 200 characters.
std::string short_text(std::string_view text) {
  constexpr std::size_t k_shown = 200;
  const auto nl = text.find_first_of("\r\n");
  text = text.substr(0, nl);
  std::string out = util::escape_for_terminal(text.substr(0, k_shown));
  if (text.size() > k_shown) {
    out += "...";
  }
  return out;
}

}  // namespace

util::Result<DriveFile> parse_drive_file(std::string_view text) {
  VOLBACK_TRY_ASSIGN(const json object, parse_object(text));
  return file_from(object);
}

util::Result<FilePage> parse_file_page(std::string_view text) {
  VOLBACK_TRY_ASSIGN(const json object, parse_object(text));
  FilePage page;
  const auto files = object.find("files");
  if (files == object.end() || !files->is_array()) {
    return util::fail(reply_error("\"files\" is not a list"));
  }
  if (files->size() > k_max_page_files) {
    return util::fail(reply_error("a page lists too many files"));
  }
  page.files.reserve(files->size());
  for (const auto& entry : *files) {
    VOLBACK_TRY_ASSIGN(auto file, file_from(entry));
    page.files.push_back(std::move(file));
  }
  VOLBACK_TRY_ASSIGN(const auto token, drive_string(object, "nextPageToken"));
  page.next_page_token = token.value_or("");
  return page;
}

util::Result<AccessToken> parse_access_token(std::string_view text) {
  VOLBACK_TRY_ASSIGN(const json object, parse_object(text));
  AccessToken out;
  VOLBACK_TRY_ASSIGN(out.value, required_string(object, "access_token"));
  if (!std::all_of(out.value.begin(), out.value.end(), [](char c) { return c > 0x20 && c < 0x7f; })) {
    return util::fail(reply_error("\"access_token\" holds characters a header cannot carry"));
  }
  VOLBACK_TRY_ASSIGN(const auto type, drive_string(object, "token_type"));
  if (type) {
    std::string lower = *type;
    std::transform(lower.begin(), lower.end(), lower.begin(), [](unsigned char c) { return std::tolower(c); });
    if (lower != "bearer") {
      return util::fail(reply_error("\"token_type\" is not Bearer"));
    }
  }
  const auto expires = object.find("expires_in");
  if (expires != object.end() && !expires->is_null()) {
    if (!expires->is_number_integer() || expires->get<std::int64_t>() <= 0) {
      return util::fail(reply_error("\"expires_in\" is not a positive number of seconds"));
    }
    out.expires_in = std::min<std::int64_t>(expires->get<std::int64_t>(), 24 * 3600);
  }
  return out;
}

ErrorDetail parse_error_detail(std::string_view text) {
  ErrorDetail out;
  if (text.size() > k_max_reply_bytes) {
    return out;
  }
  const json parsed = json::parse(text, nullptr, false);
  if (parsed.is_discarded() || !parsed.is_object()) {
    return out;
  }
  const auto error = parsed.find("error");
  if (error == parsed.end()) {
    return out;
  }
  if (error->is_string()) {  // the token endpoint's shape (RFC 6749 §5.2)
    out.reason = short_text(error->get_ref<const std::string&>());
    const auto description = parsed.find("error_description");
    if (description != parsed.end() && description->is_string()) {
      out.message = short_text(description->get_ref<const std::string&>());
    }
    return out;
  }
  if (!error->is_object()) {
    return out;
  }
  const auto message = error->find("message");
  if (message != error->end() && message->is_string()) {
    out.message = short_text(message->get_ref<const std::string&>());
  }
  const auto errors = error->find("errors");
  if (errors != error->end() && errors->is_array() && !errors->empty() && (*errors)[0].is_object()) {
    const auto reason = (*errors)[0].find("reason");
    if (reason != (*errors)[0].end() && reason->is_string()) {
      out.reason = short_text(reason->get_ref<const std::string&>());
    }
  }
  return out;
}

}  // namespace volback::storage::gdrive
