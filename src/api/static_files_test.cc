#include "api/static_files.h"

#include <unistd.h>

#include <fstream>

#include <gtest/gtest.h>

namespace qiangji::api {
namespace {

namespace fs = std::filesystem;

void Write(const fs::path& p, std::string_view text) {
  fs::create_directories(p.parent_path());
  std::ofstream(p, std::ios::binary) << text;
}

class StaticFilesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/qiangji_static_XXXXXX";
    ASSERT_NE(mkdtemp(tmpl), nullptr);
    base_ = tmpl;
    root_ = base_ / "dist";
    Write(root_ / "index.html", "<!doctype html><title>强基</title>");
    Write(root_ / "assets" / "index-4f3a9c1b.js", "console.log(1)");
    Write(root_ / "assets" / "index-77aa.css", "body{}");
    Write(root_ / "favicon.svg", "<svg/>");
    Write(root_ / ".env", "SECRET=1");
    Write(base_ / "secret.txt", "outside the root");
    fs::create_symlink(base_ / "secret.txt", root_ / "link.txt");
  }
  void TearDown() override { fs::remove_all(base_); }

  fs::path base_;
  fs::path root_;
};

TEST_F(StaticFilesTest, ServesFilesWithContentTypes) {
  StaticFiles files(root_);
  HttpResponse js = files.Serve("GET", "/assets/index-4f3a9c1b.js");
  EXPECT_EQ(js.status, 200);
  EXPECT_EQ(js.body, "console.log(1)");
  EXPECT_EQ(js.content_type, "text/javascript; charset=utf-8");
  EXPECT_EQ(files.Serve("GET", "/assets/index-77aa.css").content_type, "text/css; charset=utf-8");
  EXPECT_EQ(files.Serve("GET", "/favicon.svg").content_type, "image/svg+xml");
  EXPECT_EQ(ContentTypeFor("a.WOFF2"), "font/woff2");
  EXPECT_EQ(ContentTypeFor("README"), "application/octet-stream");
}

TEST_F(StaticFilesTest, HashedAssetsAreImmutableAndIndexRevalidates) {
  StaticFiles files(root_);
  EXPECT_EQ(files.Serve("GET", "/assets/index-4f3a9c1b.js").Header("Cache-Control"),
            "public, max-age=31536000, immutable");
  HttpResponse index = files.Serve("GET", "/");
  EXPECT_EQ(index.status, 200);
  EXPECT_EQ(index.content_type, "text/html; charset=utf-8");
  EXPECT_EQ(index.Header("Cache-Control"), "no-cache");
  EXPECT_NE(index.Header("Content-Security-Policy").find("default-src 'self'"), std::string::npos);
  EXPECT_EQ(files.Serve("GET", "/favicon.svg").Header("Cache-Control"), "no-cache");
}

TEST_F(StaticFilesTest, ClientRoutesFallBackToIndex) {
  StaticFiles files(root_);
  for (std::string_view path : {"/villages/130624100201", "/people", "/login/", "/index.html"}) {
    HttpResponse res = files.Serve("GET", path);
    EXPECT_EQ(res.status, 200) << path;
    EXPECT_NE(res.body.find("强基"), std::string::npos) << path;
  }
  EXPECT_EQ(files.Serve("GET", "/assets/missing-123.js").status, 404);
  EXPECT_EQ(files.Serve("GET", "/robots.txt").status, 404);
}

TEST_F(StaticFilesTest, NothingOutsideTheRootOrHidden) {
  StaticFiles files(root_);
  for (std::string_view path :
       {"/../secret.txt", "/%2e%2e/secret.txt", "/assets/..%2f..%2fsecret.txt",
        "/assets/../../secret.txt", "/.env", "/%2eenv", "/link.txt", "/assets/%00.js",
        "/..\\secret.txt", "/assets/x%zz.js"}) {
    HttpResponse res = files.Serve("GET", path);
    EXPECT_NE(res.body, "outside the root") << path;
    EXPECT_NE(res.body, "SECRET=1") << path;
    EXPECT_EQ(res.status, 404) << path;
  }
}

TEST_F(StaticFilesTest, HeadHasLengthButNoBodyAndWritesAreRefused) {
  StaticFiles files(root_);
  HttpResponse head = files.Serve("HEAD", "/assets/index-4f3a9c1b.js");
  EXPECT_EQ(head.status, 200);
  EXPECT_TRUE(head.body.empty());
  EXPECT_EQ(head.Header("Content-Length"), "14");
  HttpResponse post = files.Serve("POST", "/");
  EXPECT_EQ(post.status, 405);
  EXPECT_EQ(post.Header("Allow"), "GET, HEAD");
}

TEST_F(StaticFilesTest, MissingBuildAnswers404) {
  StaticFiles files(base_ / "no-such-dir");
  HttpResponse res = files.Serve("GET", "/");
  EXPECT_EQ(res.status, 404);
  EXPECT_NE(res.body.find("not built"), std::string::npos);
}

}  // namespace
}  // namespace qiangji::api
