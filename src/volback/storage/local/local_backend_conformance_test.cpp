#include <volback/storage/local/local_backend.hpp>

#include <volback/testing/storage_conformance.hpp>
#include <volback/testing/temp_dir.hpp>
#include <volback/util/logging.hpp>

namespace volback::storage::local {
namespace {

using volback::testing::BackendConformance;
using volback::testing::ConformanceTarget;

// One directory for the whole run: every case uses keys under a prefix of its own.
const volback::testing::TempDir k_dir("volback-local-conformance");
util::CapturingLogger k_log;

INSTANTIATE_TEST_SUITE_P(
  Local, BackendConformance,
  ::testing::Values(ConformanceTarget{
    "Local", [] { return make_local_backend(LocalSettings{.directory = k_dir.path(), .latest_symlink = {}}, k_log); },
    std::uint64_t{64} << 20}));

}  // namespace
}  // namespace volback::storage::local
