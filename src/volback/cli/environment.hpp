#pragma once
// The process environment as a configuration source. The only place that reads it.

#include <map>
#include <string>

#include <volback/util/settings.hpp>

namespace volback::cli {

// A snapshot of `environ`, described as "environment", plus `defaults` for the names
// the environment does not set.
util::MapSource environment_source(const std::map<std::string, std::string, std::less<>>& defaults = {});

}  // namespace volback::cli
