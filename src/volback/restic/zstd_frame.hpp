#pragma once
// zstd as repository version 2 uses it (the format's §5.2): one frame per blob or unpacked
// file. volback writes level 3 (restic's "auto"), with the content size and without a
// checksum, in a 512 KiB window as restic does; it reads any single standard frame.
// Thread-safe (each thread keeps its own compression context).

#include <cstddef>
#include <span>
#include <string>

#include <volback/util/result.hpp>

namespace volback::restic {

// Appends the frame of `plaintext` to `out`.
util::Result<void> zstd_compress_append(std::span<const unsigned char> plaintext, std::string& out);

// The plaintext of a frame that must be exactly `size` bytes (a blob's uncompressed_length).
// Errors: corrupt when it is not one valid frame of that size.
util::Result<std::string> zstd_decompress_exact(std::span<const unsigned char> frame, std::size_t size);

// The plaintext of a frame of unknown size (an unpacked file). Errors: corrupt when it is
// not one valid frame or would exceed `max_size` bytes (a decompression bomb stops there).
util::Result<std::string> zstd_decompress_bounded(std::span<const unsigned char> frame, std::size_t max_size);

}  // namespace volback::restic
