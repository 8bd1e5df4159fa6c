// Status and Result<T>: how errors cross layers. A Status is cheap when ok (one null pointer).
// Codes know nothing of HTTP; api/problem.cc maps them to status codes in one place.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

namespace qiangji {

enum class StatusCode {
  kOk = 0,
  kInvalidArgument,     // the caller's input is wrong; field_errors() says where (400)
  kUnauthenticated,     // no valid session, or wrong credentials (401)
  kPermissionDenied,    // signed in, but the role may not do this (403)
  kNotFound,            // no such object, or outside the caller's scope (404)
  kAlreadyExists,       // a unique key is taken (409)
  kFailedPrecondition,  // the object's state forbids the change, e.g. a rule is broken (409)
  kResourceExhausted,   // too many attempts; try later (429)
  kInternal,            // a bug or an I/O failure, never the caller's fault (500)
};

std::string_view StatusCodeName(StatusCode code);

// One problem with one input field. `field` is the JSON path as the caller sent it
// ("id_number", "members[3].name"); `message` says what is wrong in a sentence.
struct FieldError {
  std::string field;
  std::string message;
  bool operator==(const FieldError&) const = default;
};

class [[nodiscard]] Status {
 public:
  Status() = default;  // ok

  static Status Ok() { return Status(); }
  static Status InvalidArgument(std::string message, std::vector<FieldError> errors = {});
  // A single field error; the message becomes "field: message".
  static Status InvalidField(std::string field, std::string message);
  static Status Unauthenticated(std::string message);
  static Status PermissionDenied(std::string message);
  static Status NotFound(std::string message);
  static Status AlreadyExists(std::string message);
  static Status FailedPrecondition(std::string message);
  static Status ResourceExhausted(std::string message);
  static Status Internal(std::string message);

  bool ok() const { return rep_ == nullptr; }
  StatusCode code() const { return rep_ ? rep_->code : StatusCode::kOk; }
  const std::string& message() const;
  const std::vector<FieldError>& field_errors() const;
  // "NotFound: village 130624100200 not found"
  std::string ToString() const;

 private:
  struct Rep {
    StatusCode code;
    std::string message;
    std::vector<FieldError> field_errors;
  };
  Status(StatusCode code, std::string message, std::vector<FieldError> errors = {});
  std::shared_ptr<const Rep> rep_;
};

// Collects field errors during validation, then becomes one InvalidArgument status.
class FieldErrors {
 public:
  void Add(std::string field, std::string message) {
    errors_.push_back({std::move(field), std::move(message)});
  }
  bool empty() const { return errors_.empty(); }
  const std::vector<FieldError>& errors() const { return errors_; }
  // Ok when empty; otherwise InvalidArgument whose message names the first field.
  Status ToStatus() const;

 private:
  std::vector<FieldError> errors_;
};

template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : v_(std::move(value)) {}        // NOLINT: implicit by design
  Result(Status status) : v_(std::move(status)) {  // NOLINT
    if (std::get<Status>(v_).ok()) v_ = Status::Internal("Result built from an ok Status");
  }

  bool ok() const { return v_.index() == 0; }
  const Status& status() const {
    static const Status kOk;
    return ok() ? kOk : std::get<1>(v_);
  }
  T& value() & { return std::get<0>(v_); }
  const T& value() const& { return std::get<0>(v_); }
  T&& value() && { return std::get<0>(std::move(v_)); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }

 private:
  std::variant<T, Status> v_;
};

}  // namespace qiangji

#define QJ_CONCAT_INNER_(a, b) a##b
#define QJ_CONCAT_(a, b) QJ_CONCAT_INNER_(a, b)

// Returns the Status from the enclosing function if `expr` is not ok.
#define QJ_RETURN_IF_ERROR(expr)             \
  do {                                       \
    ::qiangji::Status qj_status_ = (expr);   \
    if (!qj_status_.ok()) return qj_status_; \
  } while (0)

// QJ_ASSIGN_OR_RETURN(auto x, MakeX()); returns the error status if MakeX() failed.
#define QJ_ASSIGN_OR_RETURN(lhs, expr) \
  QJ_ASSIGN_OR_RETURN_IMPL_(QJ_CONCAT_(qj_result_, __LINE__), lhs, expr)
#define QJ_ASSIGN_OR_RETURN_IMPL_(tmp, lhs, expr) \
  auto tmp = (expr);                              \
  if (!tmp.ok()) return tmp.status();             \
  lhs = std::move(tmp).value()
