#pragma once
// WebDAV's PROPFIND answer (207 Multi-Status) and the path encoding of its hrefs. Pure.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include <volback/util/result.hpp>

namespace volback::storage::webdav {

struct DavEntry {
  std::string path;  // the href's path, percent-decoded, without a trailing '/': "/dav/backups/a.tar.gz"
  bool collection = false;
  std::uint64_t size = 0;
  std::string last_modified;  // RFC 1123, as getlastmodified says it; may be empty
};

// The entries of a multistatus document, in document order. Properties come from the
// propstat whose status is 200; an href that is a full URL ("https://host/dav/x") is
// reduced to its path. Errors: corrupt (malformed XML, not a multistatus).
util::Result<std::vector<DavEntry>> parse_multistatus(std::string_view xml);

// The body of a PROPFIND asking for the properties above.
std::string_view propfind_body();

// Percent-decodes `text` ("%C3%BC" -> "ü"); invalid escapes are kept as they are.
std::string percent_decode(std::string_view text);

}  // namespace volback::storage::webdav
