#pragma once
// The archive's file name, from BACKUP_FILENAME as offen renders it: the template
// placeholder {{ .Extension }} first, then offen's strftime verbs, and only the last
// path component is used on every backend.

#include <string>
#include <string_view>

#include <volback/util/result.hpp>
#include <volback/util/time_zone.hpp>

namespace volback::app {

// Renders `name_template` for an archive with `extension` ("tar.gz") started at `time`.
// invalid_argument when the template holds another Go template action than
// {{ .Extension }}, or when the result is not a usable file name (empty, ".", "..",
// or starting with ".volback-", which volback reserves for its partial files). Pure.
util::Result<std::string> render_archive_name(std::string_view name_template,
                                              std::string_view extension,
                                              const util::CivilTime& time);

}  // namespace volback::app
