#include "common/status.h"

#include <gtest/gtest.h>

namespace qiangji {
namespace {

Result<int> Half(int x) {
  if (x % 2 != 0) return Status::InvalidField("x", "must be even");
  return x / 2;
}

Result<int> Quarter(int x) {
  QJ_ASSIGN_OR_RETURN(int h, Half(x));
  QJ_ASSIGN_OR_RETURN(int q, Half(h));
  return q;
}

TEST(Status, OkIsDefaultAndCheap) {
  Status s;
  EXPECT_TRUE(s.ok());
  EXPECT_EQ(s.code(), StatusCode::kOk);
  EXPECT_EQ(s.ToString(), "Ok");
}

TEST(Status, InvalidFieldCarriesFieldAndMessage) {
  Status s = Status::InvalidField("id_number", "check digit is wrong");
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument);
  ASSERT_EQ(s.field_errors().size(), 1u);
  EXPECT_EQ(s.field_errors()[0].field, "id_number");
  EXPECT_EQ(s.message(), "id_number: check digit is wrong");
}

TEST(Status, FieldErrorsCollectsAll) {
  FieldErrors errors;
  EXPECT_TRUE(errors.ToStatus().ok());
  errors.Add("name", "is required");
  errors.Add("sex", "must be male or female");
  Status s = errors.ToStatus();
  EXPECT_EQ(s.field_errors().size(), 2u);
  EXPECT_EQ(s.message(), "name: is required (and 1 more)");
}

TEST(Result, PropagatesErrorsThroughMacros) {
  EXPECT_EQ(*Quarter(8), 2);
  Result<int> r = Quarter(6);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().field_errors()[0].field, "x");
}

TEST(Result, OkStatusIsNotAValue) {
  Result<int> r{Status::Ok()};
  EXPECT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kInternal);
}

}  // namespace
}  // namespace qiangji
