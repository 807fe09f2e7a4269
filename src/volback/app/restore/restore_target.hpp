#pragma once
// Checks on the directories a restore writes into ("targets").

#include <string>

#include <volback/util/result.hpp>

namespace volback::app {

// Whether `dir` holds anything at all (hidden names included).
util::Result<bool> has_content(const std::string& dir);

// Whether `dir` lies on a read-only mount (a volume mounted `:ro`).
bool is_read_only(const std::string& dir);

}  // namespace volback::app
