#pragma once
// Reading an object of known size through ranged requests (S3's, Azure's and WebDAV's
// GET with a Range header), so that memory stays bounded: one range at a time without a
// thread, or several in flight on worker threads (read-ahead) while the reader consumes
// them in order.

#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include <volback/io/source.hpp>
#include <volback/storage/backend.hpp>
#include <volback/util/memory_plan.hpp>
#include <volback/util/result.hpp>

namespace volback::storage {

// Fetches bytes [first, last] (inclusive, as an HTTP Range says it) of the object; the
// backend retries as it does for any request.
using RangeFetch = std::function<util::Result<std::string>(std::uint64_t first, std::uint64_t last)>;

inline constexpr std::uint64_t k_range_chunk = std::uint64_t{8} << 20;

// The bytes of `range` within an object of `size` bytes (a range reaching past the end
// ends at the end; an offset at or past the end reads nothing), fetched `chunk` bytes at
// a time when read. A fetch that returns another length than asked is a transient error
// (a cut body).
std::unique_ptr<io::Source> make_ranged_source(std::uint64_t size, const ByteRange& range, RangeFetch fetch,
                                               std::uint64_t chunk = k_range_chunk);

// Makes the RangeFetch of one read-ahead worker, with its own connection. Called on the
// worker's thread; the fetches it makes are used by that thread alone.
using RangeFetchFactory = std::function<RangeFetch()>;

struct ReadAhead {
  std::uint64_t chunk = k_range_chunk;  // bytes per ranged request
  unsigned ranges = 1;                  // requests in flight; 1: no thread
};

// The read-ahead of restore, verify and the drill within the memory plan: 4 MiB ranges, as
// many in flight as the plan's part buffers hold (they are not in use while reading), at
// least 1 and at most 4. Pure.
ReadAhead planned_read_ahead(const util::MemoryPlan& plan);

// make_ranged_source with `read_ahead.ranges` requests in flight on as many threads, each
// with a fetch from `factory`, and at most that many ranges held beyond the one being
// read. A failed range fails the read when the reader reaches it (the backend retried it
// alone first). The threads start at the first read and stop when the source goes.
std::unique_ptr<io::Source> make_ranged_source(std::uint64_t size, const ByteRange& range, RangeFetchFactory factory,
                                               ReadAhead read_ahead);

}  // namespace volback::storage
