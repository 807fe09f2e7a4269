#include <volback/storage/dropbox/dropbox_json.hpp>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <volback/storage/http_time.hpp>
#include <volback/util/json_depth.hpp>

namespace volback::storage::dropbox {

namespace {

using Json = nlohmann::json;

constexpr std::size_t k_max_json_depth = 32;
constexpr std::size_t k_max_text_field = 4096;

util::Error reply_error(std::string_view what, std::string_view why) {
  return util::Error(util::ErrorKind::permanent, fmt::format("Dropbox {}: {}", what, why));
}

util::Result<Json> parse_object(std::string_view body, std::string_view what) {
  if (body.size() > k_max_reply_bytes) {
    return util::fail(reply_error(what, fmt::format("a reply of {} bytes is too large", body.size())));
  }
  if (util::json_nests_deeper_than(body, k_max_json_depth)) {
    return util::fail(reply_error(what, "the reply is nested too deeply"));
  }
  Json json = Json::parse(body, nullptr, false);
  if (json.is_discarded() || !json.is_object()) {
    return util::fail(reply_error(what, "the reply is not a JSON object"));
  }
  return json;
}

// The string field `name` of `object`, bounded. Errors when missing or not a string.
util::Result<std::string> text_field(const Json& object, std::string_view name, std::string_view what) {
  const auto it = object.find(name);
  if (it == object.end() || !it->is_string()) {
    return util::fail(reply_error(what, fmt::format("the reply has no string \"{}\"", name)));
  }
  const auto& text = it->get_ref<const std::string&>();
  if (text.empty() || text.size() > k_max_text_field) {
    return util::fail(reply_error(what, fmt::format("\"{}\" is empty or too long", name)));
  }
  return text;
}

std::optional<std::string> optional_text(const Json& object, std::string_view name) {
  const auto it = object.find(name);
  if (it == object.end() || !it->is_string() || it->get_ref<const std::string&>().size() > k_max_text_field) {
    return std::nullopt;
  }
  return it->get<std::string>();
}

std::optional<std::int64_t> optional_integer(const Json& object, std::string_view name) {
  const auto it = object.find(name);
  if (it == object.end() || !it->is_number_integer()) {
    return std::nullopt;
  }
  return it->get<std::int64_t>();
}

std::optional<std::uint64_t> optional_unsigned(const Json& object, std::string_view name) {
  const auto it = object.find(name);
  if (it == object.end() || !it->is_number_unsigned()) {
    return std::nullopt;
  }
  return it->get<std::uint64_t>();
}

std::string summary_of_text(std::string_view body) {
  body = body.substr(0, std::min(body.find_first_of("\r\n"), body.size()));
  return std::string(body.substr(0, 200));
}

util::Result<Metadata> metadata_of(const Json& entry, std::string_view what) {
  if (!entry.is_object()) {
    return util::fail(reply_error(what, "an entry is not a JSON object"));
  }
  VOLBACK_TRY_ASSIGN(const std::string tag, text_field(entry, ".tag", what));
  Metadata out;
  VOLBACK_TRY_ASSIGN(out.name, text_field(entry, "name", what));
  if (tag == "folder") {
    out.kind = Metadata::Kind::folder;
  } else if (tag == "deleted") {
    out.kind = Metadata::Kind::deleted;
  } else if (tag != "file") {
    return util::fail(reply_error(what, fmt::format("an entry of unknown kind \"{}\"", summary_of_text(tag))));
  }
  if (out.kind == Metadata::Kind::deleted) {
    out.path_display = optional_text(entry, "path_display").value_or(out.name);
    return out;
  }
  VOLBACK_TRY_ASSIGN(out.path_display, text_field(entry, "path_display", what));
  if (out.kind == Metadata::Kind::folder) {
    return out;
  }
  const auto size = optional_unsigned(entry, "size");
  if (!size) {
    return util::fail(reply_error(what, fmt::format("the file \"{}\" has no size", out.path_display)));
  }
  out.size = *size;
  VOLBACK_TRY_ASSIGN(const std::string modified, text_field(entry, "server_modified", what));
  auto parsed = parse_iso8601(modified);
  if (!parsed) {
    return util::fail(
      reply_error(what, fmt::format("the file \"{}\" has an invalid server_modified", out.path_display)));
  }
  out.server_modified = *parsed;
  return out;
}

std::string dump_ascii(const Json& json) {
  return json.dump(-1, ' ', true, Json::error_handler_t::replace);
}

}  // namespace

util::Result<TokenReply> parse_token_reply(std::string_view body) {
  constexpr std::string_view what = "token reply";
  VOLBACK_TRY_ASSIGN(const Json json, parse_object(body, what));
  TokenReply out;
  VOLBACK_TRY_ASSIGN(out.access_token, text_field(json, "access_token", what));
  if (const auto it = json.find("expires_in"); it != json.end()) {
    if (!it->is_number_integer() || it->get<std::int64_t>() <= 0) {
      return util::fail(reply_error(what, "\"expires_in\" is not a positive number of seconds"));
    }
    out.expires_in = it->get<std::int64_t>();
  }
  return out;
}

ErrorReply parse_error_reply(std::string_view body) {
  ErrorReply out;
  Json json;
  if (body.size() <= k_max_reply_bytes && !util::json_nests_deeper_than(body, k_max_json_depth)) {
    json = Json::parse(body, nullptr, false);
  }
  if (json.is_discarded() || !json.is_object()) {
    out.summary = summary_of_text(body);
    return out;
  }
  out.summary = summary_of_text(optional_text(json, "error_summary").value_or(""));
  const auto error = json.find("error");
  if (error == json.end()) {
    return out;
  }
  if (error->is_string()) {  // OAuth2: {"error": "invalid_grant", "error_description": "..."}
    out.tag = summary_of_text(error->get_ref<const std::string&>());
    if (out.summary.empty()) {
      out.summary = out.tag;
      if (const auto description = optional_text(json, "error_description")) {
        out.summary += ": " + summary_of_text(*description);
      }
    }
    return out;
  }
  if (!error->is_object()) {
    return out;
  }
  out.tag = summary_of_text(optional_text(*error, ".tag").value_or(""));
  out.retry_after = optional_integer(*error, "retry_after");
  // The lookup error of an append or finish: {".tag": "incorrect_offset", "correct_offset": N},
  // at the top of the error or under "lookup_failed".
  for (const Json* level : {&*error, error->contains("lookup_failed") ? &(*error)["lookup_failed"] : nullptr}) {
    if (level != nullptr && level->is_object()) {
      if (const auto offset = optional_unsigned(*level, "correct_offset")) {
        out.correct_offset = offset;
      }
    }
  }
  return out;
}

util::Result<Metadata> parse_metadata(std::string_view body) {
  constexpr std::string_view what = "metadata reply";
  VOLBACK_TRY_ASSIGN(const Json json, parse_object(body, what));
  return metadata_of(json, what);
}

util::Result<FolderPage> parse_folder_page(std::string_view body) {
  constexpr std::string_view what = "list_folder reply";
  VOLBACK_TRY_ASSIGN(const Json json, parse_object(body, what));
  const auto entries = json.find("entries");
  if (entries == json.end() || !entries->is_array()) {
    return util::fail(reply_error(what, "the reply has no \"entries\" array"));
  }
  if (entries->size() > k_max_page_entries) {
    return util::fail(reply_error(what, fmt::format("a page of {} entries is too large", entries->size())));
  }
  FolderPage out;
  const auto has_more = json.find("has_more");
  if (has_more == json.end() || !has_more->is_boolean()) {
    return util::fail(reply_error(what, "the reply has no boolean \"has_more\""));
  }
  out.has_more = has_more->get<bool>();
  if (out.has_more) {
    VOLBACK_TRY_ASSIGN(out.cursor, text_field(json, "cursor", what));
  }
  out.entries.reserve(entries->size());
  for (const auto& entry : *entries) {
    VOLBACK_TRY_ASSIGN(auto metadata, metadata_of(entry, what));
    out.entries.push_back(std::move(metadata));
  }
  return out;
}

util::Result<std::string> parse_session_id(std::string_view body) {
  constexpr std::string_view what = "upload_session/start reply";
  VOLBACK_TRY_ASSIGN(const Json json, parse_object(body, what));
  return text_field(json, "session_id", what);
}

std::string path_arg(std::string_view path) {
  return dump_ascii(Json{{"path", path}});
}

std::string create_folder_arg(std::string_view path) {
  return dump_ascii(Json{{"path", path}, {"autorename", false}});
}

std::string list_folder_arg(std::string_view path, bool recursive) {
  return dump_ascii(Json{{"path", path}, {"recursive", recursive}, {"include_deleted", false}, {"limit", 2000}});
}

std::string cursor_arg(std::string_view cursor) {
  return dump_ascii(Json{{"cursor", cursor}});
}

std::string session_start_arg(bool concurrent) {
  return dump_ascii(Json{{"close", false}, {"session_type", Json{{".tag", concurrent ? "concurrent" : "sequential"}}}});
}

std::string append_arg(std::string_view session_id, std::uint64_t offset, bool close) {
  return dump_ascii(Json{{"cursor", Json{{"session_id", session_id}, {"offset", offset}}}, {"close", close}});
}

std::string finish_arg(std::string_view session_id, std::uint64_t offset, std::string_view path) {
  return dump_ascii(Json{{"cursor", Json{{"session_id", session_id}, {"offset", offset}}},
                         {"commit", Json{{"path", path},
                                         {"mode", Json{{".tag", "overwrite"}}},
                                         {"autorename", false},
                                         {"mute", true},
                                         {"strict_conflict", false}}}});
}

std::string upload_arg(std::string_view path) {
  return dump_ascii(Json{{"path", path},
                         {"mode", Json{{".tag", "overwrite"}}},
                         {"autorename", false},
                         {"mute", true},
                         {"strict_conflict", false}});
}

}  // namespace volback::storage::dropbox
