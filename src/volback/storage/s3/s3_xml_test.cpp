#include <volback/storage/s3/s3_xml.hpp>

#include <string>

#include <gtest/gtest.h>

namespace volback::storage::s3 {
namespace {

TEST(S3Xml, ListObjectsV2Page) {
  const auto page = parse_list_objects_v2(R"(<?xml version="1.0" encoding="UTF-8"?>
<ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/">
  <Name>bkt</Name><Prefix>p/</Prefix><KeyCount>2</KeyCount><MaxKeys>2</MaxKeys>
  <IsTruncated>true</IsTruncated><NextContinuationToken>tok+/=</NextContinuationToken>
  <Contents><Key>p/a &amp; b.tar.gz</Key><LastModified>2026-11-26T09:20:58.000Z</LastModified>
    <ETag>"x"</ETag><Size>123</Size><StorageClass>STANDARD</StorageClass></Contents>
  <Contents><Key>p/c</Key><LastModified>2026-11-26T09:21:00.000Z</LastModified><Size>0</Size></Contents>
</ListBucketResult>)");
  ASSERT_TRUE(page) << page.error().message();
  EXPECT_TRUE(page->truncated);
  EXPECT_EQ(page->next_continuation_token, "tok+/=");
  ASSERT_EQ(page->objects.size(), 2U);
  EXPECT_EQ(page->objects[0].key, "p/a & b.tar.gz");
  EXPECT_EQ(page->objects[0].size, 123U);
  EXPECT_EQ(page->objects[0].last_modified, "2026-11-26T09:20:58.000Z");
}

TEST(S3Xml, TruncatedListingWithoutTokenIsCorrupt) {
  const auto page = parse_list_objects_v2("<ListBucketResult><IsTruncated>true</IsTruncated></ListBucketResult>");
  ASSERT_FALSE(page);
  EXPECT_EQ(page.error().kind(), util::ErrorKind::corrupt);
}

TEST(S3Xml, ErrorBody) {
  const auto e = parse_error(R"(<?xml version='1.0' encoding='UTF-8'?>
<Error><Code>SignatureDoesNotMatch</Code><Message>The request signature we calculated does not match</Message>
<RequestId>tx1</RequestId></Error>)");
  ASSERT_TRUE(e);
  EXPECT_EQ(e->code, "SignatureDoesNotMatch");
  EXPECT_EQ(e->message, "The request signature we calculated does not match");
  EXPECT_FALSE(parse_error(""));
  EXPECT_FALSE(parse_error("<html>Bad URL</html>"));
  EXPECT_FALSE(parse_error("<ListBucketResult/>"));
}

TEST(S3Xml, InitiateAndComplete) {
  const auto id = parse_initiate_multipart(
    R"(<InitiateMultipartUploadResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Bucket>b</Bucket>
<Key>k</Key><UploadId>VXBsb2FkIElE</UploadId></InitiateMultipartUploadResult>)");
  ASSERT_TRUE(id);
  EXPECT_EQ(*id, "VXBsb2FkIElE");
  const auto etag = parse_complete_multipart(
    R"(<CompleteMultipartUploadResult><Location>l</Location><ETag>"abc-3"</ETag></CompleteMultipartUploadResult>)");
  ASSERT_TRUE(etag);
  EXPECT_EQ(*etag, "\"abc-3\"");
  const auto failed = parse_complete_multipart("<Error><Code>InternalError</Code><Message>m</Message></Error>");
  ASSERT_FALSE(failed);
  EXPECT_EQ(failed.error().kind(), util::ErrorKind::transient);
  const auto bad = parse_complete_multipart("<Error><Code>InvalidPart</Code><Message>m</Message></Error>");
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().kind(), util::ErrorKind::permanent);
  EXPECT_FALSE(parse_initiate_multipart("<InitiateMultipartUploadResult/>"));
  EXPECT_EQ(parse_initiate_multipart("<oops").error().kind(), util::ErrorKind::corrupt);
}

TEST(S3Xml, ListMultipartUploads) {
  const auto page = parse_list_multipart_uploads(R"(<ListMultipartUploadsResult>
<Bucket>b</Bucket><NextKeyMarker>k2</NextKeyMarker><NextUploadIdMarker>u2</NextUploadIdMarker>
<IsTruncated>true</IsTruncated>
<Upload><Key>k1</Key><UploadId>u1</UploadId><Initiated>2026-11-25T09:00:00.000Z</Initiated></Upload>
<Upload><Key>k2</Key><UploadId>u2</UploadId><Initiated>2026-11-26T09:00:00.000Z</Initiated></Upload>
</ListMultipartUploadsResult>)");
  ASSERT_TRUE(page);
  EXPECT_TRUE(page->truncated);
  EXPECT_EQ(page->next_key_marker, "k2");
  ASSERT_EQ(page->uploads.size(), 2U);
  EXPECT_EQ(page->uploads[1].upload_id, "u2");
  EXPECT_EQ(page->uploads[0].initiated, "2026-11-25T09:00:00.000Z");
}

TEST(S3Xml, DeleteObjectsResult) {
  const auto r = parse_delete_objects(R"(<DeleteResult><Deleted><Key>a</Key></Deleted>
<Error><Key>b</Key><Code>AccessDenied</Code><Message>no</Message></Error></DeleteResult>)");
  ASSERT_TRUE(r);
  ASSERT_EQ(r->deleted.size(), 1U);
  ASSERT_EQ(r->errors.size(), 1U);
  EXPECT_EQ(r->errors[0].first, "b");
  EXPECT_EQ(r->errors[0].second.code, "AccessDenied");
}

TEST(S3Xml, DeeplyNestedElementsAreCorruptNotAStackOverflow) {
  // A hostile or broken server's body: 200,000 nested elements. The tree they would build
  // is destroyed recursively, which overflowed the stack before the depth limit.
  std::string xml = "<ListBucketResult>";
  for (int i = 0; i < 200000; ++i) {
    xml += "<a>";
  }
  const auto page = parse_list_objects_v2(xml);
  ASSERT_FALSE(page);
  EXPECT_EQ(page.error().kind(), util::ErrorKind::corrupt);
  EXPECT_NE(page.error().message().find("nested"), std::string::npos) << page.error().message();
  EXPECT_FALSE(parse_error("<Error>" + xml + "</Error>"));
  // Depth 32 is still read.
  std::string deep = "<ListBucketResult><Contents><Key>k</Key><Size>1</Size>";
  for (int i = 0; i < 29; ++i) {
    deep += "<x>";
  }
  for (int i = 0; i < 29; ++i) {
    deep += "</x>";
  }
  deep += "</Contents></ListBucketResult>";
  const auto ok = parse_list_objects_v2(deep);
  ASSERT_TRUE(ok) << ok.error().message();
  EXPECT_EQ(ok->objects.size(), 1U);
}

TEST(S3Xml, Escape) {
  EXPECT_EQ(xml_escape("a<b>&\"'"), "a&lt;b&gt;&amp;&quot;&apos;");
}

}  // namespace
}  // namespace volback::storage::s3
