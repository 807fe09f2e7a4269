#include <volback/storage/azure/azure_xml.hpp>

#include <gtest/gtest.h>

namespace volback::storage::azure {
namespace {

TEST(AzureXml, ParsesAListBlobsPage) {
  constexpr std::string_view xml = R"(<?xml version="1.0" encoding="utf-8"?>
<EnumerationResults ServiceEndpoint="http://127.0.0.1:10000/devstoreaccount1" ContainerName="c">
<Prefix>backups/</Prefix><MaxResults>2</MaxResults>
<Blobs>
<Blob><Name>backups/a.tar.gz</Name><Properties><Creation-Time>Wed, 07 Jan 2026 03:00:00 GMT</Creation-Time>
<Last-Modified>Wed, 07 Jan 2026 03:00:01 GMT</Last-Modified><Etag>0x1</Etag><Content-Length>12345</Content-Length>
<Content-Type>application/gzip</Content-Type><BlobType>BlockBlob</BlobType><AccessTier>Cool</AccessTier></Properties></Blob>
<Blob><Name>backups/b 2.tar.gz</Name><Properties><Last-Modified>Thu, 08 Jan 2026 03:00:01 GMT</Last-Modified>
<Content-Length>0</Content-Length></Properties><Metadata><volbackpartial>1</volbackpartial></Metadata></Blob>
</Blobs><NextMarker>2!72!abc</NextMarker></EnumerationResults>)";
  auto page = parse_blob_page(xml);
  ASSERT_TRUE(page) << page.error().message();
  ASSERT_EQ(page->blobs.size(), 2u);
  EXPECT_EQ(page->blobs[0].name, "backups/a.tar.gz");
  EXPECT_EQ(page->blobs[0].size, 12345u);
  EXPECT_EQ(page->blobs[0].last_modified, "Wed, 07 Jan 2026 03:00:01 GMT");
  EXPECT_EQ(page->blobs[0].access_tier, "Cool");
  EXPECT_FALSE(page->blobs[0].partial_marker);
  EXPECT_EQ(page->blobs[1].name, "backups/b 2.tar.gz");
  EXPECT_TRUE(page->blobs[1].partial_marker);
  EXPECT_EQ(page->next_marker, "2!72!abc");
}

TEST(AzureXml, TheLastPageAndErrors) {
  auto page = parse_blob_page("<EnumerationResults><Blobs/><NextMarker/></EnumerationResults>");
  ASSERT_TRUE(page);
  EXPECT_TRUE(page->blobs.empty());
  EXPECT_TRUE(page->next_marker.empty());
  EXPECT_FALSE(parse_blob_page("<Error/>"));
  auto error = parse_error(
    "<?xml version=\"1.0\"?><Error><Code>AuthenticationFailed</Code><Message>Server failed to "
    "authenticate</Message></Error>");
  ASSERT_TRUE(error);
  EXPECT_EQ(error->code, "AuthenticationFailed");
  EXPECT_FALSE(parse_error("not xml"));
}

}  // namespace
}  // namespace volback::storage::azure
