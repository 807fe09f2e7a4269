// volback-conformance: the storage conformance suite (testing/storage_conformance.hpp)
// against every backend the environment configures, the way `volback backup` reads its
// configuration (offen's variables, _FILE forms). The integration suites run it against
// real servers (tests/integration/s3/test_conformance.sh: S3 on Swift).
//
//   AWS_S3_BUCKET_NAME=… AWS_ENDPOINT=… volback-conformance [--gtest_filter=…]
//
// VOLBACK_CONFORMANCE_LARGE_BYTES sets the large-object case's size (default 48 MiB, past
// S3's default 16 MiB part size). Exit status: GoogleTest's (0 all passed); 2 when the
// configuration is invalid or configures no backend.

#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include <volback/cli/environment.hpp>
#include <volback/storage/registry/registry.hpp>
#include <volback/testing/storage_conformance.hpp>
#include <volback/util/cancel.hpp>
#include <volback/util/clock.hpp>
#include <volback/util/logging.hpp>

namespace {

using volback::testing::BackendConformance;
using volback::testing::ConformanceTarget;

std::vector<ConformanceTarget>& targets() {
  static std::vector<ConformanceTarget> configured;
  return configured;
}

}  // namespace

INSTANTIATE_TEST_SUITE_P(Configured, BackendConformance, ::testing::ValuesIn(targets()),
                         [](const ::testing::TestParamInfo<ConformanceTarget>& param_info) {
                           return param_info.param.name;
                         });

int main(int argc, char** argv) {
  static const volback::util::MapSource env = volback::cli::environment_source();
  static const volback::util::Settings settings({&env});
  static const volback::util::SystemClock clock;
  static volback::util::CancelToken cancel;
  static volback::util::CapturingLogger log;
  auto configs = volback::storage::parse_backends(settings, [](const std::string& name) { return name; });
  if (!configs) {
    std::fprintf(stderr, "volback-conformance: %s\n", configs.error().message().c_str());
    return 2;
  }
  if (configs->empty()) {
    std::fprintf(stderr, "volback-conformance: the environment configures no storage backend\n");
    return 2;
  }
  std::uint64_t large = std::uint64_t{48} << 20;
  if (auto value = settings.raw("VOLBACK_CONFORMANCE_LARGE_BYTES")) {
    large = std::strtoull(value->c_str(), nullptr, 10);
  }
  for (const auto& config : *configs) {
    const volback::storage::BackendContext context{log, clock, cancel, "", "/tmp"};
    targets().push_back(
      ConformanceTarget{std::string(config->name()), [config, context] { return config->create(context); }, large});
  }
  ::testing::InitGoogleTest(&argc, argv);
  return RUN_ALL_TESTS();
}
