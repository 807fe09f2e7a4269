#pragma once

#include <string_view>

namespace volback::app {

// volback's version, e.g. "0.1.0".
std::string_view version();

}  // namespace volback::app
