// Fuzzes the S3 XML parsers (storage/s3/s3_xml.hpp). The first byte picks the parser; the
// rest is the response body.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include <volback/storage/s3/s3_xml.hpp>

using namespace volback::storage::s3;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) {
    return 0;
  }
  const std::string_view xml(reinterpret_cast<const char*>(data) + 1, size - 1);
  switch (data[0] % 7) {
  case 0: (void)parse_error(xml); break;
  case 1: (void)parse_list_objects_v2(xml); break;
  case 2: (void)parse_initiate_multipart(xml); break;
  case 3: (void)parse_complete_multipart(xml); break;
  case 4: (void)parse_list_multipart_uploads(xml); break;
  case 5: (void)parse_delete_objects(xml); break;
  default: (void)xml_escape(xml); break;
  }
  return 0;
}
