#include <volback/storage/azure/shared_key.hpp>

#include <gtest/gtest.h>

#include <volback/storage/digest.hpp>

namespace volback::storage::azure {
namespace {

// The examples of "Authorize with Shared Key" (learn.microsoft.com, Azure Storage REST
// API), section "Constructing the canonicalized resource string" and the Blob service
// string-to-sign example.

TEST(SharedKey, CanonicalizedResourceOfMicrosoftsExamples) {
  // GET https://myaccount.blob.core.windows.net/mycontainer?restype=container&comp=metadata
  EXPECT_EQ(
    canonicalized_resource("myaccount", {"GET", "/mycontainer", {{"restype", "container"}, {"comp", "metadata"}}, {}}),
    "/myaccount/mycontainer\ncomp:metadata\nrestype:container");
  // GET ...?restype=container&comp=list&include=snapshots&include=metadata&include=uncommittedblobs
  EXPECT_EQ(canonicalized_resource("myaccount", {"GET",
                                                 "/mycontainer",
                                                 {{"restype", "container"},
                                                  {"comp", "list"},
                                                  {"include", "snapshots"},
                                                  {"include", "metadata"},
                                                  {"include", "uncommittedblobs"}},
                                                 {}}),
            "/myaccount/mycontainer\ncomp:list\ninclude:metadata,snapshots,uncommittedblobs\nrestype:container");
  // GET https://myaccount-secondary.blob.core.windows.net/mycontainer/myblob: the account, not the host.
  EXPECT_EQ(canonicalized_resource("myaccount", {"GET", "/mycontainer/myblob", {}, {}}),
            "/myaccount/mycontainer/myblob");
}

TEST(SharedKey, StringToSignOfMicrosoftsExample) {
  // The documented Get Container Metadata through the emulator, whose path starts with
  // the account name.
  const SharedKeyRequest request{"GET",
                                 "/myaccount/mycontainer",
                                 {{"restype", "container"}, {"comp", "metadata"}, {"timeout", "20"}},
                                 {{"x-ms-version", "2009-09-19"}, {"x-ms-date", "Sun, 11 Oct 2009 21:49:13 GMT"}}};
  EXPECT_EQ(string_to_sign("myaccount", request),
            "GET\n\n\n\n\n\n\n\n\n\n\n\n"
            "x-ms-date:Sun, 11 Oct 2009 21:49:13 GMT\nx-ms-version:2009-09-19\n"
            "/myaccount/myaccount/mycontainer\ncomp:metadata\nrestype:container\ntimeout:20");
  // HMAC-SHA256 under the emulator's well-known key, computed independently with
  //   printf '<string to sign>' | openssl dgst -sha256 -mac HMAC -macopt hexkey:<key> -binary | base64
  const auto key =
    from_base64("Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==");
  ASSERT_TRUE(key);
  EXPECT_EQ(authorization("myaccount", *key, request),
            "SharedKey myaccount:Su5rvibNeMxB7A4I87rOtEgCDtdICsL8v5H+yJs0W+M=");
}

TEST(SharedKey, StandardHeadersInTheirSlotsAndAZeroLengthIsEmpty) {
  const SharedKeyRequest put{"PUT",
                             "/c/b",
                             {{"comp", "block"}, {"blockid", "AAAA"}},
                             {{"Content-Length", "5"},
                              {"Content-MD5", "md5=="},
                              {"Content-Type", "application/gzip"},
                              {"X-MS-Date", "d"},
                              {"x-ms-meta-a", "  two   words "},
                              {"Range", "bytes=0-1"}}};
  EXPECT_EQ(string_to_sign("acc", put),
            "PUT\n\n\n5\nmd5==\napplication/gzip\n\n\n\n\n\nbytes=0-1\n"
            "x-ms-date:d\nx-ms-meta-a:two words\n/acc/c/b\nblockid:AAAA\ncomp:block");
  const SharedKeyRequest empty{"PUT", "/c/b", {}, {{"Content-Length", "0"}}};
  EXPECT_EQ(string_to_sign("acc", empty), "PUT\n\n\n\n\n\n\n\n\n\n\n\n/acc/c/b");
}

}  // namespace
}  // namespace volback::storage::azure
