#include <volback/notify/service_url.hpp>
#include <volback/notify/services.hpp>

#include <gtest/gtest.h>

namespace volback::notify {
namespace {

TEST(ServiceUrlTest, SplitsLikeGoNetUrl) {
  const auto url = parse_service_url("smtp://me%40x:p%2Fss@mail.example.com:587/?from=a%2Bb@x&to=c+d@x,e@x#frag");
  ASSERT_TRUE(url) << url.error().message();
  EXPECT_EQ(url->scheme, "smtp");
  EXPECT_EQ(url->user, "me@x");
  EXPECT_EQ(url->password, "p/ss");
  EXPECT_EQ(url->host, "mail.example.com");
  EXPECT_EQ(url->port, 587);
  EXPECT_EQ(url->path, "/");
  EXPECT_EQ(url->param("FROM"), "a+b@x");
  EXPECT_EQ(url->param("to"), "c d@x,e@x");
}

TEST(ServiceUrlTest, Ipv6AndNoPassword) {
  const auto url = parse_service_url("ntfy://user@[::1]:8080/topic");
  ASSERT_TRUE(url);
  EXPECT_EQ(url->user, "user");
  EXPECT_FALSE(url->password);
  EXPECT_EQ(url->host, "::1");
  EXPECT_EQ(url->port, 8080);
  EXPECT_EQ(url->raw_authority_host, "[::1]:8080");
}

TEST(ServiceUrlTest, MalformedUrlsAreRefused) {
  for (const auto* bad : {"ntfy://host:port/x", "ntfy://host/%zz", "ntfy://host/x?a=%2", "ntfy://host/x?a=1;b=2",
                          "nfty", "ntfy://ho st/x", "gotify://h/t\n"}) {
    EXPECT_FALSE(parse_service_url(bad)) << bad;
  }
}

TEST(ServicesTest, UnknownSchemeNamesTheServiceOnly) {
  const auto service = parse_service("pagerduty://secret-token@events");
  ASSERT_FALSE(service);
  EXPECT_NE(service.error().message().find("unknown notification service \"pagerduty\""), std::string::npos);
  EXPECT_EQ(service.error().message().find("secret-token"), std::string::npos);
}

// Every malformed URL is refused with the service's name and never the secret parts.
TEST(ServicesTest, MalformedUrlsNameTheServiceNotTheSecret) {
  const std::vector<std::string> bad = {
    "smtp://user:SECRET@mail.example.com:25/?to=a@x",                          // no from
    "smtp://user:SECRET@mail.example.com:25/?from=a@x",                        // no to
    "smtp://user:SECRET@mail.example.com:25/?from=a@x&to=b@x&usestarttls=no",  // clear-text password
    "smtp://user:SECRET@mail.example.com:25/?from=a@x&to=b@x&auth=Magic",
    "generic://hook.example.com/SECRET?template=custom",
    "ntfy://user:SECRET@ntfy.example.com/",
    "ntfy://ntfy.example.com/SECRET?priority=7",
    "gotify://gotify.example.com/SECRETTOKEN",
    "gotify://gotify.example.com/ASECRETTOKEN123?extras=notjson",
    "slack://hook:SECRET@webhook",
    "slack://xoxb:123456789-123456789-SECRETSECRETSECRETSECRET1@webhook",
    "discord://SECRET@",
    "discord://SECRET@123456/other",
    "telegram://123:SECRET@telegram",
    "telegram://123:SECRET@telegram?chats=1&parsemode=rtf",
    "teams://?host=https://example.com/SECRET",
    "teams://?title=x",
    "matrix://user@matrix.example.com/?rooms=x",
    "pushover://shoutrrr:SECRET@/",
    "pushover://shoutrrr:@userkey/",
    "mattermost://mattermost.example.com/",
    "googlechat://chat.googleapis.com/v1/spaces/X/messages?key=SECRET",
    "ntfy://ntfy.example.com/topic?volback_api=ftp://SECRET@x",
    "ntfy://ntfy.example.com/topic?unknownkey=SECRET",
  };
  for (const auto& url : bad) {
    const auto service = parse_service(url);
    ASSERT_FALSE(service) << url;
    const std::string scheme = url.substr(0, url.find(':'));
    EXPECT_TRUE(service.error().message().starts_with(scheme + ": ")) << service.error().message();
    EXPECT_EQ(service.error().message().find("SECRET"), std::string::npos) << service.error().message();
    EXPECT_EQ(service.error().kind(), util::ErrorKind::invalid_argument);
  }
}

TEST(ServicesTest, EveryDocumentedFormParses) {
  const std::vector<std::pair<std::string, std::string>> good = {
    {"smtp://me:pass@smtp.example.com:587/?fromaddress=no-reply@example.com&toaddresses=you@example.com",
     "smtp at smtp.example.com:587 (1 recipients)"},
    {"smtp://localhost:25/?from=a@x&to=b@x,c@x&usestarttls=no", "smtp at localhost:25 (2 recipients)"},
    {"generic://example.com/api/v1/postStuff?template=json&@Authorization=Bearer+x", "generic webhook at example.com"},
    {"generic+https://example.com/api/v1/postStuff", "generic webhook at example.com"},
    {"ntfy://ntfy.sh/mytopic?priority=high&tags=warning", "ntfy at ntfy.sh"},
    {"gotify://gotify.example.com/AbCdEfGhIjKlMnO?priority=5", "gotify at gotify.example.com"},
    {"gotify://gotify.example.com/sub/path/gtfya.abcdefghijkl", "gotify at gotify.example.com"},
    {"slack://hook:WNA3PBYV6-F20DUQND3RQ-Webc4MAvoacrpPakR8phF0zi@webhook?color=good&botname=backup", "slack webhook"},
    {"slack://xoxb:123456789012-1234567890123-4mt0t4l1YL3g1T5L4cK70k3N@C001CH4NN3L", "slack channel C001CH4NN3L"},
    {"discord://token@123456789", "discord webhook"},
    {"telegram://110201543:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw@telegram?chats=@channel,-100123:7", "telegram (2 chats)"},
    {"teams://?host=https%3A%2F%2Fprod-00.westus.logic.azure.com%3A443%2Fworkflows%2Fabc%2Ftriggers%2Fmanual%2Fpaths%"
     "2Finvoke%3Fsig%3DX&title=Alert",
     "teams workflow"},
    {"matrix://user:pass@matrix.example.com/?rooms=!abc:example.com,backups", "matrix at matrix.example.com"},
    {"matrix://:accesstoken@matrix.example.com:8448", "matrix at matrix.example.com:8448"},
    {"pushover://shoutrrr:apitoken@userkey/?devices=phone&priority=1", "pushover"},
    {"mattermost://bot@mattermost.example.com/hooktoken/backups", "mattermost at mattermost.example.com"},
    {"googlechat://chat.googleapis.com/v1/spaces/FOO/messages?key=bar&token=baz", "googlechat at chat.googleapis.com"},
  };
  for (const auto& [url, description] : good) {
    const auto service = parse_service(url);
    ASSERT_TRUE(service) << url << ": " << service.error().message();
    EXPECT_EQ((*service)->describe(), description);
  }
}

}  // namespace
}  // namespace volback::notify
