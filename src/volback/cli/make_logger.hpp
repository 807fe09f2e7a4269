#pragma once
// The process logger: LOG_FORMAT (text or json) and LOG_LEVEL, on stderr.

#include <memory>

#include <volback/util/clock.hpp>
#include <volback/util/logging.hpp>
#include <volback/util/settings.hpp>

namespace volback::cli {

// Invalid values fall back to the defaults here (text, info); the configuration's
// validation reports them with exit code 2. `clock` must outlive the logger.
std::unique_ptr<util::Logger> make_logger(const util::Settings& settings, const util::Clock& clock);

}  // namespace volback::cli
