// Fuzzes the Dropbox JSON reply parsers (storage/dropbox/dropbox_json.hpp). The first byte
// picks the parser; the rest is the reply body (or, for the arguments, a path).
#include <cstddef>
#include <cstdint>
#include <string_view>

#include <volback/storage/dropbox/dropbox_json.hpp>

using namespace volback::storage::dropbox;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) {
    return 0;
  }
  const std::string_view body(reinterpret_cast<const char*>(data) + 1, size - 1);
  switch (data[0] % 6) {
  case 0: (void)parse_token_reply(body); break;
  case 1: (void)parse_error_reply(body); break;
  case 2: (void)parse_metadata(body); break;
  case 3: (void)parse_folder_page(body); break;
  case 4: (void)parse_session_id(body); break;
  default:
    (void)path_arg(body);
    (void)finish_arg(body, size, body);
    break;
  }
  return 0;
}
