#pragma once
// The process environment as a configuration source. The only place that reads it.

#include <volback/util/settings.hpp>

namespace volback::cli {

// A snapshot of `environ`, described as "environment".
util::MapSource environment_source();

}  // namespace volback::cli
