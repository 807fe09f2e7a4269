#pragma once
// Parsing of the S3 XML responses volback reads, with expat. Pure.
//
// Element names are matched without namespace; unknown elements are ignored. Every
// parser returns corrupt on malformed XML or when a required element is missing.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <volback/util/result.hpp>

namespace volback::storage::s3 {

struct S3ErrorBody {
  std::string code;  // "NoSuchBucket", "SignatureDoesNotMatch", ...
  std::string message;
  std::string region;  // <Region>, when the server names the bucket's region
};

struct ListedObject {
  std::string key;
  std::uint64_t size = 0;
  std::string last_modified;  // ISO 8601, "2026-11-26T09:20:58.000Z"
};

struct ListObjectsPage {
  std::vector<ListedObject> objects;
  bool truncated = false;
  std::string next_continuation_token;
};

struct MultipartUploadEntry {
  std::string key;
  std::string upload_id;
  std::string initiated;  // ISO 8601
};

struct ListUploadsPage {
  std::vector<MultipartUploadEntry> uploads;
  bool truncated = false;
  std::string next_key_marker;
  std::string next_upload_id_marker;
};

struct DeleteResult {
  std::vector<std::string> deleted;
  std::vector<std::pair<std::string, S3ErrorBody>> errors;  // key, error
};

// <Error><Code>…</Code><Message>…</Message></Error>; nullopt when `xml` is not one (an
// empty body, HTML, or a success document). Never fails.
std::optional<S3ErrorBody> parse_error(std::string_view xml);

util::Result<ListObjectsPage> parse_list_objects_v2(std::string_view xml);
util::Result<std::string> parse_initiate_multipart(std::string_view xml);  // the UploadId
// CompleteMultipartUpload may answer 200 with an <Error> body: that is returned as an
// error of kind transient (InternalError, SlowDown) or permanent (everything else).
util::Result<std::string> parse_complete_multipart(std::string_view xml);  // the ETag
util::Result<ListUploadsPage> parse_list_multipart_uploads(std::string_view xml);
util::Result<DeleteResult> parse_delete_objects(std::string_view xml);

// Escapes text for an XML element's content.
std::string xml_escape(std::string_view text);

}  // namespace volback::storage::s3
