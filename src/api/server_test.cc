// The server against a fake handler, over real sockets: keep-alive, the body limit, malformed
// requests, handler failures, and a clean stop.
#include "api/server.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <thread>

#include <gtest/gtest.h>

namespace qiangji::api {
namespace {

class Client {
 public:
  explicit Client(uint16_t port) {
    fd_ = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(port);
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    connected_ = connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0;
    timeval tv{10, 0};
    setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  }
  ~Client() { close(fd_); }
  bool connected() const { return connected_; }

  bool Send(std::string_view data) {
    while (!data.empty()) {
      ssize_t n = send(fd_, data.data(), data.size(), MSG_NOSIGNAL);
      if (n <= 0) return false;
      data.remove_prefix(static_cast<size_t>(n));
    }
    return true;
  }

  // One response: status line + headers, and a body of Content-Length bytes. "" on EOF.
  std::string ReadResponse() {
    size_t header_end;
    while ((header_end = buf_.find("\r\n\r\n")) == std::string::npos) {
      if (!Fill()) return "";
    }
    std::string head = buf_.substr(0, header_end + 4);
    size_t length = 0;
    size_t at = head.find("Content-Length: ");
    if (at != std::string::npos) length = std::stoul(head.substr(at + 16));
    while (buf_.size() < header_end + 4 + length) {
      if (!Fill()) break;
    }
    std::string out = buf_.substr(0, header_end + 4 + length);
    buf_.erase(0, out.size());
    return out;
  }

  // True when the server closed the connection (EOF) rather than leaving it open.
  bool ClosedByServer() {
    char c;
    return recv(fd_, &c, 1, 0) == 0;
  }

 private:
  bool Fill() {
    char tmp[4096];
    ssize_t n = recv(fd_, tmp, sizeof tmp, 0);
    if (n <= 0) return false;
    buf_.append(tmp, static_cast<size_t>(n));
    return true;
  }
  int fd_;
  bool connected_ = false;
  std::string buf_;
};

class ServerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ServerOptions options;
    options.port = 0;
    options.threads = 2;
    options.body_limit = 1024;
    options.io_timeout = std::chrono::seconds(2);
    server_ = std::make_unique<Server>(options, [this](const HttpRequest& r) {
      ++requests_;
      if (r.Path() == "/throw") throw std::runtime_error("boom");
      if (r.Path() == "/empty") {
        HttpResponse none;
        none.status = 204;
        none.content_type.clear();
        return none;
      }
      HttpResponse res;
      res.content_type = "text/plain";
      res.body = r.method + " " + r.target + " ip=" + r.client_ip + " csrf=" + r.csrf_token +
                 " cookie=" + r.cookie + " body=" + r.body;
      res.AddHeader("Set-Cookie", "a=1");
      res.AddHeader("Set-Cookie", "b=2");
      return res;
    });
    ASSERT_TRUE(server_->Listen().ok());
    port_ = server_->port();
    ASSERT_NE(port_, 0);
    thread_ = std::thread([this] { server_->Run(false); });
  }
  void TearDown() override {
    server_->Stop();
    thread_.join();
  }

  std::unique_ptr<Server> server_;
  std::thread thread_;
  uint16_t port_ = 0;
  std::atomic<int> requests_{0};
};

TEST_F(ServerTest, AnswersAndKeepsTheConnectionAlive) {
  Client c(port_);
  ASSERT_TRUE(c.connected());
  ASSERT_TRUE(c.Send(
      "GET /x?y=1 HTTP/1.1\r\nHost: t\r\nX-CSRF-Token: tok\r\nCookie: qj_session=s\r\n\r\n"));
  std::string first = c.ReadResponse();
  EXPECT_EQ(first.rfind("HTTP/1.1 200 OK\r\n", 0), 0u) << first;
  EXPECT_NE(first.find("GET /x?y=1 ip=127.0.0.1 csrf=tok cookie=qj_session=s body="),
            std::string::npos)
      << first;
  EXPECT_NE(first.find("Set-Cookie: a=1\r\n"), std::string::npos);
  EXPECT_NE(first.find("Set-Cookie: b=2\r\n"), std::string::npos);
  ASSERT_TRUE(c.Send("POST /p HTTP/1.1\r\nHost: t\r\nContent-Length: 5\r\n\r\nhello"));
  std::string second = c.ReadResponse();
  EXPECT_NE(second.find("POST /p ip=127.0.0.1 csrf= cookie= body=hello"), std::string::npos)
      << second;
  EXPECT_EQ(requests_, 2);
}

TEST_F(ServerTest, OversizedBodyIs413WithoutCallingTheHandler) {
  Client c(port_);
  ASSERT_TRUE(
      c.Send("POST /p HTTP/1.1\r\nHost: t\r\nContent-Type: application/json\r\n"
             "Content-Length: 5000\r\n\r\n" +
             std::string(5000, 'x')));
  std::string res = c.ReadResponse();
  EXPECT_EQ(res.rfind("HTTP/1.1 413 ", 0), 0u) << res;
  EXPECT_NE(res.find("application/problem+json"), std::string::npos);
  EXPECT_NE(res.find("payload-too-large"), std::string::npos);
  EXPECT_EQ(requests_, 0);
}

TEST_F(ServerTest, OversizedChunkedBodyIs413) {
  Client c(port_);
  std::string chunk(800, 'x');
  ASSERT_TRUE(c.Send("POST /p HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n"));
  for (int i = 0; i < 2; ++i) c.Send("320\r\n" + chunk + "\r\n");
  c.Send("0\r\n\r\n");
  std::string res = c.ReadResponse();
  EXPECT_EQ(res.rfind("HTTP/1.1 413 ", 0), 0u) << res;
  EXPECT_EQ(requests_, 0);
}

TEST_F(ServerTest, ExpectContinueOverTheLimitGets413Before100) {
  Client c(port_);
  ASSERT_TRUE(
      c.Send("PUT /p HTTP/1.1\r\nHost: t\r\nContent-Length: 2000000\r\n"
             "Expect: 100-continue\r\n\r\n"));
  std::string res = c.ReadResponse();
  EXPECT_EQ(res.rfind("HTTP/1.1 413 ", 0), 0u) << res;
}

TEST_F(ServerTest, ExpectContinueWithinTheLimitGets100ThenTheAnswer) {
  Client c(port_);
  ASSERT_TRUE(
      c.Send("PUT /p HTTP/1.1\r\nHost: t\r\nContent-Length: 2\r\n"
             "Expect: 100-continue\r\n\r\n"));
  std::string cont = c.ReadResponse();
  EXPECT_EQ(cont.rfind("HTTP/1.1 100 Continue", 0), 0u) << cont;
  ASSERT_TRUE(c.Send("{}"));
  std::string res = c.ReadResponse();
  EXPECT_NE(res.find("body={}"), std::string::npos) << res;
}

TEST_F(ServerTest, MalformedRequestIs400AndCloses) {
  Client c(port_);
  ASSERT_TRUE(c.Send("GET / HTTP/1.1\r\nHost t\r\n\r\n"));
  std::string res = c.ReadResponse();
  EXPECT_EQ(res.rfind("HTTP/1.1 400 ", 0), 0u) << res;
  EXPECT_TRUE(c.ClosedByServer());
  Client bad_target(port_);
  ASSERT_TRUE(bad_target.Send("GET http://evil/ HTTP/1.1\r\nHost: t\r\n\r\n"));
  EXPECT_EQ(bad_target.ReadResponse().rfind("HTTP/1.1 400 ", 0), 0u);
  EXPECT_EQ(requests_, 0);
}

TEST_F(ServerTest, HugeHeadersAre431) {
  Client c(port_);
  ASSERT_TRUE(
      c.Send("GET / HTTP/1.1\r\nHost: t\r\nX-Big: " + std::string(20000, 'a') + "\r\n\r\n"));
  std::string res = c.ReadResponse();
  EXPECT_EQ(res.rfind("HTTP/1.1 431 ", 0), 0u) << res.substr(0, 80);
}

TEST_F(ServerTest, HandlerExceptionIs500AndServerLives) {
  Client c(port_);
  ASSERT_TRUE(c.Send("GET /throw HTTP/1.1\r\nHost: t\r\n\r\n"));
  std::string res = c.ReadResponse();
  EXPECT_EQ(res.rfind("HTTP/1.1 500 ", 0), 0u) << res;
  EXPECT_EQ(res.find("boom"), std::string::npos);
  Client again(port_);
  ASSERT_TRUE(again.Send("GET /ok HTTP/1.1\r\nHost: t\r\n\r\n"));
  EXPECT_EQ(again.ReadResponse().rfind("HTTP/1.1 200 ", 0), 0u);
}

TEST_F(ServerTest, SlowClientIsCutOff) {
  Client c(port_);
  ASSERT_TRUE(c.Send("GET / HTTP/1.1\r\nHost: t\r\n"));  // never finishes the headers
  auto start = std::chrono::steady_clock::now();
  EXPECT_TRUE(c.ClosedByServer());
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(6));
  EXPECT_EQ(requests_, 0);
}

TEST_F(ServerTest, NoContentHasNoLengthAndKeepsTheConnection) {
  Client c(port_);
  ASSERT_TRUE(c.Send("DELETE /empty HTTP/1.1\r\nHost: t\r\n\r\n"));
  std::string res = c.ReadResponse();
  EXPECT_EQ(res.rfind("HTTP/1.1 204 No Content\r\n", 0), 0u) << res;
  EXPECT_EQ(res.find("Content-Length"), std::string::npos) << res;
  ASSERT_TRUE(c.Send("GET /after HTTP/1.1\r\nHost: t\r\n\r\n"));
  EXPECT_NE(c.ReadResponse().find("GET /after"), std::string::npos);
}

TEST_F(ServerTest, ConnectionCloseIsHonoured) {
  Client c(port_);
  ASSERT_TRUE(c.Send("GET / HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n"));
  std::string res = c.ReadResponse();
  EXPECT_NE(res.find("Connection: close"), std::string::npos) << res;
  EXPECT_TRUE(c.ClosedByServer());
}

TEST(ServerListenTest, TakenPortIsAnError) {
  Server first({.port = 0}, [](const HttpRequest&) { return HttpResponse{}; });
  ASSERT_TRUE(first.Listen().ok());
  ServerOptions options;
  options.port = first.port();
  Server second(options, [](const HttpRequest&) { return HttpResponse{}; });
  Status st = second.Listen();
  EXPECT_EQ(st.code(), StatusCode::kFailedPrecondition);
}

}  // namespace
}  // namespace qiangji::api
