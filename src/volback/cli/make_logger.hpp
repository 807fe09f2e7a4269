#pragma once
// The process logger: LOG_FORMAT (text or json) and LOG_LEVEL, on the stream the verb
// logs to (LogStream).

#include <cstdio>
#include <memory>

#include <volback/util/clock.hpp>
#include <volback/util/logging.hpp>
#include <volback/util/settings.hpp>

namespace volback::cli {

// Where a verb's log lines go. offen logs to stdout (a slog text handler on os.Stdout),
// so `backup` and the daemon do too; the verbs whose stdout is their result (list,
// print-config, verify, restore, ...) log to stderr to keep that output clean.
enum class LogStream { out, err };

// stdout or stderr.
std::FILE* file_of(LogStream stream);

// Invalid values fall back to the defaults here (text, info); the configuration's
// validation reports them with exit code 2. Each record is one write of one line,
// flushed (util::LineLogger), so lines stay whole on a pipe. `clock` must outlive the
// logger.
std::unique_ptr<util::Logger> make_logger(const util::Settings& settings, const util::Clock& clock, LogStream stream);

}  // namespace volback::cli
