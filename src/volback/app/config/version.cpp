#include <volback/app/config/version.hpp>

namespace volback::app {

std::string_view version() {
  return VOLBACK_VERSION;
}

}  // namespace volback::app
