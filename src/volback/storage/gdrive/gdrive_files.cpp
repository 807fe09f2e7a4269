#include <volback/storage/gdrive/gdrive_files.hpp>

#include <set>

#include <fmt/format.h>

namespace volback::storage::gdrive {

std::string query_literal(std::string_view text) {
  std::string out = "'";
  for (const char c : text) {
    if (c == '\\' || c == '\'') {
      out += '\\';
    }
    out += c;
  }
  return out + "'";
}

std::string list_query(std::string_view folder_id, std::string_view name, NameMatch match) {
  std::string q = fmt::format("{} in parents and trashed = false and mimeType != 'application/vnd.google-apps.folder'",
                              query_literal(folder_id));
  if (match == NameMatch::exact) {
    q += " and name = " + query_literal(name);
  } else if (!name.empty()) {
    q += " and name contains " + query_literal(name);
  }
  return q;
}

QueryParams drive_params(const GdriveSettings& settings, bool listing) {
  QueryParams params{{"supportsAllDrives", "true"}};
  if (listing && !settings.team_drive_id.empty()) {
    params.emplace_back("includeItemsFromAllDrives", "true");
    params.emplace_back("corpora", "drive");
    params.emplace_back("driveId", settings.team_drive_id);
  }
  return params;
}

util::Result<void> list_files(GdriveClient& client, http::Transport& transport, std::string_view name, NameMatch match,
                              const std::function<util::Result<void>(const DriveFile&)>& visit) {
  const auto& settings = client.settings();
  std::string page_token;
  std::set<std::string> seen_tokens;
  for (unsigned page_number = 0;; ++page_number) {
    if (page_number >= k_max_list_pages) {
      return util::fail(util::ErrorKind::corrupt, "Google Drive's listing does not end");
    }
    QueryParams query = drive_params(settings, true);
    query.emplace_back("q", list_query(settings.folder_id, name, match));
    query.emplace_back("pageSize", "1000");
    query.emplace_back("fields", fmt::format("nextPageToken,files({})", k_file_fields));
    if (!page_token.empty()) {
      query.emplace_back("pageToken", page_token);
    }
    DriveRequest request;
    request.url = GdriveClient::url(settings.api_base, "files", query);
    VOLBACK_TRY_ASSIGN(const auto response,
                       client.call(transport, request, fmt::format("files.list in folder {}", settings.folder_id)));
    VOLBACK_TRY_ASSIGN(auto page, parse_file_page(response.body));
    for (const auto& file : page.files) {
      const bool matches = match == NameMatch::exact ? file.name == name : file.name.starts_with(name);
      if (matches) {
        VOLBACK_TRY(visit(file));
      }
    }
    if (page.next_page_token.empty()) {
      return {};
    }
    if (!seen_tokens.insert(page.next_page_token).second) {
      return util::fail(util::ErrorKind::corrupt, "Google Drive's listing repeats a page token");
    }
    page_token = std::move(page.next_page_token);
  }
}

bool is_newer(const DriveFile& a, const DriveFile& b) {
  if (a.created != b.created) {
    return a.created > b.created;
  }
  if (a.modified != b.modified) {
    return a.modified > b.modified;
  }
  return a.id > b.id;
}

util::Result<std::optional<DriveFile>> newest_named(GdriveClient& client, http::Transport& transport,
                                                    std::string_view name) {
  std::optional<DriveFile> newest;
  VOLBACK_TRY(list_files(client, transport, name, NameMatch::exact, [&](const DriveFile& file) -> util::Result<void> {
    if (!newest || is_newer(file, *newest)) {
      newest = file;
    }
    return {};
  }));
  return newest;
}

util::Result<void> delete_file(GdriveClient& client, http::Transport& transport, const DriveFile& file) {
  DriveRequest request;
  request.method = "DELETE";
  request.url = GdriveClient::url(client.settings().api_base, "files/" + http::url_encode(file.id, http::Slash::encode),
                                  drive_params(client.settings(), false));
  auto removed = client.call(transport, request, fmt::format("files.delete {}", file.name));
  if (!removed && removed.error().kind() != util::ErrorKind::not_found) {
    return util::fail(removed.error());
  }
  return {};
}

}  // namespace volback::storage::gdrive
