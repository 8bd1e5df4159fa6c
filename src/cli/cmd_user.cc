// qiangji user add USERNAME --role ROLE --scope PREFIX [--name NAME] [--password P]
// qiangji user list
// qiangji user disable USERNAME
// qiangji user passwd USERNAME [--password P]
// The CLI acts as the system caller (an administrator). Without --password the password is
// asked twice on a terminal (not echoed), or read as one line from standard input otherwise,
// so scripts can pipe it in without it showing in the process list.
#include <termios.h>
#include <unistd.h>

#include <iostream>
#include <memory>
#include <string>

#include <fmt/format.h>

#include "cli/commands.h"
#include "services/services.h"

namespace qiangji::cli {
namespace {

struct UserArgs {
  std::string username;
  std::string role;
  std::string scope;
  std::string display_name;
  std::string password;
  bool password_given = false;
};

// One line from the terminal with echo off; restores the terminal whatever happens.
std::string ReadHidden(const std::string& prompt) {
  std::cerr << prompt << std::flush;
  termios old_mode{};
  const bool tty = tcgetattr(STDIN_FILENO, &old_mode) == 0;
  if (tty) {
    termios quiet = old_mode;
    quiet.c_lflag &= ~static_cast<tcflag_t>(ECHO);
    tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet);
  }
  std::string line;
  std::getline(std::cin, line);
  if (tty) {
    tcsetattr(STDIN_FILENO, TCSAFLUSH, &old_mode);
    std::cerr << "\n";
  }
  return line;
}

Result<std::string> ObtainPassword(const UserArgs& args) {
  if (args.password_given) return args.password;
  if (!isatty(STDIN_FILENO)) {
    std::string line;
    if (!std::getline(std::cin, line))
      return Status::InvalidField("password", "none given: pass --password or pipe it on stdin");
    if (!line.empty() && line.back() == '\r') line.pop_back();
    return line;
  }
  std::string first = ReadHidden("Password (at least 10 characters): ");
  std::string again = ReadHidden("Again: ");
  if (first != again) return Status::InvalidField("password", "the two entries differ");
  return first;
}

// The services over the database named by --db, migrated first. User commands touch no
// personal data, so no key is loaded (and none is created).
struct UserStore {
  std::unique_ptr<storage::ConnectionPool> pool;
  std::unique_ptr<services::UserService> users;
};

Result<UserStore> Open(const GlobalOptions& global) {
  { QJ_ASSIGN_OR_RETURN(auto db, OpenAndMigrate(global)); }
  UserStore s;
  QJ_ASSIGN_OR_RETURN(s.pool, storage::ConnectionPool::Open({.url = global.db}, 1));
  s.users = std::make_unique<services::UserService>(services::Env{s.pool.get(), nullptr});
  return s;
}

int Add(const GlobalOptions& global, const UserArgs& args) {
  domain::User user;
  user.username = args.username;
  user.display_name = args.display_name;
  user.scope = args.scope;
  auto role = domain::ParseRole(args.role);
  if (!role.ok()) return Fail(role.status());
  user.role = *role;
  // Check the user before asking for a password, so a typo does not cost a prompt.
  if (Status valid = domain::ValidateUser(user); !valid.ok()) return Fail(valid);
  auto password = ObtainPassword(args);
  if (!password.ok()) return Fail(password.status());
  auto session = Open(global);
  if (!session.ok()) return Fail(session.status());
  auto added = session->users->Add(services::Caller::System(), user, *password);
  if (!added.ok()) return Fail(added.status());
  fmt::print("added user {} (role {}, scope {})\n", added->username, domain::RoleName(added->role),
             added->scope.empty() ? "all" : added->scope);
  return 0;
}

int List(const GlobalOptions& global) {
  auto session = Open(global);
  if (!session.ok()) return Fail(session.status());
  auto users = session->users->List(services::Caller::System());
  if (!users.ok()) return Fail(users.status());
  fmt::print("{:<20} {:<9} {:<13} {:<9} {:<21} {}\n", "username", "role", "scope", "status",
             "created", "name");
  for (const auto& u : *users) {
    fmt::print("{:<20} {:<9} {:<13} {:<9} {:<21} {}\n", u.username, domain::RoleName(u.role),
               u.scope.empty() ? "all" : u.scope, u.disabled ? "disabled" : "active", u.created_at,
               u.display_name);
  }
  return 0;
}

int Disable(const GlobalOptions& global, const UserArgs& args) {
  auto session = Open(global);
  if (!session.ok()) return Fail(session.status());
  Status s = session->users->Disable(services::Caller::System(), args.username);
  if (!s.ok()) return Fail(s);
  fmt::print("disabled user {}; its sessions have ended\n", args.username);
  return 0;
}

int Passwd(const GlobalOptions& global, const UserArgs& args) {
  auto password = ObtainPassword(args);
  if (!password.ok()) return Fail(password.status());
  auto session = Open(global);
  if (!session.ok()) return Fail(session.status());
  Status s = session->users->SetPassword(services::Caller::System(), args.username, *password);
  if (!s.ok()) return Fail(s);
  fmt::print("changed the password of {}; its sessions have ended\n", args.username);
  return 0;
}

void Run(int code) {
  if (code != 0) throw CLI::RuntimeError(code);
}

}  // namespace

void AddUserCommand(CLI::App& app, GlobalOptions& global) {
  auto args = std::make_shared<UserArgs>();
  CLI::App* user = app.add_subcommand("user", "manage users: add, list, disable, passwd");
  user->require_subcommand(1);

  CLI::App* add = user->add_subcommand("add", "add a user");
  add->add_option("username", args->username, "3-32 of a-z 0-9 _ . -, starting with a letter")
      ->required();
  add->add_option("--role", args->role, "admin, county, township, village or viewer")->required();
  add->add_option("--scope", args->scope,
                  "division prefix the user may see: '' (all), 130624 (a county), 130624100"
                  " (a township), 130624100201 (a village)");
  add->add_option("--name", args->display_name, "display name, e.g. 张三");
  add->add_option("--password", args->password, "password (default: prompt, or one line on stdin)")
      ->each([args](const std::string&) { args->password_given = true; });
  add->callback([&global, args] { Run(Add(global, *args)); });

  CLI::App* list = user->add_subcommand("list", "list users");
  list->callback([&global] { Run(List(global)); });

  CLI::App* disable = user->add_subcommand("disable", "disable a user and end its sessions");
  disable->add_option("username", args->username)->required();
  disable->callback([&global, args] { Run(Disable(global, *args)); });

  CLI::App* passwd = user->add_subcommand("passwd", "set a user's password");
  passwd->add_option("username", args->username)->required();
  passwd
      ->add_option("--password", args->password,
                   "new password (default: prompt, or one line on stdin)")
      ->each([args](const std::string&) { args->password_given = true; });
  passwd->callback([&global, args] { Run(Passwd(global, *args)); });
}

}  // namespace qiangji::cli
