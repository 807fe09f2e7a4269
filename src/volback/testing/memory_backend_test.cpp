#include <volback/testing/memory_backend.hpp>

#include <volback/testing/storage_conformance.hpp>

namespace volback::testing {
namespace {

const util::SystemClock k_clock;

INSTANTIATE_TEST_SUITE_P(Memory, BackendConformance,
                         ::testing::Values(ConformanceTarget{
                           "Memory", [] { return std::make_unique<MemoryBackend>(k_clock); }, std::uint64_t{8} << 20}));

}  // namespace
}  // namespace volback::testing
