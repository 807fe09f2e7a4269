// Each service's requests, checked against what the service's API documents (and what
// shoutrrr sends): method, URL, headers and body.

#include <volback/notify/services.hpp>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <volback/notify/test_support.hpp>

namespace volback::notify {
namespace {

using testing::FakeMail;
using testing::FakeTransport;
using testing::header;

class ServiceRequestTest : public ::testing::Test {
 protected:
  util::Result<void> send(const std::string& url, const Message& message = {"Backup title", "line one\nline two"}) {
    auto service = parse_service(url);
    if (!service) {
      ADD_FAILURE() << url << ": " << service.error().message();
      return util::fail(service.error());
    }
    SendContext context{transport, mail, clock};
    return (*service)->send(message, context);
  }

  static nlohmann::json json(const http::Request& request) { return nlohmann::json::parse(request.body); }

  FakeTransport transport;
  FakeMail mail;
  util::FixedClock clock{util::TimePoint{} + std::chrono::seconds(1'795'658'400)};
};

TEST_F(ServiceRequestTest, GenericPlain) {
  ASSERT_TRUE(send("generic://hooks.example.com/api/notify?foo=bar&_method=x"));
  ASSERT_EQ(transport.requests.size(), 1U);
  const auto& r = transport.requests[0];
  EXPECT_EQ(r.method, "POST");
  EXPECT_EQ(r.url, "https://hooks.example.com/api/notify?foo=bar&method=x");
  EXPECT_EQ(header(r, "Content-Type"), "text/plain");
  EXPECT_EQ(r.body, "line one\nline two");
}

TEST_F(ServiceRequestTest, GenericJsonWithHeadersAndExtraData) {
  ASSERT_TRUE(
    send("generic+http://user:pw@127.0.0.1:9/hook?template=json&titlekey=subject&messagekey=text"
         "&@acceptLanguage=tlh-Piqd&$source=volback&method=PUT&contenttype=application/vnd.x%2Bjson"));
  const auto& r = transport.requests.at(0);
  EXPECT_EQ(r.method, "PUT");
  EXPECT_EQ(r.url, "http://127.0.0.1:9/hook");
  EXPECT_EQ(header(r, "Content-Type"), "application/vnd.x+json");
  EXPECT_EQ(header(r, "Accept-Language"), "tlh-Piqd");
  EXPECT_EQ(header(r, "Authorization"), "Basic dXNlcjpwdw==");
  EXPECT_EQ(json(r),
            nlohmann::json({{"subject", "Backup title"}, {"text", "line one\nline two"}, {"source", "volback"}}));
}

TEST_F(ServiceRequestTest, GenericFailsOnHttpErrors) {
  transport.reply(503, "try later");
  const auto sent = send("generic://hooks.example.com/secret-path");
  ASSERT_FALSE(sent);
  EXPECT_EQ(sent.error().kind(), util::ErrorKind::transient);
  EXPECT_EQ(sent.error().message(), "generic webhook at hooks.example.com answered HTTP 503: try later");
  transport.reply(404);
  EXPECT_EQ(send("generic://hooks.example.com/secret-path").error().kind(), util::ErrorKind::permanent);
  transport.reply(401);
  EXPECT_EQ(send("generic://hooks.example.com/secret-path").error().kind(), util::ErrorKind::auth);
}

TEST_F(ServiceRequestTest, TransportErrorsHideTheUrl) {
  transport.fail(util::Error(util::ErrorKind::transient,
                             "POST https://discord.com/api/webhooks/1/SECRET: Couldn't connect to server"));
  const auto sent = send("discord://SECRET@1");
  ASSERT_FALSE(sent);
  EXPECT_EQ(sent.error().message(), "sending to discord webhook failed: Couldn't connect to server");
  EXPECT_EQ(sent.error().kind(), util::ErrorKind::transient);
}

TEST_F(ServiceRequestTest, Ntfy) {
  ASSERT_TRUE(send("ntfy://user:pass@ntfy.example.com/backups?priority=4&tags=floppy_disk,warning&cache=no"));
  const auto& r = transport.requests.at(0);
  EXPECT_EQ(r.method, "POST");
  EXPECT_EQ(r.url, "https://ntfy.example.com/backups");
  EXPECT_EQ(r.body, "line one\nline two");
  EXPECT_EQ(header(r, "Title"), "Backup title");
  EXPECT_EQ(header(r, "Priority"), "High");
  EXPECT_EQ(header(r, "Tags"), "floppy_disk,warning");
  EXPECT_EQ(header(r, "Cache"), "no");
  EXPECT_EQ(header(r, "Authorization"), "Basic dXNlcjpwYXNz");
  EXPECT_EQ(header(r, "Content-Type"), "text/plain; charset=utf-8");
}

TEST_F(ServiceRequestTest, NtfyPlainHttpAndEncodedTitle) {
  ASSERT_TRUE(send("ntfy://127.0.0.1:8080/t?scheme=http", {"Sauvegarde réussie", "ok"}));
  const auto& r = transport.requests.at(0);
  EXPECT_EQ(r.url, "http://127.0.0.1:8080/t");
  EXPECT_EQ(header(r, "Title"), "=?UTF-8?B?U2F1dmVnYXJkZSByw6l1c3NpZQ==?=");
}

TEST_F(ServiceRequestTest, Gotify) {
  ASSERT_TRUE(send("gotify://gotify.example.com/sub/AbCdEfGhIjKlMnO?priority=8&disabletls=yes"));
  const auto& r = transport.requests.at(0);
  EXPECT_EQ(r.method, "POST");
  EXPECT_EQ(r.url, "http://gotify.example.com/sub/message?token=AbCdEfGhIjKlMnO");
  EXPECT_EQ(header(r, "Content-Type"), "application/json");
  EXPECT_EQ(json(r),
            nlohmann::json(
              {{"message", "line one\nline two"}, {"title", "Backup title"}, {"priority", 8}, {"extras", nullptr}}));
}

TEST_F(ServiceRequestTest, GotifyTokenInHeader) {
  ASSERT_TRUE(send("gotify://gotify.example.com/AbCdEfGhIjKlMnO?useheader=yes&extras=%7B%22a%22%3A1%7D"));
  const auto& r = transport.requests.at(0);
  EXPECT_EQ(r.url, "https://gotify.example.com/message");
  EXPECT_EQ(header(r, "X-Gotify-Key"), "AbCdEfGhIjKlMnO");
  EXPECT_EQ(json(r)["extras"], nlohmann::json({{"a", 1}}));
}

TEST_F(ServiceRequestTest, SlackWebhook) {
  transport.reply(200, "ok");
  ASSERT_TRUE(send("slack://hook:WNA3PBYV6-F20DUQND3RQ-Webc4MAvoacrpPakR8phF0zi@webhook?color=good&botname=backup"));
  const auto& r = transport.requests.at(0);
  EXPECT_EQ(r.method, "POST");
  EXPECT_EQ(r.url, "https://hooks.slack.com/services/WNA3PBYV6/F20DUQND3RQ/Webc4MAvoacrpPakR8phF0zi");
  EXPECT_EQ(json(r), nlohmann::json::parse(R"({"text":"Backup title","username":"backup",
    "attachments":[{"text":"line one","color":"good"},{"text":"line two","color":"good"}]})"));
}

TEST_F(ServiceRequestTest, SlackBotToken) {
  transport.reply(200, R"({"ok":true})");
  ASSERT_TRUE(send("slack://xoxb:123456789012-1234567890123-4mt0t4l1YL3g1T5L4cK70k3N@C001CH4NN3L?icon=:floppy:"));
  const auto& r = transport.requests.at(0);
  EXPECT_EQ(r.url, "https://slack.com/api/chat.postMessage");
  EXPECT_EQ(header(r, "Authorization"), "Bearer xoxb-123456789012-1234567890123-4mt0t4l1YL3g1T5L4cK70k3N");
  EXPECT_EQ(json(r)["channel"], "C001CH4NN3L");
  EXPECT_EQ(json(r)["icon_emoji"], ":floppy:");
  transport.reply(200, R"({"ok":false,"error":"channel_not_found"})");
  const auto refused = send("slack://xoxb:123456789012-1234567890123-4mt0t4l1YL3g1T5L4cK70k3N@C001CH4NN3L");
  ASSERT_FALSE(refused);
  EXPECT_NE(refused.error().message().find("channel_not_found"), std::string::npos);
}

TEST_F(ServiceRequestTest, DiscordSplitsLinesIntoEmbeds) {
  std::string body;
  for (int i = 0; i < 12; ++i) {
    body += "line " + std::to_string(i) + "\n";
  }
  ASSERT_TRUE(send("discord://tok@1234?username=backup&thread_id=77", {"Title", body}));
  ASSERT_EQ(transport.requests.size(), 2U);
  const auto& r = transport.requests[0];
  EXPECT_EQ(r.url, "https://discord.com/api/webhooks/1234/tok?thread_id=77");
  const auto first = json(r);
  ASSERT_EQ(first["embeds"].size(), 10U);
  EXPECT_EQ(first["embeds"][0]["title"], "Title");
  EXPECT_EQ(first["embeds"][0]["description"], "line 0");
  EXPECT_EQ(first["embeds"][0]["color"], 0x50D9FF);
  EXPECT_FALSE(first["embeds"][1].contains("title"));
  EXPECT_EQ(first["username"], "backup");
  EXPECT_EQ(json(transport.requests[1])["embeds"].size(), 2U);
}

TEST_F(ServiceRequestTest, DiscordRaw) {
  ASSERT_TRUE(send("discord://tok@1234/raw", {"ignored", R"({"content":"raw"})"}));
  EXPECT_EQ(transport.requests.at(0).body, R"({"content":"raw"})");
}

TEST_F(ServiceRequestTest, Telegram) {
  ASSERT_TRUE(send("telegram://110201543:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw@telegram?chats=-1001,@chan:42&preview=no",
                   {"Done <ok>", "a & b"}));
  ASSERT_EQ(transport.requests.size(), 2U);
  const auto& r = transport.requests[0];
  EXPECT_EQ(r.url, "https://api.telegram.org/bot110201543:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw/sendMessage");
  const auto body = json(r);
  EXPECT_EQ(body["chat_id"], "-1001");
  EXPECT_EQ(body["text"], "<b>Done &lt;ok&gt;</b>\na &amp; b");
  EXPECT_EQ(body["parse_mode"], "HTML");
  EXPECT_EQ(body["disable_web_page_preview"], true);
  EXPECT_EQ(body["disable_notification"], false);
  EXPECT_EQ(json(transport.requests[1])["chat_id"], "@chan");
  EXPECT_EQ(json(transport.requests[1])["message_thread_id"], 42);
}

TEST_F(ServiceRequestTest, TeamsAdaptiveCard) {
  ASSERT_TRUE(
    send("teams://?host=https%3A%2F%2Fprod-00.westus.logic.azure.com%3A443%2Fworkflows%2Fabc%2Ftriggers%2F"
         "manual%2Fpaths%2Finvoke%3Fapi-version%3D2016-06-00%26sig%3DXYZ&color=red"));
  const auto& r = transport.requests.at(0);
  EXPECT_EQ(r.url,
            "https://prod-00.westus.logic.azure.com:443/workflows/abc/triggers/manual/paths/invoke?"
            "api-version=2016-06-00&sig=XYZ");
  const auto body = json(r);
  EXPECT_EQ(body["type"], "message");
  const auto& card = body["attachments"][0];
  EXPECT_EQ(card["contentType"], "application/vnd.microsoft.card.adaptive");
  EXPECT_EQ(card["content"]["type"], "AdaptiveCard");
  EXPECT_EQ(card["content"]["body"][0]["text"], "Backup title");
  EXPECT_EQ(card["content"]["body"][0]["weight"], "Bolder");
  EXPECT_EQ(card["content"]["body"][0]["color"], "attention");
  EXPECT_EQ(card["content"]["body"][2]["text"], "line two");
}

TEST_F(ServiceRequestTest, MatrixPasswordLoginJoinAndSend) {
  transport.reply(200, R"({"flows":[{"type":"m.login.password"}]})");
  transport.reply(200, R"({"access_token":"TOKEN","user_id":"@bot:x"})");
  transport.reply(200, R"({"room_id":"!joined:x"})");
  transport.reply(200, R"({"event_id":"$e"})");
  transport.reply(200, R"({"event_id":"$f"})");
  ASSERT_TRUE(send("matrix://bot:pw@matrix.example.com/?rooms=backups,!direct:x&disableTLS=yes"));
  ASSERT_EQ(transport.requests.size(), 5U);
  EXPECT_EQ(transport.requests[0].method, "GET");
  EXPECT_EQ(transport.requests[0].url, "http://matrix.example.com/_matrix/client/v3/login");
  EXPECT_EQ(transport.requests[1].method, "POST");
  EXPECT_EQ(json(transport.requests[1])["identifier"], nlohmann::json({{"type", "m.id.user"}, {"user", "bot"}}));
  EXPECT_EQ(json(transport.requests[1])["password"], "pw");
  EXPECT_EQ(transport.requests[2].url, "http://matrix.example.com/_matrix/client/v3/join/%23backups");
  EXPECT_EQ(header(transport.requests[2], "Authorization"), "Bearer TOKEN");
  EXPECT_EQ(transport.requests[3].method, "PUT");
  EXPECT_TRUE(transport.requests[3].url.starts_with(
    "http://matrix.example.com/_matrix/client/v3/rooms/%21joined%3Ax/send/m.room.message/"));
  EXPECT_EQ(json(transport.requests[3]),
            nlohmann::json({{"msgtype", "m.text"}, {"body", "Backup title\n\nline one\nline two"}}));
  EXPECT_TRUE(transport.requests[4].url.find("/rooms/%21direct%3Ax/send/") != std::string::npos);
}

TEST_F(ServiceRequestTest, MatrixAccessTokenToJoinedRooms) {
  transport.reply(200, R"({"joined_rooms":["!a:x"]})");
  ASSERT_TRUE(send("matrix://:TOKEN@matrix.example.com"));
  ASSERT_EQ(transport.requests.size(), 2U);
  EXPECT_EQ(transport.requests[0].url, "https://matrix.example.com/_matrix/client/v3/joined_rooms");
  EXPECT_EQ(header(transport.requests[0], "Authorization"), "Bearer TOKEN");
  EXPECT_EQ(transport.requests[1].method, "PUT");
}

TEST_F(ServiceRequestTest, Pushover) {
  ASSERT_TRUE(send("pushover://shoutrrr:apitoken@userkey/?devices=phone,tablet&priority=1"));
  const auto& r = transport.requests.at(0);
  EXPECT_EQ(r.url, "https://api.pushover.net/1/messages.json");
  EXPECT_EQ(header(r, "Content-Type"), "application/x-www-form-urlencoded");
  EXPECT_EQ(
    r.body,
    "device=phone%2Ctablet&message=line+one%0Aline+two&priority=1&title=Backup+title&token=apitoken&user=userkey");
}

TEST_F(ServiceRequestTest, Mattermost) {
  ASSERT_TRUE(send("mattermost://bot@mm.example.com:8065/hooktoken/town-square?icon=https://x/i.png"));
  const auto& r = transport.requests.at(0);
  EXPECT_EQ(r.url, "https://mm.example.com:8065/hooks/hooktoken");
  EXPECT_EQ(json(r), nlohmann::json({{"text", "Backup title\nline one\nline two"},
                                     {"username", "bot"},
                                     {"channel", "town-square"},
                                     {"icon_url", "https://x/i.png"}}));
}

TEST_F(ServiceRequestTest, GoogleChat) {
  ASSERT_TRUE(send("googlechat://chat.googleapis.com/v1/spaces/FOO/messages?key=bar&token=baz"));
  const auto& r = transport.requests.at(0);
  EXPECT_EQ(r.url, "https://chat.googleapis.com/v1/spaces/FOO/messages?key=bar&token=baz");
  EXPECT_EQ(json(r), nlohmann::json({{"text", "Backup title\nline one\nline two"}}));
}

TEST_F(ServiceRequestTest, ApiOverridePointsFixedHostsElsewhere) {
  ASSERT_TRUE(send("telegram://1:abc@telegram?chats=1&volback_api=http://127.0.0.1:8080"));
  ASSERT_TRUE(send("pushover://shoutrrr:t@u/?volback_api=http://127.0.0.1:8080"));
  ASSERT_TRUE(send("teams://?host=https://a.logic.azure.com/workflows/w%3Fsig%3Dx&volback_api=http://[::1]:9"));
  EXPECT_EQ(transport.requests[0].url, "http://127.0.0.1:8080/bot1:abc/sendMessage");
  EXPECT_EQ(transport.requests[1].url, "http://127.0.0.1:8080/1/messages.json");
  EXPECT_EQ(transport.requests[2].url, "http://[::1]:9/workflows/w?sig=x");
}

TEST_F(ServiceRequestTest, SmtpOneMailPerRecipient) {
  ASSERT_TRUE(
    send("smtp://me:pw@smtp.example.com:587/?from=backup%2Bvol@example.com&to=a@example.com,b@example.com"
         "&fromname=Volback+Backups",
         {"Backup réussi", "line one\nline two = ok"}));
  ASSERT_EQ(mail.sent.size(), 2U);
  const auto& first = mail.sent[0];
  EXPECT_EQ(first.server.host, "smtp.example.com");
  EXPECT_EQ(first.server.port, 587);
  EXPECT_EQ(first.server.security, SmtpSecurity::starttls);  // a password never goes out in clear text
  EXPECT_EQ(first.server.auth, SmtpAuth::plain);
  EXPECT_EQ(first.server.username, "me");
  EXPECT_EQ(first.envelope.from, "backup+vol@example.com");
  EXPECT_EQ(first.envelope.to, std::vector<std::string>{"a@example.com"});
  EXPECT_EQ(mail.sent[1].envelope.to, std::vector<std::string>{"b@example.com"});
  const auto& m = first.message;
  EXPECT_NE(m.find("From: Volback Backups <backup+vol@example.com>\r\n"), std::string::npos) << m;
  EXPECT_NE(m.find("To: a@example.com\r\n"), std::string::npos);
  EXPECT_NE(m.find("Subject: =?UTF-8?B?QmFja3VwIHLDqXVzc2k=?=\r\n"), std::string::npos);
  EXPECT_NE(m.find("Date: Thu, 26 Nov 2026 02:00:00 +0000\r\n"), std::string::npos);
  EXPECT_NE(m.find("\r\n\r\nline one\r\nline two =3D ok\r\n"), std::string::npos) << m;
}

TEST_F(ServiceRequestTest, SmtpSecurityChoices) {
  ASSERT_TRUE(send("smtp://u:p@mail.example.com:465/?from=a@x&to=b@x"));
  EXPECT_EQ(mail.sent.back().server.security, SmtpSecurity::implicit_tls);
  ASSERT_TRUE(send("smtp://localhost:2525/?from=a@x&to=b@x&usestarttls=no"));
  EXPECT_EQ(mail.sent.back().server.security, SmtpSecurity::none);
  EXPECT_EQ(mail.sent.back().server.auth, SmtpAuth::none);
  ASSERT_TRUE(send("smtp://u:p@127.0.0.1:2525/?from=a@x&to=b@x&auth=Login&skiptlsverify=yes&timeout=3s"));
  EXPECT_EQ(mail.sent.back().server.security, SmtpSecurity::try_starttls);
  EXPECT_EQ(mail.sent.back().server.auth, SmtpAuth::login);
  EXPECT_FALSE(mail.sent.back().server.verify_tls);
  EXPECT_EQ(mail.sent.back().server.timeout, std::chrono::seconds(3));
  ASSERT_TRUE(send("smtp://mail.example.com/?from=a@x&to=b@x&encryption=ImplicitTLS&subject=Fallback", {"", "b"}));
  EXPECT_EQ(mail.sent.back().server.security, SmtpSecurity::implicit_tls);
  EXPECT_EQ(mail.sent.back().server.port, 25);
  EXPECT_NE(mail.sent.back().message.find("Subject: Fallback\r\n"), std::string::npos);
}

}  // namespace
}  // namespace volback::notify
