#include "api/server.h"

#include <algorithm>
#include <atomic>
#include <csignal>
#include <thread>
#include <vector>

#include <fmt/format.h>
#include <spdlog/spdlog.h>
#include <boost/asio.hpp>
#include <boost/asio/as_tuple.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include "api/problem.h"

namespace qiangji::api {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;
constexpr auto kNoThrow = asio::as_tuple(asio::use_awaitable);

struct Server::Impl {
  ServerOptions options;
  RequestHandler handler;
  std::atomic<int> connections{0};
  std::atomic<int> in_flight{0};
  std::atomic<bool> stopping{false};
  asio::io_context ioc;
  // The acceptor and the signal set are touched only on this strand (accepting, stopping).
  asio::strand<asio::io_context::executor_type> strand{asio::make_strand(ioc)};
  tcp::acceptor acceptor{strand};
  asio::signal_set signals{strand};

  Impl(ServerOptions o, RequestHandler h) : options(std::move(o)), handler(std::move(h)) {}

  asio::awaitable<void> AcceptLoop();
  asio::awaitable<void> Connection(tcp::socket socket);
  asio::awaitable<void> Drain();
  void BeginStop();
};

namespace {

// Counts something for as long as it lives (a connection, a request being answered).
class Counted {
 public:
  explicit Counted(std::atomic<int>& n) : n_(n) { ++n_; }
  ~Counted() { --n_; }
  Counted(const Counted&) = delete;
  Counted& operator=(const Counted&) = delete;

 private:
  std::atomic<int>& n_;
};

using BeastResponse = http::response<http::string_body>;

// POST /api/v1/assess/evidence/{kind}/import, /api/v1/dispatch/cadres/import and
// /api/v1/economy/reports/import: a county's file, allowed the larger limit.
bool IsBulkImport(http::verb method, std::string_view target) {
  if (method != http::verb::post) return false;
  target = target.substr(0, target.find('?'));
  return (target.starts_with("/api/v1/assess/evidence/") && target.ends_with("/import")) ||
         target == "/api/v1/dispatch/cadres/import" ||
         target == "/api/v1/economy/reports/import";
}

BeastResponse ToBeast(HttpResponse&& in, unsigned version, bool keep_alive) {
  BeastResponse res{static_cast<http::status>(in.status), version};
  res.set(http::field::server, "qiangji");
  if (!in.content_type.empty()) res.set(http::field::content_type, in.content_type);
  bool explicit_length = false;
  for (auto& [name, value] : in.headers) {
    if (beast::iequals(name, "Content-Length")) explicit_length = true;
    res.insert(name, value);
  }
  res.body() = std::move(in.body);
  // HEAD answers carry the length of the body they leave out; 204 and 304 carry no length at
  // all (RFC 9110 8.6).
  if (in.status == 204 || in.status == 304) {
    res.body().clear();
  } else if (!explicit_length) {
    res.prepare_payload();
  }
  res.keep_alive(keep_alive);
  return res;
}

// An answer for a request that never reached the handler (malformed, too big, too slow).
BeastResponse EarlyProblem(int status, std::string_view type, std::string_view title,
                           std::string_view detail) {
  return ToBeast(Problem(status, type, title, detail), 11, false);
}

bool IsQuietClose(const beast::error_code& ec) {
  return ec == http::error::end_of_stream || ec == asio::error::eof ||
         ec == asio::error::connection_reset || ec == asio::error::operation_aborted ||
         ec == asio::error::broken_pipe || ec == beast::error::timeout;
}

}  // namespace

asio::awaitable<void> Server::Impl::AcceptLoop() {
  for (;;) {
    auto [ec, socket] = co_await acceptor.async_accept(kNoThrow);
    if (stopping) co_return;
    if (ec) {
      if (ec == asio::error::operation_aborted || !acceptor.is_open()) co_return;
      // Out of file descriptors and the like: back off rather than spin.
      spdlog::warn("accept failed: {}", ec.message());
      asio::steady_timer pause(acceptor.get_executor(), std::chrono::milliseconds(100));
      co_await pause.async_wait(kNoThrow);
      continue;
    }
    if (connections >= options.max_connections) {
      beast::error_code ignored;
      socket.close(ignored);
      continue;
    }
    asio::co_spawn(ioc, Connection(std::move(socket)), [](std::exception_ptr e) {
      if (!e) return;
      try {
        std::rethrow_exception(e);
      } catch (const std::exception& ex) {
        spdlog::error("connection failed: {}", ex.what());
      } catch (...) {
        spdlog::error("connection failed");
      }
    });
  }
}

asio::awaitable<void> Server::Impl::Connection(tcp::socket socket) {
  Counted connection(connections);
  beast::error_code ec;
  std::string client_ip;
  if (auto peer = socket.remote_endpoint(ec); !ec) client_ip = peer.address().to_string();
  beast::tcp_stream stream(std::move(socket));
  beast::flat_buffer buffer;
  bool drain = false;  // refuse the rest of a body we will not read before closing

  for (;;) {
    http::request_parser<http::string_body> parser;
    parser.header_limit(16 * 1024);
    // The header decides which limit applies; the parser is only given the larger one.
    parser.body_limit(std::max(options.body_limit, options.import_body_limit));
    size_t body_limit = options.body_limit;
    std::optional<BeastResponse> early;

    stream.expires_after(options.io_timeout);
    auto [hec, hn] = co_await http::async_read_header(stream, buffer, parser, kNoThrow);
    ec = hec;
    if (!ec) {
      const auto& req = parser.get();
      if (IsBulkImport(req.method(), req.target())) body_limit = options.import_body_limit;
      parser.body_limit(body_limit);  // counts a chunked body against the right limit
      const auto length = parser.content_length();
      if (length && *length > body_limit) {
        ec = http::error::body_limit;
      } else if (req.target().empty() || req.target().front() != '/') {
        early = EarlyProblem(400, "bad-request", "Bad request",
                             "the request target must be an absolute path");
      } else if (!parser.is_done()) {
        if (beast::iequals(req[http::field::expect], "100-continue")) {
          http::response<http::empty_body> cont{http::status::continue_, req.version()};
          auto [cec, cn] = co_await http::async_write(stream, cont, kNoThrow);
          if (cec) break;
        }
        auto [bec, bn] = co_await http::async_read(stream, buffer, parser, kNoThrow);
        ec = bec;
      }
    }
    if (ec == http::error::body_limit) {
      early = EarlyProblem(
          413, "payload-too-large", "Payload too large",
          fmt::format("the request body must be at most {} bytes", body_limit));
      drain = true;
    } else if (ec == http::error::header_limit) {
      early = EarlyProblem(431, "headers-too-large", "Request header fields too large",
                           "the request headers must be at most 16 KiB");
      drain = true;
    } else if (ec) {
      // Timeouts land here too: tcp_stream has already closed the socket, nothing to answer.
      if (IsQuietClose(ec) || (!parser.got_some() && buffer.size() == 0)) break;
      early = EarlyProblem(400, "bad-request", "Bad request",
                           fmt::format("malformed HTTP request: {}", ec.message()));
      drain = true;
    }
    if (early) {
      stream.expires_after(std::chrono::seconds(5));
      auto [wec, wn] = co_await http::async_write(stream, *early, kNoThrow);
      if (wec) break;
      spdlog::info("{} - {} (rejected before routing)", client_ip, early->result_int());
      break;
    }

    Counted request(in_flight);
    auto start = std::chrono::steady_clock::now();
    auto& req = parser.get();
    HttpRequest in;
    in.method = std::string(req.method_string());
    in.target = std::string(req.target());
    in.cookie = std::string(req[http::field::cookie]);
    in.csrf_token = std::string(req["X-CSRF-Token"]);
    in.client_ip = client_ip;
    in.body = std::move(req.body());
    HttpResponse out;
    try {
      out = handler(in);
    } catch (const std::exception& e) {
      out = ProblemFromStatus(Status::Internal(fmt::format("handler threw: {}", e.what())));
    }
    const int status = out.status;
    const bool keep_alive = req.keep_alive() && !stopping;
    BeastResponse res = ToBeast(std::move(out), req.version(), keep_alive);
    stream.expires_after(options.io_timeout);
    auto [wec, wn] = co_await http::async_write(stream, res, kNoThrow);
    auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                  std::chrono::steady_clock::now() - start)
                  .count();
    // The path only: query strings may carry personal data (q= an ID number).
    spdlog::info("{} {} {} {} {}ms", client_ip, in.method, in.Path(), status, ms);
    if (wec || !keep_alive) break;
  }

  stream.socket().shutdown(tcp::socket::shutdown_send, ec);
  if (drain) {
    // Read and drop what the client is still sending for a while, so that closing with unread
    // data does not reset the connection before the client has read our answer.
    stream.expires_after(std::chrono::seconds(3));
    std::vector<char> scratch(64 * 1024);
    size_t total = 0;
    while (total < 64u << 20) {
      auto [rec, n] = co_await stream.async_read_some(asio::buffer(scratch), kNoThrow);
      if (rec) break;
      total += n;
    }
  }
  stream.socket().close(ec);
}

void Server::Impl::BeginStop() {
  if (stopping.exchange(true)) return;
  beast::error_code ec;
  acceptor.close(ec);
  signals.cancel(ec);
  asio::co_spawn(ioc, Drain(), asio::detached);
}

asio::awaitable<void> Server::Impl::Drain() {
  asio::steady_timer timer(ioc);
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (in_flight > 0 && std::chrono::steady_clock::now() < deadline) {
    timer.expires_after(std::chrono::milliseconds(20));
    co_await timer.async_wait(kNoThrow);
  }
  ioc.stop();
}

Server::Server(ServerOptions options, RequestHandler handler)
    : impl_(std::make_unique<Impl>(std::move(options), std::move(handler))) {}

Server::~Server() = default;

Status Server::Listen() {
  Impl& s = *impl_;
  beast::error_code ec;
  tcp::resolver resolver(s.ioc);
  auto endpoints = resolver.resolve(s.options.host, std::to_string(s.options.port),
                                    tcp::resolver::passive | tcp::resolver::numeric_service, ec);
  if (ec || endpoints.empty()) {
    return Status::FailedPrecondition(
        fmt::format("cannot resolve host {}: {}", s.options.host, ec.message()));
  }
  tcp::endpoint endpoint = endpoints.begin()->endpoint();
  auto fail = [&](std::string_view what) {
    beast::error_code ignored;
    s.acceptor.close(ignored);
    return Status::FailedPrecondition(fmt::format("cannot listen on {}:{}: {} ({})", s.options.host,
                                                  s.options.port, ec.message(), what));
  };
  s.acceptor.open(endpoint.protocol(), ec);
  if (ec) return fail("open");
  s.acceptor.set_option(asio::socket_base::reuse_address(true), ec);
  if (ec) return fail("reuse_address");
  s.acceptor.bind(endpoint, ec);
  if (ec) return fail("bind");
  s.acceptor.listen(asio::socket_base::max_listen_connections, ec);
  if (ec) return fail("listen");
  return Status::Ok();
}

uint16_t Server::port() const {
  beast::error_code ec;
  auto endpoint = impl_->acceptor.local_endpoint(ec);
  return ec ? 0 : endpoint.port();
}

void Server::Run(bool handle_signals) {
  Impl& s = *impl_;
  if (handle_signals) {
    s.signals.add(SIGINT);
    s.signals.add(SIGTERM);
    s.signals.async_wait([&s](const beast::error_code& ec, int) {
      if (!ec) s.BeginStop();
    });
  }
  asio::co_spawn(s.strand, s.AcceptLoop(), asio::detached);
  const int n = std::max(1, s.options.threads);
  std::vector<std::thread> threads;
  for (int i = 1; i < n; ++i) threads.emplace_back([&s] { s.ioc.run(); });
  s.ioc.run();
  for (std::thread& t : threads) t.join();
}

void Server::Stop() {
  Impl& s = *impl_;
  asio::post(s.strand, [&s] { s.BeginStop(); });
}

}  // namespace qiangji::api
