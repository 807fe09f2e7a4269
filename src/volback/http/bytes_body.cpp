#include <algorithm>
#include <memory>

#include <volback/http/transport.hpp>

namespace volback::http {

BodySource bytes_body(std::span<const std::byte> bytes) {
  auto sent = std::make_shared<std::size_t>(0);
  BodySource body;
  body.size = bytes.size();
  body.read = [bytes, sent](std::span<std::byte> buffer) -> util::Result<std::size_t> {
    const auto rest = bytes.subspan(*sent);
    const std::size_t n = std::min(buffer.size(), rest.size());
    std::copy_n(rest.begin(), n, buffer.begin());
    *sent += n;
    return n;
  };
  body.rewind = [sent]() -> util::Result<void> {
    *sent = 0;
    return {};
  };
  return body;
}

}  // namespace volback::http
