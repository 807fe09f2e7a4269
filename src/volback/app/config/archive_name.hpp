#pragma once
// The archive's file name, from BACKUP_FILENAME as offen renders it: the template
// placeholder {{ .Extension }} first, then offen's strftime verbs, and only the last
// path component is used on every backend.

#include <cstddef>
#include <string>
#include <string_view>

#include <volback/util/result.hpp>
#include <volback/util/time_zone.hpp>

namespace volback::app {

// The longest file name a local file system takes (NAME_MAX), in bytes.
inline constexpr std::size_t k_max_archive_name_bytes = 255;

// Renders `name_template` for an archive with `extension` ("tar.gz") started at `time`.
// invalid_argument when the template holds another Go template action than
// {{ .Extension }}, or when the result is not a usable file name (empty, ".", "..",
// starting with ".volback-", which volback reserves for its partial files, or longer
// than k_max_archive_name_bytes). Pure.
util::Result<std::string> render_archive_name(std::string_view name_template, std::string_view extension,
                                              const util::CivilTime& time);

// The longest name render_archive_name can give for `name_template` and `extension`,
// over every time and zone (util::strftime_offen_max_length of the last component).
// invalid_argument for the template errors of render_archive_name. Pure.
util::Result<std::size_t> max_archive_name_length(std::string_view name_template, std::string_view extension);

}  // namespace volback::app
