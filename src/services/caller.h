// Who is calling a service, and what they may do. The api layer builds a Caller from the
// session; the CLI builds a system Caller. Every service checks scope with it, never the UI.
#pragma once

#include <cstdint>
#include <string>

#include "common/division_code.h"
#include "domain/records.h"

namespace qiangji::services {

struct Caller {
  int64_t user_id = 0;  // 0 for the system (CLI, demo builder)
  std::string username = "system";
  domain::Role role = domain::Role::kAdmin;
  std::string scope_prefix;  // "" = everything
  DivisionRange scope = DivisionRange::All();
  std::string client_ip;  // for the audit log; "" from the CLI

  static Caller System() { return Caller{}; }
  bool InScope(int64_t division_code) const { return scope.Contains(division_code); }
  // viewer is read-only; every other role may write inside its scope.
  bool CanWrite() const { return role != domain::Role::kViewer; }
  // Admin and county staff may ask to see full ID numbers and phones (and that read is audited).
  bool MayReveal() const { return role == domain::Role::kAdmin || role == domain::Role::kCounty; }
  bool IsAdmin() const { return role == domain::Role::kAdmin; }
};

}  // namespace qiangji::services
