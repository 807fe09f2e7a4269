#include <volback/storage/webdav/webdav_xml.hpp>

#include <gtest/gtest.h>

namespace volback::storage::webdav {
namespace {

// As Apache's mod_dav_fs answers: namespaced properties (lp1:), a 404 propstat for what
// a collection lacks, a percent-encoded href.
constexpr std::string_view k_apache = R"(<?xml version="1.0" encoding="utf-8"?>
<D:multistatus xmlns:D="DAV:" xmlns:ns0="DAV:">
<D:response xmlns:lp1="DAV:">
<D:href>/dav/backups/</D:href>
<D:propstat><D:prop><lp1:resourcetype><D:collection/></lp1:resourcetype>
<lp1:getlastmodified>Tue, 06 Jan 2026 10:00:00 GMT</lp1:getlastmodified></D:prop>
<D:status>HTTP/1.1 200 OK</D:status></D:propstat>
<D:propstat><D:prop><D:getcontentlength/></D:prop><D:status>HTTP/1.1 404 Not Found</D:status></D:propstat>
</D:response>
<D:response xmlns:lp1="DAV:">
<D:href>/dav/backups/backup%202026%20%C3%BC.tar.gz</D:href>
<D:propstat><D:prop><lp1:resourcetype/><lp1:getcontentlength>12345</lp1:getcontentlength>
<lp1:getlastmodified>Wed, 07 Jan 2026 03:00:01 GMT</lp1:getlastmodified></D:prop>
<D:status>HTTP/1.1 200 OK</D:status></D:propstat>
</D:response>
</D:multistatus>)";

// As nginx's dav-ext and rclone answer: a default namespace and full URLs.
constexpr std::string_view k_plain = R"(<?xml version="1.0" encoding="utf-8" ?>
<multistatus xmlns="DAV:"><response><href>http://127.0.0.1:8088/sub/</href><propstat><prop>
<resourcetype><collection/></resourcetype></prop><status>HTTP/1.1 200 OK</status></propstat></response>
<response><href>http://127.0.0.1:8088/sub/x</href><propstat><prop><resourcetype></resourcetype>
<getcontentlength>7</getcontentlength><getlastmodified>Wed, 07 Jan 2026 03:00:01 GMT</getlastmodified></prop>
<status>HTTP/1.1 200 OK</status></propstat></response></multistatus>)";

TEST(WebdavXml, ParsesApachesMultistatus) {
  auto entries = parse_multistatus(k_apache);
  ASSERT_TRUE(entries) << entries.error().message();
  ASSERT_EQ(entries->size(), 2u);
  EXPECT_EQ((*entries)[0].path, "/dav/backups");
  EXPECT_TRUE((*entries)[0].collection);
  EXPECT_EQ((*entries)[1].path, "/dav/backups/backup 2026 ü.tar.gz");
  EXPECT_FALSE((*entries)[1].collection);
  EXPECT_EQ((*entries)[1].size, 12345u);
  EXPECT_EQ((*entries)[1].last_modified, "Wed, 07 Jan 2026 03:00:01 GMT");
}

TEST(WebdavXml, ReducesFullUrlsToPaths) {
  auto entries = parse_multistatus(k_plain);
  ASSERT_TRUE(entries) << entries.error().message();
  ASSERT_EQ(entries->size(), 2u);
  EXPECT_EQ((*entries)[0].path, "/sub");
  EXPECT_TRUE((*entries)[0].collection);
  EXPECT_EQ((*entries)[1].path, "/sub/x");
  EXPECT_EQ((*entries)[1].size, 7u);
}

TEST(WebdavXml, RefusesWhatIsNotAMultistatus) {
  EXPECT_FALSE(parse_multistatus("<html>nope</html>"));
  EXPECT_FALSE(parse_multistatus("<multistatus"));
}

TEST(WebdavXml, PercentDecoding) {
  EXPECT_EQ(percent_decode("a%20b%2Fc%zz%4"), "a b/c%zz%4");
}

}  // namespace
}  // namespace volback::storage::webdav
