#include <volback/storage/webdav/webdav_xml.hpp>

#include <charconv>

#include <volback/storage/xml_tree.hpp>
#include <volback/util/hex_digit.hpp>

namespace volback::storage::webdav {

namespace {

std::string trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\n' || s.front() == '\r' || s.front() == '\t')) {
    s.remove_prefix(1);
  }
  while (!s.empty() && (s.back() == ' ' || s.back() == '\n' || s.back() == '\r' || s.back() == '\t')) {
    s.remove_suffix(1);
  }
  return std::string(s);
}

std::string path_of(std::string_view href) {
  if (const auto scheme = href.find("://"); scheme != std::string_view::npos) {
    const auto slash = href.find('/', scheme + 3);
    href = slash == std::string_view::npos ? std::string_view("/") : href.substr(slash);
  }
  std::string path = percent_decode(href);
  while (path.size() > 1 && path.back() == '/') {
    path.pop_back();
  }
  if (path == "/") {
    path.clear();
  }
  return path;
}

bool status_ok(std::string_view status) {
  // "HTTP/1.1 200 OK"
  const auto space = status.find(' ');
  return space != std::string_view::npos && status.substr(space + 1, 3) == "200";
}

}  // namespace

std::string percent_decode(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '%' && i + 2 < text.size()) {
      const int hi = util::hex_digit_value(text[i + 1]);
      const int lo = util::hex_digit_value(text[i + 2]);
      if (hi >= 0 && lo >= 0) {
        out += static_cast<char>(hi * 16 + lo);
        i += 2;
        continue;
      }
    }
    out += text[i];
  }
  return out;
}

util::Result<std::vector<DavEntry>> parse_multistatus(std::string_view xml) {
  VOLBACK_TRY_ASSIGN(auto doc, parse_xml(xml, "the WebDAV server"));
  if (doc->name != "multistatus") {
    return util::fail(util::ErrorKind::corrupt,
                      "unexpected WebDAV answer: <" + doc->name + "> instead of <multistatus>");
  }
  std::vector<DavEntry> entries;
  for (const auto& response : doc->children) {
    if (response->name != "response") {
      continue;
    }
    DavEntry entry;
    entry.path = path_of(trim(response->child_text("href")));
    for (const auto& propstat : response->children) {
      if (propstat->name != "propstat" || !status_ok(trim(propstat->child_text("status")))) {
        continue;
      }
      const XmlNode* prop = propstat->child("prop");
      if (prop == nullptr) {
        continue;
      }
      if (const XmlNode* type = prop->child("resourcetype"); type != nullptr) {
        entry.collection = type->child("collection") != nullptr;
      }
      const std::string length = trim(prop->child_text("getcontentlength"));
      std::from_chars(length.data(), length.data() + length.size(), entry.size);
      entry.last_modified = trim(prop->child_text("getlastmodified"));
    }
    entries.push_back(std::move(entry));
  }
  return entries;
}

std::string_view propfind_body() {
  return R"(<?xml version="1.0" encoding="utf-8"?>
<D:propfind xmlns:D="DAV:"><D:prop><D:resourcetype/><D:getcontentlength/><D:getlastmodified/></D:prop></D:propfind>
)";
}

}  // namespace volback::storage::webdav
