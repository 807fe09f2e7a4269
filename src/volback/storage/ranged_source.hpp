#pragma once
// Reading an object of known size through ranged requests (S3's, Azure's and WebDAV's
// GET with a Range header), so that memory stays bounded without a thread.

#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include <volback/io/source.hpp>
#include <volback/storage/backend.hpp>
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

}  // namespace volback::storage
