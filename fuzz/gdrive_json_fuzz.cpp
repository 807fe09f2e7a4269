// Fuzzes the parsers of the Google Drive backend's untrusted input
// (storage/gdrive/gdrive_json.hpp): files.list pages, file resources, token replies,
// both error shapes, and the service account key file. The first byte picks the parser;
// the rest is the text.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include <volback/storage/gdrive/gdrive_json.hpp>
#include <volback/storage/gdrive/service_account.hpp>

using namespace volback::storage::gdrive;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) {
    return 0;
  }
  const std::string_view text(reinterpret_cast<const char*>(data) + 1, size - 1);
  switch (data[0] % 7) {
  case 0: (void)parse_file_page(text); break;
  case 1: (void)parse_drive_file(text); break;
  case 2: (void)parse_access_token(text); break;
  case 3: (void)parse_error_detail(text); break;
  default: (void)parse_service_account(text, "GOOGLE_DRIVE_CREDENTIALS_JSON"); break;
  }
  return 0;
}
