#include "api/problem.h"

#include <gtest/gtest.h>
#include <boost/json.hpp>

namespace qiangji::api {
namespace {

namespace json = boost::json;

TEST(ProblemTest, MapsEveryStatusCodeToHttp) {
  EXPECT_EQ(HttpStatusFor(StatusCode::kInvalidArgument), 400);
  EXPECT_EQ(HttpStatusFor(StatusCode::kUnauthenticated), 401);
  EXPECT_EQ(HttpStatusFor(StatusCode::kPermissionDenied), 403);
  EXPECT_EQ(HttpStatusFor(StatusCode::kNotFound), 404);
  EXPECT_EQ(HttpStatusFor(StatusCode::kAlreadyExists), 409);
  EXPECT_EQ(HttpStatusFor(StatusCode::kFailedPrecondition), 409);
  EXPECT_EQ(HttpStatusFor(StatusCode::kResourceExhausted), 429);
  EXPECT_EQ(HttpStatusFor(StatusCode::kInternal), 500);
  EXPECT_EQ(HttpStatusFor(StatusCode::kOk), 500);  // an ok Status as an error is a bug
}

TEST(ProblemTest, InvalidArgumentCarriesFieldErrors) {
  FieldErrors errors;
  errors.Add("id_number", "check digit is wrong");
  errors.Add("sex", "must be male or female");
  HttpResponse res = ProblemFromStatus(errors.ToStatus());
  EXPECT_EQ(res.status, 400);
  EXPECT_EQ(res.content_type, "application/problem+json");
  json::object body = json::parse(res.body).as_object();
  EXPECT_EQ(body.at("type"), "https://qiangji.dev/problems/invalid-argument");
  EXPECT_EQ(body.at("title"), "Invalid argument");
  EXPECT_EQ(body.at("status"), 400);
  EXPECT_EQ(body.at("detail"), "id_number: check digit is wrong (and 1 more)");
  const json::array& list = body.at("errors").as_array();
  ASSERT_EQ(list.size(), 2u);
  EXPECT_EQ(list[0].at("field"), "id_number");
  EXPECT_EQ(list[0].at("message"), "check digit is wrong");
  EXPECT_EQ(list[1].at("field"), "sex");
}

TEST(ProblemTest, NotFoundHasEmptyErrorList) {
  HttpResponse res = ProblemFromStatus(Status::NotFound("person 9 not found"));
  EXPECT_EQ(res.status, 404);
  json::object body = json::parse(res.body).as_object();
  EXPECT_EQ(body.at("detail"), "person 9 not found");
  EXPECT_TRUE(body.at("errors").as_array().empty());
}

TEST(ProblemTest, InternalErrorsLeakNothing) {
  HttpResponse res = ProblemFromStatus(Status::Internal("sqlite: disk I/O error at /var/db"));
  EXPECT_EQ(res.status, 500);
  EXPECT_EQ(res.body.find("sqlite"), std::string::npos);
  EXPECT_EQ(res.body.find("/var/db"), std::string::npos);
  EXPECT_EQ(json::parse(res.body).at("type"), "https://qiangji.dev/problems/internal");
}

TEST(ProblemTest, TooManyRequestsCarriesRetryAfter) {
  HttpResponse res = ProblemFromStatus(Status::ResourceExhausted(
      "too many failed sign-ins for this user name; try again in 42 seconds"));
  EXPECT_EQ(res.status, 429);
  EXPECT_EQ(res.Header("Retry-After"), "42");
  EXPECT_EQ(RetryAfterSeconds("slow down; retry after 7 s"), 7);
  EXPECT_EQ(RetryAfterSeconds("slow down"), 60);
  EXPECT_EQ(RetryAfterSeconds("try again in soon"), 60);
}

TEST(ProblemTest, ConflictsAre409) {
  EXPECT_EQ(ProblemFromStatus(Status::AlreadyExists("id_number: taken")).status, 409);
  EXPECT_EQ(ProblemFromStatus(Status::FailedPrecondition("post already ended")).status, 409);
  EXPECT_EQ(json::parse(ProblemFromStatus(Status::AlreadyExists("x")).body).at("type"),
            "https://qiangji.dev/problems/already-exists");
}

}  // namespace
}  // namespace qiangji::api
