// `qiangji serve`: the JSON API and the built web UI on one port, until SIGINT/SIGTERM.
#include <cstdio>
#include <iostream>

#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include "api/api.h"
#include "api/server.h"
#include "cli/commands.h"
#include "services/services.h"
#include "storage/database.h"

namespace qiangji::cli {
namespace {

struct ServeOptions {
  std::string host = "127.0.0.1";
  int port = 8080;
  std::string web = "web/dist";
  int threads = 4;
};

Status Serve(const GlobalOptions& global, const ServeOptions& options) {
  // Logs go to stderr: stdout carries only the "serving" line that scripts wait for.
  spdlog::set_default_logger(spdlog::stderr_color_mt("serve"));

  // Migrate with one connection first, so the pool opens an up-to-date schema.
  { QJ_ASSIGN_OR_RETURN(auto db, OpenAndMigrate(global)); }
  QJ_ASSIGN_OR_RETURN(auto pool,
                      storage::ConnectionPool::Open({.url = global.db}, options.threads));
  QJ_ASSIGN_OR_RETURN(services::Secrets secrets, services::Secrets::LoadOrCreate(global.KeyFile()));
  services::Services services(services::Env{pool.get(), &secrets});
  api::Api app(services, api::ApiOptions{.web_dir = options.web});

  api::ServerOptions server_options;
  server_options.host = options.host;
  server_options.port = static_cast<uint16_t>(options.port);
  server_options.threads = options.threads;
  api::Server server(server_options, [&app](const api::HttpRequest& r) { return app.Handle(r); });
  QJ_RETURN_IF_ERROR(server.Listen());

  const bool ipv6 = options.host.find(':') != std::string::npos;
  std::cout << "qiangji serving http://" << (ipv6 ? "[" + options.host + "]" : options.host) << ":"
            << server.port() << std::endl;
  server.Run(/*handle_signals=*/true);
  spdlog::info("stopped");
  return Status::Ok();
}

}  // namespace

void AddServeCommand(CLI::App& app, GlobalOptions& global) {
  auto options = std::make_shared<ServeOptions>();
  CLI::App* cmd = app.add_subcommand("serve", "Serve the JSON API and the web UI");
  cmd->add_option("--host", options->host, "address to listen on")->capture_default_str();
  cmd->add_option("--port", options->port, "port (0 picks a free one)")
      ->check(CLI::Range(0, 65535))
      ->capture_default_str();
  cmd->add_option("--web", options->web, "directory of the built web UI")->capture_default_str();
  cmd->add_option("--threads", options->threads, "threads serving requests")
      ->check(CLI::Range(1, 64))
      ->capture_default_str();
  cmd->callback([&global, options] {
    Status st = Serve(global, *options);
    if (!st.ok()) throw CLI::RuntimeError(Fail(st));
  });
}

}  // namespace qiangji::cli
