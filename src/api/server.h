// The HTTP/1.1 server: Boost.Beast on Asio C++20 coroutines, one io_context run by a small pool
// of threads. Each connection is one coroutine reading a request, calling the handler
// synchronously (services are plain blocking SQLite calls; a handful of threads is plenty for a
// county) and writing the answer, with keep-alive.
//
// Guards against hostile or slow clients: a body over `body_limit` (`import_body_limit` for the
// bulk evidence and cadre imports, whose files a county sends whole) gets 413 before it is read;
// headers are capped at 16 KiB (431); every read and write has a deadline (`io_timeout`), so a
// client trickling bytes is cut off; malformed HTTP gets 400 and the connection is closed; at
// most `max_connections` sockets are held at once. Stop() (or SIGINT/SIGTERM) stops accepting,
// lets requests in progress finish (at most 10 s), then returns from Run().
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "api/http_types.h"
#include "common/status.h"

namespace qiangji::api {

struct ServerOptions {
  std::string host = "127.0.0.1";
  uint16_t port = 8080;                 // 0 picks a free port (see Server::port)
  int threads = 4;                      // threads running the io_context
  size_t body_limit = 1 << 20;          // 1 MiB
  size_t import_body_limit = 16 << 20;  // 16 MiB for the bulk imports (evidence, cadres)
  std::chrono::seconds io_timeout{30};  // per request read, and per response write
  int max_connections = 1024;
};

using RequestHandler = std::function<HttpResponse(const HttpRequest&)>;

class Server {
 public:
  Server(ServerOptions options, RequestHandler handler);
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // Binds and listens. FailedPrecondition when the address is taken or cannot be resolved.
  Status Listen();
  // The port actually listened on (the real one when options.port was 0).
  uint16_t port() const;
  // Serves until Stop() or, when handle_signals, SIGINT/SIGTERM. Call after Listen().
  void Run(bool handle_signals);
  // Thread-safe; graceful (see the file comment).
  void Stop();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace qiangji::api
