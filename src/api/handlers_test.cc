// The api layer in process, over real services on a temp SQLite database: the session and CSRF
// gate, problem answers for bad input (and that nothing changed), routing errors, and the JSON
// shapes of docs/api.md. The black-box suite (tests/api) drives the same over HTTP.
#include <fmt/format.h>
#include <gtest/gtest.h>
#include <boost/json.hpp>

#include "api/api.h"
#include "services/test_env.h"

namespace qiangji::api {
namespace {

namespace json = boost::json;
using services::testing::kVillageA1;
using services::testing::kVillageB1;

constexpr char kPassword[] = "correct horse battery";

struct Signed {
  std::string cookie;  // "qj_session=..."
  std::string csrf;
};

class HandlersTest : public services::testing::ServicesTest {
 protected:
  void SetUp() override {
    ServicesTest::SetUp();
    AddUser("town_a", domain::Role::kTownship, "130624100");
    AddUser("county", domain::Role::kCounty, "130624");
    api_ = std::make_unique<Api>(svc(), ApiOptions{});
  }

  void AddUser(const std::string& name, domain::Role role, const std::string& scope) {
    domain::User u;
    u.username = name;
    u.display_name = name;
    u.role = role;
    u.scope = scope;
    auto added = svc().users.Add(system_, u, kPassword);
    ASSERT_TRUE(added.ok()) << added.status().ToString();
  }

  HttpResponse Call(std::string method, std::string target, std::string body = "",
                    const Signed* who = nullptr, bool with_csrf = true) {
    HttpRequest r;
    r.method = std::move(method);
    r.target = std::move(target);
    r.body = std::move(body);
    r.client_ip = "10.0.0.7";
    if (who) {
      r.cookie = "theme=dark; " + who->cookie;
      if (with_csrf) r.csrf_token = who->csrf;
    }
    return api_->Handle(r);
  }

  Signed SignIn(const std::string& user) {
    HttpResponse res =
        Call("POST", "/api/v1/auth/login",
             json::serialize(json::object{{"username", user}, {"password", kPassword}}));
    EXPECT_EQ(res.status, 200) << res.body;
    std::string cookie = res.Header("Set-Cookie");
    EXPECT_NE(cookie.find("HttpOnly"), std::string::npos);
    EXPECT_NE(cookie.find("SameSite=Strict"), std::string::npos);
    EXPECT_NE(cookie.find("Path=/"), std::string::npos);
    EXPECT_NE(cookie.find("Max-Age="), std::string::npos);
    json::value body = json::parse(res.body);
    return {cookie.substr(0, cookie.find(';')), std::string(body.at("csrf_token").as_string())};
  }

  static json::value Body(const HttpResponse& res) { return json::parse(res.body); }
  static std::string Str(const json::value& v) {
    return v.is_string() ? std::string(v.get_string()) : json::serialize(v);
  }
  static std::string FirstField(const HttpResponse& res) {
    const json::value body = json::parse(res.body);
    const json::array& errors = body.at("errors").as_array();
    return errors.empty() ? "" : std::string(errors[0].at("field").as_string());
  }

  std::string PersonBody(int64_t village, const std::string& id_number) {
    return json::serialize(json::object{{"name", "王芳"},
                                        {"sex", "female"},
                                        {"birth_date", "1980-05-01"},
                                        {"id_number", id_number},
                                        {"phone", "13912345678"},
                                        {"education", "bachelor"},
                                        {"party_status", "member"},
                                        {"party_join_date", "2005-07-01"},
                                        {"division_code", fmt::format("{}", village)}});
  }

  std::unique_ptr<Api> api_;
};

TEST_F(HandlersTest, PublicRoutesNeedNoSession) {
  HttpResponse meta = Call("GET", "/api/v1/meta");
  EXPECT_EQ(meta.status, 200) << meta.body;
  EXPECT_EQ(Body(meta).at("name"), "qiangji");
  EXPECT_EQ(Str(Body(meta).at("version")), std::string(ApiVersion()));
  HttpResponse doc = Call("GET", "/api/v1/openapi.json");
  EXPECT_EQ(doc.status, 200);
  EXPECT_EQ(Body(doc).at("openapi"), "3.0.3");
  EXPECT_EQ(doc.Header("Cache-Control"), "no-store");
}

TEST_F(HandlersTest, EverythingElseNeedsASession) {
  for (const Route& r : ApiRoutes()) {
    if (r.access != Access::kSession) continue;
    std::string path(r.pattern);
    if (auto at = path.find("{id}"); at != std::string::npos) path.replace(at, 4, "1");
    if (auto at = path.find("{code}"); at != std::string::npos) path.replace(at, 6, "130624100201");
    HttpResponse res = Call(std::string(r.method), path, "{}");
    EXPECT_EQ(res.status, 401) << r.method << " " << path;
    EXPECT_EQ(res.content_type, "application/problem+json");
  }
  HttpRequest forged;
  forged.method = "GET";
  forged.target = "/api/v1/auth/me";
  forged.cookie = "qj_session=00112233";
  HttpResponse res = api_->Handle(forged);
  EXPECT_EQ(res.status, 401);
  EXPECT_NE(res.Header("Set-Cookie").find("Max-Age=0"), std::string::npos);
}

TEST_F(HandlersTest, LoginMeLogout) {
  Signed s = SignIn("town_a");
  HttpResponse me = Call("GET", "/api/v1/auth/me", "", &s);
  ASSERT_EQ(me.status, 200) << me.body;
  EXPECT_EQ(Body(me).at("user").at("username"), "town_a");
  EXPECT_EQ(Body(me).at("user").at("role"), "township");
  EXPECT_EQ(Body(me).at("user").at("scope"), "130624100");
  EXPECT_EQ(Str(Body(me).at("csrf_token")), s.csrf);

  HttpResponse no_csrf = Call("POST", "/api/v1/auth/logout", "", &s, /*with_csrf=*/false);
  EXPECT_EQ(no_csrf.status, 403);
  EXPECT_EQ(Body(no_csrf).at("type"), "https://qiangji.dev/problems/csrf");

  HttpResponse out = Call("POST", "/api/v1/auth/logout", "", &s);
  EXPECT_EQ(out.status, 204);
  EXPECT_NE(out.Header("Set-Cookie").find("qj_session=;"), std::string::npos);
  EXPECT_NE(out.Header("Set-Cookie").find("Max-Age=0"), std::string::npos);
  EXPECT_EQ(Call("GET", "/api/v1/auth/me", "", &s).status, 401);
}

TEST_F(HandlersTest, WrongPasswordIs401AndBadLoginBodyIs400) {
  HttpResponse wrong = Call("POST", "/api/v1/auth/login",
                            R"({"username": "town_a", "password": "not the password"})");
  EXPECT_EQ(wrong.status, 401);
  EXPECT_TRUE(wrong.Header("Set-Cookie").empty());
  HttpResponse typed = Call("POST", "/api/v1/auth/login", R"({"username": 7, "password": "x"})");
  EXPECT_EQ(typed.status, 400);
  EXPECT_EQ(FirstField(typed), "username");
  HttpResponse broken = Call("POST", "/api/v1/auth/login", R"({"username": )");
  EXPECT_EQ(broken.status, 400);
  EXPECT_EQ(FirstField(broken), "body");
}

TEST_F(HandlersTest, WritesWithoutTheCsrfTokenChangeNothing) {
  Signed s = SignIn("county");
  const int64_t before = Count("person");
  HttpResponse res = Call("POST", "/api/v1/people",
                          PersonBody(kVillageA1, services::testing::IdNumber("19800501", "002")),
                          &s, /*with_csrf=*/false);
  EXPECT_EQ(res.status, 403);
  Signed wrong = s;
  wrong.csrf = std::string(s.csrf.size(), '0');
  EXPECT_EQ(Call("POST", "/api/v1/people",
                 PersonBody(kVillageA1, services::testing::IdNumber("19800501", "002")), &wrong)
                .status,
            403);
  EXPECT_EQ(Count("person"), before);
}

TEST_F(HandlersTest, CreateReadAndMaskAPerson) {
  Signed s = SignIn("county");
  const std::string id = services::testing::IdNumber("19800501", "002");
  HttpResponse created = Call("POST", "/api/v1/people", PersonBody(kVillageA1, id), &s);
  ASSERT_EQ(created.status, 201) << created.body;
  json::value p = Body(created);
  const int64_t pid = p.at("id").as_int64();
  EXPECT_EQ(created.Header("Location"), fmt::format("/api/v1/people/{}", pid));
  EXPECT_EQ(Str(p.at("id_number")), "130***********" + id.substr(14));
  EXPECT_EQ(p.at("phone"), "139****5678");
  EXPECT_EQ(p.at("revealed"), false);
  EXPECT_EQ(p.at("division_code"), "130624100201");

  HttpResponse revealed = Call("GET", fmt::format("/api/v1/people/{}?reveal=true", pid), "", &s);
  ASSERT_EQ(revealed.status, 200) << revealed.body;
  EXPECT_EQ(Str(Body(revealed).at("id_number")), id);

  HttpResponse list = Call("GET", "/api/v1/people?page_size=10&under=130624100", "", &s);
  ASSERT_EQ(list.status, 200) << list.body;
  EXPECT_EQ(Body(list).at("total"), 1);
  EXPECT_EQ(Body(list).at("page_size"), 10);

  // The township user of another township gets 404 for it, whatever the route.
  AddUser("town_b", domain::Role::kTownship, "130624101");
  Signed b = SignIn("town_b");
  EXPECT_EQ(Call("GET", fmt::format("/api/v1/people/{}", pid), "", &b).status, 404);
  EXPECT_EQ(
      Call("PUT", fmt::format("/api/v1/people/{}", pid), PersonBody(kVillageB1, id), &b).status,
      404);
}

TEST_F(HandlersTest, BadInputIs400WithTheFieldAndNoRow) {
  Signed s = SignIn("county");
  const int64_t before = Count("person");
  std::string wrong_check = services::testing::IdNumber("19800501", "002");
  wrong_check.back() = wrong_check.back() == '0' ? '1' : '0';
  struct Case {
    std::string body;
    std::string field;
  } cases[] = {
      {"{not json", "body"},
      {"[]", "body"},
      {R"({"name": "x", "sex": 1, "division_code": "130624100201"})", "sex"},
      {R"({"name": "x", "sex": "male", "division_code": 130624100201})", "division_code"},
      {R"({"name": "x", "sex": "male", "division_code": "130624"})", "division_code"},
      {PersonBody(kVillageA1, wrong_check), "id_number"},
  };
  for (const Case& c : cases) {
    HttpResponse res = Call("POST", "/api/v1/people", c.body, &s);
    EXPECT_EQ(res.status, 400) << c.body << " -> " << res.body;
    EXPECT_EQ(res.content_type, "application/problem+json");
    EXPECT_EQ(FirstField(res), c.field) << c.body << " -> " << res.body;
  }
  EXPECT_EQ(Count("person"), before);
}

TEST_F(HandlersTest, PathAndQueryErrors) {
  Signed s = SignIn("county");
  HttpResponse bad_id = Call("GET", "/api/v1/people/abc", "", &s);
  EXPECT_EQ(bad_id.status, 400);
  EXPECT_EQ(FirstField(bad_id), "id");
  HttpResponse bad_code = Call("GET", "/api/v1/villages/1306241", "", &s);
  EXPECT_EQ(bad_code.status, 400);
  EXPECT_EQ(FirstField(bad_code), "code");
  HttpResponse bad_page = Call("GET", "/api/v1/villages?page=0", "", &s);
  EXPECT_EQ(bad_page.status, 400);
  EXPECT_EQ(FirstField(bad_page), "page");
  HttpResponse bad_kind = Call("GET", "/api/v1/posts?kind=king", "", &s);
  EXPECT_EQ(bad_kind.status, 400);
  EXPECT_EQ(FirstField(bad_kind), "kind");
  HttpResponse bad_reveal = Call("GET", "/api/v1/people/1?reveal=maybe", "", &s);
  EXPECT_EQ(bad_reveal.status, 400);
  EXPECT_EQ(FirstField(bad_reveal), "reveal");
  EXPECT_EQ(Call("GET", "/api/v1/people/999999", "", &s).status, 404);
}

TEST_F(HandlersTest, UnknownRouteIs404AndWrongMethod405) {
  HttpResponse missing = Call("GET", "/api/v1/nothing-here");
  EXPECT_EQ(missing.status, 404);
  EXPECT_EQ(missing.content_type, "application/problem+json");
  HttpResponse wrong = Call("PATCH", "/api/v1/people/3");
  EXPECT_EQ(wrong.status, 405);
  EXPECT_EQ(wrong.Header("Allow"), "GET, PUT");
  EXPECT_EQ(Call("GET", "/api").status, 404);
}

TEST_F(HandlersTest, VillagesAndDivisionsInScope) {
  Signed s = SignIn("town_a");
  HttpResponse roots = Call("GET", "/api/v1/divisions", "", &s);
  ASSERT_EQ(roots.status, 200) << roots.body;
  const json::value roots_body = Body(roots);
  const json::array& items = roots_body.at("items").as_array();
  ASSERT_FALSE(items.empty());
  EXPECT_TRUE(items[0].as_object().contains("child_count"));

  HttpResponse put = Call("PUT", "/api/v1/villages/130624100201",
                          R"({"households": 120, "population": 400, "area_km2": 12.5,
                              "main_industries": ["核桃"], "tags": ["key_village"]})",
                          &s);
  ASSERT_EQ(put.status, 200) << put.body;
  EXPECT_EQ(Body(put).at("households"), 120);
  HttpResponse detail = Call("GET", "/api/v1/villages/130624100201", "", &s);
  ASSERT_EQ(detail.status, 200) << detail.body;
  json::value d = Body(detail);
  EXPECT_EQ(d.at("code"), "130624100201");
  EXPECT_EQ(d.at("village").at("tags").as_array()[0], "key_village");
  for (std::string_view key : {"party_orgs", "two_committees", "vacant_posts", "township_name",
                               "is_villagers_committee", "secretary_name", "member_count"})
    EXPECT_TRUE(d.as_object().contains(key)) << key;
  HttpResponse mismatch =
      Call("PUT", "/api/v1/villages/130624100201", R"({"division_code": "130624100202"})", &s);
  EXPECT_EQ(mismatch.status, 400);
  EXPECT_EQ(FirstField(mismatch), "division_code");
  EXPECT_EQ(Call("GET", "/api/v1/villages/130624101201", "", &s).status, 404);  // township B
}

}  // namespace
}  // namespace qiangji::api
