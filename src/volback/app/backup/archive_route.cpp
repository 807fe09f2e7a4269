#include <volback/app/backup/archive_route.hpp>

namespace volback::app {

ArchiveRoute choose_route(const RouteInputs& inputs) {
  if (!inputs.containers_stopped && inputs.every_backend_streams && !inputs.archive_file_wanted) {
    return ArchiveRoute::stream_to_all;
  }
  return inputs.has_local_backend ? ArchiveRoute::via_local_file : ArchiveRoute::via_spool;
}

}  // namespace volback::app
