// matrix://[user:]password@host[:port]/?rooms=!roomID,#alias:server&disableTLS=&title=
// shoutrrr's matrix, Client-Server API v3: with a user, GET /_matrix/client/v3/login
// (the flows) then POST /_matrix/client/v3/login {"type": "m.login.password",
// "identifier": {"type": "m.id.user", "user"}, "password", "device_id"} for the access
// token; without one the password is the access token. Each room alias is joined (POST
// /_matrix/client/v3/join/<alias>) for its room id; without rooms the message goes to
// every joined room (GET /_matrix/client/v3/joined_rooms). The message is PUT to
// /_matrix/client/v3/rooms/<id>/send/m.room.message/<txn> as {"msgtype": "m.text",
// "body": title + "\n\n" + message}, with "Authorization: Bearer <token>".

#include <random>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <volback/notify/http_call.hpp>
#include <volback/notify/services.hpp>
#include <volback/util/trim.hpp>

namespace volback::notify {

namespace {

class MatrixService final : public Service {
 public:
  std::string_view scheme() const override { return "matrix"; }
  std::string describe() const override { return fmt::format("matrix at {}", m_host); }

  util::Result<void> send(const Message& message, SendContext& context) const override {
    std::string token = m_password;
    if (!m_user.empty()) {
      VOLBACK_TRY_ASSIGN(token, login(context));
    }
    const std::vector<http::Header> auth{{"Authorization", "Bearer " + token}};
    std::vector<std::string> rooms;
    if (m_rooms.empty()) {
      VOLBACK_TRY_ASSIGN(
        const auto response,
        http_call(context.http,
                  http::Request{.method = "GET", .url = m_origin + "/_matrix/client/v3/joined_rooms", .headers = auth},
                  describe()));
      const auto reply = nlohmann::json::parse(response.body, nullptr, false);
      if (!reply.is_object() || !reply.contains("joined_rooms") || !reply["joined_rooms"].is_array()) {
        return util::fail(util::ErrorKind::permanent, fmt::format("{}: unexpected joined_rooms reply", describe()));
      }
      for (const auto& room : reply["joined_rooms"]) {
        if (room.is_string()) {
          rooms.push_back(room.get<std::string>());
        }
      }
    }
    for (const auto& room : m_rooms) {
      if (room.starts_with('!')) {
        rooms.push_back(room);
        continue;
      }
      VOLBACK_TRY_ASSIGN(
        const auto response,
        http_call(
          context.http,
          json_post(m_origin + "/_matrix/client/v3/join/" + http::url_encode(room, http::Slash::encode), "{}", auth),
          describe()));
      const auto reply = nlohmann::json::parse(response.body, nullptr, false);
      if (!reply.is_object() || !reply.contains("room_id") || !reply["room_id"].is_string()) {
        return util::fail(util::ErrorKind::permanent, fmt::format("{}: unexpected join reply", describe()));
      }
      rooms.push_back(reply["room_id"].get<std::string>());
    }
    const std::string title = message.title.empty() ? m_title : message.title;
    nlohmann::ordered_json body;
    body["msgtype"] = "m.text";
    body["body"] = util::trim(title).empty() ? message.body : std::string(util::trim(title)) + "\n\n" + message.body;
    const std::string text = body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    std::random_device random;
    for (const auto& room : rooms) {
      const std::string txn =
        fmt::format("volback-{:016x}{:08x}", context.clock.now().time_since_epoch().count(), random());
      http::Request request = json_post(fmt::format("{}/_matrix/client/v3/rooms/{}/send/m.room.message/{}", m_origin,
                                                    http::url_encode(room, http::Slash::encode), txn),
                                        text, auth);
      request.method = "PUT";
      VOLBACK_TRY(http_call(context.http, request, describe()));
    }
    return {};
  }

  util::Result<std::string> login(SendContext& context) const {
    VOLBACK_TRY_ASSIGN(
      const auto flows,
      http_call(context.http, http::Request{.method = "GET", .url = m_origin + "/_matrix/client/v3/login"},
                describe()));
    const auto reply = nlohmann::json::parse(flows.body, nullptr, false);
    bool password_flow = false;
    if (reply.is_object() && reply.contains("flows") && reply["flows"].is_array()) {
      for (const auto& flow : reply["flows"]) {
        password_flow = password_flow || (flow.is_object() && flow.value("type", "") == "m.login.password");
      }
    }
    if (!password_flow) {
      return util::fail(util::ErrorKind::permanent, fmt::format("{} offers no m.login.password flow", describe()));
    }
    nlohmann::ordered_json body;
    body["type"] = "m.login.password";
    body["identifier"] = {{"type", "m.id.user"}, {"user", m_user}};
    body["password"] = m_password;
    body["device_id"] = "VOLBACK";
    VOLBACK_TRY_ASSIGN(
      const auto response,
      http_call(context.http, json_post(m_origin + "/_matrix/client/v3/login", body.dump()), describe()));
    const auto login = nlohmann::json::parse(response.body, nullptr, false);
    if (!login.is_object() || !login.contains("access_token") || !login["access_token"].is_string()) {
      return util::fail(util::ErrorKind::permanent, fmt::format("{}: the login reply has no access_token", describe()));
    }
    return login["access_token"].get<std::string>();
  }

  std::string m_host;
  std::string m_origin;
  std::string m_user;
  std::string m_password;
  std::vector<std::string> m_rooms;
  std::string m_title;
};

}  // namespace

util::Result<std::unique_ptr<Service>> parse_matrix(const ServiceUrl& url) {
  VOLBACK_TRY(check_params(url, {"disabletls", "rooms", "room", "title"}));
  if (!url.password) {
    return util::fail(util::ErrorKind::invalid_argument,
                      "missing the password or access token (matrix://user:password@host)");
  }
  if (url.host.empty()) {
    return util::fail(util::ErrorKind::invalid_argument, "missing the homeserver's host");
  }
  auto service = std::make_unique<MatrixService>();
  service->m_host = url.raw_authority_host;
  service->m_user = url.user.value_or("");
  service->m_password = *url.password;
  for (const auto key : {"rooms", "room"}) {
    if (const auto v = url.param(key)) {
      service->m_rooms = split_list(*v);
    }
  }
  for (auto& room : service->m_rooms) {
    if (room[0] != '#' && room[0] != '!') {
      room.insert(room.begin(), '#');
    }
  }
  service->m_title = url.param("title").value_or("");
  bool disable_tls = false;
  if (const auto v = url.param("disabletls")) {
    const auto b = parse_shoutrrr_bool(*v);
    if (!b) {
      return util::fail(util::ErrorKind::invalid_argument, "disableTLS must be yes or no");
    }
    disable_tls = *b;
  }
  VOLBACK_TRY_ASSIGN(service->m_origin,
                     api_origin(url, fmt::format("{}://{}", disable_tls ? "http" : "https", url.raw_authority_host)));
  return std::unique_ptr<Service>(std::move(service));
}

}  // namespace volback::notify
