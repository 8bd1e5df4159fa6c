#include "common/status.h"

namespace qiangji {

std::string_view StatusCodeName(StatusCode code) {
  switch (code) {
    case StatusCode::kOk:
      return "Ok";
    case StatusCode::kInvalidArgument:
      return "InvalidArgument";
    case StatusCode::kUnauthenticated:
      return "Unauthenticated";
    case StatusCode::kPermissionDenied:
      return "PermissionDenied";
    case StatusCode::kNotFound:
      return "NotFound";
    case StatusCode::kAlreadyExists:
      return "AlreadyExists";
    case StatusCode::kFailedPrecondition:
      return "FailedPrecondition";
    case StatusCode::kResourceExhausted:
      return "ResourceExhausted";
    case StatusCode::kInternal:
      return "Internal";
  }
  return "Unknown";
}

Status::Status(StatusCode code, std::string message, std::vector<FieldError> errors)
    : rep_(std::make_shared<const Rep>(Rep{code, std::move(message), std::move(errors)})) {}

Status Status::InvalidArgument(std::string message, std::vector<FieldError> errors) {
  return Status(StatusCode::kInvalidArgument, std::move(message), std::move(errors));
}
Status Status::InvalidField(std::string field, std::string message) {
  std::string text = field + ": " + message;
  return Status(StatusCode::kInvalidArgument, std::move(text),
                {FieldError{std::move(field), std::move(message)}});
}
Status Status::Unauthenticated(std::string m) {
  return Status(StatusCode::kUnauthenticated, std::move(m));
}
Status Status::PermissionDenied(std::string m) {
  return Status(StatusCode::kPermissionDenied, std::move(m));
}
Status Status::NotFound(std::string m) { return Status(StatusCode::kNotFound, std::move(m)); }
Status Status::AlreadyExists(std::string m) {
  return Status(StatusCode::kAlreadyExists, std::move(m));
}
Status Status::FailedPrecondition(std::string m) {
  return Status(StatusCode::kFailedPrecondition, std::move(m));
}
Status Status::ResourceExhausted(std::string m) {
  return Status(StatusCode::kResourceExhausted, std::move(m));
}
Status Status::Internal(std::string m) { return Status(StatusCode::kInternal, std::move(m)); }

const std::string& Status::message() const {
  static const std::string kEmpty;
  return rep_ ? rep_->message : kEmpty;
}

const std::vector<FieldError>& Status::field_errors() const {
  static const std::vector<FieldError> kNone;
  return rep_ ? rep_->field_errors : kNone;
}

std::string Status::ToString() const {
  if (ok()) return "Ok";
  return std::string(StatusCodeName(code())) + ": " + message();
}

Status FieldErrors::ToStatus() const {
  if (errors_.empty()) return Status::Ok();
  std::string message = errors_.front().field + ": " + errors_.front().message;
  if (errors_.size() > 1) message += " (and " + std::to_string(errors_.size() - 1) + " more)";
  return Status::InvalidArgument(std::move(message), errors_);
}

}  // namespace qiangji
