#include <volback/storage/azure/azure_settings.hpp>

#include <gtest/gtest.h>

namespace volback::storage::azure {
namespace {

constexpr const char* k_key =
  "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

util::Result<std::optional<AzureSettings>> parse(std::map<std::string, std::string, std::less<>> env) {
  const util::MapSource source(std::move(env), "environment");
  const util::Settings settings({&source});
  return parse_azure_settings(settings);
}

TEST(AzureSettings, OffWithoutTheAccountName) {
  auto parsed = parse({{"AZURE_STORAGE_CONTAINER_NAME", "c"}});
  ASSERT_TRUE(parsed);
  EXPECT_FALSE(parsed->has_value());
}

TEST(AzureSettings, AccountKeyWithTheDefaultEndpointTemplate) {
  auto parsed = parse({{"AZURE_STORAGE_ACCOUNT_NAME", "myaccount"},
                       {"AZURE_STORAGE_PRIMARY_ACCOUNT_KEY", k_key},
                       {"AZURE_STORAGE_CONTAINER_NAME", "backups"},
                       {"AZURE_STORAGE_PATH", "/nightly/"},
                       {"AZURE_STORAGE_ACCESS_TIER", "Cool"}});
  ASSERT_TRUE(parsed) << parsed.error().message();
  ASSERT_TRUE(parsed->has_value());
  const auto& s = **parsed;
  EXPECT_EQ(s.account, "myaccount");
  EXPECT_EQ(s.origin, "https://myaccount.blob.core.windows.net");
  EXPECT_EQ(s.base_path, "");
  EXPECT_EQ(s.container, "backups");
  EXPECT_EQ(s.path, "nightly");
  EXPECT_EQ(s.access_tier, "Cool");
  EXPECT_EQ(s.key.size(), 64u);
}

TEST(AzureSettings, AnEmulatorEndpointThroughTheTemplate) {
  auto parsed = parse({{"AZURE_STORAGE_ACCOUNT_NAME", "devstoreaccount1"},
                       {"AZURE_STORAGE_PRIMARY_ACCOUNT_KEY", k_key},
                       {"AZURE_STORAGE_CONTAINER_NAME", "c"},
                       {"AZURE_STORAGE_ENDPOINT", "http://127.0.0.1:10000/{{.AccountName}}"}});
  ASSERT_TRUE(parsed && parsed->has_value()) << (parsed ? "" : parsed.error().message());
  EXPECT_EQ((*parsed)->origin, "http://127.0.0.1:10000");
  EXPECT_EQ((*parsed)->base_path, "/devstoreaccount1");
}

TEST(AzureSettings, AConnectionString) {
  auto parsed = parse({{"AZURE_STORAGE_ACCOUNT_NAME", "ignored"},
                       {"AZURE_STORAGE_CONNECTION_STRING",
                        std::string("DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=") + k_key +
                          ";BlobEndpoint=http://127.0.0.1:10000/devstoreaccount1;"},
                       {"AZURE_STORAGE_CONTAINER_NAME", "c"}});
  ASSERT_TRUE(parsed && parsed->has_value()) << (parsed ? "" : parsed.error().message());
  EXPECT_EQ((*parsed)->account, "devstoreaccount1");
  EXPECT_EQ((*parsed)->origin, "http://127.0.0.1:10000");
  EXPECT_EQ((*parsed)->base_path, "/devstoreaccount1");
  auto suffix = parse({{"AZURE_STORAGE_ACCOUNT_NAME", "a"},
                       {"AZURE_STORAGE_CONNECTION_STRING",
                        std::string("AccountName=acc;AccountKey=") + k_key + ";EndpointSuffix=core.chinacloudapi.cn"},
                       {"AZURE_STORAGE_CONTAINER_NAME", "c"}});
  ASSERT_TRUE(suffix && suffix->has_value());
  EXPECT_EQ((*suffix)->origin, "https://acc.blob.core.chinacloudapi.cn");
}

TEST(AzureSettings, RefusesManagedIdentityBothCredentialsAndBadValues) {
  auto none = parse({{"AZURE_STORAGE_ACCOUNT_NAME", "a"}, {"AZURE_STORAGE_CONTAINER_NAME", "c"}});
  ASSERT_FALSE(none);
  EXPECT_NE(none.error().message().find("managed identity"), std::string::npos);
  EXPECT_FALSE(parse({{"AZURE_STORAGE_ACCOUNT_NAME", "a"},
                      {"AZURE_STORAGE_PRIMARY_ACCOUNT_KEY", k_key},
                      {"AZURE_STORAGE_CONNECTION_STRING", std::string("AccountName=a;AccountKey=") + k_key},
                      {"AZURE_STORAGE_CONTAINER_NAME", "c"}}));
  auto bad_key = parse({{"AZURE_STORAGE_ACCOUNT_NAME", "a"},
                        {"AZURE_STORAGE_PRIMARY_ACCOUNT_KEY", "not base64 secret!"},
                        {"AZURE_STORAGE_CONTAINER_NAME", "c"}});
  ASSERT_FALSE(bad_key);
  EXPECT_EQ(bad_key.error().message().find("secret!"), std::string::npos);
  EXPECT_FALSE(parse({{"AZURE_STORAGE_ACCOUNT_NAME", "a"}, {"AZURE_STORAGE_PRIMARY_ACCOUNT_KEY", k_key}}));
  EXPECT_FALSE(parse({{"AZURE_STORAGE_ACCOUNT_NAME", "a"},
                      {"AZURE_STORAGE_PRIMARY_ACCOUNT_KEY", k_key},
                      {"AZURE_STORAGE_CONTAINER_NAME", "c"},
                      {"AZURE_STORAGE_ACCESS_TIER", "Lukewarm"}}));
  EXPECT_FALSE(parse({{"AZURE_STORAGE_ACCOUNT_NAME", "a"},
                      {"AZURE_STORAGE_CONNECTION_STRING", "BlobEndpoint=https://x/;SharedAccessSignature=sv=1&sig=2"},
                      {"AZURE_STORAGE_CONTAINER_NAME", "c"}}));
  EXPECT_FALSE(parse({{"AZURE_STORAGE_ACCOUNT_NAME", "a"},
                      {"AZURE_STORAGE_PRIMARY_ACCOUNT_KEY", k_key},
                      {"AZURE_STORAGE_CONTAINER_NAME", "c"},
                      {"AZURE_STORAGE_ENDPOINT", "https://{{ .Other }}.example/"}}));
}

TEST(AzureSettings, RendersTheEndpointTemplate) {
  EXPECT_EQ(*render_endpoint("https://{{ .AccountName }}.blob.core.windows.net", "acc"),
            "https://acc.blob.core.windows.net/");
  EXPECT_EQ(*render_endpoint("http://127.0.0.1:10000/{{.AccountName}}/", "dev"), "http://127.0.0.1:10000/dev/");
  EXPECT_FALSE(render_endpoint("https://{{ .AccountName", "acc"));
}

}  // namespace
}  // namespace volback::storage::azure
